//! The legend under a chart's title: a swatch and a name per series, centred, in up to three rows.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{dashed, fill_rect, line, text, triangle, Txt};
use super::frame::{Area, Frame};
use super::text::{text_w, truncate};
use super::{ChartError, Theme};

pub(crate) enum Swatch {
    Box(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Triangle(RGBColor),
}

struct LegendItem {
    text: String,
    swatch: Swatch,
    w: i32,
    /// its index in the items given
    index: usize,
}

/// Where a legend entry was drawn (pixels of the area), and its index in the items given.
pub(crate) struct Entry {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub index: usize,
}

const LEGEND_MAX_ROWS: usize = 3;

fn legend_rows(f: &Frame, items: Vec<(String, Swatch)>) -> Vec<Vec<LegendItem>> {
    let px = f.small;
    let avail = (f.w - 2 * f.pad).max(1);
    let sw = (px * 1.6).round() as i32;
    let spacing = (px * 1.4).round() as i32;
    let max_text = (avail as f64 / 3.0).max(px * 6.0);
    let total = items.len();
    let mut rows: Vec<Vec<LegendItem>> = vec![Vec::new()];
    let mut row_w = 0;
    for (k, (name, swatch)) in items.into_iter().enumerate() {
        let text = truncate(&name, max_text, px);
        let w = sw + f.px(5.0) + text_w(&text, px).ceil() as i32;
        let needed = if row_w == 0 { w } else { row_w + spacing + w };
        if needed > avail && row_w > 0 {
            if rows.len() == LEGEND_MAX_ROWS {
                // no more room: say how many are left out
                let more = format!("+{} more", total - k);
                let mw = text_w(&more, px).ceil() as i32;
                if let Some(last) = rows.last_mut() {
                    if row_w + spacing + mw > avail {
                        last.pop();
                    }
                    last.push(LegendItem {
                        text: more,
                        swatch: Swatch::Box(RGBColor(0, 0, 0)),
                        w: -mw,
                        index: usize::MAX,
                    });
                }
                return rows;
            }
            rows.push(Vec::new());
            row_w = 0;
        }
        row_w = if row_w == 0 { w } else { row_w + spacing + w };
        if let Some(last) = rows.last_mut() {
            last.push(LegendItem { text, swatch, w, index: k });
        }
    }
    rows
}

/// Draw a centred legend with its top at `top`; returns the y below it.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    items: Vec<(String, Swatch)>,
    top: i32,
) -> Result<i32, ChartError> {
    Ok(draw_legend_entries(area, theme, f, items, &[], top)?.0)
}

/// [`draw_legend`], with the items whose index is in `dim` greyed (a series hidden), returning
/// also where each entry was drawn (for clicks on it).
pub(crate) fn draw_legend_entries<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    items: Vec<(String, Swatch)>,
    dim: &[usize],
    top: i32,
) -> Result<(i32, Vec<Entry>), ChartError> {
    let mut entries = Vec::new();
    if items.is_empty() {
        return Ok((top, entries));
    }
    let px = f.small;
    let sw = (px * 1.6).round() as i32;
    let spacing = (px * 1.4).round() as i32;
    let lh = f.line_h(px) + f.px(2.0);
    let rows = legend_rows(f, items);
    let mut y = top;
    for row in &rows {
        let total: i32 = row.iter().map(|i| i.w.abs()).sum::<i32>() + spacing * (row.len() as i32 - 1).max(0);
        let mut x = (f.w - total) / 2;
        let cy = y + lh / 2;
        for item in row {
            if item.w < 0 {
                // "+N more"
                text(area, theme, &item.text, x, cy, &Txt::new(px, theme.axis).at(HPos::Left, VPos::Center))?;
                x += -item.w + spacing;
                continue;
            }
            let half = (px * 0.4).round() as i32;
            let off = dim.contains(&item.index);
            let grey = |c: RGBColor| if off { theme.grid } else { c };
            match item.swatch {
                Swatch::Box(c) => fill_rect(area, (x, cy - half, x + sw, cy + half), grey(c))?,
                Swatch::Line(c) => line(area, vec![(x, cy), (x + sw, cy)], grey(c), f.px(2.0) as u32)?,
                Swatch::Dashed(c) => dashed(area, (x, cy), (x + sw, cy), grey(c), f.px(2.0) as u32, f.px(4.0))?,
                Swatch::Triangle(c) => triangle(area, (x + sw / 2, cy), half + 1, grey(c), theme.background)?,
            }
            text(
                area,
                theme,
                &item.text,
                x + sw + f.px(5.0),
                cy,
                &Txt::new(px, if off { theme.axis } else { theme.text }).at(HPos::Left, VPos::Center),
            )?;
            entries.push(Entry { x0: x, y0: y, x1: x + item.w, y1: y + lh, index: item.index });
            x += item.w + spacing;
        }
        y += lh;
    }
    Ok((y + f.pad / 2, entries))
}
