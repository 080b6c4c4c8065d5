//! `costs` — cost and tokens over time (analytics-spec.md §3). A session's cost and tokens count
//! on the day (in the time zone in force) of its start.

use super::stats::{iso, percentile, sum_known, sum_known_u64};
use super::{View, UNKNOWN};
use crate::model::records::Sym;
use crate::model::sessions::Session;
use crate::model::time::{day_of, format_day, format_offset};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Costs {
    /// the time zone the days are counted in (`UTC`, `UTC+02:00`, …)
    pub time_zone: String,
    /// per (day, model), by day then model
    /// the main table, `rows` in the JSON report (spec §4)
    #[serde(rename = "rows")]
    pub by_day: Vec<DayModel>,
    /// per day totals, by day (for charts)
    pub days: Vec<DayTotal>,
    /// per model, by model name
    pub per_model: Vec<ModelCost>,
    /// sessions above the runaway threshold, by cost desc then attempt id
    pub runaway: Vec<Runaway>,
    /// the runaway threshold: the runaway_percentile of all known session costs (null with none)
    pub runaway_percentile_usd: Option<f64>,
    pub runaway_min_usd: f64,
    /// null when no daily budget is set
    pub budget: Option<Budget>,
    /// sessions of the view without a start time (left out of the day tables)
    pub sessions_without_time: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayModel {
    pub day: String,
    pub model: String,
    pub sessions: u64,
    pub cost_usd: Option<f64>,
    /// sessions whose cost is known
    pub cost_n: u64,
    pub prompt_tokens: Option<u64>,
    pub completion_tokens: Option<u64>,
    pub total_tokens: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayTotal {
    pub day: String,
    pub cost_usd: Option<f64>,
    pub total_tokens: Option<u64>,
    pub sessions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCost {
    pub model: String,
    pub sessions: u64,
    pub successes: u64,
    pub cost_usd: Option<f64>,
    pub cost_n: u64,
    /// total known cost / successful sessions; null without a success or without a known cost
    pub cost_per_success: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Runaway {
    pub attempt_id: String,
    pub task_id: Option<String>,
    pub model: String,
    pub cost_usd: f64,
    pub start: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    pub daily_budget_usd: f64,
    /// days whose total known cost is above the budget, by day
    pub days_over: Vec<DayOver>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayOver {
    pub day: String,
    pub cost_usd: f64,
}

pub fn compute(view: &View) -> Costs {
    let p = view.params;
    let model_name = |m: Sym| if m.is_none() { UNKNOWN } else { view.str(m) };
    let sessions: Vec<&Session> = view.sessions().collect();

    let mut by_day: BTreeMap<(i64, &str), Vec<&Session>> = BTreeMap::new();
    let mut without_time = 0u64;
    for s in &sessions {
        match s.start_ms {
            Some(t) => by_day.entry((day_of(t, p.utc_offset_minutes), model_name(s.model))).or_default().push(s),
            None => without_time += 1,
        }
    }
    let mut days: BTreeMap<i64, Vec<&Session>> = BTreeMap::new();
    let rows: Vec<DayModel> = by_day
        .into_iter()
        .map(|((day, model), ss)| {
            days.entry(day).or_default().extend(ss.iter().copied());
            DayModel {
                day: format_day(day),
                model: model.to_string(),
                sessions: ss.len() as u64,
                cost_usd: sum_known(ss.iter().map(|s| s.usage.cost_usd)),
                cost_n: ss.iter().filter(|s| s.usage.cost_usd.is_some()).count() as u64,
                prompt_tokens: sum_known_u64(ss.iter().map(|s| s.usage.prompt_tokens)),
                completion_tokens: sum_known_u64(ss.iter().map(|s| s.usage.completion_tokens)),
                total_tokens: sum_known_u64(ss.iter().map(|s| s.usage.total_tokens)),
            }
        })
        .collect();
    let day_totals: Vec<DayTotal> = days
        .iter()
        .map(|(&day, ss)| DayTotal { day: format_day(day), cost_usd: sum_known(ss.iter().map(|s| s.usage.cost_usd)), total_tokens: sum_known_u64(ss.iter().map(|s| s.usage.total_tokens)), sessions: ss.len() as u64 })
        .collect();

    // per model: every session of the view, with or without a start time (cost per success does
    // not depend on days)
    let mut per_model: BTreeMap<&str, Vec<&Session>> = BTreeMap::new();
    for s in &sessions {
        per_model.entry(model_name(s.model)).or_default().push(s);
    }
    let per_model = per_model
        .into_iter()
        .map(|(model, ss)| {
            let successes = ss.iter().filter(|s| s.success == Some(true)).count() as u64;
            let cost = sum_known(ss.iter().map(|s| s.usage.cost_usd));
            ModelCost {
                model: model.to_string(),
                sessions: ss.len() as u64,
                successes,
                cost_usd: cost,
                cost_n: ss.iter().filter(|s| s.usage.cost_usd.is_some()).count() as u64,
                cost_per_success: cost.filter(|_| successes > 0).map(|c| c / successes as f64),
            }
        })
        .collect();

    // runaway: strictly above the percentile of all known session costs of the view AND strictly
    // above the minimum
    let costs: Vec<f64> = sessions.iter().filter_map(|s| s.usage.cost_usd).collect();
    let threshold = percentile(&costs, p.runaway_percentile);
    let mut runaway: Vec<Runaway> = match threshold {
        Some(th) => sessions
            .iter()
            .filter_map(|s| s.usage.cost_usd.filter(|&c| c > th && c > p.runaway_min_usd).map(|c| (s, c)))
            .map(|(s, c)| Runaway { attempt_id: view.str(s.attempt).to_string(), task_id: s.task_id.get().map(|t| view.str(t).to_string()), model: model_name(s.model).to_string(), cost_usd: c, start: iso(s.start_ms) })
            .collect(),
        None => Vec::new(),
    };
    runaway.sort_by(|a, b| b.cost_usd.total_cmp(&a.cost_usd).then_with(|| a.attempt_id.cmp(&b.attempt_id)));

    // budget: a day is over when its total known cost is strictly above the budget
    let budget = p.daily_budget_usd.map(|b| Budget {
        daily_budget_usd: b,
        days_over: day_totals.iter().filter_map(|d| d.cost_usd.filter(|&c| c > b).map(|c| DayOver { day: d.day.clone(), cost_usd: c })).collect(),
    });

    Costs {
        time_zone: format_offset(p.utc_offset_minutes),
        by_day: rows,
        days: day_totals,
        per_model,
        runaway,
        runaway_percentile_usd: threshold,
        runaway_min_usd: p.runaway_min_usd,
        budget,
        sessions_without_time: without_time,
    }
}
