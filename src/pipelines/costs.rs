//! `costs` — cost and tokens over time (analytics-spec.md §3). A session's cost and tokens count
//! on the day (in the time zone in force) of its start.

use super::stats::{iso, percentile_in_place, percentile_sorted, sum_known_u64};
use super::{CostSource, View, UNKNOWN};
use crate::model::money::{usd, MoneySum};
use crate::model::records::Tokens;
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
    /// the estimated cost of its sessions that record none (left out of `cost_usd`, or included
    /// when the parameters include estimates); null when none is estimated
    pub estimated_cost_usd: Option<f64>,
    pub estimated_n: u64,
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
    pub estimated_cost_usd: Option<f64>,
    pub estimated_n: u64,
    /// total known cost / successful sessions; null without a success or without a known cost
    pub cost_per_success: Option<f64>,
    /// its sessions' tokens by price (revision 2), each summed over the sessions that record it
    pub input_tokens: Option<u64>,
    pub cached_input_tokens: Option<u64>,
    pub cache_read_tokens: Option<u64>,
    pub cache_creation_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Runaway {
    pub attempt_id: String,
    pub task_id: Option<String>,
    pub model: String,
    pub cost_usd: f64,
    /// `recorded` or `estimated` (estimates count only when the parameters include them)
    pub cost_source: CostSource,
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

/// A (day, model) cell: its sessions' known costs (summed exactly), and token sums.
struct Cell {
    day: i64,
    model: Sym,
    sessions: u64,
    cost: MoneySum,
    estimated: MoneySum,
    prompt: Option<u64>,
    completion: Option<u64>,
    total: Option<u64>,
}

#[derive(Default)]
struct ModelAcc {
    sessions: u64,
    successes: u64,
    cost: MoneySum,
    estimated: MoneySum,
    tokens: Tokens,
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
    // (estimates are not in that list: with them included the view's costs are sorted here)
    let whole = view.sessions.len() == view.data.sessions.len() && !p.include_estimated_cost;
    let mut costs: Vec<f64> = Vec::new();
    let mut without_time = 0u64;
    for &si in &view.sessions {
        let s = &view.data.sessions[si as usize];
        let model = model_key(s.model);
        let u = &s.usage;
        let (cost, estimated) = (view.cost(si), view.estimated(si));
        match s.start_ms {
            Some(t) => {
                let day = day_of(t, p.utc_offset_minutes);
                let i = *cell_of.entry((day, model)).or_insert_with(|| {
                    cells.push(Cell {
                        day,
                        model,
                        sessions: 0,
                        cost: MoneySum::default(),
                        estimated: MoneySum::default(),
                        prompt: None,
                        completion: None,
                        total: None,
                    });
                    cells.len() - 1
                });
                let c = &mut cells[i];
                c.sessions += 1;
                c.cost.add(cost);
                c.estimated.add(estimated);
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
        m.cost.add(cost);
        m.estimated.add(estimated);
        m.tokens.add(&s.tokens);
        if let (Some(c), false) = (cost, whole) {
            costs.push(usd(c as i128));
        }
    }
    cells.sort_unstable_by(|a, b| a.day.cmp(&b.day).then_with(|| model_name(a.model).cmp(model_name(b.model))));

    let mut rows: Vec<DayModel> = Vec::with_capacity(cells.len());
    let mut day_totals: Vec<DayTotal> = Vec::new();
    // the day being totalled: (day, cost, tokens, sessions)
    let mut day: Option<(i64, MoneySum, Option<u64>, u64)> = None;
    for c in &cells {
        rows.push(DayModel {
            day: format_day(c.day),
            model: model_name(c.model).to_string(),
            sessions: c.sessions,
            cost_usd: c.cost.usd(),
            cost_n: c.cost.n,
            estimated_cost_usd: c.estimated.usd(),
            estimated_n: c.estimated.n,
            prompt_tokens: c.prompt,
            completion_tokens: c.completion,
            total_tokens: c.total,
        });
        if day.is_some_and(|d| d.0 != c.day) {
            if let Some((d, cost, tokens, n)) = day.take() {
                day_totals.push(DayTotal {
                    day: format_day(d),
                    cost_usd: cost.usd(),
                    total_tokens: tokens,
                    sessions: n,
                });
            }
        }
        let d = day.get_or_insert((c.day, MoneySum::default(), None, 0));
        d.1.merge(&c.cost);
        add_u(&mut d.2, c.total);
        d.3 += c.sessions;
    }
    if let Some((d, cost, tokens, n)) = day {
        day_totals.push(DayTotal { day: format_day(d), cost_usd: cost.usd(), total_tokens: tokens, sessions: n });
    }

    let mut per_model: Vec<(Sym, ModelAcc)> = per_model.into_iter().collect();
    per_model.sort_unstable_by(|a, b| model_name(a.0).cmp(model_name(b.0)));
    let per_model = per_model
        .into_iter()
        .map(|(model, m)| ModelCost {
            model: model_name(model).to_string(),
            sessions: m.sessions,
            successes: m.successes,
            cost_usd: m.cost.usd(),
            cost_n: m.cost.n,
            estimated_cost_usd: m.estimated.usd(),
            estimated_n: m.estimated.n,
            cost_per_success: m.cost.per(m.successes),
            input_tokens: m.tokens.input,
            cached_input_tokens: m.tokens.cached_input,
            cache_read_tokens: m.tokens.cache_read,
            cache_creation_tokens: m.tokens.cache_creation,
            output_tokens: m.tokens.output,
        })
        .collect();

    // runaway: strictly above the percentile of all known session costs of the view AND strictly
    // above the minimum
    let threshold = if whole {
        percentile_sorted(&view.data.derived.sorted_costs, p.runaway_percentile)
    } else {
        percentile_in_place(&mut costs, p.runaway_percentile)
    };
    let mut runaway: Vec<Runaway> = match threshold {
        Some(th) => view
            .sessions
            .iter()
            .filter_map(|&si| view.cost(si).map(|c| (si, usd(c as i128))))
            .filter(|&(_, c)| c > th && c > p.runaway_min_usd)
            .map(|(si, c)| {
                let s = &view.data.sessions[si as usize];
                Runaway {
                    attempt_id: view.str(s.attempt).to_string(),
                    task_id: s.task_id.get().map(|t| view.str(t).to_string()),
                    model: model_name(s.model).to_string(),
                    cost_usd: c,
                    cost_source: view.cost_source(si),
                    start: iso(s.start_ms),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    crate::model::sort::by(&mut runaway, |a, b| {
        b.cost_usd.total_cmp(&a.cost_usd).then_with(|| a.attempt_id.cmp(&b.attempt_id))
    });

    // budget: a day is over when its total known cost is strictly above the budget
    let budget = p.daily_budget_usd.map(|b| Budget {
        daily_budget_usd: b,
        days_over: day_totals
            .iter()
            .filter_map(|d| d.cost_usd.filter(|&c| c > b).map(|c| DayOver { day: d.day.clone(), cost_usd: c }))
            .collect(),
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
