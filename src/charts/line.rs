//! Line chart over time (epoch ms), with spike markers, rates' interval bands, a legend that
//! isolates a series, and a column of every series' values per time for the page's crosshair.
//! More than five series are drawn as small multiples (`multiples.rs`).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axis_lines, draw_value_axis_bottom, draw_value_axis_left, draw_x_title, draw_y_title, Scale};
use super::draw::{band, circle, line, triangle};
use super::frame::{begin, empty_state, tame, Area, Frame, PlotRect};
use super::legend::{draw_legend_entries, Swatch};
use super::palette::{categorical_for, marker_colour};
use super::text::{text_w, widest};
use super::ticks::{nice_ticks, tick_count, tick_labels, time_ticks, Ticks};
use super::time::{fmt_time, tame_ms, year_of, TimeStyle, MINUTE};
use super::{ChartResult, Column, ColumnRow, HitKind, HitRegion, LineChart, Theme};
use crate::model::time::format_offset;

/// Valid (finite) points of each series, sorted by time.
pub(crate) fn clean(chart: &LineChart) -> Vec<Vec<(i64, f64)>> {
    chart
        .series
        .iter()
        .map(|s| {
            let mut p: Vec<(i64, f64)> =
                s.points.iter().filter(|(_, v)| v.is_finite()).map(|&(t, v)| (tame_ms(t), v)).collect();
            crate::model::sort::by_key(&mut p, |&(t, _)| t);
            p
        })
        .collect()
}

fn clean_markers(chart: &LineChart) -> Vec<(i64, f64, &str)> {
    chart.markers.iter().filter(|m| m.2.is_finite()).map(|m| (tame_ms(m.1), m.2, m.3.as_str())).collect()
}

/// The valid markers of the series `shown` (all of them when every series is).
pub(crate) fn markers_of<'a>(chart: &'a LineChart, shown: &[usize]) -> Vec<(i64, f64, &'a str)> {
    let all = shown.len() == chart.series.len();
    chart
        .markers
        .iter()
        .filter(|m| m.2.is_finite() && (all || shown.contains(&m.0)))
        .map(|m| (tame_ms(m.1), m.2, m.3.as_str()))
        .collect()
}

/// From this many series shown, a line chart is drawn as small multiples: thin lines that
/// cross each other become unreadable, and a legend that wraps hides some.
pub const SMALL_MULTIPLES_FROM: usize = 6;

impl LineChart {
    /// Series `i`'s colour: its name's, or the palette's `i`-th.
    pub(crate) fn colour(&self, theme: &Theme, i: usize) -> RGBColor {
        self.hues.get(i).map_or_else(|| categorical_for(theme, i), |h| h.colour(theme))
    }

    /// The indices of the series drawn: the one named `only` if there is one, else all.
    pub(crate) fn shown(&self, only: Option<&str>) -> Vec<usize> {
        match only.and_then(|o| self.series.iter().position(|s| s.name == o)) {
            Some(i) => vec![i],
            None => (0..self.series.len()).collect(),
        }
    }

    /// Series `i`'s value at `t` as tooltips write it: with its n and 95 % interval if it has them.
    pub(crate) fn value_text(&self, i: usize, t: i64, v: f64) -> String {
        let f = self.y_format;
        match self.series.get(i).and_then(|s| s.intervals.iter().find(|b| tame_ms(b.t) == t)) {
            Some(b) => format!("{} (n = {}, 95 % CI {}–{})", f(v), b.n, f(b.lo), f(b.hi)),
            None => f(v),
        }
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
        let bands = if self.series.iter().any(|s| !s.intervals.is_empty()) {
            "; shaded: each point's 95 % interval"
        } else {
            ""
        };
        let m = clean_markers(self).len();
        let markers = match m {
            0 => String::new(),
            1 => "; 1 spike marked".to_string(),
            m => format!("; {m} spikes marked"),
        };
        format!(
            "Line chart of {} over time ({}): {n_series} series from {} to {} ({}){peak}{markers}{bands}.",
            self.y_label,
            self.title,
            fmt_time(t0, off, TimeStyle::Full),
            fmt_time(t1, off, TimeStyle::Full),
            format_offset(off)
        )
    }
}

/// Draw a line chart over time. Hit regions: one per line vertex, then one per marker, one per
/// legend entry ([`HitKind::Legend`]), then one column per time ([`HitKind::Column`]).
pub fn draw_line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> ChartResult {
    draw_line_chart_only(area, chart, theme, None)
}

/// [`draw_line_chart`] showing only the series named `only` (the others greyed in the legend),
/// or every series when it names none of them.
pub fn draw_line_chart_only<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
    only: Option<&str>,
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
    let shown = chart.shown(only);
    if shown.len() >= SMALL_MULTIPLES_FROM {
        return super::multiples::draw(area, chart, theme, &f, top, &series);
    }
    let off = chart.utc_offset_minutes;

    // legend under the title; an entry is clicked to isolate its series. The others are greyed,
    // or, where they were small multiples (too many for one legend), left out.
    let listed: Vec<usize> =
        if chart.series.len() >= SMALL_MULTIPLES_FROM { shown.clone() } else { (0..chart.series.len()).collect() };
    let mut items: Vec<(String, Swatch)> =
        listed.iter().map(|&i| (chart.series[i].name.clone(), Swatch::Line(chart.colour(theme, i)))).collect();
    let shown_markers = markers_of(chart, &shown);
    if !shown_markers.is_empty() {
        items.push(("spike".to_string(), Swatch::Triangle(marker_colour(theme))));
    }
    let hidden: Vec<usize> = (0..listed.len()).filter(|&k| !shown.contains(&listed[k])).collect();
    let (top, entries) = draw_legend_entries(area, theme, &f, items, &hidden, top)?;

    let (d0, d1, lo, hi) = domain(chart, &series, &shown, &shown_markers);
    let gap = f.px(6.0);
    let y0 = top + f.px(4.0);
    let y1 = (f.h - f.pad - f.line_h(f.font) - f.line_h(f.small) - gap * 2).max(y0 + 10);
    let yticks = nice_ticks(lo, hi, tick_count(y1 - y0, f.font * 2.6));
    let ylabels = tick_labels(&yticks, chart.y_format);
    let sample = fmt_time(d1, off, TimeStyle::MonthDayTime);
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
    let title_y = plot.y1 + gap * 2 + f.line_h(f.small);
    draw_x_title(area, theme, &f, title_y, plot, &time_title(d0, d1, off, style))?;

    let scales = (&xs, &ys);
    let mut hits = Vec::new();
    for &i in &shown {
        draw_band(area, chart, theme, i, scales)?;
    }
    for &i in &shown {
        hits.extend(draw_series(area, chart, theme, &f, i, &series[i], scales, plot.w())?);
    }
    let mr = f.px(6.0);
    let mc = marker_colour(theme);
    for &(t, v, tip) in &shown_markers {
        let p = (xs.map(t as f64), ys.map(v));
        triangle(area, p, mr, mc, theme.background)?;
        hits.push(f.hit(p.0 - mr - 2, p.1 - mr - 2, p.0 + mr + 2, p.1 + mr + 2, tip.to_string()));
    }
    for e in entries {
        let Some(s) = listed.get(e.index).and_then(|&i| chart.series.get(i)) else { continue }; // the spike's
        let label = if only == Some(s.name.as_str()) {
            format!("{}: click to show every series", s.name)
        } else {
            format!("{}: click to show only this series", s.name)
        };
        let mut hit = f.hit(e.x0, e.y0, e.x1, e.y1, label).named(&s.name);
        hit.kind = HitKind::Legend;
        hits.push(hit);
    }
    hits.extend(columns(chart, theme, &f, &series, &shown, &xs, plot));
    Ok(hits)
}

/// The time domain (padded) and value range (from 0 unless negative, with headroom for markers)
/// of the series `shown`, their markers and their interval bands.
pub(crate) fn domain(
    chart: &LineChart,
    series: &[Vec<(i64, f64)>],
    shown: &[usize],
    markers: &[(i64, f64, &str)],
) -> (i64, i64, f64, f64) {
    let (mut t0, mut t1) = (i64::MAX, i64::MIN);
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    let bands = shown
        .iter()
        .filter_map(|&i| chart.series.get(i))
        .flat_map(|s| s.intervals.iter())
        .flat_map(|b| [(b.t, b.lo), (b.t, b.hi)]);
    let all = shown
        .iter()
        .filter_map(|&i| series.get(i))
        .flat_map(|s| s.iter().copied())
        .chain(markers.iter().map(|m| (m.0, m.1)))
        .chain(bands.filter(|(_, v)| v.is_finite()).map(|(t, v)| (tame_ms(t), v)));
    for (t, v) in all {
        t0 = t0.min(t);
        t1 = t1.max(t);
        lo = lo.min(tame(v));
        hi = hi.max(tame(v));
    }
    if t0 > t1 {
        // nothing shown has a point (an isolated empty series): an empty frame
        (t0, t1, lo, hi) = (0, 0, 0.0, 1.0);
    }
    if t1 <= t0 {
        t0 -= 30 * MINUTE;
        t1 += 30 * MINUTE;
    }
    let tpad = ((t1 - t0) / 50).max(1);
    if lo >= 0.0 {
        lo = 0.0;
    }
    if hi > lo {
        hi += (hi - lo) * 0.05; // headroom for markers
    }
    (t0 - tpad, t1 + tpad, lo, hi)
}

/// The time axis's title: the time zone, and the year(s) unless the labels are dates.
pub(crate) fn time_title(d0: i64, d1: i64, off: i32, style: TimeStyle) -> String {
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
    format!("Time ({}{year})", format_offset(off))
}

/// Series `i`'s interval band (its points' 95 % intervals joined), under the lines.
pub(crate) fn draw_band<DB: DrawingBackend>(
    area: &Area<DB>,
    chart: &LineChart,
    theme: &Theme,
    i: usize,
    (xs, ys): (&Scale, &Scale),
) -> Result<(), super::ChartError> {
    let Some(s) = chart.series.get(i) else { return Ok(()) };
    let mut b: Vec<(i64, f64, f64)> = s
        .intervals
        .iter()
        .filter(|b| b.lo.is_finite() && b.hi.is_finite())
        .map(|b| (tame_ms(b.t), b.lo, b.hi))
        .collect();
    crate::model::sort::by_key(&mut b, |b| b.0);
    if let [(t, lo, hi)] = b[..] {
        // one point: its interval as a narrow bar
        let (x, w) = (xs.map(t as f64), 3);
        let pts = vec![(x - w, ys.map(hi)), (x + w, ys.map(hi)), (x + w, ys.map(lo)), (x - w, ys.map(lo))];
        return band(area, pts, chart.colour(theme, i));
    }
    let upper = b.iter().map(|&(t, _, hi)| (xs.map(t as f64), ys.map(hi)));
    let lower = b.iter().rev().map(|&(t, lo, _)| (xs.map(t as f64), ys.map(lo)));
    band(area, upper.chain(lower).collect(), chart.colour(theme, i))
}

/// Series `i`'s line (with dots when they fit); its vertices' hit regions, named.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_series<DB: DrawingBackend>(
    area: &Area<DB>,
    chart: &LineChart,
    theme: &Theme,
    f: &Frame,
    i: usize,
    pts: &[(i64, f64)],
    (xs, ys): (&Scale, &Scale),
    plot_w: i32,
) -> Result<Vec<HitRegion>, super::ChartError> {
    let mut hits = Vec::new();
    let (Some(s), false) = (chart.series.get(i), pts.is_empty()) else { return Ok(hits) };
    let off = chart.utc_offset_minutes;
    let colour = chart.colour(theme, i);
    let lw = f.px(2.0) as u32;
    let hr = f.px(4.0);
    let px: Vec<(i32, i32)> = pts.iter().map(|&(t, v)| (xs.map(t as f64), ys.map(v))).collect();
    line(area, px.clone(), colour, lw)?;
    let dots = pts.len() == 1 || (pts.len() as i32) * 6 <= plot_w;
    for (&(t, v), &p) in pts.iter().zip(&px) {
        if dots {
            let r = if pts.len() == 1 { f.px(4.0) } else { f.px(2.5) };
            circle(area, p, r, colour, None)?;
        }
        let label = format!("{} at {}: {}", s.name, fmt_time(t, off, TimeStyle::Full), chart.value_text(i, t, v));
        hits.push(f.hit(p.0 - hr, p.1 - hr, p.0 + hr, p.1 + hr, label).named(&s.name));
    }
    Ok(hits)
}

/// One region per time any shown series has a point at: from half-way to the previous time to
/// half-way to the next, the plot's height, holding every shown series' value there.
pub(crate) fn columns(
    chart: &LineChart,
    theme: &Theme,
    f: &Frame,
    series: &[Vec<(i64, f64)>],
    shown: &[usize],
    xs: &Scale,
    plot: PlotRect,
) -> Vec<HitRegion> {
    let mut times: Vec<i64> = shown.iter().filter_map(|&i| series.get(i)).flatten().map(|p| p.0).collect();
    crate::model::sort::natural(&mut times);
    times.dedup();
    let px: Vec<i32> = times.iter().map(|&t| xs.map(t as f64)).collect();
    let mut out = Vec::with_capacity(times.len());
    for (k, &t) in times.iter().enumerate() {
        let x = px[k];
        let left = if k == 0 { plot.x0 } else { (px[k - 1] + x) / 2 + 1 };
        let right = px.get(k + 1).map_or(plot.x1, |&n| (x + n) / 2);
        let mut rows: Vec<(f64, ColumnRow)> = shown
            .iter()
            .filter_map(|&i| {
                // (a series' points are sorted by time)
                let pts = series.get(i)?;
                let &(_, v) = pts.get(pts.binary_search_by_key(&t, |p| p.0).ok()?)?;
                let c = chart.colour(theme, i);
                let colour = format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
                Some((v, ColumnRow { name: chart.series[i].name.clone(), value: chart.value_text(i, t, v), colour }))
            })
            .collect();
        crate::model::sort::by(&mut rows, |a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
        let time = fmt_time(t, chart.utc_offset_minutes, TimeStyle::Full);
        let rows: Vec<ColumnRow> = rows.into_iter().map(|r| r.1).collect();
        // the plain text of the tooltip, for what reads labels only
        let label = std::iter::once(time.clone())
            .chain(rows.iter().map(|r| format!("{}: {}", r.name, r.value)))
            .collect::<Vec<_>>()
            .join("\n");
        let mut hit = f.hit(left, plot.y0, right, plot.y1, label);
        hit.kind = HitKind::Column(Column { x, y0: plot.y0, y1: plot.y1, time, rows });
        out.push(hit);
    }
    out
}
