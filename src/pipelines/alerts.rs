//! `alerts` — analyser alerts, recorded and recomputed (analytics-spec.md §3).
//!
//! Recorded alerts are the lines of `agent-alerts.jsonl` in the view. Recomputed alerts replay
//! bosun's live analyser (`agent-work-analyzer`) over each session's events on EVENT time, with
//! the thresholds of [`super::Parameters`] and the rules it selects ([`AlertRules`]): bosun's
//! current rules (analytics-spec.md, revision 2) or the earlier ones.

use super::stats::{iso, rate};
use super::{Parameters, View, UNKNOWN};
use crate::dataset::sessions::{Dataset, Session, NO_SESSION};
use crate::model::records::{Detail, FastMap, Name, NameBlock, Shared, Sym};
use crate::model::time::{day_of, format_day};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

/// The alert types bosun's analyser writes, with their severities (format doc): the legacy rules
/// know the first six, the current rules all seven.
pub const ALERT_TYPES: [(&str, &str); 7] = [
    ("error_loop", "high"),
    ("tool_loop", "medium"),
    ("excessive_restarts", "medium"),
    ("cost_anomaly", "low"),
    ("failed_session_high_errors", "high"),
    ("stuck_agent", "medium"),
    ("failed_session_transient_errors", "medium"),
];

const ERROR_LOOP: usize = 0;
const TOOL_LOOP: usize = 1;
const EXCESSIVE_RESTARTS: usize = 2;
const COST_ANOMALY: usize = 3;
const FAILED_HIGH_ERRORS: usize = 4;
const STUCK_AGENT: usize = 5;
const FAILED_TRANSIENT_ERRORS: usize = 6;

/// Which of bosun's analyser rules the recomputed alerts follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertRules {
    /// bosun's current analyser: a failed session whose errors all look transient is
    /// `failed_session_transient_errors`; failed-session and `stuck_agent` alerts are suppressed
    /// per task (failed_session_high_cooldown_ms, failed_session_transient_cooldown_ms,
    /// alert_suppress_ms), every other type per (type, attempt) for alert_suppress_ms
    #[default]
    Current,
    /// the earlier analyser: one alert per (type, attempt) within alert_suppress_ms, no transient type
    Legacy,
}

impl AlertRules {
    /// How many of [`ALERT_TYPES`] these rules know.
    fn types(self) -> usize {
        match self {
            AlertRules::Current => 7,
            AlertRules::Legacy => 6,
        }
    }
}

/// What a failed session's error fingerprint contains (case-insensitively) for bosun's current
/// analyser to count it as transient.
pub const TRANSIENT_MARKERS: [&str; 9] = [
    "reconnect",
    "stream disconnected",
    "response.failed",
    "rate limit",
    "high demand",
    "provisioned throughput",
    "timeout",
    "econnreset",
    "temporarily unavailable",
];

/// Whether an error fingerprint looks transient (an absent one does not: bosun reads it as `unknown`).
pub fn is_transient_fingerprint(fingerprint: &str) -> bool {
    let f = fingerprint.to_lowercase();
    TRANSIENT_MARKERS.iter().any(|m| f.contains(m))
}

/// The UUID (8-4-4-4-12 hex digits) `id` starts with, when a hyphen or nothing follows it.
pub fn leading_uuid(id: &str) -> Option<&str> {
    let b = id.as_bytes();
    let head = b.get(..36)?;
    let uuid =
        head.iter()
            .enumerate()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() });
    (uuid && b.get(36).is_none_or(|c| *c == b'-')).then(|| id.get(..36)).flatten()
}

/// The task a session's failed-session and stuck alerts are suppressed by (current rules): its
/// task_id (the UUID it starts with, if any), else the task UUID at the start of its attempt_id,
/// else the attempt_id itself (as bosun: such an attempt is a task of its own).
fn cooldown_task<'d>(data: &'d Dataset, s: &Session) -> &'d str {
    let id = if s.task_id.is_some() { data.str(s.task_id) } else { data.str(s.attempt) };
    leading_uuid(id).unwrap_or(id)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Alerts {
    /// every recorded alert in the view, in time order (alerts without a time last, then read order)
    /// the main table, `rows` in the JSON report (spec §4)
    #[serde(rename = "rows")]
    pub recorded: Vec<RecordedAlert>,
    /// recorded alerts per (type, severity), by type then severity
    pub by_type: Vec<TypeCount>,
    /// recorded alerts per (executor, type), by executor then type
    pub by_executor: Vec<ExecutorCount>,
    /// recorded alerts per (day in the time zone in force, type), by day then type
    pub by_day: Vec<DayCount>,
    /// alerts recomputed from the events, by time then type then attempt
    pub recomputed: Shared<RecomputedAlert>,
    /// per alert type (the types the rules in force know, in [`ALERT_TYPES`] order, then any
    /// other recorded type, by name)
    pub comparison: Vec<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedAlert {
    pub time: Option<String>,
    #[serde(rename = "type")]
    pub alert_type: Name,
    pub severity: Name,
    pub executor: Option<Name>,
    pub attempt_id: Option<Name>,
    pub task_id: Option<Name>,
    /// the line's `_cooldown_key` (bosun's current analyser writes it), else null
    pub cooldown_key: Option<Name>,
    /// the line's `occurrences` (error_loop, tool_loop), else null
    pub occurrences: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeCount {
    #[serde(rename = "type")]
    pub alert_type: String,
    pub severity: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutorCount {
    pub executor: String,
    #[serde(rename = "type")]
    pub alert_type: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayCount {
    pub day: String,
    #[serde(rename = "type")]
    pub alert_type: String,
    pub count: u64,
}

/// Its strings are shared [`Name`]s: the alerts are made once per set of alert parameters (see
/// [`Cache`]) and a recompute hands out copies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecomputedAlert {
    pub time: Name,
    #[serde(rename = "type")]
    pub alert_type: Name,
    pub severity: Name,
    pub attempt_id: Name,
    pub task_id: Option<Name>,
    pub executor: Option<Name>,
    pub detail: Name,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    #[serde(rename = "type")]
    pub alert_type: String,
    pub recorded: u64,
    pub recomputed: u64,
    /// share of the sessions with a recorded alert of this type whose success is false,
    /// over those whose success is known (`recorded_failed_n`)
    pub recorded_failed_rate: Option<f64>,
    pub recorded_failed_n: u64,
    pub recomputed_failed_rate: Option<f64>,
    pub recomputed_failed_n: u64,
}

pub fn compute(view: &View) -> Alerts {
    let store = &view.data.store;
    let name_or_unknown = |s: Sym| if s.is_none() { UNKNOWN } else { view.str(s) };
    // names cut from the dataset's block: no allocation per row
    let unknown_name = Name::new(UNKNOWN);
    let name = |s: Sym| if s.is_none() { unknown_name.clone() } else { view.data.name(s) };
    let opt = |s: Sym| s.get().map(|s| view.data.name(s));

    // ---- recorded
    let mut order: Vec<u32> = view.alerts.clone();
    // by time, then by content (type, attempt, severity), so that the order the files were read
    // in does not change the table (revision 2); read order only between identical alerts
    crate::model::sort::by(&mut order, |&i, &j| {
        let (a, b) = (&store.alerts[i as usize], &store.alerts[j as usize]);
        let key = |x: &crate::model::records::Alert| {
            (x.ts_ms.unwrap_or(i64::MAX), store.str(x.alert_type), store.str(x.attempt), store.str(x.severity))
        };
        key(a).cmp(&key(b)).then(i.cmp(&j))
    });
    let mut recorded = Vec::with_capacity(order.len());
    let mut by_type: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut by_executor: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut by_day: BTreeMap<(i64, &str), u64> = BTreeMap::new();
    // per type: the sessions (indices) with a recorded alert of that type
    let mut recorded_sessions: HashMap<&str, HashSet<u32>> = HashMap::new();
    for &i in &order {
        let a = &store.alerts[i as usize];
        let session = Some(view.data.derived.alert_session[i as usize]).filter(|&s| s != NO_SESSION);
        // the alert's own executor and task, else its session's
        let executor = if a.executor.is_some() {
            a.executor
        } else {
            session.map(|s| view.data.sessions[s as usize].executor).unwrap_or(Sym::NONE)
        };
        let task = if a.task_id.is_some() {
            a.task_id
        } else {
            session.map(|s| view.data.sessions[s as usize].task_id).unwrap_or(Sym::NONE)
        };
        let t = name_or_unknown(a.alert_type);
        let sev = name_or_unknown(a.severity);
        *by_type.entry((t, sev)).or_insert(0) += 1;
        *by_executor.entry((name_or_unknown(executor), t)).or_insert(0) += 1;
        if let Some(ts) = a.ts_ms {
            *by_day.entry((day_of(ts, view.params.utc_offset_minutes), t)).or_insert(0) += 1;
        }
        let set = recorded_sessions.entry(t).or_default();
        if let Some(s) = session {
            set.insert(s);
        }
        recorded.push(RecordedAlert {
            time: iso(a.ts_ms),
            alert_type: name(a.alert_type),
            severity: name(a.severity),
            executor: opt(executor),
            attempt_id: opt(a.attempt),
            task_id: opt(task),
            cooldown_key: opt(a.cooldown_key),
            occurrences: a.occurrences,
        });
    }

    // ---- recomputed: every session's alerts for these parameters, made once and cached in the
    // dataset; a view keeps those of its sessions
    let all = recomputed_for(view, &AlertParams::of(view.params));
    let known = view.params.alert_rules.types();
    let mut recomputed_counts = [0u64; ALERT_TYPES.len()];
    // per type: (failed, known success) over the distinct sessions with an alert of the type
    let mut recomputed_failed = [(0u64, 0u64); ALERT_TYPES.len()];
    let mut counted = vec![0u8; view.data.sessions.len()];
    let whole = view.sessions.len() == view.data.sessions.len();
    let mut recomputed = Vec::new();
    for (c, alert) in all.meta.iter().zip(all.alerts.iter()).filter(|(c, _)| view.session_in_view(c.session)) {
        let ty = c.ty as usize;
        recomputed_counts[ty] += 1;
        let seen = &mut counted[c.session as usize];
        if *seen & (1 << ty) == 0 {
            *seen |= 1 << ty;
            if let Some(ok) = c.success {
                recomputed_failed[ty].0 += (!ok) as u64;
                recomputed_failed[ty].1 += 1;
            }
        }
        if !whole {
            recomputed.push(alert.clone());
        }
    }
    // a view of every session hands out the cached alerts as they are (no copy)
    let recomputed = if whole { Shared::all(&all.alerts) } else { Shared::from(recomputed) };

    // ---- comparison
    let failed_share = |sessions: Option<&HashSet<u32>>| {
        let (mut failed, mut n) = (0u64, 0u64);
        for &s in sessions.into_iter().flatten() {
            if let Some(ok) = view.data.sessions[s as usize].success {
                n += 1;
                failed += (!ok) as u64;
            }
        }
        (rate(failed, n), n)
    };
    let recorded_count = |t: &str| by_type.iter().filter(|((ty, _), _)| *ty == t).map(|(_, n)| n).sum::<u64>();
    let mut comparison = Vec::new();
    let rule_types = &ALERT_TYPES[..known];
    let mut types: Vec<&str> = rule_types.iter().map(|t| t.0).collect();
    let extra: std::collections::BTreeSet<&str> =
        by_type.keys().map(|k| k.0).filter(|t| !rule_types.iter().any(|a| a.0 == *t)).collect();
    types.extend(extra);
    for (k, t) in types.into_iter().enumerate() {
        let (rr, rn) = failed_share(recorded_sessions.get(t));
        let ((cr, cn), count) = match recomputed_failed.get(k).filter(|_| k < known) {
            Some(&(failed, n)) => ((rate(failed, n), n), recomputed_counts[k]),
            None => ((None, 0), 0),
        };
        comparison.push(Comparison {
            alert_type: t.to_string(),
            recorded: recorded_count(t),
            recomputed: count,
            recorded_failed_rate: rr,
            recorded_failed_n: rn,
            recomputed_failed_rate: cr,
            recomputed_failed_n: cn,
        });
    }

    Alerts {
        recorded,
        by_type: by_type
            .into_iter()
            .map(|((t, s), count)| TypeCount { alert_type: t.to_string(), severity: s.to_string(), count })
            .collect(),
        by_executor: by_executor
            .into_iter()
            .map(|((e, t), count)| ExecutorCount { executor: e.to_string(), alert_type: t.to_string(), count })
            .collect(),
        by_day: by_day
            .into_iter()
            .map(|((d, t), count)| DayCount { day: format_day(d), alert_type: t.to_string(), count })
            .collect(),
        recomputed,
        comparison,
    }
}

/// The parameters the recomputed alerts depend on (and nothing else of a view).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertParams {
    error_loop_count: u64,
    error_loop_window_ms: i64,
    tool_loop_count: u64,
    tool_loop_window_ms: i64,
    excessive_restarts: u64,
    cost_anomaly_usd: f64,
    failed_session_errors: u64,
    stuck_gap_ms: i64,
    alert_suppress_ms: i64,
    rules: AlertRules,
    failed_session_high_cooldown_ms: i64,
    failed_session_transient_cooldown_ms: i64,
}

impl AlertParams {
    pub fn of(p: &Parameters) -> AlertParams {
        AlertParams {
            error_loop_count: p.error_loop_count,
            error_loop_window_ms: p.error_loop_window_ms,
            tool_loop_count: p.tool_loop_count,
            tool_loop_window_ms: p.tool_loop_window_ms,
            excessive_restarts: p.excessive_restarts,
            cost_anomaly_usd: p.cost_anomaly_usd,
            failed_session_errors: p.failed_session_errors,
            stuck_gap_ms: p.stuck_gap_ms,
            alert_suppress_ms: p.alert_suppress_ms,
            rules: p.alert_rules,
            failed_session_high_cooldown_ms: p.failed_session_high_cooldown_ms,
            failed_session_transient_cooldown_ms: p.failed_session_transient_cooldown_ms,
        }
    }

    /// Whether an alert of this type is suppressed per task across attempts (current rules), and
    /// then for how long; `None`: per (type, attempt) for `alert_suppress_ms`.
    fn task_cooldown(&self, ty: usize) -> Option<i64> {
        match (self.rules, ty) {
            (AlertRules::Legacy, _) => None,
            (AlertRules::Current, FAILED_HIGH_ERRORS) => Some(self.failed_session_high_cooldown_ms),
            (AlertRules::Current, FAILED_TRANSIENT_ERRORS) => Some(self.failed_session_transient_cooldown_ms),
            (AlertRules::Current, STUCK_AGENT) => Some(self.alert_suppress_ms),
            (AlertRules::Current, _) => None,
        }
    }
}

/// The recomputed alerts of every session of a dataset for one set of alert parameters, by time
/// then type then attempt id: kept in the dataset until the parameters change.
pub struct Cache {
    params: AlertParams,
    alerts: Rc<Recomputed>,
}

/// Every session's recomputed alerts, and what a view needs to know of each.
pub struct Recomputed {
    /// parallel to `alerts`
    meta: Vec<Cached>,
    alerts: Arc<[RecomputedAlert]>,
}

pub struct Cached {
    session: u32,
    /// the session's success (read here rather than from the session: sessions in alert time
    /// order are scattered in memory)
    success: Option<bool>,
    /// index into `ALERT_TYPES`
    ty: u8,
}

/// The recomputed alerts for `params`, from the dataset's cache or replayed (and cached).
fn recomputed_for(view: &View, params: &AlertParams) -> Rc<Recomputed> {
    let data = view.data;
    if let Some(c) = view.memo().alerts(data).borrow().as_ref().filter(|c| c.params == *params) {
        return c.alerts.clone();
    }
    let mut raw: Vec<Raw> = Vec::new();
    let mut replay = Replay::new(data, params);
    for (si, s) in data.sessions.iter().enumerate() {
        replay.session(s, si as u32, &mut raw);
    }
    crate::model::sort::by(&mut raw, |a, b| {
        a.0.cmp(&b.0)
            .then_with(|| ALERT_TYPES[a.1].0.cmp(ALERT_TYPES[b.1].0))
            .then_with(|| data.str(a.2).cmp(data.str(b.2)))
    });
    suppress_per_task(data, params, &mut raw);
    let types: Vec<(Name, Name)> = ALERT_TYPES.iter().map(|&(t, sev)| (Name::new(t), Name::new(sev))).collect();
    let opt = |s: Sym| s.get().map(|s| data.name(s));
    // every alert's time and detail in one block of names: 2i and 2i + 1
    let times: Vec<String> = raw.iter().map(|r| iso(Some(r.0)).unwrap_or_default()).collect();
    let block = NameBlock::new(times.iter().zip(&raw).flat_map(|(t, r)| [t.as_str(), r.4.as_str()]));
    let text = |i: usize| block.get(i).unwrap_or_else(|| Name::new(""));
    let (meta, alerts): (Vec<Cached>, Vec<RecomputedAlert>) = raw
        .iter()
        .enumerate()
        .map(|(i, &(_, ty, attempt, si, _))| {
            let s = &data.sessions[si as usize];
            let alert = RecomputedAlert {
                time: text(2 * i),
                alert_type: types[ty].0.clone(),
                severity: types[ty].1.clone(),
                attempt_id: data.name(attempt),
                task_id: opt(s.task_id),
                executor: opt(s.executor),
                detail: text(2 * i + 1),
            };
            (Cached { session: si, success: s.success, ty: ty as u8 }, alert)
        })
        .unzip();
    let alerts = Rc::new(Recomputed { meta, alerts: alerts.into() });
    *view.memo().alerts(data).borrow_mut() = Some(Cache { params: params.clone(), alerts: alerts.clone() });
    alerts
}

/// A recomputed alert before formatting: (time, type index, attempt, session index, detail).
type Raw = (i64, usize, Sym, u32, String);

/// The current rules' cooldown per task, across the attempts of a task: `raw` (sorted by time,
/// then type, then attempt id) keeps an alert of a task-keyed type only when no kept alert of the
/// same type and task is less than that type's cooldown older. Every other alert passed its
/// (type, attempt) cooldown in its session's replay already.
fn suppress_per_task(data: &Dataset, params: &AlertParams, raw: &mut Vec<Raw>) {
    if params.rules == AlertRules::Legacy {
        return;
    }
    let mut last: HashMap<(usize, &str), i64> = HashMap::new();
    raw.retain(|&(t, ty, _, si, _)| {
        let Some(cooldown) = params.task_cooldown(ty) else { return true };
        let Some(s) = data.sessions.get(si as usize) else { return true };
        let key = (ty, cooldown_task(data, s));
        if last.get(&key).is_some_and(|&prev| t.saturating_sub(prev) < cooldown) {
            return false;
        }
        last.insert(key, t);
        true
    });
}

/// bosun's analyser state, replayed per session. Buffers are reused across sessions.
struct Replay<'a> {
    data: &'a Dataset,
    p: &'a AlertParams,
    /// symbols compared on every event, looked up once
    unknown: Sym,
    followup: Sym,
    retry: Sym,
    failed: Sym,
    /// errors in the current analyser session: (time, fingerprint)
    errors: Window,
    error_total: u64,
    /// whether every error fingerprint of the current analyser session looks transient (true
    /// before its first error; only read when it has errors)
    all_transient: bool,
    /// [`is_transient_fingerprint`] per fingerprint seen
    transient: FastMap<Sym, bool>,
    calls: Window,
    restarts: u64,
    /// time of the last emitted alert per type (bosun's cooldown map, keyed by type and attempt)
    last_emitted: [Option<i64>; 7],
}

impl<'a> Replay<'a> {
    fn new(data: &'a Dataset, p: &'a AlertParams) -> Replay<'a> {
        let look = |s: &str| data.store.strings.lookup(s).unwrap_or(Sym::NONE);
        // a string never loaded cannot match: `Sym::NONE` is never the status or prompt type
        // compared against it, as those are checked to be present first
        Replay {
            data,
            p,
            unknown: look(UNKNOWN),
            followup: look("followup"),
            retry: look("retry"),
            failed: look("failed"),
            errors: Window::default(),
            error_total: 0,
            all_transient: true,
            transient: FastMap::default(),
            calls: Window::default(),
            restarts: 0,
            last_emitted: [None; 7],
        }
    }

    fn reset_state(&mut self) {
        self.errors.clear();
        self.error_total = 0;
        self.all_transient = true;
        self.calls.clear();
        self.restarts = 0;
    }

    /// Emits unless a previous alert of the same type for this attempt was emitted less than
    /// `alert_suppress_ms` before (bosun's cooldown). A type the current rules key by task is
    /// always emitted here and suppressed across the task's attempts afterwards
    /// ([`suppress_per_task`]).
    fn emit(&mut self, ty: usize, t: i64, s: &Session, si: u32, detail: impl FnOnce() -> String, out: &mut Vec<Raw>) {
        if self.suppressed(ty, t) {
            return;
        }
        self.last_emitted[ty] = Some(t);
        out.push((t, ty, s.attempt, si, detail()));
    }

    fn suppressed(&self, ty: usize, t: i64) -> bool {
        self.p.task_cooldown(ty).is_none()
            && self.last_emitted[ty].is_some_and(|last| t.saturating_sub(last) < self.p.alert_suppress_ms)
    }

    // Choices where bosun's live analyser and the spec leave room, replayed on event time:
    // - only events with a timestamp take part (an untimed event has no place on event time);
    // - as in bosun, a `session_end` closes the analyser's session: the error list, the tool-call
    //   list and the restart count start afresh for later events of the same attempt, while the
    //   cooldown (suppression) carries over;
    // - error_loop / tool_loop count the events of the same fingerprint / tool (absent →
    //   `unknown`) whose time is within the window before the current event, inclusive; like
    //   bosun, every fingerprint/tool in the window is checked and the first one (by first
    //   appearance in the window) reaching the threshold is named;
    // - failed_session_high_errors counts the error events since the analyser session began;
    //   with the current rules it is failed_session_transient_errors when every one of their
    //   fingerprints looks transient (an absent fingerprint is `unknown`, not transient);
    // - stuck_agent: a gap ≥ stuck_gap_ms between consecutive timestamped events of the attempt,
    //   unless the earlier one is a `session_end` (bosun forgets an ended session); the alert's
    //   time is the moment the analyser would have noticed: earlier event + stuck_gap_ms.
    fn session(&mut self, s: &Session, si: u32, out: &mut Vec<Raw>) {
        let data = self.data;
        let store = &data.store;
        let p = self.p;
        let unknown = self.unknown;
        let norm = |x: Sym| if x.is_none() { unknown } else { x };
        let label = |x: Sym| if x.is_none() { UNKNOWN } else { data.str(x) };
        self.reset_state();
        self.last_emitted = [None; 7];
        let mut prev: Option<(i64, bool)> = None; // (time, was session_end)
        for &i in &s.events {
            let e = &store.events[i as usize];
            let Some(t) = e.ts_ms() else { continue };
            if let Some((pt, was_end)) = prev {
                let gap = t.saturating_sub(pt);
                if !was_end && gap >= p.stuck_gap_ms {
                    self.emit(
                        STUCK_AGENT,
                        pt.saturating_add(p.stuck_gap_ms),
                        s,
                        si,
                        || format!("idle {gap} ms (threshold {} ms)", p.stuck_gap_ms),
                        out,
                    );
                }
            }
            prev = Some((t, matches!(e.detail, Detail::SessionEnd { .. })));
            match e.detail {
                Detail::Error { fingerprint, .. } => {
                    self.errors.push(t, norm(fingerprint), p.error_loop_window_ms, p.error_loop_count);
                    self.error_total += 1;
                    if self.all_transient && p.rules == AlertRules::Current {
                        self.all_transient = fingerprint.is_some()
                            && *self
                                .transient
                                .entry(fingerprint)
                                .or_insert_with(|| is_transient_fingerprint(data.str(fingerprint)));
                    }
                    if !self.suppressed(ERROR_LOOP, t) {
                        if let Some((fp, n)) = self.errors.first_reaching(p.error_loop_count) {
                            self.emit(
                                ERROR_LOOP,
                                t,
                                s,
                                si,
                                || format!("error {} {n} times within {} ms", label(fp), p.error_loop_window_ms),
                                out,
                            );
                        }
                    }
                }
                Detail::ToolCall { tool, .. } => {
                    self.calls.push(t, norm(tool), p.tool_loop_window_ms, p.tool_loop_count);
                    if !self.suppressed(TOOL_LOOP, t) {
                        if let Some((tool, n)) = self.calls.first_reaching(p.tool_loop_count) {
                            self.emit(
                                TOOL_LOOP,
                                t,
                                s,
                                si,
                                || format!("tool {} called {n} times within {} ms", label(tool), p.tool_loop_window_ms),
                                out,
                            );
                        }
                    }
                }
                Detail::SessionStart { prompt_type }
                    if prompt_type.is_some() && (prompt_type == self.followup || prompt_type == self.retry) =>
                {
                    self.restarts += 1;
                    if self.restarts >= p.excessive_restarts {
                        let n = self.restarts;
                        self.emit(EXCESSIVE_RESTARTS, t, s, si, || format!("{n} restarts (followup/retry)"), out);
                    }
                }
                Detail::SessionEnd { status, .. } => {
                    let cost = store.usage(e.usage).and_then(|u| u.cost_usd);
                    if let Some(c) = cost.filter(|&c| c > p.cost_anomaly_usd) {
                        self.emit(
                            COST_ANOMALY,
                            t,
                            s,
                            si,
                            || format!("session cost {c} USD > {} USD", p.cost_anomaly_usd),
                            out,
                        );
                    }
                    if status.is_some() && status == self.failed && self.error_total >= p.failed_session_errors {
                        let n = self.error_total;
                        // no error at all (failed_session_errors 0) is not "all transient", as in bosun
                        if p.rules == AlertRules::Current && n > 0 && self.all_transient {
                            self.emit(
                                FAILED_TRANSIENT_ERRORS,
                                t,
                                s,
                                si,
                                || format!("failed with {n} errors, every fingerprint transient"),
                                out,
                            );
                        } else {
                            self.emit(FAILED_HIGH_ERRORS, t, s, si, || format!("failed with {n} errors"), out);
                        }
                    }
                    self.reset_state();
                }
                _ => {}
            }
        }
    }
}

/// A sliding time window of keyed events with per-key counts kept up to date, so that the
/// common case (no key at the threshold) costs O(1) per event.
#[derive(Default)]
struct Window {
    items: VecDeque<(i64, Sym)>,
    counts: FastMap<Sym, u64>,
    /// keys whose count is at or above the threshold
    over: u64,
}

impl Window {
    fn clear(&mut self) {
        self.items.clear();
        self.counts.clear();
        self.over = 0;
    }

    /// Adds an event at `t` and drops those older than `t - window_ms`.
    fn push(&mut self, t: i64, key: Sym, window_ms: i64, threshold: u64) {
        // a threshold of 0 acts as 1 (every event reaches it)
        let threshold = threshold.max(1);
        self.items.push_back((t, key));
        let c = self.counts.entry(key).or_insert(0);
        *c += 1;
        if *c == threshold {
            self.over += 1;
        }
        while let Some(&(et, k)) = self.items.front() {
            if et >= t.saturating_sub(window_ms) {
                break;
            }
            self.items.pop_front();
            if let Some(c) = self.counts.get_mut(&k) {
                if *c == threshold {
                    self.over = self.over.saturating_sub(1);
                }
                *c = c.saturating_sub(1);
            }
        }
    }

    /// The first key (by first appearance in the window) that occurs at least `threshold` times.
    fn first_reaching(&self, threshold: u64) -> Option<(Sym, u64)> {
        let threshold = threshold.max(1);
        if self.over == 0 {
            return None;
        }
        self.items.iter().find_map(|&(_, k)| self.counts.get(&k).copied().filter(|&n| n >= threshold).map(|n| (k, n)))
    }
}
