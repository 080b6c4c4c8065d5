//! Splits a stream of byte chunks into lines, whatever the chunk boundaries.
//!
//! Only a line that spans chunks is copied (into `carry`); a line longer than `max_line_bytes` is
//! not kept at all: it is counted to its end and reported with its length, so memory stays bounded.

/// One line as handed to the parser: trimmed of a BOM (first line), `\r` and trailing blanks.
pub struct Line<'a> {
    pub bytes: &'a [u8],
    /// 1-based
    pub number: u64,
    /// byte offset of the line's first byte in the source
    pub offset: u64,
    /// length of the raw line without its `\n`
    pub raw_len: u64,
    /// false for a last line that had no `\n`
    pub terminated: bool,
    /// The line that is the very next event of this push, as it will be trimmed (`None` when
    /// unknown: it is not wholly in this chunk, or too long): its hash can be computed, and its
    /// slot of the de-duplication set fetched into the cache, a line ahead (`Store::on_line`).
    pub next: Option<&'a [u8]>,
}

pub enum LineEvent<'a> {
    Line(Line<'a>),
    /// A line over the limit, skipped whole.
    TooLong {
        number: u64,
        offset: u64,
        len: u64,
    },
}

pub struct LineSplitter {
    carry: Vec<u8>,
    /// bytes of the current (unfinished) line seen so far while skipping a too-long line
    skipping: Option<u64>,
    line_start: u64,
    consumed: u64,
    /// lines begun so far (saturating: see `Locator` for the numbers it keeps)
    number: u64,
    max_line_bytes: usize,
    /// the first line is the source's first (a BOM there is dropped)
    at_source_start: bool,
}

pub const DEFAULT_MAX_LINE_BYTES: usize = 64 << 20;
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl LineSplitter {
    pub fn new(max_line_bytes: usize) -> Self {
        LineSplitter {
            carry: Vec::new(),
            skipping: None,
            line_start: 0,
            consumed: 0,
            number: 0,
            max_line_bytes,
            at_source_start: true,
        }
    }

    /// A splitter for lines that start at byte `offset` of the source, not at its start (a byte
    /// range read on its own): line numbers count from 1 within the range, no BOM is dropped.
    pub fn resume_at(max_line_bytes: usize, offset: u64) -> Self {
        LineSplitter {
            line_start: offset,
            consumed: offset,
            at_source_start: false,
            ..LineSplitter::new(max_line_bytes)
        }
    }

    /// A splitter whose first line is numbered `n + 1` (tests of line numbers past `u32::MAX`,
    /// which would otherwise need four billion lines).
    #[cfg(test)]
    pub(crate) fn with_lines_before(self, n: u64) -> Self {
        LineSplitter { number: n, ..self }
    }

    /// A line has begun and not ended (its `\n` is still to come).
    pub fn in_line(&self) -> bool {
        !self.carry.is_empty() || self.skipping.is_some()
    }

    /// Where the line being read starts (after the last `\n`): the bytes of whole lines read.
    pub fn line_start(&self) -> u64 {
        self.line_start
    }

    pub fn buffered_bytes(&self) -> usize {
        self.carry.len()
    }

    pub fn push(&mut self, chunk: &[u8], f: &mut dyn FnMut(LineEvent<'_>)) {
        let mut rest = chunk;
        // the end of the line after the current one is looked for a line early, for `Line::next`
        let mut end = memchr::memchr(b'\n', rest);
        while !rest.is_empty() {
            match end {
                Some(i) => {
                    let (head, tail) = (&rest[..i], &rest[i + 1..]);
                    let next_end = memchr::memchr(b'\n', tail);
                    self.consumed += i as u64 + 1;
                    if let Some(seen) = self.skipping.take() {
                        self.number = self.number.saturating_add(1);
                        f(LineEvent::TooLong { number: self.number, offset: self.line_start, len: seen + i as u64 });
                    } else if self.carry.is_empty() && head.len() <= self.max_line_bytes {
                        // after a line emitted from the chunk, the next whole line in it is the next event
                        let next =
                            next_end.map(|j| &tail[..j]).filter(|n| n.len() <= self.max_line_bytes).map(trim_end);
                        self.emit(head, true, next, f);
                    } else if self.carry.len() + head.len() > self.max_line_bytes {
                        self.number = self.number.saturating_add(1);
                        let len = (self.carry.len() + head.len()) as u64;
                        self.carry = Vec::new();
                        f(LineEvent::TooLong { number: self.number, offset: self.line_start, len });
                    } else {
                        let mut carry = std::mem::take(&mut self.carry);
                        carry.extend_from_slice(head);
                        self.emit(&carry, true, None, f);
                        carry.clear();
                        self.carry = carry;
                    }
                    self.line_start = self.consumed;
                    rest = tail;
                    end = next_end;
                }
                None => {
                    self.consumed += rest.len() as u64;
                    if let Some(seen) = self.skipping.as_mut() {
                        *seen += rest.len() as u64;
                    } else if self.carry.len() + rest.len() > self.max_line_bytes {
                        self.skipping = Some((self.carry.len() + rest.len()) as u64);
                        self.carry = Vec::new();
                    } else {
                        self.carry.extend_from_slice(rest);
                    }
                    rest = &[];
                }
            }
        }
    }

    /// End of the source: a last line without `\n` is emitted with `terminated: false`.
    pub fn finish(&mut self, f: &mut dyn FnMut(LineEvent<'_>)) {
        if let Some(seen) = self.skipping.take() {
            self.number = self.number.saturating_add(1);
            f(LineEvent::TooLong { number: self.number, offset: self.line_start, len: seen });
        } else if !self.carry.is_empty() {
            let carry = std::mem::take(&mut self.carry);
            self.emit(&carry, false, None, f);
        }
        self.line_start = self.consumed;
    }

    fn emit<'a>(&mut self, raw: &'a [u8], terminated: bool, next: Option<&'a [u8]>, f: &mut dyn FnMut(LineEvent<'a>)) {
        self.number = self.number.saturating_add(1);
        let mut bytes = raw;
        if self.number == 1 && self.at_source_start {
            bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        }
        f(LineEvent::Line(Line {
            bytes: trim_end(bytes),
            number: self.number,
            offset: self.line_start,
            raw_len: raw.len() as u64,
            terminated,
            next,
        }));
    }
}

/// A line without the `\r`, spaces and tabs at its end.
fn trim_end(mut bytes: &[u8]) -> &[u8] {
    while let [head @ .., b'\r' | b' ' | b'\t'] = bytes {
        bytes = head;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Line::next` names exactly the next event's line, trimmed as it will be, whenever it is
    /// given: through chunk boundaries, a carried line, a too-long line and a blank one.
    #[test]
    fn next_is_the_line_that_comes_next() {
        let input = b"{\"a\":1}\r\n{\"b\":2}  \n\n0123456789abcdef\n{\"c\":3}\n{\"d\":4}\n{\"e\":5}";
        for chunk in 1..=input.len() {
            let mut splitter = LineSplitter::new(12);
            let mut seen: Vec<(Option<Vec<u8>>, Option<Vec<u8>>)> = Vec::new();
            let mut on = |ev: LineEvent<'_>| match ev {
                LineEvent::Line(l) => seen.push((Some(l.bytes.to_vec()), l.next.map(<[u8]>::to_vec))),
                LineEvent::TooLong { .. } => seen.push((None, None)),
            };
            for c in input.chunks(chunk) {
                splitter.push(c, &mut on);
            }
            splitter.finish(&mut on);
            let mut hinted = 0;
            for pair in seen.windows(2) {
                if let (_, Some(next)) = &pair[0] {
                    assert_eq!(pair[1].0.as_ref(), Some(next), "chunks of {chunk}");
                    hinted += 1;
                }
            }
            assert!(seen.last().is_some_and(|(_, next)| next.is_none()));
            if chunk == input.len() {
                // one chunk: each line followed by a whole line that is not too long
                assert_eq!(hinted, 3, "{seen:?}");
            }
        }
    }

    fn split(input: &[u8], chunk: usize, max: usize) -> Vec<String> {
        let mut s = LineSplitter::new(max);
        let mut out = Vec::new();
        let mut f = |e: LineEvent<'_>| match e {
            LineEvent::Line(l) => out.push(format!(
                "{}@{}:{}{}",
                l.number,
                l.offset,
                String::from_utf8_lossy(l.bytes),
                if l.terminated { "" } else { "$" }
            )),
            LineEvent::TooLong { number, offset, len } => out.push(format!("{number}@{offset}:too long {len}")),
        };
        for c in input.chunks(chunk.max(1)) {
            s.push(c, &mut f);
        }
        s.finish(&mut f);
        out
    }

    #[test]
    fn same_lines_for_every_chunking() {
        let input = b"\xEF\xBB\xBF{\"a\":1}\r\n\n  \t\r\nabcdefghijklmnopqrstuvwxyz\nlast";
        let whole = split(input, input.len(), 1000);
        assert_eq!(whole, vec!["1@0:{\"a\":1}", "2@12:", "3@13:", "4@18:abcdefghijklmnopqrstuvwxyz", "5@45:last$"]);
        for n in [1, 2, 3, 7, 4096] {
            assert_eq!(split(input, n, 1000), whole, "chunk {n}");
        }
        // a line over the limit is reported with its length, then splitting resumes
        let limited = split(input, input.len(), 10);
        assert_eq!(limited[3], "4@18:too long 26");
        for n in [1, 2, 7] {
            assert_eq!(split(input, n, 10), limited, "chunk {n}");
        }
    }
}
