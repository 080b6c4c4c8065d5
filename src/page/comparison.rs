//! The page's A/B comparison: side A is the view in force, side B the same view with one thing
//! changed — the period before it, another executor, model or source — and what the page shows
//! of the result (`compare::Comparison` as JSON): its rows as table rows with their values
//! formatted by figure, and the rates' differences as a forest chart.

use super::facets::Facets;
use crate::charts::ForestChart;
use crate::model::numbers::count;
use crate::pipelines::Filters;
use crate::report::format;
use serde_json::{json, Value};

/// What side B changes of side A (for a source, A is the view's other sources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Versus {
    /// the period of the same length just before A's (A without a time range: the data's span
    /// is cut in two, A the later half)
    PreviousPeriod,
    Executor(String),
    Model(String),
    /// another folder or machine of the data (when it has several)
    Source(String),
}

impl Versus {
    /// The choice's value in the page's select (`previous`, `executor:CODEX`, `model:o3`).
    pub fn value(&self) -> String {
        match self {
            Versus::PreviousPeriod => "previous".into(),
            Versus::Executor(n) => format!("executor:{n}"),
            Versus::Model(n) => format!("model:{n}"),
            Versus::Source(n) => format!("source:{n}"),
        }
    }

    pub fn of_value(v: &str) -> Option<Versus> {
        match v.split_once(':') {
            None if v == "previous" => Some(Versus::PreviousPeriod),
            Some(("executor", n)) if !n.is_empty() => Some(Versus::Executor(n.into())),
            Some(("model", n)) if !n.is_empty() => Some(Versus::Model(n.into())),
            Some(("source", n)) if !n.is_empty() => Some(Versus::Source(n.into())),
            _ => None,
        }
    }

    /// The choices the data offers: the previous period, each source (when there are several),
    /// each executor and each model.
    pub fn choices(facets: &Facets) -> Vec<(Versus, String)> {
        let mut out = vec![(Versus::PreviousPeriod, "the period before".to_string())];
        if facets.sources.len() > 1 {
            out.extend(
                facets.sources.iter().map(|s| (Versus::Source(s.clone()), format!("source {s} (A: the others)"))),
            );
        }
        out.extend(facets.executors.iter().map(|e| (Versus::Executor(e.clone()), format!("executor {e}"))));
        out.extend(facets.models.iter().map(|m| (Versus::Model(m.clone()), format!("model {m}"))));
        out
    }
}

/// Sides A and B for the view `a` and the choice `vs`; `None` when B cannot be made (no time
/// at all in the data for a previous period).
pub fn sides(a: &Filters, vs: &Versus, facets: &Facets) -> Option<(Filters, Filters)> {
    match vs {
        Versus::PreviousPeriod => {
            let (since, until) = match (a.since_ms, a.until_ms) {
                (Some(s), Some(u)) if u > s => (s, u),
                // an open end: the data's first or last time closes it
                (s, u) => {
                    let (first, last) = (facets.first_ms?, facets.last_ms? + 1);
                    match (s, u) {
                        (Some(s), None) if last > s => (s, last),
                        (None, Some(u)) if u > first => (first, u),
                        // no range: the later half against the earlier one
                        _ => (first + (last - first) / 2, last),
                    }
                }
            };
            let a = Filters { since_ms: Some(since), until_ms: Some(until), ..a.clone() };
            let b = Filters { since_ms: Some(since - (until - since)), until_ms: Some(since), ..a.clone() };
            Some((a, b))
        }
        Versus::Executor(n) => Some((a.clone(), Filters { executors: vec![n.clone()], ..a.clone() })),
        Versus::Model(n) => Some((a.clone(), Filters { models: vec![n.clone()], ..a.clone() })),
        // a source against the rest of the view: A leaves B's source out
        Versus::Source(n) => {
            let other = |s: &&String| !s.eq_ignore_ascii_case(n);
            let mut rest: Vec<String> = a.sources.iter().filter(other).cloned().collect();
            if rest.is_empty() {
                rest = facets.sources.iter().filter(other).cloned().collect();
            }
            Some((Filters { sources: rest, ..a.clone() }, Filters { sources: vec![n.clone()], ..a.clone() }))
        }
    }
}

/// A side's filters in a few words: `executor CODEX · since 2026-02-09 00:00`, or `all sessions`.
pub fn describe(f: &Filters) -> String {
    let chips = super::chips::chips(f);
    if chips.is_empty() {
        "all sessions".into()
    } else {
        chips.iter().map(|c| c.label.clone()).collect::<Vec<_>>().join(" · ")
    }
}

/// What the comparison's section says first: each side with its sessions, and how many
/// differences are flagged (`A: all sessions (3 sessions) · B: executor CLAUDE (1 session) — no
/// difference whose 95 % interval excludes 0.`).
pub fn headline(comparison: &Value) -> String {
    let side = |k: &str| {
        let filters = serde_json::from_value(comparison[k]["filters"].clone()).unwrap_or_default();
        let sessions = comparison[k]["sessions"].as_u64().unwrap_or(0);
        format!("{} ({})", describe(&filters), count(sessions, "session", "sessions"))
    };
    let flagged = comparison["rows"].as_array().map_or(0, |r| r.iter().filter(|r| r["flagged"] == true).count());
    let flagged = match flagged {
        0 => "no difference".to_string(),
        n => count(n as u64, "difference", "differences"),
    };
    format!("A: {} · B: {} — {flagged} whose 95 % interval excludes 0.", side("a"), side("b"))
}

/// A figure's name for people: `Success rate`, `Tool failure rate (shell)`, `Avg cost
/// (bootstrap)` beside the same figure by Welch.
fn figure_title(row: &Value) -> String {
    let figure = row["figure"].as_str().unwrap_or("");
    let title = format::title(figure);
    let title = match row["of"].as_str() {
        Some(of) => format!("{title} ({of})"),
        None => title,
    };
    if row["method"] == "bootstrap_percentile" {
        format!("{title} (bootstrap)")
    } else {
        title
    }
}

/// A rate's name short enough for the forest's label column: `shell fails`, `rate_limit errors`.
fn short_title(row: &Value) -> String {
    match (row["figure"].as_str().unwrap_or(""), row["of"].as_str()) {
        ("tool_failure_rate", Some(tool)) => format!("{tool} fails"),
        ("error_category_rate", Some(category)) => format!("{category} errors"),
        _ => figure_title(row),
    }
}

/// The comparison's rows as the page's table shows them: each value formatted as its figure is
/// (a rate as %, a cost in $), the difference in percentage points for rates, the interval, n on
/// both sides, the method, and whether the interval excludes 0.
pub fn table_rows(comparison: &Value) -> Vec<Value> {
    let rows = comparison["rows"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    rows.iter()
        .map(|r| {
            let figure = r["figure"].as_str().unwrap_or("");
            let rate = figure.ends_with("_rate");
            let diff = |v: &Value| match v.as_f64() {
                None => "—".to_string(),
                Some(d) if rate => format::pp(d),
                Some(d) => format::cell(figure, &json!(d)),
            };
            let interval = match (r["ci_low"].as_f64(), r["ci_high"].as_f64()) {
                (Some(_), Some(_)) => format!("{} to {}", diff(&r["ci_low"]), diff(&r["ci_high"])),
                _ => "—".into(),
            };
            json!({
                "figure": figure_title(r),
                "a": format::cell(figure, &r["a"]),
                "a_n": r["a_n"],
                "b": format::cell(figure, &r["b"]),
                "b_n": r["b_n"],
                "difference": diff(&r["difference"]),
                "interval_95": interval,
                "flagged": if r["flagged"].as_bool() == Some(true) { "yes: the interval excludes 0" } else { "" },
                "method": r["method"].as_str().unwrap_or("").replace('_', " "),
            })
        })
        .collect()
}

/// The rates' differences B − A with their intervals, in percentage points, as a forest chart.
pub fn forest(comparison: &Value) -> ForestChart {
    let rows = comparison["rows"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let points = rows
        .iter()
        .filter(|r| r["figure"].as_str().is_some_and(|f| f.ends_with("_rate")))
        .filter_map(|r| {
            let (d, lo, hi) = (r["difference"].as_f64()?, r["ci_low"].as_f64()?, r["ci_high"].as_f64()?);
            Some((short_title(r), d * 100.0, lo * 100.0, hi * 100.0, r["flagged"].as_bool() == Some(true)))
        })
        .collect();
    ForestChart {
        title: "Rates, B − A, with 95 % intervals".into(),
        x_label: "difference (percentage points)".into(),
        rows: points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn facets() -> Facets {
        Facets {
            executors: vec!["CLAUDE".into(), "CODEX".into()],
            models: vec!["o3".into()],
            first_ms: Some(10 * DAY),
            last_ms: Some(20 * DAY - 1),
            ..Facets::default()
        }
    }

    #[test]
    fn the_period_before() {
        let f = facets();
        // a week: the week before
        let week = Filters { since_ms: Some(14 * DAY), until_ms: Some(21 * DAY), ..Filters::default() };
        let (a, b) = sides(&week, &Versus::PreviousPeriod, &f).unwrap();
        assert_eq!((a.since_ms, a.until_ms), (Some(14 * DAY), Some(21 * DAY)));
        assert_eq!((b.since_ms, b.until_ms), (Some(7 * DAY), Some(14 * DAY)));
        // no range: the data's later half against its earlier half (10 days: 5 and 5)
        let (a, b) = sides(&Filters::default(), &Versus::PreviousPeriod, &f).unwrap();
        assert_eq!(
            (a.since_ms, a.until_ms, b.since_ms, b.until_ms),
            (Some(15 * DAY), Some(20 * DAY), Some(10 * DAY), Some(15 * DAY))
        );
        // since only: up to the data's end
        let since = Filters { since_ms: Some(18 * DAY), ..Filters::default() };
        let (a, b) = sides(&since, &Versus::PreviousPeriod, &f).unwrap();
        assert_eq!((a.until_ms, b.since_ms), (Some(20 * DAY), Some(16 * DAY)));
        // no time in the data: no previous period
        assert_eq!(sides(&Filters::default(), &Versus::PreviousPeriod, &Facets::default()), None);
        // another executor: the view's other filters kept
        let a = Filters { task: Some("login".into()), executors: vec!["CODEX".into()], ..Filters::default() };
        let (sa, sb) = sides(&a, &Versus::Executor("CLAUDE".into()), &f).unwrap();
        assert_eq!((sa, sb.executors, sb.task), (a.clone(), vec!["CLAUDE".to_string()], Some("login".into())));
        assert_eq!(describe(&Filters::default()), "all sessions");
        let values: Vec<String> = Versus::choices(&f).iter().map(|c| c.0.value()).collect();
        assert_eq!(values, ["previous", "executor:CLAUDE", "executor:CODEX", "model:o3"]);
        assert!(values.iter().all(|v| Versus::of_value(v).is_some_and(|x| x.value() == *v)));
        assert_eq!(Versus::of_value("model:"), None);
    }

    #[test]
    fn rows_read_as_their_figures() {
        let c = json!({"rows": [
            {"figure": "success_rate", "of": null, "method": "newcombe_hybrid_score", "a": 0.8, "a_n": 70, "b": 0.6, "b_n": 80,
             "difference": -0.2, "ci_low": -0.33, "ci_high": -0.05, "flagged": true},
            {"figure": "avg_cost_usd", "of": null, "method": "welch", "a": 0.5, "a_n": 10, "b": 1.0, "b_n": 12,
             "difference": 0.5, "ci_low": null, "ci_high": null, "flagged": false},
            {"figure": "tool_failure_rate", "of": "shell", "method": "newcombe_hybrid_score", "a": 0.1, "a_n": 10, "b": 0.1, "b_n": 10,
             "difference": 0.0, "ci_low": -0.3, "ci_high": 0.3, "flagged": false}
        ]});
        let rows = table_rows(&c);
        assert_eq!(rows[0]["figure"], "Success rate");
        assert_eq!((rows[0]["a"].as_str(), rows[0]["b"].as_str()), (Some("80.0 %"), Some("60.0 %")));
        assert_eq!(rows[0]["difference"], format::pp(-0.2));
        assert_eq!(rows[0]["interval_95"], format!("{} to {}", format::pp(-0.33), format::pp(-0.05)));
        assert_eq!(rows[0]["flagged"], "yes: the interval excludes 0");
        assert_eq!(rows[1]["difference"], "$0.50");
        assert_eq!(rows[1]["interval_95"], "—");
        assert_eq!(rows[2]["figure"], "Tool failure rate (shell)");
        let c = json!({"a": {"filters": Filters::default(), "sessions": 3}, "b": {"filters": Filters { executors: vec!["CLAUDE".into()], ..Filters::default() }, "sessions": 1}, "rows": c["rows"]});
        assert_eq!(headline(&c), "A: all sessions (3 sessions) · B: executor CLAUDE (1 session) — 1 difference whose 95 % interval excludes 0.");
        let f = forest(&c);
        assert_eq!(f.rows.len(), 2);
        assert_eq!(f.rows[0].0, "Success rate");
        assert_eq!(f.rows[1].0, "shell fails");
        assert!((f.rows[0].1 + 20.0).abs() < 1e-9 && f.rows[0].4);
    }

    #[test]
    fn a_source_is_a_choice_when_the_data_has_several() {
        let one = Facets { sources: vec!["laptop".into()], ..Facets::default() };
        assert!(!Versus::choices(&one).iter().any(|(v, _)| matches!(v, Versus::Source(_))));
        let two = Facets { sources: vec!["laptop".into(), "desk".into()], ..Facets::default() };
        let c = Versus::choices(&two);
        assert_eq!(c[1], (Versus::Source("laptop".into()), "source laptop (A: the others)".into()));
        assert_eq!(c[2].0, Versus::Source("desk".into()));
        assert_eq!(Versus::of_value(&Versus::Source("desk".into()).value()), Some(Versus::Source("desk".into())));
        let names = |f: Filters| f.sources;
        // A is the view's other sources: those chosen, else all of the data's but B's
        let three = Facets { sources: vec!["laptop".into(), "desk".into(), "ci".into()], ..Facets::default() };
        let (a, b) = sides(&Filters::default(), &Versus::Source("DESK".into()), &three).unwrap();
        assert_eq!((names(a), names(b)), (vec!["laptop".to_string(), "ci".into()], vec!["DESK".to_string()]));
        let chosen =
            Filters { sources: vec!["laptop".into(), "desk".into()], task: Some("x".into()), ..Filters::default() };
        let (a, b) = sides(&chosen, &Versus::Source("desk".into()), &three).unwrap();
        assert_eq!((a.task.as_deref(), b.task.as_deref()), (Some("x"), Some("x")));
        assert_eq!((names(a), names(b)), (vec!["laptop".to_string()], vec!["desk".to_string()]));
        // the view is B's source alone: A is every other
        let only = Filters { sources: vec!["desk".into()], ..Filters::default() };
        assert_eq!(names(sides(&only, &Versus::Source("desk".into()), &three).unwrap().0), ["laptop", "ci"]);
    }
}
