//! The filter controls' values: the time range's inputs hold UTC, written ISO-style
//! (`2026-02-09 14:30`), as every other time on the page.

use crate::model::time::{format_iso_ms, parse_timestamp};

/// A time input's value read as UTC: `YYYY-MM-DD` (midnight), `YYYY-MM-DD HH:MM` or with
/// seconds, a `T` in place of the space also taken. Empty: no bound (`Ok(None)`); anything else:
/// the message the page shows beside the input.
pub fn read_time_input(v: &str) -> Result<Option<i64>, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    // the date's dashes, and a space or `T` after it (ASCII bytes: the slices below fall on
    // character boundaries)
    let b = v.as_bytes();
    let shape_ok = b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && (b.len() == 10 || matches!(b[10], b' ' | b'T'));
    let full = match (shape_ok, b.len()) {
        (true, 10) => Some(format!("{v}T00:00:00Z")),
        (true, 16) => Some(format!("{}T{}:00Z", &v[..10], &v[11..])),
        (true, 19) => Some(format!("{}T{}Z", &v[..10], &v[11..])),
        _ => None,
    };
    match full.and_then(|f| parse_timestamp(&f)) {
        Some(t) => Ok(Some(t)),
        None => Err(format!("“{v}” is not a time: write 2026-02-09 or 2026-02-09 14:30 (UTC)")),
    }
}

/// A time input's value as a bound: none when empty or unreadable (the page says which).
pub fn time_of_input(v: &str) -> Option<i64> {
    read_time_input(v).ok().flatten()
}

/// A time input's value for a time (UTC, to the minute): `2026-02-09 14:30`.
pub fn input_of_time(ms: i64) -> String {
    format_iso_ms(ms)[..16].replace('T', " ")
}

/// The task filter: none when blank.
pub fn task_of_input(v: String) -> Option<String> {
    if v.trim().is_empty() {
        None
    } else {
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_inputs_are_iso_and_utc() {
        // 2026-02-09T14:30Z = 1 770 595 200 000 + 14.5 h
        let day = 1_770_595_200_000;
        let t = day + 52_200_000;
        assert_eq!(time_of_input("2026-02-09 14:30"), Some(t));
        assert_eq!(time_of_input("2026-02-09T14:30"), Some(t));
        assert_eq!(time_of_input(" 2026-02-09 14:30:15 "), Some(t + 15_000));
        assert_eq!(time_of_input("2026-02-09"), Some(day));
        assert_eq!(read_time_input(""), Ok(None));
        assert_eq!(input_of_time(t + 15_999), "2026-02-09 14:30");
        assert_eq!(time_of_input(&input_of_time(t)), Some(t));
        for bad in [
            "soon",
            "02/09/2026",
            "2026-02-09 14",
            "2026-13-01",
            "2026-02-09x14:30",
            "2026-02-09 14:30:15.5",
            "2026-02-0é",
            "2026-02-0é1:30a",
            "2026-02-09 1é:30",
        ] {
            assert_eq!(
                read_time_input(bad),
                Err(format!("“{bad}” is not a time: write 2026-02-09 or 2026-02-09 14:30 (UTC)")),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_blank_task_is_no_filter() {
        assert_eq!(task_of_input("  ".into()), None);
        assert_eq!(task_of_input(String::new()), None);
        assert_eq!(task_of_input(" login".into()), Some(" login".into()));
    }
}
