//! `distributions`: how a session's cost, duration and tokens spread, per model — n, median,
//! 95th percentile and the largest, the session that is the largest named (the page opens its
//! timeline) — and a histogram of each over the sessions in view.
//!
//! Not a figure of the spec's §3: the page and the HTML report show it, the JSON and text reports
//! leave it out (they stay as the spec defines them). Percentiles are numpy's default ("type 7",
//! `stats::percentile`); a session whose value is unknown takes no part. Costs are the figures'
//! (recorded, and estimated when the parameters include estimates).

use super::stats::percentile_sorted;
use super::View;
use crate::model::money;
use serde::Serialize;
use std::collections::BTreeMap;

/// The measures, each with its unit suffix (the formatter reads the unit from it).
pub const MEASURES: [Measure; 3] = [Measure::Cost, Measure::Duration, Measure::Tokens];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Cost,
    Duration,
    Tokens,
}

impl Measure {
    /// The field of the report holding its rows, and of its histogram (`…_histogram`).
    pub fn field(self) -> &'static str {
        match self {
            Measure::Cost => "cost",
            Measure::Duration => "duration",
            Measure::Tokens => "tokens",
        }
    }
    /// The unit suffix of its value fields (`p50_usd`, `p50_ms`, `p50_tokens`).
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Cost => "usd",
            Measure::Duration => "ms",
            Measure::Tokens => "tokens",
        }
    }
}

/// One model's spread of one measure. Serialised with the measure's unit in the field names.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub key: String,
    pub n: u64,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    /// the session with the largest value (ties: the first in session order)
    pub max_attempt: String,
}

/// One bin of a histogram: `[from, to)` (the last bin includes its `to`), with its sessions.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub sessions: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Distributions {
    /// per measure (in [`MEASURES`] order): the spread per model, by model name
    pub spreads: Vec<Vec<Spread>>,
    /// per measure: its histogram over every session in view with a value
    pub histograms: Vec<Vec<Bin>>,
}

/// Bins of a histogram, at most this many.
const MAX_BINS: usize = 12;

pub fn compute(view: &View) -> Distributions {
    let store = &view.data.store;
    let mut spreads = Vec::new();
    let mut histograms = Vec::new();
    for m in MEASURES {
        // per model: (value, session) of the sessions that have one
        let mut by_model: BTreeMap<&str, Vec<(f64, u32)>> = BTreeMap::new();
        for (i, f) in view.indexed_facts() {
            let value = match m {
                Measure::Cost => view.cost(i).map(|c| money::usd(c as i128)),
                Measure::Duration => f.duration_ms.map(|d| d as f64),
                Measure::Tokens => f.total_tokens.map(|t| t as f64),
            };
            if let Some(v) = value.filter(|v| v.is_finite()) {
                by_model.entry(view.str(f.model)).or_default().push((v, i));
            }
        }
        let mut all: Vec<f64> = Vec::new();
        let rows = by_model
            .into_iter()
            .map(|(model, mut values)| {
                // by value, then session order: the largest's session is the first of the largest
                crate::model::sort::by(&mut values, |a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
                let sorted: Vec<f64> = values.iter().map(|v| v.0).collect();
                all.extend_from_slice(&sorted);
                let (max, session) = values.last().copied().unwrap_or((0.0, 0));
                Spread {
                    key: if model.is_empty() { crate::model::names::UNKNOWN.to_string() } else { model.to_string() },
                    n: sorted.len() as u64,
                    p50: percentile_sorted(&sorted, 0.5).unwrap_or(0.0),
                    p95: percentile_sorted(&sorted, 0.95).unwrap_or(0.0),
                    max,
                    max_attempt: store.str(view.data.sessions[session as usize].attempt).to_string(),
                }
            })
            .collect();
        spreads.push(rows);
        histograms.push(histogram(&all));
    }
    Distributions { spreads, histograms }
}

/// Bins of 1–2–5 steps on a log scale from the smallest positive value to the largest (values
/// spread over orders of magnitude: costs, tokens, durations), with a bin of its own for 0; at
/// most [`MAX_BINS`], widened by whole decades when the range is wide.
pub fn histogram(values: &[f64]) -> Vec<Bin> {
    let zeros = values.iter().filter(|&&v| v <= 0.0).count() as u64;
    let positive: Vec<f64> = values.iter().copied().filter(|&v| v > 0.0).collect();
    let mut bins = Vec::new();
    if zeros > 0 {
        bins.push(Bin { from: 0.0, to: 0.0, sessions: zeros });
    }
    let (Some(lo), Some(hi)) =
        (positive.iter().copied().min_by(f64::total_cmp), positive.iter().copied().max_by(f64::total_cmp))
    else {
        return bins;
    };
    // edges 1, 2, 5 × 10^k from the one at or below `lo` to the first above `hi`
    let step = |e: f64| {
        let k = e.log10().floor();
        let m = (e / 10f64.powf(k)).round();
        let next = if m < 2.0 {
            2.0
        } else if m < 5.0 {
            5.0
        } else {
            10.0
        };
        next * 10f64.powf(k)
    };
    let first = {
        let k = lo.log10().floor();
        let base = 10f64.powf(k);
        let m = lo / base;
        base * if m >= 5.0 - 1e-9 {
            5.0
        } else if m >= 2.0 - 1e-9 {
            2.0
        } else {
            1.0
        }
    };
    let mut edges = vec![first];
    while *edges.last().unwrap_or(&hi) <= hi && edges.len() < 400 {
        let e = step(*edges.last().unwrap_or(&hi));
        edges.push(e);
    }
    // too many: every second (then fifth…) edge, keeping the first and a last above `hi`
    let mut stride = 1;
    while (edges.len() - 1).div_ceil(stride) > MAX_BINS {
        stride += 1;
    }
    let mut kept: Vec<f64> = edges.iter().step_by(stride).copied().collect();
    if *kept.last().unwrap_or(&0.0) <= hi {
        if let Some(&last) = edges.last() {
            kept.push(last);
        }
    }
    for w in kept.windows(2) {
        let sessions = positive.iter().filter(|&&v| v >= w[0] && v < w[1]).count() as u64;
        bins.push(Bin { from: w[0], to: w[1], sessions });
    }
    bins
}

impl Serialize for Distributions {
    /// `{cost: [...], cost_histogram: [...], duration: …}` with each value field named by its
    /// unit (`p50_usd`, `from_ms`): what the page's tables and the HTML report format by name.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        use serde_json::json;
        let mut map = s.serialize_map(Some(2 * MEASURES.len()))?;
        for (i, m) in MEASURES.iter().enumerate() {
            let u = m.unit();
            let rows: Vec<serde_json::Value> = self
                .spreads
                .get(i)
                .map(|rows| {
                    rows.iter()
                        .map(|r| {
                            json!({
                                "key": r.key,
                                "n": r.n,
                                format!("p50_{u}"): r.p50,
                                format!("p95_{u}"): r.p95,
                                format!("max_{u}"): r.max,
                                "attempt_id": r.max_attempt,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            map.serialize_entry(m.field(), &rows)?;
            let bins: Vec<serde_json::Value> = self
                .histograms
                .get(i)
                .map(|bins| {
                    bins.iter()
                        .map(|b| json!({format!("from_{u}"): b.from, format!("to_{u}"): b.to, "sessions": b.sessions}))
                        .collect()
                })
                .unwrap_or_default();
            map.serialize_entry(&format!("{}_histogram", m.field()), &bins)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;
    use crate::pipelines::{Filters, Parameters};

    #[test]
    fn log_bins_of_one_two_five() {
        let bins = histogram(&[0.0, 0.013, 0.04, 0.04, 0.3, 1.9]);
        let edges: Vec<(f64, f64, u64)> = bins.iter().map(|b| (b.from, b.to, b.sessions)).collect();
        // 0 apart; then 0.01–0.02–0.05–0.1–0.2–0.5–1–2
        let expect = [
            (0.0, 0.0, 1),
            (0.01, 0.02, 1),
            (0.02, 0.05, 2),
            (0.05, 0.1, 0),
            (0.1, 0.2, 0),
            (0.2, 0.5, 1),
            (0.5, 1.0, 0),
            (1.0, 2.0, 1),
        ];
        assert_eq!(edges.len(), expect.len());
        for (a, b) in edges.iter().zip(expect) {
            assert!((a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12 && a.2 == b.2, "{a:?} vs {b:?}");
        }
        // 1 to 10^9: 28 edges of 1-2-5 thinned to at most 12 bins, every value counted once
        let wide: Vec<f64> = (0..10).map(|k| 10f64.powi(k)).collect();
        let bins = histogram(&wide);
        assert!(bins.len() <= MAX_BINS, "{}", bins.len());
        assert_eq!(bins.iter().map(|b| b.sessions).sum::<u64>(), 10);
        assert!(histogram(&[]).is_empty());
        assert_eq!(histogram(&[5.0]).iter().map(|b| (b.from, b.to, b.sessions)).collect::<Vec<_>>(), [(5.0, 10.0, 1)]);
    }

    /// Per model: n, the median and 95th percentile by numpy's rule, the largest and its session.
    #[test]
    fn spreads_per_model() {
        let mut lines = Vec::new();
        // gpt-5: durations 10, 20, 30, 40, 100 s (a2 the slowest); o3: one of 5 s, one unknown
        for (a, model, d) in [
            ("a1", "gpt-5", 10_000),
            ("a2", "gpt-5", 100_000),
            ("a3", "gpt-5", 20_000),
            ("a4", "gpt-5", 30_000),
            ("a5", "gpt-5", 40_000),
            ("b1", "o3", 5_000),
        ] {
            lines.push(format!(
                r#"{{"attempt_id":"{a}","model":"{model}","timestamp":"2026-02-09T10:00:00.000Z","metrics":{{"success":true,"duration_ms":{d},"cost_usd":{},"total_tokens":{}}}}}"#,
                d as f64 / 1e6,
                d / 10
            ));
        }
        lines.push(
            r#"{"attempt_id":"b2","model":"o3","timestamp":"2026-02-09T11:00:00.000Z","metrics":{"success":true}}"#
                .into(),
        );
        let text = lines.join("\n");
        let data = Dataset::from_files([("m.jsonl", text.as_bytes())]);
        let (f, p) = (Filters::default(), Parameters::default());
        let d = compute(&View::new(&data, &f, &p));
        let duration = &d.spreads[1];
        assert_eq!(duration.len(), 2);
        let g = &duration[0];
        // sorted 10 20 30 40 100: p50 = 30; p95 at rank 3.8 = 40 + 0.8 × 60 = 88
        assert_eq!(
            (g.key.as_str(), g.n, g.p50, g.p95, g.max, g.max_attempt.as_str()),
            ("gpt-5", 5, 30_000.0, 88_000.0, 100_000.0, "a2")
        );
        assert_eq!((duration[1].key.as_str(), duration[1].n, duration[1].p50), ("o3", 1, 5_000.0));
        assert_eq!(d.spreads[0][0].max, 0.1);
        assert_eq!(d.spreads[2][0].p50, 3_000.0);
        // every session with a duration is in the histogram once
        assert_eq!(d.histograms[1].iter().map(|b| b.sessions).sum::<u64>(), 6);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["duration"][0]["p95_ms"], 88_000.0);
        assert_eq!(json["duration"][0]["attempt_id"], "a2");
        assert_eq!(json["cost_histogram"][0]["from_usd"], 0.005);
        assert_eq!(json["tokens"][1]["max_tokens"], 500.0);
    }
}
