//! The 95 % intervals of a difference B − A: Newcombe's hybrid score interval for two
//! proportions, Welch's for two means (with the Student-t quantile it needs), and a seeded
//! percentile bootstrap for skewed figures (costs). Pure arithmetic; no libm, so the same bits
//! on every target.

use super::random::SplitMix64;
use crate::pipelines::stats::{percentile_in_place, wilson};

/// The 95 % normal quantile (the z of `stats::wilson`).
pub const Z_975: f64 = 1.959_963_984_540_054;

/// A difference B − A with its interval; `None` bounds when it cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub difference: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// The interval excludes 0: a difference beyond chance at 95 %.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// Newcombe (1998), method 10, "hybrid score": the difference p_b − p_a of two independent
/// proportions, its bounds built from each proportion's Wilson interval (l, u):
/// `d − √((p_b − l_b)² + (u_a − p_a)²)` to `d + √((u_b − p_b)² + (p_a − l_a)²)`.
/// `None` when either side has n = 0.
pub fn newcombe(a_hits: u64, a_n: u64, b_hits: u64, b_n: u64) -> Option<Interval> {
    let (a, b) = (wilson(a_hits, a_n), wilson(b_hits, b_n));
    let (pa, la, ua) = (a.rate?, a.ci_low?, a.ci_high?);
    let (pb, lb, ub) = (b.rate?, b.ci_low?, b.ci_high?);
    let d = pb - pa;
    Some(Interval {
        difference: d,
        low: d - ((pb - lb).powi(2) + (ua - pa).powi(2)).sqrt(),
        high: d + ((ub - pb).powi(2) + (pa - la).powi(2)).sqrt(),
    })
}

/// A sample's n, mean and unbiased variance (n − 1); `None` below 2 values.
fn moments(x: &[f64]) -> Option<(f64, f64, f64)> {
    if x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
    Some((n, m, v))
}

/// Welch's interval for mean(b) − mean(a): the standard error √(s_a²/n_a + s_b²/n_b) and the
/// Welch–Satterthwaite degrees of freedom; with its df. `None` when a side has fewer than 2
/// values. Two constant samples give a zero-width interval at their difference.
pub fn welch(a: &[f64], b: &[f64]) -> Option<(Interval, Option<f64>)> {
    let (na, ma, va) = moments(a)?;
    let (nb, mb, vb) = moments(b)?;
    let d = mb - ma;
    let (qa, qb) = (va / na, vb / nb);
    let se2 = qa + qb;
    if !(se2 > 0.0 && se2.is_finite()) {
        return d.is_finite().then_some((Interval { difference: d, low: d, high: d }, None));
    }
    let df = se2 * se2 / (qa * qa / (na - 1.0) + qb * qb / (nb - 1.0));
    let half = t_quantile(0.975, df)? * se2.sqrt();
    Some((Interval { difference: d, low: d - half, high: d + half }, Some(df)))
}

/// The Student-t quantile: the t with P(T ≤ t) = p for `df` degrees of freedom (p in (0, 1),
/// df > 0; `f64::INFINITY` for the normal). Bisection on the CDF, itself the regularized
/// incomplete beta function: accurate to ~1e-12 over the df a comparison meets.
pub fn t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) || df.is_nan() || df <= 0.0 {
        return None;
    }
    if p < 0.5 {
        return t_quantile(1.0 - p, df).map(|t| -t);
    }
    // beyond 1e7 df the t is the normal to well below 1e-6
    let cdf = |t: f64| if df > 1e7 { normal_cdf(t) } else { t_cdf(t, df) };
    let mut hi = 1.0;
    while cdf(hi) < p {
        hi *= 2.0;
        if hi > 1e300 {
            return None;
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// P(T ≤ t) for Student's t: for t ≥ 0, 1 − I_x(df/2, 1/2)/2 with x = df/(df + t²).
fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// The standard normal CDF Φ(t), through the incomplete gamma function (Φ is its P(½, t²/2)).
fn normal_cdf(t: f64) -> f64 {
    // Φ(t) = ½ + ½ P(½, t²/2) sign(t), P the regularized lower incomplete gamma
    let g = lower_gamma_regularized(0.5, t * t / 2.0);
    if t >= 0.0 {
        0.5 + 0.5 * g
    } else {
        0.5 - 0.5 * g
    }
}

/// The regularized lower incomplete gamma P(a, x) (series, or continued fraction for large x;
/// Numerical Recipes §6.2).
fn lower_gamma_regularized(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let front = (a * x.ln() - x - ln_gamma(a)).exp();
    if x < a + 1.0 {
        let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        sum * front
    } else {
        // Lentz's method for the continued fraction of Q(a, x)
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        1.0 - front * h
    }
}

/// The regularized incomplete beta I_x(a, b) (Numerical Recipes §6.4: its continued fraction,
/// by the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where that converges faster).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    // one step of Lentz's method with the coefficient `aa`: the factor it multiplies `h` by
    let mut step = |aa: f64| {
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        d * c
    };
    for m in 1..10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        // the even step, then the odd one
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let del = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0: the Lanczos approximation (g = 7, 9 terms; ~1e-15 relative).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // reflection: Γ(x)Γ(1 − x) = π / sin(πx)
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut s = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        s += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + s.ln()
}

/// How many resamples a bootstrap draws.
pub const RESAMPLES: usize = 2_000;

/// The fewest known values a side needs for a bootstrap interval: below it the resamples show
/// the few values themselves, not the spread of the figure (n = 1 resamples to one value).
pub const BOOTSTRAP_MIN_N: usize = 10;

/// A percentile bootstrap of stat(b) − stat(a): each side resampled with replacement (the
/// sides independently) `RESAMPLES` times from a generator seeded with `seed`; the interval is
/// the 2.5th and 97.5th percentile of the differences (`stats::percentile`, type 7). A resample
/// where either statistic is undefined (no success to divide by) is left out; with its count of
/// kept resamples. `None` when a side is empty or its statistic undefined, or under half kept.
pub fn bootstrap<T>(
    a: &[T],
    b: &[T],
    stat: impl Fn(&mut dyn Iterator<Item = &T>) -> Option<f64>,
    seed: u64,
) -> Option<(Interval, usize)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let d = stat(&mut b.iter())? - stat(&mut a.iter())?;
    let mut rng = SplitMix64::new(seed);
    let mut diffs = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        let sa = resample(a, &mut rng, &stat);
        let sb = resample(b, &mut rng, &stat);
        if let (Some(sa), Some(sb)) = (sa, sb) {
            diffs.push(sb - sa);
        }
    }
    let kept = diffs.len();
    if kept * 2 < RESAMPLES {
        return None;
    }
    let low = percentile_in_place(&mut diffs, 0.025)?;
    let high = percentile_in_place(&mut diffs, 0.975)?;
    Some((Interval { difference: d, low, high }, kept))
}

fn resample<T>(
    x: &[T],
    rng: &mut SplitMix64,
    stat: &impl Fn(&mut dyn Iterator<Item = &T>) -> Option<f64>,
) -> Option<f64> {
    let n = x.len();
    let mut draws = (0..n).filter_map(|_| x.get(rng.below(n)));
    stat(&mut draws)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, want: f64, tol: f64) {
        assert!((x - want).abs() <= tol, "{x} is not {want} ± {tol}");
    }

    #[test]
    fn t_quantiles_match_the_tables() {
        // the brief's table values (4 decimals) …
        for (df, t) in [(1.0, 12.7062), (5.0, 2.5706), (30.0, 2.0423), (f64::INFINITY, 1.9600)] {
            close(t_quantile(0.975, df).unwrap(), t, 5e-5);
        }
        // … and closed forms: df 1 is Cauchy, tan(π(p − ½)); df 2 is (2p − 1)/√(2p(1 − p))
        close(t_quantile(0.975, 1.0).unwrap(), (std::f64::consts::PI * 0.475).tan(), 1e-9);
        close(t_quantile(0.975, 2.0).unwrap(), 0.95 / (2.0f64 * 0.975 * 0.025).sqrt(), 1e-9);
        // independently: a short Python script integrating the t density (math.lgamma,
        // Simpson's rule, 20,000 steps) and bisecting its CDF gives these
        close(t_quantile(0.975, 5.0).unwrap(), 2.570_581_835_636_167, 1e-8);
        close(t_quantile(0.975, 30.0).unwrap(), 2.042_272_456_301_260_4, 1e-8);
        close(t_quantile(0.975, f64::INFINITY).unwrap(), Z_975, 1e-9);
        close(t_quantile(0.975, 1e9).unwrap(), Z_975, 1e-7);
        close(t_quantile(0.025, 5.0).unwrap(), -2.570_581_835_636_167, 1e-8);
        assert_eq!(t_quantile(0.5, 3.0).map(|t| t.abs() < 1e-12), Some(true));
        assert_eq!(t_quantile(1.0, 3.0), None);
        assert_eq!(t_quantile(0.975, 0.0), None);
        assert_eq!(t_quantile(0.975, f64::NAN), None);
    }

    #[test]
    fn ln_gamma_is_exact_at_known_points() {
        close(ln_gamma(1.0), 0.0, 1e-14);
        close(ln_gamma(5.0), 24f64.ln(), 1e-13);
        close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-14);
    }

    /// Newcombe (1998), Statistics in Medicine 17:873–890, Table II, example (a): 56/70 − 48/80,
    /// method 10 gives 0.0524 to 0.3339. The same formula in a short Python script (only the
    /// Wilson interval and Newcombe's equation; z = 1.959963984540054) gives
    /// 0.05243147240236498 to 0.333872654036906.
    #[test]
    fn newcombe_matches_the_published_example() {
        let i = newcombe(48, 80, 56, 70).unwrap();
        close(i.difference, 0.2, 1e-12);
        close(i.low, 0.052_431_472_402_364_98, 1e-12);
        close(i.high, 0.333_872_654_036_906, 1e-12);
        close(i.low, 0.0524, 5e-5);
        close(i.high, 0.3339, 5e-5);
        assert!(i.excludes_zero());
        // the other way round: the mirror image
        let j = newcombe(56, 70, 48, 80).unwrap();
        close(j.low, -i.high, 1e-12);
        close(j.high, -i.low, 1e-12);
    }

    #[test]
    fn newcombe_by_hand() {
        // 3/10 → 9/10: Wilson 3/10 = (0.10779, 0.60322), 9/10 = (0.59585, 0.98212);
        // 0.6 − √(0.30415² + 0.30322²) = 0.17052, 0.6 + √(0.08212² + 0.19221²) = 0.80902
        let i = newcombe(3, 10, 9, 10).unwrap();
        close(i.low, 0.170_522_723_934_503, 1e-9);
        close(i.high, 0.809_017_973_535_488, 1e-9);
        // equal proportions: symmetric about 0, not flagged
        let e = newcombe(5, 10, 5, 10).unwrap();
        close(e.low, -0.372_513_623_819_914_3, 1e-9);
        close(e.high, 0.372_513_623_819_914_3, 1e-9);
        assert!(!e.excludes_zero());
        assert_eq!(newcombe(0, 0, 1, 2), None);
        // the extremes stay finite
        let x = newcombe(0, 5, 5, 5).unwrap();
        assert!(x.low > 0.0 && x.high <= 1.0, "{x:?}");
    }

    #[test]
    fn welch_by_hand() {
        // A = 1..4: mean 2.5, s² 5/3; B = 2, 4, …, 10: mean 6, s² 10.
        // se² = 5/12 + 2 = 2.416667; df = se⁴ / ((5/12)²/3 + 2²/4) = 5.520788;
        // t(0.975, 5.520788) = 2.4993310929 (the density integrated numerically);
        // 3.5 ∓ 2.4993311 × 1.5545632 = −0.3853681 to 7.3853681
        let (i, df) = welch(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0, 10.0]).unwrap();
        close(df.unwrap(), 5.520_787_746_170_677, 1e-9);
        close(i.difference, 3.5, 1e-12);
        close(i.low, -0.385_368_080_514_081_3, 1e-7);
        close(i.high, 7.385_368_080_514_081, 1e-7);
        assert!(!i.excludes_zero());
        assert_eq!(welch(&[1.0], &[1.0, 2.0]), None);
        let (c, df) = welch(&[2.0, 2.0], &[3.0, 3.0, 3.0]).unwrap();
        assert_eq!((c.low, c.high, df), (1.0, 1.0, None));
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_difference() {
        let a: Vec<f64> = (0..50).map(|i| (i % 7) as f64).collect();
        let b: Vec<f64> = a.iter().map(|x| x * 2.0 + 1.0).collect();
        let mean = |it: &mut dyn Iterator<Item = &f64>| crate::pipelines::stats::mean(it.copied());
        let (i, kept) = bootstrap(&a, &b, mean, 7).unwrap();
        assert_eq!(kept, RESAMPLES);
        assert!(i.low < i.difference && i.difference < i.high && i.excludes_zero(), "{i:?}");
        assert_eq!(bootstrap(&a, &b, mean, 7).unwrap().0, i, "the same seed, the same interval");
        let (same, _) = bootstrap(&a, &a, mean, 7).unwrap();
        assert_eq!(same.difference, 0.0);
        assert!(!same.excludes_zero(), "{same:?}");
        assert_eq!(bootstrap(&a, &[], mean, 7), None);
    }
}
