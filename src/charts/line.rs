//! Line chart over time (epoch ms), with spike markers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axis_lines, draw_value_axis_bottom, draw_value_axis_left, draw_x_title, draw_y_title, Scale};
use super::draw::{circle, line, triangle};
use super::frame::{begin, empty_state, tame, Frame, PlotRect};
use super::legend::{draw_legend, Swatch};
use super::palette::{categorical_for, marker_colour};
use super::text::{text_w, widest};
use super::ticks::{nice_ticks, tick_count, tick_labels, time_ticks, Ticks};
use super::time::{fmt_time, tame_ms, year_of, TimeStyle, MINUTE};
use super::{ChartResult, LineChart, Theme};
use crate::model::time::format_offset;

/// Valid (finite) points of each series, sorted by time.
fn clean(chart: &LineChart) -> Vec<Vec<(i64, f64)>> {
    chart
        .series
        .iter()
        .map(|s| {
            let mut p: Vec<(i64, f64)> =
                s.points.iter().filter(|(_, v)| v.is_finite()).map(|&(t, v)| (tame_ms(t), v)).collect();
            p.sort_by_key(|&(t, _)| t);
            p
        })
        .collect()
}

fn clean_markers(chart: &LineChart) -> Vec<(i64, f64, &str)> {
    chart.markers.iter().filter(|m| m.2.is_finite()).map(|m| (tame_ms(m.1), m.2, m.3.as_str())).collect()
}

impl LineChart {
    /// Series `i`'s colour: its name's, or the palette's `i`-th.
    fn colour(&self, theme: &Theme, i: usize) -> RGBColor {
        self.hues.get(i).map_or_else(|| categorical_for(theme, i), |h| h.colour(theme))
    }

    /// One-sentence description for screen readers.
    pub fn summary(&self) -> String {
        let series = clean(self);
        let n_series = series.iter().filter(|s| !s.is_empty()).count();
        if n_series == 0 {
            return format!(
                "Line chart of {} over time ({}): nothing to chart in this view.",
                self.y_label, self.title
            );
        }
        let (mut t0, mut t1) = (i64::MAX, i64::MIN);
        let mut peak: Option<(usize, i64, f64)> = None;
        for (i, s) in series.iter().enumerate() {
            for &(t, v) in s {
                t0 = t0.min(t);
                t1 = t1.max(t);
                if peak.is_none_or(|p| v > p.2) {
                    peak = Some((i, t, v));
                }
            }
        }
        let off = self.utc_offset_minutes;
        let peak = match peak {
            Some((i, t, v)) => format!(
                "; peak {} {} at {}",
                self.series[i].name,
                (self.y_format)(v),
                fmt_time(t, off, TimeStyle::Full)
            ),
            None => String::new(),
        };
        let m = clean_markers(self).len();
        let markers = match m {
            0 => String::new(),
            1 => "; 1 spike marked".to_string(),
            m => format!("; {m} spikes marked"),
        };
        format!(
            "Line chart of {} over time ({}): {n_series} series from {} to {} ({}){peak}{markers}.",
            self.y_label,
            self.title,
            fmt_time(t0, off, TimeStyle::Full),
            fmt_time(t1, off, TimeStyle::Full),
            format_offset(off)
        )
    }
}

/// Draw a line chart over time. Hit regions: one per line vertex, then one per marker.
pub fn draw_line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> ChartResult {
    let f = Frame::new(area, theme);
    let top = begin(area, theme, &f, &chart.title)?;
    let series = clean(chart);
    let markers = clean_markers(chart);
    if series.iter().all(|s| s.is_empty()) && markers.is_empty() {
        return empty_state(area, theme, &f, top);
    }
    if f.too_small() {
        return Ok(Vec::new());
    }
    let off = chart.utc_offset_minutes;

    // legend under the title
    let mut items: Vec<(String, Swatch)> =
        chart.series.iter().enumerate().map(|(i, s)| (s.name.clone(), Swatch::Line(chart.colour(theme, i)))).collect();
    if !markers.is_empty() {
        items.push(("spike".to_string(), Swatch::Triangle(marker_colour(theme))));
    }
    let top = draw_legend(area, theme, &f, items, top)?;

    // domains
    let (mut t0, mut t1) = (i64::MAX, i64::MIN);
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    let all = series.iter().flatten().copied().chain(markers.iter().map(|m| (m.0, m.1)));
    for (t, v) in all {
        t0 = t0.min(t);
        t1 = t1.max(t);
        lo = lo.min(tame(v));
        hi = hi.max(tame(v));
    }
    if t1 <= t0 {
        t0 -= 30 * MINUTE;
        t1 += 30 * MINUTE;
    }
    let tpad = ((t1 - t0) / 50).max(1);
    let (d0, d1) = (t0 - tpad, t1 + tpad);
    if lo >= 0.0 {
        lo = 0.0;
    }
    if hi > lo {
        hi += (hi - lo) * 0.05; // headroom for markers
    }

    let gap = f.px(6.0);
    let y0 = top + f.px(4.0);
    let y1 = (f.h - f.pad - f.line_h(f.font) - f.line_h(f.small) - gap * 2).max(y0 + 10);
    let yticks = nice_ticks(lo, hi, tick_count(y1 - y0, f.font * 2.6));
    let ylabels = tick_labels(&yticks, chart.y_format);
    let sample = fmt_time(t1, off, TimeStyle::MonthDayTime);
    let half_label = (text_w(&sample, f.small) / 2.0).ceil() as i32;
    // the first and last time labels are centred on their ticks: keep room for half of them
    let x0 = (f.pad + f.line_h(f.font) + gap + widest(&ylabels, f.small).ceil() as i32 + gap + f.px(4.0))
        .max(f.pad + half_label);
    let x1 = (f.w - f.pad - half_label).max(x0 + 10);
    let plot = PlotRect { x0, y0, x1, y1 };
    let xs = Scale::new(d0 as f64, d1 as f64, plot.x0, plot.x1);
    let ys = Scale::new(yticks.lo, yticks.hi, plot.y1, plot.y0);

    draw_value_axis_left(area, theme, &f, plot, &ys, &yticks, &ylabels)?;
    let (tticks, style) = time_ticks(d0, d1, plot.w(), &f, off);
    let labels: Vec<String> = tticks.iter().map(|&t| fmt_time(t, off, style)).collect();
    let tick_values: Vec<f64> = tticks.iter().map(|&t| t as f64).collect();
    let as_ticks = Ticks { values: tick_values, step: 1.0, lo: d0 as f64, hi: d1 as f64 };
    draw_value_axis_bottom(area, theme, &f, plot, &xs, &as_ticks, &labels)?;
    draw_axis_lines(area, theme, plot)?;
    draw_y_title(area, theme, &f, f.pad + f.line_h(f.font) / 2, plot, &chart.y_label)?;
    let year = if style == TimeStyle::Date {
        String::new()
    } else {
        let (a, b) = (year_of(d0, off), year_of(d1, off));
        if a == b {
            format!(", {a}")
        } else {
            format!(", {a}–{b}")
        }
    };
    draw_x_title(
        area,
        theme,
        &f,
        plot.y1 + gap * 2 + f.line_h(f.small),
        plot,
        &format!("Time ({}{year})", format_offset(off)),
    )?;

    let mut hits = Vec::new();
    let lw = f.px(2.0) as u32;
    let hr = f.px(4.0);
    for (i, (s, pts)) in chart.series.iter().zip(&series).enumerate() {
        if pts.is_empty() {
            continue;
        }
        let colour = chart.colour(theme, i);
        let px: Vec<(i32, i32)> = pts.iter().map(|&(t, v)| (xs.map(t as f64), ys.map(v))).collect();
        line(area, px.clone(), colour, lw)?;
        let dots = pts.len() == 1 || (pts.len() as i32) * 6 <= plot.w();
        for (&(t, v), &p) in pts.iter().zip(&px) {
            if dots {
                let r = if pts.len() == 1 { f.px(4.0) } else { f.px(2.5) };
                circle(area, p, r, colour, None)?;
            }
            let label = format!("{} at {}: {}", s.name, fmt_time(t, off, TimeStyle::Full), (chart.y_format)(v));
            hits.push(f.hit(p.0 - hr, p.1 - hr, p.0 + hr, p.1 + hr, label).named(&s.name));
        }
    }
    let mr = f.px(6.0);
    let mc = marker_colour(theme);
    for &(t, v, tip) in &markers {
        let p = (xs.map(t as f64), ys.map(v));
        triangle(area, p, mr, mc, theme.background)?;
        hits.push(f.hit(p.0 - mr - 2, p.1 - mr - 2, p.0 + mr + 2, p.1 + mr + 2, tip.to_string()));
    }
    Ok(hits)
}
