//! `interventions` — intervention effectiveness (analytics-spec.md §3).
//!
//! Three comparisons of success rates, each as two proportions with their 95 % Wilson intervals;
//! a difference whose intervals overlap is "not significant". Only sessions with a known success
//! count in any rate.

use super::stats::{significant, wilson, Proportion};
use super::task_risk::TaskGroups;
use super::{View, NO_TASK};
use crate::model::records::{FastMap, Sym};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Interventions {
    /// `anomaly_actions`, `auto_resume`, `next_session`, in this order
    pub rows: Vec<Comparison>,
    /// one row per anomaly action, by sessions descending, ties by action ascending
    pub actions: Vec<ActionRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub comparison: &'static str,
    /// what group `a` is
    pub a_label: &'static str,
    pub a: Proportion,
    /// what group `b` is
    pub b_label: &'static str,
    pub b: Proportion,
    /// a.rate − b.rate; null when either is null
    pub difference: Option<f64>,
    /// true when the intervals do not overlap; null when either side has n = 0
    pub significant: Option<bool>,
    /// `significant`, `not significant`, or `insufficient data` when `significant` is null
    pub label: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRow {
    pub action: String,
    /// sessions whose anomaly_actions include it (counted once per session), known success or not
    pub sessions: u64,
    /// success among those of them with a known success
    pub success: Proportion,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    hits: u64,
    n: u64,
}
impl Tally {
    fn add(&mut self, success: Option<bool>) {
        if let Some(ok) = success {
            self.n += 1;
            self.hits += ok as u64;
        }
    }
}

fn comparison(name: &'static str, a_label: &'static str, a: Tally, b_label: &'static str, b: Tally) -> Comparison {
    let (a, b) = (wilson(a.hits, a.n), wilson(b.hits, b.n));
    let sig = significant(&a, &b);
    Comparison {
        comparison: name,
        a_label,
        a,
        b_label,
        b,
        difference: match (a.rate, b.rate) {
            (Some(x), Some(y)) => Some(x - y),
            _ => None,
        },
        significant: sig,
        // Choice: with one side empty there is no interval to compare: "insufficient data".
        label: match sig {
            Some(true) => "significant",
            Some(false) => "not significant",
            None => "insufficient data",
        },
    }
}

pub fn compute(view: &View) -> Interventions {
    let (mut with_actions, mut without_actions) = (Tally::default(), Tally::default());
    let (mut resumed, mut not_resumed) = (Tally::default(), Tally::default());
    let mut per_action: FastMap<Sym, (u64, Tally)> = FastMap::default();
    let mut seen: Vec<Sym> = Vec::new();
    let data = view.data;
    for &si in &view.sessions {
        let s = &data.derived.facts[si as usize];
        if !s.anomaly {
            without_actions.add(s.success);
        } else {
            with_actions.add(s.success);
            seen.clear();
            for &a in data.derived.anomaly_actions(si) {
                if a.is_some() && !seen.contains(&a) {
                    seen.push(a);
                    let e = per_action.entry(a).or_default();
                    e.0 += 1;
                    e.1.add(s.success);
                }
            }
        }
        // sessions with an unknown auto_resume are in neither group
        match s.auto_resume {
            Some(true) => resumed.add(s.success),
            Some(false) => not_resumed.add(s.success),
            None => {}
        }
    }
    let (mut after_action, mut after_failure) = (Tally::default(), Tally::default());
    // Choice: sessions of a task in start order, equal starts by attempt id; the next session is
    // the following one in that order. "The same task" needs a task_id (`(no task)` is not one
    // task here), and only sessions with a known start time can be ordered: the others are left out.
    for (task, indices) in TaskGroups::new(view).iter() {
        if task.is_none() || view.str(task) == NO_TASK {
            continue;
        }
        let timed = indices.iter().map(|&i| &data.derived.facts[i as usize]).take_while(|s| s.start_ms.is_some());
        for (prev, next) in timed.clone().zip(timed.skip(1)) {
            if prev.anomaly {
                after_action.add(next.success);
            } else if prev.success == Some(false) {
                after_failure.add(next.success);
            }
        }
    }
    let rows = vec![
        comparison("anomaly_actions", "with anomaly actions", with_actions, "without anomaly actions", without_actions),
        comparison("auto_resume", "auto_resume true", resumed, "auto_resume false", not_resumed),
        comparison(
            "next_session",
            "next session after a session with anomaly actions",
            after_action,
            "next session after a failed session without anomaly actions",
            after_failure,
        ),
    ];
    let mut actions: Vec<ActionRow> = per_action
        .into_iter()
        .map(|(a, (sessions, t))| ActionRow { action: view.str(a).to_string(), sessions, success: wilson(t.hits, t.n) })
        .collect();
    crate::model::sort::by(&mut actions, |a, b| b.sessions.cmp(&a.sessions).then_with(|| a.action.cmp(&b.action)));
    Interventions { rows, actions }
}
