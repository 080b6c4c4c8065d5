//! Issue 4: an independent cross-check of Spyglass's figures.
//!
//! The demo generator writes a bosun log folder; Spyglass loads it and computes its report. This
//! file recomputes several figures a second time with a deliberately simple implementation that
//! works only on `serde_json::Value` and follows analytics-spec.md directly. It shares no code with
//! Spyglass (no ingest, no model, no time helpers): Spyglass is called only to produce the report
//! compared against. Slow and obvious on purpose.
//!
//! It follows analytics-spec.md's Revision 2 (bosun's real writer): canonical error categories,
//! unknown cost beside tokens, tool results without a name, tool params as JSON strings, bosun's
//! diff layout, the task of an attempt id, permission denials. The demo writes a share of its
//! sessions in that writer's style; checks of those figures that the core does not compute yet
//! checks run now on a guide-only demo (share 0) and the handmade folder.

use serde_json::Value;
use spyglass::demo::{generate, DemoConfig, DemoTally, MemorySink};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

// ===========================================================================
// The second implementation
// ===========================================================================

const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` → UTC epoch ms; the fraction is truncated to ms.
fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |from: usize, len: usize| -> Option<i64> {
        let t = s.get(from..from + len)?;
        t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    let (y, mo, d, h, mi, se) = (n(0, 4)?, n(5, 2)?, n(8, 2)?, n(11, 2)?, n(14, 2)?, n(17, 2)?);
    let mut i = 19;
    let mut ms = 0;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let frac = &s[start..i];
        if frac.is_empty() {
            return None;
        }
        ms = format!("{:0<3}", &frac[..frac.len().min(3)]).parse::<i64>().ok()?;
        // truncated, never rounded
    }
    let offset_min = match &s[i..] {
        "Z" => 0,
        o if o.len() == 6 && o.as_bytes()[3] == b':' && (o.starts_with('+') || o.starts_with('-')) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            sign * (n(i + 1, 2)? * 60 + n(i + 4, 2)?)
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * DAY_MS + h * 3_600_000 + mi * 60_000 + se * 1000 + ms - offset_min * 60_000)
}

/// A timestamp value: ISO 8601, or epoch ms as a number or a string of digits.
fn ts(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) => s.parse().ok(),
        Value::String(s) => parse_iso(s),
        _ => None,
    }
}

/// A number, also when written as a string ("12.5").
fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty string field.
fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn event_type(e: &Value) -> &str {
    e["event_type"].as_str().unwrap_or("")
}

/// Every distinct record line, classified by content (spec §1).
#[derive(Default)]
struct Records {
    events: Vec<Value>,
    /// metrics rows in read order (files in path order, lines in file order)
    rows: Vec<Value>,
    alerts: Vec<Value>,
}

fn load(files: &BTreeMap<String, Vec<u8>>) -> Records {
    let mut r = Records::default();
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    for bytes in files.values() {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
        for line in bytes.split(|&c| c == b'\n') {
            let mut l = line;
            while let [rest @ .., b'\r' | b' ' | b'\t'] = l {
                l = rest;
            }
            if l.iter().all(u8::is_ascii_whitespace) {
                continue; // blank
            }
            // invalid UTF-8, invalid JSON and nesting deeper than 128 all fail here: skipped
            let Ok(v) = serde_json::from_slice::<Value>(l) else { continue };
            let Some(o) = v.as_object() else { continue };
            let is_event = o.contains_key("event_type");
            let is_row = !is_event && o.get("metrics").is_some_and(Value::is_object);
            let is_alert = !is_event && !is_row && o.contains_key("type");
            if !(is_event || is_row || is_alert) {
                continue; // no known shape
            }
            if !seen.insert(l.to_vec()) {
                continue; // a repeat of an identical normalised line
            }
            if is_event {
                r.events.push(v);
            } else if is_row {
                r.rows.push(v);
            } else {
                r.alerts.push(v);
            }
        }
    }
    r
}

/// The usage object of a payload at the format doc's variant paths, first found.
fn usage_object(data: &Value) -> Option<&Value> {
    [
        &data["usage"],
        &data["item"]["usage"],
        &data["response"]["usage"],
        &data["metrics"]["usage"],
        &data["message"]["usage"],
        &data["result"]["usage"],
    ]
    .into_iter()
    .find(|u| u.is_object())
}

fn cost_of(u: &Value) -> Option<f64> {
    num(u.get("cost_usd")).or_else(|| num(u.get("total_cost_usd")))
}

#[derive(Debug, Clone)]
struct Sess {
    model: String,
    /// upper case
    executor: String,
    task: Option<String>,
    start: Option<i64>,
    success: Option<bool>,
    cost: Option<f64>,
    /// which level of the usage order gave the cost (1–4), for coverage checks only
    cost_level: Option<u8>,
    /// whether success came from the metrics row (`metrics.success` or `outcome.status`)
    success_from_row: bool,
    /// tokens known at some usage level
    tokens_known: bool,
    /// written by bosun's real writer: its attempt id is the task's UUID and a second one
    real: bool,
    /// the rollup's `permission_denied` (metrics row, else session_end)
    permission_denied: f64,
    /// the canonical category of each of its errors; None where only the product's own message
    /// patterns can decide (an absent or `unknown` category outside the real writer's telling
    /// messages)
    errors: Vec<Option<String>>,
    /// files named by its metrics row's diff_summary and by its edit tool calls' file_path or path
    files: BTreeSet<String>,
    /// task_id given on its row or events (not derived from the attempt id)
    task_given: bool,
}

// ---------------------------------------------------------------------------
// Revision 2 rules
// ---------------------------------------------------------------------------

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// The task of a line without task_id: a UUID followed by a hyphen at the start of its attempt id.
fn task_of_attempt(a: &str) -> Option<String> {
    let u = a.get(..36)?;
    (is_uuid(u) && a.as_bytes().get(36) == Some(&b'-') && a.len() > 37).then(|| u.to_string())
}

/// The default alias table: bosun's classifier names onto the spec's categories.
fn alias(category: &str) -> String {
    let c = category.trim().to_lowercase();
    match c.as_str() {
        "auth_error" => "auth",
        "token_overflow" => "context_window",
        "test_failure" => "test",
        "build_failure" => "build",
        "lint_failure" => "lint",
        "git_conflict" | "push_failure" => "git",
        "oom_kill" => "oom",
        other => other,
    }
    .to_string()
}

/// What the real writer's `unknown` messages plainly say (the demo writes one per category).
fn telling_message(message: &str) -> Option<&'static str> {
    let m = message.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| m.contains(w));
    if has(&["waiting for approval", "please confirm"]) {
        Some("permission_wait")
    } else if has(&["401 unauthorized", "authentication required"]) {
        Some("auth")
    } else if has(&["429 too many requests", "rate limit"]) {
        Some("rate_limit")
    } else if has(&["timed out", "timeout"]) {
        Some("timeout")
    } else if has(&["econnreset", "network error"]) {
        Some("network")
    } else if has(&["context length", "context window"]) {
        Some("context_window")
    } else if has(&["internal server error"]) {
        Some("api_error")
    } else {
        None
    }
}

/// The canonical category of an error event of a session (`real`: written by the real writer).
fn canonical(e: &Value, real: bool) -> Option<String> {
    let d = &e["data"];
    match text(d, "error_category") {
        Some(c) if !c.eq_ignore_ascii_case("unknown") => Some(alias(&c)),
        _ if real => text(d, "error_message").and_then(|m| telling_message(&m)).map(str::to_string),
        _ => None,
    }
}

/// `tool_params` as an object, also when written as a JSON string.
fn tool_params(d: &Value) -> Option<Value> {
    match &d["tool_params"] {
        Value::String(s) => serde_json::from_str::<Value>(s).ok().filter(Value::is_object),
        v @ Value::Object(_) => Some(v.clone()),
        _ => None,
    }
}

/// A tool call's command line: a string, or an array joined, a `sh`/`bash` `-c`/`-lc` wrapper unwrapped.
fn command_line(d: &Value) -> Option<String> {
    match tool_params(d)?.get("command")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => {
            let parts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            match parts.as_slice() {
                ["sh" | "bash", "-c" | "-lc", rest @ ..] => Some(rest.join(" ")),
                all => Some(all.join(" ")),
            }
        }
        _ => None,
    }
}

const TEST_RUNS: [&str; 11] = [
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
const LINT_RUNS: [&str; 8] =
    ["clippy", "eslint", "ruff", "flake8", "pylint", "golangci-lint", "prettier --check", "cargo fmt --check"];

/// (runs tests, runs a linter)
fn command_class(line: &str) -> (bool, bool) {
    (TEST_RUNS.iter().any(|p| line.contains(p)), LINT_RUNS.iter().any(|p| line.contains(p)))
}

/// The file an edit/write tool call names (`file_path`, else `path`); an edit/write tool is one
/// whose name says so (edit, write, create, patch, apply, replace, insert), as the README says.
fn call_file(d: &Value) -> Option<String> {
    let name = text(d, "tool_name")?.to_lowercase();
    if !["edit", "write", "create", "patch", "apply", "replace", "insert"].iter().any(|w| name.contains(w)) {
        return None;
    }
    let p = tool_params(d)?;
    text(&p, "file_path").or_else(|| text(&p, "path"))
}

/// Files of a diff_summary: a list of paths, git's `--stat` text, or bosun's layout
/// (`N file(s) changed, +A -D`, then one indented `path  +a  -d` line per file).
fn diff_files(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => {
            a.iter().filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
        }
        Value::String(s) => {
            let mut lines = s.lines();
            let first = lines.next().unwrap_or("");
            let bosun = first
                .split_once(' ')
                .is_some_and(|(n, rest)| n.bytes().all(|c| c.is_ascii_digit()) && rest.starts_with("file(s) changed"));
            if bosun {
                lines.filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
            } else {
                s.lines()
                    .filter_map(|l| l.split_once('|'))
                    .filter(|(p, rest)| !p.trim().is_empty() && !rest.trim().is_empty())
                    .map(|(p, _)| p.trim().to_string())
                    .collect()
            }
        }
        _ => Vec::new(),
    }
}

/// Tokens of a usage object (prompt incl. cache tokens + completion, or its total).
fn tokens_of(u: &Value) -> Option<f64> {
    if let Some(t) = num(u.get("total_tokens")).filter(|t| *t > 0.0) {
        return Some(t);
    }
    let parts = [
        "prompt_tokens",
        "input_tokens",
        "cache_read_input_tokens",
        "cache_creation_input_tokens",
        "completion_tokens",
        "output_tokens",
    ];
    let known: Vec<f64> = parts.iter().filter_map(|k| num(u.get(*k))).collect();
    let prompt = num(u.get("prompt_tokens")).or(num(u.get("input_tokens"))).unwrap_or(0.0);
    let completion = num(u.get("completion_tokens")).or(num(u.get("output_tokens"))).unwrap_or(0.0);
    (!known.is_empty()).then(|| {
        prompt
            + num(u.get("cache_read_input_tokens")).unwrap_or(0.0)
            + num(u.get("cache_creation_input_tokens")).unwrap_or(0.0)
            + completion
    })
}

/// A rollup's cost: 0 is unknown, beside tokens (rev. 2) or without them (as an all-zero row).
fn rollup_cost(cost: Option<f64>, _tokens: Option<f64>) -> Option<f64> {
    cost.filter(|c| *c != 0.0)
}

/// The most frequent value (ties: the first seen).
fn most_frequent(values: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(k, _)| *k == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    let mut best: Option<(String, usize)> = None;
    for (k, n) in counts {
        if best.as_ref().is_none_or(|b| n > b.1) {
            best = Some((k, n));
        }
    }
    best.map(|b| b.0)
}

/// One session per attempt_id, facts resolved per spec §2's table.
fn sessions(r: &Records) -> BTreeMap<String, Sess> {
    let mut events: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for e in &r.events {
        if let Some(a) = text(e, "attempt_id") {
            events.entry(a).or_default().push(e);
        }
    }
    // superseded rows: the latest timestamp wins; on equal instants the one read last
    let mut rows: BTreeMap<String, &Value> = BTreeMap::new();
    for row in &r.rows {
        let Some(a) = text(row, "attempt_id") else { continue };
        match rows.get(&a) {
            Some(w) if ts(w.get("timestamp")) > ts(row.get("timestamp")) => {}
            _ => {
                rows.insert(a, row);
            }
        }
    }
    let attempts: BTreeSet<String> = events.keys().chain(rows.keys()).cloned().collect();
    let mut out = BTreeMap::new();
    for a in attempts {
        let evs: &[&Value] = events.get(&a).map(|v| v.as_slice()).unwrap_or(&[]);
        let row = rows.get(&a).copied();
        let m = row.map(|r| &r["metrics"]);
        let from_row = |k: &str| row.and_then(|r| text(r, k));

        let model = from_row("model").or_else(|| most_frequent(evs.iter().filter_map(|e| text(e, "model"))));
        let executor = from_row("executor")
            .map(|x| x.to_uppercase())
            .or_else(|| most_frequent(evs.iter().filter_map(|e| text(e, "executor")).map(|x| x.to_uppercase())));
        let given = from_row("task_id").or_else(|| evs.iter().find_map(|e| text(e, "task_id")));
        let task_given = given.is_some();
        let task = given.or_else(|| task_of_attempt(&a));
        let real = a.len() == 73 && task_of_attempt(&a).is_some() && is_uuid(&a[37..]);
        let start = evs
            .iter()
            .filter_map(|e| ts(e.get("timestamp")))
            .min()
            .or_else(|| row.and_then(|r| ts(r.get("timestamp"))));

        let end = evs.iter().rev().find(|e| event_type(e) == "session_end");
        let row_success = m
            .and_then(|m| m["success"].as_bool())
            .or_else(|| row.and_then(|r| r["outcome"]["status"].as_str()).map(|s| s == "completed"));
        let success = row_success.or_else(|| match end.and_then(|e| e["data"]["completion_status"].as_str()) {
            Some("success" | "completed") => Some(true),
            Some("failed" | "timeout" | "interrupted" | "error") => Some(false),
            _ => None,
        });

        // Usage order: (1) the row, all-zero = unknown; (2) session_end; (3) usage events;
        // (4) usage objects inside other events. At a level, cost is the sum of those that carry one.
        let row_cost = m.and_then(|m| {
            let places = [m, &m["usage"]];
            let all_zero = places.iter().all(|o| {
                [
                    "prompt_tokens",
                    "completion_tokens",
                    "total_tokens",
                    "input_tokens",
                    "output_tokens",
                    "cache_read_input_tokens",
                    "cache_creation_input_tokens",
                    "cost_usd",
                    "total_cost_usd",
                ]
                .iter()
                .all(|k| num(o.get(*k)).unwrap_or(0.0) == 0.0)
            });
            if all_zero {
                None
            } else {
                rollup_cost(places.iter().find_map(|o| cost_of(o)), places.iter().find_map(|o| tokens_of(o)))
            }
        });
        let level = |which: &dyn Fn(&str) -> bool, pick: &dyn Fn(&Value) -> Option<f64>| -> Option<f64> {
            let costs: Vec<f64> =
                evs.iter().filter(|e| which(event_type(e))).filter_map(|e| pick(&e["data"])).collect();
            (!costs.is_empty()).then(|| costs.iter().sum())
        };
        let end_cost = |d: &Value| -> Option<f64> {
            let u = usage_object(d);
            rollup_cost(cost_of(d).or_else(|| u.and_then(cost_of)), tokens_of(d).or_else(|| u.and_then(tokens_of)))
        };
        let levels = [
            row_cost,
            level(&|t| t == "session_end", &end_cost),
            level(&|t| t == "usage", &cost_of),
            level(&|t| t != "usage" && t != "session_end", &|d| usage_object(d).and_then(cost_of)),
        ];
        let row_tokens = m.and_then(|m| tokens_of(m).or_else(|| tokens_of(&m["usage"]))).filter(|t| *t > 0.0);
        let tokens_known = row_tokens.is_some()
            || evs.iter().any(|e| match event_type(e) {
                "usage" | "session_end" => {
                    tokens_of(&e["data"]).or_else(|| usage_object(&e["data"]).and_then(tokens_of)).is_some()
                }
                _ => usage_object(&e["data"]).and_then(tokens_of).is_some(),
            });
        let permission_denied = m
            .and_then(|m| num(m.get("permission_denied")))
            .or_else(|| end.and_then(|e| num(e["data"].get("permission_denied"))))
            .unwrap_or(0.0);
        let mut errors: Vec<Option<String>> =
            evs.iter().filter(|e| event_type(e) == "error").map(|e| canonical(e, real)).collect();
        if errors.is_empty() {
            // no error events loaded: the design-note row's categories, with their counts
            if let Some(cats) = row.and_then(|r| r["error_summary"]["error_categories"].as_object()) {
                for (k, n) in cats {
                    for _ in 0..num(Some(n)).unwrap_or(0.0) as usize {
                        errors.push(Some(alias(k)));
                    }
                }
            }
        }
        let mut files: BTreeSet<String> =
            m.map(|m| diff_files(&m["diff_summary"])).unwrap_or_default().into_iter().collect();
        files.extend(evs.iter().filter(|e| event_type(e) == "tool_call").filter_map(|e| call_file(&e["data"])));
        let cost_level = levels.iter().position(Option::is_some);
        let cost = cost_level.and_then(|l| levels[l]);

        out.insert(
            a,
            Sess {
                model: model.unwrap_or_else(|| "unknown".into()),
                executor: executor.unwrap_or_else(|| "unknown".into()),
                task,
                start,
                success,
                cost,
                cost_level: cost_level.map(|l| l as u8 + 1),
                success_from_row: row_success.is_some(),
                tokens_known,
                real,
                permission_denied,
                errors,
                files,
                task_given,
            },
        );
    }
    out
}

/// Sum of the known values; None when none is known.
fn sum_known(xs: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    xs.flatten().fold(None, |acc, x| Some(acc.unwrap_or(0.0) + x))
}

/// (sessions, successes, sessions with known success, total known cost)
#[derive(Debug, Default, Clone, PartialEq)]
struct Group {
    sessions: u64,
    successes: u64,
    success_n: u64,
    cost: Option<f64>,
}

fn groups<'a>(ss: impl Iterator<Item = &'a Sess>, key: impl Fn(&Sess) -> String) -> BTreeMap<String, Group> {
    let mut out: BTreeMap<String, Group> = BTreeMap::new();
    for s in ss {
        let g = out.entry(key(s)).or_default();
        g.sessions += 1;
        if let Some(ok) = s.success {
            g.success_n += 1;
            g.successes += ok as u64;
        }
        if let Some(c) = s.cost {
            g.cost = Some(g.cost.unwrap_or(0.0) + c);
        }
    }
    out
}

// ===========================================================================
// Running both
// ===========================================================================

struct Case {
    name: &'static str,
    /// the generator's tally (None for the handmade folder)
    tally: Option<DemoTally>,
    records: Records,
    sessions: BTreeMap<String, Sess>,
    /// Spyglass's report, as JSON
    report: Value,
}

impl Case {
    /// Some sessions are written in bosun's real writer's style.
    fn real_share(&self) -> bool {
        self.tally.as_ref().is_some_and(|t| t.real_sessions > 0)
    }
}

fn build(name: &'static str, cfg: DemoConfig) -> Case {
    let mut sink = MemorySink::default();
    let tally = generate(&cfg, &mut sink).unwrap();
    Case { tally: Some(tally), ..build_from_files(name, &sink.files) }
}

fn build_from_files(name: &'static str, files: &BTreeMap<String, Vec<u8>>) -> Case {
    let records = load(files);
    let sessions = sessions(&records);

    let data = spyglass::dataset::sessions::Dataset::from_files(
        files.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())),
    );
    let report = spyglass::report::Report::compute(&data, &Default::default(), &Default::default());
    let report = serde_json::to_value(&report).unwrap();
    Case { name, tally: None, records, sessions, report }
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        vec![
            build("default (400 sessions, seed 42, real-writer share 0.3)", DemoConfig::default()),
            // with its real-writer share, seed 28 is one where usage events (level 3) decide some costs
            build("seed 28, 150 sessions", DemoConfig { sessions: 150, seed: 28, ..DemoConfig::default() }),
            build(
                "guide only (400 sessions, seed 42, no real-writer share)",
                DemoConfig { real_writer_share: 0.0, ..DemoConfig::default() },
            ),
        ]
    })
}

/// The cases whose figures the core computes without Revision 2 (the guide-only demo).
fn guide_cases() -> impl Iterator<Item = &'static Case> {
    cases().iter().filter(|c| !c.real_share())
}

/// The cases with sessions in bosun's real writer's style.
fn real_cases() -> impl Iterator<Item = &'static Case> {
    let real: Vec<&Case> = cases().iter().filter(|c| c.real_share()).collect();
    assert!(real.len() >= 2, "the demo's default share writes real-style sessions");
    real.into_iter()
}

fn rows<'a>(report: &'a Value, pipeline: &str, table: &str) -> &'a [Value] {
    report[pipeline][table].as_array().unwrap_or_else(|| panic!("{pipeline}.{table} is not an array")).as_slice()
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300),
        _ => false,
    }
}

fn rate(hits: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| hits as f64 / n as f64)
}

/// `YYYY-MM-DD` → days since the epoch, with the same hand-written parser.
fn day_number(day: &str) -> i64 {
    parse_iso(&format!("{day}T00:00:00Z")).unwrap_or_else(|| panic!("bad day {day}")) / DAY_MS
}

/// Error events with their session (None for events without attempt_id).
fn error_events(c: &Case) -> impl Iterator<Item = (&Value, Option<&Sess>)> {
    c.records
        .events
        .iter()
        .filter(|e| event_type(e) == "error")
        .map(|e| (e, text(e, "attempt_id").and_then(|a| c.sessions.get(&a))))
}

// ===========================================================================
// Sanity of the second implementation itself
// ===========================================================================

#[test]
fn timestamp_parser() {
    let t = parse_iso("2026-02-09T14:23:45.123Z").unwrap();
    assert_eq!(t, 1_770_647_025_123);
    assert_eq!(parse_iso("2026-02-09T14:23:45.1239999Z"), Some(t)); // truncated, not rounded
    assert_eq!(parse_iso("2026-02-09T16:23:45.123+02:00"), Some(t));
    assert_eq!(parse_iso("2026-02-09T12:23:45.12-02:00"), Some(t - 3));
    assert_eq!(parse_iso("2026-02-09T14:23:45Z"), Some(t - 123));
    assert_eq!(ts(Some(&serde_json::json!(1_770_647_025_123i64))), Some(t));
    assert_eq!(ts(Some(&serde_json::json!("1770647025123"))), Some(t));
    assert_eq!(parse_iso("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(parse_iso("2026-02-09 14:23:45Z"), None);
}

#[test]
fn revision_2_helpers() {
    let a = "0f8e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b-11111111-2222-4333-8444-555555555555";
    assert_eq!(task_of_attempt(a).as_deref(), Some("0f8e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"));
    assert_eq!(task_of_attempt("ve-a1b2c3-fix-login"), None);
    assert_eq!(alias("Auth_Error"), "auth");
    assert_eq!(alias("push_failure"), "git");
    assert_eq!(alias("plan_stuck"), "plan_stuck");
    let d =
        serde_json::json!({"tool_params": "{\"command\":[\"bash\",\"-lc\",\"cargo test -p api\"],\"workdir\":\"/w\"}"});
    assert_eq!(command_line(&d).as_deref(), Some("cargo test -p api"));
    assert_eq!(command_class("npx prettier --check src"), (false, true));
    let bosun = serde_json::json!("2 file(s) changed, +12 -3\n  src/a.rs      +10   -1\n  Cargo.toml     +2   -2");
    assert_eq!(diff_files(&bosun), ["src/a.rs", "Cargo.toml"]);
    assert_eq!(diff_files(&serde_json::json!("(no diff stats available)")), Vec::<String>::new());
    assert_eq!(
        diff_files(&serde_json::json!("src/auth.rs | 40 ++--\n src/routes.rs | 7 +\n 2 files changed")),
        ["src/auth.rs", "src/routes.rs"]
    );
    assert_eq!(
        telling_message("Waiting for approval: please confirm the command before it runs"),
        Some("permission_wait")
    );
    assert_eq!(rollup_cost(Some(0.0), Some(10.0)), None);
    assert_eq!(rollup_cost(Some(0.0), Some(0.0)), None);
}

/// The simple implementation agrees with the generator's own tally (a third opinion).
#[test]
fn simple_implementation_matches_the_generator_tally() {
    for c in cases() {
        let t = c.tally.as_ref().unwrap();
        assert_eq!(c.sessions.len(), t.sessions, "{}: sessions", c.name);
        assert_eq!(c.records.events.len(), t.events, "{}: events", c.name);
        assert_eq!(c.records.rows.len(), t.metrics_rows, "{}: metrics rows", c.name);
        let tasks: BTreeSet<Option<String>> = c.sessions.values().map(|s| s.task.clone()).collect();
        assert_eq!(tasks.len(), t.tasks, "{}: tasks", c.name);
        let per_model: BTreeMap<String, (usize, usize)> = groups(c.sessions.values(), |s| s.model.clone())
            .into_iter()
            .map(|(k, g)| (k, (g.sessions as usize, g.successes as usize)))
            .collect();
        assert_eq!(per_model, t.per_model, "{}", c.name);
        assert_eq!(c.sessions.values().filter(|s| s.cost.is_some()).count(), t.sessions_with_cost, "{}", c.name);
        let total = sum_known(c.sessions.values().map(|s| s.cost));
        assert!(
            close(total, t.total_cost_usd) || (total.unwrap() - t.total_cost_usd.unwrap()).abs() < 1e-6,
            "{}: {total:?} vs {:?}",
            c.name,
            t.total_cost_usd
        );
        // The demo exercises the branches the cross-checks rely on.
        assert!(c.sessions.values().any(|s| s.cost.is_none()), "{}: no session with unknown cost", c.name);
        assert!(
            c.sessions.values().any(|s| s.success.is_some() && !s.success_from_row),
            "{}: no success from the stream",
            c.name
        );
        assert!(c.sessions.values().any(|s| s.success.is_none()), "{}: no unknown success", c.name);
        assert!(
            c.sessions.values().any(|s| s.errors.iter().any(Option::is_none)),
            "{}: no error left to the product's patterns",
            c.name
        );
        assert!(t.superseded_rows > 0 && t.duplicate_lines > 0 && t.malformed_lines > 0, "{}", c.name);
        let days: BTreeSet<i64> = c.sessions.values().filter_map(|s| s.start).map(|t| t.div_euclid(DAY_MS)).collect();
        assert!(days.len() >= 3, "{}: {} days", c.name, days.len());
    }
    for l in 1..=4 {
        assert!(
            cases().iter().any(|c| c.sessions.values().any(|s| s.cost_level == Some(l))),
            "no session takes its cost from usage level {l}"
        );
    }
}

/// The real-writer share, read back by the simple implementation, is what the generator says it wrote.
#[test]
fn real_writer_share_matches_the_generator_tally() {
    let mut all_cats: BTreeSet<String> = BTreeSet::new();
    for c in real_cases() {
        let t = c.tally.as_ref().unwrap();
        let ctx = c.name;
        let real: BTreeMap<&String, &Sess> = c.sessions.iter().filter(|(_, s)| s.real).collect();
        assert_eq!(real.len(), t.real_sessions, "{ctx}: real-style sessions");
        assert_eq!(
            real.values().filter(|s| !s.task_given).count(),
            t.real_sessions_without_task_id,
            "{ctx}: without task_id"
        );
        assert!(
            real.values().all(|s| s.task.as_deref().is_some_and(is_uuid)),
            "{ctx}: every real-style session has its task UUID"
        );
        // errors by canonical category, all decided (no real-style error is left to guesswork)
        let mut cats: BTreeMap<String, usize> = BTreeMap::new();
        for s in real.values() {
            for e in &s.errors {
                *cats.entry(e.clone().unwrap_or_else(|| "UNDECIDED".into())).or_default() += 1;
            }
        }
        assert_eq!(cats, t.real_error_categories, "{ctx}: canonical categories of the real share");
        let unknown = error_events(c)
            .filter(|(e, s)| {
                s.is_some_and(|s| s.real) && text(&e["data"], "error_category").as_deref() == Some("unknown")
            })
            .count();
        assert_eq!(unknown, t.real_inferred_errors, "{ctx}: unknown errors to infer");
        all_cats.extend(cats.keys().cloned());
        // Codex shell calls, their unnamed results (FIFO), test and lint runs; Copilot calls
        let (mut calls, mut results, mut failures, mut tests, mut lints, mut copilot) = (0, 0, 0, 0, 0, 0);
        for e in &c.records.events {
            let Some(s) = text(e, "attempt_id").and_then(|a| c.sessions.get(&a)).filter(|s| s.real) else { continue };
            let d = &e["data"];
            match (event_type(e), s.executor.as_str()) {
                ("tool_call", "CODEX") => {
                    assert_eq!(text(d, "tool_name").as_deref(), Some("shell"));
                    assert!(d["tool_params"].is_string());
                    calls += 1;
                    let (t, l) = command_class(&command_line(d).unwrap());
                    tests += t as usize;
                    lints += l as usize;
                }
                ("tool_result", "CODEX") => {
                    assert!(d.get("tool_name").is_none());
                    results += 1;
                    failures += (d["status"] == "failed") as usize;
                }
                ("tool_call", "COPILOT") => copilot += 1,
                ("tool_call" | "tool_result", _) => panic!("{ctx}: the real writer drops this: {e}"),
                _ => {}
            }
        }
        assert_eq!(
            (calls, results, failures, tests, lints, copilot),
            (
                t.real_codex_shell_calls,
                t.real_codex_shell_results,
                t.real_codex_shell_failures,
                t.real_codex_test_runs,
                t.real_codex_lint_runs,
                t.real_copilot_calls
            ),
            "{ctx}: (Codex calls, results, failures, test runs, lint runs; Copilot calls)"
        );
        assert!(results <= calls && failures > 0 && tests > 0 && lints > 0, "{ctx}");
        // cost unknown beside known tokens
        let unknown_cost = real.values().filter(|s| s.cost.is_none() && s.tokens_known).count();
        assert_eq!(unknown_cost, t.real_cost_unknown_sessions, "{ctx}: real-style sessions with unknown cost");
        assert!(real.values().all(|s| s.tokens_known), "{ctx}: every real-style session knows its tokens");
        // permission denials without a permission-wait error
        let silent = real
            .values()
            .filter(|s| {
                s.success == Some(false)
                    && s.permission_denied > 0.0
                    && !s.errors.iter().any(|e| e.as_deref() == Some("permission_wait"))
            })
            .count();
        assert_eq!(silent, t.real_silent_permission_denials, "{ctx}: silent permission denials");
        // tokens by kind, from the usage events
        let mut tokens: BTreeMap<String, [u64; 5]> = BTreeMap::new();
        for e in c.records.events.iter().filter(|e| event_type(e) == "usage") {
            let Some(a) = text(e, "attempt_id").filter(|a| c.sessions.get(a).is_some_and(|s| s.real)) else { continue };
            let d = &e["data"];
            let n = |k: &str| num(d.get(k)).unwrap_or(0.0) as u64;
            let b = tokens.entry(a).or_default();
            b[0] += n("input_tokens") + n("prompt_tokens");
            b[1] += n("cached_input_tokens");
            b[2] += n("cache_read_input_tokens");
            b[3] += n("cache_creation_input_tokens");
            b[4] += n("output_tokens") + n("completion_tokens");
        }
        let expected: BTreeMap<String, [u64; 5]> = t
            .real_tokens
            .iter()
            .map(|(a, b)| (a.clone(), [b.input, b.cached_input, b.cache_read, b.cache_creation, b.output]))
            .collect();
        assert_eq!(tokens, expected, "{ctx}: token breakdown per real-style attempt");
        // hot files of the real share: file → its real-style tasks
        let mut hot: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
        for s in real.values() {
            for f in &s.files {
                hot.entry(f.clone()).or_default().insert(s.task.clone());
            }
        }
        let hot: BTreeMap<String, usize> = hot.into_iter().map(|(f, t)| (f, t.len())).collect();
        assert_eq!(hot, t.real_hot_files, "{ctx}: real-style hot files");
        // the current analyser's failed-session alerts
        let transient = c.records.alerts.iter().filter(|a| a["type"] == "failed_session_transient_errors").count();
        assert_eq!(transient, t.real_transient_alerts, "{ctx}: transient-error alerts");
        assert!(c.records.alerts.iter().any(|a| a.get("_cooldown_key").is_some()), "{ctx}");
    }
    for cat in [
        "permission_wait",
        "auth",
        "context_window",
        "test",
        "build",
        "lint",
        "git",
        "oom",
        "rate_limit",
        "api_error",
        "network",
        "timeout",
    ] {
        assert!(all_cats.contains(cat), "no {cat} in the real share: {all_cats:?}");
    }
}

// ===========================================================================
// The cross-checks
// ===========================================================================

/// Sessions and success per model (and, with `costs`, total cost and cost per success).
fn check_model_scores_per_model(c: &Case, costs: bool) {
    let expected = groups(c.sessions.values(), |s| s.model.clone());
    let got = rows(&c.report, "model_scores", "rows");
    assert_eq!(c.report["model_scores"]["group_by"], "model");
    assert_eq!(got.len(), expected.len(), "{}: groups", c.name);
    for r in got {
        let key = r["key"].as_str().unwrap();
        let g = expected.get(key).unwrap_or_else(|| panic!("{}: unexpected model {key}", c.name));
        let ctx = format!("{}: model {key}", c.name);
        assert_eq!(r["sessions"].as_u64(), Some(g.sessions), "{ctx}: sessions");
        assert_eq!(r["success_n"].as_u64(), Some(g.success_n), "{ctx}: success_n");
        assert!(
            close(r["success_rate"].as_f64(), rate(g.successes, g.success_n)),
            "{ctx}: success_rate {} vs {:?}",
            r["success_rate"],
            rate(g.successes, g.success_n)
        );
        if costs {
            assert!(
                close(r["total_cost_usd"].as_f64(), g.cost),
                "{ctx}: total_cost_usd {} vs {:?}",
                r["total_cost_usd"],
                g.cost
            );
            let cps = g.cost.filter(|_| g.successes > 0).map(|c| c / g.successes as f64);
            assert!(
                close(r["cost_per_success"].as_f64(), cps),
                "{ctx}: cost_per_success {} vs {cps:?}",
                r["cost_per_success"]
            );
        }
    }
}

/// (Sums of known cost: the same whether a cost-0 rollup counts as 0 or as unknown, as long as
/// each model has a session with recorded cost, which these cases have.)
#[test]
fn model_scores_per_model() {
    cases().iter().for_each(|c| check_model_scores_per_model(c, true));
}

/// Error events per (executor, canonical category). Where only the product's own message
/// patterns decide a category (absent or `unknown` outside the real writer's telling messages),
/// the event may land in any column: each cell lies between the decided count and that plus the
/// executor's undecided events, and each executor's cells sum to its events.
fn check_provider_heatmap_cells(c: &Case) {
    let mut decided: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut undecided: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_executor: BTreeMap<String, u64> = BTreeMap::new();
    for (e, s) in error_events(c) {
        let executor = text(e, "executor")
            .map(|x| x.to_uppercase())
            .or_else(|| s.map(|s| s.executor.clone()))
            .unwrap_or_else(|| "unknown".into());
        *per_executor.entry(executor.clone()).or_default() += 1;
        match canonical(e, s.is_some_and(|s| s.real)) {
            Some(cat) => *decided.entry((executor, cat)).or_default() += 1,
            None => *undecided.entry(executor).or_default() += 1,
        }
    }
    let got: BTreeMap<(String, String), u64> = rows(&c.report, "provider_heatmap", "cells")
        .iter()
        .map(|r| {
            (
                (r["executor"].as_str().unwrap().to_string(), r["error_category"].as_str().unwrap().to_string()),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(!undecided.is_empty(), "{}: the demo should have errors without a decided category", c.name);
    for key in decided.keys().chain(got.keys()) {
        let lo = decided.get(key).copied().unwrap_or(0);
        let hi = lo + undecided.get(&key.0).copied().unwrap_or(0);
        let n = got.get(key).copied().unwrap_or(0);
        assert!(lo <= n && n <= hi, "{}: cell {key:?} = {n}, expected {lo}..={hi}", c.name);
    }
    let mut sums: BTreeMap<String, u64> = BTreeMap::new();
    for ((x, _), n) in &got {
        *sums.entry(x.clone()).or_default() += n;
    }
    assert_eq!(sums, per_executor, "{}: errors per executor", c.name);
}

#[test]
fn provider_heatmap_cells() {
    guide_cases().for_each(check_provider_heatmap_cells);
}

#[test]
fn provider_heatmap_canonical_categories_with_the_real_writer_share() {
    real_cases().for_each(check_provider_heatmap_cells);
}

/// Among failed sessions, per guarded category: sessions whose errors include it (for
/// permission_wait also a rollup's permission_denied > 0) and those errors' count, within the
/// bounds the undecided errors leave.
fn check_guardrails_totals(c: &Case) {
    let failed: Vec<&Sess> = c.sessions.values().filter(|s| s.success == Some(false)).collect();
    let totals = rows(&c.report, "guardrails", "totals");
    assert_eq!(c.report["guardrails"]["failed_sessions"].as_u64(), Some(failed.len() as u64), "{}", c.name);
    assert_eq!(totals.len(), 3, "{}", c.name);
    for cat in ["permission_wait", "auth", "content_policy"] {
        let r = totals.iter().find(|r| r["category"] == cat).unwrap_or_else(|| panic!("{}: no {cat}", c.name));
        let (mut s_lo, mut s_hi, mut e_lo, mut e_hi) = (0u64, 0u64, 0u64, 0u64);
        for s in &failed {
            let events = s.errors.iter().filter(|e| e.as_deref() == Some(cat)).count() as u64;
            let undecided = s.errors.iter().filter(|e| e.is_none()).count() as u64;
            let denied = cat == "permission_wait" && s.permission_denied > 0.0;
            if events > 0 || denied {
                s_lo += 1;
                s_hi += 1;
            } else if undecided > 0 {
                s_hi += 1;
            }
            e_lo += events;
            e_hi += events + undecided;
        }
        let (sessions, events) = (r["failed_sessions"].as_u64().unwrap(), r["error_events"].as_u64().unwrap());
        assert!(
            s_lo <= sessions && sessions <= s_hi,
            "{}: {cat}: {sessions} failed sessions, expected {s_lo}..={s_hi}",
            c.name
        );
        assert!(e_lo <= events && events <= e_hi, "{}: {cat}: {events} error events, expected {e_lo}..={e_hi}", c.name);
        assert!(s_lo > 0, "{}: no failed session with {cat}", c.name);
    }
}

#[test]
fn guardrails_totals() {
    guide_cases().for_each(check_guardrails_totals);
}

#[test]
fn guardrails_totals_with_the_real_writer_share() {
    real_cases().for_each(check_guardrails_totals);
    // the real share has failed sessions that only their rollup's permission_denied puts there
    assert!(real_cases().any(|c| c.tally.as_ref().unwrap().real_silent_permission_denials > 0));
}

fn check_error_clusters_counts(c: &Case) {
    // fingerprint → (count, attempts, tasks); a task is the session's (None = `(no task)`)
    type Cluster = (u64, BTreeSet<String>, BTreeSet<Option<String>>);
    let mut expected: BTreeMap<String, Cluster> = BTreeMap::new();
    for e in c.records.events.iter().filter(|e| event_type(e) == "error") {
        let fp = text(&e["data"], "error_fingerprint").unwrap_or_else(|| "unknown".into());
        let x = expected.entry(fp).or_default();
        x.0 += 1;
        match text(e, "attempt_id") {
            Some(a) => {
                x.2.insert(c.sessions[&a].task.clone());
                x.1.insert(a);
            }
            None => {
                x.2.insert(text(e, "task_id"));
            }
        }
    }
    let expected: BTreeMap<String, (u64, u64, u64)> =
        expected.into_iter().map(|(k, (n, a, t))| (k, (n, a.len() as u64, t.len() as u64))).collect();
    let got: BTreeMap<String, (u64, u64, u64)> = rows(&c.report, "error_clusters", "rows")
        .iter()
        .map(|r| {
            (
                r["fingerprint"].as_str().unwrap().to_string(),
                (r["count"].as_u64().unwrap(), r["attempts"].as_u64().unwrap(), r["tasks"].as_u64().unwrap()),
            )
        })
        .collect();
    assert!(expected.contains_key("unknown"), "{}: the demo should have errors without fingerprint", c.name);
    assert_eq!(got, expected, "{}: fingerprint → (count, attempts, tasks)", c.name);
}

#[test]
fn error_clusters_counts() {
    guide_cases().for_each(check_error_clusters_counts);
}

#[test]
fn error_clusters_counts_with_the_real_writer_share() {
    real_cases().for_each(check_error_clusters_counts);
}

/// Sessions (and, with `costs`, cost) per day and model, and per day.
fn check_costs_per_day(c: &Case, costs: bool) {
    let dated = || c.sessions.values().filter(|s| s.start.is_some());
    let day = |s: &Sess| s.start.unwrap().div_euclid(DAY_MS);
    // per day and model
    let mut by_day_model: BTreeMap<(i64, String), Vec<&Sess>> = BTreeMap::new();
    let mut by_day: BTreeMap<i64, Vec<&Sess>> = BTreeMap::new();
    for s in dated() {
        by_day_model.entry((day(s), s.model.clone())).or_default().push(s);
        by_day.entry(day(s)).or_default().push(s);
    }
    let got_rows = rows(&c.report, "costs", "rows");
    assert_eq!(got_rows.len(), by_day_model.len(), "{}: (day, model) rows", c.name);
    for r in got_rows {
        let k = (day_number(r["day"].as_str().unwrap()), r["model"].as_str().unwrap().to_string());
        let ss = by_day_model.get(&k).unwrap_or_else(|| panic!("{}: unexpected row {r}", c.name));
        assert_eq!(r["sessions"].as_u64(), Some(ss.len() as u64), "{}: {r}", c.name);
        let cost = sum_known(ss.iter().map(|s| s.cost));
        assert!(!costs || close(r["cost_usd"].as_f64(), cost), "{}: {r} vs {cost:?}", c.name);
    }
    let got_days = rows(&c.report, "costs", "days");
    assert_eq!(got_days.len(), by_day.len(), "{}: days", c.name);
    for r in got_days {
        let ss = by_day
            .get(&day_number(r["day"].as_str().unwrap()))
            .unwrap_or_else(|| panic!("{}: unexpected day {r}", c.name));
        assert_eq!(r["sessions"].as_u64(), Some(ss.len() as u64), "{}: {r}", c.name);
        let cost = sum_known(ss.iter().map(|s| s.cost));
        assert!(!costs || close(r["cost_usd"].as_f64(), cost), "{}: {r} vs {cost:?}", c.name);
    }
    assert_eq!(c.report["costs"]["time_zone"], "UTC");
    assert_eq!(c.report["costs"]["sessions_without_time"].as_u64(), Some((c.sessions.len() - dated().count()) as u64));
}

#[test]
fn costs_per_day() {
    cases().iter().for_each(|c| check_costs_per_day(c, !c.real_share()));
}

#[test]
fn costs_per_day_with_the_real_writer_share() {
    real_cases().for_each(|c| check_costs_per_day(c, true));
}

fn check_executors_sessions_and_success(c: &Case) {
    let expected = groups(c.sessions.values(), |s| s.executor.clone());
    let got = rows(&c.report, "executors", "rows");
    assert_eq!(got.len(), expected.len(), "{}: executors", c.name);
    assert_eq!(expected.keys().cloned().collect::<Vec<_>>(), ["CLAUDE", "CODEX", "COPILOT"], "{}", c.name);
    for r in got {
        let key = r["key"].as_str().unwrap();
        let g = expected.get(key).unwrap_or_else(|| panic!("{}: unexpected executor {key}", c.name));
        assert_eq!(r["sessions"].as_u64(), Some(g.sessions), "{}: {key}", c.name);
        assert_eq!(r["success_n"].as_u64(), Some(g.success_n), "{}: {key}", c.name);
        assert!(
            close(r["success_rate"].as_f64(), rate(g.successes, g.success_n)),
            "{}: {key}: {} vs {:?}",
            c.name,
            r["success_rate"],
            rate(g.successes, g.success_n)
        );
    }
}

#[test]
fn executors_sessions_and_success() {
    cases().iter().for_each(check_executors_sessions_and_success);
}

/// Per tool: calls, results and failures. A result without tool_name answers the oldest
/// unanswered call of its attempt (any tool); a named one the oldest of its tool.
fn check_tools_calls_and_failures(c: &Case) {
    // tool → (calls, results, failures)
    let mut expected: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    let mut per_attempt: BTreeMap<Option<String>, Vec<(Option<i64>, usize, &Value)>> = BTreeMap::new();
    for (i, e) in c.records.events.iter().enumerate() {
        if matches!(event_type(e), "tool_call" | "tool_result") {
            per_attempt.entry(text(e, "attempt_id")).or_default().push((ts(e.get("timestamp")), i, e));
        }
    }
    for (attempt, mut evs) in per_attempt {
        evs.sort_by_key(|(t, i, _)| (t.is_none(), *t, *i)); // time order; ties in read order
        let mut pending: Vec<String> = Vec::new();
        for (_, _, e) in evs {
            let d = &e["data"];
            let named = text(d, "tool_name");
            if event_type(e) == "tool_call" {
                let tool = named.unwrap_or_else(|| "unknown".into());
                expected.entry(tool.clone()).or_default().0 += 1;
                if attempt.is_some() {
                    pending.push(tool);
                }
                continue;
            }
            let tool = match named {
                Some(t) => {
                    if let Some(k) = pending.iter().position(|p| *p == t) {
                        pending.remove(k);
                    }
                    t
                }
                None if !pending.is_empty() => pending.remove(0),
                None => "unknown".into(),
            };
            let failed =
                d["result"] == "error" || d["success"] == false || d["status"] == "error" || d["status"] == "failed";
            let x = expected.entry(tool).or_default();
            x.1 += 1;
            x.2 += failed as u64;
        }
    }
    let got: BTreeMap<String, (u64, u64, u64)> = rows(&c.report, "tools", "rows")
        .iter()
        .map(|r| {
            (
                r["tool_name"].as_str().unwrap().to_string(),
                (r["calls"].as_u64().unwrap(), r["results"].as_u64().unwrap(), r["failures"].as_u64().unwrap()),
            )
        })
        .collect();
    assert_eq!(got, expected, "{}: tool → (calls, results, failures)", c.name);
}

#[test]
fn tools_calls_and_failures() {
    guide_cases().for_each(check_tools_calls_and_failures);
}

#[test]
fn tools_shell_results_with_the_real_writer_share() {
    for c in real_cases() {
        check_tools_calls_and_failures(c);
        // and the real share's part of `shell`, from the tally
        let t = c.tally.as_ref().unwrap();
        let shell = rows(&c.report, "tools", "rows").iter().find(|r| r["tool_name"] == "shell").expect("a shell row");
        assert!(shell["results"].as_u64().unwrap() >= t.real_codex_shell_results as u64, "{}", c.name);
        assert!(shell["failures"].as_u64().unwrap() >= t.real_codex_shell_failures as u64, "{}", c.name);
        assert!(
            rows(&c.report, "tools", "rows").iter().all(|r| r["tool_name"] != "unknown"),
            "{}: every result has its call",
            c.name
        );
    }
}

/// test_run and lint_run counts from the command lines of every tool call.
fn check_tools_test_and_lint_runs(c: &Case) {
    let (mut tests, mut lints) = (0u64, 0u64);
    for e in c.records.events.iter().filter(|e| event_type(e) == "tool_call") {
        if let Some(line) = command_line(&e["data"]) {
            let (t, l) = command_class(&line);
            tests += t as u64;
            lints += l as u64;
        }
    }
    let commands = &c.report["tools"]["commands"];
    assert_eq!(
        (commands["test_runs"].as_u64(), commands["lint_runs"].as_u64()),
        (Some(tests), Some(lints)),
        "{}: (test runs, lint runs)",
        c.name
    );
    assert!(tests > 0 && lints > 0, "{}", c.name);
}

#[test]
fn tools_test_and_lint_runs() {
    guide_cases().for_each(check_tools_test_and_lint_runs);
}

#[test]
fn tools_test_and_lint_runs_with_the_real_writer_share() {
    real_cases().for_each(check_tools_test_and_lint_runs);
}

/// Hot files: per file, the tasks whose sessions name it (metrics row's diff_summary, tool
/// calls' file_path or path) and how many of those failed (no session succeeded, one known).
fn check_git_hot_files(c: &Case) {
    let mut tasks: BTreeMap<Option<String>, (bool, bool)> = BTreeMap::new(); // (any success, any known)
    let mut files: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    for s in c.sessions.values() {
        let t = tasks.entry(s.task.clone()).or_default();
        t.0 |= s.success == Some(true);
        t.1 |= s.success.is_some();
        for f in &s.files {
            files.entry(f.clone()).or_default().insert(s.task.clone());
        }
    }
    let expected: BTreeMap<String, (u64, u64)> = files
        .into_iter()
        .map(|(f, ts)| {
            let failed = ts.iter().filter(|t| tasks[*t].1 && !tasks[*t].0).count() as u64;
            (f, (ts.len() as u64, failed))
        })
        .collect();
    assert!(expected.len() <= 50, "{}: more hot files than the report lists", c.name);
    let got: BTreeMap<String, (u64, u64)> = c.report["git"]["hot_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                (r["tasks"].as_u64().unwrap(), r["failed_tasks"].as_u64().unwrap()),
            )
        })
        .collect();
    assert_eq!(got, expected, "{}: file → (tasks, failed tasks)", c.name);
}

#[test]
fn git_hot_files() {
    guide_cases().for_each(check_git_hot_files);
}

#[test]
fn git_hot_files_with_the_real_writer_share() {
    for c in real_cases() {
        check_git_hot_files(c);
        // every file of the real share is there with at least its real-style tasks
        for (f, n) in &c.tally.as_ref().unwrap().real_hot_files {
            let row = c.report["git"]["hot_files"].as_array().unwrap().iter().find(|r| r["file"] == f.as_str());
            assert!(row.is_some_and(|r| r["tasks"].as_u64().unwrap() >= *n as u64), "{}: {f}", c.name);
        }
    }
}

/// The task of every session (git rows) and the set of tasks (task_risk, summary).
fn check_task_ids_of_sessions(c: &Case) {
    let name = |t: &Option<String>| t.clone().unwrap_or_else(|| "(no task)".into());
    for r in c.report["git"]["rows"].as_array().unwrap() {
        let a = r["attempt_id"].as_str().unwrap();
        let s = c.sessions.get(a).unwrap_or_else(|| panic!("{}: unexpected attempt {a}", c.name));
        assert_eq!(r["task_id"].as_str(), s.task.as_deref(), "{}: task of {a}", c.name);
    }
    let expected: BTreeSet<String> = c.sessions.values().map(|s| name(&s.task)).collect();
    let got: BTreeSet<String> =
        rows(&c.report, "task_risk", "rows").iter().map(|r| r["task_id"].as_str().unwrap().to_string()).collect();
    assert_eq!(got, expected, "{}: tasks", c.name);
    assert_eq!(c.report["summary"]["tasks"].as_u64(), Some(expected.len() as u64), "{}: summary.tasks", c.name);
}

#[test]
fn task_ids_of_sessions() {
    guide_cases().for_each(check_task_ids_of_sessions);
}

#[test]
fn task_ids_of_sessions_with_the_real_writer_share() {
    for c in real_cases() {
        check_task_ids_of_sessions(c);
        assert!(c.tally.as_ref().unwrap().real_sessions_without_task_id > 0, "{}", c.name);
    }
}

// ===========================================================================
// A small handmade folder for spec sentences the demo does not reach
// ===========================================================================

/// Usage events beside embedded usage objects (level 3 before 4), equal-instant metrics rows (the
/// one read last wins), a string cost, an all-zero row, the design-note shape, executors in mixed
/// case taken from the events, fractions that must be truncated at midnight, a BOM/CRLF copy, a
/// duplicate key, tool results in all three spellings, and records without attempt_id.
fn handmade() -> BTreeMap<String, Vec<u8>> {
    let stream = [
        // A: no row, no session_end; usage events (one with a string cost) beside an embedded usage
        r#"{"timestamp":"2026-03-01T10:00:00.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"session_start","data":{"prompt_type":"initial"}}"#,
        r#"{"timestamp":"2026-03-01T10:00:01.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"usage","data":{"prompt_tokens":100,"completion_tokens":10,"cost_usd":"0.25"}}"#,
        r#"{"timestamp":"2026-03-01T10:00:02.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"usage","data":{"prompt_tokens":"100","completion_tokens":10}}"#,
        r#"{"timestamp":"2026-03-01T10:00:03.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"agent_output","data":{"output":"x","usage":{"prompt_tokens":5,"completion_tokens":5,"cost_usd":9.0}}}"#,
        r#"{"timestamp":"2026-03-01T10:00:04.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"tool_call","data":{"tool_name":"shell","tool_params":{"command":"cargo test"}}}"#,
        r#"{"timestamp":"2026-03-01T10:00:05.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"tool_result","data":{"tool_name":"shell","success":false}}"#,
        r#"{"timestamp":"2026-03-01T10:00:06.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"tool_result","data":{"tool_name":"shell","status":"error"}}"#,
        r#"{"timestamp":"2026-03-01T10:00:07.000Z","attempt_id":"att-a","task_id":"t1","executor":"CODEX","model":"m-a","event_type":"error","data":{"error_message":"no key","error_category":"auth","error_fingerprint":"fp1"}}"#,
        // B: executor and model from the events only (mixed case); an error without executor
        r#"{"timestamp":"2026-03-02T00:30:00.000+02:00","attempt_id":"att-b","task_id":"t2","executor":"codex","model":"m-b","event_type":"session_start","data":{}}"#,
        r#"{"timestamp":"2026-03-01T23:59:59.9999999Z","attempt_id":"att-b","task_id":"t2","executor":"Codex","model":"m-b","event_type":"agent_output","data":{"output":"y"}}"#,
        r#"{"timestamp":"2026-03-01T23:00:00Z","attempt_id":"att-b","task_id":"t2","executor":"CLAUDE","model":"m-b","event_type":"status_change","data":{}}"#,
        r#"{"timestamp":"2026-03-01T23:10:00Z","attempt_id":"att-b","task_id":"t2","model":"m-b","event_type":"error","data":{"error_message":"boom"}}"#,
        r#"{"timestamp":"2026-03-01T23:11:00Z","attempt_id":"att-b","task_id":"t2","model":"m-b","event_type":"error","data":{"error_message":"dup key","error_category":"build","error_category":"test","error_fingerprint":"fp2"}}"#,
        // C: its row is all zeros (unknown usage); cost from session_end, as a string
        r#"{"timestamp":"2026-03-02T09:00:00.000Z","attempt_id":"att-c","task_id":"t3","executor":"copilot","model":"m-c","event_type":"session_end","data":{"completion_status":"failed","cost_usd":"0.5"}}"#,
        // E: only events with epoch timestamps and a 4-digit fraction just before midnight
        r#"{"timestamp":"2026-03-03T23:59:59.9996Z","attempt_id":"att-e","executor":"COPILOT","model":"m-c","event_type":"session_start","data":{}}"#,
        r#"{"timestamp":1772582400000,"attempt_id":"att-e","executor":"COPILOT","model":"m-c","event_type":"session_end","data":{"completion_status":"weird","result":{"usage":{"input_tokens":1,"output_tokens":2,"total_cost_usd":0.125}}}}"#,
        // without attempt_id
        r#"{"timestamp":"2026-03-01T11:00:00.000Z","event_type":"skill_invoke","data":{"skill_name":"plan-task"}}"#,
        r#"{"timestamp":"1772362800000","task_id":"t9","executor":"copilot","event_type":"error","data":{"error_message":"401","error_category":"auth","error_fingerprint":"fp1"}}"#,
        // skipped
        r#"{"timestamp":"2026-03-01T11:00:00.000Z","attempt_id":"att-x","metrics":"unavailable"}"#,
        "[1,2]",
        "",
    ]
    .join("\n");
    let metrics = [
        // B: three rows; two at the same instant written differently, the one read last wins
        r#"{"timestamp":"2026-03-01T12:00:00Z","attempt_id":"att-b","metrics":{"success":false,"cost_usd":1.0,"total_tokens":10}}"#,
        r#"{"timestamp":"2026-03-01T14:00:00.000+02:00","attempt_id":"att-b","metrics":{"success":true,"cost_usd":2.0,"total_tokens":20}}"#,
        r#"{"timestamp":"2026-03-01T11:00:00Z","attempt_id":"att-b","metrics":{"success":false,"cost_usd":5.0,"total_tokens":50}}"#,
        // C: all zeros → usage unknown; success from the row
        r#"{"timestamp":"2026-03-02T09:00:01Z","attempt_id":"att-c","executor":"COPILOT","model":"m-c","task_id":"t3","metrics":{"success":true,"cost_usd":0,"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}"#,
        // D: design-note shape only, epoch-ms row timestamp (its start)
        r#"{"timestamp":1772413200000,"attempt_id":"att-d","executor":"Claude","model":"m-d","metrics":{"cost_usd":0.3,"prompt_tokens":10,"retry_count":0},"outcome":{"status":"manual_review"}}"#,
    ]
    .join("\n");
    // a transcript copy of A's lines with a BOM, CRLF and trailing blanks: all duplicates
    let copy = format!("\u{feff}{}\r\n{} \t\r\n", stream.lines().next().unwrap(), stream.lines().nth(1).unwrap());
    BTreeMap::from([
        ("agent-work-stream.jsonl".to_string(), stream.into_bytes()),
        ("agent-metrics.jsonl".to_string(), metrics.into_bytes()),
        ("agent-sessions/att-a.jsonl".to_string(), copy.into_bytes()),
    ])
}

#[test]
fn handmade_folder() {
    let c = build_from_files("handmade", &handmade());
    // what the spec says, written out by hand for this folder
    let s = &c.sessions;
    type Facts<'a> = (&'a str, &'a str, Option<bool>, Option<f64>, i64);
    let facts: Vec<Facts> = s
        .iter()
        .map(|(a, x)| (a.as_str(), x.executor.as_str(), x.success, x.cost, x.start.unwrap().div_euclid(DAY_MS)))
        .collect();
    let day = |d: &str| day_number(d);
    assert_eq!(
        facts,
        [
            ("att-a", "CODEX", None, Some(0.25), day("2026-03-01")),
            ("att-b", "CODEX", Some(true), Some(2.0), day("2026-03-01")),
            ("att-c", "COPILOT", Some(true), Some(0.5), day("2026-03-02")),
            ("att-d", "CLAUDE", Some(false), Some(0.3), day("2026-03-02")),
            ("att-e", "COPILOT", None, Some(0.125), day("2026-03-03")),
        ]
    );
    assert_eq!(c.records.events.len(), 18);
    check_model_scores_per_model(&c, true);
    check_provider_heatmap_cells(&c);
    check_error_clusters_counts(&c);
    check_costs_per_day(&c, true);
    check_executors_sessions_and_success(&c);
    check_tools_calls_and_failures(&c);
    check_task_ids_of_sessions(&c);
}
