//! The analytics pipelines of analytics-spec.md §3: pure functions of a filtered [`View`] of the
//! loaded data and the [`Parameters`] in force. Recomputing after a filter or parameter change
//! never re-reads input: a view is built from the in-memory [`Dataset`] in a few milliseconds.

pub mod alerts;
pub mod costs;
pub mod distributions;
pub mod error_clusters;
pub mod executors;
pub mod git;
pub mod guardrails;
pub mod interventions;
pub mod memo;
pub mod model_scores;
pub mod param_tables;
pub mod provider_heatmap;
pub mod stats;
pub mod summary;
pub mod task_risk;
pub mod tools;

use crate::dataset::derived::{ErrorEvent, Facts};
use crate::dataset::sessions::{Dataset, Session, NO_SESSION};
use crate::model::prices::{self, Price};
use crate::model::records::{CategoryKey, Context, FastMap, Locator, Sym};
use crate::model::vocabulary;
pub use memo::Memo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Global filters, applied to every figure at once (spec §2). A session is in the time range when
/// its start is; an event follows its session; an event without attempt_id is judged by its own
/// timestamp, executor, model and task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filters {
    /// inclusive, epoch ms UTC
    pub since_ms: Option<i64>,
    /// exclusive, epoch ms UTC
    pub until_ms: Option<i64>,
    /// executor names, compared case-insensitively; empty = all
    pub executors: Vec<String>,
    /// model names, compared case-insensitively; empty = all
    pub models: Vec<String>,
    /// case-insensitive substring of the task id or title
    pub task: Option<String>,
    /// source names (the folders or machines files came from), compared case-insensitively;
    /// empty = all (left out of the JSON when empty: a report of one source reads as before)
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The key `model_scores` groups sessions by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    #[default]
    Model,
    ExecutorVariant,
    Executor,
    /// the folder or machine a session's files came from
    Source,
}

/// Every weight and threshold of the spec, with its defaults. Any subset can be given as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Parameters {
    /// model_scores: score = success_rate − w_cost × avg_cost_usd − w_errors × avg_errors
    pub w_cost: f64,
    pub w_errors: f64,
    pub group_by: GroupKey,
    /// model_scores flag `high_retry_rate` when retry_rate is above this
    pub high_retry_rate: f64,
    /// model_scores flag `dominant_error_category`: share and minimum count
    pub dominant_category_share: f64,
    pub dominant_category_min_errors: u64,
    /// provider_heatmap spikes: count ≥ min and ≥ mean + sigma × sd of the hourly series
    pub spike_min_count: u64,
    pub spike_sigma: f64,
    /// alerts recomputed with bosun's rules
    pub error_loop_count: u64,
    pub error_loop_window_ms: i64,
    pub tool_loop_count: u64,
    pub tool_loop_window_ms: i64,
    pub excessive_restarts: u64,
    pub cost_anomaly_usd: f64,
    pub failed_session_errors: u64,
    pub stuck_gap_ms: i64,
    pub alert_suppress_ms: i64,
    /// costs: runaway sessions are above this percentile of session costs and above `runaway_min_usd`
    pub runaway_percentile: f64,
    pub runaway_min_usd: f64,
    /// costs: optional daily budget in USD
    pub daily_budget_usd: Option<f64>,
    /// day buckets: minutes east of UTC (0 = UTC days)
    pub utc_offset_minutes: i32,
    /// alerts: the analyser rules replayed, `current` (bosun's rules now: transient failed
    /// sessions, per-task cooldowns) or `legacy` (one alert per (type, attempt) within
    /// alert_suppress_ms), to replay an old log as its analyser ran
    pub alert_rules: alerts::AlertRules,
    /// alerts, current rules: how long a task's failed_session_high_errors /
    /// failed_session_transient_errors alert suppresses the next one of its attempts (event time)
    pub failed_session_high_cooldown_ms: i64,
    pub failed_session_transient_cooldown_ms: i64,
    /// error categories as written → canonical names (compared case-insensitively); a name
    /// without an alias stays itself. Given as a parameter it replaces the whole table.
    pub category_aliases: BTreeMap<String, String>,
    /// an error without a category, or `unknown`, takes the one its message means
    pub infer_categories: bool,
    /// USD per million tokens by model pattern, to estimate the cost of sessions that record none
    pub prices: Vec<Price>,
    /// cost figures (and the model score's cost term) include estimated costs
    pub include_estimated_cost: bool,
}

impl Default for Parameters {
    fn default() -> Self {
        Parameters {
            w_cost: 0.1,
            w_errors: 0.02,
            group_by: GroupKey::Model,
            high_retry_rate: 0.3,
            dominant_category_share: 0.5,
            dominant_category_min_errors: 5,
            spike_min_count: 3,
            spike_sigma: 3.0,
            error_loop_count: 4,
            error_loop_window_ms: 10 * 60_000,
            tool_loop_count: 10,
            tool_loop_window_ms: 60_000,
            excessive_restarts: 3,
            cost_anomaly_usd: 1.0,
            failed_session_errors: 4,
            stuck_gap_ms: 5 * 60_000,
            alert_suppress_ms: 5 * 60_000,
            runaway_percentile: 0.99,
            runaway_min_usd: 1.0,
            daily_budget_usd: None,
            utc_offset_minutes: 0,
            alert_rules: alerts::AlertRules::Current,
            failed_session_high_cooldown_ms: 60 * 60_000,
            failed_session_transient_cooldown_ms: 120 * 60_000,
            category_aliases: vocabulary::default_aliases(),
            infer_categories: true,
            prices: prices::default_prices(),
            include_estimated_cost: false,
        }
    }
}

impl Parameters {
    /// Reads a JSON object with any subset of the parameters; an unknown key is an error naming it.
    pub fn from_json(text: &str) -> Result<Parameters, String> {
        let mut p: Parameters = serde_json::from_str(text).map_err(|e| format!("parameters: {e}"))?;
        p.category_aliases =
            vocabulary::normalise_aliases(&p.category_aliases).map_err(|e| format!("parameters: {e}"))?;
        prices::check(&p.prices).map_err(|e| format!("parameters: {e}"))?;
        p.check().map_err(|e| format!("parameters: {e}"))?;
        Ok(p)
    }

    /// Whether every value is in its range, else an error naming the first that is not: spans
    /// (`*_ms`) from 0 to [`MAX_SPAN_MS`] (10 years), shares, rates and percentiles in [0, 1],
    /// weights finite, thresholds in USD and sigma finite and ≥ 0, `utc_offset_minutes` within
    /// ±18 hours. (Figures stay computable out of range — the arithmetic saturates — but mean
    /// nothing there.)
    pub fn check(&self) -> Result<(), String> {
        let spans = [
            ("error_loop_window_ms", self.error_loop_window_ms),
            ("tool_loop_window_ms", self.tool_loop_window_ms),
            ("stuck_gap_ms", self.stuck_gap_ms),
            ("alert_suppress_ms", self.alert_suppress_ms),
            ("failed_session_high_cooldown_ms", self.failed_session_high_cooldown_ms),
            ("failed_session_transient_cooldown_ms", self.failed_session_transient_cooldown_ms),
        ];
        for (name, ms) in spans {
            if !(0..=MAX_SPAN_MS).contains(&ms) {
                return Err(format!("{name} must be between 0 and {MAX_SPAN_MS} ms (10 years), not {ms}"));
            }
        }
        let shares = [
            ("high_retry_rate", self.high_retry_rate),
            ("dominant_category_share", self.dominant_category_share),
            ("runaway_percentile", self.runaway_percentile),
        ];
        for (name, v) in shares {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} must be between 0 and 1, not {v}"));
            }
        }
        for (name, v) in [("w_cost", self.w_cost), ("w_errors", self.w_errors)] {
            if !v.is_finite() {
                return Err(format!("{name} must be a finite number, not {v}"));
            }
        }
        let non_negative = [
            ("spike_sigma", Some(self.spike_sigma)),
            ("cost_anomaly_usd", Some(self.cost_anomaly_usd)),
            ("runaway_min_usd", Some(self.runaway_min_usd)),
            ("daily_budget_usd", self.daily_budget_usd),
        ];
        for (name, v) in non_negative {
            if let Some(v) = v.filter(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(format!("{name} must be a finite number ≥ 0, not {v}"));
            }
        }
        if !(-MAX_UTC_OFFSET_MINUTES..=MAX_UTC_OFFSET_MINUTES).contains(&self.utc_offset_minutes) {
            return Err(format!("utc_offset_minutes must be between -{MAX_UTC_OFFSET_MINUTES} and {MAX_UTC_OFFSET_MINUTES} (±18 hours), not {}", self.utc_offset_minutes));
        }
        Ok(())
    }
}

/// The longest span a `*_ms` parameter takes: 10 years (of 366 days).
pub const MAX_SPAN_MS: i64 = 10 * 366 * crate::model::time::MS_PER_DAY;
/// The largest UTC offset, in minutes either way: 18 hours (ISO 8601's and JavaScript's bound).
pub const MAX_UTC_OFFSET_MINUTES: i32 = 18 * 60;

/// The loaded data seen through the filters in force: what every pipeline reads.
pub struct View<'a> {
    pub data: &'a Dataset,
    /// what is kept between recomputes over `data` (the caller's, or this view's own)
    memo: MemoRef<'a>,
    pub params: &'a Parameters,
    pub filters: &'a Filters,
    /// indices into `data.sessions`, ascending
    pub sessions: Vec<u32>,
    /// events without attempt_id that pass the filters, indices into `data.store.events`,
    /// ascending; an event with a session is in the view when its session is
    pub loose_events: Vec<u32>,
    /// indices into `data.store.alerts`, ascending
    pub alerts: Vec<u32>,
    /// indices into `data.store.metrics` of rows whose attempt is in the view (superseded included)
    pub metrics_rows: Vec<u32>,
    in_view: Vec<bool>,
    /// the canonical category of each of `derived.category_keys`, and whether it was inferred
    canon: Vec<(Sym, bool)>,
    /// canonical names the store has no symbol for (targets of user aliases): symbol
    /// `store.strings.len() + i` is `extra_names[i]`
    extra_names: Vec<String>,
    /// per session in the view, its canonical categories (merged, by name): a range of `categories`
    category_range: Vec<(u32, u32)>,
    categories: Vec<(Sym, u64)>,
    /// per session (by index in `data.sessions`), its estimated cost in nano-dollars when it
    /// records none and the price table prices its model and tokens
    estimates: Vec<Option<i64>>,
}

/// Where a session's cost comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostSource {
    Recorded,
    Estimated,
    Unknown,
}

/// A view's memo: the caller's, kept across recomputes, or a fresh one of its own.
enum MemoRef<'a> {
    Borrowed(&'a Memo),
    Owned(Memo),
}

impl<'a> View<'a> {
    /// A view with a memo of its own (for one report: nothing is kept for the next).
    pub fn new(data: &'a Dataset, filters: &'a Filters, params: &'a Parameters) -> View<'a> {
        Self::make(data, MemoRef::Owned(Memo::new()), filters, params)
    }

    /// A view that keeps what outlives a filter change in the caller's `memo` (the page's worker
    /// keeps one per loaded dataset).
    pub fn with_memo(data: &'a Dataset, memo: &'a Memo, filters: &'a Filters, params: &'a Parameters) -> View<'a> {
        Self::make(data, MemoRef::Borrowed(memo), filters, params)
    }

    pub(crate) fn memo(&self) -> &Memo {
        match &self.memo {
            MemoRef::Borrowed(m) => m,
            MemoRef::Owned(m) => m,
        }
    }

    fn make(data: &'a Dataset, memo: MemoRef<'a>, filters: &'a Filters, params: &'a Parameters) -> View<'a> {
        let mut m = Matcher::new(data, filters);
        let in_view: Vec<bool> = data.sessions.iter().map(|s| m.session(s)).collect();
        let sessions = (0..data.sessions.len() as u32).filter(|&i| in_view[i as usize]).collect();
        let store = &data.store;
        let derived = &data.derived;
        let loose_events = derived
            .loose_events
            .iter()
            .copied()
            .filter(|&i| {
                let e = &store.events[i as usize];
                m.loose(e.ts_ms(), store.context(e.ctx), e.loc)
            })
            .collect();
        let alerts = (0..store.alerts.len() as u32)
            .filter(|&i| match derived.alert_session[i as usize] {
                NO_SESSION => {
                    let a = &store.alerts[i as usize];
                    m.loose(
                        a.ts_ms,
                        &Context { attempt: a.attempt, task_id: a.task_id, executor: a.executor, ..Default::default() },
                        a.loc,
                    )
                }
                s => in_view[s as usize],
            })
            .collect();
        // every distinct row read (revision 2), superseded ones included: a row follows its
        // session, a row without an attempt_id is judged by its own fields
        let metrics_rows = (0..store.metrics.len() as u32)
            .filter(|&i| match derived.metrics_session[i as usize] {
                NO_SESSION => {
                    let r = &store.metrics[i as usize];
                    m.loose(r.ts_ms, &r.ctx, r.loc)
                }
                s => in_view[s as usize],
            })
            .collect();
        let mut view = View {
            data,
            memo,
            params,
            filters,
            sessions,
            loose_events,
            alerts,
            metrics_rows,
            in_view,
            canon: Vec::new(),
            extra_names: Vec::new(),
            category_range: Vec::new(),
            categories: Vec::new(),
            estimates: Vec::new(),
        };
        view.map_categories();
        view.estimate_costs();
        view
    }

    /// Maps every (written, inferred) category to its canonical name (revision 2): the alias of
    /// the written name, or the name itself; when that says "no category" (`unknown`,
    /// `uncategorized`) and inference is on, the inferred one if any. Then each session's
    /// categories, merged by canonical name.
    fn map_categories(&mut self) {
        let derived = &self.data.derived;
        let strings = &self.data.store.strings;
        let aliases = &self.params.category_aliases;
        let mut extra: Vec<String> = Vec::new();
        let mut sym_of = |name: &str| -> Sym {
            match strings.lookup(name) {
                Some(s) => s,
                None => match extra.iter().position(|e| e == name) {
                    Some(i) => Sym((strings.len() + i) as u32),
                    None => {
                        extra.push(name.to_string());
                        Sym((strings.len() + extra.len() - 1) as u32)
                    }
                },
            }
        };
        self.canon = derived
            .category_keys
            .iter()
            .map(|&CategoryKey { recorded, inferred }| {
                let written = strings.resolve(recorded);
                let written = if written.is_empty() { vocabulary::UNCATEGORIZED } else { written };
                // a user's table may name keys in any case; the written names are lower case
                let mapped = aliases
                    .get(written)
                    .or_else(|| aliases.iter().find(|(k, _)| k.eq_ignore_ascii_case(written)).map(|(_, v)| v));
                let name = mapped.map_or(written.to_string(), |m| m.trim().to_lowercase());
                if self.params.infer_categories && vocabulary::is_unknown(&name) && inferred.is_some() {
                    (inferred, true)
                } else {
                    (sym_of(&name), false)
                }
            })
            .collect();
        self.extra_names = extra;
        let mut range = vec![(0u32, 0u32); self.data.sessions.len()];
        let mut out: Vec<(Sym, u64)> = Vec::new();
        for &si in &self.sessions {
            let from = out.len();
            for &(k, n) in derived.session_category_keys(&derived.facts[si as usize]) {
                let c = self.canon.get(k as usize).map_or(Sym::NONE, |c| c.0);
                match out[from..].iter_mut().find(|(x, _)| *x == c) {
                    Some((_, m)) => *m = m.saturating_add(n),
                    None => out.push((c, n)),
                }
            }
            let names = (&self.data.store.strings, self.extra_names.as_slice());
            crate::model::sort::by(&mut out[from..], |a, b| name_of(names, a.0).cmp(name_of(names, b.0)));
            range[si as usize] = (from as u32, out.len() as u32);
        }
        self.category_range = range;
        self.categories = out;
    }

    /// The estimated cost of every session of the view that records none (revision 2).
    fn estimate_costs(&mut self) {
        let mut est = vec![None; self.data.sessions.len()];
        let table = &self.params.prices;
        if !table.is_empty() {
            let mut price_of_model: FastMap<Sym, Option<&Price>> = FastMap::default();
            for &si in &self.sessions {
                let s = &self.data.sessions[si as usize];
                if s.cost_nanos.is_some() {
                    continue;
                }
                let price = *price_of_model
                    .entry(s.model)
                    .or_insert_with(|| prices::price_of(table, self.data.store.str(s.model)));
                est[si as usize] = price.and_then(|p| prices::estimate(p, &s.tokens));
            }
        }
        self.estimates = est;
    }

    /// A session's canonical error categories (with counts), by name.
    pub fn categories(&self, session: u32) -> &[(Sym, u64)] {
        let (a, b) = self.category_range.get(session as usize).copied().unwrap_or((0, 0));
        self.categories.get(a as usize..b as usize).unwrap_or(&[])
    }

    /// An error event's canonical category.
    pub fn error_category(&self, e: &crate::dataset::derived::ErrorEvent) -> Sym {
        self.canon.get(e.key as usize).map_or(e.category, |c| c.0)
    }

    /// Whether an error event's canonical category was inferred from its message.
    pub fn category_inferred(&self, e: &crate::dataset::derived::ErrorEvent) -> bool {
        self.canon.get(e.key as usize).is_some_and(|c| c.1)
    }

    /// A session's cost as the figures count it, in nano-dollars: recorded, else estimated when
    /// the parameters include estimates.
    pub fn cost(&self, session: u32) -> Option<i64> {
        let f = &self.data.derived.facts[session as usize];
        f.cost.or_else(|| if self.params.include_estimated_cost { self.estimated(session) } else { None })
    }

    /// A session's estimated cost (only for sessions that record none).
    pub fn estimated(&self, session: u32) -> Option<i64> {
        self.estimates.get(session as usize).copied().flatten()
    }

    pub fn cost_source(&self, session: u32) -> CostSource {
        if self.data.derived.facts[session as usize].cost.is_some() {
            CostSource::Recorded
        } else if self.estimated(session).is_some() {
            CostSource::Estimated
        } else {
            CostSource::Unknown
        }
    }

    /// The number of events in the view.
    pub fn event_count(&self) -> u64 {
        self.facts().map(|f| f.events as u64).sum::<u64>() + self.loose_events.len() as u64
    }

    /// Whether an event of the given session (`NO_SESSION` for none) is in the view.
    pub fn event_in_view(&self, event: u32, session: u32) -> bool {
        match session {
            NO_SESSION => self.loose_events.binary_search(&event).is_ok(),
            s => self.session_in_view(s),
        }
    }

    /// The error events in the view, in read order.
    pub fn errors(&self) -> impl Iterator<Item = &'a ErrorEvent> + '_ {
        self.data.derived.errors.iter().filter(|e| self.event_in_view(e.event, e.session))
    }

    pub fn str(&self, s: Sym) -> &'a str {
        self.data.store.str(s)
    }

    /// The name of a category symbol: the store's, or a canonical name only this view has (the
    /// target of a user's alias); `uncategorized` when absent.
    pub fn category_name(&self, c: Sym) -> &str {
        if c.is_none() {
            return vocabulary::UNCATEGORIZED;
        }
        name_of((&self.data.store.strings, &self.extra_names), c)
    }

    /// The symbol of a canonical category name in this view, if any error or session has it.
    pub fn category_sym(&self, name: &str) -> Option<Sym> {
        let strings = &self.data.store.strings;
        strings
            .lookup(name)
            .or_else(|| self.extra_names.iter().position(|e| e == name).map(|i| Sym((strings.len() + i) as u32)))
    }

    /// The sessions in the view.
    pub fn sessions(&self) -> impl Iterator<Item = &'a Session> + '_ {
        self.sessions.iter().map(|&i| &self.data.sessions[i as usize])
    }

    /// The sessions in the view with their index in `data.sessions` and their compact facts.
    pub fn indexed_facts(&self) -> impl Iterator<Item = (u32, &'a Facts)> + '_ {
        self.sessions.iter().map(|&i| (i, &self.data.derived.facts[i as usize]))
    }

    /// The compact facts of the sessions in the view (cheaper to walk than [`View::sessions`]).
    pub fn facts(&self) -> impl Iterator<Item = &'a Facts> + '_ {
        self.sessions.iter().map(|&i| &self.data.derived.facts[i as usize])
    }

    pub fn session_in_view(&self, session: u32) -> bool {
        self.in_view.get(session as usize).copied().unwrap_or(false)
    }

    /// The task id a session is grouped under (`(no task)` when it has none).
    pub fn task_key(&self, s: &Session) -> &'a str {
        if s.task_id.is_none() {
            NO_TASK
        } else {
            self.str(s.task_id)
        }
    }
}

fn name_of<'n>((strings, extra): (&'n crate::model::records::Interner, &'n [String]), s: Sym) -> &'n str {
    match (s.0 as usize).checked_sub(strings.len()) {
        Some(i) => extra.get(i).map_or("", String::as_str),
        None => strings.resolve(s),
    }
}

pub use crate::model::names::{NO_TASK, UNCATEGORIZED, UNKNOWN};

/// The name of a category symbol, `uncategorized` when absent.
pub fn category_name<'v>(view: &'v View<'_>, c: Sym) -> &'v str {
    view.category_name(c)
}

/// Whether each session of `data` passes `filters`, in session order: the sessions a view of
/// those filters holds.
pub fn sessions_passing(data: &Dataset, filters: &Filters) -> Vec<bool> {
    let mut m = Matcher::new(data, filters);
    data.sessions.iter().map(|s| m.session(s)).collect()
}

/// The filters prepared for matching (lower-cased once), reading names from the dataset. Each
/// verdict on a name is remembered by symbol: 100 000 sessions share a handful of executors and
/// models, so a name is lower-cased once per view rather than once per session.
struct Matcher<'a> {
    data: &'a Dataset,
    since: Option<i64>,
    until: Option<i64>,
    executors: Vec<String>,
    models: Vec<String>,
    task: Option<String>,
    /// per origin (`Store::origins`), whether the source filter passes it
    origin_ok: Vec<bool>,
    executor_ok: FastMap<Sym, bool>,
    model_ok: FastMap<Sym, bool>,
    task_ok: FastMap<(Sym, Sym), bool>,
}

impl<'a> Matcher<'a> {
    fn new(data: &'a Dataset, f: &Filters) -> Matcher<'a> {
        let lower = |v: &Vec<String>| v.iter().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect();
        Matcher {
            data,
            since: f.since_ms,
            until: f.until_ms,
            executors: lower(&f.executors),
            models: lower(&f.models),
            task: f.task.as_ref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()),
            origin_ok: {
                let sources: Vec<String> = lower(&f.sources);
                data.store.origins.iter().map(|o| Self::in_list(&sources, &o.name)).collect()
            },
            executor_ok: FastMap::default(),
            model_ok: FastMap::default(),
            task_ok: FastMap::default(),
        }
    }
    fn time_ok(&self, ts: Option<i64>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(t) = ts else { return false };
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }
    fn in_list(list: &[String], value: &str) -> bool {
        list.is_empty() || list.iter().any(|l| *l == value.to_lowercase())
    }
    fn executor_ok(&mut self, s: Sym) -> bool {
        if self.executors.is_empty() {
            return true;
        }
        let (data, list) = (self.data, &self.executors);
        *self.executor_ok.entry(s).or_insert_with(|| Self::in_list(list, data.str(s)))
    }
    fn model_ok(&mut self, s: Sym) -> bool {
        if self.models.is_empty() {
            return true;
        }
        let (data, list) = (self.data, &self.models);
        *self.model_ok.entry(s).or_insert_with(|| Self::in_list(list, data.str(s)))
    }
    fn task_ok(&mut self, id: Sym, title: Sym) -> bool {
        let Some(t) = &self.task else { return true };
        let data = self.data;
        *self.task_ok.entry((id, title)).or_insert_with(|| {
            let (id, title) = (data.str(id).to_lowercase(), data.str(title).to_lowercase());
            id.contains(t) || title.contains(t) || (id.is_empty() && NO_TASK.contains(t.as_str()))
        })
    }
    fn origin_ok(&self, origin: u32) -> bool {
        self.origin_ok.get(origin as usize).copied().unwrap_or(true)
    }
    fn session(&mut self, s: &Session) -> bool {
        self.time_ok(s.start_ms)
            && self.origin_ok(s.origin)
            && self.executor_ok(s.executor)
            && self.model_ok(s.model)
            && self.task_ok(s.task_id, s.task_title)
    }
    /// A record without a session (no attempt_id), judged by its own fields and its line's source.
    fn loose(&mut self, ts: Option<i64>, c: &Context, loc: Locator) -> bool {
        self.time_ok(ts)
            && self.origin_ok(self.data.store.origin_of(loc))
            && self.executor_ok(c.executor)
            && self.model_ok(c.model)
            && self.task_ok(c.task_id, c.task_title)
    }
}
