//! Timestamps in the formats the writers use (ISO 8601 with milliseconds, seven fraction digits
//! or an offset, whole seconds, epoch milliseconds as a number or a string), and time units.

use super::json_writer::push_digits;
use super::random::Rng;
use crate::model::time::civil_from_days;

pub(super) use crate::model::time::{
    MS_PER_DAY as DAY_MS, MS_PER_HOUR as HOUR_MS, MS_PER_MINUTE as MIN_MS, MS_PER_SECOND as SEC,
};

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum TsStyle {
    /// `2026-02-09T14:23:45.123Z`
    Millis,
    /// `2026-02-09T14:23:45.1234567Z` (PowerShell round-trip)
    Seven,
    /// `2026-02-09T16:23:45.123+02:00`
    Offset,
    /// `2026-02-09T14:23:45Z`
    Seconds,
    /// `1770647025123`
    EpochNum,
    /// `"1770647025123"`
    EpochStr,
}

/// Writes a timestamp JSON value; returns the UTC epoch ms it denotes.
pub(super) fn write_ts(b: &mut Vec<u8>, ms: i64, style: TsStyle, rng: &mut Rng) -> i64 {
    match style {
        TsStyle::EpochNum => {
            push_digits(b, ms, 1);
            ms
        }
        TsStyle::EpochStr => {
            b.push(b'"');
            push_digits(b, ms, 1);
            b.push(b'"');
            ms
        }
        _ => {
            let off_min = if style == TsStyle::Offset { 120 } else { 0 };
            let local = ms + off_min * MIN_MS;
            let days = local.div_euclid(DAY_MS);
            let rem = local.rem_euclid(DAY_MS);
            let (y, mo, d) = civil_from_days(days);
            b.push(b'"');
            push_digits(b, y, 4);
            b.push(b'-');
            push_digits(b, mo as i64, 2);
            b.push(b'-');
            push_digits(b, d as i64, 2);
            b.push(b'T');
            push_digits(b, rem / HOUR_MS, 2);
            b.push(b':');
            push_digits(b, rem / MIN_MS % 60, 2);
            b.push(b':');
            push_digits(b, rem / SEC % 60, 2);
            let milli = rem % SEC;
            let rep = match style {
                TsStyle::Seconds => ms - milli,
                TsStyle::Seven => {
                    b.push(b'.');
                    push_digits(b, milli, 3);
                    push_digits(b, rng.range(0, 10_000), 4);
                    ms
                }
                _ => {
                    b.push(b'.');
                    push_digits(b, milli, 3);
                    ms
                }
            };
            if off_min == 0 {
                b.push(b'Z');
            } else {
                b.extend_from_slice(b"+02:00");
            }
            b.push(b'"');
            rep
        }
    }
}
