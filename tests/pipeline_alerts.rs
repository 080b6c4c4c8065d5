//! `alerts`: recorded and recomputed alerts, figures worked out by hand.
#![allow(clippy::type_complexity)]

use spyglass::model::sessions::Dataset;
use spyglass::pipelines::alerts::compute;
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
    let rec: Vec<(Option<&str>, &str, &str, Option<&str>, Option<&str>, Option<&str>)> =
        a.recorded.iter().map(|r| (r.time.as_deref(), r.alert_type.as_str(), r.severity.as_str(), r.executor.as_deref(), r.attempt_id.as_deref(), r.task_id.as_deref())).collect();
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
    let by_type: Vec<(&str, &str, u64)> = a.by_type.iter().map(|r| (r.alert_type.as_str(), r.severity.as_str(), r.count)).collect();
    assert_eq!(by_type, vec![("custom_type", "low", 1), ("error_loop", "high", 1), ("stuck_agent", "unknown", 1), ("tool_loop", "medium", 1)]);
    let by_ex: Vec<(&str, &str)> = a.by_executor.iter().map(|r| (r.executor.as_str(), r.alert_type.as_str())).collect();
    assert_eq!(by_ex, vec![("CLAUDE", "tool_loop"), ("CODEX", "error_loop"), ("CODEX", "stuck_agent"), ("unknown", "custom_type")]);
    let by_day: Vec<(&str, &str, u64)> = a.by_day.iter().map(|r| (r.day.as_str(), r.alert_type.as_str(), r.count)).collect();
    assert_eq!(by_day, vec![("2026-02-09", "error_loop", 1), ("2026-02-09", "stuck_agent", 1), ("2026-02-09", "tool_loop", 1), ("2026-02-10", "custom_type", 1)]);

    // at UTC+01:00 the tool_loop alert (23:30 UTC) falls on 2026-02-10
    let p1 = Parameters { utc_offset_minutes: 60, ..Parameters::default() };
    let a = compute(&View::new(&data, &f, &p1));
    let by_day: Vec<(&str, &str)> = a.by_day.iter().map(|r| (r.day.as_str(), r.alert_type.as_str())).collect();
    assert_eq!(by_day, vec![("2026-02-09", "error_loop"), ("2026-02-09", "stuck_agent"), ("2026-02-10", "custom_type"), ("2026-02-10", "tool_loop")]);
}

#[test]
fn recomputed_with_bosun_rules_on_event_time() {
    let data = load(&stream(), &alerts());
    let (f, p) = (Filters::default(), Parameters::default());
    let a = compute(&View::new(&data, &f, &p));
    let rec: Vec<(&str, &str, &str, &str)> = a.recomputed.iter().map(|r| (r.time.as_str(), r.alert_type.as_str(), r.severity.as_str(), r.attempt_id.as_str())).collect();
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
        .map(|c| (c.alert_type.as_str(), c.recorded, c.recomputed, c.recorded_failed_rate, c.recorded_failed_n, c.recomputed_failed_rate, c.recomputed_failed_n))
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
}

#[test]
fn thresholds_are_parameters() {
    let data = load(&stream(), &alerts());
    let f = Filters::default();
    let count = |p: &Parameters, ty: &str| compute(&View::new(&data, &f, p)).recomputed.iter().filter(|r| r.alert_type == ty).count();
    // 11 calls needed: only 10 → none
    assert_eq!(count(&Parameters { tool_loop_count: 11, ..Default::default() }, "tool_loop"), 0);
    // suppression 60 s: 10:04, 10:05 (exactly 60 000 ms later, not within) and 10:09:30
    assert_eq!(count(&Parameters { alert_suppress_ms: 60_000, ..Default::default() }, "error_loop"), 3);
    // window 2 min: at 10:04 only 10:02..10:04 (3) are in it; never 4 within 2 min
    assert_eq!(count(&Parameters { error_loop_window_ms: 120_000, ..Default::default() }, "error_loop"), 0);
    assert_eq!(count(&Parameters { stuck_gap_ms: 631_000, ..Default::default() }, "stuck_agent"), 0);
    assert_eq!(count(&Parameters { cost_anomaly_usd: 1.5, ..Default::default() }, "cost_anomaly"), 0, "1.5 is not above 1.5");
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
    assert_eq!(a.recomputed.iter().map(|r| r.alert_type.as_str()).collect::<Vec<_>>(), vec!["excessive_restarts", "tool_loop"]);
    let none = Filters { models: vec!["zzz".into()], ..Default::default() };
    let a = compute(&View::new(&data, &none, &p));
    assert!(a.recorded.is_empty() && a.recomputed.is_empty() && a.by_type.is_empty() && a.by_day.is_empty());
    // the six known types are always compared, with zero counts
    assert_eq!(a.comparison.len(), 6);
    assert!(a.comparison.iter().all(|c| c.recorded == 0 && c.recomputed == 0 && c.recorded_failed_rate.is_none()));
}
