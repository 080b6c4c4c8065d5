//! Why a line was skipped: one kind per reason. `Display` words it — the text the JSON report,
//! the text and HTML reports, the CLI and the page show, which must not change.
//!
//! The JSON reasons are serde_json's verdicts (`parse.rs`: the fast path only ever reads a line or
//! gives up, so both readings skip a line for the same reason); the others come from reading the
//! line (`record.rs`: not UTF-8, no known shape) and splitting lines (`feed.rs`: too long).

use super::lines::DEFAULT_MAX_LINE_BYTES;
use super::parse::MAX_DEPTH;
use std::fmt;

/// Why a line was skipped. Kept in `Diagnostics` and sent between parse workers (postcard) as a
/// kind; shown (and written in the JSON report) as its `Display` text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SkipReason {
    /// Not UTF-8: `at` is the 1-based byte of the line where the first invalid sequence starts.
    InvalidUtf8 { at: usize },
    /// Longer than the line limit ([`DEFAULT_MAX_LINE_BYTES`]): `len` bytes, not read.
    TooLong { len: u64 },
    /// JSON, but not an object.
    NotAnObject(ValueKind),
    /// Not JSON: serde_json's message (without its position) and the 1-based column.
    InvalidJson { message: String, column: usize },
    /// The line ends inside a JSON value, at `column`. `cut_off`: it is the input's last line and
    /// has no line end (the file was probably cut off).
    Truncated { column: usize, cut_off: bool },
    /// Nested more than [`MAX_DEPTH`] levels deep, first at `column`.
    TooDeep { column: usize },
    /// `event_type` is there but not a non-empty string.
    EventTypeNotAString,
    /// `metrics` is there (and no `event_type`) but not an object.
    MetricsNotAnObject,
    /// An object with none of `event_type`, `metrics` or `type`.
    UnknownShape,
}

/// What a JSON value that is not an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ValueKind {
    Array,
    String,
    Number,
    Boolean,
    Null,
    /// (for completeness: a line that starts with `{` is read as an object)
    Object,
}

impl fmt::Display for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueKind::Array => "an array",
            ValueKind::String => "a string",
            ValueKind::Number => "a number",
            ValueKind::Boolean => "a boolean",
            ValueKind::Null => "null",
            ValueKind::Object => "an object",
        })
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::InvalidUtf8 { at } => write!(f, "invalid UTF-8 at byte {at}"),
            SkipReason::TooLong { len } => write!(
                f,
                "line too long: {len} bytes (the limit is {DEFAULT_MAX_LINE_BYTES} bytes); skipped without reading it"
            ),
            SkipReason::NotAnObject(kind) => write!(f, "not a JSON object ({kind})"),
            SkipReason::InvalidJson { message, column } => write!(f, "not valid JSON: {message} at column {column}"),
            SkipReason::Truncated { column, cut_off } => {
                write!(f, "truncated: the line ends inside a JSON value (column {column})")?;
                if *cut_off {
                    f.write_str("; it is the last line and has no line end: the file was probably cut off")?;
                }
                Ok(())
            }
            SkipReason::TooDeep { column } => {
                write!(f, "nested too deeply (more than {MAX_DEPTH} levels) at column {column}")
            }
            SkipReason::EventTypeNotAString => f.write_str("`event_type` is not a non-empty string"),
            SkipReason::MetricsNotAnObject => f.write_str("`metrics` is not an object"),
            SkipReason::UnknownShape => {
                f.write_str("a JSON object of no known shape (no `event_type`, `metrics` or `type`)")
            }
        }
    }
}

/// Writes a reason as its text (the JSON report's `skipped_lines[].reason`).
pub(super) fn serialize_as_text<S: serde::Serializer>(reason: &SkipReason, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact text of every kind: reports, the CLI and the page show these.
    #[test]
    fn every_reason_reads_as_before() {
        let cases = [
            (SkipReason::InvalidUtf8 { at: 7 }, "invalid UTF-8 at byte 7"),
            (
                SkipReason::TooLong { len: 67_108_865 },
                "line too long: 67108865 bytes (the limit is 67108864 bytes); skipped without reading it",
            ),
            (SkipReason::NotAnObject(ValueKind::Array), "not a JSON object (an array)"),
            (SkipReason::NotAnObject(ValueKind::String), "not a JSON object (a string)"),
            (SkipReason::NotAnObject(ValueKind::Number), "not a JSON object (a number)"),
            (SkipReason::NotAnObject(ValueKind::Boolean), "not a JSON object (a boolean)"),
            (SkipReason::NotAnObject(ValueKind::Null), "not a JSON object (null)"),
            (SkipReason::NotAnObject(ValueKind::Object), "not a JSON object (an object)"),
            (
                SkipReason::InvalidJson { message: "expected `,` or `}`".into(), column: 8 },
                "not valid JSON: expected `,` or `}` at column 8",
            ),
            (
                SkipReason::Truncated { column: 30, cut_off: false },
                "truncated: the line ends inside a JSON value (column 30)",
            ),
            (
                SkipReason::Truncated { column: 30, cut_off: true },
                "truncated: the line ends inside a JSON value (column 30); it is the last line and has no line end: the file was probably cut off",
            ),
            (SkipReason::TooDeep { column: 129 }, "nested too deeply (more than 128 levels) at column 129"),
            (SkipReason::EventTypeNotAString, "`event_type` is not a non-empty string"),
            (SkipReason::MetricsNotAnObject, "`metrics` is not an object"),
            (SkipReason::UnknownShape, "a JSON object of no known shape (no `event_type`, `metrics` or `type`)"),
        ];
        for (reason, text) in cases {
            assert_eq!(reason.to_string(), text);
        }
    }

    /// In the JSON report a reason is its text.
    #[test]
    fn a_reason_serialises_as_its_text() {
        #[derive(serde::Serialize)]
        struct Row {
            #[serde(serialize_with = "serialize_as_text")]
            reason: SkipReason,
        }
        let row = Row { reason: SkipReason::InvalidJson { message: "key must be a string".into(), column: 2 } };
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"{"reason":"not valid JSON: key must be a string at column 2"}"#
        );
    }
}
