//! `tools` — tool and command reliability (analytics-spec.md §3).

use super::stats::{percentile_in_place, percentile_sorted, rate, sum_known_u64};
use super::{View, UNKNOWN};
use crate::model::records::{Detail, Sym, COMMAND_LINT, COMMAND_TEST};
use serde::Serialize;

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
    let data = view.data;
    let store = &data.store;
    let derived = &data.derived;
    let unknown = store.strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let norm = |t: Sym| if t.is_none() { unknown } else { t };
    // one accumulator per tool, by the tool index of the dataset
    let mut acc: Vec<Acc> = derived.tools.iter().map(|_| Acc::default()).collect();
    let (mut test_runs, mut lint_runs) = (0u64, 0u64);
    // Per session, its tool digest (made once per load): counts, and the latencies of its
    // call → result pairs. Within a session (events in time order) each tool_result is paired
    // with the oldest unanswered tool_call of the same tool (FIFO); one without a tool name with
    // the oldest unanswered call of any tool, and counts for that call's tool (`unknown` when no
    // call is left); a pair where either side has no timestamp is consumed but gives no latency.
    // a view of every session takes its latencies' percentiles from those made once per load
    let whole = view.sessions.len() == data.sessions.len();
    for &si in &view.sessions {
        let g = &derived.digests[si as usize];
        test_runs += g.test_runs as u64;
        lint_runs += g.lint_runs as u64;
        for t in derived.session_tools(si) {
            if let Some(a) = acc.get_mut(t.tool as usize) {
                a.calls += t.calls as u64;
                a.results += t.results as u64;
                a.failures += t.failures as u64;
                a.known += t.known as u64;
                if !whole {
                    a.latencies.extend_from_slice(derived.latencies(t));
                }
            }
        }
    }
    // events without attempt_id count, but are never paired
    for &i in &view.loose_events {
        match store.events[i as usize].detail {
            Detail::ToolCall { tool, command_class, .. } => {
                if let Some(a) = derived.tool_index.get(&norm(tool)).and_then(|&t| acc.get_mut(t as usize)) {
                    a.calls += 1;
                }
                test_runs += (command_class & COMMAND_TEST != 0) as u64;
                lint_runs += (command_class & COMMAND_LINT != 0) as u64;
            }
            Detail::ToolResult { tool, failed } => {
                if let Some(a) = derived.tool_index.get(&norm(tool)).and_then(|&t| acc.get_mut(t as usize)) {
                    a.results += 1;
                    if let Some(f) = failed {
                        a.known += 1;
                        a.failures += f as u64;
                    }
                }
            }
            _ => {}
        }
    }
    let name = |t: Sym| if t.is_none() { UNKNOWN } else { view.str(t) };
    let mut rows: Vec<ToolRow> = acc
        .into_iter()
        .zip(derived.tools.iter().zip(&derived.tool_latencies))
        .filter(|(a, _)| a.calls > 0 || a.results > 0)
        .map(|(mut a, (&t, all))| {
            let (latency_n, p50, p95) = match Some(all).filter(|_| whole) {
                Some((n, sorted)) => (*n, percentile_sorted(sorted, 0.5), percentile_sorted(sorted, 0.95)),
                None => (
                    a.latencies.len() as u64,
                    percentile_in_place(&mut a.latencies, 0.5),
                    percentile_in_place(&mut a.latencies, 0.95),
                ),
            };
            ToolRow {
                latency_n,
                tool_name: name(t).to_string(),
                calls: a.calls,
                results: a.results,
                failures: a.failures,
                failure_rate: rate(a.failures, a.known),
                failure_n: a.known,
                latency_p50_ms: p50,
                latency_p95_ms: p95,
            }
        })
        .collect();
    crate::model::sort::by(&mut rows, |a, b| b.calls.cmp(&a.calls).then_with(|| a.tool_name.cmp(&b.tool_name)));
    // the command counts in one pass over the sessions
    let (mut commands, mut command_failures, mut commands_n) = (None, None, 0u64);
    for s in view.sessions() {
        commands = sum_known_u64([commands, s.commands]);
        command_failures = sum_known_u64([command_failures, s.command_failures]);
        commands_n += s.commands.is_some() as u64;
    }
    Tools { rows, commands: Commands { commands, command_failures, commands_n, test_runs, lint_runs } }
}
