//! One plain file read as byte ranges in parallel, merged into the [`Store`] as if read in one go.
//!
//! The page cuts a large plain `.jsonl` into ranges and gives each to a parse worker (its own Wasm
//! instance): a [`RangeParser`] parses the lines that *start* in its range into a store of its own
//! and returns a [`RangeResult`] (sent between workers as postcard bytes). The coordinator merges
//! the results in file order with [`RangeMerge`], which replays each kept line: de-duplication
//! against everything loaded before, line numbers made absolute, names interned in the order a
//! single [`super::Feed`] would have interned them. Same bytes, same store, same report — tested
//! against one `Feed` in `tests/ranges.rs`.
//!
//! Cutting rule: range k is `[start, end)`. Its parser is given the bytes from `start - 1` (none
//! before 0) and drops everything through the first `\n`: that is the tail of a line the previous
//! range owns (just the `\n` when `start` is a line start). A line open at `end` is the range's
//! own: the caller pushes further bytes ([`RangeParser::needs_more`]) until its `\n` or the end
//! of the file. A range with no `\n` at all lies inside one long line and yields nothing.

use super::feed::{check_head, feed_lines, on_line_event, too_many_sources, Open};
use super::lines::{LineSplitter, DEFAULT_MAX_LINE_BYTES};
use super::{SkipReason, Stopped, Store};
use crate::model::records::*;
use serde::{Deserialize, Serialize};

pub(super) const KEPT_EVENT: u8 = 0;
pub(super) const KEPT_METRICS: u8 = 1;
/// a metrics line without a `metrics` object: counted as a row of its source, makes no row
pub(super) const KEPT_METRICS_WITHOUT_ROW: u8 = 2;
pub(super) const KEPT_ALERT: u8 = 3;

/// Recorded by a range's store instead of counting: which lines it kept (line hash and kind,
/// in order) and each kept line's field warnings.
#[derive(Default)]
pub(super) struct RangeLog {
    pub kept: Vec<(u128, u8)>,
    pub warnings: Vec<(u32, &'static str)>,
    /// each alert's whole context (an alert keeps three of its names; a feed interns all six)
    pub alert_contexts: Vec<Context>,
}

/// What one byte range parsed to: its own interned names and records, replayed by the merge.
#[derive(Serialize, Deserialize, Default, Debug)]
pub struct RangeResult {
    /// bytes of the range itself (`end - start`)
    pub range_bytes: u64,
    /// lines that start in the range
    lines: u64,
    strings: Vec<String>,
    contexts: Vec<Context>,
    kept: Vec<(u128, u8)>,
    events: Vec<Event>,
    usages: Vec<PackedUsage>,
    metrics: Vec<MetricsRow>,
    alerts: Vec<Alert>,
    alert_contexts: Vec<Context>,
    warnings: Vec<(u32, String)>,
    /// (line within the range, reason), the first `MAX_LISTED_SKIPS`
    skipped: Vec<(u64, SkipReason)>,
    n_skipped: u64,
    /// duplicates of lines earlier in the same range
    duplicates: u64,
    /// the first range's verdict on the whole file (binary, UTF-16)
    source_error: Option<String>,
}

impl RangeResult {
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }
    pub fn from_bytes(bytes: &[u8]) -> Result<RangeResult, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("a parse worker's result could not be read: {e}"))
    }

    /// Lines that start in the range.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The first range's verdict on the whole file (binary, UTF-16), if it gave one.
    pub fn source_error(&self) -> Option<&str> {
        self.source_error.as_deref()
    }

    /// A line of telemetry early in the range (an event, a metrics row or an alert; kept or, at
    /// the merge, a duplicate): its line number within the range (1-based) and the file offset
    /// where it ends (its `\n`). It is the first one unless the range's first is a metrics line
    /// without a row (which keeps no place): a later line, so a bound that holds for it holds for
    /// the first. A reader applying the junk cap (`Feed::set_junk_cap`) to ranges learns from it
    /// that the file has telemetry before the cap could stop it.
    pub fn early_telemetry(&self) -> Option<(u64, u64)> {
        let locs = [
            self.events.first().map(|e| e.loc),
            self.metrics.first().map(|m| m.loc),
            self.alerts.first().map(|a| a.loc),
        ];
        let first = locs.into_iter().flatten().min_by_key(Locator::line)?;
        let end = first.offset().map_or(u64::MAX, |o| o.saturating_add(first.len() as u64));
        Some((first.line(), end))
    }
}

#[derive(PartialEq)]
enum Phase {
    /// dropping the tail of the previous range's last line
    Prefix,
    Range,
    /// past `end`, finishing the range's last line
    Continuation,
    Done,
}

/// Parses the lines that start in one byte range of a plain file.
pub struct RangeParser {
    store: Store,
    open: Open,
    phase: Phase,
    /// file offset of the next byte pushed
    pos: u64,
    range_start: u64,
    range_bytes: u64,
}

impl RangeParser {
    /// A parser for the range starting at `range_start`; the first byte pushed is at
    /// `range_start - 1` (or 0 for the first range).
    pub fn new(range_start: u64) -> RangeParser {
        let mut store = Store { range_log: Some(RangeLog::default()), ..Store::default() };
        let src = store.add_source(String::new(), "plain");
        let first = range_start == 0;
        // only the first range holds the file's first bytes, which decide whether it is text
        let open = Open::new(src, false, !first);
        RangeParser {
            store,
            open,
            phase: if first { Phase::Range } else { Phase::Prefix },
            pos: range_start.saturating_sub(1),
            range_start,
            range_bytes: 0,
        }
    }

    /// Pushes the next bytes: the range's, then (after [`Self::end_of_range`]) those that follow
    /// while [`Self::needs_more`]. Bytes past the last line's `\n` are ignored.
    pub fn push(&mut self, mut bytes: &[u8]) {
        if self.phase == Phase::Range || self.phase == Phase::Prefix {
            let before_start = self.range_start.saturating_sub(self.pos).min(bytes.len() as u64);
            self.range_bytes += bytes.len() as u64 - before_start;
        }
        if self.phase == Phase::Prefix {
            match memchr::memchr(b'\n', bytes) {
                Some(i) => {
                    self.pos += i as u64 + 1;
                    bytes = &bytes[i + 1..];
                    self.open.lines = LineSplitter::resume_at(DEFAULT_MAX_LINE_BYTES, self.pos);
                    self.phase = Phase::Range;
                }
                None => {
                    self.pos += bytes.len() as u64;
                    return;
                }
            }
        }
        match self.phase {
            Phase::Range => feed_lines(&mut self.store, &mut self.open, bytes),
            Phase::Continuation => {
                let end = match memchr::memchr(b'\n', bytes) {
                    Some(i) => {
                        self.phase = Phase::Done;
                        i + 1
                    }
                    None => bytes.len(),
                };
                feed_lines(&mut self.store, &mut self.open, &bytes[..end]);
            }
            Phase::Prefix | Phase::Done => {}
        }
        self.pos += bytes.len() as u64;
    }

    /// The range's own bytes are all pushed.
    pub fn end_of_range(&mut self) {
        // a first range shorter than the head judged (`HEAD_BYTES`; never on the page, whose
        // ranges are 8 MiB) is judged on its own bytes
        if !self.open.checked && !self.open.rejected {
            check_head(&mut self.store, &mut self.open);
        }
        self.phase = match self.phase {
            Phase::Range if self.open.lines.in_line() && !self.open.rejected => Phase::Continuation,
            _ => Phase::Done,
        };
    }

    /// The range's last line goes on past its end: push the bytes that follow.
    pub fn needs_more(&self) -> bool {
        self.phase == Phase::Continuation
    }

    /// `at_eof`: the file ended (a last line without `\n` is then read as such).
    pub fn finish(mut self, at_eof: bool) -> RangeResult {
        if !self.open.checked && !self.open.rejected {
            check_head(&mut self.store, &mut self.open);
        }
        if at_eof && !self.open.rejected {
            let store = &mut self.store;
            let src = self.open.src;
            self.open.lines.finish(&mut |ev| on_line_event(store, src, ev));
        }
        let store = self.store;
        let log = store.range_log.unwrap_or_default();
        let source = store.sources.into_iter().next().unwrap_or_default();
        let strings = (0..store.strings.len() as u32).map(|i| store.strings.resolve(Sym(i)).to_string()).collect();
        RangeResult {
            range_bytes: self.range_bytes,
            lines: source.lines,
            strings,
            contexts: store.contexts,
            kept: log.kept,
            events: store.events,
            usages: store.usages,
            metrics: store.metrics,
            alerts: store.alerts,
            alert_contexts: log.alert_contexts,
            warnings: log.warnings.into_iter().map(|(i, w)| (i, w.to_string())).collect(),
            skipped: store.diagnostics.skipped.into_iter().map(|(_, line, reason)| (line, reason)).collect(),
            n_skipped: store.diagnostics.n_skipped,
            duplicates: store.diagnostics.duplicate_lines,
            source_error: source.error,
        }
    }
}

/// Merges the ranges of one file into a store, in file order.
pub struct RangeMerge {
    src: u32,
    /// lines of the ranges merged so far
    lines: u64,
    bytes: u64,
    rejected: bool,
    reserved: bool,
    /// the file's size, to reserve room for its events once the first range shows their density
    size: u64,
    /// see `Feed::set_memory_limit`: here the file stops before the first range that does not fit
    memory_limit: Option<usize>,
    room_capped: bool,
    stopped: Option<Stopped>,
}

impl RangeMerge {
    pub fn new(store: &mut Store, name: &str, size: u64) -> RangeMerge {
        let src = store.add_source(name.to_string(), "plain");
        let rejected = src as usize >= MAX_SOURCES;
        if rejected {
            store.sources[src as usize].error = Some(too_many_sources());
        }
        RangeMerge {
            src,
            lines: 0,
            bytes: 0,
            rejected,
            reserved: false,
            size,
            memory_limit: None,
            room_capped: false,
            stopped: None,
        }
    }

    /// As [`Feed::set_memory_limit`](super::Feed::set_memory_limit), a range at a time.
    pub fn set_memory_limit(&mut self, bytes: usize) {
        self.memory_limit = Some(bytes);
    }

    /// Where the file was stopped at the memory limit, if it was.
    pub fn stopped(&self) -> Option<Stopped> {
        self.stopped
    }

    /// Bytes of the file merged so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Merges the next range (ranges must come in file order).
    pub fn merge(&mut self, store: &mut Store, r: RangeResult) {
        let src = self.src;
        if self.stopped.is_some() {
            return;
        }
        if let Some(limit) = self.memory_limit {
            if store.held_bytes() >= limit
                || (self.room_capped && !store.has_room_for(r.events.len(), r.usages.len(), r.kept.len()))
            {
                store.sources[src as usize].stop_at_limit();
                self.stopped = Some(Stopped { bytes: self.bytes, lines: self.lines });
                return;
            }
        }
        self.bytes += r.range_bytes;
        store.sources[src as usize].bytes += r.range_bytes;
        if self.rejected {
            return;
        }
        if let Some(e) = r.source_error {
            store.sources[src as usize].error = Some(e);
            self.rejected = true;
            return;
        }
        let base = self.lines;
        self.lines = self.lines.saturating_add(r.lines);
        store.sources[src as usize].lines = store.sources[src as usize].lines.saturating_add(r.lines);
        let listed = r.skipped.len() as u64;
        for (line, reason) in r.skipped {
            store.skip(src, base.saturating_add(line), reason);
        }
        let unlisted = r.n_skipped.saturating_sub(listed);
        store.diagnostics.n_skipped += unlisted;
        store.sources[src as usize].skipped += unlisted;
        store.diagnostics.duplicate_lines += r.duplicates;
        store.sources[src as usize].duplicates += r.duplicates;

        // the first range shows the density of records: room for the rest is reserved after it
        let before = (!self.reserved && r.range_bytes > 0).then(|| store.counts());
        let range_bytes = r.range_bytes;
        let mut names = Remap {
            strings: &r.strings,
            range_contexts: &r.contexts,
            syms: vec![None; r.strings.len()],
            contexts: vec![None; r.contexts.len()],
        };
        let (mut events, mut metrics, mut alerts) =
            (r.events.iter(), r.metrics.iter(), r.alerts.iter().zip(&r.alert_contexts));
        let mut warnings = r.warnings.iter().peekable();
        for (i, &(hash, kind)) in r.kept.iter().enumerate() {
            let origin = store.sources[src as usize].origin;
            let again = store.seen_lines.insert(hash, origin);
            if let Some(again) = again {
                store.count_shared(origin, again);
            }
            let duplicate = again.is_some();
            let source = &mut store.sources[src as usize];
            if duplicate {
                source.duplicates += 1;
                store.diagnostics.duplicate_lines += 1;
            } else {
                match kind {
                    KEPT_EVENT => source.events += 1,
                    KEPT_ALERT => source.alerts += 1,
                    _ => source.metrics_rows += 1,
                }
            }
            while let Some((_, w)) = warnings.next_if(|(line, _)| *line as usize == i) {
                if !duplicate {
                    *store.diagnostics.field_warnings.entry(static_name(w)).or_insert(0) += 1;
                }
            }
            let fix = |loc: Locator| {
                Locator::new(src, base.saturating_add(loc.line()), loc.offset().unwrap_or(u64::MAX), loc.len() as u64)
            };
            match kind {
                KEPT_EVENT => {
                    let Some(e) = events.next() else { continue };
                    if duplicate {
                        continue;
                    }
                    let ctx = names.context_id(store, e.ctx);
                    if store.contexts[ctx as usize].attempt.is_none() {
                        store.diagnostics.events_without_attempt += 1;
                    }
                    let event_type = names.sym(store, e.event_type);
                    let detail = names.detail(store, e.detail);
                    let usage = match r.usages.get(e.usage as usize) {
                        Some(u) => {
                            store.usages.push(*u);
                            (store.usages.len() - 1) as u32
                        }
                        None => NO_USAGE,
                    };
                    store.events.push(Event::new(
                        e.ts_ms(),
                        e.sequence_num().map(i64::from),
                        fix(e.loc),
                        ctx,
                        event_type,
                        detail,
                        usage,
                    ));
                }
                KEPT_METRICS => {
                    let Some(m) = metrics.next() else { continue };
                    if duplicate {
                        continue;
                    }
                    let mut row = m.clone();
                    row.loc = fix(m.loc);
                    row.ctx = names.context(store, m.ctx);
                    row.anomaly_actions = m.anomaly_actions.iter().map(|&s| names.sym(store, s)).collect();
                    row.error_categories = m.error_categories.iter().map(|&(s, n)| (names.sym(store, s), n)).collect();
                    row.diff_files = m.diff_files.iter().map(|&s| names.sym(store, s)).collect();
                    store.metrics.push(row);
                }
                KEPT_ALERT => {
                    let Some((a, &actx)) = alerts.next() else { continue };
                    if duplicate {
                        continue;
                    }
                    // the single-feed order: the line's context, then type, severity, cooldown key
                    let ctx = names.context(store, actx);
                    let (alert_type, severity) = (names.sym(store, a.alert_type), names.sym(store, a.severity));
                    let cooldown_key = names.sym(store, a.cooldown_key);
                    store.alerts.push(Alert {
                        ts_ms: a.ts_ms,
                        loc: fix(a.loc),
                        alert_type,
                        severity,
                        attempt: ctx.attempt,
                        task_id: ctx.task_id,
                        executor: ctx.executor,
                        cooldown_key,
                        occurrences: a.occurrences,
                    });
                }
                _ => {}
            }
        }
        if let Some(before) = before {
            self.reserved = true;
            self.room_capped =
                store.reserve_for_rest(before, range_bytes, self.size.saturating_sub(range_bytes), self.memory_limit);
        }
    }

    /// After the last range: the checks a single feed makes when its source closes.
    pub fn finish(self, store: &mut Store) {
        store.sources[self.src as usize].check_is_telemetry();
    }
}

/// A range's names mapped to the store's, interned on first use so that the store interns them
/// in the order a single feed would have.
struct Remap<'r> {
    strings: &'r [String],
    range_contexts: &'r [Context],
    syms: Vec<Option<Sym>>,
    contexts: Vec<Option<u32>>,
}

impl Remap<'_> {
    fn sym(&mut self, store: &mut Store, s: Sym) -> Sym {
        let Some(slot) = self.syms.get_mut(s.0 as usize) else { return Sym::NONE };
        *slot.get_or_insert_with(|| store.strings.intern(&self.strings[s.0 as usize]))
    }

    /// A context's names, in `Store::intern_context`'s order.
    fn context(&mut self, store: &mut Store, c: Context) -> Context {
        Context {
            attempt: self.sym(store, c.attempt),
            task_id: self.sym(store, c.task_id),
            task_title: self.sym(store, c.task_title),
            executor: self.sym(store, c.executor),
            executor_variant: self.sym(store, c.executor_variant),
            model: self.sym(store, c.model),
        }
    }

    fn context_id(&mut self, store: &mut Store, ctx: u32) -> u32 {
        if let Some(Some(id)) = self.contexts.get(ctx as usize) {
            return *id;
        }
        let Some(&c) = self.range_contexts.get(ctx as usize) else { return 0 };
        let c = self.context(store, c);
        let id = store.context_index(c);
        if let Some(slot) = self.contexts.get_mut(ctx as usize) {
            *slot = Some(id);
        }
        id
    }

    /// A detail's names, in `Store::detail_of`'s order.
    fn detail(&mut self, store: &mut Store, d: Detail) -> Detail {
        match d {
            Detail::None => Detail::None,
            Detail::SessionStart { prompt_type } => Detail::SessionStart { prompt_type: self.sym(store, prompt_type) },
            Detail::ToolCall { tool, file, command_class } => {
                let tool = self.sym(store, tool);
                Detail::ToolCall { tool, file: self.sym(store, file), command_class }
            }
            Detail::ToolResult { tool, failed } => Detail::ToolResult { tool: self.sym(store, tool), failed },
            Detail::Error { category, fingerprint, message } => {
                let category = self.sym(store, category);
                let fingerprint = self.sym(store, fingerprint);
                Detail::Error { category, fingerprint, message: self.sym(store, message) }
            }
            Detail::SessionEnd { status, duration_ms, permission_denied } => {
                Detail::SessionEnd { status: self.sym(store, status), duration_ms, permission_denied }
            }
            Detail::Skill { name } => Detail::Skill { name: self.sym(store, name) },
        }
    }
}

/// Field names are `&'static str` in the diagnostics; a range's arrive as text. The names are the
/// parser's field names (a few dozen), each leaked once per process.
fn static_name(name: &str) -> &'static str {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static NAMES: RefCell<HashMap<String, &'static str>> = RefCell::new(HashMap::new());
    }
    NAMES.with(|n| {
        *n.borrow_mut().entry(name.to_string()).or_insert_with(|| Box::leak(name.to_string().into_boxed_str()))
    })
}
