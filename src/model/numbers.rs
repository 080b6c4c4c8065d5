//! How a number reads in any message: thousands separators and a true minus sign (the ground
//! primitives of `report::format`, here so that ingest's diagnostics can use them too).

/// The minus sign of every formatted negative number.
pub const MINUS: char = '\u{2212}';

/// `1,234,567.89`: thousands separators, `decimals` decimals, `−` when negative (and not 0 once rounded).
pub fn grouped(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::with_capacity(s.len() + int.len() / 3 + 3);
    if x < 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push(MINUS);
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// "1 task", "1,024 tasks": `n` grouped, then the noun in the number it takes.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n as f64, 0), if n == 1 { one } else { many })
}
