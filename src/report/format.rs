//! How a report value reads, chosen by its field name: one module for the page's tables
//! (`src/web/app/`, re-exported as `web::format`) and the self-contained HTML report
//! (`html.rs`), so both print the same text for the same field and value; the chart labels
//! (`charts.rs`) reuse its primitives. Pure Rust over `serde_json::Value` (no browser type): it
//! builds natively and for wasm32. Also how tables sort and export to CSV.
//!
//! Numbers by field name: `*_rate`, `*share`, `rate`, a 95 % interval's `ci_low`/`ci_high` and
//! `runaway_percentile` → percent (`66.7 %`); `difference` (of two rates) → percentage points
//! (`−3.1 pp`); `*_usd`, `cost_per_*`, `*_cost` → dollars (`$1,234.50`, 4 decimals below a
//! dollar: `$0.0605`); `since_ms`/`until_ms` → a timestamp; other `*_ms` → a duration (`250 ms`,
//! `4.2 s`, `12m 05s`, `3h 20m`, `2d 4h`); `bytes` → `1.5 kB`; `utc_offset_minutes` →
//! `UTC+02:00`; `score` and `w_*` → 3 decimals, `risk` → 1; any other integer grouped (`1,234,567`), a
//! fraction with 3 decimals (1 from 100 up). Strings: timestamps (UTC) as `2026-02-09 14:23`, with
//! seconds only when they are not 0 (`2026-02-09 14:23:45`; milliseconds are for the attempt
//! timeline alone), flag codes as words. `null` reads `—`.
//!
//! Negative numbers take the typographic minus `−` (U+2212), not the hyphen-minus `-`: it is as
//! wide as `+` and a digit (signed columns line up), it reads as a minus, and a line never breaks
//! after it. (A UTC offset keeps ISO 8601's `UTC-05:00`.) CSV export keeps the raw values.

use crate::model::numbers::count;
pub use crate::model::numbers::{grouped, MINUS};
use crate::model::time::{format_iso_ms, format_offset, MS_PER_DAY, MS_PER_HOUR};
use serde_json::Value;
use std::cmp::Ordering;
use std::fmt::Write as _;

/// Items shown of an array inside one cell; the rest are counted ("… +3 more").
pub const MAX_CELL_ITEMS: usize = 12;

/// What an output adds around a cell's text. The page puts cell text in text nodes ([`Plain`]:
/// the text as it is); the HTML report escapes data and marks notes and lists up.
pub trait Markup {
    /// Text that comes from the data (a string value, a field name).
    fn text(&self, s: &str) -> String {
        s.to_string()
    }
    /// A muted note, already marked up: `na` ("—", "none", "… +3 more"), `ci` (a rate's n and
    /// interval), `act` (a reason's action).
    fn note(&self, _class: &str, s: &str) -> String {
        s.to_string()
    }
    /// Items that are sentences (a task's reasons), already marked up.
    fn sentences(&self, items: &[String]) -> String {
        items.join("; ")
    }
}

/// Cell text as it is (the page: text nodes escape nothing).
pub struct Plain;
impl Markup for Plain {}

/// A value of the field `key` as text.
pub fn cell(key: &str, v: &Value) -> String {
    cell_with(key, v, &Plain)
}

/// A value of the field `key`, marked up by `m`.
pub fn cell_with(key: &str, v: &Value, m: &impl Markup) -> String {
    match v {
        Value::Null => m.note("na", "—"),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) => number(key, n.as_f64().unwrap_or(0.0), n.is_f64()),
        Value::String(s) => m.text(&string(key, s)),
        Value::Object(_) if is_proportion(v) => proportion(v, m),
        Value::Object(fields) if fields.is_empty() => m.note("na", "none"),
        Value::Object(fields) => fields
            .iter()
            .map(|(k, x)| format!("{}: {}", m.text(&heading(k)), cell_with(k, x, m)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(items) if items.is_empty() => m.note("na", "none"),
        Value::Array(items) => {
            let (shown, more) = shown_items(key, items, m);
            let tail =
                if more > 0 { format!(" {}", m.note("na", &format!("… +{more} more"))) } else { String::new() };
            if items.iter().all(|i| i.get("sentence").is_some()) {
                format!("{}{tail}", m.sentences(&shown))
            } else if items.iter().all(is_scalar) {
                format!("{}{tail}", shown.join(", "))
            } else {
                format!("{}{tail}", shown.join("; "))
            }
        }
    }
}

/// A cell that holds several things (a list of objects, an object of fields), as one text per
/// thing, for the page to show as separate items rather than one serialised line; `None` for a
/// value that reads as one text (a number, a rate with its interval, a list of names).
pub fn cell_items(key: &str, v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Object(fields) if !fields.is_empty() && !is_proportion(v) => {
            Some(fields.iter().map(|(k, x)| format!("{} {}", heading(k), cell(k, x))).collect())
        }
        Value::Array(items) if !items.is_empty() && !items.iter().all(is_scalar) => {
            let (mut shown, more) = shown_items(key, items, &Plain);
            if more > 0 {
                shown.push(format!("… +{more} more"));
            }
            Some(shown)
        }
        _ => None,
    }
}

/// The first [`MAX_CELL_ITEMS`] items of an array as a cell shows them, and how many are left.
fn shown_items(key: &str, items: &[Value], m: &impl Markup) -> (Vec<String>, usize) {
    let shown = items.iter().take(MAX_CELL_ITEMS).map(|i| item(key, i, m)).collect();
    (shown, items.len().saturating_sub(MAX_CELL_ITEMS))
}

/// One item of an array shown in a cell: a reason as its sentence and action, an object as its
/// first value with the others in brackets and a count as a multiplier ("test ×5 (sessions 4)").
fn item(key: &str, v: &Value, m: &impl Markup) -> String {
    match v {
        Value::Object(_) if is_proportion(v) => proportion(v, m),
        Value::Object(fields) => {
            if let Some(sentence) = v.get("sentence").and_then(Value::as_str) {
                let action = v
                    .get("action")
                    .and_then(Value::as_str)
                    .map(|a| format!(" {}", m.note("act", &format!("→ {}", m.text(a)))))
                    .unwrap_or_default();
                return format!("{}{action}", m.text(sentence));
            }
            let mut fields = fields.iter();
            let Some((k0, v0)) = fields.next() else { return String::new() };
            let rest: Vec<(&String, &Value)> = fields.collect();
            let count = rest
                .iter()
                .find(|(k, _)| *k == "count")
                .map(|(k, x)| format!(" ×{}", cell_with(k, x, m)))
                .unwrap_or_default();
            let rest: Vec<String> = rest
                .iter()
                .filter(|(k, _)| *k != "count")
                .map(|(k, x)| format!("{} {}", m.text(&heading(k)), cell_with(k, x, m)))
                .collect();
            if rest.is_empty() {
                format!("{}{count}", cell_with(k0, v0, m))
            } else {
                format!("{}{count} ({})", cell_with(k0, v0, m), rest.join(", "))
            }
        }
        other => cell_with(key, other, m),
    }
}

pub fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// A [`crate::pipelines::stats::Proportion`]: a rate with its n and a 95 % interval.
pub fn is_proportion(v: &Value) -> bool {
    ["rate", "n", "ci_low", "ci_high"].iter().all(|k| v.get(k).is_some())
}

/// "62.5 % (n=8, 95 % CI 30.6–86.3 %)", the bracket a `ci` note; "— (n=0)" without a rate.
pub fn proportion(v: &Value, m: &impl Markup) -> String {
    let n = grouped(v.get("n").and_then(Value::as_f64).unwrap_or(0.0), 0);
    match v.get("rate").and_then(Value::as_f64) {
        None => format!("{} (n={n})", m.note("na", "—")),
        Some(r) => {
            let ci = match (v.get("ci_low").and_then(Value::as_f64), v.get("ci_high").and_then(Value::as_f64)) {
                (Some(lo), Some(hi)) => format!(", 95 % CI {}–{} %", grouped(lo * 100.0, 1), grouped(hi * 100.0, 1)),
                _ => String::new(),
            };
            format!("{} {}", pct(r), m.note("ci", &format!("(n={n}{ci})")))
        }
    }
}

/// A string of the field `key`: a timestamp with a space for the `T`, flag codes as words.
fn string(key: &str, s: &str) -> String {
    if looks_like_time(s) {
        time_cell(s)
    } else if key == "flags" {
        s.replace('_', " ")
    } else {
        s.to_string()
    }
}

/// An ISO 8601 UTC timestamp as the report writes it (`2026-02-09T14:23:45.123Z`).
pub fn looks_like_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && s.ends_with('Z')
        && b[..4].iter().all(u8::is_ascii_digit)
}

/// "2026-02-09T14:23:45.123Z" as "2026-02-09 14:23:45.123Z" (UTC kept visible; milliseconds kept
/// even when 0, so that a column of times lines up).
pub fn time_text(s: &str) -> String {
    s.replacen('T', " ", 1)
}

/// A time in a table's cell: "2026-02-09T14:23:45.123Z" as "2026-02-09 14:23:45", to the minute
/// when the seconds are 0 ("2026-02-09 14:23"); the milliseconds are dropped (the attempt
/// timeline keeps them), the zone too (every time of a report is UTC).
pub fn time_cell(s: &str) -> String {
    let t = time_text(s);
    let t = t.strip_suffix('Z').unwrap_or(&t);
    let whole = t.split_once('.').map_or(t, |(w, _)| w);
    match whole.strip_suffix(":00") {
        Some(minute) if whole.len() == 19 => minute.to_string(),
        _ => whole.to_string(),
    }
}

/// A time on its own (a heading, a filter): as [`time_text`], without milliseconds that are 0.
pub fn time_text_short(s: &str) -> String {
    let t = time_text(s);
    t.strip_suffix(".000Z").map(|x| format!("{x}Z")).unwrap_or(t)
}

fn is_rate(key: &str) -> bool {
    key.ends_with("_rate")
        || key.ends_with("share")
        || key == "rate"
        || key.ends_with("_pct_of_budget")
        || key == "ci_low"
        || key == "ci_high"
        || key == "runaway_percentile"
}

fn is_usd(key: &str) -> bool {
    key.ends_with("_usd") || key.starts_with("cost_per_") || key.ends_with("_cost")
}

/// A number of the field `key`; `float` when JSON wrote it as a fraction.
pub fn number(key: &str, x: f64, float: bool) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if is_rate(key) {
        pct(x)
    } else if key == "difference" {
        pp(x)
    } else if key == "score" || key.starts_with("w_") {
        // before dollars: the weight `w_cost` is a factor, not an amount
        grouped(x, 3)
    } else if key == "risk" {
        // whole numbers plus tool_failures / 5: one decimal is exact
        grouped(x, 1)
    } else if is_usd(key) {
        usd(x)
    } else if key == "since_ms" || key == "until_ms" {
        time_cell(&format_iso_ms(x as i64))
    } else if key.ends_with("_ms") {
        duration_ms(x)
    } else if key == "utc_offset_minutes" {
        format_offset(x as i32)
    } else if key == "bytes" {
        bytes(x)
    } else if !float || x.fract() == 0.0 {
        grouped(x, 0)
    } else if x.abs() >= 100.0 {
        grouped(x, 1)
    } else {
        grouped(x, 3)
    }
}

/// A fraction as a percentage with one decimal: `66.7 %`.
pub fn pct(x: f64) -> String {
    format!("{} %", grouped(x * 100.0, 1))
}

/// A difference of two fractions in percentage points, signed: `+3.1 pp`, `−3.1 pp`, `0.0 pp`.
pub fn pp(x: f64) -> String {
    let s = grouped(x * 100.0, 1);
    let plus = x > 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b));
    format!("{}{s} pp", if plus { "+" } else { "" })
}

/// Dollars with 2 decimals, grouped; below one dollar with up to 4 (so that $0.0605 is not
/// shown as $0.06): `$1,234.50`, `$0.0605`, `$0.50`, `−$2.00`.
pub fn usd(x: f64) -> String {
    let a = x.abs();
    if a >= 1.0 || a == 0.0 {
        return dollars(x, 2);
    }
    let s = format!("{a:.4}");
    let t = s.trim_end_matches('0');
    if t.split('.').nth(1).map_or(0, str::len) < 2 {
        dollars(x, 2)
    } else {
        signed(x, format!("${t}"))
    }
}

/// Dollars with a fixed number of decimals, grouped: `$1,234`, `−$5.00`.
/// What a cost figure counts, in words (revision 2): how many sessions record their cost, and
/// the estimated cost of the others that the price table prices, left out or included.
pub fn cost_note(cost_n: u64, estimated_usd: Option<f64>, estimated_n: u64, included: bool) -> String {
    let sessions = |n: u64| count(n, "session", "sessions");
    let recorded = if included {
        format!("{} with a recorded or estimated cost", sessions(cost_n))
    } else {
        format!("{} with a recorded cost", sessions(cost_n))
    };
    match estimated_usd {
        Some(e) if estimated_n > 0 => {
            let what = if included { "included" } else { "not included" };
            format!("{recorded}; {} estimated from tokens for {} more, {what}", usd(e), sessions(estimated_n))
        }
        _ => recorded,
    }
}

pub fn dollars(x: f64, decimals: usize) -> String {
    signed(x, format!("${}", grouped(x.abs(), decimals)))
}

/// `body` (the figure of |x|) with a leading minus when x is negative and the figure not 0.
fn signed(x: f64, body: String) -> String {
    if x < 0.0 && body.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("{MINUS}{body}")
    } else {
        body
    }
}

/// `250 ms`, `4.2 s`, `12m 05s`, `3h 20m`, `2d 4h` (the larger units truncated, as a clock).
pub fn duration_ms(ms: f64) -> String {
    const HOUR: f64 = MS_PER_HOUR as f64;
    const DAY: f64 = MS_PER_DAY as f64;
    let a = ms.abs();
    let body = if a < 1000.0 {
        format!("{a:.0} ms")
    } else if a < 60_000.0 {
        format!("{:.1} s", a / 1000.0)
    } else if a < HOUR {
        format!("{}m {:02}s", (a / 60_000.0) as u64, ((a % 60_000.0) / 1000.0) as u64)
    } else if a < DAY {
        format!("{}h {:02}m", (a / HOUR) as u64, ((a % HOUR) / 60_000.0) as u64)
    } else {
        format!("{}d {}h", (a / DAY) as u64, ((a % DAY) / HOUR) as u64)
    };
    signed(ms, body)
}

/// `512 B`, `1.5 kB`, `12.3 MB`, `1.25 GB` (decimal units).
pub fn bytes(n: f64) -> String {
    // never "-0 B" (a size summed from nothing as a float, or a NaN from a missing one)
    let n = if n.is_finite() && n > 0.0 { n } else { 0.0 };
    if n < 1e3 {
        format!("{n:.0} B")
    } else if n < 1e6 {
        format!("{:.1} kB", n / 1e3)
    } else if n < 1e9 {
        format!("{:.1} MB", n / 1e6)
    } else {
        format!("{:.2} GB", n / 1e9)
    }
}

/// Nulls last, numbers by value, strings by their lowercased text (timestamps in time order),
/// everything else by its cell text.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        _ => cell("", a).to_lowercase().cmp(&cell("", b).to_lowercase()),
    }
}

/// Section and column titles from snake_case keys (unit suffixes go: cells show the units).
pub fn title(key: &str) -> String {
    let key = key.strip_suffix("_usd").or_else(|| key.strip_suffix("_ms")).filter(|k| !k.is_empty()).unwrap_or(key);
    let s = key.replace('_', " ");
    let s = if s == "utc" || s.starts_with("utc ") { format!("UTC{}", &s[3..]) } else { s };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// A field name as words inside a cell and as the HTML report's column heading, lowercase, unit
/// suffixes dropped: `avg_cost_usd` → "avg cost", `success_n` → "n (success)".
pub fn heading(key: &str) -> String {
    let k = key.strip_suffix("_usd").or_else(|| key.strip_suffix("_ms")).unwrap_or(key);
    if let Some(base) = k.strip_suffix("_n") {
        return format!("n ({})", base.replace('_', " "));
    }
    match k {
        "avg_errors" => "errors per session".into(),
        "per_100_sessions" => "per 100 sessions".into(),
        "latency_p50" => "latency p50".into(),
        "latency_p95" => "latency p95".into(),
        _ => k.replace('_', " "),
    }
}

/// RFC 4180 CSV of rows (objects), the columns in the order given; values unformatted (an array
/// of scalars as its items joined by ", ").
///
/// A text cell (a string, a list) that starts with `=`, `+`, `-`, `@`, a tab or a CR gets a
/// leading `'`, so that a spreadsheet opening the file reads it as text, not as a formula (a task
/// titled `=HYPERLINK(…)` would otherwise run): OWASP's advice on CSV injection. Numbers are never
/// changed (a JSON number `-3` stays the number `-3`): the JSON type decides, not the text.
///
/// Flat: a column whose values are objects (a rate with its n and interval, a row of counts)
/// becomes one column per field, `column.field`, in the order the fields are first met; a list
/// of objects is one cell of the text the page shows ("api_error ×3 (sessions 2); test ×1"), a
/// list of names their names — never JSON.
pub fn csv<R: std::borrow::Borrow<Value>>(columns: &[String], rows: impl IntoIterator<Item = R>) -> String {
    let rows: Vec<R> = rows.into_iter().collect();
    // each column with the fields of its objects, if any
    let fields: Vec<Vec<String>> = columns
        .iter()
        .map(|c| {
            let mut found: Vec<String> = Vec::new();
            for r in &rows {
                if let Some(Value::Object(o)) = r.borrow().get(c) {
                    for k in o.keys() {
                        if !found.contains(k) {
                            found.push(k.clone());
                        }
                    }
                }
            }
            found
        })
        .collect();
    fn quote(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    fn text(s: String) -> String {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s
        }
    }
    fn raw(v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    fn value(c: &str, v: Option<&Value>) -> String {
        match v {
            None => String::new(),
            Some(Value::Array(a)) if a.iter().all(is_scalar) => {
                quote(&text(a.iter().map(raw).collect::<Vec<_>>().join(", ")))
            }
            Some(v @ Value::String(_)) => quote(&text(raw(v))),
            Some(v @ (Value::Array(_) | Value::Object(_))) => quote(&text(cell(c, v))),
            Some(v) => quote(&raw(v)),
        }
    }
    let header: Vec<String> = columns
        .iter()
        .zip(&fields)
        .flat_map(|(c, f)| {
            if f.is_empty() {
                vec![quote(&text(c.clone()))]
            } else {
                f.iter().map(|k| quote(&text(format!("{c}.{k}")))).collect()
            }
        })
        .collect();
    let mut out = header.join(",");
    out.push_str("\r\n");
    for r in &rows {
        let r = r.borrow();
        let line: Vec<String> = columns
            .iter()
            .zip(&fields)
            .flat_map(|(c, f)| {
                if f.is_empty() {
                    return vec![value(c, r.get(c))];
                }
                match r.get(c) {
                    Some(Value::Object(o)) => f.iter().map(|k| value(k, o.get(k))).collect(),
                    // a row whose value is not an object (null): its fields empty
                    _ => vec![String::new(); f.len()],
                }
            })
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A parameter's label: its title with the unit of its suffix.
pub fn label(key: &str) -> String {
    let unit = if key.ends_with("_ms") {
        " (ms)"
    } else if key.ends_with("_usd") {
        " (USD)"
    } else if let Some(k) = key.strip_suffix("_minutes") {
        return format!("{} (minutes)", title(k));
    } else {
        ""
    };
    format!("{}{unit}", title(key))
}

/// Text for a terminal: control characters (C0, DEL, C1) and the invisible characters that
/// reorder or hide text (bidirectional overrides and isolates, the BOM) as visible escapes: ESC
/// reads `\u{1b}`, a newline `\u{a}`, so a value is one line and sends the terminal nothing but
/// text. The CLI's every text from the data (table cells, source names, progress) goes through it.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(o, "\\u{{{:x}}}", c as u32);
        } else {
            o.push(c);
        }
    }
    o
}

fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_follow_the_field_suffix() {
        assert_eq!(cell("success_rate", &json!(0.6667)), "66.7 %");
        assert_eq!(cell("error_share", &json!(0.5)), "50.0 %");
        assert_eq!(cell("share", &json!(0.03571428571428571)), "3.6 %");
        assert_eq!(cell("ci_low", &json!(0.306)), "30.6 %");
        assert_eq!(cell("runaway_percentile", &json!(0.99)), "99.0 %");
        assert_eq!(cell("difference", &json!(-0.031)), "−3.1 pp");
        assert_eq!(cell("difference", &json!(0.196078431372549)), "+19.6 pp");
        assert_eq!(cell("difference", &json!(-0.0001)), "0.0 pp");
        assert_eq!(cell("total_cost_usd", &json!(1234.5)), "$1,234.50");
        assert_eq!(cell("cost_usd", &json!(0.0042)), "$0.0042");
        assert_eq!(cell("cost_per_success", &json!(1.5)), "$1.50");
        assert_eq!(cell("duration_ms", &json!(437000)), "7m 17s");
        assert_eq!(cell("avg_duration_ms", &json!(604295.8)), "10m 04s");
        assert_eq!(cell("gap_ms", &json!(250)), "250 ms");
        assert_eq!(cell("since_ms", &json!(0)), "1970-01-01 00:00");
        assert_eq!(cell("until_ms", &json!(1770647025123_i64)), "2026-02-09 14:23:45");
        // a time in a cell: to the minute, seconds when not 0, no milliseconds
        assert_eq!(cell("time", &json!("2026-02-09T14:00:00.000Z")), "2026-02-09 14:00");
        assert_eq!(cell("time", &json!("2026-02-09T14:00:05.999Z")), "2026-02-09 14:00:05");
        assert_eq!(cell("time", &json!("2026-02-09T14:00:00.250Z")), "2026-02-09 14:00");
        assert_eq!(cell("time", &json!("2026-02-09T14:00:00Z")), "2026-02-09 14:00");
        assert_eq!(cell("utc_offset_minutes", &json!(120)), "UTC+02:00");
        assert_eq!(cell("utc_offset_minutes", &json!(0)), "UTC");
        assert_eq!(cell("bytes", &json!(102611)), "102.6 kB");
        assert_eq!(cell("score", &json!(0.7348185714285714)), "0.735");
        assert_eq!(cell("score", &json!(1.0)), "1.000");
        assert_eq!(cell("score", &json!(-0.12)), "−0.120");
        assert_eq!(cell("risk", &json!(19.2)), "19.2");
        assert_eq!(cell("risk", &json!(3.0)), "3.0");
        assert_eq!(cell("w_errors", &json!(0.02)), "0.020");
        assert_eq!(cell("w_cost", &json!(0.1)), "0.100", "a weight, not dollars");
        assert_eq!(cell("tokens", &json!(91854)), "91,854");
        assert_eq!(cell("avg_tokens", &json!(62760.6)), "62,760.6");
        assert_eq!(cell("avg_errors", &json!(3.5)), "3.500");
        assert_eq!(cell("spike_sigma", &json!(3.0)), "3");
        assert_eq!(cell("x", &json!(null)), "—");
        assert_eq!(cell("ok", &json!(true)), "yes");
        assert_eq!(cell("files", &json!(["a", "b"])), "a, b");
        assert_eq!(cell("files", &json!([])), "none");
        assert_eq!(cell("first_timestamp", &json!("2026-02-09T14:00:00.000Z")), "2026-02-09 14:00");
        assert_eq!(time_text_short("2026-02-09T14:00:00.000Z"), "2026-02-09 14:00:00Z");
        assert_eq!(time_text_short("2026-02-09T14:00:00.250Z"), "2026-02-09 14:00:00.250Z");
        assert_eq!(cell("last_seen", &json!("2026-02-02T18:45:11.135Z")), "2026-02-02 18:45:11");
        assert_eq!(
            cell("flags", &json!(["high_retry_rate", "dominant_error_category"])),
            "high retry rate, dominant error category"
        );
        assert_eq!(cell("task_id", &json!("T_1")), "T_1");
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(grouped(-1234567.0, 0), "−1,234,567");
        assert_eq!(grouped(1234567.891, 2), "1,234,567.89");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(-0.0004, 3), "0.000", "no minus on a figure that rounds to 0");
        assert_eq!(grouped(-0.0006, 3), "−0.001");
        assert_eq!(number("n", f64::NAN, true), "—");
        assert_eq!(pct(-0.05), "−5.0 %");
        assert_eq!(usd(0.0605), "$0.0605");
        assert_eq!(usd(0.8194210526315789), "$0.8194");
        assert_eq!(usd(0.5), "$0.50");
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd(73.29311900000003), "$73.29");
        assert_eq!(usd(12345.5), "$12,345.50");
        assert_eq!(usd(-2.0), "−$2.00");
        assert_eq!(usd(-0.25), "−$0.25");
        assert_eq!(dollars(1234.4, 0), "$1,234");
        assert_eq!(duration_ms(999.0), "999 ms");
        assert_eq!(duration_ms(4210.0), "4.2 s");
        assert_eq!(duration_ms(725_000.0), "12m 05s");
        assert_eq!(duration_ms(12_000_000.0), "3h 20m");
        assert_eq!(duration_ms(187_200_000.0), "2d 4h");
        assert_eq!(duration_ms(-300_000.0), "−5m 00s");
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(1534.0), "1.5 kB");
        assert_eq!(bytes(12_300_000.0), "12.3 MB");
        assert_eq!(bytes(1_250_000_000.0), "1.25 GB");
    }

    #[test]
    fn nested_values_read_as_text() {
        let p = json!({"rate": 0.625, "successes": 5, "n": 8, "ci_low": 0.306, "ci_high": 0.863});
        assert_eq!(cell("a", &p), "62.5 % (n=8, 95 % CI 30.6–86.3 %)");
        assert_eq!(
            cell("a", &json!({"rate": null, "successes": 0, "n": 0, "ci_low": null, "ci_high": null})),
            "— (n=0)"
        );
        let reasons = json!([{"code": "test", "count": 6, "sentence": "The task's sessions hit test errors.", "action": "Add test setup or test data."}, {"code": "x", "sentence": "It switched."}]);
        assert_eq!(
            cell("reasons", &reasons),
            "The task's sessions hit test errors. → Add test setup or test data.; It switched."
        );
        let cats = json!([{"category": "api_error", "count": 3, "sessions": 2}, {"category": "test", "count": 1}]);
        assert_eq!(cell("error_categories", &cats), "api_error ×3 (sessions 2); test ×1");
        assert_eq!(cell("budget", &json!({"daily_budget_usd": 5.0, "over_n": 2})), "daily budget: $5.00, n (over): 2");
        assert_eq!(cell("field_warnings", &json!({})), "none");
        let many: Vec<Value> = (0..15).map(|i| json!(format!("a{i}"))).collect();
        assert_eq!(
            cell("attempt_ids", &Value::Array(many)),
            "a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 … +3 more"
        );
    }

    #[test]
    fn sorting_puts_nulls_last_and_numbers_by_value() {
        let mut v = vec![json!(null), json!(10), json!(9.5), json!(100)];
        crate::model::sort::by(&mut v, compare);
        assert_eq!(v, vec![json!(9.5), json!(10), json!(100), json!(null)]);
        // timestamps by their raw text
        let mut t = [json!("2026-02-09T14:00:00.500Z"), json!("2026-02-09T14:00:00.000Z")];
        crate::model::sort::by(&mut t, compare);
        assert_eq!(t[0], json!("2026-02-09T14:00:00.000Z"));
    }

    #[test]
    fn csv_quotes_and_keeps_raw_values() {
        let rows = vec![
            json!({"name": "a,b", "n": 3, "rate": 0.5, "tags": ["x", "y"], "none": null}),
            json!({"name": "say \"hi\""}),
        ];
        let cols: Vec<String> = ["name", "n", "rate", "tags", "none"].iter().map(|s| s.to_string()).collect();
        assert_eq!(csv(&cols, &rows), "name,n,rate,tags,none\r\n\"a,b\",3,0.5,\"x, y\",\r\n\"say \"\"hi\"\"\",,,,\r\n");
        // arrays and timestamps unformatted and uncapped
        let many: Vec<Value> = (0..13).map(|i| json!(i)).collect();
        let rows = vec![json!({"t": "2026-02-09T14:00:00.000Z", "flags": ["high_retry_rate"], "ids": many})];
        let cols: Vec<String> = ["t", "flags", "ids"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            csv(&cols, &rows),
            "t,flags,ids\r\n2026-02-09T14:00:00.000Z,high_retry_rate,\"0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12\"\r\n"
        );
    }

    /// Flat: objects become a column per field, lists of objects the page's text, never JSON.
    #[test]
    fn csv_is_flat() {
        let rows = vec![
            json!({"key": "gpt-5", "success_rate": {"rate": 0.5, "n": 8, "ci_low": 0.2, "ci_high": 0.8}, "cats": [{"category": "api_error", "count": 3, "sessions": 2}, {"category": "test", "count": 1}]}),
            json!({"key": "o3", "success_rate": null, "cats": []}),
        ];
        let cols: Vec<String> = ["key", "success_rate", "cats"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            csv(&cols, &rows),
            "key,success_rate.rate,success_rate.n,success_rate.ci_low,success_rate.ci_high,cats\r\n\
             gpt-5,0.5,8,0.2,0.8,api_error ×3 (sessions 2); test ×1\r\n\
             o3,,,,,\r\n"
        );
        assert_eq!(
            cell_items("cats", &rows[0]["cats"]),
            Some(vec!["api_error ×3 (sessions 2)".to_string(), "test ×1".to_string()])
        );
        assert_eq!(cell_items("success_rate", &rows[0]["success_rate"]), None);
        assert_eq!(cell_items("tags", &json!(["a", "b"])), None);
        assert_eq!(
            cell_items("commands", &json!({"commands": 1046, "command_failures": 3})),
            Some(vec!["commands 1,046".to_string(), "command failures 3".to_string()])
        );
    }

    /// Text from the logs that a spreadsheet would run as a formula is exported as text (`'`
    /// first); numbers, negative ones included, stay numbers (they were all exported as is).
    #[test]
    fn csv_guards_text_that_would_be_a_formula_but_not_numbers() {
        let rows = vec![
            json!({"task": "=HYPERLINK(\"http://x\",\"y\")", "n": -3, "rate": -0.25, "tags": ["@SUM(A1)", "b"]}),
            json!({"task": "+1", "n": 0, "rate": null, "tags": [-1, 2]}),
            json!({"task": "-2", "n": 1e300, "rate": 1, "tags": []}),
            json!({"task": "\tx", "n": 1, "rate": 1, "tags": ["ok"]}),
            json!({"task": "\r=1", "n": 1, "rate": 1, "tags": ["a=b"]}),
            json!({"task": "a-b", "n": 1, "rate": 1, "tags": true}),
        ];
        let cols: Vec<String> = ["task", "n", "rate", "tags"].iter().map(|s| s.to_string()).collect();
        let out = csv(&cols, &rows);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3,-0.25,\"'@SUM(A1), b\"");
        assert_eq!(lines[2], "'+1,0,,\"'-1, 2\"");
        assert_eq!(lines[3], "'-2,1e+300,1,");
        assert_eq!(lines[4], "'\tx,1,1,ok");
        assert_eq!(lines[5], "\"'\r=1\",1,1,a=b");
        assert_eq!(lines[6], "a-b,1,1,true");
    }

    #[test]
    fn titles_drop_unit_suffixes_labels_keep_them() {
        assert_eq!(title("model_scores"), "Model scores");
        assert_eq!(title("duration_ms"), "Duration");
        assert_eq!(label("stuck_gap_ms"), "Stuck gap (ms)");
        assert_eq!(label("daily_budget_usd"), "Daily budget (USD)");
        assert_eq!(label("utc_offset_minutes"), "UTC offset (minutes)");
        assert_eq!(heading("avg_cost_usd"), "avg cost");
        assert_eq!(heading("success_n"), "n (success)");
        assert_eq!(heading("avg_errors"), "errors per session");
    }
}
