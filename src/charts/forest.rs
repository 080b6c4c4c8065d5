//! A forest plot: one row per figure, its difference as a dot and its 95 % interval as a
//! whisker, around a line at 0. A row whose interval excludes 0 is drawn in vermillion and
//! bold (colour is not the only mark: its label is bold too).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{draw_value_axis_bottom, Scale};
use super::draw::{circle, line, text, Txt};
use super::frame::{begin, empty_state, tame, Frame, PlotRect};
use super::palette::{categorical, is_dark};
use super::text::{text_w, truncate};
use super::ticks::{nice_ticks, tick_count, tick_labels};
use super::{ChartResult, Theme};

/// Differences with their intervals: (label, difference, low, high, flagged).
#[derive(Debug, Clone, PartialEq)]
pub struct ForestChart {
    pub title: String,
    pub x_label: String,
    pub rows: Vec<(String, f64, f64, f64, bool)>,
}

impl ForestChart {
    fn valid(&self) -> Vec<&(String, f64, f64, f64, bool)> {
        self.rows.iter().filter(|r| r.1.is_finite() && r.2.is_finite() && r.3.is_finite()).collect()
    }

    /// One sentence for screen readers.
    pub fn summary(&self) -> String {
        let rows = self.valid();
        let flagged: Vec<&str> = rows.iter().filter(|r| r.4).map(|r| r.0.as_str()).collect();
        format!(
            "Forest plot of {} differences ({}): {}.",
            rows.len(),
            self.x_label,
            if flagged.is_empty() {
                "no interval excludes 0".to_string()
            } else {
                format!("the interval excludes 0 for {}", flagged.join(", "))
            }
        )
    }

    /// The height that gives each row room, in pixels at scale 1.
    pub fn height(&self) -> u32 {
        (90 + 26 * self.valid().len() as u32).clamp(160, 900)
    }
}

fn fmt_pp(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0".into()
    } else {
        s.trim_end_matches(".0").to_string()
    }
}

pub fn draw_forest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ForestChart,
    theme: &Theme,
) -> ChartResult {
    let f = Frame::new(area, theme);
    let top = begin(area, theme, &f, &chart.title)?;
    let rows = chart.valid();
    if rows.is_empty() {
        return empty_state(area, theme, &f, top);
    }
    if f.too_small() {
        return Ok(Vec::new());
    }
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for r in &rows {
        lo = lo.min(tame(r.2));
        hi = hi.max(tame(r.3));
    }
    // bold (a flagged row) runs about 15 % wider than the width estimate, which is for regular
    let bold = |r: &&(String, f64, f64, f64, bool)| if r.4 { 1.15 } else { 1.0 };
    let label_w =
        rows.iter().map(|r| text_w(&r.0, f.small) * bold(r)).fold(0.0, f64::max).min(f.w as f64 * 0.35).ceil() as i32;
    let x0 = f.pad + label_w + f.pad;
    let x1 = f.w - f.pad * 2;
    let y0 = top + f.px(4.0);
    let y1 = f.h - f.pad - f.line_h(f.small) - f.line_h(f.font) - f.px(6.0);
    if x1 - x0 < 40 || y1 - y0 < 20 {
        return Ok(Vec::new());
    }
    let ticks = nice_ticks(lo, hi, tick_count(x1 - x0, f.small * 6.0));
    let labels = tick_labels(&ticks, fmt_pp);
    let plot = PlotRect { x0, y0, x1, y1 };
    let xs = Scale::new(ticks.lo, ticks.hi, x0, x1);
    draw_value_axis_bottom(area, theme, &f, plot, &xs, &ticks, &labels)?;
    text(
        area,
        theme,
        &truncate(&chart.x_label, (x1 - x0) as f64, f.font),
        (x0 + x1) / 2,
        f.h - f.pad,
        &Txt::new(f.font, theme.text).at(HPos::Center, VPos::Bottom),
    )?;
    // the line of no difference
    let zero = xs.map(0.0);
    line(area, vec![(zero, y0), (zero, y1)], theme.axis, 1)?;
    // the rows share the height the caller gave (`ForestChart::height`), at most 40 px each
    let row_h = ((y1 - y0) as f64 / rows.len() as f64).min(f.px(40.0) as f64);
    let (plain, marked) = (if is_dark(theme.background) { categorical(1) } else { categorical(4) }, categorical(5));
    let mut hits = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y = (y0 as f64 + row_h * (i as f64 + 0.5)).round() as i32;
        let colour = if r.4 { marked } else { plain };
        let label = truncate(&r.0, label_w as f64 / bold(r), f.small);
        let style = Txt::new(f.small, theme.text).at(HPos::Right, VPos::Center);
        text(area, theme, &label, x0 - f.pad, y, &if r.4 { style.bold() } else { style })?;
        let (a, b, d) = (xs.map(tame(r.2)), xs.map(tame(r.3)), xs.map(tame(r.1)));
        let cap = f.px(5.0);
        line(area, vec![(a, y), (b, y)], colour, f.px(2.0) as u32)?;
        line(area, vec![(a, y - cap), (a, y + cap)], colour, f.px(2.0) as u32)?;
        line(area, vec![(b, y - cap), (b, y + cap)], colour, f.px(2.0) as u32)?;
        circle(area, (d, y), f.px(4.5), colour, Some(theme.background))?;
        let tip = format!(
            "{}: {} pp (95 % interval {} to {}){}",
            r.0,
            fmt_pp(r.1),
            fmt_pp(r.2),
            fmt_pp(r.3),
            if r.4 { " — excludes 0" } else { "" }
        );
        hits.push(f.hit(a.min(d) - cap, y - cap, b.max(d) + cap, y + cap, tip));
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whiskers_around_zero() {
        let c = ForestChart {
            title: "t".into(),
            x_label: "difference (percentage points)".into(),
            rows: vec![
                ("Success rate".into(), -20.0, -33.0, -5.0, true),
                ("Alert rate".into(), 2.0, -4.0, 8.0, false),
                ("unknown".into(), f64::NAN, 0.0, 1.0, false),
            ],
        };
        let (svg, hits) = super::super::to_svg(800, c.height(), |a| draw_forest(a, &c, &Theme::light())).unwrap();
        assert_eq!(hits.len(), 2, "a row without a difference is not drawn");
        assert_eq!(hits[0].label, "Success rate: -20 pp (95 % interval -33 to -5) — excludes 0");
        // the flagged row's whisker lies left of the other's (its interval is all below 0)
        assert!(hits[0].x1 < hits[1].x1 && hits[0].x0 < hits[1].x0);
        assert!(svg.contains("font-weight=\"bold\">\nSuccess rate\n</text>"), "the flagged row's label is bold");
        assert_eq!(
            c.summary(),
            "Forest plot of 2 differences (difference (percentage points)): the interval excludes 0 for Success rate."
        );
        let (svg, hits) = super::super::to_svg(800, 300, |a| {
            draw_forest(a, &ForestChart { rows: vec![], ..c.clone() }, &Theme::dark())
        })
        .unwrap();
        assert!(hits.is_empty() && svg.contains(super::super::EMPTY_MESSAGE));
    }
}
