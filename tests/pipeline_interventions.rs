//! `interventions`: figures worked out by hand from small inputs.

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::interventions::{compute, Interventions};
use spyglass::pipelines::stats::wilson;
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as dataset;

fn run(data: &Dataset, filters: &Filters) -> Interventions {
    let params = Parameters::default();
    let view = View::new(data, filters, &params);
    compute(&view)
}

fn row(id: &str, task: Option<&str>, hour: u32, metrics: &str) -> String {
    let task = task.map(|t| format!(r#""task_id":"{t}","#)).unwrap_or_default();
    format!(
        r#"{{"timestamp":"2026-02-09T{hour:02}:00:00.000Z","attempt_id":"{id}",{task}"executor":"codex","model":"m","metrics":{{{metrics}}}}}"#
    ) + "\n"
}

fn input() -> String {
    [
        row("A1", Some("A"), 10, r#""success":false,"auto_resume":true,"anomaly_actions":["kill_tool_loop"]"#),
        row("A2", Some("A"), 11, r#""success":true,"auto_resume":false"#),
        row("A3", Some("A"), 12, r#""success":false,"auto_resume":true"#),
        row("A4", Some("A"), 13, r#""success":true,"anomaly_actions":["kill_tool_loop","restart","restart"]"#),
        row("A5", Some("A"), 14, r#""attempts":1"#),
        row("B1", Some("B"), 10, r#""success":false"#),
        row("B2", Some("B"), 11, r#""success":false,"anomaly_actions":[{"action":"restart"}]"#),
        row("B3", Some("B"), 12, r#""success":true"#),
        row("N1", None, 15, r#""success":true,"anomaly_actions":["restart"]"#),
        row("N2", None, 16, r#""success":false"#),
    ]
    .concat()
}

#[test]
fn three_comparisons_and_actions() {
    let data = dataset(&input());
    let r = run(&data, &Filters::default());
    let names: Vec<&str> = r.rows.iter().map(|c| c.comparison).collect();
    assert_eq!(names, ["anomaly_actions", "auto_resume", "next_session"]);

    // (a) with actions: A1 ✗, A4 ✓, B2 ✗, N1 ✓ → 2/4; without: A2 ✓, A3 ✗, B1 ✗, B3 ✓, N2 ✗ → 2/5 (A5 unknown)
    let a = &r.rows[0];
    assert_eq!((a.a.successes, a.a.n, a.a.rate), (2, 4, Some(0.5)));
    assert_eq!((a.b.successes, a.b.n, a.b.rate), (2, 5, Some(0.4)));
    assert_eq!(a.a, wilson(2, 4));
    assert!((a.difference.unwrap() - 0.1).abs() < 1e-12);
    assert_eq!((a.significant, a.label), (Some(false), "not significant"));

    // (b) auto_resume true: A1 ✗, A3 ✗ → 0/2; false: A2 ✓ → 1/1; the rest unknown, excluded
    let b = &r.rows[1];
    assert_eq!((b.a.successes, b.a.n), (0, 2));
    assert_eq!((b.b.successes, b.b.n), (1, 1));
    assert_eq!(b.difference, Some(-1.0));
    // [0, 0.658] and [0.207, 1] overlap
    assert_eq!(b.label, "not significant");

    // (c) task A in start order A1..A5: after A1 (actions) → A2 ✓; A2 succeeded → none;
    //     after A3 (failed, no actions) → A4 ✓; after A4 (actions) → A5 unknown, not counted.
    //     task B: after B1 (failed) → B2 ✗; after B2 (actions) → B3 ✓. N1 → N2 have no task: none.
    //     after actions: 2/2; after failures: 1/2
    let c = &r.rows[2];
    assert_eq!((c.a.successes, c.a.n), (2, 2));
    assert_eq!((c.b.successes, c.b.n), (1, 2));
    // Wilson 2/2: centre (1 + 3.8415/4) / (1 + 3.8415/2) = 0.6712, half 1.96 × √(3.8415/16) / 2.9207 = 0.3288
    assert!((c.a.ci_low.unwrap() - 0.3424).abs() < 1e-3, "{:?}", c.a);
    assert_eq!(c.a.ci_high, Some(1.0));
    assert_eq!(c.label, "not significant");

    // per action (counted once per session): restart A4 ✓, B2 ✗, N1 ✓ → 3 sessions, 2/3;
    // kill_tool_loop A1 ✗, A4 ✓ → 2 sessions, 1/2
    let acts: Vec<(&str, u64, u64, u64)> =
        r.actions.iter().map(|a| (a.action.as_str(), a.sessions, a.success.successes, a.success.n)).collect();
    assert_eq!(acts, [("restart", 3, 2, 3), ("kill_tool_loop", 2, 1, 2)]);

    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["rows"][0]["comparison"], "anomaly_actions");
    assert_eq!(v["rows"][0]["a"]["n"], 4);
    assert_eq!(v["rows"][0]["significant"], false);
}

#[test]
fn a_significant_difference() {
    // 10 sessions with an action, all succeed; 10 without, all fail:
    // Wilson 10/10 = [0.722, 1], 0/10 = [0, 0.278] → no overlap
    let mut text = String::new();
    for i in 0..10 {
        text += &row(&format!("w{i}"), Some(&format!("t{i}")), 10, r#""success":true,"anomaly_actions":["restart"]"#);
        text += &row(&format!("x{i}"), Some(&format!("u{i}")), 10, r#""success":false"#);
    }
    let r = run(&dataset(&text), &Filters::default());
    let a = &r.rows[0];
    assert_eq!((a.a.rate, a.b.rate), (Some(1.0), Some(0.0)));
    assert_eq!((a.significant, a.label), (Some(true), "significant"));
    // single-session tasks: no next sessions at all
    let c = &r.rows[2];
    assert_eq!((c.a.n, c.b.n, c.significant, c.label), (0, 0, None, "insufficient data"));
    assert_eq!((c.a.rate, c.a.ci_low), (None, None));
}

#[test]
fn equal_start_times_order_by_attempt_id() {
    // S1 and S2 start together: S1 (failed) comes first, so S2 is its next session
    let text = [row("S2", Some("T"), 10, r#""success":true"#), row("S1", Some("T"), 10, r#""success":false"#)].concat();
    let r = run(&dataset(&text), &Filters::default());
    assert_eq!((r.rows[2].b.successes, r.rows[2].b.n), (1, 1));
    assert_eq!(r.rows[2].a.n, 0);
}

#[test]
fn filters() {
    let data = dataset(&input());
    // only task B: no auto_resume facts → comparison (b) has no data
    let r = run(&data, &Filters { task: Some("B".into()), ..Filters::default() });
    assert_eq!((r.rows[1].a.n, r.rows[1].b.n, r.rows[1].label), (0, 0, "insufficient data"));
    // B2 ✗ with actions vs B1 ✗, B3 ✓ without
    assert_eq!((r.rows[0].a.successes, r.rows[0].a.n, r.rows[0].b.successes, r.rows[0].b.n), (0, 1, 1, 2));
    // a filter that selects nothing: the comparisons remain, empty
    let r = run(&data, &Filters { models: vec!["none".into()], ..Filters::default() });
    assert_eq!(r.rows.len(), 3);
    assert!(r.rows.iter().all(|c| c.a.n == 0 && c.b.n == 0 && c.significant.is_none()));
    assert!(r.actions.is_empty());
}
