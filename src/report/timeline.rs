//! The drill-down of one attempt: every event of its session in order, with the facts the page's
//! timeline shows and the [`Locator`](crate::model::records::Locator) to read its raw line back.

use crate::charts::{elapsed_label, Lane, LaneItem, LaneKind, Mark, Separator, TimelineLanes};
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
    /// a tool result's verdict: `Some(true)` when it says the call failed
    pub failed: Option<bool>,
    /// a session_start's `prompt_type` (`initial`, `followup`, `retry`)
    pub prompt_type: Option<String>,
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
    /// the session's duration: recorded, else from its first event to its last
    pub duration_ms: Option<i64>,
    /// the task's attempts in the order they started (this one among them); just this one when
    /// the attempt has no task
    pub attempts: Vec<String>,
    pub events: Vec<TimelineEvent>,
    /// the events on a time axis, one lane per tool (see [`lanes_of`])
    pub lanes: TimelineLanes,
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
            let failed = match e.detail {
                Detail::ToolResult { failed, .. } => failed,
                _ => None,
            };
            let prompt_type = match e.detail {
                Detail::SessionStart { prompt_type } => opt(prompt_type),
                _ => None,
            };
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
                failed,
                prompt_type,
                source: e.loc.source(),
                source_name: store.source_name(e.loc.source()),
                line: e.loc.line(),
                offset: e.loc.offset(),
                len: e.loc.len(),
            }
        })
        .collect::<Vec<TimelineEvent>>();
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
    let times = || events.iter().filter_map(|e| e.ts_ms);
    let duration_ms = session.duration_ms.or_else(|| Some(times().max()? - times().min()?));
    let lanes = lanes_of(&events);
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
        duration_ms,
        attempts: attempts_of_task(data, session),
        events,
        lanes,
    })
}

/// The attempts of `session`'s task, in the order they started (unknown starts last, ties by id).
fn attempts_of_task(data: &Dataset, session: &crate::dataset::sessions::Session) -> Vec<String> {
    let store = &data.store;
    if session.task_id.is_none() {
        return vec![store.str(session.attempt).to_string()];
    }
    let mut attempts: Vec<(Option<i64>, &str)> = data
        .sessions
        .iter()
        .filter(|s| s.task_id == session.task_id)
        .map(|s| (s.start_ms, store.str(s.attempt)))
        .collect();
    crate::model::sort::by(&mut attempts, |a, b| (a.0.is_none(), a.0, a.1).cmp(&(b.0.is_none(), b.0, b.1)));
    attempts.into_iter().map(|(_, a)| a.to_string()).collect()
}

/// The events on a time axis: a lane for the session's own events first, then one per tool in the
/// order of first use, then errors, usage, and one per other event type. A tool result closes the
/// oldest open call of its tool (bosun writes no call id; calls of one tool answer in order), an
/// unnamed result the oldest open call of any tool; a call never answered stays open to the last
/// event. A session_start that is a follow-up or a retry, and a follow-up sent, separate the runs.
/// Events without a time are counted, not placed.
pub fn lanes_of(events: &[TimelineEvent]) -> TimelineLanes {
    let times = || events.iter().filter_map(|e| e.ts_ms);
    let (t0, t1) = (times().min().unwrap_or(0), times().max().unwrap_or(0));
    let mut lanes: Vec<Lane> = vec![Lane { name: "session".into(), kind: LaneKind::Session, items: Vec::new() }];
    let lane = |lanes: &mut Vec<Lane>, name: &str, kind: LaneKind| match lanes
        .iter()
        .position(|l| l.kind == kind && l.name == name)
    {
        Some(i) => i,
        None => {
            lanes.push(Lane { name: name.to_string(), kind, items: Vec::new() });
            lanes.len() - 1
        }
    };
    // open calls: (lane, item) in call order
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut separators = Vec::new();
    let mut untimed = 0;
    let point = |i: usize, at: i64, mark: Mark, label: String| LaneItem {
        start_ms: at,
        end_ms: at,
        event: i,
        end_event: None,
        mark,
        label: format!("{label} · +{}", elapsed_label(at - t0, 1)),
    };
    for (i, e) in events.iter().enumerate() {
        let Some(at) = e.ts_ms else {
            untimed += 1;
            continue;
        };
        let tool = e.tool.as_deref().unwrap_or("(unnamed tool)");
        match e.event_type.as_str() {
            "tool_call" => {
                let l = lane(&mut lanes, tool, LaneKind::Tool);
                lanes[l].items.push(LaneItem {
                    start_ms: at,
                    end_ms: t1,
                    event: i,
                    end_event: None,
                    mark: Mark::OpenSpan,
                    label: format!("{tool}: called at +{}, no result", elapsed_label(at - t0, 1)),
                });
                open.push((l, lanes[l].items.len() - 1));
            }
            "tool_result" => {
                let found = open.iter().position(|&(l, _)| e.tool.is_none() || lanes[l].name == tool);
                let verdict = if e.failed == Some(true) { "failed" } else { "ok" };
                match found.map(|k| open.remove(k)) {
                    Some((l, k)) => {
                        let Lane { name, items, .. } = &mut lanes[l];
                        let item = &mut items[k];
                        item.end_ms = at.max(item.start_ms);
                        item.end_event = Some(i);
                        item.mark = if e.failed == Some(true) { Mark::FailedSpan } else { Mark::Span };
                        item.label = format!(
                            "{name}: {verdict} after {} (at +{})",
                            elapsed_label(item.end_ms - item.start_ms, 1),
                            elapsed_label(item.start_ms - t0, 1)
                        );
                    }
                    None => {
                        let l = lane(&mut lanes, tool, LaneKind::Tool);
                        let mark = if e.failed == Some(true) { Mark::Error } else { Mark::Point };
                        lanes[l].items.push(point(i, at, mark, format!("{tool}: result ({verdict}), no call")));
                    }
                }
            }
            "error" => {
                let l = lane(&mut lanes, "errors", LaneKind::Errors);
                let what = format!(
                    "{}: {}",
                    e.category.as_deref().unwrap_or("error"),
                    e.error_message.as_deref().unwrap_or("").chars().take(120).collect::<String>()
                );
                lanes[l].items.push(point(i, at, Mark::Error, what));
            }
            "usage" => {
                let l = lane(&mut lanes, "usage", LaneKind::Usage);
                lanes[l].items.push(point(i, at, Mark::Point, "usage".into()));
            }
            "session_start" | "session_end" | "followup_sent" | "status_change" => {
                let label = match (e.event_type.as_str(), e.prompt_type.as_deref(), e.status.as_deref()) {
                    ("session_start", Some(p), _) => format!("session_start ({p})"),
                    ("session_end", _, Some(s)) => format!("session_end ({s})"),
                    (t, _, _) => t.to_string(),
                };
                let separator = match (e.event_type.as_str(), e.prompt_type.as_deref()) {
                    ("session_start", Some(p @ ("followup" | "retry"))) => Some(p.replace("followup", "follow-up")),
                    ("followup_sent", _) => Some("follow-up sent".to_string()),
                    _ => None,
                };
                if let Some(s) = separator {
                    separators.push(Separator {
                        at_ms: at,
                        label: format!("{s} · +{}", elapsed_label(at - t0, 1)),
                        event: i,
                    });
                }
                lanes[0].items.push(point(i, at, Mark::Point, label));
            }
            other => {
                let name = match (other, e.tool.as_deref()) {
                    ("skill_invoke", Some(skill)) => format!("skill {skill}"),
                    _ => other.to_string(),
                };
                let l = lane(&mut lanes, &name, LaneKind::Other);
                lanes[l].items.push(point(i, at, Mark::Point, other.to_string()));
            }
        }
    }
    if lanes[0].items.is_empty() && lanes.len() > 1 {
        lanes.remove(0);
    }
    // tools, then errors, usage and the rest: stable, so each group keeps its order of first use
    crate::model::sort::by_key(&mut lanes, |l| match l.kind {
        LaneKind::Session => 0,
        LaneKind::Tool => 1,
        LaneKind::Errors => 2,
        LaneKind::Usage => 3,
        LaneKind::Other => 4,
    });
    TimelineLanes { t0_ms: t0, t1_ms: t1, lanes, separators, untimed }
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

    /// Calls answered in order per tool, a failure, a call never answered, an unnamed result, a
    /// retry's separator, an untimed event, and the header's duration and the task's attempts.
    #[test]
    fn lanes_pair_calls_with_results() {
        let line = |t: &str, a: &str, ty: &str, data: &str| {
            format!(
                r#"{{"timestamp":"2026-02-09T14:00:{t}.000Z","attempt_id":"{a}","task_id":"t1","event_type":"{ty}","data":{data}}}"#
            )
        };
        let lines = [
            line("00", "a2", "session_start", r#"{"prompt_type":"initial"}"#),
            line("01", "a2", "tool_call", r#"{"tool_name":"shell"}"#),
            line("02", "a2", "tool_call", r#"{"tool_name":"shell"}"#),
            line("03", "a2", "tool_call", r#"{"tool_name":"edit"}"#),
            line("05", "a2", "tool_result", r#"{"tool_name":"shell","result":"success"}"#),
            line("09", "a2", "tool_result", r#"{"tool_name":"shell","result":"error"}"#),
            line("10", "a2", "error", r#"{"error_message":"429 Too Many Requests","error_category":"rate_limit"}"#),
            line("20", "a2", "session_start", r#"{"prompt_type":"retry"}"#),
            line("21", "a2", "tool_call", r#"{"tool_name":"read"}"#),
            line("25", "a2", "tool_result", r#"{"result":"success"}"#),
            line("30", "a2", "usage", r#"{"input_tokens":10,"output_tokens":5}"#),
            line("31", "a2", "agent_output", r#"{"output":"done"}"#),
            r#"{"attempt_id":"a2","task_id":"t1","event_type":"status_change","data":{}}"#.to_string(),
            line("59", "a1", "session_start", "{}").replace("14:00:59", "13:00:00"),
            line("00", "b1", "session_start", "{}").replace("\"t1\"", "\"t2\""),
        ];
        let text = lines.join("\n");
        let data = Dataset::from_files([("s.jsonl", text.as_bytes())]);
        let t = attempt_timeline(&data, "a2", &Parameters::default()).unwrap();
        assert_eq!(t.attempts, ["a1", "a2"]);
        assert_eq!(t.duration_ms, Some(31_000));
        let l = &t.lanes;
        let names: Vec<_> = l.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["session", "shell", "edit", "read", "errors", "usage", "agent_output"]);
        assert_eq!((l.t1_ms - l.t0_ms, l.untimed), (31_000, 1));
        let spans = |name: &str| -> Vec<(i64, i64, Mark, usize, Option<usize>)> {
            let lane = l.lanes.iter().find(|x| x.name == name).unwrap();
            lane.items
                .iter()
                .map(|i| (i.start_ms - l.t0_ms, i.end_ms - l.t0_ms, i.mark, i.event, i.end_event))
                .collect()
        };
        // the first shell call is answered by the first shell result, the second by the failure
        assert_eq!(
            spans("shell"),
            [(1_000, 5_000, Mark::Span, 1, Some(4)), (2_000, 9_000, Mark::FailedSpan, 2, Some(5))]
        );
        // edit's call was never answered: open to the last event; the unnamed result closed the
        // oldest open call, which by then was edit's, not read's
        assert_eq!(spans("edit"), [(3_000, 25_000, Mark::Span, 3, Some(9))]);
        assert_eq!(spans("read"), [(21_000, 31_000, Mark::OpenSpan, 8, None)]);
        assert_eq!(spans("errors"), [(10_000, 10_000, Mark::Error, 6, None)]);
        let shell = &l.lanes[1].items[1];
        assert_eq!(shell.label, "shell: failed after 7.0 s (at +2.0 s)");
        assert_eq!(l.separators.len(), 1);
        assert_eq!((l.separators[0].at_ms - l.t0_ms, l.separators[0].event), (20_000, 7));
        assert_eq!(l.separators[0].label, "retry · +20.0 s");
        assert_eq!(t.events[5].failed, Some(true));
        assert_eq!(t.events[7].prompt_type.as_deref(), Some("retry"));
        // an attempt without a task lists only itself
        let b = attempt_timeline(&data, "b1", &Parameters::default()).unwrap();
        assert_eq!(b.attempts, ["b1"]);
        assert_eq!(b.duration_ms, Some(0));
    }
}
