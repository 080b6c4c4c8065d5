//! Push-based, I/O-free decompression of `.gz` files and `.zip` archives.
//!
//! The caller hands the [`Decoder`] byte chunks of any size, front to back,
//! and receives [`Output`] events through a callback: `EntryStart`, `Data`
//! (decompressed bytes, at most [`MAX_DATA_CHUNK`] per event) and `EntryEnd`.
//! Nothing here reads files, spawns threads or needs the whole input: the
//! memory used is a few fixed buffers (two 64 KiB inflate windows at most)
//! plus one local header, so it runs the same natively and on
//! `wasm32-unknown-unknown`.
//!
//! # Containers
//! * [`ContainerKind::Plain`]: the bytes pass through as one entry named `""`.
//! * [`ContainerKind::Gzip`]: one entry named after the first member's FNAME
//!   (or `""`). Concatenated members are decoded one after the other into the
//!   same entry, like `gzip -d`. CRC32 and ISIZE are checked at the end of
//!   every member; FEXTRA, FNAME, FCOMMENT and FHCRC (checked) are handled.
//!   Zero bytes after the last member (tape padding) are ignored.
//! * [`ContainerKind::Zip`]: entries are read from their local headers in
//!   order; the central directory is never needed and decoding stops cleanly
//!   at its first record. Methods 0 (stored) and 8 (deflate), data
//!   descriptors (with or without signature, 32- or 64-bit sizes), zip64
//!   local extra fields. Directory entries are skipped silently. An entry
//!   whose name ends in `.gz` and whose data starts with the gzip magic is
//!   gunzipped too: its `EntryStart` name has the `.gz` suffix removed and its
//!   `Data` is the inner, decompressed content.
//!
//! # Bounded output
//! [`Decoder::push_bounded`] and [`Decoder::pump`] stop once about `max_out` decompressed bytes
//! were emitted (past it by at most one 256 KiB `Data` piece), keep the rest of their input (and
//! of a nested `.gz`'s input) pending and say whether more is pending: a caller that checks for
//! cancel between calls never waits on a decompression bomb. The output is the same, byte for
//! byte and event for event, whatever the bounds and the chunking; [`Decoder::push`] is
//! `push_bounded` without a bound.
//!
//! # Errors
//! Every error is returned as an [`ArchiveError`] whose message starts with
//! the container (`"gzip: "`, `"zip: "`) and says where. Everything decoded
//! before an error has already been passed to the callback.
//!
//! Most errors are *fatal*: the decoder keeps returning the same error from
//! every later `push`/`finish` ([`Decoder::is_failed`] is true). An entry cut
//! short by a fatal error gets no `EntryEnd`.
//!
//! Two zip cases are *recoverable*: an encrypted entry and an entry with an
//! unsupported compression method (bzip2, lzma, ...), when its compressed
//! size is known from its local header. The decoder then emits `EntryStart`
//! and `EntryEnd` for it (no data), returns the error naming the entry and
//! the method, keeps the not yet processed rest of the chunk, and continues
//! with the next entry on the next `push` (the new chunk, or an empty slice)
//! or `finish` call. [`Decoder::is_failed`] stays false. When such an entry
//! has a data descriptor (unknown size) the error is fatal instead, as it is
//! for a stored entry with a data descriptor and no size in its header.

use flate2::{Crc, Decompress, FlushDecompress, Status};
use std::cell::Cell;
use std::fmt;

/// Largest `Data` slice ever passed to the callback.
pub const MAX_DATA_CHUNK: usize = 256 * 1024;
/// Size of the inflate output buffer (so inflated `Data` is at most this).
const INFLATE_BUF: usize = 64 * 1024;
/// Bytes of a gzip FNAME that are kept (the rest is skipped).
const MAX_GZIP_NAME: usize = 4096;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZIP_LOCAL_MAGIC: [u8; 4] = *b"PK\x03\x04";

const SIG_LOCAL: u32 = 0x0403_4b50;
const SIG_CENTRAL: u32 = 0x0201_4b50;
const SIG_END: u32 = 0x0605_4b50;
const SIG_ZIP64_END: u32 = 0x0606_4b50;
const SIG_ZIP64_LOCATOR: u32 = 0x0706_4b50;
const SIG_ARCHIVE_EXTRA: u32 = 0x0806_4b50;
const SIG_DIGITAL_SIGNATURE: u32 = 0x0505_4b50;
const SIG_DESCRIPTOR: u32 = 0x0807_4b50;
const SIG_SPAN_SINGLE: u32 = 0x3030_4b50;

/// The container format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Plain,
    Gzip,
    Zip,
}

/// Decide the container from the first bytes of the input: `1f 8b` is gzip,
/// `PK\x03\x04` is zip (so are an empty archive's `PK\x05\x06` and the
/// split-archive markers `PK\x07\x08` / `PK00`). The file name (`.gz`,
/// `.gzip`, `.zip`, any case) is only used when fewer than 4 bytes are known,
/// and only if those bytes agree with the format's magic.
pub fn sniff(first_bytes: &[u8], name: &str) -> ContainerKind {
    if first_bytes.starts_with(&GZIP_MAGIC) {
        return ContainerKind::Gzip;
    }
    if first_bytes.len() >= 4 {
        let m = &first_bytes[..4];
        let zip = m == ZIP_LOCAL_MAGIC || m == b"PK\x05\x06" || m == b"PK\x07\x08" || m == b"PK00";
        return if zip { ContainerKind::Zip } else { ContainerKind::Plain };
    }
    let lower = name.to_ascii_lowercase();
    if (lower.ends_with(".gz") || lower.ends_with(".gzip")) && GZIP_MAGIC.starts_with(first_bytes) {
        return ContainerKind::Gzip;
    }
    if lower.ends_with(".zip") && ZIP_LOCAL_MAGIC.starts_with(first_bytes) {
        return ContainerKind::Zip;
    }
    ContainerKind::Plain
}

/// A decoding error. The message is lower case and says where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveError {
    pub message: String,
}

impl ArchiveError {
    fn new(message: impl Into<String>) -> Self {
        ArchiveError { message: message.into() }
    }
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArchiveError {}

/// What the decoder emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output<'a> {
    /// A new entry begins. Every `EntryStart` is followed by `Data` events and
    /// one `EntryEnd`, unless a fatal error cuts the entry short.
    EntryStart { name: &'a str },
    /// Decompressed bytes of the current entry, never empty, at most
    /// [`MAX_DATA_CHUNK`] bytes.
    Data(&'a [u8]),
    /// The current entry is complete (and its checksum verified).
    EntryEnd,
}

type Out<'o> = dyn FnMut(Output<'_>) + 'o;

fn emit_data(data: &[u8], out: &mut Out<'_>) {
    for piece in data.chunks(MAX_DATA_CHUNK) {
        out(Output::Data(piece));
    }
}

/// Copy input bytes into `buf` until it holds `need` bytes. True when it does.
fn fill(buf: &mut Vec<u8>, need: usize, input: &[u8], pos: &mut usize) -> bool {
    if buf.len() < need {
        let take = (need - buf.len()).min(input.len() - *pos);
        buf.extend_from_slice(&input[*pos..*pos + take]);
        *pos += take;
    }
    buf.len() >= need
}

// The readers below are only used on buffers whose length was checked.
fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le64(b: &[u8], at: usize) -> u64 {
    u64::from(le32(b, at)) | (u64::from(le32(b, at + 4)) << 32)
}

// ---------------------------------------------------------------------------
// Raw deflate

enum InflateError {
    /// Invalid deflate data; `at` is the stream's compressed byte count then.
    Corrupt { at: u64 },
    /// The consumer of the inflated bytes failed.
    Sink(ArchiveError),
}

/// Raw deflate with a bounded output buffer.
struct Inflater {
    z: Decompress,
    buf: Vec<u8>,
    /// The last `feed` stopped because the output room ran out: output may be pending in the
    /// stream's state even without more input.
    paused: bool,
}

impl Inflater {
    fn new() -> Self {
        Inflater { z: Decompress::new(false), buf: vec![0; INFLATE_BUF], paused: false }
    }

    fn reset(&mut self) {
        self.z.reset(false);
        self.paused = false;
    }

    /// Inflate from `input`, passing output to `sink` in pieces of at most
    /// `INFLATE_BUF` bytes. Returns the bytes consumed and whether the deflate
    /// stream ended (then the bytes after it are not consumed). Stops early,
    /// with `paused` set, when `room` is used up after a piece.
    fn feed(
        &mut self,
        input: &[u8],
        finish: bool,
        room: &Cell<u64>,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), ArchiveError>,
    ) -> Result<(usize, bool), InflateError> {
        self.paused = false;
        let flush = if finish { FlushDecompress::Finish } else { FlushDecompress::None };
        let mut pos = 0;
        let mut filled = 0;
        loop {
            let (in0, out0) = (self.z.total_in(), self.z.total_out());
            let res = self.z.decompress(&input[pos..], &mut self.buf[filled..], flush);
            let consumed = (self.z.total_in() - in0) as usize;
            let produced = (self.z.total_out() - out0) as usize;
            pos += consumed;
            filled += produced;
            let status = match res {
                Ok(s) => s,
                Err(_) => {
                    if filled > 0 {
                        sink(&self.buf[..filled]).map_err(InflateError::Sink)?;
                    }
                    return Err(InflateError::Corrupt { at: self.z.total_in() });
                }
            };
            if status == Status::StreamEnd {
                if filled > 0 {
                    sink(&self.buf[..filled]).map_err(InflateError::Sink)?;
                }
                return Ok((pos, true));
            }
            if filled == self.buf.len() {
                sink(&self.buf[..filled]).map_err(InflateError::Sink)?;
                filled = 0;
                if room.get() == 0 {
                    self.paused = true;
                    return Ok((pos, false));
                }
                continue;
            }
            if filled > 0 {
                sink(&self.buf[..filled]).map_err(InflateError::Sink)?;
                filled = 0;
                if room.get() == 0 {
                    self.paused = true;
                    return Ok((pos, false));
                }
            }
            if pos == input.len() {
                return Ok((pos, false));
            }
            if consumed == 0 && produced == 0 {
                // Input left, room left, no progress: the stream is stuck.
                return Err(InflateError::Corrupt { at: self.z.total_in() });
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Gzip

const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HStage {
    Fixed,
    XLen,
    Extra,
    Name,
    Comment,
    Hcrc,
    Done,
}

enum HeaderError {
    BadMagic,
    Bad(String),
}

/// Incremental gzip member header parser.
struct GzHeader {
    stage: HStage,
    tmp: Vec<u8>,
    flags: u8,
    extra_left: usize,
    name: Vec<u8>,
    crc: Crc,
}

impl GzHeader {
    fn new() -> Self {
        GzHeader { stage: HStage::Fixed, tmp: Vec::new(), flags: 0, extra_left: 0, name: Vec::new(), crc: Crc::new() }
    }

    fn reset(&mut self) {
        *self = GzHeader::new();
    }

    /// The stage after `s` that the flags ask for.
    fn after(&self, mut s: HStage) -> HStage {
        loop {
            s = match s {
                HStage::Fixed => HStage::XLen,
                HStage::XLen => HStage::Extra,
                HStage::Extra => HStage::Name,
                HStage::Name => HStage::Comment,
                HStage::Comment => HStage::Hcrc,
                HStage::Hcrc | HStage::Done => HStage::Done,
            };
            let enabled = match s {
                HStage::XLen => self.flags & FEXTRA != 0,
                HStage::Name => self.flags & FNAME != 0,
                HStage::Comment => self.flags & FCOMMENT != 0,
                HStage::Hcrc => self.flags & FHCRC != 0,
                HStage::Done => true,
                HStage::Fixed | HStage::Extra => false,
            };
            if enabled {
                return s;
            }
        }
    }

    /// Consume header bytes. Ok(true) once the header is complete.
    fn feed(&mut self, input: &[u8], pos: &mut usize) -> Result<bool, HeaderError> {
        loop {
            match self.stage {
                HStage::Done => return Ok(true),
                HStage::Fixed => {
                    let start = self.tmp.len();
                    let full = fill(&mut self.tmp, 10, input, pos);
                    self.crc.update(&self.tmp[start..]);
                    if self.tmp.first().is_some_and(|&b| b != GZIP_MAGIC[0])
                        || self.tmp.get(1).is_some_and(|&b| b != GZIP_MAGIC[1])
                    {
                        return Err(HeaderError::BadMagic);
                    }
                    if !full {
                        return Ok(false);
                    }
                    if self.tmp[2] != 8 {
                        return Err(HeaderError::Bad(format!("unsupported compression method {}", self.tmp[2])));
                    }
                    self.flags = self.tmp[3];
                    if self.flags & 0xe0 != 0 {
                        return Err(HeaderError::Bad(format!("reserved flag bits set (0x{:02x})", self.flags)));
                    }
                    self.tmp.clear();
                    self.stage = self.after(HStage::Fixed);
                }
                HStage::XLen => {
                    let start = self.tmp.len();
                    let full = fill(&mut self.tmp, 2, input, pos);
                    self.crc.update(&self.tmp[start..]);
                    if !full {
                        return Ok(false);
                    }
                    self.extra_left = usize::from(le16(&self.tmp, 0));
                    self.tmp.clear();
                    self.stage = if self.extra_left > 0 { HStage::Extra } else { self.after(HStage::Extra) };
                }
                HStage::Extra => {
                    let n = self.extra_left.min(input.len() - *pos);
                    self.crc.update(&input[*pos..*pos + n]);
                    *pos += n;
                    self.extra_left -= n;
                    if self.extra_left > 0 {
                        return Ok(false);
                    }
                    self.stage = self.after(HStage::Extra);
                }
                HStage::Name | HStage::Comment => {
                    let rest = &input[*pos..];
                    let (field, done) = match rest.iter().position(|&b| b == 0) {
                        Some(i) => {
                            self.crc.update(&rest[..=i]);
                            *pos += i + 1;
                            (&rest[..i], true)
                        }
                        None => {
                            self.crc.update(rest);
                            *pos = input.len();
                            (rest, false)
                        }
                    };
                    if self.stage == HStage::Name {
                        let room = MAX_GZIP_NAME.saturating_sub(self.name.len());
                        self.name.extend_from_slice(&field[..field.len().min(room)]);
                    }
                    if !done {
                        return Ok(false);
                    }
                    self.stage = self.after(self.stage);
                }
                HStage::Hcrc => {
                    if !fill(&mut self.tmp, 2, input, pos) {
                        return Ok(false);
                    }
                    let stored = le16(&self.tmp, 0);
                    let computed = (self.crc.sum() & 0xffff) as u16;
                    if stored != computed {
                        return Err(HeaderError::Bad(format!(
                            "header crc16 mismatch (stored 0x{stored:04x}, computed 0x{computed:04x})"
                        )));
                    }
                    self.tmp.clear();
                    self.stage = HStage::Done;
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GzState {
    Header,
    Deflate,
    Trailer,
    AfterMember,
    Padding,
}

/// Gzip stream decoder (one entry, any number of members). Emits
/// `EntryStart` once the first header is known, `Data`, and `EntryEnd`.
struct GzipCore {
    state: GzState,
    header: GzHeader,
    inflater: Inflater,
    /// 1-based number of the member being decoded.
    member: u32,
    started: bool,
    /// Input bytes consumed before the current `push`.
    offset: u64,
    member_start: u64,
    deflate_start: u64,
    crc: Crc,
    member_out: u64,
    trailer: Vec<u8>,
}

impl GzipCore {
    fn new() -> Self {
        GzipCore {
            state: GzState::Header,
            header: GzHeader::new(),
            inflater: Inflater::new(),
            member: 1,
            started: false,
            offset: 0,
            member_start: 0,
            deflate_start: 0,
            crc: Crc::new(),
            member_out: 0,
            trailer: Vec::with_capacity(8),
        }
    }

    /// Output is pending without more input (the inflater stopped for want of room).
    fn busy(&self) -> bool {
        self.state == GzState::Deflate && self.inflater.paused
    }

    /// Decodes `input` until it is used up or `room` is; returns the bytes consumed.
    fn push(&mut self, input: &[u8], out: &mut Out<'_>, room: &Cell<u64>) -> Result<usize, ArchiveError> {
        let base = self.offset;
        let mut pos = 0;
        let r = self.run(input, base, &mut pos, out, room);
        // consumed: up to where it stopped for want of room, or, after an error, where the error
        // was found (whatever the chunking)
        self.offset = base + pos as u64;
        r.map(|()| pos)
    }

    /// Process `input` (which starts at input byte `base`) from `*pos` until it or `room` is used
    /// up; after an error `*pos` is where it was found.
    fn run(
        &mut self,
        input: &[u8],
        base: u64,
        pos: &mut usize,
        out: &mut Out<'_>,
        room: &Cell<u64>,
    ) -> Result<(), ArchiveError> {
        while room.get() > 0 && (*pos < input.len() || self.busy()) {
            match self.state {
                GzState::Header => match self.header.feed(input, pos) {
                    Ok(false) => {}
                    Ok(true) => {
                        if !self.started {
                            self.started = true;
                            let name = String::from_utf8_lossy(&self.header.name);
                            out(Output::EntryStart { name: &name });
                        }
                        self.inflater.reset();
                        self.crc.reset();
                        self.member_out = 0;
                        self.deflate_start = base + *pos as u64;
                        self.state = GzState::Deflate;
                    }
                    Err(HeaderError::BadMagic) if self.member > 1 => {
                        out(Output::EntryEnd);
                        return Err(ArchiveError::new(format!(
                            "gzip: trailing garbage after member {} at byte {}",
                            self.member - 1,
                            self.member_start
                        )));
                    }
                    Err(HeaderError::BadMagic) => {
                        return Err(ArchiveError::new("gzip: not a gzip stream (bad magic bytes at byte 0)"));
                    }
                    Err(HeaderError::Bad(why)) => {
                        return Err(ArchiveError::new(format!(
                            "gzip: {why} in the header of member {} at byte {}",
                            self.member, self.member_start
                        )));
                    }
                },
                GzState::Deflate => {
                    let crc = &mut self.crc;
                    let count = &mut self.member_out;
                    let mut sink = |d: &[u8]| {
                        crc.update(d);
                        *count += d.len() as u64;
                        emit_data(d, &mut *out);
                        Ok(())
                    };
                    match self.inflater.feed(&input[*pos..], false, room, &mut sink) {
                        Ok((n, ended)) => {
                            *pos += n;
                            if ended {
                                self.trailer.clear();
                                self.state = GzState::Trailer;
                            }
                        }
                        Err(InflateError::Corrupt { at }) => {
                            *pos = (self.deflate_start + at).saturating_sub(base).min(input.len() as u64) as usize;
                            return Err(ArchiveError::new(format!(
                                "gzip: corrupt deflate stream at compressed byte {} (member {})",
                                self.deflate_start + at,
                                self.member
                            )));
                        }
                        Err(InflateError::Sink(e)) => return Err(e),
                    }
                }
                GzState::Trailer => {
                    if !fill(&mut self.trailer, 8, input, pos) {
                        continue;
                    }
                    let stored_crc = le32(&self.trailer, 0);
                    let stored_len = le32(&self.trailer, 4);
                    let crc = self.crc.sum();
                    if stored_crc != crc {
                        return Err(ArchiveError::new(format!(
                            "gzip: crc32 mismatch in member {} (stored {stored_crc:08x}, computed {crc:08x})",
                            self.member
                        )));
                    }
                    let len = (self.member_out & 0xffff_ffff) as u32;
                    if stored_len != len {
                        return Err(ArchiveError::new(format!(
                            "gzip: size mismatch in member {} (stored {stored_len}, decoded {len} mod 2^32)",
                            self.member
                        )));
                    }
                    self.state = GzState::AfterMember;
                }
                GzState::AfterMember => {
                    if input[*pos] == 0 {
                        self.member_start = base + *pos as u64;
                        self.state = GzState::Padding;
                    } else {
                        self.member += 1;
                        self.member_start = base + *pos as u64;
                        self.header.reset();
                        self.state = GzState::Header;
                    }
                }
                GzState::Padding => {
                    if let Some(i) = input[*pos..].iter().position(|&b| b != 0) {
                        *pos += i;
                        out(Output::EntryEnd);
                        return Err(ArchiveError::new(format!(
                            "gzip: trailing garbage after member {} at byte {}",
                            self.member, self.member_start
                        )));
                    }
                    *pos = input.len();
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Out<'_>) -> Result<(), ArchiveError> {
        let n = self.offset;
        match self.state {
            GzState::AfterMember | GzState::Padding => {
                out(Output::EntryEnd);
                Ok(())
            }
            GzState::Header if n == 0 => Err(ArchiveError::new("gzip: input is empty")),
            GzState::Header => Err(ArchiveError::new(format!(
                "gzip: input ends inside the header of member {} after {n} bytes",
                self.member
            ))),
            GzState::Deflate => {
                // the inflater holds back output while more input may come: what it can decode
                // before the cut is given out, as one push of the whole input would have
                let crc = &mut self.crc;
                let count = &mut self.member_out;
                // (what it holds is at most its window: no room limit needed)
                let room = Cell::new(u64::MAX);
                let _ = self.inflater.feed(&[], true, &room, &mut |d: &[u8]| {
                    crc.update(d);
                    *count += d.len() as u64;
                    emit_data(d, &mut *out);
                    Ok(())
                });
                Err(ArchiveError::new(format!("gzip: input ends inside the compressed stream after {n} bytes")))
            }
            GzState::Trailer => Err(ArchiveError::new(format!(
                "gzip: input ends inside the trailer of member {} after {n} bytes",
                self.member
            ))),
        }
    }
}

// ---------------------------------------------------------------------------
// Zip

fn method_name(method: u16) -> &'static str {
    match method {
        0 => "stored",
        1 => "shrink",
        2..=5 => "reduce",
        6 => "implode",
        8 => "deflate",
        9 => "deflate64",
        12 => "bzip2",
        14 => "lzma",
        93 => "zstandard",
        95 => "xz",
        96 => "jpeg",
        97 => "wavpack",
        98 => "ppmd",
        99 => "aes-encrypted",
        _ => "unknown",
    }
}

/// How a `.gz` entry inside a zip is handled.
enum Nested {
    /// Data passes through.
    Off,
    /// Waiting for the first two bytes to check the gzip magic.
    Sniff(Vec<u8>),
    Gz(Box<GzipCore>),
}

fn forward_data(o: Output<'_>, out: &mut Out<'_>) {
    if let Output::Data(d) = o {
        out(Output::Data(d));
    }
}

/// An entry name for a message: quoted, control characters escaped, at most
/// 200 characters.
fn quote(name: &str) -> String {
    let mut q = String::from("'");
    for (i, c) in name.chars().enumerate() {
        if i == 200 {
            q.push_str("...");
            break;
        }
        if c.is_control() || c == '\'' {
            q.extend(c.escape_debug());
        } else {
            q.push(c);
        }
    }
    q.push('\'');
    q
}

fn nested_error(name: &str, e: ArchiveError) -> ArchiveError {
    ArchiveError::new(format!("zip: entry {}: {}", quote(name), e.message))
}

/// The zip entry being decoded.
struct Entry {
    name: String,
    shown: String,
    method: u16,
    crc_expected: u32,
    csize: u64,
    usize: u64,
    zip64: bool,
    descriptor: bool,
    /// `csize` delimits the data (false: the deflate stream ends itself).
    known: bool,
    emit: bool,
    nested: Nested,
    /// Inflated bytes of a nested `.gz` not yet decoded (its decoder stopped for want of room),
    /// from `nested_at` on.
    nested_pending: Vec<u8>,
    nested_at: usize,
    data_start: u64,
    consumed: u64,
    produced: u64,
    crc: Crc,
    desc_crc: u32,
}

impl Entry {
    fn empty() -> Self {
        Entry {
            name: String::new(),
            shown: String::new(),
            method: 0,
            crc_expected: 0,
            csize: 0,
            usize: 0,
            zip64: false,
            descriptor: false,
            known: true,
            emit: false,
            nested: Nested::Off,
            nested_pending: Vec::new(),
            nested_at: 0,
            data_start: 0,
            consumed: 0,
            produced: 0,
            crc: Crc::new(),
            desc_crc: 0,
        }
    }

    /// A nested `.gz` has output pending (input kept, or its inflater stopped for want of room).
    fn nested_busy(&self) -> bool {
        self.nested_at < self.nested_pending.len() || matches!(&self.nested, Nested::Gz(gz) if gz.busy())
    }

    /// Decodes what a nested `.gz` has pending, until it is done or `room` is used up.
    fn drain(&mut self, out: &mut Out<'_>, room: &Cell<u64>) -> Result<(), ArchiveError> {
        let Nested::Gz(gz) = &mut self.nested else { return Ok(()) };
        let pending = std::mem::take(&mut self.nested_pending);
        let rest = pending.get(self.nested_at..).unwrap_or_default();
        let n = gz.push(rest, &mut |o| forward_data(o, &mut *out), room).map_err(|e| nested_error(&self.name, e))?;
        self.keep_nested(pending, self.nested_at + n);
        Ok(())
    }

    /// Keeps `buf[from..]` as the nested `.gz`'s pending input (reusing `buf`).
    fn keep_nested(&mut self, mut buf: Vec<u8>, from: usize) {
        if from >= buf.len() {
            buf.clear();
            self.nested_at = 0;
        } else {
            self.nested_at = from;
        }
        self.nested_pending = buf;
    }

    /// Take decompressed bytes of the entry.
    fn deliver(&mut self, data: &[u8], out: &mut Out<'_>, room: &Cell<u64>) -> Result<(), ArchiveError> {
        self.crc.update(data);
        self.produced += data.len() as u64;
        if !self.emit || data.is_empty() {
            return Ok(());
        }
        let next = match &mut self.nested {
            Nested::Off => {
                emit_data(data, out);
                return Ok(());
            }
            Nested::Gz(_) if self.nested_at < self.nested_pending.len() => {
                // after what is pending, in order
                self.nested_pending.extend_from_slice(data);
                return Ok(());
            }
            Nested::Gz(gz) => {
                let n = gz
                    .push(data, &mut |o| forward_data(o, &mut *out), room)
                    .map_err(|e| nested_error(&self.name, e))?;
                let mut buf = std::mem::take(&mut self.nested_pending);
                buf.clear();
                buf.extend_from_slice(data.get(n..).unwrap_or_default());
                self.keep_nested(buf, 0);
                return Ok(());
            }
            Nested::Sniff(head) => {
                let take = (2 - head.len()).min(data.len());
                head.extend_from_slice(&data[..take]);
                if head.len() < 2 {
                    return Ok(());
                }
                let mut head = std::mem::take(head);
                let rest = &data[take..];
                if head[..] == GZIP_MAGIC {
                    let mut gz = Box::new(GzipCore::new());
                    let mut fwd = |o: Output<'_>| forward_data(o, &mut *out);
                    head.extend_from_slice(rest);
                    let r = gz.push(&head, &mut fwd, room);
                    if let Ok(n) = r {
                        self.keep_nested(head, n);
                    }
                    (Nested::Gz(gz), r.map(|_| ()))
                } else {
                    emit_data(&head, out);
                    emit_data(rest, out);
                    (Nested::Off, Ok(()))
                }
            }
        };
        self.nested = next.0;
        next.1.map_err(|e| nested_error(&self.name, e))
    }

    /// The entry's data is complete and verified, and a nested `.gz` has nothing pending: flush
    /// and close it.
    fn close(&mut self, out: &mut Out<'_>) -> Result<(), ArchiveError> {
        if !self.emit {
            return Ok(());
        }
        match std::mem::replace(&mut self.nested, Nested::Off) {
            Nested::Off => {}
            Nested::Sniff(head) => emit_data(&head, out),
            Nested::Gz(mut gz) => {
                gz.finish(&mut |o| forward_data(o, &mut *out)).map_err(|e| nested_error(&self.name, e))?;
            }
        }
        out(Output::EntryEnd);
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DescStage {
    /// Signature or CRC.
    First,
    Crc,
    /// 8 bytes: two 32-bit sizes or the 64-bit compressed size.
    Sizes,
    /// 64-bit uncompressed size.
    Size64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZState {
    Sig,
    Header,
    Data,
    Descriptor(DescStage),
    Skip,
    /// The entry's data is read and verified; a nested `.gz` still has output pending.
    Closing,
    Done,
}

struct Failure {
    err: ArchiveError,
    recoverable: bool,
}

fn fatal(message: impl Into<String>) -> Failure {
    Failure { err: ArchiveError::new(message), recoverable: false }
}

fn fatal_err(err: ArchiveError) -> Failure {
    Failure { err, recoverable: false }
}

struct ZipCore {
    state: ZState,
    buf: Vec<u8>,
    entry: Entry,
    inflater: Inflater,
    /// Input bytes consumed before the current `run`.
    offset: u64,
    /// Where the current signature / local header starts.
    header_at: u64,
    /// The data start of an entry whose nested `.gz` failed: where the input counts as read to
    /// (how far the outer bytes were read then depends on the chunking; the message says where
    /// in the nested stream)
    nested_failed_at: Option<u64>,
    skip_left: u64,
}

impl ZipCore {
    fn new() -> Self {
        ZipCore {
            state: ZState::Sig,
            buf: Vec::with_capacity(64),
            entry: Entry::empty(),
            inflater: Inflater::new(),
            offset: 0,
            header_at: 0,
            nested_failed_at: None,
            skip_left: 0,
        }
    }

    /// Output is pending without more input.
    fn busy(&self) -> bool {
        match self.state {
            ZState::Data => self.entry.nested_busy() || self.inflater.paused,
            ZState::Closing => true,
            _ => false,
        }
    }

    /// Process `input` from `*pos` until it or `room` is used up; `*pos` tells how far it got.
    fn run(&mut self, input: &[u8], pos: &mut usize, out: &mut Out<'_>, room: &Cell<u64>) -> Result<(), Failure> {
        while room.get() > 0 && (*pos < input.len() || self.busy()) {
            let at = self.offset + *pos as u64;
            match self.state {
                ZState::Sig => {
                    if self.buf.is_empty() {
                        self.header_at = at;
                    }
                    if !fill(&mut self.buf, 4, input, pos) {
                        continue;
                    }
                    let sig = le32(&self.buf, 0);
                    self.buf.clear();
                    match sig {
                        SIG_LOCAL => self.state = ZState::Header,
                        SIG_CENTRAL
                        | SIG_END
                        | SIG_ZIP64_END
                        | SIG_ZIP64_LOCATOR
                        | SIG_ARCHIVE_EXTRA
                        | SIG_DIGITAL_SIGNATURE => self.state = ZState::Done,
                        SIG_DESCRIPTOR | SIG_SPAN_SINGLE if self.header_at == 0 => {}
                        other => {
                            return Err(fatal(format!(
                                "zip: expected a local file header at byte {}, found 0x{other:08x}",
                                self.header_at
                            )));
                        }
                    }
                }
                ZState::Header => {
                    if !fill(&mut self.buf, 26, input, pos) {
                        continue;
                    }
                    let total = 26 + usize::from(le16(&self.buf, 22)) + usize::from(le16(&self.buf, 24));
                    if !fill(&mut self.buf, total, input, pos) {
                        continue;
                    }
                    let data_start = self.offset + *pos as u64;
                    self.start_entry(data_start, out)?;
                }
                ZState::Data => self.data(input, pos, out, room)?,
                ZState::Descriptor(stage) => self.descriptor(stage, input, pos, out)?,
                ZState::Closing => {
                    self.entry.drain(out, room).map_err(fatal_err)?;
                    self.close_entry(out)?;
                }
                ZState::Skip => {
                    let n = self.skip_left.min((input.len() - *pos) as u64);
                    *pos += n as usize;
                    self.skip_left -= n;
                    if self.skip_left == 0 {
                        self.state = ZState::Sig;
                    }
                }
                ZState::Done => *pos = input.len(),
            }
        }
        Ok(())
    }

    /// `self.buf` holds a complete local header (without its signature).
    fn start_entry(&mut self, data_start: u64, out: &mut Out<'_>) -> Result<(), Failure> {
        let b = std::mem::take(&mut self.buf);
        let flags = le16(&b, 2);
        let method = le16(&b, 4);
        let crc_expected = le32(&b, 10);
        let csize32 = le32(&b, 14);
        let usize32 = le32(&b, 18);
        let name_len = usize::from(le16(&b, 22));
        let name = String::from_utf8_lossy(&b[26..26 + name_len]).into_owned();
        let mut csize = u64::from(csize32);
        let mut usize = u64::from(usize32);
        let mut zip64 = false;
        let mut extra = &b[26 + name_len..];
        while extra.len() >= 4 {
            let id = le16(extra, 0);
            let size = usize::from(le16(extra, 2));
            let Some(data) = extra.get(4..4 + size) else { break };
            if id == 0x0001 {
                zip64 = true;
                // The local header's zip64 field holds both sizes; some
                // writers put only the ones that are 0xffffffff, in order.
                if data.len() >= 16 {
                    if usize32 == u32::MAX {
                        usize = le64(data, 0);
                    }
                    if csize32 == u32::MAX {
                        csize = le64(data, 8);
                    }
                } else if data.len() >= 8 {
                    if usize32 == u32::MAX {
                        usize = le64(data, 0);
                    } else if csize32 == u32::MAX {
                        csize = le64(data, 0);
                    }
                }
            }
            extra = &extra[4 + size..];
        }
        self.buf = b;
        self.buf.clear();

        let descriptor = flags & 0x0008 != 0;
        let encrypted = flags & 0x0001 != 0;
        let is_dir = name.ends_with('/') || name.ends_with('\\');
        let mut entry = Entry::empty();
        entry.name = name;
        entry.method = method;
        entry.crc_expected = crc_expected;
        entry.csize = csize;
        entry.usize = usize;
        entry.zip64 = zip64;
        entry.descriptor = descriptor;
        entry.data_start = data_start;
        self.entry = entry;
        let name = &self.entry.name;

        if encrypted || (method != 0 && method != 8) {
            let why = if encrypted {
                "is encrypted".to_string()
            } else {
                format!("uses unsupported compression method {method} ({})", method_name(method))
            };
            if !is_dir {
                out(Output::EntryStart { name });
                out(Output::EntryEnd);
            }
            if descriptor {
                return Err(fatal(format!(
                    "zip: entry {} {why}, and its size is unknown without the central directory; \
                     decoding stops at byte {data_start}",
                    quote(name)
                )));
            }
            self.skip_left = csize;
            self.state = if csize == 0 { ZState::Sig } else { ZState::Skip };
            if is_dir {
                return Ok(());
            }
            return Err(Failure {
                err: ArchiveError::new(format!("zip: entry {} {why}; skipped", quote(name))),
                recoverable: true,
            });
        }
        if method == 0 && descriptor && csize == 0 && !is_dir {
            return Err(fatal(format!(
                "zip: entry {} is stored with a data descriptor, so its size is unknown without the \
                 central directory; decoding stops at byte {data_start}",
                quote(name)
            )));
        }

        let nested = !is_dir && name.len() > 3 && name.to_ascii_lowercase().ends_with(".gz");
        self.entry.shown = if nested { name[..name.len() - 3].to_string() } else { name.clone() };
        self.entry.nested = if nested { Nested::Sniff(Vec::with_capacity(2)) } else { Nested::Off };
        self.entry.emit = !is_dir;
        self.entry.known = !descriptor || method == 0;
        if self.entry.emit {
            out(Output::EntryStart { name: &self.entry.shown });
        }
        if method == 8 {
            self.inflater.reset();
        }
        self.state = ZState::Data;
        if self.entry.known && csize == 0 {
            self.end_of_data(out)?;
        }
        Ok(())
    }

    fn data(&mut self, input: &[u8], pos: &mut usize, out: &mut Out<'_>, room: &Cell<u64>) -> Result<(), Failure> {
        // what a nested `.gz` has pending comes first
        if self.entry.nested_busy() {
            self.entry.drain(out, room).map_err(fatal_err)?;
            if self.entry.nested_busy() || room.get() == 0 {
                return Ok(());
            }
        }
        let e = &mut self.entry;
        let avail = input.len() - *pos;
        let lim = if e.known { (e.csize - e.consumed).min(avail as u64) as usize } else { avail };
        let slice = &input[*pos..*pos + lim];
        if e.method == 0 {
            // in pieces, so that a bounded call stops after one that uses up its room
            let mut done = 0;
            while done < lim && room.get() > 0 {
                let n = (lim - done).min(INFLATE_BUF);
                if let Err(err) = e.deliver(&slice[done..done + n], out, room) {
                    self.nested_failed_at = Some(e.data_start);
                    return Err(fatal_err(err));
                }
                done += n;
            }
            e.consumed += done as u64;
            *pos += done;
            if e.consumed == e.csize {
                return self.end_of_data(out);
            }
            return Ok(());
        }
        let corrupt = |e: &Entry, at: u64| {
            fatal(format!("zip: entry {}: corrupt deflate stream at byte {}", quote(&e.name), e.data_start + at))
        };
        let r = self.inflater.feed(slice, false, room, &mut |d| e.deliver(d, &mut *out, room));
        let (n, mut ended) = match r {
            Ok(v) => v,
            Err(InflateError::Corrupt { at }) => {
                // consumed up to where the inflater stopped, whatever the chunking
                *pos = (e.data_start + at).saturating_sub(self.offset).clamp(*pos as u64, (*pos + lim) as u64) as usize;
                return Err(corrupt(e, at));
            }
            Err(InflateError::Sink(err)) => {
                self.nested_failed_at = Some(e.data_start);
                return Err(fatal_err(err));
            }
        };
        *pos += n;
        e.consumed += n as u64;
        if !ended && self.inflater.paused {
            return Ok(());
        }
        if !ended && e.known && e.consumed == e.csize {
            // All the stated compressed bytes are in: the stream must end.
            match self.inflater.feed(&[], true, room, &mut |d| e.deliver(d, &mut *out, room)) {
                Ok((_, true)) => ended = true,
                Ok((_, false)) if self.inflater.paused => return Ok(()),
                Ok((_, false)) => {
                    return Err(fatal(format!(
                        "zip: entry {}: deflate stream is incomplete after its {} compressed bytes",
                        quote(&e.name),
                        e.csize
                    )));
                }
                Err(InflateError::Corrupt { at }) => return Err(corrupt(e, at)),
                Err(InflateError::Sink(err)) => {
                    self.nested_failed_at = Some(e.data_start);
                    return Err(fatal_err(err));
                }
            }
        }
        if !ended {
            return Ok(());
        }
        if e.known && e.consumed != e.csize {
            return Err(fatal(format!(
                "zip: entry {}: deflate stream ends after {} of its {} compressed bytes",
                quote(&e.name),
                e.consumed,
                e.csize
            )));
        }
        self.end_of_data(out)
    }

    /// The entry's compressed data is consumed.
    fn end_of_data(&mut self, out: &mut Out<'_>) -> Result<(), Failure> {
        if self.entry.descriptor {
            self.buf.clear();
            self.state = ZState::Descriptor(DescStage::First);
            return Ok(());
        }
        let e = &self.entry;
        if e.produced != e.usize {
            return Err(fatal(format!(
                "zip: entry {}: size mismatch (local header says {}, decoded {})",
                quote(&e.name),
                e.usize,
                e.produced
            )));
        }
        self.check_crc(e.crc_expected)?;
        self.close_entry(out)
    }

    fn check_crc(&self, stored: u32) -> Result<(), Failure> {
        let computed = self.entry.crc.sum();
        if stored != computed {
            return Err(fatal(format!(
                "zip: entry {}: crc32 mismatch (stored {stored:08x}, computed {computed:08x})",
                quote(&self.entry.name)
            )));
        }
        Ok(())
    }

    /// Closes the entry, or waits in `Closing` while a nested `.gz` has output pending.
    fn close_entry(&mut self, out: &mut Out<'_>) -> Result<(), Failure> {
        if self.entry.nested_busy() {
            self.state = ZState::Closing;
            return Ok(());
        }
        self.entry.close(out).map_err(fatal_err)?;
        self.state = ZState::Sig;
        Ok(())
    }

    fn descriptor(
        &mut self,
        stage: DescStage,
        input: &[u8],
        pos: &mut usize,
        out: &mut Out<'_>,
    ) -> Result<(), Failure> {
        let need = match stage {
            DescStage::First | DescStage::Crc => 4,
            DescStage::Sizes | DescStage::Size64 => 8,
        };
        if !fill(&mut self.buf, need, input, pos) {
            return Ok(());
        }
        let (c, u) = (self.entry.consumed, self.entry.produced);
        let mismatch = |e: &Entry| {
            fatal(format!(
                "zip: entry {}: data descriptor at byte {} does not match the data (compressed {c}, uncompressed {u})",
                quote(&e.name),
                e.data_start + c
            ))
        };
        match stage {
            DescStage::First => {
                let v = le32(&self.buf, 0);
                if v == SIG_DESCRIPTOR {
                    self.state = ZState::Descriptor(DescStage::Crc);
                } else {
                    self.entry.desc_crc = v;
                    self.state = ZState::Descriptor(DescStage::Sizes);
                }
            }
            DescStage::Crc => {
                self.entry.desc_crc = le32(&self.buf, 0);
                self.state = ZState::Descriptor(DescStage::Sizes);
            }
            DescStage::Sizes => {
                let m32 =
                    le32(&self.buf, 0) == (c & 0xffff_ffff) as u32 && le32(&self.buf, 4) == (u & 0xffff_ffff) as u32;
                let m64 = le64(&self.buf, 0) == c;
                let wide = match (m32, m64) {
                    (true, true) => self.entry.zip64,
                    (false, true) => true,
                    (true, false) => false,
                    (false, false) => return Err(mismatch(&self.entry)),
                };
                if wide {
                    self.state = ZState::Descriptor(DescStage::Size64);
                } else {
                    self.buf.clear();
                    self.check_crc(self.entry.desc_crc)?;
                    return self.close_entry(out);
                }
            }
            DescStage::Size64 => {
                if le64(&self.buf, 0) != u {
                    return Err(mismatch(&self.entry));
                }
                self.buf.clear();
                self.check_crc(self.entry.desc_crc)?;
                return self.close_entry(out);
            }
        }
        self.buf.clear();
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ArchiveError> {
        let n = self.offset;
        let name = &self.entry.name;
        let msg = match self.state {
            ZState::Done => return Ok(()),
            ZState::Sig if self.buf.is_empty() && n == 0 => "zip: input is empty".to_string(),
            ZState::Sig if self.buf.is_empty() => {
                format!("zip: input ends after {n} bytes without a central directory")
            }
            ZState::Sig | ZState::Header => {
                format!("zip: input ends inside a local file header at byte {}", self.header_at)
            }
            ZState::Data | ZState::Closing => {
                format!("zip: input ends inside the data of entry {} after {n} bytes", quote(name))
            }
            ZState::Descriptor(_) => format!("zip: input ends inside the data descriptor of entry {}", quote(name)),
            ZState::Skip => format!("zip: input ends inside skipped entry {}", quote(name)),
        };
        Err(ArchiveError::new(msg))
    }
}

// ---------------------------------------------------------------------------
// Decoder

enum Core {
    Plain { started: bool },
    Gzip(Box<GzipCore>),
    Zip(Box<ZipCore>),
}

/// Run `data` through the core until it or `room` is used up; returns the
/// bytes consumed. On error, `Some(pos)` means recoverable: the bytes from
/// `pos` on were not processed.
fn run_core(
    core: &mut Core,
    data: &[u8],
    out: &mut Out<'_>,
    room: &Cell<u64>,
) -> Result<usize, (ArchiveError, Option<usize>)> {
    match core {
        Core::Plain { started } => {
            let mut pos = 0;
            while pos < data.len() && room.get() > 0 {
                if !*started {
                    *started = true;
                    out(Output::EntryStart { name: "" });
                }
                let end = data.len().min(pos + MAX_DATA_CHUNK);
                out(Output::Data(&data[pos..end]));
                pos = end;
            }
            Ok(pos)
        }
        Core::Gzip(g) => g.push(data, out, room).map_err(|e| (e, None)),
        Core::Zip(z) => {
            let mut pos = 0;
            let r = z.run(data, &mut pos, out, room);
            z.offset += pos as u64;
            r.map(|()| pos).map_err(|f| (f.err, if f.recoverable { Some(pos) } else { None }))
        }
    }
}

/// Output is pending in the core without more input.
fn core_busy(core: &Core) -> bool {
    match core {
        Core::Plain { .. } => false,
        Core::Gzip(g) => g.busy(),
        Core::Zip(z) => z.busy(),
    }
}

/// One push decoder for any container kind. See the module documentation for
/// what each kind emits and how errors behave.
pub struct Decoder {
    kind: ContainerKind,
    core: Core,
    bytes_in: u64,
    bytes_out: u64,
    /// A fatal error, returned again by every later call.
    error: Option<ArchiveError>,
    /// Input not yet processed (after a recoverable error, or a bounded call that stopped), from
    /// `pending_at` on.
    pending: Vec<u8>,
    pending_at: usize,
    finished: bool,
}

impl Decoder {
    pub fn new(kind: ContainerKind) -> Self {
        let core = match kind {
            ContainerKind::Plain => Core::Plain { started: false },
            ContainerKind::Gzip => Core::Gzip(Box::new(GzipCore::new())),
            ContainerKind::Zip => Core::Zip(Box::new(ZipCore::new())),
        };
        Decoder {
            kind,
            core,
            bytes_in: 0,
            bytes_out: 0,
            error: None,
            pending: Vec::new(),
            pending_at: 0,
            finished: false,
        }
    }

    pub fn kind(&self) -> ContainerKind {
        self.kind
    }

    /// Feed the next chunk (any size, may be empty). Calls `out` zero or more
    /// times; `Data` slices are at most [`MAX_DATA_CHUNK`] bytes.
    pub fn push(&mut self, chunk: &[u8], out: &mut dyn FnMut(Output<'_>)) -> Result<(), ArchiveError> {
        self.push_bounded(chunk, u64::MAX, out).map(|_| ())
    }

    /// Like `push`, but returns once about `max_out` decompressed bytes were emitted (past it by
    /// at most one `Data` piece), keeping the rest of the input pending. `Ok(true)`: output is
    /// pending; call [`Decoder::pump`] (or push the next chunk, which queues behind it).
    pub fn push_bounded(
        &mut self,
        chunk: &[u8],
        max_out: u64,
        out: &mut dyn FnMut(Output<'_>),
    ) -> Result<bool, ArchiveError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.finished {
            return Err(ArchiveError::new(format!("{}: push called after finish", self.prefix())));
        }
        self.bytes_in += chunk.len() as u64;
        let room = Cell::new(max_out.max(1));
        let (consumed, result, rest) = if self.pending_at < self.pending.len() {
            // what was kept comes first, then the chunk
            let mut buf = std::mem::take(&mut self.pending);
            let mut at = self.pending_at;
            if !chunk.is_empty() {
                buf.drain(..at);
                buf.extend_from_slice(chunk);
                at = 0;
            }
            let (n, r) = self.feed(&buf[at..], out, &room);
            (at + n, r, buf)
        } else {
            let (n, r) = self.feed(chunk, out, &room);
            let mut buf = std::mem::take(&mut self.pending);
            buf.clear();
            buf.extend_from_slice(chunk.get(n..).unwrap_or_default());
            (0, r, buf)
        };
        if consumed >= rest.len() || self.error.is_some() {
            self.pending = rest;
            self.pending.clear();
            self.pending_at = 0;
        } else {
            self.pending = rest;
            self.pending_at = consumed;
        }
        result.map(|()| self.has_pending())
    }

    /// Goes on with what a bounded call left pending: `push_bounded` with no new input.
    pub fn pump(&mut self, max_out: u64, out: &mut dyn FnMut(Output<'_>)) -> Result<bool, ArchiveError> {
        self.push_bounded(&[], max_out, out)
    }

    /// Input is kept, or output is waiting, for a `pump`.
    pub fn has_pending(&self) -> bool {
        self.error.is_none() && (self.pending_at < self.pending.len() || core_busy(&self.core))
    }

    /// Compressed bytes the decoding used so far (pushed, less those kept pending).
    pub fn bytes_consumed(&self) -> u64 {
        self.bytes_in - self.pending.len().saturating_sub(self.pending_at) as u64
    }

    /// End of input: closes the last entry, or errors if the input was
    /// truncated. Everything decodable was emitted before the error. After a
    /// recoverable error (see module docs) call `finish` again.
    pub fn finish(&mut self, out: &mut dyn FnMut(Output<'_>)) -> Result<(), ArchiveError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.finished {
            return Ok(());
        }
        if self.has_pending() {
            self.push_bounded(&[], u64::MAX, out)?;
        }
        let bytes_out = &mut self.bytes_out;
        let mut counting = |o: Output<'_>| {
            if let Output::Data(d) = o {
                *bytes_out += d.len() as u64;
            }
            out(o);
        };
        let r = match &mut self.core {
            Core::Plain { started } => {
                if !*started {
                    *started = true;
                    counting(Output::EntryStart { name: "" });
                }
                counting(Output::EntryEnd);
                Ok(())
            }
            Core::Gzip(g) => g.finish(&mut counting),
            Core::Zip(z) => z.finish(),
        };
        match r {
            Ok(()) => {
                self.finished = true;
                Ok(())
            }
            Err(e) => {
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Compressed bytes handed to `push` so far.
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Input bytes consumed: after a fatal error, where in the input it was found (the same
    /// whatever the chunking, unlike [`Self::bytes_in`]).
    pub fn consumed(&self) -> u64 {
        match &self.core {
            Core::Plain { .. } => self.bytes_in,
            Core::Gzip(g) => g.offset,
            Core::Zip(z) => z.nested_failed_at.unwrap_or(z.offset),
        }
    }

    /// Decompressed bytes emitted as `Data` so far.
    pub fn bytes_out(&self) -> u64 {
        self.bytes_out
    }

    /// True after a fatal error: every later call returns that error.
    /// False after a recoverable one (decoding continues with the next push).
    pub fn is_failed(&self) -> bool {
        self.error.is_some()
    }

    fn prefix(&self) -> &'static str {
        match self.kind {
            ContainerKind::Plain => "plain",
            ContainerKind::Gzip => "gzip",
            ContainerKind::Zip => "zip",
        }
    }

    /// Runs `data` through the core: the bytes consumed (up to a recoverable error's position),
    /// and the error if any (a fatal one is kept).
    fn feed(&mut self, data: &[u8], out: &mut Out<'_>, room: &Cell<u64>) -> (usize, Result<(), ArchiveError>) {
        let bytes_out = &mut self.bytes_out;
        let mut counting = |o: Output<'_>| {
            if let Output::Data(d) = o {
                *bytes_out += d.len() as u64;
                room.set(room.get().saturating_sub(d.len() as u64));
            }
            out(o);
        };
        match run_core(&mut self.core, data, &mut counting, room) {
            Ok(n) => (n, Ok(())),
            Err((e, Some(p))) => (p, Err(e)),
            Err((e, None)) => {
                self.error = Some(e.clone());
                (data.len(), Err(e))
            }
        }
    }
}
