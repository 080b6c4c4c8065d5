//! `error_clusters`: figures worked out by hand.

use spyglass::pipelines::error_clusters::compute;
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as load;

fn err(ctx: &str, data: &str) -> String {
    format!("{{{ctx},\"event_type\":\"error\",\"data\":{data}}}\n")
}

fn input() -> String {
    let mut t = String::new();
    t += &err(
        r#""timestamp":"2026-02-09T10:05:00Z","attempt_id":"a1","task_id":"t1","executor":"CODEX""#,
        r#"{"error_fingerprint":"F1","error_category":"build","error_message":"second"}"#,
    );
    t += &err(
        r#""timestamp":"2026-02-09T10:01:00Z","attempt_id":"a1","task_id":"t1","executor":"CODEX""#,
        r#"{"error_fingerprint":"F1","error_category":"test","error_message":"first"}"#,
    );
    // same instant as "first" but read later: "first" stays the sample
    t += &err(
        r#""timestamp":"2026-02-09T10:01:00Z","attempt_id":"a2","task_id":"t2","executor":"CLAUDE""#,
        r#"{"error_fingerprint":"F1","error_message":"tie"}"#,
    );
    // earliest of all, but no message and no attempt / task
    t += &err(
        r#""timestamp":"2026-02-09T09:00:00Z","executor":"CODEX""#,
        r#"{"error_fingerprint":"F1","error_category":"build"}"#,
    );
    t += &err(
        r#""timestamp":"2026-02-09T11:00:00Z","attempt_id":"a3","task_id":"t3""#,
        r#"{"error_fingerprint":"F2","error_category":"auth","error_message":"x"}"#,
    );
    t += &err(
        r#""attempt_id":"a3","task_id":"t3""#,
        r#"{"error_fingerprint":"F2","error_category":"auth","error_message":"y"}"#,
    );
    t += &err(
        r#""timestamp":"2026-02-09T12:00:00Z","attempt_id":"a1","task_id":"t1","executor":"CODEX""#,
        r#"{"error_message":"no fp"}"#,
    );
    t += &err(
        r#""timestamp":"2026-02-09T12:30:00Z","attempt_id":"a2","task_id":"t2","executor":"CLAUDE""#,
        r#"{"error_category":"network","error_message":"no fp 2"}"#,
    );
    t
}

#[test]
fn clusters_by_fingerprint() {
    let data = load(&input());
    let (f, p) = (Filters::default(), Parameters::default());
    let c = compute(&View::new(&data, &f, &p));
    // F1: 4 events; tasks t1, t2, (no task) = 3; attempts a1, a2 = 2 (the no-attempt event does not count)
    // F2: 2 and `unknown`: 2 tie → by name, F2 < unknown
    let order: Vec<(&str, u64)> = c.rows.iter().map(|r| (r.fingerprint.as_str(), r.count)).collect();
    assert_eq!(order, vec![("F1", 4), ("F2", 2), ("unknown", 2)]);
    let f1 = &c.rows[0];
    assert_eq!((f1.tasks, f1.attempts), (3, 2));
    assert_eq!(f1.first_seen.as_deref(), Some("2026-02-09T09:00:00.000Z"));
    assert_eq!(f1.last_seen.as_deref(), Some("2026-02-09T10:05:00.000Z"));
    assert_eq!(f1.categories, vec!["build", "test", "uncategorized"]);
    // earliest event carrying a message: 10:01 "first" (read before "tie" at the same instant)
    assert_eq!(f1.sample_message.as_deref(), Some("first"));
    let f2 = &c.rows[1];
    assert_eq!((f2.tasks, f2.attempts), (1, 1));
    // the untimed event takes no part in first/last seen and comes after the timed one
    assert_eq!(f2.first_seen, f2.last_seen);
    assert_eq!(f2.sample_message.as_deref(), Some("x"));
    let unknown = &c.rows[2];
    assert_eq!((unknown.tasks, unknown.attempts), (2, 2));
    assert_eq!(unknown.categories, vec!["network", "uncategorized"]);
    assert_eq!(unknown.sample_message.as_deref(), Some("no fp"));
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["rows"][0]["tasks"], serde_json::json!(3));
}

#[test]
fn filters() {
    let data = load(&input());
    let p = Parameters::default();
    let t3 = Filters { task: Some("t3".into()), ..Default::default() };
    let c = compute(&View::new(&data, &t3, &p));
    assert_eq!(c.rows.iter().map(|r| r.fingerprint.as_str()).collect::<Vec<_>>(), vec!["F2"]);
    // executor CLAUDE: a2's F1 and its no-fingerprint error, 1 each → tie by name
    let claude = Filters { executors: vec!["Claude".into()], ..Default::default() };
    let c = compute(&View::new(&data, &claude, &p));
    assert_eq!(
        c.rows.iter().map(|r| (r.fingerprint.as_str(), r.count)).collect::<Vec<_>>(),
        vec![("F1", 1), ("unknown", 1)]
    );
    assert_eq!(c.rows[0].sample_message.as_deref(), Some("tie"));
    let nothing = Filters { models: vec!["zzz".into()], ..Default::default() };
    assert!(compute(&View::new(&data, &nothing, &p)).rows.is_empty());
}

#[test]
fn message_less_cluster_has_null_sample() {
    let data = load(&err(r#""timestamp":"2026-02-09T10:00:00Z","attempt_id":"a1""#, r#"{"error_fingerprint":"Z"}"#));
    let (f, p) = (Filters::default(), Parameters::default());
    let c = compute(&View::new(&data, &f, &p));
    assert_eq!(c.rows.len(), 1);
    assert_eq!(c.rows[0].sample_message, None);
    assert_eq!(c.rows[0].tasks, 1, "(no task) counts as a task");
}

/// The correlation table's input: three sessions (a1 and a2 with a metrics row giving their
/// executor, model, task and duration; a3 from events only, untimed, so its duration is
/// unknown) and two error events without a session.
fn correlation_input() -> String {
    let row = |a: &str, exec: &str, model: &str, task: &str, ms: u64| {
        format!("{{\"timestamp\":\"2026-02-09T10:10:00Z\",\"attempt_id\":\"{a}\",\"task_id\":\"{task}\",\"executor\":\"{exec}\",\"model\":\"{model}\",\"metrics\":{{\"success\":false,\"duration_ms\":{ms}}}}}\n")
    };
    let mut t = String::new();
    t += &row("a1", "CODEX", "gpt-5", "t1", 60_000);
    t += &row("a2", "CLAUDE", "claude-sonnet-4", "t2", 180_000);
    // 1, 2: a1 twice; the first names another executor and model than its session: the session's count
    t += &err(
        r#""timestamp":"2026-02-09T10:01:00Z","attempt_id":"a1","task_id":"t1","executor":"claude","model":"other""#,
        r#"{"error_fingerprint":"F1"}"#,
    );
    t +=
        &err(r#""timestamp":"2026-02-09T10:02:00Z","attempt_id":"a1","task_id":"t1""#, r#"{"error_fingerprint":"F1"}"#);
    // 3: a2
    t +=
        &err(r#""timestamp":"2026-02-09T10:03:00Z","attempt_id":"a2","task_id":"t2""#, r#"{"error_fingerprint":"F1"}"#);
    // 4: a3, untimed: a session of its own with no start, so no duration
    t +=
        &err(r#""attempt_id":"a3","task_id":"t3","executor":"codex","model":"gpt-5""#, r#"{"error_fingerprint":"F1"}"#);
    // 5, 6: no attempt, so no session: counted by their own fields (none → unknown, (no task))
    t += &err(
        r#""timestamp":"2026-02-09T10:04:00Z","task_id":"t9","executor":"gemini","model":"gemini-2.5""#,
        r#"{"error_fingerprint":"F1"}"#,
    );
    t += &err(r#""timestamp":"2026-02-09T10:05:00Z""#, r#"{"error_fingerprint":"F1"}"#);
    // 7: F2 in a2
    t +=
        &err(r#""timestamp":"2026-02-09T10:06:00Z","attempt_id":"a2","task_id":"t2""#, r#"{"error_fingerprint":"F2"}"#);
    t
}

fn counts(list: &[spyglass::pipelines::error_clusters::NameCount]) -> Vec<(&str, u64)> {
    list.iter().map(|n| (n.name.as_str(), n.count)).collect()
}

#[test]
fn correlation_per_fingerprint() {
    let data = load(&correlation_input());
    let (f, p) = (Filters::default(), Parameters::default());
    let c = compute(&View::new(&data, &f, &p));
    // one row per fingerprint, in the order of `rows`: F1 (6 events), F2 (1)
    assert_eq!(
        c.correlation.iter().map(|r| (r.fingerprint.as_str(), r.count)).collect::<Vec<_>>(),
        vec![("F1", 6), ("F2", 1)]
    );
    assert_eq!(c.rows.iter().map(|r| r.fingerprint.as_str()).collect::<Vec<_>>(), vec!["F1", "F2"]);
    let f1 = &c.correlation[0];
    // executors: events 1, 2 (a1: CODEX, its row's, not the event's own "claude") and 4 (a3:
    // CODEX, from its events) = 3; event 3 (a2) CLAUDE 1; event 5 GEMINI 1 (upper-cased as every
    // executor is); event 6 unknown 1. Ties by name: upper case sorts before `unknown`.
    assert_eq!(counts(&f1.by_executor), vec![("CODEX", 3), ("CLAUDE", 1), ("GEMINI", 1), ("unknown", 1)]);
    // models alike: gpt-5 (1, 2, 4) = 3, claude-sonnet-4 (3), gemini-2.5 (5), unknown (6)
    assert_eq!(counts(&f1.by_model), vec![("gpt-5", 3), ("claude-sonnet-4", 1), ("gemini-2.5", 1), ("unknown", 1)]);
    // tasks sorted as text: "(no task)" (event 6) sorts before "t…"
    assert_eq!(f1.tasks, vec!["(no task)", "t1", "t2", "t3", "t9"]);
    assert_eq!(f1.tasks_total, 5);
    assert_eq!(f1.tasks_total, c.rows[0].tasks);
    // sessions a1, a2, a3 (events 5 and 6 have none); durations known for a1 (60 000) and a2
    // (180 000): mean 120 000 over 2
    assert_eq!(f1.sessions, 3);
    assert_eq!((f1.avg_session_duration_ms, f1.duration_n), (Some(120_000.0), 2));
    let f2 = &c.correlation[1];
    assert_eq!((counts(&f2.by_executor), counts(&f2.by_model)), (vec![("CLAUDE", 1)], vec![("claude-sonnet-4", 1)]));
    assert_eq!((f2.tasks.clone(), f2.tasks_total, f2.sessions), (vec!["t2".to_string()], 1, 1));
    assert_eq!((f2.avg_session_duration_ms, f2.duration_n), (Some(180_000.0), 1));
    // the JSON: lists of {name, count}, field names as documented
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["correlation"][0]["by_executor"][0], serde_json::json!({"name": "CODEX", "count": 3}));
    let keys: Vec<&str> = json["correlation"][0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "fingerprint",
            "count",
            "by_executor",
            "by_model",
            "tasks",
            "tasks_total",
            "sessions",
            "avg_session_duration_ms",
            "duration_n"
        ]
    );
}

#[test]
fn correlation_follows_the_filters() {
    let data = load(&correlation_input());
    let p = Parameters::default();
    // executor codex: sessions a1 and a3 (events 1, 2, 4); the sessionless events 5 (GEMINI) and
    // 6 (no executor) are judged by their own executor and left out
    let codex = Filters { executors: vec!["codex".into()], ..Default::default() };
    let c = compute(&View::new(&data, &codex, &p));
    assert_eq!(c.correlation.len(), 1);
    let f1 = &c.correlation[0];
    assert_eq!((f1.count, f1.sessions), (3, 2));
    assert_eq!(counts(&f1.by_executor), vec![("CODEX", 3)]);
    assert_eq!(f1.tasks, vec!["t1", "t3"]);
    // a3's duration is unknown: the mean is a1's alone
    assert_eq!((f1.avg_session_duration_ms, f1.duration_n), (Some(60_000.0), 1));
    // only sessionless events: no session, so no duration (null, not 0)
    let loose = Filters { task: Some("t9".into()), ..Default::default() };
    let c = compute(&View::new(&data, &loose, &p));
    assert_eq!((c.correlation[0].count, c.correlation[0].sessions), (1, 0));
    assert_eq!((c.correlation[0].avg_session_duration_ms, c.correlation[0].duration_n), (None, 0));
}

#[test]
fn correlation_lists_the_first_tasks_and_counts_them_all() {
    // 15 tasks t01..t15, read in reverse order: listed sorted, the first 12
    let mut t = String::new();
    for i in (1..=15).rev() {
        t += &err(
            &format!("\"timestamp\":\"2026-02-09T10:00:00Z\",\"attempt_id\":\"a{i}\",\"task_id\":\"t{i:02}\""),
            r#"{"error_fingerprint":"F"}"#,
        );
    }
    let data = load(&t);
    let (f, p) = (Filters::default(), Parameters::default());
    let c = compute(&View::new(&data, &f, &p));
    let r = &c.correlation[0];
    assert_eq!(r.tasks.len(), spyglass::pipelines::error_clusters::MAX_CORRELATION_TASKS);
    assert_eq!(r.tasks.first().map(String::as_str), Some("t01"));
    assert_eq!(r.tasks.last().map(String::as_str), Some("t12"));
    assert_eq!((r.tasks_total, r.sessions), (15, 15));
    // each session has one timestamp: start = end, a known duration of 0
    assert_eq!((r.avg_session_duration_ms, r.duration_n), (Some(0.0), 15));
}
