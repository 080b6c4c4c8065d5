//! The self-contained HTML report: one file a person can mail to a teammate.
//!
//! Nothing in it is fetched: the CSS is inline, the charts are inline SVG (drawn with the same
//! chart code as the page, light theme), there is no script and no web font, and a strict
//! Content-Security-Policy forbids any request. Every string that comes from the data is
//! HTML-escaped; the SVG of each chart is checked to hold only the elements plotters draws.
//!
//! The tables are generic over the report's JSON (see spec §4): every array of objects of a
//! pipeline becomes a table whose columns follow the field order of the row structures (serde_json
//! keeps it: feature `preserve_order`), and every value is formatted by field name by
//! [`super::format`], the module the page's tables use too, so both print the same text (here
//! with HTML markup around it: escaping, muted notes, lists). A rate is shown with its n when the
//! row carries `<name>_n`.

use super::charts::{charts_for, SECTIONS};
use super::explain::{section_text, section_title, table_title};
use super::findings::{findings, strongest};
use super::format::{self, grouped, heading, is_proportion, is_scalar, time_text_short, Markup};
use super::Report;
use crate::charts::{to_svg, ChartError, Theme, EMPTY_MESSAGE};
use crate::model::time::{format_iso_ms, format_offset};
use serde_json::Value;
use std::fmt::Write;

/// Chart size in SVG user units (scaled to the page width by CSS).
const CHART_W: u32 = 960;
const CHART_H: u32 = 420;
/// Rows shown of one table; the rest are in the JSON report.
pub const MAX_TABLE_ROWS: usize = 200;
/// Skipped lines listed in the diagnostics.
pub const MAX_SKIPPED_LINES: usize = 500;
/// Findings listed at the top of the report (the strongest; see [`super::findings`]).
pub const MAX_FINDINGS: usize = 5;

// ---------------------------------------------------------------------------------------------
// Escaping, and the cells' markup around the text of `super::format`.

/// HTML-escapes text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // control characters (other than tab and newline) are not text
            c if c.is_control() && c != '\t' && c != '\n' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// The HTML of a cell's text: data escaped, notes muted, sentences as a list.
struct Html;

impl Markup for Html {
    fn text(&self, s: &str) -> String {
        esc(s)
    }
    fn note(&self, class: &str, s: &str) -> String {
        format!("<span class={class}>{s}</span>")
    }
    fn sentences(&self, items: &[String]) -> String {
        format!("<ul class=cellist>{}</ul>", items.iter().map(|s| format!("<li>{s}</li>")).collect::<String>())
    }
}

/// A value inside a table cell or a fact list, as HTML.
fn cell(key: &str, v: &Value) -> String {
    format::cell_with(key, v, &Html)
}

/// "62.5 % <span class=ci>(n=8, 95 % CI 30.6–86.3 %)</span>".
fn proportion(v: &Value) -> String {
    format::proportion(v, &Html)
}

/// A count: 31,581,960.
fn int(v: f64) -> String {
    grouped(v, 0)
}

fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// An array whose items are all objects (a table), empty arrays included.
fn is_table(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().all(Value::is_object))
}

/// Which column each `<base>_n` column qualifies: the nearest column before it whose name has
/// `base` as a word (`cost_n` → `avg_cost_usd`, `success_n` → `success_rate`, `share_n` →
/// `share`). Returns (column, its n column) pairs; those n columns are shown inside their column.
fn n_hosts(cols: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let Some(base) = c.strip_suffix("_n") else { continue };
        let host = cols[..i].iter().rev().filter(|h| !h.ends_with("_n")).find(|h| {
            **h == base
                || h.starts_with(&format!("{base}_"))
                || h.ends_with(&format!("_{base}"))
                || h.contains(&format!("_{base}_"))
        });
        if let Some(h) = host {
            if !out.iter().any(|(x, _): &(String, String)| x == h) {
                out.push((h.to_string(), c.to_string()));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Tables and fact lists.

/// A table of JSON rows: columns in field order, a rate merged with its n, at most `max` rows.
fn table(out: &mut String, caption: &str, rows: &[Value], max: usize, header_names: &[(&str, &str)]) {
    let _ = write!(out, "<div class=tb><h3>{}</h3>", esc(caption));
    table_body(out, rows, max, header_names);
    out.push_str("</div>");
}

fn table_body(out: &mut String, rows: &[Value], max: usize, header_names: &[(&str, &str)]) {
    if rows.is_empty() {
        out.push_str("<p class=empty>No rows.</p>");
        return;
    }
    // columns: union of the fields in order of first appearance
    let mut cols: Vec<&str> = Vec::new();
    for r in rows {
        if let Value::Object(fields) = r {
            for (k, _) in fields {
                if !cols.contains(&k.as_str()) {
                    cols.push(k);
                }
            }
        }
    }
    let mut hosts = n_hosts(&cols);
    // model_scores: whether the score has a cost term is said in the score's cell
    if cols.contains(&"score") && cols.contains(&"cost_term_known") {
        hosts.push(("score".into(), "cost_term_known".into()));
    }
    let shown_cols: Vec<&str> = cols.iter().copied().filter(|c| !hosts.iter().any(|(_, n)| n == c)).collect();
    // a column is numeric when every non-null value in it is a number
    let numeric: Vec<bool> = shown_cols
        .iter()
        .map(|c| {
            let vals: Vec<&Value> = rows.iter().filter_map(|r| r.get(c)).filter(|v| !v.is_null()).collect();
            !vals.is_empty() && vals.iter().all(|v| v.is_number() || is_proportion(v))
        })
        .collect();
    let long = rows.len().min(max) > 25;
    let dense = shown_cols.len() > 9;
    let _ = write!(
        out,
        "<div class=\"tw{}\"><table{}><thead><tr>",
        if long { " long" } else { "" },
        if dense { " class=dense" } else { "" }
    );
    for (c, num) in shown_cols.iter().zip(&numeric) {
        let name = header_names.iter().find(|(k, _)| k == c).map(|(_, n)| n.to_string()).unwrap_or_else(|| heading(c));
        let _ = write!(out, "<th{} title=\"{}\">{}</th>", if *num { " class=n" } else { "" }, esc(c), esc(&name));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows.iter().take(max) {
        let row_class = if matches!(r.get("error"), Some(Value::String(_))) { " class=err" } else { "" };
        let _ = write!(out, "<tr{row_class}>");
        for (c, num) in shown_cols.iter().zip(&numeric) {
            let v = r.get(c).unwrap_or(&Value::Null);
            let mut html = cell(c, v);
            if let Some((_, nk)) = hosts.iter().find(|(h, _)| h == c) {
                match r.get(nk) {
                    Some(Value::Number(n)) => {
                        let _ = write!(html, " <span class=ci>n={}</span>", int(n.as_f64().unwrap_or(0.0)));
                    }
                    Some(Value::Bool(false)) => html.push_str(" <span class=ci>no cost term (cost unknown)</span>"),
                    _ => {}
                }
            }
            let class = match v {
                _ if *num => " class=n",
                Value::String(s) if s.len() > 60 => " class=wide",
                Value::String(s) if s.contains(' ') => " class=txt",
                Value::String(s) if s.chars().count() <= 48 => " class=id",
                Value::Array(items) if items.iter().any(|i| i.get("sentence").is_some()) => " class=list",
                Value::Array(items) if !items.iter().all(is_scalar) => " class=wide",
                _ => "",
            };
            let _ = write!(out, "<td{class}>{html}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    if rows.len() > max {
        let _ = write!(
            out,
            "<p class=more>… {} more rows, see the JSON report (<code>spyglass report … --json</code>).</p>",
            int((rows.len() - max) as f64)
        );
    }
}

/// Scalars (and small objects) as a definition list.
fn facts(out: &mut String, items: &[(String, String)]) {
    if items.is_empty() {
        return;
    }
    out.push_str("<dl class=facts>");
    for (k, v) in items {
        let _ = write!(out, "<div><dt>{}</dt><dd>{v}</dd></div>", esc(k));
    }
    out.push_str("</dl>");
}

/// Every field of a pipeline object: scalars as facts, arrays of objects as tables, nested
/// objects recursively under their own heading.
fn pipeline_body(out: &mut String, section: &str, obj: &Value, prefix: &str) {
    let Value::Object(fields) = obj else { return };
    // the section's own scalars (group_by, thresholds, totals) come before its tables
    let scalars: Vec<(String, String)> =
        fields.iter().filter(|(_, v)| is_scalar(v)).map(|(k, v)| (heading(k), cell(k, v))).collect();
    facts(out, &scalars);
    let mut pending: Vec<(String, String)> = Vec::new();
    let group = obj.get("group_by").and_then(Value::as_str).unwrap_or("model").replace('_', " ");
    for (k, v) in fields {
        let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        if is_table(v) && !is_scalar(v) {
            facts(out, &pending);
            pending.clear();
            let Value::Array(rows) = v else { continue };
            let names: &[(&str, &str)] = match section {
                "model_scores" => &[("key", group.as_str())],
                "executors" => &[("key", "executor")],
                _ => &[],
            };
            table(out, &table_title(section, &path), rows, MAX_TABLE_ROWS, names);
        } else if let Value::Object(inner) = v {
            if is_proportion(v) || inner.values().all(is_scalar) {
                if inner.is_empty() {
                    pending.push((heading(k), "<span class=na>none</span>".into()));
                } else if is_proportion(v) {
                    pending.push((heading(k), proportion(v)));
                } else {
                    facts(out, &pending);
                    pending.clear();
                    let _ = write!(out, "<h3>{}</h3>", esc(&table_title(section, &path)));
                    let items: Vec<(String, String)> =
                        inner.iter().map(|(ik, iv)| (heading(ik), cell(ik, iv))).collect();
                    facts(out, &items);
                }
            } else {
                facts(out, &pending);
                pending.clear();
                let _ = write!(out, "<h3>{}</h3>", esc(&table_title(section, &path)));
                pipeline_body(out, section, v, &path);
            }
        } else if let Value::Array(items) = v {
            let shown: Vec<String> = items.iter().take(MAX_TABLE_ROWS).map(|i| cell(k, i)).collect();
            let more = items.len().saturating_sub(MAX_TABLE_ROWS);
            let mut html = if shown.is_empty() { "<span class=na>none</span>".to_string() } else { shown.join(", ") };
            if more > 0 {
                let _ = write!(html, " <span class=na>… {} more, see the JSON report</span>", int(more as f64));
            }
            pending.push((heading(k), html));
        }
    }
    facts(out, &pending);
}

// ---------------------------------------------------------------------------------------------
// Charts.

/// The only elements plotters' SVG backend writes; anything else means a label got through
/// unescaped, and the chart is left out rather than risk markup from the data.
const SVG_TAGS: [&str; 9] = ["svg", "rect", "text", "polyline", "polygon", "circle", "line", "path", "g"];

/// Whether an SVG holds only plotters' markup: every tag one of `SVG_TAGS`, every attribute a
/// plain name with a quoted value, none an event handler (`on…`) or a link (`href`,
/// `xlink:href`), no value a `javascript:` URL or a `url(`. Only tags and attributes are read:
/// text between tags is data (escaped by plotters, so a `<` there starts a tag and is judged as
/// one), and a word such as `href` in a model's name is just text.
fn svg_is_clean(svg: &str) -> bool {
    let b = svg.as_bytes();
    let mut i = 0;
    while let Some(p) = svg[i..].find('<') {
        let mut at = i + p + 1;
        let closing = b.get(at) == Some(&b'/');
        if closing {
            at += 1;
        }
        let name_end = svg[at..].find(|c: char| !c.is_ascii_alphanumeric()).map_or(svg.len(), |e| at + e);
        if !SVG_TAGS.contains(&&svg[at..name_end]) {
            return false;
        }
        match tag_end(svg, name_end, closing) {
            Some(end) => i = end,
            None => return false,
        }
    }
    true
}

/// Reads a tag's attributes from `at` (just after its name) to its `>`: the index after it, or
/// `None` for anything but `name="value"` pairs (or `'value'`) with safe names and values.
fn tag_end(svg: &str, mut at: usize, closing: bool) -> Option<usize> {
    let b = svg.as_bytes();
    loop {
        while b.get(at).is_some_and(|c| c.is_ascii_whitespace()) {
            at += 1;
        }
        match b.get(at)? {
            b'>' => return Some(at + 1),
            b'/' if b.get(at + 1) == Some(&b'>') => return Some(at + 2),
            _ if closing => return None,
            _ => {}
        }
        let name_end =
            at + svg[at..].find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))?;
        let name = svg[at..name_end].to_ascii_lowercase();
        if name.is_empty() || name.starts_with("on") || name == "href" || name.ends_with(":href") || name == "style" {
            return None;
        }
        if b.get(name_end) != Some(&b'=') {
            return None;
        }
        let quote = *b.get(name_end + 1)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = name_end + 2;
        let value_end = value_start + svg[value_start..].find(quote as char)?;
        let value = svg[value_start..value_end].to_ascii_lowercase();
        if value.contains('<') || value.contains("javascript:") || value.contains("url(") {
            return None;
        }
        at = value_end + 1;
    }
}

/// The chart as inline SVG in both themes, the dark one shown when the reader's system is dark
/// (the report's CSS): a chart drawn once on white stayed a white box on a dark page.
fn chart_svgs(chart: &super::charts::Chart) -> Result<String, ChartError> {
    Ok(format!("{}{}", chart_svg(chart, &Theme::light(), "")?, chart_svg(chart, &Theme::dark(), " class=dark")?))
}

/// The chart as inline SVG that scales to the page: no fixed size, no namespace URL (inline SVG
/// in HTML needs none), with its summary as accessible label.
fn chart_svg(chart: &super::charts::Chart, theme: &Theme, class: &str) -> Result<String, ChartError> {
    let (svg, _) = to_svg(CHART_W, CHART_H, |a| chart.draw(a, theme))?;
    if !svg_is_clean(&svg) {
        return Err(ChartError::UnexpectedMarkup);
    }
    let body_start = svg.find('>').map(|i| i + 1).ok_or(ChartError::EmptySvg)?;
    let body = &svg[body_start..];
    // shorten plotters' long font sizes (16.129032258064516 → 16.13)
    let mut body_out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(p) = rest.find("font-size=\"") {
        let (head, tail) = rest.split_at(p + 11);
        body_out.push_str(head);
        let q = tail.find('"').unwrap_or(0);
        match tail[..q].parse::<f64>() {
            Ok(v) => {
                let _ = write!(body_out, "{}", (v * 100.0).round() / 100.0);
            }
            Err(_) => body_out.push_str(&tail[..q]),
        }
        rest = &tail[q..];
    }
    body_out.push_str(rest);
    Ok(format!(
        "<svg{class} viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" aria-label=\"{}\">{}",
        esc(&chart.summary()),
        body_out.trim_start()
    ))
}

// ---------------------------------------------------------------------------------------------
// The page.

const CSS: &str = r#"
:root{--bg:#fff;--fg:#1d1f23;--muted:#5d6470;--line:#dfe2e7;--zebra:#f6f7f9;--card:#f4f6f9;--accent:#1f5fbf;--err:#fdecec;--errfg:#9b1c1c}
@media (prefers-color-scheme:dark){:root{--bg:#16181c;--fg:#e6e8eb;--muted:#a0a7b2;--line:#33373e;--zebra:#1d2025;--card:#20242a;--accent:#7aa7ec;--err:#3a1f22;--errfg:#f3b1b1}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:14.5px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1280px;margin:0 auto;padding:24px 28px 64px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:0 0 6px;padding-top:8px}
h3{font-size:15px;margin:22px 0 6px}
a{color:var(--accent)}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.meta{color:var(--muted);margin:0 0 2px}
nav{margin:14px 0 6px;font-size:13.5px;line-height:1.9}
nav a{margin-right:12px;white-space:nowrap}
section{border-top:1px solid var(--line);margin-top:34px;padding-top:14px}
.explain{color:var(--muted);margin:0 0 12px;max-width:78ch}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:10px;margin:18px 0 4px}
.card{background:var(--card);border-radius:8px;padding:10px 12px}
.card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums;line-height:1.25}
.card .k{color:var(--muted);font-size:12.5px}
.card .s{color:var(--muted);font-size:12px}
figure{margin:14px 0;max-width:960px}
.tables{display:flex;flex-wrap:wrap;gap:0 28px;align-items:flex-start}
.tables>h3,.tables>dl{flex-basis:100%}
.tb{min-width:0;max-width:100%}
.tb .tw{min-width:0}
figure svg{display:block;width:100%;height:auto;background:#fff;border:1px solid var(--line);border-radius:6px}
figure svg.dark{display:none;background:#1e1e1e}
@media (prefers-color-scheme:dark){figure svg:not(.dark){display:none}figure svg.dark{display:block}}
figcaption{color:var(--muted);font-size:13px;margin-top:4px}
.tw{display:inline-block;max-width:100%;min-width:min(100%,560px);vertical-align:top;overflow-x:auto;margin:4px 0 6px;border:1px solid var(--line);border-radius:6px}
.tw.long{max-height:34em;overflow-y:auto}
.tw.long thead th{position:sticky;top:0}
table{border-collapse:collapse;width:100%;font-size:13.5px}
.tw>table{min-width:100%}
th,td{padding:4px 8px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
th{background:var(--card);font-weight:600;vertical-align:bottom;min-width:6ch}
tbody tr:nth-child(even){background:var(--zebra)}
tbody tr:last-child td{border-bottom:none}
td{overflow-wrap:break-word}
td.id{white-space:nowrap}
td.txt{min-width:12ch}
td.wide{min-width:22ch;max-width:60ch}
td.list{min-width:30ch}
table.dense{font-size:12.5px}
table.dense th,table.dense td{padding:3px 6px}
table.dense td.n .ci{display:block}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th.n{white-space:normal}
tr.err td{background:var(--err);color:var(--errfg)}
.na,.ci{color:var(--muted)}
.ci{font-size:12px}
.act{color:var(--muted)}
ul.cellist{margin:0;padding-left:1.1em}
.more,.empty{color:var(--muted);font-size:13px;margin:4px 0 10px}
dl.facts{display:flex;flex-wrap:wrap;gap:4px 22px;margin:6px 0 10px}
dl.facts div{display:flex;gap:6px}
dt{color:var(--muted);white-space:nowrap}dd{margin:0;font-variant-numeric:tabular-nums}
.chart-missing{color:var(--errfg)}
p.headline{font-weight:600;margin:6px 0 4px}
ol.findings{margin:6px 0 14px;padding-left:1.4em}ol.findings li{margin:3px 0}
footer{color:var(--muted);font-size:12.5px;margin-top:40px;border-top:1px solid var(--line);padding-top:10px}
@media print{body{font-size:11.5px;background:#fff;color:#000}main{max-width:none;padding:0}.tw,.tw.long{max-height:none;overflow:visible}nav{display:none}section{break-before:auto}figure,tr{break-inside:avoid}}
"#;

fn card(out: &mut String, label: &str, value: &str, sub: &str) {
    let _ = write!(out, "<div class=card><div class=k>{}</div><div class=v>{value}</div>", esc(label));
    if !sub.is_empty() {
        let _ = write!(out, "<div class=s>{sub}</div>");
    }
    out.push_str("</div>");
}

fn opt_pct(v: Option<f64>) -> String {
    v.map(format::pct).unwrap_or_else(|| "—".into())
}

pub fn render(report: &Report) -> String {
    let value = report.to_page_value();
    let s = &report.summary;
    let params = at(&value, &["parameters"]);
    let tz = format_offset(report.parameters.parameters.utc_offset_minutes);
    let mut o = String::with_capacity(1 << 20);

    o.push_str("<!doctype html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n");
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n");
    o.push_str("<meta name=viewport content=\"width=device-width, initial-scale=1\">\n<meta name=referrer content=no-referrer>\n");
    o.push_str("<meta name=color-scheme content=\"light dark\">\n<title>Spyglass report</title>\n<style>");
    o.push_str(CSS.trim());
    o.push_str("</style>\n</head>\n<body>\n<main>\n");

    // header
    o.push_str("<header><h1>Spyglass report</h1>");
    let range = match (&s.first_timestamp, &s.last_timestamp) {
        (Some(a), Some(b)) => format!("{} to {}", esc(&time_text_short(a)), esc(&time_text_short(b))),
        _ => "no timestamps".into(),
    };
    let _ = write!(
        o,
        "<p class=meta>Generated from {} {} ({} lines: {} events, {} metrics rows, {} alerts).</p>",
        int(s.files as f64),
        if s.files == 1 { "file" } else { "files" },
        int(s.lines as f64),
        int(s.events as f64),
        int(s.metrics_rows as f64),
        int(s.alerts as f64)
    );
    let _ = write!(o, "<p class=meta>Time range {range}. Time zone in force: <strong>{}</strong> (days are counted in it; timestamps in the tables are UTC).</p>", esc(&tz));
    let f = &report.parameters.filters;
    if f.since_ms.is_some()
        || f.until_ms.is_some()
        || !f.executors.is_empty()
        || !f.models.is_empty()
        || f.task.is_some()
    {
        let _ = write!(
            o,
            "<p class=meta>Filtered: {} (see <a href=\"#parameters\">parameters and filters</a>).</p>",
            filter_text(report)
        );
    }
    o.push_str("</header>\n");

    // the five strongest findings, each linking to its section
    let found = findings(report);
    let top = strongest(&found, MAX_FINDINGS);
    if !top.is_empty() {
        o.push_str("<section id=findings><h2>Findings</h2><ol class=findings>");
        for f in top {
            let _ = write!(
                o,
                "<li><a href=\"#{}\">{}</a>: {}</li>",
                f.section,
                esc(section_title(f.section)),
                esc(&f.headline)
            );
        }
        o.push_str("</ol></section>\n");
    }

    // summary cards
    o.push_str("<div class=cards>");
    card(&mut o, "sessions", &int(s.sessions as f64), "");
    card(&mut o, "tasks", &int(s.tasks as f64), "");
    card(
        &mut o,
        "success rate",
        &opt_pct(s.success_rate),
        &format!("n={}: sessions with a known outcome", int(s.success_n as f64)),
    );
    card(
        &mut o,
        "first-shot rate",
        &opt_pct(s.first_shot_rate),
        &format!("n={}: sessions with a known first-shot outcome", int(s.first_shot_n as f64)),
    );
    let cost_note = format!(
        "of {}",
        format::cost_note(
            s.cost_n,
            s.estimated_cost_usd,
            s.estimated_cost_n,
            report.parameters.parameters.include_estimated_cost
        )
    );
    card(&mut o, "cost", &s.total_cost_usd.map(format::usd).unwrap_or_else(|| "unknown".into()), &cost_note);
    card(&mut o, "tokens", &s.total_tokens.map(|t| int(t as f64)).unwrap_or_else(|| "unknown".into()), "");
    card(&mut o, "error events", &int(s.error_events as f64), "");
    card(&mut o, "alerts", &int(s.alerts as f64), "recorded by bosun");
    card(&mut o, "skipped lines", &int(s.skipped_lines as f64), "see diagnostics");
    card(&mut o, "duplicate lines", &int(s.duplicate_lines as f64), "counted once");
    card(&mut o, "superseded rows", &int(s.superseded_rows as f64), "older metrics rows");
    o.push_str("</div>\n");

    // contents
    o.push_str("<nav>");
    for sec in SECTIONS {
        let _ = writeln!(o, "<a href=\"#{sec}\">{}</a>", esc(section_title(sec)));
    }
    o.push_str("<a href=\"#diagnostics\">Diagnostics</a>\n<a href=\"#parameters\">Parameters and filters</a></nav>\n");

    // sections
    for sec in SECTIONS {
        let _ = write!(o, "<section id=\"{sec}\"><h2>{}</h2>", esc(section_title(sec)));
        if let Some(f) = found.iter().find(|f| f.section == sec && !f.headline.is_empty()) {
            let _ = write!(o, "<p class=headline>{}</p>", esc(&f.headline));
        }
        let _ = write!(o, "<p class=explain>{}</p>", esc(&section_text(sec, params)));
        for c in charts_for(&value, sec) {
            match chart_svgs(&c.chart) {
                // a chart with nothing to draw takes a line, not a 420-pixel box
                Ok(svg) if svg.contains(EMPTY_MESSAGE) => {
                    let _ = write!(o, "<p class=empty>Chart “{}”: no data to show.</p>", esc(c.chart.title()));
                }
                Ok(svg) => {
                    let _ = write!(
                        o,
                        "<figure id=\"{}\">{svg}<figcaption>{}</figcaption></figure>",
                        esc(&c.id),
                        esc(&c.chart.summary())
                    );
                }
                Err(e) => {
                    let _ = write!(
                        o,
                        "<p class=chart-missing>Chart “{}” could not be drawn: {}</p>",
                        esc(c.chart.title()),
                        esc(&e.to_string())
                    );
                }
            }
        }
        o.push_str("<div class=tables>");
        pipeline_body(&mut o, sec, at(&value, &[sec]), "");
        o.push_str("</div>");
        o.push_str("</section>\n");
    }

    diagnostics(&mut o, &value, report);
    parameters(&mut o, params, report);

    o.push_str("<footer>Made by Spyglass from bosun telemetry. This file is self-contained: it loads nothing and runs no script. The full data is in the JSON report (<code>spyglass report PATH --json</code>).</footer>\n");
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

fn filter_text(report: &Report) -> String {
    let f = &report.parameters.filters;
    let mut parts = Vec::new();
    if let Some(t) = f.since_ms {
        parts.push(format!("since {}", esc(&time_text_short(&format_iso_ms(t)))));
    }
    if let Some(t) = f.until_ms {
        parts.push(format!("until {}", esc(&time_text_short(&format_iso_ms(t)))));
    }
    if !f.executors.is_empty() {
        parts.push(format!("executor {}", esc(&f.executors.join(", "))));
    }
    if !f.models.is_empty() {
        parts.push(format!("model {}", esc(&f.models.join(", "))));
    }
    if let Some(t) = &f.task {
        parts.push(format!("task “{}”", esc(t)));
    }
    parts.join("; ")
}

fn diagnostics(o: &mut String, doc: &Value, report: &Report) {
    let d = &report.diagnostics;
    o.push_str("<section id=diagnostics><h2>Diagnostics</h2><p class=explain>What was read and what was not: every input with its counts and problems, the lines that were skipped and why, the metrics rows that a later row of the same attempt replaced, and fields that had to be ignored.</p>");
    let warnings: u64 = d.field_warnings.values().sum();
    facts(
        o,
        &[
            ("files".into(), int(d.sources.len() as f64)),
            ("files with a problem".into(), int(d.sources.iter().filter(|s| s.error.is_some()).count() as f64)),
            ("skipped lines".into(), int(d.skipped_lines_total as f64)),
            ("duplicate lines (counted once)".into(), int(d.duplicate_lines as f64)),
            ("superseded metrics rows".into(), int(d.superseded_rows_total as f64)),
            ("field warnings".into(), int(warnings as f64)),
            ("events without attempt_id".into(), int(d.events_without_attempt as f64)),
        ],
    );
    o.push_str("<div class=tables>");
    if let Value::Array(rows) = at(doc, &["diagnostics", "by_source"]) {
        table(o, "Sources (folders or machines): what each brought and shared", rows, MAX_TABLE_ROWS, &[]);
    }
    if let Value::Array(rows) = at(doc, &["diagnostics", "sources"]) {
        // sources with a problem first, so they are seen even in a long list
        let mut sorted: Vec<Value> =
            rows.iter().filter(|r| matches!(r.get("error"), Some(Value::String(_)))).cloned().collect();
        sorted.extend(rows.iter().filter(|r| !matches!(r.get("error"), Some(Value::String(_)))).cloned());
        table(o, "Files", &sorted, MAX_TABLE_ROWS, &[("error", "problem")]);
    }

    o.push_str("<div class=tb><h3>Skipped lines</h3>");
    if d.skipped_lines.is_empty() {
        o.push_str("<p class=empty>No line was skipped.</p>");
    } else {
        let long = d.skipped_lines.len().min(MAX_SKIPPED_LINES) > 25;
        let _ = write!(
            o,
            "<div class=\"tw{}\"><table><thead><tr><th>where</th><th>reason</th></tr></thead><tbody>",
            if long { " long" } else { "" }
        );
        for sk in d.skipped_lines.iter().take(MAX_SKIPPED_LINES) {
            let _ = write!(
                o,
                "<tr><td><code>{}:{}</code></td><td class=wide>{}</td></tr>",
                esc(&sk.source),
                sk.line,
                esc(&sk.reason.to_string())
            );
        }
        o.push_str("</tbody></table></div>");
        let shown = d.skipped_lines.len().min(MAX_SKIPPED_LINES) as u64;
        if d.skipped_lines_total > shown {
            let _ = write!(
                o,
                "<p class=more>Showing the first {} of {} skipped lines; the JSON report lists more.</p>",
                int(shown as f64),
                int(d.skipped_lines_total as f64)
            );
        } else {
            let _ = write!(
                o,
                "<p class=more>{} skipped {} in all.</p>",
                int(shown as f64),
                if shown == 1 { "line" } else { "lines" }
            );
        }
    }
    o.push_str("</div>");

    if let Value::Array(rows) = at(doc, &["diagnostics", "superseded_rows"]) {
        table(o, "Superseded metrics rows (a later row of the same attempt won)", rows, MAX_TABLE_ROWS, &[]);
    }

    o.push_str("<div class=tb><h3>Field warnings</h3>");
    if d.field_warnings.is_empty() {
        o.push_str("<p class=empty>No field warnings: every field had the expected type.</p>");
    } else {
        o.push_str("<div class=tw><table><thead><tr><th>field</th><th class=n>warnings</th></tr></thead><tbody>");
        for (k, v) in &d.field_warnings {
            let _ = write!(o, "<tr><td><code>{}</code></td><td class=n>{}</td></tr>", esc(k), int(*v as f64));
        }
        o.push_str("</tbody></table></div>");
    }
    o.push_str("</div></div></section>\n");
}

fn parameters(o: &mut String, params: &Value, report: &Report) {
    o.push_str("<section id=parameters><h2>Parameters and filters</h2><p class=explain>The weights, thresholds and filters every figure above was computed with.</p>");
    let Value::Object(fields) = params else { return };
    o.push_str("<div class=tw><table><thead><tr><th>parameter</th><th>value</th></tr></thead><tbody>");
    for (k, v) in fields.iter().filter(|(k, _)| *k != "filters") {
        let value = if v.is_null() { "<span class=na>none</span>".to_string() } else { cell(k, v) };
        let _ = write!(o, "<tr><td><code>{}</code></td><td>{value}</td></tr>", esc(k));
    }
    o.push_str("</tbody></table></div>");
    o.push_str("<h3>Filters</h3>");
    let filters = filter_text(report);
    if filters.is_empty() {
        o.push_str("<p>No filter: every loaded record is included.</p>");
    } else {
        let _ = write!(o, "<p>Only records matching: {filters}. A session is in the time range when its start is.</p>");
    }
    o.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SVG check reads tags and attributes, not text: a word like `href` in a label passes,
    /// markup that plotters does not write does not.
    #[test]
    fn the_svg_check_judges_markup_not_text() {
        let ok = [
            "<svg width=\"9\" height=\"9\"><text x=\"1\" font-size=\"16.1\">my-href-model</text></svg>",
            "<svg><text>&lt;script&gt; onload=x href=y javascript: &amp;</text><rect x='1' y=\"2\"/></svg>",
            "<svg>\n<g>\n<polyline points=\"1,2 3,4\" stroke=\"#FF0000\"/>\n</g>\n</svg>",
        ];
        for svg in ok {
            assert!(svg_is_clean(svg), "{svg}");
        }
        let bad = [
            "<svg><script>alert(1)</script></svg>",
            "<svg><foreignObject><p>x</p></foreignObject></svg>",
            "<svg onload=\"alert(1)\"></svg>",
            "<svg><rect ONCLICK='x'/></svg>",
            "<svg><a href=\"//x\"><text>x</text></a></svg>",
            "<svg><text href=\"#x\">x</text></svg>",
            "<svg><text xlink:href=\"x\">x</text></svg>",
            "<svg><rect fill=\"url(//x)\"/></svg>",
            "<svg><rect fill=\"javascript:alert(1)\"/></svg>",
            "<svg><rect fill=x/></svg>",
            "<svg><rect style=\"x\"/></svg>",
            "<svg><rect x=\"1\"",
            "<svg><text>a</text x=\"1\"></svg>",
            "<svg><!-- x --></svg>",
        ];
        for svg in bad {
            assert!(!svg_is_clean(svg), "{svg}");
        }
    }

    #[test]
    fn escapes() {
        assert_eq!(esc("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    }

    #[test]
    fn cells_are_the_format_text_with_markup() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert_eq!(cell("avg_duration_ms", &v("604295.8")), "10m 04s");
        assert_eq!(cell("difference", &v("-0.031")), "−3.1 pp");
        assert_eq!(cell("x", &v("null")), "<span class=na>—</span>");
        assert_eq!(cell("x", &v("[]")), "<span class=na>none</span>");
        assert_eq!(cell("task_title", &v(r#""<b>x</b>""#)), "&lt;b&gt;x&lt;/b&gt;");
        let reasons = v(r#"[{"code":"auth","sentence":"It hit <auth> errors.","action":"Add keys."}]"#);
        assert_eq!(
            cell("reasons", &reasons),
            "<ul class=cellist><li>It hit &lt;auth&gt; errors. <span class=act>→ Add keys.</span></li></ul>"
        );
        // the page's text is the same without the markup
        assert_eq!(format::cell("reasons", &reasons), "It hit <auth> errors. → Add keys.");
    }

    #[test]
    fn proportion_reads_like_the_spec() {
        let p = serde_json::from_str::<Value>(r#"{"rate":0.625,"successes":5,"n":8,"ci_low":0.306,"ci_high":0.863}"#)
            .unwrap();
        assert_eq!(proportion(&p), "62.5 % <span class=ci>(n=8, 95 % CI 30.6–86.3 %)</span>");
    }

    #[test]
    fn svg_check_rejects_foreign_markup() {
        assert!(svg_is_clean("<svg a=\"1\">\n<rect/>\n<text>&lt;script&gt;</text>\n</svg>"));
        assert!(!svg_is_clean("<svg><text><script>alert(1)</script></text></svg>"));
        assert!(!svg_is_clean("<svg><img src=x></svg>"));
    }

    #[test]
    fn each_n_goes_with_the_column_it_counts() {
        let cols = [
            "key",
            "success_rate",
            "success_n",
            "avg_cost_usd",
            "cost_n",
            "total_cost_usd",
            "total_tokens",
            "tokens_n",
            "share",
            "share_n",
            "orphan_n",
        ];
        let pairs: Vec<(String, String)> = n_hosts(&cols);
        let want = [
            ("success_rate", "success_n"),
            ("avg_cost_usd", "cost_n"),
            ("total_tokens", "tokens_n"),
            ("share", "share_n"),
        ];
        assert_eq!(pairs, want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>());
    }

    #[test]
    fn json_values_keep_field_order() {
        // columns follow the rows' fields: serde_json's `preserve_order`
        let j = serde_json::from_str::<Value>(r#"{"b":1,"a":2.5,"c":[null,true,"x"]}"#).unwrap();
        assert_eq!(j.as_object().unwrap().keys().collect::<Vec<_>>(), ["b", "a", "c"]);
    }
}
