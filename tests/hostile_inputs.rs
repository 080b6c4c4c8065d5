//! The hostile-input corpus of issue 3, point 5: every case yields its exact diagnostic and the
//! rest of the file still loads.

use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::{Feed, SkipReason, Store};

const GOOD: &str = r#"{"timestamp":"2026-02-09T14:23:45.123Z","attempt_id":"a1","task_id":"t1","executor":"codex","model":"m","event_type":"session_start","data":{"prompt_type":"initial"}}"#;

/// Loads `text` as one file and returns (events, skipped lines as "line: reason", field warnings).
fn load(bytes: &[u8]) -> (Store, Vec<String>) {
    let mut store = Store::new();
    store.load_bytes("f.jsonl", bytes);
    let skipped = store.skipped_lines().iter().map(|s| format!("{}: {}", s.line, s.reason)).collect();
    (store, skipped)
}

fn good_line(i: usize) -> String {
    GOOD.replace("14:23:45", &format!("14:{:02}:00", i % 60)).replace("\"a1\"", &format!("\"a{i}\""))
}

#[test]
fn each_bad_line_is_reported_and_the_rest_loads() {
    let cases: Vec<(&[u8], &str)> = vec![
        (b"{\"event_type\": \"x\" \"data\": 1}", "not valid JSON: expected `,` or `}` at column 20"),
        (b"[1, 2, 3]", "not a JSON object (an array)"),
        (b"null", "not a JSON object (null)"),
        (b"\"just a string\"", "not a JSON object (a string)"),
        (b"42", "not a JSON object (a number)"),
        (b"{\"hello\": \"world\"}", "a JSON object of no known shape (no `event_type`, `metrics` or `type`)"),
        (b"{\"metrics\": null, \"attempt_id\": \"a\"}", "`metrics` is not an object"),
        (b"{\"event_type\": 7}", "`event_type` is not a non-empty string"),
        (b"{\"event_type\": \"x\", \"data\": \"caf\xC3\x28\"}", "invalid UTF-8 at byte 33"),
        (b"\x00\x01\x02garbage\xFF\xFE", "invalid UTF-8 at byte 11"),
        (b"garbage that is not json", "not valid JSON: expected value at column 1"),
        (
            b"{\"event_type\": \"x\", \"data\": {\"duration_ms\": 1e400}}",
            "not valid JSON: number out of range at column 49",
        ),
        (
            b"{\"event_type\": \"x\", \"data\": {\"output\": \"cut her",
            "truncated: the line ends inside a JSON value (column 47)",
        ),
    ];
    let mut text = Vec::new();
    let mut expected = Vec::new();
    for (i, (bad, reason)) in cases.iter().enumerate() {
        text.extend_from_slice(good_line(i).as_bytes());
        text.push(b'\n');
        text.extend_from_slice(bad);
        text.push(b'\n');
        expected.push(format!("{}: {reason}", 2 * i + 2));
    }
    let (store, skipped) = load(&text);
    assert_eq!(skipped, expected);
    assert_eq!(store.events.len(), cases.len(), "every good line loads");
    assert_eq!(store.sources[0].skipped, cases.len() as u64);
}

#[test]
fn bom_crlf_blank_lines_and_a_last_line_without_newline() {
    let text = format!("\u{feff}{}\r\n\r\n   \n\t\r\n{}", good_line(1), good_line(2));
    let (store, skipped) = load(text.as_bytes());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(store.events.len(), 2, "the BOM line and the unterminated last line both load");
    assert_eq!(store.sources[0].lines, 5);
}

#[test]
fn a_truncated_last_line_is_reported_as_truncated() {
    let text = format!("{}\n{}", good_line(1), &good_line(2)[..60]);
    let (store, skipped) = load(text.as_bytes());
    assert_eq!(skipped, vec!["2: truncated: the line ends inside a JSON value (column 60); it is the last line and has no line end: the file was probably cut off"]);
    assert_eq!(store.skipped_lines()[0].reason, SkipReason::Truncated { column: 60, cut_off: true });
    assert_eq!(store.events.len(), 1);
}

#[test]
fn nesting_is_limited_without_a_stack_overflow() {
    let deep = format!("{{\"event_type\":\"x\",\"junk\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_obj = format!("{{\"event_type\":\"x\",\"data\":{}1{}}}", "{\"a\":".repeat(128), "}".repeat(128));
    let ok = format!("{{\"event_type\":\"x\",\"data\":{}1{}}}", "{\"a\":".repeat(127), "}".repeat(127));
    let text = format!("{deep}\n{deep_obj}\n{ok}\n{}\n", good_line(1));
    let (store, skipped) = load(text.as_bytes());
    assert_eq!(
        skipped,
        vec![
            "1: nested too deeply (more than 128 levels) at column 153",
            "2: nested too deeply (more than 128 levels) at column 661"
        ]
    );
    assert_eq!(store.events.len(), 2, "128 levels (the outer object counts) load, 129 do not");
}

#[test]
fn duplicate_keys_take_the_last_value_and_warn() {
    let line = r#"{"event_type":"status_change","attempt_id":"a","attempt_id":"b","data":{"tool_name":"x"}}"#;
    let (store, skipped) = load(line.as_bytes());
    assert!(skipped.is_empty());
    assert_eq!(store.str(store.context(store.events[0].ctx).attempt), "b");
    assert_eq!(store.diagnostics.field_warnings.get("attempt_id"), Some(&1));
}

#[test]
fn wrong_types_become_absent_with_a_field_warning() {
    let text = [
        // a string that parses as a number is read; one that does not is absent with a warning
        r#"{"timestamp":"2026-02-09T14:00:00Z","attempt_id":"a","event_type":"session_end","data":{"completion_status":"success","cost_usd":"0.25","total_tokens":"many","duration_ms":"1200"}}"#,
        // data null: an event without a payload; a timestamp that is not a time: kept, warned
        r#"{"timestamp":"soon","attempt_id":"a","event_type":"status_change","data":null}"#,
        // tokens out of range for a count
        r#"{"timestamp":1770645600000,"attempt_id":"a","event_type":"usage","data":{"prompt_tokens":-5,"completion_tokens":1e30,"cost_usd":0.5}}"#,
    ]
    .join("\n");
    let (store, skipped) = load(text.as_bytes());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(store.events.len(), 3);
    let w = &store.diagnostics.field_warnings;
    assert_eq!(w.get("data.total_tokens"), Some(&1));
    assert_eq!(w.get("timestamp"), Some(&1));
    assert_eq!(w.get("data.prompt_tokens"), Some(&1));
    assert_eq!(w.get("data.completion_tokens"), Some(&1));
    let data = Dataset::new(store);
    let s = &data.sessions[0];
    // session_end gives cost 0.25 (level 2 wins over the usage event's 0.5); duration from its data
    assert_eq!(s.usage.cost_usd, Some(0.25));
    assert_eq!(s.duration_ms, Some(1200));
    assert_eq!(s.success, Some(true));
}

/// A negative cost is no cost, and says so: a field warning per field (it was dropped silently).
/// Two costs of 1e308 sum to a finite (saturated) figure beside `cost_n: 2`, never to infinity,
/// which JSON writes as null.
#[test]
fn negative_costs_are_warned_and_huge_costs_stay_finite() {
    let text = [
        r#"{"timestamp":"2026-02-09T14:00:00Z","attempt_id":"a","event_type":"usage","data":{"total_tokens":5,"cost_usd":-0.5}}"#,
        r#"{"timestamp":"2026-02-09T14:00:01Z","attempt_id":"a","event_type":"usage","data":{"total_tokens":5,"total_cost_usd":"-1e3"}}"#,
        r#"{"timestamp":"2026-02-09T14:00:02Z","attempt_id":"b","event_type":"usage","data":{"usage":{"total_tokens":5,"cost_usd":-2}}}"#,
        r#"{"timestamp":"2026-02-09T14:00:00Z","attempt_id":"c","metrics":{"success":true,"cost_usd":-3,"total_tokens":9}}"#,
        r#"{"timestamp":"2026-02-09T14:00:00Z","attempt_id":"d","metrics":{"success":true,"cost_usd":1e308,"total_tokens":9}}"#,
        r#"{"timestamp":"2026-02-09T14:00:00Z","attempt_id":"e","metrics":{"success":true,"cost_usd":1e308,"total_tokens":9}}"#,
    ]
    .join("\n");
    let (store, skipped) = load(text.as_bytes());
    assert!(skipped.is_empty(), "{skipped:?}");
    let w = &store.diagnostics.field_warnings;
    assert_eq!(w.get("data.cost_usd"), Some(&1));
    assert_eq!(w.get("data.total_cost_usd"), Some(&1));
    assert_eq!(w.get("data.usage.cost_usd"), Some(&1));
    assert_eq!(w.get("metrics.cost_usd"), Some(&1));
    let data = Dataset::new(store);
    let report = spyglass::report::Report::compute(&data, &Default::default(), &Default::default());
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let summary = &json["summary"];
    assert_eq!(summary["cost_n"], 2, "{summary}");
    let total = summary["total_cost_usd"].as_f64().expect("a number, not null");
    assert!(total.is_finite() && total > 9e9, "{total}");
}

#[test]
fn a_line_of_over_100_mb_is_skipped_with_its_length_in_bounded_memory() {
    let mut store = Store::new();
    let mut feed = Feed::new("big.jsonl");
    feed.push(&mut store, format!("{}\n", good_line(1)).as_bytes());
    feed.push(&mut store, b"{\"event_type\":\"agent_output\",\"data\":{\"output\":\"");
    let chunk = vec![b'x'; 1 << 20];
    let mut max_buffered = 0;
    for _ in 0..101 {
        feed.push(&mut store, &chunk);
        max_buffered = max_buffered.max(feed.buffered_bytes());
    }
    feed.push(&mut store, b"\"}}\n");
    feed.push(&mut store, format!("{}\n", good_line(2)).as_bytes());
    feed.finish(&mut store);
    let len = 101 * (1u64 << 20) + 47 + 3;
    assert!(max_buffered <= 64 << 20, "held {max_buffered} bytes");
    assert_eq!(store.skipped_lines()[0].reason, SkipReason::TooLong { len });
    assert_eq!(store.skipped_lines()[0].line, 2);
    assert_eq!(store.events.len(), 2);
}

#[test]
fn binary_and_utf16_files_get_a_clear_message() {
    let mut store = Store::new();
    store.load_bytes("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    store.load_bytes("utf16.jsonl", b"\xFF\xFE{\x00\"\x00");
    store.load_bytes("notes.txt", b"hello\nworld\n");
    assert_eq!(store.sources[0].error.as_deref(), Some("binary content, not JSON Lines text: is this the right file?"));
    assert_eq!(
        store.sources[1].error.as_deref(),
        Some("UTF-16 text: bosun writes UTF-8 JSON Lines; convert the file to UTF-8")
    );
    assert_eq!(store.sources[2].error.as_deref(), Some("no line is bosun telemetry: is this the right file?"));
    assert_eq!(store.sources[2].skipped, 2);
}

#[test]
fn hostile_lines_give_the_same_result_at_every_chunking() {
    let mut text = b"\xEF\xBB\xBF".to_vec();
    for (i, bad) in [
        &b"[1]"[..],
        b"{\"a\":",
        b"\xFF\xFE\x00",
        b"null",
        b"{\"event_type\":\"x\",\"event_type\":\"y\"}",
        b"   ",
        b"{\"metrics\":7}",
    ]
    .iter()
    .enumerate()
    {
        text.extend_from_slice(good_line(i).as_bytes());
        text.extend_from_slice(b"\r\n");
        text.extend_from_slice(bad);
        text.extend_from_slice(b"\n");
    }
    text.extend_from_slice(&good_line(99).as_bytes()[..50]);
    let summary = |chunk: usize| {
        let mut store = Store::new();
        let mut feed = Feed::new("h.jsonl");
        for c in text.chunks(chunk) {
            feed.push(&mut store, c);
        }
        feed.finish(&mut store);
        (store.events.clone(), store.skipped_lines(), store.diagnostics.field_warnings.clone(), store.sources[0].lines)
    };
    let whole = summary(text.len());
    assert_eq!(whole.0.len(), 8, "7 good lines and the duplicate-key event");
    assert_eq!(whole.1.len(), 6);
    for chunk in [1, 2, 7, 4096] {
        assert_eq!(summary(chunk), whole, "chunk {chunk}");
    }
}
