//! The demo generator's own tally against what the viewer computes from its output.

use spyglass::demo::{generate, DemoConfig, MemorySink};
use spyglass::model::sessions::Dataset;
use spyglass::model::time::format_iso_ms;
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::Report;

fn check(cfg: &DemoConfig) {
    let mut sink = MemorySink::default();
    let tally = generate(cfg, &mut sink).unwrap();
    let data = Dataset::from_files(sink.files.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())));
    let r = Report::compute(&data, &Filters::default(), &Parameters::default());
    let s = &r.summary;
    assert_eq!(s.files as usize, 4 + tally.transcripts);
    assert_eq!(s.lines as usize, tally.lines);
    assert_eq!(s.sessions as usize, tally.sessions);
    assert_eq!(s.tasks as usize, tally.tasks);
    assert_eq!(s.events as usize, tally.events);
    assert_eq!(s.error_events as usize, tally.error_events);
    assert_eq!(s.metrics_rows as usize, tally.metrics_rows);
    assert_eq!(s.superseded_rows as usize, tally.superseded_rows);
    assert_eq!(s.alerts as usize, tally.alerts);
    assert_eq!(s.duplicate_lines as usize, tally.duplicate_lines);
    assert_eq!(s.skipped_lines as usize, tally.malformed_lines);
    assert_eq!(r.diagnostics.events_without_attempt as usize, tally.events_without_attempt);
    assert_eq!(s.success_n as usize, tally.successes + tally.failures);
    assert_eq!(s.success_rate, Some(tally.successes as f64 / (tally.successes + tally.failures) as f64));
    assert_eq!(s.total_tokens, tally.total_tokens);
    match (s.total_cost_usd, tally.total_cost_usd) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-6, "{a} vs {b}"),
        (a, b) => assert_eq!(a, b),
    }
    assert_eq!(s.first_timestamp, tally.first_ms.map(format_iso_ms));
    assert_eq!(s.last_timestamp, tally.last_ms.map(format_iso_ms));
    let known_cost = data.sessions.iter().filter(|x| x.usage.cost_usd.is_some()).count();
    assert_eq!(known_cost, tally.sessions_with_cost);
    let mut per_model = std::collections::BTreeMap::new();
    for x in &data.sessions {
        let e = per_model.entry(data.str(x.model).to_string()).or_insert((0usize, 0usize));
        e.0 += 1;
        e.1 += (x.success == Some(true)) as usize;
    }
    assert_eq!(per_model, tally.per_model);
}

#[test]
fn default_demo_matches_its_tally() {
    check(&DemoConfig::default());
}

#[test]
fn another_seed_and_size_matches_its_tally() {
    check(&DemoConfig { sessions: 150, seed: 7, ..DemoConfig::default() });
}
