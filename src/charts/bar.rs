//! Bar chart: one value per group, vertical or horizontal, negative values grow from 0.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{
    draw_axis_lines, draw_value_axis_bottom, draw_value_axis_left, draw_x_title, draw_y_title, fit_bottom_value_axis,
    fit_left_value_axis, BottomValueAxis, LeftValueAxis, Scale,
};
use super::categories::{draw_categories, label_stride};
use super::draw::{fill_rect, line, text, Txt};
use super::frame::{begin, empty_state, tame, Frame, PlotRect};
use super::palette::categorical;
use super::text::{fit_labels, one_or_two_lines, text_w, two_lines_cut, widest};
use super::{BarChart, ChartResult, Hue, Theme};

/// Colour of bars with a value ≥ 0 (Okabe–Ito blue).
pub(crate) fn positive_colour() -> RGBColor {
    categorical(4)
}
/// Colour of bars with a negative value (Okabe–Ito vermillion).
pub(crate) fn negative_colour() -> RGBColor {
    categorical(5)
}

struct Bar<'a> {
    name: &'a str,
    value: f64,
    label: String,
    /// the name's own colour, if the chart gives one
    hue: Option<Hue>,
}

impl Bar<'_> {
    fn colour(&self, theme: &Theme) -> RGBColor {
        match self.hue {
            Some(h) => h.colour(theme),
            None if self.value < 0.0 => negative_colour(),
            None => positive_colour(),
        }
    }
}

impl BarChart {
    /// Finite bars only (NaN and ±inf are skipped).
    fn valid(&self) -> Vec<Bar<'_>> {
        self.bars
            .iter()
            .zip(self.hues.iter().map(Some).chain(std::iter::repeat(None)))
            .filter(|((_, v), _)| v.is_finite())
            .map(|((n, v), h)| Bar { name: n.as_str(), value: *v, label: (self.value_format)(*v), hue: h.copied() })
            .collect()
    }

    /// One-sentence description for screen readers.
    pub fn summary(&self) -> String {
        let bars = self.valid();
        let what = if self.value_label.is_empty() { "value" } else { &self.value_label };
        if bars.is_empty() {
            return format!("Bar chart of {what} ({}): nothing to chart in this view.", self.title);
        }
        let hi = bars.iter().fold(&bars[0], |a, b| if b.value > a.value { b } else { a });
        let lo = bars.iter().fold(&bars[0], |a, b| if b.value < a.value { b } else { a });
        let n = bars.len();
        let groups = if n == 1 { "1 group".to_string() } else { format!("{n} groups") };
        format!(
            "Bar chart of {what} ({}): highest {} {}, lowest {} {}, {groups}.",
            self.title, hi.name, hi.label, lo.name, lo.label
        )
    }
}

fn hit_label(chart: &BarChart, b: &Bar) -> String {
    if chart.value_label.is_empty() {
        format!("{}: {}", b.name, b.label)
    } else {
        format!("{}: {} {}", b.name, chart.value_label, b.label)
    }
}

/// Draw a bar chart. Hit regions: one per drawn bar.
pub fn draw_bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &BarChart,
    theme: &Theme,
) -> ChartResult {
    let f = Frame::new(area, theme);
    let top = begin(area, theme, &f, &chart.title)?;
    let bars = chart.valid();
    if bars.is_empty() {
        return empty_state(area, theme, &f, top);
    }
    if f.too_small() {
        return Ok(Vec::new());
    }
    let lo = bars.iter().map(|b| tame(b.value)).fold(0.0, f64::min);
    let mut hi = bars.iter().map(|b| tame(b.value)).fold(0.0, f64::max);
    if hi == lo {
        hi = 1.0; // all zero
    }
    let set = BarSet {
        f: &f,
        top,
        chart,
        bars: &bars,
        names: bars.iter().map(|b| b.name.to_string()).collect(),
        lo,
        hi,
        has_pos: bars.iter().any(|b| b.value > 0.0),
        has_neg: bars.iter().any(|b| b.value < 0.0),
    };
    if chart.horizontal {
        horizontal(area, theme, &set)
    } else {
        vertical(area, theme, &set)
    }
}

/// What both orientations draw: the valid bars, their names and the range of their values.
struct BarSet<'a> {
    f: &'a Frame,
    /// The y below the title.
    top: i32,
    chart: &'a BarChart,
    bars: &'a [Bar<'a>],
    names: Vec<String>,
    /// The value range, 0 included.
    lo: f64,
    hi: f64,
    has_pos: bool,
    has_neg: bool,
}

/// Extend [lo, hi] so that `pos_px` / `neg_px` pixels of room remain beyond the bar ends.
fn extend(lo: f64, hi: f64, len: i32, pos_px: f64, neg_px: f64, has_pos: bool, has_neg: bool) -> (f64, f64) {
    let len = len.max(1) as f64;
    let used = (pos_px * has_pos as i32 as f64) + (neg_px * has_neg as i32 as f64);
    let bar_px = (len - used).max(len * 0.3);
    let upp = (hi - lo) / bar_px;
    let hi2 = if has_pos { hi + pos_px * upp } else { hi };
    let lo2 = if has_neg { lo - neg_px * upp } else { lo };
    (lo2, hi2)
}

fn vertical<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    theme: &Theme,
    set: &BarSet,
) -> ChartResult {
    let BarSet { f, chart, bars, lo, hi, has_pos, has_neg, .. } = *set;
    // room for the value labels above (below) the bars
    let lab_px = (f.line_h(f.small) + f.px(3.0)) as f64;
    let LeftValueAxis { plot, slot, cats, ticks, labels } =
        fit_left_value_axis(f, set.top, &set.names, f.h as f64 * 0.28, chart.value_format, |plot| {
            extend(lo, hi, plot.h(), lab_px, lab_px, has_pos, has_neg)
        });

    let ys = Scale::new(ticks.lo, ticks.hi, plot.y1, plot.y0);
    draw_value_axis_left(area, theme, f, plot, &ys, &ticks, &labels)?;
    draw_y_title(area, theme, f, f.pad + f.line_h(f.font) / 2, plot, &chart.value_label)?;

    let zero = ys.map(0.0);
    let half = (slot * 0.36).min(70.0 * f.s).max(0.5);
    let mut hits = Vec::with_capacity(bars.len());
    let mut centres = Vec::with_capacity(bars.len());
    for (i, b) in bars.iter().enumerate() {
        let cx = plot.x0 as f64 + slot * (i as f64 + 0.5);
        let (bx0, bx1) = ((cx - half).round() as i32, ((cx + half).round() as i32).max((cx - half).round() as i32 + 1));
        let yv = ys.map(b.value);
        let colour = b.colour(theme);
        let (ya, yb) = if yv == zero { (zero - 1, zero) } else { (yv.min(zero), yv.max(zero)) };
        fill_rect(area, (bx0, ya, bx1, yb), colour)?;
        centres.push(cx.round() as i32);
        // hit region at least 6 px tall so that zero-height bars can be hovered
        let (ha, hb) = if yb - ya < 6 { ((ya + yb) / 2 - 3, (ya + yb) / 2 + 3) } else { (ya, yb) };
        hits.push(f.hit(bx0, ha, bx1, hb, hit_label(chart, b)).named(b.name));
        if text_w(&b.label, f.small) <= slot * 0.98 {
            let t = Txt::new(f.small, theme.text);
            if b.value < 0.0 {
                text(area, theme, &b.label, cx.round() as i32, yb + f.px(3.0), &t.at(HPos::Center, VPos::Top))?;
            } else {
                text(area, theme, &b.label, cx.round() as i32, ya - f.px(3.0), &t.at(HPos::Center, VPos::Bottom))?;
            }
        }
    }
    draw_axis_lines(area, theme, plot)?;
    if ticks.lo < 0.0 {
        line(area, vec![(plot.x0, zero), (plot.x1, zero)], theme.axis, 1)?;
    }
    draw_categories(area, theme, f, plot.y1, &centres, &cats)?;
    Ok(hits)
}

fn horizontal<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    theme: &Theme,
    set: &BarSet,
) -> ChartResult {
    let BarSet { f, top, chart, bars, lo, hi, has_pos, has_neg, .. } = *set;
    let names = &set.names;
    let gap = f.px(6.0);
    let cat_w = widest(names, f.small).min(f.w as f64 * 0.32).ceil() as i32;
    let x0 = f.pad + cat_w + gap * 2;
    let y0 = top + f.px(4.0);
    let y1 = (f.h - f.pad - f.line_h(f.font) - f.line_h(f.small) - gap * 2).max(y0 + 10);
    let slot = (y1 - y0).max(1) as f64 / bars.len() as f64;
    let show_values = slot >= f.small * 0.9;
    let val_w = |neg: bool| {
        bars.iter().filter(|b| (b.value < 0.0) == neg).map(|b| text_w(&b.label, f.small)).fold(0.0, f64::max)
            + gap as f64
    };
    // value labels get at most a quarter of the width on each side; longer ones are left out
    let max_label = (f.w - x0) as f64 * 0.25;
    let (pos_px, neg_px) =
        if show_values { (val_w(false).min(max_label), val_w(true).min(max_label)) } else { (0.0, 0.0) };

    let BottomValueAxis { x1, ticks, labels } =
        fit_bottom_value_axis(f, x0, chart.value_format, |w| extend(lo, hi, w, pos_px, neg_px, has_pos, has_neg));
    let plot = PlotRect { x0, y0, x1, y1 };

    let xs = Scale::new(ticks.lo, ticks.hi, plot.x0, plot.x1);
    draw_value_axis_bottom(area, theme, f, plot, &xs, &ticks, &labels)?;
    draw_x_title(area, theme, f, plot.y1 + gap * 2 + f.line_h(f.small), plot, &chart.value_label)?;

    let zero = xs.map(0.0);
    let half = (slot * 0.36).min(40.0 * f.s).max(0.5);
    let every = label_stride(slot, f.small);
    let fitted = fit_labels(names, cat_w as f64, f.small);
    let mut hits = Vec::with_capacity(bars.len());
    for (i, b) in bars.iter().enumerate() {
        let cy = plot.y0 as f64 + slot * (i as f64 + 0.5);
        let (by0, by1) = ((cy - half).round() as i32, ((cy + half).round() as i32).max((cy - half).round() as i32 + 1));
        let xv = xs.map(b.value);
        let colour = b.colour(theme);
        let (xa, xb) = if xv == zero { (zero, zero + 1) } else { (xv.min(zero), xv.max(zero)) };
        fill_rect(area, (xa, by0, xb, by1), colour)?;
        let (ha, hb) = if xb - xa < 6 { ((xa + xb) / 2 - 3, (xa + xb) / 2 + 3) } else { (xa, xb) };
        hits.push(f.hit(ha, by0, hb, by1, hit_label(chart, b)).named(b.name));
        let cyi = cy.round() as i32;
        if show_values && text_w(&b.label, f.small) + gap as f64 <= max_label {
            let t = Txt::new(f.small, theme.text);
            if b.value < 0.0 {
                text(area, theme, &b.label, xa - f.px(4.0), cyi, &t.at(HPos::Right, VPos::Center))?;
            } else {
                text(area, theme, &b.label, xb + f.px(4.0), cyi, &t.at(HPos::Left, VPos::Center))?;
            }
        }
        if i % every == 0 {
            // a name too long for its column goes over two lines when the bar's slot has room
            let t = Txt::new(f.small, theme.text).at(HPos::Right, VPos::Center);
            let two = slot >= 2.0 * f.line_h(f.small) as f64 && text_w(&names[i], f.small) > cat_w as f64;
            let lines = two
                .then(|| {
                    one_or_two_lines(&names[i], cat_w as f64, f.small)
                        .or_else(|| two_lines_cut(&names[i], cat_w as f64, f.small))
                })
                .flatten();
            match lines.filter(|l| l.len() == 2) {
                Some(lines) => {
                    let lh = f.line_h(f.small) as f64;
                    for (k, l) in lines.iter().enumerate() {
                        text(area, theme, l, plot.x0 - gap, (cy + (k as f64 - 0.5) * lh).round() as i32, &t)?;
                    }
                }
                None => text(area, theme, &fitted[i], plot.x0 - gap, cyi, &t)?,
            }
        }
    }
    draw_axis_lines(area, theme, plot)?;
    if ticks.lo < 0.0 {
        line(area, vec![(zero, plot.y0), (zero, plot.y1)], theme.axis, 1)?;
    }
    Ok(hits)
}
