//! Money summed exactly (analytics-spec.md, revision 2): every cost is held in integer
//! nano-dollars and summed as integers, so the same sessions give the same total in any order
//! or split of the files (floating-point sums depend on their order: 2.92 and
//! 2.9200000000000004). It becomes USD (`f64`) only when a figure is written.

/// USD in nano-dollars (1e-9 USD): one token at the cheapest published price is still
/// thousands of them, and `i64` holds 9.2 billion USD.
pub type Nanos = i64;

const NANOS_PER_USD: f64 = 1e9;

/// A cost in USD as nano-dollars, rounded to the nearest; `None` for a NaN. A cost beyond
/// what `i64` holds saturates (an input's `1e308` is a saturated amount, never infinity).
pub fn nanos(usd: f64) -> Option<Nanos> {
    if usd.is_nan() {
        return None;
    }
    // `as` saturates at the bounds and maps ±inf to them
    Some((usd * NANOS_PER_USD).round() as i64)
}

/// Nano-dollars as USD, the correctly rounded quotient (the same sum gives the same bits).
pub fn usd(n: i128) -> f64 {
    n as f64 / NANOS_PER_USD
}

/// A sum of known costs and how many there were: `None` until one is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MoneySum {
    pub total: i128,
    pub n: u64,
}

impl MoneySum {
    pub fn add(&mut self, c: Option<Nanos>) {
        if let Some(c) = c {
            self.total = self.total.saturating_add(c as i128);
            self.n += 1;
        }
    }
    pub fn merge(&mut self, o: &MoneySum) {
        self.total = self.total.saturating_add(o.total);
        self.n += o.n;
    }
    /// The sum in USD, `None` over nothing known.
    pub fn usd(&self) -> Option<f64> {
        (self.n > 0).then(|| usd(self.total))
    }
    /// The mean in USD over the known ones.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| usd(self.total) / self.n as f64)
    }
    /// The sum divided by `d` (cost per success), `None` when nothing is known or `d` is 0.
    pub fn per(&self, d: u64) -> Option<f64> {
        (self.n > 0 && d > 0).then(|| usd(self.total) / d as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_do_not_depend_on_order() {
        let costs = [0.1, 0.2, 2.62, 0.000_000_4, 1.5];
        let mut a = MoneySum::default();
        let mut b = MoneySum::default();
        for c in costs {
            a.add(nanos(c));
        }
        for c in costs.iter().rev() {
            b.add(nanos(*c));
        }
        assert_eq!(a, b);
        assert_eq!(a.usd(), Some(4.4200004));
        // the floating-point sums of the same values differ by order
        assert_ne!(costs.iter().sum::<f64>().to_bits(), costs.iter().rev().sum::<f64>().to_bits());
        assert_eq!(MoneySum::default().usd(), None);
        assert_eq!(nanos(f64::NAN), None);
        assert_eq!(nanos(1e308), Some(i64::MAX));
        assert_eq!(usd(412_000_000), 0.412);
    }
}
