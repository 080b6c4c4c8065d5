//! What the page says of a watched folder ("Watch a folder"): the live badge, a toast per recorded
//! alert that arrives, the banner's notes of a file gone, unreadable or cut mid-line, and why the
//! button cannot watch where the browser lacks the File System Access API. Which bytes a look
//! reads is `ingest::watch`'s (shared with `spyglass watch`).

use crate::model::numbers::grouped;
use crate::pipelines::alerts::RecordedAlert;

/// What the watch button says where `window.showDirectoryPicker` is missing.
pub const UNSUPPORTED: &str = "Watching a folder needs the File System Access API (Chromium-based browsers: Chrome, Edge, Opera), which this browser does not have. Open the files or the folder instead: the figures are those of the files as they are now.";

/// The badge: `Live · updated 14:32:05 · 120 lines/s` (`hms`: the local time of the last look
/// that read anything, or of the first look).
pub fn badge(hms: (u32, u32, u32), lines_per_s: f64, live: bool) -> String {
    let (h, m, s) = hms;
    let rate = if lines_per_s >= 10.0 || lines_per_s == 0.0 {
        grouped(lines_per_s.round(), 0)
    } else {
        format!("{lines_per_s:.1}")
    };
    let head = if live { "Live" } else { "Stopped" };
    format!("{head} · updated {h:02}:{m:02}:{s:02} · {rate} lines/s")
}

/// Lines per second: `lines` read over the `ms` since the previous look that read anything.
pub fn lines_per_s(lines: u64, ms: f64) -> f64 {
    if ms > 0.0 && ms.is_finite() {
        lines as f64 * 1000.0 / ms
    } else {
        0.0
    }
}

/// A toast for a recorded alert that arrived: `Alert: error_loop · attempt a1 · high`.
pub fn alert_toast(a: &RecordedAlert) -> String {
    let mut t = format!("Alert: {}", a.alert_type.as_str());
    if let Some(attempt) = &a.attempt_id {
        t.push_str(&format!(" · attempt {}", attempt.as_str()));
    } else if let Some(task) = &a.task_id {
        t.push_str(&format!(" · task {}", task.as_str()));
    }
    if !a.severity.as_str().is_empty() {
        t.push_str(&format!(" · {}", a.severity.as_str()));
    }
    t
}

/// A file no longer in the folder.
pub fn gone(name: &str) -> String {
    format!("{name}: gone from the watched folder; what was read of it stays")
}

/// A file (or the folder) that could not be read at this look.
pub fn unreadable(name: &str, why: &str) -> String {
    format!("{name}: could not be read ({why}); what was read of it stays")
}

/// A file whose last line has no end yet.
pub fn cut(name: &str, bytes: usize) -> String {
    let b = grouped(bytes as f64, 0);
    let unit = if bytes == 1 { "byte" } else { "bytes" };
    format!("{name}: its last line is cut ({b} {unit} so far); it is read once its end is written")
}

/// A file whose records reached the tab's memory budget: it is read no further.
pub fn stopped(name: &str) -> String {
    format!("{name}: too large for this tab's memory: stopped, and read no further while watched; what was read of it stays (the spyglass CLI watches any size)")
}

/// Every input is read again.
pub const AGAIN: &str = "a watched file shrank or was replaced: every file was read again";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::records::Name;

    #[test]
    fn the_badge_says_the_time_and_the_rate() {
        assert_eq!(badge((14, 32, 5), 120.4, true), "Live · updated 14:32:05 · 120 lines/s");
        assert_eq!(badge((9, 0, 0), 2.5, true), "Live · updated 09:00:00 · 2.5 lines/s");
        assert_eq!(badge((9, 0, 0), 12_345.0, false), "Stopped · updated 09:00:00 · 12,345 lines/s");
        assert_eq!(badge((0, 0, 0), 0.0, true), "Live · updated 00:00:00 · 0 lines/s");
        assert_eq!(lines_per_s(30, 2000.0), 15.0);
        assert_eq!(lines_per_s(30, 0.0), 0.0);
        assert_eq!(lines_per_s(30, f64::NAN), 0.0);
    }

    #[test]
    fn toasts_and_notes_name_what_they_are_about() {
        let mut a = RecordedAlert {
            time: None,
            alert_type: Name::new("error_loop"),
            severity: Name::new("high"),
            executor: None,
            attempt_id: Some(Name::new("a1")),
            task_id: Some(Name::new("t1")),
            cooldown_key: None,
            occurrences: None,
        };
        assert_eq!(alert_toast(&a), "Alert: error_loop · attempt a1 · high");
        a.attempt_id = None;
        a.severity = Name::new("");
        assert_eq!(alert_toast(&a), "Alert: error_loop · task t1");
        assert_eq!(gone("s/a.jsonl"), "s/a.jsonl: gone from the watched folder; what was read of it stays");
        assert_eq!(
            cut("a.jsonl", 1),
            "a.jsonl: its last line is cut (1 byte so far); it is read once its end is written"
        );
        assert!(cut("a.jsonl", 1234).contains("(1,234 bytes so far)"));
        assert!(stopped("a.jsonl").starts_with("a.jsonl: too large for this tab's memory: stopped"));
        assert!(unreadable("a.jsonl", "NotFoundError: gone").starts_with("a.jsonl: could not be read (NotFoundError"));
    }
}
