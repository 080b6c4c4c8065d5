//! A/B comparison (issue 14): a dataset against itself (every difference 0, nothing flagged),
//! against a shifted copy (`tests/fixtures/compare/`: B fails more and costs double — flagged),
//! and `spyglass compare` end to end in both forms.

use crate::support::files::files_of;
use spyglass::compare::{self, Comparison, Method, Row, Side};
use spyglass::dataset::Dataset;
use spyglass::pipelines::{Filters, Parameters};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn dataset(name: &str) -> Dataset {
    let files = files_of(&fixture(name));
    Dataset::from_files(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
}

fn row<'a>(c: &'a Comparison, figure: &str, method: Method) -> &'a Row {
    c.rows.iter().find(|r| r.figure == figure && r.method == method).unwrap_or_else(|| panic!("no {figure} row"))
}

#[test]
fn a_dataset_against_itself_differs_in_nothing() {
    for name in ["golden", "compare/base", "real_bosun"] {
        let data = dataset(name);
        let all = Filters::default();
        let c = compare::compute(
            Side { data: &data, filters: &all },
            Side { data: &data, filters: &all },
            &Parameters::default(),
        );
        assert!(c.same_inputs);
        assert!(c.rows.len() >= 9, "{name}: {} rows", c.rows.len());
        for r in &c.rows {
            assert_eq!((r.a, r.a_n), (r.b, r.b_n), "{name}: {r:?}");
            if let Some(d) = r.difference {
                assert_eq!(d, 0.0, "{name}: {r:?}");
            }
            assert!(!r.flagged, "{name}: {r:?}");
            if let (Some(l), Some(h)) = (r.ci_low, r.ci_high) {
                assert!(l <= 0.0 && 0.0 <= h, "{name}: {r:?}");
            }
        }
    }
}

#[test]
fn a_shifted_copy_is_flagged_where_it_shifted() {
    let (base, worse) = (dataset("compare/base"), dataset("compare/worse"));
    let all = Filters::default();
    let c = compare::compute(
        Side { data: &base, filters: &all },
        Side { data: &worse, filters: &all },
        &Parameters::default(),
    );
    assert!(!c.same_inputs);
    assert_eq!((c.a.sessions, c.b.sessions, c.a.skipped_lines, c.b.skipped_lines), (40, 40, 0, 1));
    // 32 of 40 succeed in A, 12 of 40 in B: −50 pp, well beyond chance
    let s = row(&c, "success_rate", Method::NewcombeHybridScore);
    assert_eq!((s.a, s.a_n, s.b, s.b_n), (Some(0.8), 40, Some(0.3), 40));
    assert!((s.difference.unwrap() + 0.5).abs() < 1e-12 && s.flagged && s.ci_high.unwrap() < 0.0, "{s:?}");
    // every cost doubled: A's mean $0.1325 (0.05 + 0.03 × the mean of i % 7), B's twice that
    for method in [Method::Welch, Method::BootstrapPercentile] {
        let r = row(&c, "avg_cost_usd", method);
        assert!((r.b.unwrap() - 2.0 * r.a.unwrap()).abs() < 1e-9, "{r:?}");
        assert!(r.flagged && r.ci_low.unwrap() > 0.0, "{r:?}");
    }
    assert_eq!(row(&c, "avg_cost_usd", Method::BootstrapPercentile).resamples, Some(2000));
    let cps = row(&c, "cost_per_success", Method::BootstrapPercentile);
    assert!(cps.flagged && cps.ci_low.unwrap() > 0.0, "{cps:?}");
    // what did not shift is not flagged: tokens, errors, duration, shell failures
    for figure in ["avg_tokens", "avg_errors", "avg_duration_ms"] {
        let r = row(&c, figure, Method::Welch);
        assert_eq!(r.difference, Some(0.0), "{r:?}");
        assert!(!r.flagged && r.df.is_some(), "{r:?}");
    }
    let shell = c.rows.iter().find(|r| r.figure == "tool_failure_rate").unwrap();
    assert_eq!(
        (shell.of.as_deref(), shell.a_n, shell.difference, shell.flagged),
        (Some("shell"), 120, Some(0.0), false)
    );
    // the text table marks the flagged rows
    let text = compare::text::render(&c);
    let line = text.lines().find(|l| l.contains("success_rate")).unwrap();
    assert!(line.starts_with('*') && line.contains("−50.0 pp") && line.contains("Newcombe"), "{text}");
    let tokens = text.lines().find(|l| l.contains("avg_tokens")).unwrap();
    assert!(!tokens.starts_with('*'), "{text}");
    assert!(text.contains("B skipped agent-metrics.jsonl:41: "), "{text}");
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spyglass")).args(args).output().expect("runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
}

#[test]
fn the_cli_compares_two_sets_of_inputs_and_one_set_under_two_filters() {
    let (base, worse) = (fixture("compare/base"), fixture("compare/worse"));
    let (base, worse) = (base.to_str().unwrap(), worse.to_str().unwrap());
    let vs = json(&run(&["compare", base, "--vs", worse, "--json"]));
    assert_eq!(vs["same_inputs"], false);
    assert_eq!(vs["a"]["sessions"], 40);
    assert_eq!(vs["b"]["skipped_lines"], 1);
    assert_eq!(vs["b"]["skipped"][0]["line"], 41);
    assert_eq!(vs["b"]["inputs"], serde_json::json!(["agent-metrics.jsonl", "agent-work-stream.jsonl"]));
    assert_eq!(vs["parameters"]["w_cost"], 0.1);
    let rows = vs["rows"].as_array().unwrap();
    let success = rows.iter().find(|r| r["figure"] == "success_rate").unwrap();
    assert_eq!(success["method"], "newcombe_hybrid_score");
    assert_eq!(success["flagged"], true);
    assert!(rows.iter().any(|r| r["method"] == "welch") && rows.iter().any(|r| r["method"] == "bootstrap_percentile"));

    // the same sessions as one set under two filters: the same rows
    let filtered = json(&run(&[
        "compare",
        base,
        worse,
        "--a-filter",
        "executor=codex",
        "--b-filter",
        "executor=CLAUDE,since=2026-01-01",
        "--json",
    ]));
    assert_eq!(filtered["same_inputs"], true);
    assert_eq!(filtered["rows"], vs["rows"]);
    assert_eq!(filtered["a"]["filters"]["executors"], serde_json::json!(["codex"]));
    assert!(filtered["b"]["filters"]["since_ms"].is_number());

    // shared filters apply to both sides: no sessions before a date far ahead
    let late = json(&run(&["compare", base, "--vs", worse, "--since", "2030-01-01", "--json"]));
    assert_eq!((late["a"]["sessions"].as_u64(), late["b"]["sessions"].as_u64()), (Some(0), Some(0)));

    // the text table
    let out = run(&["compare", base, "--vs", worse]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l.starts_with('*') && l.contains("success_rate")), "{text}");
    assert!(text.contains("B: 40 sessions · no filter · 2 inputs") && text.contains("1 skipped line"), "{text}");
}

#[test]
fn the_cli_says_what_is_wrong_and_exits_2() {
    let base = fixture("compare/base");
    let base = base.to_str().unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["compare", base, "--vs", "/no/such/path"], "/no/such/path"),
        (&["compare", base], "give two sides"),
        (&["compare", base, "--vs"], "both sides"),
        (&["compare", base, "--vs", base, "--a-filter", "executor=x"], "choose one"),
        (&["compare", base, "--a-filter", "colour=red"], "unknown key \"colour\""),
        (&["compare", base, "--a-filter", "since=soon"], "not a time"),
        (&["compare", base, "--vs", base, "--threads", "0"], "--threads"),
    ];
    for (args, says) in cases {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // a side with nothing to read says which side
    let dir = std::env::temp_dir().join(format!("spyglass-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.jsonl");
    std::fs::write(&junk, "not telemetry\n").unwrap();
    let out = run(&["compare", base, "--vs", junk.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("B: nothing could be read"), "{err}");
}

#[test]
fn names_from_the_logs_reach_the_terminal_escaped() {
    let line = |kind: &str, data: &str| {
        format!(
            "{{\"timestamp\":\"2026-02-09T10:00:00.000Z\",\"attempt_id\":\"X1\",\"executor\":\"CODEX\",\"event_type\":\"{kind}\",\"data\":{data}}}\n"
        )
    };
    let tool = r#"{"tool_name":"sh\u001b[2Jell"}"#;
    let failed = r#"{"tool_name":"sh\u001b[2Jell","result":"error"}"#;
    let data = crate::support::stream(&(line("tool_call", tool) + &line("tool_result", failed)));
    let all = Filters::default();
    let c = compare::compute(
        Side { data: &data, filters: &all },
        Side { data: &data, filters: &all },
        &Parameters::default(),
    );
    let text = compare::text::render(&c);
    assert!(text.contains("tool_failure_rate (sh\\u{1b}[2Jell)"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}
