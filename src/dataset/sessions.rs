//! Sessions (one per attempt_id) merged from metrics rows and events, per the spec's table
//! (analytics-spec.md §2), and the filtered view every pipeline reads.

use super::derived::Derived;
use crate::ingest::Store;
use crate::model::records::*;
use crate::model::vocabulary;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// One attempt, its facts resolved from its winning metrics row first and its events second.
///
/// Laid out in declaration order (`repr(C)`), the facts most pipelines read first: a recompute
/// walks 100 000 sessions a dozen times, and a pass that reads the first two cache lines of each
/// costs a fraction of one that reads fields scattered over all seven.
#[derive(Debug, Clone, Default, PartialEq)]
#[repr(C)]
pub struct Session {
    // first cache line: identity, time, outcome
    pub attempt: Sym,
    pub task_id: Sym,
    pub executor: Sym,
    pub model: Sym,
    pub start_ms: Option<i64>,
    pub success: Option<bool>,
    pub first_shot_success: Option<bool>,
    pub auto_resume: Option<bool>,
    pub review_passed: Option<bool>,
    pub executor_variant: Sym,
    pub task_title: Sym,
    pub attempts: u64,
    pub errors: u64,
    // second: usage
    /// tokens and cost as the first level that has them gives them (`cost_usd` is `cost_nanos` in USD)
    pub usage: Usage,
    /// the recorded cost in nano-dollars, summed exactly (see `model::money`)
    pub cost_nanos: Option<i64>,
    /// the tokens by price: from the attempt's usage events when it has any (the SDK's own usage
    /// objects, cache tokens included), else usage in its other events, else its rollups
    pub tokens: Tokens,
    // third: what task_risk, model_scores, guardrails and interventions add
    /// (category as written and as inferred, count), sorted by the written name then the inferred one
    pub error_categories: Vec<(CategoryKey, u64)>,
    /// the rollup's count of denied permission requests (metrics row, else `session_end`)
    pub permission_denied: Option<u64>,
    pub anomaly_actions: Vec<Sym>,
    pub tool_failures: u64,
    pub continues: u64,
    // fourth and fifth: git, duration, commands
    pub commits: Option<u64>,
    pub diff_lines_added: Option<u64>,
    pub diff_lines_deleted: Option<u64>,
    pub diff_files_changed: Option<u64>,
    pub duration_ms: Option<i64>,
    pub diff_files: Vec<Sym>,
    pub tool_calls: u64,
    pub commands: Option<u64>,
    pub command_failures: Option<u64>,
    pub end_ms: Option<i64>,
    /// index of the winning row in `Store::metrics`
    pub metrics_row: Option<usize>,
    /// indices into `Store::events`, in time order (then sequence_num, then read order)
    pub events: Vec<u32>,
    /// the folder or machine it came from (`Store::origins`): its winning metrics row's, else its
    /// first event's (a line two sources share is kept from the one read first)
    pub origin: u32,
}

/// A metrics row replaced by a later one for the same attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Superseded {
    pub attempt: Sym,
    pub loc: Locator,
}

/// The loaded records and everything derived from them that does not depend on filters.
#[derive(Default)]
pub struct Dataset {
    pub store: Store,
    pub sessions: Vec<Session>,
    pub superseded: Vec<Superseded>,
    pub session_of_attempt: HashMap<Sym, u32>,
    /// per-session digests and indices derived once per load (see [`Derived`])
    pub derived: Derived,
    /// this dataset's identity since its last (re)build: what was computed from it and kept
    /// (`pipelines::Memo`) is known to be stale when the id differs
    id: u64,
    /// every interned string as a report name, by symbol (see [`Dataset::name`])
    names: NameBlock,
    /// the name of each origin (`Store::origins`) as a symbol, to group by (none when unnamed)
    pub origin_names: Vec<Sym>,
}

pub const NO_SESSION: u32 = u32::MAX;

/// A new identity for a (re)built dataset, never given out before in this process.
fn next_dataset_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Dataset {
    pub fn new(store: Store) -> Self {
        let mut d = Dataset { store, ..Default::default() };
        d.rebuild();
        d
    }

    /// The dataset of whole in-memory files, `(name, bytes)`, read in order (tests, benchmarks).
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Self {
        let mut store = Store::new();
        for (name, bytes) in files {
            store.load_bytes(name, bytes);
        }
        Dataset::new(store)
    }

    pub fn str(&self, s: Sym) -> &str {
        self.store.str(s)
    }

    /// The name of the source (folder, machine) a session came from, as a symbol (none: unnamed).
    pub fn origin_name(&self, session: &Session) -> Sym {
        self.origin_names.get(session.origin as usize).copied().unwrap_or(Sym::NONE)
    }

    /// This dataset's identity since its last (re)build (see `pipelines::Memo`).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The name of a symbol for a report: cut from one block holding every interned string, made
    /// once per load, so that rows showing it allocate nothing.
    pub fn name(&self, s: Sym) -> Name {
        self.names.get(s.0 as usize).unwrap_or_else(|| Name::new(self.store.str(s)))
    }

    /// Recomputes sessions after more input was loaded (cheap next to reading it).
    pub fn rebuild(&mut self) {
        // the old sessions go first: the page's worker memory never shrinks, so old and new side
        // by side would stay its size after every file
        self.sessions = Vec::new();
        self.origin_names = Vec::new();
        self.derived = Derived::default();
        self.session_of_attempt = HashMap::new();
        self.names = NameBlock::default();
        // spare room left by the loads goes back (the page's worker reuses it for what follows)
        self.store.shrink_to_fit();
        // every name the views may map a category to has a symbol (they cannot intern)
        let mut inferrer = Inferrer::new(&mut self.store);
        let origin_names: Vec<String> = self.store.origins.iter().map(|o| o.name.clone()).collect();
        self.origin_names =
            origin_names.iter().map(|n| if n.is_empty() { Sym::NONE } else { self.store.strings.intern(n) }).collect();
        let store = &self.store;
        let mut sessions: Vec<Session> = Vec::new();
        let mut index: FastMap<Sym, u32> = FastMap::default();
        let mut session_for = |attempt: Sym, sessions: &mut Vec<Session>| -> u32 {
            *index.entry(attempt).or_insert_with(|| {
                sessions.push(Session { attempt, ..Default::default() });
                (sessions.len() - 1) as u32
            })
        };
        for (i, e) in store.events.iter().enumerate() {
            let attempt = store.context(e.ctx).attempt;
            if attempt.is_some() {
                let s = session_for(attempt, &mut sessions);
                sessions[s as usize].events.push(i as u32);
            }
        }
        // the winning metrics row per attempt: latest instant, then the one read last
        let mut winner: FastMap<Sym, usize> = FastMap::default();
        let mut superseded = Vec::new();
        for (i, row) in store.metrics.iter().enumerate() {
            if row.ctx.attempt.is_none() {
                continue;
            }
            session_for(row.ctx.attempt, &mut sessions);
            match winner.get(&row.ctx.attempt) {
                Some(&w) if store.metrics[w].ts_ms.unwrap_or(i64::MIN) > row.ts_ms.unwrap_or(i64::MIN) => {
                    superseded.push(i)
                }
                Some(&w) => {
                    superseded.push(w);
                    winner.insert(row.ctx.attempt, i);
                }
                None => {
                    winner.insert(row.ctx.attempt, i);
                }
            }
        }
        crate::model::sort::natural(&mut superseded);
        self.superseded = superseded
            .into_iter()
            .map(|i| Superseded { attempt: store.metrics[i].ctx.attempt, loc: store.metrics[i].loc })
            .collect();
        for s in sessions.iter_mut() {
            // events of one millisecond without a sequence_num (bosun's real writer writes none)
            // in the order an attempt lives them, so that a call and its result in one
            // millisecond pair whatever order the files were read in (revision 2: order never
            // changes a figure); read order only between events of one kind
            crate::model::sort::by_key(&mut s.events, |&i| {
                let e = &store.events[i as usize];
                (e.ts_ms().unwrap_or(i64::MAX), e.sequence_num().unwrap_or(i32::MAX), life_order(&e.detail), i)
            });
            // grown by doubling: a third of the lists was spare room on big logs
            s.events.shrink_to_fit();
            s.metrics_row = winner.get(&s.attempt).copied();
            let first = s
                .metrics_row
                .map(|i| store.metrics[i].loc)
                .or_else(|| s.events.first().map(|&i| store.events[i as usize].loc));
            s.origin = first.map_or(0, |l| store.origin_of(l));
            resolve(store, s, &mut inferrer);
        }
        sessions.shrink_to_fit();
        self.session_of_attempt = sessions.iter().enumerate().map(|(i, s)| (s.attempt, i as u32)).collect();
        self.derived = Derived::build(store, &sessions, |a| self.session_of_attempt.get(&a).copied(), &mut inferrer);
        self.sessions = sessions;
        self.id = next_dataset_id();
        self.names = NameBlock::new((0..self.store.strings.len()).map(|i| self.store.str(Sym(i as u32))));
    }
}

/// Where an event of a kind falls among events of the same instant.
fn life_order(d: &Detail) -> u8 {
    match d {
        Detail::SessionStart { .. } => 0,
        Detail::ToolCall { .. } => 2,
        Detail::ToolResult { .. } => 3,
        Detail::SessionEnd { .. } => 4,
        _ => 1,
    }
}

/// The most frequent non-empty value, ties to the first seen.
fn most_frequent(values: impl Iterator<Item = Sym>) -> Sym {
    let mut counts: Vec<(Sym, usize)> = Vec::new();
    for v in values.filter(|v| v.is_some()) {
        match counts.iter_mut().find(|(s, _)| *s == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    let mut best = (Sym::NONE, 0);
    for (s, n) in counts {
        if n > best.1 {
            best = (s, n);
        }
    }
    best.0
}

/// The levels usage is read from, in the order cost and tokens are taken (spec §2 "Usage").
const ROW: usize = 0;
const END: usize = 1;
const USAGE_EVENTS: usize = 2;
const NESTED: usize = 3;

/// Sums usage objects level by level; cost and tokens each come from the first level that has
/// them. Costs are summed in nano-dollars, so their order does not matter.
#[derive(Default)]
struct UsageLevels {
    levels: [Usage; 4],
    cost: [crate::model::money::MoneySum; 4],
    has_tokens: [bool; 4],
}
impl UsageLevels {
    fn add(&mut self, level: usize, u: &Usage) {
        self.levels[level].add(u);
        self.cost[level].add(u.cost_usd.and_then(crate::model::money::nanos));
        self.has_tokens[level] |= u.total_tokens.is_some() || u.has_cache();
    }
    /// (usage, cost in nano-dollars, token breakdown)
    fn resolve(&self) -> (Usage, Option<i64>, Tokens) {
        let mut out = Usage::default();
        let cost = (0..4)
            .find(|&l| self.cost[l].n > 0)
            .map(|l| self.cost[l].total.clamp(i64::MIN as i128, i64::MAX as i128) as i64);
        out.cost_usd = cost.map(|c| crate::model::money::usd(c as i128));
        if let Some(l) = (0..4).find(|&l| self.has_tokens[l]) {
            out.prompt_tokens = self.levels[l].prompt_tokens;
            out.completion_tokens = self.levels[l].completion_tokens;
            out.total_tokens = self.levels[l].total_tokens;
        }
        // the breakdown from the finest level: usage events hold the SDK's own objects, whose
        // cache tokens the rollups drop and whose input tokens mean what their SDK says
        let tokens = [USAGE_EVENTS, NESTED, END, ROW]
            .into_iter()
            .find(|&l| self.has_tokens[l])
            .map(|l| Tokens::of(&self.levels[l]))
            .unwrap_or_default();
        (out, cost, tokens)
    }
}

/// The category each error message means ([`vocabulary::infer_category`]), as symbols interned
/// before the sessions are built, remembered per message.
pub(crate) struct Inferrer {
    names: Vec<(&'static str, Sym)>,
    by_message: FastMap<Sym, Sym>,
}

impl Inferrer {
    fn new(store: &mut Store) -> Inferrer {
        let mut names: Vec<(&'static str, Sym)> =
            vocabulary::inferred_names().map(|n| (n, store.strings.intern(n))).collect();
        for (_, target) in vocabulary::DEFAULT_ALIASES {
            names.push((target, store.strings.intern(target)));
        }
        store.strings.intern(vocabulary::UNCATEGORIZED);
        Inferrer { names, by_message: FastMap::default() }
    }
    /// The inferred category of an error's message (`Sym::NONE`: none).
    pub(crate) fn infer(&mut self, store: &Store, message: Sym) -> Sym {
        if message.is_none() {
            return Sym::NONE;
        }
        let names = &self.names;
        *self.by_message.entry(message).or_insert_with(|| match vocabulary::infer_category(store.str(message)) {
            Some(name) => names.iter().find(|(n, _)| *n == name).map_or(Sym::NONE, |&(_, s)| s),
            None => Sym::NONE,
        })
    }
}

fn add_category(categories: &mut Vec<(CategoryKey, u64)>, c: CategoryKey, n: u64) {
    match categories.iter_mut().find(|(k, _)| *k == c) {
        Some((_, m)) => *m = m.saturating_add(n),
        None => categories.push((c, n)),
    }
}

fn resolve(store: &Store, s: &mut Session, inferrer: &mut Inferrer) {
    let row = s.metrics_row.map(|i| &store.metrics[i]);
    let events: Vec<&Event> = s.events.iter().map(|&i| &store.events[i as usize]).collect();
    let ctxs = || events.iter().map(|e| store.context(e.ctx));
    let pick = |row_val: Option<Sym>, f: fn(&Context) -> Sym| {
        row_val.filter(|v| v.is_some()).unwrap_or_else(|| most_frequent(ctxs().map(f)))
    };
    s.model = pick(row.map(|r| r.ctx.model), |c| c.model);
    s.executor = pick(row.map(|r| r.ctx.executor), |c| c.executor);
    s.executor_variant = pick(row.map(|r| r.ctx.executor_variant), |c| c.executor_variant);
    let first = |f: fn(&Context) -> Sym| ctxs().map(f).find(|v| v.is_some()).unwrap_or(Sym::NONE);
    s.task_id = row.map(|r| r.ctx.task_id).filter(|v| v.is_some()).unwrap_or_else(|| first(|c| c.task_id));
    s.task_title = row.map(|r| r.ctx.task_title).filter(|v| v.is_some()).unwrap_or_else(|| first(|c| c.task_title));

    let times = || events.iter().filter_map(|e| e.ts_ms());
    s.start_ms = times().min().or(row.and_then(|r| r.ts_ms));
    s.end_ms = times().max().or(row.and_then(|r| r.ts_ms));

    let mut end_status = None;
    let mut end_duration = None;
    let mut starts = 0u64;
    let mut error_events = 0u64;
    let mut categories: Vec<(CategoryKey, u64)> = Vec::new();
    let mut end_denied = None;
    let mut tool_calls = 0;
    let mut tool_failures = 0;
    let mut levels = UsageLevels::default();
    for e in &events {
        match e.detail {
            Detail::SessionStart { .. } => starts += 1,
            Detail::SessionEnd { status, duration_ms, permission_denied } => {
                end_status = Some(status);
                end_duration = duration_ms.map(i64::from).or(end_duration);
                end_denied = Some(permission_denied as u64);
            }
            Detail::Error { category, message, .. } => {
                error_events += 1;
                add_category(
                    &mut categories,
                    CategoryKey { recorded: category, inferred: inferrer.infer(store, message) },
                    1,
                );
            }
            Detail::ToolCall { .. } => tool_calls += 1,
            Detail::ToolResult { failed: Some(true), .. } => tool_failures += 1,
            _ => {}
        }
        if e.usage != NO_USAGE {
            if let Some(u) = store.usage(e.usage) {
                match e.detail {
                    Detail::SessionEnd { .. } => levels.add(END, &u.as_rollup()),
                    _ if store.str(e.event_type) == "usage" => levels.add(USAGE_EVENTS, &u),
                    _ => levels.add(NESTED, &u),
                }
            }
        }
    }
    let status_success = end_status.and_then(|st| match store.str(st) {
        "success" | "completed" => Some(true),
        "failed" | "timeout" | "interrupted" | "error" => Some(false),
        _ => None,
    });
    s.success = row.and_then(|r| r.success).or(status_success);
    s.first_shot_success = row.and_then(|r| r.first_shot_success);
    s.attempts = row.and_then(|r| r.attempts).unwrap_or(starts.max(1));
    s.continues = row.and_then(|r| r.continues).unwrap_or(0);
    s.auto_resume = row.and_then(|r| r.auto_resume);
    s.anomaly_actions = row.map(|r| r.anomaly_actions.clone()).unwrap_or_default();

    if let Some(r) = row {
        levels.add(ROW, &r.usage.as_rollup());
    }
    (s.usage, s.cost_nanos, s.tokens) = levels.resolve();
    s.permission_denied = row.and_then(|r| r.permission_denied).or(end_denied);

    if error_events > 0 || row.is_none() {
        s.errors = error_events;
        crate::model::sort::by(&mut categories, |a, b| {
            (store.str(a.0.recorded), store.str(a.0.inferred)).cmp(&(store.str(b.0.recorded), store.str(b.0.inferred)))
        });
        s.error_categories = categories;
    } else if let Some(r) = row {
        s.errors = r.errors.unwrap_or(0);
        // a row may name a category twice (`["build", "build"]`): merged into one count
        let mut c = Vec::new();
        for &(k, n) in &r.error_categories {
            add_category(&mut c, CategoryKey { recorded: k, inferred: Sym::NONE }, n);
        }
        crate::model::sort::by(&mut c, |a, b| store.str(a.0.recorded).cmp(store.str(b.0.recorded)));
        s.error_categories = c;
    }
    s.tool_calls = row.and_then(|r| r.tool_calls).unwrap_or(tool_calls);
    s.tool_failures = row.and_then(|r| r.tool_failures).unwrap_or(tool_failures);
    s.commands = row.and_then(|r| r.commands);
    s.command_failures = row.and_then(|r| r.command_failures);
    s.duration_ms = row.and_then(|r| r.duration_ms).or(end_duration).or(match (s.start_ms, s.end_ms) {
        (Some(a), Some(b)) if !events.is_empty() => Some(b.saturating_sub(a)),
        _ => None,
    });
    if let Some(r) = row {
        s.commits = r.commits;
        s.diff_files_changed = r.diff_files_changed;
        s.diff_lines_added = r.diff_lines_added;
        s.diff_lines_deleted = r.diff_lines_deleted;
        s.diff_files = r.diff_files.clone();
        s.review_passed = r.review_passed;
    }
}
