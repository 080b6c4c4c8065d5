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
//!
//! # Files
//! This file sniffs the container and holds the [`Decoder`] a `Feed` drives, with what the
//! formats share (the output events, byte readers); `inflate.rs` is raw deflate with bounded
//! output, `gzip.rs` the gzip members (headers, trailers, padding) and `zip.rs` the local-header
//! walk of a `.zip` (entries, data descriptors, a nested `.gz`).

mod gzip;
mod inflate;
mod zip;

use gzip::GzipCore;
use std::cell::Cell;
use std::fmt;
use zip::ZipCore;

/// Largest `Data` slice ever passed to the callback.
pub const MAX_DATA_CHUNK: usize = 256 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZIP_LOCAL_MAGIC: [u8; 4] = *b"PK\x03\x04";

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
// Decoder

/// The format being decoded.
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
