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
    for k in [
        "summary",
        "model_scores",
        "task_risk",
        "provider_heatmap",
        "interventions",
        "guardrails",
        "alerts",
        "costs",
        "tools",
        "git",
        "executors",
        "error_clusters",
        "diagnostics",
        "parameters",
    ] {
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
    write_zip(
        &zip,
        &[("agent-work-stream.jsonl", &stream), ("agent-metrics.jsonl", &metrics), ("README.txt", b"hello")],
    );

    let plain = json_of(&run(&["report", golden().join("agent-work-stream.jsonl").to_str().unwrap(), "--json"]));
    let from_gz = json_of(&run(&["report", gz.to_str().unwrap(), "--json"]));
    assert_eq!(from_gz["summary"]["events"], plain["summary"]["events"]);
    assert_eq!(from_gz["summary"]["events"], 10);
    assert_eq!(from_gz["diagnostics"]["sources"][0]["container"], "gzip");
    assert_eq!(from_gz["diagnostics"]["sources"][0]["name"], "agent-work-stream.jsonl.gz");

    let from_zip = json_of(&run(&["report", zip.to_str().unwrap(), "--json"]));
    assert_eq!(from_zip["summary"]["events"], 10);
    assert_eq!(from_zip["summary"]["metrics_rows"], 3);
    let names: Vec<&str> =
        from_zip["diagnostics"]["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
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
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown field `w_cots`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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

/// Copies the golden fixture's files into `dir`.
fn copy_golden(dir: &Path) {
    fn walk(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    walk(&golden(), dir);
}

#[test]
fn no_path_reads_the_logs_of_the_current_directory() {
    let dir = tmp("default-path");
    copy_golden(&dir.join(".cache/agent-work-logs"));
    let here = bin().args(["report", "--json"]).current_dir(&dir).output().unwrap();
    let given = run(&["report", golden().to_str().unwrap(), "--json"]);
    assert!(here.status.success(), "{}", String::from_utf8_lossy(&here.stderr));
    // the same files under the same names (relative to the folder): byte-identical
    assert_eq!(here.stdout, given.stdout);
    assert_eq!(json_of(&here)["summary"]["sessions"], 3);

    // without that folder: exit 2, saying which folder and how to give a path
    let empty = tmp("default-path-missing");
    let out = bin().arg("report").current_dir(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no PATH given") && err.contains(".cache/agent-work-logs") && err.contains("spyglass report PATH"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// Three sessions and two records without one, in 2020 (so that counting back from the machine's
/// clock would select nothing):
///   s1 starts 2020-03-01 00:00, s2 2020-03-05 12:00, s3 2020-03-07 23:00 (each 10 minutes long);
///   a skill_invoke without attempt at 2020-03-08 06:00; an alert at 2020-03-08 12:00, the last
///   timestamp of all records.
fn last_fixture(dir: &Path) -> PathBuf {
    let ev = |ts: &str, a: &str, exec: &str, kind: &str| {
        format!("{{\"timestamp\":\"{ts}\",\"attempt_id\":\"{a}\",\"task_id\":\"T-{a}\",\"executor\":\"{exec}\",\"model\":\"m\",\"event_type\":\"{kind}\",\"data\":{{}}}}\n")
    };
    let mut stream = String::new();
    for (a, start, end, exec) in [
        ("s1", "2020-03-01T00:00:00Z", "2020-03-01T00:10:00Z", "codex"),
        ("s2", "2020-03-05T12:00:00Z", "2020-03-05T12:10:00Z", "claude"),
        ("s3", "2020-03-07T23:00:00Z", "2020-03-07T23:10:00Z", "codex"),
    ] {
        stream += &ev(start, a, exec, "session_start");
        stream += &ev(end, a, exec, "session_end");
    }
    stream +=
        "{\"timestamp\":\"2020-03-08T06:00:00Z\",\"event_type\":\"skill_invoke\",\"data\":{\"skill_name\":\"lint\"}}\n";
    let path = dir.join("logs");
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(path.join("agent-work-stream.jsonl"), stream).unwrap();
    std::fs::write(
        path.join("agent-alerts.jsonl"),
        "{\"timestamp\":\"2020-03-08T12:00:00Z\",\"type\":\"stuck_agent\",\"severity\":\"low\"}\n",
    )
    .unwrap();
    path
}

#[test]
fn last_counts_back_from_the_data_not_the_clock() {
    let dir = tmp("last");
    let logs = last_fixture(&dir);
    let logs = logs.to_str().unwrap();
    let sessions = |extra: &[&str]| {
        let mut args = vec!["report", logs, "--json"];
        args.extend_from_slice(extra);
        let v = json_of(&run(&args));
        (v["summary"]["sessions"].as_u64().unwrap(), v["parameters"]["filters"]["since_ms"].clone())
    };
    let ms = |t: &str| serde_json::json!(spyglass::model::time::parse_timestamp(t).unwrap());
    // 1d back from 2020-03-08 12:00 (the alert): since 03-07 12:00 → s3
    assert_eq!(sessions(&["--last", "1d"]), (1, ms("2020-03-07T12:00:00Z")));
    // 36h: since 03-07 00:00 → s3 (23:00)
    assert_eq!(sessions(&["--last", "36h"]), (1, ms("2020-03-07T00:00:00Z")));
    // 3d: since 03-05 12:00, inclusive → s2 (starts exactly then) and s3
    assert_eq!(sessions(&["--last", "3d"]), (2, ms("2020-03-05T12:00:00Z")));
    // 4320m = 3d − 0: the same; 259199s is a second less → s3 only
    assert_eq!(sessions(&["--last", "4320m"]).0, 2);
    assert_eq!(sessions(&["--last", "259199s"]).0, 1);
    // 2w: everything
    assert_eq!(sessions(&["--last", "2w"]), (3, ms("2020-02-23T12:00:00Z")));
    // the start is counted from every record, whatever the other filters: executor claude within
    // the last 3d is s2
    assert_eq!(sessions(&["--last", "3d", "--executor", "claude"]).0, 1);
    // --until still applies: the last 3d until 03-06 → s2
    assert_eq!(sessions(&["--last", "3d", "--until", "2020-03-06"]).0, 1);

    for (args, says) in [
        (vec!["--last", "7x"], "--last: not a duration: \"7x\""),
        (vec!["--last", "0d"], "--last: not a duration: \"0d\""),
        (vec!["--last", "d"], "--last: not a duration: \"d\""),
        (vec!["--last", "1.5h"], "--last: not a duration: \"1.5h\""),
        (vec!["--last", "7d", "--since", "2020-03-01"], "--last and --since: choose one"),
    ] {
        let mut a = vec!["report", logs];
        a.extend(args);
        let out = run(&a);
        assert_eq!(out.status.code(), Some(2), "{a:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{a:?}: {err}");
    }
}

fn table_run(args: &[&str]) -> Output {
    bin().args(args).env("COLUMNS", "120").env_remove("NO_COLOR").output().expect("runs")
}

#[test]
fn table_prints_one_table_aligned() {
    let g = golden();
    let g = g.to_str().unwrap();
    let out = table_run(&["report", g, "--table", "error_clusters.correlation"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // fp-auth: A2's one error (CLAUDE, claude-sonnet-4, T1); A2 has no duration recorded, so end −
    // start: its events run from 10:01:30Z (11:01:30+01:00) to 11:02:00 = 1h 00m 30s → "1h 00m".
    // fp-rl: A1's (the stream's copy in agent-errors.jsonl is a duplicate); its metrics row says
    // 300 000 ms → "5m 00s". Counts tie at 1: by fingerprint. No colour: stdout is not a terminal.
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        vec![
            "fingerprint  count  by executor  by model            tasks  tasks total  sessions  avg session duration  n (duration)",
            "───────────  ─────  ───────────  ──────────────────  ─────  ───────────  ────────  ────────────────────  ────────────",
            "fp-auth          1  CLAUDE ×1    claude-sonnet-4 ×1  T1               1         1                1h 00m             1",
            "fp-rl            1  CODEX ×1     gpt-5-codex ×1      T1               1         1                5m 00s             1",
        ]
    );
    // --top, with a filter: the costs rows of codex (one day, one model) and the first of the
    // diagnostics' five sources
    let out = table_run(&["report", g, "--table", "costs", "--executor", "codex"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.lines().nth(2).unwrap().starts_with("2026-02-09  gpt-5-codex"), "{text}");
    let out = table_run(&["report", g, "--table", "diagnostics.sources", "--top", "1"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[2].starts_with("agent-alerts.jsonl  plain"), "{text}");
    assert_eq!(lines[3], "… 4 more rows (5 in all)");
    // --params: model_scores grouped by executor
    let dir = tmp("table-params");
    let p = dir.join("p.json");
    std::fs::write(&p, r#"{"group_by": "executor"}"#).unwrap();
    let out = table_run(&["report", g, "--table", "model_scores", "--params", p.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    let keys: Vec<&str> = text.lines().skip(2).map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.contains(&"CODEX") && keys.contains(&"CLAUDE") && keys.contains(&"COPILOT"), "{text}");
    // a section without rows reads as fields and values (widths of the rows shown: "events")
    let out = table_run(&["report", g, "--table", "summary", "--top", "3"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[..5], ["field   value", "──────  ─────", "files   5", "lines   22", "events  10"]);
    assert!(lines[5].starts_with("… ") && lines[5].ends_with(" in all)") && lines.len() == 6, "{text}");
}

#[test]
fn table_errors_name_the_valid_tables() {
    let g = golden();
    let g = g.to_str().unwrap();
    let out = table_run(&["report", g, "--table", "error_clusters.corelation"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no table named \"error_clusters.corelation\"")
            && err.contains("error_clusters.correlation")
            && err.contains("costs.per_model")
            && err.contains("alerts.recomputed"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    for (args, says) in [
        (vec!["--table", "costs", "--json"], "--json and --table: choose one"),
        (vec!["--top", "3"], "--top N goes with --table NAME"),
        (vec!["--table", "costs", "--top", "x"], "--top: not a number of rows: \"x\""),
        (vec!["--table", "costs.time_zone"], "no table named \"costs.time_zone\""),
    ] {
        let mut a = vec!["report", g];
        a.extend(args);
        let out = table_run(&a);
        assert_eq!(out.status.code(), Some(2), "{a:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{a:?}: {err}");
    }
}

// ---- --threads: a plain file read as ranges on threads gives the report of one thread ----------

/// `report PATH --json --threads N`, plain files of over `range` bytes cut into ranges of `range`
/// bytes (the CLI's test-only knob; it then says on stderr how each such file was read).
fn threaded(path: &Path, range: usize, threads: usize, extra: &[&str]) -> Output {
    bin()
        .env("SPYGLASS_TEST_RANGE_BYTES", range.to_string())
        .args(["report", path.to_str().unwrap(), "--json", "--threads", &threads.to_string()])
        .args(extra)
        .output()
        .expect("runs")
}

/// The same stdout and exit code on 2, 3 and 4 threads (ranges of each size) as on one; returns
/// the stderr of each threaded run.
fn assert_threads_agree(path: &Path, ranges: &[usize], extra: &[&str]) -> Vec<String> {
    let one = threaded(path, ranges[0], 1, extra);
    assert!(
        !String::from_utf8_lossy(&one.stderr).contains("ranges on"),
        "--threads 1 reads through one feed: {}",
        String::from_utf8_lossy(&one.stderr)
    );
    let mut stderrs = Vec::new();
    for &range in ranges {
        for threads in [2, 3, 4] {
            let out = threaded(path, range, threads, extra);
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(out.status.code(), one.status.code(), "exit code, ranges of {range}, {threads} threads: {err}");
            if out.stdout != one.stdout {
                let at = out.stdout.iter().zip(&one.stdout).position(|(a, b)| a != b).unwrap_or(0);
                let around = |b: &[u8]| {
                    String::from_utf8_lossy(&b[at.saturating_sub(200)..(at + 200).min(b.len())]).into_owned()
                };
                panic!(
                    "ranges of {range} bytes on {threads} threads differ from one thread at byte {at}:\n{}\n--- one thread:\n{}",
                    around(&out.stdout),
                    around(&one.stdout)
                );
            }
            stderrs.push(err);
        }
    }
    stderrs
}

/// A demo folder of `sessions` sessions.
fn demo_dir(name: &str, sessions: u32) -> PathBuf {
    let dir = tmp(name);
    let out = run(&["demo", "--out", dir.to_str().unwrap(), "--sessions", &sessions.to_string(), "--seed", "5"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// The demo stream made harder to cut: bad lines (not JSON, cut JSON, invalid UTF-8, blanks),
/// lines ended by CRLF, a 50 KB line crossing many ranges, repeated lines, a BOM, and a last line
/// without its `\n`.
fn hard_stream(stream: &[u8]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let lines: Vec<&[u8]> = stream.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let long = format!(
        r#"{{"timestamp":"2026-02-09T14:00:00Z","attempt_id":"long-1","task_id":"t1","executor":"codex","event_type":"error","data":{{"category":"tool_error","message":"{}"}}}}"#,
        "y".repeat(50_000)
    );
    for (i, line) in lines.iter().enumerate() {
        out.extend_from_slice(line);
        out.extend_from_slice(if i % 7 == 3 { b"\r\n" } else { b"\n" });
        match i % 97 {
            5 => out.extend_from_slice(b"{oops\n"),
            17 => out.extend_from_slice(b"not json at all\r\n"),
            29 => out.extend_from_slice(b"{\"timestamp\":\"2026-02-09T\xff\xfe\"}\n"),
            41 => out.extend_from_slice(b"\n   \n"),
            53 => out.extend_from_slice(lines[i / 2]), // a repeat of an earlier line
            _ => {}
        }
        if i % 97 == 53 {
            out.push(b'\n');
        }
        if i == lines.len() / 3 {
            out.extend_from_slice(long.as_bytes());
            out.push(b'\n');
        }
    }
    // the last line again, without its `\n` (a duplicate), then a bad one without it
    out.extend_from_slice(lines[lines.len() - 1]);
    out.push(b'\n');
    out.extend_from_slice(b"{\"cut off");
    out
}

#[test]
fn threads_give_the_json_of_one_thread() {
    let dir = demo_dir("threads", 80);
    let stream = std::fs::read(dir.join("agent-work-stream.jsonl")).unwrap();
    assert!(stream.len() > 300_000, "demo stream too small to cut: {}", stream.len());
    let hard = tmp("threads-hard");
    let file = hard.join("hard.jsonl");
    std::fs::write(&file, hard_stream(&stream)).unwrap();
    // every line ended by CRLF
    let crlf = tmp("threads-crlf").join("crlf.jsonl");
    std::fs::write(&crlf, String::from_utf8(stream.clone()).unwrap().replace('\n', "\r\n")).unwrap();

    for err in assert_threads_agree(&file, &[4096, 65_536, 333_333], &[]) {
        assert!(err.contains("hard.jsonl: ") && err.contains(" threads: Done"), "read in ranges: {err}");
    }
    assert_threads_agree(&crlf, &[5_000, 100_000], &[]);
    // a folder: the stream, the other files (lines repeated across files) and the hard file
    std::fs::copy(&file, dir.join("hard.jsonl")).unwrap();
    assert_threads_agree(&dir, &[8_192], &["--last", "3d", "--executor", "codex"]);
    assert!(json_of(&threaded(&dir, 8_192, 3, &["--last", "3d", "--executor", "codex"]))["summary"]["events"] != 0);
    let v = json_of(&threaded(&file, 4096, 3, &[]));
    assert!(v["summary"]["skipped_lines"].as_u64().unwrap() > 10, "the bad lines are there: {}", v["summary"]);
}

#[test]
fn the_junk_cap_stops_a_file_on_threads_where_it_stops_on_one() {
    let stream = std::fs::read(golden().join("agent-work-stream.jsonl")).unwrap();
    // past the cap (1,000,000 lines without telemetry): stopped as the wrong file
    let dir = tmp("threads-junk");
    // (mostly blank lines: quick to read in a debug build)
    let junk_lines = |n: usize| format!("{}x\n", "\n".repeat(999)).repeat(n / 1000).into_bytes();
    let mut junk = junk_lines(1_050_000);
    junk.extend_from_slice(&stream);
    std::fs::write(dir.join("junk.jsonl"), &junk).unwrap();
    std::fs::write(dir.join("good.jsonl"), &stream).unwrap();
    for err in assert_threads_agree(&dir, &[65_536, 700_000], &[]) {
        assert!(err.contains("junk.jsonl: ") && err.contains("NeedsFeed"), "read again through one feed: {err}");
    }
    let v = json_of(&threaded(&dir, 65_536, 3, &[]));
    let error = v["diagnostics"]["sources"][1]["error"].as_str().unwrap_or_default();
    assert!(error.contains("not one is bosun telemetry"), "{}", v["diagnostics"]["sources"]);
    // without the cap, read in ranges to the end
    for err in assert_threads_agree(&dir, &[65_536], &["--no-junk-cap"]) {
        assert!(err.contains("junk.jsonl: ") && err.contains("Done"), "{err}");
    }

    // below the cap: the ranges without telemetry wait for one with it, then all are merged
    let dir = tmp("threads-junk-first");
    let mut first = junk_lines(400_000);
    first.extend_from_slice(&stream);
    std::fs::write(dir.join("junk-first.jsonl"), &first).unwrap();
    for err in assert_threads_agree(&dir, &[65_536], &[]) {
        assert!(err.contains("Done"), "{err}");
    }

    // telemetry right after the cap's count of lines, or one line before it
    for blank in [999_999, 1_000_000] {
        let dir = tmp(&format!("threads-junk-{blank}"));
        let mut text = "\n".repeat(blank).into_bytes();
        text.extend_from_slice(&stream);
        std::fs::write(dir.join("blank-first.jsonl"), &text).unwrap();
        let verdict = if blank < 1_000_000 { "Done" } else { "NeedsFeed" };
        for err in assert_threads_agree(&dir, &[100_000], &[]) {
            assert!(err.contains(verdict), "{blank}: {err}");
        }
    }

    // not text (a NUL in the first line): under the cap one feed stops at once
    let dir = tmp("threads-binary");
    let mut binary = b"\0\x01\x02 binary\n".to_vec();
    binary.extend_from_slice(&stream.repeat(40));
    std::fs::write(dir.join("binary.jsonl"), &binary).unwrap();
    std::fs::write(dir.join("good.jsonl"), &stream).unwrap();
    for err in assert_threads_agree(&dir, &[4096], &[]) {
        assert!(err.contains("NeedsFeed"), "{err}");
    }
    assert_threads_agree(&dir, &[4096], &["--no-junk-cap"]);
}

#[test]
fn a_gz_is_read_on_one_thread_whatever_threads() {
    let stream = std::fs::read(golden().join("agent-work-stream.jsonl")).unwrap().repeat(50);
    let dir = tmp("threads-gz");
    let gz = dir.join("agent-work-stream.jsonl.gz");
    let mut e = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    e.write_all(&stream).unwrap();
    e.finish().unwrap();
    for err in assert_threads_agree(&gz, &[1000], &[]) {
        assert!(!err.contains("spyglass: test:"), "a .gz is not cut: {err}");
    }
    let v = json_of(&threaded(&gz, 1000, 3, &[]));
    assert_eq!(v["diagnostics"]["sources"][0]["container"], "gzip");
}

#[test]
fn threads_must_be_a_number_above_0() {
    for bad in ["0", "x", "-2"] {
        let out = run(&["report", golden().to_str().unwrap(), "--json", "--threads", bad]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--threads: not a number of threads"), "{bad}");
    }
    assert!(run(&["--help"]).stdout.windows(9).any(|w| w == b"--threads"));
}
