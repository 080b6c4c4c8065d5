//! `executors` — executor comparison, bosun's CLI parity (analytics-spec.md §3).
//!
//! One row per executor (upper case; sessions without one under `unknown`), by sessions
//! descending, ties by executor ascending.

use super::stats::{rate, SessionTotals};
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
    /// the estimated cost of its sessions that record none (left out of the cost figures, or
    /// included when the parameters include estimates); null when none is estimated
    pub estimated_cost_usd: Option<f64>,
    pub estimated_n: u64,
    /// mean total tokens over sessions with known tokens
    pub avg_tokens: Option<f64>,
    pub tokens_n: u64,
    /// errors per session
    pub avg_errors: Option<f64>,
}

pub fn compute(view: &View) -> Executors {
    // an empty executor groups under `unknown` (an executor literally named so is `UNKNOWN`, upper case)
    let mut groups: FastMap<Sym, SessionTotals> = FastMap::default();
    // (day, executor) → (sessions, successes, sessions with known success); an empty executor is
    // keyed as one literally named `unknown`, so equal keys have equal names
    let unknown = view.data.store.strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let mut days: FastMap<(i64, Sym), (u64, u64, u64)> = FastMap::default();
    for (si, s) in view.indexed_facts() {
        if let Some(start) = s.start_ms {
            let key = (
                day_of(start, view.params.utc_offset_minutes),
                if s.executor.is_none() { unknown } else { s.executor },
            );
            let d = days.entry(key).or_default();
            d.0 += 1;
            if let Some(ok) = s.success {
                d.1 += ok as u64;
                d.2 += 1;
            }
        }
        groups.entry(s.executor).or_default().add(view, si, s);
    }
    let mut rows: Vec<ExecutorRow> = groups
        .into_iter()
        .map(|(k, a)| ExecutorRow {
            key: if k.is_none() { UNKNOWN.to_string() } else { view.str(k).to_string() },
            sessions: a.sessions,
            success_rate: a.success_rate(),
            success_n: a.success_n,
            first_shot_rate: a.first_shot_rate(),
            first_shot_n: a.first_shot_n,
            avg_duration_ms: a.avg_duration_ms(),
            duration_n: a.duration_n,
            avg_cost_usd: a.avg_cost_usd(),
            cost_n: a.cost.n,
            total_cost_usd: a.cost_usd(),
            estimated_cost_usd: a.estimated.usd(),
            estimated_n: a.estimated.n,
            avg_tokens: a.avg_tokens(),
            tokens_n: a.tokens_n,
            avg_errors: a.avg_errors(),
        })
        .collect();
    crate::model::sort::by(&mut rows, |a, b| b.sessions.cmp(&a.sessions).then_with(|| a.key.cmp(&b.key)));
    let name = |e: Sym| if e.is_none() { UNKNOWN } else { view.str(e) };
    let mut days: Vec<_> = days.into_iter().collect();
    days.sort_unstable_by(|a, b| a.0 .0.cmp(&b.0 .0).then_with(|| name(a.0 .1).cmp(name(b.0 .1))));
    let by_day = days
        .into_iter()
        .map(|((day, executor), (sessions, succ, n))| DayRow {
            day: format_day(day),
            executor: name(executor).to_string(),
            sessions,
            success_rate: rate(succ, n),
            success_n: n,
        })
        .collect();
    Executors { rows, by_day }
}
