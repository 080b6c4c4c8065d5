//! Timestamps: parsing bosun's variants to UTC epoch milliseconds, formatting, day buckets.
//!
//! No date crate: the civil-calendar arithmetic is Howard Hinnant's `days_from_civil`, which is
//! exact for the proleptic Gregorian calendar and small enough to read.

pub const MS_PER_SECOND: i64 = 1000;
pub const MS_PER_MINUTE: i64 = 60 * MS_PER_SECOND;
pub const MS_PER_HOUR: i64 = 60 * MS_PER_MINUTE;
pub const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Epoch milliseconds given as a string of digits (bosun's JavaScript writers use `Date.now()`).
/// Plausible range only (1990..2200), so that a stray small number is not read as 1970.
pub fn epoch_ms_in_range(ms: i64) -> Option<i64> {
    const LO: i64 = 631_152_000_000; // 1990-01-01
    const HI: i64 = 7_258_118_400_000; // 2200-01-01
    (LO..HI).contains(&ms).then_some(ms)
}

/// Parses ISO 8601 (`2026-02-09T14:23:45.1234567Z`, `…+02:00`, `…+0200`, no fraction, no zone = UTC)
/// or a string of digits (epoch ms). Fractions are truncated to milliseconds, never rounded.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if !b.is_empty() && b.iter().all(|c| c.is_ascii_digit()) {
        return s.parse::<i64>().ok().and_then(epoch_ms_in_range);
    }
    let year = digits(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year as i64, month) {
        return None;
    }
    let mut ms_of_day: i64 = 0;
    let mut i = 10;
    if i < b.len() {
        if b[i] != b'T' && b[i] != b't' && b[i] != b' ' {
            return None;
        }
        let h = digits(b, 11, 2)?;
        if b.get(13) != Some(&b':') {
            return None;
        }
        let mi = digits(b, 14, 2)?;
        i = 16;
        let mut sec = 0;
        if b.get(16) == Some(&b':') {
            sec = digits(b, 17, 2)?;
            i = 19;
        }
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let mut frac_ms = 0i64;
        if matches!(b.get(i), Some(b'.') | Some(b',')) {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 3 {
                    frac_ms = frac_ms * 10 + (b[i] - b'0') as i64;
                }
                i += 1;
            }
            let n = i - start;
            if n == 0 {
                return None;
            }
            for _ in n..3 {
                frac_ms *= 10;
            }
        }
        ms_of_day = (h as i64 * 3600 + mi as i64 * 60 + sec.min(59) as i64) * 1000 + frac_ms;
    }
    let offset_min: i64 = match b.get(i) {
        None => 0,
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)? as i64;
            let rest = &b[i + 3..];
            let om = match rest {
                [] => 0,
                [b':', ..] if rest.len() == 3 => digits(rest, 1, 2)? as i64,
                _ if rest.len() == 2 => digits(rest, 0, 2)? as i64,
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let m = oh * 60 + om;
            if sign == b'-' {
                -m
            } else {
                m
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year as i64, month, day);
    Some(days * MS_PER_DAY + ms_of_day - offset_min * 60_000)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// `2026-02-09T14:23:45.123Z`
pub fn format_iso_ms(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z", year(y))
}

/// A year as ISO 8601 writes it: four digits at least, a minus sign before a year before 1 BC
/// (`-0001`; an offset can take year 0000 there).
fn year(y: i64) -> String {
    if y < 0 {
        format!("-{:04}", y.unsigned_abs())
    } else {
        format!("{y:04}")
    }
}

/// Day number (since 1970-01-01) of an instant in a fixed UTC offset.
pub fn day_of(ms: i64, utc_offset_minutes: i32) -> i64 {
    ms.saturating_add(utc_offset_minutes as i64 * 60_000).div_euclid(MS_PER_DAY)
}

/// `2026-02-09` for a day number.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{}-{m:02}-{d:02}", year(y))
}

/// `+02:00`, `-05:30`, `UTC` for zero.
pub fn format_offset(minutes: i32) -> String {
    if minutes == 0 {
        return "UTC".to_string();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let a = minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// Parses `+02:00`, `-0530`, `UTC`, `Z` or a number of minutes into minutes east of UTC.
pub fn parse_offset(s: &str) -> Option<i32> {
    let t = s.trim();
    let t = t.strip_prefix("UTC").unwrap_or(t);
    if t.is_empty() || t == "Z" {
        return Some(0);
    }
    let signed = t.starts_with(['+', '-']);
    let n_digits = t.trim_start_matches(['+', '-']).len();
    if let Ok(m) = t.parse::<i32>() {
        if signed && n_digits <= 2 {
            return (m.abs() <= 14).then_some(m * 60);
        }
        if !signed || n_digits != 4 {
            return (m.abs() <= 14 * 60).then_some(m);
        }
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let rest = rest.replace(':', "");
    if rest.len() != 4 || !rest.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: i32 = rest[..2].parse().ok()?;
    let m: i32 = rest[2..].parse().ok()?;
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    /// Any instant formats without overflow (it panicked in debug on `i64` extremes), and a year
    /// before 1 BC reads `-0001`, not `-001`.
    #[test]
    fn extreme_instants_format() {
        use super::*;
        for ms in [i64::MIN, i64::MIN + 1, -62_167_219_200_001, i64::MAX] {
            let _ = format_iso_ms(ms);
            for off in [i32::MIN, -1080, 0, 1080, i32::MAX] {
                let _ = format_day(day_of(ms, off));
            }
        }
        assert_eq!(format_iso_ms(-62_167_219_200_000 - 86_400_000), "-0001-12-31T00:00:00.000Z");
        assert_eq!(format_iso_ms(-62_167_219_200_000), "0000-01-01T00:00:00.000Z");
        assert_eq!(format_day(day_of(1_770_647_025_123, 0)), "2026-02-09");
    }

    use super::*;

    #[test]
    fn parses_bosun_variants_to_the_same_instant() {
        // 2026-02-09 is day 20493 since the epoch: 20493 * 86400000 = 1_770_595_200_000.
        let base = 1_770_595_200_000 + (14 * 3600 + 23 * 60 + 45) * 1000;
        assert_eq!(parse_timestamp("2026-02-09T14:23:45.123Z"), Some(base + 123));
        assert_eq!(parse_timestamp("2026-02-09T14:23:45.1239999Z"), Some(base + 123), "truncated, not rounded");
        assert_eq!(parse_timestamp("2026-02-09T14:23:45Z"), Some(base));
        assert_eq!(parse_timestamp("2026-02-09T16:23:45.123+02:00"), Some(base + 123));
        assert_eq!(parse_timestamp("2026-02-09T09:23:45.1-0500"), Some(base + 100));
        assert_eq!(parse_timestamp("2026-02-09 14:23:45.123"), Some(base + 123));
        assert_eq!(parse_timestamp(&(base + 123).to_string()), Some(base + 123));
        assert_eq!(parse_timestamp("2026-02-09"), Some(1_770_595_200_000));
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-02-09T25:00:00Z",
            "2026-02-09T14:23:45.Z",
            "2026-02-09T14:23:45Zjunk",
            "12",
        ] {
            assert_eq!(parse_timestamp(s), None, "{s}");
        }
    }

    #[test]
    fn formats_and_buckets() {
        assert_eq!(format_iso_ms(1_770_647_025_123), "2026-02-09T14:23:45.123Z");
        assert_eq!(format_iso_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_day(day_of(1_770_647_025_123, 0)), "2026-02-09");
        // 23:30 UTC is the next day at UTC+01:00
        let late = parse_timestamp("2026-02-09T23:30:00Z").unwrap();
        assert_eq!(format_day(day_of(late, 60)), "2026-02-10");
        assert_eq!(format_day(day_of(late, -600)), "2026-02-09");
        for d in [-800_000, -1, 0, 1, 20493, 60_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+02:00"), Some(120));
        assert_eq!(parse_offset("UTC-05:30"), Some(-330));
        assert_eq!(parse_offset("UTC"), Some(0));
        assert_eq!(parse_offset("-0800"), Some(-480));
        assert_eq!(parse_offset("+3"), Some(180));
        assert_eq!(parse_offset("bogus"), None);
        assert_eq!(format_offset(-330), "UTC-05:30");
    }
}
