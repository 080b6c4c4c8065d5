//! `error_clusters`: figures worked out by hand.

use spyglass::model::sessions::Dataset;
use spyglass::pipelines::error_clusters::compute;
use spyglass::pipelines::{Filters, Parameters, View};

fn load(text: &str) -> Dataset {
    Dataset::from_files([("agent-work-stream.jsonl", text.as_bytes())])
}

fn err(ctx: &str, data: &str) -> String {
    format!("{{{ctx},\"event_type\":\"error\",\"data\":{data}}}\n")
}

fn input() -> String {
    let mut t = String::new();
    t += &err(r#""timestamp":"2026-02-09T10:05:00Z","attempt_id":"a1","task_id":"t1","executor":"CODEX""#, r#"{"error_fingerprint":"F1","error_category":"build","error_message":"second"}"#);
    t += &err(r#""timestamp":"2026-02-09T10:01:00Z","attempt_id":"a1","task_id":"t1","executor":"CODEX""#, r#"{"error_fingerprint":"F1","error_category":"test","error_message":"first"}"#);
    // same instant as "first" but read later: "first" stays the sample
    t += &err(r#""timestamp":"2026-02-09T10:01:00Z","attempt_id":"a2","task_id":"t2","executor":"CLAUDE""#, r#"{"error_fingerprint":"F1","error_message":"tie"}"#);
    // earliest of all, but no message and no attempt / task
    t += &err(r#""timestamp":"2026-02-09T09:00:00Z","executor":"CODEX""#, r#"{"error_fingerprint":"F1","error_category":"build"}"#);
    t += &err(r#""timestamp":"2026-02-09T11:00:00Z","attempt_id":"a3","task_id":"t3""#, r#"{"error_fingerprint":"F2","error_category":"auth","error_message":"x"}"#);
    t += &err(r#""attempt_id":"a3","task_id":"t3""#, r#"{"error_fingerprint":"F2","error_category":"auth","error_message":"y"}"#);
    t += &err(r#""timestamp":"2026-02-09T12:00:00Z","attempt_id":"a1","task_id":"t1","executor":"CODEX""#, r#"{"error_message":"no fp"}"#);
    t += &err(r#""timestamp":"2026-02-09T12:30:00Z","attempt_id":"a2","task_id":"t2","executor":"CLAUDE""#, r#"{"error_category":"network","error_message":"no fp 2"}"#);
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
    assert_eq!(c.rows.iter().map(|r| (r.fingerprint.as_str(), r.count)).collect::<Vec<_>>(), vec![("F1", 1), ("unknown", 1)]);
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
