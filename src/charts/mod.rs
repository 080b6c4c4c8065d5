//! Charts for Spyglass, drawn with `plotters` over any [`DrawingBackend`].
//!
//! Every `draw_*` function is generic over the backend: the same code draws into a browser
//! `<canvas>` (plotters-canvas) and into SVG natively ([`to_svg`]).
//!
//! Layout is done by plain arithmetic in pixels of the given area (text widths are estimated
//! per character, conservatively), so the output is identical on every machine. All
//! coordinates, including those of the returned [`HitRegion`]s, are relative to the top-left
//! corner of the area passed in.
//!
//! Text sizes: the font size handed to plotters is `Theme::font_px` scaled with the area. The
//! canvas backend renders that size in CSS pixels; plotters' SVG backend renders it divided by
//! 1.24 (a plotters convention), so SVG text is slightly smaller than canvas text. Layout
//! reserves room for the larger (canvas) size.

use plotters::coord::Shift;
use plotters::prelude::*;

// the chart kinds, one file each
mod bar;
mod forest;
mod heatmap;
mod line;
mod multiples;
mod scatter;
mod stacked;
mod timeline;

// what the kinds share
mod axes;
mod categories;
mod colours;
mod draw;
mod error;
mod frame;
pub use frame::area_scale;
mod legend;
mod palette;
mod text;
mod ticks;
mod time;

pub use bar::draw_bar_chart;
pub use colours::{name_hash, preferred_slot, Hue, NameColours};
pub use error::ChartError;
pub use forest::{draw_forest, ForestChart};
pub use heatmap::draw_heatmap;
pub use line::{draw_line_chart, draw_line_chart_only, SMALL_MULTIPLES_FROM};
pub use palette::{categorical, categorical_for, sequential, sequential_for};
pub use scatter::draw_scatter_chart;
pub use stacked::draw_stacked_bars;
pub use timeline::{
    draw_timeline, elapsed_label, timeline_svg, Lane, LaneItem, LaneKind, Mark, Separator, TimelineLanes, LANE_H,
};

/// The message drawn in the middle of a chart that has nothing to show.
pub const EMPTY_MESSAGE: &str = "Nothing to chart in this view";

/// Colours and text settings of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// CSS font family, e.g. "sans-serif".
    pub font_family: &'static str,
    /// Base font size at 800×400; scaled with the area size.
    pub font_px: u32,
}

impl Theme {
    pub fn light() -> Self {
        Theme {
            background: RGBColor(0xFF, 0xFF, 0xFF),
            text: RGBColor(0x22, 0x22, 0x22),
            grid: RGBColor(0xE3, 0xE3, 0xE3),
            axis: RGBColor(0x70, 0x70, 0x70),
            font_family: "sans-serif",
            font_px: 15,
        }
    }

    pub fn dark() -> Self {
        Theme {
            background: RGBColor(0x1E, 0x1E, 0x1E),
            text: RGBColor(0xE8, 0xE8, 0xE8),
            grid: RGBColor(0x3A, 0x3A, 0x3A),
            axis: RGBColor(0xA0, 0xA0, 0xA0),
            font_family: "sans-serif",
            font_px: 15,
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::light()
    }
}

/// A rectangle (in the backend's pixel units, relative to the drawn area) with the exact value
/// to show in a tooltip when the mouse is over it.
#[derive(Debug, Clone, PartialEq)]
pub struct HitRegion {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub label: String,
    /// the name (a model, an executor…) of the bar, point or series hit, where it is one: the
    /// page filters by it on a click
    pub name: Option<String>,
    /// what was hit: a data mark, a legend entry, or a line chart's column of values at one x
    pub kind: HitKind,
}

/// What a [`HitRegion`] covers. Only [`HitKind::Data`] is clicked to filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum HitKind {
    #[default]
    Data,
    /// a series' legend entry (`name` is the series'): a click isolates the series
    Legend,
    /// every series' value at one time of a line chart (the region is the x range nearest it)
    Column(Column),
    /// an event of an attempt's timeline (its position in the attempt's events): a click selects it
    Event(usize),
}

/// The values of every series shown at one x of a line chart, for a crosshair tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// the crosshair's x (pixels of the area) and its vertical span, the plot's
    pub x: i32,
    pub y0: i32,
    pub y1: i32,
    /// the time, as the chart's tooltips write it
    pub time: String,
    /// one per series with a point at this x, by value descending (ties by name)
    pub rows: Vec<ColumnRow>,
}

/// One series' value in a [`Column`].
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRow {
    pub name: String,
    /// the value as the chart's labels write it (with its n and interval where it has them)
    pub value: String,
    /// the series' colour, `#rrggbb`
    pub colour: String,
}

impl HitRegion {
    /// The region of the thing named `name`.
    pub fn named(mut self, name: &str) -> HitRegion {
        self.name = Some(name.to_string());
        self
    }

    /// Whether the pixel (x, y) lies inside the region (edges included).
    pub fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
}

/// Hit regions of everything drawn, or why it could not be drawn (never a panic).
pub type ChartResult = Result<Vec<HitRegion>, ChartError>;

/// Bars of one value per group. Negative values grow downwards (leftwards) from 0.
pub struct BarChart {
    pub title: String,
    /// Value axis label with unit, e.g. "score" or "cost (USD)".
    pub value_label: String,
    pub bars: Vec<(String, f64)>,
    /// Horizontal bars: names on the left, good for long names.
    pub horizontal: bool,
    pub value_format: fn(f64) -> String,
    /// One per bar when the bars are names with colours of their own ([`NameColours`]); empty:
    /// every bar blue (vermillion below 0).
    pub hues: Vec<Hue>,
}

/// Labelled points.
pub struct ScatterChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<(String, f64, f64)>,
    pub x_format: fn(f64) -> String,
    pub y_format: fn(f64) -> String,
    /// One per point when the points are names with colours of their own; empty: all blue.
    pub hues: Vec<Hue>,
    /// the names that could not be plotted (a value unknown), said under the x axis and in the
    /// summary rather than silently missing
    pub not_plotted: Vec<String>,
}

/// A matrix of values, printed inside the cells.
pub struct Heatmap {
    pub title: String,
    pub row_label: String,
    pub col_label: String,
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    /// rows × cols; missing entries are shown as "–".
    pub values: Vec<Vec<f64>>,
    pub value_format: fn(f64) -> String,
}

/// One named line of (epoch ms UTC, value) points.
#[derive(Debug, Clone, Default)]
pub struct TimeSeries {
    pub name: String,
    pub points: Vec<(i64, f64)>,
    /// a rate's 95 % interval and n at some of its points (drawn as a band, said in tooltips);
    /// empty for counts
    pub intervals: Vec<Interval>,
}

/// A rate's 95 % interval at one time, and the n it is of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub t: i64,
    pub lo: f64,
    pub hi: f64,
    pub n: u64,
}

/// Lines over time, with optional spike markers.
pub struct LineChart {
    pub title: String,
    pub y_label: String,
    pub series: Vec<TimeSeries>,
    /// (series index, epoch ms UTC, value, tooltip)
    pub markers: Vec<(usize, i64, f64, String)>,
    pub y_format: fn(f64) -> String,
    /// Offset of the time zone used for axis labels and tooltips.
    pub utc_offset_minutes: i32,
    /// One per series (its name's colour); empty: the palette in series order.
    pub hues: Vec<Hue>,
}

/// Stacked bars per category (e.g. cost per day, stacked by model).
pub struct StackedBars {
    pub title: String,
    pub y_label: String,
    /// x categories, e.g. days "2026-02-09".
    pub categories: Vec<String>,
    /// One per series: (name, value per category).
    pub stacks: Vec<(String, Vec<f64>)>,
    /// A horizontal reference line, e.g. ("budget", 25.0).
    pub reference_line: Option<(String, f64)>,
    pub value_format: fn(f64) -> String,
    /// One per series (its name's colour); empty: the palette in series order.
    pub hues: Vec<Hue>,
}

/// Draw into an SVG string of the given size (for tests and the HTML report).
pub fn to_svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> ChartResult,
) -> Result<(String, Vec<HitRegion>), ChartError> {
    let mut buf = String::new();
    let hits = {
        let root = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        let hits = draw(&root)?;
        root.present()?;
        hits
    };
    Ok((buf, hits))
}

/// A general-purpose number format: up to 3 significant decimals, thousands as k/M/G.
pub fn format_number(v: f64) -> String {
    ticks::smart_format(v)
}
