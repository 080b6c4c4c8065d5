//! Layout and drawing helpers shared by the chart kinds.
//!
//! Everything here works in pixels relative to the area's top-left corner.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{HitRegion, Theme, EMPTY_MESSAGE};

pub(crate) type Area<DB> = DrawingArea<DB, Shift>;
pub(crate) type R<T = ()> = Result<T, String>;

pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Largest magnitude used for layout; values beyond are clamped (labels keep the exact value).
const MAX_MAGNITUDE: f64 = 1e300;

/// Clamp to a finite range usable for arithmetic (NaN becomes 0; callers skip NaN earlier).
pub(crate) fn tame(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE)
    }
}

// ---------------------------------------------------------------------------------------------
// Frame: sizes derived from the area.

/// Sizes that scale with the area (reference size 800×400).
pub(crate) struct Frame {
    pub w: i32,
    pub h: i32,
    pub s: f64,
    /// Body text (axis titles, legend).
    pub font: f64,
    /// Tick labels, value labels.
    pub small: f64,
    pub title: f64,
    pub pad: i32,
}

impl Frame {
    pub fn new<DB: DrawingBackend>(area: &Area<DB>, theme: &Theme) -> Frame {
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w.min(100_000) as i32, h.min(100_000) as i32);
        let s = (w as f64 / 800.0).min(h as f64 / 400.0).clamp(0.5, 4.0);
        let base = theme.font_px.clamp(6, 64) as f64;
        let font = (base * s).round().max(8.0);
        let small = (font * 0.86).round().max(7.0);
        let title = (font * 1.3).round();
        let pad = (10.0 * s).round().max(4.0) as i32;
        Frame { w, h, s, font, small, title, pad }
    }

    /// Height of a line of text of size `px`.
    pub fn line_h(&self, px: f64) -> i32 {
        (px * 1.3).ceil() as i32
    }

    /// Scaled length.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.s).round().max(1.0) as i32
    }

    /// Too small to draw anything meaningful.
    pub fn too_small(&self) -> bool {
        self.w < 120 || self.h < 80
    }

    /// A hit region clamped to the area, with corners in order.
    pub fn hit(&self, x0: i32, y0: i32, x1: i32, y1: i32, label: String) -> HitRegion {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let cx = |v: i32| v.clamp(0, (self.w - 1).max(0));
        let cy = |v: i32| v.clamp(0, (self.h - 1).max(0));
        HitRegion { x0: cx(x0), y0: cy(y0), x1: cx(x1), y1: cy(y1), label }
    }
}

/// The plotting rectangle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlotRect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl PlotRect {
    pub fn w(&self) -> i32 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> i32 {
        self.y1 - self.y0
    }
}

// ---------------------------------------------------------------------------------------------
// Text measuring (deterministic, conservative: errs on the wide side of common sans fonts).

fn char_w(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | ' ' => 0.34,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '\\' | '"' => 0.42,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.92,
        'A'..='Z' => 0.72,
        '0'..='9' => 0.64,
        c if c.is_ascii() => 0.6,
        c if (c as u32) >= 0x2E80 => 1.05,
        _ => 0.7,
    }
}

/// Estimated width in pixels of `s` at font size `px`.
pub(crate) fn text_w(s: &str, px: f64) -> f64 {
    s.chars().map(char_w).sum::<f64>() * px
}

/// `s` shortened with "…" to fit `max_w` pixels ("" if not even "…" fits).
pub(crate) fn truncate(s: &str, max_w: f64, px: f64) -> String {
    if text_w(s, px) <= max_w {
        return s.to_string();
    }
    let ell = text_w("…", px);
    if ell > max_w {
        return String::new();
    }
    let mut out = String::new();
    let mut w = ell;
    for c in s.chars() {
        let cw = char_w(c) * px;
        if w + cw > max_w {
            break;
        }
        w += cw;
        out.push(c);
    }
    let trimmed = out.trim_end();
    format!("{trimmed}…")
}

/// `s` shortened in the middle ("model-wi…name-12") to fit `max_w` pixels.
pub(crate) fn truncate_middle(s: &str, max_w: f64, px: f64) -> String {
    if text_w(s, px) <= max_w {
        return s.to_string();
    }
    let ell = text_w("…", px);
    if ell > max_w {
        return String::new();
    }
    let chars: Vec<char> = s.chars().collect();
    let (mut head, mut tail) = (0usize, 0usize);
    let mut w = ell;
    // alternate: one from the front, one from the back (the back is usually what differs)
    loop {
        let take_tail = tail < head;
        let idx = if take_tail { chars.len() - 1 - tail } else { head };
        if head + tail >= chars.len() {
            break;
        }
        let cw = char_w(chars[idx]) * px;
        if w + cw > max_w {
            break;
        }
        w += cw;
        if take_tail {
            tail += 1;
        } else {
            head += 1;
        }
    }
    let front: String = chars[..head].iter().collect();
    let back: String = chars[chars.len() - tail..].iter().collect();
    format!("{front}…{back}")
}

/// Labels fitted to `max_w`: cut at the end, or in the middle if cutting at the end would make
/// different names look the same.
pub(crate) fn fit_labels(names: &[String], max_w: f64, px: f64) -> Vec<String> {
    let end: Vec<String> = names.iter().map(|n| truncate(n, max_w, px)).collect();
    let mut seen = std::collections::HashMap::new();
    let clash =
        names.iter().zip(&end).any(|(n, t)| seen.insert(t.as_str(), n.as_str()).is_some_and(|o| o != n.as_str()));
    if clash {
        names.iter().map(|n| truncate_middle(n, max_w, px)).collect()
    } else {
        end
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing primitives.

/// Text style settings.
#[derive(Clone, Copy)]
pub(crate) struct Txt {
    pub px: f64,
    pub color: RGBColor,
    pub h: HPos,
    pub v: VPos,
    pub rot: bool,
    pub bold: bool,
}

impl Txt {
    pub fn new(px: f64, color: RGBColor) -> Txt {
        Txt { px, color, h: HPos::Left, v: VPos::Top, rot: false, bold: false }
    }
    pub fn at(mut self, h: HPos, v: VPos) -> Txt {
        self.h = h;
        self.v = v;
        self
    }
    /// Rotated to read bottom-to-top.
    pub fn rotated(mut self) -> Txt {
        self.rot = true;
        self
    }
    pub fn bold(mut self) -> Txt {
        self.bold = true;
        self
    }
}

pub(crate) fn text<DB: DrawingBackend>(area: &Area<DB>, theme: &Theme, s: &str, x: i32, y: i32, t: &Txt) -> R {
    if s.is_empty() {
        return Ok(());
    }
    let font = FontDesc::new(
        FontFamily::Name(theme.font_family),
        t.px,
        if t.bold { FontStyle::Bold } else { FontStyle::Normal },
    );
    let mut style = TextStyle::from(font).color(&t.color).pos(Pos::new(t.h, t.v));
    if t.rot {
        style = style.transform(FontTransform::Rotate270);
    }
    area.draw_text(s, &style, (x, y)).map_err(err)
}

pub(crate) fn fill_rect<DB: DrawingBackend>(
    area: &Area<DB>,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    color: RGBColor,
) -> R {
    let (x0, x1) = (x0.min(x1), x0.max(x1));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled())).map_err(err)
}

pub(crate) fn stroke_rect<DB: DrawingBackend>(
    area: &Area<DB>,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    color: RGBColor,
    width: u32,
) -> R {
    let (x0, x1) = (x0.min(x1), x0.max(x1));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.stroke_width(width))).map_err(err)
}

pub(crate) fn line<DB: DrawingBackend>(area: &Area<DB>, pts: Vec<(i32, i32)>, color: RGBColor, width: u32) -> R {
    if pts.len() < 2 {
        return Ok(());
    }
    area.draw(&PathElement::new(pts, color.stroke_width(width))).map_err(err)
}

pub(crate) fn dashed<DB: DrawingBackend>(
    area: &Area<DB>,
    from: (i32, i32),
    to: (i32, i32),
    color: RGBColor,
    width: u32,
    dash: i32,
) -> R {
    let el = plotters::element::DashedPathElement::new(
        vec![from, to],
        dash.max(1),
        (dash / 2).max(1),
        color.stroke_width(width),
    );
    area.draw(&el).map_err(err)
}

pub(crate) fn circle<DB: DrawingBackend>(
    area: &Area<DB>,
    c: (i32, i32),
    r: i32,
    fill: RGBColor,
    outline: Option<RGBColor>,
) -> R {
    let r = r.max(1) as u32;
    area.draw(&Circle::new(c, r, fill.filled())).map_err(err)?;
    if let Some(o) = outline {
        area.draw(&Circle::new(c, r, o.stroke_width(1))).map_err(err)?;
    }
    Ok(())
}

/// An upward-pointing triangle centred on `c`.
pub(crate) fn triangle<DB: DrawingBackend>(
    area: &Area<DB>,
    c: (i32, i32),
    r: i32,
    fill: RGBColor,
    outline: RGBColor,
) -> R {
    let r = r.max(2);
    let pts = vec![(c.0, c.1 - r), (c.0 + r, c.1 + r * 3 / 4), (c.0 - r, c.1 + r * 3 / 4)];
    area.draw(&Polygon::new(pts.clone(), fill.filled())).map_err(err)?;
    let mut closed = pts.clone();
    closed.push(pts[0]);
    line(area, closed, outline, 1)
}

// ---------------------------------------------------------------------------------------------
// Frame pieces: background, title, empty state.

/// Fill the background and draw the title. Returns the y below the title.
pub(crate) fn begin<DB: DrawingBackend>(area: &Area<DB>, theme: &Theme, f: &Frame, title: &str) -> R<i32> {
    area.fill(&theme.background).map_err(err)?;
    // the estimate of `text_w` is for regular weight: bold runs about 15 % wider
    let t = truncate(title, (f.w - 2 * f.pad) as f64 / 1.15, f.title);
    text(area, theme, &t, f.w / 2, f.pad, &Txt::new(f.title, theme.text).at(HPos::Center, VPos::Top).bold())?;
    Ok(f.pad + f.line_h(f.title) + f.pad / 2)
}

/// Draw the "no data" message centred below `top`; returns no hit regions.
pub(crate) fn empty_state<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    top: i32,
) -> super::ChartResult {
    let msg = truncate(EMPTY_MESSAGE, (f.w - 2 * f.pad) as f64, f.font);
    let y = top + (f.h - top) / 2;
    text(area, theme, &msg, f.w / 2, y, &Txt::new(f.font, theme.axis).at(HPos::Center, VPos::Center))?;
    Ok(Vec::new())
}

// ---------------------------------------------------------------------------------------------
// Numbers and ticks.

/// A general-purpose format: up to 3 decimals, k/M/G suffixes for large values.
pub(crate) fn smart_format(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "-∞".into() };
    }
    let a = v.abs();
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if a >= 1e15 {
        format!("{v:.2e}")
    } else if a >= 1e9 {
        format!("{}G", trim(format!("{:.2}", v / 1e9)))
    } else if a >= 1e6 {
        format!("{}M", trim(format!("{:.2}", v / 1e6)))
    } else if a >= 1e4 {
        format!("{}k", trim(format!("{:.1}", v / 1e3)))
    } else if a >= 100.0 {
        trim(format!("{v:.1}"))
    } else if a == 0.0 {
        "0".into()
    } else if a < 0.001 {
        format!("{v:.2e}")
    } else {
        trim(format!("{v:.3}"))
    }
}

/// A format for tick `v` good enough to tell apart ticks `step` apart.
fn step_format(v: f64, step: f64) -> String {
    let a = v.abs().max(step.abs());
    if a >= 1e4 || step >= 1e4 {
        return smart_format(v);
    }
    let decimals =
        if step > 0.0 && step.is_finite() { (-(step.log10().floor()) as i32 + 1).clamp(0, 8) as usize } else { 2 };
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

fn nice_step(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let m = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 2.5 {
        2.5
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Nice ticks covering `[lo, hi]` with about `count` intervals. The domain is widened to the
/// outer ticks. A zero-width range is widened first.
pub(crate) struct Ticks {
    pub values: Vec<f64>,
    pub step: f64,
    pub lo: f64,
    pub hi: f64,
}

pub(crate) fn nice_ticks(lo: f64, hi: f64, count: usize) -> Ticks {
    let (mut lo, mut hi) = (tame(lo.min(hi)), tame(lo.max(hi)));
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 || hi - lo <= f64::MIN_POSITIVE {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= d;
        hi += d;
    }
    let count = count.clamp(1, 20);
    let step = nice_step((hi - lo) / count as f64);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let n = (((end - start) / step).round() as usize).clamp(1, 60);
    let values: Vec<f64> = (0..=n)
        .map(|i| {
            let v = start + i as f64 * step;
            if v.abs() < step * 1e-9 {
                0.0
            } else {
                v
            }
        })
        .collect();
    let hi = values.last().copied().unwrap_or(end);
    Ticks { values, step, lo: start, hi }
}

/// Tick labels with the chart's format, or a step-based format if that one repeats labels.
pub(crate) fn tick_labels(t: &Ticks, fmt: fn(f64) -> String) -> Vec<String> {
    let labels = one_duration_unit(&t.values, t.values.iter().map(|&v| fmt(v)).collect());
    // repeated labels (format too coarse) or absurdly long ones (huge values): fall back
    if labels.windows(2).any(|w| w[0] == w[1]) || labels.iter().any(|l| l.chars().count() > 14) {
        t.values.iter().map(|&v| step_format(v, t.step)).collect()
    } else {
        labels
    }
}

/// Duration ticks (values in ms, labels like `50.0 s`, `1.7 min`) in one unit, the largest
/// tick's, with as few decimals as keep them apart: `0, 0.8, 1.7, 2.5 min` reads as a scale,
/// `0 ms, 50.0 s, 1.7 min` does not. Other labels are returned as they are.
fn one_duration_unit(values: &[f64], labels: Vec<String>) -> Vec<String> {
    const UNITS: [(&str, f64); 4] = [(" h", 3_600_000.0), (" min", 60_000.0), (" s", 1000.0), (" ms", 1.0)];
    let unit_of =
        |l: &str| UNITS.iter().position(|(u, _)| l.ends_with(u) && l[..l.len() - u.len()].parse::<f64>().is_ok());
    let units: Vec<Option<usize>> = labels.iter().map(|l| unit_of(l)).collect();
    if units.iter().any(Option::is_none) || units.windows(2).all(|w| w[0] == w[1]) {
        return labels;
    }
    let top = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let (unit, per) = UNITS.iter().find(|(_, per)| top >= *per).copied().unwrap_or(UNITS[3]);
    (0..=3)
        .map(|d| values.iter().map(|v| format!("{:.*}{unit}", d, v / per)).collect::<Vec<_>>())
        .find(|l| l.windows(2).all(|w| w[0] != w[1]))
        .unwrap_or(labels)
}

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
// Axes.

/// Number of value ticks that fit in `len` pixels with labels `spacing` apart.
pub(crate) fn tick_count(len: i32, spacing: f64) -> usize {
    ((len as f64 / spacing.max(1.0)).floor() as usize).clamp(2, 10)
}

/// Horizontal gridlines and value labels on the left of `plot`.
pub(crate) fn draw_value_axis_left<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    plot: PlotRect,
    ys: &Scale,
    ticks: &Ticks,
    labels: &[String],
) -> R {
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
) -> R {
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
pub(crate) fn draw_axis_lines<DB: DrawingBackend>(area: &Area<DB>, theme: &Theme, plot: PlotRect) -> R {
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
) -> R {
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
) -> R {
    let t = truncate(s, (f.w - 2 * f.pad) as f64, f.font);
    text(area, theme, &t, (plot.x0 + plot.x1) / 2, y, &Txt::new(f.font, theme.text).at(HPos::Center, VPos::Top))
}

/// Which labels to draw of a row of labels `spacing` pixels apart (centre to centre), one line
/// of `px` text each across the row: every n-th, n as small as keeps neighbours apart. What a
/// line takes across is its font size (the em box holds the glyphs); the 1.3 line height adds
/// leading, which neighbours may share, so it is not the measure: with it, bars 13 to 17 px
/// apart at 13 px text had every other one named though each name had room.
pub(crate) fn label_stride(spacing: f64, px: f64) -> usize {
    // no spacing at all (or NaN): only the first label (usize::MAX, as the cast saturates)
    ((px / spacing.max(f64::MIN_POSITIVE)).ceil() as usize).max(1)
}

/// The ways to break `s` in two: after a space (dropped), '_', '-' or '/' (kept), both halves
/// non-empty, in order of the break.
fn line_breaks(s: &str) -> impl DoubleEndedIterator<Item = (&str, &str)> {
    s.char_indices()
        .filter(|&(_, c)| matches!(c, ' ' | '_' | '-' | '/'))
        .map(move |(i, c)| (s[..i + c.len_utf8()].trim_end(), s[i + c.len_utf8()..].trim_start()))
        .filter(|(head, tail)| !head.is_empty() && !tail.is_empty())
}

/// `s` as one line if it fits `max_w` pixels, or broken into two lines that both fit (the break
/// that makes the longer line shortest); None if neither works.
pub(crate) fn one_or_two_lines(s: &str, max_w: f64, px: f64) -> Option<Vec<String>> {
    if text_w(s, px) <= max_w {
        return Some(vec![s.to_string()]);
    }
    line_breaks(s)
        .map(|(head, tail)| (text_w(head, px).max(text_w(tail, px)), head, tail))
        .filter(|&(w, _, _)| w <= max_w)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, head, tail)| vec![head.to_string(), tail.to_string()])
}

/// `s` over two lines when even two lines cannot hold it whole: the longest first line that fits,
/// the rest cut with "…". None without such a break.
pub(crate) fn two_lines_cut(s: &str, max_w: f64, px: f64) -> Option<Vec<String>> {
    line_breaks(s)
        .rfind(|(head, _)| text_w(head, px) <= max_w)
        .map(|(head, tail)| vec![head.to_string(), truncate(tail, max_w, px)])
}

/// How category labels along a horizontal axis are drawn.
pub(crate) struct CatLabels {
    pub rotated: bool,
    /// Draw every n-th label.
    pub every: usize,
    /// The lines of each label: one, or two (one under the other, or side by side when rotated).
    pub texts: Vec<Vec<String>>,
    /// Pixels needed below the axis.
    pub height: i32,
}

/// Lay out `names` in slots of `slot_w` pixels, rotated labels at most `max_h` long.
///
/// Upright on one line if they fit. If not, and a few characters fit across a slot: upright on
/// two lines if every label then fits, or cut short if that cuts no label badly and rotating
/// would cut some or leave some out. Otherwise rotated, where a label longer than `max_h` goes
/// over two lines side by side if the slot is wide enough, and is cut short only if it cannot.
pub(crate) fn layout_categories(f: &Frame, names: &[String], slot_w: f64, max_h: f64) -> CatLabels {
    let px = f.small;
    let gap = f.px(6.0);
    let lh = f.line_h(px);
    let one_line = |texts: Vec<String>| texts.into_iter().map(|t| vec![t]).collect();
    let widest = names.iter().map(|n| text_w(n, px)).fold(0.0, f64::max);
    let avail = slot_w * 0.98 - 3.0;
    if widest <= avail {
        return CatLabels { rotated: false, every: 1, texts: one_line(names.to_vec()), height: lh + gap };
    }
    let max_h = max_h.max(px * 3.0);
    let every = label_stride(slot_w, px);
    if avail >= px * 4.5 {
        if let Some(texts) = names.iter().map(|n| one_or_two_lines(n, avail, px)).collect::<Option<Vec<_>>>() {
            return CatLabels { rotated: false, every: 1, texts, height: 2 * lh + gap };
        }
        // enough room for a few characters: truncate, unless that cuts a label badly or
        // rotated labels would all be drawn whole
        let texts: Vec<String> = fit_labels(names, avail, px);
        let bad = names.iter().zip(&texts).any(|(n, t)| (t.chars().count() as f64) < 0.7 * n.chars().count() as f64);
        let whole_rotated = widest <= max_h && every == 1;
        if (!bad && !whole_rotated) || (lh as f64) > slot_w {
            return CatLabels { rotated: false, every: 1, texts: one_line(texts), height: lh + gap };
        }
    }
    let two_fit = slot_w >= 2.0 * lh as f64;
    let texts: Vec<Vec<String>> = names
        .iter()
        .zip(fit_labels(names, max_h, px))
        .map(|(n, cut)| two_fit.then(|| one_or_two_lines(n, max_h, px)).flatten().unwrap_or_else(|| vec![cut]))
        .collect();
    let longest = texts.iter().flatten().map(|n| text_w(n, px)).fold(0.0, f64::max);
    CatLabels { rotated: true, every, texts, height: longest.ceil() as i32 + gap * 2 }
}

/// Draw category labels under the axis at the given slot centres.
pub(crate) fn draw_categories<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    y: i32,
    centres: &[i32],
    labels: &CatLabels,
) -> R {
    let gap = f.px(6.0);
    let lh = f.line_h(f.small);
    for (i, (x, lines)) in centres.iter().zip(&labels.texts).enumerate() {
        if i % labels.every != 0 {
            continue;
        }
        for (k, s) in lines.iter().enumerate() {
            if labels.rotated {
                // read bottom to top: the first line on the left, the lines centred on the slot
                let lx = *x - lh * (lines.len() as i32 - 1) / 2 + lh * k as i32;
                text(
                    area,
                    theme,
                    s,
                    lx,
                    y + gap,
                    &Txt::new(f.small, theme.text).at(HPos::Right, VPos::Center).rotated(),
                )?;
            } else {
                text(
                    area,
                    theme,
                    s,
                    *x,
                    y + gap + lh * k as i32,
                    &Txt::new(f.small, theme.text).at(HPos::Center, VPos::Top),
                )?;
            }
        }
    }
    Ok(())
}

/// Widest of the labels, in pixels.
pub(crate) fn widest(labels: &[String], px: f64) -> f64 {
    labels.iter().map(|l| text_w(l, px)).fold(0.0, f64::max)
}

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

// ---------------------------------------------------------------------------------------------
// Legend.

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
                    last.push(LegendItem { text: more, swatch: Swatch::Box(RGBColor(0, 0, 0)), w: -mw });
                }
                return rows;
            }
            rows.push(Vec::new());
            row_w = 0;
        }
        row_w = if row_w == 0 { w } else { row_w + spacing + w };
        if let Some(last) = rows.last_mut() {
            last.push(LegendItem { text, swatch, w });
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
) -> R<i32> {
    if items.is_empty() {
        return Ok(top);
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
            match item.swatch {
                Swatch::Box(c) => fill_rect(area, (x, cy - half, x + sw, cy + half), c)?,
                Swatch::Line(c) => line(area, vec![(x, cy), (x + sw, cy)], c, f.px(2.0) as u32)?,
                Swatch::Dashed(c) => dashed(area, (x, cy), (x + sw, cy), c, f.px(2.0) as u32, f.px(4.0))?,
                Swatch::Triangle(c) => triangle(area, (x + sw / 2, cy), half + 1, c, theme.background)?,
            }
            text(
                area,
                theme,
                &item.text,
                x + sw + f.px(5.0),
                cy,
                &Txt::new(px, theme.text).at(HPos::Left, VPos::Center),
            )?;
            x += item.w + spacing;
        }
        y += lh;
    }
    Ok(y + f.pad / 2)
}

// ---------------------------------------------------------------------------------------------
// Time.

pub(crate) const MINUTE: i64 = 60_000;
pub(crate) const HOUR: i64 = 60 * MINUTE;
pub(crate) const DAY: i64 = 24 * HOUR;

/// Epoch milliseconds kept within ±10^15 (about ±31,000 years) so arithmetic cannot overflow.
pub(crate) fn tame_ms(ms: i64) -> i64 {
    ms.clamp(-1_000_000_000_000_000, 1_000_000_000_000_000)
}

pub(crate) use crate::model::time::civil_from_days;

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum TimeStyle {
    /// "02-09 14:00"
    MonthDayTime,
    /// "02-09"
    MonthDay,
    /// "2026-02-09"
    Date,
    /// "2026-02-09 14:00"
    Full,
}

/// Format epoch ms in the local time of `offset_min`.
pub(crate) fn fmt_time(ms: i64, offset_min: i32, style: TimeStyle) -> String {
    let local = tame_ms(ms) + offset_min as i64 * MINUTE;
    let days = local.div_euclid(DAY);
    let in_day = local.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm) = (in_day / HOUR, (in_day % HOUR) / MINUTE);
    match style {
        TimeStyle::MonthDayTime => format!("{m:02}-{d:02} {hh:02}:{mm:02}"),
        TimeStyle::MonthDay => format!("{m:02}-{d:02}"),
        TimeStyle::Date => format!("{y:04}-{m:02}-{d:02}"),
        TimeStyle::Full => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}"),
    }
}

/// The local year of epoch ms.
pub(crate) fn year_of(ms: i64, offset_min: i32) -> i64 {
    let local = tame_ms(ms) + offset_min as i64 * MINUTE;
    civil_from_days(local.div_euclid(DAY)).0
}

/// "UTC" or "UTC+05:30".
pub(crate) fn offset_label(offset_min: i32) -> String {
    if offset_min == 0 {
        "UTC".into()
    } else {
        let sign = if offset_min < 0 { '-' } else { '+' };
        let a = offset_min.unsigned_abs();
        format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn duration_ticks_share_a_unit() {
        let ms = |v: f64| match v.abs() {
            x if x >= 60_000.0 => format!("{:.1} min", v / 60_000.0),
            x if x >= 1000.0 => format!("{:.1} s", v / 1000.0),
            _ => format!("{v:.0} ms"),
        };
        let values = [0.0, 50_000.0, 100_000.0, 150_000.0];
        let labels = one_duration_unit(&values, values.iter().map(|&v| ms(v)).collect());
        assert_eq!(labels, ["0.0 min", "0.8 min", "1.7 min", "2.5 min"]);
        let small = [0.0, 500.0, 1000.0, 1500.0];
        assert_eq!(
            one_duration_unit(&small, small.iter().map(|&v| ms(v)).collect()),
            ["0.0 s", "0.5 s", "1.0 s", "1.5 s"]
        );
        // already one unit, or not durations: unchanged
        let same = vec!["1.0 s".to_string(), "2.0 s".to_string()];
        assert_eq!(one_duration_unit(&[1000.0, 2000.0], same.clone()), same);
        let pct = vec!["0 %".to_string(), "50 s%".to_string()];
        assert_eq!(one_duration_unit(&[0.0, 0.5], pct.clone()), pct);
    }
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20493), (2026, 2, 9));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(fmt_time(1_770_645_600_000, 60, TimeStyle::MonthDayTime), "02-09 15:00");
        assert!(fmt_time(i64::MAX, i32::MAX, TimeStyle::Full).len() > 5);
        assert_eq!(offset_label(-90), "UTC-01:30");
    }

    #[test]
    fn ticks_are_nice() {
        let t = nice_ticks(0.0, 0.734, 5);
        assert_eq!(t.values.first().copied(), Some(0.0));
        assert!(t.hi >= 0.734);
        let t = nice_ticks(5.0, 5.0, 5);
        assert!(t.lo < 5.0 && t.hi > 5.0);
        let t = nice_ticks(-1e308, 1e308, 5);
        assert!(t.values.iter().all(|v| v.is_finite()));
        let t = nice_ticks(f64::NAN, f64::INFINITY, 5);
        assert!(t.values.iter().all(|v| v.is_finite()));
        assert!(t.values.len() <= 61);
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate("short", 1000.0, 12.0), "short");
        let t = truncate("a very long model name indeed", 60.0, 12.0);
        assert!(t.ends_with('…'));
        assert!(text_w(&t, 12.0) <= 60.0);
        assert_eq!(truncate("abc", 1.0, 12.0), "");
        let m = truncate_middle("model-with-a-long-name-12", 100.0, 12.0);
        assert!(m.starts_with("mod") && m.ends_with("12") && m.contains('…'), "{m}");
        assert!(text_w(&m, 12.0) <= 100.0);
        let names: Vec<String> = vec!["column number 1".into(), "column number 2".into()];
        let f = fit_labels(&names, 60.0, 12.0);
        assert_ne!(f[0], f[1]);
    }

    /// The frame of an 800×400 chart: 13 px small text, 17 px line height.
    fn frame_800x400() -> Frame {
        Frame { w: 800, h: 400, s: 1.0, font: 15.0, small: 13.0, title: 20.0, pad: 10 }
    }

    #[test]
    fn label_stride_counts_the_font_size_not_the_line_height() {
        // 20 horizontal bars in 800×400 are 14.8 px apart: each name has room (17 px of line
        // height named every other one)
        assert_eq!(label_stride(14.8, 13.0), 1);
        assert_eq!(label_stride(13.0, 13.0), 1);
        assert_eq!(label_stride(12.9, 13.0), 2);
        assert_eq!(label_stride(4.0, 13.0), 4);
        // no spacing: only the first
        assert!(label_stride(0.0, 13.0) > 1_000_000);
        assert!(label_stride(f64::NAN, 13.0) > 1_000_000);
    }

    #[test]
    fn long_labels_go_over_two_lines_before_they_are_cut() {
        assert_eq!(one_or_two_lines("auth", 50.0, 13.0), Some(vec!["auth".to_string()]));
        assert_eq!(
            one_or_two_lines("context_window", 100.0, 13.0),
            Some(vec!["context_".to_string(), "window".to_string()])
        );
        // the most even break; the space at the break is dropped
        assert_eq!(
            one_or_two_lines("copilot-cli / gpt-4.1", 90.0, 13.0),
            Some(vec!["copilot-cli".to_string(), "/ gpt-4.1".to_string()])
        );
        assert_eq!(one_or_two_lines("uncategorized", 72.0, 13.0), None);
        assert_eq!(one_or_two_lines("-", 1.0, 13.0), None);

        let f = frame_800x400();
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        // the sample heatmap's columns, 77 px apart: rotated (no break fits "uncategorized"
        // upright), "context_window" on two lines side by side rather than "context_wind…"
        let cols = names(&[
            "rate_limit",
            "api_error",
            "auth",
            "dependency",
            "test",
            "build",
            "context_window",
            "uncategorized",
        ]);
        let cats = layout_categories(&f, &cols, 77.4, 100.0);
        assert!(cats.rotated && cats.every == 1);
        assert_eq!(cats.texts[6], ["context_", "window"]);
        assert_eq!(cats.texts[7], ["uncategorized"]);
        assert_eq!(cats.height, text_w("uncategorized", 13.0).ceil() as i32 + 12);
        // upright on two lines when every label fits so (cut or rotated before)
        let models = names(&["gpt-5-codex", "claude-sonnet-4.5", "gemini-2.5-pro", "gpt-4.1", "o3"]);
        let cats = layout_categories(&f, &models, 80.0, 112.0);
        assert!(!cats.rotated && cats.every == 1);
        assert_eq!(cats.texts[1], ["claude-", "sonnet-4.5"]);
        assert_eq!(cats.texts[3], ["gpt-4.1"]);
        assert_eq!(cats.height, 2 * 17 + 6);
        for lines in &cats.texts {
            assert!(lines.iter().all(|l| text_w(l, 13.0) <= 80.0 * 0.98 - 3.0), "{lines:?}");
        }
        // too narrow for two rotated lines side by side: cut as before
        let cats = layout_categories(&f, &cols, 30.0, 100.0);
        assert!(cats.rotated && cats.texts.iter().all(|l| l.len() == 1));
        assert!(cats.texts[6][0].ends_with('…'));
    }

    #[test]
    fn formats() {
        assert_eq!(smart_format(0.7341), "0.734");
        assert_eq!(smart_format(12345.0), "12.3k");
        assert_eq!(smart_format(2.5e9), "2.5G");
        assert_eq!(step_format(0.30000000000000004, 0.1), "0.3");
        assert_eq!(step_format(-0.0, 0.1), "0");
    }
}
