//! Inputs the fuzzer (fuzz/, README: Fuzzing) found, kept as tests of the invariant each broke.

use spyglass::ingest::Store;
use spyglass::model::records::Sym;

/// Everything a store holds, as text (as tests/ranges.rs and the fuzz targets compare stores).
fn dump(store: &Store) -> Vec<String> {
    let mut out = vec![format!("sources {:?}", store.sources), format!("diagnostics {:?}", store.diagnostics)];
    out.extend((0..store.strings.len() as u32).map(|i| format!("string {i} {}", store.str(Sym(i)))));
    out.extend(store.contexts.iter().map(|c| format!("context {c:?}")));
    out.extend(store.events.iter().map(|e| format!("event {e:?}")));
    out.extend(store.usages.iter().map(|u| format!("usage {:?}", u.usage())));
    out.extend(store.metrics.iter().map(|m| format!("metrics {m:?}")));
    out.extend(store.alerts.iter().map(|a| format!("alert {a:?}")));
    out.push(format!("skipped {:?}", store.skipped_lines()));
    out
}

fn load(name: &str, bytes: &[u8], chunk: usize) -> Store {
    let mut store = Store::new();
    crate::support::feed_chunked(&mut store, name, bytes, chunk);
    store
}

fn same_at_every_chunking(name: &str, bytes: &[u8]) -> Store {
    let whole = load(name, bytes, usize::MAX);
    for chunk in (1..=17).chain([64, 1000, 4095, 4096, 4097]) {
        assert_eq!(dump(&load(name, bytes, chunk)), dump(&whole), "{name} at chunk size {chunk}");
    }
    whole
}

const BINARY: &str = "binary content, not JSON Lines text: is this the right file?";

/// feed_chunking, crash-e8fd5559: a PNG header read as `t.jsonl`. Whether a file is binary was
/// judged on its first chunk alone: whole, the NUL bytes at its end made it binary; pushed a byte
/// at a time, its first bytes had none, and its three "lines" were read and skipped. The first
/// 4 KiB are now held and judged together.
#[test]
fn binary_verdict_does_not_depend_on_the_chunking() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00";
    let store = same_at_every_chunking("t.jsonl", png);
    assert_eq!(store.sources[0].error.as_deref(), Some(BINARY));
    assert_eq!(store.sources[0].lines, 0);

    // a NUL anywhere in the first 4 KiB of a file that does not start like JSON; in the first line
    // of one that does; none past 4 KiB; UTF-16
    let line = br#"{"event_type":"tool_call","attempt_id":"T-1:a1","timestamp":"2026-02-09T10:00:00Z"}"#;
    let mut cases: Vec<(Vec<u8>, Option<&str>)> = Vec::new();
    for at in [0, 1, 5, 100, 4095] {
        let mut text = b"not json\n".repeat(500);
        text[at] = 0;
        cases.push((text, Some(BINARY)));
    }
    let mut text = b"not json\n".repeat(500);
    text[4096] = 0;
    cases.push((text, None));
    let mut json = line.to_vec();
    json.insert(20, 0);
    cases.push((json, Some(BINARY)));
    let mut json = [&line[..], b"\n", b"{\"a\":\"\x00\"}\n", &line[..]].concat();
    json.extend_from_slice(b"\n");
    cases.push((json, None));
    cases.push((
        b"\xFF\xFE{\x00\"\x00".to_vec(),
        Some("UTF-16 text: bosun writes UTF-8 JSON Lines; convert the file to UTF-8"),
    ));
    for (i, (bytes, verdict)) in cases.iter().enumerate() {
        let store = same_at_every_chunking(&format!("case{i}.jsonl"), bytes);
        if verdict.is_some() {
            assert_eq!(store.sources[0].error.as_deref(), *verdict, "case {i}");
        } else {
            assert_ne!(store.sources[0].error.as_deref(), Some(BINARY), "case {i}");
        }
    }
}

/// The same verdict for a `.gz` (the decoder hands the line reader its output in pieces of its own).
#[test]
fn binary_verdict_of_a_gzip_does_not_depend_on_the_chunking() {
    use flate2::write::GzEncoder;
    use std::io::Write;
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    let gz = e.finish().unwrap();
    let store = same_at_every_chunking("t.jsonl.gz", &gz);
    assert_eq!(store.sources[0].error.as_deref(), Some(BINARY));
}

fn gz(data: &[u8]) -> Vec<u8> {
    use flate2::write::GzEncoder;
    use std::io::Write;
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A zip of one stored entry `a.jsonl`, its crc32 given (wrong on purpose), with or without a data
/// descriptor.
fn zip_stored(data: &[u8], crc: u32, descriptor: bool) -> Vec<u8> {
    zip_entry(0, data, crc, descriptor)
}

/// The same with `method` (8: `data` is a deflate stream) and the sizes of `data`.
fn zip_entry(method: u16, data: &[u8], crc: u32, descriptor: bool) -> Vec<u8> {
    zip_entry_named("a.jsonl", method, data, crc, descriptor)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use flate2::write::DeflateEncoder;
    use std::io::Write;
    let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zip_entry_named(name: &str, method: u16, data: &[u8], crc: u32, descriptor: bool) -> Vec<u8> {
    let mut v = b"PK\x03\x04".to_vec();
    v.extend_from_slice(&20u16.to_le_bytes());
    v.extend_from_slice(&(if descriptor { 8u16 } else { 0 }).to_le_bytes());
    v.extend_from_slice(&method.to_le_bytes());
    v.extend_from_slice(&[0, 0, 0x21, 0]);
    let (c, n) = if descriptor { (0, 0) } else { (crc, data.len() as u32) };
    for x in [c, n, n] {
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.extend_from_slice(&(name.len() as u16).to_le_bytes());
    v.extend_from_slice(&0u16.to_le_bytes());
    v.extend_from_slice(name.as_bytes());
    v.extend_from_slice(data);
    if descriptor {
        v.extend_from_slice(b"PK\x07\x08");
        for x in [crc, data.len() as u32, data.len() as u32] {
            v.extend_from_slice(&x.to_le_bytes());
        }
    }
    v.extend_from_slice(b"PK\x05\x06");
    v.extend_from_slice(&[0; 18]);
    v
}

/// feed_chunking, crash-e2db99de: a zip whose entry fails its crc32 check. The message said how far
/// the input was read by counting the bytes pushed when the error came up — the whole file in one
/// push, less in small chunks. It now counts the bytes consumed up to the error, in `.gz` too.
#[test]
fn fatal_archive_errors_say_the_same_position_at_every_chunking() {
    let text =
        [r#"{"event_type":"session_start","attempt_id":"T1:a1","timestamp":"2026-02-09T10:00:00Z"}"#, "\n"].concat();
    let text = text.as_bytes();
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("crc.zip", zip_stored(text, 0xdead_beef, false), "crc32 mismatch"),
        ("stored-descriptor.zip", zip_stored(text, 0xdead_beef, true), "stored with a data descriptor"),
    ];
    let good = gz(text);
    let mut bad_crc = good.clone();
    let n = bad_crc.len();
    bad_crc[n - 8] ^= 1;
    cases.push(("crc.jsonl.gz", bad_crc, "crc32 mismatch"));
    let mut garbage = [good.clone(), vec![0, 0, 0, 7, 0]].concat();
    garbage.extend_from_slice(&good);
    cases.push(("garbage.jsonl.gz", garbage, "trailing garbage"));
    // a second member with bad magic bytes (crash-e0a8b7e1: its fixed header was read whole
    // before the magic was judged — 32 input bytes read whole, 25 in small chunks)
    for (i, magic) in [&b"\x1e\x8b"[..], b"\x1fx", b"PK", b"\x1f"].into_iter().enumerate() {
        let mut second = magic.to_vec();
        second.extend_from_slice(&[8, 4, 0x2b, 0, 0, 0, 0, 0, 0, 3, 0, 0]);
        let name: &'static str = ["magic-0.jsonl.gz", "magic-1.jsonl.gz", "magic-pk.jsonl.gz", "magic-cut.jsonl.gz"][i];
        let bytes = [good.clone(), second].concat();
        cases.push((name, bytes, "trailing garbage"));
    }
    let mut corrupt = good.clone();
    corrupt[10] = 0xff; // a reserved block type right at the deflate stream's start
    cases.push(("corrupt.jsonl.gz", corrupt, "corrupt deflate stream"));
    let mut second_corrupt = [good.clone(), good.clone()].concat();
    second_corrupt[good.len() + 10] = 0xff;
    cases.push(("second-corrupt.jsonl.gz", second_corrupt, "corrupt deflate stream"));
    // deflated zip entries whose stream goes bad at every point (crash-78de3378: the message said
    // 41 input bytes read whole, 70 in small chunks)
    let deflated = {
        use flate2::write::DeflateEncoder;
        use std::io::Write;
        let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        for i in 0..12 {
            e.write_all(
                format!(
                    "{{\"event_type\":\"tool_call\",\"attempt_id\":\"T{i}:a1\",\"data\":{{\"n\":{}}}}}\n",
                    i * 7919
                )
                .as_bytes(),
            )
            .unwrap();
        }
        e.finish().unwrap()
    };
    let mut corrupted = Vec::new();
    for at in 0..deflated.len() {
        for descriptor in [false, true] {
            let mut d = deflated.clone();
            d[at] ^= 0xa5;
            corrupted.push((format!("deflate-{at}-{descriptor}.zip"), zip_entry(8, &d, 0, descriptor)));
        }
    }
    // a `.jsonl.gz` inside the zip (stored or deflated) whose gzip goes bad at every point
    // (crash-a918c31f: a nested gzip's corrupt deflate, 106 input bytes whole, 122 chunked)
    let inner = gz(&text.repeat(4));
    for at in 10..inner.len() {
        let mut g = inner.clone();
        g[at] ^= 0xa5;
        let name = |kind: &str| format!("nested-{kind}-{at}.zip");
        let (stored, deflated) =
            (zip_entry_named("a.jsonl.gz", 0, &g, 0, false), zip_entry_named("a.jsonl.gz", 8, &deflate(&g), 0, false));
        corrupted.push((name("stored"), stored));
        corrupted.push((name("deflated"), deflated));
    }
    for (name, bytes) in &corrupted {
        same_at_every_chunking(name, bytes);
    }
    for (name, bytes, what) in &cases {
        let store = same_at_every_chunking(name, bytes);
        let error = store.sources.last().and_then(|s| s.error.clone()).unwrap_or_default();
        assert!(error.contains(what) && error.contains("input bytes; what came before was loaded"), "{name}: {error}");
    }
}

/// feed_chunking, crash-32f43bac: a `.gz` cut off inside its deflate stream. How much of it was
/// decoded depended on the chunking (65 651 bytes whole, 65 536 in small chunks: the inflater's
/// output not yet drained when the input ended); what was decodable before the cut is now drained
/// at the end in `.gz` and `.zip` alike.
#[test]
fn a_cut_off_archive_decodes_the_same_bytes_at_every_chunking() {
    let mut text = Vec::new();
    for i in 0..1500 {
        text.extend_from_slice(
            format!(
                "{{\"event_type\":\"tool_call\",\"attempt_id\":\"T{}:a1\",\"data\":{{\"n\":{}}}}}\n",
                i % 37,
                i * 7919
            )
            .as_bytes(),
        );
    }
    let whole = gz(&text);
    let zipped = zip_entry(8, &deflate(&text), 0, false);
    let mut cases = Vec::new();
    for cut in (20..whole.len() - 8).step_by(401) {
        cases.push((format!("cut-{cut}.jsonl.gz"), whole[..cut].to_vec()));
    }
    for cut in (60..zipped.len()).step_by(401) {
        cases.push((format!("cut-{cut}.zip"), zipped[..cut].to_vec()));
    }
    // the fuzzer's own file: 3 384 bytes of a gzip cut inside a deflate block of 65 651 bytes
    let found =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/cut-off-in-deflate.jsonl.gz")).unwrap();
    cases.insert(0, ("cut-off-in-deflate.jsonl.gz".to_string(), found));
    for (name, bytes) in &cases {
        let reference = dump(&load(name, bytes, usize::MAX));
        for chunk in [1, 2, 3, 7, 16, 1000, 4096] {
            assert_eq!(dump(&load(name, bytes, chunk)), reference, "{name} at chunk size {chunk}");
        }
    }
}
