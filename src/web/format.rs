//! How table cells show JSON values, chosen by the field name's suffix (`*_rate` → %, `*_usd` → $,
//! `*_ms` → a duration), and how tables sort and export to CSV.

use serde_json::Value;
use std::cmp::Ordering;

pub fn cell(key: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => number(key, n.as_f64().unwrap_or(0.0), n.is_f64()),
        Value::Array(a) => a.iter().map(|x| match x {
            Value::Object(_) | Value::Array(_) => x.to_string(),
            _ => cell(key, x),
        }).collect::<Vec<_>>().join(", "),
        Value::Object(_) => v.to_string(),
    }
}

fn is_rate(key: &str) -> bool {
    key.ends_with("_rate") || key.ends_with("share") || key == "rate" || key.ends_with("_pct_of_budget")
}

pub fn number(key: &str, x: f64, float: bool) -> String {
    if is_rate(key) {
        return format!("{:.1} %", x * 100.0);
    }
    if key.ends_with("_usd") || key.starts_with("cost_per_") || key.ends_with("_cost") {
        return if x.abs() > 0.0 && x.abs() < 0.01 { format!("${x:.4}") } else { format!("${}", grouped(x, 2)) };
    }
    if key.ends_with("_ms") {
        return duration_ms(x);
    }
    if !float || x.fract() == 0.0 {
        grouped(x, 0)
    } else if x.abs() >= 100.0 {
        grouped(x, 1)
    } else {
        format!("{x:.3}")
    }
}

/// `1,234,567.89`
pub fn grouped(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').map(|(a, b)| (a.to_string(), Some(b.to_string()))).unwrap_or((s.clone(), None));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    if x < 0.0 && x.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) {
        out.insert(0, '-');
    }
    out
}

pub fn duration_ms(ms: f64) -> String {
    let a = ms.abs();
    let sign = if ms < 0.0 { "-" } else { "" };
    if a < 1000.0 {
        format!("{sign}{a:.0} ms")
    } else if a < 60_000.0 {
        format!("{sign}{:.1} s", a / 1000.0)
    } else if a < 3_600_000.0 {
        format!("{sign}{}m {:02}s", (a / 60_000.0) as u64, ((a % 60_000.0) / 1000.0) as u64)
    } else if a < 86_400_000.0 {
        format!("{sign}{}h {:02}m", (a / 3_600_000.0) as u64, ((a % 3_600_000.0) / 60_000.0) as u64)
    } else {
        format!("{sign}{}d {}h", (a / 86_400_000.0) as u64, ((a % 86_400_000.0) / 3_600_000.0) as u64)
    }
}

pub fn bytes(n: f64) -> String {
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

/// Nulls last, numbers by value, everything else by its text.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
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

/// RFC 4180 CSV of rows (objects), the columns in the order given; values unformatted.
pub fn csv(columns: &[String], rows: &[Value]) -> String {
    fn quote(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out = columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for r in rows {
        let line: Vec<String> = columns
            .iter()
            .map(|c| match r.get(c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => quote(s),
                Some(v @ Value::Array(a)) if a.iter().all(|x| !x.is_object() && !x.is_array()) => quote(&cell(c, v)),
                Some(v) if v.is_object() || v.is_array() => quote(&v.to_string()),
                Some(v) => quote(&v.to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_follow_the_field_suffix() {
        assert_eq!(cell("success_rate", &json!(0.6667)), "66.7 %");
        assert_eq!(cell("error_share", &json!(0.5)), "50.0 %");
        assert_eq!(cell("total_cost_usd", &json!(1234.5)), "$1,234.50");
        assert_eq!(cell("cost_usd", &json!(0.0042)), "$0.0042");
        assert_eq!(cell("duration_ms", &json!(437000)), "7m 17s");
        assert_eq!(cell("gap_ms", &json!(250)), "250 ms");
        assert_eq!(cell("tokens", &json!(91854)), "91,854");
        assert_eq!(cell("x", &json!(null)), "—");
        assert_eq!(cell("files", &json!(["a", "b"])), "a, b");
        assert_eq!(cell("first_timestamp", &json!("2026-02-09T14:00:00.000Z")), "2026-02-09T14:00:00.000Z");
        assert_eq!(grouped(-1234567.0, 0), "-1,234,567");
    }

    #[test]
    fn sorting_puts_nulls_last_and_numbers_by_value() {
        let mut v = vec![json!(null), json!(10), json!(9.5), json!(100)];
        v.sort_by(compare);
        assert_eq!(v, vec![json!(9.5), json!(10), json!(100), json!(null)]);
    }

    #[test]
    fn csv_quotes_and_keeps_raw_values() {
        let rows = vec![json!({"name": "a,b", "n": 3, "rate": 0.5, "tags": ["x", "y"], "none": null}), json!({"name": "say \"hi\""})];
        let cols: Vec<String> = ["name", "n", "rate", "tags", "none"].iter().map(|s| s.to_string()).collect();
        assert_eq!(csv(&cols, &rows), "name,n,rate,tags,none\r\n\"a,b\",3,0.5,\"x, y\",\r\n\"say \"\"hi\"\"\",,,,\r\n");
    }

    #[test]
    fn titles_drop_unit_suffixes_labels_keep_them() {
        assert_eq!(title("model_scores"), "Model scores");
        assert_eq!(title("duration_ms"), "Duration");
        assert_eq!(label("stuck_gap_ms"), "Stuck gap (ms)");
        assert_eq!(label("daily_budget_usd"), "Daily budget (USD)");
        assert_eq!(label("utc_offset_minutes"), "UTC offset (minutes)");
        assert_eq!(cell("cost_per_success", &json!(1.5)), "$1.50");
    }
}
