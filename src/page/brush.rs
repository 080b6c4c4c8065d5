//! The time brush: a bar per UTC day of the data (sessions started that day), and the mapping
//! between days and CSS pixels that drawing it and dragging on it share. `web::app::brush` draws
//! what [`BrushScale::bars`] returns, in the colours `www/style.css` gives it.

use super::facets::DAY_MS;
use crate::model::numbers::count;
use crate::model::time::format_iso_ms;

/// Room left and right of the bars, below them (for the labels) and above them (CSS px).
pub const LEFT: f64 = 8.0;
pub const RIGHT: f64 = 8.0;
pub const BOTTOM: f64 = 18.0;
pub const TOP: f64 = 4.0;
/// A drag shorter than this (CSS px) picks the one day under it.
const CLICK_PX: f64 = 3.0;

/// Days ↔ x for a brush `css_w` wide over `daily` (as [`super::facets::Facets::daily`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BrushScale {
    /// the first day's first ms
    pub first_ms: i64,
    /// days from the first to the last, both counted (at least 1)
    pub n_days: i64,
    /// CSS px per day
    pub day_w: f64,
    pub css_w: f64,
}

/// One day's bar: its slot (the hit region of its tooltip: `x`, `w`, from the top to the
/// baseline), the rectangle filled, and whether it is inside the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub w: f64,
    /// (x, y, w, h) of the filled rectangle
    pub rect: (f64, f64, f64, f64),
    pub inside: bool,
    /// the part of the day the other filters leave (the filled rectangle is then the grey
    /// total behind it); `None` when no filter but time is on
    pub matching: Option<(f64, f64, f64, f64)>,
    /// the tooltip: `2026-02-09: 3 sessions`, or `2026-02-09: 1 of 3 sessions match the filters`
    pub label: String,
}

impl BrushScale {
    pub fn new(daily: &[(i64, u32)], css_w: f64) -> BrushScale {
        let first_ms = daily.first().map_or(0, |d| d.0);
        let last = daily.last().map_or(0, |d| d.0);
        let n_days = ((last - first_ms) / DAY_MS + 1).max(1);
        BrushScale { first_ms, n_days, day_w: (css_w - LEFT - RIGHT) / n_days as f64, css_w }
    }

    /// The x of a time (a day's start is its bar's left edge).
    pub fn x_of(&self, ms: i64) -> f64 {
        LEFT + (ms - self.first_ms) as f64 / DAY_MS as f64 * self.day_w
    }

    /// The day under `x`, counted from the first (clamped to the days there are).
    pub fn day_at(&self, x: f64) -> i64 {
        (((x - LEFT) / self.day_w).floor() as i64).clamp(0, self.n_days - 1)
    }

    /// The last day's first ms.
    pub fn last_day_ms(&self) -> i64 {
        self.first_ms + (self.n_days - 1) * DAY_MS
    }

    /// The time filter (since, until) a drag from `a` to `b` sets: the whole days it touches; a
    /// drag of under 3 px (a click) picks the day under it.
    pub fn drag_range(&self, a: f64, b: f64) -> (i64, i64) {
        let (lo, hi) = (a.min(b), a.max(b));
        let d0 = self.day_at(lo);
        let d1 = if hi - lo < CLICK_PX { d0 } else { self.day_at(hi) };
        (self.first_ms + d0 * DAY_MS, self.first_ms + (d1 + 1) * DAY_MS)
    }

    /// The span drawn as selected: a drag in progress, else the time filter in force (an open
    /// end reaching the edge of the bars), else none.
    pub fn selection(&self, drag: Option<(f64, f64)>, since: Option<i64>, until: Option<i64>) -> Option<(f64, f64)> {
        match drag {
            Some((a, b)) => Some((a.min(b), a.max(b))),
            None if since.is_some() || until.is_some() => Some((
                self.x_of(since.unwrap_or(self.first_ms)).max(LEFT),
                self.x_of(until.unwrap_or(self.first_ms + self.n_days * DAY_MS)).min(self.css_w - RIGHT),
            )),
            None => None,
        }
    }

    /// Space between bars: a fifth of a wide day (at most 24 px), a pixel of a narrow one, none
    /// when days are 4 px or less.
    pub fn gap(&self) -> f64 {
        if self.day_w > 12.0 {
            (self.day_w * 0.2).min(24.0)
        } else if self.day_w > 4.0 {
            1.0
        } else {
            0.0
        }
    }

    /// The bars of a brush `css_h` high, scaled to the busiest day (at least 1 px each), a day
    /// inside `selection` when its middle is. `matching` (as `Facets::daily_matching`, empty when
    /// no filter but time is on) gives each day's part the other filters leave, drawn over its
    /// total on the same scale (0 px when none match).
    pub fn bars(&self, daily: &[(i64, u32)], matching: &[u32], css_h: f64, selection: Option<(f64, f64)>) -> Vec<Bar> {
        let peak = peak(daily) as f64;
        let plot_h = plot_height(css_h);
        let gap = self.gap();
        daily
            .iter()
            .enumerate()
            .map(|(i, &(day, count))| {
                let x = LEFT + ((day - self.first_ms) / DAY_MS) as f64 * self.day_w;
                let h = (count as f64 / peak * plot_h).max(1.0);
                let middle = x + self.day_w / 2.0;
                let (bx, bw) = (x + gap / 2.0, (self.day_w - gap).max(0.5));
                let matched = matching.get(i).copied();
                let label = match matched {
                    Some(m) => format!(
                        "{}: {m} of {} {} the filters",
                        day_label(day),
                        sessions(count),
                        if m == 1 { "matches" } else { "match" }
                    ),
                    None => format!("{}: {}", day_label(day), sessions(count)),
                };
                Bar {
                    x,
                    w: self.day_w,
                    rect: (bx, TOP + plot_h - h, bw, h),
                    inside: selection.is_none_or(|(a, b)| middle >= a && middle <= b),
                    matching: matched.map(|m| {
                        let mh = if m == 0 { 0.0 } else { (m as f64 / peak * plot_h).max(1.0) };
                        (bx, TOP + plot_h - mh, bw, mh)
                    }),
                    label,
                }
            })
            .collect()
    }
}

fn sessions(n: u32) -> String {
    count(n as u64, "session", "sessions")
}

/// The bars' height in a brush `css_h` high.
pub fn plot_height(css_h: f64) -> f64 {
    css_h - BOTTOM - TOP
}

/// The busiest day's sessions (at least 1).
pub fn peak(daily: &[(i64, u32)]) -> u32 {
    daily.iter().map(|d| d.1).max().unwrap_or(1).max(1)
}

/// `peak 12 sessions/day`, under the middle of the brush.
pub fn peak_label(daily: &[(i64, u32)]) -> String {
    format!("peak {} sessions/day", peak(daily))
}

/// `2026-02-09`.
pub fn day_label(ms: i64) -> String {
    format_iso_ms(ms)[..10].to_string()
}

/// The brush's accessible name: what it shows, in numbers.
pub fn aria_label(daily: &[(i64, u32)]) -> String {
    let total: u64 = daily.iter().map(|&(_, n)| n as u64).sum();
    format!(
        "Bar chart of sessions started per UTC day: {total} sessions over {} days with sessions; the Sessions table lists them",
        daily.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-02-09T00:00Z
    const FEB9: i64 = 1_770_595_200_000;

    /// Four days, 9th to 12th, none on the 11th; 416 px wide: 100 px a day.
    fn four_days() -> (Vec<(i64, u32)>, BrushScale) {
        let daily = vec![(FEB9, 4), (FEB9 + DAY_MS, 1), (FEB9 + 3 * DAY_MS, 2)];
        let s = BrushScale::new(&daily, 416.0);
        (daily, s)
    }

    #[test]
    fn days_and_pixels() {
        let (_, s) = four_days();
        assert_eq!(s, BrushScale { first_ms: FEB9, n_days: 4, day_w: 100.0, css_w: 416.0 });
        assert_eq!(s.x_of(FEB9), 8.0);
        assert_eq!(s.x_of(FEB9 + DAY_MS / 2), 58.0);
        assert_eq!(s.x_of(FEB9 + 4 * DAY_MS), 408.0);
        assert_eq!(s.day_at(8.0), 0);
        assert_eq!(s.day_at(107.9), 0);
        assert_eq!(s.day_at(108.0), 1);
        assert_eq!(s.day_at(-50.0), 0);
        assert_eq!(s.day_at(1000.0), 3);
        assert_eq!(s.last_day_ms(), FEB9 + 3 * DAY_MS);
        // nothing, or one day: a single day across the width
        assert_eq!(BrushScale::new(&[], 216.0), BrushScale { first_ms: 0, n_days: 1, day_w: 200.0, css_w: 216.0 });
        assert_eq!(BrushScale::new(&[(FEB9, 9)], 216.0).n_days, 1);
    }

    #[test]
    fn a_drag_sets_whole_days_and_a_click_one() {
        let (_, s) = four_days();
        // from the middle of the 10th back to the middle of the 9th: the 9th and the 10th
        assert_eq!(s.drag_range(158.0, 58.0), (FEB9, FEB9 + 2 * DAY_MS));
        // a click (2 px) on the 12th
        assert_eq!(s.drag_range(350.0, 352.0), (FEB9 + 3 * DAY_MS, FEB9 + 4 * DAY_MS));
        // 3 px is a drag, across the 10th/11th edge
        assert_eq!(s.drag_range(206.0, 209.0), (FEB9 + DAY_MS, FEB9 + 3 * DAY_MS));
        // past both ends: every day
        assert_eq!(s.drag_range(-20.0, 900.0), (FEB9, FEB9 + 4 * DAY_MS));
    }

    #[test]
    fn the_selection_drawn() {
        let (_, s) = four_days();
        assert_eq!(s.selection(None, None, None), None);
        assert_eq!(s.selection(Some((300.0, 120.0)), Some(FEB9), None), Some((120.0, 300.0)));
        // the filter from noon on the 10th, open-ended: to the right edge of the bars
        assert_eq!(s.selection(None, Some(FEB9 + DAY_MS + DAY_MS / 2), None), Some((158.0, 408.0)));
        // until the 10th, open start; a filter outside the data stays within the bars
        assert_eq!(s.selection(None, None, Some(FEB9 + DAY_MS)), Some((8.0, 108.0)));
        assert_eq!(s.selection(None, Some(FEB9 - 5 * DAY_MS), Some(FEB9 + 9 * DAY_MS)), Some((8.0, 408.0)));
    }

    #[test]
    fn bars_scaled_to_the_busiest_day() {
        let (daily, s) = four_days();
        // 100 px days: a gap of 20; 120 px high: 98 px for the bars
        assert_eq!(s.gap(), 20.0);
        assert_eq!(plot_height(120.0), 98.0);
        let bars = s.bars(&daily, &[], 120.0, Some((100.0, 250.0)));
        assert_eq!(bars.len(), 3);
        assert_eq!(
            bars[0],
            Bar {
                x: 8.0,
                w: 100.0,
                rect: (18.0, 4.0, 80.0, 98.0),
                inside: false,
                matching: None,
                label: "2026-02-09: 4 sessions".into()
            }
        );
        // a quarter of the peak; its middle (158) in the selection
        assert_eq!(
            bars[1],
            Bar {
                x: 108.0,
                w: 100.0,
                rect: (118.0, 77.5, 80.0, 24.5),
                inside: true,
                matching: None,
                label: "2026-02-10: 1 session".into()
            }
        );
        // the 12th, after the empty 11th
        assert_eq!(bars[2].x, 308.0);
        assert_eq!(bars[2].rect, (318.0, 53.0, 80.0, 49.0));
        assert!(!bars[2].inside);
        // no selection: all inside
        assert!(s.bars(&daily, &[], 120.0, None).iter().all(|b| b.inside));
        // under a filter: the part that matches over the total, on the total's scale
        let bars = s.bars(&daily, &[2, 0, 1], 120.0, None);
        assert_eq!(bars[0].matching, Some((18.0, 4.0 + 49.0, 80.0, 49.0)));
        assert_eq!(bars[0].label, "2026-02-09: 2 of 4 sessions match the filters");
        assert_eq!(bars[1].matching.map(|m| m.3), Some(0.0));
        assert_eq!(peak_label(&daily), "peak 4 sessions/day");
        assert_eq!(day_label(s.last_day_ms()), "2026-02-12");
        assert_eq!(
            aria_label(&daily),
            "Bar chart of sessions started per UTC day: 7 sessions over 3 days with sessions; the Sessions table lists them"
        );
    }

    #[test]
    fn gaps_and_least_heights() {
        let narrow = |w: f64| BrushScale { first_ms: 0, n_days: 1, day_w: w, css_w: 0.0 };
        assert_eq!(narrow(200.0).gap(), 24.0);
        assert_eq!(narrow(12.5).gap(), 2.5);
        assert_eq!(narrow(12.0).gap(), 1.0);
        assert_eq!(narrow(4.0).gap(), 0.0);
        // a day of 1 session beside one of 1000: 1 px high, not 0; a bar at least 0.5 px wide
        let daily = [(0, 1000), (DAY_MS, 1)];
        let s = BrushScale::new(&daily, 17.0);
        assert_eq!(s.day_w, 0.5);
        let bars = s.bars(&daily, &[], 50.0, None);
        assert_eq!(bars[1].rect, (8.5, 31.0, 0.5, 1.0));
        assert_eq!(peak(&[]), 1);
    }
}
