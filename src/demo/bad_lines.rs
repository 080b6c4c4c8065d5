//! Bad lines.

use std::io;

use super::simulation::Generator;
use super::timestamps::*;

impl Generator<'_> {
    /// Injects, now and then, a line the viewer must skip (or a blank line).
    pub(super) fn maybe_bad_line(&mut self) -> io::Result<()> {
        if !self.malformed || self.stream_lines < self.next_bad_line {
            return Ok(());
        }
        self.next_bad_line = self.stream_lines + self.rng.range(300, 1100) as u64;
        let kind = self.bad_kind % 10;
        self.bad_kind += 1;
        let mut b: Vec<u8> = Vec::new();
        let ts_ms = self.tally.last_ms.unwrap_or(self.start_ms);
        let mut ts = Vec::new();
        write_ts(&mut ts, ts_ms, TsStyle::Millis, &mut self.rng);
        let ts = String::from_utf8(ts).unwrap_or_default();
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
                let cut = self.rng.range(20, full.len() as i64 - 10) as usize;
                b.extend_from_slice(&full.as_bytes()[..cut]);
            }
            2 => b.extend_from_slice(
                format!("[{{\"event_type\":\"agent_output\",\"timestamp\":{}}},{{\"note\":\"batched\"}}]", ts)
                    .as_bytes(),
            ),
            3 => b.extend_from_slice(
                format!("{{\"timestamp\":{},\"level\":\"info\",\"msg\":\"bosun watcher heartbeat\",\"pid\":4242}}", ts)
                    .as_bytes(),
            ),
            4 => {
                // Blank lines: ignored silently, not "malformed".
                let blank: &[u8] = self.rng.pick(&[&b""[..], &b"   "[..], &b"\t"[..], &b"\r"[..]]);
                self.stream.extend_from_slice(blank);
                self.stream.push(b'\n');
                self.tally.lines += 1;
                self.tally.blank_lines += 1;
                self.tally.stream_bytes += blank.len() as u64 + 1;
                self.stream_lines += 1;
                return Ok(());
            }
            5 => b.extend_from_slice(
                b"thread 'main' panicked at src/agent.rs:88:14: called `Result::unwrap()` on an `Err` value",
            ),
            6 => b.extend_from_slice(
                format!("{{\"timestamp\":{},\"attempt_id\":\"ve-legacy\",\"metrics\":\"unavailable\"}}", ts).as_bytes(),
            ),
            7 => b.extend_from_slice(self.rng.pick(&[&b"null"[..], &b"\"ok\""[..], &b"12345"[..]])),
            8 => {
                b.extend_from_slice(
                    format!("{{\"timestamp\":{},\"event_type\":\"agent_output\",\"data\":{{\"output\":\"garbled ", ts)
                        .as_bytes(),
                );
                b.extend_from_slice(&[0xff, 0xfe, 0xc3]);
                b.extend_from_slice(b" bytes\"}}");
            }
            _ => {
                b.extend_from_slice(
                    format!("{{\"timestamp\":{},\"event_type\":\"agent_output\",\"data\":", ts).as_bytes(),
                );
                for _ in 0..300 {
                    b.extend_from_slice(b"{\"a\":");
                }
                b.push(b'1');
                b.extend_from_slice(&[b'}'; 301]);
            }
        }
        self.stream.extend_from_slice(&b);
        self.stream.push(b'\n');
        self.tally.lines += 1;
        self.tally.malformed_lines += 1;
        self.tally.stream_bytes += b.len() as u64 + 1;
        self.stream_lines += 1;
        Ok(())
    }
}
