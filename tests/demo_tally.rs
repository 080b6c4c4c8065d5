//! The demo generator's own tally against what the viewer computes from its output.
//!
//! The demo writes a share of its sessions the way bosun's real writer does
//! (`DemoConfig::real_writer_share`); figures the core computes only under analytics-spec.md's

use spyglass::dataset::sessions::Dataset;
use spyglass::demo::{generate, DemoConfig, DemoTally, MemorySink};
use spyglass::model::time::format_iso_ms;
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::Report;

fn load(cfg: &DemoConfig) -> (DemoTally, Dataset, Report) {
    let mut sink = MemorySink::default();
    let tally = generate(cfg, &mut sink).unwrap();
    let data = Dataset::from_files(sink.files.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())));
    let r = Report::compute(&data, &Filters::default(), &Parameters::default());
    (tally, data, r)
}

fn check(cfg: &DemoConfig) {
    let (tally, data, r) = load(cfg);
    let s = &r.summary;
    assert_eq!(s.files as usize, 4 + tally.transcripts);
    assert_eq!(s.lines as usize, tally.lines);
    assert_eq!(s.sessions as usize, tally.sessions);
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
    // (the sum is the same whether the real share's cost-0 rollups count as 0 or as unknown)
    match (s.total_cost_usd, tally.total_cost_usd) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-6, "{a} vs {b}"),
        (a, b) => assert_eq!(a, b),
    }
    assert_eq!(s.first_timestamp, tally.first_ms.map(format_iso_ms));
    assert_eq!(s.last_timestamp, tally.last_ms.map(format_iso_ms));
    let mut per_model = std::collections::BTreeMap::new();
    for x in &data.sessions {
        let e = per_model.entry(data.str(x.model).to_string()).or_insert((0usize, 0usize));
        e.0 += 1;
        e.1 += (x.success == Some(true)) as usize;
    }
    assert_eq!(per_model, tally.per_model);
    // the current analyser's alerts, recorded as written
    let transient: u64 =
        r.alerts.by_type.iter().filter(|x| x.alert_type == "failed_session_transient_errors").map(|x| x.count).sum();
    assert_eq!(transient as usize, tally.real_transient_alerts);
}

/// Rev. 2: a session without task_id takes its task from its attempt id's UUID prefix.
fn check_tasks(cfg: &DemoConfig) {
    let (tally, _, r) = load(cfg);
    assert!(tally.real_sessions_without_task_id > 0 || cfg.real_writer_share == 0.0);
    assert_eq!(r.summary.tasks as usize, tally.tasks);
}

/// Rev. 2: a rollup with cost_usd 0 beside tokens is unknown cost.
fn check_known_cost(cfg: &DemoConfig) {
    let (tally, data, _) = load(cfg);
    let known_cost = data.sessions.iter().filter(|x| x.usage.cost_usd.is_some()).count();
    assert_eq!(known_cost, tally.sessions_with_cost);
    assert!(tally.real_cost_unknown_sessions > 0 || cfg.real_writer_share == 0.0);
}

fn other() -> DemoConfig {
    DemoConfig { sessions: 150, seed: 7, ..DemoConfig::default() }
}

fn guide_only() -> DemoConfig {
    DemoConfig { real_writer_share: 0.0, ..DemoConfig::default() }
}

#[test]
fn default_demo_matches_its_tally() {
    check(&DemoConfig::default());
}

#[test]
fn another_seed_and_size_matches_its_tally() {
    check(&other());
}

#[test]
fn guide_only_demo_matches_its_tally() {
    let cfg = guide_only();
    check(&cfg);
    check_tasks(&cfg);
    check_known_cost(&cfg);
}

#[test]
fn tasks_match_the_tally_with_the_real_writer_share() {
    check_tasks(&DemoConfig::default());
    check_tasks(&other());
}

#[test]
fn sessions_with_known_cost_match_the_tally_with_the_real_writer_share() {
    check_known_cost(&DemoConfig::default());
    check_known_cost(&other());
}

/// The share is seeded and about what it says; its sessions are spread over the executors.
#[test]
fn the_real_writer_share_is_about_its_size() {
    for (share, seed) in [(0.3, 42), (0.3, 7), (0.6, 42), (1.0, 3)] {
        let cfg = DemoConfig { sessions: 300, seed, real_writer_share: share, ..DemoConfig::default() };
        let mut sink = MemorySink::default();
        let t = generate(&cfg, &mut sink).unwrap();
        let got = t.real_sessions as f64 / t.sessions as f64;
        assert!((got - share).abs() < 0.1, "share {share}, seed {seed}: {got}");
        assert!(
            t.real_codex_shell_calls > 0 && t.real_copilot_calls > 0 && !t.real_error_categories.is_empty(),
            "share {share}, seed {seed}"
        );
        let mut again = MemorySink::default();
        assert_eq!(generate(&cfg, &mut again).unwrap(), t);
        assert_eq!(again.files, sink.files);
    }
}
