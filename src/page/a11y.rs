//! Keyboard and screen-reader arithmetic of the page, pure: where the arrow keys move in a list
//! with one Tab stop (a roving tabindex), where Tab wraps inside a modal dialog, which sections
//! the table of contents lists and which of them is in view, and what the live region says when
//! a report is drawn. The web layer (`web/app/`) reads keys and rectangles and applies these.

use crate::model::numbers::count;
use crate::report::format;
use serde_json::Value;

/// A move inside a list of items of which one is the Tab stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Prev,
    Next,
    First,
    Last,
}

/// The move a key makes in a vertical list (`KeyboardEvent.key`); other keys make none.
pub fn list_move(key: &str) -> Option<Move> {
    match key {
        "ArrowUp" | "ArrowLeft" => Some(Move::Prev),
        "ArrowDown" | "ArrowRight" => Some(Move::Next),
        "Home" => Some(Move::First),
        "End" => Some(Move::Last),
        _ => None,
    }
}

/// Whether a key removes the item that has the focus.
pub fn is_remove_key(key: &str) -> bool {
    matches!(key, "Delete" | "Backspace")
}

/// The item a move lands on, from `current`, in a list of `len` items; the ends stop it (no
/// wrapping: a list, not a ring). `None` for an empty list.
pub fn moved(len: usize, current: usize, m: Move) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let current = current.min(len - 1);
    Some(match m {
        Move::Prev => current.saturating_sub(1),
        Move::Next => (current + 1).min(len - 1),
        Move::First => 0,
        Move::Last => len - 1,
    })
}

/// The Tab stop of a list rebuilt with `len` items, the last one having been at `index`: the
/// same place, or the last item when the list got shorter (an item removed at the end).
pub fn kept(len: usize, index: usize) -> Option<usize> {
    len.checked_sub(1).map(|last| index.min(last))
}

/// Where Tab (or Shift+Tab, `backwards`) goes inside a modal dialog of `len` focusable elements
/// with the focus on `current` (`None`: the focus is elsewhere — on the dialog itself, or
/// outside). It wraps at the ends; `None` when the dialog has nothing focusable (the focus stays).
pub fn trapped(len: usize, current: Option<usize>, backwards: bool) -> Option<usize> {
    if len == 0 {
        return None;
    }
    Some(match (current, backwards) {
        (None, false) => 0,
        (None, true) => len - 1,
        (Some(i), false) => (i + 1) % len,
        (Some(i), true) => (i + len - 1) % len,
    })
}

/// One entry of the report's table of contents: the anchor (`section-…`) and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub id: String,
    pub label: String,
}

/// The table of contents of the sections rendered, by their ids (`section-…`, in page order):
/// the overview, each pipeline's section, the sessions and the diagnostics. The note listing the
/// empty sections is left out: it is no section to read.
pub fn toc_entries<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<TocEntry> {
    ids.into_iter()
        .filter_map(|id| {
            let name = id.strip_prefix("section-")?;
            let label = match name {
                "" | "pending" => return None,
                "overview" => "Overview".to_string(),
                _ => format::title(name),
            };
            Some(TocEntry { id: id.to_string(), label })
        })
        .collect()
}

/// The section in view: the last whose top (`tops`, px from the viewport's top, in page order)
/// has reached `line` (just below the sticky bars); the first while none has; the last once the
/// page is scrolled to its end (a short last section never reaches the line). `None` when there
/// are no sections.
pub fn section_in_view(tops: &[f64], line: f64, at_end: bool) -> Option<usize> {
    if tops.is_empty() {
        return None;
    }
    if at_end {
        return Some(tops.len() - 1);
    }
    Some(tops.iter().rposition(|&t| t <= line).unwrap_or(0))
}

/// Why a report is being made: what the live region says when it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// files were read (or the demo made)
    Load,
    /// a filter or parameter changed
    Recompute,
}

/// What the live region says when a load starts.
pub fn load_started(files: usize, demo: bool) -> String {
    match (files, demo) {
        (0, true) => "Generating the demo data…".to_string(),
        (n, true) => format!("Reading {} and generating the demo data…", plural(n, "file")),
        (n, false) => format!("Reading {}…", plural(n, "file")),
    }
}

/// What the live region says once a report is drawn, from its `summary`: "Report updated: 3
/// sessions, 2 tasks, success rate 66.7 %" (a load says it ended first).
pub fn report_drawn(why: Why, summary: &Value) -> String {
    let n = |k: &str| summary[k].as_u64().unwrap_or(0);
    let mut s = match why {
        Why::Load => format!("Loaded {}. ", plural(n("files") as usize, "file")),
        Why::Recompute => String::new(),
    };
    s.push_str(&format!(
        "Report updated: {}, {}",
        count(n("sessions"), "session", "sessions"),
        count(n("tasks"), "task", "tasks")
    ));
    if let Some(r) = summary["success_rate"].as_f64() {
        s.push_str(&format!(", success rate {:.1} %", r * 100.0));
    }
    s.push('.');
    s
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrow_keys_move_and_stop_at_the_ends() {
        assert_eq!(list_move("ArrowDown"), Some(Move::Next));
        assert_eq!(list_move("ArrowUp"), Some(Move::Prev));
        assert_eq!(list_move("Home"), Some(Move::First));
        assert_eq!(list_move("End"), Some(Move::Last));
        assert_eq!(list_move("a"), None);
        assert_eq!(moved(3, 0, Move::Next), Some(1));
        assert_eq!(moved(3, 2, Move::Next), Some(2));
        assert_eq!(moved(3, 0, Move::Prev), Some(0));
        assert_eq!(moved(3, 2, Move::First), Some(0));
        assert_eq!(moved(3, 0, Move::Last), Some(2));
        // a stale index (the list got shorter) is brought inside first
        assert_eq!(moved(2, 7, Move::Prev), Some(0));
        assert_eq!(moved(0, 0, Move::Next), None);
        assert!(is_remove_key("Delete") && is_remove_key("Backspace") && !is_remove_key("x"));
    }

    #[test]
    fn the_tab_stop_stays_in_place_when_the_list_is_rebuilt() {
        assert_eq!(kept(3, 1), Some(1));
        // the last item removed: the new last
        assert_eq!(kept(2, 2), Some(1));
        assert_eq!(kept(0, 0), None);
    }

    #[test]
    fn tab_wraps_inside_a_dialog() {
        assert_eq!(trapped(3, Some(2), false), Some(0));
        assert_eq!(trapped(3, Some(0), true), Some(2));
        assert_eq!(trapped(3, Some(1), false), Some(2));
        assert_eq!(trapped(3, None, false), Some(0));
        assert_eq!(trapped(3, None, true), Some(2));
        assert_eq!(trapped(1, Some(0), true), Some(0));
        assert_eq!(trapped(0, None, false), None);
    }

    #[test]
    fn the_contents_list_the_sections_shown() {
        let toc = toc_entries([
            "section-overview",
            "section-model_scores",
            "section-pending",
            "section-sessions",
            "section-diagnostics",
            "chart-x",
        ]);
        let labels: Vec<&str> = toc.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["Overview", "Model scores", "Sessions", "Diagnostics"]);
        assert_eq!(toc[1].id, "section-model_scores");
    }

    #[test]
    fn the_section_in_view() {
        let tops = [-900.0, -20.0, 40.0, 700.0];
        assert_eq!(section_in_view(&tops, 100.0, false), Some(2));
        assert_eq!(section_in_view(&tops, 30.0, false), Some(1));
        // nothing has reached the line yet: the first
        assert_eq!(section_in_view(&[300.0, 900.0], 100.0, false), Some(0));
        assert_eq!(section_in_view(&tops, 100.0, true), Some(3));
        assert_eq!(section_in_view(&[], 100.0, false), None);
    }

    #[test]
    fn what_the_live_region_says() {
        assert_eq!(load_started(3, false), "Reading 3 files…");
        assert_eq!(load_started(1, false), "Reading 1 file…");
        assert_eq!(load_started(0, true), "Generating the demo data…");
        let s = json!({"files": 1, "sessions": 1234, "tasks": 1, "success_rate": 0.6667});
        assert_eq!(report_drawn(Why::Recompute, &s), "Report updated: 1,234 sessions, 1 task, success rate 66.7 %.");
        assert_eq!(
            report_drawn(Why::Load, &json!({"files": 2, "sessions": 0, "tasks": 0, "success_rate": null})),
            "Loaded 2 files. Report updated: 0 sessions, 0 tasks."
        );
    }
}
