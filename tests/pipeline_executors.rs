//! `executors`: figures worked out by hand from small inputs.

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::executors::{compute, Executors};
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as dataset;

fn run(data: &Dataset, filters: &Filters) -> Executors {
    let params = Parameters::default();
    let view = View::new(data, filters, &params);
    compute(&view)
}

const INPUT: &str = r#"
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"a1","task_id":"t1","executor":"codex","model":"m1","metrics":{"success":true,"first_shot_success":true,"cost_usd":0.5,"total_tokens":100,"duration_ms":1000,"errors":1}}
{"timestamp":"2026-02-09T11:00:00.000Z","attempt_id":"a2","task_id":"t1","executor":"Codex","model":"m1","metrics":{"success":false,"first_shot_success":false,"cost_usd":1.5,"total_tokens":300,"duration_ms":3000,"errors":3}}
{"timestamp":"2026-02-09T12:00:00.000Z","attempt_id":"a3","task_id":"t2","executor":"CODEX","model":"m2","metrics":{"duration_ms":2000}}
{"timestamp":"2026-02-09T12:00:00.000Z","attempt_id":"b1","task_id":"t2","executor":"claude","model":"m2","metrics":{"success":true,"cost_usd":0,"total_tokens":0}}
{"timestamp":"2026-02-09T12:00:00.000Z","attempt_id":"b2","task_id":"t2","executor":"claude","model":"m2","metrics":{"success":true}}
{"timestamp":"2026-02-09T12:00:00.000Z","attempt_id":"c1","task_id":"t3","executor":"copilot","model":"m2","metrics":{"success":false,"total_tokens":50}}
{"timestamp":"2026-02-09T12:00:00.000Z","attempt_id":"c2","task_id":"t3","executor":"copilot","model":"m2","metrics":{"success":true,"total_tokens":150}}
{"timestamp":"2026-02-09T12:00:00.000Z","attempt_id":"d1","task_id":"t3","model":"m2","metrics":{"success":true}}
"#;

#[test]
fn per_executor_figures_and_order() {
    let data = dataset(INPUT);
    let r = run(&data, &Filters::default());
    let keys: Vec<(&str, u64)> = r.rows.iter().map(|r| (r.key.as_str(), r.sessions)).collect();
    // executors are upper-cased (codex, Codex, CODEX are one); CLAUDE and COPILOT tie at 2 → key order
    assert_eq!(keys, [("CODEX", 3), ("CLAUDE", 2), ("COPILOT", 2), ("unknown", 1)]);

    let c = &r.rows[0];
    // success: a1 ok, a2 failed, a3 unknown → 1/2
    assert_eq!((c.success_rate, c.success_n), (Some(0.5), 2));
    assert_eq!((c.first_shot_rate, c.first_shot_n), (Some(0.5), 2));
    // durations (1000 + 3000 + 2000) / 3 = 2000
    assert_eq!((c.avg_duration_ms, c.duration_n), (Some(2000.0), 3));
    // cost: (0.5 + 1.5) / 2 known = 1.0, total 2.0; tokens (100 + 300) / 2 = 200
    assert_eq!((c.avg_cost_usd, c.cost_n, c.total_cost_usd), (Some(1.0), 2, Some(2.0)));
    assert_eq!((c.avg_tokens, c.tokens_n), (Some(200.0), 2));
    // errors (1 + 3 + 0) / 3
    assert_eq!(c.avg_errors, Some(4.0 / 3.0));

    // CLAUDE: zero cost and tokens mean unknown → every cost/token figure null
    let cl = &r.rows[1];
    assert_eq!((cl.success_rate, cl.success_n), (Some(1.0), 2));
    assert_eq!((cl.first_shot_rate, cl.first_shot_n), (None, 0));
    assert_eq!((cl.avg_cost_usd, cl.total_cost_usd, cl.avg_tokens, cl.avg_duration_ms), (None, None, None, None));
    assert_eq!(cl.avg_errors, Some(0.0));

    // COPILOT: tokens known, cost not
    let co = &r.rows[2];
    assert_eq!((co.avg_tokens, co.tokens_n, co.total_cost_usd), (Some(100.0), 2, None));
    assert_eq!(co.success_rate, Some(0.5));

    let v = serde_json::to_value(&r).unwrap();
    assert!(v["rows"][1]["total_cost_usd"].is_null());
    assert_eq!(v["rows"][3]["key"], "unknown");
}

#[test]
fn single_session_from_events() {
    let text = r#"
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"e1","executor":"claude","event_type":"session_start","data":{}}
{"timestamp":"2026-02-09T10:00:30.000Z","attempt_id":"e1","executor":"claude","event_type":"usage","data":{"prompt_tokens":10,"completion_tokens":5,"cost_usd":0.01}}
{"timestamp":"2026-02-09T10:01:00.000Z","attempt_id":"e1","executor":"claude","event_type":"session_end","data":{"completion_status":"timeout"}}
"#;
    let r = run(&dataset(text), &Filters::default());
    assert_eq!(r.rows.len(), 1);
    let e = &r.rows[0];
    assert_eq!(e.key, "CLAUDE");
    // failed (timeout); duration end − start = 60 000 ms; tokens 10 + 5 = 15 from the usage event
    assert_eq!((e.success_rate, e.success_n), (Some(0.0), 1));
    assert_eq!(e.avg_duration_ms, Some(60_000.0));
    assert_eq!((e.avg_tokens, e.total_cost_usd), (Some(15.0), Some(0.01)));
}

#[test]
fn filters() {
    let data = dataset(INPUT);
    let r = run(&data, &Filters { executors: vec!["nobody".into()], ..Filters::default() });
    assert!(r.rows.is_empty());
    let r = run(&data, &Filters { executors: vec!["claude".into()], ..Filters::default() });
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].key, "CLAUDE");
    let r = run(&data, &Filters { models: vec!["m1".into()], ..Filters::default() });
    assert_eq!((r.rows[0].key.as_str(), r.rows[0].sessions), ("CODEX", 2));
    assert!(run(&dataset(""), &Filters::default()).rows.is_empty());
}

#[test]
fn success_by_day_follows_the_time_zone() {
    // A: CODEX starts 2026-02-09T23:30Z, succeeds; B: CODEX starts 2026-02-10T01:00Z, fails;
    // C: CLAUDE starts 2026-02-10T10:00Z, outcome unknown.
    let text = [
        r#"{"timestamp":"2026-02-09T23:30:00Z","attempt_id":"A","executor":"CODEX","event_type":"session_start","data":{}}"#,
        r#"{"timestamp":"2026-02-09T23:40:00Z","attempt_id":"A","executor":"CODEX","event_type":"session_end","data":{"completion_status":"success"}}"#,
        r#"{"timestamp":"2026-02-10T01:00:00Z","attempt_id":"B","executor":"CODEX","event_type":"session_end","data":{"completion_status":"failed"}}"#,
        r#"{"timestamp":"2026-02-10T10:00:00Z","attempt_id":"C","executor":"claude","event_type":"session_start","data":{}}"#,
    ]
    .join("\n");
    let data = Dataset::from_files([("s.jsonl", text.as_bytes())]);
    let filters = spyglass::pipelines::Filters::default();
    let day = |p: &spyglass::pipelines::Parameters| {
        let view = spyglass::pipelines::View::new(&data, &filters, p);
        spyglass::pipelines::executors::compute(&view)
            .by_day
            .into_iter()
            .map(|d| (d.day, d.executor, d.sessions, d.success_rate, d.success_n))
            .collect::<Vec<_>>()
    };
    // UTC: A on the 9th (1/1), B on the 10th (0/1), C on the 10th (unknown: rate null, n 0)
    assert_eq!(
        day(&Default::default()),
        vec![
            ("2026-02-09".to_string(), "CODEX".to_string(), 1, Some(1.0), 1),
            ("2026-02-10".to_string(), "CLAUDE".to_string(), 1, None, 0),
            ("2026-02-10".to_string(), "CODEX".to_string(), 1, Some(0.0), 1),
        ]
    );
    // UTC+01:00: A starts 00:30 on the 10th, with B: 1 of 2
    let plus_one = spyglass::pipelines::Parameters { utc_offset_minutes: 60, ..Default::default() };
    assert_eq!(day(&plus_one)[1], ("2026-02-10".to_string(), "CODEX".to_string(), 2, Some(0.5), 2));
}
