use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use spyglass::ingest::archive::{sniff, ContainerKind, Decoder, Output, MAX_DATA_CHUNK};
use std::io::Write;

// ---------------------------------------------------------------------------
// Driver

#[derive(Debug, Clone, PartialEq)]
enum Ev {
    Start(String),
    Data(Vec<u8>),
    End,
}

#[derive(Debug, Clone, PartialEq)]
struct Run {
    events: Vec<Ev>,
    /// Recoverable errors, in order.
    notices: Vec<String>,
    /// The fatal error, if any.
    fatal: Option<String>,
    bytes_out: u64,
}

impl Run {
    fn data(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for e in &self.events {
            if let Ev::Data(d) = e {
                v.extend_from_slice(d);
            }
        }
        v
    }

    /// (name, content) of every entry; asserts the event sequence is well formed
    /// (the last entry may be left open by a fatal error).
    fn entries(&self) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = Vec::new();
        let mut open = false;
        for e in &self.events {
            match e {
                Ev::Start(n) => {
                    assert!(!open, "EntryStart inside an entry: {:?}", self.events_summary());
                    open = true;
                    v.push((n.clone(), Vec::new()));
                }
                Ev::Data(d) => {
                    assert!(open, "Data outside an entry");
                    v.last_mut().unwrap().1.extend_from_slice(d);
                }
                Ev::End => {
                    assert!(open, "EntryEnd outside an entry");
                    open = false;
                }
            }
        }
        if open {
            assert!(self.fatal.is_some(), "entry left open without a fatal error");
        }
        v
    }

    fn events_summary(&self) -> Vec<String> {
        self.events
            .iter()
            .map(|e| match e {
                Ev::Start(n) => format!("start {n}"),
                Ev::Data(d) => format!("data {}", d.len()),
                Ev::End => "end".into(),
            })
            .collect()
    }
}

fn record(events: &mut Vec<Ev>, o: Output<'_>) {
    match o {
        Output::EntryStart { name } => events.push(Ev::Start(name.to_string())),
        Output::Data(d) => {
            assert!(!d.is_empty(), "empty Data event");
            assert!(d.len() <= MAX_DATA_CHUNK, "Data event of {} bytes", d.len());
            if let Some(Ev::Data(last)) = events.last_mut() {
                last.extend_from_slice(d);
            } else {
                events.push(Ev::Data(d.to_vec()));
            }
        }
        Output::EntryEnd => events.push(Ev::End),
    }
}

fn decode_with(kind: ContainerKind, input: &[u8], sizes: &mut dyn FnMut() -> usize) -> Run {
    let mut dec = Decoder::new(kind);
    let mut events = Vec::new();
    let mut notices = Vec::new();
    let mut fatal = None;
    let mut rest = input;
    while !rest.is_empty() {
        let n = sizes().clamp(1, rest.len());
        let (chunk, r) = rest.split_at(n);
        rest = r;
        if let Err(e) = dec.push(chunk, &mut |o| record(&mut events, o)) {
            if dec.is_failed() {
                fatal = Some(e.message);
                break;
            }
            notices.push(e.message);
        }
    }
    if fatal.is_none() {
        for _ in 0..1000 {
            match dec.finish(&mut |o| record(&mut events, o)) {
                Ok(()) => break,
                Err(e) if dec.is_failed() => {
                    fatal = Some(e.message);
                    break;
                }
                Err(e) => notices.push(e.message),
            }
        }
    }
    if let Some(f) = &fatal {
        // A failed decoder keeps failing the same way.
        let again = dec.push(b"x", &mut |_| panic!("output after a fatal error"));
        assert_eq!(again.map_err(|e| e.message), Err(f.clone()));
        let again = dec.finish(&mut |_| panic!("output after a fatal error"));
        assert_eq!(again.map_err(|e| e.message), Err(f.clone()));
    }
    assert_eq!(dec.bytes_in(), input.len() as u64 - rest.len() as u64);
    let run = Run { events, notices, fatal, bytes_out: dec.bytes_out() };
    assert_eq!(run.bytes_out, run.data().len() as u64);
    run
}

fn decode_chunked(kind: ContainerKind, input: &[u8], chunk: usize) -> Run {
    decode_with(kind, input, &mut || chunk)
}

/// Decode with chunk sizes 1, 2, 7, 4096 and whole; all must agree.
fn decode(kind: ContainerKind, input: &[u8]) -> Run {
    let whole = decode_chunked(kind, input, usize::MAX);
    for chunk in [1, 2, 7, 4096] {
        let r = decode_chunked(kind, input, chunk);
        assert_eq!(r.fatal, whole.fatal, "fatal error differs with chunk size {chunk}");
        assert_eq!(r.notices, whole.notices, "notices differ with chunk size {chunk}");
        assert!(r.events == whole.events, "events differ with chunk size {chunk}");
    }
    whole
}

// ---------------------------------------------------------------------------
// Builders

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn text(tag: &str, lines: usize) -> Vec<u8> {
    let mut rng = Rng(0x1234_5678 ^ lines as u64);
    let words = ["alpha", "beta", "gamma", "\"level\":\"info\"", "error", "{\"k\":1}", "warn"];
    let mut s = String::new();
    for i in 0..lines {
        s.push_str(&format!("{tag} {i}"));
        for _ in 0..6 {
            s.push(' ');
            s.push_str(words[rng.below(words.len())]);
        }
        s.push('\n');
    }
    s.into_bytes()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = DeflateEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc::new();
    c.update(data);
    c.sum()
}

#[derive(Default)]
struct GzOpts<'a> {
    name: Option<&'a str>,
    extra: Option<&'a [u8]>,
    comment: Option<&'a str>,
    hcrc: bool,
}

fn gz_member(data: &[u8], o: &GzOpts<'_>) -> Vec<u8> {
    let mut flags = 0u8;
    if o.hcrc {
        flags |= 2;
    }
    if o.extra.is_some() {
        flags |= 4;
    }
    if o.name.is_some() {
        flags |= 8;
    }
    if o.comment.is_some() {
        flags |= 16;
    }
    let mut v = vec![0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 255];
    if let Some(x) = o.extra {
        v.extend_from_slice(&(x.len() as u16).to_le_bytes());
        v.extend_from_slice(x);
    }
    if let Some(n) = o.name {
        v.extend_from_slice(n.as_bytes());
        v.push(0);
    }
    if let Some(c) = o.comment {
        v.extend_from_slice(c.as_bytes());
        v.push(0);
    }
    if o.hcrc {
        let c = (crc32(&v) & 0xffff) as u16;
        v.extend_from_slice(&c.to_le_bytes());
    }
    v.extend_from_slice(&deflate(data));
    v.extend_from_slice(&crc32(data).to_le_bytes());
    v.extend_from_slice(&(data.len() as u32).to_le_bytes());
    v
}

fn gz(data: &[u8]) -> Vec<u8> {
    gz_member(data, &GzOpts::default())
}

#[derive(Clone, Copy, Default)]
struct ZOpts {
    /// Write a data descriptor (flag bit 3, zero sizes in the local header).
    descriptor: bool,
    desc_sig: bool,
    desc_wide: bool,
    /// Keep the real sizes/crc in the local header even with a descriptor.
    sizes_in_header: bool,
    zip64_extra: bool,
    extra_flags: u16,
    method_override: Option<u16>,
    corrupt_crc: bool,
}

/// A zip entry: local header, data, optional descriptor.
fn zip_entry(name: &str, method: u16, data: &[u8], o: ZOpts) -> Vec<u8> {
    let comp = if method == 8 { deflate(data) } else { data.to_vec() };
    let mut crc = crc32(data);
    if o.corrupt_crc {
        crc ^= 1;
    }
    let mut flags = o.extra_flags;
    if o.descriptor {
        flags |= 8;
    }
    let hdr_sizes = !o.descriptor || o.sizes_in_header;
    let mut v = b"PK\x03\x04".to_vec();
    v.extend_from_slice(&20u16.to_le_bytes());
    v.extend_from_slice(&flags.to_le_bytes());
    v.extend_from_slice(&o.method_override.unwrap_or(method).to_le_bytes());
    v.extend_from_slice(&[0, 0, 0x21, 0]);
    v.extend_from_slice(&(if hdr_sizes { crc } else { 0 }).to_le_bytes());
    let (cs, us) = if o.zip64_extra {
        (u32::MAX, u32::MAX)
    } else if hdr_sizes {
        (comp.len() as u32, data.len() as u32)
    } else {
        (0, 0)
    };
    v.extend_from_slice(&cs.to_le_bytes());
    v.extend_from_slice(&us.to_le_bytes());
    v.extend_from_slice(&(name.len() as u16).to_le_bytes());
    let mut extra = Vec::new();
    // an unrelated extra field first (extended timestamp)
    extra.extend_from_slice(&[0x55, 0x54, 5, 0, 1, 0, 0, 0, 0]);
    if o.zip64_extra {
        extra.extend_from_slice(&[1, 0, 16, 0]);
        let (u, c) = if hdr_sizes { (data.len() as u64, comp.len() as u64) } else { (0, 0) };
        extra.extend_from_slice(&u.to_le_bytes());
        extra.extend_from_slice(&c.to_le_bytes());
    }
    v.extend_from_slice(&(extra.len() as u16).to_le_bytes());
    v.extend_from_slice(name.as_bytes());
    v.extend_from_slice(&extra);
    v.extend_from_slice(&comp);
    if o.descriptor {
        if o.desc_sig {
            v.extend_from_slice(b"PK\x07\x08");
        }
        v.extend_from_slice(&crc.to_le_bytes());
        if o.desc_wide {
            v.extend_from_slice(&(comp.len() as u64).to_le_bytes());
            v.extend_from_slice(&(data.len() as u64).to_le_bytes());
        } else {
            v.extend_from_slice(&(comp.len() as u32).to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
        }
    }
    v
}

fn zip_end() -> Vec<u8> {
    let mut v = b"PK\x05\x06".to_vec();
    v.extend_from_slice(&[0; 18]);
    v
}

fn zip_of(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut v: Vec<u8> = parts.concat();
    v.extend_from_slice(&zip_end());
    v
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/archive/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Check a run against a fixture's `.expect` manifest (crc, length, name).
fn check_manifest(run: &Run, manifest: &str) {
    let got = run.entries();
    let want: Vec<(u32, usize, String)> = manifest
        .lines()
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let crc = u32::from_str_radix(f.next().unwrap(), 16).unwrap();
            let len = f.next().unwrap().parse().unwrap();
            (crc, len, f.next().unwrap().to_string())
        })
        .collect();
    let got: Vec<(u32, usize, String)> = got.iter().map(|(n, d)| (crc32(d), d.len(), n.clone())).collect();
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------
// sniff and plain

#[test]
fn sniff_kinds() {
    assert_eq!(sniff(&[0x1f, 0x8b, 8, 0], "x.log"), ContainerKind::Gzip);
    assert_eq!(sniff(&[0x1f, 0x8b], "x"), ContainerKind::Gzip);
    assert_eq!(sniff(b"PK\x03\x04rest", "x.log"), ContainerKind::Zip);
    assert_eq!(sniff(b"PK\x05\x06", "x"), ContainerKind::Zip);
    assert_eq!(sniff(b"{\"a\":1}", "x.gz"), ContainerKind::Plain);
    assert_eq!(sniff(b"", "x.GZ"), ContainerKind::Gzip);
    assert_eq!(sniff(&[0x1f], "x.gz"), ContainerKind::Gzip);
    assert_eq!(sniff(b"PK", "a.Zip"), ContainerKind::Zip);
    assert_eq!(sniff(b"ab", "a.zip"), ContainerKind::Plain);
    assert_eq!(sniff(b"", "a.log"), ContainerKind::Plain);
    assert_eq!(sniff(b"PK\x03", "a.log"), ContainerKind::Plain);
}

#[test]
fn plain_passthrough() {
    let data = text("plain", 12000); // > MAX_DATA_CHUNK
    assert!(data.len() > MAX_DATA_CHUNK);
    let run = decode(ContainerKind::Plain, &data);
    assert_eq!(run.entries(), vec![(String::new(), data)]);
    assert_eq!(run.fatal, None);
    let empty = decode(ContainerKind::Plain, b"");
    assert_eq!(empty.events, vec![Ev::Start(String::new()), Ev::End]);
}

// ---------------------------------------------------------------------------
// gzip

#[test]
fn gzip_single_member_with_name() {
    let data = text("gz", 8000);
    let input = gz_member(&data, &GzOpts { name: Some("app.log"), ..Default::default() });
    let run = decode(ContainerKind::Gzip, &input);
    assert_eq!(run.fatal, None);
    assert_eq!(run.entries(), vec![("app.log".to_string(), data.clone())]);
    // bounded chunks even when the whole input arrives at once
    let mut max = 0;
    let mut dec = Decoder::new(ContainerKind::Gzip);
    dec.push(&input, &mut |o| {
        if let Output::Data(d) = o {
            max = max.max(d.len());
        }
    })
    .unwrap();
    dec.finish(&mut |_| {}).unwrap();
    assert!(max <= MAX_DATA_CHUNK);
    assert_eq!(dec.bytes_out(), data.len() as u64);
    assert_eq!(dec.bytes_in(), input.len() as u64);
}

#[test]
fn gzip_all_header_flags() {
    let data = text("flags", 300);
    let extra = [b'A', b'B', 4, 0, 1, 2, 3, 4];
    let o = GzOpts { name: Some("n\u{e9}me.txt"), extra: Some(&extra), comment: Some("a comment"), hcrc: true };
    let run = decode(ContainerKind::Gzip, &gz_member(&data, &o));
    assert_eq!(run.fatal, None);
    assert_eq!(run.entries(), vec![("n\u{e9}me.txt".to_string(), data.clone())]);

    let o = GzOpts { extra: Some(&extra), comment: Some("c"), hcrc: true, ..Default::default() };
    let run = decode(ContainerKind::Gzip, &gz_member(&data, &o));
    assert_eq!(run.entries(), vec![(String::new(), data.clone())]);

    // header crc16 mismatch
    let mut bad = gz_member(&data, &GzOpts { hcrc: true, name: Some("x"), ..Default::default() });
    bad[12] ^= 0xff; // first byte of the stored crc16 (after the 10-byte header and "x\0")
    let run = decode(ContainerKind::Gzip, &bad);
    assert!(run.fatal.as_deref().unwrap().starts_with("gzip: header crc16 mismatch"), "{:?}", run.fatal);
    assert!(run.events.is_empty());
}

#[test]
fn gzip_multi_member() {
    let (a, b, c) = (text("a", 2000), text("b", 10), text("c", 9000));
    let mut input = gz_member(&a, &GzOpts { name: Some("first.log"), ..Default::default() });
    input.extend(gz_member(&b, &GzOpts { name: Some("second.log"), ..Default::default() }));
    input.extend(gz(b"")); // empty member
    input.extend(gz(&c));
    let run = decode(ContainerKind::Gzip, &input);
    assert_eq!(run.fatal, None);
    assert_eq!(run.entries(), vec![("first.log".to_string(), [a, b, c].concat())]);
}

#[test]
fn gzip_trailing_zeros_and_garbage() {
    let data = text("t", 500);
    let mut input = gz(&data);
    input.extend([0u8; 100]);
    let run = decode(ContainerKind::Gzip, &input);
    assert_eq!(run.fatal, None);
    assert_eq!(run.data(), data);

    let mut input = gz(&data);
    let n = input.len();
    input.extend(b"garbage after the member");
    let run = decode(ContainerKind::Gzip, &input);
    assert_eq!(run.fatal.as_deref(), Some(format!("gzip: trailing garbage after member 1 at byte {n}").as_str()));
    // the complete entry was emitted and closed
    assert_eq!(run.events.last(), Some(&Ev::End));
    assert_eq!(run.data(), data);
}

#[test]
fn gzip_truncated() {
    let data = text("trunc", 6000);
    let input = gz(&data);
    let mut rng = Rng(99);
    let mut cuts = vec![0, 1, 5, 10, 11, input.len() / 2, input.len() - 8, input.len() - 3, input.len() - 1];
    for _ in 0..5 {
        cuts.push(rng.below(input.len()));
    }
    for cut in cuts {
        let run = decode(ContainerKind::Gzip, &input[..cut]);
        let msg = run.fatal.clone().unwrap_or_else(|| panic!("no error at cut {cut}"));
        let out = run.data();
        assert!(data.starts_with(&out), "output at cut {cut} is not a prefix");
        if cut == 0 {
            assert_eq!(msg, "gzip: input is empty");
        } else if cut < 10 {
            assert!(msg.starts_with("gzip: input ends inside the header"), "{msg}");
        } else if cut >= input.len() - 8 {
            assert!(msg.starts_with("gzip: input ends inside the trailer"), "{msg}");
            assert_eq!(out, data, "everything decoded before the trailer is emitted");
        } else {
            assert_eq!(msg, format!("gzip: input ends inside the compressed stream after {cut} bytes"));
        }
    }
    // most of the data is out before the error
    let run = decode(ContainerKind::Gzip, &input[..input.len() - 20]);
    assert!(run.data().len() > data.len() * 9 / 10);
}

#[test]
fn gzip_crc_and_size_mismatch() {
    let data = text("crc", 700);
    let mut input = gz(&data);
    let n = input.len();
    input[n - 8] ^= 0x55;
    let run = decode(ContainerKind::Gzip, &input);
    assert!(run.fatal.as_deref().unwrap().starts_with("gzip: crc32 mismatch in member 1"), "{:?}", run.fatal);
    assert_eq!(run.data(), data);

    let mut input = gz(&data);
    input[n - 4] ^= 1;
    let run = decode(ContainerKind::Gzip, &input);
    assert!(run.fatal.as_deref().unwrap().starts_with("gzip: size mismatch in member 1"), "{:?}", run.fatal);

    // second member bad
    let mut input = gz(&data);
    let mut second = gz(b"second");
    let m = second.len();
    second[m - 6] ^= 2;
    input.extend(second);
    let run = decode(ContainerKind::Gzip, &input);
    assert!(run.fatal.as_deref().unwrap().starts_with("gzip: crc32 mismatch in member 2"), "{:?}", run.fatal);
}

#[test]
fn gzip_corrupt_stream_and_bad_magic() {
    let run = decode(ContainerKind::Gzip, b"this is not gzip");
    assert_eq!(run.fatal.as_deref(), Some("gzip: not a gzip stream (bad magic bytes at byte 0)"));
    let mut bad_method = gz(b"abc");
    bad_method[2] = 7;
    let run = decode(ContainerKind::Gzip, &bad_method);
    assert!(run.fatal.unwrap().contains("unsupported compression method 7"));
    // deflate block type 3 is invalid
    let mut input = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255, 0x07];
    input.extend([0u8; 20]);
    let run = decode(ContainerKind::Gzip, &input);
    assert!(
        run.fatal.as_deref().unwrap().starts_with("gzip: corrupt deflate stream at compressed byte"),
        "{:?}",
        run.fatal
    );
}

// ---------------------------------------------------------------------------
// zip fixtures written by python's zipfile

fn check_fixture(name: &str) -> Run {
    let input = fixture(&format!("{name}.zip"));
    assert_eq!(sniff(&input[..4], ""), ContainerKind::Zip);
    let run = decode(ContainerKind::Zip, &input);
    check_manifest(&run, &String::from_utf8(fixture(&format!("{name}.expect"))).unwrap());
    run
}

#[test]
fn zip_stored_deflate_and_directories() {
    let run = check_fixture("basic");
    assert_eq!(run.fatal, None);
    assert!(run.notices.is_empty());
}

#[test]
fn zip_data_descriptors() {
    let run = check_fixture("descriptor");
    assert_eq!(run.fatal, None);
}

#[test]
fn zip_zip64() {
    assert_eq!(check_fixture("zip64").fatal, None);
    assert_eq!(check_fixture("zip64-descriptor").fatal, None);
}

#[test]
fn zip_nested_gz() {
    assert_eq!(check_fixture("nested").fatal, None);
}

#[test]
fn zip_unsupported_methods_are_skipped() {
    let run = check_fixture("unsupported");
    assert_eq!(run.fatal, None);
    assert_eq!(
        run.notices,
        vec![
            "zip: entry 'b.bz2.txt' uses unsupported compression method 12 (bzip2); skipped".to_string(),
            "zip: entry 'c.lzma.txt' uses unsupported compression method 14 (lzma); skipped".to_string(),
        ]
    );
}

// ---------------------------------------------------------------------------
// hand-made zips

#[test]
fn zip_descriptor_variants() {
    let (a, b) = (text("a", 3000), text("b", 40));
    let d = ZOpts { descriptor: true, ..Default::default() };
    let parts = vec![
        // Java style: no signature, 32-bit
        zip_entry("nosig.log", 8, &a, d),
        zip_entry("sig.log", 8, &b, ZOpts { desc_sig: true, ..d }),
        // 64-bit descriptor without a zip64 extra field (and with one)
        zip_entry("wide.log", 8, &a, ZOpts { desc_wide: true, ..d }),
        zip_entry("wide-sig.log", 8, &b, ZOpts { desc_wide: true, desc_sig: true, zip64_extra: true, ..d }),
        zip_entry("empty.log", 8, b"", ZOpts { desc_sig: true, ..d }),
        zip_entry("empty-wide.log", 8, b"", ZOpts { desc_wide: true, zip64_extra: true, ..d }),
        // deflate with both header sizes and a descriptor
        zip_entry("both.log", 8, &b, ZOpts { sizes_in_header: true, desc_sig: true, ..d }),
        // stored with a descriptor but sizes in the local header: usable
        zip_entry("stored-sized.log", 0, &a, ZOpts { sizes_in_header: true, desc_sig: true, ..d }),
        // a stored directory with a descriptor
        zip_entry("dir/", 0, b"", ZOpts { desc_sig: true, ..d }),
        zip_entry("last.log", 0, &b, ZOpts::default()),
    ];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert_eq!(run.fatal, None);
    let names: Vec<String> = run.entries().into_iter().map(|e| e.0).collect();
    assert_eq!(
        names,
        [
            "nosig.log",
            "sig.log",
            "wide.log",
            "wide-sig.log",
            "empty.log",
            "empty-wide.log",
            "both.log",
            "stored-sized.log",
            "last.log"
        ]
    );
    let entries = run.entries();
    assert_eq!(entries[0].1, a);
    assert_eq!(entries[3].1, b);
    assert_eq!(entries[7].1, a);
}

#[test]
fn zip_stored_with_descriptor_stops() {
    let a = text("a", 100);
    let d = ZOpts { descriptor: true, desc_sig: true, ..Default::default() };
    let parts =
        vec![zip_entry("ok.log", 8, &a, d), zip_entry("stream.log", 0, &a, d), zip_entry("never.log", 8, &a, d)];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    let msg = run.fatal.clone().unwrap();
    assert!(msg.starts_with("zip: entry 'stream.log' is stored with a data descriptor"), "{msg}");
    assert_eq!(run.entries(), vec![("ok.log".to_string(), a)]);
}

#[test]
fn zip_zip64_handmade() {
    let a = text("z", 2000);
    let parts = vec![
        zip_entry("z64.log", 8, &a, ZOpts { zip64_extra: true, ..Default::default() }),
        zip_entry("z64s.log", 0, &a, ZOpts { zip64_extra: true, ..Default::default() }),
    ];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert_eq!(run.fatal, None);
    assert_eq!(run.entries(), vec![("z64.log".to_string(), a.clone()), ("z64s.log".to_string(), a.clone())]);

    // a stored entry larger than MAX_DATA_CHUNK (Data bounds are checked by `record`),
    // behind a single-segment split-archive marker
    let big = text("big", 12000);
    assert!(big.len() > MAX_DATA_CHUNK);
    let input = [b"PK00".to_vec(), zip_of(&[zip_entry("big.log", 0, &big, ZOpts::default())])].concat();
    assert_eq!(sniff(&input, "x"), ContainerKind::Zip);
    let run = decode(ContainerKind::Zip, &input);
    assert_eq!(run.fatal, None);
    assert_eq!(run.entries(), vec![("big.log".to_string(), big)]);
}

#[test]
fn zip_encrypted_entries() {
    let a = text("e", 50);
    let enc = ZOpts { extra_flags: 1, ..Default::default() };
    let parts = vec![zip_entry("secret.txt", 8, &a, enc), zip_entry("open.txt", 0, &a, ZOpts::default())];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert_eq!(run.fatal, None);
    assert_eq!(run.notices, vec!["zip: entry 'secret.txt' is encrypted; skipped".to_string()]);
    assert_eq!(run.entries(), vec![("secret.txt".to_string(), vec![]), ("open.txt".to_string(), a.clone())]);

    // with a descriptor the size is unknown: fatal
    let parts = vec![zip_entry("secret.txt", 8, &a, ZOpts { extra_flags: 1, descriptor: true, ..Default::default() })];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert!(run.fatal.unwrap().starts_with("zip: entry 'secret.txt' is encrypted, and its size is unknown"));
    // same for an unsupported method
    let parts = vec![zip_entry(
        "x.bz2",
        0,
        &a,
        ZOpts { method_override: Some(12), descriptor: true, sizes_in_header: true, ..Default::default() },
    )];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert!(run
        .fatal
        .unwrap()
        .starts_with("zip: entry 'x.bz2' uses unsupported compression method 12 (bzip2), and its size"));
}

#[test]
fn zip_recoverable_error_continues_on_empty_push() {
    let a = text("r", 30);
    let parts = vec![
        zip_entry("a.lz", 0, &a, ZOpts { method_override: Some(14), ..Default::default() }),
        zip_entry("b.txt", 0, &a, ZOpts::default()),
    ];
    let input = zip_of(&parts);
    let mut dec = Decoder::new(ContainerKind::Zip);
    let mut events = Vec::new();
    let err = dec.push(&input, &mut |o| record(&mut events, o)).unwrap_err();
    assert!(err.message.contains("'a.lz'") && err.message.contains("lzma"));
    assert!(!dec.is_failed());
    dec.push(&[], &mut |o| record(&mut events, o)).unwrap();
    dec.finish(&mut |o| record(&mut events, o)).unwrap();
    assert_eq!(events, vec![Ev::Start("a.lz".into()), Ev::End, Ev::Start("b.txt".into()), Ev::Data(a), Ev::End]);
}

#[test]
fn zip_crc_mismatch_and_truncation() {
    let a = text("c", 400);
    let parts = vec![zip_entry("bad.log", 8, &a, ZOpts { corrupt_crc: true, ..Default::default() })];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert!(run.fatal.as_deref().unwrap().starts_with("zip: entry 'bad.log': crc32 mismatch"), "{:?}", run.fatal);
    assert_eq!(run.data(), a, "data is emitted before the check");
    assert_eq!(run.events.last(), Some(&Ev::Data(a.clone())), "no EntryEnd for a failed entry");

    let parts = vec![zip_entry(
        "bad.log",
        8,
        &a,
        ZOpts { corrupt_crc: true, descriptor: true, desc_sig: true, ..Default::default() },
    )];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert!(run.fatal.as_deref().unwrap().starts_with("zip: entry 'bad.log': crc32 mismatch"), "{:?}", run.fatal);

    // truncated anywhere: an error, and the output is a prefix
    let b = text("d", 2000);
    let full = zip_of(&[zip_entry("one.log", 8, &a, ZOpts::default()), zip_entry("two.log", 0, &b, ZOpts::default())]);
    let whole = [a.clone(), b.clone()].concat();
    let mut rng = Rng(5);
    for _ in 0..12 {
        let cut = rng.below(full.len() - 22);
        let run = decode(ContainerKind::Zip, &full[..cut]);
        let msg = run.fatal.clone().unwrap();
        assert!(msg.starts_with("zip: input ends") || msg == "zip: input is empty", "{msg}");
        assert!(whole.starts_with(&run.data()));
    }
    // ends between entries without a central directory
    let first = zip_entry("one.log", 8, &a, ZOpts::default());
    let run = decode(ContainerKind::Zip, &first);
    assert_eq!(run.fatal, Some(format!("zip: input ends after {} bytes without a central directory", first.len())));
    assert_eq!(run.entries(), vec![("one.log".to_string(), a)]);
    assert_eq!(run.events.last(), Some(&Ev::End));
}

#[test]
fn zip_nested_gz_errors_and_garbage() {
    let a = text("n", 500);
    let mut inner = gz(&a);
    let n = inner.len();
    inner[n - 7] ^= 0x10;
    let parts = vec![zip_entry("x.log.gz", 8, &inner, ZOpts::default())];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert!(
        run.fatal.as_deref().unwrap().starts_with("zip: entry 'x.log.gz': gzip: crc32 mismatch"),
        "{:?}",
        run.fatal
    );
    assert_eq!(run.data(), a);
    // truncated inner gzip
    let inner = gz(&a);
    let parts = vec![zip_entry("y.gz", 0, &inner[..inner.len() - 3], ZOpts::default())];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert!(
        run.fatal.as_deref().unwrap().starts_with("zip: entry 'y.gz': gzip: input ends inside the trailer"),
        "{:?}",
        run.fatal
    );
    // a one-byte .gz entry is passed through
    let parts = vec![zip_entry("z.gz", 0, b"Q", ZOpts::default())];
    let run = decode(ContainerKind::Zip, &zip_of(&parts));
    assert_eq!(run.entries(), vec![("z".to_string(), b"Q".to_vec())]);

    let run = decode(ContainerKind::Zip, b"PK\x03\x04\xff\xff\xff\xffnot really a zip at all, just text");
    assert!(run.fatal.is_some());
    let run = decode(ContainerKind::Zip, b"hello");
    assert_eq!(run.fatal.as_deref(), Some("zip: expected a local file header at byte 0, found 0x6c6c6568"));
    let run = decode(ContainerKind::Zip, &zip_end());
    assert_eq!(run.fatal, None);
    assert!(run.events.is_empty());
}

// ---------------------------------------------------------------------------
// fuzz

#[test]
fn fuzz_no_panic_bounded_output() {
    let a = text("f", 400);
    let mut bases: Vec<(ContainerKind, Vec<u8>)> = vec![
        (
            ContainerKind::Gzip,
            gz_member(&a, &GzOpts { name: Some("n"), hcrc: true, comment: Some("c"), extra: Some(b"ab\x01\x00z") }),
        ),
        (ContainerKind::Gzip, [gz(&a), gz(b"xyz")].concat()),
        (
            ContainerKind::Zip,
            zip_of(&[
                zip_entry("a", 8, &a, ZOpts { descriptor: true, desc_sig: true, ..Default::default() }),
                zip_entry("b.gz", 0, &gz(&a), ZOpts { zip64_extra: true, ..Default::default() }),
                zip_entry("c", 12, &a, ZOpts::default()),
                zip_entry("d", 0, &a, ZOpts::default()),
            ]),
        ),
        (ContainerKind::Zip, fixture("descriptor.zip")[..6000].to_vec()),
        (ContainerKind::Zip, fixture("basic.zip")[..8000].to_vec()),
    ];
    bases.push((ContainerKind::Plain, a.clone()));
    let mut rng = Rng(0xdead_beef);
    for round in 0..400 {
        let (kind, base) = &bases[round % bases.len()];
        let mut input = base.clone();
        match rng.below(5) {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(input.len());
                    input[i] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let i = rng.below(input.len());
                input[i] = rng.next() as u8;
                input.truncate(rng.below(input.len() + 1));
            }
            2 => {
                let i = rng.below(input.len());
                let n = 1 + rng.below(64);
                for _ in 0..n {
                    input.insert(i, rng.next() as u8);
                }
            }
            3 => {
                // keep the magic, randomize the rest
                let n = 4 + rng.below(3000);
                input.truncate(4.min(input.len()));
                input.extend((0..n).map(|_| rng.next() as u8));
            }
            _ => {
                let i = rng.below(input.len());
                let j = (i + rng.below(200)).min(input.len());
                input.drain(i..j);
            }
        }
        let mut sizes = {
            let mut r = Rng(round as u64 + 1);
            move || 1 + r.below(300)
        };
        let run = decode_with(*kind, &input, &mut sizes);
        // deflate expands at most ~1032x, a nested gzip twice
        let bound = (input.len() as u64 + 1) * 1100 * if *kind == ContainerKind::Zip { 1100 } else { 1 };
        assert!(run.bytes_out <= bound, "round {round}: {} bytes out of {}", run.bytes_out, input.len());
        let _ = run.entries(); // well-formed event sequence
        if round % 4 == 0 {
            // and chunking does not change the outcome
            let whole = decode_chunked(*kind, &input, usize::MAX);
            assert_eq!(whole.events, run.events, "round {round}");
            assert_eq!(whole.fatal, run.fatal, "round {round}");
        }
    }
}
