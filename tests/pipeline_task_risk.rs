//! `task_risk`: figures worked out by hand from small inputs.

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::task_risk::{compute, TaskRisk};
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as dataset;

fn run(data: &Dataset, filters: &Filters) -> TaskRisk {
    let params = Parameters::default();
    let view = View::new(data, filters, &params);
    compute(&view)
}

const INPUT: &str = r#"
{"timestamp":"2026-02-09T11:00:00.000Z","attempt_id":"a2","task_id":"t1","executor":"claude","model":"m","metrics":{"success":false,"attempts":1,"error_summary":{"total_errors":2,"error_categories":{"test":1,"api_key":1}}}}
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"a1","task_id":"t1","task_title":"Login","executor":"codex","model":"m","metrics":{"success":false,"attempts":2,"tool_failures":5,"error_summary":{"total_errors":3,"error_categories":{"dependency":1,"test":2}}}}
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"a0","task_id":"t1","executor":"copilot","model":"m","metrics":{"attempts":1}}
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"b1","task_id":"t2","task_title":"Build it","executor":"codex","model":"m","metrics":{"success":true,"attempts":1,"tool_failures":2,"error_summary":{"total_errors":3,"error_categories":["build","build","build"]}}}
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"d1","task_id":"t4","executor":"codex","model":"m","metrics":{"success":true,"attempts":1}}
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"c1","task_id":"t3","executor":"codex","model":"m","metrics":{"success":true,"attempts":1}}
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"n1","executor":"codex","model":"m","metrics":{"success":false,"attempts":1}}
"#;

#[test]
fn risk_reasons_and_order() {
    let data = dataset(INPUT);
    let r = run(&data, &Filters::default());
    let order: Vec<(&str, f64)> = r.rows.iter().map(|r| (r.task_id.as_str(), r.risk)).collect();
    // t1: 9, (no task): 3, t2: 2.4, t3 = t4 = 0 (tie → id order)
    assert_eq!(order, [("t1", 9.0), ("(no task)", 3.0), ("t2", 2.4), ("t3", 0.0), ("t4", 0.0)]);

    let t1 = &r.rows[0];
    assert_eq!(t1.task_title.as_deref(), Some("Login"));
    // attempts 1 + 2 + 1 = 4; no success (a0 unknown) → not completed; tool failures 5
    assert_eq!((t1.sessions, t1.attempts, t1.completed, t1.tool_failures), (3, 4, false, 5));
    // categories by name: api_key 1 (1 session), dependency 1 (1), test 1 + 2 = 3 (2 sessions)
    let cats: Vec<(&str, u64, u64)> =
        t1.error_categories.iter().map(|c| (c.category.as_str(), c.count, c.sessions)).collect();
    assert_eq!(cats, [("api_key", 1, 1), ("dependency", 1, 1), ("test", 3, 2)]);
    assert_eq!(t1.repeated_categories, ["test"]);
    // session order: a0 and a1 both start 10:00 (attempt id order), then a2 at 11:00
    assert_eq!(t1.executors, ["COPILOT", "CODEX", "CLAUDE"]);
    // risk = (4 − 1) + 5 / 5 + 2 × 1 + 3 = 9
    assert_eq!(t1.risk, 9.0);
    let codes: Vec<&str> = t1.reasons.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["dependency", "auth", "test", "too_complex", "executor_switching"]);
    // counts: api_key 1 (auth reason), dependency 1, test 3, attempts 4, executors 3
    let counts: Vec<u64> = t1.reasons.iter().map(|r| r.count).collect();
    assert_eq!(counts, [1, 1, 3, 4, 3]);
    assert_eq!(t1.reasons[1].sentence, "The task's sessions hit auth or API key errors.");
    assert_eq!(t1.reasons[1].action, "Add environment and auth instructions.");
    assert_eq!(
        t1.reasons[3].sentence,
        "Three or more attempts and no successful session: the task is too complex or under-specified."
    );
    assert_eq!(t1.reasons[4].action, "Pin the task to one executor suited to it.");

    // (no task): one failed session, attempts 1 → 0 + 0 + 0 + 3
    let nt = &r.rows[1];
    assert_eq!((nt.sessions, nt.completed, nt.task_title.clone()), (1, false, None));
    assert!(nt.reasons.is_empty());

    // t2: one session with build ×3 (a list of names) → repeated (≥ 3 times); completed
    // risk = 0 + 2 / 5 + 2 × 1 + 0 = 2.4
    let t2 = &r.rows[2];
    assert_eq!(t2.task_title.as_deref(), Some("Build it"));
    let cats: Vec<(&str, u64, u64)> =
        t2.error_categories.iter().map(|c| (c.category.as_str(), c.count, c.sessions)).collect();
    assert_eq!(cats, [("build", 3, 1)]);
    assert_eq!(t2.repeated_categories, ["build"]);
    assert!((t2.risk - 2.4).abs() < 1e-12);
    assert_eq!(t2.reasons.len(), 1);
    assert_eq!(
        (t2.reasons[0].code, t2.reasons[0].count, t2.reasons[0].action),
        ("build", 3, "Add build configuration.")
    );

    let t3 = &r.rows[3];
    assert!(t3.completed && t3.reasons.is_empty() && t3.error_categories.is_empty());
    assert_eq!(t3.executors, ["CODEX"]);
}

#[test]
fn filters_change_the_tasks_figures() {
    let data = dataset(INPUT);
    // only CODEX sessions: t1 keeps a1 alone → attempts 2, test 2 in one session (not repeated)
    // risk = (2 − 1) + 5 / 5 + 0 + 3 = 5
    let r = run(&data, &Filters { executors: vec!["codex".into()], ..Filters::default() });
    let t1 = r.rows.iter().find(|r| r.task_id == "t1").unwrap();
    assert_eq!((t1.sessions, t1.attempts, t1.risk), (1, 2, 5.0));
    assert!(t1.repeated_categories.is_empty());
    let codes: Vec<&str> = t1.reasons.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["dependency", "test"]);

    let r = run(&data, &Filters { task: Some("build".into()), ..Filters::default() });
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].task_id, "t2");

    let r = run(&data, &Filters { task: Some("zzz".into()), ..Filters::default() });
    assert!(r.rows.is_empty());
    assert!(run(&dataset(""), &Filters::default()).rows.is_empty());
}

#[test]
fn events_only_task_with_two_executors() {
    // categories from error events (an absent category is `uncategorized`); a session counted once
    // per category however many errors it has; the title from the first session that has one
    let text = r#"
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"x1","task_id":"T","executor":"codex","event_type":"session_start","data":{}}
{"timestamp":"2026-02-09T10:00:01.000Z","attempt_id":"x1","task_id":"T","executor":"codex","event_type":"error","data":{"error_message":"a"}}
{"timestamp":"2026-02-09T10:00:02.000Z","attempt_id":"x1","task_id":"T","executor":"codex","event_type":"error","data":{"error_message":"b","error_category":"Context_Window"}}
{"timestamp":"2026-02-09T10:00:03.000Z","attempt_id":"x1","task_id":"T","executor":"codex","event_type":"session_end","data":{"completion_status":"failed"}}
{"timestamp":"2026-02-09T09:00:00.000Z","attempt_id":"x2","task_id":"T","task_title":"Later title","executor":"claude","event_type":"session_start","data":{}}
{"timestamp":"2026-02-09T09:00:01.000Z","attempt_id":"x2","task_id":"T","executor":"claude","event_type":"error","data":{"error_message":"c"}}
{"timestamp":"2026-02-09T09:00:05.000Z","attempt_id":"x2","task_id":"T","executor":"claude","event_type":"session_end","data":{"completion_status":"completed"}}
"#;
    let r = run(&dataset(text), &Filters::default());
    assert_eq!(r.rows.len(), 1);
    let t = &r.rows[0];
    // x2 starts first (09:00)
    assert_eq!(t.executors, ["CLAUDE", "CODEX"]);
    assert_eq!(t.task_title.as_deref(), Some("Later title"));
    let cats: Vec<(&str, u64, u64)> =
        t.error_categories.iter().map(|c| (c.category.as_str(), c.count, c.sessions)).collect();
    assert_eq!(cats, [("context_window", 1, 1), ("uncategorized", 2, 2)]);
    assert_eq!(t.repeated_categories, ["uncategorized"]);
    // attempts 1 + 1 = 2, completed (x2) → risk = 1 + 0 + 2 × 1 + 0 = 3
    assert_eq!((t.attempts, t.completed, t.risk), (2, true, 3.0));
    let codes: Vec<&str> = t.reasons.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["context_window", "executor_switching"]);
    assert_eq!(t.reasons[0].action, "Split the task into smaller tasks.");
}
