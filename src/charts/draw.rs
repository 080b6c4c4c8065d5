//! The few drawing calls charts make: text, rectangles, lines, circles and triangles, each in
//! pixels of the area, each giving a backend's failure as its [`ChartError`] kind.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::Area;
use super::{ChartError, Theme};

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

pub(crate) fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    s: &str,
    x: i32,
    y: i32,
    t: &Txt,
) -> Result<(), ChartError> {
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
    area.draw_text(s, &style, (x, y)).map_err(ChartError::from)
}

pub(crate) fn fill_rect<DB: DrawingBackend>(
    area: &Area<DB>,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    color: RGBColor,
) -> Result<(), ChartError> {
    let (x0, x1) = (x0.min(x1), x0.max(x1));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled())).map_err(ChartError::from)
}

pub(crate) fn stroke_rect<DB: DrawingBackend>(
    area: &Area<DB>,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    color: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    let (x0, x1) = (x0.min(x1), x0.max(x1));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.stroke_width(width))).map_err(ChartError::from)
}

pub(crate) fn line<DB: DrawingBackend>(
    area: &Area<DB>,
    pts: Vec<(i32, i32)>,
    color: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    if pts.len() < 2 {
        return Ok(());
    }
    area.draw(&PathElement::new(pts, color.stroke_width(width))).map_err(ChartError::from)
}

pub(crate) fn dashed<DB: DrawingBackend>(
    area: &Area<DB>,
    from: (i32, i32),
    to: (i32, i32),
    color: RGBColor,
    width: u32,
    dash: i32,
) -> Result<(), ChartError> {
    let el = plotters::element::DashedPathElement::new(
        vec![from, to],
        dash.max(1),
        (dash / 2).max(1),
        color.stroke_width(width),
    );
    area.draw(&el).map_err(ChartError::from)
}

pub(crate) fn circle<DB: DrawingBackend>(
    area: &Area<DB>,
    c: (i32, i32),
    r: i32,
    fill: RGBColor,
    outline: Option<RGBColor>,
) -> Result<(), ChartError> {
    let r = r.max(1) as u32;
    area.draw(&Circle::new(c, r, fill.filled()))?;
    if let Some(o) = outline {
        area.draw(&Circle::new(c, r, o.stroke_width(1)))?;
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
) -> Result<(), ChartError> {
    let r = r.max(2);
    let pts = vec![(c.0, c.1 - r), (c.0 + r, c.1 + r * 3 / 4), (c.0 - r, c.1 + r * 3 / 4)];
    area.draw(&Polygon::new(pts.clone(), fill.filled()))?;
    let mut closed = pts.clone();
    closed.push(pts[0]);
    line(area, closed, outline, 1)
}

/// A closed shape filled with `color` at low opacity (a rate's interval band, under its line).
pub(crate) fn band<DB: DrawingBackend>(
    area: &Area<DB>,
    pts: Vec<(i32, i32)>,
    color: RGBColor,
) -> Result<(), ChartError> {
    if pts.len() < 3 {
        return Ok(());
    }
    area.draw(&Polygon::new(pts, color.mix(0.12).filled())).map_err(ChartError::from)
}
