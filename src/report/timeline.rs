//! The drill-down of one attempt: every event of its session in order, with the facts the page's
//! timeline shows and the [`Locator`](crate::model::records::Locator) to read its raw line back.

use crate::dataset::sessions::Dataset;
use crate::model::money;
use crate::model::prices;
use crate::model::records::{Detail, Tokens};
use crate::model::time::format_iso_ms;
use crate::model::vocabulary;
use crate::pipelines::{CostSource, Parameters};
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
    /// an error's category as written (`uncategorized` when absent)
    pub error_category: Option<String>,
    /// the canonical category the figures count it under: the alias of the written name in the
    /// parameters' table, or, when that says "no category" and inference is on, the one its
    /// message means (as `pipelines::View` maps it)
    pub category: Option<String>,
    /// whether `category` was inferred from the message
    pub category_inferred: bool,
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
    /// the session's cost in USD: recorded, else estimated from the price table in force (null
    /// when neither is known)
    pub cost_usd: Option<f64>,
    /// where `cost_usd` comes from
    pub cost_source: CostSource,
    /// for an estimate: the price-table row that priced it
    pub price: Option<prices::Price>,
    /// the session's tokens by price (revision 2), and its total as recorded
    pub tokens: Tokens,
    pub total_tokens: Option<u64>,
    pub events: Vec<TimelineEvent>,
}

/// The timeline of `attempt_id`, or `None` when no session has that id. The parameters give the
/// price table that estimates an unrecorded cost and the category aliases (and inference switch)
/// that name its errors as the figures do.
pub fn attempt_timeline(data: &Dataset, attempt_id: &str, params: &Parameters) -> Option<Timeline> {
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
                Detail::Error { category, message, .. } => {
                    (None, Some(opt(category).unwrap_or_else(|| vocabulary::UNCATEGORIZED.into())), opt(message), None)
                }
                Detail::SessionEnd { status, .. } => (None, None, None, opt(status)),
                Detail::Skill { name } => (opt(name), None, None, None),
                _ => (None, None, None, None),
            };
            let (category, category_inferred) = match &error_category {
                Some(written) => {
                    let (name, inferred) = canonical_category(params, written, error_message.as_deref().unwrap_or(""));
                    (Some(name), inferred)
                }
                None => (None, false),
            };
            TimelineEvent {
                event: i,
                event_type: store.str(e.event_type).to_string(),
                timestamp: e.ts_ms().map(format_iso_ms),
                ts_ms: e.ts_ms(),
                delta_ms,
                tool,
                error_category,
                category,
                category_inferred,
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
    let (cost_usd, cost_source, price) = match session.cost_nanos {
        Some(c) => (Some(money::usd(c as i128)), CostSource::Recorded, None),
        None => {
            let price = prices::price_of(&params.prices, store.str(session.model));
            match price.and_then(|p| Some((p, prices::estimate(p, &session.tokens)?))) {
                Some((p, c)) => (Some(money::usd(c as i128)), CostSource::Estimated, Some(p.clone())),
                None => (None, CostSource::Unknown, None),
            }
        }
    };
    Some(Timeline {
        attempt_id: attempt_id.to_string(),
        task_id: store.str(session.task_id).to_string(),
        task_title: store.str(session.task_title).to_string(),
        executor: store.str(session.executor).to_string(),
        model: store.str(session.model).to_string(),
        success: session.success,
        cost_usd,
        cost_source,
        price,
        tokens: session.tokens,
        total_tokens: session.usage.total_tokens,
        events,
    })
}

/// An error's canonical category as `pipelines::View::map_categories` names it: the alias of
/// the written name (keys compared case-insensitively), else the name; when that says "no
/// category" and inference is on, the category the message means, if any. With whether it was
/// inferred.
fn canonical_category(params: &Parameters, written: &str, message: &str) -> (String, bool) {
    let aliases = &params.category_aliases;
    let mapped =
        aliases.get(written).or_else(|| aliases.iter().find(|(k, _)| k.eq_ignore_ascii_case(written)).map(|(_, v)| v));
    let name = mapped.map_or(written.to_string(), |m| m.trim().to_lowercase());
    if params.infer_categories && vocabulary::is_unknown(&name) {
        if let Some(inferred) = vocabulary::infer_category(message) {
            return (inferred.to_string(), true);
        }
    }
    (name, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_in_order_with_deltas() {
        let text = concat!(
            r#"{"timestamp":"2026-02-09T14:00:05.000Z","attempt_id":"a1","task_id":"t","event_type":"tool_call","data":{"tool_name":"shell"}}"#,
            "\n",
            r#"{"timestamp":"2026-02-09T14:00:00.000Z","attempt_id":"a1","task_id":"t","event_type":"session_start","data":{}}"#,
            "\n",
            r#"{"timestamp":"2026-02-09T14:00:09.000Z","attempt_id":"a1","task_id":"t","event_type":"error","data":{"error_message":"boom"}}"#,
            "\n",
            r#"{"timestamp":"2026-02-09T14:00:09.000Z","attempt_id":"b2","event_type":"session_start","data":{}}"#,
            "\n",
        );
        let data = Dataset::from_files([("s.jsonl", text.as_bytes())]);
        let t = attempt_timeline(&data, "a1", &Parameters::default()).unwrap();
        let types: Vec<_> = t.events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(types, ["session_start", "tool_call", "error"]);
        assert_eq!(t.events[1].delta_ms, Some(5000));
        assert_eq!(t.events[1].tool.as_deref(), Some("shell"));
        assert_eq!(t.events[2].error_category.as_deref(), Some("uncategorized"));
        assert_eq!(t.events[0].line, 2);
        assert_eq!(t.events[1].offset, Some(0));
        assert!(attempt_timeline(&data, "nope", &Parameters::default()).is_none());
        assert_eq!(t.cost_source, CostSource::Unknown);
        assert_eq!(t.cost_usd, None);
        // an error without a category and a message that says nothing stays uncategorized
        assert_eq!(t.events[2].category.as_deref(), Some("uncategorized"));
        assert!(!t.events[2].category_inferred);
        assert_eq!(t.events[0].category, None);
    }

    /// Cost and where it came from, tokens, and errors named as the figures name them: with the
    /// default parameters, then with a changed price and alias table.
    #[test]
    fn cost_source_tokens_and_canonical_categories() {
        let text = concat!(
            // Codex: a rollup cost of 0 beside tokens is unknown; its usage prices it
            r#"{"timestamp":"2026-03-02T08:00:00.000Z","attempt_id":"cx","model":"gpt-5-codex","event_type":"session_start","data":{}}"#,
            "\n",
            r#"{"timestamp":"2026-03-02T08:00:12.000Z","attempt_id":"cx","model":"gpt-5-codex","event_type":"usage","data":{"input_tokens":120000,"cached_input_tokens":80000,"output_tokens":20000}}"#,
            "\n",
            r#"{"timestamp":"2026-03-02T08:00:15.000Z","attempt_id":"cx","model":"gpt-5-codex","event_type":"error","data":{"error_message":"401 Unauthorized","error_category":"auth_error"}}"#,
            "\n",
            r#"{"timestamp":"2026-03-02T08:00:16.000Z","attempt_id":"cx","model":"gpt-5-codex","event_type":"error","data":{"error_message":"429 Too Many Requests","error_category":"unknown"}}"#,
            "\n",
            r#"{"attempt_id":"cx","model":"gpt-5-codex","timestamp":"2026-03-02T08:01:01.000Z","metrics":{"success":false,"cost_usd":0,"total_tokens":220000}}"#,
            "\n",
            // Claude: a recorded cost
            r#"{"timestamp":"2026-03-02T09:00:00.000Z","attempt_id":"cl","model":"claude-sonnet-4","event_type":"usage","data":{"input_tokens":3000,"output_tokens":2000,"cost_usd":0.25}}"#,
            "\n",
            // a model no price matches
            r#"{"timestamp":"2026-03-02T10:00:00.000Z","attempt_id":"mx","model":"mystery-1","event_type":"usage","data":{"input_tokens":3000,"output_tokens":2000}}"#,
            "\n",
        );
        let data = Dataset::from_files([("s.jsonl", text.as_bytes())]);
        let p = Parameters::default();
        let t = attempt_timeline(&data, "cx", &p).unwrap();
        // 40 000 input × 1.25 + 80 000 cached × 0.125 + 20 000 output × 10 = 260 000 µ$
        assert_eq!((t.cost_usd, t.cost_source), (Some(0.26), CostSource::Estimated));
        assert_eq!(t.price.as_ref().map(|p| p.model.as_str()), Some("gpt-5*"));
        assert_eq!(
            t.tokens,
            Tokens { input: Some(40_000), cached_input: Some(80_000), output: Some(20_000), ..Default::default() }
        );
        assert_eq!(t.total_tokens, Some(220_000));
        let errs: Vec<_> = t
            .events
            .iter()
            .filter(|e| e.category.is_some())
            .map(|e| (e.error_category.as_deref().unwrap(), e.category.as_deref().unwrap(), e.category_inferred))
            .collect();
        assert_eq!(errs, [("auth_error", "auth", false), ("unknown", "rate_limit", true)]);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["cost_source"], "estimated");
        assert_eq!(json["tokens"]["cached_input"], 80_000);

        let cl = attempt_timeline(&data, "cl", &p).unwrap();
        assert_eq!((cl.cost_usd, cl.cost_source, cl.price.is_none()), (Some(0.25), CostSource::Recorded, true));
        let mx = attempt_timeline(&data, "mx", &p).unwrap();
        assert_eq!((mx.cost_usd, mx.cost_source), (None, CostSource::Unknown));

        // the user's table: gpt-5 input at 2.5, auth_error counted as a permission wait, no inference
        let mut q = Parameters::default();
        q.prices.iter_mut().find(|r| r.model == "gpt-5*").unwrap().input = 2.5;
        q.category_aliases.insert("auth_error".into(), "permission_wait".into());
        q.infer_categories = false;
        let t = attempt_timeline(&data, "cx", &q).unwrap();
        assert_eq!(t.cost_usd, Some(0.31));
        let errs: Vec<_> = t.events.iter().filter_map(|e| Some((e.category.clone()?, e.category_inferred))).collect();
        assert_eq!(errs, [("permission_wait".to_string(), false), ("unknown".to_string(), false)]);
        // the recorded cost does not move with the table
        assert_eq!(attempt_timeline(&data, "cl", &q).unwrap().cost_usd, Some(0.25));
    }
}
