//! The frame every chart is drawn in: sizes that scale with the area, the plot rectangle, the
//! background and title, and the message of a chart with nothing to show.
//!
//! Everything here works in pixels relative to the area's top-left corner.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{text, Txt};
use super::text::truncate;
use super::{ChartError, HitRegion, Theme, EMPTY_MESSAGE};

pub(crate) type Area<DB> = DrawingArea<DB, Shift>;

/// Largest magnitude used for layout; values beyond are clamped (labels keep the exact value).
const MAX_MAGNITUDE: f64 = 1e300;

/// Clamp to a finite range usable for arithmetic (NaN becomes 0; callers skip NaN earlier).
pub(crate) fn tame(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE)
    }
}

/// How much a chart's sizes scale for an area of `w`×`h` pixels: 1 at the reference size 800×400,
/// kept within 0.5–4.
pub fn area_scale(w: f64, h: f64) -> f64 {
    (w / 800.0).min(h / 400.0).clamp(0.5, 4.0)
}

/// Sizes that scale with the area (reference size 800×400).
pub(crate) struct Frame {
    pub w: i32,
    pub h: i32,
    pub s: f64,
    /// Body text (axis titles, legend).
    pub font: f64,
    /// Tick labels, value labels.
    pub small: f64,
    pub title: f64,
    pub pad: i32,
}

impl Frame {
    pub fn new<DB: DrawingBackend>(area: &Area<DB>, theme: &Theme) -> Frame {
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w.min(100_000) as i32, h.min(100_000) as i32);
        let s = area_scale(w as f64, h as f64);
        let base = theme.font_px.clamp(6, 64) as f64;
        let font = (base * s).round().max(8.0);
        let small = (font * 0.86).round().max(7.0);
        let title = (font * 1.3).round();
        let pad = (10.0 * s).round().max(4.0) as i32;
        Frame { w, h, s, font, small, title, pad }
    }

    /// Height of a line of text of size `px`.
    pub fn line_h(&self, px: f64) -> i32 {
        (px * 1.3).ceil() as i32
    }

    /// Scaled length.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.s).round().max(1.0) as i32
    }

    /// Too small to draw anything meaningful.
    pub fn too_small(&self) -> bool {
        self.w < 120 || self.h < 80
    }

    /// A hit region clamped to the area, with corners in order.
    pub fn hit(&self, x0: i32, y0: i32, x1: i32, y1: i32, label: String) -> HitRegion {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let cx = |v: i32| v.clamp(0, (self.w - 1).max(0));
        let cy = |v: i32| v.clamp(0, (self.h - 1).max(0));
        HitRegion { x0: cx(x0), y0: cy(y0), x1: cx(x1), y1: cy(y1), label, name: None, kind: Default::default() }
    }
}

/// The plotting rectangle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlotRect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl PlotRect {
    pub fn w(&self) -> i32 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> i32 {
        self.y1 - self.y0
    }
}

/// Fill the background and draw the title. Returns the y below the title.
pub(crate) fn begin<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    title: &str,
) -> Result<i32, ChartError> {
    area.fill(&theme.background)?;
    // the estimate of `text_w` is for regular weight: bold runs about 15 % wider
    let t = truncate(title, (f.w - 2 * f.pad) as f64 / 1.15, f.title);
    text(area, theme, &t, f.w / 2, f.pad, &Txt::new(f.title, theme.text).at(HPos::Center, VPos::Top).bold())?;
    Ok(f.pad + f.line_h(f.title) + f.pad / 2)
}

/// Draw the "no data" message centred below `top`; returns no hit regions.
pub(crate) fn empty_state<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    top: i32,
) -> super::ChartResult {
    let msg = truncate(EMPTY_MESSAGE, (f.w - 2 * f.pad) as f64, f.font);
    let y = top + (f.h - top) / 2;
    text(area, theme, &msg, f.w / 2, y, &Txt::new(f.font, theme.axis).at(HPos::Center, VPos::Center))?;
    Ok(Vec::new())
}
