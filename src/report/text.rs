//! The CLI's default output: a readable summary of a report.

use super::format;
use super::Report;
use std::fmt::Write;

// the page's and the HTML report's formats (report::format), with the CLI's words for "none"
fn pct(r: Option<f64>) -> String {
    r.map(format::pct).unwrap_or_else(|| "n/a".into())
}
fn usd(c: Option<f64>) -> String {
    c.map(format::usd).unwrap_or_else(|| "unknown".into())
}

pub fn render(r: &Report) -> String {
    let s = &r.summary;
    let mut o = String::new();
    let _ = writeln!(o, "Spyglass report");
    let _ = writeln!(
        o,
        "  files {}  lines {}  events {}  metrics rows {}  alerts {}",
        s.files, s.lines, s.events, s.metrics_rows, s.alerts
    );
    let time = |t: &Option<String>| t.as_deref().map_or("?".to_string(), format::time_text_short);
    let _ = writeln!(o, "  time range {} .. {}", time(&s.first_timestamp), time(&s.last_timestamp));
    let _ = writeln!(
        o,
        "  sessions {}  tasks {}  success {} (n={})  first shot {} (n={})",
        s.sessions,
        s.tasks,
        pct(s.success_rate),
        s.success_n,
        pct(s.first_shot_rate),
        s.first_shot_n
    );
    let _ = writeln!(
        o,
        "  cost {}  tokens {}  error events {}",
        usd(s.total_cost_usd),
        s.total_tokens.map(|t| format::grouped(t as f64, 0)).unwrap_or_else(|| "unknown".into()),
        s.error_events
    );
    let _ = writeln!(
        o,
        "    cost of {}",
        format::cost_note(
            s.cost_n,
            s.estimated_cost_usd,
            s.estimated_cost_n,
            r.parameters.parameters.include_estimated_cost
        )
    );
    let _ = writeln!(
        o,
        "  skipped lines {}  duplicate lines {}  superseded rows {}  field warnings {}",
        s.skipped_lines, s.duplicate_lines, s.superseded_rows, s.field_warnings
    );
    let d = &r.diagnostics;
    // names from the logs (a `.zip` entry's) reach the terminal escaped, and cut as rows cut them
    let esc = format::escape_controls;
    for b in &d.by_source {
        let _ = writeln!(
            o,
            "  source {}: {} sessions, {} files, {} lines; shared with other sources: {} kept here, {} dropped here; {} skipped",
            esc(&b.source),
            b.sessions,
            b.files,
            b.lines,
            b.shared_kept,
            b.shared_dropped,
            b.skipped_lines
        );
    }
    for src in d.sources.iter().filter(|x| x.error.is_some()) {
        let _ = writeln!(
            o,
            "  ! {}: {}",
            esc(&crate::ingest::cut_name(&src.name)),
            esc(src.error.as_deref().unwrap_or(""))
        );
    }
    for sk in d.skipped_lines.iter().take(20) {
        let _ = writeln!(o, "  skipped {}:{}: {}", esc(&sk.source), sk.line, esc(&sk.reason.to_string()));
    }
    if d.skipped_lines_total > 20 {
        let _ = writeln!(o, "  … and {} more skipped lines (see --json)", d.skipped_lines_total - 20);
    }
    o
}

#[cfg(test)]
mod tests {
    use crate::dataset::sessions::Dataset;
    use crate::pipelines::{Filters, Parameters};

    /// A `.zip` entry's name can hold any character: the text report shows its control and
    /// bidirectional characters escaped (an ESC sequence reached the terminal raw).
    #[test]
    fn names_from_the_logs_reach_the_terminal_escaped() {
        let name = "evil\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}lnosj.jsonl";
        let data =
            Dataset::from_files([(name, &b"not json\n{\"event_type\":\"session_start\",\"attempt_id\":\"a\"}\n"[..])]);
        let text = super::render(&super::Report::compute(&data, &Filters::default(), &Parameters::default()));
        assert!(text.contains("skipped evil\\u{1b}]0;pwned\\u{7}\\u{9b}2J\\u{202e}lnosj.jsonl:1: "), "{text}");
        assert!(!text.chars().any(|c| matches!(c, '\u{1b}' | '\u{7}' | '\u{9b}' | '\u{202e}')), "{text:?}");
    }
}
