//! [`Feed`]: one input file pushed in chunks — its container opened (`archive`), its sources'
//! first bytes judged (text or not), its lines split and handed to the [`Store`]. Bounded pushes
//! and pumps (`push_bounded`, `pump`), the memory limit (`set_memory_limit`, stopping at the last
//! line that fits) and the bomb guards (`set_ratio_cap`, `set_junk_cap`).

use super::archive::{self, ContainerKind, Decoder, Output};
use super::lines::{LineEvent, LineSplitter, DEFAULT_MAX_LINE_BYTES};
use super::{Counts, SkipReason, Store};
use crate::model::records::*;

/// Which entries of a `.zip` (or files of a folder) are read: bosun's JSON Lines files.
pub fn is_log_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".zip"].iter().any(|e| n.ends_with(e))
}

/// The state of one source being read line by line.
pub(super) struct Open {
    pub(super) src: u32,
    pub(super) lines: LineSplitter,
    /// the source's first bytes decided it is not text
    pub(super) rejected: bool,
    /// whether the source's first bytes were judged (`check_head`)
    pub(super) checked: bool,
    /// the source's first bytes, held until `HEAD_BYTES` are there (or the source ends) and judged
    /// before any line is read: the verdict is the same whatever the chunking
    pub(super) head: Vec<u8>,
}

impl Open {
    pub(super) fn new(src: u32, rejected: bool, checked: bool) -> Open {
        Open { src, lines: LineSplitter::new(DEFAULT_MAX_LINE_BYTES), rejected, checked, head: Vec::new() }
    }

    /// Bytes held: the head not yet judged and a line that spans chunks.
    fn buffered_bytes(&self) -> usize {
        self.lines.buffered_bytes() + self.head.len()
    }
}

/// How many of a source's first bytes decide whether it is text (`check_head`).
const HEAD_BYTES: usize = 4096;

/// Reads one input file (plain, `.gz` or `.zip`) pushed in chunks.
pub struct Feed {
    name: String,
    head: Vec<u8>,
    decoder: Option<Decoder>,
    kind: ContainerKind,
    open: Option<Open>,
    bytes_in: u64,
    failed: bool,
    last_src: Option<u32>,
    /// the input's size when known, to reserve record storage once instead of growing it
    size_hint: Option<u64>,
    /// the decompressed size of a `.gz` input when known (`set_gzip_size_hint`)
    gzip_size_hint: Option<u64>,
    /// decompressed bytes decoded so far
    bytes_out: u64,
    /// the store's records when this input started, or `None` before the first chunk
    counts_at_start: Option<Counts>,
    reserved: bool,
    /// the most `Store::held_bytes` may reach while this input is read (see `set_memory_limit`)
    memory_limit: Option<usize>,
    /// where the input was stopped at the memory limit
    stopped: Option<Stopped>,
    /// the bomb guards (`set_ratio_cap`, `set_junk_cap`); off unless set
    ratio_cap: Option<RatioCap>,
    junk_cap: Option<JunkCap>,
    /// the first source of this input in the store (set by the first chunk)
    first_src: Option<u32>,
    /// decompressed bytes handed to lines of sources not rejected (binary, not `.jsonl`)
    text_bytes: u64,
    /// a line of this input was telemetry (kept or a duplicate): the junk cap is off
    telemetry_seen: bool,
    /// why the input was stopped by a bomb guard
    gave_up: Option<String>,
    /// the input needs no more bytes (stopped, gave up, a fatal decoding error, or — with the
    /// junk cap — rejected as not text)
    ended: bool,
}

/// Decompressed bytes a bounded push or pump decodes at most (past it by at most one 256 KiB
/// piece): the slice the CLI and the page's worker read in, checking for cancel in between.
pub const SLICE_BYTES: u64 = 4 << 20;

/// The decompression ratio past which an input stops as a likely bomb (`Feed::set_ratio_cap`):
/// once it has made `after_bytes` decompressed bytes, more than `ratio` per compressed byte used.
/// A nested `.gz` in a `.zip` counts against the outer, compressed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatioCap {
    pub ratio: u64,
    pub after_bytes: u64,
}

impl RatioCap {
    /// 200:1 after 64 MiB: gzip makes 5 to 20:1 of real logs, a deflate bomb ~1000:1.
    pub const DEFAULT: RatioCap = RatioCap { ratio: 200, after_bytes: 64 << 20 };
}

/// How much text without one line of telemetry stops an input (`Feed::set_junk_cap`): `lines`
/// lines (blank, unreadable, of no known shape, too long) or `bytes` bytes of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JunkCap {
    pub lines: u64,
    pub bytes: u64,
}

impl JunkCap {
    pub const DEFAULT: JunkCap = JunkCap { lines: 1_000_000, bytes: 256 << 20 };
}

/// A size for a message: bytes, KiB or MiB, one decimal.
fn size_text(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// Where an input was stopped because its records reached the memory limit: after its last whole
/// line, before the line that was being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// input bytes read up to the end of the last line kept (for a `.gz`/`.zip`, compressed bytes pushed)
    pub bytes: u64,
    /// lines read from the source that was being read
    pub lines: u64,
}

/// After this many bytes of a plain input, the records it will make are estimated and reserved.
const RESERVE_AFTER_BYTES: u64 = 4 << 20;

impl Feed {
    /// `name` is how the diagnostics name this input (a path relative to the dropped folder, or a file name).
    pub fn new(name: &str) -> Feed {
        Feed {
            name: name.to_string(),
            head: Vec::new(),
            decoder: None,
            kind: ContainerKind::Plain,
            open: None,
            bytes_in: 0,
            failed: false,
            last_src: None,
            size_hint: None,
            gzip_size_hint: None,
            bytes_out: 0,
            counts_at_start: None,
            reserved: false,
            memory_limit: None,
            stopped: None,
            ratio_cap: None,
            junk_cap: None,
            first_src: None,
            text_bytes: 0,
            telemetry_seen: false,
            gave_up: None,
            ended: false,
        }
    }

    /// A feed that knows its input's size: once 4 MiB are read it reserves room for the events the
    /// rest will make, so that memory grows once rather than doubling (which briefly holds both
    /// copies; in Wasm the memory never shrinks back).
    pub fn with_size_hint(name: &str, bytes: u64) -> Feed {
        Feed { size_hint: Some(bytes), ..Feed::new(name) }
    }

    /// Bytes held for a line that spans chunks (bounded by the line limit).
    pub fn buffered_bytes(&self) -> usize {
        self.open.as_ref().map_or(0, Open::buffered_bytes) + self.head.len()
    }

    /// Compressed bytes pushed so far (for progress).
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// The decompressed size of a `.gz` input (its trailer's ISIZE, read by the caller): its
    /// records are then reserved as a plain input's are. A wrong hint (several members, over
    /// 4 GiB) only makes the reservation too small; a hint over the deflate's 1032:1 is ignored.
    pub fn set_gzip_size_hint(&mut self, bytes: u64) {
        if self.size_hint.is_none_or(|size| bytes <= size.saturating_mul(1032)) {
            self.gzip_size_hint = Some(bytes);
        }
    }

    /// Stops this input, at its last whole line, once the store's records would hold more than
    /// `bytes` (`Store::held_bytes`): the page's worker keeps the tab's memory bounded this way.
    /// A plain input with a size hint gets room for as many records as fit (reserved after its
    /// first 4 MiB) and stops at the line that would need more; any input stops at the line whose
    /// record would grow the records past the limit (names aside: a chunk that passes the limit
    /// with them ends the input after it).
    pub fn set_memory_limit(&mut self, bytes: usize) {
        self.memory_limit = Some(bytes);
    }

    /// Where the input was stopped at the memory limit, if it was.
    pub fn stopped(&self) -> Option<Stopped> {
        self.stopped
    }

    /// Stops the input as a likely decompression bomb once its output passes `cap` (`None`: no
    /// cap, the default; the CLI and the page set `RatioCap::DEFAULT`). The source says how far it
    /// got; the lines before are loaded.
    pub fn set_ratio_cap(&mut self, cap: Option<RatioCap>) {
        self.ratio_cap = cap;
    }

    /// Stops the input once `cap` lines or bytes of text were read without one line of telemetry
    /// (`None`: no cap, the default). With a cap an input rejected as binary or UTF-16 (plain or
    /// `.gz`) also ends at once, rather than being read to its end for nothing.
    pub fn set_junk_cap(&mut self, cap: Option<JunkCap>) {
        self.junk_cap = cap;
    }

    /// Why a bomb guard stopped the input (also the error of its source), if one did.
    pub fn gave_up(&self) -> Option<&str> {
        self.gave_up.as_deref()
    }

    /// The input needs no more bytes: stopped at the memory limit, stopped by a bomb guard, ended
    /// by a fatal decoding error or (with the junk cap) rejected as not text.
    pub fn ended(&self) -> bool {
        self.ended || self.failed || self.stopped.is_some()
    }

    /// Decompressed bytes so far (for progress).
    pub fn bytes_out(&self) -> u64 {
        self.bytes_out
    }

    /// Reads all of `chunk`: `push_bounded` and `pump` with no bound.
    pub fn push(&mut self, store: &mut Store, chunk: &[u8]) {
        let mut more = self.push_bounded(store, chunk, u64::MAX);
        while more {
            more = self.pump(store, u64::MAX);
        }
    }

    /// Reads `chunk` until about `max_out` decompressed bytes were read (`SLICE_BYTES`), keeping
    /// the rest pending; true when some is: call `pump` until it returns false before the next
    /// chunk (a caller checks for cancel in between). Whatever the bounds, the records are those
    /// `push` makes.
    pub fn push_bounded(&mut self, store: &mut Store, chunk: &[u8], max_out: u64) -> bool {
        if self.ended() {
            return false;
        }
        if self.memory_limit.is_some_and(|limit| store.held_bytes() >= limit) {
            self.stop(store);
            return false;
        }
        self.first_src.get_or_insert(store.sources.len() as u32);
        store.limit = self.memory_limit;
        self.bytes_in += chunk.len() as u64;
        let at_start = *self.counts_at_start.get_or_insert(store.counts());
        // the input's bytes read (with this chunk), those its records so far came from, and its
        // size — in the bytes its lines are in
        let sized = match self.kind {
            ContainerKind::Plain => {
                self.size_hint.map(|total| (self.bytes_in, self.bytes_in - chunk.len() as u64, total))
            }
            ContainerKind::Gzip => self.gzip_size_hint.map(|total| (self.bytes_out, self.bytes_out, total)),
            ContainerKind::Zip => None,
        };
        if let (Some((done, read, total)), false) = (sized, self.reserved) {
            if done >= RESERVE_AFTER_BYTES && self.decoder.is_some() {
                self.reserved = true;
                // room cut to the limit: the input stops where it is used up (growing it would
                // copy the records, briefly holding them twice)
                store.room_only = store.reserve_for_rest(at_start, read, total.saturating_sub(read), self.memory_limit);
            }
        }
        let more = if self.decoder.is_none() {
            self.head.extend_from_slice(chunk);
            if self.head.len() < 4 {
                return false;
            }
            let head = std::mem::take(&mut self.head);
            self.start(&head);
            self.decode(store, &head, false, max_out)
        } else {
            self.decode(store, chunk, false, max_out)
        };
        self.after_slice(store, more)
    }

    /// Goes on with what `push_bounded` left pending, for about `max_out` more decompressed
    /// bytes; true while more is pending.
    pub fn pump(&mut self, store: &mut Store, max_out: u64) -> bool {
        if self.ended() || self.decoder.is_none() {
            return false;
        }
        if self.memory_limit.is_some_and(|limit| store.held_bytes() >= limit) {
            self.stop(store);
            return false;
        }
        store.limit = self.memory_limit;
        let more = self.decode(store, &[], false, max_out);
        self.after_slice(store, more)
    }

    /// After a slice: the memory limit, then the bomb guards.
    fn after_slice(&mut self, store: &mut Store, more: bool) -> bool {
        if store.refused_from.is_some() || self.memory_limit.is_some_and(|limit| store.held_bytes() > limit) {
            self.stop(store);
            return false;
        }
        if let Some(why) = self.guard(store) {
            self.give_up(store, why);
            return false;
        }
        if self.junk_cap.is_some() && self.kind != ContainerKind::Zip && self.open.as_ref().is_some_and(|o| o.rejected)
        {
            // not text: nothing more of it would be read
            (self.open, self.decoder, self.ended) = (None, None, true);
            (store.limit, store.room_only) = (None, false);
            return false;
        }
        more
    }

    /// Why the bomb guards stop the input now, if they do.
    fn guard(&mut self, store: &Store) -> Option<String> {
        let out = self.bytes_out;
        if let (Some(cap), Some(decoder)) = (self.ratio_cap, self.decoder.as_ref()) {
            let used = decoder.bytes_consumed().max(1);
            if out > cap.after_bytes && out / used >= cap.ratio {
                let ratio = crate::model::numbers::grouped((out / used) as f64, 0);
                return Some(format!("decompressed {} from {} (a ratio of {ratio}:1, over {}:1): stopped as a likely decompression bomb; the lines before are loaded", size_text(out), size_text(used), cap.ratio));
            }
        }
        let cap = self.junk_cap?;
        if self.telemetry_seen {
            return None;
        }
        let sources = store.sources.get(self.first_src? as usize..).unwrap_or_default();
        if sources.iter().any(|s| s.events + s.metrics_rows + s.alerts + s.duplicates > 0) {
            self.telemetry_seen = true;
            return None;
        }
        let lines: u64 = sources.iter().map(|s| s.lines).sum();
        if lines >= cap.lines || self.text_bytes >= cap.bytes {
            let lines = crate::model::numbers::grouped(lines as f64, 0);
            return Some(format!("{lines} lines ({} of text) and not one is bosun telemetry (blank or unreadable lines only): stopped as the wrong file or a decompression bomb", size_text(self.text_bytes)));
        }
        None
    }

    /// Ends the input at its last whole line because a bomb guard says so: the source being read
    /// (or the last one) gets `why` as its error.
    fn give_up(&mut self, store: &mut Store, why: String) {
        let src = match self.open.take() {
            Some(o) => o.src,
            None => match self.last_src {
                Some(src) => src,
                None => store.add_source(self.name.clone(), "plain"),
            },
        };
        if let Some(s) = store.sources.get_mut(src as usize) {
            s.error = Some(match s.error.take() {
                Some(e) => format!("{e}; {why}"),
                None => why.clone(),
            });
        }
        store.refused_from = None;
        (store.limit, store.room_only) = (None, false);
        (self.decoder, self.ended, self.gave_up) = (None, true, Some(why));
    }

    /// Ends the input at its last whole line: the line being read is dropped without being
    /// counted, and the source says where and why it stopped.
    fn stop(&mut self, store: &mut Store) {
        let mut lines = 0;
        let mut bytes = self.bytes_in;
        let refused_from = store.refused_from.take();
        (store.limit, store.room_only) = (None, false);
        if let Some(o) = self.open.take() {
            let source = &mut store.sources[o.src as usize];
            lines = source.lines;
            if self.kind == ContainerKind::Plain {
                bytes = refused_from.unwrap_or_else(|| o.lines.line_start());
            }
            source.stop_at_limit();
        }
        self.decoder = None;
        self.stopped = Some(Stopped { bytes, lines });
    }

    /// The input may be all there is for now — a file still being written, read as it grows
    /// (`spyglass watch`): the first bytes held back to judge the source (`check_head`) are
    /// judged now, on what there is, and their lines read; a line cut at the end still waits for
    /// its end. A `.gz` or `.zip` is not settled: it is read whole.
    pub fn settle(&mut self, store: &mut Store) {
        if self.stopped.is_some() || self.ended {
            return;
        }
        if self.decoder.is_none() && !self.head.is_empty() {
            let head = std::mem::take(&mut self.head);
            self.start(&head);
            self.decode(store, &head, false, u64::MAX);
        }
        if self.kind != ContainerKind::Plain {
            return;
        }
        if let Some(o) = self.open.as_mut().filter(|o| !o.checked) {
            check_head(store, o);
        }
    }

    pub fn finish(mut self, store: &mut Store) {
        if self.stopped.is_some() || self.ended {
            return;
        }
        if self.decoder.is_none() {
            let head = std::mem::take(&mut self.head);
            self.start(&head);
            self.decode(store, &head, false, u64::MAX);
        }
        self.decode(store, &[], true, u64::MAX);
        // a last line (without `\n`) refused for want of room
        if let (Some(_), Some(src)) = (store.refused_from.take(), self.last_src) {
            store.sources[src as usize].stop_at_limit();
        }
        (store.limit, store.room_only) = (None, false);
    }

    fn start(&mut self, head: &[u8]) {
        self.kind = archive::sniff(head, &self.name);
        self.decoder = Some(Decoder::new(self.kind));
    }

    /// Decodes `chunk` (or, `last`, the end of the input) for about `max_out` decompressed bytes;
    /// true when more is pending.
    fn decode(&mut self, store: &mut Store, chunk: &[u8], last: bool, max_out: u64) -> bool {
        if self.failed {
            return false;
        }
        let Some(mut decoder) = self.decoder.take() else { return false };
        let mut open = self.open.take();
        let last_src = std::cell::Cell::new(self.last_src);
        let bytes_out = std::cell::Cell::new(self.bytes_out);
        let text_bytes = std::cell::Cell::new(self.text_bytes);
        let name = &self.name;
        let kind = self.kind;
        let mut on_output = |out: Output<'_>| match out {
            Output::EntryStart { name: entry } => {
                if let Some(o) = open.take() {
                    close(store, o);
                }
                let (source_name, container) = match kind {
                    ContainerKind::Plain => (name.clone(), "plain"),
                    ContainerKind::Gzip => (name.clone(), "gzip"),
                    ContainerKind::Zip => (format!("{name}/{entry}"), "zip"),
                };
                let src = store.add_source(source_name, container);
                last_src.set(Some(src));
                let skip_entry = kind == ContainerKind::Zip && !is_log_name(entry);
                let too_many = src as usize >= MAX_SOURCES;
                if too_many {
                    store.sources[src as usize].error = Some(too_many_sources());
                } else if skip_entry {
                    store.sources[src as usize].error = Some("not a .jsonl file: skipped".into());
                }
                open = Some(Open::new(src, skip_entry || too_many, false));
            }
            Output::Data(bytes) => {
                bytes_out.set(bytes_out.get() + bytes.len() as u64);
                if let Some(o) = open.as_mut() {
                    if !o.rejected {
                        text_bytes.set(text_bytes.get() + bytes.len() as u64);
                    }
                    feed_lines(store, o, bytes);
                }
            }
            Output::EntryEnd => {
                if let Some(o) = open.take() {
                    close(store, o);
                }
            }
        };
        let mut result = if last {
            decoder.finish(&mut on_output).map(|()| false)
        } else {
            decoder.push_bounded(chunk, max_out, &mut on_output)
        };
        let mut errors = Vec::new();
        // a zip entry the decoder cannot read (encrypted, unknown method) is reported and skipped;
        // anything else ends this input, keeping what was read before
        let more = loop {
            match result {
                Ok(more) => break more,
                Err(e) => {
                    errors.push((last_src.get(), e.message));
                    if decoder.is_failed() {
                        break false;
                    }
                    result = if last {
                        decoder.finish(&mut on_output).map(|()| false)
                    } else {
                        decoder.pump(max_out, &mut on_output)
                    };
                }
            }
        };
        if decoder.is_failed() {
            self.failed = true;
            if let Some(o) = open.take() {
                close(store, o);
            }
        }
        for (src, message) in errors {
            let src = src.unwrap_or_else(|| store.add_source(self.name.clone(), "zip"));
            let fatal = self.failed;
            let s = &mut store.sources[src as usize];
            s.error = Some(if fatal {
                format!("{message} (after {} input bytes; what came before was loaded)", decoder.consumed())
            } else {
                message
            });
        }
        self.last_src = last_src.get();
        self.bytes_out = bytes_out.get();
        self.text_bytes = text_bytes.get();
        self.open = open;
        self.decoder = Some(decoder);
        more
    }
}

pub(super) fn feed_lines(store: &mut Store, o: &mut Open, mut bytes: &[u8]) {
    if let Some(s) = store.sources.get_mut(o.src as usize) {
        s.bytes += bytes.len() as u64;
    }
    if o.rejected {
        return;
    }
    if !o.checked {
        // the first HEAD_BYTES are held and judged together, however they were chunked
        let take = (HEAD_BYTES - o.head.len()).min(bytes.len());
        o.head.extend_from_slice(&bytes[..take]);
        bytes = &bytes[take..];
        if o.head.len() < HEAD_BYTES || !check_head(store, o) {
            return;
        }
    }
    let src = o.src;
    o.lines.push(bytes, &mut |ev| on_line_event(store, src, ev));
    store.ahead = None;
}

/// Judges the source's first bytes held in `o.head` (all of them, or its first `HEAD_BYTES`): a
/// source that is not text is rejected with a message; else the bytes are read as lines. Returns
/// whether the source goes on being read.
pub(super) fn check_head(store: &mut Store, o: &mut Open) -> bool {
    o.checked = true;
    let head = std::mem::take(&mut o.head);
    if head.is_empty() {
        return true;
    }
    // NUL bytes in the first line, or in the first 4 KiB of a file that does not start like JSON;
    // a log with one garbage line further down is not rejected
    let first_line = &head[..memchr::memchr(b'\n', &head).unwrap_or(head.len())];
    let verdict = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        Some("UTF-16 text: bosun writes UTF-8 JSON Lines; convert the file to UTF-8".to_string())
    } else if first_line.contains(&0)
        || (head.contains(&0)
            && !head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).trim_ascii_start().starts_with(b"{"))
    {
        Some("binary content, not JSON Lines text: is this the right file?".to_string())
    } else {
        None
    };
    if let Some(v) = verdict {
        store.sources[o.src as usize].error = Some(v);
        o.rejected = true;
        return false;
    }
    let src = o.src;
    o.lines.push(&head, &mut |ev| on_line_event(store, src, ev));
    store.ahead = None;
    true
}

pub(super) fn on_line_event(store: &mut Store, src: u32, ev: LineEvent<'_>) {
    // within a memory limit, once a line was refused for want of room (`Store::on_line`), so are
    // all after it
    if store.refused_from.is_some() {
        return;
    }
    match ev {
        LineEvent::Line(l) => store.on_line(src, l),
        LineEvent::TooLong { number, len, .. } => {
            if let Some(s) = store.sources.get_mut(src as usize) {
                s.lines += 1;
            }
            store.skip(src, number, SkipReason::TooLong { len });
        }
    }
}

fn close(store: &mut Store, mut o: Open) {
    if !o.checked && !o.rejected {
        check_head(store, &mut o);
    }
    if !o.rejected {
        let src = o.src;
        o.lines.finish(&mut |ev| on_line_event(store, src, ev));
        store.sources[src as usize].check_is_telemetry();
    }
}

/// Why a source past `MAX_SOURCES` (files and `.zip` entries of one load) is not read: its
/// records could not say where they come from (`Locator`).
pub(super) fn too_many_sources() -> String {
    format!("not read: one load reads at most {} files and .zip entries", MAX_SOURCES)
}

#[cfg(test)]
mod line_number_tests {
    use super::*;

    /// Line numbers past `u32::MAX` (a 4 MB `.gz` of newlines has that many lines) are reported
    /// where they are, in skipped lines and records: the line counter starts just below 2^32 here
    /// instead of reading four billion lines (before: a `u32` that wrapped to 0).
    #[test]
    fn lines_past_four_billion_keep_their_numbers() {
        let mut store = Store::new();
        let src = store.add_source("big.jsonl".into(), "plain");
        let before = u32::MAX as u64 - 1;
        let mut open = Open {
            lines: LineSplitter::new(DEFAULT_MAX_LINE_BYTES).with_lines_before(before),
            ..Open::new(src, false, false)
        };
        let event = br#"{"timestamp":"2026-02-09T14:23:45Z","attempt_id":"a1","event_type":"session_start"}"#;
        let mut input = b"not json\n".to_vec();
        input.extend_from_slice(event);
        input.extend_from_slice(b"\n{oops\n");
        feed_lines(&mut store, &mut open, &input);
        close(&mut store, open);
        let skipped: Vec<u64> = store.skipped_lines().iter().map(|s| s.line).collect();
        assert_eq!(skipped, vec![u32::MAX as u64, u32::MAX as u64 + 2]);
        assert_eq!(store.events.len(), 1);
        assert_eq!((store.events[0].loc.source(), store.events[0].loc.line()), (src, u32::MAX as u64 + 1));
        assert_eq!(store.sources[0].lines, 3);
    }

    /// At the last number a locator keeps, later lines are reported at it, never wrapped.
    #[test]
    fn line_numbers_saturate_at_the_locator_limit() {
        let mut store = Store::new();
        let src = store.add_source("big.jsonl".into(), "plain");
        let mut open = Open {
            lines: LineSplitter::new(DEFAULT_MAX_LINE_BYTES).with_lines_before(u64::MAX - 1),
            ..Open::new(src, false, false)
        };
        feed_lines(&mut store, &mut open, b"x\ny\nz\n");
        close(&mut store, open);
        let skipped: Vec<u64> = store.skipped_lines().iter().map(|s| s.line).collect();
        assert_eq!(skipped, vec![u64::MAX, u64::MAX, u64::MAX]);
        let loc = Locator::new(src, u64::MAX, 0, 1);
        assert_eq!(loc.line(), MAX_LINE_NUMBER);
    }
}

#[cfg(test)]
mod settle_tests {
    use super::*;

    /// A file read as it grows: what is there is read at once, a cut line waits for its end, and
    /// the records are those of reading the whole file in one go.
    #[test]
    fn a_growing_file_is_read_as_it_stands() {
        let line = |a: &str| {
            format!(r#"{{"timestamp":"2026-02-09T14:23:45Z","attempt_id":"{a}","event_type":"session_start"}}"#) + "\n"
        };
        let whole = line("a1") + &line("a2") + &line("a3");
        let mut store = Store::new();
        let mut feed = Feed::new("live.jsonl");
        let cut = line("a1").len() + line("a2").len() + 10;
        // without settling, the first 4 KiB are held back to judge the file by
        let mut held = Store::new();
        let mut unsettled = Feed::new("live.jsonl");
        unsettled.push(&mut held, &whole.as_bytes()[..cut]);
        assert_eq!(held.events.len(), 0);
        // two bytes, then settled: nothing to read yet; then the rest of two lines and a cut one
        feed.push(&mut store, &whole.as_bytes()[..2]);
        feed.settle(&mut store);
        assert_eq!(store.events.len(), 0);
        feed.push(&mut store, &whole.as_bytes()[2..cut]);
        feed.settle(&mut store);
        assert_eq!(store.events.len(), 2, "the two whole lines");
        feed.push(&mut store, &whole.as_bytes()[cut..]);
        feed.settle(&mut store);
        assert_eq!(store.events.len(), 3, "the cut line, once its end came");
        feed.finish(&mut store);
        let mut once = Store::new();
        once.load_bytes("live.jsonl", whole.as_bytes());
        assert_eq!(store.events, once.events);
    }
}
