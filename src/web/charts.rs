//! The chart beside each section's table, drawn with plotters on a `<canvas>`.
//!
//! [`draw_section_chart`] is the one hook between the page and the chart code: it gets the whole
//! report and a section name, draws on a [`CanvasBackend`] in CSS pixels, and returns the hit
//! regions for tooltips — or `None` when the section has no chart, in which case the page shows
//! no chart area at all. It will be wired to `spyglass::charts` when that module lands.

use plotters_canvas::CanvasBackend;
use serde_json::Value;

/// A rectangle of the chart (CSS pixels) and the exact value its tooltip shows.
#[derive(Debug, Clone, PartialEq)]
pub struct HitRegion {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: String,
}

/// Whether `section` has a chart for this report (decides if a canvas is created).
pub fn has_chart(section: &str, report: &Value) -> bool {
    let _ = (section, report);
    false
}

/// Draws `section`'s chart in a `css_w` × `css_h` area of `backend` (the caller has set the
/// device-pixel-ratio transform). Returns the hit regions, or `None` when there is no chart.
pub fn draw_section_chart(section: &str, report: &Value, backend: CanvasBackend, css_w: u32, css_h: u32) -> Option<Vec<HitRegion>> {
    let _ = (section, report, backend, css_w, css_h);
    None
}

/// A one-sentence summary of the chart for its `aria-label`.
pub fn aria_summary(section: &str, report: &Value) -> String {
    let rows = report.get(section).and_then(|s| s.get("rows")).and_then(Value::as_array).map_or(0, Vec::len);
    format!("{} chart of {rows} rows; the table beside it holds the same figures", section.replace('_', " "))
}
