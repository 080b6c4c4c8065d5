//! `error_clusters` — error clustering, bosun's CLI parity (analytics-spec.md §3): the error
//! events of the view grouped by error_fingerprint.

use super::stats::iso;
use super::{View, UNCATEGORIZED, UNKNOWN};
use crate::model::records::{FastMap, FastSet, Sym};
use serde::Serialize;
use std::collections::BTreeSet;

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
    /// the categories as the logs wrote them (before aliases and inference), sorted
    pub recorded_categories: Vec<String>,
    pub sample_message: Option<String>,
}

#[derive(Default)]
struct Acc {
    count: u64,
    tasks: u64,
    attempts: u64,
    first: Option<i64>,
    last: Option<i64>,
    categories: Vec<Sym>,
    /// the categories as written, before aliases and inference
    recorded: Vec<Sym>,
    /// (timestamp or None, message) of the earliest event carrying a message
    sample: Option<(Option<i64>, Sym)>,
}

pub fn compute(view: &View) -> ErrorClusters {
    let store = &view.data.store;
    // an absent fingerprint is `unknown`, merged with a literal "unknown"
    let unknown = store.strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let mut acc: FastMap<Sym, Acc> = FastMap::default();
    // distinct (fingerprint, task) and (fingerprint, attempt) pairs, one set each for all clusters
    // sized at once for about the view's share of the error events: growing a set to 100 000
    // pairs rehashes it many times
    // (in u64: the product passes 32 bits on wasm)
    let n = (view.data.derived.errors.len() as u64 * view.sessions.len() as u64 / view.data.sessions.len().max(1) as u64) as usize;
    let mut tasks: FastSet<(Sym, Sym)> = FastSet::with_capacity_and_hasher(n, Default::default());
    let mut attempts: FastSet<(Sym, Sym)> = FastSet::with_capacity_and_hasher(n, Default::default());
    // the error events of the view in read order, listed once per load
    for e in view.errors() {
        let fp = if e.fingerprint.is_none() { unknown } else { e.fingerprint };
        let a = acc.entry(fp).or_default();
        a.count += 1;
        // the task key: the session's task (as everywhere else), else the event's own task id;
        // Sym::NONE stands for `(no task)`
        a.tasks += tasks.insert((fp, e.task)) as u64;
        if e.attempt.is_some() {
            a.attempts += attempts.insert((fp, e.attempt)) as u64;
        }
        if let Some(t) = e.ts_ms {
            a.first = Some(a.first.map_or(t, |f| f.min(t)));
            a.last = Some(a.last.map_or(t, |l| l.max(t)));
        }
        let category = view.error_category(e);
        if !a.categories.contains(&category) {
            a.categories.push(category);
        }
        if !a.recorded.contains(&e.category) {
            a.recorded.push(e.category);
        }
        // Sample message: the earliest event (by timestamp; events without one come after all
        // timestamped ones; ties keep read order) that carries a message — an event without a
        // message is passed over rather than giving a null sample.
        if e.message.is_some() {
            let earlier = match a.sample {
                None => true,
                Some((None, _)) => e.ts_ms.is_some(),
                Some((Some(s), _)) => e.ts_ms.is_some_and(|t| t < s),
            };
            if earlier {
                a.sample = Some((e.ts_ms, e.message));
            }
        }
    }
    let mut rows: Vec<ClusterRow> = acc
        .into_iter()
        .map(|(fp, a)| {
            let categories: BTreeSet<&str> = a.categories.iter().map(|&c| view.category_name(c)).collect();
            let recorded: BTreeSet<&str> = a.recorded.iter().map(|&c| if c.is_none() { UNCATEGORIZED } else { view.str(c) }).collect();
            ClusterRow {
                fingerprint: if fp.is_none() { UNKNOWN.to_string() } else { view.str(fp).to_string() },
                count: a.count,
                tasks: a.tasks,
                attempts: a.attempts,
                first_seen: iso(a.first),
                last_seen: iso(a.last),
                categories: categories.into_iter().map(str::to_string).collect(),
                recorded_categories: recorded.into_iter().map(str::to_string).collect(),
                sample_message: a.sample.map(|(_, m)| view.str(m).to_string()),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.fingerprint.cmp(&b.fingerprint)));
    ErrorClusters { rows }
}
