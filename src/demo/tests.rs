//! The generator's own tests: determinism, the tally against an independent recount with
//! serde_json, the documented record shapes and stories, streaming in small writes.

use super::output::*;
use super::random::*;
use super::timestamps::*;
use super::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

fn run(sessions: usize, seed: u64, malformed: bool) -> (MemorySink, DemoTally) {
    let cfg = DemoConfig { sessions, seed, malformed_lines: malformed, ..DemoConfig::default() };
    let mut sink = MemorySink::default();
    let t = generate(&cfg, &mut sink).unwrap();
    (sink, t)
}

/// Lines as the viewer sees them: split on \n, BOM and trailing \r/space/tab removed.
fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\n".as_slice()).unwrap_or(bytes);
    bytes
        .split(|&c| c == b'\n')
        .map(|l| {
            let mut end = l.len();
            while end > 0 && matches!(l[end - 1], b'\r' | b' ' | b'\t') {
                end -= 1;
            }
            &l[..end]
        })
        .collect()
}

/// Independent timestamp parser (ISO 8601 with any fraction digits and offsets, or epoch ms).
fn ts_ms(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) => s.parse().ok(),
        Value::String(s) => {
            let b = s.as_bytes();
            let num = |a: usize, l: usize| -> i64 { s[a..a + l].parse().unwrap() };
            let (y, mo, d, h, mi, se) = (num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2));
            let mut i = 19;
            let mut ms = 0;
            if b.get(i) == Some(&b'.') {
                i += 1;
                let st = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let frac = &s[st..i];
                let f3 = format!("{:0<3}", &frac[..frac.len().min(3)]);
                ms = f3.parse().unwrap();
            }
            let off = match &s[i..] {
                "Z" => 0,
                o => {
                    let sign = if o.starts_with('-') { -1 } else { 1 };
                    sign * (o[1..3].parse::<i64>().unwrap() * 60 + o[4..6].parse::<i64>().unwrap())
                }
            };
            let days = days_from_civil(y, mo as u32, d as u32);
            Some(days * DAY_MS + h * HOUR_MS + mi * MIN_MS + se * SEC + ms - off * MIN_MS)
        }
        _ => None,
    }
}

fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Usage object of an event's data per the format doc: (tokens, cost).
fn usage_of(d: &Value, itself: bool) -> Option<(f64, Option<f64>)> {
    let read = |u: &Value| -> Option<(f64, Option<f64>)> {
        let p = num(u.get("prompt_tokens")).or(num(u.get("input_tokens")))?
            + num(u.get("cache_read_input_tokens")).unwrap_or(0.0)
            + num(u.get("cache_creation_input_tokens")).unwrap_or(0.0);
        let c = num(u.get("completion_tokens")).or(num(u.get("output_tokens"))).unwrap_or(0.0);
        let t = num(u.get("total_tokens")).filter(|t| *t > 0.0).unwrap_or(p + c);
        Some((t, num(u.get("total_cost_usd")).or(num(u.get("cost_usd")))))
    };
    if itself {
        if let Some(u) = read(d) {
            return Some(u);
        }
    }
    for path in [
        &["usage"][..],
        &["item", "usage"],
        &["response", "usage"],
        &["metrics", "usage"],
        &["message", "usage"],
        &["result", "usage"],
    ] {
        let mut v = d;
        let mut ok = true;
        for k in path {
            match v.get(k) {
                Some(x) => v = x,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            if let Some(u) = read(v) {
                return Some(u);
            }
        }
    }
    None
}

#[derive(Default)]
struct Recount {
    events: usize,
    errors: usize,
    no_attempt: usize,
    metrics: usize,
    superseded: usize,
    alerts: usize,
    dups: usize,
    malformed: usize,
    blank: usize,
    sessions: usize,
    tasks: usize,
    successes: usize,
    failures: usize,
    unknown: usize,
    cost: f64,
    with_cost: usize,
    tokens: f64,
    first: Option<i64>,
    last: Option<i64>,
    per_model: BTreeMap<String, (usize, usize)>,
}

/// Parses the whole folder with serde_json and recomputes the tally the viewer's way.
fn recount(sink: &MemorySink) -> Recount {
    let mut r = Recount::default();
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    let mut events: HashMap<String, Vec<Value>> = HashMap::new();
    let mut rows: HashMap<String, Vec<(i64, Value)>> = HashMap::new();
    let mut task_ids: BTreeSet<String> = BTreeSet::new();
    let mut no_task = false;
    for bytes in sink.files.values() {
        for l in lines(bytes) {
            if l.iter().all(|c| c.is_ascii_whitespace()) {
                r.blank += 1;
                continue;
            }
            let v: Value = match serde_json::from_slice(l) {
                Ok(v @ Value::Object(_)) => v,
                _ => {
                    r.malformed += 1;
                    continue;
                }
            };
            let is_event = v.get("event_type").is_some();
            let is_metrics = !is_event && v.get("metrics").is_some_and(|m| m.is_object());
            let is_alert = !is_event && v.get("metrics").is_none() && v.get("type").is_some();
            if !(is_event || is_metrics || is_alert) {
                r.malformed += 1;
                continue;
            }
            if !seen.insert(l.to_vec()) {
                r.dups += 1;
                continue;
            }
            let ts = ts_ms(&v["timestamp"]).expect("every record has a readable timestamp");
            r.first = Some(r.first.map_or(ts, |f| f.min(ts)));
            r.last = Some(r.last.map_or(ts, |x| x.max(ts)));
            let aid = v.get("attempt_id").and_then(|a| a.as_str()).map(str::to_string);
            if is_event {
                r.events += 1;
                if v["event_type"] == "error" {
                    r.errors += 1;
                }
                match aid {
                    Some(a) => events.entry(a).or_default().push(v),
                    None => r.no_attempt += 1,
                }
            } else if is_metrics {
                r.metrics += 1;
                rows.entry(aid.expect("row attempt")).or_default().push((ts, v));
            } else {
                r.alerts += 1;
            }
        }
    }
    let mut attempts: BTreeSet<&String> = events.keys().collect();
    attempts.extend(rows.keys());
    r.sessions = attempts.len();
    for a in attempts {
        let evs = events.get(a).map(|v| v.as_slice()).unwrap_or(&[]);
        let row = rows.get(a).map(|rs| {
            r.superseded += rs.len() - 1;
            &rs.iter().max_by_key(|(t, _)| *t).unwrap().1
        });
        // rev. 2: without task_id, a UUID that starts the attempt_id is the task
        let task = row
            .and_then(|r| r.get("task_id"))
            .or_else(|| evs.iter().find_map(|e| e.get("task_id")))
            .and_then(|t| t.as_str())
            .or_else(|| {
                a.get(..36).filter(|u| {
                    a.len() > 37 && a.as_bytes()[36] == b'-' && u.bytes().filter(|&c| c == b'-').count() == 4
                })
            });
        match task {
            Some(t) => {
                task_ids.insert(t.to_string());
            }
            None => no_task = true,
        }
        let model = row
            .and_then(|r| r["model"].as_str())
            .or_else(|| evs.iter().find_map(|e| e["model"].as_str()))
            .unwrap()
            .to_string();
        let m = row.map(|r| &r["metrics"]);
        let end = evs.iter().find(|e| e["event_type"] == "session_end");
        let success = m
            .and_then(|m| m.get("success"))
            .and_then(|s| s.as_bool())
            .or_else(|| row.and_then(|r| r.get("outcome")).map(|o| o["status"] == "completed"))
            .or_else(|| {
                end.and_then(|e| e["data"]["completion_status"].as_str()).and_then(|s| match s {
                    "success" | "completed" => Some(true),
                    "failed" | "timeout" | "interrupted" | "error" => Some(false),
                    _ => None,
                })
            });
        let e = r.per_model.entry(model).or_insert((0, 0));
        e.0 += 1;
        match success {
            Some(true) => {
                e.1 += 1;
                r.successes += 1
            }
            Some(false) => r.failures += 1,
            None => r.unknown += 1,
        }
        // Usage levels: row (all-zero = unknown), session_end, usage events, other events.
        let mut cost = None;
        let mut tokens = None;
        if let Some(m) = m {
            let u = m.get("usage").unwrap_or(m);
            let c = num(u.get("cost_usd"));
            let t = num(u.get("total_tokens"))
                .filter(|t| *t > 0.0)
                .or_else(|| Some(num(u.get("prompt_tokens"))? + num(u.get("completion_tokens"))?));
            if !(c.unwrap_or(0.0) == 0.0 && t.unwrap_or(0.0) == 0.0) {
                // rev. 2: cost 0 beside tokens is unknown cost
                cost = c.filter(|c| *c != 0.0 || t.unwrap_or(0.0) == 0.0);
                tokens = t;
            }
        }
        if let Some(d) = end.map(|e| &e["data"]) {
            let u = usage_of(d, false);
            let c = num(d.get("cost_usd")).filter(|c| *c != 0.0);
            // a rollup of only zeros knows no tokens either
            let t = num(d.get("total_tokens")).filter(|t| *t != 0.0 || c.is_some());
            cost = cost.or(c).or(u.and_then(|u| u.1));
            tokens = tokens.or(t).or(u.map(|u| u.0));
        }
        let sum = |usage_events: bool| -> (Option<f64>, Option<f64>) {
            let (mut c, mut t) = (None, None);
            for e in evs {
                let is_usage = e["event_type"] == "usage";
                if is_usage != usage_events || e["event_type"] == "session_end" {
                    continue;
                }
                if let Some((tk, co)) = usage_of(&e["data"], is_usage) {
                    t = Some(t.unwrap_or(0.0) + tk);
                    if let Some(co) = co {
                        c = Some(c.unwrap_or(0.0) + co);
                    }
                }
            }
            (c, t)
        };
        let (c3, t3) = sum(true);
        let (c4, t4) = sum(false);
        cost = cost.or(c3).or(c4);
        tokens = tokens.or(t3).or(t4);
        if let Some(c) = cost {
            r.with_cost += 1;
            r.cost += c;
        }
        r.tokens += tokens.unwrap_or(0.0);
    }
    r.tasks = task_ids.len() + no_task as usize;
    r
}

#[test]
fn default_start_is_2026_02_02_0800z() {
    let mut b = Vec::new();
    write_ts(&mut b, DemoConfig::default().start_ms, TsStyle::Millis, &mut Rng::new(1));
    assert_eq!(b, b"\"2026-02-02T08:00:00.000Z\"");
    for (style, ms) in [
        (TsStyle::Seven, 1_770_647_025_123),
        (TsStyle::Offset, 1_770_647_025_123),
        (TsStyle::Seconds, 1_770_647_025_000),
    ] {
        let mut b = Vec::new();
        let rep = write_ts(&mut b, 1_770_647_025_123, style, &mut Rng::new(1));
        assert_eq!(rep, ms);
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(ts_ms(&v), Some(ms), "{}", String::from_utf8_lossy(&b));
    }
}

#[test]
fn deterministic_math() {
    assert!((exp_det(1.0) - std::f64::consts::E).abs() < 1e-12);
    assert!((ln_det(0.5) + std::f64::consts::LN_2).abs() < 1e-12);
    assert!((ln_det(0.123) - 0.123f64.ln()).abs() < 1e-12);
}

/// FNV-1a over every file's path and bytes.
fn digest(sink: &MemorySink) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (p, b) in &sink.files {
        for &c in p.as_bytes().iter().chain(b.iter()) {
            h ^= c as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[test]
fn without_the_real_share_the_output_is_the_guide_only_demo() {
    // digests of the generator's output before the real-writer share existed
    for (sessions, seed, before) in [(120, 7, 0x1d1c_0ecc_c797_bdc3u64), (400, 42, 0x7f12_302a_1af2_69f6)] {
        let cfg = DemoConfig { sessions, seed, real_writer_share: 0.0, ..DemoConfig::default() };
        let mut sink = MemorySink::default();
        let t = generate(&cfg, &mut sink).unwrap();
        assert_eq!(digest(&sink), before, "{sessions} sessions, seed {seed}");
        assert_eq!(t.real_sessions, 0);
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, ta) = run(120, 7, true);
    let (b, tb) = run(120, 7, true);
    let (c, _) = run(120, 8, true);
    assert_eq!(a.files, b.files);
    assert_eq!(ta, tb);
    assert_ne!(a.files.get(STREAM), c.files.get(STREAM));
}

#[test]
fn tally_matches_an_independent_recount() {
    for seed in [1, 42] {
        let (sink, t) = run(500, seed, true);
        let r = recount(&sink);
        assert_eq!(t.sessions, 500);
        assert_eq!(r.sessions, t.sessions, "sessions");
        assert_eq!(r.tasks, t.tasks, "tasks");
        assert_eq!(r.events, t.events, "events");
        assert_eq!(r.errors, t.error_events, "error events");
        assert_eq!(r.no_attempt, t.events_without_attempt);
        assert_eq!(r.metrics, t.metrics_rows, "metrics rows");
        assert_eq!(r.superseded, t.superseded_rows, "superseded");
        assert_eq!(r.alerts, t.alerts, "alerts");
        assert_eq!(r.dups, t.duplicate_lines, "duplicates");
        assert_eq!(r.malformed, t.malformed_lines, "malformed");
        assert_eq!(r.blank, t.blank_lines, "blank");
        assert_eq!((r.successes, r.failures, r.unknown), (t.successes, t.failures, t.unknown_success));
        assert_eq!(r.per_model, t.per_model);
        assert_eq!(r.with_cost, t.sessions_with_cost);
        let tc = t.total_cost_usd.unwrap();
        assert!((r.cost - tc).abs() < 1e-6 * tc.max(1.0), "cost {} vs {}", r.cost, tc);
        assert_eq!(r.tokens as u64, t.total_tokens.unwrap());
        assert_eq!((r.first, r.last), (t.first_ms, t.last_ms));
        assert_eq!(t.first_ms, Some(DemoConfig::default().start_ms));
        let total: u64 = sink.files.values().map(|f| f.len() as u64).sum();
        assert_eq!(total, t.bytes);
        assert_eq!(sink.files[STREAM].len() as u64, t.stream_bytes);
        assert_eq!(sink.files.keys().filter(|k| k.starts_with("agent-sessions/")).count(), t.transcripts);
        let lines_total: usize = sink.files.values().map(|f| lines(f).len()).sum();
        assert_eq!(lines_total, t.lines);
        // A handful of bad lines, far below 1 %.
        assert!(t.malformed_lines >= 9 && t.malformed_lines * 100 < t.events, "{}", t.malformed_lines);
    }
}

#[test]
fn records_have_the_documented_shape_and_stories_are_present() {
    let (sink, t) = run(600, 3, true);
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut cats: BTreeSet<String> = BTreeSet::new();
    let mut alert_types: BTreeSet<String> = BTreeSet::new();
    let mut statuses: BTreeSet<String> = BTreeSet::new();
    let mut execs: BTreeSet<String> = BTreeSet::new();
    let mut ptypes: BTreeSet<String> = BTreeSet::new();
    let (mut design, mut guide, mut no_sev, mut big_cost) = (0, 0, 0, 0);
    let mut rate_by_hour: BTreeMap<(String, i64), usize> = BTreeMap::new();
    let mut real_shapes: BTreeSet<&str> = BTreeSet::new();
    for (path, bytes) in &sink.files {
        for l in lines(bytes) {
            let Ok(v @ Value::Object(_)) = serde_json::from_slice::<Value>(l) else { continue };
            if let Some(et) = v.get("event_type") {
                let et = et.as_str().unwrap().to_string();
                assert!(ts_ms(&v["timestamp"]).is_some());
                let d = &v["data"];
                assert!(d.is_object(), "{}", String::from_utf8_lossy(l));
                match et.as_str() {
                    "skill_invoke" => {
                        assert!(v.get("attempt_id").is_none());
                        assert!(d["skill_name"].is_string());
                    }
                    _ => {
                        for k in ["attempt_id", "executor", "model", "executor_variant", "task_title"] {
                            assert!(v[k].is_string(), "{k} missing in {}", String::from_utf8_lossy(l));
                        }
                        execs.insert(v["executor"].as_str().unwrap().to_string());
                    }
                }
                match et.as_str() {
                    "session_start" => {
                        ptypes.insert(d["prompt_type"].as_str().unwrap().to_string());
                    }
                    "tool_call" => {
                        assert!(d["tool_name"].is_string());
                        match &d["tool_params"] {
                            Value::String(p) => {
                                // the real writer's Codex: a JSON string, the command an array
                                let p: Value = serde_json::from_str(p).unwrap();
                                assert!(p["command"].as_array().is_some_and(|c| c.len() == 2 || c.len() == 3));
                                assert_eq!(d["tool_name"], "shell");
                                real_shapes.insert("params as a string");
                            }
                            p => assert!(p.is_object()),
                        }
                    }
                    "tool_result" => {
                        assert!(d.get("result").or(d.get("success")).or(d.get("status")).is_some());
                        if d.get("tool_name").is_none() {
                            assert!(
                                d["result"].is_string() && matches!(d["status"].as_str(), Some("completed" | "failed"))
                            );
                            real_shapes.insert("unnamed result");
                        }
                    }
                    "error" => {
                        assert!(d["error_message"].is_string());
                        let c = d["error_confidence"].as_f64().unwrap();
                        assert!((0.0..=1.0).contains(&c));
                        if let Some(c) = d["error_category"].as_str() {
                            cats.insert(c.to_string());
                            if c == "rate_limit" || c == "api_error" {
                                let h = ts_ms(&v["timestamp"]).unwrap() / HOUR_MS;
                                *rate_by_hour
                                    .entry((v["executor"].as_str().unwrap().to_uppercase(), h))
                                    .or_default() += 1;
                            }
                        }
                    }
                    "session_end" => {
                        statuses.insert(d["completion_status"].as_str().unwrap().to_string());
                        assert!(d["duration_ms"].is_i64());
                        if d["cost_usd"].as_f64().unwrap_or(0.0) > 1.0 {
                            big_cost += 1;
                        }
                    }
                    _ => {}
                }
                *types.entry(et).or_default() += 1;
            } else if let Some(m) = v.get("metrics").filter(|m| m.is_object()) {
                assert_eq!(path, METRICS);
                assert!(m.is_object());
                if v.get("outcome").is_some() {
                    design += 1;
                    assert!(m["retry_count"].is_i64());
                } else {
                    guide += 1;
                    assert!(m["anomaly_actions"].is_array());
                }
                if m.get("permission_denied").is_some() {
                    // the real writer's rollup: no duration, no error count
                    assert!(m.get("duration_ms").is_none() && m.get("errors").is_none());
                    assert!(m["agent_made_commits"].is_boolean());
                    let diff = m["diff_summary"].as_str().unwrap();
                    let n = m["diff_files_changed"].as_u64().unwrap();
                    if n == 0 {
                        assert_eq!(diff, "(no diff stats available)");
                    } else {
                        assert!(diff.starts_with(&format!("{n} file(s) changed, +")), "{diff}");
                        assert_eq!(diff.lines().count() as u64, n + 1);
                        real_shapes.insert("bosun diff");
                    }
                    if m["cost_usd"] == 0.0 && m["total_tokens"].as_u64() > Some(0) {
                        real_shapes.insert("cost 0 beside tokens");
                    }
                    if m["tool_calls"].is_string() {
                        real_shapes.insert("counter as a string");
                    }
                    if m["permission_denied"].as_u64() > Some(0) {
                        real_shapes.insert("permission denied");
                    }
                    if m["anomaly_actions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|a| a["type"] == "TOOL_CALL_LOOP" && a["timestamp"].is_i64())
                    {
                        real_shapes.insert("anomaly objects");
                    }
                }
            } else if let Some(ty) = v.get("type") {
                assert_eq!(path, ALERTS);
                alert_types.insert(ty.as_str().unwrap().to_string());
                if v.get("_cooldown_key").is_some() {
                    real_shapes.insert("cooldown key");
                }
                if v.get("severity").is_none() {
                    no_sev += 1;
                }
            }
        }
    }
    for et in [
        "session_start",
        "agent_output",
        "agent_thinking",
        "tool_call",
        "tool_result",
        "error",
        "usage",
        "session_end",
        "status_change",
        "skill_invoke",
        "followup_sent",
    ] {
        assert!(types.get(et).copied().unwrap_or(0) > 0, "no {et}: {types:?}");
    }
    for c in [
        "rate_limit",
        "api_error",
        "auth",
        "permission_wait",
        "content_policy",
        "test",
        "build",
        "dependency",
        "context_window",
    ] {
        assert!(cats.contains(c), "no {c}: {cats:?}");
    }
    for shape in [
        "params as a string",
        "unnamed result",
        "bosun diff",
        "cost 0 beside tokens",
        "counter as a string",
        "permission denied",
        "anomaly objects",
        "cooldown key",
    ] {
        assert!(real_shapes.contains(shape), "no {shape}: {real_shapes:?}");
    }
    for c in [
        "auth_error",
        "token_overflow",
        "test_failure",
        "build_failure",
        "git_conflict",
        "push_failure",
        "rate_limit",
        "unknown",
    ] {
        assert!(cats.contains(c), "no {c}: {cats:?}");
    }
    assert!(
        t.real_sessions * 100 > t.sessions * 20 && t.real_sessions * 100 < t.sessions * 40,
        "{} of {}",
        t.real_sessions,
        t.sessions
    );
    assert!(t.real_sessions_without_task_id > 0 && t.real_inferred_errors > 0 && t.real_silent_permission_denials > 0);
    assert!(
        t.real_codex_shell_results > 0
            && t.real_codex_shell_failures > 0
            && t.real_codex_test_runs > 0
            && t.real_codex_lint_runs > 0
    );
    assert!(
        t.real_copilot_calls > 0
            && t.real_cost_unknown_sessions > 0
            && t.real_transient_alerts > 0
            && !t.real_hot_files.is_empty()
    );
    for a in [
        "error_loop",
        "tool_loop",
        "excessive_restarts",
        "cost_anomaly",
        "failed_session_high_errors",
        "failed_session_transient_errors",
        "stuck_agent",
    ] {
        assert!(alert_types.contains(a), "no alert {a}: {alert_types:?}");
    }
    for s in ["success", "completed", "failed", "timeout", "interrupted", "error"] {
        assert!(statuses.contains(s), "no status {s}");
    }
    assert!(ptypes.len() == 3, "{ptypes:?}");
    assert!(execs.contains("CODEX") && execs.iter().any(|e| e.chars().any(|c| c.is_lowercase())));
    assert!(design > 10 && guide > 100 && no_sev > 0 && big_cost > 0);
    assert!(t.superseded_rows > 0 && t.events_without_attempt > 0 && t.unknown_success > 0);
    assert!(t.sessions_with_cost < t.sessions, "some sessions must have unknown cost");
    // The outage: one hour with far more rate-limit/API errors than any typical hour.
    let max = rate_by_hour.values().copied().max().unwrap_or(0);
    assert!(max >= 8, "no burst: {max}");
}

#[test]
fn without_malformed_lines_every_line_is_a_record() {
    let (sink, t) = run(150, 9, false);
    assert_eq!(t.malformed_lines, 0);
    assert_eq!(t.blank_lines, 0);
    let r = recount(&sink);
    assert_eq!(r.malformed + r.blank, 0);
}

#[test]
fn streams_in_small_writes() {
    let cfg = DemoConfig { sessions: 1500, ..DemoConfig::default() };
    let mut sink = DiscardSink::default();
    let t = generate(&cfg, &mut sink).unwrap();
    assert_eq!(sink.bytes, t.bytes);
    assert!(sink.writes > 50, "{}", sink.writes);
    assert!(sink.max_write <= FLUSH_MAIN + 200_000, "{}", sink.max_write);
    assert!(t.stream_bytes > 10 * FLUSH_MAIN as u64);
    // The size estimate holds within 25 %.
    let est = sessions_for_stream_bytes(t.stream_bytes) as f64;
    assert!((est / 1500.0 - 1.0).abs() < 0.25, "{est}");
}

#[test]
fn zero_sessions_is_empty() {
    let (sink, t) = run(0, 1, true);
    assert!(sink.files.is_empty());
    assert_eq!(t, DemoTally::default());
}
