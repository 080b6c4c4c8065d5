//! `guardrails` — guardrail gaps (analytics-spec.md §3).
//!
//! Among failed sessions (success == false), for each of `permission_wait`, `auth` and
//! `content_policy`: the failed sessions whose error categories include it, per executor and model
//! (`rows`) and overall (`totals`), with the error events' count and a remedy.

use super::stats::rate;
use super::{View, UNKNOWN};
use crate::model::records::{FastMap, Sym};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Guardrails {
    /// one row per (category, executor, model) with at least one failed session; by category (in the
    /// order permission_wait, auth, content_policy), failed_sessions descending, executor, model
    pub rows: Vec<GuardrailRow>,
    /// one row per category, all three always present
    pub totals: Vec<GuardrailTotal>,
    /// failed sessions in the view
    pub failed_sessions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuardrailRow {
    pub category: &'static str,
    /// upper case; `unknown` when the session has none
    pub executor: String,
    /// `unknown` when the session has none
    pub model: String,
    /// failed sessions of this executor and model whose error categories include the category
    pub failed_sessions: u64,
    /// failed_sessions / share_n
    pub share: Option<f64>,
    /// failed sessions of this executor and model
    pub share_n: u64,
    /// the category's error events in those sessions
    pub error_events: u64,
    pub remedy: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuardrailTotal {
    pub category: &'static str,
    pub failed_sessions: u64,
    /// failed_sessions / share_n; null when no session failed
    pub share: Option<f64>,
    /// all failed sessions
    pub share_n: u64,
    pub error_events: u64,
    pub remedy: &'static str,
}

/// The guarded categories in the spec's order, with their remedies.
pub const CATEGORIES: [(&str, &str); 3] = [
    ("permission_wait", "Add preflight checks before dispatch."),
    ("auth", "Update environment instructions."),
    ("content_policy", "Add prompt guardrails."),
];

#[derive(Default, Clone, Copy)]
struct Cell {
    sessions: u64,
    events: u64,
}

pub fn compute(view: &View) -> Guardrails {
    let strings = &view.data.store.strings;
    let syms: [Option<Sym>; 3] =
        [view.category_sym(CATEGORIES[0].0), view.category_sym(CATEGORIES[1].0), view.category_sym(CATEGORIES[2].0)];
    // per (executor, model): failed sessions and, per category, sessions and events
    let mut groups: FastMap<(Sym, Sym), (u64, [Cell; 3])> = FastMap::default();
    let mut totals = [Cell::default(); 3];
    let mut failed = 0u64;
    // an empty executor or model is `unknown`, merged with a model literally named so
    let unknown = strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let known = |s: Sym| if s.is_none() { unknown } else { s };
    for (si, s) in view.indexed_facts().filter(|(_, s)| s.success == Some(false)) {
        failed += 1;
        let g = groups.entry((known(s.executor), known(s.model))).or_insert((0, [Cell::default(); 3]));
        g.0 += 1;
        for (i, sym) in syms.iter().enumerate() {
            let events: u64 = sym.map_or(0, |sym| {
                super::stats::sum_sat(view.categories(si).iter().filter(|(c, _)| *c == sym).map(|&(_, n)| n))
            });
            // Choice: a session's categories "include" one when it has at least one error of it; a
            // category listed with a count of 0 (a metrics row's error_summary) does not count.
            // Revision 2: a rollup counting a denied permission request is a permission wait even
            // when no error event says so (it adds no error events).
            let denied = CATEGORIES[i].0 == "permission_wait" && s.permission_denied;
            if events > 0 || denied {
                if let (Some(cell), Some(total)) = (g.1.get_mut(i), totals.get_mut(i)) {
                    cell.sessions += 1;
                    cell.events = cell.events.saturating_add(events);
                    total.sessions += 1;
                    total.events = total.events.saturating_add(events);
                }
            }
        }
    }
    let name = |s: Sym| if s.is_none() { UNKNOWN.to_string() } else { view.str(s).to_string() };
    let mut rows = Vec::new();
    for ((executor, model), (n, cells)) in &groups {
        for (i, cell) in cells.iter().enumerate() {
            if cell.sessions == 0 {
                continue;
            }
            let Some(&(category, remedy)) = CATEGORIES.get(i) else { continue };
            rows.push((
                i,
                GuardrailRow {
                    category,
                    executor: name(*executor),
                    model: name(*model),
                    failed_sessions: cell.sessions,
                    share: rate(cell.sessions, *n),
                    share_n: *n,
                    error_events: cell.events,
                    remedy,
                },
            ));
        }
    }
    crate::model::sort::by(&mut rows, |(i, a), (j, b)| {
        i.cmp(j)
            .then_with(|| b.failed_sessions.cmp(&a.failed_sessions))
            .then_with(|| a.executor.cmp(&b.executor))
            .then_with(|| a.model.cmp(&b.model))
    });
    let totals = CATEGORIES
        .iter()
        .zip(totals.iter())
        .map(|(&(category, remedy), t)| GuardrailTotal {
            category,
            failed_sessions: t.sessions,
            share: rate(t.sessions, failed),
            share_n: failed,
            error_events: t.events,
            remedy,
        })
        .collect();
    Guardrails { rows: rows.into_iter().map(|(_, r)| r).collect(), totals, failed_sessions: failed }
}
