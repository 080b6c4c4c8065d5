//! A comparison as aligned text for a terminal (`spyglass compare` without `--json`): what each
//! side read, then one line per figure — A and its n, B and its n, B − A, its 95 % interval and
//! the method — with `*` before a flagged row. Values read as in the report (`report::format`,
//! units by the figure's name; a difference of rates in percentage points); text from the logs
//! (names of inputs, tools, categories) is shown escaped, never sent to the terminal raw.

use super::{Comparison, Method, Row, SideSummary};
use crate::model::numbers::count;
use crate::report::format::{self, escape_controls};
use crate::report::text_table::width;
use serde_json::Value;
use std::fmt::Write;

/// A value of `figure` as the report shows it (`—` for unknown).
fn value(figure: &str, v: Option<f64>) -> String {
    format::cell(figure, &v.map_or(Value::Null, Value::from))
}

/// A difference: of rates in percentage points, else in the figure's unit, signed.
fn diff(figure: &str, v: Option<f64>) -> String {
    let Some(x) = v else { return "—".into() };
    if figure.ends_with("_rate") {
        return format::cell("difference", &Value::from(x));
    }
    let s = value(figure, Some(x));
    if x > 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("+{s}")
    } else {
        s
    }
}

fn label(r: &Row) -> String {
    match &r.of {
        Some(of) => format!("{} ({})", r.figure, escape_controls(of)),
        None => r.figure.clone(),
    }
}

fn method(m: Method) -> &'static str {
    match m {
        Method::NewcombeHybridScore => "Newcombe",
        Method::Welch => "Welch",
        Method::BootstrapPercentile => "bootstrap",
    }
}

/// What a side's inputs were: how many, the first one's name, and their skipped lines.
fn inputs(s: &SideSummary) -> String {
    let files = count(s.inputs.len() as u64, "input", "inputs");
    let first = s.inputs.first().map(|n| escape_controls(n)).unwrap_or_default();
    let more = if s.inputs.len() > 1 { format!(", {} more", s.inputs.len() - 1) } else { String::new() };
    let mut o = format!("{files} ({first}{more})");
    if s.skipped_lines > 0 {
        let _ = write!(o, " · {}", count(s.skipped_lines, "skipped line", "skipped lines"));
    }
    o
}

fn filters(s: &SideSummary) -> String {
    let f = &s.filters;
    let mut parts = Vec::new();
    if let Some(t) = f.since_ms {
        parts.push(format!("since {}", value("since_ms", Some(t as f64))));
    }
    if let Some(t) = f.until_ms {
        parts.push(format!("until {}", value("until_ms", Some(t as f64))));
    }
    if !f.executors.is_empty() {
        parts.push(format!("executor {}", f.executors.join(" or ")));
    }
    if !f.models.is_empty() {
        parts.push(format!("model {}", f.models.join(" or ")));
    }
    if let Some(t) = &f.task {
        parts.push(format!("task {t:?}"));
    }
    escape_controls(&if parts.is_empty() { "no filter".to_string() } else { parts.join(", ") })
}

/// The first skipped lines of a side's inputs (`who`: "A ", "B " or "" when both read the same).
fn skips(o: &mut String, who: &str, s: &SideSummary) {
    for sk in s.skipped.iter().take(5) {
        let _ = writeln!(
            o,
            "  {who}skipped {}:{}: {}",
            escape_controls(&sk.source),
            sk.line,
            escape_controls(&sk.reason.to_string())
        );
    }
    if s.skipped_lines > 5 {
        let _ = writeln!(o, "  {who}… and {} more skipped lines (see --json)", s.skipped_lines - 5);
    }
}

/// The comparison as lines of text.
pub fn render(c: &Comparison) -> String {
    let mut o = String::new();
    let sessions = |s: &SideSummary| count(s.sessions, "session", "sessions");
    if c.same_inputs {
        let _ = writeln!(o, "inputs: {}", inputs(&c.a));
        skips(&mut o, "", &c.a);
        let _ = writeln!(o, "A: {} · {}", sessions(&c.a), filters(&c.a));
        let _ = writeln!(o, "B: {} · {}", sessions(&c.b), filters(&c.b));
    } else {
        for (name, s) in [("A", &c.a), ("B", &c.b)] {
            let _ = writeln!(o, "{name}: {} · {} · {}", sessions(s), filters(s), inputs(s));
            skips(&mut o, &format!("{name} "), s);
        }
    }
    o.push('\n');
    let header = ["", "figure", "A", "n A", "B", "n B", "B − A", "95 % interval", "method"];
    let right = [false, false, true, true, true, true, true, true, false];
    let mut lines: Vec<[String; 9]> = vec![header.map(String::from)];
    for r in &c.rows {
        let interval = match (r.ci_low, r.ci_high) {
            (Some(l), Some(h)) => format!("{} to {}", diff(&r.figure, Some(l)), diff(&r.figure, Some(h))),
            _ => "—".into(),
        };
        lines.push([
            if r.flagged { "*" } else { "" }.to_string(),
            label(r),
            value(&r.figure, r.a),
            format::cell("n", &Value::from(r.a_n)),
            value(&r.figure, r.b),
            format::cell("n", &Value::from(r.b_n)),
            diff(&r.figure, r.difference),
            interval,
            method(r.method).to_string(),
        ]);
    }
    let widths: Vec<usize> = (0..9).map(|i| lines.iter().map(|l| width(&l[i])).max().unwrap_or(0)).collect();
    for l in &lines {
        let mut line = String::new();
        for (i, cell) in l.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(width(cell)));
            if i > 0 {
                line.push_str("  ");
            }
            if right[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        o.push_str(line.trim_end());
        o.push('\n');
    }
    let flagged = c.rows.iter().filter(|r| r.flagged).count();
    let _ = writeln!(
        o,
        "\n* the 95 % interval of B − A excludes 0 ({} of {}). Newcombe: hybrid score interval \
         (proportions); Welch: t interval (means); bootstrap: percentile, {} resamples, fixed seed.",
        flagged,
        c.rows.len(),
        format::cell("n", &Value::from(c.bootstrap_resamples))
    );
    o
}
