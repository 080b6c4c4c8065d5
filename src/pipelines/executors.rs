//! `executors` — executor comparison, bosun's CLI parity (analytics-spec.md §3).
//!
//! One row per executor (upper case; sessions without one under `unknown`), by sessions
//! descending, ties by executor ascending.

use super::stats::{rate, sum_known, sum_known_u64};
use super::{View, UNKNOWN};
use crate::model::records::{FastMap, Sym};
use crate::model::time::{day_of, format_day};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Executors {
    pub rows: Vec<ExecutorRow>,
    /// success over time: per day (in the time zone in force, by session start) and executor,
    /// by day then executor; sessions without a start are left out
    pub by_day: Vec<DayRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayRow {
    pub day: String,
    pub executor: String,
    pub sessions: u64,
    pub success_rate: Option<f64>,
    pub success_n: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutorRow {
    /// the executor, upper case; `unknown` when sessions name none
    pub key: String,
    pub sessions: u64,
    pub success_rate: Option<f64>,
    pub success_n: u64,
    pub first_shot_rate: Option<f64>,
    pub first_shot_n: u64,
    /// mean over sessions with a known duration
    pub avg_duration_ms: Option<f64>,
    pub duration_n: u64,
    /// mean over sessions with a known cost
    pub avg_cost_usd: Option<f64>,
    pub cost_n: u64,
    /// null when no session knows its cost
    pub total_cost_usd: Option<f64>,
    /// mean total tokens over sessions with known tokens
    pub avg_tokens: Option<f64>,
    pub tokens_n: u64,
    /// errors per session
    pub avg_errors: Option<f64>,
}

#[derive(Default)]
struct Acc {
    sessions: u64,
    succ: u64,
    succ_n: u64,
    first: u64,
    first_n: u64,
    duration_sum: f64,
    duration_n: u64,
    cost: Option<f64>,
    cost_n: u64,
    tokens: Option<u64>,
    tokens_n: u64,
    errors: u64,
}

pub fn compute(view: &View) -> Executors {
    // an empty executor groups under `unknown` (an executor literally named so is `UNKNOWN`, upper case)
    let mut groups: FastMap<Sym, Acc> = FastMap::default();
    // (day, executor) → (sessions, successes, sessions with known success); an empty executor is
    // keyed as one literally named `unknown`, so equal keys have equal names
    let unknown = view.data.store.strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let mut days: FastMap<(i64, Sym), (u64, u64, u64)> = FastMap::default();
    for s in view.sessions() {
        if let Some(start) = s.start_ms {
            let key = (day_of(start, view.params.utc_offset_minutes), if s.executor.is_none() { unknown } else { s.executor });
            let d = days.entry(key).or_default();
            d.0 += 1;
            if let Some(ok) = s.success {
                d.1 += ok as u64;
                d.2 += 1;
            }
        }
        let a = groups.entry(s.executor).or_default();
        a.sessions += 1;
        if let Some(ok) = s.success {
            a.succ_n += 1;
            a.succ += ok as u64;
        }
        if let Some(ok) = s.first_shot_success {
            a.first_n += 1;
            a.first += ok as u64;
        }
        if let Some(d) = s.duration_ms {
            a.duration_sum += d as f64;
            a.duration_n += 1;
        }
        if s.usage.cost_usd.is_some() {
            a.cost = sum_known([a.cost, s.usage.cost_usd]);
            a.cost_n += 1;
        }
        if s.usage.total_tokens.is_some() {
            a.tokens = sum_known_u64([a.tokens, s.usage.total_tokens]);
            a.tokens_n += 1;
        }
        a.errors += s.errors;
    }
    let mut rows: Vec<ExecutorRow> = groups
        .into_iter()
        .map(|(k, a)| ExecutorRow {
            key: if k.is_none() { UNKNOWN.to_string() } else { view.str(k).to_string() },
            sessions: a.sessions,
            success_rate: rate(a.succ, a.succ_n),
            success_n: a.succ_n,
            first_shot_rate: rate(a.first, a.first_n),
            first_shot_n: a.first_n,
            avg_duration_ms: (a.duration_n > 0).then(|| a.duration_sum / a.duration_n as f64),
            duration_n: a.duration_n,
            avg_cost_usd: a.cost.filter(|_| a.cost_n > 0).map(|c| c / a.cost_n as f64),
            cost_n: a.cost_n,
            total_cost_usd: a.cost,
            avg_tokens: a.tokens.filter(|_| a.tokens_n > 0).map(|t| t as f64 / a.tokens_n as f64),
            tokens_n: a.tokens_n,
            avg_errors: rate(a.errors, a.sessions),
        })
        .collect();
    rows.sort_by(|a, b| b.sessions.cmp(&a.sessions).then_with(|| a.key.cmp(&b.key)));
    let name = |e: Sym| if e.is_none() { UNKNOWN } else { view.str(e) };
    let mut days: Vec<_> = days.into_iter().collect();
    days.sort_unstable_by(|a, b| a.0 .0.cmp(&b.0 .0).then_with(|| name(a.0 .1).cmp(name(b.0 .1))));
    let by_day = days.into_iter().map(|((day, executor), (sessions, succ, n))| DayRow { day: format_day(day), executor: name(executor).to_string(), sessions, success_rate: rate(succ, n), success_n: n }).collect();
    Executors { rows, by_day }
}
