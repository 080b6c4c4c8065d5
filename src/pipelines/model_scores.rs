//! `model_scores` — model quality scoring (analytics-spec.md §3).
//!
//! Sessions are grouped by `params.group_by` (model, executor_variant, executor or source; an empty key
//! groups under `unknown`). Per group:
//! `score = success_rate − w_cost × avg_cost_usd − w_errors × avg_errors`.

use super::stats::{rate, SessionTotals};
use super::{GroupKey, View, UNCATEGORIZED, UNKNOWN};
use crate::dataset::derived::Facts;
use crate::model::records::{FastMap, Sym};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelScores {
    /// the key sessions are grouped by: `model`, `executor_variant`, `executor` or `source`
    pub group_by: GroupKey,
    /// one row per group, by score descending (null scores last), ties by key ascending
    pub rows: Vec<ModelScoreRow>,
    /// the quality-versus-cost chart: one point per group, in the order of `rows`
    pub scatter: Vec<ScatterPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelScoreRow {
    pub key: String,
    pub sessions: u64,
    pub success_rate: Option<f64>,
    pub success_n: u64,
    pub first_shot_rate: Option<f64>,
    pub first_shot_n: u64,
    /// mean over the sessions with known cost
    pub avg_cost_usd: Option<f64>,
    /// sessions with known cost
    pub cost_n: u64,
    /// error count over all sessions
    pub errors: u64,
    /// errors per session
    pub avg_errors: Option<f64>,
    /// share of sessions with attempts > 1
    pub retry_rate: Option<f64>,
    pub retry_n: u64,
    /// null when no session of the group knows its cost
    pub total_cost_usd: Option<f64>,
    /// the estimated cost of the group's sessions that record none: left out of the cost figures,
    /// or included when the parameters include estimates (null when none is estimated)
    pub estimated_cost_usd: Option<f64>,
    /// sessions with an estimated cost
    pub estimated_n: u64,
    /// null when no session of the group knows its tokens
    pub total_tokens: Option<u64>,
    /// sessions with known tokens
    pub tokens_n: u64,
    /// total_cost_usd / successful sessions; null when the cost is unknown or no session succeeded
    pub cost_per_success: Option<f64>,
    /// null when success_rate is null
    pub score: Option<f64>,
    /// false when no session of the group knows its cost: the cost term is then 0
    pub cost_term_known: bool,
    /// `high_retry_rate`, `dominant_error_category`
    pub flags: Vec<&'static str>,
    /// the category behind the `dominant_error_category` flag
    pub dominant_error_category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterPoint {
    pub key: String,
    pub success_rate: Option<f64>,
    pub cost_per_success: Option<f64>,
}

/// A group's running totals, filled in one pass over the sessions.
#[derive(Default)]
struct Acc {
    totals: SessionTotals,
    retries: u64,
    /// errors counted for the dominant-category share
    flag_errors: u64,
    cats: Vec<(Sym, u64)>,
}

impl Acc {
    fn add(&mut self, view: &View, si: u32, s: &Facts, uncategorized: Sym) {
        self.totals.add(view, si, s);
        let categories = view.categories(si);
        self.retries += (s.attempts > 1) as u64;
        let mut cat_sum = 0u64;
        for &(c, count) in categories {
            let c = if c.is_none() { uncategorized } else { c };
            cat_sum = cat_sum.saturating_add(count);
            match self.cats.iter_mut().find(|(k, _)| *k == c) {
                Some((_, m)) => *m = m.saturating_add(count),
                None => self.cats.push((c, count)),
            }
        }
        // Choice: "the group's errors" (denominator of the dominant share and the minimum count) is,
        // per session, the larger of its error count and the sum of its category counts, so that
        // errors a metrics row counts without a category still dilute every category's share.
        self.flag_errors = self.flag_errors.saturating_add(s.errors.max(cat_sum));
    }
}

fn group_sym(view: &View, si: u32, s: &Facts, by: GroupKey) -> Sym {
    match by {
        GroupKey::Model => s.model,
        GroupKey::ExecutorVariant => s.executor_variant,
        GroupKey::Executor => s.executor,
        GroupKey::Source => view.data.origin_name(&view.data.sessions[si as usize]),
    }
}

pub fn compute(view: &View) -> ModelScores {
    let p = view.params;
    let strings = &view.data.store.strings;
    // an empty key groups under `unknown`, together with a value literally named `unknown`
    let unknown = strings.lookup(UNKNOWN).unwrap_or(Sym::NONE);
    let uncategorized = view.category_sym(UNCATEGORIZED).unwrap_or(Sym::NONE);
    let mut groups: FastMap<Sym, Acc> = FastMap::default();
    for (si, s) in view.indexed_facts() {
        let k = group_sym(view, si, s, p.group_by);
        let k = if k.is_none() { unknown } else { k };
        groups.entry(k).or_default().add(view, si, s, uncategorized);
    }
    let mut rows: Vec<ModelScoreRow> = groups
        .into_iter()
        .map(|(k, g)| {
            let key = if k.is_none() { UNKNOWN } else { view.str(k) };
            row(view, key, g)
        })
        .collect();
    crate::model::sort::by(&mut rows, |a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.key.cmp(&b.key)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.key.cmp(&b.key),
    });
    let scatter = rows
        .iter()
        .map(|r| ScatterPoint {
            key: r.key.clone(),
            success_rate: r.success_rate,
            cost_per_success: r.cost_per_success,
        })
        .collect();
    ModelScores { group_by: p.group_by, rows, scatter }
}

fn row(view: &View, key: &str, a: Acc) -> ModelScoreRow {
    let p = view.params;
    let Acc { totals: t, retries, flag_errors, cats } = a;
    let n = t.sessions;
    let avg_cost = t.avg_cost_usd();
    let success_rate = t.success_rate();
    let avg_errors = t.avg_errors();
    let retry_rate = rate(retries, n);
    let cost_per_success = t.cost_per_success();
    let score = success_rate.map(|sr| sr - p.w_cost * avg_cost.unwrap_or(0.0) - p.w_errors * avg_errors.unwrap_or(0.0));
    let mut flags = Vec::new();
    if retry_rate.is_some_and(|r| r > p.high_retry_rate) {
        flags.push("high_retry_rate");
    }
    // Choice: when two categories both reach the share (possible at 50 %), the one with more
    // errors is named, ties by category name ascending.
    let mut dominant: Option<(&str, u64)> = None;
    for &(c, count) in &cats {
        let name = super::category_name(view, c);
        let better = match dominant {
            None => true,
            Some((dn, dc)) => count > dc || (count == dc && name < dn),
        };
        if better {
            dominant = Some((name, count));
        }
    }
    let dominant = dominant.filter(|&(_, count)| {
        flag_errors > 0
            && flag_errors >= p.dominant_category_min_errors
            && count as f64 >= p.dominant_category_share * flag_errors as f64
    });
    if dominant.is_some() {
        flags.push("dominant_error_category");
    }
    ModelScoreRow {
        key: key.to_string(),
        sessions: n,
        success_rate,
        success_n: t.success_n,
        first_shot_rate: t.first_shot_rate(),
        first_shot_n: t.first_shot_n,
        avg_cost_usd: avg_cost,
        cost_n: t.cost.n,
        errors: t.errors,
        avg_errors,
        retry_rate,
        retry_n: n,
        total_cost_usd: t.cost_usd(),
        estimated_cost_usd: t.estimated.usd(),
        estimated_n: t.estimated.n,
        total_tokens: t.tokens,
        tokens_n: t.tokens_n,
        cost_per_success,
        score,
        cost_term_known: avg_cost.is_some(),
        flags,
        dominant_error_category: dominant.map(|(name, _)| name.to_string()),
    }
}
