//! Heatmap: rows × columns of values, coloured with the sequential palette, value in each cell.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{draw_x_title, draw_y_title};
use super::categories::{draw_categories, label_stride, layout_categories};
use super::draw::{fill_rect, stroke_rect, text, Txt};
use super::frame::{begin, empty_state, tame, Frame, PlotRect};
use super::palette::{blend, contrast_text, sequential_for};
use super::text::{fit_labels, text_w, widest};
use super::{ChartResult, Heatmap, Theme};

/// Number of bands of the colour-scale legend.
const LEGEND_BANDS: i32 = 32;

/// Colour of cells holding no value: the background, slightly tinted (a 0 is the scale's own
/// quietest colour).
pub(crate) fn empty_cell_colour(theme: &Theme) -> RGBColor {
    blend(theme.background, theme.text, 0.06)
}

impl Heatmap {
    /// The value at (row, col) if present and finite.
    fn value(&self, r: usize, c: usize) -> Option<f64> {
        self.values.get(r).and_then(|row| row.get(c)).copied().filter(|v| v.is_finite())
    }

    /// True when there is nothing but zeros and missing values.
    fn is_empty(&self) -> bool {
        (0..self.rows.len()).all(|r| (0..self.cols.len()).all(|c| self.value(r, c).is_none_or(|v| v == 0.0)))
    }

    /// One-sentence description for screen readers.
    pub fn summary(&self) -> String {
        if self.rows.is_empty() || self.cols.is_empty() || self.is_empty() {
            return format!(
                "Heatmap of {} by {} ({}): nothing to chart in this view.",
                self.row_label, self.col_label, self.title
            );
        }
        let mut total = 0.0;
        let mut best: Option<(usize, usize, f64)> = None;
        for r in 0..self.rows.len() {
            for c in 0..self.cols.len() {
                if let Some(v) = self.value(r, c) {
                    total += v;
                    if best.is_none_or(|b| v > b.2) {
                        best = Some((r, c, v));
                    }
                }
            }
        }
        let largest = match best {
            Some((r, c, v)) => format!(", largest {} × {} with {}", self.rows[r], self.cols[c], (self.value_format)(v)),
            None => String::new(),
        };
        format!(
            "Heatmap of {} by {} ({}): {} rows × {} columns, total {}{largest}.",
            self.row_label,
            self.col_label,
            self.title,
            self.rows.len(),
            self.cols.len(),
            (self.value_format)(total)
        )
    }
}

/// Draw a heatmap. Hit regions: one per cell, row by row.
pub fn draw_heatmap<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Heatmap, theme: &Theme) -> ChartResult {
    let f = Frame::new(area, theme);
    let top = begin(area, theme, &f, &chart.title)?;
    let (nr, nc) = (chart.rows.len(), chart.cols.len());
    if nr == 0 || nc == 0 || chart.is_empty() {
        return empty_state(area, theme, &f, top);
    }
    if f.too_small() {
        return Ok(Vec::new());
    }
    let mut lo = 0.0f64;
    let mut hi = f64::MIN;
    for r in 0..nr {
        for c in 0..nc {
            if let Some(v) = chart.value(r, c) {
                lo = lo.min(tame(v));
                hi = hi.max(tame(v));
            }
        }
    }
    if hi <= lo {
        hi = lo + 1.0;
    }

    let gap = f.px(6.0);
    // colour scale on the right
    let lo_label = (chart.value_format)(lo);
    let hi_label = (chart.value_format)(hi);
    let bar_w = f.px(14.0);
    let legend_w = bar_w + gap + widest(&[lo_label.clone(), hi_label.clone()], f.small).ceil() as i32;
    let x1 = (f.w - f.pad - legend_w - gap * 2).max(f.w / 2);
    // row labels on the left
    let row_w = widest(&chart.rows, f.small).min(f.w as f64 * 0.28).ceil() as i32;
    let x0 = (f.pad + f.line_h(f.font) + gap + row_w + gap).min(x1 - 10);
    let cell_w = (x1 - x0) as f64 / nc as f64;
    let cats = layout_categories(&f, &chart.cols, cell_w, f.h as f64 * 0.25);
    let y0 = top + f.px(4.0);
    let y1 = (f.h - f.pad - f.line_h(f.font) - cats.height).max(y0 + 10);
    let plot = PlotRect { x0, y0, x1, y1 };
    let cell_h = plot.h() as f64 / nr as f64;

    draw_y_title(area, theme, &f, f.pad + f.line_h(f.font) / 2, plot, &chart.row_label)?;
    draw_x_title(area, theme, &f, plot.y1 + cats.height, plot, &chart.col_label)?;

    let empty = empty_cell_colour(theme);
    let sep = if cell_w >= 6.0 && cell_h >= 6.0 { 1 } else { 0 };
    let mut hits = Vec::with_capacity(nr * nc);
    for r in 0..nr {
        let cy0 = (plot.y0 as f64 + cell_h * r as f64).round() as i32;
        let cy1 = (plot.y0 as f64 + cell_h * (r + 1) as f64).round() as i32;
        for c in 0..nc {
            let cx0 = (plot.x0 as f64 + cell_w * c as f64).round() as i32;
            let cx1 = (plot.x0 as f64 + cell_w * (c + 1) as f64).round() as i32;
            let v = chart.value(r, c);
            let (fill, txt, txt_colour) = match v {
                Some(v) if v != 0.0 => {
                    let col = sequential_for(theme, (tame(v) - lo) / (hi - lo));
                    (col, (chart.value_format)(v), contrast_text(col))
                }
                // 0 is where the scale starts (for counts, its quietest end), its text muted
                Some(v) => (sequential_for(theme, (0.0 - lo) / (hi - lo)), (chart.value_format)(v), theme.axis),
                None => (empty, "–".to_string(), theme.axis),
            };
            fill_rect(area, (cx0, cy0, (cx1 - sep).max(cx0), (cy1 - sep).max(cy0)), fill)?;
            // the value inside the cell, shrunk to fit when needed
            let avail_w = (cx1 - cx0 - sep) as f64 * 0.9;
            let avail_h = (cy1 - cy0 - sep) as f64 * 0.75;
            let unit = text_w(&txt, 1.0).max(0.01);
            let px = f.small.min(avail_w / unit).min(avail_h).max(4.0).floor();
            let (mx, my) = ((cx0 + cx1 - sep) / 2, (cy0 + cy1 - sep) / 2);
            text(area, theme, &txt, mx, my, &Txt::new(px, txt_colour).at(HPos::Center, VPos::Center))?;
            let label = match v {
                Some(v) => format!("{} × {}: {}", chart.rows[r], chart.cols[c], (chart.value_format)(v)),
                None => format!("{} × {}: no value", chart.rows[r], chart.cols[c]),
            };
            hits.push(f.hit(cx0, cy0, cx1 - sep, cy1 - sep, label));
        }
    }

    // row labels
    let every = label_stride(cell_h, f.small);
    let row_texts = fit_labels(&chart.rows, row_w as f64, f.small);
    for (r, t) in row_texts.iter().enumerate() {
        if r % every != 0 {
            continue;
        }
        let cy = (plot.y0 as f64 + cell_h * (r as f64 + 0.5)).round() as i32;
        text(area, theme, t, plot.x0 - gap, cy, &Txt::new(f.small, theme.text).at(HPos::Right, VPos::Center))?;
    }
    // column labels
    let centres: Vec<i32> = (0..nc).map(|c| (plot.x0 as f64 + cell_w * (c as f64 + 0.5)).round() as i32).collect();
    draw_categories(area, theme, &f, plot.y1, &centres, &cats)?;

    // colour scale: lo at the bottom, hi at the top
    let lx = plot.x1 + gap * 2;
    let band_h = plot.h() as f64 / LEGEND_BANDS as f64;
    for b in 0..LEGEND_BANDS {
        let t = (b as f64 + 0.5) / LEGEND_BANDS as f64;
        let by1 = (plot.y1 as f64 - band_h * b as f64).round() as i32;
        let by0 = (plot.y1 as f64 - band_h * (b + 1) as f64).round() as i32;
        fill_rect(area, (lx, by0, lx + bar_w, by1), sequential_for(theme, t))?;
    }
    stroke_rect(area, (lx, plot.y0, lx + bar_w, plot.y1), theme.axis, 1)?;
    let t = Txt::new(f.small, theme.text);
    text(area, theme, &hi_label, lx + bar_w + gap, plot.y0, &t.at(HPos::Left, VPos::Top))?;
    text(area, theme, &lo_label, lx + bar_w + gap, plot.y1, &t.at(HPos::Left, VPos::Bottom))?;
    Ok(hits)
}
