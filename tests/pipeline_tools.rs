//! `tools`: figures worked out by hand.

use spyglass::pipelines::tools::compute;
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as load;

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
    assert_eq!(
        t.rows.iter().map(|r| r.tool_name.as_str()).collect::<Vec<_>>(),
        vec!["alpha", "zeta"],
        "tie on calls → by name"
    );
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

// ---------------------------------------------------------------------------------------------
// bosun's real Codex writer: tool_params as a JSON string whose command is an argv array, and
// tool_result lines without tool_name (only `status`), paired first in, first out

/// Task UUIDs: the attempts are `<task>-<attempt UUID>` and the lines carry no task_id.
const TASK_1: &str = "0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4b";
const TASK_2: &str = "5e0c2d7a-aaaa-4bbb-8ccc-0123456789ab";

fn codex(ts: &str, attempt: &str, event_type: &str, data: &str) -> String {
    format!("{{\"timestamp\":\"2026-02-09T10:00:{ts}Z\",\"attempt_id\":\"{attempt}\",\"executor\":\"codex\",\"model\":\"gpt-5-codex\",\"event_type\":\"{event_type}\",\"data\":{data}}}\n")
}

/// A Codex call: `args` is the arguments' JSON, written as a JSON string (quotes escaped).
fn codex_call(ts: &str, attempt: &str, tool: &str, args: &str) -> String {
    let quoted = serde_json::to_string(args).unwrap();
    codex(ts, attempt, "tool_call", &format!("{{\"tool_name\":\"{tool}\",\"tool_params\":{quoted}}}"))
}

fn codex_result(ts: &str, attempt: &str, status: &str) -> String {
    codex(ts, attempt, "tool_result", &format!("{{\"result\":\"output text\",\"status\":\"{status}\"}}"))
}

fn codex_named(ts: &str, attempt: &str, tool: &str, result: &str) -> String {
    codex(ts, attempt, "tool_result", &format!("{{\"tool_name\":\"{tool}\",\"result\":\"{result}\"}}"))
}

fn codex_input() -> String {
    let c1 = format!("{TASK_1}-7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    let c2 = format!("{TASK_2}-11111111-2222-4333-8444-555555555555");
    let c1 = c1.as_str();
    let mut t = String::new();
    // (#n: the call's number in c1; the any-tool queue holds c1's unanswered calls in that order)
    t += &codex_call("00", c1, "shell", r#"{"command":["bash","-lc","cargo test"],"workdir":"/w"}"#); // #1 test run
    t += &codex_call("01", c1, "shell", r#"{"command":["bash","-lc","cargo clippy -- -D warnings"]}"#); // #2 lint run
    t += &codex_call("02", c1, "read_file", r#"{"path":"src/lib.rs"}"#); // #3
                                                                         // c2 has no call: its unnamed result cannot be paired (c1's calls are another attempt's)
    t += &codex_result("03", &c2, "completed"); // → unknown, success
    t += &codex_result("04", c1, "completed"); // oldest unanswered: #1 → shell, success, 4000 ms
    t += &codex_named("05", c1, "read_file", "success"); // named: #3 → read_file, 05 − 02 = 3000 ms
    t += &codex_result("09", c1, "failed"); // oldest unanswered: #2 (#1 answered) → shell, failure, 8000 ms
    t += &codex_call("10", c1, "shell", r#"{"command":["/bin/zsh","-c","npm test"]}"#); // #4 test run
    t += &codex_call("11", c1, "shell", r#"{"command":["pytest","-q"]}"#); // #5 "pytest -q": test run
                                                                           // named shell result: shell's oldest unanswered call is #4 (#1, #2 answered by unnamed results)
    t += &codex_named("12", c1, "shell", "error"); // → #4: failure, 12 − 10 = 2000 ms
    t += &codex_result("15", c1, "completed"); // any-tool queue: #3 and #4 answered → #5: shell, success, 4000 ms
    t += &codex_result("20", c1, "failed"); // no unanswered call left → unknown, failure, no latency
    t += &codex_call("21", c1, "shell", ""); // #6 no arguments: no command, no warning
    t += &codex_call("22", c1, "shell", "not json"); // #7 no command, one `data.tool_params` warning
    t
}

#[test]
fn codex_string_params_and_unnamed_results_pair_first_in_first_out() {
    let data = load(&codex_input());
    let (f, p) = (Filters::default(), Parameters::default());
    let t = compute(&View::new(&data, &f, &p));
    let rows: Vec<(&str, u64, u64, u64, u64)> =
        t.rows.iter().map(|r| (r.tool_name.as_str(), r.calls, r.results, r.failures, r.failure_n)).collect();
    // shell: calls #1 #2 #4 #5 #6 #7 = 6; results 04 (ok), 09 (failed), 12 (error), 15 (ok) = 4, 2 failures
    // read_file: #3, its named result; unknown: c2's result (ok) and c1's at :20 (failed), no call
    assert_eq!(rows, vec![("shell", 6, 4, 2, 4), ("read_file", 1, 1, 0, 1), ("unknown", 0, 2, 1, 2)]);
    let shell = &t.rows[0];
    assert_eq!(shell.failure_rate, Some(0.5));
    // shell latencies [4000, 8000, 2000, 4000] → sorted [2000, 4000, 4000, 8000]:
    // p50: h = 3 × 0.5 = 1.5 → 4000 + 0.5 × (4000 − 4000) = 4000; p95: h = 2.85 → 4000 + 0.85 × 4000 = 7400
    assert_eq!((shell.latency_n, shell.latency_p50_ms), (4, Some(4000.0)));
    assert!((shell.latency_p95_ms.unwrap() - 7400.0).abs() < 1e-9, "{:?}", shell.latency_p95_ms);
    assert_eq!((t.rows[1].latency_n, t.rows[1].latency_p50_ms), (1, Some(3000.0)));
    assert_eq!((t.rows[2].latency_n, t.rows[2].latency_p50_ms, t.rows[2].failure_rate), (0, None, Some(0.5)));
    // test runs: #1 cargo test (unwrapped from bash -lc), #4 npm test (/bin/zsh -c), #5 pytest -q; lint: #2 clippy
    assert_eq!((t.commands.test_runs, t.commands.lint_runs), (3, 1));
    // "not json" is the only tool_params warning ("" is no arguments)
    assert_eq!(data.store.diagnostics.field_warnings.get("data.tool_params"), Some(&1));
    assert_eq!(data.store.diagnostics.field_warnings.len(), 1, "{:?}", data.store.diagnostics.field_warnings);
    // the session's tool_failures counts failed results whatever their tool: :09, :12, :20 = 3,
    // as the rows' failures of c1 (shell 2 + unknown's :20 1); c2's result succeeded
    let s1 = &data.sessions[data.session_of_attempt
        [&data.store.strings.lookup(&format!("{TASK_1}-7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6")).unwrap()]
        as usize];
    assert_eq!((s1.tool_calls, s1.tool_failures), (7, 3));
    // the task comes from the attempt id
    assert_eq!(data.str(s1.task_id), TASK_1);
}

#[test]
fn codex_pairing_in_a_filtered_view() {
    let data = load(&codex_input());
    let p = Parameters::default();
    // only c1 (by its task, taken from its attempt id): the view's latencies are gathered per session
    let f = Filters { task: Some(TASK_1.into()), ..Default::default() };
    let t = compute(&View::new(&data, &f, &p));
    let rows: Vec<(&str, u64, u64, u64, u64, Option<f64>)> = t
        .rows
        .iter()
        .map(|r| (r.tool_name.as_str(), r.calls, r.results, r.failures, r.latency_n, r.latency_p50_ms))
        .collect();
    // as above without c2's unknown result
    assert_eq!(
        rows,
        vec![
            ("shell", 6, 4, 2, 4, Some(4000.0)),
            ("read_file", 1, 1, 0, 1, Some(3000.0)),
            ("unknown", 0, 1, 1, 0, None)
        ]
    );
    assert!((t.rows[0].latency_p95_ms.unwrap() - 7400.0).abs() < 1e-9);
}

#[test]
fn named_results_still_pair_with_their_own_tool() {
    let mut s = String::new();
    // two tools' calls, then a named result of the second tool and an unnamed one
    s += &call("10:00:00", "a1", "shell", "ls");
    s += &call("10:00:01", "a1", "grep", "");
    s += &result("10:00:02", "a1", "grep", Some("success")); // grep's own call: 1000 ms (not shell's)
    s += ev("10:00:05", "a1", "tool_result", r#"{"success":false}"#).as_str(); // unnamed → shell's call, 5000 ms, failure
    s += &result("10:00:06", "a1", "shell", Some("success")); // shell's call is answered: no latency
    let data = load(&s);
    let (f, p) = (Filters::default(), Parameters::default());
    let t = compute(&View::new(&data, &f, &p));
    let rows: Vec<(&str, u64, u64, u64, u64, Option<f64>)> = t
        .rows
        .iter()
        .map(|r| (r.tool_name.as_str(), r.calls, r.results, r.failures, r.latency_n, r.latency_p50_ms))
        .collect();
    assert_eq!(rows, vec![("grep", 1, 1, 0, 1, Some(1000.0)), ("shell", 1, 2, 1, 1, Some(5000.0))]);
}
