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
    pub line: u32,
    pub offset: u64,
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
            let delta_ms = match (prev, e.ts_ms) {
                (Some(p), Some(t)) => Some(t - p),
                _ => None,
            };
            if e.ts_ms.is_some() {
                prev = e.ts_ms;
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
                timestamp: e.ts_ms.map(format_iso_ms),
                ts_ms: e.ts_ms,
                delta_ms,
                tool,
                error_category,
                error_message,
                status,
                source: e.loc.source,
                source_name: store.sources.get(e.loc.source as usize).map(|s| s.name.clone()).unwrap_or_default(),
                line: e.loc.line,
                offset: e.loc.offset,
                len: e.loc.len,
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
    use crate::ingest::Store;

    #[test]
    fn events_in_order_with_deltas() {
        let mut store = Store::new();
        let text = concat!(
            r#"{"timestamp":"2026-02-09T14:00:05.000Z","attempt_id":"a1","task_id":"t","event_type":"tool_call","data":{"tool_name":"shell"}}"#, "\n",
            r#"{"timestamp":"2026-02-09T14:00:00.000Z","attempt_id":"a1","task_id":"t","event_type":"session_start","data":{}}"#, "\n",
            r#"{"timestamp":"2026-02-09T14:00:09.000Z","attempt_id":"a1","task_id":"t","event_type":"error","data":{"error_message":"boom"}}"#, "\n",
            r#"{"timestamp":"2026-02-09T14:00:09.000Z","attempt_id":"b2","event_type":"session_start","data":{}}"#, "\n",
        );
        store.load_bytes("s.jsonl", text.as_bytes());
        let data = Dataset::new(store);
        let t = attempt_timeline(&data, "a1").unwrap();
        let types: Vec<_> = t.events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(types, ["session_start", "tool_call", "error"]);
        assert_eq!(t.events[1].delta_ms, Some(5000));
        assert_eq!(t.events[1].tool.as_deref(), Some("shell"));
        assert_eq!(t.events[2].error_category.as_deref(), Some("uncategorized"));
        assert_eq!(t.events[0].line, 2);
        assert_eq!(t.events[1].offset, 0);
        assert!(attempt_timeline(&data, "nope").is_none());
    }
}
