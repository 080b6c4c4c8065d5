//! `error_clusters` — error clustering, bosun's CLI parity (analytics-spec.md §3): the error
//! events of the view grouped by error_fingerprint, and per fingerprint what it correlates with
//! (`correlation`: executors, models, tasks and the duration of the sessions it appears in).

use super::stats::iso;
use super::{View, NO_TASK, UNCATEGORIZED, UNKNOWN};
use crate::dataset::sessions::NO_SESSION;
use crate::model::records::{FastMap, FastSet, Sym};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorClusters {
    /// one row per fingerprint, by count desc then fingerprint
    pub rows: Vec<ClusterRow>,
    /// one row per fingerprint, in the order of `rows`: where it appears
    pub correlation: Vec<CorrelationRow>,
}

/// Task ids listed per fingerprint in `correlation` (the page shows 12 items in a cell);
/// `tasks_total` counts them all.
pub const MAX_CORRELATION_TASKS: usize = 12;

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

/// What one fingerprint's error events correlate with. An event of a session counts under its
/// session's executor and model; an event without a session under its own (empty → `unknown`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationRow {
    pub fingerprint: String,
    /// its error events (as `rows`)
    pub count: u64,
    /// error events per executor and per model, by count desc then name
    pub by_executor: Vec<NameCount>,
    pub by_model: Vec<NameCount>,
    /// the distinct task keys, sorted (`(no task)` included), the first `MAX_CORRELATION_TASKS`
    pub tasks: Vec<String>,
    /// all its distinct task keys
    pub tasks_total: u64,
    /// distinct sessions with one of its events (events without a session count in none)
    pub sessions: u64,
    /// mean duration of those sessions, over the `duration_n` whose duration is known
    pub avg_session_duration_ms: Option<f64>,
    pub duration_n: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameCount {
    pub name: String,
    pub count: u64,
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
    /// its distinct task keys and sessions, in order of first appearance
    task_keys: Vec<Sym>,
    sessions: Vec<u32>,
    by_executor: Vec<(Sym, u64)>,
    by_model: Vec<(Sym, u64)>,
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
    let n = (view.data.derived.errors.len() as u64 * view.sessions.len() as u64
        / view.data.sessions.len().max(1) as u64) as usize;
    let mut tasks: FastSet<(Sym, Sym)> = FastSet::with_capacity_and_hasher(n, Default::default());
    let mut attempts: FastSet<(Sym, Sym)> = FastSet::with_capacity_and_hasher(n, Default::default());
    // correlation: distinct (fingerprint, session) pairs, and counts per (fingerprint, executor)
    // and (fingerprint, model) — a few names each, gathered per fingerprint after the pass
    let mut sessions: FastSet<(Sym, u32)> = FastSet::with_capacity_and_hasher(n, Default::default());
    let mut by_executor: FastMap<(Sym, Sym), u64> = FastMap::default();
    let mut by_model: FastMap<(Sym, Sym), u64> = FastMap::default();
    let facts = &view.data.derived.facts;
    // the error events of the view in read order, listed once per load
    for e in view.errors() {
        let fp = if e.fingerprint.is_none() { unknown } else { e.fingerprint };
        let a = acc.entry(fp).or_default();
        a.count += 1;
        // the task key: the session's task (as everywhere else), else the event's own task id;
        // Sym::NONE stands for `(no task)`
        if tasks.insert((fp, e.task)) {
            a.tasks += 1;
            a.task_keys.push(e.task);
        }
        // executor and model: the session's, else (no session) the event's own
        let (executor, model) = match facts.get(e.session as usize) {
            Some(f) if e.session != NO_SESSION => (f.executor, f.model),
            _ => {
                let ctx = store.events.get(e.event as usize).map(|ev| store.context(ev.ctx));
                (e.executor, ctx.map_or(Sym::NONE, |c| c.model))
            }
        };
        let name = |s: Sym| if s.is_none() { unknown } else { s };
        *by_executor.entry((fp, name(executor))).or_default() += 1;
        *by_model.entry((fp, name(model))).or_default() += 1;
        if e.session != NO_SESSION && sessions.insert((fp, e.session)) {
            a.sessions.push(e.session);
        }
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
            // (two at one instant, or both untimed: the message first in text order, so that
            // the order the files were read in does not choose — revision 2)
            let earlier = match a.sample {
                None => true,
                Some((None, m)) => e.ts_ms.is_some() || view.str(e.message) < view.str(m),
                Some((Some(s), m)) => e.ts_ms.is_some_and(|t| t < s || (t == s && view.str(e.message) < view.str(m))),
            };
            if earlier {
                a.sample = Some((e.ts_ms, e.message));
            }
        }
    }
    for ((fp, s), n) in by_executor {
        if let Some(a) = acc.get_mut(&fp) {
            a.by_executor.push((s, n));
        }
    }
    for ((fp, s), n) in by_model {
        if let Some(a) = acc.get_mut(&fp) {
            a.by_model.push((s, n));
        }
    }
    let name = |s: Sym| if s.is_none() { UNKNOWN } else { view.str(s) };
    // by count desc, then name
    let counts = |list: &[(Sym, u64)]| {
        let mut out: Vec<NameCount> =
            list.iter().map(|&(s, count)| NameCount { name: name(s).to_string(), count }).collect();
        crate::model::sort::by(&mut out, |a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        out
    };
    let mut rows: Vec<(ClusterRow, CorrelationRow)> = acc
        .into_iter()
        .map(|(fp, a)| {
            let categories: BTreeSet<&str> = a.categories.iter().map(|&c| view.category_name(c)).collect();
            let recorded: BTreeSet<&str> =
                a.recorded.iter().map(|&c| if c.is_none() { UNCATEGORIZED } else { view.str(c) }).collect();
            let fingerprint = if fp.is_none() { UNKNOWN.to_string() } else { view.str(fp).to_string() };
            let task_names: BTreeSet<&str> =
                a.task_keys.iter().map(|&t| if t.is_none() { NO_TASK } else { view.str(t) }).collect();
            // durations summed as integers: the same sessions in any order give the same mean
            let (mut total, mut duration_n) = (0i128, 0u64);
            for &s in &a.sessions {
                if let Some(d) = facts.get(s as usize).and_then(|f| f.duration_ms) {
                    total += d as i128;
                    duration_n += 1;
                }
            }
            let correlation = CorrelationRow {
                fingerprint: fingerprint.clone(),
                count: a.count,
                by_executor: counts(&a.by_executor),
                by_model: counts(&a.by_model),
                tasks: task_names.iter().take(MAX_CORRELATION_TASKS).map(|t| t.to_string()).collect(),
                tasks_total: task_names.len() as u64,
                sessions: a.sessions.len() as u64,
                avg_session_duration_ms: (duration_n > 0).then(|| total as f64 / duration_n as f64),
                duration_n,
            };
            let row = ClusterRow {
                fingerprint,
                count: a.count,
                tasks: a.tasks,
                attempts: a.attempts,
                first_seen: iso(a.first),
                last_seen: iso(a.last),
                categories: categories.into_iter().map(str::to_string).collect(),
                recorded_categories: recorded.into_iter().map(str::to_string).collect(),
                sample_message: a.sample.map(|(_, m)| view.str(m).to_string()),
            };
            (row, correlation)
        })
        .collect();
    crate::model::sort::by(&mut rows, |(a, _), (b, _)| {
        b.count.cmp(&a.count).then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let (rows, correlation) = rows.into_iter().unzip();
    ErrorClusters { rows, correlation }
}
