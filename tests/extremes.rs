//! Every count, token, cost and duration at its extreme: no panic (this runs in the debug build,
//! where an integer overflow panics), no hang, and sensible figures — a count at u64::MAX stays
//! u64::MAX (saturated), never wraps to 0; a cost stays a finite number.

use serde_json::{json, Value};
use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::Store;
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::{html, text, Report};

const MAX: u64 = u64::MAX;

/// Numbers (and strings standing for numbers) at their extremes, for any numeric field.
fn extremes() -> Vec<Value> {
    vec![
        json!(MAX),
        json!(MAX - 1),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(1e308),
        json!(-1e308),
        json!(-1),
        json!(0),
        json!("NaN"),
        json!("inf"),
        json!("-0"),
        json!("18446744073709551615"),
        json!(4.9e-324),
    ]
}

/// Timestamps at their extremes: huge epochs, years 0000 and 9999, negative.
fn times() -> Vec<Value> {
    vec![
        json!("0000-01-01T00:00:00Z"),
        json!("9999-12-31T23:59:59.999Z"),
        json!("0000-01-01T00:00:00+23:59"),
        json!("9999-12-31T23:59:59-23:59"),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(MAX),
        json!(7_258_118_400_000i64), // 2200-01-01: the last epoch accepted
        json!(631_152_000_000i64),   // 1990-01-01: the first
        json!("2026-02-09T14:23:45.123Z"),
        json!(-1),
        json!(1e308),
    ]
}

fn lines() -> Vec<String> {
    let xs = extremes();
    let ts = times();
    let mut out = Vec::new();
    let types = [
        "session_start",
        "tool_call",
        "tool_result",
        "error",
        "session_end",
        "usage",
        "skill_invoke",
        "agent_output",
        "status_change",
    ];
    for (i, x) in xs.iter().enumerate() {
        for (j, t) in ts.iter().enumerate() {
            // two attempts per task, so that "next session" and cooldowns pair them
            let attempt = format!("00000000-0000-0000-0000-00000000000{}-a{}", j % 10, (i + j) % 2);
            for (k, ty) in types.iter().enumerate() {
                let data = json!({
                    "prompt_type": "initial",
                    "tool_name": if k % 2 == 0 { "edit_file" } else { "shell" },
                    "tool_params": {"command": "cargo test", "file_path": "src/a.rs"},
                    "result": if k % 2 == 0 { "error" } else { "success" },
                    "error_category": "rate_limit", "error_fingerprint": "timeout", "message": "boom",
                    "completion_status": if k % 2 == 0 { "failed" } else { "completed" },
                    "duration_ms": x, "permission_denied": x,
                    "prompt_tokens": x, "completion_tokens": x, "total_tokens": x, "input_tokens": x, "output_tokens": x,
                    "cache_read_input_tokens": x, "cache_creation_input_tokens": x, "cached_input_tokens": x,
                    "cost_usd": x, "total_cost_usd": x,
                    "usage": {"prompt_tokens": x, "completion_tokens": x, "total_tokens": x, "cost_usd": x, "cached_input_tokens": x},
                    "skill_name": "s",
                });
                out.push(json!({"timestamp": t, "attempt_id": attempt, "executor": if i % 2 == 0 { "codex" } else { "claude" }, "model": if j % 3 == 0 { "gpt-5" } else { "claude-sonnet-4" }, "sequence_num": x, "event_type": ty, "data": data}).to_string());
            }
            // metrics rows, the current shape and the older one (outcome, error_summary)
            out.push(
                json!({"timestamp": t, "attempt_id": attempt, "executor": "codex", "model": "gpt-5", "metrics": {
                    "success": i % 2 == 0, "first_shot_success": true, "attempts": x, "retry_count": x, "continues": x, "auto_resume": true,
                    "duration_ms": x, "errors": x, "tool_calls": x, "tool_failures": x, "commands": x, "command_failures": x,
                    "commits": x, "agent_made_commits": x, "diff_files_changed": x, "diff_lines_added": x, "diff_lines_deleted": x,
                    "files_modified": x, "lines_added": x, "lines_deleted": x, "permission_denied": x, "review_passed": false,
                    "prompt_tokens": x, "completion_tokens": x, "total_tokens": x, "cost_usd": x,
                    "cache_read_input_tokens": x, "cache_creation_input_tokens": x, "cached_input_tokens": x,
                    "usage": {"total_tokens": x, "cost_usd": x, "input_tokens": x},
                    "anomaly_actions": ["restart"], "diff_summary": ["src/a.rs", "src/b.rs"],
                    "error_summary": {"total_errors": x, "error_categories": {"build": x, "auth": x, "rate_limit": x, "BUILD": x}}
                }})
                .to_string(),
            );
            out.push(
                json!({"timestamp": t, "attempt_id": format!("{attempt}-old"), "task_id": "t-old", "executor": "codex", "model": "gpt-5",
                    "metrics": {"retry_count": x, "cost_usd": x, "total_tokens": x}, "outcome": {"status": "failed"},
                    "error_summary": {"total_errors": x, "error_categories": {"test": x, "test ": x}}})
                .to_string(),
            );
            out.push(json!({"timestamp": t, "type": "error_loop", "severity": "high", "attempt_id": attempt, "executor": "codex", "occurrences": x, "_cooldown_key": "k"}).to_string());
        }
    }
    out
}

/// Parameters at their extremes (all accepted by `Parameters::from_json`'s ranges).
fn extreme_parameters() -> Vec<Parameters> {
    let ten_years: i64 = 10 * 366 * 86_400_000;
    let mut out = vec![Parameters::default()];
    for (ms, n, w, share) in [(0i64, 0u64, 0.0f64, 0.0f64), (ten_years, MAX, 1e308, 1.0), (1, 1, -1e308, 1.0)] {
        let mut p = Parameters::default();
        (p.error_loop_window_ms, p.tool_loop_window_ms, p.stuck_gap_ms, p.alert_suppress_ms) = (ms, ms, ms, ms);
        (p.failed_session_high_cooldown_ms, p.failed_session_transient_cooldown_ms) = (ms, ms);
        (p.error_loop_count, p.tool_loop_count, p.excessive_restarts, p.failed_session_errors) = (n, n, n, n);
        (p.dominant_category_min_errors, p.spike_min_count) = (n, n);
        (p.w_cost, p.w_errors, p.spike_sigma, p.cost_anomaly_usd, p.runaway_min_usd) =
            (w, w, w.abs(), w.abs(), w.abs());
        (p.high_retry_rate, p.dominant_category_share, p.runaway_percentile) = (share, share, share);
        p.daily_budget_usd = Some(w.abs());
        p.utc_offset_minutes = if ms == 0 { -18 * 60 } else { 18 * 60 };
        p.include_estimated_cost = true;
        p.alert_rules = if ms == 1 {
            spyglass::pipelines::alerts::AlertRules::Legacy
        } else {
            spyglass::pipelines::alerts::AlertRules::Current
        };
        out.push(p);
    }
    // beyond the ranges `from_json` accepts: a `Parameters` built otherwise (the page's worker
    // deserialises it directly) must not panic either
    for (ms, off, w) in
        [(i64::MAX, i32::MAX, f64::NAN), (i64::MIN, i32::MIN, f64::INFINITY), (-1, -1, f64::NEG_INFINITY)]
    {
        let mut p = Parameters::default();
        (p.error_loop_window_ms, p.tool_loop_window_ms, p.stuck_gap_ms, p.alert_suppress_ms) = (ms, ms, ms, ms);
        (p.failed_session_high_cooldown_ms, p.failed_session_transient_cooldown_ms) = (ms, ms);
        (p.error_loop_count, p.tool_loop_count, p.excessive_restarts, p.failed_session_errors) = (0, MAX, 0, 0);
        (p.w_cost, p.w_errors, p.spike_sigma, p.cost_anomaly_usd, p.runaway_min_usd) = (w, w, w, w, w);
        (p.high_retry_rate, p.dominant_category_share, p.runaway_percentile) = (w, w, w);
        p.daily_budget_usd = Some(w);
        p.utc_offset_minutes = off;
        p.include_estimated_cost = true;
        out.push(p);
    }
    out
}

#[test]
fn extreme_values_give_a_report_without_panicking() {
    let text = lines().join("\n");
    let mut store = Store::new();
    store.load_bytes("extremes.jsonl", text.as_bytes());
    let data = Dataset::new(store);
    assert!(!data.sessions.is_empty());
    let filters = [
        Filters::default(),
        Filters { since_ms: Some(i64::MIN), until_ms: Some(i64::MAX), ..Filters::default() },
        Filters { since_ms: Some(i64::MAX), until_ms: Some(i64::MIN), ..Filters::default() },
    ];
    for params in extreme_parameters() {
        for f in &filters {
            let report = Report::compute(&data, f, &params);
            let json = report.to_json();
            let v: Value = serde_json::from_str(&json).expect("the report is JSON");
            let s = &v["summary"];
            if f.since_ms.is_none() {
                assert_eq!(s["sessions"], 40, "{s}");
                // costs saturate, they never become infinite (JSON null beside a count)
                assert!(s["total_cost_usd"].as_f64().is_some_and(f64::is_finite), "{s}");
                assert_eq!((&s["total_tokens"], &s["output_tokens"]), (&json!(MAX), &json!(MAX)), "{s}");
            }
            let _ = html::render(&report);
            let _ = text::render(&report);
            for sec in spyglass::report::charts::SECTIONS {
                for c in spyglass::report::charts::charts_for(&v, sec) {
                    let _ = spyglass::charts::to_svg(960, 420, |a| c.chart.draw(a, &spyglass::charts::Theme::light()));
                }
            }
        }
    }
}

/// A count at u64::MAX stays u64::MAX in the figures that sum it (it wrapped, or panicked in debug).
#[test]
fn counts_at_the_maximum_saturate() {
    let row = |a: &str, x: u64| {
        json!({"timestamp": "2026-02-09T10:00:00Z", "attempt_id": a, "task_id": "t", "executor": "codex", "model": "m", "metrics": {
            "success": false, "attempts": x, "errors": x, "tool_calls": x, "tool_failures": x, "commands": x, "command_failures": x,
            "commits": 0, "diff_lines_added": x, "diff_lines_deleted": x, "total_tokens": x, "prompt_tokens": x, "completion_tokens": x,
            "error_summary": {"total_errors": x, "error_categories": {"auth": x, "AUTH": x, "build": x}}}})
        .to_string()
    };
    let text = [row("a1", MAX), row("a2", MAX), row("a3", 5)].join("\n");
    let data = Dataset::from_files([("m.jsonl", text.as_bytes())]);
    let report = Report::compute(&data, &Filters::default(), &Parameters::default());
    let v: Value = serde_json::from_str(&report.to_json()).unwrap();
    // one row keeps u64::MAX − 1 tokens (u64::MAX marks "absent" in the store); two saturate
    assert_eq!(v["summary"]["total_tokens"], json!(MAX), "{}", v["summary"]);
    let scope = &v["git"]["scope"][0];
    assert_eq!((&scope["attempts"], &scope["lines_changed"]), (&json!(MAX), &json!(MAX)), "{scope}");
    let auth = &v["guardrails"]["totals"][1];
    assert_eq!(
        (&auth["category"], &auth["failed_sessions"], &auth["error_events"]),
        (&json!("auth"), &json!(3), &json!(MAX)),
        "{auth}"
    );
    // every count in the report is a number (no wrapped zero where u64::MAX went in)
    let s = &v["summary"];
    assert_eq!(s["sessions"], 3);
    let risk = &v["task_risk"]["rows"][0];
    assert_eq!((&risk["attempts"], &risk["tool_failures"]), (&json!(MAX), &json!(MAX)), "{risk}");
    assert_eq!(risk["error_categories"][0]["count"], json!(MAX), "{risk}");
}

/// Parameters out of range are refused, naming the parameter.
#[test]
fn parameters_out_of_range_are_refused_by_name() {
    let refused = [
        (r#"{"stuck_gap_ms": -1}"#, "stuck_gap_ms"),
        (r#"{"stuck_gap_ms": 9223372036854775807}"#, "stuck_gap_ms"),
        (r#"{"error_loop_window_ms": -5}"#, "error_loop_window_ms"),
        (r#"{"alert_suppress_ms": 400000000000}"#, "alert_suppress_ms"),
        (r#"{"failed_session_high_cooldown_ms": -1}"#, "failed_session_high_cooldown_ms"),
        (r#"{"dominant_category_share": 1.5}"#, "dominant_category_share"),
        (r#"{"runaway_percentile": -0.1}"#, "runaway_percentile"),
        (r#"{"high_retry_rate": 2}"#, "high_retry_rate"),
        (r#"{"utc_offset_minutes": 1081}"#, "utc_offset_minutes"),
        (r#"{"utc_offset_minutes": -2147483648}"#, "utc_offset_minutes"),
        (r#"{"spike_sigma": -1}"#, "spike_sigma"),
        (r#"{"daily_budget_usd": -3}"#, "daily_budget_usd"),
        (r#"{"runaway_min_usd": -1}"#, "runaway_min_usd"),
    ];
    for (json, name) in refused {
        let e = Parameters::from_json(json).expect_err(json);
        assert!(e.contains(name), "{json}: {e}");
    }
    // the edges are accepted
    for ok in [
        r#"{"stuck_gap_ms": 0}"#,
        r#"{"stuck_gap_ms": 316224000000}"#,
        r#"{"utc_offset_minutes": -1080}"#,
        r#"{"utc_offset_minutes": 1080}"#,
        r#"{"dominant_category_share": 0, "runaway_percentile": 1, "high_retry_rate": 1}"#,
        r#"{"w_cost": -1e308, "w_errors": 1e308}"#,
        r#"{"error_loop_count": 18446744073709551615}"#,
    ] {
        Parameters::from_json(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
}
