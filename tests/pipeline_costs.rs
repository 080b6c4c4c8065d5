//! `costs`: figures worked out by hand.
#![allow(clippy::type_complexity)]

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::costs::compute;
use spyglass::pipelines::{Filters, Parameters, View};

fn load(text: &str) -> Dataset {
    Dataset::from_files([("agent-metrics.jsonl", text.as_bytes())])
}

fn input() -> String {
    [
        r#"{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"s1","task_id":"t1","model":"m1","metrics":{"success":true,"cost_usd":0.5,"prompt_tokens":100,"completion_tokens":50,"total_tokens":150}}"#,
        r#"{"timestamp":"2026-02-09T23:30:00Z","attempt_id":"s2","task_id":"t1","model":"m1","metrics":{"success":false,"cost_usd":2.0,"prompt_tokens":800,"completion_tokens":200}}"#,
        // all-zero usage = unknown
        r#"{"timestamp":"2026-02-09T12:00:00Z","attempt_id":"s3","task_id":"t2","model":"m2","metrics":{"success":true,"cost_usd":0,"total_tokens":0}}"#,
        r#"{"timestamp":"2026-02-10T09:00:00Z","attempt_id":"s4","task_id":"t3","model":"m1","metrics":{"success":true,"cost_usd":3.0,"prompt_tokens":10,"completion_tokens":10}}"#,
        // no time: left out of the day tables, counted in per_model
        r#"{"attempt_id":"s5","model":"m2","metrics":{"cost_usd":0.25}}"#,
    ]
    .join("\n")
}

type DayRow<'a> = (&'a str, &'a str, u64, Option<f64>, Option<u64>, Option<u64>, Option<u64>);

#[test]
fn per_day_and_model() {
    let data = load(&input());
    let (f, p) = (Filters::default(), Parameters::default());
    let c = compute(&View::new(&data, &f, &p));
    assert_eq!(c.time_zone, "UTC");
    let rows: Vec<DayRow> = c
        .by_day
        .iter()
        .map(|r| {
            (
                r.day.as_str(),
                r.model.as_str(),
                r.sessions,
                r.cost_usd,
                r.prompt_tokens,
                r.completion_tokens,
                r.total_tokens,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            // s1 + s2: 0.5 + 2.0; prompt 100 + 800; completion 50 + 200; total 150 + (800 + 200)
            ("2026-02-09", "m1", 2, Some(2.5), Some(900), Some(250), Some(1150)),
            ("2026-02-09", "m2", 1, None, None, None, None),
            ("2026-02-10", "m1", 1, Some(3.0), Some(10), Some(10), Some(20)),
        ]
    );
    assert_eq!(c.by_day[0].cost_n, 2);
    assert_eq!(c.sessions_without_time, 1);
    let days: Vec<(&str, Option<f64>, Option<u64>, u64)> =
        c.days.iter().map(|d| (d.day.as_str(), d.cost_usd, d.total_tokens, d.sessions)).collect();
    assert_eq!(days, vec![("2026-02-09", Some(2.5), Some(1150), 3), ("2026-02-10", Some(3.0), Some(20), 1)]);
    // m1: 0.5 + 2 + 3 = 5.5 over 2 successes = 2.75; m2: 0.25 (s5) over 1 success (s3)
    let pm: Vec<(&str, u64, u64, Option<f64>, u64, Option<f64>)> = c
        .per_model
        .iter()
        .map(|m| (m.model.as_str(), m.sessions, m.successes, m.cost_usd, m.cost_n, m.cost_per_success))
        .collect();
    assert_eq!(pm, vec![("m1", 3, 2, Some(5.5), 3, Some(2.75)), ("m2", 2, 1, Some(0.25), 1, Some(0.25))]);
    // known costs [0.25, 0.5, 2, 3]: p99 → h = 3 × 0.99 = 2.97 → 2 + 0.97 × 1 = 2.97; only 3.0 > 2.97 and > 1
    assert!((c.runaway_percentile_usd.unwrap() - 2.97).abs() < 1e-12);
    assert_eq!(c.runaway.iter().map(|r| (r.attempt_id.as_str(), r.cost_usd)).collect::<Vec<_>>(), vec![("s4", 3.0)]);
    assert_eq!(c.runaway[0].start.as_deref(), Some("2026-02-10T09:00:00.000Z"));
    assert_eq!(c.runaway[0].task_id.as_deref(), Some("t3"));
    assert_eq!(c.budget, None);
}

#[test]
fn parameters_change_the_result() {
    let data = load(&input());
    let f = Filters::default();
    // p50: h = 1.5 → 0.5 + 0.5 × 1.5 = 1.25: s2 (2.0) and s4 (3.0), by cost desc
    let p = Parameters { runaway_percentile: 0.5, ..Default::default() };
    let c = compute(&View::new(&data, &f, &p));
    assert_eq!(c.runaway.iter().map(|r| r.attempt_id.as_str()).collect::<Vec<_>>(), vec!["s4", "s2"]);
    let p = Parameters { runaway_percentile: 0.5, runaway_min_usd: 3.0, ..Default::default() };
    assert!(compute(&View::new(&data, &f, &p)).runaway.is_empty(), "3.0 is not above 3.0");
    // budget 2.6: 2026-02-09 spent 2.5 (under), 2026-02-10 spent 3.0 (over)
    let p = Parameters { daily_budget_usd: Some(2.6), ..Default::default() };
    let b = compute(&View::new(&data, &f, &p)).budget.unwrap();
    assert_eq!(b.daily_budget_usd, 2.6);
    assert_eq!(b.days_over.iter().map(|d| (d.day.as_str(), d.cost_usd)).collect::<Vec<_>>(), vec![("2026-02-10", 3.0)]);
    // UTC+01:00: s2 (23:30 UTC) moves to 2026-02-10 → m1 there: 2.0 + 3.0, tokens 1000 + 20
    let p = Parameters { utc_offset_minutes: 60, ..Default::default() };
    let c = compute(&View::new(&data, &f, &p));
    assert_eq!(c.time_zone, "UTC+01:00");
    let rows: Vec<(&str, &str, u64, Option<f64>, Option<u64>)> =
        c.by_day.iter().map(|r| (r.day.as_str(), r.model.as_str(), r.sessions, r.cost_usd, r.total_tokens)).collect();
    assert_eq!(
        rows,
        vec![
            ("2026-02-09", "m1", 1, Some(0.5), Some(150)),
            ("2026-02-09", "m2", 1, None, None),
            ("2026-02-10", "m1", 2, Some(5.0), Some(1020))
        ]
    );
}

#[test]
fn no_cost_data_and_empty_selection() {
    let data =
        load(r#"{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"s1","model":"m1","metrics":{"success":null}}"#);
    let (f, p) = (Filters::default(), Parameters::default());
    let c = compute(&View::new(&data, &f, &p));
    assert_eq!(c.by_day.len(), 1);
    assert_eq!((c.by_day[0].cost_usd, c.by_day[0].total_tokens, c.by_day[0].cost_n), (None, None, 0));
    assert_eq!(c.per_model[0].cost_per_success, None, "no success, no cost");
    assert_eq!(c.runaway_percentile_usd, None);
    assert!(c.runaway.is_empty());

    let data = load(&input());
    let none = Filters { models: vec!["zzz".into()], ..Default::default() };
    let p = Parameters { daily_budget_usd: Some(1.0), ..Default::default() };
    let c = compute(&View::new(&data, &none, &p));
    assert!(c.by_day.is_empty() && c.days.is_empty() && c.per_model.is_empty() && c.runaway.is_empty());
    assert_eq!(c.budget.unwrap().days_over.len(), 0);
    assert_eq!(c.sessions_without_time, 0);
    // model filter m2: s3 (no cost) and s5 (untimed)
    let m2 = Filters { models: vec!["M2".into()], ..Default::default() };
    let c = compute(&View::new(&data, &m2, &Parameters::default()));
    assert_eq!((c.by_day.len(), c.sessions_without_time), (1, 1));
}
