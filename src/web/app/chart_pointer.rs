//! The pointer over a chart, from the hit regions its drawing returned: a tooltip; on a line
//! chart a crosshair at the nearest time with every series' value there, and a legend whose
//! entry isolates its series on a click; a click on a model's or executor's bar, point or series
//! adds it to the filters (its chip undoes it). Nothing is redrawn on a move: the crosshair is
//! an element laid over the canvas.

use super::params::{recompute, set_filter_inputs};
use super::render::redraw_chart;
use super::with;
use crate::charts::{Column, HitKind};
use crate::report::charts::{filter_by, FilterBy};
use crate::web::charts::{pointer_on, HitRegion};
use crate::web::dom::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, MouseEvent};

pub(super) fn wire(content: &Element) {
    listen(content, "mousemove", |e: MouseEvent| on_move(&e));
    listen(content, "click", |e: MouseEvent| on_click(&e));
    // the pointer leaving the content by a quick move fires no move over it
    listen(content, "mouseleave", |_: MouseEvent| {
        hide_crosshairs();
        if let Some(tip) = by_id("tooltip") {
            show(&tip, false);
        }
    });
}

/// The chart canvas under the pointer, its chart id and the hit regions the pointer is in, in
/// the order the chart gave them.
fn chart_hits(e: &MouseEvent) -> Option<(HtmlElement, String, Vec<HitRegion>)> {
    // (the time brush's canvas, `chart-brush`, has hit regions too)
    let t = e.target()?.dyn_into::<HtmlElement>().ok()?;
    let chart = t.id().strip_prefix("chart-")?.to_string();
    let (x, y) = pointer_on(&t, e);
    let hits = with(|a| Some(a.shown.hits.get(&chart)?.iter().filter(|r| r.contains(x, y)).cloned().collect()))?;
    Some((t, chart, hits))
}

fn column_of(h: &HitRegion) -> Option<&Column> {
    match &h.kind {
        HitKind::Column(c) => Some(c),
        _ => None,
    }
}

fn on_move(e: &MouseEvent) {
    let Some(tip) = by_id("tooltip") else { return };
    hide_crosshairs();
    let Some((canvas, chart, hits)) = chart_hits(e) else {
        show(&tip, false);
        return;
    };
    let legend = hits.iter().find(|h| h.kind == HitKind::Legend);
    let data = hits.iter().find(|h| h.kind == HitKind::Data);
    let column = hits.iter().find_map(column_of);
    let by = data.and_then(|d| d.name.as_ref()).and_then(|_| with(|a| filter_by(&a.shown.report, &chart)));
    let clickable = legend.is_some() || by.is_some();
    let _ = canvas.style().set_property("cursor", if clickable { "pointer" } else { "default" });
    let hint = match by {
        Some(FilterBy::Model) => " · click to filter by this model",
        Some(FilterBy::Executor) => " · click to filter by this executor",
        None => "",
    };
    clear(&tip);
    match (legend, data, column) {
        (Some(l), _, _) => text(&tip, &l.label),
        // a spike marker (a data mark of no name) says more than the column
        (None, Some(d), Some(c)) if d.name.is_some() => column_tip(&tip, &canvas, c, hint),
        (None, None, Some(c)) => column_tip(&tip, &canvas, c, hint),
        (None, Some(d), _) => text(&tip, &format!("{}{hint}", d.label)),
        (None, None, None) => {
            show(&tip, false);
            return;
        }
    }
    place(&tip, e);
}

/// The tooltip of a line chart's column: the time, then each series' swatch, name and value;
/// and the crosshair at its x.
fn column_tip(tip: &HtmlElement, canvas: &HtmlElement, c: &Column, hint: &str) {
    attr(tip, "data-kind", "column");
    append(tip, &el_text("div", "tip-time", &c.time));
    let list = el("div", "tip-rows");
    for r in &c.rows {
        let row = el("div", "tip-row");
        let swatch = el("span", "tip-swatch");
        let _ = swatch.style().set_property("background", &r.colour);
        append(&row, &swatch);
        append(&row, &el_text("span", "tip-name", &r.name));
        append(&row, &el_text("span", "tip-value", &r.value));
        append(&list, &row);
    }
    append(tip, &list);
    if !hint.is_empty() {
        append(tip, &el_text("div", "tip-hint", hint.trim_start_matches(" · ")));
    }
    // the crosshair sits in the chart's figure, over the canvas
    let Some(frame) = canvas.parent_element() else { return };
    let Ok(Some(cross)) = frame.query_selector(".crosshair") else { return };
    let Ok(cross) = cross.dyn_into::<HtmlElement>() else { return };
    let (cr, fr) = (canvas.get_bounding_client_rect(), frame.get_bounding_client_rect());
    let style = cross.style();
    let _ = style.set_property("left", &format!("{}px", cr.left() - fr.left() + c.x as f64));
    let _ = style.set_property("top", &format!("{}px", cr.top() - fr.top() + c.y0 as f64));
    let _ = style.set_property("height", &format!("{}px", (c.y1 - c.y0).max(0)));
    show(&cross, true);
}

/// The tooltip beside the pointer, kept inside the window.
pub(super) fn place(tip: &HtmlElement, e: &MouseEvent) {
    show(tip, true);
    let r = tip.get_bounding_client_rect();
    let win = web_sys::window();
    let vw = win.as_ref().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).unwrap_or(1e6);
    let vh = win.as_ref().and_then(|w| w.inner_height().ok()).and_then(|v| v.as_f64()).unwrap_or(1e6);
    let (px, py) = (e.client_x() as f64, e.client_y() as f64);
    let x = if px + 12.0 + r.width() > vw { (px - 12.0 - r.width()).max(0.0) } else { px + 12.0 };
    let y = if py + 12.0 + r.height() > vh { (py - 12.0 - r.height()).max(0.0) } else { py + 12.0 };
    let _ = tip.style().set_property("left", &format!("{x}px"));
    let _ = tip.style().set_property("top", &format!("{y}px"));
}

fn hide_crosshairs() {
    if let Some(tip) = by_id("tooltip") {
        let _ = tip.remove_attribute("data-kind");
    }
    let Ok(list) = document().query_selector_all(".crosshair:not([hidden])") else { return };
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            show(&el, false);
        }
    }
}

fn on_click(e: &MouseEvent) {
    let Some((_, chart, hits)) = chart_hits(e) else { return };
    // a legend entry isolates its series (again: every series), and filters nothing
    if let Some(name) = hits.iter().find(|h| h.kind == HitKind::Legend).and_then(|h| h.name.clone()) {
        with(|a| {
            if a.shown.isolated.get(&chart) == Some(&name) {
                a.shown.isolated.remove(&chart);
            } else {
                a.shown.isolated.insert(chart.clone(), name);
            }
        });
        redraw_chart(&chart);
        on_move(e);
        return;
    }
    let Some(name) = hits.iter().find(|h| h.kind == HitKind::Data).and_then(|h| h.name.clone()) else { return };
    let Some(by) = with(|a| filter_by(&a.shown.report, &chart)) else { return };
    let mut filters = with(|a| a.controls.filters.clone());
    let names = match by {
        FilterBy::Model => &mut filters.models,
        FilterBy::Executor => &mut filters.executors,
    };
    if names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
        return;
    }
    names.push(name);
    set_filter_inputs(&filters);
    recompute();
}
