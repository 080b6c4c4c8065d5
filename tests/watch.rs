//! `spyglass watch`: a folder read as it grows — appended bytes only, a line cut by the writer
//! waiting for its end, a new file from its start, a file that shrank read again — each update's
//! figures equal to `spyglass report` on the files as they stand.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spyglass-watch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn session(attempt: &str, executor: &str, ok: bool) -> String {
    format!(
        "{{\"timestamp\":\"2026-02-09T10:00:00.000Z\",\"attempt_id\":\"{attempt}\",\"task_id\":\"t-{attempt}\",\"executor\":\"{executor}\",\"model\":\"m\",\"metrics\":{{\"success\":{ok},\"cost_usd\":0.5}}}}\n"
    )
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// The sessions `spyglass report` counts in `dir` as it stands.
fn report_sessions(dir: &Path) -> u64 {
    let out = Command::new(env!("CARGO_BIN_EXE_spyglass"))
        .args(["report", dir.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["summary"]["sessions"].as_u64().unwrap()
}

/// The sessions a summary line says: `… · 3 sessions · …`.
fn sessions_of(line: &str) -> u64 {
    let before = line.split(" sessions").next().unwrap();
    before.rsplit(' ').next().unwrap().replace(',', "").parse().unwrap()
}

/// The watcher, ended whatever happens to the test (a failed assertion must not leave it running
/// with the test's output pipe open).
struct Running(std::process::Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_growing_folder_is_read_as_it_grows() {
    let dir = tmp("grow");
    let a = dir.join("agent-metrics.jsonl");
    append(&a, &(session("a1", "CODEX", true) + &session("a2", "CODEX", false)));
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_spyglass"))
            .args(["watch", dir.to_str().unwrap(), "--interval", "0.1", "--updates", "5"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let (tx, rx) = mpsc::channel();
    let stdout = child.0.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // the next line that starts a summary (`[  0.1 s] …`)
    let next = || loop {
        let l = rx.recv_timeout(Duration::from_secs(20)).expect("a summary within 20 s");
        if l.starts_with('[') {
            return l;
        }
    };
    let first = next();
    assert_eq!(sessions_of(&first), 2, "{first}");
    assert!(first.contains("success 50.0 %"), "{first}");

    // a whole line and the start of another: the cut line waits for its end
    let third = session("a3", "CLAUDE", true);
    append(&a, &(session("a4", "CLAUDE", true) + &third[..40]));
    let second = next();
    assert_eq!(sessions_of(&second), 3, "{second}");
    assert!(second.contains(&format!("+{} bytes", session("a4", "CLAUDE", true).len() + 40)), "{second}");

    // its end, and a new file
    append(&a, &third[40..]);
    let third_line = next();
    assert_eq!(sessions_of(&third_line), 4, "{third_line}");
    append(&dir.join("agent-work-stream.jsonl"), "{\"timestamp\":\"2026-02-09T11:00:00.000Z\",\"attempt_id\":\"b1\",\"event_type\":\"session_start\",\"data\":{}}\n");
    let fourth = next();
    assert_eq!(sessions_of(&fourth), 5, "{fourth}");
    assert_eq!(report_sessions(&dir), 5, "the CLI's report on the files as they stand");

    // a file that shrank: every input read again, nothing counted twice
    // (written beside it and renamed over it: the watcher never sees it half written)
    let new = dir.join("agent-metrics.jsonl.new");
    std::fs::write(&new, session("a1", "CODEX", true)).unwrap();
    std::fs::rename(&new, &a).unwrap();
    let fifth = next();
    assert_eq!(sessions_of(&fifth), 2, "{fifth}");
    assert_eq!(report_sessions(&dir), 2);
    let status = child.0.wait().unwrap();
    assert!(status.success(), "stops after --updates 5");
}

#[test]
fn bad_arguments_are_said() {
    let out = Command::new(env!("CARGO_BIN_EXE_spyglass")).args(["watch", ".", "--interval", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--interval: seconds between 0.05 and 3600"));
}
