//! Lines the viewer must skip, injected now and then into the stream (under 1 % of lines):
//! broken JSON, a line cut by a crash, JSON that is no record, invalid UTF-8, nesting too deep,
//! and blank lines (which the viewer ignores without counting them as malformed).

use super::random::Rng;
use super::simulation::Generator;
use super::timestamps::{write_ts, TsStyle};

/// When the next bad line comes, and which kind it is.
pub(super) struct BadLines {
    enabled: bool,
    /// The stream line count at which the next one is written.
    next_at_line: u64,
    /// Bad lines written so far: their kinds take turns.
    written: u32,
}

impl BadLines {
    pub(super) fn new(enabled: bool) -> BadLines {
        BadLines { enabled, next_at_line: 37, written: 0 }
    }
}

enum BadLine {
    Blank(&'static [u8]),
    Malformed(Vec<u8>),
}

impl Generator<'_> {
    /// Injects, now and then, a line the viewer must skip (or a blank line).
    pub(super) fn maybe_bad_line(&mut self) {
        let lines = &mut self.bad_lines;
        if !lines.enabled || self.files.stream_lines < lines.next_at_line {
            return;
        }
        lines.next_at_line = self.files.stream_lines + self.rng.range(300, 1100) as u64;
        let kind = lines.written % 10;
        lines.written += 1;
        let ts_ms = self.tally.last_ms.unwrap_or(self.start_ms);
        let mut ts = Vec::new();
        write_ts(&mut ts, ts_ms, TsStyle::Millis, &mut self.rng);
        let ts = String::from_utf8(ts).unwrap_or_default();
        match bad_line(kind, &ts, &mut self.rng) {
            BadLine::Blank(blank) => {
                self.files.push_stream_line(blank);
                self.tally.lines += 1;
                self.tally.blank_lines += 1;
                self.tally.stream_bytes += blank.len() as u64 + 1;
            }
            BadLine::Malformed(b) => {
                self.files.push_stream_line(&b);
                self.tally.lines += 1;
                self.tally.malformed_lines += 1;
                self.tally.stream_bytes += b.len() as u64 + 1;
            }
        }
    }
}

/// A bad line of `kind` (0 to 9); `ts` is a timestamp JSON value for the lines that have one.
fn bad_line(kind: u32, ts: &str, rng: &mut Rng) -> BadLine {
    let mut b: Vec<u8> = Vec::new();
    match kind {
        0 => b.extend_from_slice(
            format!("{{\"timestamp\":{},\"attempt_id\":\"ve-x\",event_type:\"agent_output\"}}", ts).as_bytes(),
        ),
        1 => {
            // A line cut in half by a crash.
            let full = format!(
                "{{\"timestamp\":{},\"attempt_id\":\"ve-0000-crash\",\"executor\":\"CODEX\",\"event_type\":\"agent_output\",\"data\":{{\"output\":\"Compiling api v0.3.1 (/work/api)\\n   Finished test profile\"}}}}",
                ts
            );
            let cut = rng.range(20, full.len() as i64 - 10) as usize;
            b.extend_from_slice(&full.as_bytes()[..cut]);
        }
        2 => b.extend_from_slice(
            format!("[{{\"event_type\":\"agent_output\",\"timestamp\":{}}},{{\"note\":\"batched\"}}]", ts).as_bytes(),
        ),
        3 => b.extend_from_slice(
            format!("{{\"timestamp\":{},\"level\":\"info\",\"msg\":\"bosun watcher heartbeat\",\"pid\":4242}}", ts)
                .as_bytes(),
        ),
        4 => {
            // Blank lines: ignored silently, not "malformed".
            return BadLine::Blank(rng.pick(&[&b""[..], &b"   "[..], &b"\t"[..], &b"\r"[..]]));
        }
        5 => b.extend_from_slice(
            b"thread 'main' panicked at src/agent.rs:88:14: called `Result::unwrap()` on an `Err` value",
        ),
        6 => b.extend_from_slice(
            format!("{{\"timestamp\":{},\"attempt_id\":\"ve-legacy\",\"metrics\":\"unavailable\"}}", ts).as_bytes(),
        ),
        7 => b.extend_from_slice(rng.pick(&[&b"null"[..], &b"\"ok\""[..], &b"12345"[..]])),
        8 => {
            b.extend_from_slice(
                format!("{{\"timestamp\":{},\"event_type\":\"agent_output\",\"data\":{{\"output\":\"garbled ", ts)
                    .as_bytes(),
            );
            b.extend_from_slice(&[0xff, 0xfe, 0xc3]);
            b.extend_from_slice(b" bytes\"}}");
        }
        _ => {
            b.extend_from_slice(format!("{{\"timestamp\":{},\"event_type\":\"agent_output\",\"data\":", ts).as_bytes());
            for _ in 0..300 {
                b.extend_from_slice(b"{\"a\":");
            }
            b.push(b'1');
            b.extend_from_slice(&[b'}'; 301]);
        }
    }
    BadLine::Malformed(b)
}
