//! Reading one input file into the store: through one `Feed` (`.gz`, `.zip`, a small plain file,
//! `--threads 1`), or a large plain file as byte ranges parsed on several threads and merged in
//! file order (`ingest::ranges`), which makes the store one `Feed` would have made.
//!
//! The merge runs on the calling thread; each parse thread opens the file itself and reads its
//! own ranges (every N-th) with its own handle, in reads of `READ_BYTES`, sending each range's
//! result over a channel that holds at most `AHEAD` of them: memory stays a few ranges' records
//! per thread, whatever the file's size.

use spyglass::ingest::archive::{sniff, ContainerKind};
use spyglass::ingest::ranges::{RangeMerge, RangeParser, RangeResult};
use spyglass::ingest::{Feed, JunkCap, RatioCap, Store, SLICE_BYTES};
use spyglass::model::records::MAX_SOURCES;
use spyglass::report::format::escape_controls;
use std::fs::File;
use std::io::{IsTerminal, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::time::Instant;

/// Plain files from this size on are read in ranges on several threads (as on the page): below
/// it, the threads' start and the merge's second pass over the names gain little.
const PARALLEL_MIN_BYTES: u64 = 32 << 20;
/// One range: large enough that what each range costs once (its names interned again at the
/// merge, a line finished past its end) is small, small enough that a thread holds few.
const RANGE_BYTES: u64 = 8 << 20;
/// Ranges a parse thread may have parsed and not yet merged (besides the one it is parsing).
const AHEAD: usize = 2;
/// Bytes read from the file at a time.
const READ_BYTES: usize = 1 << 20;
/// Bytes read at a time past a range's end, to finish its last line (most are short).
const CONTINUATION_BYTES: usize = 64 << 10;

/// Test-only knob, not documented for users: `SPYGLASS_TEST_RANGE_BYTES=N` reads every plain file
/// of over N bytes in ranges of N bytes, and says on stderr how each such file was read
/// (`tests/cli.rs` cuts small files at many boundaries instead of writing files over 32 MiB).
const TEST_RANGE_BYTES_VAR: &str = "SPYGLASS_TEST_RANGE_BYTES";

/// How plain files are cut into ranges.
struct Cutting {
    /// bytes of a range
    range: u64,
    /// the smallest file cut
    min: u64,
    /// set by the test knob: say how each file was read
    tell: bool,
}

fn cutting() -> Cutting {
    match std::env::var(TEST_RANGE_BYTES_VAR).ok().and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(n) if n > 0 => Cutting { range: n, min: n + 1, tell: true },
        _ => Cutting { range: RANGE_BYTES, min: PARALLEL_MIN_BYTES, tell: false },
    }
}

/// The bomb guards a read uses (both on unless `--no-ratio-cap` / `--no-junk-cap`).
#[derive(Clone, Copy)]
pub struct Guards {
    pub ratio: bool,
    pub junk: bool,
}

/// Reads one file into the store: on `threads` threads when it is a plain file large enough to
/// be worth cutting, else (and with `threads` 1) through one `Feed`.
pub fn read_file(
    store: &mut Store,
    path: &Path,
    name: &str,
    progress: &mut Progress,
    guards: Guards,
    threads: usize,
) -> Result<(), String> {
    let mut file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if threads > 1 {
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let cut = cutting();
        // past the last source a store numbers, one `Feed` says so (and stops at once under the junk cap)
        if size >= cut.min && store.sources.len() + 1 < MAX_SOURCES && is_plain(&mut file, name, path)? {
            let ranges = Ranges { path, name, size, range: cut.range, threads };
            let outcome = ranges.read(store, progress, guards)?;
            if cut.tell {
                let workers = (threads as u64).min(ranges.count());
                eprintln!("spyglass: test: {name}: {} ranges on {workers} threads: {outcome:?}", ranges.count());
            }
            if outcome == Outcome::Done {
                return Ok(());
            }
            // else read again from the start, through one `Feed`
        }
        file.seek(SeekFrom::Start(0)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    read_with_feed(store, &mut file, path, name, progress, guards)
}

/// Whether the file is plain text (not `.gz` nor `.zip`) by its first bytes, as `Feed` decides.
fn is_plain(file: &mut File, name: &str, path: &Path) -> Result<bool, String> {
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < head.len() {
        match read_some(file, &mut head[n..]).map_err(|e| format!("{}: {e}", path.display()))? {
            0 => break,
            k => n += k,
        }
    }
    Ok(sniff(&head[..n], name) == ContainerKind::Plain)
}

/// Reads one file in 1 MiB reads, each decoded in slices of at most `SLICE_BYTES` of output (as
/// the page's worker does); stops reading once the feed needs no more (a bomb guard, the wrong
/// file, a fatal decoding error).
fn read_with_feed(
    store: &mut Store,
    file: &mut File,
    path: &Path,
    name: &str,
    progress: &mut Progress,
    guards: Guards,
) -> Result<(), String> {
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut feed = Feed::with_size_hint(name, size);
    feed.set_ratio_cap(guards.ratio.then_some(RatioCap::DEFAULT));
    feed.set_junk_cap(guards.junk.then_some(JunkCap::DEFAULT));
    let mut buf = vec![0u8; READ_BYTES];
    while !feed.ended() {
        let n = read_some(file, &mut buf).map_err(|e| format!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        let mut more = feed.push_bounded(store, &buf[..n], SLICE_BYTES);
        progress.advance(n as u64, feed.bytes_out(), name);
        while more {
            more = feed.pump(store, SLICE_BYTES);
            progress.advance(0, feed.bytes_out(), name);
        }
    }
    if feed.gave_up().is_some_and(|why| why.contains("ratio")) {
        progress.done();
        eprintln!("spyglass: {name}: stopped as a likely decompression bomb (--no-ratio-cap reads on)");
    }
    feed.finish(store);
    Ok(())
}

/// How a read in ranges ended.
#[derive(PartialEq, Debug)]
enum Outcome {
    /// the file is in the store
    Done,
    /// nothing of it is: the junk cap might stop it (no telemetry early enough, or not text),
    /// which only a `Feed` tells exactly — the caller reads it again through one
    NeedsFeed,
}

/// One plain file to read in ranges.
struct Ranges<'a> {
    path: &'a Path,
    name: &'a str,
    size: u64,
    /// bytes of a range
    range: u64,
    threads: usize,
}

/// What a parse thread sends for each of its ranges.
type Parsed = Result<RangeResult, String>;

impl Ranges<'_> {
    fn count(&self) -> u64 {
        self.size.div_ceil(self.range)
    }

    /// Parses the ranges on up to `threads` threads (range k on thread k mod N), merging them in
    /// file order as they come.
    fn read(&self, store: &mut Store, progress: &mut Progress, guards: Guards) -> Result<Outcome, String> {
        let workers = (self.threads as u64).min(self.count()).max(1) as usize;
        // set when the merge stops early: the threads stop after the range they are on
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            let (senders, receivers): (Vec<SyncSender<Parsed>>, Vec<Receiver<Parsed>>) =
                (0..workers).map(|_| sync_channel(AHEAD)).unzip();
            let handles: Vec<_> = senders
                .into_iter()
                .enumerate()
                .map(|(w, tx)| {
                    let stop = &stop;
                    std::thread::Builder::new()
                        .name(format!("parse-{w}"))
                        .spawn_scoped(s, move || self.parse(w as u64, workers as u64, &tx, stop))
                })
                .collect();
            let spawned: Result<Vec<_>, _> = handles.into_iter().collect();
            let outcome = match &spawned {
                Ok(_) => self.merge(store, &receivers, progress, guards),
                Err(e) => Err(format!("{}: could not start a parse thread: {e}", self.path.display())),
            };
            stop.store(true, Ordering::Relaxed);
            // a thread waiting to send sees the merge gone and ends
            drop(receivers);
            // a parse thread's panic is the merge's, not an error to report and go on from
            for handle in spawned.into_iter().flatten() {
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            outcome
        })
    }

    /// A parse thread: ranges `first`, `first + step`, … in order, each sent when parsed.
    fn parse(&self, first: u64, step: u64, tx: &SyncSender<Parsed>, stop: &AtomicBool) {
        let mut file = match File::open(self.path) {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.send(Err(format!("{}: {e}", self.path.display())));
                return;
            }
        };
        let mut buf = vec![0u8; READ_BYTES];
        let mut k = first;
        while k < self.count() && !stop.load(Ordering::Relaxed) {
            let parsed = self.parse_range(&mut file, &mut buf, k);
            let failed = parsed.is_err();
            if tx.send(parsed).is_err() || failed {
                return;
            }
            k += step;
        }
    }

    /// Reads and parses the lines that start in range `k` (those of its last line past its end too).
    fn parse_range(&self, file: &mut File, buf: &mut [u8], k: u64) -> Parsed {
        let io = |e: std::io::Error| format!("{}: {e}", self.path.display());
        let start = k * self.range;
        let end = (start + self.range).min(self.size);
        let from = start.saturating_sub(1);
        file.seek(SeekFrom::Start(from)).map_err(io)?;
        let mut parser = RangeParser::new(start);
        let mut pos = from;
        while pos < end {
            let want = (end - pos).min(buf.len() as u64) as usize;
            let n = read_some(file, &mut buf[..want]).map_err(io)?;
            if n == 0 {
                return Err(format!(
                    "{}: the file ended early: it changed or was cut while being read",
                    self.path.display()
                ));
            }
            parser.push(&buf[..n]);
            pos += n as u64;
        }
        parser.end_of_range();
        while parser.needs_more() && pos < self.size {
            let want = (self.size - pos).min(CONTINUATION_BYTES.min(buf.len()) as u64) as usize;
            let n = read_some(file, &mut buf[..want]).map_err(io)?;
            if n == 0 {
                break;
            }
            parser.push(&buf[..n]);
            pos += n as u64;
        }
        // the file ends in this range, or its last line runs on to the end
        let at_eof = end >= self.size || (parser.needs_more() && pos >= self.size);
        Ok(parser.finish(at_eof))
    }

    /// Merges the ranges in file order as the threads send them. Under the junk cap, ranges are
    /// held back (not merged) until one shows telemetry early enough that the cap could not have
    /// stopped a `Feed` before it (`JunkCap`: that many lines or bytes without one line of
    /// telemetry); a file without such a line is read again through one `Feed`.
    fn merge(
        &self,
        store: &mut Store,
        receivers: &[Receiver<Parsed>],
        progress: &mut Progress,
        guards: Guards,
    ) -> Result<Outcome, String> {
        let cap = JunkCap::DEFAULT;
        let mut merge: Option<RangeMerge> = None;
        let mut held: Vec<RangeResult> = Vec::new();
        // lines of the ranges held
        let mut held_lines = 0u64;
        let mut cleared = !guards.junk;
        for k in 0..self.count() {
            let Ok(parsed) = receivers[k as usize % receivers.len()].recv() else {
                // the thread is gone without a word: it panicked (`read` raises its panic)
                return Err(format!("{}: a parse thread stopped", self.path.display()));
            };
            let result = parsed?;
            if !cleared {
                if result.source_error().is_some() {
                    // not text: under the junk cap a `Feed` stops at once, having counted what it read
                    return Ok(Outcome::NeedsFeed);
                }
                let range_end = ((k + 1) * self.range).min(self.size);
                match result.early_telemetry() {
                    Some((line, end)) => {
                        if held_lines.saturating_add(line.saturating_sub(1)) >= cap.lines || end >= cap.bytes {
                            return Ok(Outcome::NeedsFeed);
                        }
                        cleared = true;
                    }
                    None => {
                        held_lines = held_lines.saturating_add(result.lines());
                        if held_lines >= cap.lines || range_end >= cap.bytes {
                            return Ok(Outcome::NeedsFeed);
                        }
                        held.push(result);
                        continue;
                    }
                }
            }
            let merge = merge.get_or_insert_with(|| RangeMerge::new(store, self.name, self.size));
            for r in held.drain(..).chain([result]) {
                progress.advance(r.range_bytes, merge.bytes() + r.range_bytes, self.name);
                merge.merge(store, r);
            }
        }
        // no telemetry, but too little of it for the cap: what a `Feed` would have read too
        let mut merge = merge.unwrap_or_else(|| RangeMerge::new(store, self.name, self.size));
        for r in held {
            progress.advance(r.range_bytes, merge.bytes() + r.range_bytes, self.name);
            merge.merge(store, r);
        }
        merge.finish(store);
        Ok(Outcome::Done)
    }
}

/// One read, retried when interrupted.
fn read_some(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match file.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A name from the file system or a `.zip` for the terminal: cut as report rows cut it, its
/// control and bidirectional characters escaped (a file name may hold an escape sequence).
pub fn terminal(name: &str) -> String {
    escape_controls(&spyglass::ingest::cut_name(name))
}

/// A progress line on stderr, only when stderr is a terminal and the input is over a few MB.
pub struct Progress {
    total: u64,
    done: u64,
    started: Instant,
    last: Instant,
    active: bool,
}

impl Progress {
    pub fn new(total: u64) -> Self {
        let now = Instant::now();
        Progress { total, done: 0, started: now, last: now, active: std::io::stderr().is_terminal() && total > 8 << 20 }
    }
    /// `n` more file bytes read; `out`: the file's decompressed bytes so far.
    pub fn advance(&mut self, n: u64, out: u64, name: &str) {
        self.done += n;
        if !self.active || self.last.elapsed().as_millis() < 200 {
            return;
        }
        self.last = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let mbs = self.done as f64 / 1e6 / secs;
        let name = terminal(name);
        eprint!(
            "\r\x1b[Kreading {name}: {:.0} % of {:.0} MB, {mbs:.0} MB/s ({:.0} MB decompressed)",
            self.done as f64 * 100.0 / self.total.max(1) as f64,
            self.total as f64 / 1e6,
            out as f64 / 1e6
        );
    }
    pub fn done(&self) {
        if self.active {
            eprint!("\r\x1b[K");
        }
    }
}
