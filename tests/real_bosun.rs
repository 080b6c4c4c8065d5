//! Revision 2 of the spec on a folder written the way bosun's REAL writer writes
//! (`tests/fixtures/real_bosun/`, bosun-telemetry-format.md "What bosun's own writer writes"):
//! every figure the revision-2 rules touch, against values worked out by hand in the comments.
//!
//! The folder (all times 2026-03-02 UTC; event times carry 7 fraction digits `.1234567`, read as
//! `.123`; metrics rows `.0000000`; alerts `.5120000`). Task and attempt ids are bosun's:
//! attempt_id = `<task UUID>-<attempt UUID>`.
//!
//! | session | task | executor / model | outcome | what it carries |
//! | --- | --- | --- | --- | --- |
//! | S1 `T1-0d1e…` | T1 Fix login redirect | codex / gpt-5-codex | failed | 2 shell calls (string tool_params, argv commands `cargo test`, `cargo clippy -- -D warnings`), 2 unnamed results (failed 4 s, completed 2 s), errors test_failure + auth_error, usage 10 000 in (4 000 cached) / 2 000 out, rollups cost 0, anomaly action object; tool lines without task_id |
//! | S2 `T1-1a2b…` | T1 | codex / gpt-5-codex | success | 2 calls then 2 results (FIFO: 6 s, 5 s), a 6 min 13 s gap (stuck_agent), usage 20 000 in (10 000 cached) / 3 000 out, cost 0, attempts 2, commits `false` beside a diff |
//! | S3 `T2-2b3c…` | T2 Add CSV export | copilot / gpt-4.1 | success | object tool_params: `bash` `npm test`, `edit` of src/export/index.ts, no results; 2 usage events 3 000+2 000 / 600+400, cost 0.06+0.04; rollups cost 0.1 |
//! | S4 `T2-3c4d…` | T2 | copilot / gpt-4.1 | failed | `bash` `npm run build`; errors `unknown` "Waiting for approval: please confirm…" + token_overflow; cost 1.1; `(no diff stats available)` |
//! | S5 `T3-4d5e…` | T3 Upgrade serde stack | claude / claude-sonnet-4-20250514 | failed | no tool events; errors build_failure + push_failure; permission_denied 2 (no permission error); usage 1 000 in, 20 000 cache read, 5 000 cache write, 800 out, no cost; counters as numeric strings |
//! | S6 `T3-5e6f…` | T3 | claude / claude-sonnet-4-20250514 | failed | 4 × `unknown` "stream disconnected before completion; reconnecting i/5" (one fingerprint) + rate_limit; usage 2 000 in, 10 000 cache read, 0 cache write, 400 out; NO metrics row; its transcript is `agent-sessions/<A6>.jsonl` |
//! | S7 `T4-6f70…` | T4 Lint the parser | codex / gpt-5-codex | failed | no task_id on any line (nor on its metrics row); `npx eslint src` failed (3 s); errors lint_failure + `unknown` "remote: 403 Forbidden - not authorized to push to origin"; usage under `data.usage` 8 000 in (2 000 cached) / 1 000 out; counters as strings |
//!
//! plus one `skill_invoke` without attempt_id, 13 error lines copied byte for byte into
//! `agent-errors.jsonl`, and 4 alerts (`stuck_agent` S2, `cost_anomaly` S4, `error_loop` S6 with
//! occurrences 4, `failed_session_transient_errors` S6) with `_cooldown_key`.
//!
//! The fixture was written by a small script (not kept) and then checked line by line; if you edit
//! it, keep `agent-errors.jsonl` and the transcript byte-identical copies of their stream lines
//! (`the_fixture_is_what_bosun_writes` checks it).

use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::{CostSource, Filters, Parameters, View};
use spyglass::report::Report;
use std::path::{Path, PathBuf};

const T1: &str = "3f2b8c1a-6d4e-4a5b-9c7d-1e2f3a4b5c61";
const T2: &str = "7a9d0e12-4b3c-4f8e-a1b2-c3d4e5f60718";
const T3: &str = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";
const T4: &str = "9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0";

/// The attempt ids, S1..S7.
fn attempt(n: usize) -> String {
    let (task, tail) = match n {
        1 => (T1, "0d1e2f30-4152-4637-8a9b-0c1d2e3f4051"),
        2 => (T1, "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9"),
        3 => (T2, "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f90a"),
        4 => (T2, "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b"),
        5 => (T3, "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b2c"),
        6 => (T3, "5e6f7081-92a3-44b5-c6d7-e8f90a1b2c3d"),
        7 => (T4, "6f708192-a3b4-45c6-d7e8-f90a1b2c3d4e"),
        _ => unreachable!(),
    };
    format!("{task}-{tail}")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real_bosun")
}

use crate::support::files;
use files::files_of;

fn dataset() -> Dataset {
    let files = files_of(&fixture());
    Dataset::from_files(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
}

fn report_with(data: &Dataset, params: &Parameters) -> Report {
    Report::compute(data, &Filters::default(), params)
}

fn report() -> (Dataset, Report) {
    let data = dataset();
    let r = report_with(&data, &Parameters::default());
    (data, r)
}

#[track_caller]
fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("null, expected {b}"));
    assert!((a - b).abs() < 1e-9, "{a} vs {b}");
}

fn lines_of(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect()
}

#[test]
fn the_fixture_is_what_bosun_writes() {
    let files = files_of(&fixture());
    let get = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice()).unwrap();
    let stream = lines_of(get("agent-work-stream.jsonl"));
    // the errors file: the stream's error lines, byte for byte, in stream order
    let marker: &[u8] = br#""event_type":"error","#;
    let error_lines: Vec<&[u8]> =
        stream.iter().copied().filter(|l| l.windows(marker.len()).any(|w| w == marker)).collect();
    assert_eq!(error_lines.len(), 13);
    assert_eq!(lines_of(get("agent-errors.jsonl")), error_lines);
    // the transcript of S6: its 8 stream lines, byte for byte
    let a6 = attempt(6);
    let s6: Vec<&[u8]> = stream.iter().copied().filter(|l| l.windows(a6.len()).any(|w| w == a6.as_bytes())).collect();
    assert_eq!(s6.len(), 8);
    assert_eq!(lines_of(get(&format!("agent-sessions/{a6}.jsonl"))), s6);
    // lower-case executors, executor_variant = model, 7 fraction digits
    let text = String::from_utf8(get("agent-work-stream.jsonl").to_vec()).unwrap();
    assert!(
        !text.contains("\"CODEX\"")
            && text.contains(r#""executor":"codex","executor_variant":"gpt-5-codex","model":"gpt-5-codex""#)
    );
    assert!(text.contains(r#""timestamp":"2026-03-02T09:00:00.1234567Z""#));
    // Codex: tool_params as a JSON string holding an argv command
    assert!(text.contains(r#""tool_params":"{\"command\":[\"bash\",\"-lc\",\"cargo test\"]"#));
}

#[test]
fn summary_counts_costs_and_tokens() {
    let (_, r) = report();
    let s = &r.summary;
    // files: alerts, errors, metrics, agent-sessions/<A6>, stream
    assert_eq!(s.files, 5);
    // lines: stream 49 (S1 9, S2 7, S3 6, S4 6, S5 5, S6 8, S7 7, skill_invoke 1) + errors 13
    // + metrics 6 + alerts 4 + transcript 8
    assert_eq!(s.lines, 80);
    assert_eq!(s.events, 49);
    // the 13 error copies and the 8 transcript lines
    assert_eq!(s.duplicate_lines, 21);
    // S1, S2, S3, S4, S5, S7 (S6 has none); none superseded
    assert_eq!((s.metrics_rows, s.superseded_rows), (6, 0));
    assert_eq!(s.alerts, 4);
    assert_eq!((s.sessions, s.tasks), (7, 4));
    // numeric strings, 7-digit fractions, string tool_params, anomaly objects: all read cleanly
    assert_eq!((s.skipped_lines, s.field_warnings), (0, 0));
    // earliest: S1's session_start 09:00:00.1234567 (truncated); latest: S7's metrics row
    assert_eq!(s.first_timestamp.as_deref(), Some("2026-03-02T09:00:00.123Z"));
    assert_eq!(s.last_timestamp.as_deref(), Some("2026-03-02T10:01:41.000Z"));
    // success: S2, S3 of 7
    assert_eq!((s.success_rate, s.success_n), (Some(2.0 / 7.0), 7));
    // first_shot_success only in metrics rows: S3 true; S1, S2 (attempts 2), S4, S5, S7 false
    assert_eq!((s.first_shot_rate, s.first_shot_n), (Some(1.0 / 6.0), 6));
    // Recorded cost: only Copilot records one. S3 0.1 + S4 1.1 summed in nano-dollars:
    // 100 000 000 + 1 100 000 000 = 1 200 000 000 → exactly 1.2 (the f64 sum 0.1 + 1.1 is
    // 1.2000000000000002). Every rollup of S1, S2, S5, S6, S7 says cost 0 beside tokens, and their
    // usage events carry no cost: unknown, not 0.
    assert_eq!(0.1_f64 + 1.1, 1.2000000000000002);
    assert_eq!((s.total_cost_usd, s.cost_n), (Some(1.2), 2));
    // Estimated (default price table, USD per million tokens → micro-dollars per token count):
    //   S1 gpt-5*  in 10 000 − 4 000 cached = 6 000 × 1.25 = 7 500; 4 000 × 0.125 = 500; out 2 000 × 10 = 20 000 → 28 000
    //   S2 gpt-5*  10 000 × 1.25 = 12 500; 10 000 × 0.125 = 1 250; 3 000 × 10 = 30 000            → 43 750
    //   S7 gpt-5*  6 000 × 1.25 = 7 500; 2 000 × 0.125 = 250; 1 000 × 10 = 10 000                  → 17 750
    //   S5 claude-sonnet-4*  1 000 × 3 = 3 000; read 20 000 × 0.30 = 6 000; write 5 000 × 3.75 = 18 750; 800 × 15 = 12 000 → 39 750
    //   S6 claude-sonnet-4*  2 000 × 3 = 6 000; read 10 000 × 0.30 = 3 000; write 0; 400 × 15 = 6 000  → 15 000
    //   sum 144 250 µ$ = $0.14425 over 5 sessions (left out of total_cost_usd by default)
    assert_eq!((s.estimated_cost_usd, s.estimated_cost_n), (Some(0.14425), 5));
    // total_tokens from the rollups: 12 000 + 23 000 + 6 000 + 3 500 + 26 800 + 12 400 (S6's
    // session_end) + 9 000 = 92 700
    assert_eq!(s.total_tokens, Some(92_700));
    // the breakdown from the usage events (the rollups drop cache tokens):
    //   input: 6 000 + 10 000 + 5 000 + 3 000 + 1 000 + 2 000 + 6 000 = 33 000
    //   cached input (Codex): 4 000 + 10 000 + 2 000 = 16 000
    //   cache read (Claude): 20 000 + 10 000 = 30 000; cache creation: 5 000 + 0 = 5 000
    //   output: 2 000 + 3 000 + 1 000 + 500 + 800 + 400 + 1 000 = 8 700
    assert_eq!(s.input_tokens, Some(33_000));
    assert_eq!(s.cached_input_tokens, Some(16_000));
    assert_eq!(s.cache_read_tokens, Some(30_000));
    assert_eq!(s.cache_creation_tokens, Some(5_000));
    assert_eq!(s.output_tokens, Some(8_700));
    // S1 2 + S4 2 + S5 2 + S6 5 + S7 2
    assert_eq!(s.error_events, 13);
    assert_eq!(r.diagnostics.events_without_attempt, 1, "the skill_invoke");
}

#[test]
fn sessions_take_their_task_from_the_attempt_id_and_their_cost_source() {
    let data = dataset();
    let params = Parameters::default();
    let filters = Filters::default();
    let view = View::new(&data, &filters, &params);
    let index = |n: usize| data.session_of_attempt[&data.store.strings.lookup(&attempt(n)).unwrap()];
    let task = |n: usize| data.str(data.sessions[index(n) as usize].task_id).to_string();
    // every session's task is the UUID its attempt id starts with; S7 has no task_id anywhere
    for (n, t) in [(1, T1), (2, T1), (3, T2), (4, T2), (5, T3), (6, T3), (7, T4)] {
        assert_eq!(task(n), t, "S{n}");
    }
    // S1's tool lines (no task_id) are still S1's: its 9 events, its 2 calls
    let s1 = &data.sessions[index(1) as usize];
    assert_eq!((s1.events.len(), s1.tool_calls, s1.tool_failures), (9, 2, 1));
    assert_eq!(data.str(s1.executor), "CODEX");
    // anomaly_actions objects: their `action`
    assert_eq!(s1.anomaly_actions.iter().map(|&a| data.str(a)).collect::<Vec<_>>(), ["warn"]);
    // S5: counters as numeric strings; permission_denied "2"
    let s5 = &data.sessions[index(5) as usize];
    assert_eq!((s5.permission_denied, s5.attempts, s5.diff_lines_added), (Some(2), 1, Some(10)));
    // S6 (no metrics row): success from session_end, attempts from its one session_start
    let s6 = &data.sessions[index(6) as usize];
    assert_eq!((s6.metrics_row, s6.success, s6.attempts, s6.errors), (None, Some(false), 1, 5));
    // cost sources: Copilot records; the others are estimated from their tokens
    let sources: Vec<CostSource> = (1..=7).map(|n| view.cost_source(index(n))).collect();
    use CostSource::*;
    assert_eq!(sources, [Estimated, Estimated, Recorded, Recorded, Estimated, Estimated, Estimated]);
    // the estimates in nano-dollars (µ$ above × 1 000)
    let est: Vec<Option<i64>> = (1..=7).map(|n| view.estimated(index(n))).collect();
    assert_eq!(
        est,
        [Some(28_000_000), Some(43_750_000), None, None, Some(39_750_000), Some(15_000_000), Some(17_750_000)]
    );
    // S7's tokens came from `data.usage` of its usage event: 8 000 in of which 2 000 cached
    let t7 = data.sessions[index(7) as usize].tokens;
    assert_eq!((t7.input, t7.cached_input, t7.output, t7.cache_read), (Some(6_000), Some(2_000), Some(1_000), None));
}

#[test]
fn guardrails_count_inferred_waits_auth_and_denied_permissions() {
    let (_, r) = report();
    let g = &r.guardrails;
    // failed: S1, S4, S5, S6, S7
    assert_eq!(g.failed_sessions, 5);
    let totals: Vec<(&str, u64, Option<f64>, u64, u64)> =
        g.totals.iter().map(|t| (t.category, t.failed_sessions, t.share, t.share_n, t.error_events)).collect();
    assert_eq!(
        totals,
        [
            // S4 (its `unknown` "Waiting for approval…" inferred: 1 event) and S5 (permission_denied 2, no event): 2 of 5
            ("permission_wait", 2, Some(0.4), 5, 1),
            // S1 (auth_error → auth) and S7 (`unknown` "403 Forbidden … not authorized" inferred): 2 of 5, 2 events
            ("auth", 2, Some(0.4), 5, 2),
            ("content_policy", 0, Some(0.0), 5, 0),
        ]
    );
    let rows: Vec<(&str, &str, &str, u64, Option<f64>, u64, u64)> = g
        .rows
        .iter()
        .map(|x| {
            (x.category, x.executor.as_str(), x.model.as_str(), x.failed_sessions, x.share, x.share_n, x.error_events)
        })
        .collect();
    assert_eq!(
        rows,
        [
            // failed CLAUDE sessions: S5, S6; S5 counts (denied) → 1/2, no event
            ("permission_wait", "CLAUDE", "claude-sonnet-4-20250514", 1, Some(0.5), 2, 0),
            // failed COPILOT sessions: S4 → 1/1
            ("permission_wait", "COPILOT", "gpt-4.1", 1, Some(1.0), 1, 1),
            // failed CODEX sessions: S1, S7 → 2/2
            ("auth", "CODEX", "gpt-5-codex", 2, Some(1.0), 2, 2),
        ]
    );
}

#[test]
fn task_risk_reasons_use_canonical_categories() {
    let (_, r) = report();
    let rows = &r.task_risk.rows;
    let ids: Vec<&str> = rows.iter().map(|x| x.task_id.as_str()).collect();
    // risk = (attempts − 1) + tool_failures / 5 + 2 × |repeated| + 3 if not completed
    //   T3: S5 1 + S6 1 = 2 attempts; 0 failures; network ×4 repeated (≥ 3); not completed → 1 + 0 + 2 + 3 = 6
    //   T4: 1 attempt; tool_failures "1" (S7's row) → 0.2; nothing repeated; not completed → 3.2
    //   T1: S1 1 + S2 2 = 3 attempts; tool_failures 1 + 0 → 0.2; completed (S2) → 2.2
    //   T2: 2 attempts; 0; completed (S3) → 1
    assert_eq!(ids, [T3, T4, T1, T2]);
    let risks: Vec<f64> = rows.iter().map(|x| x.risk).collect();
    for (got, want) in risks.iter().zip([6.0, 3.2, 2.2, 1.0]) {
        close(Some(*got), want);
    }
    let reasons = |i: usize| rows[i].reasons.iter().map(|x| (x.code, x.count)).collect::<Vec<_>>();
    // T3: build_failure → build; push_failure → git, network and rate_limit give no reason
    assert_eq!(reasons(0), [("build", 1)]);
    // T4: the inferred auth (lint has no reason)
    assert_eq!(reasons(1), [("auth", 1)]);
    // T1: auth_error → auth, test_failure → test (in the spec's order: auth before test)
    assert_eq!(reasons(2), [("auth", 1), ("test", 1)]);
    // T2: token_overflow → context_window (permission_wait has no reason)
    assert_eq!(reasons(3), [("context_window", 1)]);
    let cats = |i: usize| {
        rows[i].error_categories.iter().map(|c| (c.category.to_string(), c.count, c.sessions)).collect::<Vec<_>>()
    };
    let owned = |v: &[(&str, u64, u64)]| v.iter().map(|&(c, n, m)| (c.to_string(), n, m)).collect::<Vec<_>>();
    assert_eq!(cats(0), owned(&[("build", 1, 1), ("git", 1, 1), ("network", 4, 1), ("rate_limit", 1, 1)]));
    assert_eq!(cats(3), owned(&[("context_window", 1, 1), ("permission_wait", 1, 1)]));
    assert_eq!(rows[0].repeated_categories.iter().map(|n| n.as_str()).collect::<Vec<_>>(), ["network"]);
    assert_eq!(rows[2].executors.iter().map(|n| n.as_str()).collect::<Vec<_>>(), ["CODEX"]);
    assert_eq!(rows[1].task_title.as_deref(), Some("Lint the parser"));
}

#[test]
fn provider_heatmap_cells_by_canonical_category() {
    let (_, r) = report();
    let h = &r.provider_heatmap;
    let cells: Vec<(&str, &str, u64)> =
        h.cells.iter().map(|c| (c.executor.as_str(), c.error_category.as_str(), c.count)).collect();
    // rows by errors: CLAUDE 7 (S5 2 + S6 5), CODEX 4 (S1 2 + S7 2), COPILOT 2 (S4);
    // columns by errors: network 4, auth 2, then the ones by name
    assert_eq!(
        cells,
        [
            ("CLAUDE", "network", 4),
            ("CLAUDE", "build", 1),
            ("CLAUDE", "git", 1),
            ("CLAUDE", "rate_limit", 1),
            ("CODEX", "auth", 2),
            ("CODEX", "lint", 1),
            ("CODEX", "test", 1),
            ("COPILOT", "context_window", 1),
            ("COPILOT", "permission_wait", 1),
        ]
    );
    // per 100 sessions: CLAUDE has 2 sessions (network 4 → 200), CODEX 3 (auth 2 → 66.67)
    assert_eq!(h.cells[0].per_100_sessions, Some(200.0));
    close(h.cells[4].per_100_sessions, 200.0 / 3.0);
    let cols: Vec<(&str, u64)> = h.categories.iter().map(|c| (c.error_category.as_str(), c.errors)).collect();
    assert_eq!(cols[..2], [("network", 4), ("auth", 2)]);
    assert_eq!(cols.len(), 9);
    // the one rate_limit hour (CLAUDE, 09:00) is no spike (count 1 < 3)
    assert!(h.spikes.is_empty());
    assert_eq!(h.hourly.len(), 1);
    assert_eq!((h.hourly[0].executor.as_str(), h.hourly[0].error_category.as_str()), ("CLAUDE", "rate_limit"));
}

#[test]
fn inferred_categories_and_error_clusters_keep_the_recorded_names() {
    let (_, r) = report();
    // inferred: S4's wait (1), S6's 4 "stream disconnected" (→ network), S7's 403 (→ auth) = 6;
    // no other error was written `unknown` or without a category
    assert_eq!(r.diagnostics.inferred_categories, 6);
    let rows = &r.error_clusters.rows;
    // 10 fingerprints: the stream one ×4, then nine × 1 by fingerprint (byte order: upper case first)
    let fps: Vec<(&str, u64)> = rows.iter().map(|x| (x.fingerprint.as_str(), x.count)).collect();
    assert_eq!(
        fps,
        [
            ("stream disconnected before completion; reconnecting N/N", 4),
            ("Error: N Unauthorized - invalid credentials for registry crates.example", 1),
            ("Waiting for approval: please confirm the command `rm -rf dist`", 1),
            ("cargo test failed: N of N tests failed", 1),
            ("error[EN]: failed to resolve: use of undeclared crate `serde_yaml`", 1),
            ("eslint found N problems (N errors, N warnings)", 1),
            ("git push rejected: non-fast-forward (N commits behind)", 1),
            ("prompt token count of N exceeds the limit of N", 1),
            ("rate limit exceeded: N input tokens per minute", 1),
            ("remote: N Forbidden - not authorized to push to origin", 1),
        ]
    );
    let cats = |fp: &str| {
        let x = rows.iter().find(|x| x.fingerprint == fp).unwrap();
        (x.recorded_categories.clone(), x.categories.clone())
    };
    let v = |a: &str, b: &str| (vec![a.to_string()], vec![b.to_string()]);
    // recorded (as written) vs canonical (aliased, or inferred from `unknown`)
    assert_eq!(cats("stream disconnected before completion; reconnecting N/N"), v("unknown", "network"));
    assert_eq!(cats("Waiting for approval: please confirm the command `rm -rf dist`"), v("unknown", "permission_wait"));
    assert_eq!(cats("remote: N Forbidden - not authorized to push to origin"), v("unknown", "auth"));
    assert_eq!(
        cats("Error: N Unauthorized - invalid credentials for registry crates.example"),
        v("auth_error", "auth")
    );
    assert_eq!(cats("prompt token count of N exceeds the limit of N"), v("token_overflow", "context_window"));
    assert_eq!(cats("cargo test failed: N of N tests failed"), v("test_failure", "test"));
    assert_eq!(cats("error[EN]: failed to resolve: use of undeclared crate `serde_yaml`"), v("build_failure", "build"));
    assert_eq!(cats("git push rejected: non-fast-forward (N commits behind)"), v("push_failure", "git"));
    assert_eq!(cats("eslint found N problems (N errors, N warnings)"), v("lint_failure", "lint"));
    assert_eq!(cats("rate limit exceeded: N input tokens per minute"), v("rate_limit", "rate_limit"));
    // the cluster of 4: one task (T3), one attempt (S6), 09:50:30.123 to 09:52:00.123, the first message
    let s = &rows[0];
    assert_eq!((s.tasks, s.attempts), (1, 1));
    assert_eq!(s.first_seen.as_deref(), Some("2026-03-02T09:50:30.123Z"));
    assert_eq!(s.last_seen.as_deref(), Some("2026-03-02T09:52:00.123Z"));
    assert_eq!(s.sample_message.as_deref(), Some("stream disconnected before completion; reconnecting 1/5"));
}

#[test]
fn tools_pair_unnamed_results_and_read_argv_commands() {
    let (_, r) = report();
    let t = &r.tools;
    let rows: Vec<(&str, u64, u64, u64, Option<f64>, u64)> = t
        .rows
        .iter()
        .map(|x| (x.tool_name.as_str(), x.calls, x.results, x.failures, x.failure_rate, x.failure_n))
        .collect();
    assert_eq!(
        rows,
        [
            // Codex shell: S1 2 + S2 2 + S7 1 calls; every unnamed result answers the oldest open
            // call (all shell); failed: S1's cargo test, S7's eslint → 2 of 5
            ("shell", 5, 5, 2, Some(0.4), 5),
            // Copilot: calls only (the writer drops its results)
            ("bash", 2, 0, 0, None, 0),
            ("edit", 1, 0, 0, None, 0),
        ]
    );
    // latencies (FIFO): S1 09:00:05→09 4 000, 09:00:20→22 2 000; S2 :10→:16 6 000, :12→:17 5 000;
    // S7 10:00:10→13 3 000. Sorted 2 000, 3 000, 4 000, 5 000, 6 000: p50 = 4 000;
    // p95 at rank 0.95 × 4 = 3.8 → 5 000 + 0.8 × 1 000 = 5 800
    let shell = &t.rows[0];
    assert_eq!((shell.latency_n, shell.latency_p50_ms), (5, Some(4_000.0)));
    close(shell.latency_p95_ms, 5_800.0);
    assert_eq!((t.rows[1].latency_p50_ms, t.rows[1].latency_n), (None, 0));
    // tests: `cargo test` (S1, argv unwrapped), `cargo test --all` (S2), `npm test` (S3) = 3;
    // lint: `cargo clippy -- -D warnings` (S1), `npx eslint src` (S7) = 2;
    // `git status --short` and `npm run build` are neither
    assert_eq!((t.commands.test_runs, t.commands.lint_runs), (3, 2));
    // metrics.commands: S1 2 + S2 2 + S3 1 + S4 1 + S5 "0" + S7 "1" = 7; failures 1 + "1" = 2
    assert_eq!((t.commands.commands, t.commands.command_failures, t.commands.commands_n), (Some(7), Some(2), 6));
}

#[test]
fn git_hot_files_from_bosuns_diff_layout() {
    let (_, r) = report();
    let hot: Vec<(&str, u64, u64, u64)> =
        r.git.hot_files.iter().map(|f| (f.file.as_str(), f.tasks, f.failed_tasks, f.failure_n)).collect();
    // files per task (diff_summary in bosun's layout, plus S3's `edit` of src/export/index.ts;
    // S4's "(no diff stats available)" names none; S6 has no row):
    //   T1 (completed): src/auth/login.rs, src/auth/session.rs (S1), src/auth/login.rs, src/routes.rs, tests/login_test.rs (S2)
    //   T2 (completed): src/export/csv.ts, src/routes.rs (S3), src/export/index.ts (S3's edit call)
    //   T3 (failed):    Cargo.toml, Cargo.lock, "src/my module/lib.rs" (a path with a space)
    //   T4 (failed):    src/parser.rs, src/routes.rs
    // src/routes.rs: 3 tasks, 1 failed (T4); every other file 1 task; ties by path (byte order)
    assert_eq!(
        hot,
        [
            ("src/routes.rs", 3, 1, 3),
            ("Cargo.lock", 1, 1, 1),
            ("Cargo.toml", 1, 1, 1),
            ("src/auth/login.rs", 1, 0, 1),
            ("src/auth/session.rs", 1, 0, 1),
            ("src/export/csv.ts", 1, 0, 1),
            ("src/export/index.ts", 1, 0, 1),
            ("src/my module/lib.rs", 1, 1, 1),
            ("src/parser.rs", 1, 1, 1),
            ("tests/login_test.rs", 1, 0, 1),
        ]
    );
    close(r.git.hot_files[0].failure_rate, 1.0 / 3.0);
    // one git row per session with a row (S6 has none), by attempt id = by task then attempt
    let rows: Vec<(String, Option<u64>, Option<u64>)> =
        r.git.rows.iter().map(|x| (x.attempt_id.to_string(), x.agent_made_commits, x.diff_files_changed)).collect();
    let mut want: Vec<(String, Option<u64>, Option<u64>)> = vec![
        (attempt(1), Some(1), Some(2)),
        // commits `false` beside a 3-file diff (bosun computes it before an auto-resume)
        (attempt(2), Some(0), Some(3)),
        (attempt(3), Some(1), Some(2)),
        (attempt(4), Some(0), Some(0)),
        (attempt(5), Some(1), Some(3)),
        (attempt(7), Some(0), Some(2)),
    ];
    want.sort();
    assert_eq!(rows, want);
    // S2 succeeded without a commit but changed 46 lines: not a no-change success; S4 failed
    assert_eq!(r.git.no_change_success.count, 0);
}

#[test]
fn costs_runaway_and_per_model() {
    let (_, r) = report();
    let c = &r.costs;
    // recorded costs 0.1 and 1.1; the 99th percentile: 0.1 + 0.99 × 1.0 = 1.09; 1.1 > 1.09 and > 1.0
    close(c.runaway_percentile_usd, 1.09);
    let run: Vec<(&str, f64, CostSource)> =
        c.runaway.iter().map(|x| (x.attempt_id.as_str(), x.cost_usd, x.cost_source)).collect();
    assert_eq!(run, [(attempt(4).as_str(), 1.1, CostSource::Recorded)]);
    assert_eq!(c.runaway[0].task_id.as_deref(), Some(T2));
    let pm: Vec<(&str, Option<f64>, u64, Option<f64>, u64, Option<f64>)> = c
        .per_model
        .iter()
        .map(|m| (m.model.as_str(), m.cost_usd, m.cost_n, m.estimated_cost_usd, m.estimated_n, m.cost_per_success))
        .collect();
    assert_eq!(
        pm,
        [
            // S5 39 750 + S6 15 000 µ$ estimated
            ("claude-sonnet-4-20250514", None, 0, Some(0.05475), 2, None),
            // 0.1 + 1.1 recorded; one success (S3)
            ("gpt-4.1", Some(1.2), 2, None, 0, Some(1.2)),
            // S1 28 000 + S2 43 750 + S7 17 750 = 89 500 µ$ estimated
            ("gpt-5-codex", None, 0, Some(0.0895), 3, None),
        ]
    );
    // Claude's cache tokens per model: read 30 000, write 5 000
    assert_eq!((c.per_model[0].cache_read_tokens, c.per_model[0].cache_creation_tokens), (Some(30_000), Some(5_000)));
    // one day, all three models
    assert_eq!(c.days.len(), 1);
    assert_eq!((c.days[0].day.as_str(), c.days[0].cost_usd, c.days[0].sessions), ("2026-03-02", Some(1.2), 7));
}

#[test]
fn alerts_recorded_and_recomputed_agree_per_type() {
    let (_, r) = report();
    let a = &r.alerts;
    let cmp: Vec<(&str, u64, u64)> =
        a.comparison.iter().map(|c| (c.alert_type.as_str(), c.recorded, c.recomputed)).collect();
    assert_eq!(
        cmp,
        [
            // S6: 4 × one fingerprint within 1 min 30 s (≥ 4 within 10 min)
            ("error_loop", 1, 1),
            ("tool_loop", 0, 0),
            // S2's one `retry` start is 1 < 3
            ("excessive_restarts", 0, 0),
            // S4's session_end cost 1.1 > 1.0
            ("cost_anomaly", 1, 1),
            // S1, S4, S5, S7 failed with < 4 errors; S6's 5 are all transient
            ("failed_session_high_errors", 0, 0),
            // S2: 09:10:17 → 09:16:30 is 6 min 13 s ≥ 5 min
            ("stuck_agent", 1, 1),
            // S6: "stream disconnected … reconnecting" and "rate limit exceeded" both transient
            ("failed_session_transient_errors", 1, 1),
        ]
    );
    let rec: Vec<(&str, &str, &str)> =
        a.recomputed.iter().map(|x| (x.time.as_str(), x.alert_type.as_str(), x.attempt_id.as_str())).collect();
    let (a2, a4, a6) = (attempt(2), attempt(4), attempt(6));
    assert_eq!(
        rec,
        [
            // stamped at the earlier event + 5 min: 09:10:17.123 + 5 min
            ("2026-03-02T09:15:17.123Z", "stuck_agent", a2.as_str()),
            ("2026-03-02T09:31:20.123Z", "cost_anomaly", a4.as_str()),
            ("2026-03-02T09:52:00.123Z", "error_loop", a6.as_str()),
            ("2026-03-02T09:53:10.123Z", "failed_session_transient_errors", a6.as_str()),
        ]
    );
    // recorded rows keep `_cooldown_key` and `occurrences`; the stuck alert has no task_id: its
    // task comes from its attempt id
    let stuck = a.recorded.iter().find(|x| x.alert_type == "stuck_agent").unwrap();
    assert_eq!(stuck.task_id.as_deref(), Some(T1));
    assert_eq!(stuck.cooldown_key.as_deref(), Some(format!("stuck_agent:{T1}").as_str()));
    let lp = a.recorded.iter().find(|x| x.alert_type == "error_loop").unwrap();
    assert_eq!((lp.occurrences, lp.executor.as_deref()), (Some(4), Some("CLAUDE")));
    let tr = a.recorded.iter().find(|x| x.alert_type == "failed_session_transient_errors").unwrap();
    assert_eq!(
        (tr.severity.as_str(), tr.cooldown_key.as_deref()),
        ("medium", Some(format!("failed_session_transient_errors:{T3}").as_str()))
    );
    // every alerted session failed except S2 (stuck, succeeded)
    let stuck_cmp = a.comparison.iter().find(|c| c.alert_type == "stuck_agent").unwrap();
    assert_eq!((stuck_cmp.recorded_failed_rate, stuck_cmp.recomputed_failed_rate), (Some(0.0), Some(0.0)));
}

#[test]
fn without_inference_unknown_stays_unknown() {
    let data = dataset();
    let params = Parameters { infer_categories: false, ..Parameters::default() };
    let r = report_with(&data, &params);
    assert_eq!(r.diagnostics.inferred_categories, 0);
    let totals: Vec<(&str, u64, u64)> =
        r.guardrails.totals.iter().map(|t| (t.category, t.failed_sessions, t.error_events)).collect();
    // permission_wait: only S5's permission_denied (S4's wait is `unknown`); auth: only S1
    assert_eq!(totals, [("permission_wait", 1, 0), ("auth", 1, 1), ("content_policy", 0, 0)]);
    let cells: Vec<(&str, &str, u64)> =
        r.provider_heatmap.cells.iter().map(|c| (c.executor.as_str(), c.error_category.as_str(), c.count)).collect();
    assert_eq!(
        cells,
        [
            ("CLAUDE", "unknown", 4),
            ("CLAUDE", "build", 1),
            ("CLAUDE", "git", 1),
            ("CLAUDE", "rate_limit", 1),
            // columns: unknown 6 (4 + 1 + 1), then auth, build, … by name
            ("CODEX", "unknown", 1),
            ("CODEX", "auth", 1),
            ("CODEX", "lint", 1),
            ("CODEX", "test", 1),
            ("COPILOT", "unknown", 1),
            ("COPILOT", "context_window", 1),
        ]
    );
    // T4 loses its auth reason; T3's repeated category is `unknown` now, its risk unchanged (6)
    let t4 = r.task_risk.rows.iter().find(|x| x.task_id == T4).unwrap();
    assert!(t4.reasons.is_empty(), "{:?}", t4.reasons);
    let t3 = &r.task_risk.rows[0];
    assert_eq!((t3.task_id.as_str(), t3.risk), (T3, 6.0));
    assert_eq!(t3.repeated_categories.iter().map(|n| n.as_str()).collect::<Vec<_>>(), ["unknown"]);
    // clusters keep both names; the canonical one is the recorded `unknown`
    let s = &r.error_clusters.rows[0];
    assert_eq!(
        (s.recorded_categories.clone(), s.categories.clone()),
        (vec!["unknown".to_string()], vec!["unknown".to_string()])
    );
}

#[test]
fn an_edited_alias_moves_its_errors() {
    let data = dataset();
    // one alias edited in the default table: push_failure → push (not git)
    let mut params = Parameters::default();
    params.category_aliases.insert("push_failure".into(), "push".into());
    let r = report_with(&data, &params);
    let claude: Vec<(&str, u64)> = r
        .provider_heatmap
        .cells
        .iter()
        .filter(|c| c.executor == "CLAUDE")
        .map(|c| (c.error_category.as_str(), c.count))
        .collect();
    assert_eq!(claude, [("network", 4), ("build", 1), ("push", 1), ("rate_limit", 1)]);
    let push = r.error_clusters.rows.iter().find(|x| x.fingerprint.starts_with("git push rejected")).unwrap();
    assert_eq!(
        (push.recorded_categories.clone(), push.categories.clone()),
        (vec!["push_failure".to_string()], vec!["push".to_string()])
    );
    // a table given as JSON replaces the whole table: with only token_overflow aliased,
    // auth_error, test_failure, build_failure stay as written, so T1 has no auth/test reason
    // and the auth guardrail keeps only S7's inferred auth
    let params = Parameters::from_json(r#"{"category_aliases": {"Token_Overflow": "Context_Window"}}"#).unwrap();
    let r = report_with(&data, &params);
    let t1 = r.task_risk.rows.iter().find(|x| x.task_id == T1).unwrap();
    assert!(t1.reasons.is_empty(), "{:?}", t1.reasons);
    let t2 = r.task_risk.rows.iter().find(|x| x.task_id == T2).unwrap();
    assert_eq!(t2.reasons.iter().map(|x| x.code).collect::<Vec<_>>(), ["context_window"]);
    let auth = &r.guardrails.totals[1];
    assert_eq!((auth.category, auth.failed_sessions, auth.error_events), ("auth", 1, 1));
    let codex: Vec<(&str, u64)> = r
        .provider_heatmap
        .cells
        .iter()
        .filter(|c| c.executor == "CODEX")
        .map(|c| (c.error_category.as_str(), c.count))
        .collect();
    assert_eq!(codex, [("auth", 1), ("auth_error", 1), ("lint_failure", 1), ("test_failure", 1)]);
}

#[test]
fn including_estimates_adds_them_to_every_cost_figure() {
    let data = dataset();
    let params = Parameters { include_estimated_cost: true, ..Parameters::default() };
    let r = report_with(&data, &params);
    let s = &r.summary;
    // 1.2 recorded + 0.14425 estimated = 1 344 250 000 n$ = 1.34425 over 7 sessions
    assert_eq!((s.total_cost_usd, s.cost_n), (Some(1.34425), 7));
    assert_eq!((s.estimated_cost_usd, s.estimated_cost_n), (Some(0.14425), 5));
    let codex = r.costs.per_model.iter().find(|m| m.model == "gpt-5-codex").unwrap();
    assert_eq!((codex.cost_usd, codex.cost_n), (Some(0.0895), 3));
    // runaway: 7 costs, the 99th percentile at rank 5.94 between 0.1 and 1.1: 0.1 + 0.94 × 1.0 = 1.04
    close(r.costs.runaway_percentile_usd, 1.04);
    assert_eq!(r.costs.runaway.len(), 1);
    assert_eq!(
        (r.costs.runaway[0].attempt_id.as_str(), r.costs.runaway[0].cost_source),
        (attempt(4).as_str(), CostSource::Recorded)
    );
}

#[test]
fn a_custom_price_table_prices_the_estimates() {
    let data = dataset();
    // gpt-5*: 2 in, 0.5 cached, 8 out; claude-*: 1 in, 5 out (cache reads and writes at the input price)
    let params = Parameters::from_json(
        r#"{"prices": [
            {"model": "gpt-5*", "input": 2.0, "cached_input": 0.5, "output": 8.0, "source": "test", "as_of": "2026-03-01"},
            {"model": "claude-*", "input": 1.0, "output": 5.0}
        ]}"#,
    )
    .unwrap();
    let r = report_with(&data, &params);
    // S1: 6 000 × 2 + 4 000 × 0.5 + 2 000 × 8 = 12 000 + 2 000 + 16 000 = 30 000
    // S2: 10 000 × 2 + 10 000 × 0.5 + 3 000 × 8 = 20 000 + 5 000 + 24 000 = 49 000
    // S7: 6 000 × 2 + 2 000 × 0.5 + 1 000 × 8 = 12 000 + 1 000 + 8 000 = 21 000
    // S5: 1 000 + 20 000 + 5 000 (all × 1) + 800 × 5 = 30 000
    // S6: 2 000 + 10 000 + 0 + 400 × 5 = 14 000
    // 144 000 µ$ = 0.144 over 5; the recorded total is untouched
    assert_eq!((r.summary.estimated_cost_usd, r.summary.estimated_cost_n), (Some(0.144), 5));
    assert_eq!(r.summary.total_cost_usd, Some(1.2));
    // a table pricing only gpt-5*: the Claude sessions stay unknown (S1 + S2 + S7 = 100 000 µ$)
    let params =
        Parameters::from_json(r#"{"prices": [{"model": "GPT-5*", "input": 2.0, "cached_input": 0.5, "output": 8.0}]}"#)
            .unwrap();
    let r = report_with(&data, &params);
    assert_eq!((r.summary.estimated_cost_usd, r.summary.estimated_cost_n), (Some(0.1), 3));
    // no table at all: nothing is estimated
    let r = report_with(&data, &Parameters::from_json(r#"{"prices": []}"#).unwrap());
    assert_eq!((r.summary.estimated_cost_usd, r.summary.estimated_cost_n), (None, 0));
}

#[test]
fn bad_price_tables_and_unknown_keys_are_refused_by_name() {
    let err = |json: &str| Parameters::from_json(json).unwrap_err();
    assert_eq!(
        err(r#"{"prices": [{"model": "gpt-5*", "input": -1, "output": 8}]}"#),
        "parameters: prices[0].input (gpt-5*): not a price in USD per million tokens"
    );
    assert_eq!(
        err(
            r#"{"prices": [{"model": "a", "input": 1, "output": 1}, {"model": "b", "input": 1, "cache_write": -0.5, "output": 1}]}"#
        ),
        "parameters: prices[1].cache_write (b): not a price in USD per million tokens"
    );
    assert_eq!(err(r#"{"prices": [{"model": " ", "input": 1, "output": 1}]}"#), "parameters: prices[0].model: empty");
    // an unknown key in a price row, and at the top level, named in the message
    let e = err(r#"{"prices": [{"model": "gpt-5*", "input": 1, "output": 1, "cache_read": 0.1}]}"#);
    assert!(e.starts_with("parameters: ") && e.contains("unknown field `cache_read`"), "{e}");
    let e = err(r#"{"include_estimates": true}"#);
    assert!(e.contains("unknown field `include_estimates`"), "{e}");
    // a row without its output price
    let e = err(r#"{"prices": [{"model": "gpt-5*", "input": 1}]}"#);
    assert!(e.contains("missing field `output`"), "{e}");
    // a price given as text is not a price
    let e = err(r#"{"prices": [{"model": "gpt-5*", "input": "1.25", "output": 10}]}"#);
    assert!(e.starts_with("parameters: ") && e.contains("invalid type"), "{e}");
    // an alias to nothing
    assert_eq!(
        err(r#"{"category_aliases": {"auth_error": " "}}"#),
        "parameters: category_aliases: `auth_error` maps to an empty name"
    );
}

#[test]
fn the_cli_reads_the_folder_alike() {
    // `spyglass report FOLDER --json` gives the report computed above, byte for byte
    let (_, r) = report();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spyglass"))
        .args(["report", fixture().to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), r.to_json());
    // and with --params including estimates; a bad table is refused naming its key
    let dir = std::env::temp_dir().join(format!("spyglass-real-bosun-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("params.json");
    std::fs::write(&good, r#"{"include_estimated_cost": true}"#).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spyglass"))
        .args(["report", fixture().to_str().unwrap(), "--json", "--params", good.to_str().unwrap()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["total_cost_usd"], serde_json::json!(1.34425));
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"prices": [{"model": "gpt-5*", "input": 1, "output": -2}]}"#).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spyglass"))
        .args(["report", fixture().to_str().unwrap(), "--json", "--params", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("prices[0].output (gpt-5*)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
