//! `costs` — cost and tokens over time (analytics-spec.md §3). A session's cost and tokens count
//! on the day (in the time zone in force) of its start.

use super::stats::{iso, percentile_in_place, percentile_sorted, sum_known_u64};
use super::{View, UNKNOWN};
use crate::model::records::{FastMap, Sym};
use crate::model::time::{day_of, format_day, format_offset};
use serde::Serialize;

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

/// A (day, model) cell: its sessions' known costs in view order (a day's total adds them up
/// cell by cell in model order, as the sums were always taken), and token sums.
struct Cell {
    day: i64,
    model: Sym,
    sessions: u64,
    costs: Vec<f64>,
    prompt: Option<u64>,
    completion: Option<u64>,
    total: Option<u64>,
}

#[derive(Default)]
struct ModelAcc {
    sessions: u64,
    successes: u64,
    cost: Option<f64>,
    cost_n: u64,
}

/// Sums in the order given, `None` over nothing: the same additions as [`sum_known`].
fn add(acc: &mut Option<f64>, c: f64) {
    *acc = Some(acc.unwrap_or(0.0) + c);
}

fn add_u(acc: &mut Option<u64>, v: Option<u64>) {
    *acc = sum_known_u64([*acc, v]);
}

pub fn compute(view: &View) -> Costs {
    let p = view.params;
    // an absent model is `unknown`, one with a model literally named so (equal keys ⇔ equal names)
    let unknown = view.data.store.strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let model_key = |m: Sym| if m.is_none() { unknown } else { m };
    let model_name = |m: Sym| if m.is_none() { UNKNOWN } else { view.str(m) };

    let mut cells: Vec<Cell> = Vec::new();
    let mut cell_of: FastMap<(i64, Sym), usize> = FastMap::default();
    let mut per_model: FastMap<Sym, ModelAcc> = FastMap::default();
    // the view's known costs, for the runaway percentile; a view of every session reads it from
    // those sorted once per load instead
    let whole = view.sessions.len() == view.data.sessions.len();
    let mut costs: Vec<f64> = Vec::new();
    let mut without_time = 0u64;
    for s in view.sessions() {
        let model = model_key(s.model);
        let u = &s.usage;
        match s.start_ms {
            Some(t) => {
                let day = day_of(t, p.utc_offset_minutes);
                let i = *cell_of.entry((day, model)).or_insert_with(|| {
                    cells.push(Cell { day, model, sessions: 0, costs: Vec::new(), prompt: None, completion: None, total: None });
                    cells.len() - 1
                });
                let c = &mut cells[i];
                c.sessions += 1;
                c.costs.extend(u.cost_usd);
                add_u(&mut c.prompt, u.prompt_tokens);
                add_u(&mut c.completion, u.completion_tokens);
                add_u(&mut c.total, u.total_tokens);
            }
            None => without_time += 1,
        }
        // per model: every session of the view, with or without a start time (cost per success
        // does not depend on days)
        let m = per_model.entry(model).or_default();
        m.sessions += 1;
        m.successes += (s.success == Some(true)) as u64;
        if let Some(c) = u.cost_usd {
            add(&mut m.cost, c);
            m.cost_n += 1;
            if !whole {
                costs.push(c);
            }
        }
    }
    cells.sort_unstable_by(|a, b| a.day.cmp(&b.day).then_with(|| model_name(a.model).cmp(model_name(b.model))));

    let mut rows: Vec<DayModel> = Vec::with_capacity(cells.len());
    let mut day_totals: Vec<DayTotal> = Vec::new();
    // the day being totalled: (day, cost, tokens, sessions)
    let mut day: Option<(i64, Option<f64>, Option<u64>, u64)> = None;
    for c in &cells {
        let mut cost = None;
        for &x in &c.costs {
            add(&mut cost, x);
        }
        rows.push(DayModel {
            day: format_day(c.day),
            model: model_name(c.model).to_string(),
            sessions: c.sessions,
            cost_usd: cost,
            cost_n: c.costs.len() as u64,
            prompt_tokens: c.prompt,
            completion_tokens: c.completion,
            total_tokens: c.total,
        });
        if day.is_some_and(|d| d.0 != c.day) {
            if let Some((d, cost, tokens, n)) = day.take() {
                day_totals.push(DayTotal { day: format_day(d), cost_usd: cost, total_tokens: tokens, sessions: n });
            }
        }
        let d = day.get_or_insert((c.day, None, None, 0));
        for &x in &c.costs {
            add(&mut d.1, x);
        }
        add_u(&mut d.2, c.total);
        d.3 += c.sessions;
    }
    if let Some((d, cost, tokens, n)) = day {
        day_totals.push(DayTotal { day: format_day(d), cost_usd: cost, total_tokens: tokens, sessions: n });
    }

    let mut per_model: Vec<(Sym, ModelAcc)> = per_model.into_iter().collect();
    per_model.sort_unstable_by(|a, b| model_name(a.0).cmp(model_name(b.0)));
    let per_model = per_model
        .into_iter()
        .map(|(model, m)| ModelCost {
            model: model_name(model).to_string(),
            sessions: m.sessions,
            successes: m.successes,
            cost_usd: m.cost,
            cost_n: m.cost_n,
            cost_per_success: m.cost.filter(|_| m.successes > 0).map(|c| c / m.successes as f64),
        })
        .collect();

    // runaway: strictly above the percentile of all known session costs of the view AND strictly
    // above the minimum
    let threshold = if whole { percentile_sorted(&view.data.derived.sorted_costs, p.runaway_percentile) } else { percentile_in_place(&mut costs, p.runaway_percentile) };
    let mut runaway: Vec<Runaway> = match threshold {
        Some(th) => view
            .sessions
            .iter()
            .filter(|&&si| view.data.derived.facts[si as usize].cost_usd.is_some_and(|c| c > th && c > p.runaway_min_usd))
            .map(|&si| &view.data.sessions[si as usize])
            .filter_map(|s| s.usage.cost_usd.map(|c| (s, c)))
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
