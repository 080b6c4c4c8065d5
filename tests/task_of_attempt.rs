//! Task of an attempt (analytics-spec.md, revision 2): a line without task_id whose attempt_id
//! starts with a UUID and a hyphen belongs to that UUID's task — events, metrics rows and alerts.

use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::task_of_attempt;

const TASK: &str = "0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4b";

#[test]
fn the_rule() {
    let attempt = format!("{TASK}-7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    assert_eq!(task_of_attempt(&attempt), Some(TASK));
    // anything after the hyphen; upper-case hex; spaces around are trimmed
    assert_eq!(task_of_attempt(&format!("{TASK}-retry-2")), Some(TASK));
    assert_eq!(task_of_attempt("0B6F3C9E-1D2A-4E5F-8A7B-9C0D1E2F3A4B-x"), Some("0B6F3C9E-1D2A-4E5F-8A7B-9C0D1E2F3A4B"));
    assert_eq!(task_of_attempt(&format!(" {TASK}-x ")), Some(TASK));
    // not a UUID followed by a hyphen
    for a in [
        "ve-a1b2c3-fix-login",
        TASK,                                           // the UUID alone: no hyphen after it
        "0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4bc-x",      // a 13-digit last group
        "0b6f3c9e-1d2a-4e5f-8a7b_9c0d1e2f3a4b-x",       // `_` where a hyphen belongs
        "0b6f3c9g-1d2a-4e5f-8a7b-9c0d1e2f3a4b-x",       // `g` is not hex
        "0b6f3c9e1d2a4e5f8a7b9c0d1e2f3a4b-x-yyyy-zzzz", // no hyphens inside
        "x0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4b-x",      // not at the start
        "é0b6f3c9-1d2a-4e5f-8a7b-9c0d1e2f3a4b-x",
        "",
    ] {
        assert_eq!(task_of_attempt(a), None, "{a:?}");
    }
}

#[test]
fn events_rows_and_alerts_take_the_task_of_their_attempt() {
    let a1 = format!("{TASK}-7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    let a2 = format!("{TASK}-11111111-2222-4333-8444-555555555555");
    let lines = [
        // a1: events only, no task_id
        format!(r#"{{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"{a1}","executor":"codex","event_type":"session_start","data":{{}}}}"#),
        format!(r#"{{"timestamp":"2026-02-09T10:00:01Z","attempt_id":"{a1}","executor":"codex","event_type":"error","data":{{"error_message":"boom"}}}}"#),
        // a2: a metrics row only
        format!(r#"{{"timestamp":"2026-02-09T10:05:00Z","attempt_id":"{a2}","executor":"codex","metrics":{{"success":true}}}}"#),
        // an alert of a1
        format!(r#"{{"timestamp":"2026-02-09T10:06:00Z","type":"stuck_agent","attempt_id":"{a1}","executor":"codex"}}"#),
        // a task_id given wins over the attempt's UUID
        r#"{"timestamp":"2026-02-09T10:07:00Z","attempt_id":"0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4b-aaaa","task_id":"given","event_type":"session_start","data":{}}"#.to_string(),
        // not a UUID prefix: no task
        r#"{"timestamp":"2026-02-09T10:08:00Z","attempt_id":"ve-a1b2c3-fix-login","event_type":"session_start","data":{}}"#.to_string(),
    ];
    let text = lines.join("\n");
    let data = Dataset::from_files([("agent-work-stream.jsonl", text.as_bytes())]);
    let task_of = |attempt: &str| {
        let sym = data.store.strings.lookup(attempt).unwrap();
        let s = &data.sessions[data.session_of_attempt[&sym] as usize];
        data.str(s.task_id).to_string()
    };
    assert_eq!(task_of(&a1), TASK, "events");
    assert_eq!(task_of(&a2), TASK, "metrics row");
    assert_eq!(task_of("0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4b-aaaa"), "given");
    assert_eq!(task_of("ve-a1b2c3-fix-login"), "");
    assert_eq!(data.str(data.store.alerts[0].task_id), TASK, "alert");
    assert_eq!(data.str(data.derived.errors[0].task), TASK, "error event");
    // one task for a1 and a2 (both attempts of TASK)
    let tasks: std::collections::BTreeSet<&str> = data.sessions.iter().map(|s| data.str(s.task_id)).collect();
    assert_eq!(tasks.into_iter().collect::<Vec<_>>(), vec!["", TASK, "given"]);
}
