//! Zip: entries read from their local headers in order (the central directory is never needed),
//! stored or deflated, with data descriptors and zip64 sizes; an entry that is a `.gz` is
//! gunzipped too.

use super::gzip::GzipCore;
use super::inflate::{InflateError, Inflater, INFLATE_BUF};
use super::{emit_data, fill, le16, le32, le64, ArchiveError, Out, Output, GZIP_MAGIC};
use flate2::Crc;
use std::cell::Cell;

const SIG_LOCAL: u32 = 0x0403_4b50;
const SIG_CENTRAL: u32 = 0x0201_4b50;
const SIG_END: u32 = 0x0605_4b50;
const SIG_ZIP64_END: u32 = 0x0606_4b50;
const SIG_ZIP64_LOCATOR: u32 = 0x0706_4b50;
const SIG_ARCHIVE_EXTRA: u32 = 0x0806_4b50;
const SIG_DIGITAL_SIGNATURE: u32 = 0x0505_4b50;
const SIG_DESCRIPTOR: u32 = 0x0807_4b50;
const SIG_SPAN_SINGLE: u32 = 0x3030_4b50;

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

pub(super) struct Failure {
    pub(super) err: ArchiveError,
    pub(super) recoverable: bool,
}

fn fatal(message: impl Into<String>) -> Failure {
    Failure { err: ArchiveError::new(message), recoverable: false }
}

fn fatal_err(err: ArchiveError) -> Failure {
    Failure { err, recoverable: false }
}

pub(super) struct ZipCore {
    state: ZState,
    buf: Vec<u8>,
    entry: Entry,
    inflater: Inflater,
    /// Input bytes consumed before the current `run`.
    pub(super) offset: u64,
    /// Where the current signature / local header starts.
    header_at: u64,
    /// The data start of an entry whose nested `.gz` failed: where the input counts as read to
    /// (how far the outer bytes were read then depends on the chunking; the message says where
    /// in the nested stream)
    pub(super) nested_failed_at: Option<u64>,
    skip_left: u64,
}

impl ZipCore {
    pub(super) fn new() -> Self {
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
    pub(super) fn busy(&self) -> bool {
        match self.state {
            ZState::Data => self.entry.nested_busy() || self.inflater.paused,
            ZState::Closing => true,
            _ => false,
        }
    }

    /// Process `input` from `*pos` until it or `room` is used up; `*pos` tells how far it got.
    pub(super) fn run(
        &mut self,
        input: &[u8],
        pos: &mut usize,
        out: &mut Out<'_>,
        room: &Cell<u64>,
    ) -> Result<(), Failure> {
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

    pub(super) fn finish(&mut self) -> Result<(), ArchiveError> {
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
