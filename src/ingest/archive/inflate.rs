//! Raw deflate with a bounded output buffer: the inflater under gzip members and zip entries.

use super::ArchiveError;
use flate2::{Decompress, FlushDecompress, Status};
use std::cell::Cell;

/// Size of the inflate output buffer (so inflated `Data` is at most this).
pub(super) const INFLATE_BUF: usize = 64 * 1024;

pub(super) enum InflateError {
    /// Invalid deflate data; `at` is the stream's compressed byte count then.
    Corrupt { at: u64 },
    /// The consumer of the inflated bytes failed.
    Sink(ArchiveError),
}

/// Raw deflate with a bounded output buffer.
pub(super) struct Inflater {
    z: Decompress,
    buf: Vec<u8>,
    /// The last `feed` stopped because the output room ran out: output may be pending in the
    /// stream's state even without more input.
    pub(super) paused: bool,
}

impl Inflater {
    pub(super) fn new() -> Self {
        Inflater { z: Decompress::new(false), buf: vec![0; INFLATE_BUF], paused: false }
    }

    pub(super) fn reset(&mut self) {
        self.z.reset(false);
        self.paused = false;
    }

    /// Inflate from `input`, passing output to `sink` in pieces of at most
    /// `INFLATE_BUF` bytes. Returns the bytes consumed and whether the deflate
    /// stream ended (then the bytes after it are not consumed). Stops early,
    /// with `paused` set, when `room` is used up after a piece.
    pub(super) fn feed(
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
