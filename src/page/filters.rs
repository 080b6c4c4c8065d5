//! The filter controls' values: the time range's `datetime-local` inputs hold UTC.

use crate::model::time::{format_iso_ms, parse_timestamp};

/// A `datetime-local` input's value (`YYYY-MM-DDTHH:MM`, or with seconds), read as UTC; empty or
/// unreadable: no bound.
pub fn time_of_input(v: &str) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    let full = if v.len() == 16 { format!("{v}:00Z") } else { format!("{v}Z") };
    parse_timestamp(&full)
}

/// The `datetime-local` value of a time (UTC, to the minute).
pub fn input_of_time(ms: i64) -> String {
    format_iso_ms(ms)[..16].to_string()
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
    fn datetime_inputs_are_utc() {
        // 2026-02-09T14:30Z = 1 770 595 200 000 + 14.5 h
        let t = 1_770_595_200_000 + 52_200_000;
        assert_eq!(time_of_input("2026-02-09T14:30"), Some(t));
        assert_eq!(time_of_input("2026-02-09T14:30:15"), Some(t + 15_000));
        assert_eq!(time_of_input(""), None);
        assert_eq!(time_of_input("soon"), None);
        assert_eq!(input_of_time(t + 15_999), "2026-02-09T14:30");
        assert_eq!(time_of_input(&input_of_time(t)), Some(t));
    }

    #[test]
    fn a_blank_task_is_no_filter() {
        assert_eq!(task_of_input("  ".into()), None);
        assert_eq!(task_of_input(String::new()), None);
        assert_eq!(task_of_input(" login".into()), Some(" login".into()));
    }
}
