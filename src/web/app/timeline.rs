//! The drill-down into one attempt, Perfetto-style: a header (outcome, duration, cost and where it
//! came from, tokens, "attempt 2 of 4 ◀ ▶" through the task's attempts, a link that reopens it),
//! the attempt's lanes on a time axis (`charts::draw_timeline`, one lane per tool with its
//! call→result spans), the selected event full width with its raw line, and every event in a table.
//! A click on a span, a marker or a row selects its event; ←/→ on the lanes step through them.
//! The open attempt is kept in the address (`attempt=…`, `web::app::recipe`), so the address
//! reopens it once the same logs are loaded.

use super::link::send;
use super::{dpr, render::dark_theme};
use crate::charts::{HitKind, TimelineLanes};
use crate::page::protocol::{TimelineRequest, ToWorker};
use crate::report::format;
use crate::web::charts::{draw_timeline_lanes, pointer_on, HitRegion};
use crate::web::dom::*;
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement, HtmlElement, KeyboardEvent, MouseEvent};

/// The attempt shown.
struct Shown {
    attempt: String,
    attempts: Vec<String>,
    events: Vec<Value>,
    raws: Vec<Value>,
    lanes: Option<TimelineLanes>,
    hits: Vec<HitRegion>,
    selected: Option<usize>,
}

thread_local! {
    static SHOWN: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

/// The attempt whose timeline is open, for the address (`web::app::recipe`).
pub(super) fn open_attempt() -> Option<String> {
    SHOWN.with(|s| s.borrow().as_ref().map(|s| s.attempt.clone()))
}

/// The timeline closed: the address stops naming it.
pub(super) fn closed() {
    SHOWN.with(|s| *s.borrow_mut() = None);
    super::recipe::update_address();
}

pub(super) fn open_timeline(attempt: &str) {
    let Some(panel) = by_id("timeline") else { return };
    let Some(body) = by_id("timeline-body") else { return };
    clear(&body);
    append(&body, &el_text("p", "muted", "Loading the attempt's events…"));
    if let Some(t) = by_id("timeline-title") {
        t.set_text_content(Some(attempt));
    }
    super::a11y::open_dialog(&panel.id());
    send(ToWorker::Timeline(TimelineRequest { attempt: attempt.to_string() }));
}

/// ◀ / ▶: the task's previous or next attempt.
pub(super) fn step_attempt(by: isize) {
    let next = SHOWN.with(|s| {
        let s = s.borrow();
        let s = s.as_ref()?;
        let i = s.attempts.iter().position(|a| *a == s.attempt)? as isize + by;
        s.attempts.get(usize::try_from(i).ok()?).cloned()
    });
    if let Some(a) = next {
        open_timeline(&a);
    }
}

pub(super) fn on_timeline(json: &str) {
    let Some(body) = by_id("timeline-body") else { return };
    clear(&body);
    let mut t: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    if t.is_null() {
        SHOWN.with(|s| *s.borrow_mut() = None);
        append(&body, &el_text("p", "muted", "No events for this attempt in the loaded files."));
        return;
    }
    let attempt = t["attempt_id"].as_str().unwrap_or("").to_string();
    let attempts: Vec<String> = t["attempts"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| Some(v.as_str()?.to_string())).collect())
        .unwrap_or_default();
    append(&body, &header(&t, &attempt, &attempts));
    // the document's parts, taken out of it (not copied): the header has read what it needs
    let array = |v: Value| match v {
        Value::Array(a) => a,
        _ => Vec::new(),
    };
    let (events, raws) = (array(t["events"].take()), array(t["raw"].take()));
    let lanes: Option<TimelineLanes> = serde_json::from_value(t["lanes"].take()).ok();

    // the lanes
    if let Some(l) = lanes.as_ref().filter(|l| !l.lanes.is_empty() && l.untimed < events.len()) {
        let wrap = el("div", "timeline-lanes");
        let canvas = el("canvas", "");
        attr(&canvas, "id", "timeline-lanes");
        attr(&canvas, "tabindex", "0");
        attr(&canvas, "role", "img");
        attr(
            &canvas,
            "aria-label",
            &format!("{} Use the left and right arrow keys to step through the events.", l.summary()),
        );
        attr(&canvas, "data-lanes", &l.lanes.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join("|"));
        let _ = canvas.style().set_property("height", &format!("{}px", l.height()));
        append(&wrap, &canvas);
        append(&body, &wrap);
    }
    let mut note = format!("{} events, in time order", format::grouped(events.len() as f64, 0));
    if let Some(l) = lanes.as_ref().filter(|l| l.untimed > 0) {
        note.push_str(&format!(
            "; {} without a time {} only in the table",
            l.untimed,
            if l.untimed == 1 { "is" } else { "are" }
        ));
    }
    append(&body, &el_text("p", "muted small", &note));
    let detail = el("div", "timeline-event");
    attr(&detail, "id", "timeline-event");
    attr(&detail, "aria-live", "polite");
    append(&body, &detail);
    append(&body, &events_table(&events, &raws));

    let selected = (!events.is_empty()).then_some(0);
    SHOWN.with(|s| {
        *s.borrow_mut() = Some(Shown { attempt, attempts, events, raws, lanes, hits: Vec::new(), selected: None })
    });
    // the address names it from now (the request may have come from the address itself)
    super::recipe::update_address();
    select(selected);
}

/// Outcome, duration, cost and its source, tokens; the task's attempts; the link.
fn header(t: &Value, attempt: &str, attempts: &[String]) -> HtmlElement {
    let head = el("div", "timeline-head");
    let nav = el("div", "timeline-nav");
    if attempts.len() > 1 {
        let at = attempts.iter().position(|a| a == attempt);
        let prev = button("◀", "ghost small", "timeline-prev");
        attr(&prev, "aria-label", "The task's previous attempt");
        attr(&prev, "title", "The task's previous attempt");
        let next = button("▶", "ghost small", "timeline-next");
        attr(&next, "aria-label", "The task's next attempt");
        attr(&next, "title", "The task's next attempt");
        if at == Some(0) {
            attr(&prev, "disabled", "");
        }
        if at.is_none_or(|i| i + 1 == attempts.len()) {
            attr(&next, "disabled", "");
        }
        append(&nav, &prev);
        let pos = el_text(
            "span",
            "",
            &format!("attempt {} of {}", at.map_or("?".into(), |i| (i + 1).to_string()), attempts.len()),
        );
        attr(&pos, "id", "timeline-pos");
        append(&nav, &pos);
        append(&nav, &next);
    }
    let link = button("Copy link", "ghost small", "timeline-link");
    attr(&link, "id", "timeline-link");
    attr(&link, "title", "An address that reopens this attempt once the same logs are loaded (the logs are not in it)");
    append(&nav, &link);
    append(&head, &nav);

    let meta = el("div", "timeline-meta");
    let item = |label: &str, value: &str, id: &str| {
        let d = el("div", "");
        if !id.is_empty() {
            attr(&d, "id", id);
        }
        append(&d, &el_text("span", "muted", &format!("{label} ")));
        append(&d, &el_text("strong", "", value));
        d
    };
    let title = t["task_title"].as_str().filter(|s| !s.is_empty());
    if let Some(title) = title.or(t["task_id"].as_str().filter(|s| !s.is_empty())) {
        append(&meta, &item("Task", title, ""));
    }
    for (k, label) in [("executor", "Executor"), ("model", "Model")] {
        if let Some(v) = t[k].as_str().filter(|s| !s.is_empty()) {
            append(&meta, &item(label, v, ""));
        }
    }
    let status = t["events"]
        .as_array()
        .and_then(|e| e.iter().rev().find_map(|e| e["status"].as_str()))
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    let outcome = match t["success"].as_bool() {
        Some(true) => "succeeded",
        Some(false) => "failed",
        None => "unknown",
    };
    let o = item("Outcome", &format!("{outcome}{status}"), "timeline-outcome");
    attr(&o, "data-outcome", outcome);
    append(&meta, &o);
    let duration = t["duration_ms"].as_f64().map_or("unknown".to_string(), format::duration_ms);
    append(&meta, &item("Duration", &duration, "timeline-duration"));
    append(&meta, &cost(t));
    if let Some(tokens) = tokens(t) {
        append(&meta, &tokens);
    }
    append(&head, &meta);
    head
}

/// The session's cost and where it came from.
fn cost(t: &Value) -> HtmlElement {
    let cost = el("div", "");
    attr(&cost, "id", "timeline-cost");
    let source = t["cost_source"].as_str().unwrap_or("unknown");
    attr(&cost, "data-source", source);
    append(&cost, &el_text("span", "muted", "Cost "));
    let (value, how) = match (source, t["cost_usd"].as_f64()) {
        ("recorded", Some(c)) => (format::usd(c), "recorded".to_string()),
        ("estimated", Some(c)) => {
            let p = &t["price"];
            let mut how = format!("estimated from its tokens at the {} prices", p["model"].as_str().unwrap_or("?"));
            let (src, as_of) = (p["source"].as_str().unwrap_or(""), p["as_of"].as_str().unwrap_or(""));
            if !src.is_empty() || !as_of.is_empty() {
                let sep = if src.is_empty() || as_of.is_empty() { "" } else { ", " };
                how.push_str(&format!(" ({src}{sep}{as_of})"));
            }
            (format::usd(c), how)
        }
        _ => (
            "unknown".to_string(),
            if t["tokens"]["input"].is_null() && t["tokens"]["output"].is_null() {
                "no cost recorded and no input or output tokens to price".into()
            } else {
                "no cost recorded and no price-table pattern matches its model".to_string()
            },
        ),
    };
    append(&cost, &el_text("strong", "", &value));
    append(&cost, &el_text("span", "muted", &format!(" {how}")));
    cost
}

/// The session's tokens in all, and by price.
fn tokens(t: &Value) -> Option<HtmlElement> {
    let tk = &t["tokens"];
    let parts: Vec<String> = [
        ("input", "input"),
        ("cached_input", "cached input"),
        ("cache_read", "cache read"),
        ("cache_creation", "cache write"),
        ("output", "output"),
    ]
    .iter()
    .filter_map(|(k, label)| tk[*k].as_u64().map(|n| format!("{} {label}", format::cell("", &n.into()))))
    .collect();
    if parts.is_empty() && !t["total_tokens"].is_u64() {
        return None;
    }
    let d = el("div", "");
    attr(&d, "id", "timeline-tokens");
    append(&d, &el_text("span", "muted", "Tokens "));
    let total = t["total_tokens"].as_u64().map_or("—".to_string(), |n| format::cell("", &n.into()));
    append(&d, &el_text("strong", "", &total));
    if !parts.is_empty() {
        append(&d, &el_text("span", "muted", &format!(" in all — {}", parts.join(" · "))));
    }
    Some(d)
}

/// "14:23:45.123": the timeline is where milliseconds show.
fn clock(e: &Value) -> String {
    e["timestamp"].as_str().and_then(|s| s.get(11..23)).map_or("—".to_string(), str::to_string)
}

/// What an event says beyond the fields every line shares: its `data` (or a metrics row's
/// `metrics`), compact.
fn data_of(raw: Option<&Value>) -> Option<String> {
    let v: Value = serde_json::from_str(raw?.as_str()?).ok()?;
    let data = v.get("data").or_else(|| v.get("metrics"))?;
    let s = serde_json::to_string(data).ok()?;
    Some(if s.chars().count() > 200 { format!("{}…", s.chars().take(200).collect::<String>()) } else { s })
}

/// Every event: time, Δ, type, tool, error or status, and what its data says.
fn events_table(events: &[Value], raws: &[Value]) -> HtmlElement {
    let table = el("table", "data timeline-table");
    let thead = el("thead", "");
    let tr = el("tr", "");
    for h in ["#", "Time (UTC)", "Δ", "Type", "Tool", "Error or status", "Data"] {
        append(&tr, &el_text("th", "", h));
    }
    append(&thead, &tr);
    append(&table, &thead);
    let tbody = el("tbody", "");
    for (i, e) in events.iter().enumerate() {
        let tr = el("tr", &format!("ev clickable ev-{}", e["event_type"].as_str().unwrap_or("")));
        attr(&tr, "data-action", "event");
        attr(&tr, "data-event", &i.to_string());
        append(&tr, &el_text("td", "num", &(i + 1).to_string()));
        append(&tr, &el_text("td", "mono", &clock(e)));
        let delta = e["delta_ms"].as_f64().map_or("—".to_string(), |d| format!("+{}", format::duration_ms(d)));
        append(&tr, &el_text("td", "num", &delta));
        append(&tr, &el_text("td", "", e["event_type"].as_str().unwrap_or("—")));
        let tool = match e["failed"].as_bool() {
            Some(true) => format!("{} ✗", format::cell("", &e["tool"])),
            _ => format::cell("", &e["tool"]),
        };
        append(&tr, &el_text("td", "", &tool));
        append(&tr, &el_text("td", "", &error_text(e)));
        let data = match (data_of(raws.get(i)), raws.get(i).and_then(Value::as_str)) {
            (Some(d), _) => d,
            (None, Some(_)) => "—".to_string(),
            (None, None) => {
                format!("{}:{} — the line could not be read back", e["source_name"].as_str().unwrap_or(""), e["line"])
            }
        };
        append(&tr, &el_text("td", "raw mono", &data));
        append(&tbody, &tr);
    }
    append(&table, &tbody);
    let scroll = el("div", "table-scroll");
    append(&scroll, &table);
    scroll
}

/// An error's category as written, and the one the figures count it under when they differ; or
/// a session end's status.
fn error_text(e: &Value) -> String {
    let category = match (e["error_category"].as_str(), e["category"].as_str()) {
        (Some(w), Some(c)) if w != c => {
            format!("{w} → {c}{}", if e["category_inferred"].as_bool() == Some(true) { " (inferred)" } else { "" })
        }
        (Some(w), _) => w.to_string(),
        _ => String::new(),
    };
    match (e["error_category"].as_str(), e["error_message"].as_str()) {
        (Some(_), Some(m)) => format!("{category}: {m}"),
        (Some(_), None) => category,
        _ => e["status"].as_str().map(|s| format!("status {s}")).unwrap_or_else(|| "—".into()),
    }
}

/// Event `i` becomes the selected one: outlined on the lanes, highlighted in the table, and shown
/// full width with its raw line.
pub(super) fn select(i: Option<usize>) {
    let Some((event, raw, n)) = SHOWN.with(|s| {
        let mut s = s.borrow_mut();
        let s = s.as_mut()?;
        let i = i.filter(|&i| i < s.events.len())?;
        s.selected = Some(i);
        Some((s.events[i].clone(), s.raws.get(i).cloned(), s.events.len()))
    }) else {
        return;
    };
    let i = i.unwrap_or(0);
    draw_lanes();
    if let Ok(rows) = document().query_selector_all("#timeline-body tbody tr.selected") {
        for k in 0..rows.length() {
            if let Some(r) = rows.item(k).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = r.class_list().remove_1("selected");
            }
        }
    }
    if let Ok(Some(row)) = document().query_selector(&format!("#timeline-body tbody tr[data-event=\"{i}\"]")) {
        let _ = row.class_list().add_1("selected");
    }
    let Some(panel) = by_id("timeline-event") else { return };
    clear(&panel);
    attr(&panel, "data-event", &i.to_string());
    let ty = event["event_type"].as_str().unwrap_or("event");
    let mut title = format!("Event {} of {n} · {ty} · {}", i + 1, clock(&event));
    if let Some(d) = event["delta_ms"].as_f64() {
        title.push_str(&format!(" (+{} after the previous)", format::duration_ms(d)));
    }
    append(&panel, &el_text("h3", "", &title));
    let fields = el("dl", "event-fields");
    let field = |k: &str, v: String| {
        append(&fields, &el_text("dt", "muted", k));
        append(&fields, &el_text("dd", "", &v));
    };
    if let Some(t) = event["tool"].as_str() {
        field("Tool", t.to_string());
    }
    if let Some(f) = event["failed"].as_bool() {
        field("Result", if f { "failed".into() } else { "ok".into() });
    }
    if event["error_category"].is_string() {
        field("Error", error_text(&event));
    }
    if let Some(s) = event["status"].as_str() {
        field("Status", s.to_string());
    }
    if let Some(p) = event["prompt_type"].as_str() {
        field("Prompt", p.to_string());
    }
    field("Line", format!("{}:{}", event["source_name"].as_str().unwrap_or(""), event["line"]));
    append(&panel, &fields);
    match raw.as_ref().and_then(Value::as_str) {
        Some(raw) => {
            // pretty-printed when it is JSON; text nodes only, whatever it holds
            let pretty = serde_json::from_str::<Value>(raw).ok().and_then(|v| serde_json::to_string_pretty(&v).ok());
            append(&panel, &el_text("pre", "mono raw-line", pretty.as_deref().unwrap_or(raw)));
        }
        None => append(&panel, &el_text("p", "muted", "The raw line could not be read back.")),
    }
}

/// Draws the lanes at the canvas's present width, the selected event outlined.
pub(super) fn draw_lanes() {
    let Some(canvas) = by_id("timeline-lanes").and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) else { return };
    let hits = SHOWN.with(|s| {
        let s = s.borrow();
        let s = s.as_ref()?;
        Some(draw_timeline_lanes(canvas, s.lanes.as_ref()?, dark_theme(), s.selected, dpr()))
    });
    if let Some(hits) = hits {
        SHOWN.with(|s| {
            if let Some(s) = s.borrow_mut().as_mut() {
                s.hits = hits;
            }
        });
    }
}

/// The span or marker under the pointer.
fn lane_hit(e: &MouseEvent) -> Option<HitRegion> {
    let t = e.target()?.dyn_into::<HtmlElement>().ok()?;
    if t.id() != "timeline-lanes" {
        return None;
    }
    let (x, y) = pointer_on(&t, e);
    SHOWN.with(|s| s.borrow().as_ref()?.hits.iter().find(|r| r.contains(x, y)).cloned())
}

/// The lanes' listeners, on the drawer's fixed body (delegation: its content is rendered anew).
pub(super) fn wire() {
    let Some(body) = by_id("timeline-body") else { return };
    listen(&body, "mousemove", |e: MouseEvent| {
        let Some(tip) = by_id("tooltip") else { return };
        match lane_hit(&e) {
            Some(hit) => {
                tip.set_text_content(Some(&format!("{} · click for its line", hit.label)));
                super::chart_pointer::place(&tip, &e);
            }
            None => show(&tip, false),
        }
    });
    listen(&body, "mouseleave", |_: MouseEvent| {
        if let Some(tip) = by_id("tooltip") {
            show(&tip, false);
        }
    });
    listen(&body, "click", |e: MouseEvent| {
        if let Some(HitRegion { kind: HitKind::Event(i), .. }) = lane_hit(&e) {
            select(Some(i));
        }
    });
    listen(&body, "keydown", |e: KeyboardEvent| {
        let on_lanes =
            e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| t.id() == "timeline-lanes");
        if !on_lanes {
            return;
        }
        let Some((at, n)) = SHOWN.with(|s| s.borrow().as_ref().map(|s| (s.selected.unwrap_or(0), s.events.len())))
        else {
            return;
        };
        let to = match e.key().as_str() {
            "ArrowRight" => (at + 1).min(n.saturating_sub(1)),
            "ArrowLeft" => at.saturating_sub(1),
            "Home" => 0,
            "End" => n.saturating_sub(1),
            _ => return,
        };
        e.prevent_default();
        select(Some(to));
    });
    // the lanes follow the drawer's width
    let resized = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {
        let changed = by_id("timeline-lanes")
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
            .is_some_and(|c| crate::web::charts::size_changed(&c));
        if changed {
            draw_lanes();
        }
    });
    if let Ok(ro) = web_sys::ResizeObserver::new(resized.as_ref().unchecked_ref()) {
        ro.observe(&body);
    }
    resized.forget();
}
