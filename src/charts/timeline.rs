//! One attempt on a time axis, as Perfetto draws a trace: a lane per tool with its call→result
//! spans (failures marked), lanes of markers (the session's own events, errors, usage, other
//! kinds), and dashed separators where a follow-up or a retry began.
//!
//! The lanes are built from an attempt's events by `report::timeline::lanes_of`; this file only
//! lays them out and draws them. Unlike the other charts its sizes do not scale with the area: a
//! lane is [`LANE_H`] pixels whatever the width, and [`TimelineLanes::height`] says how tall the
//! area must be. Time reads as elapsed since the first event, in the units of its tick step.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use super::draw::{circle, dashed, fill_rect, line, stroke_rect, text, triangle, Txt};
use super::palette::{blend, categorical, GREY};
use super::text::{text_w, truncate};
use super::{ChartError, ChartResult, HitKind, HitRegion, Theme};

/// Height of one lane in pixels.
pub const LANE_H: i32 = 24;
/// Height of the time axis above the lanes.
const AXIS_H: i32 = 26;
/// Room below the last lane (the separators' labels).
const BOTTOM: i32 = 18;
const FONT: f64 = 12.0;

/// What a lane holds (it decides how its items are drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    /// session_start, session_end, follow-ups, status changes
    Session,
    /// one tool's calls and results
    Tool,
    Errors,
    Usage,
    /// any other event type, one lane per type
    Other,
}

/// How an item is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// a call and its result: a bar from one to the other
    Span,
    /// a call and a result that says it failed
    FailedSpan,
    /// a call no result answered: a bar to the end of the attempt, faded
    OpenSpan,
    /// one event at one time
    Point,
    /// an error
    Error,
}

/// A span or a marker. `event` is the position, in the attempt's events, of the event it starts
/// at (a span: its call); `end_event` the result that closed a span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneItem {
    pub start_ms: i64,
    pub end_ms: i64,
    pub event: usize,
    pub end_event: Option<usize>,
    pub mark: Mark,
    /// what a tooltip says
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub name: String,
    pub kind: LaneKind,
    pub items: Vec<LaneItem>,
}

/// Where a follow-up or a retry began.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Separator {
    pub at_ms: i64,
    pub label: String,
    pub event: usize,
}

/// One attempt's lanes over `[t0_ms, t1_ms]` (epoch ms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineLanes {
    pub t0_ms: i64,
    pub t1_ms: i64,
    pub lanes: Vec<Lane>,
    pub separators: Vec<Separator>,
    /// events without a time, which no lane can place
    pub untimed: usize,
}

impl TimelineLanes {
    /// The height the lanes need, in pixels.
    pub fn height(&self) -> u32 {
        (AXIS_H + LANE_H * self.lanes.len().max(1) as i32 + BOTTOM) as u32
    }

    /// One sentence for screen readers.
    pub fn summary(&self) -> String {
        let spans = self.lanes.iter().flat_map(|l| &l.items).filter(|i| i.mark != Mark::Point && i.mark != Mark::Error);
        let (n, failed) = spans.fold((0, 0), |(n, f), i| (n + 1, f + usize::from(i.mark == Mark::FailedSpan)));
        format!(
            "Timeline over {} in {} lanes ({}): {n} tool calls, {failed} failed; {} separators.",
            elapsed_label(self.t1_ms - self.t0_ms, 1),
            self.lanes.len(),
            self.lanes.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", "),
            self.separators.len()
        )
    }
}

/// `ms` as elapsed time in the unit `step` (ms) calls for: "250 ms", "30 s", "2 min", "1 h 30 min".
pub fn elapsed_label(ms: i64, step: i64) -> String {
    let ms = ms.max(0);
    if step < 1000 && ms < 10_000 {
        return if ms < 1000 { format!("{ms} ms") } else { format!("{:.1} s", ms as f64 / 1000.0) };
    }
    if ms < 60_000 || step < 60_000 && ms < 600_000 {
        let s = ms as f64 / 1000.0;
        return if step % 1000 == 0 { format!("{} s", ms / 1000) } else { format!("{s:.1} s") };
    }
    let min = ms / 60_000;
    if min < 60 {
        let s = (ms % 60_000) / 1000;
        return if s == 0 { format!("{min} min") } else { format!("{min} min {s} s") };
    }
    let (h, m) = (min / 60, min % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m} min")
    }
}

/// A step between time ticks of at least `min_ms`, from the steps a clock reads well in.
fn time_step(min_ms: f64) -> i64 {
    const STEPS: [i64; 22] = [
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
        600_000, 900_000, 1_800_000, 3_600_000,
    ];
    STEPS.iter().copied().find(|&s| s as f64 >= min_ms).unwrap_or_else(|| {
        let hours = (min_ms / 3_600_000.0).ceil() as i64;
        hours.max(1) * 3_600_000
    })
}

/// Draw the lanes; `selected` is the event to outline. A hit region's kind is
/// [`HitKind::Event`] of the event it starts at, so a click selects that event.
pub fn draw_timeline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lanes: &TimelineLanes,
    theme: &Theme,
    selected: Option<usize>,
) -> ChartResult {
    area.fill(&theme.background)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w.min(100_000) as i32, h.min(100_000) as i32);
    if w < 160 || h < AXIS_H + LANE_H {
        return Ok(Vec::new());
    }
    let pad = 8;
    let names: Vec<String> = lanes.lanes.iter().map(|l| l.name.clone()).collect();
    let label_w = names.iter().map(|n| text_w(n, FONT)).fold(40.0, f64::max).min(w as f64 * 0.25).ceil() as i32;
    let (x0, x1) = (pad + label_w + pad, w - pad - 4);
    if x1 - x0 < 40 {
        return Ok(Vec::new());
    }
    let span = (lanes.t1_ms - lanes.t0_ms).max(1);
    let x_of = |t: i64| x0 + (((t - lanes.t0_ms) as f64 / span as f64) * (x1 - x0) as f64).round() as i32;
    let y_of = |lane: usize| AXIS_H + LANE_H * lane as i32;
    let bottom = y_of(lanes.lanes.len().max(1)).min(h);

    // the time axis: ticks of a step a clock reads well in, labelled as elapsed time
    let step = time_step(span as f64 * 90.0 / (x1 - x0) as f64);
    let mut t = 0;
    while t <= span {
        let x = x_of(lanes.t0_ms + t);
        line(area, vec![(x, AXIS_H - 4), (x, bottom)], theme.grid, 1)?;
        let label = if t == 0 { "0".to_string() } else { format!("+{}", elapsed_label(t, step)) };
        let anchor = if t == 0 { HPos::Left } else { HPos::Center };
        if x + (text_w(&label, FONT) / 2.0) as i32 <= w {
            text(area, theme, &label, x, AXIS_H - 7, &Txt::new(FONT, theme.axis).at(anchor, VPos::Bottom))?;
        }
        t += step;
    }

    let mut hits = Vec::new();
    let hit = |x0: i32, y0: i32, x1: i32, y1: i32, label: &str, event: usize| HitRegion {
        x0: x0.clamp(0, w - 1),
        y0: y0.clamp(0, h - 1),
        x1: x1.clamp(0, w - 1),
        y1: y1.clamp(0, h - 1),
        label: label.to_string(),
        name: None,
        kind: HitKind::Event(event),
    };
    let blue = categorical(4);
    let red = categorical(5);
    let green = categorical(2);
    for (i, lane) in lanes.lanes.iter().enumerate() {
        let y = y_of(i);
        if i % 2 == 1 {
            fill_rect(area, (0, y, w, y + LANE_H), blend(theme.background, theme.grid, 0.35))?;
        }
        let name = truncate(&lane.name, label_w as f64, FONT);
        text(area, theme, &name, pad, y + LANE_H / 2, &Txt::new(FONT, theme.text).at(HPos::Left, VPos::Center))?;
        let (top, bot, mid) = (y + 5, y + LANE_H - 5, y + LANE_H / 2);
        for item in &lane.items {
            let (a, b) = (x_of(item.start_ms), x_of(item.end_ms.max(item.start_ms)));
            let is_selected = selected == Some(item.event) || (selected.is_some() && selected == item.end_event);
            match item.mark {
                Mark::Span | Mark::FailedSpan | Mark::OpenSpan => {
                    let b = b.max(a + 2);
                    let colour = match item.mark {
                        Mark::FailedSpan => red,
                        Mark::OpenSpan => blend(theme.background, blue, 0.35),
                        _ => blue,
                    };
                    fill_rect(area, (a, top, b, bot), colour)?;
                    if item.mark == Mark::FailedSpan {
                        // a failure reads without colour too: a cross at its end
                        line(area, vec![(b - 4, top + 2), (b, bot - 2)], theme.background, 2)?;
                        line(area, vec![(b, top + 2), (b - 4, bot - 2)], theme.background, 2)?;
                    }
                    if is_selected {
                        stroke_rect(area, (a - 2, top - 2, b + 2, bot + 2), theme.text, 2)?;
                    }
                    hits.push(hit(a - 2, top, b.max(a + 6), bot, &item.label, item.event));
                }
                Mark::Point | Mark::Error => {
                    let r = 5;
                    match (lane.kind, item.mark) {
                        (_, Mark::Error) => triangle(area, (a, mid), r, red, theme.background)?,
                        (LaneKind::Usage, _) => circle(area, (a, mid), r - 1, green, Some(theme.background))?,
                        _ => circle(area, (a, mid), r - 1, GREY, Some(theme.background))?,
                    }
                    if is_selected {
                        stroke_rect(area, (a - r - 2, mid - r - 2, a + r + 2, mid + r + 2), theme.text, 2)?;
                    }
                    hits.push(hit(a - r - 1, mid - r - 1, a + r + 1, mid + r + 1, &item.label, item.event));
                }
            }
        }
    }
    for s in &lanes.separators {
        let x = x_of(s.at_ms);
        dashed(area, (x, AXIS_H), (x, bottom), theme.text, 1, 4)?;
        // its name under the lanes ("retry", "follow-up"), where no tick label is
        let name = s.label.split(" · ").next().unwrap_or("");
        let anchor = if x + (text_w(name, FONT) / 2.0) as i32 > w { HPos::Right } else { HPos::Center };
        text(area, theme, name, x, bottom + 2, &Txt::new(FONT, theme.axis).at(anchor, VPos::Top))?;
        hits.push(hit(x - 3, AXIS_H, x + 3, bottom, &s.label, s.event));
    }
    line(area, vec![(x0, AXIS_H), (x0, bottom)], theme.axis, 1)?;
    // the smallest region first: a marker on a span is found before the span
    crate::model::sort::by_key(&mut hits, |r| (r.x1 - r.x0) * (r.y1 - r.y0));
    Ok(hits)
}

/// Draw into SVG, sized to the lanes (tests; a CLI could use it).
pub fn timeline_svg(lanes: &TimelineLanes, width: u32, theme: &Theme) -> Result<(String, Vec<HitRegion>), ChartError> {
    super::to_svg(width, lanes.height(), |a| draw_timeline(a, lanes, theme, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(start_ms: i64, end_ms: i64, event: usize, mark: Mark) -> LaneItem {
        LaneItem { start_ms, end_ms, event, end_event: None, mark, label: format!("event {event}") }
    }

    fn sample() -> TimelineLanes {
        TimelineLanes {
            t0_ms: 1_000_000,
            t1_ms: 1_060_000,
            lanes: vec![
                Lane {
                    name: "session".into(),
                    kind: LaneKind::Session,
                    items: vec![item(1_000_000, 1_000_000, 0, Mark::Point)],
                },
                Lane {
                    name: "shell".into(),
                    kind: LaneKind::Tool,
                    items: vec![
                        item(1_010_000, 1_020_000, 1, Mark::Span),
                        item(1_030_000, 1_045_000, 3, Mark::FailedSpan),
                    ],
                },
                Lane {
                    name: "errors".into(),
                    kind: LaneKind::Errors,
                    items: vec![item(1_046_000, 1_046_000, 5, Mark::Error)],
                },
            ],
            separators: vec![Separator { at_ms: 1_040_000, label: "retry".into(), event: 4 }],
            untimed: 0,
        }
    }

    #[test]
    fn elapsed_labels_in_the_steps_unit() {
        assert_eq!(elapsed_label(250, 50), "250 ms");
        assert_eq!(elapsed_label(1_500, 500), "1.5 s");
        assert_eq!(elapsed_label(30_000, 10_000), "30 s");
        assert_eq!(elapsed_label(120_000, 60_000), "2 min");
        assert_eq!(elapsed_label(90_000, 30_000), "90 s");
        assert_eq!(elapsed_label(5_430_000, 600_000), "1 h 30 min");
        assert_eq!(elapsed_label(3_600_000, 600_000), "1 h");
        assert_eq!(time_step(7_000.0), 10_000);
        assert_eq!(time_step(10_000_000.0), 3 * 3_600_000);
    }

    /// 60 s over 600 px: a span's pixels follow its times, a failure has its cross, and every
    /// item and separator has a hit region naming its event.
    #[test]
    fn lanes_spans_and_hits() {
        let lanes = sample();
        assert_eq!(lanes.height(), (26 + 3 * 24 + 18) as u32);
        let (svg, hits) = timeline_svg(&lanes, 600, &Theme::light()).unwrap();
        for name in ["session", "shell", "errors", "+15 s", "+45 s", "retry"] {
            assert!(svg.contains(&format!(">\n{name}\n</text>")), "{name} in the svg");
        }
        let event = |h: &HitRegion| match h.kind {
            HitKind::Event(e) => Some(e),
            _ => None,
        };
        let mut events: Vec<usize> = hits.iter().filter_map(event).collect();
        crate::model::sort::natural(&mut events);
        assert_eq!(events, [0, 1, 3, 4, 5]);
        // the plot runs from x0 = 8 + 48 + 8 = 64 ("session" is 47.3 px wide at 12 px) to 588
        let shell = hits.iter().find(|h| event(h) == Some(1)).unwrap();
        let x_of = |t: f64| 64.0 + t / 60.0 * (588.0 - 64.0);
        assert_eq!((shell.x0, shell.x1), (x_of(10.0).round() as i32 - 2, x_of(20.0).round() as i32));
        assert_eq!((shell.y0, shell.y1), (26 + 24 + 5, 26 + 48 - 5));
        // markers are found before the separator, and that before the spans it crosses
        let order: Vec<usize> = hits.iter().filter_map(event).collect();
        assert_eq!(order, [0, 5, 4, 1, 3]);
        assert!(lanes.summary().contains("in 3 lanes (session, shell, errors): 2 tool calls, 1 failed; 1 separators"));
        // too narrow to draw: no regions, no panic
        assert!(timeline_svg(&lanes, 100, &Theme::dark()).unwrap().1.is_empty());
    }

    #[test]
    fn a_zero_length_attempt_still_draws() {
        let mut lanes = sample();
        lanes.t1_ms = lanes.t0_ms;
        for l in &mut lanes.lanes {
            for i in &mut l.items {
                (i.start_ms, i.end_ms) = (lanes.t0_ms, lanes.t0_ms);
            }
        }
        let (_, hits) = timeline_svg(&lanes, 400, &Theme::light()).unwrap();
        assert_eq!(hits.len(), 5);
    }
}
