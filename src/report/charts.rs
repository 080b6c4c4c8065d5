//! Which chart each report section shows, built from the report's JSON so that the native HTML
//! report and the page (which receives the JSON from its worker) draw the very same charts.

use super::format;
use super::lines::{JsonLines, LongArrays};
use crate::charts::*;
use crate::model::time::parse_timestamp;
use crate::pipelines::distributions::{Measure, MEASURES};
use crate::pipelines::stats::wilson;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The report sections, in page order.
pub const SECTIONS: [&str; 12] = [
    "model_scores",
    "executors",
    "task_risk",
    "provider_heatmap",
    "error_clusters",
    "interventions",
    "guardrails",
    "alerts",
    "costs",
    "distributions",
    "tools",
    "git",
];

pub enum Chart {
    Bar(BarChart),
    Scatter(ScatterChart),
    Heatmap(Heatmap),
    Line(LineChart),
    Stacked(StackedBars),
}

impl Chart {
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, theme: &Theme) -> ChartResult {
        match self {
            Chart::Bar(c) => draw_bar_chart(area, c, theme),
            Chart::Scatter(c) => draw_scatter_chart(area, c, theme),
            Chart::Heatmap(c) => draw_heatmap(area, c, theme),
            Chart::Line(c) => draw_line_chart(area, c, theme),
            Chart::Stacked(c) => draw_stacked_bars(area, c, theme),
        }
    }
    /// [`Chart::draw`], a line chart showing only its series named `only` (the page's isolated
    /// series; other charts ignore it).
    pub fn draw_only<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        only: Option<&str>,
    ) -> ChartResult {
        match self {
            Chart::Line(c) => draw_line_chart_only(area, c, theme, only),
            _ => self.draw(area, theme),
        }
    }
    /// A one-sentence description for `aria-label` and the HTML report.
    pub fn summary(&self) -> String {
        match self {
            Chart::Bar(c) => c.summary(),
            Chart::Scatter(c) => c.summary(),
            Chart::Heatmap(c) => c.summary(),
            Chart::Line(c) => c.summary(),
            Chart::Stacked(c) => c.summary(),
        }
    }
    pub fn title(&self) -> &str {
        match self {
            Chart::Bar(c) => &c.title,
            Chart::Scatter(c) => &c.title,
            Chart::Heatmap(c) => &c.title,
            Chart::Line(c) => &c.title,
            Chart::Stacked(c) => &c.title,
        }
    }
}

/// A chart with a stable id (`section.name`) for the page's canvases and exports.
pub struct SectionChart {
    pub id: String,
    pub chart: Chart,
}

fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}
fn rows<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    at(v, path).as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// What the charts read: the report, and on the page the long arrays it keeps as JSON Lines
/// (the report's value then holds those arrays empty).
#[derive(Clone, Copy)]
pub struct ReportSource<'a> {
    pub value: &'a Value,
    pub long: Option<&'a LongArrays>,
}

impl<'a> ReportSource<'a> {
    pub fn new(value: &'a Value) -> Self {
        ReportSource { value, long: None }
    }
    /// The rows of `section.field`, parsed one at a time if kept as text.
    fn rows(self, section: &str, field: &str) -> Rows<'a> {
        match self.long.and_then(|l| l.get(&format!("{section}.{field}"))) {
            Some(lines) => Rows::Lines(lines, 0),
            None => Rows::Values(rows(self.value, &[section, field]).iter()),
        }
    }
}

/// The rows of one report array (see [`ReportSource::rows`]).
enum Rows<'a> {
    Values(std::slice::Iter<'a, Value>),
    Lines(&'a JsonLines, usize),
}

impl<'a> Iterator for Rows<'a> {
    type Item = Cow<'a, Value>;
    fn next(&mut self) -> Option<Cow<'a, Value>> {
        match self {
            Rows::Values(it) => it.next().map(Cow::Borrowed),
            Rows::Lines(lines, i) => {
                let row = lines.get(*i)?;
                *i += 1;
                Some(Cow::Owned(row))
            }
        }
    }
}
fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64).filter(|f| f.is_finite())
}
fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => "—".into(),
        Some(other) => other.to_string(),
    }
}

// Chart labels (ticks, bar values, tooltips). Percentages and scores read as in the tables
// ([`format`]); dollars too, but whole from $100 (shorter ticks). Counts keep the charts' short
// form (`12.3k`) and durations decimal units (`1.5 min`), which suit a linear axis better than a
// table's `1m 30s`.

pub fn fmt_pct(v: f64) -> String {
    format::pct(v)
}
pub fn fmt_usd(v: f64) -> String {
    format::dollars(v, if v.abs() >= 100.0 { 0 } else { 2 })
}
/// Dollars to the cent from $1, and with the digits a session's cost of a fraction of a cent needs.
pub fn fmt_usd_fine(v: f64) -> String {
    format::usd(v)
}
pub fn fmt_count(v: f64) -> String {
    format_number(v)
}
pub fn fmt_score(v: f64) -> String {
    format::grouped(v, 3)
}
/// Task risk: whole numbers plus tool failures / 5, so one decimal is exact.
pub fn fmt_risk(v: f64) -> String {
    format::grouped(v, 1)
}
pub fn fmt_ms(v: f64) -> String {
    match v.abs() {
        x if x >= 3_600_000.0 => format!("{:.1} h", v / 3_600_000.0),
        x if x >= 60_000.0 => format!("{:.1} min", v / 60_000.0),
        x if x >= 1000.0 => format!("{:.1} s", v / 1000.0),
        _ => format!("{v:.0} ms"),
    }
}

/// Top `n` rows by their order in the report (already sorted as the spec says).
const TOP: usize = 25;

// Colours. A chart whose bars, points or series are models, executors (or the grouping key of
// model scores), error categories or alert types colours each by its name ([`NameColours`]: a
// hash of the name, collisions resolved within the set of names), one map per dimension, so
// that a model is the same colour in every chart of a report, in the HTML report and on the
// page. Bars that are not names (tasks, clusters, tools, days) keep one colour.

/// The sections whose names make up the models' and executors' colours, the dimensions charted
/// in more than one section. The page, which parses a report a section at a time, parses these
/// before it draws any of them, so that its charts get the HTML report's colours.
pub const COLOUR_SECTIONS: [&str; 3] = ["model_scores", "executors", "costs"];

/// A dimension charted in more than one section.
#[derive(Clone, Copy, PartialEq)]
enum Dimension {
    Model,
    Executor,
    /// model scores grouped by executor variant (charted there only)
    ExecutorVariant,
}

/// What a click on a named bar, point or series of a chart filters the report by (cross-filtering
/// on the page): the charts of models or executors. Tasks are left out: the task filter matches
/// a substring of ids and titles, so a task's bar would also select others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterBy {
    Model,
    Executor,
}

/// The filter a click on chart `chart_id` (`section.name`, as [`charts_from`] names it) sets, if
/// any; the model scores' charts follow their grouping.
pub fn filter_by(report: &Value, chart_id: &str) -> Option<FilterBy> {
    match chart_id {
        "model_scores.score" | "model_scores.quality_vs_cost" => match grouped_by(report) {
            Dimension::Model => Some(FilterBy::Model),
            Dimension::Executor => Some(FilterBy::Executor),
            Dimension::ExecutorVariant => None,
        },
        "executors.success" | "executors.success_over_time" => Some(FilterBy::Executor),
        "costs.cost_per_day" | "costs.tokens_per_day" => Some(FilterBy::Model),
        _ => None,
    }
}

/// What the model scores are grouped by.
fn grouped_by(report: &Value) -> Dimension {
    match at(report, &["model_scores", "group_by"]).as_str() {
        Some("executor") => Dimension::Executor,
        Some("executor_variant") => Dimension::ExecutorVariant,
        _ => Dimension::Model,
    }
}

/// The colours of a dimension's names: every name the report's charts of it may show (each
/// section's list of them, one row per name, not its by-day rows), whatever section is drawn.
fn colours_of(src: ReportSource<'_>, dim: Dimension) -> NameColours {
    let mut names: Vec<String> = Vec::new();
    if grouped_by(src.value) == dim {
        names.extend(src.rows("model_scores", "rows").map(|r| text(&r, "key")));
    }
    match dim {
        // every model of the view, with a cost or not
        Dimension::Model => names.extend(src.rows("costs", "per_model").map(|r| text(&r, "model"))),
        Dimension::Executor => names.extend(src.rows("executors", "rows").map(|r| text(&r, "key"))),
        Dimension::ExecutorVariant => {}
    }
    NameColours::new(names)
}

fn hues<S: AsRef<str>>(colours: &NameColours, names: impl IntoIterator<Item = S>) -> Vec<Hue> {
    names.into_iter().map(|n| colours.hue(n.as_ref())).collect()
}

/// A scatter's points (name, x, y) from rows, and the names of the rows with x or y unknown.
fn points_of<'a>(
    rows: impl Iterator<Item = Cow<'a, Value>>,
    name_key: &str,
    x_key: &str,
    y_key: &str,
) -> (Vec<(String, f64, f64)>, Vec<String>) {
    let (mut points, mut missing) = (vec![], vec![]);
    for r in rows {
        match (num(&r, x_key), num(&r, y_key)) {
            (Some(x), Some(y)) => points.push((text(&r, name_key), x, y)),
            _ => missing.push(text(&r, name_key)),
        }
    }
    (points, missing)
}

fn bars<'a>(
    title: &str,
    value_label: &str,
    rows: impl Iterator<Item = Cow<'a, Value>>,
    label_key: &str,
    value_key: &str,
    format: fn(f64) -> String,
    colours: Option<&NameColours>,
) -> Chart {
    // lazily: of a long array kept as text, only the rows up to the TOP-th bar are parsed
    let bars: Vec<(String, f64)> =
        rows.filter_map(|r| Some((text(&r, label_key), num(&r, value_key)?))).take(TOP).collect();
    let hues = colours.map(|c| hues(c, bars.iter().map(|b| &b.0))).unwrap_or_default();
    Chart::Bar(BarChart {
        title: title.into(),
        value_label: value_label.into(),
        bars,
        horizontal: true,
        value_format: format,
        hues,
    })
}

/// Day × series stacks from rows with a `day`, a series key and a value.
fn stacks<'a>(
    rows: impl Iterator<Item = Cow<'a, Value>>,
    series_key: &str,
    value: impl Fn(&Value) -> Option<f64>,
) -> (Vec<String>, Vec<(String, Vec<f64>)>) {
    let items: Vec<(String, String, Option<f64>)> =
        rows.map(|r| (text(&r, "day"), text(&r, series_key), value(&r))).collect();
    let mut days: Vec<String> = items.iter().map(|(d, _, _)| d.clone()).collect();
    crate::model::sort::natural(&mut days);
    days.dedup();
    let mut series: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (day, key, v) in items {
        let Some(v) = v else { continue };
        let Ok(i) = days.binary_search(&day) else { continue };
        let s = series.entry(key).or_insert_with(|| vec![0.0; days.len()]);
        s[i] += v;
    }
    (days, series.into_iter().collect())
}

/// The 95 % Wilson interval of a rate `rate` of `n` (the report gives the rate and its n; the
/// successes are their product, whole), at time `t`; none without an n.
fn rate_interval(t: i64, rate: f64, n: Option<f64>) -> Option<Interval> {
    let n = n.filter(|n| *n >= 1.0 && *n <= u64::MAX as f64)? as u64;
    let successes = (rate.clamp(0.0, 1.0) * n as f64).round() as u64;
    let p = wilson(successes, n);
    Some(Interval { t, lo: p.ci_low?, hi: p.ci_high?, n })
}

/// The charts of one section of the report.
pub fn charts_for(report: &Value, section: &str) -> Vec<SectionChart> {
    charts_from(ReportSource::new(report), section)
}

/// [`charts_for`] of a report whose long arrays may be kept as text (the page's).
pub fn charts_from(src: ReportSource<'_>, section: &str) -> Vec<SectionChart> {
    let report = src.value;
    let tz = at(report, &["parameters", "utc_offset_minutes"]).as_i64().unwrap_or(0) as i32;
    let id = |name: &str| format!("{section}.{name}");
    let mut out = Vec::new();
    match section {
        "model_scores" => {
            let key = at(report, &["model_scores", "group_by"]).as_str().unwrap_or("model").replace('_', " ");
            let colours = colours_of(src, grouped_by(report));
            out.push(SectionChart {
                id: id("score"),
                chart: bars(
                    &format!("Quality score per {key}"),
                    "score (success − cost and error penalties)",
                    src.rows("model_scores", "rows"),
                    "key",
                    "score",
                    fmt_score,
                    Some(&colours),
                ),
            });
            let (points, not_plotted) =
                points_of(src.rows("model_scores", "scatter"), "key", "cost_per_success", "success_rate");
            let hues = hues(&colours, points.iter().map(|p| &p.0));
            out.push(SectionChart {
                id: id("quality_vs_cost"),
                chart: Chart::Scatter(ScatterChart {
                    title: "Quality versus cost".into(),
                    x_label: "cost per successful session (USD)".into(),
                    y_label: "success rate".into(),
                    points,
                    x_format: fmt_usd,
                    y_format: fmt_pct,
                    hues,
                    not_plotted,
                }),
            });
        }
        "executors" => {
            let colours = colours_of(src, Dimension::Executor);
            out.push(SectionChart {
                id: id("success"),
                chart: bars(
                    "Success rate per executor",
                    "success rate",
                    src.rows("executors", "rows"),
                    "key",
                    "success_rate",
                    fmt_pct,
                    Some(&colours),
                ),
            });
            let by_day = src.rows("executors", "by_day");
            let mut series: BTreeMap<String, TimeSeries> = BTreeMap::new();
            for r in by_day {
                if let (Some(t), Some(v)) = (parse_timestamp(&text(&r, "day")), num(&r, "success_rate")) {
                    let s = series.entry(text(&r, "executor")).or_default();
                    s.points.push((t, v));
                    s.intervals.extend(rate_interval(t, v, num(&r, "success_n")));
                }
            }
            out.push(SectionChart {
                id: id("success_over_time"),
                chart: Chart::Line(LineChart {
                    title: "Success rate per day".into(),
                    y_label: "success rate".into(),
                    hues: hues(&colours, series.keys()),
                    series: series.into_iter().map(|(name, s)| TimeSeries { name, ..s }).collect(),
                    markers: vec![],
                    y_format: fmt_pct,
                    utc_offset_minutes: tz,
                }),
            });
        }
        "task_risk" => out.push(SectionChart {
            id: id("risk"),
            chart: bars(
                "Riskiest tasks",
                "risk score",
                src.rows("task_risk", "rows"),
                "task_id",
                "risk",
                fmt_risk,
                None,
            ),
        }),
        "provider_heatmap" => {
            let executors: Vec<String> = src.rows("provider_heatmap", "rows").map(|r| text(&r, "executor")).collect();
            let categories: Vec<String> =
                src.rows("provider_heatmap", "categories").map(|r| text(&r, "error_category")).collect();
            // categories as rows (there are many, and their names are long), executors as columns
            let mut values = vec![vec![0.0; executors.len()]; categories.len()];
            for c in src.rows("provider_heatmap", "cells") {
                let (Some(i), Some(j)) = (
                    categories.iter().position(|k| *k == text(&c, "error_category")),
                    executors.iter().position(|e| *e == text(&c, "executor")),
                ) else {
                    continue;
                };
                values[i][j] = num(&c, "count").unwrap_or(0.0);
            }
            out.push(SectionChart {
                id: id("heatmap"),
                chart: Chart::Heatmap(Heatmap {
                    title: "Error events per category and executor".into(),
                    row_label: "error category".into(),
                    col_label: "executor".into(),
                    rows: categories,
                    cols: executors,
                    values,
                    value_format: fmt_count,
                }),
            });
            let hourly = src.rows("provider_heatmap", "hourly");
            let mut series = Vec::new();
            let mut markers = Vec::new();
            for h in hourly {
                let name = format!("{} {}", text(&h, "executor"), text(&h, "error_category"));
                let points: Vec<(i64, f64)> = rows(&h, &["points"])
                    .iter()
                    .filter_map(|p| Some((parse_timestamp(p.get("hour")?.as_str()?)?, num(p, "count")?)))
                    .collect();
                for s in src.rows("provider_heatmap", "spikes") {
                    if text(&s, "executor") == text(&h, "executor")
                        && text(&s, "error_category") == text(&h, "error_category")
                    {
                        if let (Some(t), Some(c)) = (parse_timestamp(&text(&s, "hour")), num(&s, "count")) {
                            markers.push((
                                series.len(),
                                t,
                                c,
                                format!(
                                    "spike: {name}, {} errors in the hour from {} (mean {:.2}, sd {:.2})",
                                    c,
                                    text(&s, "hour"),
                                    num(&s, "mean").unwrap_or(0.0),
                                    num(&s, "std_dev").unwrap_or(0.0)
                                ),
                            ));
                        }
                    }
                }
                series.push(TimeSeries { name, points, intervals: vec![] });
            }
            // an executor × category pair is its own name: its lines are only drawn here
            let colours = NameColours::new(series.iter().map(|s| &s.name));
            out.push(SectionChart {
                id: id("hourly"),
                chart: Chart::Line(LineChart {
                    title: "Provider errors per hour".into(),
                    y_label: "errors per hour".into(),
                    hues: hues(&colours, series.iter().map(|s| &s.name)),
                    series,
                    markers,
                    y_format: fmt_count,
                    utc_offset_minutes: tz,
                }),
            });
        }
        "error_clusters" => out.push(SectionChart {
            id: id("top"),
            chart: bars(
                "Largest error clusters",
                "error events",
                src.rows("error_clusters", "rows"),
                "fingerprint",
                "count",
                fmt_count,
                None,
            ),
        }),
        "interventions" => {
            let mut b = Vec::new();
            // each side's own label says what it is ("with anomaly actions", "auto_resume false")
            for r in src.rows("interventions", "rows") {
                for side in ["a", "b"] {
                    if let Some(rate) = r.get(side).and_then(|p| num(p, "rate")) {
                        b.push((text(&r, &format!("{side}_label")), rate));
                    }
                }
            }
            out.push(SectionChart {
                id: id("rates"),
                chart: Chart::Bar(BarChart {
                    title: "Success rate with and without interventions".into(),
                    value_label: "success rate".into(),
                    bars: b,
                    horizontal: true,
                    value_format: fmt_pct,
                    hues: vec![],
                }),
            });
        }
        "guardrails" => {
            // error categories: charted here only
            let colours = NameColours::new(src.rows("guardrails", "totals").map(|r| text(&r, "category")));
            out.push(SectionChart {
                id: id("totals"),
                chart: bars(
                    "Failed sessions per guardrail gap",
                    "failed sessions",
                    src.rows("guardrails", "totals"),
                    "category",
                    "failed_sessions",
                    fmt_count,
                    Some(&colours),
                ),
            })
        }
        "alerts" => {
            let (days, series) = stacks(src.rows("alerts", "by_day"), "type", |r| num(r, "count"));
            // alert types: charted here only
            let colours = NameColours::new(series.iter().map(|s| &s.0));
            out.push(SectionChart {
                id: id("by_day"),
                chart: Chart::Stacked(StackedBars {
                    title: "Recorded alerts per day by type".into(),
                    y_label: "alerts".into(),
                    categories: days,
                    hues: hues(&colours, series.iter().map(|s| &s.0)),
                    stacks: series,
                    reference_line: None,
                    value_format: fmt_count,
                }),
            });
        }
        "costs" => {
            let colours = colours_of(src, Dimension::Model);
            let (days, series) = stacks(src.rows("costs", "rows"), "model", |r| num(r, "cost_usd"));
            let budget =
                num(at(report, &["costs", "budget"]), "daily_budget_usd").map(|b| ("daily budget".to_string(), b));
            out.push(SectionChart {
                id: id("cost_per_day"),
                chart: Chart::Stacked(StackedBars {
                    title: "Cost per day by model".into(),
                    y_label: "cost (USD)".into(),
                    categories: days,
                    hues: hues(&colours, series.iter().map(|s| &s.0)),
                    stacks: series,
                    reference_line: budget,
                    value_format: fmt_usd,
                }),
            });
            let (days, series) = stacks(src.rows("costs", "rows"), "model", |r| num(r, "total_tokens"));
            out.push(SectionChart {
                id: id("tokens_per_day"),
                chart: Chart::Stacked(StackedBars {
                    title: "Tokens per day by model".into(),
                    y_label: "tokens".into(),
                    categories: days,
                    hues: hues(&colours, series.iter().map(|s| &s.0)),
                    stacks: series,
                    reference_line: None,
                    value_format: fmt_count,
                }),
            });
        }
        "distributions" => {
            for m in MEASURES {
                let (field, unit) = (m.field(), m.unit());
                let (what, axis, fmt): (&str, &str, fn(f64) -> String) = match m {
                    Measure::Cost => ("Cost", "cost per session (USD)", fmt_usd_fine),
                    Measure::Duration => ("Duration", "duration per session", fmt_ms),
                    Measure::Tokens => ("Tokens", "tokens per session", fmt_count),
                };
                let rows: Vec<Cow<'_, Value>> = src.rows("distributions", field).collect();
                let value = |r: &Value, k: &str| num(r, &format!("{k}_{unit}")).unwrap_or(0.0);
                let p50: Vec<f64> = rows.iter().map(|r| value(r, "p50")).collect();
                let above: Vec<f64> = rows.iter().zip(&p50).map(|(r, m)| (value(r, "p95") - m).max(0.0)).collect();
                out.push(SectionChart {
                    id: id(&format!("{field}_spread")),
                    chart: Chart::Stacked(StackedBars {
                        title: format!("{what} per session by model: median, then up to the 95th percentile"),
                        y_label: axis.into(),
                        categories: rows.iter().map(|r| text(r, "key")).collect(),
                        stacks: vec![("median (p50)".into(), p50), ("p95 above the median".into(), above)],
                        reference_line: None,
                        value_format: fmt,
                        hues: vec![],
                    }),
                });
                let bins: Vec<(String, f64)> = src
                    .rows("distributions", &format!("{field}_histogram"))
                    .map(|r| {
                        let (from, to) = (value(&r, "from"), value(&r, "to"));
                        let label = if to <= 0.0 { "0".to_string() } else { format!("{}–{}", fmt(from), fmt(to)) };
                        (label, num(&r, "sessions").unwrap_or(0.0))
                    })
                    .collect();
                out.push(SectionChart {
                    id: id(&format!("{field}_histogram")),
                    chart: Chart::Bar(BarChart {
                        title: format!("Sessions by {} (log bins)", what.to_lowercase()),
                        value_label: "sessions".into(),
                        bars: bins,
                        horizontal: true,
                        value_format: fmt_count,
                        hues: vec![],
                    }),
                });
            }
        }
        "tools" => {
            out.push(SectionChart {
                id: id("failure_rate"),
                chart: bars(
                    "Tool failure rate",
                    "failed results / results",
                    src.rows("tools", "rows"),
                    "tool_name",
                    "failure_rate",
                    fmt_pct,
                    None,
                ),
            });
            out.push(SectionChart {
                id: id("latency"),
                chart: bars(
                    "Tool latency, 95th percentile",
                    "call to result",
                    src.rows("tools", "rows"),
                    "tool_name",
                    "latency_p95_ms",
                    fmt_ms,
                    None,
                ),
            });
        }
        "git" => {
            let (points, not_plotted) = points_of(src.rows("git", "scope"), "task_id", "attempts", "lines_changed");
            out.push(SectionChart {
                id: id("scope"),
                chart: Chart::Scatter(ScatterChart {
                    title: "Scope versus output per task".into(),
                    x_label: "attempts".into(),
                    y_label: "lines changed".into(),
                    points,
                    x_format: fmt_count,
                    y_format: fmt_count,
                    hues: vec![],
                    not_plotted,
                }),
            });
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_filter_by_the_charts_names_and_follow_the_grouping() {
        let by = |group: &str| serde_json::json!({ "model_scores": { "group_by": group } });
        assert_eq!(filter_by(&by("model"), "model_scores.score"), Some(FilterBy::Model));
        assert_eq!(filter_by(&by("executor"), "model_scores.quality_vs_cost"), Some(FilterBy::Executor));
        assert_eq!(filter_by(&by("executor_variant"), "model_scores.score"), None);
        assert_eq!(filter_by(&by("model"), "executors.success_over_time"), Some(FilterBy::Executor));
        assert_eq!(filter_by(&by("model"), "costs.tokens_per_day"), Some(FilterBy::Model));
        assert_eq!(filter_by(&by("model"), "task_risk.risk"), None);
        // every chart id it names is one the charts have
        let ids = [
            "model_scores.score",
            "model_scores.quality_vs_cost",
            "executors.success",
            "executors.success_over_time",
            "costs.cost_per_day",
            "costs.tokens_per_day",
        ];
        let lines = include_str!("../../tests/e2e/fixtures/telemetry.jsonl");
        let data = crate::dataset::Dataset::from_files([("t.jsonl", lines.as_bytes())]);
        let report = crate::report::Report::compute(&data, &Default::default(), &Default::default());
        let json: Value = serde_json::from_str(&report.to_json()).expect("the report is JSON");
        for id in ids {
            let (section, _) = id.split_once('.').unwrap_or_default();
            assert!(charts_for(&json, section).iter().any(|c| c.id == id), "{id}");
        }
        // the fixture's claude-sonnet-4 never succeeded: no cost per success, so not plotted —
        // and said, not silently missing
        let scatter = charts_for(&json, "model_scores").into_iter().find(|c| c.id == "model_scores.quality_vs_cost");
        match scatter.map(|c| c.chart) {
            Some(Chart::Scatter(s)) => {
                assert_eq!(s.not_plotted, ["claude-sonnet-4"]);
                assert_eq!(s.points.len(), 2);
            }
            _ => panic!("no quality-versus-cost scatter"),
        }
    }

    #[test]
    fn success_per_day_carries_its_n_and_wilson_interval() {
        let report = serde_json::json!({ "executors": { "by_day": [
            { "day": "2026-02-02", "executor": "CODEX", "sessions": 9, "success_rate": 0.625, "success_n": 8 },
            { "day": "2026-02-03", "executor": "CODEX", "sessions": 2, "success_rate": null, "success_n": 0 },
            { "day": "2026-02-03", "executor": "CLAUDE", "sessions": 3, "success_rate": 1.0, "success_n": 3 },
        ] } });
        let chart = charts_for(&report, "executors").into_iter().find(|c| c.id == "executors.success_over_time");
        let Some(Chart::Line(line)) = chart.map(|c| c.chart) else { panic!("no success over time") };
        let codex = &line.series[1];
        assert_eq!(codex.name, "CODEX");
        assert_eq!(codex.points.len(), 1, "a day of no known outcome has no rate");
        // 5 of 8 (0.625 × 8): centre (0.625 + 0.24009) / 1.48018 = 0.58445,
        // half 1.96 × sqrt(0.029297 + 0.015006) / 1.48018 = 0.27871
        let b = codex.intervals[0];
        assert_eq!(b.n, 8);
        assert!((b.lo - 0.30573).abs() < 1e-4 && (b.hi - 0.86316).abs() < 1e-4, "{b:?}");
        // 3 of 3: up to 1 exactly
        let b = line.series[0].intervals[0];
        assert_eq!((b.n, b.hi), (3, 1.0));
        assert!((b.lo - 0.43850).abs() < 1e-4, "{b:?}");
        // no n, or none known: no interval
        assert_eq!(rate_interval(0, 0.5, None), None);
        assert_eq!(rate_interval(0, 0.5, Some(0.0)), None);
        // the tooltip says it as the chart's labels write rates
        let (_, hits) = to_svg(800, 400, |a| Chart::Line(line).draw(a, &Theme::light())).expect("drawn");
        let text = hits.iter().find_map(|h| match &h.kind {
            HitKind::Column(c) if c.rows.iter().any(|r| r.name == "CODEX") => Some(c.rows[0].value.clone()),
            _ => None,
        });
        assert_eq!(text.as_deref(), Some("62.5 % (n = 8, 95 % CI 30.6 %–86.3 %)"));
    }

    #[test]
    fn label_formats() {
        // as in the tables
        assert_eq!(fmt_pct(0.8126), "81.3 %");
        assert_eq!(fmt_score(-0.12), "−0.120");
        assert_eq!(fmt_usd(42.5), "$42.50");
        // shorter than the tables
        assert_eq!(fmt_usd(1234.4), "$1,234");
        assert_eq!(fmt_count(12345.0), "12.3k");
        assert_eq!(fmt_ms(90_000.0), "1.5 min");
        assert_eq!(fmt_ms(250.0), "250 ms");
    }

    #[test]
    fn every_section_maps_without_data() {
        let empty = serde_json::json!({});
        for s in SECTIONS {
            for c in charts_for(&empty, s) {
                let (svg, _) = to_svg(800, 400, |a| c.chart.draw(a, &Theme::light())).unwrap();
                assert!(svg.contains(EMPTY_MESSAGE), "{}", c.id);
            }
        }
    }
}
