//! Epoch milliseconds as the local times charts print (axis labels, tooltips, summaries).

pub(crate) use crate::model::time::MS_PER_MINUTE as MINUTE;
use crate::model::time::{civil_from_days, day_of, MS_PER_DAY, MS_PER_HOUR};

/// Epoch milliseconds kept within ±10^15 (about ±31,000 years) so arithmetic cannot overflow.
pub(crate) fn tame_ms(ms: i64) -> i64 {
    ms.clamp(-1_000_000_000_000_000, 1_000_000_000_000_000)
}

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
    let days = local.div_euclid(MS_PER_DAY);
    let in_day = local.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm) = (in_day / MS_PER_HOUR, (in_day % MS_PER_HOUR) / MINUTE);
    match style {
        TimeStyle::MonthDayTime => format!("{m:02}-{d:02} {hh:02}:{mm:02}"),
        TimeStyle::MonthDay => format!("{m:02}-{d:02}"),
        TimeStyle::Date => format!("{y:04}-{m:02}-{d:02}"),
        TimeStyle::Full => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}"),
    }
}

/// The local year of epoch ms.
pub(crate) fn year_of(ms: i64, offset_min: i32) -> i64 {
    civil_from_days(day_of(tame_ms(ms), offset_min)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20493), (2026, 2, 9));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(fmt_time(1_770_645_600_000, 60, TimeStyle::MonthDayTime), "02-09 15:00");
        assert!(fmt_time(i64::MAX, i32::MAX, TimeStyle::Full).len() > 5);
    }
}
