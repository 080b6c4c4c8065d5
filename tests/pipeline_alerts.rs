//! `alerts`: recorded and recomputed alerts, figures worked out by hand.
#![allow(clippy::type_complexity)]

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::alerts::{compute, AlertRules};
use spyglass::pipelines::{Filters, Parameters, View};

fn load(stream: &str, alerts: &str) -> Dataset {
    Dataset::from_files([("agent-work-stream.jsonl", stream.as_bytes()), ("agent-alerts.jsonl", alerts.as_bytes())])
}

fn ev(ts: &str, attempt: &str, executor: &str, task: &str, event_type: &str, data: &str) -> String {
    format!("{{\"timestamp\":\"2026-02-09T{ts}Z\",\"attempt_id\":\"{attempt}\",\"task_id\":\"{task}\",\"executor\":\"{executor}\",\"event_type\":\"{event_type}\",\"data\":{data}}}\n")
}

fn stream() -> String {
    let mut t = String::new();
    let a1 = |ts: &str, et: &str, d: &str| ev(ts, "a1", "CODEX", "t1", et, d);
    t += &a1("10:00:00", "session_start", r#"{"prompt_type":"initial"}"#);
    for ts in ["10:01:00", "10:02:00", "10:03:00", "10:04:00", "10:05:00", "10:09:30"] {
        t += &a1(ts, "error", r#"{"error_fingerprint":"E","error_category":"build"}"#);
    }
    t += &a1("10:20:00", "session_end", r#"{"completion_status":"failed","cost_usd":1.5}"#);
    let a2 = |ts: &str, et: &str, d: &str| ev(ts, "a2", "CLAUDE", "t2", et, d);
    t += &a2("11:00:00", "session_start", r#"{"prompt_type":"retry"}"#);
    t += &a2("11:00:10", "session_start", r#"{"prompt_type":"followup"}"#);
    t += &a2("11:00:20", "session_start", r#"{"prompt_type":"FOLLOWUP"}"#);
    for s in 0..10 {
        t += &a2(&format!("11:01:{s:02}"), "tool_call", r#"{"tool_name":"shell","tool_params":{"command":"ls"}}"#);
    }
    t += &a2("11:02:00", "session_end", r#"{"completion_status":"completed"}"#);
    // 28 minutes after the session_end: no stuck_agent (bosun forgot the ended session)
    t += &a2("11:30:00", "agent_output", r#"{"output":"late"}"#);
    t
}

fn alerts() -> String {
    [
        r#"{"timestamp":"2026-02-09T10:04:30Z","type":"error_loop","severity":"high","attempt_id":"a1","task_id":"t1","executor":"CODEX"}"#,
        r#"{"timestamp":"2026-02-09T10:21:00Z","type":"stuck_agent","attempt_id":"a1"}"#,
        r#"{"timestamp":"2026-02-09T23:30:00Z","type":"tool_loop","severity":"medium","attempt_id":"a2","executor":"CLAUDE"}"#,
        r#"{"timestamp":"2026-02-10T01:00:00Z","type":"custom_type","severity":"LOW"}"#,
    ]
    .join("\n")
}

#[test]
fn recorded_alerts_tables() {
    let data = load(&stream(), &alerts());
    let (f, p) = (Filters::default(), Parameters::default());
    let a = compute(&View::new(&data, &f, &p));
    let rec: Vec<(Option<&str>, &str, &str, Option<&str>, Option<&str>, Option<&str>)> = a
        .recorded
        .iter()
        .map(|r| {
            (
                r.time.as_deref(),
                r.alert_type.as_str(),
                r.severity.as_str(),
                r.executor.as_deref(),
                r.attempt_id.as_deref(),
                r.task_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rec,
        vec![
            (Some("2026-02-09T10:04:30.000Z"), "error_loop", "high", Some("CODEX"), Some("a1"), Some("t1")),
            // no severity → unknown; executor and task from its session
            (Some("2026-02-09T10:21:00.000Z"), "stuck_agent", "unknown", Some("CODEX"), Some("a1"), Some("t1")),
            (Some("2026-02-09T23:30:00.000Z"), "tool_loop", "medium", Some("CLAUDE"), Some("a2"), Some("t2")),
            (Some("2026-02-10T01:00:00.000Z"), "custom_type", "low", None, None, None),
        ]
    );
    let by_type: Vec<(&str, &str, u64)> =
        a.by_type.iter().map(|r| (r.alert_type.as_str(), r.severity.as_str(), r.count)).collect();
    assert_eq!(
        by_type,
        vec![
            ("custom_type", "low", 1),
            ("error_loop", "high", 1),
            ("stuck_agent", "unknown", 1),
            ("tool_loop", "medium", 1)
        ]
    );
    let by_ex: Vec<(&str, &str)> = a.by_executor.iter().map(|r| (r.executor.as_str(), r.alert_type.as_str())).collect();
    assert_eq!(
        by_ex,
        vec![("CLAUDE", "tool_loop"), ("CODEX", "error_loop"), ("CODEX", "stuck_agent"), ("unknown", "custom_type")]
    );
    let by_day: Vec<(&str, &str, u64)> =
        a.by_day.iter().map(|r| (r.day.as_str(), r.alert_type.as_str(), r.count)).collect();
    assert_eq!(
        by_day,
        vec![
            ("2026-02-09", "error_loop", 1),
            ("2026-02-09", "stuck_agent", 1),
            ("2026-02-09", "tool_loop", 1),
            ("2026-02-10", "custom_type", 1)
        ]
    );

    // at UTC+01:00 the tool_loop alert (23:30 UTC) falls on 2026-02-10
    let p1 = Parameters { utc_offset_minutes: 60, ..Parameters::default() };
    let a = compute(&View::new(&data, &f, &p1));
    let by_day: Vec<(&str, &str)> = a.by_day.iter().map(|r| (r.day.as_str(), r.alert_type.as_str())).collect();
    assert_eq!(
        by_day,
        vec![
            ("2026-02-09", "error_loop"),
            ("2026-02-09", "stuck_agent"),
            ("2026-02-10", "custom_type"),
            ("2026-02-10", "tool_loop")
        ]
    );
}

/// The earlier analyser's rules (`alert_rules: legacy`) give exactly what they gave before the
/// current rules became the default.
#[test]
fn recomputed_with_bosun_rules_on_event_time() {
    let data = load(&stream(), &alerts());
    let (f, p) = (Filters::default(), Parameters { alert_rules: AlertRules::Legacy, ..Parameters::default() });
    let a = compute(&View::new(&data, &f, &p));
    let rec: Vec<(&str, &str, &str, &str)> = a
        .recomputed
        .iter()
        .map(|r| (r.time.as_str(), r.alert_type.as_str(), r.severity.as_str(), r.attempt_id.as_str()))
        .collect();
    assert_eq!(
        rec,
        vec![
            // 4th E within 10 min
            ("2026-02-09T10:04:00.000Z", "error_loop", "high", "a1"),
            // 10:05 suppressed (1 min after); 10:09:30 is 5.5 min after 10:04 → again
            ("2026-02-09T10:09:30.000Z", "error_loop", "high", "a1"),
            // 10:09:30 → 10:20:00 idle 630 000 ms ≥ 300 000: noticed at 10:09:30 + 5 min
            ("2026-02-09T10:14:30.000Z", "stuck_agent", "medium", "a1"),
            // session_end cost 1.5 > 1.0, and failed with 6 errors ≥ 4 (same instant: by type name)
            ("2026-02-09T10:20:00.000Z", "cost_anomaly", "low", "a1"),
            ("2026-02-09T10:20:00.000Z", "failed_session_high_errors", "high", "a1"),
            // third followup/retry session_start
            ("2026-02-09T11:00:20.000Z", "excessive_restarts", "medium", "a2"),
            // 10th shell call within 60 s
            ("2026-02-09T11:01:09.000Z", "tool_loop", "medium", "a2"),
        ]
    );
    assert_eq!(a.recomputed[0].executor.as_deref(), Some("CODEX"));
    assert_eq!(a.recomputed[0].task_id.as_deref(), Some("t1"));
    assert!(a.recomputed[4].detail.contains("6 errors"), "{}", a.recomputed[4].detail);

    // comparison: a1 failed (session_end failed), a2 succeeded (completed)
    let cmp: Vec<(&str, u64, u64, Option<f64>, u64, Option<f64>, u64)> = a
        .comparison
        .iter()
        .map(|c| {
            (
                c.alert_type.as_str(),
                c.recorded,
                c.recomputed,
                c.recorded_failed_rate,
                c.recorded_failed_n,
                c.recomputed_failed_rate,
                c.recomputed_failed_n,
            )
        })
        .collect();
    assert_eq!(
        cmp,
        vec![
            ("error_loop", 1, 2, Some(1.0), 1, Some(1.0), 1),
            ("tool_loop", 1, 1, Some(0.0), 1, Some(0.0), 1),
            ("excessive_restarts", 0, 1, None, 0, Some(0.0), 1),
            ("cost_anomaly", 0, 1, None, 0, Some(1.0), 1),
            ("failed_session_high_errors", 0, 1, None, 0, Some(1.0), 1),
            ("stuck_agent", 1, 1, Some(1.0), 1, Some(1.0), 1),
            // a recorded type bosun's rules do not know; its alert has no session
            ("custom_type", 1, 0, None, 0, None, 0),
        ]
    );

    // the current rules (default) on the same stream: the same alerts — a1's fingerprint `E` is
    // not transient, so it stays failed_session_high_errors; its one stuck_agent has no other
    // attempt of t1 to suppress — and the comparison gains the transient type (after the six,
    // with no alert of either kind) before the unknown recorded type
    let cur = compute(&View::new(&data, &f, &Parameters::default()));
    assert_eq!(cur.recomputed.to_vec(), a.recomputed.to_vec());
    let mut expected = a.comparison.clone();
    expected.insert(
        6,
        spyglass::pipelines::alerts::Comparison {
            alert_type: "failed_session_transient_errors".into(),
            recorded: 0,
            recomputed: 0,
            recorded_failed_rate: None,
            recorded_failed_n: 0,
            recomputed_failed_rate: None,
            recomputed_failed_n: 0,
        },
    );
    assert_eq!(cur.comparison, expected);
}

#[test]
fn thresholds_are_parameters() {
    let data = load(&stream(), &alerts());
    let f = Filters::default();
    let count = |p: &Parameters, ty: &str| {
        compute(&View::new(&data, &f, p)).recomputed.iter().filter(|r| r.alert_type == ty).count()
    };
    // 11 calls needed: only 10 → none
    assert_eq!(count(&Parameters { tool_loop_count: 11, ..Default::default() }, "tool_loop"), 0);
    // suppression 60 s: 10:04, 10:05 (exactly 60 000 ms later, not within) and 10:09:30
    assert_eq!(count(&Parameters { alert_suppress_ms: 60_000, ..Default::default() }, "error_loop"), 3);
    // window 2 min: at 10:04 only 10:02..10:04 (3) are in it; never 4 within 2 min
    assert_eq!(count(&Parameters { error_loop_window_ms: 120_000, ..Default::default() }, "error_loop"), 0);
    assert_eq!(count(&Parameters { stuck_gap_ms: 631_000, ..Default::default() }, "stuck_agent"), 0);
    assert_eq!(
        count(&Parameters { cost_anomaly_usd: 1.5, ..Default::default() }, "cost_anomaly"),
        0,
        "1.5 is not above 1.5"
    );
    assert_eq!(count(&Parameters { failed_session_errors: 7, ..Default::default() }, "failed_session_high_errors"), 0);
    assert_eq!(count(&Parameters { excessive_restarts: 4, ..Default::default() }, "excessive_restarts"), 0);
}

#[test]
fn filters() {
    let data = load(&stream(), &alerts());
    let p = Parameters::default();
    let claude = Filters { executors: vec!["claude".into()], ..Default::default() };
    let a = compute(&View::new(&data, &claude, &p));
    assert_eq!(a.recorded.iter().map(|r| r.alert_type.as_str()).collect::<Vec<_>>(), vec!["tool_loop"]);
    assert_eq!(
        a.recomputed.iter().map(|r| r.alert_type.as_str()).collect::<Vec<_>>(),
        vec!["excessive_restarts", "tool_loop"]
    );
    let none = Filters { models: vec!["zzz".into()], ..Default::default() };
    let a = compute(&View::new(&data, &none, &p));
    assert!(a.recorded.is_empty() && a.recomputed.is_empty() && a.by_type.is_empty() && a.by_day.is_empty());
    // the types the rules know are always compared, with zero counts: seven with the current
    // rules (failed_session_transient_errors is one), six with the legacy rules
    assert_eq!(a.comparison.len(), 7);
    assert!(a.comparison.iter().all(|c| c.recorded == 0 && c.recomputed == 0 && c.recorded_failed_rate.is_none()));
    let legacy = Parameters { alert_rules: AlertRules::Legacy, ..Parameters::default() };
    let a = compute(&View::new(&data, &none, &legacy));
    assert_eq!(a.comparison.len(), 6);
    assert!(a.comparison.iter().all(|c| c.recorded == 0 && c.recomputed == 0 && c.recorded_failed_rate.is_none()));
}

// ---- bosun's current analyser rules (analytics-spec.md, revision 2)

/// `HH:MM:SS` of a second of 2026-02-09.
fn hms(sec: u32) -> String {
    format!("{:02}:{:02}:{:02}", sec / 3600, sec / 60 % 60, sec % 60)
}

/// One event; `task` None writes no task_id (the task is then the UUID at the start of the attempt).
fn event(sec: u32, attempt: &str, task: Option<&str>, event_type: &str, data: &str) -> String {
    let task = task.map(|t| format!(",\"task_id\":\"{t}\"")).unwrap_or_default();
    format!("{{\"timestamp\":\"2026-02-09T{}Z\",\"attempt_id\":\"{attempt}\"{task},\"executor\":\"codex\",\"event_type\":\"{event_type}\",\"data\":{data}}}\n", hms(sec))
}

/// An attempt ending at `end` (seconds of the day) with `status`: session_start 4 min before, then
/// one error per fingerprint (None: no `error_fingerprint`) every 30 s from 3 min before. Every
/// gap is under 5 min (no stuck_agent).
fn attempt(attempt: &str, task: Option<&str>, end: u32, fingerprints: &[Option<&str>], status: &str) -> String {
    let mut t = event(end - 240, attempt, task, "session_start", r#"{"prompt_type":"initial"}"#);
    for (i, fp) in fingerprints.iter().enumerate() {
        let data = match fp {
            Some(fp) => format!(r#"{{"error_fingerprint":"{fp}","error_message":"m"}}"#),
            None => r#"{"error_message":"m"}"#.to_string(),
        };
        t += &event(end - 180 + 30 * i as u32, attempt, task, "error", &data);
    }
    t += &event(end, attempt, task, "session_end", &format!(r#"{{"completion_status":"{status}"}}"#));
    t
}

const H: u32 = 3600;
const M: u32 = 60;

/// (time, type, severity, attempt) of the recomputed alerts of the given types.
fn recomputed(data: &Dataset, p: &Parameters, types: &[&str]) -> Vec<(String, String, String, String)> {
    let a = compute(&View::new(data, &Filters::default(), p));
    a.recomputed
        .iter()
        .filter(|r| types.contains(&r.alert_type.as_str()))
        .map(|r| {
            (r.time[11..19].to_string(), r.alert_type.to_string(), r.severity.to_string(), r.attempt_id.to_string())
        })
        .collect()
}

fn row(t: &str, ty: &str, sev: &str, attempt: &str) -> (String, String, String, String) {
    (t.into(), ty.into(), sev.into(), attempt.into())
}

const FAILED: [&str; 2] = ["failed_session_high_errors", "failed_session_transient_errors"];
const HIGH: &str = "failed_session_high_errors";
const TRANSIENT: &str = "failed_session_transient_errors";

#[test]
fn failed_sessions_transient_versus_high() {
    let mut s = String::new();
    // b1: six errors, each fingerprint has a transient marker (case-insensitively: TIMEOUT,
    // ECONNRESET, …) → transient (medium)
    s += &attempt(
        "b1",
        Some("tA"),
        10 * H,
        &[
            Some("Stream disconnected before completion"),
            Some("Rate limit reached for gpt-N"),
            Some("read ECONNRESET"),
            Some("Request TIMEOUT after Nms"),
            Some("Service temporarily unavailable"),
            Some("response.failed: model at high demand"),
        ],
        "failed",
    );
    // b2: three transient and one that is not ("Cannot find module") → high
    s += &attempt(
        "b2",
        Some("tB"),
        10 * H + 10 * M,
        &[
            Some("stream disconnected before completion"),
            Some("reconnecting N/N"),
            Some("Provisioned Throughput exceeded"),
            Some("Cannot find module x"),
        ],
        "failed",
    );
    // b3: four errors without a fingerprint (read as `unknown`, not transient) → high
    s += &attempt("b3", Some("tC"), 10 * H + 20 * M, &[None, None, None, None], "failed");
    // b4: four transient errors but completed → no failed-session alert
    s += &attempt(
        "b4",
        Some("tD"),
        10 * H + 30 * M,
        &[Some("timeout"), Some("timeout"), Some("timeout"), Some("timeout")],
        "completed",
    );
    // b5: four transient and one with an empty fingerprint (= absent → `unknown`) → high
    s += &attempt(
        "b5",
        Some("tE"),
        10 * H + 40 * M,
        &[Some("rate limit"), Some("rate limit"), Some("timeout"), Some("timeout"), Some("")],
        "failed",
    );
    // b6: failed with no error at all: under the threshold of 4
    s += &attempt("b6", Some("tF"), 10 * H + 50 * M, &[], "failed");
    let data = load(&s, "");
    assert_eq!(
        recomputed(&data, &Parameters::default(), &FAILED),
        vec![
            row("10:00:00", TRANSIENT, "medium", "b1"),
            row("10:10:00", HIGH, "high", "b2"),
            row("10:20:00", HIGH, "high", "b3"),
            row("10:40:00", HIGH, "high", "b5")
        ]
    );
    let a = compute(&View::new(&data, &Filters::default(), &Parameters::default()));
    let b1 = a.recomputed.iter().find(|r| r.alert_type == TRANSIENT).map(|r| r.detail.to_string());
    assert_eq!(b1.as_deref(), Some("failed with 6 errors, every fingerprint transient"));
    // comparison: 3 high (b2, b3, b5 all failed), 1 transient (b1 failed); nothing recorded
    let cmp = |ty: &str| {
        a.comparison
            .iter()
            .find(|c| c.alert_type == ty)
            .map(|c| (c.recorded, c.recomputed, c.recomputed_failed_rate, c.recomputed_failed_n))
    };
    assert_eq!(cmp(HIGH), Some((0, 3, Some(1.0), 3)));
    assert_eq!(cmp(TRANSIENT), Some((0, 1, Some(1.0), 1)));

    // legacy rules: no transient type, every failed session with ≥ 4 errors is high
    let legacy = Parameters { alert_rules: AlertRules::Legacy, ..Parameters::default() };
    assert_eq!(
        recomputed(&data, &legacy, &FAILED),
        vec![
            row("10:00:00", HIGH, "high", "b1"),
            row("10:10:00", HIGH, "high", "b2"),
            row("10:20:00", HIGH, "high", "b3"),
            row("10:40:00", HIGH, "high", "b5")
        ]
    );

    // the extreme: failed_session_errors 0 makes b6 (no error, so no fingerprint at all) an
    // alert — high, as in bosun (a transient session needs at least one transient fingerprint)
    let zero = Parameters { failed_session_errors: 0, ..Parameters::default() };
    assert_eq!(
        recomputed(&data, &zero, &FAILED),
        vec![
            row("10:00:00", TRANSIENT, "medium", "b1"),
            row("10:10:00", HIGH, "high", "b2"),
            row("10:20:00", HIGH, "high", "b3"),
            row("10:40:00", HIGH, "high", "b5"),
            row("10:50:00", HIGH, "high", "b6")
        ]
    );
}

const T: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const U: &str = "6ba7b810-9dad-41d1-80b4-00c04fd430c8";

/// Retries of two tasks, their attempts `<task uuid>-rN` written without task_id (x1 names T as
/// its task_id), and one attempt of another task.
fn retries() -> String {
    let fatal = [Some("fatal A"), Some("fatal B"), Some("fatal C"), Some("fatal D")];
    let transient =
        [Some("Rate limit reached"), Some("Rate limit reached"), Some("stream disconnected"), Some("timeout")];
    let mut s = String::new();
    s += &attempt(&format!("{T}-r1"), None, 10 * H, &fatal, "failed");
    s += &attempt("y1", Some("tZ"), 10 * H + 30 * M, &fatal, "failed");
    s += &attempt(&format!("{T}-r2"), None, 11 * H - 1, &fatal, "failed");
    s += &attempt(&format!("{T}-r3"), None, 11 * H, &fatal, "failed");
    s += &attempt("x1", Some(T), 11 * H + 30 * M, &fatal, "failed");
    s += &attempt(&format!("{U}-r1"), None, 12 * H, &transient, "failed");
    s += &attempt(&format!("{U}-r3"), None, 13 * H + 30 * M, &fatal, "failed");
    s += &attempt(&format!("{U}-r2"), None, 14 * H - 1, &transient, "failed");
    s += &attempt(&format!("{U}-r4"), None, 14 * H, &transient, "failed");
    s
}

#[test]
fn failed_session_cooldown_per_task() {
    let data = load(&retries(), "");
    let t = |r: &str| format!("{T}-{r}");
    let u = |r: &str| format!("{U}-{r}");
    // task T (high, 60 min): r1 at 10:00 alerted; r2 at 10:59:59 is 59 min 59 s later →
    // suppressed; r3 at 11:00 is 60 min after r1 (the last alert EMITTED; r2's did not restart the
    // window) → alerted; x1 (task_id T) at 11:30 is 30 min after r3 → suppressed.
    // y1 (task tZ) at 10:30: another task → alerted.
    // task U: r1 transient at 12:00 alerted; r3 high at 13:30 → a key of its own (type and task)
    // → alerted; r2 transient at 13:59:59 (119 min 59 s after 12:00, within 120) → suppressed;
    // r4 transient at 14:00 (120 min after) → alerted
    assert_eq!(
        recomputed(&data, &Parameters::default(), &FAILED),
        vec![
            row("10:00:00", HIGH, "high", &t("r1")),
            row("10:30:00", HIGH, "high", "y1"),
            row("11:00:00", HIGH, "high", &t("r3")),
            row("12:00:00", TRANSIENT, "medium", &u("r1")),
            row("13:30:00", HIGH, "high", &u("r3")),
            row("14:00:00", TRANSIENT, "medium", &u("r4")),
        ]
    );
    // legacy: one alert per (type, attempt), every attempt its own → all nine, all high
    let legacy = Parameters { alert_rules: AlertRules::Legacy, ..Parameters::default() };
    let times: Vec<String> =
        recomputed(&data, &legacy, &FAILED).into_iter().map(|r| format!("{} {}", r.0, r.1)).collect();
    assert_eq!(
        times,
        ["10:00:00", "10:30:00", "10:59:59", "11:00:00", "11:30:00", "12:00:00", "13:30:00", "13:59:59", "14:00:00"]
            .map(|t| format!("{t} {HIGH}"))
    );
    // the cooldowns are parameters: high 30 min → T: r1 10:00 kept, r2 10:59:59 (≥ 30 min) kept,
    // r3 11:00 (1 s after r2) suppressed, x1 11:30 (30 min 1 s after r2) kept; U: r3 13:30 kept.
    // transient 1 min → U r1 12:00, r2 13:59:59 and r4 14:00 (1 s after r2: suppressed) → r1, r2
    let p = Parameters {
        failed_session_high_cooldown_ms: 30 * 60_000,
        failed_session_transient_cooldown_ms: 60_000,
        ..Parameters::default()
    };
    let got: Vec<(String, String)> = recomputed(&data, &p, &FAILED).into_iter().map(|r| (r.0, r.3)).collect();
    let want: Vec<(String, String)> = [
        ("10:00:00", t("r1")),
        ("10:30:00", "y1".into()),
        ("10:59:59", t("r2")),
        ("11:30:00", "x1".into()),
        ("12:00:00", u("r1")),
        ("13:30:00", u("r3")),
        ("13:59:59", u("r2")),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b))
    .collect();
    assert_eq!(got, want);
}

/// What bosun's current analyser wrote for `retries()`: the comparison agrees with the default rules.
#[test]
fn comparison_agrees_with_a_log_of_the_current_analyser() {
    let line = |ts: &str, ty: &str, sev: &str, attempt: String, key: String| {
        format!(
            r#"{{"timestamp":"2026-02-09T{ts}.250Z","_cooldown_key":"{key}","type":"{ty}","severity":"{sev}","attempt_id":"{attempt}","executor":"codex"}}"#
        )
    };
    // written by the analyser a moment after each session_end (wall clock)
    let alerts = [
        line("10:00:00", HIGH, "high", format!("{T}-r1"), format!("{HIGH}:task:{T}")),
        line("10:30:00", HIGH, "high", "y1".into(), format!("{HIGH}:task:tZ")),
        line("11:00:00", HIGH, "high", format!("{T}-r3"), format!("{HIGH}:task:{T}")),
        line("12:00:00", TRANSIENT, "medium", format!("{U}-r1"), format!("{TRANSIENT}:task:{U}")),
        line("13:30:00", HIGH, "high", format!("{U}-r3"), format!("{HIGH}:task:{U}")),
        line("14:00:00", TRANSIENT, "medium", format!("{U}-r4"), format!("{TRANSIENT}:task:{U}")),
    ]
    .join("\n");
    let data = load(&retries(), &alerts);
    let f = Filters::default();
    let cmp = |p: &Parameters| -> Vec<(String, u64, u64, Option<f64>, u64, Option<f64>, u64)> {
        let a = compute(&View::new(&data, &f, p));
        a.comparison
            .iter()
            .filter(|c| c.recorded + c.recomputed > 0)
            .map(|c| {
                (
                    c.alert_type.clone(),
                    c.recorded,
                    c.recomputed,
                    c.recorded_failed_rate,
                    c.recorded_failed_n,
                    c.recomputed_failed_rate,
                    c.recomputed_failed_n,
                )
            })
            .collect()
    };
    // every alerted session failed: the shares are 1 over 4 (high) and 2 (transient) sessions
    assert_eq!(
        cmp(&Parameters::default()),
        vec![
            (HIGH.to_string(), 4, 4, Some(1.0), 4, Some(1.0), 4),
            (TRANSIENT.to_string(), 2, 2, Some(1.0), 2, Some(1.0), 2)
        ]
    );
    // the legacy rules recompute all nine failed sessions as high and know no transient type
    // (listed after their six as a recorded type of its own, recomputed 0)
    let legacy = Parameters { alert_rules: AlertRules::Legacy, ..Parameters::default() };
    assert_eq!(
        cmp(&legacy),
        vec![
            (HIGH.to_string(), 4, 9, Some(1.0), 4, Some(1.0), 9),
            (TRANSIENT.to_string(), 2, 0, Some(1.0), 2, None, 0)
        ]
    );
    let a = compute(&View::new(&data, &f, &Parameters::default()));
    assert_eq!(a.recorded[0].cooldown_key.as_deref(), Some(format!("{HIGH}:task:{T}").as_str()));
    // a filter keeps the cooldowns of the whole log: sessions starting 11:20–11:40 are only x1
    // (starts 11:26), whose alert stays suppressed by r3's (outside the view) → none
    let ts = |t: &str| spyglass::model::time::parse_timestamp(&format!("2026-02-09T{t}Z"));
    let only_x1 = Filters { since_ms: ts("11:20:00"), until_ms: ts("11:40:00"), ..Default::default() };
    let a = compute(&View::new(&data, &only_x1, &Parameters::default()));
    assert!(a.recomputed.is_empty(), "{:?}", a.recomputed);
    // under the legacy rules x1 is alerted
    let a = compute(&View::new(&data, &only_x1, &legacy));
    assert_eq!(a.recomputed.iter().map(|r| r.attempt_id.to_string()).collect::<Vec<_>>(), ["x1"]);
}

#[test]
fn stuck_agent_cooldown_per_task() {
    let mut s = String::new();
    // each attempt: one event, then the next 10 min later → one gap, noticed 5 min after its start
    for (attempt, task, start) in [
        ("s1", "tV", 10 * H),
        ("s2", "tV", 10 * H + 2 * M),
        ("s4", "tW", 10 * H + 3 * M),
        ("s5", "tV", 10 * H + 6 * M),
        ("s3", "tV", 10 * H + 20 * M),
    ] {
        s += &event(start, attempt, Some(task), "session_start", r#"{"prompt_type":"initial"}"#);
        s += &event(start + 10 * M, attempt, Some(task), "agent_output", r#"{"output":"x"}"#);
    }
    let data = load(&s, "");
    let st = |p: &Parameters| {
        recomputed(&data, p, &["stuck_agent"]).into_iter().map(|r| format!("{} {}", r.0, r.3)).collect::<Vec<_>>()
    };
    // current (task tV, 5 min): s1 10:05 kept; s2 10:07 (2 min later) suppressed; s5 10:11
    // (6 min after s1, the last kept) kept; s3 10:25 kept. s4 (task tW) 10:08 kept
    assert_eq!(st(&Parameters::default()), ["10:05:00 s1", "10:08:00 s4", "10:11:00 s5", "10:25:00 s3"]);
    // legacy: per attempt → every one
    let legacy = Parameters { alert_rules: AlertRules::Legacy, ..Parameters::default() };
    assert_eq!(st(&legacy), ["10:05:00 s1", "10:07:00 s2", "10:08:00 s4", "10:11:00 s5", "10:25:00 s3"]);
    // the stuck cooldown is alert_suppress_ms: 1 min keeps s2 (2 min after s1) and s5 (4 min
    // after s2); 7 min suppresses s2 (2 min) and s5 (6 min after s1) too
    assert_eq!(
        st(&Parameters { alert_suppress_ms: 60_000, ..Parameters::default() }),
        ["10:05:00 s1", "10:07:00 s2", "10:08:00 s4", "10:11:00 s5", "10:25:00 s3"]
    );
    assert_eq!(
        st(&Parameters { alert_suppress_ms: 7 * 60_000, ..Parameters::default() }),
        ["10:05:00 s1", "10:08:00 s4", "10:25:00 s3"]
    );
}

#[test]
fn recorded_cooldown_key_and_occurrences() {
    let alerts = [
        r#"{"timestamp":"2026-02-09T10:04:30Z","_cooldown_key":"error_loop:a1","type":"error_loop","severity":"high","attempt_id":"a1","occurrences":4}"#,
        // a numeric string
        r#"{"timestamp":"2026-02-09T10:05:00Z","_cooldown_key":"tool_loop:a2","type":"tool_loop","severity":"medium","attempt_id":"a2","occurrences":"12"}"#,
        // neither: null
        r#"{"timestamp":"2026-02-09T10:06:00Z","type":"stuck_agent","attempt_id":"a1"}"#,
        // not a number: absent, and one field warning
        r#"{"timestamp":"2026-02-09T10:07:00Z","_cooldown_key":"failed_session_high_errors:task:t1","type":"failed_session_high_errors","severity":"high","attempt_id":"a1","occurrences":"many"}"#,
        // beyond u32: capped at 4 294 967 295
        r#"{"timestamp":"2026-02-09T10:08:00Z","type":"tool_loop","attempt_id":"a3","occurrences":5000000000}"#,
    ]
    .join("\n");
    let data = load("", &alerts);
    assert_eq!(data.store.diagnostics.field_warnings.get("occurrences"), Some(&1));
    let (f, p) = (Filters::default(), Parameters::default());
    let a = compute(&View::new(&data, &f, &p));
    let got: Vec<(&str, Option<&str>, Option<u32>)> =
        a.recorded.iter().map(|r| (r.alert_type.as_str(), r.cooldown_key.as_deref(), r.occurrences)).collect();
    assert_eq!(
        got,
        vec![
            ("error_loop", Some("error_loop:a1"), Some(4)),
            ("tool_loop", Some("tool_loop:a2"), Some(12)),
            ("stuck_agent", None, None),
            ("failed_session_high_errors", Some("failed_session_high_errors:task:t1"), None),
            ("tool_loop", None, Some(u32::MAX)),
        ]
    );
    // in the report's rows: `cooldown_key` and `occurrences`, null when absent
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["rows"][1]["cooldown_key"], "tool_loop:a2");
    assert_eq!(json["rows"][1]["occurrences"], 12);
    assert!(json["rows"][2]["cooldown_key"].is_null() && json["rows"][2]["occurrences"].is_null());
}

#[test]
fn task_of_an_attempt_for_the_cooldown() {
    use spyglass::pipelines::alerts::{is_transient_fingerprint, leading_uuid};
    assert_eq!(leading_uuid(&format!("{T}-r1")), Some(T));
    assert_eq!(leading_uuid(T), Some(T));
    assert_eq!(leading_uuid(&format!("{T}x")), None, "a UUID followed by other than a hyphen");
    assert_eq!(leading_uuid("0f8fad5b-d9cb-469f-a165-70867728950"), None, "one digit short");
    assert_eq!(leading_uuid("ve-a1b2c3-fix-login"), None);
    assert_eq!(leading_uuid("é"), None);
    assert!(is_transient_fingerprint("Stream Disconnected before completion"));
    assert!(!is_transient_fingerprint("unknown"));
    assert!(!is_transient_fingerprint(""));
}
