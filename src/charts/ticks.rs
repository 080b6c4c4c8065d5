//! Where ticks go and what they read: nice value ticks and their labels, and ticks along a time
//! axis.

use super::frame::{tame, Frame};
use super::text::text_w;
use super::time::{fmt_time, TimeStyle, MINUTE};
use crate::model::time::{MS_PER_DAY, MS_PER_HOUR};

// ---------------------------------------------------------------------------------------------
// Value ticks.

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
    const UNITS: [(&str, f64); 4] = [(" h", MS_PER_HOUR as f64), (" min", MINUTE as f64), (" s", 1000.0), (" ms", 1.0)];
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

/// Number of value ticks that fit in `len` pixels with labels `spacing` apart.
pub(crate) fn tick_count(len: i32, spacing: f64) -> usize {
    ((len as f64 / spacing.max(1.0)).floor() as usize).clamp(2, 10)
}

// ---------------------------------------------------------------------------------------------
// Time ticks.

/// Candidate tick steps, in ms.
const STEPS: [i64; 22] = [
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    MS_PER_HOUR,
    2 * MS_PER_HOUR,
    3 * MS_PER_HOUR,
    6 * MS_PER_HOUR,
    12 * MS_PER_HOUR,
    MS_PER_DAY,
    2 * MS_PER_DAY,
    7 * MS_PER_DAY,
    14 * MS_PER_DAY,
    28 * MS_PER_DAY,
    91 * MS_PER_DAY,
    182 * MS_PER_DAY,
    364 * MS_PER_DAY,
    2 * 364 * MS_PER_DAY,
    5 * 364 * MS_PER_DAY,
    10 * 364 * MS_PER_DAY,
];

/// Tick positions (ms) and their label style, fitting `width` pixels.
pub(crate) fn time_ticks(t0: i64, t1: i64, width: i32, f: &Frame, offset_min: i32) -> (Vec<i64>, TimeStyle) {
    let span = (t1 - t0).max(1);
    let off = offset_min as i64 * MINUTE;
    let mut chosen = (STEPS[STEPS.len() - 1], TimeStyle::Date);
    for &step in STEPS.iter() {
        let style = if step < MS_PER_DAY {
            TimeStyle::MonthDayTime
        } else if span < 360 * MS_PER_DAY {
            TimeStyle::MonthDay
        } else {
            TimeStyle::Date
        };
        let sample = fmt_time(t0, offset_min, style);
        let lw = text_w(&sample, f.small) + f.small * 1.5;
        let max_n = ((width as f64 / lw).floor() as i64).max(1);
        if span / step < max_n {
            chosen = (step, style);
            break;
        }
    }
    let (mut step, style) = chosen;
    while span / step > 12 {
        step *= 2; // beyond the table (spans of centuries)
    }
    // weekly steps start on Mondays (1970-01-05 was a Monday)
    let base = if step % (7 * MS_PER_DAY) == 0 { 4 * MS_PER_DAY } else { 0 };
    let local0 = t0 + off - base;
    let first = (local0.div_euclid(step) + 1) * step - off + base;
    let first = if first - step >= t0 { first - step } else { first };
    let ticks = (0..100).map(|k| first + k * step).take_while(|&t| t <= t1).collect();
    (ticks, style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::Theme;
    use plotters::prelude::IntoDrawingArea;

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
    fn formats() {
        assert_eq!(smart_format(0.7341), "0.734");
        assert_eq!(smart_format(12345.0), "12.3k");
        assert_eq!(smart_format(2.5e9), "2.5G");
        assert_eq!(step_format(0.30000000000000004, 0.1), "0.3");
        assert_eq!(step_format(-0.0, 0.1), "0");
    }

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

    #[test]
    fn ticks_in_offset() {
        let theme = Theme::light();
        let mut s = String::new();
        let root = plotters::prelude::SVGBackend::with_string(&mut s, (800, 400)).into_drawing_area();
        let f = Frame::new(&root, &theme);
        let t0 = 1_770_595_200_000; // 2026-02-09 00:00 UTC
        let (ticks, style) = time_ticks(t0, t0 + MS_PER_DAY, 700, &f, 60);
        assert_eq!(style, TimeStyle::MonthDayTime);
        assert!(ticks.len() >= 3 && ticks.len() <= 13, "{}", ticks.len());
        for t in &ticks {
            let l = fmt_time(*t, 60, style);
            assert!(l.ends_with(":00"), "{l}");
        }
        let (ticks, style) = time_ticks(t0, t0 + 30 * MS_PER_DAY, 700, &f, 0);
        assert_eq!(style, TimeStyle::MonthDay);
        assert!(!ticks.is_empty());
        // weekly ticks fall on Mondays: 2026-02-09 is a Monday
        let (ticks, _) = time_ticks(t0 - MS_PER_DAY, t0 + 120 * MS_PER_DAY, 700, &f, 0);
        assert!(ticks.iter().all(|t| (t - t0).rem_euclid(7 * MS_PER_DAY) == 0), "{ticks:?}");
    }
}
