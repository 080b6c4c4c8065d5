//! Facts derived once per load from every event, so that a recompute (after a filter or parameter
//! change) aggregates over the sessions of the view instead of scanning every event again.
//!
//! Nothing here depends on filters or parameters: per-session digests of the tool events, the
//! files a session touched, its time span, the error events in one compact list, and orders of
//! the sessions (by attempt id, by task) that the pipelines would otherwise sort on each call.

use super::sessions::{Session, NO_SESSION};
use crate::ingest::Store;
use crate::model::records::*;
use std::collections::VecDeque;

/// An error event with what the pipelines read of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorEvent {
    pub event: u32,
    /// its session's index, or `NO_SESSION`
    pub session: u32,
    pub ts_ms: Option<i64>,
    /// the event's own executor, else its session's (`Sym::NONE` with neither)
    pub executor: Sym,
    /// its session's task_id, else the event's own (`Sym::NONE` = `(no task)`)
    pub task: Sym,
    /// the event's own attempt_id
    pub attempt: Sym,
    /// its category as written (lower case; `uncategorized` when absent)
    pub category: Sym,
    /// the category its message means (`Sym::NONE`: none); the view decides whether it is used
    pub inferred: Sym,
    /// index of (category, inferred) in `Derived::category_keys`
    pub key: u32,
    pub fingerprint: Sym,
    pub message: Sym,
}

/// One tool's events within one session.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ToolStat {
    /// index into `Derived::tools`
    pub tool: u32,
    pub calls: u32,
    pub results: u32,
    /// results reporting failure / reporting an outcome at all
    pub failures: u32,
    pub known: u32,
    /// range of `Derived::latencies`
    pub latencies: (u32, u32),
}

/// Per session (same index as `Dataset::sessions`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SessionDigest {
    /// earliest and latest timestamp of its events and of its metrics rows (superseded included)
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub error_events: u32,
    /// tool calls whose command runs tests / a linter
    pub test_runs: u32,
    pub lint_runs: u32,
    /// range of `Derived::tool_stats`
    pub tools: (u32, u32),
    /// range of `Derived::session_files`
    pub files: (u32, u32),
}

/// The facts of a session that most pipelines read, copied out of its [`Session`] into one
/// compact array. A `Session` is ~390 bytes with its lists on the heap: a pass over 100 000 of
/// them reads lines scattered over 39 MB, where this array is 12.8 MB, two cache lines a session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[repr(align(64))]
pub struct Facts {
    pub task_id: Sym,
    pub task_title: Sym,
    pub executor: Sym,
    pub model: Sym,
    pub executor_variant: Sym,
    /// its number of events
    pub events: u32,
    pub start_ms: Option<i64>,
    pub duration_ms: Option<i64>,
    /// the recorded cost in nano-dollars (`model::money`)
    pub cost: Option<i64>,
    pub total_tokens: Option<u64>,
    pub attempts: u64,
    pub errors: u64,
    pub tool_failures: u64,
    /// range of `Derived::categories` holding its `error_categories`
    pub categories: (u32, u32),
    pub success: Option<bool>,
    pub first_shot_success: Option<bool>,
    pub auto_resume: Option<bool>,
    pub review_passed: Option<bool>,
    /// whether it lists any anomaly action
    pub anomaly: bool,
    /// whether its rollup counts a denied permission request
    pub permission_denied: bool,
}
// two cache lines: a field more would make it three
const _: () = assert!(std::mem::size_of::<Facts>() == 128);

#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub digests: Vec<SessionDigest>,
    /// every error event, in read order
    pub errors: Vec<ErrorEvent>,
    /// events without attempt_id, in read order
    pub loose_events: Vec<u32>,
    /// the session of each metrics row and each alert (by attempt_id), or `NO_SESSION`
    pub metrics_session: Vec<u32>,
    pub alert_session: Vec<u32>,
    /// distinct tool names (an absent one is the symbol of `unknown`), and their index by symbol
    pub tools: Vec<Sym>,
    pub tool_index: FastMap<Sym, u32>,
    pub tool_stats: Vec<ToolStat>,
    /// call → result latencies in ms, per (session, tool)
    pub latencies: Vec<f64>,
    /// per tool (as `tools`): the number of its latencies over all sessions, and the finite ones
    /// sorted (a view of every session reads its percentiles here instead of selecting them)
    pub tool_latencies: Vec<(u64, Vec<f64>)>,
    /// distinct files (diff_summary files and file_path of tool calls)
    pub files: Vec<Sym>,
    /// per session, the files it touched (deduplicated, indices into `files`)
    pub session_files: Vec<u32>,
    /// sessions by attempt id
    pub by_attempt: Vec<u32>,
    /// sessions grouped by task (no task_id and a literal `(no task)` are one task), each task's
    /// sessions by start (unknown last) then attempt id. Tasks come in the order of their first
    /// session in `sessions`, so that a pass task by task reads sessions nearly in memory order.
    pub by_task: Vec<u32>,
    /// per session, the rank of its task's name among all task names (equal rank = same task)
    pub task_rank: Vec<u32>,
    /// per session, its hot facts
    pub facts: Vec<Facts>,
    /// the `error_categories` of every session, one after the other (see [`Facts::categories`]),
    /// each (index into `category_keys`, count)
    pub categories: Vec<(u32, u64)>,
    /// every distinct (written, inferred) category pair of the errors and the sessions: a view
    /// maps each to its canonical name once, whatever the number of errors
    pub category_keys: Vec<CategoryKey>,
    pub category_key_index: FastMap<CategoryKey, u32>,
    /// the `anomaly_actions` of every session, one after the other: session i's are
    /// `anomaly_actions[anomaly_from[i]..anomaly_from[i + 1]]`
    pub anomaly_actions: Vec<Sym>,
    pub anomaly_from: Vec<u32>,
    /// per session, diff_lines_added + diff_lines_deleted when either is known (for `git`)
    pub lines_changed: Vec<Option<u64>>,
    /// the known, finite costs of all sessions, sorted (`costs`' percentile for a view of every session)
    pub sorted_costs: Vec<f64>,
}

impl Derived {
    pub(crate) fn build(
        store: &Store,
        sessions: &[Session],
        session_of: impl Fn(Sym) -> Option<u32>,
        inferrer: &mut super::sessions::Inferrer,
    ) -> Derived {
        let mut d = Derived { digests: vec![SessionDigest::default(); sessions.len()], ..Default::default() };
        let unknown = store.strings.lookup(crate::model::names::UNKNOWN).unwrap_or(Sym::NONE);
        let norm = |t: Sym| if t.is_none() { unknown } else { t };

        // events without a session, and every error event in read order
        for (i, e) in store.events.iter().enumerate() {
            let ctx = store.context(e.ctx);
            if ctx.attempt.is_none() {
                d.loose_events.push(i as u32);
            }
            match e.detail {
                Detail::Error { category, fingerprint, message } => {
                    let inferred = inferrer.infer(store, message);
                    let key = d.category_key(CategoryKey { recorded: category, inferred });
                    // its session by attempt id (no per-event index is kept: there are millions)
                    let si = ctx.attempt.get().and_then(&session_of).unwrap_or(NO_SESSION);
                    let session = sessions.get(si as usize);
                    d.errors.push(ErrorEvent {
                        event: i as u32,
                        session: si,
                        ts_ms: e.ts_ms(),
                        executor: if ctx.executor.is_some() {
                            ctx.executor
                        } else {
                            session.map_or(Sym::NONE, |s| s.executor)
                        },
                        task: session.map_or(ctx.task_id, |s| s.task_id),
                        attempt: ctx.attempt,
                        category,
                        inferred,
                        key,
                        fingerprint,
                        message,
                    });
                }
                Detail::ToolCall { tool, .. } | Detail::ToolResult { tool, .. } => {
                    d.tool_id(norm(tool));
                }
                _ => {}
            }
        }

        d.metrics_session =
            store.metrics.iter().map(|r| r.ctx.attempt.get().and_then(&session_of).unwrap_or(NO_SESSION)).collect();
        d.alert_session =
            store.alerts.iter().map(|a| a.attempt.get().and_then(&session_of).unwrap_or(NO_SESSION)).collect();
        for (r, &si) in store.metrics.iter().zip(&d.metrics_session) {
            if let (Some(t), Some(g)) = (r.ts_ms, d.digests.get_mut(si as usize)) {
                g.widen(t);
            }
        }

        // per session: span, error count, tool digests, files
        let mut file_index: FastMap<Sym, u32> = FastMap::default();
        let mut file_stamp: Vec<u32> = Vec::new();
        let mut work = ToolWork::default();
        for (si, s) in sessions.iter().enumerate() {
            let stamp = si as u32 + 1;
            let files_from = d.session_files.len() as u32;
            let mut touch = |f: Sym, d: &mut Derived| {
                let id = *file_index.entry(f).or_insert_with(|| {
                    d.files.push(f);
                    file_stamp.push(0);
                    (d.files.len() - 1) as u32
                });
                if file_stamp[id as usize] != stamp {
                    file_stamp[id as usize] = stamp;
                    d.session_files.push(id);
                }
            };
            for &f in &s.diff_files {
                touch(f, &mut d);
            }
            work.clear();
            let mut g = d.digests[si];
            for &i in &s.events {
                let e = &store.events[i as usize];
                if let Some(t) = e.ts_ms() {
                    g.widen(t);
                }
                match e.detail {
                    Detail::Error { .. } => g.error_events += 1,
                    Detail::ToolCall { tool, file, command_class } => {
                        g.test_runs += (command_class & COMMAND_TEST != 0) as u32;
                        g.lint_runs += (command_class & COMMAND_LINT != 0) as u32;
                        if file.is_some() {
                            touch(file, &mut d);
                        }
                        work.call(d.tool_id(norm(tool)), e.ts_ms());
                    }
                    Detail::ToolResult { tool, failed } => {
                        // a named result answers the oldest unanswered call of its tool; an
                        // unnamed one (bosun's Codex writer) the oldest unanswered call of any
                        // tool, and counts for that call's tool — or, with none left, for `unknown`
                        let (named, unknown_id) = match tool.get() {
                            Some(t) => (Some(d.tool_id(t)), 0),
                            None => (None, d.tool_id(unknown)),
                        };
                        let w = work.result(named, unknown_id, e.ts_ms());
                        w.stat.results += 1;
                        if let Some(f) = failed {
                            w.stat.known += 1;
                            w.stat.failures += f as u32;
                        }
                    }
                    _ => {}
                }
            }
            let tools_from = d.tool_stats.len() as u32;
            for w in work.used() {
                let from = d.latencies.len() as u32;
                d.latencies.extend_from_slice(&w.latencies);
                d.tool_stats.push(ToolStat { latencies: (from, d.latencies.len() as u32), ..w.stat });
            }
            g.tools = (tools_from, d.tool_stats.len() as u32);
            g.files = (files_from, d.session_files.len() as u32);
            d.digests[si] = g;
        }

        // orders: by attempt id, and by task then start then attempt id (compared as ranks)
        let mut by_attempt: Vec<u32> = (0..sessions.len() as u32).collect();
        // (attempt ids are unique, and so is the last field of the by-task key: a stable sort
        // gives the unstable one's order, with one shared sort in the page's Wasm: model::sort)
        crate::model::sort::by(&mut by_attempt, |&a, &b| {
            store.str(sessions[a as usize].attempt).cmp(store.str(sessions[b as usize].attempt))
        });
        let mut attempt_rank = vec![0u32; sessions.len()];
        for (r, &s) in by_attempt.iter().enumerate() {
            attempt_rank[s as usize] = r as u32;
        }
        let no_task = store.strings.lookup(crate::model::names::NO_TASK).unwrap_or(Sym::NONE);
        let task_key = |s: &Session| if s.task_id == no_task { Sym::NONE } else { s.task_id };
        let mut keys: Vec<Sym> = sessions.iter().map(task_key).collect::<FastSet<Sym>>().into_iter().collect();
        let key_name = |k: Sym| if k.is_none() { crate::model::names::NO_TASK } else { store.str(k) };
        crate::model::sort::by(&mut keys, |&a, &b| key_name(a).cmp(key_name(b)));
        let key_rank: FastMap<Sym, u32> = keys.iter().enumerate().map(|(r, &k)| (k, r as u32)).collect();
        d.task_rank = sessions.iter().map(|s| key_rank.get(&task_key(s)).copied().unwrap_or(0)).collect();
        // each task's first session index
        let mut task_first = vec![u32::MAX; keys.len()];
        for (i, &r) in d.task_rank.iter().enumerate() {
            task_first[r as usize] = task_first[r as usize].min(i as u32);
        }
        let mut by_task: Vec<u32> = (0..sessions.len() as u32).collect();
        crate::model::sort::by_key(&mut by_task, |&i| {
            let s = &sessions[i as usize];
            (task_first[d.task_rank[i as usize] as usize], s.start_ms.is_none(), s.start_ms, attempt_rank[i as usize])
        });
        d.by_attempt = by_attempt;
        d.by_task = by_task;
        let mut facts = Vec::with_capacity(sessions.len());
        for s in sessions {
            let from = d.categories.len() as u32;
            for &(k, n) in &s.error_categories {
                let key = d.category_key(k);
                d.categories.push((key, n));
            }
            facts.push(facts_of(s, (from, d.categories.len() as u32)));
        }
        d.facts = facts;
        d.lines_changed = sessions
            .iter()
            .map(|s| match (s.diff_lines_added, s.diff_lines_deleted) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
            })
            .collect();
        d.sorted_costs = sessions.iter().filter_map(|s| s.usage.cost_usd).filter(|c| c.is_finite()).collect();
        crate::model::sort::by(&mut d.sorted_costs, f64::total_cmp);
        d.anomaly_from.push(0);
        for s in sessions {
            d.anomaly_actions.extend_from_slice(&s.anomaly_actions);
            d.anomaly_from.push(d.anomaly_actions.len() as u32);
        }
        let mut per_tool: Vec<(u64, Vec<f64>)> = vec![(0, Vec::new()); d.tools.len()];
        for t in &d.tool_stats {
            if let Some((n, v)) = per_tool.get_mut(t.tool as usize) {
                let l = d.latencies.get(t.latencies.0 as usize..t.latencies.1 as usize).unwrap_or(&[]);
                *n += l.len() as u64;
                v.extend(l.iter().copied().filter(|x| x.is_finite()));
            }
        }
        for (_, v) in &mut per_tool {
            crate::model::sort::by(v, f64::total_cmp);
        }
        d.tool_latencies = per_tool;
        d
    }

    /// A session's anomaly actions.
    pub fn anomaly_actions(&self, session: u32) -> &[Sym] {
        let i = session as usize;
        match (self.anomaly_from.get(i), self.anomaly_from.get(i + 1)) {
            (Some(&a), Some(&b)) => self.anomaly_actions.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// A session's error categories as written and inferred, from its facts (the view gives
    /// them canonical: `View::categories`).
    pub fn session_category_keys(&self, f: &Facts) -> &[(u32, u64)] {
        self.categories.get(f.categories.0 as usize..f.categories.1 as usize).unwrap_or(&[])
    }

    fn category_key(&mut self, k: CategoryKey) -> u32 {
        let keys = &mut self.category_keys;
        *self.category_key_index.entry(k).or_insert_with(|| {
            keys.push(k);
            (keys.len() - 1) as u32
        })
    }

    fn tool_id(&mut self, tool: Sym) -> u32 {
        let tools = &mut self.tools;
        *self.tool_index.entry(tool).or_insert_with(|| {
            tools.push(tool);
            (tools.len() - 1) as u32
        })
    }

    pub fn session_tools(&self, session: u32) -> &[ToolStat] {
        let (a, b) = self.digests.get(session as usize).map_or((0, 0), |g| g.tools);
        self.tool_stats.get(a as usize..b as usize).unwrap_or(&[])
    }

    pub fn session_files(&self, session: u32) -> &[u32] {
        let (a, b) = self.digests.get(session as usize).map_or((0, 0), |g| g.files);
        self.session_files.get(a as usize..b as usize).unwrap_or(&[])
    }

    pub fn latencies(&self, t: &ToolStat) -> &[f64] {
        self.latencies.get(t.latencies.0 as usize..t.latencies.1 as usize).unwrap_or(&[])
    }
}

/// The facts of `s`, its categories appended to `categories`.
fn facts_of(s: &Session, categories: (u32, u32)) -> Facts {
    Facts {
        task_id: s.task_id,
        task_title: s.task_title,
        executor: s.executor,
        model: s.model,
        executor_variant: s.executor_variant,
        events: s.events.len() as u32,
        start_ms: s.start_ms,
        duration_ms: s.duration_ms,
        cost: s.cost_nanos,
        total_tokens: s.usage.total_tokens,
        attempts: s.attempts,
        errors: s.errors,
        tool_failures: s.tool_failures,
        categories,
        success: s.success,
        first_shot_success: s.first_shot_success,
        auto_resume: s.auto_resume,
        review_passed: s.review_passed,
        anomaly: !s.anomaly_actions.is_empty(),
        permission_denied: s.permission_denied.is_some_and(|n| n > 0),
    }
}

impl SessionDigest {
    fn widen(&mut self, t: i64) {
        self.first_ms = Some(self.first_ms.map_or(t, |f| f.min(t)));
        self.last_ms = Some(self.last_ms.map_or(t, |l| l.max(t)));
    }
}

/// Scratch space for one session's tools, reused from session to session (no allocation per
/// session once warm).
///
/// Pairing (first in, first out): every call waits in its tool's queue and in the session's queue
/// of all calls. A named result takes the oldest unanswered call of its tool; an unnamed result
/// the oldest unanswered call of any tool. Either way the call is answered for both queues (an
/// answered call is dropped from the other queue when it reaches its front), so no call answers
/// two results. A pair where either side has no timestamp is consumed without a latency.
#[derive(Default)]
struct ToolWork {
    slots: Vec<ToolSlot>,
    used: usize,
    /// the session's unanswered calls, oldest first: (call number, slot, timestamp)
    pending: VecDeque<(u32, u32, Option<i64>)>,
    /// per call of the session (by number): answered
    answered: Vec<bool>,
}

#[derive(Default)]
struct ToolSlot {
    stat: ToolStat,
    /// this tool's unanswered calls, oldest first: (call number, timestamp)
    pending: VecDeque<(u32, Option<i64>)>,
    latencies: Vec<f64>,
}

impl ToolWork {
    fn clear(&mut self) {
        self.used = 0;
        self.pending.clear();
        self.answered.clear();
    }
    /// The position of a tool's slot, made on first use.
    fn slot(&mut self, tool: u32) -> usize {
        match self.slots[..self.used].iter().position(|w| w.stat.tool == tool) {
            Some(p) => p,
            None => {
                if self.used == self.slots.len() {
                    self.slots.push(ToolSlot::default());
                }
                let w = &mut self.slots[self.used];
                w.stat = ToolStat { tool, ..Default::default() };
                w.pending.clear();
                w.latencies.clear();
                self.used += 1;
                self.used - 1
            }
        }
    }
    fn call(&mut self, tool: u32, ts: Option<i64>) {
        let n = self.answered.len() as u32;
        self.answered.push(false);
        let pos = self.slot(tool);
        let w = &mut self.slots[pos];
        w.stat.calls += 1;
        w.pending.push_back((n, ts));
        self.pending.push_back((n, pos as u32, ts));
    }
    /// Pairs a result (its tool, if named) with its call, recording the latency; returns the slot
    /// of the tool it counts for.
    fn result(&mut self, named: Option<u32>, unknown: u32, ts: Option<i64>) -> &mut ToolSlot {
        // answers call `n` unless it was answered already
        fn take(answered: &mut [bool], n: u32) -> bool {
            match answered.get_mut(n as usize) {
                Some(a) if !*a => {
                    *a = true;
                    true
                }
                _ => false,
            }
        }
        let (pos, call) = match named {
            Some(tool) => {
                let pos = self.slot(tool);
                let q = &mut self.slots[pos].pending;
                let mut call = None;
                while let Some((n, c)) = q.pop_front() {
                    if take(&mut self.answered, n) {
                        call = Some(c);
                        break;
                    }
                }
                (pos, call)
            }
            None => {
                let mut found = None;
                while let Some((n, pos, c)) = self.pending.pop_front() {
                    if take(&mut self.answered, n) {
                        found = Some((pos as usize, c));
                        break;
                    }
                }
                match found {
                    Some((pos, c)) => (pos, Some(c)),
                    None => (self.slot(unknown), None),
                }
            }
        };
        let w = &mut self.slots[pos];
        if let (Some(Some(c)), Some(r)) = (call, ts) {
            w.latencies.push((r - c) as f64);
        }
        w
    }
    fn used(&self) -> &[ToolSlot] {
        &self.slots[..self.used]
    }
}
