//! Shared by the fuzz targets: turning the fuzzer's bytes into an input file (plain, or wrapped as
//! a `.gz` or `.zip` so the decoders get past their checksums, optionally cut or flipped after),
//! chunk sizes, and a full dump of a store.
#![allow(dead_code)]

use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use spyglass::ingest::{Feed, Store};
use spyglass::model::records::Sym;
use std::cell::RefCell;

/// Reads values off the front of the fuzzer's bytes (zeros once they run out).
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    pub fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    pub fn u16(&mut self) -> u16 {
        u16::from(self.u8()) | u16::from(self.u8()) << 8
    }
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
    pub fn rest(&mut self) -> &'a [u8] {
        self.take(self.0.len())
    }
}

thread_local! {
    /// One compressor for every call: making one allocates and clears ~300 KB, which was a tenth
    /// of an `end_to_end` execution.
    static DEFLATER: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

/// `data` as a raw deflate stream.
fn deflate(data: &[u8]) -> Vec<u8> {
    DEFLATER.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(data.len() + 64);
        loop {
            let read = c.total_in() as usize;
            if c.compress_vec(&data[read..], &mut out, FlushCompress::Finish).unwrap() == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// `data` as a gzip member (header, deflate stream, CRC-32 and size).
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend_from_slice(&deflate(data));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc::new();
    c.update(data);
    c.sum()
}

/// One zip entry (local header, data, optional data descriptor), as the streaming reader sees it.
fn zip_entry(out: &mut Vec<u8>, name: &str, deflated: bool, descriptor: bool, data: &[u8]) {
    let comp = if deflated { deflate(data) } else { data.to_vec() };
    let crc = crc32(data);
    out.extend_from_slice(b"PK\x03\x04");
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&(if descriptor { 8u16 } else { 0 }).to_le_bytes());
    out.extend_from_slice(&(if deflated { 8u16 } else { 0 }).to_le_bytes());
    out.extend_from_slice(&[0, 0, 0x21, 0]);
    let (c, cs, us) = if descriptor { (0, 0, 0) } else { (crc, comp.len() as u32, data.len() as u32) };
    out.extend_from_slice(&c.to_le_bytes());
    out.extend_from_slice(&cs.to_le_bytes());
    out.extend_from_slice(&us.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&comp);
    if descriptor {
        out.extend_from_slice(b"PK\x07\x08");
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(comp.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    }
}

/// An input file from the fuzzer's bytes: `(name, bytes)`. One byte picks the container (the
/// payload as it is, or wrapped as gzip or a zip of one or two entries) and the file name, one
/// whether and where the result is cut or a byte flipped.
pub fn input_file(b: &mut Bytes<'_>) -> (String, Vec<u8>) {
    let mode = b.u8();
    let damage = b.u8();
    let at = b.u16() as usize;
    let payload = b.rest();
    let names = ["t.jsonl", "t.jsonl.gz", "t.zip", "t"];
    let name = names[usize::from(mode >> 6)].to_string();
    let mut bytes = match mode % 6 {
        // as it is (the fuzzer builds its own gzip and zip from the seeds)
        0 | 1 => return (name, payload.to_vec()),
        2 => gzip(payload),
        m => {
            // one or two entries: the payload cut in two at `at`, the second a `.jsonl.gz` in
            // the zip or a file that is not `.jsonl` (listed and skipped)
            let mut out = Vec::new();
            let cut = if payload.is_empty() { 0 } else { at % (payload.len() + 1) };
            let (one, two) = payload.split_at(cut);
            zip_entry(&mut out, "a/one.jsonl", m != 3, m == 5, one);
            match mode & 0x30 {
                0x00 => {}
                0x10 => zip_entry(&mut out, "two.jsonl", m == 3, false, two),
                0x20 => zip_entry(&mut out, "two.jsonl.gz", false, m == 4, &gzip(two)),
                _ => zip_entry(&mut out, "notes.txt", true, false, two),
            }
            out.extend_from_slice(b"PK\x05\x06");
            out.extend_from_slice(&[0; 18]);
            out
        }
    };
    if !bytes.is_empty() {
        let at = at % bytes.len();
        match damage % 8 {
            1 => bytes.truncate(at),
            2 => bytes[at] ^= 1 << (damage >> 5),
            3 => bytes[at] = damage,
            _ => {}
        }
    }
    (name, bytes)
}

/// Reads `bytes` as the file `name`, pushed in chunks of the sizes `sizes` gives.
pub fn load(store: &mut Store, name: &str, bytes: &[u8], sizes: &mut dyn FnMut() -> usize) {
    let mut feed = Feed::new(name);
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = sizes().clamp(1, rest.len());
        let (chunk, tail) = rest.split_at(n);
        feed.push(store, chunk);
        rest = tail;
    }
    feed.finish(store);
}

/// Chunk sizes from a seed: mostly small (1–16 bytes, across every boundary), at times larger,
/// at times empty pushes are skipped (`load` clamps to at least 1).
pub fn chunk_sizes(seed: u16) -> impl FnMut() -> usize {
    let mut s = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        match s % 8 {
            0 => 1 + (s >> 8) as usize % 4096,
            1 => 1,
            _ => 1 + (s >> 8) as usize % 16,
        }
    }
}

/// Everything a store holds, as text (as tests/ranges.rs compares stores).
pub fn dump(store: &Store) -> Vec<String> {
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
