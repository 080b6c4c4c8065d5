//! A line chart of many series as small multiples: one panel per series, in its name's colour,
//! all on the same time axis and value scale, so that no series hides behind another or behind
//! a legend's "+N more". A panel's title is its legend entry: a click isolates its series.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{draw_axis_lines, draw_value_axis_bottom, draw_value_axis_left, draw_x_title, draw_y_title, Scale};
use super::draw::{line, text, triangle, Txt};
use super::frame::{Area, Frame, PlotRect};
use super::line::{columns, domain, draw_band, draw_series, markers_of, time_title};
use super::palette::marker_colour;
use super::text::{text_w, truncate, widest};
use super::ticks::{nice_ticks, tick_count, tick_labels, time_ticks, Ticks};
use super::time::{fmt_time, TimeStyle};
use super::{ChartResult, HitKind, LineChart, Theme};

/// Panels side by side: as many as fit about 170 pixels each (two on a phone), at most 3.
pub(crate) fn panel_columns(w: i32, n: usize) -> usize {
    ((w / 170).clamp(1, 3) as usize).min(n.max(1))
}

/// Draw every series of `chart` in a panel of its own below `top`. Hit regions: each panel's
/// vertices and markers, its title ([`HitKind::Legend`]) and its columns ([`HitKind::Column`],
/// listing every series at that time).
pub(crate) fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    chart: &LineChart,
    theme: &Theme,
    f: &Frame,
    top: i32,
    series: &[Vec<(i64, f64)>],
) -> ChartResult {
    let off = chart.utc_offset_minutes;
    let all: Vec<usize> = (0..chart.series.len()).collect();
    let markers = markers_of(chart, &all);
    let (d0, d1, lo, hi) = domain(chart, series, &all, &markers);
    let n = chart.series.len();
    let cols = panel_columns(f.w, n);
    let rows = n.div_ceil(cols).max(1) as i32;

    let gap = f.px(6.0);
    let title_h = f.line_h(f.small) + f.px(2.0);
    let label_h = f.line_h(f.small) + gap;
    // the whole grid: the value axis's title on its left, the time axis's title below it
    let gx0 = f.pad + f.line_h(f.font) + gap;
    let gy1 = f.h - f.pad - f.line_h(f.font) - gap;
    let cell_w = ((f.w - f.pad - gx0) / cols as i32).max(1);
    let cell_h = ((gy1 - top) / rows).max(1);
    // one value scale for every panel (a few ticks: the panels are short)
    let plot_h = (cell_h - title_h - label_h - gap).max(10);
    let yticks = nice_ticks(lo, hi, tick_count(plot_h, f.small * 2.4).clamp(3, 4));
    let ylabels = tick_labels(&yticks, chart.y_format);
    let label_w = widest(&ylabels, f.small).ceil() as i32 + gap + f.px(4.0);
    let half_label = (text_w(&fmt_time(d1, off, TimeStyle::MonthDay), f.small) / 2.0).ceil() as i32;

    let times = series.iter().flatten().map(|p| p.0);
    let span = times.clone().min().zip(times.max());
    let mut hits = Vec::new();
    let mut column_hits = Vec::new();
    let mut style = TimeStyle::Date;
    for (k, s) in chart.series.iter().enumerate() {
        let (r, c) = ((k / cols) as i32, (k % cols) as i32);
        let (cx, cy) = (gx0 + c * cell_w, top + r * cell_h);
        let plot = PlotRect {
            x0: cx + label_w,
            y0: cy + title_h,
            x1: (cx + cell_w - half_label.max(gap)).max(cx + label_w + 10),
            y1: cy + title_h + plot_h,
        };
        let xs = Scale::new(d0 as f64, d1 as f64, plot.x0, plot.x1);
        let ys = Scale::new(yticks.lo, yticks.hi, plot.y1, plot.y0);

        // the title: the series' colour and name, its legend entry
        let colour = chart.colour(theme, k);
        let sw = f.px(14.0);
        let ty = cy + title_h / 2;
        line(area, vec![(plot.x0, ty), (plot.x0 + sw, ty)], colour, f.px(3.0) as u32)?;
        let name = truncate(&s.name, (plot.w() - sw - gap) as f64, f.small);
        let tx = plot.x0 + sw + f.px(5.0);
        text(area, theme, &name, tx, ty, &Txt::new(f.small, theme.text).at(HPos::Left, VPos::Center).bold())?;
        let tw = (text_w(&name, f.small) * 1.15).ceil() as i32;
        let label = format!("{}: click to show only this series", s.name);
        let mut hit = f.hit(plot.x0, cy, tx + tw, cy + title_h, label).named(&s.name);
        hit.kind = HitKind::Legend;
        hits.push(hit);

        draw_value_axis_left(area, theme, f, plot, &ys, &yticks, &ylabels)?;
        let (mut tticks, st) = time_ticks(d0, d1, plot.w(), f, off);
        if tticks.len() < 2 {
            // a narrow panel finds room for one step at most, which may miss the data: the
            // first and last times instead
            tticks = span.map_or_else(Vec::new, |(a, b)| if a == b { vec![a] } else { vec![a, b] });
        }
        style = st;
        let labels: Vec<String> = tticks.iter().map(|&t| fmt_time(t, off, st)).collect();
        let as_ticks =
            Ticks { values: tticks.iter().map(|&t| t as f64).collect(), step: 1.0, lo: d0 as f64, hi: d1 as f64 };
        draw_value_axis_bottom(area, theme, f, plot, &xs, &as_ticks, &labels)?;
        draw_axis_lines(area, theme, plot)?;

        draw_band(area, chart, theme, k, (&xs, &ys))?;
        let pts = series.get(k).map(Vec::as_slice).unwrap_or(&[]);
        hits.extend(draw_series(area, chart, theme, f, k, pts, (&xs, &ys), plot.w())?);
        let mr = f.px(5.0);
        for (t, v, tip) in markers_of(chart, &[k]) {
            let p = (xs.map(t as f64), ys.map(v));
            triangle(area, p, mr, marker_colour(theme), theme.background)?;
            hits.push(f.hit(p.0 - mr - 2, p.1 - mr - 2, p.0 + mr + 2, p.1 + mr + 2, tip.to_string()));
        }
        column_hits.extend(columns(chart, theme, f, series, &all, &xs, plot));
    }
    let grid = PlotRect { x0: gx0, y0: top, x1: f.w - f.pad, y1: gy1.max(top + 10) };
    draw_y_title(area, theme, f, f.pad + f.line_h(f.font) / 2, grid, &chart.y_label)?;
    draw_x_title(area, theme, f, gy1 + gap, grid, &time_title(d0, d1, off, style))?;
    hits.extend(column_hits);
    Ok(hits)
}
