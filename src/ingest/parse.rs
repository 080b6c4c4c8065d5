//! One line of JSON to one parsed record, borrowing from the line: a single pass with serde visitors
//! that read the fields Spyglass uses and skip everything else (outputs, prompts, tool results).
//!
//! Duplicate keys are detected among the fields read (the last value wins, as in `JSON.parse`, and a
//! field warning is counted); wrongly typed values become absent with a field warning.

use super::json::{is_blank, Fill, ObjOr, ObjectReader, Scalar, WrongType};
use crate::model::records::{Usage, COMMAND_LINT, COMMAND_TEST};
use crate::model::time::{epoch_ms_in_range, parse_timestamp};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess};
use std::borrow::Cow;

type Warnings = Vec<&'static str>;

/// The converted value, or absent with a field warning when the value had the wrong type.
fn warned<T>(w: &mut Warnings, name: &'static str, converted: super::json::Conv<T>) -> Option<T> {
    converted.unwrap_or_else(|WrongType| {
        w.push(name);
        None
    })
}
fn text<'a>(w: &mut Warnings, name: &'static str, v: Scalar<'a>) -> Option<Cow<'a, str>> {
    warned(w, name, v.as_str())
}
fn count(w: &mut Warnings, name: &'static str, v: Scalar<'_>) -> Option<u64> {
    warned(w, name, v.as_u64())
}
fn int(w: &mut Warnings, name: &'static str, v: Scalar<'_>) -> Option<i64> {
    warned(w, name, v.as_i64())
}
fn real(w: &mut Warnings, name: &'static str, v: Scalar<'_>) -> Option<f64> {
    warned(w, name, v.as_f64())
}
/// A cost in USD: a negative one is no cost (absent, with a field warning, as a wrong type is).
fn cost(w: &mut Warnings, name: &'static str, v: Scalar<'_>) -> Option<f64> {
    let c = real(w, name, v)?;
    if c < 0.0 {
        w.push(name);
        return None;
    }
    Some(c)
}
fn flag(w: &mut Warnings, name: &'static str, v: Scalar<'_>) -> Option<bool> {
    warned(w, name, v.as_bool())
}

/// Records which known keys an object has had, to count duplicates.
#[derive(Default, Debug)]
struct Seen(u64);
impl Seen {
    fn mark(&mut self, bit: u32, w: &mut Warnings, name: &'static str) {
        if self.0 & (1 << bit) != 0 {
            w.push(name);
        }
        self.0 |= 1 << bit;
    }
}

/// Reads an ISO 8601 string or epoch milliseconds (number or digits).
pub fn timestamp_of(v: &Scalar<'_>) -> Option<i64> {
    match v {
        Scalar::Str(s) => parse_timestamp(s),
        Scalar::Int(i) => epoch_ms_in_range(*i),
        Scalar::UInt(u) => i64::try_from(*u).ok().and_then(epoch_ms_in_range),
        Scalar::Float(f) if f.is_finite() => epoch_ms_in_range(f.trunc() as i64),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// usage objects

/// The token and cost fields of any SDK's usage object (format doc, "Usage variants").
#[derive(Default, Debug)]
pub struct UsageFields {
    prompt: Option<u64>,
    completion: Option<u64>,
    total: Option<u64>,
    input: Option<u64>,
    output: Option<u64>,
    cache_read: Option<u64>,
    cache_creation: Option<u64>,
    cached_input: Option<u64>,
    cost: Option<f64>,
    total_cost: Option<f64>,
    pub warnings: Warnings,
}

impl UsageFields {
    /// Reads `key` if it is a usage field; returns false for other keys (not consumed).
    fn try_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A, prefix: Prefix) -> Result<bool, A::Error> {
        let w = &mut self.warnings;
        match key {
            "prompt_tokens" => self.prompt = count(w, prefix.name(0), map.next_value()?),
            "completion_tokens" => self.completion = count(w, prefix.name(1), map.next_value()?),
            "total_tokens" => self.total = count(w, prefix.name(2), map.next_value()?),
            "input_tokens" => self.input = count(w, prefix.name(3), map.next_value()?),
            "output_tokens" => self.output = count(w, prefix.name(4), map.next_value()?),
            "cache_read_input_tokens" => self.cache_read = count(w, prefix.name(5), map.next_value()?),
            "cache_creation_input_tokens" => self.cache_creation = count(w, prefix.name(6), map.next_value()?),
            "cost_usd" => self.cost = cost(w, prefix.name(7), map.next_value()?),
            "total_cost_usd" => self.total_cost = cost(w, prefix.name(8), map.next_value()?),
            "cached_input_tokens" => self.cached_input = count(w, prefix.name(9), map.next_value()?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Normalises to prompt/completion/total/cost; `None` when the object had no usage field.
    pub fn usage(&self) -> Option<Usage> {
        let cache = match (self.cache_read, self.cache_creation) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
        };
        let prompt = match (self.prompt.or(self.input), cache) {
            (None, None) => None,
            (p, c) => Some(p.unwrap_or(0).saturating_add(c.unwrap_or(0))),
        };
        let u = Usage {
            prompt_tokens: prompt,
            completion_tokens: self.completion.or(self.output),
            total_tokens: self.total,
            cost_usd: self.cost.or(self.total_cost),
            cached_input_tokens: self.cached_input,
            cache_read_tokens: self.cache_read,
            cache_creation_tokens: self.cache_creation,
        }
        .normalised();
        (!u.is_empty() || u.prompt_tokens.is_some() || u.completion_tokens.is_some() || u.has_cache()).then_some(u)
    }
}

/// Field-warning names of usage fields, by where the usage object sits.
#[derive(Clone, Copy, Debug)]
enum Prefix {
    Data,
    DataUsage,
    Metrics,
    MetricsUsage,
}
impl Prefix {
    fn name(self, i: usize) -> &'static str {
        const D: [&str; 10] = [
            "data.prompt_tokens",
            "data.completion_tokens",
            "data.total_tokens",
            "data.input_tokens",
            "data.output_tokens",
            "data.cache_read_input_tokens",
            "data.cache_creation_input_tokens",
            "data.cost_usd",
            "data.total_cost_usd",
            "data.cached_input_tokens",
        ];
        const DU: [&str; 10] = [
            "data.usage.prompt_tokens",
            "data.usage.completion_tokens",
            "data.usage.total_tokens",
            "data.usage.input_tokens",
            "data.usage.output_tokens",
            "data.usage.cache_read_input_tokens",
            "data.usage.cache_creation_input_tokens",
            "data.usage.cost_usd",
            "data.usage.total_cost_usd",
            "data.usage.cached_input_tokens",
        ];
        const M: [&str; 10] = [
            "metrics.prompt_tokens",
            "metrics.completion_tokens",
            "metrics.total_tokens",
            "metrics.input_tokens",
            "metrics.output_tokens",
            "metrics.cache_read_input_tokens",
            "metrics.cache_creation_input_tokens",
            "metrics.cost_usd",
            "metrics.total_cost_usd",
            "metrics.cached_input_tokens",
        ];
        const MU: [&str; 10] = [
            "metrics.usage.prompt_tokens",
            "metrics.usage.completion_tokens",
            "metrics.usage.total_tokens",
            "metrics.usage.input_tokens",
            "metrics.usage.output_tokens",
            "metrics.usage.cache_read_input_tokens",
            "metrics.usage.cache_creation_input_tokens",
            "metrics.usage.cost_usd",
            "metrics.usage.total_cost_usd",
            "metrics.usage.cached_input_tokens",
        ];
        match self {
            Prefix::Data => D[i],
            Prefix::DataUsage => DU[i],
            Prefix::Metrics => M[i],
            Prefix::MetricsUsage => MU[i],
        }
    }
}

/// A usage object nested in a payload (`data.usage`, `data.message.usage`, …).
#[derive(Default, Debug)]
struct UsageObject(UsageFields);
impl<'de> ObjectReader<'de> for UsageObject {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if !self.0.try_field(key, map, Prefix::DataUsage)? {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// An object that may hold a `usage` object (`item`, `response`, `message`, `result`, `metrics`).
#[derive(Default, Debug)]
struct UsageHolder(Option<UsageFields>);
impl<'de> ObjectReader<'de> for UsageHolder {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if key == "usage" {
            if let ObjOr::Obj(UsageObject(u)) = map.next_value::<ObjOr<UsageObject>>()? {
                self.0 = Some(u);
            }
        } else {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// The normalised usage of a holder, its field warnings added to `w`.
fn holder_usage(w: &mut Warnings, h: ObjOr<'_, UsageHolder>) -> Option<Usage> {
    match h {
        ObjOr::Obj(UsageHolder(Some(u))) => {
            w.extend_from_slice(&u.warnings);
            u.usage()
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// event payload

/// `data.tool_params`: the command of shell tools, the path of edit tools.
#[derive(Default, Debug)]
struct ToolParams<'a> {
    command: Option<Cow<'a, str>>,
    file: Option<Cow<'a, str>>,
    warnings: Warnings,
}
impl<'de> ObjectReader<'de> for ToolParams<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "command" | "cmd" => {
                self.command = match map.next_value()? {
                    Scalar::Strs(argv) => command_of_argv(argv),
                    v => text(&mut self.warnings, "data.tool_params.command", v),
                }
            }
            "file_path" | "path" => {
                let v = text(&mut self.warnings, "data.tool_params.file_path", map.next_value()?);
                if key == "file_path" || self.file.is_none() {
                    self.file = v;
                }
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ToolParams<'_> {
    /// The same facts, owning their text (read from a string's decoded content).
    fn into_owned(self) -> ToolParams<'static> {
        let own = |c: Option<Cow<'_, str>>| c.map(|c| Cow::Owned(c.into_owned()));
        ToolParams { command: own(self.command), file: own(self.file), warnings: self.warnings }
    }
}

/// A command given as an argv array (bosun's Codex writer: `["bash", "-lc", "npm test"]`) as its
/// command line: a `sh`/`bash`/`zsh` wrapper (by name or path) with `-c` or `-lc` is its script
/// (the third item; what follows it is the script's `$0`, `$1`…); any other array is its items
/// joined with spaces. An empty array or a blank script is no command.
pub fn command_of_argv(argv: Vec<Cow<'_, str>>) -> Option<Cow<'_, str>> {
    let shell = |p: &str| {
        let name = p.trim().rsplit(['/', '\\']).next().unwrap_or("");
        let name = name.strip_suffix(".exe").unwrap_or(name);
        matches!(name, "sh" | "bash" | "zsh")
    };
    let wrapped = argv.len() >= 3 && shell(&argv[0]) && matches!(argv[1].trim(), "-c" | "-lc");
    let line = if wrapped {
        argv.into_iter().nth(2)?
    } else if argv.is_empty() {
        return None;
    } else {
        Cow::Owned(argv.join(" "))
    };
    (!line.trim().is_empty()).then_some(line)
}

/// An object written as JSON text inside a string (bosun's Codex `tool_params`), read by `T`:
/// by the fast path, else by serde_json — the same reading whichever of the two read the line
/// around it. `None` when the text is not one JSON object.
fn object_in_string<'a, T: ObjectReader<'a>>(text: &'a str) -> Option<T> {
    let mut fast = super::fastjson::Fast::new(text);
    if let Ok(ObjOr::Obj(t)) = <ObjOr<T> as serde::Deserialize>::deserialize(&mut fast) {
        if fast.at_end() {
            return Some(t);
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    match <ObjOr<T> as serde::Deserialize>::deserialize(&mut de) {
        Ok(ObjOr::Obj(t)) if de.end().is_ok() => Some(t),
        _ => None,
    }
}

/// The payload facts of every event type, read in one pass whatever the event type (which may
/// come after `data` in the line).
#[derive(Default, Debug)]
pub struct DataFields<'a> {
    pub prompt_type: Option<Cow<'a, str>>,
    pub tool_name: Option<Cow<'a, str>>,
    pub command: Option<Cow<'a, str>>,
    pub file: Option<Cow<'a, str>>,
    /// `result` as a string (`success`/`error`)
    pub result: Option<Cow<'a, str>>,
    pub success: Option<bool>,
    pub status: Option<Cow<'a, str>>,
    pub error_message: Option<Cow<'a, str>>,
    pub error_category: Option<Cow<'a, str>>,
    pub error_fingerprint: Option<Cow<'a, str>>,
    pub completion_status: Option<Cow<'a, str>>,
    pub duration_ms: Option<i64>,
    pub skill_name: Option<Cow<'a, str>>,
    /// the rollup's count of denied permission requests (`session_end`)
    pub permission_denied: Option<u64>,
    /// usage fields written directly in `data` (`usage` events, `session_end` rollups)
    pub own_usage: UsageFields,
    /// usage objects at the SDK variant paths, in the format doc's order
    nested: [Option<Usage>; 6],
    seen: Seen,
    pub warnings: Warnings,
}

impl<'a> DataFields<'a> {
    /// The first usage object found at the variant paths: `usage`, `item.usage`, `response.usage`,
    /// `metrics.usage`, `message.usage`, `result.usage`.
    pub fn nested_usage(&self) -> Option<Usage> {
        self.nested.iter().flatten().next().copied()
    }
    /// A tool result's outcome: `result` `success`/`error` (…), else `success`, else `status`
    /// (`completed`/`failed`, …), compared case-insensitively.
    pub fn tool_failed(&self) -> Option<bool> {
        // (`result` is bosun's Codex output text, megabytes at times: compared, never lower-cased)
        let is = |s: &str, words: &[&str]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
        const FAILED: [&str; 4] = ["error", "failure", "failed", "fail"];
        if let Some(r) = &self.result {
            if is(r, &["success", "ok", "passed"]) {
                return Some(false);
            }
            if is(r, &FAILED) {
                return Some(true);
            }
        }
        if let Some(s) = self.success {
            return Some(!s);
        }
        match self.status.as_deref() {
            Some(s) if is(s, &["success", "ok", "completed", "passed"]) => Some(false),
            Some(s) if is(s, &FAILED) => Some(true),
            _ => None,
        }
    }
    pub fn command_class(&self) -> u8 {
        self.command.as_deref().map(classify_command).unwrap_or(0)
    }
}

impl<'de> ObjectReader<'de> for DataFields<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let w = &mut self.warnings;
        let s = &mut self.seen;
        match key {
            "prompt_type" => {
                s.mark(0, w, "data.prompt_type");
                self.prompt_type = text(w, "data.prompt_type", map.next_value()?)
            }
            "tool_name" => {
                s.mark(1, w, "data.tool_name");
                self.tool_name = text(w, "data.tool_name", map.next_value()?)
            }
            "tool_params" => {
                s.mark(2, w, "data.tool_params");
                let params = match map.next_value::<ObjOr<ToolParams>>()? {
                    ObjOr::Obj(p) => Some(p),
                    ObjOr::Other(Scalar::Null) => None,
                    // bosun's Codex writer: the call's arguments as a JSON string (`""` when it
                    // had none: absent, like null)
                    ObjOr::Other(Scalar::Str(t)) if t.trim().is_empty() => None,
                    ObjOr::Other(Scalar::Str(t)) => {
                        let p = object_in_string::<ToolParams>(&t).map(ToolParams::into_owned);
                        if p.is_none() {
                            w.push("data.tool_params");
                        }
                        p
                    }
                    ObjOr::Other(_) => {
                        w.push("data.tool_params");
                        None
                    }
                };
                if let Some(p) = params {
                    w.extend(p.warnings);
                    self.command = p.command;
                    self.file = p.file;
                }
            }
            "result" => {
                s.mark(3, w, "data.result");
                match map.next_value::<ObjOr<UsageHolder>>()? {
                    ObjOr::Other(v @ Scalar::Str(_)) => self.result = text(w, "data.result", v),
                    h => self.nested[5] = holder_usage(w, h),
                }
            }
            "success" => {
                s.mark(4, w, "data.success");
                self.success = flag(w, "data.success", map.next_value()?)
            }
            "status" => {
                s.mark(5, w, "data.status");
                self.status = text(w, "data.status", map.next_value()?)
            }
            "error_message" | "message" if key == "error_message" || self.error_message.is_none() => {
                // `message` is both Claude's message object (holding usage) and some writers' error text.
                match map.next_value::<ObjOr<UsageHolder>>()? {
                    ObjOr::Other(v) => {
                        if key == "error_message" {
                            s.mark(6, w, "data.error_message");
                        }
                        self.error_message = text(w, "data.error_message", v)
                    }
                    h => self.nested[4] = holder_usage(w, h),
                }
            }
            "message" => self.nested[4] = holder_usage(w, map.next_value()?),
            "error_category" => {
                s.mark(7, w, "data.error_category");
                self.error_category = text(w, "data.error_category", map.next_value()?)
            }
            "error_fingerprint" => {
                s.mark(8, w, "data.error_fingerprint");
                self.error_fingerprint = text(w, "data.error_fingerprint", map.next_value()?)
            }
            "completion_status" => {
                s.mark(9, w, "data.completion_status");
                self.completion_status = text(w, "data.completion_status", map.next_value()?)
            }
            "duration_ms" => {
                s.mark(10, w, "data.duration_ms");
                self.duration_ms = int(w, "data.duration_ms", map.next_value()?).filter(|d| *d >= 0)
            }
            "skill_name" => self.skill_name = text(w, "data.skill_name", map.next_value()?),
            "permission_denied" => self.permission_denied = count(w, "data.permission_denied", map.next_value()?),
            "usage" => {
                s.mark(11, w, "data.usage");
                self.nested[0] = match map.next_value::<ObjOr<UsageObject>>()? {
                    ObjOr::Obj(UsageObject(u)) => {
                        w.extend_from_slice(&u.warnings);
                        u.usage()
                    }
                    _ => None,
                }
            }
            "item" => self.nested[1] = holder_usage(w, map.next_value()?),
            "response" => self.nested[2] = holder_usage(w, map.next_value()?),
            "metrics" => self.nested[3] = holder_usage(w, map.next_value()?),
            _ => {
                if !self.own_usage.try_field(key, map, Prefix::Data)? {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Test and lint runners recognised in a shell command (spec `tools`).
pub fn classify_command(cmd: &str) -> u8 {
    const TESTS: [&str; 11] = [
        "cargo test",
        "cargo nextest",
        "npm test",
        "pnpm test",
        "yarn test",
        "pytest",
        "go test",
        "jest",
        "vitest",
        "mvn test",
        "gradle test",
    ];
    const LINTS: [&str; 8] =
        ["clippy", "eslint", "ruff", "flake8", "pylint", "golangci-lint", "prettier --check", "cargo fmt --check"];
    // searchers built once: `str::find` prepares its searcher on every call, and this runs for
    // every shell command of every log (it showed in ingest profiles)
    static FINDERS: std::sync::OnceLock<Vec<(memchr::memmem::Finder<'static>, u8)>> = std::sync::OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        let tests = TESTS.iter().map(|t| (memchr::memmem::Finder::new(t.as_bytes()), COMMAND_TEST));
        tests.chain(LINTS.iter().map(|t| (memchr::memmem::Finder::new(t.as_bytes()), COMMAND_LINT))).collect()
    });
    let mut class = 0;
    for (finder, bit) in finders {
        if class & bit == 0 && contains_word(cmd.as_bytes(), finder) {
            class |= bit;
        }
    }
    class
}

/// The needle occurs in `hay` not glued to other word characters (so `pytest` matches
/// `python -m pytest -q` but `jest` does not match `majestic`).
fn contains_word(hay: &[u8], needle: &memchr::memmem::Finder<'_>) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let len = needle.needle().len();
    needle.find_iter(hay).any(|start| {
        let end = start + len;
        (start == 0 || !word(hay[start - 1])) && (end >= hay.len() || !word(hay[end]))
    })
}

// ---------------------------------------------------------------------------------------------
// metrics rows

/// `outcome` of the design-note shape.
#[derive(Default, Debug)]
struct Outcome<'a> {
    status: Option<Cow<'a, str>>,
    warnings: Warnings,
}
impl<'de> ObjectReader<'de> for Outcome<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "status" => self.status = text(&mut self.warnings, "outcome.status", map.next_value()?),
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `error_summary.error_categories`: `{"auth": 2}` or `["auth", "auth"]`.
#[derive(Default, Debug)]
struct CategoryCounts<'a>(Vec<(Cow<'a, str>, u64)>, Warnings);
impl<'de> ObjectReader<'de> for CategoryCounts<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let n = count(&mut self.1, "error_summary.error_categories", map.next_value()?).unwrap_or(1);
        if !key.trim().is_empty() {
            self.0.push((Cow::Owned(key.to_owned()), n));
        }
        Ok(())
    }
}

#[derive(Default, Debug)]
struct ErrorSummary<'a> {
    total_errors: Option<u64>,
    categories: Vec<(Cow<'a, str>, u64)>,
    warnings: Warnings,
}
impl<'de> ObjectReader<'de> for ErrorSummary<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let w = &mut self.warnings;
        match key {
            "total_errors" => self.total_errors = count(w, "error_summary.total_errors", map.next_value()?),
            "error_categories" => match map.next_value::<ObjOr<CategoryCounts>>()? {
                ObjOr::Obj(c) => {
                    w.extend(c.1);
                    self.categories = c.0
                }
                ObjOr::Other(Scalar::Strs(v)) => self.categories = v.into_iter().map(|s| (s, 1)).collect(),
                ObjOr::Other(Scalar::Null) => {}
                ObjOr::Other(_) => w.push("error_summary.error_categories"),
            },
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The design-note shape's `outcome` and `error_summary`, read at top level or inside `metrics`.
#[derive(Default, Debug)]
struct DesignNoteFields<'a> {
    outcome_status: Option<Cow<'a, str>>,
    error_summary: Option<ErrorSummary<'a>>,
}

impl<'de> DesignNoteFields<'de> {
    /// Reads `key` if it is `outcome` or `error_summary`; returns false for other keys (not consumed).
    fn try_field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A, w: &mut Warnings) -> Result<bool, A::Error> {
        match key {
            "outcome" => {
                if let ObjOr::Obj(o) = map.next_value::<ObjOr<Outcome>>()? {
                    w.extend(o.warnings);
                    self.outcome_status = o.status;
                }
            }
            "error_summary" => {
                if let ObjOr::Obj(e) = map.next_value::<ObjOr<ErrorSummary>>()? {
                    self.error_summary = Some(e);
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// One entry of `anomaly_actions`: a string, or an object with `action`/`type`.
#[derive(Default, Debug)]
struct ActionObject<'a>(Option<Cow<'a, str>>);
impl<'de> ObjectReader<'de> for ActionObject<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "action" | "type" if key == "action" || self.0.is_none() => {
                self.0 = map.next_value::<Scalar>()?.as_str().ok().flatten()
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct ActionList<'a>(Option<Vec<Cow<'a, str>>>);
impl<'de> serde::Deserialize<'de> for ActionList<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ActionList<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of actions")
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<ObjOr<ActionObject>>()? {
                    match item {
                        ObjOr::Obj(ActionObject(Some(a))) => out.push(a),
                        ObjOr::Other(v) => out.extend(v.as_str().ok().flatten()),
                        _ => {}
                    }
                }
                Ok(ActionList(Some(out)))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(ActionList(Some(Vec::new())))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(ActionList(Some(if v.trim().is_empty() { vec![] } else { vec![Cow::Borrowed(v)] })))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ActionList(Some(if v.trim().is_empty() { vec![] } else { vec![Cow::Owned(v.to_owned())] })))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(ActionList(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ActionList(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ActionList(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ActionList(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ActionList(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// `metrics` of a metrics row, guide shape and design-note shape.
#[derive(Default, Debug)]
pub struct MetricsFields<'a> {
    pub success: Option<bool>,
    pub first_shot_success: Option<bool>,
    pub attempts: Option<u64>,
    pub retry_count: Option<u64>,
    pub continues: Option<u64>,
    pub auto_resume: Option<bool>,
    pub anomaly_actions: Vec<Cow<'a, str>>,
    pub own_usage: UsageFields,
    pub usage: Option<UsageFields>,
    pub duration_ms: Option<i64>,
    pub errors: Option<u64>,
    pub tool_calls: Option<u64>,
    pub tool_failures: Option<u64>,
    pub commands: Option<u64>,
    pub command_failures: Option<u64>,
    pub agent_made_commits: Option<u64>,
    pub commits: Option<u64>,
    pub diff_summary: Vec<Cow<'a, str>>,
    pub diff_files_changed: Option<u64>,
    pub files_modified: Option<u64>,
    pub diff_lines_added: Option<u64>,
    pub lines_added: Option<u64>,
    pub diff_lines_deleted: Option<u64>,
    pub lines_deleted: Option<u64>,
    pub review_passed: Option<bool>,
    pub review_failed: Option<bool>,
    pub permission_denied: Option<u64>,
    note: DesignNoteFields<'a>,
    seen: Seen,
    pub warnings: Warnings,
}

impl<'de> ObjectReader<'de> for MetricsFields<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let w = &mut self.warnings;
        let s = &mut self.seen;
        macro_rules! read {
            ($bit:expr, $slot:expr, $conv:ident, $name:literal) => {{
                s.mark($bit, w, $name);
                $slot = $conv(w, $name, map.next_value()?);
            }};
        }
        match key {
            "success" => read!(0, self.success, flag, "metrics.success"),
            "first_shot_success" => read!(1, self.first_shot_success, flag, "metrics.first_shot_success"),
            "attempts" => read!(2, self.attempts, count, "metrics.attempts"),
            "retry_count" => read!(3, self.retry_count, count, "metrics.retry_count"),
            "continues" => read!(4, self.continues, count, "metrics.continues"),
            "auto_resume" => read!(5, self.auto_resume, flag, "metrics.auto_resume"),
            "duration_ms" => read!(6, self.duration_ms, int, "metrics.duration_ms"),
            "errors" => read!(7, self.errors, count, "metrics.errors"),
            "tool_calls" => read!(8, self.tool_calls, count, "metrics.tool_calls"),
            "tool_failures" => read!(9, self.tool_failures, count, "metrics.tool_failures"),
            "commands" => read!(10, self.commands, count, "metrics.commands"),
            "command_failures" => read!(11, self.command_failures, count, "metrics.command_failures"),
            "commits" => read!(12, self.commits, count, "metrics.commits"),
            "diff_files_changed" => read!(13, self.diff_files_changed, count, "metrics.diff_files_changed"),
            "files_modified" => read!(14, self.files_modified, count, "metrics.files_modified"),
            "diff_lines_added" => read!(15, self.diff_lines_added, count, "metrics.diff_lines_added"),
            "lines_added" => read!(16, self.lines_added, count, "metrics.lines_added"),
            "diff_lines_deleted" => read!(17, self.diff_lines_deleted, count, "metrics.diff_lines_deleted"),
            "lines_deleted" => read!(18, self.lines_deleted, count, "metrics.lines_deleted"),
            "review_passed" => read!(19, self.review_passed, flag, "metrics.review_passed"),
            "review_failed" => read!(20, self.review_failed, flag, "metrics.review_failed"),
            "permission_denied" => read!(25, self.permission_denied, count, "metrics.permission_denied"),
            "agent_made_commits" => {
                s.mark(21, w, "metrics.agent_made_commits");
                let v: Scalar = map.next_value()?;
                self.agent_made_commits = match v {
                    Scalar::Bool(b) => Some(b as u64),
                    v => count(w, "metrics.agent_made_commits", v),
                }
            }
            "anomaly_actions" => {
                s.mark(22, w, "metrics.anomaly_actions");
                match map.next_value::<ActionList>()? {
                    ActionList(Some(v)) => self.anomaly_actions = v,
                    ActionList(None) => w.push("metrics.anomaly_actions"),
                }
            }
            "diff_summary" => {
                s.mark(23, w, "metrics.diff_summary");
                self.diff_summary = match map.next_value::<Scalar>()? {
                    Scalar::Str(t) => files_of_diff_stat(&t).into_iter().map(|f| Cow::Owned(f.to_owned())).collect(),
                    Scalar::Strs(v) => v,
                    Scalar::Null => Vec::new(),
                    _ => {
                        w.push("metrics.diff_summary");
                        Vec::new()
                    }
                }
            }
            "usage" => {
                s.mark(24, w, "metrics.usage");
                match map.next_value::<ObjOr<MetricsUsage>>()? {
                    ObjOr::Obj(MetricsUsage(u)) => self.usage = Some(u),
                    ObjOr::Other(Scalar::Null) => {}
                    ObjOr::Other(_) => w.push("metrics.usage"),
                }
            }
            _ => {
                if !self.note.try_field(key, map, w)? && !self.own_usage.try_field(key, map, Prefix::Metrics)? {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Default, Debug)]
struct MetricsUsage(UsageFields);
impl<'de> ObjectReader<'de> for MetricsUsage {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if !self.0.try_field(key, map, Prefix::MetricsUsage)? {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// File paths named in a `diff_summary` text. Two layouts:
/// - bosun's own: a first line `N file(s) changed, +A -D`, then one indented line per file, the
///   path then `+a` and `-d` in aligned columns (read from the right, so a path may hold spaces),
///   or the path then `(binary)`; or only `(no diff stats available)`;
/// - git's `--stat`: `src/auth.rs | 40 ++--` lines (the path before the last `|`), and a summary
///   line (`2 files changed, …`) that is not a file.
///
/// The per-file line counts are not kept: the session's line figures are `diff_lines_*`.
pub fn files_of_diff_stat(stat: &str) -> Vec<&str> {
    let mut lines = stat.lines().filter(|l| !l.trim().is_empty()).peekable();
    if lines.peek().is_some_and(|l| is_bosun_diff_header(l)) {
        lines.next();
        return lines.filter_map(bosun_diff_file).collect();
    }
    lines
        .filter_map(|l| {
            let (path, rest) = l.rsplit_once('|')?;
            let path = path.trim();
            (!path.is_empty() && !rest.trim().is_empty()).then_some(path)
        })
        .collect()
}

/// bosun's first line: `3 file(s) changed, +40 -2` (also `file`/`files`).
fn is_bosun_diff_header(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &t[digits..];
    digits > 0
        && (rest.starts_with(" file(s) changed,")
            || rest.starts_with(" files changed,")
            || rest.starts_with(" file changed,"))
        && rest.contains(" +")
}

/// The path of one file line of bosun's layout: `  src/a b.rs    +12     -3` or `  logo.png  (binary)`.
fn bosun_diff_file(line: &str) -> Option<&str> {
    let column = |l: &str, sign: char| -> Option<usize> {
        let l = l.trim_end();
        let at = l.rfind(|c: char| c.is_ascii_whitespace())? + 1;
        let n = l[at..].strip_prefix(sign)?;
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(at)
    };
    let l = line.trim_end();
    let path = match l.strip_suffix("(binary)") {
        Some(p) => p,
        None => {
            let del = column(l, '-')?;
            let add = column(&l[..del], '+')?;
            &l[..add]
        }
    };
    let path = path.trim();
    (!path.is_empty()).then_some(path)
}

// ---------------------------------------------------------------------------------------------
// the whole line

/// The top-level object of any line kind.
#[derive(Default, Debug)]
pub struct TopFields<'a> {
    pub timestamp: Option<Scalar<'a>>,
    pub attempt_id: Option<Cow<'a, str>>,
    pub task_id: Option<Cow<'a, str>>,
    pub task_title: Option<Cow<'a, str>>,
    pub executor: Option<Cow<'a, str>>,
    pub executor_variant: Option<Cow<'a, str>>,
    pub model: Option<Cow<'a, str>>,
    /// `Some(Err(WrongType))` when present but not a non-empty string
    pub event_type: Option<Result<Cow<'a, str>, WrongType>>,
    // in place (the line's reader is filled where it lies: `parse_line_into`); the rarer metrics
    // row's reader is boxed
    pub data: Option<DataFields<'a>>,
    pub has_metrics: bool,
    pub metrics: Option<Box<MetricsFields<'a>>>,
    pub alert_type: Option<Cow<'a, str>>,
    pub severity: Option<Cow<'a, str>>,
    pub sequence_num: Option<i64>,
    /// an alert's `_cooldown_key` and `occurrences`
    pub cooldown_key: Option<Cow<'a, str>>,
    pub occurrences: Option<u64>,
    note: DesignNoteFields<'a>,
    seen: Seen,
    pub warnings: Warnings,
}

impl<'de> ObjectReader<'de> for TopFields<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let w = &mut self.warnings;
        let s = &mut self.seen;
        macro_rules! read_text {
            ($bit:expr, $slot:expr, $name:literal) => {{
                s.mark($bit, w, $name);
                $slot = text(w, $name, map.next_value()?);
            }};
        }
        match key {
            "timestamp" | "ts" | "time" if key == "timestamp" || self.timestamp.is_none() => {
                s.mark(0, w, "timestamp");
                self.timestamp = Some(map.next_value()?);
            }
            "attempt_id" => read_text!(1, self.attempt_id, "attempt_id"),
            "task_id" => read_text!(2, self.task_id, "task_id"),
            "task_title" => read_text!(3, self.task_title, "task_title"),
            "executor" => read_text!(4, self.executor, "executor"),
            "executor_variant" => read_text!(5, self.executor_variant, "executor_variant"),
            "model" => read_text!(6, self.model, "model"),
            "type" => read_text!(7, self.alert_type, "type"),
            "severity" => read_text!(8, self.severity, "severity"),
            "event_type" => {
                s.mark(9, w, "event_type");
                self.event_type = Some(match map.next_value::<Scalar>()? {
                    Scalar::Str(t) if !is_blank(&t) => Ok(t),
                    _ => Err(WrongType),
                });
            }
            "data" => {
                s.mark(10, w, "data");
                let data = self.data.insert(DataFields::default());
                match map.next_value_seed(Fill(data))? {
                    None => {}
                    Some(Scalar::Null) => self.data = None,
                    Some(_) => {
                        w.push("data");
                        self.data = None;
                    }
                }
            }
            "metrics" => {
                s.mark(11, w, "metrics");
                self.has_metrics = true;
                self.metrics = match map.next_value::<ObjOr<Box<MetricsFields>>>()? {
                    ObjOr::Obj(m) => Some(m),
                    ObjOr::Other(_) => None,
                };
            }
            "sequence_num" => {
                s.mark(12, w, "sequence_num");
                self.sequence_num = int(w, "sequence_num", map.next_value()?);
            }
            "_cooldown_key" => read_text!(13, self.cooldown_key, "_cooldown_key"),
            "occurrences" => {
                s.mark(14, w, "occurrences");
                self.occurrences = count(w, "occurrences", map.next_value()?);
            }
            _ => {
                if !self.note.try_field(key, map, w)? {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The design-note facts a metrics row may carry at top level or inside `metrics`.
pub struct DesignNote<'a> {
    pub outcome_status: Option<Cow<'a, str>>,
    pub total_errors: Option<u64>,
    pub error_categories: Vec<(Cow<'a, str>, u64)>,
}

impl<'a> TopFields<'a> {
    /// Outcome and error summary, wherever they were written (top level first).
    pub fn design_note(&mut self) -> DesignNote<'a> {
        let m = self.metrics.as_mut();
        let (m_status, m_summary) = match m {
            Some(m) => (m.note.outcome_status.take(), m.note.error_summary.take()),
            None => (None, None),
        };
        let summary = self.note.error_summary.take().or(m_summary);
        let mut warnings = Vec::new();
        let note = DesignNote {
            outcome_status: self.note.outcome_status.take().or(m_status),
            total_errors: summary.as_ref().and_then(|s| s.total_errors),
            error_categories: summary
                .map(|s| {
                    warnings.extend(s.warnings);
                    s.categories
                })
                .unwrap_or_default(),
        };
        self.warnings.extend(warnings);
        note
    }
}

/// What a line is, decided by its content (spec section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Event,
    Metrics,
    Alert,
}

pub use super::skip::{SkipReason, ValueKind};

impl<'a> TopFields<'a> {
    pub fn shape(&self) -> Result<Shape, SkipReason> {
        match &self.event_type {
            Some(Ok(_)) => Ok(Shape::Event),
            Some(Err(WrongType)) => Err(SkipReason::EventTypeNotAString),
            None if self.metrics.is_some() => Ok(Shape::Metrics),
            None if self.has_metrics => Err(SkipReason::MetricsNotAnObject),
            None if self.alert_type.is_some() => Ok(Shape::Alert),
            None => Err(SkipReason::UnknownShape),
        }
    }
}

/// Parses one line (already validated UTF-8, trimmed, not blank).
pub fn parse_line(line: &str) -> Result<TopFields<'_>, SkipReason> {
    let mut top = TopFields::default();
    parse_line_into(line, &mut top).map(|()| top)
}

/// [`parse_line`] into a `TopFields::default()` the caller holds (it is large: not moved).
pub fn parse_line_into<'a>(line: &'a str, top: &mut TopFields<'a>) -> Result<(), SkipReason> {
    // the fast path reads most lines; whatever it gives up on, serde_json reads (and words). A
    // line it reads passes `check_line` (an object, nested 100 deep at most), so that pass over
    // the line is left to the others.
    if fast_path_into(line, top) {
        return Ok(());
    }
    *top = TopFields::default();
    check_line(line)?;
    parse_by_serde_json(line, top)
}

/// [`parse_line`] without the fast path: the reference it is tested against.
pub fn parse_line_reference(line: &str) -> Result<TopFields<'_>, SkipReason> {
    check_line(line)?;
    let mut top = TopFields::default();
    parse_by_serde_json(line, &mut top).map(|()| top)
}

/// The fast path's reading of a line, or `None` where it gives up ([`super::fastjson`]).
pub fn fast_path(line: &str) -> Option<TopFields<'_>> {
    let mut top = TopFields::default();
    fast_path_into(line, &mut top).then_some(top)
}

/// [`fast_path`] into `top` (left part-filled when it gives up).
fn fast_path_into<'a>(line: &'a str, top: &mut TopFields<'a>) -> bool {
    let mut fast = super::fastjson::Fast::new(line);
    matches!(Fill(top).deserialize(&mut fast), Ok(None)) && fast.at_end()
}

/// What is checked before either reading: an object, not nested too deeply.
fn check_line(line: &str) -> Result<(), SkipReason> {
    let first = line.as_bytes().first().copied().unwrap_or(b' ');
    if first != b'{' {
        return Err(not_an_object(line));
    }
    if let Some(column) = too_deep(line.as_bytes(), MAX_DEPTH) {
        return Err(SkipReason::TooDeep { column });
    }
    Ok(())
}

fn parse_by_serde_json<'a>(line: &'a str, top: &mut TopFields<'a>) -> Result<(), SkipReason> {
    let mut de = serde_json::Deserializer::from_str(line);
    match Fill(top).deserialize(&mut de) {
        Ok(None) => {}
        Ok(Some(_)) => return Err(not_an_object(line)),
        Err(e) => return Err(json_error(&e)),
    }
    if let Err(e) = de.end() {
        return Err(json_error(&e));
    }
    Ok(())
}

/// The spec's nesting limit (serde_json enforces it only for values it reads, not for skipped ones).
pub const MAX_DEPTH: usize = 128;

/// The 1-based column where nesting first exceeds `max`, if it does. A line needs more than `max`
/// brackets for that, so the exact scan runs only on such lines (a vectorised count first).
fn too_deep(b: &[u8], max: usize) -> Option<usize> {
    if b.iter().filter(|&&c| c == b'[' || c == b'{').count() <= max {
        return None;
    }
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    for (i, &c) in b.iter().enumerate() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i + 1);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn not_an_object(line: &str) -> SkipReason {
    let kind = match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Array(_)) => ValueKind::Array,
        Ok(serde_json::Value::String(_)) => ValueKind::String,
        Ok(serde_json::Value::Number(_)) => ValueKind::Number,
        Ok(serde_json::Value::Bool(_)) => ValueKind::Boolean,
        Ok(serde_json::Value::Null) => ValueKind::Null,
        Ok(serde_json::Value::Object(_)) => ValueKind::Object,
        Err(e) => return json_error(&e),
    };
    SkipReason::NotAnObject(kind)
}

fn json_error(e: &serde_json::Error) -> SkipReason {
    use serde_json::error::Category;
    let msg = e.to_string();
    let core = msg.split(" at line ").next().unwrap_or(&msg);
    let column = e.column();
    match e.classify() {
        // (`cut_off` is for the reader of the line to say: it knows whether the line has an end)
        Category::Eof => SkipReason::Truncated { column, cut_off: false },
        // serde_json's own limit is the spec's, `MAX_DEPTH`
        _ if core.contains("recursion limit") => SkipReason::TooDeep { column },
        _ => SkipReason::InvalidJson { message: core.to_string(), column },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_classified_by_whole_words() {
        assert_eq!(classify_command("cargo test --all"), COMMAND_TEST);
        assert_eq!(classify_command("python -m pytest -q"), COMMAND_TEST);
        assert_eq!(classify_command("cargo clippy -- -D warnings"), COMMAND_LINT);
        assert_eq!(classify_command("npx prettier --check . && npm test"), COMMAND_TEST | COMMAND_LINT);
        assert_eq!(classify_command("echo majestic"), 0);
        assert_eq!(classify_command("cargo testing"), 0);
    }

    #[test]
    fn diff_stat_files() {
        assert_eq!(
            files_of_diff_stat("src/auth.rs | 40 ++--\n src/routes.rs | 7 +\n 2 files changed, 31 insertions(+)"),
            vec!["src/auth.rs", "src/routes.rs"]
        );
    }

    #[test]
    fn bosun_diff_layout_files() {
        let text = "3 file(s) changed, +15 -4\n  src/a.rs            +10     -2\n  docs/my notes.md     +5     -2\n  logo.png        (binary)";
        assert_eq!(files_of_diff_stat(text), vec!["src/a.rs", "docs/my notes.md", "logo.png"]);
        // a path holding a `|`, and columns that are not counts (not a file line)
        assert_eq!(
            files_of_diff_stat(
                "2 file(s) changed, +1 -0\n  a | b.rs  +1  -0\n  weird +x -y\n  wide\u{3000}+1\u{3000}-1"
            ),
            vec!["a | b.rs"]
        );
        assert!(files_of_diff_stat("(no diff stats available)").is_empty());
        assert!(files_of_diff_stat("0 file(s) changed, +0 -0\n").is_empty());
        // git's summary line is last, not a header: still git's layout
        assert_eq!(files_of_diff_stat(" a.rs | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)"), vec!["a.rs"]);
    }

    #[test]
    fn argv_commands() {
        let argv = |v: &[&'static str]| v.iter().map(|s| Cow::Borrowed(*s)).collect::<Vec<_>>();
        assert_eq!(command_of_argv(argv(&["bash", "-lc", "cargo test --all"])).as_deref(), Some("cargo test --all"));
        assert_eq!(command_of_argv(argv(&["/bin/zsh", "-c", "npm test", "x"])).as_deref(), Some("npm test"));
        assert_eq!(command_of_argv(argv(&["sh", "-x", "run.sh"])).as_deref(), Some("sh -x run.sh"));
        assert_eq!(command_of_argv(argv(&["python", "-m", "pytest"])).as_deref(), Some("python -m pytest"));
        assert_eq!(command_of_argv(argv(&["bash", "-lc"])).as_deref(), Some("bash -lc"));
        assert_eq!(command_of_argv(argv(&["bash", "-lc", " "])), None);
        assert_eq!(command_of_argv(argv(&[])), None);
    }

    #[test]
    fn claude_usage_adds_cache_tokens_to_prompt() {
        let t = parse_line(r#"{"event_type":"agent_output","data":{"message":{"usage":{"input_tokens":"100","output_tokens":20,"cache_read_input_tokens":5,"cache_creation_input_tokens":7}},"total_cost_usd":0.5}}"#).unwrap();
        let d = t.data.unwrap();
        assert_eq!(
            d.nested_usage(),
            Some(Usage {
                prompt_tokens: Some(112),
                completion_tokens: Some(20),
                total_tokens: Some(132),
                cost_usd: None,
                cache_read_tokens: Some(5),
                cache_creation_tokens: Some(7),
                ..Default::default()
            })
        );
    }

    #[test]
    fn duplicate_keys_last_wins_with_a_warning() {
        let t =
            parse_line(r#"{"event_type":"a","event_type":"tool_call","data":{"tool_name":"x","tool_name":"shell"}}"#)
                .unwrap();
        assert_eq!(t.event_type, Some(Ok(Cow::Borrowed("tool_call"))));
        assert_eq!(t.data.as_ref().unwrap().tool_name.as_deref(), Some("shell"));
        assert_eq!(t.warnings, vec!["event_type"]);
        assert_eq!(t.data.unwrap().warnings, vec!["data.tool_name"]);
    }

    #[test]
    fn reasons_are_kinds() {
        let reason = |line: &str| parse_line(line).err().unwrap();
        assert_eq!(reason("[1,2]"), SkipReason::NotAnObject(ValueKind::Array));
        assert_eq!(reason("null"), SkipReason::NotAnObject(ValueKind::Null));
        assert_eq!(reason("true"), SkipReason::NotAnObject(ValueKind::Boolean));
        assert_eq!(
            reason(r#"{"a":1 "b":2}"#),
            SkipReason::InvalidJson { message: "expected `,` or `}`".into(), column: 8 }
        );
        assert_eq!(reason("[1,"), SkipReason::Truncated { column: 3, cut_off: false });
        assert_eq!(reason(r#"{"event_type":"x","data":{"out"#), SkipReason::Truncated { column: 30, cut_off: false });
        // too deep: found by the scan before reading an object, by serde_json in anything else
        let deep = format!("{{\"event_type\":\"x\",\"data\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert_eq!(reason(&deep), SkipReason::TooDeep { column: 153 });
        assert_eq!(reason(&"[".repeat(200)), SkipReason::TooDeep { column: 128 });
        let shape = |line: &str| parse_line(line).unwrap().shape().err();
        assert_eq!(shape(r#"{"event_type":""}"#), Some(SkipReason::EventTypeNotAString));
        assert_eq!(shape(r#"{"metrics":[]}"#), Some(SkipReason::MetricsNotAnObject));
        assert_eq!(shape(r#"{"hello":"world"}"#), Some(SkipReason::UnknownShape));
        assert_eq!(shape(r#"{"type":"stuck"}"#), None);
    }

    #[test]
    fn reasons_read_like_sentences() {
        let text = |line: &str| parse_line(line).err().unwrap().to_string();
        assert_eq!(text("[1,2]"), "not a JSON object (an array)");
        assert_eq!(text(r#"{"a":1 "b":2}"#), "not valid JSON: expected `,` or `}` at column 8");
        assert_eq!(
            text(r#"{"event_type":"x","data":{"out"#),
            "truncated: the line ends inside a JSON value (column 30)"
        );
        assert_eq!(text(&"[".repeat(200)), "nested too deeply (more than 128 levels) at column 128");
    }
}
