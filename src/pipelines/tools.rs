//! `tools` — tool and command reliability (analytics-spec.md §3).

use super::stats::{percentile, rate, sum_known_u64};
use super::{View, UNKNOWN};
use crate::model::records::{Detail, Sym, COMMAND_LINT, COMMAND_TEST};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tools {
    /// one row per tool_name, by calls desc then name
    pub rows: Vec<ToolRow>,
    pub commands: Commands,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolRow {
    pub tool_name: String,
    pub calls: u64,
    pub results: u64,
    /// tool_result events reporting failure
    pub failures: u64,
    /// failures / results with a known outcome
    pub failure_rate: Option<f64>,
    pub failure_n: u64,
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    /// number of call → result pairs with both timestamps
    pub latency_n: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Commands {
    /// sum of `metrics.commands` over the sessions that report it; null when none does
    pub commands: Option<u64>,
    pub command_failures: Option<u64>,
    /// sessions reporting `metrics.commands`
    pub commands_n: u64,
    /// tool calls whose command runs tests / a linter (a command may be both)
    pub test_runs: u64,
    pub lint_runs: u64,
}

#[derive(Default)]
struct Acc {
    calls: u64,
    results: u64,
    failures: u64,
    known: u64,
    latencies: Vec<f64>,
}

pub fn compute(view: &View) -> Tools {
    let store = &view.data.store;
    let unknown = store.strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let norm = |t: Sym| if t.is_none() { unknown } else { t };
    let mut acc: HashMap<Sym, Acc> = HashMap::new();
    let (mut test_runs, mut lint_runs) = (0u64, 0u64);
    // counts over every tool event of the view (events without attempt_id included)
    for &i in &view.events {
        match store.events[i as usize].detail {
            Detail::ToolCall { tool, command_class, .. } => {
                acc.entry(norm(tool)).or_default().calls += 1;
                if command_class & COMMAND_TEST != 0 {
                    test_runs += 1;
                }
                if command_class & COMMAND_LINT != 0 {
                    lint_runs += 1;
                }
            }
            Detail::ToolResult { tool, failed } => {
                let a = acc.entry(norm(tool)).or_default();
                a.results += 1;
                if let Some(f) = failed {
                    a.known += 1;
                    a.failures += f as u64;
                }
            }
            _ => {}
        }
    }
    // Latency: within each session of the view (events in time order), each tool_result is paired
    // with the oldest unpaired tool_call of the same tool (FIFO). A pair where either side has no
    // timestamp is consumed but gives no latency. Events without attempt_id are never paired.
    let mut pending: HashMap<Sym, VecDeque<Option<i64>>> = HashMap::new();
    for s in view.sessions() {
        for q in pending.values_mut() {
            q.clear();
        }
        for &i in &s.events {
            let e = &store.events[i as usize];
            match e.detail {
                Detail::ToolCall { tool, .. } => pending.entry(norm(tool)).or_default().push_back(e.ts_ms),
                Detail::ToolResult { tool, .. } => {
                    let tool = norm(tool);
                    if let Some(call) = pending.get_mut(&tool).and_then(|q| q.pop_front()) {
                        if let (Some(c), Some(r)) = (call, e.ts_ms) {
                            if let Some(a) = acc.get_mut(&tool) {
                                a.latencies.push((r - c) as f64);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let name = |t: Sym| if t.is_none() { UNKNOWN } else { view.str(t) };
    let mut rows: Vec<ToolRow> = acc
        .into_iter()
        .map(|(t, a)| ToolRow {
            tool_name: name(t).to_string(),
            calls: a.calls,
            results: a.results,
            failures: a.failures,
            failure_rate: rate(a.failures, a.known),
            failure_n: a.known,
            latency_p50_ms: percentile(&a.latencies, 0.5),
            latency_p95_ms: percentile(&a.latencies, 0.95),
            latency_n: a.latencies.len() as u64,
        })
        .collect();
    rows.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.tool_name.cmp(&b.tool_name)));
    let sessions: Vec<_> = view.sessions().collect();
    Tools {
        rows,
        commands: Commands {
            commands: sum_known_u64(sessions.iter().map(|s| s.commands)),
            command_failures: sum_known_u64(sessions.iter().map(|s| s.command_failures)),
            commands_n: sessions.iter().filter(|s| s.commands.is_some()).count() as u64,
            test_runs,
            lint_runs,
        },
    }
}
