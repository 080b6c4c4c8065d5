//! Issue 4: an independent cross-check of Spyglass's figures.
//!
//! The demo generator writes a bosun log folder; Spyglass loads it and computes its report. This
//! file recomputes several figures a second time with a deliberately simple implementation that
//! works only on `serde_json::Value` and follows analytics-spec.md directly. It shares no code with
//! Spyglass (no ingest, no model, no time helpers): Spyglass is called only to produce the report
//! compared against. Slow and obvious on purpose.

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
        ms = format!("{:0<3}", &frac[..frac.len().min(3)]).parse::<i64>().ok()?; // truncated, never rounded
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
            }
        }
    }
    r
}

/// The usage object of a payload at the format doc's variant paths, first found.
fn usage_object(data: &Value) -> Option<&Value> {
    [&data["usage"], &data["item"]["usage"], &data["response"]["usage"], &data["metrics"]["usage"], &data["message"]["usage"], &data["result"]["usage"]]
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
        let task = from_row("task_id").or_else(|| evs.iter().find_map(|e| text(e, "task_id")));
        let start = evs.iter().filter_map(|e| ts(e.get("timestamp"))).min().or_else(|| row.and_then(|r| ts(r.get("timestamp"))));

        let end = evs.iter().rev().find(|e| event_type(e) == "session_end");
        let row_success = m
            .and_then(|m| m["success"].as_bool())
            .or_else(|| row.and_then(|r| r["outcome"]["status"].as_str()).map(|s| s == "completed"));
        let success = row_success
            .or_else(|| match end.and_then(|e| e["data"]["completion_status"].as_str()) {
                Some("success" | "completed") => Some(true),
                Some("failed" | "timeout" | "interrupted" | "error") => Some(false),
                _ => None,
            });

        // Usage order: (1) the row, all-zero = unknown; (2) session_end; (3) usage events;
        // (4) usage objects inside other events. At a level, cost is the sum of those that carry one.
        let row_cost = m.and_then(|m| {
            let places = [m, &m["usage"]];
            let all_zero = places.iter().all(|o| {
                ["prompt_tokens", "completion_tokens", "total_tokens", "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "cost_usd", "total_cost_usd"]
                    .iter()
                    .all(|k| num(o.get(*k)).unwrap_or(0.0) == 0.0)
            });
            if all_zero {
                None
            } else {
                places.iter().find_map(|o| cost_of(o))
            }
        });
        let level = |which: &dyn Fn(&str) -> bool, pick: &dyn Fn(&Value) -> Option<f64>| -> Option<f64> {
            let costs: Vec<f64> = evs.iter().filter(|e| which(event_type(e))).filter_map(|e| pick(&e["data"])).collect();
            (!costs.is_empty()).then(|| costs.iter().sum())
        };
        let levels = [
            row_cost,
            level(&|t| t == "session_end", &|d| cost_of(d).or_else(|| usage_object(d).and_then(cost_of))),
            level(&|t| t == "usage", &cost_of),
            level(&|t| t != "usage" && t != "session_end", &|d| usage_object(d).and_then(cost_of)),
        ];
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

fn build(name: &'static str, cfg: DemoConfig) -> Case {
    let mut sink = MemorySink::default();
    let tally = generate(&cfg, &mut sink).unwrap();
    Case { tally: Some(tally), ..build_from_files(name, &sink.files) }
}

fn build_from_files(name: &'static str, files: &BTreeMap<String, Vec<u8>>) -> Case {
    let records = load(files);
    let sessions = sessions(&records);

    let data = spyglass::model::sessions::Dataset::from_files(files.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())));
    let report = spyglass::report::Report::compute(&data, &Default::default(), &Default::default());
    let report = serde_json::to_value(&report).unwrap();
    Case { name, tally: None, records, sessions, report }
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        vec![build("default (400 sessions, seed 42)", DemoConfig::default()), // seed 28 is one where usage events (level 3) decide some costs; the default seed has none
        build("seed 28, 150 sessions", DemoConfig { sessions: 150, seed: 28, ..DemoConfig::default() })]
    })
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

/// The simple implementation agrees with the generator's own tally (a third opinion).
#[test]
fn simple_implementation_matches_the_generator_tally() {
    for c in cases() {
        let t = c.tally.as_ref().unwrap();
        assert_eq!(c.sessions.len(), t.sessions, "{}: sessions", c.name);
        assert_eq!(c.records.events.len(), t.events, "{}: events", c.name);
        assert_eq!(c.records.rows.len(), t.metrics_rows, "{}: metrics rows", c.name);
        let per_model: BTreeMap<String, (usize, usize)> =
            groups(c.sessions.values(), |s| s.model.clone()).into_iter().map(|(k, g)| (k, (g.sessions as usize, g.successes as usize))).collect();
        assert_eq!(per_model, t.per_model, "{}", c.name);
        assert_eq!(c.sessions.values().filter(|s| s.cost.is_some()).count(), t.sessions_with_cost, "{}", c.name);
        let total = sum_known(c.sessions.values().map(|s| s.cost));
        assert!(close(total, t.total_cost_usd) || (total.unwrap() - t.total_cost_usd.unwrap()).abs() < 1e-6, "{}: {total:?} vs {:?}", c.name, t.total_cost_usd);
        // The demo exercises the branches the cross-checks rely on.
        assert!(c.sessions.values().any(|s| s.cost.is_none()), "{}: no session with unknown cost", c.name);
        assert!(c.sessions.values().any(|s| s.success.is_some() && !s.success_from_row), "{}: no success from the stream", c.name);
        assert!(c.sessions.values().any(|s| s.success.is_none()), "{}: no unknown success", c.name);
        assert!(t.superseded_rows > 0 && t.duplicate_lines > 0 && t.malformed_lines > 0, "{}", c.name);
        let days: BTreeSet<i64> = c.sessions.values().filter_map(|s| s.start).map(|t| t.div_euclid(DAY_MS)).collect();
        assert!(days.len() >= 3, "{}: {} days", c.name, days.len());
    }
    for l in 1..=4 {
        assert!(cases().iter().any(|c| c.sessions.values().any(|s| s.cost_level == Some(l))), "no session takes its cost from usage level {l}");
    }
}

// ===========================================================================
// The cross-checks
// ===========================================================================

fn check_model_scores_per_model(c: &Case) {
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
        assert!(close(r["success_rate"].as_f64(), rate(g.successes, g.success_n)), "{ctx}: success_rate {} vs {:?}", r["success_rate"], rate(g.successes, g.success_n));
        assert!(close(r["total_cost_usd"].as_f64(), g.cost), "{ctx}: total_cost_usd {} vs {:?}", r["total_cost_usd"], g.cost);
        let cps = g.cost.filter(|_| g.successes > 0).map(|c| c / g.successes as f64);
        assert!(close(r["cost_per_success"].as_f64(), cps), "{ctx}: cost_per_success {} vs {cps:?}", r["cost_per_success"]);
    }
}

#[test]
fn model_scores_per_model() {
    cases().iter().for_each(check_model_scores_per_model);
}

fn check_provider_heatmap_cells(c: &Case) {
    let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
    for e in c.records.events.iter().filter(|e| event_type(e) == "error") {
        let executor = text(e, "executor")
            .map(|x| x.to_uppercase())
            .or_else(|| text(e, "attempt_id").and_then(|a| c.sessions.get(&a)).map(|s| s.executor.clone()))
            .unwrap_or_else(|| "unknown".into());
        let category = text(&e["data"], "error_category").unwrap_or_else(|| "uncategorized".into());
        *expected.entry((executor, category)).or_default() += 1;
    }
    let got: BTreeMap<(String, String), u64> = rows(&c.report, "provider_heatmap", "cells")
        .iter()
        .map(|r| ((r["executor"].as_str().unwrap().to_string(), r["error_category"].as_str().unwrap().to_string()), r["count"].as_u64().unwrap()))
        .collect();
    assert!(expected.keys().any(|k| k.1 == "uncategorized"), "{}: the demo should have uncategorized errors", c.name);
    assert_eq!(got, expected, "{}", c.name);
}

#[test]
fn provider_heatmap_cells() {
    cases().iter().for_each(check_provider_heatmap_cells);
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
    let expected: BTreeMap<String, (u64, u64, u64)> = expected.into_iter().map(|(k, (n, a, t))| (k, (n, a.len() as u64, t.len() as u64))).collect();
    let got: BTreeMap<String, (u64, u64, u64)> = rows(&c.report, "error_clusters", "rows")
        .iter()
        .map(|r| (r["fingerprint"].as_str().unwrap().to_string(), (r["count"].as_u64().unwrap(), r["attempts"].as_u64().unwrap(), r["tasks"].as_u64().unwrap())))
        .collect();
    assert!(expected.contains_key("unknown"), "{}: the demo should have errors without fingerprint", c.name);
    assert_eq!(got, expected, "{}: fingerprint → (count, attempts, tasks)", c.name);
}

#[test]
fn error_clusters_counts() {
    cases().iter().for_each(check_error_clusters_counts);
}

fn check_costs_per_day(c: &Case) {
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
        assert!(close(r["cost_usd"].as_f64(), cost), "{}: {r} vs {cost:?}", c.name);
    }
    let got_days = rows(&c.report, "costs", "days");
    assert_eq!(got_days.len(), by_day.len(), "{}: days", c.name);
    for r in got_days {
        let ss = by_day.get(&day_number(r["day"].as_str().unwrap())).unwrap_or_else(|| panic!("{}: unexpected day {r}", c.name));
        assert_eq!(r["sessions"].as_u64(), Some(ss.len() as u64), "{}: {r}", c.name);
        let cost = sum_known(ss.iter().map(|s| s.cost));
        assert!(close(r["cost_usd"].as_f64(), cost), "{}: {r} vs {cost:?}", c.name);
    }
    assert_eq!(c.report["costs"]["time_zone"], "UTC");
    assert_eq!(c.report["costs"]["sessions_without_time"].as_u64(), Some((c.sessions.len() - dated().count()) as u64));
}

#[test]
fn costs_per_day() {
    cases().iter().for_each(check_costs_per_day);
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
        assert!(close(r["success_rate"].as_f64(), rate(g.successes, g.success_n)), "{}: {key}: {} vs {:?}", c.name, r["success_rate"], rate(g.successes, g.success_n));
    }
}

#[test]
fn executors_sessions_and_success() {
    cases().iter().for_each(check_executors_sessions_and_success);
}

fn check_tools_calls_and_failures(c: &Case) {
    // tool → (calls, failures)
    let mut expected: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for e in &c.records.events {
        let d = &e["data"];
        let tool = || text(d, "tool_name").unwrap_or_else(|| "unknown".into());
        match event_type(e) {
            "tool_call" => expected.entry(tool()).or_default().0 += 1,
            "tool_result" => {
                let failed = d["result"] == "error" || d["success"] == false || d["status"] == "error";
                expected.entry(tool()).or_default().1 += failed as u64;
            }
            _ => {}
        }
    }
    let got: BTreeMap<String, (u64, u64)> = rows(&c.report, "tools", "rows")
        .iter()
        .map(|r| (r["tool_name"].as_str().unwrap().to_string(), (r["calls"].as_u64().unwrap(), r["failures"].as_u64().unwrap())))
        .collect();
    assert_eq!(got, expected, "{}: tool → (calls, failures)", c.name);
}

#[test]
fn tools_calls_and_failures() {
    cases().iter().for_each(check_tools_calls_and_failures);
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
    let facts: Vec<Facts> =
        s.iter().map(|(a, x)| (a.as_str(), x.executor.as_str(), x.success, x.cost, x.start.unwrap().div_euclid(DAY_MS))).collect();
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
    check_model_scores_per_model(&c);
    check_provider_heatmap_cells(&c);
    check_error_clusters_counts(&c);
    check_costs_per_day(&c);
    check_executors_sessions_and_success(&c);
    check_tools_calls_and_failures(&c);
}
