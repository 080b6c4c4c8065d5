//! The normalised data as tables (`spyglass export --parquet`): the facts the report is computed
//! from, one table at a time, handed to a [`TableSink`] a row group at a time so that what is held
//! beyond the dataset stays bounded (one row group of one table).
//!
//! Pure: no file I/O and no Parquet type here (the CLI's `export.rs` writes the files), so this
//! builds for wasm32 too, where nothing uses it. The schema — every table, column, type and
//! meaning — is [`TABLES`]; [`SCHEMA_VERSION`] changes whenever a column is added, removed or
//! changes meaning. The facts are those of one [`View`]: its filters choose the rows, its
//! parameters (category aliases and inference, the price table, `include_estimated_cost`,
//! `utc_offset_minutes`) are applied to the values written, so that a query over the tables needs
//! no parameter to give the report's figures.

use crate::dataset::sessions::NO_SESSION;
use crate::model::names::{NO_TASK, UNCATEGORIZED, UNKNOWN};
use crate::model::records::{Detail, Locator, Sym, COMMAND_LINT, COMMAND_TEST};
use crate::model::time::{day_of, format_day};
use crate::pipelines::alerts::is_transient_fingerprint;
use crate::pipelines::{CostSource, View};
use std::collections::HashMap;

/// The version of the tables' schema, written into every file (`spyglass.schema_version`).
pub const SCHEMA_VERSION: &str = "2";

/// The type of a column's values; every column may hold nulls (an unknown fact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 64-bit signed integer (counts, milliseconds, nano-dollars)
    Int,
    /// 64-bit float (USD, milliseconds of latency)
    Float,
    Bool,
    /// UTF-8 text
    Text,
}

/// One column: name, type and what it holds.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
}

/// One table: its file is `<name>.parquet`.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub doc: &'static str,
    pub columns: &'static [Column],
}

const fn c(name: &'static str, kind: Kind, doc: &'static str) -> Column {
    Column { name, kind, doc }
}
use Kind::{Bool, Float, Int, Text};

/// Where a row's record was read: source name, 1-based line, byte offset and length in the
/// (decompressed) source — enough to re-read the raw line.
const LOCATOR: [Column; 4] = [
    c("source", Text, "the input the record was read from (named as in diagnostics.sources)"),
    c("line", Int, "its 1-based line number in that input"),
    c("byte_offset", Int, "byte offset of the line in the (decompressed) input; null when not kept"),
    c("byte_length", Int, "length of the line in bytes"),
];

pub const SESSIONS: Table = Table {
    name: "sessions",
    doc: "one row per attempt (spec §2) in the filters, its facts merged from its winning metrics row first and its events second; null = unknown",
    columns: &[
        c("attempt_id", Text, "the attempt"),
        c("task_id", Text, "its task_id; null when it has none"),
        c("task_key", Text, "the task it is grouped under: task_id, or `(no task)`"),
        c("task_title", Text, "its task title"),
        c("executor", Text, "executor; null when unknown"),
        c("executor_variant", Text, "executor variant; null when unknown"),
        c("model", Text, "model; null when unknown"),
        c("source", Text, "the source (folder, machine) it came from, as `report` names it (`NAME=PATH`, else the folder's name); empty when unnamed"),
        c("facts_from", Text, "`metrics_row` when a metrics row gave its facts (events fill what it lacks), else `events`"),
        c("metrics_source", Text, "the winning metrics row's input"),
        c("metrics_line", Int, "the winning metrics row's line"),
        c("start_ms", Int, "start, epoch milliseconds UTC"),
        c("end_ms", Int, "end, epoch milliseconds UTC"),
        c("start_day", Text, "the day of its start (YYYY-MM-DD) in the time zone in force (`utc_offset_minutes`)"),
        c("duration_ms", Int, "duration in milliseconds"),
        c("success", Bool, "success"),
        c("first_shot_success", Bool, "first-shot success"),
        c("auto_resume", Bool, "auto_resume"),
        c("review_passed", Bool, "review passed"),
        c("attempts", Int, "attempts (metrics, else the number of session_start events, at least 1)"),
        c("continues", Int, "continues"),
        c("errors", Int, "errors (the error events loaded, else the rollup's count)"),
        c("error_events", Int, "error events of the attempt loaded"),
        c("tool_calls", Int, "tool calls"),
        c("tool_failures", Int, "tool failures"),
        c("anomaly_actions", Int, "number of anomaly actions"),
        c("anomaly_action_names", Text, "the anomaly actions, comma-separated; null when none"),
        c("permission_denied", Int, "denied permission requests (rollup)"),
        c("cost_source", Text, "`recorded`, `estimated` (the price table in force) or `unknown`"),
        c("cost_nanos", Int, "the cost the figures count, in nano-dollars (exact): recorded, or estimated when include_estimated_cost"),
        c("cost_usd", Float, "cost_nanos in USD"),
        c("recorded_cost_nanos", Int, "the recorded cost in nano-dollars"),
        c("estimated_cost_nanos", Int, "the estimated cost in nano-dollars (sessions that record none)"),
        c("total_tokens", Int, "total tokens"),
        c("prompt_tokens", Int, "prompt tokens of the usage level that gave its usage"),
        c("completion_tokens", Int, "completion tokens of that level"),
        c("input_tokens", Int, "input tokens that are neither cached nor cache reads or writes"),
        c("cached_input_tokens", Int, "cached input tokens"),
        c("cache_read_tokens", Int, "cache read tokens"),
        c("cache_creation_tokens", Int, "cache creation tokens"),
        c("output_tokens", Int, "output tokens"),
        c("commits", Int, "agent_made_commits"),
        c("diff_files_changed", Int, "files changed"),
        c("diff_lines_added", Int, "lines added"),
        c("diff_lines_deleted", Int, "lines deleted"),
        c("diff_summary_files", Int, "files named in its diff_summary (rows of session_files come from these and from edit/write tool calls)"),
        c("commands", Int, "metrics.commands"),
        c("command_failures", Int, "metrics.command_failures"),
        c("test_runs", Int, "tool calls whose command runs tests"),
        c("lint_runs", Int, "tool calls whose command runs a linter"),
        c("events", Int, "events of the attempt loaded"),
        c("first_ms", Int, "earliest timestamp of its events and metrics rows (superseded included)"),
        c("last_ms", Int, "latest timestamp of its events and metrics rows"),
    ],
};

pub const SESSION_CATEGORIES: Table = Table {
    name: "session_categories",
    doc: "one row per (session, canonical error category): the categories the pipelines use, aliases and inference applied",
    columns: &[
        c("attempt_id", Text, "the attempt"),
        c("category", Text, "canonical category (`uncategorized` when absent)"),
        c("count", Int, "errors of that category"),
    ],
};

pub const SESSION_FILES: Table = Table {
    name: "session_files",
    doc: "one row per (session, file it touched): diff_summary files and file_path of edit/write tool calls",
    columns: &[c("attempt_id", Text, "the attempt"), c("file", Text, "the file's path")],
};

pub const SESSION_ANOMALY_ACTIONS: Table = Table {
    name: "session_anomaly_actions",
    doc: "one row per (session, distinct anomaly action it lists)",
    columns: &[c("attempt_id", Text, "the attempt"), c("action", Text, "the anomaly action")],
};

pub const EVENTS: Table = Table {
    name: "events",
    doc: "one row per event in the filters (no payload text; a locator to its raw line)",
    columns: &[
        c("event_id", Int, "the event's index in read order (unique within one export)"),
        c("attempt_id", Text, "its attempt_id; null for events without one"),
        c("task_id", Text, "the event's task_id"),
        c("executor", Text, "the event's executor"),
        c("model", Text, "the event's model"),
        c("event_type", Text, "event_type"),
        c("ts_ms", Int, "timestamp, epoch milliseconds UTC"),
        c("sequence_num", Int, "sequence_num"),
        c(
            "session_seq",
            Int,
            "its place (0-based) in its session's events in time order (then sequence_num, then the order an attempt lives them); null without a session",
        ),
        c("tool_name", Text, "tool_call and tool_result: the tool's name; null when absent or another type"),
        c("prompt_type", Text, "session_start: prompt_type; null when absent or another type"),
        c("completion_status", Text, "session_end: its status; null when absent or another type"),
        c("cost_usd", Float, "session_end: the cost_usd its usage records; null when absent or another type"),
        c("fingerprint", Text, "error: error_fingerprint; null when absent or another type"),
        c(
            "transient",
            Bool,
            "error: whether its fingerprint looks transient to bosun's current analyser (false when absent); null for another type",
        ),
        LOCATOR[0],
        LOCATOR[1],
        LOCATOR[2],
        LOCATOR[3],
    ],
};

pub const ERRORS: Table = Table {
    name: "errors",
    doc: "one row per error event in the filters, with its category as written and as the pipelines use it",
    columns: &[
        c("event_id", Int, "its row in `events`"),
        c("attempt_id", Text, "the event's own attempt_id"),
        c("in_session", Bool, "whether its attempt is a session"),
        c("task_key", Text, "its session's task_id, else the event's own, else `(no task)`"),
        c("executor", Text, "the event's executor, else its session's; null with neither"),
        c("session_executor", Text, "its session's executor (the event's own without a session); null when unknown"),
        c("session_model", Text, "its session's model (the event's own without a session); null when unknown"),
        c("ts_ms", Int, "timestamp, epoch milliseconds UTC"),
        c("recorded_category", Text, "the category as written, lower case (`uncategorized` when absent)"),
        c("category", Text, "the canonical category: aliases and inference in force applied"),
        c("category_inferred", Bool, "whether `category` was inferred from the message"),
        c("fingerprint", Text, "error_fingerprint; null when absent"),
        c("message", Text, "the error message, cut to 300 characters"),
    ],
};

pub const TOOL_CALLS: Table = Table {
    name: "tool_calls",
    doc: "per (session, tool): calls and their paired results (a result closes the oldest unanswered call of its tool, one without a name the oldest of any), failures; events without attempt_id one row each, never paired",
    columns: &[
        c("attempt_id", Text, "the attempt; null for an event without attempt_id"),
        c("tool_name", Text, "the tool (`unknown` when absent)"),
        c("calls", Int, "tool_call events"),
        c("results", Int, "tool_result events attributed to it"),
        c("failures", Int, "results reporting failure"),
        c("outcomes", Int, "results reporting an outcome at all (the failure rate's n)"),
        c("latencies", Int, "call → result pairs with both timestamps (rows of tool_latencies)"),
        c("test_runs", Int, "an event without attempt_id: 1 when its command runs tests; null on a session's row (its count is sessions.test_runs)"),
        c("lint_runs", Int, "an event without attempt_id: 1 when its command runs a linter; null on a session's row (sessions.lint_runs)"),
    ],
};

pub const TOOL_LATENCIES: Table = Table {
    name: "tool_latencies",
    doc: "one row per paired call → result with both timestamps",
    columns: &[
        c("attempt_id", Text, "the attempt"),
        c("tool_name", Text, "the tool"),
        c("latency_ms", Float, "result time − call time, milliseconds"),
    ],
};

pub const METRICS_ROWS: Table = Table {
    name: "metrics_rows",
    doc: "one row per distinct metrics row read in the filters (superseded ones included)",
    columns: &[
        c("attempt_id", Text, "its attempt_id"),
        c("ts_ms", Int, "its timestamp"),
        c("superseded", Bool, "whether a later row of the same attempt replaced it"),
        LOCATOR[0],
        LOCATOR[1],
        LOCATOR[2],
        LOCATOR[3],
    ],
};

pub const ALERTS: Table = Table {
    name: "alerts",
    doc: "the recorded alerts (agent-alerts.jsonl) in the filters",
    columns: &[
        c("alert_id", Int, "the alert's index in read order (unique within one export)"),
        c("ts_ms", Int, "timestamp, epoch milliseconds UTC"),
        c("day", Text, "the day of ts_ms (YYYY-MM-DD) in the time zone in force (`utc_offset_minutes`)"),
        c("type", Text, "alert type"),
        c("severity", Text, "severity"),
        c("attempt_id", Text, "attempt"),
        c("task_id", Text, "task"),
        c("executor", Text, "executor"),
        c("occurrences", Int, "occurrences"),
        c("cooldown_key", Text, "cooldown key"),
        LOCATOR[0],
        LOCATOR[1],
        LOCATOR[2],
        LOCATOR[3],
    ],
};

pub const SOURCES: Table = Table {
    name: "sources",
    doc: "one row per input read (as diagnostics.sources; never filtered)",
    columns: &[
        c("name", Text, "the input's name"),
        c("source", Text, "the source (folder, machine) the input belongs to; empty when unnamed"),
        c("container", Text, "plain, gzip or zip"),
        c("bytes", Int, "bytes read"),
        c("lines", Int, "lines"),
        c("events", Int, "events"),
        c("metrics_rows", Int, "metrics rows"),
        c("alerts", Int, "alerts"),
        c("skipped", Int, "skipped lines"),
        c("duplicates", Int, "duplicate lines"),
        c("error", Text, "why the input stopped early, if it did"),
    ],
};

pub const DIAGNOSTICS: Table = Table {
    name: "diagnostics",
    doc: "what the read found wrong, never filtered: kind `skipped_line` (source, line, detail = reason), `superseded_row` (attempt_id, source, line), `field_warning` (detail = field, count), `duplicate_lines` and `events_without_attempt` (count)",
    columns: &[
        c("kind", Text, "skipped_line, superseded_row, field_warning, duplicate_lines or events_without_attempt"),
        c("source", Text, "input"),
        c("line", Int, "line"),
        c("attempt_id", Text, "attempt (superseded rows)"),
        c("detail", Text, "reason or field name"),
        c("count", Int, "count (1 for a line)"),
    ],
};

/// Every table, in the order they are written.
pub const TABLES: &[Table] = &[
    SESSIONS,
    SESSION_CATEGORIES,
    SESSION_FILES,
    SESSION_ANOMALY_ACTIONS,
    EVENTS,
    ERRORS,
    TOOL_CALLS,
    TOOL_LATENCIES,
    METRICS_ROWS,
    ALERTS,
    SOURCES,
    DIAGNOSTICS,
];

/// One column's values in a row group.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
}

impl Values {
    fn new(kind: Kind, cap: usize) -> Values {
        match kind {
            Int => Values::Int(Vec::with_capacity(cap)),
            Float => Values::Float(Vec::with_capacity(cap)),
            Bool => Values::Bool(Vec::with_capacity(cap)),
            Text => Values::Text(Vec::with_capacity(cap)),
        }
    }
    pub fn len(&self) -> usize {
        match self {
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Text(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn clear(&mut self) {
        match self {
            Values::Int(v) => v.clear(),
            Values::Float(v) => v.clear(),
            Values::Bool(v) => v.clear(),
            Values::Text(v) => v.clear(),
        }
    }
}

/// A value for one cell.
pub enum Cell<'s> {
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Text(Option<&'s str>),
}

impl From<Option<i64>> for Cell<'_> {
    fn from(v: Option<i64>) -> Self {
        Cell::Int(v)
    }
}
impl From<i64> for Cell<'_> {
    fn from(v: i64) -> Self {
        Cell::Int(Some(v))
    }
}
impl From<Option<u64>> for Cell<'_> {
    fn from(v: Option<u64>) -> Self {
        Cell::Int(v.map(sat))
    }
}
impl From<u64> for Cell<'_> {
    fn from(v: u64) -> Self {
        Cell::Int(Some(sat(v)))
    }
}
impl From<u32> for Cell<'_> {
    fn from(v: u32) -> Self {
        Cell::Int(Some(v as i64))
    }
}
impl From<Option<f64>> for Cell<'_> {
    fn from(v: Option<f64>) -> Self {
        Cell::Float(v)
    }
}
impl From<Option<bool>> for Cell<'_> {
    fn from(v: Option<bool>) -> Self {
        Cell::Bool(v)
    }
}
impl From<bool> for Cell<'_> {
    fn from(v: bool) -> Self {
        Cell::Bool(Some(v))
    }
}
impl<'s> From<Option<&'s str>> for Cell<'s> {
    fn from(v: Option<&'s str>) -> Self {
        Cell::Text(v)
    }
}
impl<'s> From<&'s str> for Cell<'s> {
    fn from(v: &'s str) -> Self {
        Cell::Text(Some(v))
    }
}

/// A count from the logs as a Parquet INT64 (saturating: counts may be anything up to u64::MAX).
fn sat(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Where the tables go, a row group at a time: the CLI's Parquet writer, or a test's collector.
pub trait TableSink {
    type Error;
    fn begin(&mut self, table: &Table) -> Result<(), Self::Error>;
    /// One row group: a column of values per column of the table, all of one length.
    fn row_group(&mut self, table: &Table, columns: &[Values]) -> Result<(), Self::Error>;
    fn end(&mut self, table: &Table) -> Result<(), Self::Error>;
}

/// The rows of one table being made, handed to the sink every `rows_per_group` rows.
struct Rows<'k, S: TableSink> {
    table: &'static Table,
    columns: Vec<Values>,
    rows: usize,
    per_group: usize,
    sink: &'k mut S,
}

impl<'k, S: TableSink> Rows<'k, S> {
    fn start(table: &'static Table, per_group: usize, sink: &'k mut S) -> Result<Self, S::Error> {
        sink.begin(table)?;
        let cap = per_group.min(1 << 16);
        let columns = table.columns.iter().map(|c| Values::new(c.kind, cap)).collect();
        Ok(Rows { table, columns, rows: 0, per_group: per_group.max(1), sink })
    }

    /// Adds one row; its cells in the table's column order.
    fn row(&mut self, cells: &[Cell]) -> Result<(), S::Error> {
        debug_assert_eq!(cells.len(), self.columns.len(), "{}: a row of {} cells", self.table.name, cells.len());
        for (col, cell) in self.columns.iter_mut().zip(cells) {
            match (col, cell) {
                (Values::Int(v), Cell::Int(x)) => v.push(*x),
                (Values::Float(v), Cell::Float(x)) => v.push(*x),
                (Values::Float(v), Cell::Int(x)) => v.push(x.map(|x| x as f64)),
                (Values::Bool(v), Cell::Bool(x)) => v.push(*x),
                (Values::Text(v), Cell::Text(x)) => v.push(x.map(str::to_string)),
                (col, _) => {
                    debug_assert!(false, "{}: a cell of the wrong type", self.table.name);
                    match col {
                        Values::Int(v) => v.push(None),
                        Values::Float(v) => v.push(None),
                        Values::Bool(v) => v.push(None),
                        Values::Text(v) => v.push(None),
                    }
                }
            }
        }
        self.rows += 1;
        if self.rows >= self.per_group {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), S::Error> {
        if self.rows > 0 {
            self.sink.row_group(self.table, &self.columns)?;
            self.columns.iter_mut().for_each(Values::clear);
            self.rows = 0;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(), S::Error> {
        self.flush()?;
        self.sink.end(self.table)
    }
}

/// Rows per row group the CLI writes: large enough for engines to scan well, small enough that
/// one group of the widest table stays a few tens of MB.
pub const ROWS_PER_GROUP: usize = 128 * 1024;

/// Writes every table of `view` to `sink`, in [`TABLES`] order, `rows_per_group` rows a group.
pub fn export<S: TableSink>(view: &View, rows_per_group: usize, sink: &mut S) -> Result<(), S::Error> {
    sessions(view, rows_per_group, sink)?;
    session_categories(view, rows_per_group, sink)?;
    session_files(view, rows_per_group, sink)?;
    session_anomaly_actions(view, rows_per_group, sink)?;
    events(view, rows_per_group, sink)?;
    errors(view, rows_per_group, sink)?;
    tool_calls(view, rows_per_group, sink)?;
    tool_latencies(view, rows_per_group, sink)?;
    metrics_rows(view, rows_per_group, sink)?;
    alerts(view, rows_per_group, sink)?;
    sources(view, rows_per_group, sink)?;
    diagnostics(view, rows_per_group, sink)
}

/// A symbol's text, `None` when absent.
fn opt<'a>(view: &View<'a>, s: Sym) -> Option<&'a str> {
    if s.is_none() {
        None
    } else {
        Some(view.str(s))
    }
}

fn sessions<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let data = view.data;
    let store = &data.store;
    let mut rows = Rows::start(&SESSIONS, n, sink)?;
    for &si in &view.sessions {
        let s = &data.sessions[si as usize];
        let f = &data.derived.facts[si as usize];
        let g = &data.derived.digests[si as usize];
        let row = s.metrics_row.and_then(|i| store.metrics.get(i));
        let metrics_source = row.map(|r| store.source_name(r.loc.source()));
        let actions = (!s.anomaly_actions.is_empty())
            .then(|| s.anomaly_actions.iter().map(|&a| view.str(a)).collect::<Vec<_>>().join(","));
        let day = s.start_ms.map(|t| format_day(day_of(t, view.params.utc_offset_minutes)));
        let cost_source = match view.cost_source(si) {
            CostSource::Recorded => "recorded",
            CostSource::Estimated => "estimated",
            CostSource::Unknown => "unknown",
        };
        let cost = view.cost(si);
        rows.row(&[
            view.str(s.attempt).into(),
            opt(view, s.task_id).into(),
            view.task_key(s).into(),
            opt(view, s.task_title).into(),
            opt(view, s.executor).into(),
            opt(view, s.executor_variant).into(),
            opt(view, s.model).into(),
            data.store.origins.get(s.origin as usize).map_or("", |o| o.name.as_str()).into(),
            (if row.is_some() { "metrics_row" } else { "events" }).into(),
            metrics_source.as_deref().into(),
            row.map(|r| r.loc.line()).into(),
            s.start_ms.into(),
            s.end_ms.into(),
            day.as_deref().into(),
            s.duration_ms.into(),
            s.success.into(),
            s.first_shot_success.into(),
            s.auto_resume.into(),
            s.review_passed.into(),
            s.attempts.into(),
            s.continues.into(),
            s.errors.into(),
            g.error_events.into(),
            s.tool_calls.into(),
            s.tool_failures.into(),
            (s.anomaly_actions.len() as u64).into(),
            actions.as_deref().into(),
            s.permission_denied.into(),
            cost_source.into(),
            cost.into(),
            Cell::Float(cost.map(|c| crate::model::money::usd(c as i128))),
            f.cost.into(),
            view.estimated(si).into(),
            f.total_tokens.into(),
            s.usage.prompt_tokens.into(),
            s.usage.completion_tokens.into(),
            s.tokens.input.into(),
            s.tokens.cached_input.into(),
            s.tokens.cache_read.into(),
            s.tokens.cache_creation.into(),
            s.tokens.output.into(),
            s.commits.into(),
            s.diff_files_changed.into(),
            s.diff_lines_added.into(),
            s.diff_lines_deleted.into(),
            (s.diff_files.len() as u64).into(),
            s.commands.into(),
            s.command_failures.into(),
            g.test_runs.into(),
            g.lint_runs.into(),
            f.events.into(),
            g.first_ms.into(),
            g.last_ms.into(),
        ])?;
    }
    rows.finish()
}

fn session_categories<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let mut rows = Rows::start(&SESSION_CATEGORIES, n, sink)?;
    for &si in &view.sessions {
        let attempt = view.str(view.data.sessions[si as usize].attempt);
        for &(cat, count) in view.categories(si) {
            rows.row(&[attempt.into(), view.category_name(cat).into(), count.into()])?;
        }
    }
    rows.finish()
}

fn session_files<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let derived = &view.data.derived;
    let mut rows = Rows::start(&SESSION_FILES, n, sink)?;
    for &si in &view.sessions {
        let attempt = view.str(view.data.sessions[si as usize].attempt);
        for &file in derived.session_files(si) {
            let name = derived.files.get(file as usize).map_or("", |&f| view.str(f));
            rows.row(&[attempt.into(), name.into()])?;
        }
    }
    rows.finish()
}

fn session_anomaly_actions<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let derived = &view.data.derived;
    let mut rows = Rows::start(&SESSION_ANOMALY_ACTIONS, n, sink)?;
    let mut seen: Vec<Sym> = Vec::new();
    for &si in &view.sessions {
        let attempt = view.str(view.data.sessions[si as usize].attempt);
        seen.clear();
        for &a in derived.anomaly_actions(si) {
            if a.is_some() && !seen.contains(&a) {
                seen.push(a);
                rows.row(&[attempt.into(), view.str(a).into()])?;
            }
        }
    }
    rows.finish()
}

/// The session an event belongs to, `NO_SESSION` for none.
fn session_of(view: &View, attempt: Sym) -> u32 {
    if attempt.is_none() {
        return NO_SESSION;
    }
    view.data.session_of_attempt.get(&attempt).copied().unwrap_or(NO_SESSION)
}

/// A locator's four cells (source name, line, offset, length).
fn locator_cells(view: &View, loc: &Locator, name: &mut String) -> [Option<i64>; 3] {
    name.clear();
    name.push_str(&view.data.store.source_name(loc.source()));
    [Some(sat(loc.line())), loc.offset().map(sat), Some(loc.len() as i64)]
}

fn events<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let store = &view.data.store;
    let mut rows = Rows::start(&EVENTS, n, sink)?;
    let mut source = String::new();
    // each event's place in its session's events (time order), as the alert replay walks them
    let mut seq: HashMap<u32, i64> = HashMap::new();
    for s in &view.data.sessions {
        seq.extend(s.events.iter().enumerate().map(|(k, &i)| (i, k as i64)));
    }
    for (i, e) in store.events.iter().enumerate() {
        let ctx = store.context(e.ctx);
        if !view.event_in_view(i as u32, session_of(view, ctx.attempt)) {
            continue;
        }
        let [line, offset, len] = locator_cells(view, &e.loc, &mut source);
        let (mut tool, mut prompt, mut status, mut cost, mut fingerprint, mut transient) =
            (Sym::NONE, Sym::NONE, Sym::NONE, None, Sym::NONE, None);
        match e.detail {
            Detail::ToolCall { tool: t, .. } | Detail::ToolResult { tool: t, .. } => tool = t,
            Detail::SessionStart { prompt_type } => prompt = prompt_type,
            Detail::SessionEnd { status: st, .. } => {
                status = st;
                cost = store.usage(e.usage).and_then(|u| u.cost_usd);
            }
            Detail::Error { fingerprint: f, .. } => {
                fingerprint = f;
                transient = Some(f.is_some() && is_transient_fingerprint(view.str(f)));
            }
            _ => {}
        }
        rows.row(&[
            (i as u64).into(),
            opt(view, ctx.attempt).into(),
            opt(view, ctx.task_id).into(),
            opt(view, ctx.executor).into(),
            opt(view, ctx.model).into(),
            opt(view, e.event_type).into(),
            e.ts_ms().into(),
            e.sequence_num().map(i64::from).into(),
            seq.get(&(i as u32)).copied().into(),
            opt(view, tool).into(),
            opt(view, prompt).into(),
            opt(view, status).into(),
            cost.into(),
            opt(view, fingerprint).into(),
            transient.into(),
            source.as_str().into(),
            line.into(),
            offset.into(),
            len.into(),
        ])?;
    }
    rows.finish()
}

fn errors<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let store = &view.data.store;
    let facts = &view.data.derived.facts;
    let mut rows = Rows::start(&ERRORS, n, sink)?;
    for e in view.errors() {
        let in_session = e.session != NO_SESSION;
        let (executor, model) = match facts.get(e.session as usize) {
            Some(f) if in_session => (f.executor, f.model),
            _ => {
                let ctx = store.events.get(e.event as usize).map(|ev| store.context(ev.ctx));
                (e.executor, ctx.map_or(Sym::NONE, |c| c.model))
            }
        };
        let recorded = if e.category.is_none() { UNCATEGORIZED } else { view.str(e.category) };
        rows.row(&[
            (e.event as u64).into(),
            opt(view, e.attempt).into(),
            in_session.into(),
            (if e.task.is_none() { NO_TASK } else { view.str(e.task) }).into(),
            opt(view, e.executor).into(),
            opt(view, executor).into(),
            opt(view, model).into(),
            e.ts_ms.into(),
            recorded.into(),
            view.category_name(view.error_category(e)).into(),
            view.category_inferred(e).into(),
            opt(view, e.fingerprint).into(),
            opt(view, e.message).into(),
        ])?;
    }
    rows.finish()
}

fn tool_calls<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let data = view.data;
    let derived = &data.derived;
    let store = &data.store;
    let tool_name = |t: u32| derived.tools.get(t as usize).map_or(UNKNOWN, |&s| opt(view, s).unwrap_or(UNKNOWN));
    let mut rows = Rows::start(&TOOL_CALLS, n, sink)?;
    for &si in &view.sessions {
        let attempt = view.str(data.sessions[si as usize].attempt);
        for t in derived.session_tools(si) {
            rows.row(&[
                attempt.into(),
                tool_name(t.tool).into(),
                t.calls.into(),
                t.results.into(),
                t.failures.into(),
                t.known.into(),
                (derived.latencies(t).len() as u64).into(),
                None::<i64>.into(),
                None::<i64>.into(),
            ])?;
        }
    }
    // events without attempt_id count, one row each, never paired
    for &i in &view.loose_events {
        let (tool, calls, results, failed, class) = match store.events[i as usize].detail {
            Detail::ToolCall { tool, command_class, .. } => (tool, 1u64, 0u64, None, command_class),
            Detail::ToolResult { tool, failed } => (tool, 0, 1, failed, 0),
            _ => continue,
        };
        let name = opt(view, tool).unwrap_or(UNKNOWN);
        rows.row(&[
            None::<&str>.into(),
            name.into(),
            calls.into(),
            results.into(),
            ((failed == Some(true)) as u64).into(),
            (failed.is_some() as u64).into(),
            0u64.into(),
            ((class & COMMAND_TEST != 0) as u64).into(),
            ((class & COMMAND_LINT != 0) as u64).into(),
        ])?;
    }
    rows.finish()
}

fn tool_latencies<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let data = view.data;
    let derived = &data.derived;
    let mut rows = Rows::start(&TOOL_LATENCIES, n, sink)?;
    for &si in &view.sessions {
        let attempt = view.str(data.sessions[si as usize].attempt);
        for t in derived.session_tools(si) {
            let name = derived.tools.get(t.tool as usize).map_or(UNKNOWN, |&s| opt(view, s).unwrap_or(UNKNOWN));
            for &ms in derived.latencies(t) {
                rows.row(&[attempt.into(), name.into(), Cell::Float(Some(ms))])?;
            }
        }
    }
    rows.finish()
}

fn metrics_rows<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let data = view.data;
    let store = &data.store;
    let mut superseded: Vec<(u32, u64)> = data.superseded.iter().map(|s| (s.loc.source(), s.loc.line())).collect();
    superseded.sort_unstable();
    let mut rows = Rows::start(&METRICS_ROWS, n, sink)?;
    let mut source = String::new();
    for &i in &view.metrics_rows {
        let r = &store.metrics[i as usize];
        let lost = superseded.binary_search(&(r.loc.source(), r.loc.line())).is_ok();
        let [line, offset, len] = locator_cells(view, &r.loc, &mut source);
        rows.row(&[
            opt(view, r.ctx.attempt).into(),
            r.ts_ms.into(),
            lost.into(),
            source.as_str().into(),
            line.into(),
            offset.into(),
            len.into(),
        ])?;
    }
    rows.finish()
}

fn alerts<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let store = &view.data.store;
    let mut rows = Rows::start(&ALERTS, n, sink)?;
    let mut source = String::new();
    for &i in &view.alerts {
        let a = &store.alerts[i as usize];
        let [line, offset, len] = locator_cells(view, &a.loc, &mut source);
        let day = a.ts_ms.map(|t| format_day(day_of(t, view.params.utc_offset_minutes)));
        rows.row(&[
            (i as u64).into(),
            a.ts_ms.into(),
            day.as_deref().into(),
            opt(view, a.alert_type).into(),
            opt(view, a.severity).into(),
            opt(view, a.attempt).into(),
            opt(view, a.task_id).into(),
            opt(view, a.executor).into(),
            a.occurrences.map(u64::from).into(),
            opt(view, a.cooldown_key).into(),
            source.as_str().into(),
            line.into(),
            offset.into(),
            len.into(),
        ])?;
    }
    rows.finish()
}

fn sources<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let mut rows = Rows::start(&SOURCES, n, sink)?;
    let store = &view.data.store;
    for (i, s) in store.sources.iter().enumerate() {
        // named as diagnostics.sources and the locators name it (after its source when several)
        let name = store.source_name(i as u32);
        rows.row(&[
            name.as_str().into(),
            store.origins.get(s.origin as usize).map_or("", |o| o.name.as_str()).into(),
            s.container.into(),
            s.bytes.into(),
            s.lines.into(),
            s.events.into(),
            s.metrics_rows.into(),
            s.alerts.into(),
            s.skipped.into(),
            s.duplicates.into(),
            s.error.as_deref().into(),
        ])?;
    }
    rows.finish()
}

fn diagnostics<S: TableSink>(view: &View, n: usize, sink: &mut S) -> Result<(), S::Error> {
    let data = view.data;
    let store = &data.store;
    let d = &store.diagnostics;
    let mut rows = Rows::start(&DIAGNOSTICS, n, sink)?;
    for s in store.skipped_lines() {
        let reason = s.reason.to_string();
        rows.row(&[
            "skipped_line".into(),
            s.source.as_str().into(),
            s.line.into(),
            None::<&str>.into(),
            reason.as_str().into(),
            1u64.into(),
        ])?;
    }
    for s in &data.superseded {
        let source = store.source_name(s.loc.source());
        rows.row(&[
            "superseded_row".into(),
            source.as_str().into(),
            s.loc.line().into(),
            opt(view, s.attempt).into(),
            None::<&str>.into(),
            1u64.into(),
        ])?;
    }
    for (field, &count) in &d.field_warnings {
        rows.row(&[
            "field_warning".into(),
            None::<&str>.into(),
            None::<i64>.into(),
            None::<&str>.into(),
            (*field).into(),
            count.into(),
        ])?;
    }
    for (kind, count) in [("duplicate_lines", d.duplicate_lines), ("events_without_attempt", d.events_without_attempt)]
    {
        rows.row(&[
            kind.into(),
            None::<&str>.into(),
            None::<i64>.into(),
            None::<&str>.into(),
            None::<&str>.into(),
            count.into(),
        ])?;
    }
    rows.finish()
}

/// The schema as Markdown (`sql/schema.md`, checked against this by `tests/export.rs`): every
/// table with its columns, types and meanings.
pub fn schema_markdown() -> String {
    let mut out = format!(
        "# The Parquet tables of `spyglass export --parquet`\n\n\
         Schema version {SCHEMA_VERSION} (each file's key-value metadata `spyglass.schema_version`). \
         One file per table, `<table>.parquet`. Every column may be null: null is an unknown fact, never 0. \
         Times are epoch milliseconds UTC (`*_ms`), money is exact integer nano-dollars (`*_nanos`) \
         and USD as a double (`*_usd`). Generated from `src/export/mod.rs` (`UPDATE_GOLDEN=1 cargo test --test main export::` \
         writes it again).\n"
    );
    for t in TABLES {
        let mut doc = t.doc.chars();
        let doc = doc.next().map(|c| c.to_uppercase().chain(doc).collect::<String>()).unwrap_or_default();
        out.push_str(&format!("\n## `{}`\n\n{doc}.\n\n| column | type | what |\n| --- | --- | --- |\n", t.name));
        for c in t.columns {
            let kind = match c.kind {
                Int => "INT64",
                Float => "DOUBLE",
                Bool => "BOOLEAN",
                Text => "STRING",
            };
            out.push_str(&format!("| `{}` | {kind} | {} |\n", c.name, c.doc.replace('|', "\\|")));
        }
    }
    out
}
