//! Scatter chart of labelled points (e.g. success rate against cost per success).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{
    draw_axis_lines, draw_value_axis_bottom, draw_value_axis_left, draw_x_title, draw_y_title, fit_bottom_value_axis,
    BottomValueAxis, Scale,
};
use super::draw::{circle, text, Txt};
use super::frame::{begin, empty_state, tame, Frame, PlotRect};
use super::palette::{categorical, is_dark};
use super::text::{text_w, truncate, widest};
use super::ticks::{nice_ticks, tick_count, tick_labels};
use super::{ChartResult, Hue, ScatterChart, Theme};

/// Fill colour of the points: Okabe–Ito blue, sky blue on a dark background.
pub(crate) fn point_colour(theme: &Theme) -> RGBColor {
    if is_dark(theme.background) {
        categorical(1)
    } else {
        categorical(4)
    }
}

/// Point labels are drawn only up to this many points (hover always works).
const MAX_LABELLED: usize = 40;

impl ScatterChart {
    /// Finite points, each with its name's colour if the chart gives one.
    fn valid(&self) -> Vec<(&str, f64, f64, Option<Hue>)> {
        self.points
            .iter()
            .zip(self.hues.iter().map(Some).chain(std::iter::repeat(None)))
            .filter(|((_, x, y), _)| x.is_finite() && y.is_finite())
            .map(|((n, x, y), h)| (n.as_str(), *x, *y, h.copied()))
            .collect()
    }

    /// "not plotted (a value unknown): a, b, c +2 more", or "" when every name is plotted.
    pub fn not_plotted_note(&self) -> String {
        const NAMED: usize = 3;
        if self.not_plotted.is_empty() {
            return String::new();
        }
        let names: Vec<&str> = self.not_plotted.iter().take(NAMED).map(String::as_str).collect();
        let more = self.not_plotted.len().saturating_sub(NAMED);
        let more = if more > 0 { format!(" +{more} more") } else { String::new() };
        format!("not plotted (a value unknown): {}{more}", names.join(", "))
    }

    /// One-sentence description for screen readers.
    pub fn summary(&self) -> String {
        let note = match self.not_plotted_note() {
            n if n.is_empty() => n,
            n => format!(" {}{}.", n[..1].to_uppercase(), &n[1..]),
        };
        format!("{}{note}", self.summary_of_points())
    }

    fn summary_of_points(&self) -> String {
        let pts = self.valid();
        if pts.is_empty() {
            return format!(
                "Scatter chart of {} against {} ({}): nothing to chart in this view.",
                self.y_label, self.x_label, self.title
            );
        }
        let best = pts.iter().fold(pts[0], |a, b| if b.2 > a.2 { *b } else { a });
        let n = pts.len();
        let plural = if n == 1 { "point" } else { "points" };
        format!(
            "Scatter chart of {} against {} ({}): {n} {plural}; highest {} is {} with {} at {} {}.",
            self.y_label,
            self.x_label,
            self.title,
            self.y_label,
            best.0,
            (self.y_format)(best.2),
            self.x_label,
            (self.x_format)(best.1)
        )
    }
}

fn overlaps(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Draw a scatter chart. Hit regions: one per point.
pub fn draw_scatter_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ScatterChart,
    theme: &Theme,
) -> ChartResult {
    let f = Frame::new(area, theme);
    let top = begin(area, theme, &f, &chart.title)?;
    let pts = chart.valid();
    if pts.is_empty() {
        return empty_state(area, theme, &f, top);
    }
    if f.too_small() {
        return Ok(Vec::new());
    }
    let (mut xlo, mut xhi, mut ylo, mut yhi) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(_, x, y, _) in &pts {
        let (x, y) = (tame(x), tame(y));
        xlo = xlo.min(x);
        xhi = xhi.max(x);
        ylo = ylo.min(y);
        yhi = yhi.max(y);
    }
    // 5 % breathing room so points do not sit on the axes
    let (dx, dy) = ((xhi - xlo) * 0.05, (yhi - ylo) * 0.05);
    // ... but never across 0 when all values are on one side of it
    let pad_lo = |lo: f64, d: f64| if lo >= 0.0 { (lo - d).max(0.0) } else { lo - d };
    let pad_hi = |hi: f64, d: f64| if hi <= 0.0 { (hi + d).min(0.0) } else { hi + d };
    // ... nor past 1 when every y is a share in [0, 1] (a success rate never reads 120 %)
    let share = ylo >= 0.0 && yhi <= 1.0;
    let (xlo, xhi, ylo) = (pad_lo(xlo, dx), pad_hi(xhi, dx), pad_lo(ylo, dy));
    let yhi = if share { pad_hi(yhi, dy).min(1.0) } else { pad_hi(yhi, dy) };

    let gap = f.px(6.0);
    let title_w = f.line_h(f.font) + gap;
    let y0 = top + f.px(4.0);
    let y1 = (f.h - f.pad - f.line_h(f.font) - f.line_h(f.small) - gap * 2).max(y0 + 10);
    let yticks = nice_ticks(ylo, yhi, tick_count(y1 - y0, f.font * 2.6));
    let ylabels = tick_labels(&yticks, chart.y_format);
    let x0 = f.pad + title_w + widest(&ylabels, f.small).ceil() as i32 + gap + f.px(4.0);

    let BottomValueAxis { x1, ticks: xticks, labels: xlabels } =
        fit_bottom_value_axis(&f, x0, chart.x_format, |_| (xlo, xhi));
    let plot = PlotRect { x0, y0, x1, y1 };
    let xs = Scale::new(xticks.lo, xticks.hi, plot.x0, plot.x1);
    let ys = Scale::new(yticks.lo, yticks.hi, plot.y1, plot.y0);

    draw_value_axis_left(area, theme, &f, plot, &ys, &yticks, &ylabels)?;
    draw_value_axis_bottom(area, theme, &f, plot, &xs, &xticks, &xlabels)?;
    draw_axis_lines(area, theme, plot)?;
    draw_y_title(area, theme, &f, f.pad + f.line_h(f.font) / 2, plot, &chart.y_label)?;
    let x_title = match chart.not_plotted_note() {
        n if n.is_empty() => chart.x_label.clone(),
        n => format!("{} · {n}", chart.x_label),
    };
    draw_x_title(area, theme, &f, plot.y1 + gap * 2 + f.line_h(f.small), plot, &x_title)?;

    let r = f.px(5.0);
    let centres: Vec<(i32, i32)> = pts.iter().map(|&(_, x, y, _)| (xs.map(x), ys.map(y))).collect();
    let mut hits = Vec::with_capacity(pts.len());
    for (&(name, x, y, hue), &c) in pts.iter().zip(&centres) {
        let colour = hue.map_or_else(|| point_colour(theme), |h| h.colour(theme));
        circle(area, c, r, colour, Some(theme.background))?;
        let label =
            format!("{name}: {} {}, {} {}", chart.x_label, (chart.x_format)(x), chart.y_label, (chart.y_format)(y));
        hits.push(f.hit(c.0 - r - 3, c.1 - r - 3, c.0 + r + 3, c.1 + r + 3, label).named(name));
    }

    // Point labels: first free spot of right, left, above, below; skipped if none is free.
    if pts.len() <= MAX_LABELLED {
        let mut taken: Vec<(i32, i32, i32, i32)> = centres.iter().map(|&(x, y)| (x - r, y - r, x + r, y + r)).collect();
        let lh = f.line_h(f.small);
        let off = r + f.px(3.0);
        for (&(name, _, _, _), &(cx, cy)) in pts.iter().zip(&centres) {
            let t = truncate(name, 170.0 * f.s, f.small);
            let tw = text_w(&t, f.small).ceil() as i32;
            let candidates = [
                ((cx + off, cy - lh / 2, cx + off + tw, cy + lh / 2), (cx + off, cy, HPos::Left, VPos::Center)),
                ((cx - off - tw, cy - lh / 2, cx - off, cy + lh / 2), (cx - off, cy, HPos::Right, VPos::Center)),
                ((cx - tw / 2, cy - off - lh, cx + tw / 2, cy - off), (cx, cy - off, HPos::Center, VPos::Bottom)),
                ((cx - tw / 2, cy + off, cx + tw / 2, cy + off + lh), (cx, cy + off, HPos::Center, VPos::Top)),
            ];
            for (bbox, (tx, ty, h, v)) in candidates {
                let inside = bbox.0 >= plot.x0 && bbox.2 <= plot.x1 && bbox.1 >= plot.y0 && bbox.3 <= plot.y1;
                // a label may overlap its own point's box only at the edge, never other labels or points
                let own = (cx - r, cy - r, cx + r, cy + r);
                let free = taken.iter().all(|&o| o == own || !overlaps(o, bbox));
                if inside && free {
                    text(area, theme, &t, tx, ty, &Txt::new(f.small, theme.text).at(h, v))?;
                    taken.push(bbox);
                    break;
                }
            }
        }
    }
    Ok(hits)
}
