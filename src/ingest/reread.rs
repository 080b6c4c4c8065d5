//! Re-reading raw lines: the drill-down shows an event's line as written, and ingest kept only
//! its [`Locator`](crate::model::records::Locator) (source, offset, length). A plain source is
//! sliced directly by the shell that holds its bytes; a `.gz`/`.zip` source, whose offsets count decompressed bytes, is replayed
//! through a fresh decoder while a [`RangeCollector`] picks the wanted ranges out of its output.

/// Collects byte ranges of one entry of a decoded input while a fresh
/// [`Decoder`](super::archive::Decoder) replays it: how the drill-down reads raw lines of
/// `.gz`/`.zip` sources, whose locators count decompressed bytes.
#[derive(Debug, Clone, Default)]
pub struct RangeCollector {
    /// which entry (0-based, in archive order) holds the lines
    entry: usize,
    /// wanted (offset, len), sorted by offset
    wanted: Vec<(u64, u32)>,
    found: Vec<Vec<u8>>,
    entries_seen: usize,
    in_entry: bool,
    pos: u64,
}

impl RangeCollector {
    pub fn new(entry: usize, mut wanted: Vec<(u64, u32)>) -> Self {
        crate::model::sort::natural(&mut wanted);
        wanted.dedup();
        let found = vec![Vec::new(); wanted.len()];
        RangeCollector { entry, wanted, found, ..Default::default() }
    }

    /// Whether every range has been read (the replay can stop).
    pub fn done(&self) -> bool {
        self.wanted.iter().zip(&self.found).all(|((_, len), f)| f.len() >= *len as usize)
            || (self.entries_seen > self.entry && !self.in_entry)
    }

    pub fn on_output(&mut self, out: super::archive::Output<'_>) {
        use super::archive::Output;
        match out {
            Output::EntryStart { .. } => {
                self.in_entry = self.entries_seen == self.entry;
                self.entries_seen += 1;
                self.pos = 0;
            }
            Output::EntryEnd => self.in_entry = false,
            Output::Data(bytes) => {
                if !self.in_entry {
                    return;
                }
                let (start, end) = (self.pos, self.pos + bytes.len() as u64);
                for ((off, len), buf) in self.wanted.iter().zip(self.found.iter_mut()) {
                    let (a, b) = ((*off).max(start), (off + *len as u64).min(end));
                    if a < b {
                        buf.extend_from_slice(&bytes[(a - start) as usize..(b - start) as usize]);
                    }
                }
                self.pos = end;
            }
        }
    }

    /// The text at `offset` (as given to [`RangeCollector::new`]), when it was read whole.
    pub fn text(&self, offset: u64, len: u32) -> Option<String> {
        let i = self.wanted.binary_search(&(offset, len)).ok()?;
        let buf = &self.found[i];
        (buf.len() == len as usize).then(|| String::from_utf8_lossy(buf).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::archive::{ContainerKind, Decoder};

    #[test]
    fn collects_ranges_across_chunks() {
        let text = b"line one\nline two\nline three\n";
        let mut c = RangeCollector::new(0, vec![(9, 8), (0, 8), (18, 10)]);
        let mut d = Decoder::new(ContainerKind::Plain);
        for chunk in text.chunks(5) {
            d.push(chunk, &mut |o| c.on_output(o)).unwrap();
        }
        d.finish(&mut |o| c.on_output(o)).unwrap();
        assert_eq!(c.text(0, 8).as_deref(), Some("line one"));
        assert_eq!(c.text(9, 8).as_deref(), Some("line two"));
        assert_eq!(c.text(18, 10).as_deref(), Some("line three"));
        assert!(c.done());
        assert_eq!(c.text(1, 2), None);
    }
}
