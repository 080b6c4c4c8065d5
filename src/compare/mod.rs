//! A/B comparison (issue 14): the figures of two sides — two datasets, or one dataset under
//! two filters — each with its n, and their difference B − A with a 95 % interval, the method
//! that made it, and `flagged` when the interval excludes 0.
//!
//! Proportions (success, first shot, sessions with a recorded alert, tool failures per tool,
//! sessions with each error category) take Newcombe's hybrid score interval; means (cost,
//! tokens, errors, duration per session) Welch's; cost per session and cost per success also a
//! seeded percentile bootstrap, costs being skewed. Figures are named as the JSON report names
//! them (`*_rate`, `*_usd`, `*_ms`), so `report::format` reads their units off the name.
//! Pure: `spyglass compare` and the page's worker load the data and show the result.

pub mod intervals;
pub mod random;
pub mod sides;
pub mod text;

use crate::dataset::sessions::Dataset;
use crate::ingest::SkippedLine;
use crate::pipelines::stats::{mean, rate};
use crate::pipelines::{Filters, Parameters, View};
use intervals::{bootstrap, newcombe, welch, Interval, BOOTSTRAP_MIN_N, RESAMPLES};
use serde::Serialize;
use sides::{CostOutcome, Count, SideFacts};

/// One side: a dataset seen through its filters.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub data: &'a Dataset,
    pub filters: &'a Filters,
}

/// How a row's interval was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Newcombe (1998), method 10: from the two Wilson score intervals
    NewcombeHybridScore,
    /// Welch's t interval, Welch–Satterthwaite degrees of freedom
    Welch,
    /// percentile bootstrap, [`RESAMPLES`] resamples of each side, fixed seed
    BootstrapPercentile,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::NewcombeHybridScore => "newcombe_hybrid_score",
            Method::Welch => "welch",
            Method::BootstrapPercentile => "bootstrap_percentile",
        }
    }
}

/// One figure on both sides and their difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// the figure, named as the JSON report names it (its unit by suffix)
    pub figure: String,
    /// what the figure is of: a tool (`tool_failure_rate`) or an error category
    /// (`error_category_rate`); null for the others
    pub of: Option<String>,
    pub method: Method,
    pub a: Option<f64>,
    pub a_n: u64,
    pub b: Option<f64>,
    pub b_n: u64,
    /// b − a
    pub difference: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// the interval excludes 0
    pub flagged: bool,
    /// Welch's degrees of freedom
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df: Option<f64>,
    /// bootstrap resamples kept (a resample with no success has no cost per success)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resamples: Option<u64>,
}

/// What a side was: its inputs, filters, sessions, and the lines its inputs skipped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideSummary {
    /// the inputs' names (as `diagnostics.sources` names them)
    pub inputs: Vec<String>,
    pub filters: Filters,
    pub sessions: u64,
    /// lines of its inputs that were skipped, and the first [`LISTED_SKIPS`] of them
    pub skipped_lines: u64,
    pub skipped: Vec<SkippedLine>,
}

/// Skipped lines listed per side (all are counted).
pub const LISTED_SKIPS: usize = 20;

/// A comparison of two sides under shared parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub a: SideSummary,
    pub b: SideSummary,
    /// whether both sides read the same inputs (one dataset, two filters)
    pub same_inputs: bool,
    pub confidence: f64,
    pub bootstrap_resamples: u64,
    pub rows: Vec<Row>,
    pub parameters: Parameters,
}

impl Comparison {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

fn summary(side: Side, sessions: u64) -> SideSummary {
    let store = &side.data.store;
    let mut skipped = store.skipped_lines();
    skipped.truncate(LISTED_SKIPS);
    SideSummary {
        inputs: store.sources.iter().map(|s| s.name.clone()).collect(),
        filters: side.filters.clone(),
        sessions,
        skipped_lines: store.diagnostics.n_skipped,
        skipped,
    }
}

/// Compares side B with side A under `params`.
pub fn compute(a: Side, b: Side, params: &Parameters) -> Comparison {
    let fa = SideFacts::of(&View::new(a.data, a.filters, params));
    let fb = SideFacts::of(&View::new(b.data, b.filters, params));
    let avg = |it: &mut dyn Iterator<Item = &f64>| mean(it.copied());
    let known = |s: &SideFacts| s.cost_outcomes.iter().filter(|c| c.cost_usd.is_some()).count();
    let mut rows = vec![
        proportion("success_rate", None, fa.success, fb.success),
        proportion("first_shot_rate", None, fa.first_shot, fb.first_shot),
        proportion("alert_rate", None, fa.alerted, fb.alerted),
        means("avg_cost_usd", &fa.costs_usd, &fb.costs_usd),
        resampled("avg_cost_usd", &fa.costs_usd, &fb.costs_usd, avg, fa.costs_usd.len(), fb.costs_usd.len()),
        resampled("cost_per_success", &fa.cost_outcomes, &fb.cost_outcomes, cost_per_success, known(&fa), known(&fb)),
        means("avg_tokens", &fa.tokens, &fb.tokens),
        means("avg_errors", &fa.errors, &fb.errors),
        means("avg_duration_ms", &fa.durations_ms, &fb.durations_ms),
    ];
    let mut tools: Vec<&String> = fa.tool_failures.keys().chain(fb.tool_failures.keys()).collect();
    crate::model::sort::natural(&mut tools);
    tools.dedup();
    for t in tools {
        let (ca, cb) = (fa.tool_failures.get(t).copied(), fb.tool_failures.get(t).copied());
        let (ca, cb) = (ca.unwrap_or_default(), cb.unwrap_or_default());
        if ca.n > 0 || cb.n > 0 {
            rows.push(proportion("tool_failure_rate", Some(t), ca, cb));
        }
    }
    let mut categories: Vec<&String> = fa.categories.keys().chain(fb.categories.keys()).collect();
    crate::model::sort::natural(&mut categories);
    categories.dedup();
    for c in categories {
        let with = |s: &SideFacts| Count { hits: s.categories.get(c).copied().unwrap_or(0), n: s.sessions };
        rows.push(proportion("error_category_rate", Some(c), with(&fa), with(&fb)));
    }
    Comparison {
        same_inputs: std::ptr::eq(a.data, b.data),
        a: summary(a, fa.sessions),
        b: summary(b, fb.sessions),
        confidence: 0.95,
        bootstrap_resamples: RESAMPLES as u64,
        rows,
        parameters: params.clone(),
    }
}

/// Known cost / successful sessions over a resample (the report's `cost_per_success`).
fn cost_per_success(it: &mut dyn Iterator<Item = &CostOutcome>) -> Option<f64> {
    let (mut cost, mut known, mut wins) = (0.0, 0u64, 0u64);
    for c in it {
        if let Some(x) = c.cost_usd {
            cost += x;
            known += 1;
        }
        wins += (c.success == Some(true)) as u64;
    }
    (known > 0 && wins > 0).then(|| cost / wins as f64)
}

fn row(figure: &str, of: Option<&String>, method: Method, a: (Option<f64>, u64), b: (Option<f64>, u64)) -> Row {
    Row {
        figure: figure.to_string(),
        of: of.cloned(),
        method,
        a: a.0,
        a_n: a.1,
        b: b.0,
        b_n: b.1,
        difference: a.0.zip(b.0).map(|(a, b)| b - a),
        ci_low: None,
        ci_high: None,
        flagged: false,
        df: None,
        resamples: None,
    }
}

fn with_interval(mut r: Row, i: Option<Interval>) -> Row {
    if let Some(i) = i.filter(|i| i.low.is_finite() && i.high.is_finite()) {
        r.difference = Some(i.difference);
        r.ci_low = Some(i.low);
        r.ci_high = Some(i.high);
        r.flagged = i.excludes_zero();
    }
    r
}

fn proportion(figure: &str, of: Option<&String>, a: Count, b: Count) -> Row {
    let r = row(figure, of, Method::NewcombeHybridScore, (rate(a.hits, a.n), a.n), (rate(b.hits, b.n), b.n));
    with_interval(r, newcombe(a.hits, a.n, b.hits, b.n))
}

fn means(figure: &str, a: &[f64], b: &[f64]) -> Row {
    let m = |x: &[f64]| mean(x.iter().copied());
    let r = row(figure, None, Method::Welch, (m(a), a.len() as u64), (m(b), b.len() as u64));
    let w = welch(a, b);
    let df = w.and_then(|w| w.1);
    Row { df, ..with_interval(r, w.map(|w| w.0)) }
}

/// A bootstrap row: its n on each side are the sessions with a known cost; no interval below
/// [`BOOTSTRAP_MIN_N`] of them on either side.
fn resampled<T>(
    figure: &str,
    a: &[T],
    b: &[T],
    stat: impl Fn(&mut dyn Iterator<Item = &T>) -> Option<f64>,
    a_n: usize,
    b_n: usize,
) -> Row {
    let (sa, sb) = (stat(&mut a.iter()), stat(&mut b.iter()));
    let r = row(figure, None, Method::BootstrapPercentile, (sa, a_n as u64), (sb, b_n as u64));
    let enough = a_n >= BOOTSTRAP_MIN_N && b_n >= BOOTSTRAP_MIN_N;
    let boot = if enough { bootstrap(a, b, stat, random::seed_of(figure)) } else { None };
    let kept = boot.map(|b| b.1 as u64);
    Row { resamples: kept, ..with_interval(r, boot.map(|b| b.0)) }
}
