//! `model_scores`: figures worked out by hand from small inputs.

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::model_scores::{compute, ModelScores};
use spyglass::pipelines::{Filters, GroupKey, Parameters, View};

use crate::support::stream as dataset;

fn run(data: &Dataset, filters: &Filters, params: &Parameters) -> ModelScores {
    let view = View::new(data, filters, params);
    compute(&view)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

const INPUT: &str = r#"
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"a1","task_id":"t1","executor":"codex","executor_variant":"codex-default","model":"m1","metrics":{"success":true,"first_shot_success":true,"attempts":1,"cost_usd":0.5,"total_tokens":100,"errors":0}}
{"timestamp":"2026-02-09T11:00:00.000Z","attempt_id":"a2","task_id":"t1","executor":"codex","executor_variant":"codex-default","model":"m1","metrics":{"success":false,"first_shot_success":false,"attempts":3,"cost_usd":1.5,"total_tokens":300,"error_summary":{"total_errors":6,"error_categories":{"auth":4,"test":2}}}}
{"timestamp":"2026-02-09T12:00:00.000Z","attempt_id":"a3","task_id":"t2","executor":"claude","model":"m2","metrics":{"success":true,"attempts":1,"errors":0}}
{"timestamp":"2026-02-09T13:00:00.000Z","attempt_id":"a4","task_id":"t2","executor":"claude","model":"m2","metrics":{"attempts":2,"errors":1}}
{"timestamp":"2026-02-09T14:00:00.000Z","attempt_id":"a5","task_id":"t3","executor":"copilot","metrics":{"success":true,"attempts":1,"cost_usd":0,"total_tokens":0}}
{"timestamp":"2026-02-09T15:00:00.000Z","attempt_id":"a6","task_id":"t4","executor":"copilot","model":"m4","metrics":{"success":false,"attempts":1,"cost_usd":0.2}}
{"timestamp":"2026-02-09T16:00:00.000Z","attempt_id":"a7","task_id":"t4","executor":"copilot","model":"m3","metrics":{"success":false,"attempts":1,"cost_usd":0.2}}
{"timestamp":"2026-02-09T17:00:00.000Z","attempt_id":"a8","task_id":"t5","executor":"copilot","model":"m5","metrics":{"attempts":1,"cost_usd":0.3}}
"#;

#[test]
fn groups_by_model_with_scores_flags_and_order() {
    let data = dataset(INPUT);
    let r = run(&data, &Filters::default(), &Parameters::default());
    assert_eq!(r.group_by, GroupKey::Model);
    let keys: Vec<&str> = r.rows.iter().map(|r| r.key.as_str()).collect();
    // scores: unknown 1.0, m2 0.99, m1 0.34, m3 = m4 = -0.02 (tie → key order), m5 null (last)
    assert_eq!(keys, ["unknown", "m2", "m1", "m3", "m4", "m5"]);

    // unknown (a5, no model): success 1/1; its zero cost and tokens are unknown → cost term 0
    let u = &r.rows[0];
    assert_eq!(u.sessions, 1);
    assert_eq!((u.success_rate, u.success_n), (Some(1.0), 1));
    assert_eq!((u.avg_cost_usd, u.cost_n, u.total_cost_usd, u.total_tokens), (None, 0, None, None));
    assert_eq!(u.cost_per_success, None);
    assert!(!u.cost_term_known);
    // score = 1.0 - 0 - 0.02 * 0 = 1.0
    assert_eq!(u.score, Some(1.0));
    assert!(u.flags.is_empty());

    // m2: a3 success, a4 success unknown → 1/1; no first-shot facts; no cost at all
    let m2 = &r.rows[1];
    assert_eq!((m2.success_rate, m2.success_n), (Some(1.0), 1));
    assert_eq!((m2.first_shot_rate, m2.first_shot_n), (None, 0));
    assert_eq!((m2.avg_cost_usd, m2.total_cost_usd, m2.cost_per_success, m2.total_tokens), (None, None, None, None));
    assert!(!m2.cost_term_known);
    // errors 0 + 1 over 2 sessions = 0.5; retry 1 of 2 (a4 attempts 2) = 0.5 > 0.3
    assert_eq!((m2.errors, m2.avg_errors), (1, Some(0.5)));
    assert_eq!((m2.retry_rate, m2.retry_n), (Some(0.5), 2));
    // score = 1.0 - 0.02 * 0.5 = 0.99
    assert!(close(m2.score, 0.99), "{:?}", m2.score);
    assert_eq!(m2.flags, ["high_retry_rate"]);
    assert_eq!(m2.dominant_error_category, None);

    // m1: a1 (ok, 0.5 USD, 100 tokens), a2 (failed, 3 attempts, 1.5 USD, 300 tokens, auth 4 + test 2)
    let m1 = &r.rows[2];
    assert_eq!(m1.sessions, 2);
    assert_eq!((m1.success_rate, m1.success_n), (Some(0.5), 2));
    assert_eq!((m1.first_shot_rate, m1.first_shot_n), (Some(0.5), 2));
    // avg cost (0.5 + 1.5) / 2 = 1.0; total 2.0; tokens 400; cost per success 2.0 / 1 = 2.0
    assert_eq!((m1.avg_cost_usd, m1.cost_n, m1.total_cost_usd), (Some(1.0), 2, Some(2.0)));
    assert_eq!((m1.total_tokens, m1.tokens_n), (Some(400), 2));
    assert_eq!(m1.cost_per_success, Some(2.0));
    // errors 6 over 2 sessions = 3.0
    assert_eq!((m1.errors, m1.avg_errors), (6, Some(3.0)));
    // score = 0.5 - 0.1 * 1.0 - 0.02 * 3.0 = 0.34
    assert!(close(m1.score, 0.34), "{:?}", m1.score);
    assert!(m1.cost_term_known);
    // retry 1/2 = 0.5 > 0.3; auth 4 of 6 errors ≥ 0.5 × 6 and 6 ≥ 5
    assert_eq!(m1.flags, ["high_retry_rate", "dominant_error_category"]);
    assert_eq!(m1.dominant_error_category.as_deref(), Some("auth"));

    // m3, m4: success 0/1, cost 0.2 each → score = 0 - 0.1 * 0.2 - 0 = -0.02
    assert!(close(r.rows[3].score, -0.02));
    assert_eq!(r.rows[3].score, r.rows[4].score);
    assert_eq!(r.rows[3].cost_per_success, None, "no successful session");
    // m5: success unknown → score null, sorted last
    assert_eq!((r.rows[5].success_rate, r.rows[5].score), (None, None));
    assert_eq!(r.rows[5].avg_cost_usd, Some(0.3));

    // the scatter follows the rows
    let s: Vec<(&str, Option<f64>, Option<f64>)> =
        r.scatter.iter().map(|p| (p.key.as_str(), p.success_rate, p.cost_per_success)).collect();
    assert_eq!(s[2], ("m1", Some(0.5), Some(2.0)));
    assert_eq!(s.len(), 6);
}

#[test]
fn parameters_change_scores_flags_and_order() {
    let data = dataset(INPUT);
    let params =
        Parameters { w_cost: 1.0, high_retry_rate: 0.5, dominant_category_min_errors: 7, ..Parameters::default() };
    let r = run(&data, &Filters::default(), &params);
    let keys: Vec<&str> = r.rows.iter().map(|r| r.key.as_str()).collect();
    // m1: 0.5 - 1.0 * 1.0 - 0.06 = -0.56; m3, m4: 0 - 1.0 * 0.2 = -0.2
    assert_eq!(keys, ["unknown", "m2", "m3", "m4", "m1", "m5"]);
    let m1 = &r.rows[4];
    assert!(close(m1.score, -0.56), "{:?}", m1.score);
    // retry 0.5 is not above 0.5; 6 errors < 7
    assert!(m1.flags.is_empty());
    assert_eq!(m1.dominant_error_category, None);
}

#[test]
fn dominant_share_parameter() {
    let data = dataset(INPUT);
    // auth is 4 of 6 = 0.667 < 0.7
    let params = Parameters { dominant_category_share: 0.7, ..Parameters::default() };
    let r = run(&data, &Filters::default(), &params);
    let m1 = r.rows.iter().find(|r| r.key == "m1").unwrap();
    assert_eq!(m1.flags, ["high_retry_rate"]);
}

#[test]
fn group_by_executor_and_variant() {
    let data = dataset(INPUT);
    let params = Parameters { group_by: GroupKey::Executor, ..Parameters::default() };
    let r = run(&data, &Filters::default(), &params);
    // CODEX (a1, a2) = m1's figures, 0.34; CLAUDE (a3, a4) = m2's, 0.99
    // COPILOT: a5 ok, a6, a7 failed, a8 unknown → 1/3; costs 0.2 + 0.2 + 0.3 = 0.7 over 3
    //   score = 1/3 - 0.1 * (0.7 / 3) - 0 = 0.3333 - 0.02333 = 0.31
    let keys: Vec<&str> = r.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["CLAUDE", "CODEX", "COPILOT"]);
    let c = &r.rows[2];
    assert_eq!((c.sessions, c.success_n, c.cost_n), (4, 3, 3));
    assert!(close(c.score, 1.0 / 3.0 - 0.1 * (0.7 / 3.0)), "{:?}", c.score);
    // cost per success: 0.7 / 1
    assert!(close(c.cost_per_success, 0.7));
    assert_eq!(serde_json::to_value(&r).unwrap()["group_by"], "executor");

    let params = Parameters { group_by: GroupKey::ExecutorVariant, ..Parameters::default() };
    let r = run(&data, &Filters::default(), &params);
    // only a1 and a2 have a variant; the rest (6 sessions) are `unknown`
    let keys: Vec<(&str, u64)> = r.rows.iter().map(|r| (r.key.as_str(), r.sessions)).collect();
    assert!(keys.contains(&("codex-default", 2)) && keys.contains(&("unknown", 6)), "{keys:?}");
}

#[test]
fn single_session_from_events_only() {
    // no metrics row: success from session_end, cost from it, errors from error events
    let text = r#"
{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"e1","task_id":"t","executor":"CODEX","model":"gpt","event_type":"session_start","data":{"prompt_type":"initial"}}
{"timestamp":"2026-02-09T10:01:00.000Z","attempt_id":"e1","task_id":"t","executor":"CODEX","model":"gpt","event_type":"error","data":{"error_category":"build","error_message":"x"}}
{"timestamp":"2026-02-09T10:02:00.000Z","attempt_id":"e1","task_id":"t","executor":"CODEX","model":"gpt","event_type":"session_end","data":{"completion_status":"completed","cost_usd":0.4,"total_tokens":1000}}
"#;
    let data = dataset(text);
    let r = run(&data, &Filters::default(), &Parameters::default());
    assert_eq!(r.rows.len(), 1);
    let g = &r.rows[0];
    assert_eq!(g.key, "gpt");
    // score = 1.0 - 0.1 * 0.4 - 0.02 * 1 = 0.94
    assert!(close(g.score, 0.94), "{:?}", g.score);
    assert_eq!((g.total_cost_usd, g.total_tokens, g.cost_per_success), (Some(0.4), Some(1000), Some(0.4)));
    // one error: below the minimum of 5 for the dominant flag
    assert!(g.flags.is_empty());
}

#[test]
fn filters() {
    let data = dataset(INPUT);
    let none = Filters { models: vec!["nope".into()], ..Filters::default() };
    let r = run(&data, &none, &Parameters::default());
    assert!(r.rows.is_empty() && r.scatter.is_empty());
    let m1 = Filters { models: vec!["M1".into()], ..Filters::default() };
    let r = run(&data, &m1, &Parameters::default());
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].key, "m1");
    // empty input
    let r = run(&dataset(""), &Filters::default(), &Parameters::default());
    assert!(r.rows.is_empty());
}

#[test]
fn json_shape() {
    let data = dataset(INPUT);
    let v = serde_json::to_value(run(&data, &Filters::default(), &Parameters::default())).unwrap();
    let m2 = &v["rows"][1];
    assert_eq!(m2["key"], "m2");
    assert!(m2["avg_cost_usd"].is_null() && m2["total_cost_usd"].is_null() && m2["cost_per_success"].is_null());
    assert_eq!(m2["cost_term_known"], false);
    assert_eq!(m2["flags"][0], "high_retry_rate");
    assert!(v["rows"][5]["score"].is_null());
    assert_eq!(v["scatter"][0]["key"], "unknown");
}
