//! Small statistics shared by the pipelines. Every function returns `None` over zero values
//! (spec §2: a rate, average or sum over zero known values is null).

use crate::model::money::MoneySum;
use crate::model::time::format_iso_ms;

/// `hits / n`, or `None` when n is 0.
pub fn rate(hits: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| hits as f64 / n as f64)
}

/// The mean of the known values.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0u64);
    for v in values {
        sum += v;
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

/// The sum of the known values; `None` when there is none.
pub fn sum_known(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    values.into_iter().flatten().fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

/// Integer variant of [`sum_known`].
pub fn sum_known_u64(values: impl IntoIterator<Item = Option<u64>>) -> Option<u64> {
    values.into_iter().flatten().fold(None, |acc, v| Some(acc.unwrap_or(0u64).saturating_add(v)))
}

/// The sum of counts, saturating at `u64::MAX` (counts from the logs may be anything up to it).
pub fn sum_sat(values: impl IntoIterator<Item = u64>) -> u64 {
    values.into_iter().fold(0, u64::saturating_add)
}

/// Population standard deviation.
pub fn std_dev(values: &[f64]) -> Option<f64> {
    let m = mean(values.iter().copied())?;
    Some((values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64).sqrt())
}

/// Percentile `p` in [0, 1] by linear interpolation between closest ranks (numpy's default,
/// "type 7"): the median of [1, 2, 3, 4] is 2.5. `values` need not be sorted.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    percentile_in_place(&mut values.to_vec(), p)
}

/// [`percentile`] reordering `values` instead of copying them: a selection of the two closest
/// ranks (linear time) rather than a sort. Non-finite values take no part.
pub fn percentile_in_place(values: &mut Vec<f64>, p: f64) -> Option<f64> {
    if values.iter().any(|x| !x.is_finite()) {
        values.retain(|x| x.is_finite());
    }
    if values.is_empty() {
        return None;
    }
    let h = (values.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    // the element of rank `lo` in total order, and the least of those after it (rank `lo + 1`)
    let (_, &mut at_lo, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let at_hi = if hi > lo { above.iter().copied().min_by(f64::total_cmp).unwrap_or(at_lo) } else { at_lo };
    Some(at_lo + (h - lo as f64) * (at_hi - at_lo))
}

/// [`percentile`] of values already sorted (by `f64::total_cmp`) and all finite.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let at_lo = *sorted.get(lo)?;
    let at_hi = if hi > lo { sorted.get(lo + 1).copied().unwrap_or(at_lo) } else { at_lo };
    Some(at_lo + (h - lo as f64) * (at_hi - at_lo))
}

/// A proportion with its n and 95 % Wilson score interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Proportion {
    pub rate: Option<f64>,
    pub successes: u64,
    pub n: u64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// Wilson score interval at 95 % (z = 1.959964).
pub fn wilson(successes: u64, n: u64) -> Proportion {
    if n == 0 {
        return Proportion { rate: None, successes, n, ci_low: None, ci_high: None };
    }
    let z = 1.959_963_984_540_054_f64;
    let nf = n as f64;
    let p = successes as f64 / nf;
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * ((p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt()) / denom;
    Proportion {
        rate: Some(p),
        successes,
        n,
        ci_low: Some((centre - half).max(0.0)),
        ci_high: Some((centre + half).min(1.0)),
    }
}

/// Two proportions differ significantly when their 95 % intervals do not overlap (spec `interventions`).
pub fn significant(a: &Proportion, b: &Proportion) -> Option<bool> {
    match (a.ci_low, a.ci_high, b.ci_low, b.ci_high) {
        (Some(al), Some(ah), Some(bl), Some(bh)) => Some(ah < bl || bh < al),
        _ => None,
    }
}

/// The per-group session figures that `model_scores` and `executors` share: counts of known
/// facts and their sums, each rate or mean over the sessions where its fact is known.
#[derive(Debug, Clone, Default)]
pub struct SessionTotals {
    pub sessions: u64,
    pub successes: u64,
    pub success_n: u64,
    pub first_shots: u64,
    pub first_shot_n: u64,
    pub duration_sum_ms: f64,
    pub duration_n: u64,
    /// the costs the figures count (recorded, and estimated ones when the parameters include them)
    pub cost: MoneySum,
    /// the estimated costs of sessions that record none (counted in `cost` or left out of it)
    pub estimated: MoneySum,
    pub tokens: Option<u64>,
    pub tokens_n: u64,
    pub errors: u64,
}

impl SessionTotals {
    /// Adds a session of the view (its index in `data.sessions` and its facts).
    pub fn add(&mut self, view: &super::View, si: u32, s: &crate::dataset::derived::Facts) {
        self.sessions += 1;
        if let Some(ok) = s.success {
            self.success_n += 1;
            self.successes += ok as u64;
        }
        if let Some(ok) = s.first_shot_success {
            self.first_shot_n += 1;
            self.first_shots += ok as u64;
        }
        if let Some(d) = s.duration_ms {
            self.duration_sum_ms += d as f64;
            self.duration_n += 1;
        }
        self.cost.add(view.cost(si));
        self.estimated.add(view.estimated(si));
        if let Some(t) = s.total_tokens {
            self.tokens = Some(self.tokens.unwrap_or(0).saturating_add(t));
            self.tokens_n += 1;
        }
        self.errors = self.errors.saturating_add(s.errors);
    }
    pub fn success_rate(&self) -> Option<f64> {
        rate(self.successes, self.success_n)
    }
    pub fn first_shot_rate(&self) -> Option<f64> {
        rate(self.first_shots, self.first_shot_n)
    }
    pub fn avg_duration_ms(&self) -> Option<f64> {
        (self.duration_n > 0).then(|| self.duration_sum_ms / self.duration_n as f64)
    }
    pub fn avg_cost_usd(&self) -> Option<f64> {
        self.cost.mean()
    }
    pub fn cost_usd(&self) -> Option<f64> {
        self.cost.usd()
    }
    pub fn avg_tokens(&self) -> Option<f64> {
        self.tokens.filter(|_| self.tokens_n > 0).map(|t| t as f64 / self.tokens_n as f64)
    }
    /// errors per session
    pub fn avg_errors(&self) -> Option<f64> {
        rate(self.errors, self.sessions)
    }
    /// known cost / successful sessions; null when the cost is unknown or nothing succeeded
    pub fn cost_per_success(&self) -> Option<f64> {
        self.cost.per(self.successes)
    }
}

/// ISO 8601 UTC with milliseconds, or `None`.
pub fn iso(ts: Option<i64>) -> Option<String> {
    ts.map(format_iso_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[4.0, 1.0, 3.0, 2.0], 0.5), Some(2.5));
        assert_eq!(percentile(&[10.0], 0.95), Some(10.0));
        // 0.95 * (5-1) = 3.8 → 4 + 0.8 * (100 - 4) = 80.8
        assert!((percentile(&[1.0, 2.0, 3.0, 4.0, 100.0], 0.95).unwrap() - 80.8).abs() < 1e-9);
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn sorted_percentiles_equal_selected_ones() {
        let values = [7.5, -1.0, 3.25, 3.25, 0.0, 120.0, 9.0, 2.0, 44.0];
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        for p in [0.0, 0.1, 0.5, 0.95, 0.99, 1.0] {
            assert_eq!(
                percentile_sorted(&sorted, p).map(f64::to_bits),
                percentile(&values, p).map(f64::to_bits),
                "p = {p}"
            );
        }
        assert_eq!(percentile_sorted(&[], 0.5), None);
    }

    #[test]
    fn wilson_matches_the_textbook() {
        // 8 of 10: centre (0.8 + 0.19207)/1.38415 = 0.71673, half 1.96*sqrt(0.016+0.0009604)/1.38415 = 0.18435
        let p = wilson(8, 10);
        assert!((p.ci_low.unwrap() - 0.4902).abs() < 1e-4, "{p:?}");
        assert!((p.ci_high.unwrap() - 0.9433).abs() < 1e-4, "{p:?}");
        assert_eq!(wilson(0, 0).rate, None);
        let none = wilson(0, 10);
        assert_eq!(none.ci_low, Some(0.0));
        assert_eq!(significant(&wilson(9, 10), &wilson(1, 10)), Some(true));
        assert_eq!(significant(&wilson(6, 10), &wilson(5, 10)), Some(false));
    }

    #[test]
    fn sums_and_means_of_nothing_are_null() {
        assert_eq!(sum_known([None, None]), None);
        assert_eq!(sum_known([None, Some(0.5), Some(0.25)]), Some(0.75));
        assert_eq!(mean(Vec::<f64>::new()), None);
        assert_eq!(rate(0, 0), None);
        assert_eq!(std_dev(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]), Some(2.0));
    }
}
