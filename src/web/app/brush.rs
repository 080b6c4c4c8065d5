//! The time brush: sessions started per day over all the data, drawn on a canvas from
//! `page::brush` in the colours `www/style.css` gives it (`--brush-*`, one set per theme);
//! dragging on it sets the time filter, a double-click clears it.

use super::params::recompute;
use super::tables::table_block;
use super::{dpr, with};
use crate::page::brush::{self, BrushScale};
use crate::page::filters::input_of_time;
use crate::web::charts::HitRegion;
use crate::web::dom::*;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlInputElement, MouseEvent};

pub(super) fn render_brush_section(content: &Element) {
    let (daily, matching) = with(|a| (a.shown.facets.daily.clone(), a.shown.facets.daily_matching.clone()));
    if daily.is_empty() {
        return;
    }
    let sec = el("section", "section brush-section");
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", "Sessions per day"));
    append(&head, &el_text("span", "muted small", "drag to filter the time range · double-click to clear"));
    append(&sec, &head);
    let frame = el("figure", "chart brush");
    let canvas = el("canvas", "");
    attr(&canvas, "id", "chart-brush");
    attr(&canvas, "role", "img");
    attr(&canvas, "aria-label", &brush::aria_label(&daily));
    append(&frame, &canvas);
    let png = button("PNG", "ghost small", "png");
    attr(&png, "data-chart", "brush");
    append(&frame, &png);
    append(&sec, &frame);
    // the chart's table twin
    let twin = el("details", "twin");
    append(&twin, &el_text("summary", "muted small", "Show as a table"));
    let rows: Vec<Value> = daily
        .iter()
        .enumerate()
        .map(|(i, &(d, n))| match matching.get(i) {
            Some(m) => serde_json::json!({"day": brush::day_label(d), "sessions": n, "matching_filters": m}),
            None => serde_json::json!({"day": brush::day_label(d), "sessions": n}),
        })
        .collect();
    append(&twin, &table_block("brush.daily", "", rows, "brush"));
    append(&sec, &twin);
    append(content, &sec);
}

/// The brush's colours, as the page's stylesheet sets them for the theme in force.
struct Colours {
    bar: String,
    /// a bar outside the selection
    bar_out: String,
    /// a day's total behind the part the other filters leave
    total: String,
    text: String,
    selection: String,
}

fn colours() -> Colours {
    let style =
        document().document_element().and_then(|root| web_sys::window()?.get_computed_style(&root).ok().flatten());
    let var = |name: &str| {
        style.as_ref().and_then(|s| s.get_property_value(name).ok()).map(|v| v.trim().to_string()).unwrap_or_default()
    };
    Colours {
        bar: var("--brush-bar"),
        bar_out: var("--brush-bar-out"),
        total: var("--brush-total"),
        text: var("--brush-text"),
        selection: var("--brush-selection"),
    }
}

pub(super) fn draw_brush() {
    let Some(c) = by_id("chart-brush") else { return };
    let canvas: HtmlCanvasElement = c.unchecked_into();
    let (daily, matching) = with(|a| (a.shown.facets.daily.clone(), a.shown.facets.daily_matching.clone()));
    let rect = canvas.get_bounding_client_rect();
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    let dpr = dpr();
    canvas.set_width((w * dpr).round() as u32);
    canvas.set_height((h * dpr).round() as u32);
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let ctx: CanvasRenderingContext2d = ctx.unchecked_into();
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, w, h);
    let colours = colours();
    let scale = BrushScale::new(&daily, w);
    // selection: a drag in progress, else the time filter
    let (drag, since, until) =
        with(|a| (a.controls.brush_drag, a.controls.filters.since_ms, a.controls.filters.until_ms));
    let selection = scale.selection(drag, since, until);
    let plot_h = brush::plot_height(h);
    let mut hits = vec![];
    for bar in scale.bars(&daily, &matching, h, selection) {
        let colour = if bar.inside { &colours.bar } else { &colours.bar_out };
        // under filters other than time: the day's total in grey, the sessions they leave over it
        ctx.set_fill_style_str(if bar.matching.is_some() { &colours.total } else { colour });
        let (x, y, bw, bh) = bar.rect;
        ctx.fill_rect(x, y, bw, bh);
        if let Some((x, y, bw, bh)) = bar.matching {
            ctx.set_fill_style_str(colour);
            ctx.fill_rect(x, y, bw, bh);
        }
        hits.push(HitRegion {
            x: bar.x,
            y: 0.0,
            w: bar.w,
            h: plot_h + brush::TOP,
            label: bar.label,
            name: None,
            kind: Default::default(),
        });
    }
    if let Some((a, b)) = selection {
        ctx.set_fill_style_str(&colours.selection);
        ctx.fill_rect(a, 0.0, (b - a).max(1.0), plot_h + brush::TOP);
    }
    ctx.set_fill_style_str(&colours.text);
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_baseline("bottom");
    ctx.set_text_align("center");
    let _ = ctx.fill_text(&brush::peak_label(&daily), w / 2.0, h);
    ctx.set_text_align("left");
    let _ = ctx.fill_text(&brush::day_label(scale.first_ms), brush::LEFT, h);
    if scale.n_days > 1 {
        ctx.set_text_align("right");
        let _ = ctx.fill_text(&brush::day_label(scale.last_day_ms()), w - brush::RIGHT, h);
    }
    with(|a| a.shown.hits.insert("brush".into(), hits));
}

/// A drag from x `a` to `b` ended: its days become the time filter.
fn brush_commit(a: f64, b: f64) {
    let Some(c) = by_id("chart-brush") else { return };
    let w = c.get_bounding_client_rect().width();
    let daily = with(|a| a.shown.facets.daily.clone());
    let (since, until) = BrushScale::new(&daily, w).drag_range(a, b);
    for (id, ms) in [("filter-since", since), ("filter-until", until)] {
        if let Some(i) = by_id(id) {
            i.unchecked_into::<HtmlInputElement>().set_value(&input_of_time(ms));
        }
    }
    recompute();
}

fn is_brush(e: &MouseEvent) -> bool {
    e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| t.id() == "chart-brush")
}

/// The brush's mouse listeners, on the content area (the brush is re-rendered with each report)
/// and the window (a drag may end anywhere).
pub(super) fn wire(content: &Element) {
    let x_in = |e: &MouseEvent| -> Option<f64> {
        let t = by_id("chart-brush")?;
        Some(e.client_x() as f64 - t.get_bounding_client_rect().left())
    };
    listen(content, "mousedown", move |e: MouseEvent| {
        if is_brush(&e) {
            e.prevent_default();
            if let Some(x) = x_in(&e) {
                with(|a| a.controls.brush_drag = Some((x, x)));
            }
        }
    });
    let window = web_sys::window().expect("window");
    listen(&window, "mousemove", move |e: MouseEvent| {
        if with(|a| a.controls.brush_drag.is_some()) {
            if let Some(x) = x_in(&e) {
                with(|a| a.controls.brush_drag = a.controls.brush_drag.map(|(s, _)| (s, x)));
                draw_brush();
            }
        }
    });
    listen(&window, "mouseup", move |_: MouseEvent| {
        if let Some((a, b)) = with(|a| a.controls.brush_drag.take()) {
            brush_commit(a, b);
        }
    });
    listen(content, "dblclick", move |e: MouseEvent| {
        if is_brush(&e) {
            for id in ["filter-since", "filter-until"] {
                if let Some(i) = by_id(id) {
                    i.unchecked_into::<HtmlInputElement>().set_value("");
                }
            }
            recompute();
        }
    });
}
