//! Realistic demo data for Spyglass: a seeded, streaming generator of a bosun
//! `.cache/agent-work-logs/` folder (stream, errors, metrics, alerts, transcripts).
//!
//! Pure and I/O-free: bytes go to a [`DemoSink`]; no clock, no threads, no
//! filesystem, no floating-point library calls (so the same config gives the
//! same bytes on every platform, Wasm included). Memory is bounded by the number
//! of concurrently simulated attempts (at most [`MAX_ACTIVE`]) and the per-file
//! buffers, never by `sessions`.
//!
//! How it works: a discrete-event simulation. Tasks arrive over a span of days;
//! each attempt is a small state machine that emits its next event when its
//! turn comes in a time-ordered heap, so attempts interleave in the stream as
//! they do in a real bosun install. Every record is counted in [`DemoTally`] in
//! the same code path that writes it.
//!
//! Where things are:
//! - `simulation` — the generator's state and the run: arrivals, the start of an attempt (how
//!   it will go, how its lines are written), its events in time order, its end; `scheduler` —
//!   the time-ordered agenda; `turns` — what an attempt does next (the agent's turns, the
//!   anomaly stories); `session` — tasks, sessions, events, and what a session has done so far.
//! - `guide_events` and `real_events` — event lines in the guide's shapes and in bosun's own
//!   writer's (a share of tasks, `DemoConfig::real_writer_share`); `rows` — the metrics rows;
//!   `alerts` — the analyser's alerts; `bad_lines` — lines the viewer must skip.
//! - `output` — the file buffers and what goes into which file; `sink` — where they go;
//!   `tally` — the count of what was written, resolved the viewer's way.
//! - `catalogue` — the fixed tables (executors, models, tools, projects, texts, error
//!   messages); `texts` — generated filler text; `json_writer`, `timestamps`, `random` — the
//!   line writer, timestamp formats, and the seeded random source and its math.

mod alerts;
mod bad_lines;
mod catalogue;
mod guide_events;
mod json_writer;
mod output;
mod random;
mod real_events;
mod rows;
mod scheduler;
mod session;
mod simulation;
mod sink;
mod tally;
mod texts;
mod timestamps;
mod turns;

#[cfg(test)]
mod tests;

use std::io;

/// Re-exported for callers that build a `start_ms`.
pub use crate::model::time::days_from_civil;
pub use sink::{DemoSink, DiscardSink, MemorySink};
pub use tally::{DemoTally, TokenBreakdown};

use simulation::Generator;
use timestamps::{DAY_MS, HOUR_MS};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    /// Number of attempts (= sessions) to simulate.
    pub sessions: usize,
    /// PRNG seed: same config, same bytes.
    pub seed: u64,
    /// Epoch milliseconds of the first event (default 2026-02-02T08:00:00Z).
    pub start_ms: i64,
    /// Inject a handful (< 1 %) of lines the viewer must skip, plus a few blank lines.
    pub malformed_lines: bool,
    /// Share of tasks (so, roughly, of sessions) written the way bosun's real writer writes them
    /// (bosun-telemetry-format.md, "What bosun's own writer writes"): UUID ids, classifier error
    /// names, Codex tool params as JSON strings and unnamed results, SDK usage objects, rollups
    /// with cost 0 for unknown cost, bosun's diff layout, the current analyser's alerts. The other
    /// tasks keep the guide's shape; with 0 the output is the guide-only demo, byte for byte.
    pub real_writer_share: f64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            sessions: 400,
            seed: 42,
            start_ms: days_from_civil(2026, 2, 2) * DAY_MS + 8 * HOUR_MS,
            malformed_lines: true,
            real_writer_share: 0.3,
        }
    }
}

/// Generates the whole folder, streaming, and returns the tally of what was written.
pub fn generate(cfg: &DemoConfig, sink: &mut dyn DemoSink) -> io::Result<DemoTally> {
    let mut g = Generator::new(cfg, sink);
    g.run()?;
    g.finish()
}

/// Average bytes of agent-work-stream.jsonl per session (measured on 2000-session
/// runs of several seeds; see the module tests for the tolerance checked).
pub const STREAM_BYTES_PER_SESSION: u64 = 54_000;

/// How many sessions produce roughly `bytes` of agent-work-stream.jsonl.
pub fn sessions_for_stream_bytes(bytes: u64) -> usize {
    ((bytes + STREAM_BYTES_PER_SESSION / 2) / STREAM_BYTES_PER_SESSION).max(1) as usize
}

/// Most attempts simulated at once (bounds memory).
pub const MAX_ACTIVE: usize = 64;
