//! `provider_heatmap`: figures worked out by hand.
#![allow(clippy::type_complexity)]

use spyglass::pipelines::provider_heatmap::compute;
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as load;

/// One event line: `ctx` holds the top-level fields (timestamp, attempt_id, executor, …).
fn ev(ctx: &str, event_type: &str, data: &str) -> String {
    format!("{{{ctx},\"event_type\":\"{event_type}\",\"data\":{data}}}\n")
}

fn err(ctx: &str, category: Option<&str>) -> String {
    match category {
        Some(c) => ev(ctx, "error", &format!("{{\"error_category\":\"{c}\",\"error_message\":\"boom\"}}")),
        None => ev(ctx, "error", "{\"error_message\":\"boom\"}"),
    }
}

fn matrix_input() -> String {
    let mut t = String::new();
    let a1 = |ts: &str| {
        format!("\"timestamp\":\"2026-02-09T{ts}Z\",\"attempt_id\":\"a1\",\"task_id\":\"t1\",\"executor\":\"CODEX\"")
    };
    t += &ev(&a1("10:00:00"), "session_start", "{}");
    t += &err(&a1("10:05:00"), Some("rate_limit"));
    t += &err(&a1("10:10:00"), Some("rate_limit"));
    t += &err(&a1("10:20:00"), Some("auth"));
    // no timestamp: counts in the cell, not in the hourly series
    t += &err("\"attempt_id\":\"a1\",\"task_id\":\"t1\",\"executor\":\"CODEX\",\"sequence_num\":9", Some("rate_limit"));
    // the same task with a second executor
    let a2 = |ts: &str| {
        format!("\"timestamp\":\"2026-02-09T{ts}Z\",\"attempt_id\":\"a2\",\"task_id\":\"t1\",\"executor\":\"CLAUDE\"")
    };
    t += &err(&a2("11:00:00"), Some("api_error"));
    t += &err(&a2("11:05:00"), None);
    t += &ev(
        "\"timestamp\":\"2026-02-09T12:00:00Z\",\"attempt_id\":\"a3\",\"task_id\":\"t2\",\"executor\":\"CODEX\"",
        "session_start",
        "{}",
    );
    // no attempt_id: counted, but COPILOT has no session → per_100_sessions null
    t += &err("\"timestamp\":\"2026-02-09T13:00:00Z\",\"executor\":\"COPILOT\"", Some("rate_limit"));
    t
}

#[test]
fn matrix_rows_columns_cells_and_rates() {
    let data = load(&matrix_input());
    let (f, p) = (Filters::default(), Parameters::default());
    let h = compute(&View::new(&data, &f, &p));
    // CODEX: rate_limit 3 (incl. the untimed one) + auth 1 = 4; CLAUDE: 2; COPILOT: 1
    let ex: Vec<(&str, u64, u64)> = h.executors.iter().map(|r| (r.executor.as_str(), r.errors, r.sessions)).collect();
    assert_eq!(ex, vec![("CODEX", 4, 2), ("CLAUDE", 2, 1), ("COPILOT", 1, 0)]);
    // CODEX 4 errors × 100 / 2 sessions = 200
    assert_eq!(h.executors[0].per_100_sessions, Some(200.0));
    assert_eq!(h.executors[2].per_100_sessions, None);
    // rate_limit 4, then the ties at 1 by name
    let cats: Vec<(&str, u64)> = h.categories.iter().map(|c| (c.error_category.as_str(), c.errors)).collect();
    assert_eq!(cats, vec![("rate_limit", 4), ("api_error", 1), ("auth", 1), ("uncategorized", 1)]);
    let cells: Vec<(&str, &str, u64, Option<f64>)> =
        h.cells.iter().map(|c| (c.executor.as_str(), c.error_category.as_str(), c.count, c.per_100_sessions)).collect();
    assert_eq!(
        cells,
        vec![
            ("CODEX", "rate_limit", 3, Some(150.0)), // 3 × 100 / 2
            ("CODEX", "auth", 1, Some(50.0)),        // 1 × 100 / 2
            ("CLAUDE", "api_error", 1, Some(100.0)), // 1 × 100 / 1
            ("CLAUDE", "uncategorized", 1, Some(100.0)),
            ("COPILOT", "rate_limit", 1, None),
        ]
    );
    // hourly: spike categories only, non-zero hours only, the untimed event left out
    let hourly: Vec<(&str, &str, Vec<(&str, u64)>)> = h
        .hourly
        .iter()
        .map(|s| {
            (
                s.executor.as_str(),
                s.error_category.as_str(),
                s.points.iter().map(|p| (p.hour.as_str(), p.count)).collect(),
            )
        })
        .collect();
    assert_eq!(
        hourly,
        vec![
            ("CLAUDE", "api_error", vec![("2026-02-09T11:00:00.000Z", 1)]),
            ("CODEX", "rate_limit", vec![("2026-02-09T10:00:00.000Z", 2)]),
            ("COPILOT", "rate_limit", vec![("2026-02-09T13:00:00.000Z", 1)]),
        ]
    );
    assert!(h.spikes.is_empty(), "no hour reaches 3");
    let json = serde_json::to_value(&h).unwrap();
    assert_eq!(json["cells"][0]["per_100_sessions"], serde_json::json!(150.0));
    assert!(json["cells"][4]["per_100_sessions"].is_null());
}

fn spike_input() -> String {
    let mut t = String::new();
    let codex = |ts: &str| format!("\"timestamp\":\"2026-02-09T{ts}Z\",\"attempt_id\":\"a1\",\"executor\":\"CODEX\"");
    t += &err(&codex("10:01:00"), Some("rate_limit"));
    t += &err(&codex("10:02:00"), Some("rate_limit"));
    t += &err(&codex("10:59:59"), Some("rate_limit"));
    // stretches the loaded range to 10:00 .. 20:00 = 11 hours
    t +=
        &err("\"timestamp\":\"2026-02-09T20:30:00Z\",\"attempt_id\":\"a2\",\"executor\":\"CLAUDE\"", Some("api_error"));
    t
}

#[test]
fn spike_needs_min_count_and_sigma() {
    let data = load(&spike_input());
    let f = Filters::default();
    let p = Parameters::default();
    let h = compute(&View::new(&data, &f, &p));
    // CODEX rate_limit over 11 hours: [3, 0 × 10]. mean = 3/11;
    // variance = ((3 − 3/11)² + 10 × (3/11)²) / 11 = 90/121 → sd = 3√10/11 ≈ 0.8624;
    // threshold = 3/11 + 3 × 3√10/11 = (3 + 9√10)/11 ≈ 2.860 ≤ 3 → spike.
    // CLAUDE api_error [0 × 10, 1]: 1 < 3 → none.
    assert_eq!(h.spikes.len(), 1);
    let s = &h.spikes[0];
    assert_eq!(
        (s.executor.as_str(), s.error_category.as_str(), s.hour.as_str(), s.count),
        ("CODEX", "rate_limit", "2026-02-09T10:00:00.000Z", 3)
    );
    assert!((s.mean - 3.0 / 11.0).abs() < 1e-12);
    assert!((s.std_dev - 3.0 * 10f64.sqrt() / 11.0).abs() < 1e-12);

    // sigma 4: threshold = (3 + 12√10)/11 ≈ 3.72 > 3 → no spike
    let p4 = Parameters { spike_sigma: 4.0, ..Parameters::default() };
    assert!(compute(&View::new(&data, &f, &p4)).spikes.is_empty());
    // minimum count 4 → no spike
    let m4 = Parameters { spike_min_count: 4, ..Parameters::default() };
    assert!(compute(&View::new(&data, &f, &m4)).spikes.is_empty());
}

#[test]
fn filters_select_rows_or_nothing() {
    let data = load(&matrix_input());
    let p = Parameters::default();
    let claude = Filters { executors: vec!["claude".into()], ..Default::default() };
    let h = compute(&View::new(&data, &claude, &p));
    assert_eq!(h.executors.iter().map(|r| r.executor.as_str()).collect::<Vec<_>>(), vec!["CLAUDE"]);
    assert_eq!(h.cells.len(), 2);
    let none = Filters { executors: vec!["nobody".into()], ..Default::default() };
    let h = compute(&View::new(&data, &none, &p));
    assert!(
        h.executors.is_empty()
            && h.categories.is_empty()
            && h.cells.is_empty()
            && h.spikes.is_empty()
            && h.hourly.is_empty()
    );
}

#[test]
fn single_session_without_errors() {
    let data = load(&ev(
        "\"timestamp\":\"2026-02-09T10:00:00Z\",\"attempt_id\":\"a1\",\"executor\":\"CODEX\"",
        "session_start",
        "{}",
    ));
    let (f, p) = (Filters::default(), Parameters::default());
    let h = compute(&View::new(&data, &f, &p));
    assert!(h.executors.is_empty() && h.cells.is_empty());
}
