//! Gzip: a stream of members (header, deflate, trailer), decoded into one entry.

use super::inflate::{InflateError, Inflater};
use super::{emit_data, fill, le16, le32, ArchiveError, Out, Output, GZIP_MAGIC};
use flate2::Crc;
use std::cell::Cell;

/// Bytes of a gzip FNAME that are kept (the rest is skipped).
const MAX_GZIP_NAME: usize = 4096;

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
                    // the two magic bytes are taken one at a time and judged as they come, so a
                    // bad one is found right after it whatever the chunking (taken with the rest
                    // of the fixed header, an error said 32 input bytes read whole, 25 chunked)
                    let start = self.tmp.len();
                    let want = if start < GZIP_MAGIC.len() { start + 1 } else { 10 };
                    let full = fill(&mut self.tmp, want, input, pos);
                    self.crc.update(&self.tmp[start..]);
                    if self.tmp.first().is_some_and(|&b| b != GZIP_MAGIC[0])
                        || self.tmp.get(1).is_some_and(|&b| b != GZIP_MAGIC[1])
                    {
                        return Err(HeaderError::BadMagic);
                    }
                    if !full {
                        return Ok(false);
                    }
                    if want < 10 {
                        continue;
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
pub(super) struct GzipCore {
    state: GzState,
    header: GzHeader,
    inflater: Inflater,
    /// 1-based number of the member being decoded.
    member: u32,
    started: bool,
    /// Input bytes consumed before the current `push`.
    pub(super) offset: u64,
    member_start: u64,
    deflate_start: u64,
    crc: Crc,
    member_out: u64,
    trailer: Vec<u8>,
}

impl GzipCore {
    pub(super) fn new() -> Self {
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
    pub(super) fn busy(&self) -> bool {
        self.state == GzState::Deflate && self.inflater.paused
    }

    /// Decodes `input` until it is used up or `room` is; returns the bytes consumed.
    pub(super) fn push(&mut self, input: &[u8], out: &mut Out<'_>, room: &Cell<u64>) -> Result<usize, ArchiveError> {
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

    pub(super) fn finish(&mut self, out: &mut Out<'_>) -> Result<(), ArchiveError> {
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
