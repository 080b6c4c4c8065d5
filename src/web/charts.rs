//! The charts beside each section's tables, drawn by `spyglass::report::charts` (the same charts as
//! the HTML report) on a `<canvas>` through plotters-canvas.
//!
//! [`section_charts`] lists a section's charts (the page creates one canvas per chart, none when
//! there is no chart); [`draw_section_chart`] draws one of them in CSS pixels (the caller has set
//! the canvas's backing store to CSS size × devicePixelRatio and the matching transform) and
//! returns the hit regions for tooltips.

use crate::charts::{HitKind, Theme, SMALL_MULTIPLES_FROM};
use crate::report::charts::{charts_from, ReportSource, SectionChart};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A rectangle of the chart (CSS pixels) and the exact value its tooltip shows.
#[derive(Debug, Clone, PartialEq)]
pub struct HitRegion {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: String,
    /// the model or executor hit, where a click filters by it (a data mark's), or the series
    /// of a legend entry, which a click isolates
    pub name: Option<String>,
    /// a data mark, a legend entry, or a line chart's column of values (x in CSS pixels)
    pub kind: HitKind,
}

impl HitRegion {
    /// Whether the point (x, y) of the canvas (CSS pixels) lies in the region, edges included.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }
}

/// Where the pointer of `e` is on `canvas`, in its CSS pixels (as hit regions are given).
pub fn pointer_on(canvas: &web_sys::HtmlElement, e: &web_sys::MouseEvent) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    (e.client_x() as f64 - rect.left(), e.client_y() as f64 - rect.top())
}

/// One chart of a section as the page lays it out.
pub struct ChartInfo {
    /// `section.name`, stable: canvas ids, PNG names
    pub id: String,
    pub title: String,
    /// one sentence for `aria-label`
    pub summary: String,
    /// CSS height that suits the chart's content
    pub height_px: u32,
}

pub fn section_charts(section: &str, src: ReportSource<'_>) -> Vec<ChartInfo> {
    chart_infos(&charts_from(src, section))
}

/// The layout of charts already made (the page makes a section's charts once per report and
/// keeps them for every draw).
pub fn chart_infos(charts: &[SectionChart]) -> Vec<ChartInfo> {
    use crate::report::charts::Chart;
    charts
        .iter()
        .map(|c| {
            let height_px = match &c.chart {
                // room for names over two lines when some are longer than the name column holds
                // (a third of the chart's width: about 24 characters on a page half)
                Chart::Bar(b) if b.horizontal => {
                    let per_bar = if b.bars.iter().any(|(name, _)| name.chars().count() > 24) { 38 } else { 22 };
                    (70 + per_bar * b.bars.len() as u32).clamp(220, 560)
                }
                Chart::Heatmap(h) => (110 + 26 * h.rows.len() as u32).clamp(220, 520),
                // small multiples: a row of panels per two series (two side by side on a narrow
                // page, three on a wide one)
                Chart::Line(l) if l.series.len() >= SMALL_MULTIPLES_FROM => {
                    (90 + 100 * l.series.len().div_ceil(2) as u32).clamp(280, 620)
                }
                _ => 280,
            };
            ChartInfo { id: c.id.clone(), title: c.chart.title().to_string(), summary: c.chart.summary(), height_px }
        })
        .collect()
}

/// The attribute holding the CSS size a chart canvas was last drawn at ("WxH").
const DRAWN_AT: &str = "data-drawn-at";

/// Whether `canvas` has been drawn (at some size) since it was made.
pub fn was_drawn(canvas: &HtmlCanvasElement) -> bool {
    canvas.has_attribute(DRAWN_AT)
}

/// Whether `canvas`'s CSS size (rounded as `fit_backing_store` rounds it) differs from the size
/// it was last drawn at.
pub fn size_changed(canvas: &HtmlCanvasElement) -> bool {
    let rect = canvas.get_bounding_client_rect();
    let now = format!("{}x{}", rect.width().round().max(1.0), rect.height().round().max(1.0));
    canvas.get_attribute(DRAWN_AT).as_deref() != Some(now.as_str())
}

/// Sizes `canvas`'s backing store to its CSS size × `dpr` (the CSS size rounded to whole pixels,
/// at least 1) and sets the matching transform, so that drawing in CSS pixels is sharp on high-DPI
/// screens. Returns the CSS size `(w, h)` to draw in.
pub fn fit_backing_store(canvas: &HtmlCanvasElement, dpr: f64) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let (w, h) = (rect.width().round().max(1.0), rect.height().round().max(1.0));
    let _ = canvas.set_attribute(DRAWN_AT, &format!("{w}x{h}"));
    canvas.set_width((w * dpr).round() as u32);
    canvas.set_height((h * dpr).round() as u32);
    if let Ok(Some(ctx)) = canvas.get_context("2d") {
        let ctx: CanvasRenderingContext2d = ctx.unchecked_into();
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    }
    (w, h)
}

/// Text of about 12 CSS px whatever the canvas size (the chart code scales `font_px` with the area).
fn font_px_for(css_w: u32, css_h: u32) -> u32 {
    let s = crate::charts::area_scale(css_w as f64, css_h as f64);
    (12.0 / s).round().clamp(6.0, 64.0) as u32
}

fn theme(dark: bool, css_w: u32, css_h: u32) -> Theme {
    Theme { font_px: font_px_for(css_w, css_h), ..base_theme(dark) }
}

/// The charts' colours in the page's light or dark theme.
pub fn base_theme(dark: bool) -> Theme {
    // the page's panel colours, so a chart sits on its card without a seam
    if dark {
        Theme {
            background: RGBColor(0x17, 0x1B, 0x21),
            text: RGBColor(0xE3, 0xE8, 0xEF),
            grid: RGBColor(0x2A, 0x31, 0x3B),
            axis: RGBColor(0x8C, 0x98, 0xA8),
            font_family: "system-ui, sans-serif",
            font_px: 15,
        }
    } else {
        Theme {
            background: RGBColor(0xFF, 0xFF, 0xFF),
            text: RGBColor(0x1B, 0x1F, 0x24),
            grid: RGBColor(0xE6, 0xE9, 0xEE),
            axis: RGBColor(0x5F, 0x6B, 0x7A),
            font_family: "system-ui, sans-serif",
            font_px: 15,
        }
    }
}

/// Draws chart `chart_id` of `section` in a `css_w` × `css_h` area of `backend`, a line chart
/// showing only its series named `only` if any. Returns the hit regions, or `None` when the
/// section has no such chart (or the backend failed).
#[allow(clippy::too_many_arguments)]
pub fn draw_section_chart(
    section: &str,
    src: ReportSource<'_>,
    chart_id: &str,
    only: Option<&str>,
    backend: CanvasBackend,
    css_w: u32,
    css_h: u32,
    dark: bool,
) -> Option<Vec<HitRegion>> {
    let chart = charts_from(src, section).into_iter().find(|c| c.id == chart_id)?;
    draw_chart_on(&chart, only, backend, css_w, css_h, dark)
}

/// [`draw_section_chart`] of a chart already made.
pub fn draw_chart_on(
    chart: &SectionChart,
    only: Option<&str>,
    backend: CanvasBackend,
    css_w: u32,
    css_h: u32,
    dark: bool,
) -> Option<Vec<HitRegion>> {
    let root = backend.into_drawing_area();
    let area = root.shrink((0, 0), (css_w, css_h));
    let hits = chart.chart.draw_only(&area, &theme(dark, css_w, css_h), only).ok()?;
    area.present().ok()?;
    Some(css_regions(hits))
}

fn css_regions(hits: Vec<crate::charts::HitRegion>) -> Vec<HitRegion> {
    hits.into_iter()
        .map(|h| HitRegion {
            x: h.x0 as f64,
            y: h.y0 as f64,
            w: (h.x1 - h.x0) as f64,
            h: (h.y1 - h.y0) as f64,
            label: h.label,
            name: h.name,
            kind: h.kind,
        })
        .collect()
}

/// Draws on `canvas` at its CSS size (× `dpr` in its backing store) with `draw`, given the area
/// and its CSS width and height; the hit regions in CSS pixels (none when the backend fails).
fn draw_on_canvas(
    canvas: HtmlCanvasElement,
    dpr: f64,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, plotters::coord::Shift>, u32, u32) -> crate::charts::ChartResult,
) -> Vec<HitRegion> {
    let (w, h) = fit_backing_store(&canvas, dpr);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas) else { return Vec::new() };
    let root = backend.into_drawing_area();
    let area = root.shrink((0, 0), (w as u32, h as u32));
    let hits = draw(&area, w as u32, h as u32).unwrap_or_default();
    let _ = area.present();
    css_regions(hits)
}

/// Draws an attempt's lanes on `canvas` (sized by the caller: CSS width × `lanes.height()`), with
/// event `selected` outlined. A hit region's kind names the event it starts at (`HitKind::Event`).
pub fn draw_timeline_lanes(
    canvas: HtmlCanvasElement,
    lanes: &crate::charts::TimelineLanes,
    dark: bool,
    selected: Option<usize>,
    dpr: f64,
) -> Vec<HitRegion> {
    draw_on_canvas(canvas, dpr, |area, _, _| crate::charts::draw_timeline(area, lanes, &base_theme(dark), selected))
}

/// Draws a forest chart (the comparison's rates) on `canvas` at its CSS size.
pub fn draw_forest_on(
    canvas: HtmlCanvasElement,
    chart: &crate::charts::ForestChart,
    dark: bool,
    dpr: f64,
) -> Vec<HitRegion> {
    draw_on_canvas(canvas, dpr, |area, w, h| crate::charts::draw_forest(area, chart, &theme(dark, w, h)))
}
