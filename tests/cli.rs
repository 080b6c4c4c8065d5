//! The `spyglass` binary on fixtures: files, a folder, a `.gz`, a `.zip`, and its errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_spyglass"))
}
fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden")
}
fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}
fn json_of(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spyglass-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A minimal zip writer (stored entries) so the test needs no zip crate.
fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let crc = {
            let mut c = flate2::Crc::new();
            c.update(data);
            c.sum()
        };
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&0u32.to_le_bytes()); // time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                h.extend_from_slice(&[0u8; 8]); // comment len, disk, attrs
                h.extend_from_slice(&0u32.to_le_bytes());
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(0x04034b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x02014b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_folder_gives_the_json_report_with_every_key() {
    let v = json_of(&run(&["report", golden().to_str().unwrap(), "--json"]));
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in ["summary", "model_scores", "task_risk", "provider_heatmap", "interventions", "guardrails", "alerts", "costs", "tools", "git", "executors", "error_clusters", "diagnostics", "parameters"] {
        assert!(keys.contains(&k), "missing {k}");
    }
    assert_eq!(v["summary"]["sessions"], 3);
    assert_eq!(v["summary"]["events"], 10);
    assert_eq!(v["diagnostics"]["sources"][3]["name"], "agent-sessions/A1.jsonl", "named relative to the folder");
    assert_eq!(v["parameters"]["w_cost"], 0.1);
    assert_eq!(v["diagnostics"]["skipped_lines"][0]["reason"], "not valid JSON: key must be a string at column 2");
}

#[test]
fn the_same_input_gives_byte_identical_json() {
    let a = run(&["report", golden().to_str().unwrap(), "--json"]);
    let b = run(&["report", golden().to_str().unwrap(), "--json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn files_gz_and_zip_load_alike() {
    let dir = tmp("containers");
    let stream = std::fs::read(golden().join("agent-work-stream.jsonl")).unwrap();
    let metrics = std::fs::read(golden().join("agent-metrics.jsonl")).unwrap();
    let gz = dir.join("agent-work-stream.jsonl.gz");
    let mut e = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    e.write_all(&stream).unwrap();
    e.finish().unwrap();
    let zip = dir.join("logs.zip");
    write_zip(&zip, &[("agent-work-stream.jsonl", &stream), ("agent-metrics.jsonl", &metrics), ("README.txt", b"hello")]);

    let plain = json_of(&run(&["report", golden().join("agent-work-stream.jsonl").to_str().unwrap(), "--json"]));
    let from_gz = json_of(&run(&["report", gz.to_str().unwrap(), "--json"]));
    assert_eq!(from_gz["summary"]["events"], plain["summary"]["events"]);
    assert_eq!(from_gz["summary"]["events"], 10);
    assert_eq!(from_gz["diagnostics"]["sources"][0]["container"], "gzip");
    assert_eq!(from_gz["diagnostics"]["sources"][0]["name"], "agent-work-stream.jsonl.gz");

    let from_zip = json_of(&run(&["report", zip.to_str().unwrap(), "--json"]));
    assert_eq!(from_zip["summary"]["events"], 10);
    assert_eq!(from_zip["summary"]["metrics_rows"], 3);
    let names: Vec<&str> = from_zip["diagnostics"]["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["logs.zip/agent-work-stream.jsonl", "logs.zip/agent-metrics.jsonl", "logs.zip/README.txt"]);
    assert_eq!(from_zip["diagnostics"]["sources"][2]["error"], "not a .jsonl file: skipped");

    // the folder holding both finds them recursively
    let both = json_of(&run(&["report", dir.to_str().unwrap(), "--json"]));
    assert_eq!(both["summary"]["files"], 4);
    assert_eq!(both["summary"]["duplicate_lines"], 10, "the zip's stream repeats the .gz's 10 valid lines");
}

#[test]
fn filters_and_params_apply() {
    let g = golden();
    let v = json_of(&run(&["report", g.to_str().unwrap(), "--json", "--executor", "claude"]));
    assert_eq!(v["summary"]["sessions"], 1);
    let v = json_of(&run(&["report", g.to_str().unwrap(), "--json", "--since", "2026-02-10"]));
    assert_eq!(v["summary"]["sessions"], 0, "a filter that selects nothing is an empty report");
    assert_eq!(v["summary"]["success_rate"], serde_json::Value::Null);
    let dir = tmp("params");
    let p = dir.join("p.json");
    std::fs::write(&p, r#"{"w_cost": 0.5}"#).unwrap();
    let v = json_of(&run(&["report", g.to_str().unwrap(), "--json", "--params", p.to_str().unwrap()]));
    assert_eq!(v["parameters"]["w_cost"], 0.5);
    assert_eq!(v["parameters"]["w_errors"], 0.02);
    std::fs::write(&p, r#"{"w_cots": 0.5}"#).unwrap();
    let out = run(&["report", g.to_str().unwrap(), "--json", "--params", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `w_cots`"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn nothing_readable_exits_2_with_a_clear_message() {
    let out = run(&["report", "/no/such/path.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/path.jsonl: No such file"));
    let dir = tmp("junk");
    let junk = dir.join("notes.jsonl");
    std::fs::write(&junk, "hello\nworld\n").unwrap();
    let out = run(&["report", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing could be read") && err.contains("notes.jsonl:1: not valid JSON"), "{err}");
    // skipped lines alone do not fail a run that loaded something
    let out = run(&["report", golden().join("agent-work-stream.jsonl").to_str().unwrap()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("skipped agent-work-stream.jsonl:7"));
}

#[test]
fn demo_then_report_matches_the_generator_tally() {
    let dir = tmp("demo");
    let out = run(&["demo", "--out", dir.to_str().unwrap(), "--sessions", "60", "--seed", "3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cfg = spyglass::demo::DemoConfig { sessions: 60, seed: 3, ..Default::default() };
    let tally = spyglass::demo::generate(&cfg, &mut spyglass::demo::DiscardSink::default()).unwrap();
    let v = json_of(&run(&["report", dir.to_str().unwrap(), "--json"]));
    let s = &v["summary"];
    assert_eq!(s["sessions"], tally.sessions);
    assert_eq!(s["events"], tally.events);
    assert_eq!(s["metrics_rows"], tally.metrics_rows);
    assert_eq!(s["alerts"], tally.alerts);
    assert_eq!(s["duplicate_lines"], tally.duplicate_lines);
    assert_eq!(s["skipped_lines"], tally.malformed_lines);
    assert_eq!(s["superseded_rows"], tally.superseded_rows);
    // a second run into the same folder writes the same bytes (files are truncated, not appended)
    let before = std::fs::read(dir.join("agent-work-stream.jsonl")).unwrap();
    run(&["demo", "--out", dir.to_str().unwrap(), "--sessions", "60", "--seed", "3"]);
    assert_eq!(std::fs::read(dir.join("agent-work-stream.jsonl")).unwrap(), before);
}

#[test]
fn the_default_output_reads_like_the_page() {
    // the golden fixture's summary (worked out by hand in tests/golden.rs), in report::format's words
    let out = run(&["report", golden().to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "  time range 2026-02-09 09:00:00Z .. 2026-02-09 11:02:00Z",
        "  sessions 3  tasks 2  success 66.7 % (n=3)  first shot 100.0 % (n=1)",
        "  cost $0.42  tokens 1,250  error events 2",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
    }
}
