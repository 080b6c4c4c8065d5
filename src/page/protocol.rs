//! The messages between the page (UI thread), its worker and the parse workers: the one place
//! they are described. README.md and ARCHITECTURE.md point here.
//!
//! ```text
//!            ToWorker ─────────────►                       RangeRequest ─────────►
//!   page (web/app)            worker (web/worker, holds the Store)            parse workers (web/parsers)
//!            ◄───────────── FromWorker                     ◄───────── RangeAnswer
//! ```
//!
//! Every message is a plain JS object whose `type` names the variant in snake_case, with the
//! payload's fields beside it (`{type: "progress", name, id, done, …}`): serde's internally
//! tagged form. Scripts may read them (tests/e2e/bench.mjs reads `progress` and `report`).
//!
//! The parse workers are more instances of the worker script: the page starts them on the
//! worker's [`FromWorker::WantParsers`], gives each one end of a `MessageChannel` with
//! [`ToWorker::Parser`] and the worker the other ends with [`ToWorker::Parsers`]; they post
//! [`FromWorker::Ready`] (and [`FromWorker::Fatal`]) to the page like the worker, and answer
//! [`RangeRequest`]s on their port with a [`RangeAnswer`].
//!
//! `J` is a value that crosses as the same JavaScript object, never copied through Rust: a
//! `File`, a `MessagePort`, bytes to transfer, or a long JS string (the report's JSON text, which
//! the page parses a section at a time). In the browser it is `web::protocol::Js`; the tests use
//! any serde type. The conversion to and from `JsValue` lives in `web::protocol`: serialising is
//! serde's (through serde-wasm-bindgen), reading goes through [`ToWorker::read`] and its
//! siblings, which take the `type` and then read the payload directly from the JS object — serde's
//! own reading of internally tagged enums buffers the fields first and would lose the `J` values.
//!
//! Failures the page shows come as [`FromWorker::Error`] with an [`ErrorKind`] the page acts on
//! (never a prefix of the text); a panic comes as [`FromWorker::Fatal`] and ends the worker.

use super::facets::Facets;
use crate::pipelines::Filters;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a message's payload is read from once its `type` is known: serde-wasm-bindgen on the
/// posted JS object in the browser, serde_json in the tests.
pub trait Payload {
    type Error: std::fmt::Display;
    fn read<T: DeserializeOwned>(self) -> Result<T, Self::Error>;
}

/// A message that could not be read: an unknown `type`, or a payload that does not fit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn payload<T: DeserializeOwned, P: Payload>(tag: &str, p: P) -> Result<T, ReadError> {
    p.read().map_err(|e| ReadError(format!("message {tag:?}: {e}")))
}

fn unknown<T>(tag: &str) -> Result<T, ReadError> {
    Err(ReadError(format!("unknown message {tag:?}")))
}

// ---- page → worker ------------------------------------------------------------------------------

/// Page → worker (and, for [`ToWorker::Parser`], page → parse worker).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWorker<J> {
    /// Queue files for reading (after those queued already).
    Load(Load<J>),
    /// Generate the demo data set in memory and read it.
    Demo(Demo),
    /// Stop the file being read and drop the queue: answered with [`FromWorker::Cancelled`] at
    /// once (the read stops at its next slice).
    Cancel,
    /// Forget everything (removing one file resets, then loads the others again).
    Reset,
    /// Recompute the figures under new filters and parameters.
    Compute(Compute),
    /// The drill-down of one attempt: answered with [`FromWorker::Timeline`].
    Timeline(TimelineRequest),
    /// An A/B comparison of two filters of the data loaded, under the parameters in force:
    /// answered with [`FromWorker::Comparison`].
    Compare(CompareRequest),
    /// The HTML report of the current view: answered with [`FromWorker::Html`].
    Html,
    /// The JSON report of the current view (Export JSON): answered with [`FromWorker::Export`].
    Export,
    /// The answer to [`FromWorker::WantParsers`]: the worker's ends of the channels to the parse
    /// workers (transferred), none on a machine of fewer than three cores.
    Parsers(Ports<J>),
    /// To another instance of the worker script: be a parse worker answering on `port`.
    Parser(Port<J>),
    /// Watch a folder (a `FileSystemDirectoryHandle`): every [`WATCH_EVERY_MS`] the worker walks
    /// it and reads what changed (`ingest::watch::look`), answering each look that read anything,
    /// or said anything, with [`FromWorker::Watched`] and then a [`FromWorker::Report`]. The page
    /// sends a `reset` first: the folder is all that is loaded.
    Watch(WatchFolder<J>),
    /// Stop watching: what was read stays.
    Unwatch,
}

/// How often a watched folder is looked at.
pub const WATCH_EVERY_MS: f64 = 2000.0;

/// Ids of a watched folder's files start here.
pub const FIRST_WATCH_ID: u32 = 2_000_000;

/// The folder to watch, with the page's memory settings (as [`Load`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchFolder<J> {
    pub dir: J,
    pub memory_mib: Option<f64>,
    pub dpr: f64,
}

/// Files to read, with the page's memory settings (for the records' budget, `page::budget`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Load<J> {
    pub inputs: Vec<LoadInput<J>>,
    /// the tab's memory target (`?memory=` on the page, or a "Read all of it"); `None`: the default
    pub memory_mib: Option<f64>,
    /// the page's device pixel ratio: the charts' canvases take memory by its square
    pub dpr: f64,
}

/// One file to read: the page's id for it, the name diagnostics give it (a folder's files are
/// named by their path below it) and the `File`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadInput<J> {
    pub id: u32,
    pub name: String,
    pub file: J,
    /// the source it comes from (a dropped folder, an archive: `ingest::origin`); lines are
    /// de-duplicated across sources and counted per source when there are several
    #[serde(default)]
    pub origin: String,
}

/// Ids of the inputs the demo generator makes start here (the page's own ids count from 1).
pub const FIRST_DEMO_ID: u32 = 1_000_000;

/// The demo, with the page's memory settings (as [`Load`]); its inputs get ids from
/// [`FIRST_DEMO_ID`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Demo {
    pub memory_mib: Option<f64>,
    pub dpr: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compute {
    pub filters: Filters,
    /// `Parameters` as JSON text: the worker checks it with `Parameters::from_json`, the core's
    /// one checked way in (the page checked it the same way first). Refused, it is answered with
    /// [`ErrorKind::Parameters`] and the filters and parameters in force stay.
    pub params: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineRequest {
    pub attempt: String,
}

/// Side A's and side B's filters (`page::comparison::sides`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareRequest {
    pub a: Filters,
    pub b: Filters,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ports<J> {
    pub ports: Vec<J>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Port<J> {
    pub port: J,
}

impl<J: DeserializeOwned> ToWorker<J> {
    /// The message of type `tag` whose payload `p` holds.
    pub fn read(tag: &str, p: impl Payload) -> Result<Self, ReadError> {
        Ok(match tag {
            "load" => ToWorker::Load(payload(tag, p)?),
            "demo" => ToWorker::Demo(payload(tag, p)?),
            "cancel" => ToWorker::Cancel,
            "reset" => ToWorker::Reset,
            "compute" => ToWorker::Compute(payload(tag, p)?),
            "timeline" => ToWorker::Timeline(payload(tag, p)?),
            "compare" => ToWorker::Compare(payload(tag, p)?),
            "html" => ToWorker::Html,
            "export" => ToWorker::Export,
            "parsers" => ToWorker::Parsers(payload(tag, p)?),
            "parser" => ToWorker::Parser(payload(tag, p)?),
            "watch" => ToWorker::Watch(payload(tag, p)?),
            "unwatch" => ToWorker::Unwatch,
            _ => return unknown(tag),
        })
    }
}

// ---- worker → page ------------------------------------------------------------------------------

/// Worker → page (a parse worker sends only `Ready` and `Fatal`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromWorker<J> {
    /// The worker's Wasm runs: messages posted before this are lost, so the page holds them.
    Ready,
    /// The first large plain file: start the parse workers and answer with [`ToWorker::Parsers`]
    /// (the worker waits for it).
    WantParsers,
    /// While a file is read: at most 10 a second, and at least about one a second.
    Progress(Progress),
    /// The answer to [`ToWorker::Cancel`], sent at once.
    Cancelled,
    /// Reading is over for now: the sessions and the report are being made (the page's watchdog
    /// then waits for the report).
    Building,
    /// The figures: after each file (at most every second while more are queued) and after each
    /// [`ToWorker::Compute`].
    Report(Box<ReportMessage<J>>),
    /// The answer to [`ToWorker::Export`].
    Export(ExportJson<J>),
    /// The answer to [`ToWorker::Timeline`].
    Timeline(TimelineJson),
    /// The answer to [`ToWorker::Compare`].
    Comparison(ComparisonJson),
    /// The answer to [`ToWorker::Html`].
    Html(HtmlReport<J>),
    /// A failure the page shows in its banner; the data loaded stays.
    Error(Failure),
    /// A panic: the worker is gone.
    Fatal(Fatal),
    /// A look at the watched folder read something or has something to say (and the first look,
    /// whatever it found); a [`FromWorker::Report`] follows when it read anything.
    Watched(WatchUpdate),
}

/// One look at a watched folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchUpdate {
    /// when the look ended (`Date.now()`)
    pub at_ms: f64,
    /// bytes and lines read by this look, and the lines per second since the last look that read
    pub bytes: u64,
    pub lines: u64,
    pub lines_per_s: f64,
    /// bytes read of the files watched now, from their starts (after a re-read: of this read)
    pub total_bytes: u64,
    pub files: u32,
    /// an input shrank or was replaced: every input was read again
    pub again: bool,
    /// the recorded alerts that arrived, as toasts say them (`page::watch::alert_toast`)
    pub alerts: Vec<String>,
    /// files gone, unreadable or cut mid-line, named (`page::watch`): the banner says them
    pub problems: Vec<String>,
    /// false: the watch ended (the folder itself could not be read); what was read stays
    pub live: bool,
}

/// How far the current batch of files got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// the file being read, and its input id
    pub name: String,
    pub id: u32,
    /// bytes of the batch read, of `total`
    pub done: u64,
    pub total: u64,
    pub percent: f64,
    pub mb_per_s: f64,
    /// time left at the batch's rate so far
    pub eta_s: f64,
    /// the file's decompressed bytes so far
    pub decompressed: u64,
    /// the worker's Wasm memory and what the records hold (`Store::held_bytes`), for benchmarks
    pub wasm_bytes: f64,
    pub records_bytes: f64,
    /// of the batch: time in the core and waiting for the next chunk
    pub core_ms: f64,
    pub wait_ms: f64,
    /// parse workers reading this file (0: read in order by the worker)
    pub parsers: u32,
}

/// The report of the current view, a section at a time, with what the controls and the files
/// list show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMessage<J> {
    /// the report split by top-level key, each as JSON text (the page parses one per render step)
    pub parts: BTreeMap<String, J>,
    /// arrays of over `BIG_ARRAY` rows, moved out of `parts` as JSON Lines text: section → field
    /// → text (the page keeps them as text and parses a row at a time: `report::lines`)
    pub big: BTreeMap<String, BTreeMap<String, J>>,
    pub facets: Facets,
    /// each section's headline, the conclusion its figures support (`report::findings`)
    pub headlines: BTreeMap<String, String>,
    pub inputs: Vec<InputStatus>,
    /// the sessions listed on the page as JSON text (`{total, rows}`, the first 1000), parsed in
    /// its own render step
    pub sessions: String,
    /// more files are queued: the figures are not final
    pub busy: bool,
    pub wasm_bytes: f64,
    pub records_bytes: f64,
}

/// Arrays longer than this go in [`ReportMessage::big`].
pub const BIG_ARRAY: usize = 1000;

/// Exactly `Report::to_json()` of the current view (built only when asked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportJson<J> {
    pub json: J,
}

/// `report::timeline::attempt_timeline` under the parameters in force — `cost_usd`,
/// `cost_source`, `price` (the row that priced an estimate), `tokens`, `total_tokens`, and per
/// error event `category` and `category_inferred` beside `error_category` as written — with the
/// events' raw lines read back (`raw`, each cut at 20 000 characters), as JSON text; `null` when
/// the attempt has no events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineJson {
    pub json: String,
}

/// `compare::Comparison::to_json()`: the document `spyglass compare --json` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonJson {
    pub json: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HtmlReport<J> {
    pub html: J,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fatal {
    pub message: String,
}

/// What failed, for the page to act on (the message says it to the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// [`Compute::params`] refused by `Parameters::from_json` (the message starts with
    /// `parameters:` and names the key); the page says it beside its parameters panel too
    Parameters,
    /// the demo generator failed: the demo is not loaded
    Demo,
    /// a file could not be read to its end (it failed, ended early, or its decoding gave up)
    Read,
    /// a file stopped at the records' memory budget
    Memory,
    /// a message the worker could not read
    Message,
}

impl<J: DeserializeOwned> FromWorker<J> {
    /// The message of type `tag` whose payload `p` holds.
    pub fn read(tag: &str, p: impl Payload) -> Result<Self, ReadError> {
        Ok(match tag {
            "ready" => FromWorker::Ready,
            "want_parsers" => FromWorker::WantParsers,
            "progress" => FromWorker::Progress(payload(tag, p)?),
            "cancelled" => FromWorker::Cancelled,
            "building" => FromWorker::Building,
            "report" => FromWorker::Report(Box::new(payload(tag, p)?)),
            "export" => FromWorker::Export(payload(tag, p)?),
            "timeline" => FromWorker::Timeline(payload(tag, p)?),
            "comparison" => FromWorker::Comparison(payload(tag, p)?),
            "html" => FromWorker::Html(payload(tag, p)?),
            "error" => FromWorker::Error(payload(tag, p)?),
            "fatal" => FromWorker::Fatal(payload(tag, p)?),
            "watched" => FromWorker::Watched(payload(tag, p)?),
            _ => return unknown(tag),
        })
    }
}

// ---- the files list -----------------------------------------------------------------------------

/// Where a file the page asked for is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputState {
    Queued,
    Reading,
    Done,
    Failed,
    Cancelled,
    /// stopped at the records' memory budget
    Stopped,
}

impl InputState {
    pub fn as_str(self) -> &'static str {
        match self {
            InputState::Queued => "queued",
            InputState::Reading => "reading",
            InputState::Done => "done",
            InputState::Failed => "failed",
            InputState::Cancelled => "cancelled",
            InputState::Stopped => "stopped",
        }
    }

    /// Queued or being read.
    pub fn is_pending(self) -> bool {
        matches!(self, InputState::Queued | InputState::Reading)
    }
}

/// One file the page asked for, and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputStatus {
    pub id: u32,
    pub name: String,
    pub size: u64,
    pub state: InputState,
    pub bytes_read: u64,
    /// what went wrong, or what the page should know (stopped, cancelled, a source's problem)
    pub error: Option<String>,
    /// indices into the report's `diagnostics.sources` (a `.zip` has one per entry)
    pub sources: Vec<u32>,
    /// stopped at the memory budget: the tab's memory target that reads all of it (an estimate;
    /// `None` when all of it is more than a tab can hold)
    pub memory_to_read_all_mib: Option<f64>,
    /// the sources' line counts, in the order of `sources`
    pub source_info: Vec<SourceLines>,
}

/// What the files list says of one source of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLines {
    /// `plain`, `gzip` or `zip`
    pub container: String,
    pub lines: u64,
    pub skipped: u64,
}

// ---- parse workers ------------------------------------------------------------------------------

/// Worker → parse worker, on its port: parse the lines that start in `[start, end)` of `file`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeRequest<J> {
    /// the answer carries it back
    pub seq: u32,
    pub file: J,
    pub start: u64,
    pub end: u64,
}

/// Parse worker → worker, on its port.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RangeAnswer<J> {
    /// `ingest::ranges::RangeResult` as postcard bytes (a `Uint8Array`, transferred)
    Parsed(Parsed<J>),
    /// why the range could not be read
    Failed(RangeFailed),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed<J> {
    pub seq: u32,
    pub result: J,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeFailed {
    pub seq: u32,
    pub error: String,
}

impl<J> RangeAnswer<J> {
    pub fn seq(&self) -> u32 {
        match self {
            RangeAnswer::Parsed(p) => p.seq,
            RangeAnswer::Failed(f) => f.seq,
        }
    }
}

impl<J: DeserializeOwned> RangeAnswer<J> {
    /// The answer of type `tag` whose payload `p` holds.
    pub fn read(tag: &str, p: impl Payload) -> Result<Self, ReadError> {
        Ok(match tag {
            "parsed" => RangeAnswer::Parsed(payload(tag, p)?),
            "failed" => RangeAnswer::Failed(payload(tag, p)?),
            _ => return unknown(tag),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A message's payload as serde_json reads it (the browser reads it with serde-wasm-bindgen).
    struct JsonPayload(Value);

    impl Payload for JsonPayload {
        type Error = serde_json::Error;
        fn read<T: DeserializeOwned>(self) -> Result<T, Self::Error> {
            serde_json::from_value(self.0)
        }
    }

    /// Written as the page writes it, read by the tag as the worker reads it.
    fn to_json<T: Serialize>(m: &T) -> (String, Value) {
        let v = serde_json::to_value(m).unwrap();
        (v["type"].as_str().expect("a type").to_string(), v)
    }

    fn file(name: &str) -> String {
        format!("<File {name}>")
    }

    /// One of each message page → worker (the match makes a new one a compile error here).
    fn every_to_worker() -> Vec<ToWorker<String>> {
        let all = vec![
            ToWorker::Load(Load {
                inputs: vec![
                    LoadInput { id: 1, name: "a.jsonl".into(), file: file("a"), origin: "laptop".into() },
                    LoadInput { id: 2, name: "logs/b.jsonl.gz".into(), file: file("b"), origin: "b".into() },
                ],
                memory_mib: Some(640.0),
                dpr: 2.0,
            }),
            ToWorker::Demo(Demo { memory_mib: None, dpr: 1.5 }),
            ToWorker::Cancel,
            ToWorker::Reset,
            ToWorker::Compute(Compute {
                filters: Filters {
                    since_ms: Some(1_770_595_200_000),
                    until_ms: None,
                    executors: vec!["CODEX".into()],
                    models: vec![],
                    task: Some("login".into()),
                    sources: vec!["laptop".into()],
                },
                params: r#"{"w_cost":2}"#.into(),
            }),
            ToWorker::Timeline(TimelineRequest { attempt: "A1".into() }),
            ToWorker::Compare(CompareRequest {
                a: Filters::default(),
                b: Filters { executors: vec!["CLAUDE".into()], ..Filters::default() },
            }),
            ToWorker::Html,
            ToWorker::Export,
            ToWorker::Parsers(Ports { ports: vec![file("port 1"), file("port 2")] }),
            ToWorker::Parser(Port { port: file("port") }),
            ToWorker::Watch(WatchFolder { dir: file("dir handle"), memory_mib: None, dpr: 2.0 }),
            ToWorker::Unwatch,
        ];
        for m in &all {
            match m {
                ToWorker::Load(_)
                | ToWorker::Demo(_)
                | ToWorker::Cancel
                | ToWorker::Reset
                | ToWorker::Compute(_)
                | ToWorker::Timeline(_)
                | ToWorker::Compare(_)
                | ToWorker::Html
                | ToWorker::Export
                | ToWorker::Parsers(_)
                | ToWorker::Parser(_)
                | ToWorker::Watch(_)
                | ToWorker::Unwatch => {}
            }
        }
        all
    }

    fn sample_report() -> ReportMessage<String> {
        ReportMessage {
            parts: [("summary".to_string(), r#"{"files":1}"#.to_string())].into(),
            big: [("tools".to_string(), [("rows".to_string(), "{}\n{}\n".to_string())].into())].into(),
            facets: Facets {
                executors: vec!["CODEX".into()],
                models: vec!["gpt-5".into(), "o3".into()],
                first_ms: Some(1_770_631_200_000),
                last_ms: Some(1_770_717_600_000),
                daily: vec![(1_770_595_200_000, 3), (1_770_681_600_000, 1)],
                sessions: 4,
                executor_sessions: vec![4],
                model_sessions: vec![3, 1],
                sources: vec!["laptop".into(), "desk".into()],
                source_sessions: vec![3, 1],
                daily_matching: vec![],
            },
            headlines: [("tools".to_string(), "shell fails most".to_string())].into(),
            inputs: vec![InputStatus {
                id: 1,
                name: "a.zip".into(),
                size: 2048,
                state: InputState::Stopped,
                bytes_read: 1024,
                error: Some("a.zip: too large".into()),
                sources: vec![0, 1],
                memory_to_read_all_mib: Some(704.0),
                source_info: vec![
                    SourceLines { container: "zip".into(), lines: 10, skipped: 1 },
                    SourceLines { container: "zip".into(), lines: 4, skipped: 0 },
                ],
            }],
            sessions: r#"{"total":0,"rows":[]}"#.into(),
            busy: true,
            wasm_bytes: 1_048_576.0,
            records_bytes: 5_000.0,
        }
    }

    /// One of each message worker → page, with every error kind.
    fn every_from_worker() -> Vec<FromWorker<String>> {
        let mut all = vec![
            FromWorker::Ready,
            FromWorker::WantParsers,
            FromWorker::Progress(Progress {
                name: "a.jsonl".into(),
                id: 3,
                done: 1_500_000,
                total: 3_000_000,
                percent: 50.0,
                mb_per_s: 12.5,
                eta_s: 0.12,
                decompressed: 1_500_000,
                wasm_bytes: 2_097_152.0,
                records_bytes: 1000.0,
                core_ms: 80.0,
                wait_ms: 20.0,
                parsers: 2,
            }),
            FromWorker::Cancelled,
            FromWorker::Building,
            FromWorker::Report(Box::new(sample_report())),
            FromWorker::Export(ExportJson { json: "{\"summary\":{}}".into() }),
            FromWorker::Timeline(TimelineJson { json: "null".into() }),
            FromWorker::Comparison(ComparisonJson { json: "{\"rows\":[]}".into() }),
            FromWorker::Html(HtmlReport { html: "<!doctype html>".into() }),
            FromWorker::Fatal(Fatal { message: "internal error in the worker: boom".into() }),
            FromWorker::Watched(WatchUpdate {
                at_ms: 1_770_631_200_000.0,
                bytes: 4096,
                lines: 12,
                lines_per_s: 6.0,
                total_bytes: 10_000,
                files: 2,
                again: false,
                alerts: vec!["error_loop on a1 (high)".into()],
                problems: vec!["b.jsonl: gone; what was read of it stays".into()],
                live: true,
            }),
        ];
        for kind in [ErrorKind::Parameters, ErrorKind::Demo, ErrorKind::Read, ErrorKind::Memory, ErrorKind::Message] {
            match kind {
                ErrorKind::Parameters | ErrorKind::Demo | ErrorKind::Read | ErrorKind::Memory | ErrorKind::Message => {}
            }
            all.push(FromWorker::Error(Failure { kind, message: format!("{kind:?} failed") }));
        }
        for m in &all {
            match m {
                FromWorker::Ready
                | FromWorker::WantParsers
                | FromWorker::Progress(_)
                | FromWorker::Cancelled
                | FromWorker::Building
                | FromWorker::Report(_)
                | FromWorker::Export(_)
                | FromWorker::Timeline(_)
                | FromWorker::Comparison(_)
                | FromWorker::Html(_)
                | FromWorker::Error(_)
                | FromWorker::Fatal(_)
                | FromWorker::Watched(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_message_to_the_worker_reads_back_as_written() {
        for m in every_to_worker() {
            let (tag, v) = to_json(&m);
            assert_eq!(ToWorker::<String>::read(&tag, JsonPayload(v)).unwrap(), m, "{tag}");
        }
    }

    #[test]
    fn every_message_from_the_worker_reads_back_as_written() {
        for m in every_from_worker() {
            let (tag, v) = to_json(&m);
            assert_eq!(FromWorker::<String>::read(&tag, JsonPayload(v)).unwrap(), m, "{tag}");
        }
    }

    #[test]
    fn range_answers_read_back_as_written() {
        let answers = [
            RangeAnswer::Parsed(Parsed { seq: 7, result: "<bytes>".to_string() }),
            RangeAnswer::Failed(RangeFailed { seq: 8, error: "the file ended early".into() }),
        ];
        for a in answers {
            let (tag, v) = to_json(&a);
            let back = RangeAnswer::<String>::read(&tag, JsonPayload(v)).unwrap();
            assert_eq!(back.seq(), a.seq());
            assert_eq!(back, a);
        }
        let request = RangeRequest { seq: 1, file: file("big"), start: 8 << 20, end: 16 << 20 };
        let v = serde_json::to_value(&request).unwrap();
        assert_eq!(v, json!({"seq": 1, "file": "<File big>", "start": 8_388_608, "end": 16_777_216}));
        assert_eq!(serde_json::from_value::<RangeRequest<String>>(v).unwrap(), request);
    }

    /// The wire form scripts see: flat objects tagged by `type`, names in snake_case.
    #[test]
    fn messages_are_flat_objects_tagged_by_type() {
        assert_eq!(serde_json::to_value(ToWorker::<String>::Cancel).unwrap(), json!({"type": "cancel"}));
        assert_eq!(serde_json::to_value(FromWorker::<String>::WantParsers).unwrap(), json!({"type": "want_parsers"}));
        let load = ToWorker::Load(Load {
            inputs: vec![LoadInput { id: 1, name: "a.jsonl".into(), file: file("a"), origin: "laptop".into() }],
            memory_mib: None,
            dpr: 2.0,
        });
        assert_eq!(
            serde_json::to_value(load).unwrap(),
            json!({"type": "load", "inputs": [{"id": 1, "name": "a.jsonl", "file": "<File a>", "origin": "laptop"}], "memory_mib": null, "dpr": 2.0})
        );
        let error =
            FromWorker::<String>::Error(Failure { kind: ErrorKind::Parameters, message: "parameters: w_cost".into() });
        assert_eq!(
            serde_json::to_value(error).unwrap(),
            json!({"type": "error", "kind": "parameters", "message": "parameters: w_cost"})
        );
        let (_, report) = to_json(&FromWorker::Report(Box::new(sample_report())));
        assert_eq!(report["inputs"][0]["state"], "stopped");
        assert_eq!(report["big"]["tools"]["rows"], "{}\n{}\n");
        assert_eq!(report["facets"]["daily"][0], json!([1_770_595_200_000i64, 3]));
        for (state, text) in [
            (InputState::Queued, "queued"),
            (InputState::Reading, "reading"),
            (InputState::Done, "done"),
            (InputState::Failed, "failed"),
            (InputState::Cancelled, "cancelled"),
            (InputState::Stopped, "stopped"),
        ] {
            assert_eq!(serde_json::to_value(state).unwrap(), text);
            assert_eq!(state.as_str(), text);
            assert_eq!(state.is_pending(), matches!(state, InputState::Queued | InputState::Reading));
        }
    }

    #[test]
    fn unknown_types_and_bad_payloads_are_errors_that_say_which() {
        let e = ToWorker::<String>::read("reload", JsonPayload(json!({"type": "reload"}))).unwrap_err();
        assert_eq!(e.to_string(), "unknown message \"reload\"");
        let e =
            FromWorker::<String>::read("progress", JsonPayload(json!({"type": "progress", "name": "a"}))).unwrap_err();
        assert!(e.0.starts_with("message \"progress\": missing field"), "{e}");
        let e = ToWorker::<String>::read("timeline", JsonPayload(json!({"type": "timeline"}))).unwrap_err();
        assert_eq!(e.to_string(), "message \"timeline\": missing field `attempt`");
        assert!(RangeAnswer::<String>::read("done", JsonPayload(json!({}))).is_err());
        // a payload is read whatever else the object carries (its `type`, fields added later)
        let m = ToWorker::<String>::read("timeline", JsonPayload(json!({"type": "timeline", "attempt": "A", "x": 1})));
        assert_eq!(m.unwrap(), ToWorker::Timeline(TimelineRequest { attempt: "A".into() }));
    }
}
