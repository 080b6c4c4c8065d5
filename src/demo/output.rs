//! The files of the folder: a buffer per shared file, sent to the sink when it fills, and the
//! writing of each kind of line into them (counted in the tally as it is written).
//!
//! The order of the sink's writes is part of the output: the page lists the files in the order
//! they first arrive.

use std::io;

use super::session::Session;
use super::simulation::Generator;
use super::sink::DemoSink;

/// A shared file is sent on once its buffer holds this much.
pub(super) const FLUSH_MAIN: usize = 256 * 1024;
/// A transcript is sent on once its buffer holds this much (and when its session ends).
pub(super) const FLUSH_TRANSCRIPT: usize = 64 * 1024;

pub(super) const STREAM: &str = "agent-work-stream.jsonl";
pub(super) const ERRORS: &str = "agent-errors.jsonl";
pub(super) const METRICS: &str = "agent-metrics.jsonl";
pub(super) const ALERTS: &str = "agent-alerts.jsonl";

/// The sink and the buffers of the four shared files.
pub(super) struct Files<'a> {
    sink: &'a mut dyn DemoSink,
    stream: Vec<u8>,
    errors: Vec<u8>,
    metrics: Vec<u8>,
    alerts: Vec<u8>,
    alerts_started: bool,
    /// Lines in the stream so far (bad lines are placed by it).
    pub(super) stream_lines: u64,
}

impl<'a> Files<'a> {
    pub(super) fn new(sink: &'a mut dyn DemoSink) -> Files<'a> {
        Files {
            sink,
            stream: Vec::with_capacity(FLUSH_MAIN + 64 * 1024),
            errors: Vec::new(),
            metrics: Vec::new(),
            alerts: Vec::new(),
            alerts_started: false,
            stream_lines: 0,
        }
    }

    /// Appends a line to the stream; [`Files::flush_full_stream`] sends it on.
    pub(super) fn push_stream_line(&mut self, line: &[u8]) {
        self.stream.extend_from_slice(line);
        self.stream.push(b'\n');
        self.stream_lines += 1;
    }

    pub(super) fn flush_full_stream(&mut self) -> io::Result<()> {
        flush_if_full(self.sink, STREAM, &mut self.stream)
    }

    pub(super) fn push_error_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.errors.extend_from_slice(line);
        self.errors.push(b'\n');
        flush_if_full(self.sink, ERRORS, &mut self.errors)
    }

    pub(super) fn push_metrics_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.metrics.extend_from_slice(line);
        self.metrics.push(b'\n');
        flush_if_full(self.sink, METRICS, &mut self.metrics)
    }

    /// Appends an alert; returns the bytes appended. The alerts file ends without a final
    /// newline: separators go before lines.
    pub(super) fn push_alert(&mut self, line: &[u8]) -> io::Result<u64> {
        let mut added = line.len() as u64;
        if self.alerts_started {
            self.alerts.push(b'\n');
            added += 1;
        }
        self.alerts_started = true;
        self.alerts.extend_from_slice(line);
        flush_if_full(self.sink, ALERTS, &mut self.alerts)?;
        Ok(added)
    }

    pub(super) fn write_transcript(&mut self, attempt_id: &str, bytes: &[u8]) -> io::Result<()> {
        self.sink.write(&format!("agent-sessions/{attempt_id}.jsonl"), bytes)
    }

    /// Sends on what the buffers still hold.
    pub(super) fn flush_all(&mut self) -> io::Result<()> {
        for (path, buf) in
            [(STREAM, &self.stream), (ERRORS, &self.errors), (METRICS, &self.metrics), (ALERTS, &self.alerts)]
        {
            if !buf.is_empty() {
                self.sink.write(path, buf)?;
            }
        }
        Ok(())
    }
}

fn flush_if_full(sink: &mut dyn DemoSink, path: &str, buf: &mut Vec<u8>) -> io::Result<()> {
    if buf.len() >= FLUSH_MAIN {
        sink.write(path, buf)?;
        buf.clear();
    }
    Ok(())
}

impl Generator<'_> {
    /// Sends the line in `self.json` to the stream (and to its copies: the errors file, the
    /// session's transcript) and counts it. `rep` is the time its timestamp denotes.
    pub(super) fn write_event(&mut self, s: Option<&mut Session>, is_error: bool, rep: i64) -> io::Result<()> {
        self.maybe_bad_line();
        self.tally.events += 1;
        self.tally.see_timestamp(rep);
        if is_error {
            self.tally.error_events += 1;
        }
        let line = &self.json.bytes;
        let line_len = line.len() as u64 + 1;
        self.files.push_stream_line(line);
        self.tally.lines += 1;
        self.tally.stream_bytes += line_len;
        if self.rng.chance(0.0008) {
            // A writer retry: the same line appended twice.
            self.files.push_stream_line(line);
            self.tally.lines += 1;
            self.tally.stream_bytes += line_len;
            self.tally.duplicate_lines += 1;
        }
        if is_error {
            self.files.push_error_line(line)?;
            self.tally.lines += 1;
            self.tally.duplicate_lines += 1;
            self.tally.bytes += line_len;
        }
        match s {
            None => self.tally.events_without_attempt += 1,
            Some(s) => {
                self.mark_written(s);
                if let Some(transcript) = s.transcript.as_mut() {
                    let line = &self.json.bytes;
                    let bytes = &mut transcript.bytes;
                    if !transcript.started {
                        transcript.started = true;
                        self.tally.transcripts += 1;
                        if transcript.windows {
                            bytes.extend_from_slice("\u{feff}".as_bytes());
                            self.tally.bytes += 3;
                        }
                    }
                    bytes.extend_from_slice(line);
                    if transcript.windows {
                        bytes.push(b'\r');
                        self.tally.bytes += 1;
                    }
                    bytes.push(b'\n');
                    self.tally.lines += 1;
                    self.tally.duplicate_lines += 1;
                    self.tally.bytes += line_len;
                    if bytes.len() >= FLUSH_TRANSCRIPT {
                        self.files.write_transcript(&s.attempt_id, bytes)?;
                        bytes.clear();
                    }
                }
            }
        }
        self.files.flush_full_stream()
    }

    /// Sends the line in `self.json` to the metrics file and counts it.
    pub(super) fn write_line_to_metrics(&mut self, rep: i64) -> io::Result<()> {
        self.count_metrics_line(self.json.bytes.len(), rep);
        self.files.push_metrics_line(&self.json.bytes)
    }

    /// Sends an earlier rendered row to the metrics file and counts it.
    pub(super) fn write_metrics_line(&mut self, line: &[u8], rep: i64) -> io::Result<()> {
        self.count_metrics_line(line.len(), rep);
        self.files.push_metrics_line(line)
    }

    fn count_metrics_line(&mut self, len: usize, rep: i64) {
        self.tally.bytes += len as u64 + 1;
        self.tally.lines += 1;
        self.tally.metrics_rows += 1;
        self.tally.see_timestamp(rep);
    }

    /// Sends the alert in `self.json` to the alerts file and counts it.
    pub(super) fn write_line_to_alerts(&mut self, rep: i64) -> io::Result<()> {
        self.tally.bytes += self.files.push_alert(&self.json.bytes)?;
        self.tally.lines += 1;
        self.tally.alerts += 1;
        self.tally.see_timestamp(rep);
        Ok(())
    }
}
