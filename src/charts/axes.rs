//! Value axes: the map from values to pixels, gridlines with tick labels, axis lines and titles,
//! and the loops that fit tick labels into the room they leave the plot.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::categories::{layout_categories, CatLabels};
use super::draw::{line, text, Txt};
use super::frame::{tame, Area, Frame, PlotRect};
use super::text::{text_w, truncate, widest};
use super::ticks::{nice_ticks, tick_count, tick_labels, Ticks};
use super::{ChartError, Theme};

/// Linear map from a domain to pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    pub fn new(d0: f64, d1: f64, p0: i32, p1: i32) -> Scale {
        let (d0, mut d1) = (tame(d0), tame(d1));
        if !(d1 - d0).is_finite() || d1 == d0 {
            d1 = d0 + 1.0;
        }
        Scale { d0, d1, p0: p0 as f64, p1: p1 as f64 }
    }
    pub fn map(&self, v: f64) -> i32 {
        let t = (tame(v) - self.d0) / (self.d1 - self.d0);
        let p = self.p0 + t * (self.p1 - self.p0);
        if p.is_nan() {
            self.p0.round() as i32
        } else {
            p.clamp(-1e6, 1e6).round() as i32
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing.

/// Horizontal gridlines and value labels on the left of `plot`.
pub(crate) fn draw_value_axis_left<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    plot: PlotRect,
    ys: &Scale,
    ticks: &Ticks,
    labels: &[String],
) -> Result<(), ChartError> {
    let gap = f.px(6.0);
    for (v, l) in ticks.values.iter().zip(labels) {
        let y = ys.map(*v);
        line(area, vec![(plot.x0, y), (plot.x1, y)], theme.grid, 1)?;
        line(area, vec![(plot.x0 - f.px(4.0), y), (plot.x0, y)], theme.axis, 1)?;
        text(area, theme, l, plot.x0 - gap, y, &Txt::new(f.small, theme.text).at(HPos::Right, VPos::Center))?;
    }
    Ok(())
}

/// Vertical gridlines and value labels below `plot`.
pub(crate) fn draw_value_axis_bottom<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    plot: PlotRect,
    xs: &Scale,
    ticks: &Ticks,
    labels: &[String],
) -> Result<(), ChartError> {
    let gap = f.px(6.0);
    for (v, l) in ticks.values.iter().zip(labels) {
        let x = xs.map(*v);
        line(area, vec![(x, plot.y0), (x, plot.y1)], theme.grid, 1)?;
        line(area, vec![(x, plot.y1), (x, plot.y1 + f.px(4.0))], theme.axis, 1)?;
        text(area, theme, l, x, plot.y1 + gap, &Txt::new(f.small, theme.text).at(HPos::Center, VPos::Top))?;
    }
    Ok(())
}

/// Left and bottom axis lines.
pub(crate) fn draw_axis_lines<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    plot: PlotRect,
) -> Result<(), ChartError> {
    line(area, vec![(plot.x0, plot.y0), (plot.x0, plot.y1), (plot.x1, plot.y1)], theme.axis, 1)
}

/// Rotated axis title at x (centre of the text line), centred on the plot's height.
pub(crate) fn draw_y_title<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    x: i32,
    plot: PlotRect,
    s: &str,
) -> Result<(), ChartError> {
    let t = truncate(s, plot.h() as f64, f.font);
    text(
        area,
        theme,
        &t,
        x,
        (plot.y0 + plot.y1) / 2,
        &Txt::new(f.font, theme.text).at(HPos::Center, VPos::Center).rotated(),
    )
}

/// Axis title centred under the plot, top at y.
pub(crate) fn draw_x_title<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    y: i32,
    plot: PlotRect,
    s: &str,
) -> Result<(), ChartError> {
    let t = truncate(s, (f.w - 2 * f.pad) as f64, f.font);
    text(area, theme, &t, (plot.x0 + plot.x1) / 2, y, &Txt::new(f.font, theme.text).at(HPos::Center, VPos::Top))
}

// ---------------------------------------------------------------------------------------------
// Fitting tick labels into the room they leave the plot.

/// Where the plot, the category labels and the value ticks go in a chart with categories along
/// the bottom and values up the left side (vertical bars, stacked bars).
pub(crate) struct LeftValueAxis {
    pub plot: PlotRect,
    /// Width of one category's slot.
    pub slot: f64,
    pub cats: CatLabels,
    pub ticks: Ticks,
    pub labels: Vec<String>,
}

/// Lay out a chart with `names` along the bottom and values up the left side, below `top`.
///
/// The layout goes round in a circle: the widest tick label decides where the plot starts, so the
/// slot width, so how tall the category labels are (`layout_categories`, at most `cat_max_h`),
/// so the plot height, so how many ticks fit (one per 2.6 font sizes) and what their labels are.
/// So: lay out with room for labels as wide as "0.00", and again with room for the widest label
/// found, until the labels fit the room they were given. The room only grows, so this settles in
/// a pass or two; a third pass is the last either way.
///
/// `domain` is the value range to cover in a given plot rectangle (charts that print values
/// beyond their bars keep a number of pixels for them, which in values depends on the height).
pub(crate) fn fit_left_value_axis(
    f: &Frame,
    top: i32,
    names: &[String],
    cat_max_h: f64,
    format: fn(f64) -> String,
    domain: impl Fn(PlotRect) -> (f64, f64),
) -> LeftValueAxis {
    let title_w = f.line_h(f.font) + f.px(6.0);
    let mut tick_w = text_w("0.00", f.small);
    let mut pass = 1;
    loop {
        let x0 = f.pad + title_w + tick_w.ceil() as i32 + f.px(10.0);
        let x1 = f.w - f.pad;
        let slot = (x1 - x0).max(1) as f64 / names.len() as f64;
        let cats = layout_categories(f, names, slot, cat_max_h);
        let y0 = top + f.px(4.0);
        let y1 = (f.h - f.pad - cats.height).max(y0 + 10);
        let plot = PlotRect { x0, y0, x1: x1.max(x0 + 10), y1 };
        let (lo, hi) = domain(plot);
        let ticks = nice_ticks(lo, hi, tick_count(plot.h(), f.font * 2.6));
        let labels = tick_labels(&ticks, format);
        let w = widest(&labels, f.small);
        if w <= tick_w || pass == 3 {
            return LeftValueAxis { plot, slot, cats, ticks, labels };
        }
        tick_w = w;
        pass += 1;
    }
}

/// The value ticks along the bottom of a plot that starts at `x0`, and where the plot ends.
pub(crate) struct BottomValueAxis {
    pub x1: i32,
    pub ticks: Ticks,
    pub labels: Vec<String>,
}

/// Fit value ticks along the bottom of a plot that starts at `x0` and ends as far right as the
/// labels let it.
///
/// Tick labels are centred on their ticks, so they need two kinds of room: side by side (each
/// label as wide as the widest, plus two characters of space, within the plot width: if not,
/// halve the number of ticks, from 8) and beyond the plot's right end (half of the last label: if
/// the right margin is narrower, widen it, which narrows the plot). Repeat until both hold, six
/// passes at most.
///
/// `domain` is the value range to cover in a plot of the given width in pixels.
pub(crate) fn fit_bottom_value_axis(
    f: &Frame,
    x0: i32,
    format: fn(f64) -> String,
    domain: impl Fn(i32) -> (f64, f64),
) -> BottomValueAxis {
    let mut right = f.pad;
    let mut count = 8;
    let mut pass = 1;
    loop {
        let x1 = (f.w - right).max(x0 + 10);
        let (lo, hi) = domain(x1 - x0);
        let ticks = nice_ticks(lo, hi, count);
        let labels = tick_labels(&ticks, format);
        let lw = widest(&labels, f.small);
        let fits = (lw + f.small * 2.0) * labels.len() as f64 <= (x1 - x0) as f64;
        let need_right = ((lw / 2.0).ceil() as i32 + 2).max(f.pad);
        if (fits && need_right <= right) || pass == 6 {
            return BottomValueAxis { x1, ticks, labels };
        }
        right = right.max(need_right);
        if !fits {
            count = (count / 2).max(1);
        }
        pass += 1;
    }
}
