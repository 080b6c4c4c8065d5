//! Stacked bars per category (e.g. cost per day stacked by model), with a reference line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{draw_axis_lines, draw_value_axis_left, draw_y_title, fit_left_value_axis, LeftValueAxis, Scale};
use super::categories::draw_categories;
use super::draw::{dashed, fill_rect, line, text, Txt};
use super::frame::{begin, empty_state, tame, Frame};
use super::legend::{draw_legend, Swatch};
use super::palette::categorical_for;
use super::text::text_w;
use super::{ChartResult, StackedBars, Theme};

impl StackedBars {
    /// Series `s`'s colour: its name's, or the palette's `s`-th.
    fn colour(&self, theme: &Theme, s: usize) -> RGBColor {
        self.hues.get(s).map_or_else(|| categorical_for(theme, s), |h| h.colour(theme))
    }

    /// The value of series `s` in category `c`, if finite and non-zero.
    fn value(&self, s: usize, c: usize) -> Option<f64> {
        self.stacks.get(s).and_then(|(_, v)| v.get(c)).copied().filter(|v| v.is_finite() && *v != 0.0)
    }

    /// (sum of positive values, sum of negative values) of category `c`.
    fn sums(&self, c: usize) -> (f64, f64) {
        (0..self.stacks.len()).filter_map(|s| self.value(s, c)).fold((0.0, 0.0), |(p, n), v| {
            if v > 0.0 {
                (p + tame(v), n)
            } else {
                (p, n + tame(v))
            }
        })
    }

    fn is_empty(&self) -> bool {
        (0..self.categories.len()).all(|c| (0..self.stacks.len()).all(|s| self.value(s, c).is_none()))
    }

    fn reference(&self) -> Option<(&str, f64)> {
        self.reference_line.as_ref().filter(|r| r.1.is_finite()).map(|(n, v)| (n.as_str(), *v))
    }

    /// One-sentence description for screen readers.
    pub fn summary(&self) -> String {
        if self.categories.is_empty() || self.is_empty() {
            return format!("Stacked bar chart of {} ({}): nothing to chart in this view.", self.y_label, self.title);
        }
        let totals: Vec<f64> = (0..self.categories.len())
            .map(|c| {
                let (p, n) = self.sums(c);
                p + n
            })
            .collect();
        let (best, best_v) =
            totals.iter().enumerate().fold((0, f64::MIN), |a, (i, &v)| if v > a.1 { (i, v) } else { a });
        let sum: f64 = totals.iter().sum();
        let over = match self.reference() {
            Some((name, r)) => {
                let k = totals.iter().filter(|&&t| t > r).count();
                format!("; {k} of {} above {name} {}", totals.len(), (self.value_format)(r))
            }
            None => String::new(),
        };
        format!(
            "Stacked bar chart of {} ({}): {} categories, {} series, total {}, highest {} with {}{over}.",
            self.y_label,
            self.title,
            self.categories.len(),
            self.stacks.len(),
            (self.value_format)(sum),
            self.categories[best],
            (self.value_format)(best_v)
        )
    }
}

/// Draw stacked bars. Hit regions: one per drawn segment (category by category, series in
/// order), then one for the reference line.
pub fn draw_stacked_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &StackedBars,
    theme: &Theme,
) -> ChartResult {
    let f = Frame::new(area, theme);
    let top = begin(area, theme, &f, &chart.title)?;
    let n = chart.categories.len();
    if n == 0 || chart.is_empty() {
        return empty_state(area, theme, &f, top);
    }
    if f.too_small() {
        return Ok(Vec::new());
    }
    let reference = chart.reference();

    let mut items: Vec<(String, Swatch)> = chart
        .stacks
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.clone(), Swatch::Box(chart.colour(theme, i))))
        .collect();
    if let Some((name, v)) = reference {
        items.push((format!("{name} {}", (chart.value_format)(v)), Swatch::Dashed(theme.text)));
    }
    let top = draw_legend(area, theme, &f, items, top)?;

    let sums: Vec<(f64, f64)> = (0..n).map(|c| chart.sums(c)).collect();
    let mut lo = sums.iter().map(|s| s.1).fold(0.0, f64::min);
    let mut hi = sums.iter().map(|s| s.0).fold(0.0, f64::max);
    if let Some((_, r)) = reference {
        lo = lo.min(tame(r));
        hi = hi.max(tame(r));
    }
    if hi == lo {
        hi = lo + 1.0;
    }
    let has_neg = lo < 0.0;
    let lab_px = (f.line_h(f.small) + f.px(3.0)) as f64;

    let LeftValueAxis { plot, slot, cats, ticks, labels } =
        fit_left_value_axis(&f, top, &chart.categories, f.h as f64 * 0.25, chart.value_format, |plot| {
            // room for the totals above the stacks
            let len = plot.h().max(1) as f64;
            let upp = (hi - lo) / (len - lab_px * 2.0).max(len * 0.3);
            (if has_neg { lo - lab_px * upp } else { lo }, hi + lab_px * upp)
        });
    let ys = Scale::new(ticks.lo, ticks.hi, plot.y1, plot.y0);
    draw_value_axis_left(area, theme, &f, plot, &ys, &ticks, &labels)?;
    draw_y_title(area, theme, &f, f.pad + f.line_h(f.font) / 2, plot, &chart.y_label)?;

    let half = (slot * 0.36).min(70.0 * f.s).max(0.5);
    let zero = ys.map(0.0);
    let mut hits = Vec::new();
    let mut centres = Vec::with_capacity(n);
    for (c, cat) in chart.categories.iter().enumerate() {
        let cx = plot.x0 as f64 + slot * (c as f64 + 0.5);
        let (bx0, bx1) = ((cx - half).round() as i32, ((cx + half).round() as i32).max((cx - half).round() as i32 + 1));
        centres.push(cx.round() as i32);
        let (psum, nsum) = sums[c];
        let total = psum + nsum;
        let (mut pacc, mut nacc) = (0.0, 0.0);
        for s in 0..chart.stacks.len() {
            let Some(v) = chart.value(s, c) else { continue };
            let (a, b) = if v > 0.0 {
                let r = (pacc, pacc + tame(v));
                pacc = r.1;
                r
            } else {
                let r = (nacc, nacc + tame(v));
                nacc = r.1;
                r
            };
            let (ya, yb) = (ys.map(a), ys.map(b));
            let (top_y, bot_y) = (ya.min(yb), ya.max(yb));
            // a 1 px gap between segments, when they are tall enough
            let (top_y, bot_y) = if bot_y - top_y >= 4 {
                if v > 0.0 {
                    (top_y + 1, bot_y)
                } else {
                    (top_y, bot_y - 1)
                }
            } else if bot_y == top_y {
                (top_y, top_y + 1)
            } else {
                (top_y, bot_y)
            };
            fill_rect(area, (bx0, top_y, bx1, bot_y), chart.colour(theme, s))?;
            let label = format!(
                "{cat} · {}: {} (total {})",
                chart.stacks[s].0,
                (chart.value_format)(v),
                (chart.value_format)(total)
            );
            let (ha, hb) =
                if bot_y - top_y < 6 { ((top_y + bot_y) / 2 - 3, (top_y + bot_y) / 2 + 3) } else { (top_y, bot_y) };
            hits.push(f.hit(bx0, ha, bx1, hb, label).named(&chart.stacks[s].0));
        }
        // total above the stack (below it if the stack is only negative)
        let t = (chart.value_format)(total);
        if text_w(&t, f.small) <= slot * 0.98 && (psum != 0.0 || nsum != 0.0) {
            let txt = Txt::new(f.small, theme.text);
            if psum > 0.0 {
                text(
                    area,
                    theme,
                    &t,
                    cx.round() as i32,
                    ys.map(psum) - f.px(3.0),
                    &txt.at(HPos::Center, VPos::Bottom),
                )?;
            } else {
                text(area, theme, &t, cx.round() as i32, ys.map(nsum) + f.px(3.0), &txt.at(HPos::Center, VPos::Top))?;
            }
        }
    }
    draw_axis_lines(area, theme, plot)?;
    if ticks.lo < 0.0 {
        line(area, vec![(plot.x0, zero), (plot.x1, zero)], theme.axis, 1)?;
    }
    draw_categories(area, theme, &f, plot.y1, &centres, &cats)?;

    if let Some((name, r)) = reference {
        let y = ys.map(r);
        dashed(area, (plot.x0, y), (plot.x1, y), theme.text, f.px(2.0) as u32, f.px(6.0))?;
        let label = format!("{name}: {}", (chart.value_format)(r));
        hits.push(f.hit(plot.x0, y - 3, plot.x1, y + 3, label));
    }
    Ok(hits)
}
