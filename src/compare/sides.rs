//! One side of a comparison: what its sessions give each figure, read once from a
//! [`View`] (a dataset seen through that side's filters, under the shared parameters).
//!
//! Every figure here is per session, over the sessions of the view (events without an
//! attempt_id belong to no session and take no part); a fact unknown for a session leaves that
//! session out of the figure's n, as in the report (spec §2).

use crate::dataset::sessions::NO_SESSION;
use crate::model::money;
use crate::model::names::UNKNOWN;
use crate::pipelines::View;
use std::collections::BTreeMap;

/// Counts of a proportion: hits of n.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub hits: u64,
    pub n: u64,
}

impl Count {
    fn add(&mut self, hit: Option<bool>) {
        if let Some(h) = hit {
            self.n += 1;
            self.hits += h as u64;
        }
    }
}

/// One session's cost (as the view counts it: recorded, estimated when the parameters include
/// estimates) and outcome: what cost per success is resampled from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostOutcome {
    pub cost_usd: Option<f64>,
    pub success: Option<bool>,
}

/// What one side's sessions give every figure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SideFacts {
    pub sessions: u64,
    pub success: Count,
    pub first_shot: Count,
    /// sessions with at least one recorded alert (`agent-alerts.jsonl`), of all sessions
    pub alerted: Count,
    /// per tool name: failed results of the results that report an outcome (the report's
    /// `tools.failure_rate`)
    pub tool_failures: BTreeMap<String, Count>,
    /// per canonical error category: sessions with it (n is every session)
    pub categories: BTreeMap<String, u64>,
    /// per session with the fact known, in session order
    pub costs_usd: Vec<f64>,
    pub tokens: Vec<f64>,
    pub errors: Vec<f64>,
    pub durations_ms: Vec<f64>,
    /// every session's cost and outcome
    pub cost_outcomes: Vec<CostOutcome>,
}

impl SideFacts {
    pub fn of(view: &View) -> SideFacts {
        let data = view.data;
        let derived = &data.derived;
        let mut out = SideFacts::default();
        // sessions with a recorded alert: an alert names its session by attempt_id
        let mut alerted = vec![false; data.sessions.len()];
        for &ai in &view.alerts {
            match derived.alert_session.get(ai as usize) {
                Some(&s) if s != NO_SESSION => {
                    if let Some(a) = alerted.get_mut(s as usize) {
                        *a = true;
                    }
                }
                _ => {}
            }
        }
        for (si, f) in view.indexed_facts() {
            out.sessions += 1;
            out.success.add(f.success);
            out.first_shot.add(f.first_shot_success);
            out.alerted.add(Some(alerted.get(si as usize).copied().unwrap_or(false)));
            let cost = view.cost(si).map(|c| money::usd(c as i128));
            if let Some(c) = cost {
                out.costs_usd.push(c);
            }
            out.cost_outcomes.push(CostOutcome { cost_usd: cost, success: f.success });
            if let Some(t) = f.total_tokens {
                out.tokens.push(t as f64);
            }
            out.errors.push(f.errors as f64);
            if let Some(d) = f.duration_ms {
                out.durations_ms.push(d as f64);
            }
            for &(c, _) in view.categories(si) {
                *out.categories.entry(view.category_name(c).to_string()).or_default() += 1;
            }
            for t in derived.session_tools(si) {
                if t.results == 0 {
                    continue;
                }
                let name =
                    derived.tools.get(t.tool as usize).map_or(
                        UNKNOWN,
                        |&s| {
                            if s.is_none() {
                                UNKNOWN
                            } else {
                                view.str(s)
                            }
                        },
                    );
                let c = out.tool_failures.entry(name.to_string()).or_default();
                c.n += t.known as u64;
                c.hits += t.failures as u64;
            }
        }
        out
    }
}
