//! `git`: figures worked out by hand.
#![allow(clippy::type_complexity)]

use spyglass::pipelines::git::compute;
use spyglass::pipelines::{Filters, Parameters, View};

use crate::support::stream as load;

fn input() -> String {
    [
        r#"{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"g1","task_id":"T1","model":"m1","metrics":{"success":true,"agent_made_commits":0,"diff_files_changed":0,"diff_lines_added":0,"diff_lines_deleted":0}}"#,
        r#"{"timestamp":"2026-02-09T11:00:00Z","attempt_id":"g2","task_id":"T1","model":"m2","metrics":{"success":false,"agent_made_commits":2,"diff_files_changed":2,"diff_lines_added":30,"diff_lines_deleted":10,"diff_summary":"src/a.rs | 40 ++--\n src/b.rs | 7 +","review_passed":true}}"#,
        r#"{"timestamp":"2026-02-09T12:00:00Z","attempt_id":"g3","task_id":"T2","model":"m1","metrics":{"success":false,"diff_lines_added":5,"diff_summary":["src/a.rs"],"review_failed":true}}"#,
        // commits known 0 but lines unknown: not a no-change success
        r#"{"timestamp":"2026-02-09T13:00:00Z","attempt_id":"g4","task_id":"T3","model":"m1","metrics":{"success":true,"agent_made_commits":0}}"#,
        // events only (outcome unknown): files from edit/write tool calls
        r#"{"timestamp":"2026-02-09T14:00:00Z","attempt_id":"g5","task_id":"T4","model":"m1","event_type":"tool_call","data":{"tool_name":"edit_file","tool_params":{"file_path":"src/c.rs"}}}"#,
        r#"{"timestamp":"2026-02-09T14:00:01Z","attempt_id":"g5","task_id":"T4","model":"m1","event_type":"tool_call","data":{"tool_name":"shell","tool_params":{"command":"cat src/d.rs"}}}"#,
        r#"{"timestamp":"2026-02-09T15:00:00Z","attempt_id":"g6","task_id":"T2","model":"m1","event_type":"tool_call","data":{"tool_name":"write_file","tool_params":{"path":"src/a.rs"}}}"#,
    ]
    .join("\n")
}

#[test]
fn rows_scope_hot_files_review() {
    let data = load(&input());
    let (f, p) = (Filters::default(), Parameters::default());
    let g = compute(&View::new(&data, &f, &p));
    let rows: Vec<(&str, Option<bool>, Option<u64>, Option<u64>, Option<u64>, Option<u64>)> = g
        .rows
        .iter()
        .map(|r| {
            (
                r.attempt_id.as_str(),
                r.success,
                r.agent_made_commits,
                r.diff_files_changed,
                r.diff_lines_added,
                r.diff_lines_deleted,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("g1", Some(true), Some(0), Some(0), Some(0), Some(0)),
            ("g2", Some(false), Some(2), Some(2), Some(30), Some(10)),
            ("g3", Some(false), None, None, Some(5), None),
            ("g4", Some(true), Some(0), None, None, None),
        ]
    );
    assert_eq!(g.rows[1].model.as_deref(), Some("m2"));
    assert_eq!(g.rows[1].task_id.as_deref(), Some("T1"));
    assert_eq!((g.no_change_success.count, g.no_change_success.attempt_ids.clone()), (1, vec!["g1".to_string()]));
    // T1: g1 0 + g2 (30 + 10) = 40 over 2 attempts; T2: g3 5 (g6 unknown) over 2 attempts; T3, T4 unknown → left out
    let scope: Vec<(&str, u64, u64, u64, u64)> =
        g.scope.iter().map(|s| (s.task_id.as_str(), s.sessions, s.attempts, s.lines_changed, s.lines_n)).collect();
    assert_eq!(scope, vec![("T1", 2, 2, 40, 2), ("T2", 2, 2, 5, 1)]);
    // src/a.rs: T1 (g1 succeeded → not failed) and T2 (g3 failed, g6 unknown → failed): 1 of 2
    // src/b.rs: T1 → 0 of 1; src/c.rs: T4 (outcome unknown) → null, n 0; shell's file is not an edit
    let hot: Vec<(&str, u64, u64, Option<f64>, u64)> =
        g.hot_files.iter().map(|h| (h.file.as_str(), h.tasks, h.failed_tasks, h.failure_rate, h.failure_n)).collect();
    assert_eq!(
        hot,
        vec![("src/a.rs", 2, 1, Some(0.5), 2), ("src/b.rs", 1, 0, Some(0.0), 1), ("src/c.rs", 1, 0, None, 0)]
    );
    let review: Vec<(&str, u64, u64)> =
        g.review.iter().map(|r| (r.model.as_str(), r.review_passed, r.review_failed)).collect();
    assert_eq!(review, vec![("m1", 0, 1), ("m2", 1, 0)]);
}

#[test]
fn filters_change_task_outcomes() {
    let data = load(&input());
    let p = Parameters::default();
    // only m2: T1 is g2 alone, which failed → src/a.rs 1 of 1
    let m2 = Filters { models: vec!["m2".into()], ..Default::default() };
    let g = compute(&View::new(&data, &m2, &p));
    assert_eq!(g.rows.iter().map(|r| r.attempt_id.as_str()).collect::<Vec<_>>(), vec!["g2"]);
    assert_eq!(g.no_change_success.count, 0);
    let hot: Vec<(&str, u64, Option<f64>)> =
        g.hot_files.iter().map(|h| (h.file.as_str(), h.failed_tasks, h.failure_rate)).collect();
    assert_eq!(hot, vec![("src/a.rs", 1, Some(1.0)), ("src/b.rs", 1, Some(1.0))]);
    let none = Filters { task: Some("nope".into()), ..Default::default() };
    let g = compute(&View::new(&data, &none, &p));
    assert!(g.rows.is_empty() && g.scope.is_empty() && g.hot_files.is_empty() && g.review.is_empty());
    assert_eq!(g.no_change_success.count, 0);
}

#[test]
fn single_session_without_git_facts() {
    let data = load(r#"{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"x","metrics":{"success":true}}"#);
    let (f, p) = (Filters::default(), Parameters::default());
    let g = compute(&View::new(&data, &f, &p));
    assert!(g.rows.is_empty() && g.scope.is_empty() && g.hot_files.is_empty() && g.review.is_empty());
}

// ---------------------------------------------------------------------------------------------
// bosun's own diff_summary layout (its real writer), beside git's --stat text

const T1: &str = "0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4b";
const T2: &str = "5e0c2d7a-aaaa-4bbb-8ccc-0123456789ab";

fn bosun_rows() -> String {
    // b1: five files, one path with spaces in a directory, one with a space in its name, one binary;
    // header totals +62 -13 = (30 + 12 + 10 + 10) and (5 + 0 + 6 + 2)
    let b1 = "5 file(s) changed, +62 -13\n  src/auth/login.rs         +30     -5\n  docs/release notes.md     +12     -0\n  src/routes.rs             +10     -6\n  tests/login test.rs       +10     -2\n  assets/logo.png        (binary)";
    let row = |attempt: String,
               task: &str,
               success: bool,
               commits: bool,
               files: u64,
               added: u64,
               deleted: u64,
               summary: &str| {
        let task = if task.is_empty() { String::new() } else { format!(",\"task_id\":\"{task}\"") };
        let summary = serde_json::to_string(summary).unwrap();
        format!("{{\"timestamp\":\"2026-02-09T10:00:00Z\",\"attempt_id\":\"{attempt}\"{task},\"executor\":\"codex\",\"model\":\"gpt-5-codex\",\"metrics\":{{\"success\":{success},\"agent_made_commits\":{commits},\"diff_summary\":{summary},\"diff_files_changed\":{files},\"diff_lines_added\":{added},\"diff_lines_deleted\":{deleted}}}}}\n")
    };
    let mut t = String::new();
    // the task ids come from the attempt ids (no task_id on the lines)
    t += &row(format!("{T1}-7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"), "", false, true, 5, 62, 13, b1);
    t += &row(
        format!("{T2}-11111111-2222-4333-8444-555555555555"),
        "",
        true,
        false,
        0,
        0,
        0,
        "(no diff stats available)",
    );
    // git's --stat text still reads (its summary line last, not a file)
    t += &row(
        "ve-a1b2c3-fix".into(),
        "a1b2c3",
        true,
        true,
        2,
        3,
        3,
        " src/auth/login.rs | 4 ++--\n src/db.rs | 2 +-\n 2 files changed, 3 insertions(+), 3 deletions(-)",
    );
    t
}

#[test]
fn bosun_diff_layout_gives_the_files() {
    let data = load(&bosun_rows());
    let (f, p) = (Filters::default(), Parameters::default());
    let g = compute(&View::new(&data, &f, &p));
    // rows by attempt id ("0b6f…" < "5e0c…" < "ve-…"); agent_made_commits true/false → 1/0
    let rows: Vec<(Option<&str>, Option<u64>, Option<u64>, Option<u64>, Option<u64>)> = g
        .rows
        .iter()
        .map(|r| {
            (r.task_id.as_deref(), r.agent_made_commits, r.diff_files_changed, r.diff_lines_added, r.diff_lines_deleted)
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some(T1), Some(1), Some(5), Some(62), Some(13)),
            (Some(T2), Some(0), Some(0), Some(0), Some(0)),
            (Some("a1b2c3"), Some(1), Some(2), Some(3), Some(3))
        ]
    );
    // the T2 session succeeded with no commit and 0 + 0 lines
    assert_eq!(g.no_change_success.attempt_ids, vec![format!("{T2}-11111111-2222-4333-8444-555555555555")]);
    // src/auth/login.rs: T1 (failed) and a1b2c3 (succeeded) → 2 tasks, 1 failed of 2 known;
    // T1's other four files → 1 task, failed; src/db.rs (a1b2c3) → 0 of 1; "(no diff stats available)" names none.
    // Ties on tasks by path: assets/… < docs/… < src/db.rs < src/routes.rs < tests/…
    let hot: Vec<(&str, u64, u64, Option<f64>, u64)> =
        g.hot_files.iter().map(|h| (h.file.as_str(), h.tasks, h.failed_tasks, h.failure_rate, h.failure_n)).collect();
    assert_eq!(
        hot,
        vec![
            ("src/auth/login.rs", 2, 1, Some(0.5), 2),
            ("assets/logo.png", 1, 1, Some(1.0), 1),
            ("docs/release notes.md", 1, 1, Some(1.0), 1),
            ("src/db.rs", 1, 0, Some(0.0), 1),
            ("src/routes.rs", 1, 1, Some(1.0), 1),
            ("tests/login test.rs", 1, 1, Some(1.0), 1),
        ]
    );
    // the files are read without a field warning
    assert!(data.store.diagnostics.field_warnings.is_empty(), "{:?}", data.store.diagnostics.field_warnings);
}
