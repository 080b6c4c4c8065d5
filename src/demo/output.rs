//! Output.

use std::io;

use super::session::*;
use super::simulation::Generator;

pub(super) const FLUSH_MAIN: usize = 256 * 1024;

pub(super) const FLUSH_TRANSCRIPT: usize = 64 * 1024;

pub(super) const STREAM: &str = "agent-work-stream.jsonl";

pub(super) const ERRORS: &str = "agent-errors.jsonl";

pub(super) const METRICS: &str = "agent-metrics.jsonl";

pub(super) const ALERTS: &str = "agent-alerts.jsonl";

impl Generator<'_> {
    /// Sends the line in `self.json.bytes` to the stream (and its copies) and counts it.
    pub(super) fn write_event(&mut self, s: Option<&mut Session>, is_error: bool, rep: i64) -> io::Result<()> {
        self.maybe_bad_line()?;
        self.tally.events += 1;
        self.see_timestamp(rep);
        if is_error {
            self.tally.error_events += 1;
        }
        let line_len = self.json.bytes.len() as u64 + 1;
        self.stream.extend_from_slice(&self.json.bytes);
        self.stream.push(b'\n');
        self.tally.lines += 1;
        self.tally.stream_bytes += line_len;
        self.stream_lines += 1;
        if self.rng.chance(0.0008) {
            // A writer retry: the same line appended twice.
            self.stream.extend_from_slice(&self.json.bytes);
            self.stream.push(b'\n');
            self.tally.lines += 1;
            self.tally.stream_bytes += line_len;
            self.tally.duplicate_lines += 1;
            self.stream_lines += 1;
        }
        if is_error {
            self.errors.extend_from_slice(&self.json.bytes);
            self.errors.push(b'\n');
            self.tally.lines += 1;
            self.tally.duplicate_lines += 1;
            self.tally.bytes += line_len;
            if self.errors.len() >= FLUSH_MAIN {
                self.sink.write(ERRORS, &self.errors)?;
                self.errors.clear();
            }
        }
        match s {
            None => self.tally.events_without_attempt += 1,
            Some(s) => {
                self.mark_written(s);
                if let Some(tr) = s.transcript.as_mut() {
                    if !s.transcript_started {
                        s.transcript_started = true;
                        self.tally.transcripts += 1;
                        if s.transcript_crlf {
                            tr.extend_from_slice("\u{feff}".as_bytes());
                            self.tally.bytes += 3;
                        }
                    }
                    tr.extend_from_slice(&self.json.bytes);
                    if s.transcript_crlf {
                        tr.push(b'\r');
                        self.tally.bytes += 1;
                    }
                    tr.push(b'\n');
                    self.tally.lines += 1;
                    self.tally.duplicate_lines += 1;
                    self.tally.bytes += line_len;
                    if tr.len() >= FLUSH_TRANSCRIPT {
                        let path = format!("agent-sessions/{}.jsonl", s.attempt_id);
                        self.sink.write(&path, tr)?;
                        tr.clear();
                    }
                }
            }
        }
        if self.stream.len() >= FLUSH_MAIN {
            self.sink.write(STREAM, &self.stream)?;
            self.stream.clear();
        }
        Ok(())
    }

    pub(super) fn write_metrics_line(&mut self, line: &[u8], rep: i64) -> io::Result<()> {
        self.metrics.extend_from_slice(line);
        self.metrics.push(b'\n');
        self.tally.bytes += line.len() as u64 + 1;
        self.tally.lines += 1;
        self.tally.metrics_rows += 1;
        self.see_timestamp(rep);
        if self.metrics.len() >= FLUSH_MAIN {
            self.sink.write(METRICS, &self.metrics)?;
            self.metrics.clear();
        }
        Ok(())
    }
}
