//! What the content area says when there is nothing to show, with the way out — instead of a
//! dashboard of dashes that looks like real results: files that hold no telemetry, and filters
//! that match no session.

use crate::model::numbers::{count, grouped};
use crate::page::chips::chips;
use crate::page::protocol::InputStatus;
use crate::pipelines::Filters;

/// The content area's notice, when it needs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// files were read and not one session came of them (offers: show skipped, try the demo)
    NoTelemetry(String),
    /// the data has sessions, the filters keep none (offers: clear the filters)
    NothingMatches(String),
}

/// The notice for a view of `shown` sessions out of the data's `total`, read from `inputs` under
/// `filters`; `None` while files are still being read or when there are sessions to show.
pub fn notice(shown: u64, total: u64, inputs: &[InputStatus], filters: &Filters, busy: bool) -> Option<Notice> {
    if shown > 0 || busy || inputs.is_empty() {
        return None;
    }
    if total == 0 {
        return Some(Notice::NoTelemetry(no_telemetry(inputs)));
    }
    let what: Vec<String> = chips(filters).into_iter().map(|c| c.label).collect();
    let of = if total == 1 { "the data's one session".to_string() } else { format!("the data's {}", sessions(total)) };
    Some(Notice::NothingMatches(if what.is_empty() {
        format!("No sessions to show of {of}.")
    } else {
        format!("No sessions match {} — of {of}, none is left.", what.join(" · "))
    }))
}

fn sessions(n: u64) -> String {
    count(n, "session", "sessions")
}

fn lines(n: u64) -> String {
    count(n, "line", "lines")
}

/// "None of other.jsonl's 2 lines is bosun telemetry …", from the inputs' line counts.
fn no_telemetry(inputs: &[InputStatus]) -> String {
    let (read, skipped) = inputs
        .iter()
        .flat_map(|i| &i.source_info)
        .fold((0u64, 0u64), |(r, s), x| (r.saturating_add(x.lines), s.saturating_add(x.skipped)));
    // a file's name is written as it is, even at the start of a sentence
    let (whose, whom) = match inputs {
        [one] => (format!("{}'s", one.name), one.name.clone()),
        _ => (format!("the {} files'", inputs.len()), format!("The {} files", inputs.len())),
    };
    let tail = "bosun writes its telemetry as JSON Lines under .cache/agent-work-logs/, an event, session or usage record a line.";
    if read == 0 {
        format!("{whom} held no lines to read. {tail}")
    } else if skipped >= read && read == 1 {
        format!(
            "{whom}: its one line is not bosun telemetry and was skipped, with its reason under Diagnostics. {tail}"
        )
    } else if skipped >= read {
        format!(
            "None of {whose} {} is bosun telemetry: each was skipped, with its reason under Diagnostics. {tail}",
            lines(read)
        )
    } else {
        format!(
            "{whom}: {} read, none makes a session ({} skipped as not telemetry, reasons under Diagnostics; no other names an attempt). {tail}",
            lines(read),
            grouped(skipped as f64, 0),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::protocol::{InputState, SourceLines};

    fn input(name: &str, lines: u64, skipped: u64) -> InputStatus {
        InputStatus {
            id: 1,
            name: name.into(),
            size: 100,
            state: InputState::Done,
            bytes_read: 100,
            error: None,
            sources: vec![0],
            memory_to_read_all_mib: None,
            source_info: vec![SourceLines { container: "plain".into(), lines, skipped }],
        }
    }

    #[test]
    fn a_file_of_other_json_is_said_to_hold_no_telemetry() {
        let n = notice(0, 0, &[input("other.jsonl", 2, 2)], &Filters::default(), false);
        let Some(Notice::NoTelemetry(text)) = n else { panic!("{n:?}") };
        assert!(text.starts_with("None of other.jsonl's 2 lines is bosun telemetry: each was skipped"), "{text}");
        let n = notice(0, 0, &[input("a.jsonl", 1, 1), input("b.jsonl", 3, 3)], &Filters::default(), false);
        let Some(Notice::NoTelemetry(text)) = n else { panic!("{n:?}") };
        assert!(text.starts_with("None of the 2 files' 4 lines is bosun telemetry"), "{text}");
        let n = notice(0, 0, &[input("one.jsonl", 1, 1)], &Filters::default(), false);
        let Some(Notice::NoTelemetry(text)) = n else { panic!("{n:?}") };
        assert!(text.starts_with("one.jsonl: its one line is not bosun telemetry and was skipped"), "{text}");
        let n = notice(0, 0, &[input("empty.jsonl", 0, 0)], &Filters::default(), false);
        let Some(Notice::NoTelemetry(text)) = n else { panic!("{n:?}") };
        assert!(text.starts_with("empty.jsonl held no lines to read."), "{text}");
        // lines that are telemetry but name no attempt
        let n = notice(0, 0, &[input("x.jsonl", 5, 2)], &Filters::default(), false);
        let Some(Notice::NoTelemetry(text)) = n else { panic!("{n:?}") };
        assert!(text.starts_with("x.jsonl: 5 lines read, none makes a session (2 skipped as not telemetry"), "{text}");
    }

    #[test]
    fn filters_that_keep_nothing_are_named() {
        let f = Filters { task: Some("zzzz".into()), executors: vec!["CODEX".into()], ..Filters::default() };
        let n = notice(0, 800, &[input("a.jsonl", 9_000, 0)], &f, false);
        assert_eq!(
            n,
            Some(Notice::NothingMatches(
                "No sessions match executor CODEX · task ~ “zzzz” — of the data's 800 sessions, none is left.".into()
            ))
        );
    }

    #[test]
    fn no_notice_with_sessions_while_reading_or_before_any_file() {
        let f = Filters { task: Some("zzzz".into()), ..Filters::default() };
        let inputs = [input("a.jsonl", 10, 10)];
        assert_eq!(notice(3, 800, &inputs, &f, false), None);
        assert_eq!(notice(0, 0, &inputs, &f, true), None);
        assert_eq!(notice(0, 0, &[], &f, false), None);
    }
}
