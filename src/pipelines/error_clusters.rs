//! `error_clusters` — error clustering, bosun's CLI parity (analytics-spec.md §3): the error
//! events of the view grouped by error_fingerprint.

use super::stats::iso;
use super::{View, UNCATEGORIZED, UNKNOWN};
use crate::model::records::{Detail, Sym};
use crate::model::sessions::NO_SESSION;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorClusters {
    /// one row per fingerprint, by count desc then fingerprint
    pub rows: Vec<ClusterRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterRow {
    pub fingerprint: String,
    pub count: u64,
    /// distinct task keys (`(no task)` counts as one task)
    pub tasks: u64,
    /// distinct attempt ids; events without attempt_id do not count
    pub attempts: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// distinct categories, sorted (absent → `uncategorized`)
    pub categories: Vec<String>,
    pub sample_message: Option<String>,
}

#[derive(Default)]
struct Acc {
    count: u64,
    tasks: HashSet<Sym>,
    attempts: HashSet<Sym>,
    first: Option<i64>,
    last: Option<i64>,
    categories: HashSet<Sym>,
    /// (timestamp or None, message) of the earliest event carrying a message
    sample: Option<(Option<i64>, Sym)>,
}

pub fn compute(view: &View) -> ErrorClusters {
    let store = &view.data.store;
    // an absent fingerprint is `unknown`, merged with a literal "unknown"
    let unknown = store.strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let mut acc: HashMap<Sym, Acc> = HashMap::new();
    for &i in &view.events {
        let e = &store.events[i as usize];
        let Detail::Error { category, fingerprint, message } = e.detail else { continue };
        let fp = if fingerprint.is_none() { unknown } else { fingerprint };
        let a = acc.entry(fp).or_default();
        a.count += 1;
        let ctx = store.context(e.ctx);
        // the task key: the session's task (as everywhere else), else the event's own task id;
        // Sym::NONE stands for `(no task)`
        let task = match view.data.event_session[i as usize] {
            NO_SESSION => ctx.task_id,
            s => view.data.sessions[s as usize].task_id,
        };
        a.tasks.insert(task);
        if ctx.attempt.is_some() {
            a.attempts.insert(ctx.attempt);
        }
        if let Some(t) = e.ts_ms {
            a.first = Some(a.first.map_or(t, |f| f.min(t)));
            a.last = Some(a.last.map_or(t, |l| l.max(t)));
        }
        a.categories.insert(category);
        // Sample message: the earliest event (by timestamp; events without one come after all
        // timestamped ones; ties keep read order) that carries a message — an event without a
        // message is passed over rather than giving a null sample.
        if message.is_some() {
            let earlier = match a.sample {
                None => true,
                Some((None, _)) => e.ts_ms.is_some(),
                Some((Some(s), _)) => e.ts_ms.is_some_and(|t| t < s),
            };
            if earlier {
                a.sample = Some((e.ts_ms, message));
            }
        }
    }
    let mut rows: Vec<ClusterRow> = acc
        .into_iter()
        .map(|(fp, a)| {
            let categories: BTreeSet<&str> = a.categories.iter().map(|&c| if c.is_none() { UNCATEGORIZED } else { view.str(c) }).collect();
            ClusterRow {
                fingerprint: if fp.is_none() { UNKNOWN.to_string() } else { view.str(fp).to_string() },
                count: a.count,
                tasks: a.tasks.len() as u64,
                attempts: a.attempts.len() as u64,
                first_seen: iso(a.first),
                last_seen: iso(a.last),
                categories: categories.into_iter().map(str::to_string).collect(),
                sample_message: a.sample.map(|(_, m)| view.str(m).to_string()),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.fingerprint.cmp(&b.fingerprint)));
    ErrorClusters { rows }
}
