//! One table of the report as aligned text for a terminal: `spyglass report --table NAME`.
//!
//! Pure over the report's JSON (`serde_json::Value`, fields in the order of the row structures):
//! the CLI only decides the width and whether to colour. A NAME is a section (its `rows`; a
//! section without rows, such as `summary`, reads as a field/value table), or a path below it
//! (`costs.per_model`, `alerts.recomputed`, `error_clusters.correlation`, `costs.budget.days_over`).
//! Values read as on the page and in the HTML report ([`super::format`]: units by field name, `—`
//! for null, % for rates); numeric columns are right-aligned; cells too long to keep a row within
//! the width are cut with `…`, the widest columns first; control and bidirectional-override
//! characters from the data are shown escaped (`\u{1b}`), never sent to the terminal raw.

use super::format::{self, escape_controls as escape, heading, is_proportion, is_scalar};
use serde_json::Value;
use std::fmt::Write;

/// The width used when the terminal's is not known (`$COLUMNS` unset).
pub const DEFAULT_WIDTH: usize = 120;
/// A column is not cut narrower than this (a row may then pass the width).
pub const MIN_COLUMN: usize = 8;
const GAP: usize = 2;

#[derive(Debug, Clone, PartialEq)]
pub struct TableOptions {
    /// the first N rows only
    pub top: Option<usize>,
    /// the line width to keep rows within (display columns); 0 = no limit
    pub width: usize,
    /// ANSI styles: a bold header, dim empty values
    pub color: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions { top: None, width: DEFAULT_WIDTH, color: false }
    }
}

/// The names `--table` accepts for this report, in the report's order: every section, every
/// table beside its `rows`, and every object of fields inside a section.
pub fn table_names(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(sections) = report.as_object() else { return out };
    for (name, section) in sections {
        let Some(fields) = section.as_object() else { continue };
        out.push(name.clone());
        for (k, v) in fields {
            if k == "rows" {
                continue;
            }
            match v {
                Value::Array(items) if items.iter().all(Value::is_object) => out.push(format!("{name}.{k}")),
                Value::Object(inner) if !inner.is_empty() && !is_proportion(v) => {
                    out.push(format!("{name}.{k}"));
                    for (ik, iv) in inner {
                        if matches!(iv, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object))
                        {
                            out.push(format!("{name}.{k}.{ik}"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The value a table name stands for: a section's `rows` when it has them, else the value at
/// the path; `None` unless it is an array or an object.
fn resolve<'a>(report: &'a Value, name: &'a str) -> Option<(&'a Value, &'a str)> {
    let mut v = report;
    let mut last = "";
    for part in name.split('.') {
        v = v.as_object()?.get(part)?;
        last = part;
    }
    if !name.contains('.') {
        if let Some(rows @ Value::Array(_)) = v.get("rows") {
            return Some((rows, "rows"));
        }
    }
    (!is_scalar(v)).then_some((v, last))
}

/// One cell: its text (escaped) and whether it says "nothing" (dim when coloured).
struct Cell {
    text: String,
    empty: bool,
}

fn cell(key: &str, v: &Value) -> Cell {
    let empty = match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    Cell { text: escape(&format::cell(key, v)), empty }
}

/// The table `name` of `report` as lines of text, or an error that lists the valid names.
pub fn render(report: &Value, name: &str, opts: &TableOptions) -> Result<String, String> {
    let Some((value, field)) = resolve(report, name) else {
        return Err(format!("no table named {:?}; the tables are: {}", escape(name), table_names(report).join(", ")));
    };
    // headers, which columns are numeric, and the cells of the rows shown
    let (headers, numeric, rows, total, times): (Vec<String>, Vec<bool>, Vec<Vec<Cell>>, usize, Vec<bool>) = match value
    {
        Value::Array(items) => {
            let shown = &items[..opts.top.unwrap_or(usize::MAX).min(items.len())];
            if items.iter().all(Value::is_object) {
                // columns: the union of the fields, in order of first appearance
                let mut cols: Vec<&str> = Vec::new();
                for r in items {
                    for k in r.as_object().into_iter().flat_map(|o| o.keys()) {
                        if !cols.contains(&k.as_str()) {
                            cols.push(k);
                        }
                    }
                }
                let numeric = cols
                    .iter()
                    .map(|c| {
                        let mut vals = items.iter().filter_map(|r| r.get(c)).filter(|v| !v.is_null()).peekable();
                        vals.peek().is_some() && vals.all(|v| v.is_number() || is_proportion(v))
                    })
                    .collect();
                let times = cols
                    .iter()
                    .map(|c| {
                        items
                            .iter()
                            .filter_map(|r| r.get(c))
                            .filter(|v| !v.is_null())
                            .all(|v| v.as_str().is_some_and(format::looks_like_time))
                    })
                    .collect();
                let rows = shown
                    .iter()
                    .map(|r| cols.iter().map(|c| cell(c, r.get(c).unwrap_or(&Value::Null))).collect())
                    .collect();
                (cols.iter().map(|c| heading(c)).collect(), numeric, rows, items.len(), times)
            } else {
                // a list of values: one column, read by the list's field name
                let numeric = items.iter().any(Value::is_number) && items.iter().all(|v| v.is_number() || v.is_null());
                (
                    vec![heading(field)],
                    vec![numeric],
                    shown.iter().map(|v| vec![cell(field, v)]).collect(),
                    items.len(),
                    vec![false],
                )
            }
        }
        // an object (`resolve` gives nothing else): its fields and values
        _ => {
            let fields = value.as_object().into_iter().flatten();
            let rows: Vec<Vec<Cell>> = fields
                .clone()
                .take(opts.top.unwrap_or(usize::MAX))
                .map(|(k, v)| vec![Cell { text: escape(&heading(k)), empty: false }, cell(k, v)])
                .collect();
            (vec!["field".into(), "value".into()], vec![false, false], rows, fields.count(), vec![true, false])
        }
    };
    let headers: Vec<String> = headers.iter().map(|h| escape(h)).collect();
    let mut out = String::new();
    if total == 0 {
        out.push_str(&style(opts.color, "2", "no rows"));
        out.push('\n');
        return Ok(out);
    }
    let natural: Vec<usize> = (0..headers.len())
        .map(|i| rows.iter().map(|r| width(&r[i].text)).chain([width(&headers[i])]).max().unwrap_or(0))
        .collect();
    let whole: Vec<bool> = numeric.iter().zip(&times).map(|(n, t)| *n || *t).collect();
    let floor: Vec<usize> = (0..natural.len())
        .map(|i| if numeric[i] { rows.iter().map(|r| width(&r[i].text)).max().unwrap_or(0) } else { 0 })
        .collect();
    let widths = fit(&natural, &floor, &whole, opts.width);
    let line = |cells: Vec<(String, bool)>, bold: bool| -> String {
        let mut l = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, (text, empty)) in cells.into_iter().enumerate() {
            let text = cut(&text, widths[i]);
            let pad = " ".repeat(widths[i].saturating_sub(width(&text)));
            let shown = if bold {
                style(opts.color, "1", &text)
            } else if empty {
                style(opts.color, "2", &text)
            } else {
                text
            };
            if i > 0 {
                l.push_str(&" ".repeat(GAP));
            }
            if numeric[i] {
                l.push_str(&pad);
                l.push_str(&shown);
            } else {
                l.push_str(&shown);
                if i < last {
                    l.push_str(&pad);
                }
            }
        }
        l.truncate(l.trim_end_matches(' ').len());
        l
    };
    out.push_str(&line(headers.into_iter().map(|h| (h, false)).collect(), true));
    out.push('\n');
    out.push_str(&widths.iter().map(|&w| "─".repeat(w)).collect::<Vec<_>>().join(&" ".repeat(GAP)));
    out.push('\n');
    let shown = rows.len();
    for r in rows {
        out.push_str(&line(r.into_iter().map(|c| (c.text, c.empty)).collect(), false));
        out.push('\n');
    }
    if shown < total {
        let more = total - shown;
        let _ = writeln!(
            out,
            "{}",
            style(
                opts.color,
                "2",
                &format!(
                    "… {} more {} ({} in all)",
                    format::grouped(more as f64, 0),
                    if more == 1 { "row" } else { "rows" },
                    format::grouped(total as f64, 0)
                )
            )
        );
    }
    Ok(out)
}

/// `s` in the SGR style `code` when colouring.
fn style(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Column widths within `limit` (0 = none): when the natural widths pass it, the widest columns
/// are cut to one cap, the largest that fits, but none below its `floor` (the widest number of a
/// numeric column: a number is never cut, only its heading) or [`MIN_COLUMN`]. Columns marked
/// `whole` (numbers, timestamps: a cut one reads wrong) are cut only when cutting the others as
/// far as they go is not enough. A row may still pass the limit when nothing more can be cut.
pub fn fit(natural: &[usize], floor: &[usize], whole: &[bool], limit: usize) -> Vec<usize> {
    let gaps = GAP * natural.len().saturating_sub(1);
    let total: usize = natural.iter().sum::<usize>() + gaps;
    if limit == 0 || total <= limit {
        return natural.to_vec();
    }
    let avail = limit.saturating_sub(gaps);
    let capped = |cap: usize, all: bool| -> Vec<usize> {
        let lowest = |i: usize, w: usize| w.min(floor.get(i).copied().unwrap_or(0).max(MIN_COLUMN));
        natural
            .iter()
            .enumerate()
            .map(
                |(i, &w)| if all || !whole.get(i).copied().unwrap_or(false) { w.min(cap).max(lowest(i, w)) } else { w },
            )
            .collect()
    };
    let mut widths = natural.to_vec();
    for all in [false, true] {
        let mut cap = natural.iter().copied().max().unwrap_or(0);
        loop {
            widths = capped(cap, all);
            if cap == 0 || widths.iter().sum::<usize>() <= avail {
                break;
            }
            cap -= 1;
        }
        if widths.iter().sum::<usize>() <= avail {
            break;
        }
    }
    widths
}

/// Display columns of a character in a terminal: 2 for East Asian wide and emoji, 0 for
/// combining marks and zero-width characters, else 1 (a close reading of UAX #11, no tables).
fn char_width(c: char) -> usize {
    match c as u32 {
        0x0300..=0x036F
        | 0x0483..=0x0489
        | 0x0591..=0x05BD
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200B..=0x200D
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Display columns of a text.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `s` within `w` columns: cut with a final `…` when longer.
pub fn cut(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    if w > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({
            "summary": {"sessions": 3, "success_rate": 0.6666666666666666, "total_cost_usd": null, "first_timestamp": "2026-02-09T09:00:00.000Z"},
            "costs": {
                "rows": [
                    {"day": "2026-02-09", "model": "gpt-5", "cost_usd": 1234.5, "sessions": 12, "avg_duration_ms": 725000.0, "success_rate": 0.5},
                    {"day": "2026-02-10", "model": "claude-sonnet-4", "cost_usd": null, "sessions": 3, "avg_duration_ms": null, "success_rate": null},
                    {"day": "2026-02-11", "model": "x", "cost_usd": 0.0605, "sessions": 1, "avg_duration_ms": 250.0, "success_rate": 1.0}
                ],
                "per_model": [{"model": "gpt-5", "cost_per_success": 1.5}],
                "time_zone": "UTC",
                "budget": {"daily_budget_usd": 5.0, "days_over": [{"day": "2026-02-09", "cost_usd": 6.0}]},
                "runaway": []
            },
            "git": {"rows": [], "no_change_success": {"count": 0, "attempt_ids": []}}
        })
    }

    fn lines(s: &str) -> Vec<&str> {
        s.lines().collect()
    }

    #[test]
    fn columns_align_with_units_and_numbers_right() {
        let out = render(&report(), "costs", &TableOptions::default()).unwrap();
        // widths: day 10; model 15; cost 9 ("$1,234.50"); sessions 8 (header); avg duration 12
        // (header); success rate 12 (header); numbers right-aligned under their header
        assert_eq!(
            lines(&out),
            vec![
                "day         model                 cost  sessions  avg duration  success rate",
                "──────────  ───────────────  ─────────  ────────  ────────────  ────────────",
                "2026-02-09  gpt-5            $1,234.50        12       12m 05s        50.0 %",
                "2026-02-10  claude-sonnet-4          —         3             —             —",
                "2026-02-11  x                  $0.0605         1        250 ms       100.0 %",
            ]
        );
    }

    #[test]
    fn top_limits_the_rows_and_says_how_many_are_left() {
        let out = render(&report(), "costs", &TableOptions { top: Some(1), ..Default::default() }).unwrap();
        let l = lines(&out);
        assert_eq!(l.len(), 4);
        assert!(l[2].starts_with("2026-02-09  gpt-5"), "{out}");
        assert_eq!(l[3], "… 2 more rows (3 in all)");
        // the widths follow the rows shown: "gpt-5" is narrower than its header
        assert!(l[0].starts_with("day         model  "), "{out}");
    }

    #[test]
    fn secondary_tables_objects_and_empty_tables() {
        let r = report();
        let out = render(&r, "costs.per_model", &TableOptions::default()).unwrap();
        assert_eq!(lines(&out), vec!["model  cost per success", "─────  ────────────────", "gpt-5             $1.50"]);
        let out = render(&r, "costs.budget.days_over", &TableOptions::default()).unwrap();
        assert_eq!(lines(&out), vec!["day          cost", "──────────  ─────", "2026-02-09  $6.00"]);
        // a section without rows: its fields and values
        let out = render(&r, "summary", &TableOptions::default()).unwrap();
        assert_eq!(
            lines(&out),
            vec![
                "field            value",
                "───────────────  ────────────────",
                "sessions         3",
                "success rate     66.7 %",
                "total cost       —",
                "first timestamp  2026-02-09 09:00"
            ]
        );
        assert_eq!(render(&r, "git", &TableOptions::default()).unwrap(), "no rows\n");
        assert_eq!(render(&r, "costs.runaway", &TableOptions::default()).unwrap(), "no rows\n");
        // section.rows is the section
        assert_eq!(render(&r, "costs.rows", &TableOptions::default()), render(&r, "costs", &TableOptions::default()));
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let r = report();
        assert_eq!(
            table_names(&r),
            vec![
                "summary",
                "costs",
                "costs.per_model",
                "costs.budget",
                "costs.budget.days_over",
                "costs.runaway",
                "git",
                "git.no_change_success"
            ]
        );
        let err = render(&r, "costs.per_modle", &TableOptions::default()).unwrap_err();
        assert!(
            err.starts_with("no table named \"costs.per_modle\"; the tables are: summary, costs, costs.per_model,"),
            "{err}"
        );
        // a scalar is not a table
        assert!(render(&r, "costs.time_zone", &TableOptions::default()).is_err());
        assert!(render(&r, "", &TableOptions::default()).is_err());
        assert!(render(&r, "costs..rows", &TableOptions::default()).is_err());
    }

    #[test]
    fn long_cells_are_cut_to_keep_the_row_within_the_width() {
        let msg = "a".repeat(100);
        let r = json!({"e": {"rows": [{"fingerprint": "fp-1", "count": 12, "sample_message": msg}]}});
        let out = render(&r, "e", &TableOptions { width: 40, ..Default::default() }).unwrap();
        let l = lines(&out);
        // fingerprint 11 + count 5 + 2 gaps of 2: the message gets 40 − 20 = 20 columns
        assert_eq!(l[2], format!("fp-1            12  {}…", "a".repeat(19)));
        assert!(l.iter().all(|x| width(x) <= 40), "{out}");
        // no limit: whole
        let out = render(&r, "e", &TableOptions { width: 0, ..Default::default() }).unwrap();
        assert!(out.contains(&msg));
        // the widest columns are cut first, never below MIN_COLUMN
        assert_eq!(fit(&[10, 50, 30], &[0; 3], &[false; 3], 60), vec![10, 23, 23]);
        assert_eq!(fit(&[30, 30, 30], &[0; 3], &[false; 3], 10), vec![8, 8, 8]);
        assert_eq!(fit(&[5, 6], &[0; 2], &[false; 2], 100), vec![5, 6]);
        // numbers and timestamps stay whole while cutting the text is enough
        assert_eq!(fit(&[24, 24, 30], &[0; 3], &[true, true, false], 70), vec![24, 24, 18]);
        assert_eq!(
            fit(&[24, 24, 30], &[0; 3], &[true, true, false], 40),
            vec![12, 12, 12],
            "36 columns between the gaps"
        );
        // a number is never cut: its column goes no narrower than its widest value
        assert_eq!(fit(&[12, 30, 30], &[10, 0, 0], &[true, false, false], 30), vec![10, 8, 8]);
        // a numeric column's heading is cut to its values' width
        let r = json!({"s": {"rows": [{"name": "x".repeat(30), "tokens_of_the_day": 1234567}]}});
        let out = render(&r, "s", &TableOptions { width: 25, ..Default::default() }).unwrap();
        assert_eq!(
            lines(&out),
            vec!["name         tokens of …", "───────────  ───────────", "xxxxxxxxxx…    1,234,567"]
        );
        let out = render(&r, "s", &TableOptions { width: 12, ..Default::default() }).unwrap();
        assert_eq!(
            lines(&out),
            vec!["name      tokens o…", "────────  ─────────", "xxxxxxx…  1,234,567"],
            "the number whole, past the width"
        );
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("日本語テキスト", 7), "日本語…", "wide characters take two columns");
    }

    #[test]
    fn control_characters_from_the_data_are_shown_escaped() {
        let r = json!({"t": {"rows": [{"task_id": "evil\u{1b}[2Jx\nnext\u{202e}txt", "n": 1}]}});
        let out = render(&r, "t", &TableOptions { color: true, ..Default::default() }).unwrap();
        let row = lines(&out)[2].to_string();
        assert!(row.starts_with("evil\\u{1b}[2Jx\\u{a}next\\u{202e}txt"), "{row:?}");
        assert!(!row.contains('\u{1b}') && !row.contains('\u{202e}'), "{row:?}");
        assert_eq!(out.lines().count(), 3, "a newline in a cell stays in its row");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn colour_only_when_asked_and_outside_the_widths() {
        let plain = render(&report(), "costs", &TableOptions::default()).unwrap();
        assert!(!plain.contains('\u{1b}'));
        let coloured = render(&report(), "costs", &TableOptions { color: true, ..Default::default() }).unwrap();
        let l = lines(&coloured);
        assert!(l[0].starts_with("\u{1b}[1mday\u{1b}[0m  "), "bold header: {:?}", l[0]);
        // the null cost is dim and still right-aligned to the same column
        assert!(l[3].contains("        \u{1b}[2m—\u{1b}[0m"), "{:?}", l[3]);
        let strip = |s: &str| {
            let mut o = String::new();
            let mut it = s.chars();
            while let Some(c) = it.next() {
                if c == '\u{1b}' {
                    for d in it.by_ref() {
                        if d == 'm' {
                            break;
                        }
                    }
                } else {
                    o.push(c);
                }
            }
            o
        };
        assert_eq!(strip(&coloured), plain);
    }
}
