//! `tools`: figures worked out by hand.

use spyglass::model::sessions::Dataset;
use spyglass::pipelines::tools::compute;
use spyglass::pipelines::{Filters, Parameters, View};

fn load(text: &str) -> Dataset {
    Dataset::from_files([("agent-work-stream.jsonl", text.as_bytes())])
}

fn ev(ts: &str, attempt: &str, event_type: &str, data: &str) -> String {
    let attempt = if attempt.is_empty() { String::new() } else { format!(",\"attempt_id\":\"{attempt}\"") };
    format!("{{\"timestamp\":\"2026-02-09T{ts}Z\"{attempt},\"executor\":\"CODEX\",\"model\":\"m1\",\"event_type\":\"{event_type}\",\"data\":{data}}}\n")
}

fn call(ts: &str, attempt: &str, tool: &str, cmd: &str) -> String {
    ev(ts, attempt, "tool_call", &format!("{{\"tool_name\":\"{tool}\",\"tool_params\":{{\"command\":\"{cmd}\"}}}}"))
}

fn result(ts: &str, attempt: &str, tool: &str, outcome: Option<&str>) -> String {
    match outcome {
        Some(r) => ev(ts, attempt, "tool_result", &format!("{{\"tool_name\":\"{tool}\",\"result\":\"{r}\"}}")),
        None => ev(ts, attempt, "tool_result", &format!("{{\"tool_name\":\"{tool}\"}}")),
    }
}

fn input() -> String {
    let mut t = String::new();
    // attempt a1, interleaved with a2 in the stream
    t += &call("10:00:00", "a1", "shell", "cargo test");
    t += &call("10:00:00", "a2", "shell", "npm test && eslint .");
    t += &call("10:00:01", "a1", "shell", "cargo clippy");
    t += &result("10:00:03", "a1", "shell", Some("success")); // pairs with 10:00:00 → 3000 ms
    t += &call("10:00:04", "a1", "read_file", "");
    t += &result("10:00:05", "a2", "shell", Some("success")); // a2: 5000 ms
    t += &result("10:00:10", "a1", "shell", Some("error")); // pairs with 10:00:01 → 9000 ms
    t += &result("10:00:11", "a1", "read_file", None); // 7000 ms, outcome unknown
    t += &result("10:00:20", "a1", "shell", Some("success")); // no call left: no latency
    // no attempt_id: counted, never paired
    t += &call("10:00:30", "", "shell", "ls");
    // a2's metrics row
    t += "{\"timestamp\":\"2026-02-09T10:01:00Z\",\"attempt_id\":\"a2\",\"metrics\":{\"commands\":5,\"command_failures\":1}}\n";
    t
}

#[test]
fn calls_results_failures_latency() {
    let data = load(&input());
    let (f, p) = (Filters::default(), Parameters::default());
    let t = compute(&View::new(&data, &f, &p));
    assert_eq!(t.rows.len(), 2);
    let shell = &t.rows[0];
    assert_eq!(shell.tool_name, "shell");
    // calls: a1 2 + a2 1 + loose 1 = 4; results 3 + 1 = 4, one failure, all 4 outcomes known
    assert_eq!((shell.calls, shell.results, shell.failures, shell.failure_n), (4, 4, 1, 4));
    assert_eq!(shell.failure_rate, Some(0.25));
    // latencies [3000, 5000, 9000]: median 5000; p95: h = 2 × 0.95 = 1.9 → 5000 + 0.9 × 4000 = 8600
    assert_eq!(shell.latency_n, 3);
    assert_eq!(shell.latency_p50_ms, Some(5000.0));
    assert!((shell.latency_p95_ms.unwrap() - 8600.0).abs() < 1e-9);
    let rf = &t.rows[1];
    assert_eq!((rf.tool_name.as_str(), rf.calls, rf.results, rf.failures, rf.failure_n), ("read_file", 1, 1, 0, 0));
    assert_eq!(rf.failure_rate, None, "no known outcome");
    assert_eq!((rf.latency_p50_ms, rf.latency_p95_ms, rf.latency_n), (Some(7000.0), Some(7000.0), 1));
    // commands: only a2 reports them
    assert_eq!((t.commands.commands, t.commands.command_failures, t.commands.commands_n), (Some(5), Some(1), 1));
    // test: "cargo test", "npm test && eslint ."; lint: "cargo clippy", "eslint ."
    assert_eq!((t.commands.test_runs, t.commands.lint_runs), (2, 2));
}

#[test]
fn ties_unknown_commands_and_empty_selection() {
    let mut s = String::new();
    s += &call("10:00:00", "a1", "zeta", "");
    s += &call("10:00:01", "a1", "alpha", "");
    let data = load(&s);
    let p = Parameters::default();
    let t = compute(&View::new(&data, &Filters::default(), &p));
    assert_eq!(t.rows.iter().map(|r| r.tool_name.as_str()).collect::<Vec<_>>(), vec!["alpha", "zeta"], "tie on calls → by name");
    assert_eq!(t.rows[0].latency_p50_ms, None);
    assert_eq!(t.commands.commands, None, "no session reports commands");
    let none = Filters { executors: vec!["nobody".into()], ..Default::default() };
    let t = compute(&View::new(&data, &none, &p));
    assert!(t.rows.is_empty());
    assert_eq!((t.commands.commands, t.commands.test_runs), (None, 0));
}

#[test]
fn filter_to_one_attempt() {
    let data = load(&input());
    let p = Parameters::default();
    // time filter from 10:00:30: the sessions start at 10:00:00 (out); the loose call at 10:00:30 stays
    let f = Filters { since_ms: spyglass::model::time::parse_timestamp("2026-02-09T10:00:30Z"), ..Default::default() };
    let t = compute(&View::new(&data, &f, &p));
    assert_eq!(t.rows.len(), 1);
    assert_eq!((t.rows[0].calls, t.rows[0].results), (1, 0));
    assert_eq!(t.rows[0].failure_rate, None);
}
