//! A plain file read as byte ranges (each parsed on its own, its result sent as bytes, merged in
//! order) gives exactly the store one `Feed` gives: the same records, names interned in the same
//! order, the same line numbers, skipped lines, duplicates and warnings — and so the same report.

use spyglass::dataset::sessions::Dataset;
use spyglass::demo::{generate, DemoConfig, MemorySink};
use spyglass::ingest::ranges::{RangeMerge, RangeParser, RangeResult};
use spyglass::ingest::{Stopped, Store};
use spyglass::model::records::Sym;
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::Report;

/// Everything a store holds, as text, for one comparison with a readable diff.
fn dump(store: &Store) -> Vec<String> {
    let mut out = vec![format!("sources {:?}", store.sources), format!("diagnostics {:?}", store.diagnostics)];
    out.extend((0..store.strings.len() as u32).map(|i| format!("string {i} {}", store.str(Sym(i)))));
    out.extend(store.contexts.iter().map(|c| format!("context {c:?}")));
    out.extend(store.events.iter().map(|e| format!("event {e:?}")));
    out.extend(store.usages.iter().map(|u| format!("usage {:?}", u.usage())));
    out.extend(store.metrics.iter().map(|m| format!("metrics {m:?}")));
    out.extend(store.alerts.iter().map(|a| format!("alert {a:?}")));
    out
}

fn report(store: Store) -> String {
    Report::compute(&Dataset::new(store), &Filters::default(), &Parameters::default()).to_json()
}

/// Reads `bytes` as ranges of `range` bytes, pushing each `piece` bytes at a time.
fn load_ranges(store: &mut Store, name: &str, bytes: &[u8], range: usize, piece: usize) {
    assert_eq!(load_ranges_within(store, name, bytes, range, piece, None), None);
}

/// `load_ranges` under a memory limit (as the page's worker reads): where the file stopped.
fn load_ranges_within(
    store: &mut Store,
    name: &str,
    bytes: &[u8],
    range: usize,
    piece: usize,
    limit: Option<usize>,
) -> Option<Stopped> {
    let len = bytes.len();
    let mut merge = RangeMerge::new(store, name, len as u64);
    if let Some(limit) = limit {
        merge.set_memory_limit(limit);
    }
    let mut start = 0;
    while start < len || (start == 0 && len == 0) {
        let end = (start + range).min(len);
        let mut parser = RangeParser::new(start as u64);
        for p in bytes[start.saturating_sub(1)..end].chunks(piece.max(1)) {
            parser.push(p);
        }
        parser.end_of_range();
        let mut pos = end;
        while parser.needs_more() && pos < len {
            let next = (pos + piece).min(len);
            parser.push(&bytes[pos..next]);
            pos = next;
        }
        let at_eof = end == len || (parser.needs_more() && pos == len);
        let sent = parser.finish(at_eof).to_bytes();
        merge.merge(store, RangeResult::from_bytes(&sent).expect("a result reads back"));
        if end == len || merge.stopped().is_some() {
            break;
        }
        start = end;
    }
    let stopped = merge.stopped();
    merge.finish(store);
    stopped
}

fn assert_same(files: &[(&str, Vec<u8>)], range: usize, piece: usize) {
    let mut one = Store::new();
    let mut split = Store::new();
    for (name, bytes) in files {
        one.load_bytes(name, bytes);
        load_ranges(&mut split, name, bytes, range, piece);
    }
    let (a, b) = (dump(&one), dump(&split));
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "first difference at item {i} (ranges of {range} bytes, pushed {piece} at a time)");
    }
    assert_eq!(a.len(), b.len());
    assert_eq!(report(one), report(split));
}

fn demo_files() -> Vec<(String, Vec<u8>)> {
    let mut sink = MemorySink::default();
    generate(&DemoConfig { sessions: 60, ..DemoConfig::default() }, &mut sink).expect("demo");
    sink.files.into_iter().collect()
}

#[test]
fn demo_data_in_ranges_equals_one_feed() {
    // the stream first, then the per-session files: nearly every line of those is a duplicate
    let mut files = demo_files();
    files.sort_by_key(|(name, _)| (!name.contains("stream"), name.clone()));
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    assert!(total > 300_000, "demo too small to cut: {total}");
    for (range, piece) in [(1 << 20, 1 << 16), (65_536, 4096), (7_777, 1000), (1_000, 333)] {
        assert_same(&files, range, piece);
    }
}

#[test]
fn cuts_at_every_kind_of_boundary() {
    let good = |i: usize, extra: &str| {
        format!(
            r#"{{"timestamp":"2026-02-09T14:{:02}:00Z","attempt_id":"a{}","task_id":"t1","executor":"codex","model":"m","event_type":"tool_call","data":{{"tool_name":"edit","file":"f{i}.rs"{extra}}}}}"#,
            i % 60,
            i % 3
        )
    };
    let mut text = String::from("\u{feff}");
    for i in 0..40 {
        text.push_str(&good(i, ""));
        text.push_str(if i % 5 == 0 { "\r\n" } else { "\n" });
        if i % 7 == 0 {
            text.push_str("not json at all\n\n   \n");
        }
        if i % 9 == 0 {
            text.push_str(&good(i, ""));
            text.push('\n'); // a duplicate, maybe in another range
        }
        if i % 11 == 0 {
            text.push_str(&good(i, r#","duration_ms":"soon""#)); // a field warning
            text.push('\n');
        }
    }
    text.push_str(r#"{"type":"error_loop","severity":"HIGH","attempt_id":"a1","task_id":"t1","task_title":"T","model":"m","executor":"codex","timestamp":"2026-02-09T15:00:00Z"}"#);
    text.push('\n');
    // an alert of bosun's current analyser: its cooldown key is a name of its own, interned last
    text.push_str(r#"{"timestamp":"2026-02-09T15:01:00Z","_cooldown_key":"tool_loop:a2","type":"tool_loop","severity":"medium","attempt_id":"a2","occurrences":"12"}"#);
    text.push('\n');
    text.push_str(r#"{"event_type":"x","data":{"output":"cut her"#); // last line: no `\n`, truncated
    let bytes = text.into_bytes();
    for range in [1, 2, 3, 17, 64, 150, 151, 152, 1000, bytes.len()] {
        for piece in [1, 7, 4096] {
            assert_same(&[("f.jsonl", bytes.clone())], range, piece);
        }
    }
}

#[test]
fn a_binary_first_range_rejects_the_whole_file() {
    let mut bytes = b"\x00\x01\x02\x03 not text".to_vec();
    bytes.extend(std::iter::repeat_n(b"{\"event_type\":\"x\"}\n", 50).flatten());
    for range in [5, 64, 4096] {
        assert_same(&[("bin.jsonl", bytes.clone())], range, 16);
    }
    let mut store = Store::new();
    load_ranges(&mut store, "bin.jsonl", &bytes, 64, 16);
    assert_eq!(store.sources[0].error.as_deref(), Some("binary content, not JSON Lines text: is this the right file?"));
    assert_eq!(store.events.len(), 0);
    assert_eq!(store.sources[0].bytes, bytes.len() as u64);
}

#[test]
fn empty_and_newline_only_files() {
    for bytes in [&b""[..], b"\n", b"\n\n\n", b"{}", b"{\"event_type\":\"a\"}"] {
        for range in [1, 2, 100] {
            assert_same(&[("e.jsonl", bytes.to_vec())], range, 1);
        }
    }
}

/// Under a memory limit the ranges stop before the first one whose records do not fit: what was
/// merged is what reading the lines before it as one input gives, within the limit.
#[test]
fn ranges_stop_whole_at_a_memory_limit() {
    let mut sink = MemorySink::default();
    generate(&DemoConfig { sessions: 300, seed: 4, ..Default::default() }, &mut sink).unwrap();
    let bytes = &sink.files["agent-work-stream.jsonl"];
    let mut all = Store::new();
    load_ranges(&mut all, "s.jsonl", bytes, 1 << 20, 64 << 10);
    let limit = all.held_bytes() / 3;
    let mut split = Store::new();
    let stopped = load_ranges_within(&mut split, "s.jsonl", bytes, 1 << 20, 64 << 10, Some(limit)).expect("stopped");
    assert!(stopped.lines > 0 && stopped.bytes < bytes.len() as u64);
    assert!(
        split.held_bytes() <= limit && split.held_bytes() >= limit / 2,
        "holds {} for a limit of {limit}",
        split.held_bytes()
    );
    let at = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(stopped.lines as usize - 1).unwrap().0 + 1;
    let mut one = Store::new();
    one.load_bytes("s.jsonl", &bytes[..at]);
    let (mut got, want) = (dump(&split), dump(&one));
    // the sources differ by the stop's note and the bytes counted (whole ranges)
    assert!(split.sources[0].error.as_deref().unwrap().starts_with(&format!("stopped after line {}:", stopped.lines)));
    got[0] = want[0].clone();
    assert_eq!(got, want);
}
