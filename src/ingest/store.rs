//! The [`Store`]: everything loaded so far — interned names, compact records, the sources and the
//! diagnostics (skipped lines, duplicates, field warnings). Records are made in `record.rs`, the
//! room they take is reckoned in `budget.rs`, and a `Feed` (`feed.rs`) fills the store.

use super::lineset;
use super::parse::TopFields;
use super::ranges;
use super::record::task_of_attempt;
use super::skip::{self, SkipReason};
use super::Feed;
use crate::model::records::*;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// At most this many skipped lines are listed one by one (all are counted).
pub const MAX_LISTED_SKIPS: usize = 10_000;
/// A source's name where it is repeated (each skipped line, superseded row, timeline event) is
/// cut to this many characters and `…`: a `.zip` entry's name may be 65 KB, and 10 000 rows of it
/// would make a report of 650 MB. `diagnostics.sources` has every name whole, once.
pub const MAX_REPEATED_NAME_CHARS: usize = 256;

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
    /// the folder or machine it came from: an index into `Store::origins`
    #[serde(skip)]
    pub origin: u32,
}

/// A source in the reader's sense: the folder or machine a set of files came from (named by the
/// user or by its top folder); a [`SourceInfo`] is one of its files. Lines are de-duplicated
/// across all of them; these count what the sources shared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    pub name: String,
    /// lines kept from this source that another source also had
    pub shared_kept: u64,
    /// lines of this source dropped because another source's copy was kept
    pub shared_dropped: u64,
}

impl SourceInfo {
    /// The source was stopped at a memory limit after its `lines` lines.
    pub(crate) fn stop_at_limit(&mut self) {
        self.check_is_telemetry();
        let lines = self.lines;
        self.error.get_or_insert_with(|| format!("stopped after line {lines}: the rest would pass the memory limit for records; the lines before it were loaded"));
    }

    /// When a source ends: lines read, every one skipped, none kept → the wrong file, most likely.
    pub(super) fn check_is_telemetry(&mut self) {
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
    /// written as its text
    #[serde(serialize_with = "skip::serialize_as_text")]
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    /// the first [`MAX_LISTED_SKIPS`] skipped lines, in input order
    pub skipped: Vec<(u32, u64, SkipReason)>,
    pub n_skipped: u64,
    pub duplicate_lines: u64,
    pub events_without_attempt: u64,
    pub field_warnings: BTreeMap<&'static str, u64>,
}

/// Identity hasher for keys that are already hashes.
#[derive(Default)]
pub(super) struct IdHasher(u64);
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
pub(super) type HashMap128<V> = HashMap<u128, V, BuildHasherDefault<IdHasher>>;

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
    /// the folders or machines the sources came from (one, unnamed, unless the reader names them:
    /// [`Store::begin_origin`])
    pub origins: Vec<Origin>,
    /// the origin of the sources added from now on
    pub(super) current_origin: u32,
    pub diagnostics: Diagnostics,
    pub(super) context_ids: HashMap<Context, u32>,
    pub(super) raw_context_ids: HashMap128<u32>,
    /// the raw context strings of the event being read, and those of the previous one with its id
    pub(super) context_scratch: Vec<u8>,
    pub(super) last_context: Option<([String; 6], u32)>,
    pub(super) seen_lines: lineset::LineSet,
    /// The hash of the next line, computed a line ahead so that its slot of `seen_lines` is
    /// in the cache when the line comes (`Line::next`): the line's address and length, and its
    /// hash. Valid during one push of lines only (cleared after each: `feed_lines`, `check_head`).
    pub(super) ahead: Option<(usize, usize, u128)>,
    /// Set on the store of one byte range (`ranges.rs`): what the merge replays, line by line.
    pub(super) range_log: Option<ranges::RangeLog>,
    /// the memory limit of the input being read (`Feed::set_memory_limit`): a line whose record
    /// would grow the records past it is refused, and so is every line after it
    pub(super) limit: Option<usize>,
    /// the input may only fill the room reserved for its records (cut to the limit)
    pub(super) room_only: bool,
    /// where the first refused line starts
    pub(super) refused_from: Option<u64>,
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

    /// An event's usage (`NO_USAGE` or an index out of range: none).
    pub fn usage(&self, i: u32) -> Option<Usage> {
        self.usages.get(i as usize).map(PackedUsage::usage)
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
        self.sources.get(src as usize).map_or_else(String::new, |s| cut_name(&self.file_name(s)))
    }

    /// A file's name as reports give it: with several sources (machines), after its source's
    /// (`laptop/agent-work-stream.jsonl`), since every machine's files have the same names.
    pub fn file_name(&self, s: &SourceInfo) -> String {
        match self.origins.get(s.origin as usize) {
            Some(o) if self.origins.len() > 1 => format!("{}/{}", o.name, s.name),
            _ => s.name.clone(),
        }
    }

    pub(super) fn add_source(&mut self, name: String, container: &'static str) -> u32 {
        if self.origins.is_empty() {
            self.origins.push(Origin::default());
        }
        let origin = self.current_origin;
        self.sources.push(SourceInfo { name, container, origin, ..Default::default() });
        (self.sources.len() - 1) as u32
    }

    /// The files read from now on come from the source `name` (a folder, a machine): the one of
    /// that name if there is one, else a new one.
    pub fn begin_origin(&mut self, name: &str) {
        let i = match self.origins.iter().position(|o| o.name == name) {
            Some(i) => i,
            // the unnamed origin before any file: named now
            None if self.sources.is_empty() && self.origins.len() == 1 && self.origins[0].name.is_empty() => {
                self.origins[0].name = name.to_string();
                0
            }
            None => {
                self.origins.push(Origin { name: name.to_string(), ..Default::default() });
                self.origins.len() - 1
            }
        };
        self.current_origin = i as u32;
    }

    /// The origin (`origins`) of the source a record was read from.
    pub fn origin_of(&self, loc: Locator) -> u32 {
        self.sources.get(loc.source() as usize).map_or(0, |s| s.origin)
    }

    /// A line of `origin` met again (`again`): counted as shared when its kept copy came from
    /// another source.
    pub(super) fn count_shared(&mut self, origin: u32, again: lineset::Again) {
        if again.kept_origin == origin.min(lineset::MAX_TAGGED_ORIGINS) {
            return;
        }
        if let Some(o) = self.origins.get_mut(origin as usize) {
            o.shared_dropped += 1;
        }
        if again.newly_shared {
            if let Some(o) = self.origins.get_mut(again.kept_origin as usize) {
                o.shared_kept += 1;
            }
        }
    }

    pub(super) fn skip(&mut self, src: u32, line: u64, reason: SkipReason) {
        self.diagnostics.n_skipped += 1;
        if let Some(s) = self.sources.get_mut(src as usize) {
            s.skipped += 1;
        }
        if self.diagnostics.skipped.len() < MAX_LISTED_SKIPS {
            self.diagnostics.skipped.push((src, line, reason));
        }
    }

    pub(super) fn warn(&mut self, fields: &[&'static str]) {
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

    pub(super) fn intern_context(&mut self, top: &TopFields<'_>) -> Context {
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
    pub(super) fn context_id(&mut self, top: &TopFields<'_>) -> u32 {
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
    pub(super) fn context_index(&mut self, ctx: Context) -> u32 {
        let next = self.contexts.len() as u32;
        let id = *self.context_ids.entry(ctx).or_insert(next);
        if id == next {
            self.contexts.push(ctx);
        }
        id
    }
}

/// `name` cut to [`MAX_REPEATED_NAME_CHARS`] characters and `…`.
pub fn cut_name(name: &str) -> String {
    match name.char_indices().nth(MAX_REPEATED_NAME_CHARS) {
        Some((i, _)) => format!("{}…", &name[..i]),
        None => name.to_string(),
    }
}
