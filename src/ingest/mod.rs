//! Ingest: byte chunks in, normalised records out.
//!
//! Push-based and I/O-free (like csv-core): a [`Feed`] takes the chunks of one input file in order,
//! of any size, opens `.gz`/`.zip` containers, splits lines, parses each line once and appends
//! compact records to a [`Store`]. The CLI feeds file reads; the page's worker feeds
//! `File.stream()` chunks. The records are the same whatever the chunking.

pub mod archive;
mod fastjson;
pub mod json;
pub mod lines;
mod lineset;
pub mod parse;
pub mod ranges;
pub mod reread;

use crate::model::records::*;
use archive::{ContainerKind, Decoder, Output};
use lines::{Line, LineEvent, LineSplitter, DEFAULT_MAX_LINE_BYTES};
use parse::{parse_line, timestamp_of, DataFields, Shape, TopFields};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// At most this many skipped lines are listed one by one (all are counted).
pub const MAX_LISTED_SKIPS: usize = 10_000;
/// A source's name where it is repeated (each skipped line, superseded row, timeline event) is
/// cut to this many characters and `…`: a `.zip` entry's name may be 65 KB, and 10 000 rows of it
/// would make a report of 650 MB. `diagnostics.sources` has every name whole, once.
pub const MAX_REPEATED_NAME_CHARS: usize = 256;
/// Error messages are kept for clustering, cut to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;

/// One input as the diagnostics list it: a file, or one entry of a `.zip`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SourceInfo {
    pub name: String,
    /// `plain`, `gzip` or `zip`
    pub container: &'static str,
    /// decompressed bytes read
    pub bytes: u64,
    pub lines: u64,
    pub events: u64,
    pub metrics_rows: u64,
    pub alerts: u64,
    pub skipped: u64,
    pub duplicates: u64,
    /// a problem with the source as a whole (binary, truncated archive, not a `.jsonl` entry…)
    pub error: Option<String>,
}

impl SourceInfo {
    /// The source was stopped at a memory limit after its `lines` lines.
    pub(crate) fn stop_at_limit(&mut self) {
        self.check_is_telemetry();
        let lines = self.lines;
        self.error.get_or_insert_with(|| format!("stopped after line {lines}: the rest would pass the memory limit for records; the lines before it were loaded"));
    }

    /// When a source ends: lines read, every one skipped, none kept → the wrong file, most likely.
    fn check_is_telemetry(&mut self) {
        if self.error.is_none()
            && self.lines > 0
            && self.events + self.metrics_rows + self.alerts + self.duplicates == 0
            && self.skipped > 0
        {
            self.error = Some("no line is bosun telemetry: is this the right file?".to_string());
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedLine {
    pub source: String,
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    /// the first [`MAX_LISTED_SKIPS`] skipped lines, in input order
    pub skipped: Vec<(u32, u64, String)>,
    pub n_skipped: u64,
    pub duplicate_lines: u64,
    pub events_without_attempt: u64,
    pub field_warnings: BTreeMap<&'static str, u64>,
}

/// Identity hasher for keys that are already hashes.
#[derive(Default)]
struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}
type HashMap128<V> = HashMap<u128, V, BuildHasherDefault<IdHasher>>;

/// Everything loaded so far. Grows as feeds push; never re-reads.
#[derive(Default)]
pub struct Store {
    pub strings: Interner,
    pub contexts: Vec<Context>,
    pub events: Vec<Event>,
    pub usages: Vec<PackedUsage>,
    pub metrics: Vec<MetricsRow>,
    pub alerts: Vec<Alert>,
    pub sources: Vec<SourceInfo>,
    pub diagnostics: Diagnostics,
    context_ids: HashMap<Context, u32>,
    raw_context_ids: HashMap128<u32>,
    /// the raw context strings of the event being read, and those of the previous one with its id
    context_scratch: Vec<u8>,
    last_context: Option<([String; 6], u32)>,
    seen_lines: lineset::LineSet,
    /// Set on the store of one byte range (`ranges.rs`): what the merge replays, line by line.
    range_log: Option<ranges::RangeLog>,
    /// the memory limit of the input being read (`Feed::set_memory_limit`): a line whose record
    /// would grow the records past it is refused, and so is every line after it
    limit: Option<usize>,
    /// the input may only fill the room reserved for its records (cut to the limit)
    room_only: bool,
    /// where the first refused line starts
    refused_from: Option<u64>,
}

impl Store {
    pub fn new() -> Self {
        Store::default()
    }

    pub fn context(&self, ctx: u32) -> &Context {
        static EMPTY: Context = Context {
            attempt: Sym::NONE,
            task_id: Sym::NONE,
            task_title: Sym::NONE,
            executor: Sym::NONE,
            executor_variant: Sym::NONE,
            model: Sym::NONE,
        };
        self.contexts.get(ctx as usize).unwrap_or(&EMPTY)
    }

    pub fn str(&self, s: Sym) -> &str {
        self.strings.resolve(s)
    }

    /// Gives back the records' spare room (after loads; the next load grows them again).
    pub fn shrink_to_fit(&mut self) {
        self.events.shrink_to_fit();
        self.usages.shrink_to_fit();
        self.metrics.shrink_to_fit();
        self.alerts.shrink_to_fit();
        self.contexts.shrink_to_fit();
    }

    /// Bytes the store's records hold (their capacities, the line hashes, the interned strings):
    /// what a feed's memory limit is checked against. The heap parts of metrics rows and alerts
    /// (a few per session) are left out.
    pub fn held_bytes(&self) -> usize {
        use std::mem::size_of;
        self.events.capacity() * size_of::<Event>()
            + self.usages.capacity() * size_of::<PackedUsage>()
            + self.seen_lines.held_bytes()
            + self.unreserved_held_bytes()
    }

    /// The part of `held_bytes` not reserved ahead: names (interned strings, contexts), metrics
    /// rows and alerts.
    fn unreserved_held_bytes(&self) -> usize {
        use std::mem::size_of;
        self.metrics.capacity() * size_of::<MetricsRow>()
            + self.alerts.capacity() * size_of::<Alert>()
            + self.names_held_bytes()
    }

    /// The part of `held_bytes` that holds names: interned strings and contexts.
    fn names_held_bytes(&self) -> usize {
        use std::mem::size_of;
        self.contexts.capacity() * size_of::<Context>()
            + self.context_ids.capacity() * (size_of::<(Context, u32)>() + 1)
            + self.raw_context_ids.capacity() * (size_of::<(u128, u32)>() + 1)
            + self.strings.held_bytes()
    }

    /// Where the records stand, to see later what an input made.
    pub fn counts(&self) -> Counts {
        Counts {
            events: self.events.len(),
            usages: self.usages.len(),
            hashes: self.seen_lines.len(),
            other_bytes: self.unreserved_held_bytes(),
        }
    }

    /// An event's usage (`NO_USAGE` or an index out of range: none).
    pub fn usage(&self, i: u32) -> Option<Usage> {
        self.usages.get(i as usize).map(PackedUsage::usage)
    }

    /// Reserves room for the records of the rest of an input at once (rather than growing it by
    /// doubling, which briefly holds both copies; in Wasm the memory never shrinks back): the
    /// records made since `since` came from `read` bytes, `rest` bytes are to come. Under a memory
    /// limit, only the room that fits in it; returns whether it was cut to fit (and was reserved).
    ///
    /// Never more than [`reservation_cap`] of what the store holds: the rest's size is a claim
    /// (a sparse 200 GB file is 5 MB on disk), so room past that grows as records come. An
    /// allocation that fails is given up the same way, never an abort.
    pub fn reserve_for_rest(&mut self, since: Counts, read: u64, rest: u64, limit: Option<usize>) -> bool {
        use std::mem::size_of;
        let now = self.counts();
        let (events, usages, hashes) =
            (now.events - since.events, now.usages - since.usages, now.hashes - since.hashes);
        let read = read.max(1) as f64;
        let mut rest = rest as f64 * 1.02;
        let mut capped = false;
        if let Some(limit) = limit {
            // bytes per input byte so far: records and what comes with them (names, which grow
            // slower as the input goes on: a margin); the input bytes whose records fit
            let bytes = events * size_of::<Event>()
                + usages * size_of::<PackedUsage>()
                + now.other_bytes.saturating_sub(since.other_bytes);
            let per_byte = (bytes as f64 + hashes as f64 * lineset::LineSet::BYTES_PER_HASH) / read;
            // what is held but not used yet (room left by doubling) counts as room for the rest
            let spare = room(&self.events) * size_of::<Event>() + room(&self.usages) * size_of::<PackedUsage>();
            let spare = spare as f64 + self.seen_lines.room() as f64 * lineset::LineSet::BYTES_PER_HASH;
            let fits = (limit.saturating_sub(self.held_bytes()) as f64 + spare) / per_byte.max(1e-9);
            if fits < rest {
                (rest, capped) = (fits, true);
            }
        }
        // at most the cap: the rest's records scaled down together (the file then grows its
        // records as it goes, so it is not stopped at the room reserved)
        let wanted = (events * size_of::<Event>()) as f64
            + usages as f64 * 1.25 * size_of::<PackedUsage>() as f64
            + hashes as f64 * lineset::LineSet::BYTES_PER_HASH;
        let cap = reservation_cap(self.held_bytes()) as f64;
        if wanted / read * rest > cap {
            (rest, capped) = (cap / wanted * read, false);
        }
        // exactly (`reserve` may double instead, past the limit)
        let expected = |n: usize| (n as f64 / read * rest) as usize;
        let events_ok = self.events.try_reserve_exact(expected(events)).is_ok();
        let hashes_ok = self.seen_lines.reserve(expected(hashes));
        // usages vary more along a file than events: the events' room is the one to run out
        let usages_ok = self.usages.try_reserve_exact(expected(usages).saturating_add(expected(usages) / 4)).is_ok();
        capped && events_ok && hashes_ok && usages_ok
    }

    /// Makes room for a line of this kind within `limit`, or says there is none: room its
    /// records have (an event might have a usage; every kept line adds a line hash), or, unless
    /// the input may only fill its reserved room, room grown for it — counting the new allocation
    /// beside the old, as both are held while the records are copied. Events and usages grow by
    /// doubling where that fits, else by what fits (at least a sixteenth, to copy them seldom).
    fn make_room_for_line(&mut self, shape: Shape, limit: usize) -> bool {
        use std::mem::size_of;
        let event = shape == Shape::Event;
        let (events_full, usages_full) = (event && room(&self.events) == 0, event && room(&self.usages) == 0);
        let hashes_full = self.seen_lines.room() == 0;
        if !(events_full || usages_full || hashes_full) {
            return true;
        }
        if self.room_only {
            return false;
        }
        let mut free = limit.saturating_sub(self.held_bytes());
        // the line hashes' table grows by half (its own rule)
        if hashes_full {
            let Some(rest) = free.checked_sub(self.seen_lines.held_bytes() * 3 / 2) else { return false };
            free = rest;
        }
        // the new capacity of a full list, or `None` when even a sixteenth more does not fit
        fn grown(cap: usize, item: usize, free: usize) -> Option<usize> {
            let new = (cap * 2).max(4).min(free / item);
            (new >= cap + (cap / 16).max(1)).then_some(new)
        }
        let share = if events_full && usages_full { free / 2 } else { free };
        let events = if events_full {
            grown(self.events.capacity(), size_of::<Event>(), share)
        } else {
            Some(self.events.capacity())
        };
        let usages = if usages_full {
            grown(self.usages.capacity(), size_of::<PackedUsage>(), share)
        } else {
            Some(self.usages.capacity())
        };
        let (Some(events), Some(usages)) = (events, usages) else { return false };
        // (a list that is not full already has that capacity: nothing happens to it)
        self.events.reserve_exact(events - self.events.len());
        self.usages.reserve_exact(usages - self.usages.len());
        true
    }

    /// Whether a range's records fit in the room reserved for records.
    pub(crate) fn has_room_for(&self, events: usize, usages: usize, hashes: usize) -> bool {
        room(&self.events) >= events && room(&self.usages) >= usages && self.seen_lines.room() >= hashes
    }

    /// Reads a whole in-memory input (tests, the demo button).
    pub fn load_bytes(&mut self, name: &str, bytes: &[u8]) {
        let mut feed = Feed::new(name);
        feed.push(self, bytes);
        feed.finish(self);
    }

    /// Skipped lines with their source names (cut: [`Store::source_name`]), in input order.
    pub fn skipped_lines(&self) -> Vec<SkippedLine> {
        self.diagnostics
            .skipped
            .iter()
            .map(|(src, line, reason)| SkippedLine {
                source: self.source_name(*src),
                line: *line,
                reason: reason.clone(),
            })
            .collect()
    }

    /// A source's name as rows that repeat it show it: cut to [`MAX_REPEATED_NAME_CHARS`]
    /// characters and `…` (empty for an unknown source).
    pub fn source_name(&self, src: u32) -> String {
        self.sources.get(src as usize).map_or_else(String::new, |s| cut_name(&s.name))
    }

    fn add_source(&mut self, name: String, container: &'static str) -> u32 {
        self.sources.push(SourceInfo { name, container, ..Default::default() });
        (self.sources.len() - 1) as u32
    }

    fn skip(&mut self, src: u32, line: u64, reason: String) {
        self.diagnostics.n_skipped += 1;
        if let Some(s) = self.sources.get_mut(src as usize) {
            s.skipped += 1;
        }
        if self.diagnostics.skipped.len() < MAX_LISTED_SKIPS {
            self.diagnostics.skipped.push((src, line, reason));
        }
    }

    fn warn(&mut self, fields: &[&'static str]) {
        if let Some(log) = self.range_log.as_mut() {
            // counted at the merge, and only if the line is not a duplicate of an earlier range's
            let line = log.kept.len() as u32;
            log.warnings.extend(fields.iter().map(|f| (line, *f)));
            return;
        }
        for f in fields {
            *self.diagnostics.field_warnings.entry(f).or_insert(0) += 1;
        }
    }

    fn intern_context(&mut self, top: &TopFields<'_>) -> Context {
        let exec = top.executor.as_deref().map(|e| e.trim().to_ascii_uppercase());
        let attempt = top.attempt_id.as_deref().unwrap_or("");
        // no task_id: the task UUID that starts bosun's attempt ids (spec rev. 2)
        let task = top
            .task_id
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| task_of_attempt(attempt).unwrap_or(""));
        Context {
            attempt: self.strings.intern(attempt),
            task_id: self.strings.intern(task),
            task_title: self.strings.intern(top.task_title.as_deref().unwrap_or("")),
            executor: self.strings.intern(exec.as_deref().unwrap_or("")),
            executor_variant: self.strings.intern(top.executor_variant.as_deref().unwrap_or("")),
            model: self.strings.intern(top.model.as_deref().unwrap_or("")),
        }
    }

    /// The context id of an event, through a cache keyed by a hash of its raw strings so that the
    /// common case (another event of a known attempt) costs one hash and one lookup.
    fn context_id(&mut self, top: &TopFields<'_>) -> u32 {
        let fields = [&top.attempt_id, &top.task_id, &top.task_title, &top.executor, &top.executor_variant, &top.model]
            .map(|s| s.as_deref().unwrap_or(""));
        // the same strings as the previous event's (consecutive events are often one attempt's)
        if let Some((last, id)) = &self.last_context {
            if fields.iter().zip(last).all(|(a, b)| a == b) {
                return *id;
            }
        }
        // else a hash of the raw strings, each ended by 0xff (a byte UTF-8 never has)
        let raw = &mut self.context_scratch;
        raw.clear();
        for s in fields {
            raw.extend_from_slice(s.as_bytes());
            raw.push(0xff);
        }
        let key = xxhash_rust::xxh3::xxh3_128(raw);
        let id = match self.raw_context_ids.get(&key) {
            Some(&id) => id,
            None => self.new_context_id(top, key),
        };
        let last = self.last_context.get_or_insert_with(Default::default);
        for (slot, s) in last.0.iter_mut().zip(fields) {
            slot.clear();
            slot.push_str(s);
        }
        last.1 = id;
        id
    }

    fn new_context_id(&mut self, top: &TopFields<'_>, key: u128) -> u32 {
        let ctx = self.intern_context(top);
        let id = self.context_index(ctx);
        self.raw_context_ids.insert(key, id);
        id
    }

    /// The index of an interned context in `contexts`, added if new (a feed's lines and a range
    /// merge both come here).
    fn context_index(&mut self, ctx: Context) -> u32 {
        let next = self.contexts.len() as u32;
        let id = *self.context_ids.entry(ctx).or_insert(next);
        if id == next {
            self.contexts.push(ctx);
        }
        id
    }

    fn on_line(&mut self, src: u32, line: Line<'_>) {
        let bytes = line.bytes.trim_ascii_start();
        if let Some(s) = self.sources.get_mut(src as usize) {
            s.lines += 1;
        }
        if bytes.is_empty() {
            return;
        }
        // SIMD validation (16 bytes a step in Wasm too); std's only to place an error
        let text = match simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)) {
            Ok(t) => t,
            Err(e) => {
                let at = line.bytes.len() - bytes.len() + e.valid_up_to() + 1;
                return self.skip(src, line.number, format!("invalid UTF-8 at byte {at}"));
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        if self.seen_lines.contains(hash) {
            self.diagnostics.duplicate_lines += 1;
            if let Some(s) = self.sources.get_mut(src as usize) {
                s.duplicates += 1;
            }
            return;
        }
        let mut top = match parse_line(text) {
            Ok(t) => t,
            Err(reason) => {
                let mut reason = reason.0;
                if !line.terminated && reason.starts_with("truncated") {
                    reason =
                        format!("{reason}; it is the last line and has no line end: the file was probably cut off");
                }
                return self.skip(src, line.number, reason);
            }
        };
        let shape = match top.shape() {
            Ok(s) => s,
            Err(reason) => return self.skip(src, line.number, reason.0),
        };
        // within a memory limit: the input stops at the first line whose record does not fit
        if self.limit.is_some_and(|limit| !self.make_room_for_line(shape, limit)) {
            self.refused_from = Some(line.offset);
            if let Some(s) = self.sources.get_mut(src as usize) {
                s.lines -= 1;
            }
            return;
        }
        self.seen_lines.insert(hash);
        let loc = Locator::new(src, line.number, line.offset, line.raw_len);
        let ts_ms = top.timestamp.as_ref().and_then(timestamp_of);
        if ts_ms.is_none() {
            self.warn(&["timestamp"]);
        }
        let warnings = std::mem::take(&mut top.warnings);
        self.warn(&warnings);
        let source = &mut self.sources[src as usize];
        let kind = match shape {
            Shape::Event => {
                source.events += 1;
                self.add_event(top, ts_ms, loc);
                ranges::KEPT_EVENT
            }
            Shape::Metrics => {
                source.metrics_rows += 1;
                let rows = self.metrics.len();
                self.add_metrics_row(top, ts_ms, loc);
                if self.metrics.len() > rows {
                    ranges::KEPT_METRICS
                } else {
                    ranges::KEPT_METRICS_WITHOUT_ROW
                }
            }
            Shape::Alert => {
                source.alerts += 1;
                self.add_alert(top, ts_ms, loc);
                ranges::KEPT_ALERT
            }
        };
        if let Some(log) = self.range_log.as_mut() {
            log.kept.push((hash, kind));
        }
    }

    fn add_event(&mut self, mut top: TopFields<'_>, ts_ms: Option<i64>, loc: Locator) {
        let ctx = self.context_id(&top);
        if self.contexts[ctx as usize].attempt.is_none() {
            self.diagnostics.events_without_attempt += 1;
        }
        let event_type_text = match &top.event_type {
            Some(Ok(t)) => ascii_lower(t.trim()),
            _ => std::borrow::Cow::Borrowed(""),
        };
        let event_type = self.strings.intern(&event_type_text);
        let data = top.data.take().unwrap_or_default();
        let data = &*data;
        self.warn(&data.warnings);
        self.warn(&data.own_usage.warnings);
        let detail = self.detail_of(&event_type_text, data);
        let usage = match &*event_type_text {
            "usage" => data.own_usage.usage().or_else(|| data.nested_usage()),
            "session_end" => data.own_usage.usage().or_else(|| data.nested_usage()),
            _ => data.nested_usage(),
        };
        let usage = match usage {
            Some(u) => {
                self.usages.push(u.into());
                (self.usages.len() - 1) as u32
            }
            None => NO_USAGE,
        };
        self.events.push(Event::new(ts_ms, top.sequence_num, loc, ctx, event_type, detail, usage));
    }

    fn detail_of(&mut self, event_type: &str, d: &DataFields<'_>) -> Detail {
        let mut sym = |s: &Option<std::borrow::Cow<'_, str>>| self.strings.intern(s.as_deref().unwrap_or(""));
        match event_type {
            "session_start" => Detail::SessionStart {
                prompt_type: sym(&d.prompt_type.as_ref().map(|p| p.to_ascii_lowercase().into())),
            },
            "tool_call" => {
                let tool = sym(&d.tool_name);
                let name = d.tool_name.as_deref().unwrap_or("").as_bytes();
                // (a tool name is a few bytes: comparing windows beats preparing a substring searcher per word)
                let edits = ["edit", "write", "create", "patch", "apply", "replace", "insert"]
                    .iter()
                    .any(|w| name.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w.as_bytes())));
                let file = if edits { sym(&d.file) } else { Sym::NONE };
                Detail::ToolCall { tool, file, command_class: d.command_class() }
            }
            "tool_result" => Detail::ToolResult { tool: sym(&d.tool_name), failed: d.tool_failed() },
            "error" => {
                let message = d.error_message.as_deref().map(|m| {
                    let m = m.trim();
                    match m.char_indices().nth(MAX_MESSAGE_CHARS) {
                        Some((i, _)) => format!("{}…", &m[..i]),
                        None => m.to_string(),
                    }
                });
                Detail::Error {
                    // an absent category is `uncategorized` (spec §3), named here once for every pipeline
                    category: sym(&Some(
                        d.error_category
                            .as_ref()
                            .map_or_else(|| "uncategorized".into(), |c| c.to_ascii_lowercase())
                            .into(),
                    )),
                    fingerprint: sym(&d.error_fingerprint),
                    message: sym(&message.map(Into::into)),
                }
            }
            "session_end" => Detail::SessionEnd {
                status: sym(&d.completion_status.as_ref().map(|c| c.to_ascii_lowercase().into())),
                duration_ms: d.duration_ms.map(|ms| u32::try_from(ms).unwrap_or(u32::MAX)),
                permission_denied: d.permission_denied.map_or(0, |n| u16::try_from(n).unwrap_or(u16::MAX)),
            },
            "skill_invoke" => Detail::Skill { name: sym(&d.skill_name) },
            _ => Detail::None,
        }
    }

    fn add_metrics_row(&mut self, mut top: TopFields<'_>, ts_ms: Option<i64>, loc: Locator) {
        let note = top.design_note();
        self.warn(&std::mem::take(&mut top.warnings));
        // no row, no interned names (a merge of byte ranges interns only what rows use)
        let Some(m) = top.metrics.take() else { return };
        let ctx = self.intern_context(&top);
        self.warn(&m.warnings);
        self.warn(&m.own_usage.warnings);
        let nested = m.usage.as_ref().and_then(|u| {
            self.warn(&u.warnings);
            u.usage()
        });
        let own = m.own_usage.usage();
        // field by field, the first present wins: `metrics.*` before `metrics.usage.*`
        let pick = |f: fn(&Usage) -> Option<u64>| own.as_ref().and_then(f).or_else(|| nested.as_ref().and_then(f));
        let usage = Usage {
            prompt_tokens: pick(|u| u.prompt_tokens),
            completion_tokens: pick(|u| u.completion_tokens),
            total_tokens: pick(|u| u.total_tokens),
            cost_usd: own.and_then(|u| u.cost_usd).or_else(|| nested.and_then(|u| u.cost_usd)),
            cached_input_tokens: pick(|u| u.cached_input_tokens),
            cache_read_tokens: pick(|u| u.cache_read_tokens),
            cache_creation_tokens: pick(|u| u.cache_creation_tokens),
        }
        .normalised();
        let success = m.success.or_else(|| {
            note.outcome_status
                .as_deref()
                .map(|s| matches!(s.trim().to_ascii_lowercase().as_str(), "completed" | "success"))
        });
        let row = MetricsRow {
            ts_ms,
            loc,
            ctx,
            success,
            first_shot_success: m.first_shot_success,
            attempts: m.attempts.or(m.retry_count.map(|r| r.saturating_add(1))),
            continues: m.continues,
            auto_resume: m.auto_resume,
            anomaly_actions: m.anomaly_actions.iter().map(|a| self.strings.intern(a)).filter(|s| s.is_some()).collect(),
            usage,
            duration_ms: m.duration_ms.filter(|d| *d >= 0),
            errors: m.errors.or(note.total_errors),
            error_categories: note
                .error_categories
                .iter()
                .map(|(c, n)| (self.strings.intern(&c.to_ascii_lowercase()), *n))
                .filter(|(c, _)| c.is_some())
                .collect(),
            tool_calls: m.tool_calls,
            tool_failures: m.tool_failures,
            commands: m.commands,
            command_failures: m.command_failures,
            commits: m.agent_made_commits.or(m.commits),
            diff_files_changed: m.diff_files_changed.or(m.files_modified),
            diff_lines_added: m.diff_lines_added.or(m.lines_added),
            diff_lines_deleted: m.diff_lines_deleted.or(m.lines_deleted),
            diff_files: m.diff_summary.iter().map(|f| self.strings.intern(f)).filter(|s| s.is_some()).collect(),
            review_passed: m.review_passed.or(m.review_failed.map(|f| !f)),
            permission_denied: m.permission_denied,
        };
        self.metrics.push(row);
    }

    fn add_alert(&mut self, top: TopFields<'_>, ts_ms: Option<i64>, loc: Locator) {
        let ctx = self.intern_context(&top);
        if let Some(log) = self.range_log.as_mut() {
            log.alert_contexts.push(ctx);
        }
        let alert_type = self.strings.intern(top.alert_type.as_deref().unwrap_or(""));
        let severity = self.strings.intern(&top.severity.as_deref().unwrap_or("").to_ascii_lowercase());
        let cooldown_key = self.strings.intern(top.cooldown_key.as_deref().unwrap_or(""));
        let occurrences = top.occurrences.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        self.alerts.push(Alert {
            ts_ms,
            loc,
            alert_type,
            severity,
            attempt: ctx.attempt,
            task_id: ctx.task_id,
            executor: ctx.executor,
            cooldown_key,
            occurrences,
        });
    }
}

/// The task id an attempt id starts with: a UUID (8-4-4-4-12 hex digits) followed by a hyphen,
/// as bosun's writer makes them (`<task UUID>-<attempt UUID>`).
pub fn task_of_attempt(attempt: &str) -> Option<&str> {
    let a = attempt.trim();
    let b = a.as_bytes();
    let uuid = b.len() >= 37
        && b[36] == b'-'
        && b[..36].iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    // (36 ASCII bytes: a char boundary)
    uuid.then(|| &a[..36])
}

/// Why a source past `MAX_SOURCES` (files and `.zip` entries of one load) is not read: its
/// records could not say where they come from (`Locator`).
pub(crate) fn too_many_sources() -> String {
    format!("not read: one load reads at most {} files and .zip entries", MAX_SOURCES)
}

/// The most bytes `Store::reserve_for_rest` reserves ahead when the store holds `held` bytes:
/// twice that and 64 MiB.
pub fn reservation_cap(held: usize) -> usize {
    held.saturating_mul(2).saturating_add(64 << 20)
}

/// `name` cut to [`MAX_REPEATED_NAME_CHARS`] characters and `…`.
pub fn cut_name(name: &str) -> String {
    match name.char_indices().nth(MAX_REPEATED_NAME_CHARS) {
        Some((i, _)) => format!("{}…", &name[..i]),
        None => name.to_string(),
    }
}

/// How many more items a list takes before it grows.
fn room<T>(list: &Vec<T>) -> usize {
    list.capacity() - list.len()
}

/// `s` in ASCII lower case, copied only when it has an upper-case letter (event types mostly don't).
fn ascii_lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Which entries of a `.zip` (or files of a folder) are read: bosun's JSON Lines files.
pub fn is_log_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".zip"].iter().any(|e| n.ends_with(e))
}

/// The state of one source being read line by line.
struct Open {
    src: u32,
    lines: LineSplitter,
    /// the source's first bytes decided it is not text
    rejected: bool,
    /// whether the source's first bytes were judged (`check_head`)
    checked: bool,
    /// the source's first bytes, held until `HEAD_BYTES` are there (or the source ends) and judged
    /// before any line is read: the verdict is the same whatever the chunking
    head: Vec<u8>,
}

impl Open {
    fn new(src: u32, rejected: bool, checked: bool) -> Open {
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

/// How many records a store had, and the bytes it held that are not reserved ahead (`Store::counts`).
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    events: usize,
    usages: usize,
    /// line hashes: lines kept
    hashes: usize,
    /// `Store::unreserved_held_bytes`
    other_bytes: usize,
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

fn feed_lines(store: &mut Store, o: &mut Open, mut bytes: &[u8]) {
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
}

/// Judges the source's first bytes held in `o.head` (all of them, or its first `HEAD_BYTES`): a
/// source that is not text is rejected with a message; else the bytes are read as lines. Returns
/// whether the source goes on being read.
fn check_head(store: &mut Store, o: &mut Open) -> bool {
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
    true
}

fn on_line_event(store: &mut Store, src: u32, ev: LineEvent<'_>) {
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
            store.skip(
                src,
                number,
                format!(
                    "line too long: {len} bytes (the limit is {} bytes); skipped without reading it",
                    DEFAULT_MAX_LINE_BYTES
                ),
            );
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
mod reservation_tests {
    use super::*;

    /// A file claiming to be 200 GB after a first 4 MiB of records (a sparse file is 5 MB on disk)
    /// reserves room within the cap instead of aborting on a 394 GB allocation.
    #[test]
    fn an_absurd_rest_reserves_within_the_cap() {
        let line = |i: usize| {
            format!("{{\"timestamp\":\"2026-02-09T14:23:45Z\",\"attempt_id\":\"a{i}\",\"event_type\":\"usage\",\"data\":{{\"usage\":{{\"total_tokens\":{i}}}}}}}\n")
        };
        let text: String = (0..2000).map(line).collect();
        for rest in [200u64 << 30, u64::MAX] {
            let mut store = Store::new();
            let since = store.counts();
            store.load_bytes("a.jsonl", text.as_bytes());
            let held = store.held_bytes();
            let capped = store.reserve_for_rest(since, text.len() as u64, rest, None);
            assert!(!capped);
            assert!(
                store.held_bytes() <= held + reservation_cap(held) + (1 << 20),
                "{} > cap {}",
                store.held_bytes(),
                reservation_cap(held)
            );
            assert!(store.held_bytes() > held + (32 << 20), "some room is reserved");
        }
        // under a memory limit the limit still binds first, and the room is then the input's own
        let mut store = Store::new();
        let since = store.counts();
        store.load_bytes("a.jsonl", text.as_bytes());
        let limit = store.held_bytes() + (1 << 20);
        assert!(store.reserve_for_rest(since, text.len() as u64, u64::MAX, Some(limit)));
        assert!(store.held_bytes() <= limit + (64 << 10));
    }
}
