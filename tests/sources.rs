//! Sources as a dimension (issue 14, point 2): two machines' folders merged, with lines they
//! share; every figure below is counted by hand from the lines written here.

use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spyglass-sources-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn metrics(attempt: &str, executor: &str, model: &str, success: bool, cost: f64) -> String {
    format!(
        r#"{{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"{attempt}","task_id":"T-{attempt}","executor":"{executor}","model":"{model}","metrics":{{"success":{success},"cost_usd":{cost}}}}}"#
    )
}

fn start(attempt: &str, executor: &str, model: &str) -> String {
    format!(
        r#"{{"timestamp":"2026-02-09T09:59:00.000Z","attempt_id":"{attempt}","task_id":"T-{attempt}","executor":"{executor}","model":"{model}","event_type":"session_start","data":{{}}}}"#
    )
}

fn write(dir: &Path, file: &str, lines: &[String]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
}

/// laptop: A1 and A2 (CODEX), a bad line; desk: A2's metrics row and A1's start again (shared),
/// A3 (CLAUDE) with its metrics row twice (its own duplicate).
fn two_machines(name: &str) -> (PathBuf, PathBuf) {
    let root = tmp(name);
    let laptop = root.join("laptop/.cache/agent-work-logs");
    let desk = root.join("desk/.cache/agent-work-logs");
    let a2 = metrics("A2", "CODEX", "gpt-5-codex", false, 0.2);
    let a1_start = start("A1", "CODEX", "gpt-5-codex");
    write(
        &laptop,
        "agent-metrics.jsonl",
        &[metrics("A1", "CODEX", "gpt-5-codex", true, 0.4), a2.clone(), "{\"not telemetry\"".into()],
    );
    write(&laptop, "agent-work-stream.jsonl", &[a1_start.clone(), start("A2", "CODEX", "gpt-5-codex")]);
    let a3 = metrics("A3", "CLAUDE", "claude-sonnet-4", true, 1.0);
    write(&desk, "agent-metrics.jsonl", &[a2, a3.clone(), a3]);
    write(&desk, "agent-work-stream.jsonl", &[a1_start, start("A3", "CLAUDE", "claude-sonnet-4")]);
    (laptop, desk)
}

fn report(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_spyglass")).arg("report").args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn row<'a>(r: &'a serde_json::Value, source: &str) -> &'a serde_json::Value {
    let rows = r["diagnostics"]["by_source"].as_array().expect("by_source");
    rows.iter().find(|x| x["source"] == source).unwrap_or_else(|| panic!("no row for {source}: {rows:?}"))
}

#[test]
fn each_source_says_what_it_brought_and_shared() {
    let (laptop, desk) = two_machines("merged");
    let r = report(&[laptop.to_str().unwrap(), desk.to_str().unwrap()]);
    let rows = r["diagnostics"]["by_source"].as_array().unwrap();
    assert_eq!(rows.iter().map(|x| x["source"].as_str().unwrap()).collect::<Vec<_>>(), ["laptop", "desk"]);
    let want = |files, sessions, lines, records, kept, dropped, dups, skipped| {
        serde_json::json!({"files": files, "sessions": sessions, "lines": lines, "records": records,
            "shared_kept": kept, "shared_dropped": dropped, "duplicate_lines": dups, "skipped_lines": skipped})
    };
    let pick = |x: &serde_json::Value| {
        let mut x = x.clone();
        x.as_object_mut().unwrap().remove("source");
        x
    };
    // laptop, read first, keeps A2's row and A1's start: both shared, counted once each
    assert_eq!(pick(row(&r, "laptop")), want(2, 2, 5, 4, 2, 0, 0, 1));
    // desk: A2's row and A1's start dropped for laptop's copies, A3's row once for its own
    assert_eq!(pick(row(&r, "desk")), want(2, 1, 5, 2, 0, 2, 3, 0));
    assert_eq!(r["summary"]["sessions"], 3);
    assert_eq!(r["summary"]["duplicate_lines"], 3);
    // every machine's files have the same names: each is named after its source
    let files: Vec<&str> =
        r["diagnostics"]["sources"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        [
            "laptop/agent-metrics.jsonl",
            "laptop/agent-work-stream.jsonl",
            "desk/agent-metrics.jsonl",
            "desk/agent-work-stream.jsonl"
        ]
    );
    assert_eq!(r["diagnostics"]["skipped_lines"][0]["source"], "laptop/agent-metrics.jsonl");
    assert_eq!(r["diagnostics"]["skipped_lines"][0]["line"], 3);
    // a report of one source has no per-source table and no sources filter
    let one = report(&[laptop.to_str().unwrap()]);
    assert!(one["diagnostics"].get("by_source").is_none());
    assert!(one["parameters"]["filters"].get("sources").is_none());
}

#[test]
fn a_source_filters_and_groups_every_figure() {
    let (laptop, desk) = two_machines("filter");
    let (l, d) = (laptop.to_str().unwrap(), desk.to_str().unwrap());
    let only_desk = report(&[l, d, "--source", "DESK"]);
    assert_eq!(only_desk["summary"]["sessions"], 1);
    assert_eq!(only_desk["summary"]["success_rate"], 1.0);
    assert_eq!(only_desk["summary"]["total_cost_usd"], 1.0);
    assert_eq!(only_desk["parameters"]["filters"]["sources"], serde_json::json!(["DESK"]));
    assert_eq!(row(&only_desk, "laptop")["sessions"], 0);
    let only_laptop = report(&[l, d, "--source", "laptop"]);
    assert_eq!(only_laptop["summary"]["sessions"], 2);
    assert_eq!(only_laptop["summary"]["success_rate"], 0.5);

    let params = tmp("params").join("p.json");
    std::fs::write(&params, r#"{"group_by": "source"}"#).unwrap();
    let grouped = report(&[l, d, "--params", params.to_str().unwrap()]);
    let rows = grouped["model_scores"]["rows"].as_array().unwrap();
    let got: Vec<(String, u64, f64)> = rows
        .iter()
        .map(|x| {
            (x["key"].as_str().unwrap().into(), x["sessions"].as_u64().unwrap(), x["success_rate"].as_f64().unwrap())
        })
        .collect();
    // desk: 1 of 1, score 1 − 0.1 × 1.00; laptop: 1 of 2, score 0.5 − 0.1 × 0.30
    assert_eq!(got, [("desk".to_string(), 1, 1.0), ("laptop".to_string(), 2, 0.5)]);
}

#[test]
fn whole_data_figures_do_not_depend_on_which_source_is_read_first() {
    let (laptop, desk) = two_machines("order");
    let (l, d) = (laptop.to_str().unwrap(), desk.to_str().unwrap());
    let (mut a, mut b) = (report(&[l, d]), report(&[d, l]));
    // what each source kept does: the first read keeps the shared lines
    assert_eq!(row(&b, "desk")["shared_kept"], 2);
    assert_eq!(row(&b, "laptop")["shared_dropped"], 2);
    for r in [&mut a, &mut b] {
        r.as_object_mut().unwrap().remove("diagnostics");
    }
    assert_eq!(a, b);
}

#[test]
fn sources_are_named_by_the_user_by_their_folder_or_archive() {
    let (laptop, desk) = two_machines("names");
    let r = report(&[&format!("ana={}", laptop.display()), desk.to_str().unwrap()]);
    assert_eq!(row(&r, "ana")["sessions"], 2);
    // two folders of one name are two sources
    let other = tmp("names-2").join("desk/.cache/agent-work-logs");
    write(&other, "agent-metrics.jsonl", &[metrics("B1", "CODEX", "o3", true, 0.1)]);
    let r = report(&[desk.to_str().unwrap(), other.to_str().unwrap()]);
    // desk alone: A1 (its start), A2 and A3
    assert_eq!(row(&r, "desk")["sessions"], 3);
    assert_eq!(row(&r, "desk (2)")["sessions"], 1);
    // a plain file is its folder's
    let file = desk.join("agent-metrics.jsonl");
    let r = report(&[file.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(row(&r, "desk")["records"], 2);
}
