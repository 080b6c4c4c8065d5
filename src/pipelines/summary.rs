//! `summary`: the headline counts, after de-duplication and filtering (spec §3 `summary`).

use super::stats::{iso, rate, sum_known, sum_known_u64};
use super::View;
use crate::model::records::Detail;
use serde::Serialize;
use std::collections::BTreeSet;

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
    pub total_cost_usd: Option<f64>,
    pub total_tokens: Option<u64>,
    pub error_events: u64,
}

pub fn compute(view: &View) -> Summary {
    let store = &view.data.store;
    let sessions: Vec<_> = view.sessions().collect();
    let tasks: BTreeSet<&str> = sessions.iter().map(|s| view.task_key(s)).collect();
    let known_success: Vec<bool> = sessions.iter().filter_map(|s| s.success).collect();
    let known_first: Vec<bool> = sessions.iter().filter_map(|s| s.first_shot_success).collect();
    let times = view
        .events
        .iter()
        .map(|&i| store.events[i as usize].ts_ms)
        .chain(view.metrics_rows.iter().map(|&i| store.metrics[i as usize].ts_ms))
        .chain(view.alerts.iter().map(|&i| store.alerts[i as usize].ts_ms))
        .flatten();
    let (first, last) = times.fold((None, None), |(lo, hi): (Option<i64>, Option<i64>), t| (Some(lo.map_or(t, |l| l.min(t))), Some(hi.map_or(t, |h| h.max(t)))));
    let superseded = view.data.superseded.iter().filter(|s| view.data.session_of_attempt.get(&s.attempt).is_some_and(|&i| view.session_in_view(i))).count();
    Summary {
        files: store.sources.len() as u64,
        lines: store.sources.iter().map(|s| s.lines).sum(),
        events: view.events.len() as u64,
        metrics_rows: view.metrics_rows.len() as u64,
        alerts: view.alerts.len() as u64,
        sessions: sessions.len() as u64,
        tasks: tasks.len() as u64,
        duplicate_lines: store.diagnostics.duplicate_lines,
        superseded_rows: superseded as u64,
        skipped_lines: store.diagnostics.n_skipped,
        field_warnings: store.diagnostics.field_warnings.values().sum(),
        first_timestamp: iso(first),
        last_timestamp: iso(last),
        success_rate: rate(known_success.iter().filter(|&&b| b).count() as u64, known_success.len() as u64),
        success_n: known_success.len() as u64,
        first_shot_rate: rate(known_first.iter().filter(|&&b| b).count() as u64, known_first.len() as u64),
        first_shot_n: known_first.len() as u64,
        total_cost_usd: sum_known(sessions.iter().map(|s| s.usage.cost_usd)),
        total_tokens: sum_known_u64(sessions.iter().map(|s| s.usage.total_tokens)),
        error_events: view.events.iter().filter(|&&i| matches!(store.events[i as usize].detail, Detail::Error { .. })).count() as u64,
    }
}
