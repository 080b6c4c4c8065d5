//! The drill-down of one attempt: every event of its session in order, with the facts the page's
//! timeline shows and the [`Locator`](crate::model::records::Locator) to read its raw line back.

use crate::model::records::Detail;
use crate::model::sessions::Dataset;
use crate::model::time::format_iso_ms;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEvent {
    /// index into `Store::events`
    pub event: u32,
    pub event_type: String,
    pub timestamp: Option<String>,
    pub ts_ms: Option<i64>,
    /// since the previous event with a timestamp
    pub delta_ms: Option<i64>,
    pub tool: Option<String>,
    pub error_category: Option<String>,
    pub error_message: Option<String>,
    pub status: Option<String>,
    pub source: u32,
    pub source_name: String,
    pub line: u64,
    /// where the raw line starts in its (decompressed) source; `None` past 128 GiB (not shown)
    pub offset: Option<u64>,
    pub len: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub attempt_id: String,
    pub task_id: String,
    pub task_title: String,
    pub executor: String,
    pub model: String,
    pub success: Option<bool>,
    pub events: Vec<TimelineEvent>,
}

/// The timeline of `attempt_id`, or `None` when no session has that id.
pub fn attempt_timeline(data: &Dataset, attempt_id: &str) -> Option<Timeline> {
    let store = &data.store;
    let sym = store.strings.lookup(attempt_id)?;
    let session = &data.sessions[*data.session_of_attempt.get(&sym)? as usize];
    let opt = |s: crate::model::records::Sym| (!s.is_none()).then(|| store.str(s).to_string());
    let mut prev: Option<i64> = None;
    let events = session
        .events
        .iter()
        .map(|&i| {
            let e = &store.events[i as usize];
            let delta_ms = match (prev, e.ts_ms()) {
                (Some(p), Some(t)) => Some(t - p),
                _ => None,
            };
            if e.ts_ms().is_some() {
                prev = e.ts_ms();
            }
            let (tool, error_category, error_message, status) = match e.detail {
                Detail::ToolCall { tool, .. } | Detail::ToolResult { tool, .. } => (opt(tool), None, None, None),
                Detail::Error { category, message, .. } => (None, Some(opt(category).unwrap_or_else(|| "uncategorized".into())), opt(message), None),
                Detail::SessionEnd { status, .. } => (None, None, None, opt(status)),
                Detail::Skill { name } => (opt(name), None, None, None),
                _ => (None, None, None, None),
            };
            TimelineEvent {
                event: i,
                event_type: store.str(e.event_type).to_string(),
                timestamp: e.ts_ms().map(format_iso_ms),
                ts_ms: e.ts_ms(),
                delta_ms,
                tool,
                error_category,
                error_message,
                status,
                source: e.loc.source(),
                source_name: store.source_name(e.loc.source()),
                line: e.loc.line(),
                offset: e.loc.offset(),
                len: e.loc.len(),
            }
        })
        .collect();
    Some(Timeline {
        attempt_id: attempt_id.to_string(),
        task_id: store.str(session.task_id).to_string(),
        task_title: store.str(session.task_title).to_string(),
        executor: store.str(session.executor).to_string(),
        model: store.str(session.model).to_string(),
        success: session.success,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_in_order_with_deltas() {
        let text = concat!(
            r#"{"timestamp":"2026-02-09T14:00:05.000Z","attempt_id":"a1","task_id":"t","event_type":"tool_call","data":{"tool_name":"shell"}}"#, "\n",
            r#"{"timestamp":"2026-02-09T14:00:00.000Z","attempt_id":"a1","task_id":"t","event_type":"session_start","data":{}}"#, "\n",
            r#"{"timestamp":"2026-02-09T14:00:09.000Z","attempt_id":"a1","task_id":"t","event_type":"error","data":{"error_message":"boom"}}"#, "\n",
            r#"{"timestamp":"2026-02-09T14:00:09.000Z","attempt_id":"b2","event_type":"session_start","data":{}}"#, "\n",
        );
        let data = Dataset::from_files([("s.jsonl", text.as_bytes())]);
        let t = attempt_timeline(&data, "a1").unwrap();
        let types: Vec<_> = t.events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(types, ["session_start", "tool_call", "error"]);
        assert_eq!(t.events[1].delta_ms, Some(5000));
        assert_eq!(t.events[1].tool.as_deref(), Some("shell"));
        assert_eq!(t.events[2].error_category.as_deref(), Some("uncategorized"));
        assert_eq!(t.events[0].line, 2);
        assert_eq!(t.events[1].offset, Some(0));
        assert!(attempt_timeline(&data, "nope").is_none());
    }
}

/// Collects byte ranges of one entry of a decoded input while a fresh
/// [`Decoder`](crate::ingest::archive::Decoder) replays it: how the drill-down reads raw lines of
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
        wanted.sort_unstable();
        wanted.dedup();
        let found = vec![Vec::new(); wanted.len()];
        RangeCollector { entry, wanted, found, ..Default::default() }
    }

    /// Whether every range has been read (the replay can stop).
    pub fn done(&self) -> bool {
        self.wanted.iter().zip(&self.found).all(|((_, len), f)| f.len() >= *len as usize) || (self.entries_seen > self.entry && !self.in_entry)
    }

    pub fn on_output(&mut self, out: crate::ingest::archive::Output<'_>) {
        use crate::ingest::archive::Output;
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
mod range_tests {
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
