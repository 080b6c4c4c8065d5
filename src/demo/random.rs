//! The seeded random source, and the little math it needs done the same way everywhere.
//!
//! Everything here uses only integer operations and `+ - * /` on `f64` (no `ln`, `exp` or `powf`
//! from the platform's maths library), so a seed gives the same bytes natively and in Wasm.

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A bijection of u32: turns counters into unique, random-looking ids.
pub(super) fn mix32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^ (x >> 16)
}

/// xoshiro256**, seeded through splitmix64.
pub(super) struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        let mut x = seed;
        Rng { s: [splitmix(&mut x), splitmix(&mut x), splitmix(&mut x), splitmix(&mut x)] }
    }

    pub(super) fn u64(&mut self) -> u64 {
        let s = &mut self.s;
        let r = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        r
    }

    /// Uniform in [0, 1).
    pub(super) fn fraction(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform integer in [0, n).
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((self.u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform integer in [lo, hi).
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + ((self.u64() as u128 * (hi - lo) as u128) >> 64) as i64
    }

    /// True with probability `p`.
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.fraction() < p
    }

    pub(super) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// An index drawn in proportion to the weights.
    pub(super) fn weighted(&mut self, ws: &[u32]) -> usize {
        let total: u32 = ws.iter().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, w) in ws.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        ws.len() - 1
    }

    /// Approximately standard normal (Irwin–Hall, 12 uniforms).
    pub(super) fn normal(&mut self) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.fraction();
        }
        s - 6.0
    }

    pub(super) fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp_det(sigma * self.normal())
    }

    /// An exponential variate with mean 1 (inverse CDF via a deterministic log).
    pub(super) fn exponential(&mut self) -> f64 {
        let u = 1.0 - self.fraction(); // (0, 1]
        -ln_det(u)
    }

    /// A seeded version-4 UUID.
    pub(super) fn uuid(&mut self) -> String {
        let a = self.u64();
        let b = self.u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            8 + (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// exp(x) with only +, *, / (bit-identical everywhere).
pub(super) fn exp_det(x: f64) -> f64 {
    let x = x.clamp(-40.0, 40.0);
    let n = (x * std::f64::consts::LOG2_E).floor();
    let r = x - n * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..16 {
        term *= r / k as f64;
        sum += term;
    }
    let scale = f64::from_bits(((n as i64 + 1023) as u64) << 52);
    sum * scale
}

/// ln(x) for x in (0, 1] with only basic arithmetic (bit-identical everywhere).
pub(super) fn ln_det(x: f64) -> f64 {
    if x <= 0.0 {
        return -745.0;
    }
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    // x = m * 2^e with m in [1, 2), and ln(m) = 2 atanh((m-1)/(m+1))
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let mut term = z;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..20 {
        sum += term / k;
        term *= z2;
        k += 2.0;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// Rounds to `digits` decimals (values stay exactly what gets printed and parsed back).
pub(super) fn round_to(x: f64, digits: i32) -> f64 {
    let p = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6][digits as usize];
    let v = (x * p + 0.5).floor() / p;
    // Normalise through the decimal text so the tally uses the very value a reader parses.
    v.to_string().parse().unwrap_or(v)
}

/// FNV-1a of a string (a salt for the real writer's fixed choices).
pub(super) fn str_hash(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}
