//! A memory limit stops an input at its last whole line (the page's worker bounds the tab's memory
//! this way): what was loaded is exactly what reading that part of the input without a limit
//! loads, the store holds about the limit and no more, and the source says where it stopped.

use flate2::write::GzEncoder;
use flate2::Compression;
use spyglass::demo::{generate, DemoConfig, MemorySink};
use spyglass::ingest::{Feed, Stopped, Store};
use std::io::Write;

const NAME: &str = "agent-work-stream.jsonl";

fn demo_stream(sessions: usize) -> Vec<u8> {
    let mut sink = MemorySink::default();
    generate(&DemoConfig { sessions, seed: 11, ..Default::default() }, &mut sink).unwrap();
    sink.files.remove(NAME).unwrap()
}

/// The records of a store, without its sources (whose error says why an input stopped).
fn records(store: &Store) -> Vec<String> {
    let mut out = vec![format!("diagnostics {:?}", store.diagnostics), format!("strings {}", store.strings.len())];
    out.extend(store.contexts.iter().map(|c| format!("context {c:?}")));
    out.extend(store.events.iter().map(|e| format!("event {e:?}")));
    out.extend(store.usages.iter().map(|u| format!("usage {:?}", u.usage())));
    out.extend(store.metrics.iter().map(|m| format!("metrics {m:?}")));
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn whole(bytes: &[u8]) -> Store {
    let mut store = Store::new();
    store.load_bytes(NAME, bytes);
    store
}

/// Reads `bytes` (whose plain size is `size`) in `chunk`-byte pushes under `limit`, as the worker does.
fn limited(store: &mut Store, bytes: &[u8], size: u64, chunk: usize, limit: usize) -> Option<Stopped> {
    let mut feed = Feed::with_size_hint(NAME, size);
    feed.set_memory_limit(limit);
    for c in bytes.chunks(chunk) {
        feed.push(store, c);
        if feed.stopped().is_some() {
            break;
        }
    }
    let stopped = feed.stopped();
    feed.finish(store);
    stopped
}

#[test]
fn a_plain_input_stops_at_a_line_end_and_keeps_what_came_before() {
    // 34 MB: a third of what it holds leaves its first 4 MiB room to grow by doubling before the
    // room for the rest is reserved (a third of 17 MB's does not)
    let bytes = demo_stream(600);
    // what all of it holds, read with its records reserved at once (no spare room from doubling)
    let mut all = Store::new();
    assert_eq!(limited(&mut all, &bytes, bytes.len() as u64, 1 << 20, usize::MAX / 2), None);
    let limit = all.held_bytes() / 3;
    for chunk in [64 << 10, 1 << 20, (2 << 20) + 7] {
        let mut store = Store::new();
        let stopped = limited(&mut store, &bytes, bytes.len() as u64, chunk, limit).expect("stopped");
        let at = stopped.bytes as usize;
        assert!(
            at > bytes.len() / 4 && at < bytes.len() && bytes[at - 1] == b'\n',
            "stopped at byte {at} of {} (chunk {chunk})",
            bytes.len()
        );
        // the records fill most of the limit and do not pass it (no room grown by doubling)
        let held = store.held_bytes() as f64 / limit as f64;
        assert!((0.75..=1.0).contains(&held), "holds {held:.3} of the limit (chunk {chunk})");
        let prefix = whole(&bytes[..at]);
        assert_eq!(records(&store), records(&prefix), "chunk {chunk}");
        let lines = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!((stopped.lines, store.sources[0].lines), (lines, lines));
        assert_eq!(store.sources[0].error.as_deref(), Some(format!("stopped after line {lines}: the rest would pass the memory limit for records; the lines before it were loaded").as_str()));
    }
}

#[test]
fn a_gzip_input_stops_at_the_line_whose_record_would_pass_the_limit() {
    let bytes = demo_stream(120);
    let gz = gzip(&bytes);
    let limit = whole(&bytes).held_bytes() / 2;
    let mut store = Store::new();
    let stopped = limited(&mut store, &gz, gz.len() as u64, 16 << 10, limit).expect("stopped");
    assert!(stopped.bytes < gz.len() as u64 && stopped.lines > 0);
    // no room reserved (its size is unknown): the records grow until growing would pass the limit
    assert!(store.held_bytes() <= limit + limit / 10, "holds {} for a limit of {limit}", store.held_bytes());
    // the lines loaded are the input's first lines, and nothing of the line cut short
    let at = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(stopped.lines as usize - 1).unwrap().0 + 1;
    assert_eq!(records(&store), records(&whole(&bytes[..at])));
    assert!(store.sources[0].error.as_deref().unwrap().starts_with(&format!("stopped after line {}:", stopped.lines)));
}

#[test]
fn an_input_after_the_limit_is_reached_loads_nothing_and_no_limit_loads_all() {
    let bytes = demo_stream(40);
    let mut store = whole(&bytes);
    let before = records(&store);
    let full = store.held_bytes();
    let stopped = limited(&mut store, &bytes, bytes.len() as u64, 1 << 20, full).expect("stopped");
    assert_eq!(stopped, Stopped { bytes: 0, lines: 0 });
    assert_eq!(records(&store), before);
    // a limit the input fits in changes nothing
    let mut roomy = Store::new();
    assert_eq!(limited(&mut roomy, &bytes, bytes.len() as u64, 1 << 20, usize::MAX / 2), None);
    assert_eq!(records(&roomy), records(&whole(&bytes)));
}

/// Seeded chunkings and limits (the demo stream has malformed, blank and repeated lines): wherever
/// the input stops, it is at a line end, within the limit, with the records of the lines before.
/// Most stop: the limits are 10–90 % of what all of it holds.
#[test]
fn any_chunking_and_limit_stops_at_a_line_with_the_lines_before() {
    let bytes = demo_stream(200);
    let mut all = Store::new();
    assert_eq!(limited(&mut all, &bytes, bytes.len() as u64, 1 << 20, usize::MAX / 2), None);
    let full = all.held_bytes();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut stops = 0;
    for _ in 0..12 {
        let chunk = 4096 + next(3 << 20) as usize;
        let limit = full / 10 + next(full as u64 * 8 / 10) as usize;
        let mut store = Store::new();
        // (a limit near what all of it holds may let it read whole: `full` counts spare room)
        let at =
            limited(&mut store, &bytes, bytes.len() as u64, chunk, limit).map_or(bytes.len(), |s| s.bytes as usize);
        assert!(at == 0 || bytes[at - 1] == b'\n', "chunk {chunk}, limit {limit}: stopped inside a line at {at}");
        assert!(
            store.held_bytes() <= limit + limit / 10,
            "chunk {chunk}: holds {} for a limit of {limit}",
            store.held_bytes()
        );
        assert_eq!(records(&store), records(&whole(&bytes[..at])), "chunk {chunk}, limit {limit}");
        stops += (at < bytes.len()) as u32;
    }
    assert!(stops >= 8, "only {stops} of 12 stopped");
}

/// With its decompressed size known (the trailer's ISIZE, read by the page's worker) a `.gz` gets
/// its records' room reserved as a plain input does: it fills most of the limit.
#[test]
fn a_gzip_input_with_its_size_fills_the_limit_like_a_plain_one() {
    let bytes = demo_stream(600);
    let gz = gzip(&bytes);
    let mut all = Store::new();
    assert_eq!(limited(&mut all, &bytes, bytes.len() as u64, 1 << 20, usize::MAX / 2), None);
    let limit = all.held_bytes() / 3;
    let mut store = Store::new();
    let mut feed = Feed::with_size_hint(NAME, gz.len() as u64);
    feed.set_memory_limit(limit);
    feed.set_gzip_size_hint(bytes.len() as u64);
    for c in gz.chunks(256 << 10) {
        feed.push(&mut store, c);
        if feed.stopped().is_some() {
            break;
        }
    }
    let stopped = feed.stopped().expect("stopped");
    feed.finish(&mut store);
    let held = store.held_bytes() as f64 / limit as f64;
    assert!((0.75..=1.0).contains(&held), "holds {held:.3} of the limit");
    // where the plain input stops under the same limit, give or take a few lines per hundred
    let plain = limited(&mut Store::new(), &bytes, bytes.len() as u64, 256 << 10, limit).expect("stopped").lines as f64;
    assert!(
        (stopped.lines as f64 / plain - 1.0).abs() < 0.03,
        "the .gz stops after line {}, the plain input after {plain}",
        stopped.lines
    );
    let at = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(stopped.lines as usize - 1).unwrap().0 + 1;
    assert_eq!(records(&store), records(&whole(&bytes[..at])));
}
