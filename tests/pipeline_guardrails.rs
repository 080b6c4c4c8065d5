//! `guardrails`: figures worked out by hand from small inputs.

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::guardrails::{compute, Guardrails};
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as dataset;

fn run(data: &Dataset, filters: &Filters) -> Guardrails {
    let params = Parameters::default();
    let view = View::new(data, filters, &params);
    compute(&view)
}

fn row(id: &str, executor: &str, model: &str, success: &str, cats: &str) -> String {
    format!(
        r#"{{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"{id}","task_id":"t","executor":"{executor}","model":"{model}","metrics":{{{success}"error_summary":{{"error_categories":{{{cats}}}}}}}}}"#
    ) + "\n"
}

fn input() -> String {
    const F: &str = r#""success":false,"#;
    [
        row("f1", "codex", "m1", F, r#""auth":2,"permission_wait":1"#),
        row("f2", "codex", "m1", F, r#""auth":1"#),
        row("f3", "codex", "m1", F, ""),
        row("f4", "claude", "m2", F, r#""content_policy":3"#),
        row("f5", "claude", "m1", F, r#""auth":1,"test":4"#),
        row("f6", "", "", F, r#""permission_wait":2"#),
        row("f7", "claude", "m0", F, r#""content_policy":1"#),
        row("s1", "codex", "m1", r#""success":true,"#, r#""auth":5"#),
        row("u1", "codex", "m1", "", r#""auth":1"#),
    ]
    .concat()
}

type Flat<'a> = (&'a str, &'a str, &'a str, u64, Option<f64>, u64, u64);

#[test]
fn rows_and_totals() {
    let data = dataset(&input());
    let r = run(&data, &Filters::default());
    // failed: f1..f7 (s1 succeeded, u1 unknown)
    assert_eq!(r.failed_sessions, 7);
    let rows: Vec<Flat> = r
        .rows
        .iter()
        .map(|r| {
            (r.category, r.executor.as_str(), r.model.as_str(), r.failed_sessions, r.share, r.share_n, r.error_events)
        })
        .collect();
    assert_eq!(
        rows,
        [
            // CODEX m1 has 3 failed sessions, f1 with permission_wait (1 event); f6 has no executor or model
            ("permission_wait", "CODEX", "m1", 1, Some(1.0 / 3.0), 3, 1),
            ("permission_wait", "unknown", "unknown", 1, Some(1.0), 1, 2),
            // auth: f1 (2 events) and f2 (1) of CODEX m1's 3 → 2/3, 3 events; then f5 of CLAUDE m1
            ("auth", "CODEX", "m1", 2, Some(2.0 / 3.0), 3, 3),
            ("auth", "CLAUDE", "m1", 1, Some(1.0), 1, 1),
            // content_policy: ties at 1 session → executor, then model order
            ("content_policy", "CLAUDE", "m0", 1, Some(1.0), 1, 1),
            ("content_policy", "CLAUDE", "m2", 1, Some(1.0), 1, 3),
        ]
    );
    assert_eq!(r.rows[0].remedy, "Add preflight checks before dispatch.");
    assert_eq!(r.rows[2].remedy, "Update environment instructions.");
    assert_eq!(r.rows[4].remedy, "Add prompt guardrails.");

    // totals over 7 failed sessions: permission_wait f1, f6 (1 + 2 events); auth f1, f2, f5 (2 + 1 + 1);
    // content_policy f4, f7 (3 + 1)
    let totals: Vec<(&str, u64, Option<f64>, u64, u64)> =
        r.totals.iter().map(|t| (t.category, t.failed_sessions, t.share, t.share_n, t.error_events)).collect();
    assert_eq!(
        totals,
        [
            ("permission_wait", 2, Some(2.0 / 7.0), 7, 3),
            ("auth", 3, Some(3.0 / 7.0), 7, 4),
            ("content_policy", 2, Some(2.0 / 7.0), 7, 4)
        ]
    );
}

#[test]
fn filters() {
    let data = dataset(&input());
    // CLAUDE only: f4, f5, f7 failed; no permission_wait → zero total, still listed
    let r = run(&data, &Filters { executors: vec!["Claude".into()], ..Filters::default() });
    assert_eq!(r.failed_sessions, 3);
    let totals: Vec<(&str, u64, Option<f64>, u64)> =
        r.totals.iter().map(|t| (t.category, t.failed_sessions, t.share, t.share_n)).collect();
    assert_eq!(
        totals,
        [
            ("permission_wait", 0, Some(0.0), 3),
            ("auth", 1, Some(1.0 / 3.0), 3),
            ("content_policy", 2, Some(2.0 / 3.0), 3)
        ]
    );
    assert_eq!(r.rows.len(), 3);

    // nothing selected: empty rows, three zero totals with a null share
    let r = run(&data, &Filters { models: vec!["zzz".into()], ..Filters::default() });
    assert!(r.rows.is_empty());
    assert_eq!(r.totals.len(), 3);
    assert!(r
        .totals
        .iter()
        .all(|t| t.failed_sessions == 0 && t.share.is_none() && t.share_n == 0 && t.error_events == 0));
    let v = serde_json::to_value(&r).unwrap();
    assert!(v["totals"][0]["share"].is_null());
    assert_eq!(v["totals"][2]["category"], "content_policy");
}

#[test]
fn error_events_of_an_events_only_session() {
    let text = r#"
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"e1","executor":"copilot","model":"gpt","event_type":"error","data":{"error_category":"AUTH","error_message":"401"}}
{"timestamp":"2026-02-09T10:00:01.000Z","attempt_id":"e1","executor":"copilot","model":"gpt","event_type":"error","data":{"error_category":"auth","error_message":"401 again"}}
{"timestamp":"2026-02-09T10:00:02.000Z","attempt_id":"e1","executor":"copilot","model":"gpt","event_type":"error","data":{"error_category":"network","error_message":"reset"}}
{"timestamp":"2026-02-09T10:00:03.000Z","attempt_id":"e1","executor":"copilot","model":"gpt","event_type":"session_end","data":{"completion_status":"interrupted"}}
"#;
    let r = run(&dataset(text), &Filters::default());
    assert_eq!(r.failed_sessions, 1);
    // categories are lower-cased: 2 auth events in 1 failed session of 1
    assert_eq!(r.rows.len(), 1);
    let a = &r.rows[0];
    assert_eq!(
        (a.category, a.executor.as_str(), a.model.as_str(), a.failed_sessions, a.share, a.error_events),
        ("auth", "COPILOT", "gpt", 1, Some(1.0), 2)
    );
}
