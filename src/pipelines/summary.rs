//! `summary`: the headline counts, after de-duplication and filtering (spec §3 `summary`).

use super::stats::{iso, rate, sum_known_u64};
use super::View;
use crate::model::money::MoneySum;
use crate::model::records::{Detail, Sym, Tokens};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// input sources (files, and entries of archives)
    pub files: u64,
    /// lines read, blank and skipped ones included (not filtered: lines have no session)
    pub lines: u64,
    pub events: u64,
    pub metrics_rows: u64,
    pub alerts: u64,
    pub sessions: u64,
    pub tasks: u64,
    pub duplicate_lines: u64,
    pub superseded_rows: u64,
    pub skipped_lines: u64,
    pub field_warnings: u64,
    pub first_timestamp: Option<String>,
    pub last_timestamp: Option<String>,
    pub success_rate: Option<f64>,
    pub success_n: u64,
    pub first_shot_rate: Option<f64>,
    pub first_shot_n: u64,
    /// the cost the figures count: recorded (and estimated when the parameters include it)
    pub total_cost_usd: Option<f64>,
    /// sessions whose cost is counted in it
    pub cost_n: u64,
    /// the estimated cost of sessions that record none (left out of `total_cost_usd`, or
    /// included in it when the parameters include estimates); null when none is estimated
    pub estimated_cost_usd: Option<f64>,
    pub estimated_cost_n: u64,
    pub total_tokens: Option<u64>,
    /// the tokens by price (revision 2): each a sum over the sessions that record it
    pub input_tokens: Option<u64>,
    pub cached_input_tokens: Option<u64>,
    pub cache_read_tokens: Option<u64>,
    pub cache_creation_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub error_events: u64,
}

pub fn compute(view: &View) -> Summary {
    let data = view.data;
    let store = &data.store;
    let no_task = store.strings.lookup(super::NO_TASK).unwrap_or(Sym::NONE);
    // distinct task keys, a no task_id and a literal `(no task)` being one
    let mut task_seen = vec![false; store.strings.len()];
    let (mut tasks, mut sessions) = (0u64, 0u64);
    let (mut succ, mut succ_n, mut first_ok, mut first_n) = (0u64, 0u64, 0u64, 0u64);
    let (mut cost, mut estimated, mut tokens) = (MoneySum::default(), MoneySum::default(), None);
    let mut breakdown = Tokens::default();
    let (mut lo, mut hi): (Option<i64>, Option<i64>) = (None, None);
    let mut widen = |t: Option<i64>| {
        if let Some(t) = t {
            lo = Some(lo.map_or(t, |l| l.min(t)));
            hi = Some(hi.map_or(t, |h| h.max(t)));
        }
    };
    let (mut events, mut error_events) = (0u64, 0u64);
    for &si in &view.sessions {
        let s = &data.derived.facts[si as usize];
        breakdown.add(&data.sessions[si as usize].tokens);
        let g = &data.derived.digests[si as usize];
        sessions += 1;
        let key = if s.task_id == no_task { Sym::NONE } else { s.task_id };
        if let Some(seen) = task_seen.get_mut(key.0 as usize) {
            tasks += !*seen as u64;
            *seen = true;
        }
        if let Some(ok) = s.success {
            succ_n += 1;
            succ += ok as u64;
        }
        if let Some(ok) = s.first_shot_success {
            first_n += 1;
            first_ok += ok as u64;
        }
        cost.add(view.cost(si));
        estimated.add(view.estimated(si));
        tokens = sum_known_u64([tokens, s.total_tokens]);
        // the span of its events and metrics rows, precomputed per session
        widen(g.first_ms);
        widen(g.last_ms);
        events += s.events as u64;
        error_events += g.error_events as u64;
    }
    for &i in &view.loose_events {
        let e = &store.events[i as usize];
        widen(e.ts_ms());
        events += 1;
        error_events += matches!(e.detail, Detail::Error { .. }) as u64;
    }
    for &i in &view.alerts {
        widen(store.alerts[i as usize].ts_ms);
    }
    let superseded = data
        .superseded
        .iter()
        .filter(|s| data.session_of_attempt.get(&s.attempt).is_some_and(|&i| view.session_in_view(i)))
        .count();
    Summary {
        files: store.sources.len() as u64,
        lines: super::stats::sum_sat(store.sources.iter().map(|s| s.lines)),
        events,
        metrics_rows: view.metrics_rows.len() as u64,
        alerts: view.alerts.len() as u64,
        sessions,
        tasks,
        duplicate_lines: store.diagnostics.duplicate_lines,
        superseded_rows: superseded as u64,
        skipped_lines: store.diagnostics.n_skipped,
        field_warnings: super::stats::sum_sat(store.diagnostics.field_warnings.values().copied()),
        first_timestamp: iso(lo),
        last_timestamp: iso(hi),
        success_rate: rate(succ, succ_n),
        success_n: succ_n,
        first_shot_rate: rate(first_ok, first_n),
        first_shot_n: first_n,
        total_cost_usd: cost.usd(),
        cost_n: cost.n,
        estimated_cost_usd: estimated.usd(),
        estimated_cost_n: estimated.n,
        total_tokens: tokens,
        input_tokens: breakdown.input,
        cached_input_tokens: breakdown.cached_input,
        cache_read_tokens: breakdown.cache_read,
        cache_creation_tokens: breakdown.cache_creation,
        output_tokens: breakdown.output,
        error_events,
    }
}
