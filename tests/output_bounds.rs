//! Output amplification: a small input must not make a huge report. A source's name is repeated
//! in every skipped line and superseded row (cut to 256 characters there, whole once in
//! `diagnostics.sources`), and superseded rows are listed up to 10 000 like skipped lines.

use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::{Store, MAX_REPEATED_NAME_CHARS};
use spyglass::report::Report;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A `.zip` of one stored entry.
fn zip_of(name: &str, data: &[u8]) -> Vec<u8> {
    let mut v = b"PK\x03\x04".to_vec();
    v.extend_from_slice(&20u16.to_le_bytes());
    v.extend_from_slice(&0u16.to_le_bytes()); // flags
    v.extend_from_slice(&0u16.to_le_bytes()); // stored
    v.extend_from_slice(&[0, 0, 0x21, 0]);
    v.extend_from_slice(&crc32(data).to_le_bytes());
    v.extend_from_slice(&(data.len() as u32).to_le_bytes());
    v.extend_from_slice(&(data.len() as u32).to_le_bytes());
    v.extend_from_slice(&(name.len() as u16).to_le_bytes());
    v.extend_from_slice(&0u16.to_le_bytes());
    v.extend_from_slice(name.as_bytes());
    v.extend_from_slice(data);
    v.extend_from_slice(b"PK\x05\x06");
    v.extend_from_slice(&[0; 18]);
    v
}

/// `n` attempts with two metrics rows each (the first superseded) and `bad` unreadable lines.
fn lines(n: usize, bad: usize) -> Vec<u8> {
    let mut text = String::new();
    for i in 0..n {
        for minute in [0, 30] {
            text.push_str(&format!("{{\"timestamp\":\"2026-02-09T09:{minute:02}:00Z\",\"attempt_id\":\"a{i}\",\"metrics\":{{\"success\":true}}}}\n"));
        }
    }
    for i in 0..bad {
        text.push_str(&format!("not json {i}\n"));
    }
    text.into_bytes()
}

fn report(store: Store) -> (Report, String) {
    let data = Dataset::new(store);
    let report = Report::compute(&data, &Default::default(), &Default::default());
    let json = report.to_json();
    (report, json)
}

/// A 65 000-character entry name and 400 rows that repeat it: the report stays small (it was
/// 400 × 65 KB = 26 MB, and a 130 KB zip of 10 000 bad lines made 651 MB).
#[test]
fn a_long_entry_name_is_cut_where_it_is_repeated() {
    let entry = format!("{}.jsonl", "n".repeat(65_000));
    let zip = zip_of(&entry, &lines(200, 200));
    let mut store = Store::new();
    store.load_bytes("logs.zip", &zip);
    assert_eq!(store.diagnostics.n_skipped, 200);
    let (r, json) = report(store);
    let d = &r.diagnostics;
    assert_eq!((d.skipped_lines.len(), d.superseded_rows.len()), (200, 200));
    // whole once, in the sources
    assert_eq!(d.sources[0].name, format!("logs.zip/{entry}"));
    let cut = &d.skipped_lines[0].source;
    assert_eq!(cut.chars().count(), MAX_REPEATED_NAME_CHARS + 1);
    assert!(cut.starts_with("logs.zip/nnn") && cut.ends_with('…'), "{cut}");
    assert_eq!(&d.superseded_rows[0].source, cut);
    assert_eq!(d.skipped_lines[0].line, 401);
    assert!(json.len() < 1 << 20, "{} bytes of JSON", json.len());
    let text = spyglass::report::text::render(&r);
    assert!(text.len() < 1 << 20, "{} bytes of text", text.len());
    let html = spyglass::report::html::render(&r);
    assert!(html.len() < 2 << 20, "{} bytes of HTML", html.len());
}

/// Superseded rows are listed up to 10 000, all counted (`superseded_rows_total`); they were
/// all listed.
#[test]
fn superseded_rows_are_listed_up_to_a_cap_and_all_counted() {
    let mut store = Store::new();
    store.load_bytes("m.jsonl", &lines(12_000, 0));
    let (r, json) = report(store);
    let d = &r.diagnostics;
    assert_eq!((d.superseded_rows.len(), d.superseded_rows_total), (10_000, 12_000));
    assert_eq!(r.summary.superseded_rows, 12_000);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["diagnostics"]["superseded_rows_total"], 12_000);
    // in read order: the first listed is the first attempt's first row
    assert_eq!((d.superseded_rows[0].attempt_id.as_str(), d.superseded_rows[0].line), ("a0", 1));
    let html = spyglass::report::html::render(&r);
    assert!(html.contains("12,000"), "the HTML counts all of them");
}
