//! Golden fixture with figures worked out by hand, and the chunking invariance test.

use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::Store;
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::Report;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

use crate::support::files;
use files::files_of;

fn load_chunked(files: &[(String, Vec<u8>)], chunk: usize) -> Dataset {
    let mut store = Store::new();
    for (name, bytes) in files {
        crate::support::feed_chunked(&mut store, name, bytes, chunk);
    }
    Dataset::new(store)
}

fn report_json(data: &Dataset) -> String {
    Report::compute(data, &Filters::default(), &Parameters::default()).to_json()
}

#[test]
fn golden_summary_matches_the_hand_count() {
    let data = load_chunked(&files_of(&fixture("golden")), usize::MAX);
    let r = Report::compute(&data, &Filters::default(), &Parameters::default());
    let s = &r.summary;
    // files: alerts, errors, metrics, sessions/A1, stream
    assert_eq!(s.files, 5);
    // lines: stream 11 + errors 2 + metrics 3 + alerts 1 (no final newline) + transcript 5
    assert_eq!(s.lines, 22);
    // events: A1 5 + A2 4 + the skill_invoke without attempt; the 2 error copies and the 5
    // transcript lines are duplicates
    assert_eq!(s.events, 10);
    assert_eq!(s.duplicate_lines, 7);
    assert_eq!(s.metrics_rows, 3);
    assert_eq!(s.superseded_rows, 1, "A3's 09:00 row loses to its 09:30 row");
    assert_eq!(s.alerts, 1);
    assert_eq!((s.sessions, s.tasks), (3, 2), "A1, A2, A3; T1, T2");
    assert_eq!(s.skipped_lines, 1, "{{oops}}");
    assert_eq!(s.field_warnings, 0);
    assert_eq!(s.first_timestamp.as_deref(), Some("2026-02-09T09:00:00.000Z"));
    assert_eq!(s.last_timestamp.as_deref(), Some("2026-02-09T11:02:00.000Z"));
    // success: A1 true (row), A2 false (session_end failed), A3 true (winning row completed) = 2/3
    assert_eq!((s.success_rate, s.success_n), (Some(2.0 / 3.0), 3));
    // first shot known only for A1 (true)
    assert_eq!((s.first_shot_rate, s.first_shot_n), (Some(1.0), 1));
    // cost: A1's row 0.42 (beats session_end 0.40); A2 none; A3 all-zero row = unknown
    assert_eq!(s.total_cost_usd, Some(0.42));
    // tokens: A1 row 1100 + A2 Claude message.usage 100 + 50 = 1250
    assert_eq!(s.total_tokens, Some(1250));
    assert_eq!(s.error_events, 2);
    let d = &r.diagnostics;
    assert_eq!(d.events_without_attempt, 1);
    assert_eq!(d.skipped_lines[0].source, "agent-work-stream.jsonl");
    assert_eq!(d.skipped_lines[0].line, 7);
    assert_eq!(d.superseded_rows[0].attempt_id, "A3");
    assert_eq!(d.superseded_rows[0].line, 3);
    let a2 = &data.sessions[data.session_of_attempt[&data.store.strings.lookup("A2").unwrap()] as usize];
    assert_eq!(data.store.str(a2.executor), "CLAUDE");
    assert_eq!(a2.usage.cost_usd, None);
    // its agent_output says 11:01:30+01:00 = 10:01:30Z, the earliest instant: 11:02:00 − 10:01:30
    assert_eq!(a2.duration_ms, Some(3_630_000));
    assert_eq!(a2.attempts, 1);
}

#[test]
fn every_chunking_gives_the_same_report() {
    for name in ["golden"] {
        let files = files_of(&fixture(name));
        let whole = report_json(&load_chunked(&files, usize::MAX));
        for chunk in [1, 2, 7, 4096] {
            assert_eq!(report_json(&load_chunked(&files, chunk)), whole, "{name} at chunk size {chunk}");
        }
    }
}

#[test]
fn compressed_inputs_give_the_same_records_at_every_chunking() {
    use flate2::write::GzEncoder;
    use std::io::Write;
    let files = files_of(&fixture("golden"));
    let plain = load_chunked(&files, usize::MAX);
    let gz: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| {
            let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(b).unwrap();
            (n.clone(), e.finish().unwrap())
        })
        .collect();
    for chunk in [1, 7, 4096, usize::MAX] {
        let d = load_chunked(&gz, chunk);
        assert_eq!(d.store.events, plain.store.events, "gzip at chunk size {chunk}");
        assert_eq!(d.sessions, plain.sessions);
        assert!(d.store.sources.iter().all(|s| s.container == "gzip"));
    }
}
