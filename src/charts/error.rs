//! Why a chart could not be drawn.
//!
//! Having nothing to show is not a failure: a chart without data draws [`EMPTY_MESSAGE`] and
//! returns no hit regions, and one too small to read draws its title only. What fails is the
//! backend (plotters' own errors, one variant per kind), or, for the HTML report, the SVG that
//! came out (`report::html` inlines only what charts draw).
//!
//! The messages are written once, in `Display`. A user reads them in the HTML report ("could not
//! be drawn: …"); the backend's three are plotters' words, kept as they were before there was a
//! kind to match on.
//!
//! [`EMPTY_MESSAGE`]: super::EMPTY_MESSAGE

use std::fmt;

use plotters::drawing::DrawingAreaErrorKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    /// The backend could not draw or present what it was given (a failed write, a canvas gone, a
    /// font it could not load): the backend's own description.
    Backend(String),
    /// Another operation on the same backend was under way (plotters' sharing error).
    BackendBusy,
    /// plotters could not split or shrink the area (its layout error; charts do their own layout,
    /// so this would be a bug).
    BadLayout,
    /// The chart's SVG held markup the HTML report does not inline (anything beyond the shapes and
    /// text charts draw).
    UnexpectedMarkup,
    /// The chart's SVG had no root element.
    EmptySvg,
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::Backend(why) => write!(f, "backend error: {why}"),
            ChartError::BackendBusy => f.write_str("Multiple backend operation in progress"),
            ChartError::BadLayout => f.write_str("Bad layout"),
            ChartError::UnexpectedMarkup => f.write_str("the chart's SVG held unexpected markup"),
            ChartError::EmptySvg => f.write_str("empty SVG"),
        }
    }
}

impl std::error::Error for ChartError {}

/// Any backend's drawing error as its kind, so that drawing code can use `?`.
impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        match e {
            DrawingAreaErrorKind::BackendError(why) => ChartError::Backend(why.to_string()),
            DrawingAreaErrorKind::SharingError => ChartError::BackendBusy,
            DrawingAreaErrorKind::LayoutError => ChartError::BadLayout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{draw_bar_chart, draw_line_chart, BarChart, LineChart, Theme, TimeSeries};
    use plotters::prelude::*;
    use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};

    /// A backend of 800×400 pixels that refuses to draw anything.
    struct Refusing;

    impl DrawingBackend for Refusing {
        type ErrorType = std::io::Error;
        fn get_size(&self) -> (u32, u32) {
            (800, 400)
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<std::io::Error>> {
            Ok(())
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<std::io::Error>> {
            Ok(())
        }
        fn draw_pixel(&mut self, _: BackendCoord, _: BackendColor) -> Result<(), DrawingErrorKind<std::io::Error>> {
            Err(DrawingErrorKind::DrawingError(std::io::Error::other("refused")))
        }
    }

    #[test]
    fn a_backend_that_refuses_is_a_backend_error() {
        let area = Refusing.into_drawing_area();
        let bars = BarChart {
            title: "t".into(),
            value_label: "v".into(),
            bars: vec![("a".into(), 1.0)],
            horizontal: false,
            value_format: crate::charts::format_number,
            hues: vec![],
        };
        assert!(matches!(draw_bar_chart(&area, &bars, &Theme::light()), Err(ChartError::Backend(_))));
        // nothing to show is no failure, but drawing even the "no data" message needs the backend
        let empty = LineChart {
            title: "t".into(),
            y_label: "v".into(),
            series: vec![TimeSeries { name: "s".into(), points: vec![], ..Default::default() }],
            markers: vec![],
            y_format: crate::charts::format_number,
            utc_offset_minutes: 0,
            hues: vec![],
        };
        assert!(matches!(draw_line_chart(&area, &empty, &Theme::light()), Err(ChartError::Backend(_))));
    }

    #[test]
    fn plotters_errors_become_their_kinds_in_the_same_words() {
        type Kind = DrawingAreaErrorKind<std::io::Error>;
        let backend = || Kind::BackendError(DrawingErrorKind::DrawingError(std::io::Error::other("disk full")));
        let cases = [
            (backend(), backend().to_string()),
            (Kind::SharingError, Kind::SharingError.to_string()),
            (Kind::LayoutError, Kind::LayoutError.to_string()),
        ];
        let [(b, b_text), (s, s_text), (l, l_text)] = cases;
        let (b, s, l) = (ChartError::from(b), ChartError::from(s), ChartError::from(l));
        assert!(matches!(b, ChartError::Backend(_)));
        assert_eq!(s, ChartError::BackendBusy);
        assert_eq!(l, ChartError::BadLayout);
        assert_eq!((b.to_string(), s.to_string(), l.to_string()), (b_text, s_text, l_text));
    }
}
