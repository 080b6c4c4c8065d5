//! The drill-down: one attempt's events in time order, with its cost and where it came from, its
//! tokens, each error's category as written and as counted, and each event's raw line.

use super::link::send;
use crate::page::protocol::{TimelineRequest, ToWorker};
use crate::report::format;
use crate::web::dom::*;
use serde_json::Value;

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

pub(super) fn on_timeline(json: &str) {
    let Some(body) = by_id("timeline-body") else { return };
    clear(&body);
    let t: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    if t.is_null() {
        append(&body, &el_text("p", "muted", "No events for this attempt in the loaded files."));
        return;
    }
    let meta = el("div", "timeline-meta");
    for (k, label) in [
        ("task_title", "Task"),
        ("task_id", "Task id"),
        ("executor", "Executor"),
        ("model", "Model"),
        ("success", "Success"),
    ] {
        let v = &t[k];
        if v.is_null() || v.as_str() == Some("") {
            continue;
        }
        let d = el("div", "");
        append(&d, &el_text("span", "muted", &format!("{label} ")));
        append(&d, &el_text("strong", "", &format::cell(k, v)));
        append(&meta, &d);
    }
    // the session's cost and where it came from, and its tokens
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
                how.push_str(&format!(
                    " ({}{}{})",
                    src,
                    if src.is_empty() || as_of.is_empty() { "" } else { ", " },
                    as_of
                ));
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
    append(&meta, &cost);
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
    if !parts.is_empty() || t["total_tokens"].is_u64() {
        let d = el("div", "");
        attr(&d, "id", "timeline-tokens");
        append(&d, &el_text("span", "muted", "Tokens "));
        append(
            &d,
            &el_text(
                "strong",
                "",
                &t["total_tokens"].as_u64().map_or("—".to_string(), |n| format::cell("", &n.into())),
            ),
        );
        if !parts.is_empty() {
            append(&d, &el_text("span", "muted", &format!(" in all — {}", parts.join(" · "))));
        }
        append(&meta, &d);
    }
    append(&body, &meta);
    let events = t["events"].as_array().cloned().unwrap_or_default();
    let raws = t["raw"].as_array().cloned().unwrap_or_default();
    append(&body, &el_text("p", "muted small", &format!("{} events, in time order", events.len())));
    let table = el("table", "data timeline-table");
    let thead = el("thead", "");
    let tr = el("tr", "");
    for h in ["#", "Time (UTC)", "Δ", "Type", "Tool", "Error", "Raw line"] {
        append(&tr, &el_text("th", "", h));
    }
    append(&thead, &tr);
    append(&table, &thead);
    let tbody = el("tbody", "");
    for (i, e) in events.iter().enumerate() {
        let tr = el("tr", &format!("ev ev-{}", e["event_type"].as_str().unwrap_or("")));
        append(&tr, &el_text("td", "num", &(i + 1).to_string()));
        append(
            &tr,
            &el_text(
                "td",
                "mono",
                &e["timestamp"]
                    .as_str()
                    .map(|s| s.replace('T', " ").trim_end_matches('Z').to_string())
                    .unwrap_or_else(|| "—".into()),
            ),
        );
        append(
            &tr,
            &el_text(
                "td",
                "num",
                &e["delta_ms"].as_f64().map(|d| format!("+{}", format::duration_ms(d))).unwrap_or_else(|| "—".into()),
            ),
        );
        append(&tr, &el_text("td", "", e["event_type"].as_str().unwrap_or("—")));
        append(&tr, &el_text("td", "", &format::cell("", &e["tool"])));
        // the category as written, and the one the figures count it under when they differ
        let category = match (e["error_category"].as_str(), e["category"].as_str()) {
            (Some(w), Some(c)) if w != c => {
                format!("{w} → {c}{}", if e["category_inferred"].as_bool() == Some(true) { " (inferred)" } else { "" })
            }
            (Some(w), _) => w.to_string(),
            _ => String::new(),
        };
        let err = match (e["error_category"].as_str(), e["error_message"].as_str()) {
            (Some(_), Some(m)) => format!("{category}: {m}"),
            (Some(_), None) => category,
            _ => e["status"].as_str().map(|s| format!("status {s}")).unwrap_or_else(|| "—".into()),
        };
        append(&tr, &el_text("td", "", &err));
        let raw_td = el("td", "raw");
        match raws.get(i).and_then(Value::as_str) {
            Some(raw) => {
                let short: String = raw.chars().take(140).collect();
                if short.len() < raw.len() {
                    let det = el("details", "");
                    append(&det, &el_text("summary", "mono", &format!("{short}…")));
                    // expanded: pretty-printed when it is JSON
                    let pretty =
                        serde_json::from_str::<Value>(raw).ok().and_then(|v| serde_json::to_string_pretty(&v).ok());
                    append(&det, &el_text("pre", "mono", pretty.as_deref().unwrap_or(raw)));
                    append(&raw_td, &det);
                } else {
                    append(&raw_td, &el_text("code", "mono", raw));
                }
            }
            None => append(
                &raw_td,
                &el_text(
                    "span",
                    "muted",
                    &format!(
                        "{}:{} — the line could not be read back",
                        e["source_name"].as_str().unwrap_or(""),
                        e["line"]
                    ),
                ),
            ),
        }
        append(&tr, &raw_td);
        append(&tbody, &tr);
    }
    append(&table, &tbody);
    let scroll = el("div", "table-scroll");
    append(&scroll, &table);
    append(&body, &scroll);
}
