//! `provider_heatmap` — provider reliability (analytics-spec.md §3): a matrix of the error events
//! in the view (executor × error_category), per-100-session rates, and hourly spikes of the
//! provider-side categories.

use super::stats::iso;
use super::{View, UNCATEGORIZED};
use crate::model::records::{FastMap, Sym};
use crate::model::time::MS_PER_HOUR;
use serde::Serialize;

/// The categories whose hourly series are searched for spikes (spec).
pub const SPIKE_CATEGORIES: [&str; 3] = ["rate_limit", "api_error", "model_error"];

/// The executor name used for error events with no executor of their own nor of their session.
pub const UNKNOWN_EXECUTOR: &str = crate::model::names::UNKNOWN;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProviderHeatmap {
    /// the heatmap's rows, in row order (errors desc, then name)
    /// the main table, `rows` in the JSON report (spec §4)
    #[serde(rename = "rows")]
    pub executors: Vec<ExecutorRow>,
    /// the heatmap's columns, in column order (errors desc, then name)
    pub categories: Vec<CategoryColumn>,
    /// every executor × category pair with a count > 0, in row order then column order
    pub cells: Vec<Cell>,
    /// spike hours, by hour then executor then category
    pub spikes: Vec<Spike>,
    /// the non-zero hourly counts of every spike-category series with any count (line chart)
    pub hourly: Vec<HourlySeries>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutorRow {
    pub executor: String,
    pub errors: u64,
    /// sessions of this executor in the view
    pub sessions: u64,
    pub per_100_sessions: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryColumn {
    pub error_category: String,
    pub errors: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub executor: String,
    pub error_category: String,
    pub count: u64,
    /// count × 100 / sessions of that executor in the view; null when it has none
    pub per_100_sessions: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    pub executor: String,
    pub error_category: String,
    /// start of the UTC hour
    pub hour: String,
    pub count: u64,
    /// mean and population standard deviation of the series' hourly counts over the loaded range
    pub mean: f64,
    pub std_dev: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourlySeries {
    pub executor: String,
    pub error_category: String,
    pub points: Vec<HourPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourPoint {
    pub hour: String,
    pub count: u64,
}

pub fn compute(view: &View) -> ProviderHeatmap {
    // An absent category is `uncategorized`: it shares the symbol of a literal "uncategorized"
    // when one exists, so both land in one column.
    let uncategorized = view.category_sym(UNCATEGORIZED).unwrap_or(Sym::NONE);
    let mut cells: FastMap<(Sym, Sym), u64> = FastMap::default();
    // (executor, category, hour index) → count, for the spike categories only
    let mut hours: FastMap<(Sym, Sym, i64), u64> = FastMap::default();
    let spike_syms: Vec<Sym> = SPIKE_CATEGORIES.iter().filter_map(|c| view.category_sym(c)).collect();
    let (mut first_hour, mut last_hour) = (i64::MAX, i64::MIN);
    // the error events of the view, listed once per load with their executor (the event's own,
    // else its session's)
    for e in view.errors() {
        let category = view.error_category(e);
        let category = if category.is_none() { uncategorized } else { category };
        let executor = e.executor;
        *cells.entry((executor, category)).or_insert(0) += 1;
        // events without a timestamp count in the cells but take no part in the hourly series
        if let Some(ts) = e.ts_ms {
            let h = ts.div_euclid(MS_PER_HOUR);
            first_hour = first_hour.min(h);
            last_hour = last_hour.max(h);
            if spike_syms.contains(&category) {
                *hours.entry((executor, category, h)).or_insert(0) += 1;
            }
        }
    }

    let exec_name = |s: Sym| if s.is_none() { UNKNOWN_EXECUTOR } else { view.str(s) };
    let cat_name = |s: Sym| view.category_name(s);

    // sessions per executor in the view (sessions without an executor count for `unknown`)
    let mut sessions: FastMap<Sym, u64> = FastMap::default();
    for s in view.facts() {
        *sessions.entry(s.executor).or_insert(0) += 1;
    }
    let per_100 = |count: u64, ex: Sym| {
        let n = sessions.get(&ex).copied().unwrap_or(0);
        (n > 0).then(|| count as f64 * 100.0 / n as f64)
    };

    let mut row_tot: FastMap<Sym, u64> = FastMap::default();
    let mut col_tot: FastMap<Sym, u64> = FastMap::default();
    for (&(ex, cat), &n) in &cells {
        *row_tot.entry(ex).or_insert(0) += n;
        *col_tot.entry(cat).or_insert(0) += n;
    }
    let mut rows: Vec<(Sym, u64)> = row_tot.into_iter().collect();
    crate::model::sort::by(&mut rows, |a, b| b.1.cmp(&a.1).then_with(|| exec_name(a.0).cmp(exec_name(b.0))));
    let mut cols: Vec<(Sym, u64)> = col_tot.into_iter().collect();
    crate::model::sort::by(&mut cols, |a, b| b.1.cmp(&a.1).then_with(|| cat_name(a.0).cmp(cat_name(b.0))));

    let mut out_cells = Vec::with_capacity(cells.len());
    for &(ex, _) in &rows {
        for &(cat, _) in &cols {
            if let Some(&count) = cells.get(&(ex, cat)) {
                out_cells.push(Cell {
                    executor: exec_name(ex).to_string(),
                    error_category: cat_name(cat).to_string(),
                    count,
                    per_100_sessions: per_100(count, ex),
                });
            }
        }
    }

    // Hourly series: one per (executor, spike category) with any timestamped count.
    let mut series: FastMap<(Sym, Sym), Vec<(i64, u64)>> = FastMap::default();
    for (&(ex, cat, h), &n) in &hours {
        series.entry((ex, cat)).or_default().push((h, n));
    }
    let mut series: Vec<_> = series.into_iter().collect();
    crate::model::sort::by(&mut series, |a, b| {
        exec_name(a.0 .0).cmp(exec_name(b.0 .0)).then_with(|| cat_name(a.0 .1).cmp(cat_name(b.0 .1)))
    });
    // the loaded range: first to last error-event hour of the view, hours without events count 0
    let n_hours = if last_hour >= first_hour { (last_hour - first_hour + 1) as f64 } else { 0.0 };
    let mut spikes = Vec::new();
    let mut hourly = Vec::with_capacity(series.len());
    for ((ex, cat), mut points) in series {
        crate::model::sort::natural(&mut points);
        let total: u64 = points.iter().map(|p| p.1).sum();
        let mean = total as f64 / n_hours;
        let zero_hours = n_hours - points.len() as f64;
        let ss: f64 =
            points.iter().map(|&(_, c)| (c as f64 - mean) * (c as f64 - mean)).sum::<f64>() + zero_hours * mean * mean;
        let sd = (ss / n_hours).sqrt();
        let threshold = mean + view.params.spike_sigma * sd;
        // Only hours with events are candidates: an empty hour of a series that has counts is
        // never a spike (it cannot reach a positive minimum count).
        for &(h, c) in &points {
            if c >= view.params.spike_min_count && c as f64 >= threshold {
                spikes.push((
                    h,
                    ex,
                    cat,
                    Spike {
                        executor: exec_name(ex).to_string(),
                        error_category: cat_name(cat).to_string(),
                        hour: iso(Some(h * MS_PER_HOUR)).unwrap_or_default(),
                        count: c,
                        mean,
                        std_dev: sd,
                    },
                ));
            }
        }
        hourly.push(HourlySeries {
            executor: exec_name(ex).to_string(),
            error_category: cat_name(cat).to_string(),
            points: points
                .iter()
                .map(|&(h, count)| HourPoint { hour: iso(Some(h * MS_PER_HOUR)).unwrap_or_default(), count })
                .collect(),
        });
    }
    crate::model::sort::by(&mut spikes, |a, b| {
        a.0.cmp(&b.0).then_with(|| exec_name(a.1).cmp(exec_name(b.1))).then_with(|| cat_name(a.2).cmp(cat_name(b.2)))
    });

    ProviderHeatmap {
        executors: rows
            .iter()
            .map(|&(ex, n)| ExecutorRow {
                executor: exec_name(ex).to_string(),
                errors: n,
                sessions: sessions.get(&ex).copied().unwrap_or(0),
                per_100_sessions: per_100(n, ex),
            })
            .collect(),
        categories: cols
            .iter()
            .map(|&(c, n)| CategoryColumn { error_category: cat_name(c).to_string(), errors: n })
            .collect(),
        cells: out_cells,
        spikes: spikes.into_iter().map(|s| s.3).collect(),
        hourly,
    }
}
