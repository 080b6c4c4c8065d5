//! The normalised records the ingest produces: compact, interned, and free of payload text.
//!
//! An event keeps only what a pipeline needs plus a [`Locator`] to re-read its raw line on demand;
//! outputs, prompts and tool results are never stored.

use std::collections::HashMap;
use std::sync::Arc;

/// An interned string. `Sym::NONE` (0) stands for "absent".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
pub struct Sym(pub u32);

impl Sym {
    pub const NONE: Sym = Sym(0);
    pub fn is_none(self) -> bool {
        self.0 == 0
    }
    pub fn is_some(self) -> bool {
        self.0 != 0
    }
    /// `Some(self)` unless absent.
    pub fn get(self) -> Option<Sym> {
        self.is_some().then_some(self)
    }
}

/// An ASCII byte that `char::is_whitespace` does not count (it counts \x0b, unlike u8's); every
/// other white space (U+0085, U+00A0, U+2000…) starts with a byte above 0x7F. So a string that
/// starts (or ends) with such a byte has nothing to trim at that end.
#[inline]
pub fn is_plain_ascii(c: u8) -> bool {
    c < 0x80 && !matches!(c, b'\t'..=b'\r' | b' ')
}

/// `s.trim()`, without walking the ends' characters when both are plain ASCII (the usual name or
/// id: trimming them was a percent of ingest).
#[inline]
pub fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if is_plain_ascii(*first) && is_plain_ascii(*last) => s,
        [only] if is_plain_ascii(*only) => s,
        _ => s.trim(),
    }
}

/// String interner: every repeated identifier (attempt ids, models, categories…) is stored once.
#[derive(Debug, Clone)]
pub struct Interner {
    map: FastMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
    /// the interned strings' bytes
    text_bytes: usize,
}

impl Default for Interner {
    fn default() -> Self {
        Interner { map: FastMap::default(), strings: vec!["".into()], text_bytes: 0 }
    }
}

impl Interner {
    /// Interns `s`; an empty (or all-whitespace) string is `Sym::NONE`.
    pub fn intern(&mut self, s: &str) -> Sym {
        let s = trim(s);
        if s.is_empty() {
            return Sym::NONE;
        }
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let sym = Sym(self.strings.len() as u32);
        self.strings.push(s.into());
        self.map.insert(s.into(), sym);
        self.text_bytes += s.len();
        sym
    }
    /// Bytes held: each string twice (the list and the map's key), the list and the map.
    pub fn held_bytes(&self) -> usize {
        use std::mem::size_of;
        2 * self.text_bytes
            + self.strings.capacity() * size_of::<Box<str>>()
            + self.map.capacity() * (size_of::<(Box<str>, Sym)>() + 1)
    }
    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.get(sym.0 as usize).map(|s| &**s).unwrap_or("")
    }
    /// Looks a string up without interning it.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        self.map.get(s.trim()).copied()
    }
    pub fn len(&self) -> usize {
        self.strings.len()
    }
    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }
}

/// Where a record's raw line is: enough to re-read it from its source, never its text.
/// 16 bytes (a busy install has millions): the source and the line number share one word, the
/// line's offset and length the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Locator {
    /// source index (low `SOURCE_BITS` bits) and 1-based line number within the (decompressed)
    /// source (the rest)
    place: u64,
    /// offset (low `OFFSET_BITS` bits) and length (the rest) of the line
    span: u64,
}

/// Offsets up to 128 GiB within one decompressed source; a line past that keeps its number but
/// not its place (its raw text is then not shown). Lengths up to 128 MiB (lines are cut at 64).
const OFFSET_BITS: u32 = 37;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;
/// Sources (files, `.zip` entries) a store numbers: 67 108 864 (`MAX_SOURCES`); line numbers up
/// to 2^38 − 1 = 274 877 906 943 within one source (every line is at least its `\n`, so past
/// 128 GiB's offsets: a later line is reported at that number).
const SOURCE_BITS: u32 = 26;
const SOURCE_MASK: u64 = (1 << SOURCE_BITS) - 1;
/// The most sources one store reads (later ones are listed with an error, unread).
pub const MAX_SOURCES: usize = 1 << SOURCE_BITS;
/// The largest line number a locator keeps (later lines are reported at it).
pub const MAX_LINE_NUMBER: u64 = u64::MAX >> SOURCE_BITS;

impl Locator {
    /// A source past `MAX_SOURCES` is kept as the last one, a line past `MAX_LINE_NUMBER` as that
    /// number (callers do not make such locators: `Store` reads no source past the limit).
    pub fn new(source: u32, line: u64, offset: u64, len: u64) -> Locator {
        let offset = if offset > OFFSET_MASK { OFFSET_MASK } else { offset };
        let len = len.min(u64::MAX >> OFFSET_BITS);
        let source = (source as u64).min(SOURCE_MASK);
        let line = line.min(MAX_LINE_NUMBER);
        Locator { place: source | (line << SOURCE_BITS), span: offset | (len << OFFSET_BITS) }
    }
    /// Index of the source in `Store::sources`.
    pub fn source(&self) -> u32 {
        (self.place & SOURCE_MASK) as u32
    }
    /// 1-based line number within the (decompressed) source.
    pub fn line(&self) -> u64 {
        self.place >> SOURCE_BITS
    }
    /// Byte offset of the line's first byte in the decompressed source (`None` past 128 GiB).
    pub fn offset(&self) -> Option<u64> {
        let o = self.span & OFFSET_MASK;
        (o != OFFSET_MASK).then_some(o)
    }
    /// Length of the raw line without its `\n`.
    pub fn len(&self) -> u32 {
        (self.span >> OFFSET_BITS) as u32
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The identifying fields an attempt's lines share, interned as one tuple so that an event pays
/// four bytes for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Context {
    pub attempt: Sym,
    pub task_id: Sym,
    pub task_title: Sym,
    /// Upper case (`CODEX`), as the format doc asks to display it.
    pub executor: Sym,
    pub executor_variant: Sym,
    pub model: Sym,
}

/// Tokens and cost, normalised from any SDK's usage variant. `None` = not given.
///
/// `prompt_tokens` counts every input token, cached ones included; the cache fields say how many
/// of them were cached input (OpenAI's `cached_input_tokens`, a part of its `input_tokens`),
/// cache reads and cache writes (Anthropic's, added to its `input_tokens` to make the prompt).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub prompt_tokens: Option<u64>,
    pub completion_tokens: Option<u64>,
    pub total_tokens: Option<u64>,
    pub cost_usd: Option<f64>,
    pub cached_input_tokens: Option<u64>,
    pub cache_read_tokens: Option<u64>,
    pub cache_creation_tokens: Option<u64>,
}

impl Usage {
    pub fn has_tokens(&self) -> bool {
        self.total_tokens.is_some()
    }
    pub fn is_empty(&self) -> bool {
        !self.has_tokens() && self.cost_usd.is_none()
    }
    /// Whether it says anything of the prompt's cache.
    pub fn has_cache(&self) -> bool {
        self.cached_input_tokens.is_some() || self.cache_read_tokens.is_some() || self.cache_creation_tokens.is_some()
    }
    /// Fills `total_tokens` from prompt + completion when it is absent or 0 (format doc).
    pub fn normalised(mut self) -> Usage {
        if self.total_tokens.unwrap_or(0) == 0 && (self.prompt_tokens.is_some() || self.completion_tokens.is_some()) {
            self.total_tokens =
                Some(self.prompt_tokens.unwrap_or(0).saturating_add(self.completion_tokens.unwrap_or(0)));
        }
        self
    }
    /// A rollup's usage (a metrics row's or `session_end`'s) as known: bosun writes 0 for what it
    /// did not learn, so a cost of 0 beside tokens is an unknown cost, and a rollup of only
    /// zeros knows neither cost nor tokens (analytics-spec.md §2 and revision 2).
    pub fn as_rollup(self) -> Usage {
        let no_cost = self.cost_usd.is_none_or(|c| c == 0.0);
        if no_cost && self.total_tokens.unwrap_or(0) == 0 && !self.has_cache() {
            return Usage::default();
        }
        Usage { cost_usd: if no_cost { None } else { self.cost_usd }, ..self }
    }
    /// Adds another usage; each figure stays unknown until one side knows it.
    pub fn add(&mut self, o: &Usage) {
        fn add_u(a: &mut Option<u64>, b: Option<u64>) {
            if let Some(b) = b {
                *a = Some(a.unwrap_or(0).saturating_add(b));
            }
        }
        add_u(&mut self.prompt_tokens, o.prompt_tokens);
        add_u(&mut self.completion_tokens, o.completion_tokens);
        add_u(&mut self.total_tokens, o.total_tokens);
        add_u(&mut self.cached_input_tokens, o.cached_input_tokens);
        add_u(&mut self.cache_read_tokens, o.cache_read_tokens);
        add_u(&mut self.cache_creation_tokens, o.cache_creation_tokens);
        if let Some(c) = o.cost_usd {
            self.cost_usd = Some(self.cost_usd.unwrap_or(0.0) + c);
        }
    }
}

/// A session's tokens by how they are priced (analytics-spec.md, revision 2): input at the full
/// price, cached input and cache reads at the cached-input price, cache writes at the cache-write
/// price, output at the output price. `None` = not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Tokens {
    /// prompt tokens that are neither cached input nor cache reads or writes
    pub input: Option<u64>,
    pub cached_input: Option<u64>,
    pub cache_read: Option<u64>,
    pub cache_creation: Option<u64>,
    pub output: Option<u64>,
}

impl Tokens {
    /// The breakdown of one (summed) usage.
    pub fn of(u: &Usage) -> Tokens {
        let cache = u
            .cached_input_tokens
            .unwrap_or(0)
            .saturating_add(u.cache_read_tokens.unwrap_or(0))
            .saturating_add(u.cache_creation_tokens.unwrap_or(0));
        Tokens {
            input: u.prompt_tokens.map(|p| p.saturating_sub(cache)),
            cached_input: u.cached_input_tokens,
            cache_read: u.cache_read_tokens,
            cache_creation: u.cache_creation_tokens,
            output: u.completion_tokens,
        }
    }
    pub fn is_empty(&self) -> bool {
        *self == Tokens::default()
    }
    pub fn add(&mut self, o: &Tokens) {
        fn add_u(a: &mut Option<u64>, b: Option<u64>) {
            if let Some(b) = b {
                *a = Some(a.unwrap_or(0).saturating_add(b));
            }
        }
        add_u(&mut self.input, o.input);
        add_u(&mut self.cached_input, o.cached_input);
        add_u(&mut self.cache_read, o.cache_read);
        add_u(&mut self.cache_creation, o.cache_creation);
        add_u(&mut self.output, o.output);
    }
}

/// A [`Usage`] as the store keeps it: 48 bytes instead of 96 (a busy install has hundreds of
/// thousands). An absent figure is a value no input gives: `u64::MAX` tokens (an input's
/// `u64::MAX` is kept as one less), `u32::MAX` cache tokens (one usage object's cache tokens
/// are kept up to `u32::MAX - 1`) and a NaN cost (JSON has no NaN).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PackedUsage {
    tokens: [u64; 3],
    cost_usd: f64,
    cache: [u32; 3],
}
const _: () = assert!(std::mem::size_of::<PackedUsage>() == 48);

impl From<Usage> for PackedUsage {
    fn from(u: Usage) -> PackedUsage {
        let t = |v: Option<u64>| v.map_or(u64::MAX, |n| n.min(u64::MAX - 1));
        let c = |v: Option<u64>| v.map_or(u32::MAX, |n| n.min(u32::MAX as u64 - 1) as u32);
        PackedUsage {
            tokens: [t(u.prompt_tokens), t(u.completion_tokens), t(u.total_tokens)],
            cost_usd: u.cost_usd.filter(|c| !c.is_nan()).unwrap_or(f64::NAN),
            cache: [c(u.cached_input_tokens), c(u.cache_read_tokens), c(u.cache_creation_tokens)],
        }
    }
}

impl PackedUsage {
    pub fn usage(&self) -> Usage {
        let t = |n: u64| (n != u64::MAX).then_some(n);
        let c = |n: u32| (n != u32::MAX).then_some(n as u64);
        Usage {
            prompt_tokens: t(self.tokens[0]),
            completion_tokens: t(self.tokens[1]),
            total_tokens: t(self.tokens[2]),
            cost_usd: (!self.cost_usd.is_nan()).then_some(self.cost_usd),
            cached_input_tokens: c(self.cache[0]),
            cache_read_tokens: c(self.cache[1]),
            cache_creation_tokens: c(self.cache[2]),
        }
    }
}

/// An error's category as written (lower case; `uncategorized` when absent) and as inferred from
/// its message (`Sym::NONE` when no pattern matched): the view maps the pair to its canonical
/// category with the aliases and the inference switch in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CategoryKey {
    pub recorded: Sym,
    pub inferred: Sym,
}

/// Test and lint commands recognised in shell tool calls (spec `tools`).
pub const COMMAND_TEST: u8 = 1;
pub const COMMAND_LINT: u8 = 2;

/// The few payload facts each event type contributes.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub enum Detail {
    #[default]
    None,
    SessionStart {
        prompt_type: Sym,
    },
    ToolCall {
        tool: Sym,
        file: Sym,
        command_class: u8,
    },
    ToolResult {
        tool: Sym,
        failed: Option<bool>,
    },
    Error {
        category: Sym,
        fingerprint: Sym,
        message: Sym,
    },
    /// `duration_ms` fits 49 days; a longer one is kept as `u32::MAX` (compact events: see `Event`)
    /// `permission_denied`: the rollup's count of denied permission requests, kept up to
    /// `u16::MAX` (only whether it is above 0 is read)
    SessionEnd {
        status: Sym,
        duration_ms: Option<u32>,
        permission_denied: u16,
    },
    Skill {
        name: Sym,
    },
}

/// One event, kept compact (56 bytes): a busy install writes millions of them, and the page keeps
/// them all in the worker's memory.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// epoch ms UTC, or `NO_TIME`; read it with [`Event::ts_ms`]
    ts: i64,
    pub loc: Locator,
    /// bosun's per-attempt counter, or `NO_SEQUENCE`; read it with [`Event::sequence_num`]
    seq: i32,
    /// Index into `Store::contexts`.
    pub ctx: u32,
    pub event_type: Sym,
    pub detail: Detail,
    /// Index into `Store::usages`, or `u32::MAX`.
    pub usage: u32,
}
const _: () = assert!(std::mem::size_of::<Event>() == 56);

const NO_TIME: i64 = i64::MIN;
const NO_SEQUENCE: i32 = i32::MIN;

impl Event {
    pub fn new(
        ts_ms: Option<i64>,
        sequence_num: Option<i64>,
        loc: Locator,
        ctx: u32,
        event_type: Sym,
        detail: Detail,
        usage: u32,
    ) -> Event {
        // a counter beyond i32 is treated as absent (it only breaks ties)
        let seq = sequence_num.and_then(|n| i32::try_from(n).ok()).filter(|&n| n != NO_SEQUENCE).unwrap_or(NO_SEQUENCE);
        Event { ts: ts_ms.unwrap_or(NO_TIME), loc, seq, ctx, event_type, detail, usage }
    }
    pub fn ts_ms(&self) -> Option<i64> {
        (self.ts != NO_TIME).then_some(self.ts)
    }
    pub fn sequence_num(&self) -> Option<i32> {
        (self.seq != NO_SEQUENCE).then_some(self.seq)
    }
}

pub const NO_USAGE: u32 = u32::MAX;

/// One line of `agent-metrics.jsonl`, both shapes merged field by field.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct MetricsRow {
    pub ts_ms: Option<i64>,
    pub loc: Locator,
    pub ctx: Context,
    pub success: Option<bool>,
    pub first_shot_success: Option<bool>,
    pub attempts: Option<u64>,
    pub continues: Option<u64>,
    pub auto_resume: Option<bool>,
    pub anomaly_actions: Vec<Sym>,
    pub usage: Usage,
    pub duration_ms: Option<i64>,
    pub errors: Option<u64>,
    pub error_categories: Vec<(Sym, u64)>,
    pub tool_calls: Option<u64>,
    pub tool_failures: Option<u64>,
    pub commands: Option<u64>,
    pub command_failures: Option<u64>,
    pub commits: Option<u64>,
    pub diff_files_changed: Option<u64>,
    pub diff_lines_added: Option<u64>,
    pub diff_lines_deleted: Option<u64>,
    pub diff_files: Vec<Sym>,
    pub review_passed: Option<bool>,
    pub permission_denied: Option<u64>,
}

/// One line of `agent-alerts.jsonl`.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Alert {
    pub ts_ms: Option<i64>,
    pub loc: Locator,
    pub alert_type: Sym,
    pub severity: Sym,
    pub attempt: Sym,
    pub task_id: Sym,
    pub executor: Sym,
    /// `_cooldown_key`: the key bosun's current analyser suppressed repeats by
    pub cooldown_key: Sym,
    /// `occurrences` (error_loop, tool_loop), capped at `u32::MAX`
    pub occurrences: Option<u32>,
}

/// A name in a report, shared between rows: a slice of a shared block of text ([`NameBlock`]),
/// so that a table with a row per session allocates nothing per row, and copying a name touches
/// one reference count that every name of its block shares (hot in cache) rather than one per
/// name scattered over the heap. Serialises as a plain string.
#[derive(Clone)]
pub struct Name {
    text: Arc<str>,
    start: u32,
    end: u32,
}

impl Name {
    /// A name of its own (one allocation).
    pub fn new(s: &str) -> Name {
        match u32::try_from(s.len()) {
            Ok(end) => Name { text: Arc::from(s), start: 0, end },
            Err(_) => Name::new(""),
        }
    }
    pub fn as_str(&self) -> &str {
        self.text.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// Many names cut from one block of text: name `i` is the `i`-th string given.
#[derive(Clone, Default)]
pub struct NameBlock {
    text: Option<Arc<str>>,
    /// name i spans `bounds[i]..bounds[i + 1]`
    bounds: Vec<u32>,
}

impl NameBlock {
    /// Stops early (the later names are then absent) if the text would pass 4 GiB.
    pub fn new<'s>(strings: impl IntoIterator<Item = &'s str>) -> NameBlock {
        let mut text = String::new();
        let mut bounds = vec![0u32];
        for s in strings {
            let Ok(end) = u32::try_from(text.len() + s.len()) else { break };
            text.push_str(s);
            bounds.push(end);
        }
        NameBlock { text: Some(Arc::from(text)), bounds }
    }
    pub fn get(&self, i: usize) -> Option<Name> {
        let text = self.text.as_ref()?;
        let (&start, &end) = (self.bounds.get(i)?, self.bounds.get(i + 1)?);
        Some(Name { text: text.clone(), start, end })
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}
impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}
impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Name {}
impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}
impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}
impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}
impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A list in a report that is a slice of one block shared by many rows: a table of 30 000 rows
/// each with a few short lists then costs one allocation per column rather than one per row and
/// list (allocating and freeing those was most of `task_risk`), and a table the dataset already
/// holds is handed out without copying. Reads as a slice; serialises as a plain array.
pub struct Shared<T> {
    /// `None` for an empty list (no reference count to touch)
    block: Option<Arc<[T]>>,
    start: u32,
    end: u32,
}

impl<T> Shared<T> {
    /// The part `range` of `block` (empty if out of bounds).
    pub fn slice(block: &Arc<[T]>, range: std::ops::Range<usize>) -> Shared<T> {
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) if start < end && range.end <= block.len() => {
                Shared { block: Some(block.clone()), start, end }
            }
            _ => Shared::default(),
        }
    }
    /// The whole of `block`.
    pub fn all(block: &Arc<[T]>) -> Shared<T> {
        Shared::slice(block, 0..block.len())
    }
    pub fn as_slice(&self) -> &[T] {
        self.block.as_ref().and_then(|b| b.get(self.start as usize..self.end as usize)).unwrap_or(&[])
    }
}

impl<T> From<Vec<T>> for Shared<T> {
    fn from(v: Vec<T>) -> Shared<T> {
        Shared::all(&Arc::from(v))
    }
}
impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared { block: None, start: 0, end: 0 }
    }
}
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared { block: self.block.clone(), start: self.start, end: self.end }
    }
}
impl<T> std::ops::Deref for Shared<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}
impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_slice(), f)
    }
}
impl<T: PartialEq<U>, U> PartialEq<Shared<U>> for Shared<T> {
    fn eq(&self, other: &Shared<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for Shared<T> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for Shared<T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl<T: serde::Serialize> serde::Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice())
    }
}

/// A fast hasher for the small integer keys of the pipelines (symbols, indices, days): the
/// multiply-rotate of rustc's FxHasher. Not DoS-resistant, which keys of our own do not need.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    /// Eight bytes a step (the interner hashes every name it is given).
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut last = [0u8; 8];
            last[..tail.len()].copy_from_slice(tail);
            // the length keeps "a" and "a\0" apart
            self.write_u64(u64::from_le_bytes(last) ^ ((tail.len() as u64) << 59));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;
pub type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod size_tests {
    /// Memory per event is the page's main cost on big logs: keep an eye on it.
    #[test]
    fn an_event_stays_compact() {
        assert!(std::mem::size_of::<super::Event>() <= 72, "{}", std::mem::size_of::<super::Event>());
    }
}

#[cfg(test)]
mod usage_tests {
    use super::*;

    #[test]
    fn a_packed_usage_reads_back_as_given() {
        let cases = [
            Usage::default(),
            Usage {
                prompt_tokens: Some(0),
                completion_tokens: None,
                total_tokens: Some(7),
                cost_usd: Some(0.0),
                ..Default::default()
            },
            Usage {
                prompt_tokens: Some(1_200),
                completion_tokens: Some(34),
                total_tokens: None,
                cost_usd: Some(-0.25),
                ..Default::default()
            },
            Usage {
                prompt_tokens: None,
                completion_tokens: Some(u64::MAX - 1),
                total_tokens: None,
                cost_usd: Some(1e300),
                ..Default::default()
            },
            Usage {
                prompt_tokens: Some(10),
                cached_input_tokens: Some(4),
                cache_read_tokens: Some(0),
                cache_creation_tokens: Some(u32::MAX as u64 - 1),
                ..Default::default()
            },
        ];
        for u in cases {
            assert_eq!(PackedUsage::from(u).usage(), u);
        }
        // the two values that stand for "absent" cannot come back as absent
        let edge =
            PackedUsage::from(Usage { total_tokens: Some(u64::MAX), cost_usd: Some(f64::NAN), ..Usage::default() })
                .usage();
        assert_eq!((edge.total_tokens, edge.cost_usd), (Some(u64::MAX - 1), None));
    }
}

#[cfg(test)]
mod locator_tests {
    use super::*;

    #[test]
    fn offset_and_length_share_a_word() {
        let l = Locator::new(3, 7, 123_456_789_012, 64 << 20);
        assert_eq!((l.source(), l.line(), l.offset(), l.len()), (3, 7, Some(123_456_789_012), 64 << 20));
        let last = (1u64 << 37) - 2; // the last offset kept: 128 GiB - 2
        assert_eq!(Locator::new(0, 1, last, 5).offset(), Some(last));
        // past 128 GiB the place is unknown, the number and length stay
        let far = Locator::new(0, 9, 1 << 40, 5);
        assert_eq!((far.line(), far.offset(), far.len()), (9, None, 5));
        assert_eq!(std::mem::size_of::<Locator>(), 16);
    }

    /// Line numbers are 64-bit: past u32::MAX they go on (a 4 MB `.gz` of newlines has that
    /// many lines), up to `MAX_LINE_NUMBER`, beside the largest source index and offset.
    #[test]
    fn line_numbers_pass_four_billion() {
        for line in [
            1,
            u32::MAX as u64 - 1,
            u32::MAX as u64,
            u32::MAX as u64 + 1,
            1 << 37,
            MAX_LINE_NUMBER - 1,
            MAX_LINE_NUMBER,
        ] {
            for source in [0, 1, (MAX_SOURCES - 1) as u32] {
                let l = Locator::new(source, line, (1 << 37) - 2, 64 << 20);
                assert_eq!((l.source(), l.line(), l.offset(), l.len()), (source, line, Some((1 << 37) - 2), 64 << 20));
            }
        }
        assert_eq!(MAX_LINE_NUMBER, 274_877_906_943);
        // past the limits: kept at them, never wrapped into another source or line
        let l = Locator::new(u32::MAX, u64::MAX, u64::MAX, u64::MAX);
        assert_eq!((l.source() as usize, l.line(), l.offset()), (MAX_SOURCES - 1, MAX_LINE_NUMBER, None));
        assert_eq!(Locator::new(7, MAX_LINE_NUMBER + 1, 0, 0).source(), 7);
    }

    #[test]
    fn absent_sequence_numbers() {
        let loc = Locator::default();
        let seq = |n: Option<i64>| Event::new(None, n, loc, 0, Sym::NONE, Detail::None, NO_USAGE).sequence_num();
        assert_eq!(
            (seq(Some(5)), seq(Some(-5)), seq(None), seq(Some(1 << 40)), seq(Some(i32::MIN as i64))),
            (Some(5), Some(-5), None, None, None)
        );
    }
}

#[cfg(test)]
mod trim_tests {
    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "ab",
            "\ta\n",
            "\u{a0}a",
            "a\u{a0}",
            "\u{3000}",
            "\u{85}x",
            "x\u{2028}",
            "\u{1c}a\u{1f}",
            "é",
            "aé",
            "éa",
            "\x0b",
            "a\x0c",
            "a b",
            "\u{feff}a",
        ] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
    }
}
