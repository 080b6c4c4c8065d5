//! The tally: the generator's own count of what it wrote, which tests compare with what the
//! viewer computes from the files. It is counted where each line is written; a session's usage
//! and outcome are resolved the viewer's way (analytics-spec.md) from what its lines say.

use std::collections::BTreeMap;

use super::session::{Session, Writer};
use super::simulation::Generator;

/// The generator's own count of what it wrote, computed in the code path that
/// writes each line, following analytics-spec.md (dedup, superseded rows, usage
/// resolution order). Compare these with what the viewer computes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoTally {
    /// Distinct attempt_ids (over events and metrics rows).
    pub sessions: usize,
    /// Distinct task_ids, plus one for `(no task)` when some session has none.
    pub tasks: usize,
    /// Distinct valid event lines (each error event once, transcripts not re-counted).
    pub events: usize,
    /// Distinct events with `event_type: "error"`.
    pub error_events: usize,
    /// Distinct events without an attempt_id (`skill_invoke`).
    pub events_without_attempt: usize,
    /// Distinct metrics rows written, superseded ones included.
    pub metrics_rows: usize,
    /// Metrics rows replaced by a later row (later timestamp) of the same attempt.
    pub superseded_rows: usize,
    /// Alert lines.
    pub alerts: usize,
    /// Every byte-identical repeat of a valid record line (errors-file copies,
    /// transcript copies, deliberate repeats in the stream).
    pub duplicate_lines: usize,
    /// Lines the viewer must skip (invalid JSON, not an object, no known shape,
    /// invalid UTF-8, nested too deeply). Blank lines are not counted here.
    pub malformed_lines: usize,
    /// Blank or whitespace-only lines (ignored silently by the viewer).
    pub blank_lines: usize,
    /// Number of `agent-sessions/<attempt_id>.jsonl` files.
    pub transcripts: usize,
    /// Sessions whose success resolves to true / false / unknown.
    pub successes: usize,
    pub failures: usize,
    pub unknown_success: usize,
    /// model -> (sessions, successful sessions).
    pub per_model: BTreeMap<String, (usize, usize)>,
    /// Sessions with a known cost, and the sum of their costs (None when zero sessions know it).
    pub sessions_with_cost: usize,
    pub total_cost_usd: Option<f64>,
    /// Sessions with known tokens, and their sum.
    pub sessions_with_tokens: usize,
    pub total_tokens: Option<u64>,
    /// Earliest and latest timestamp of any valid record (UTC epoch ms).
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// All lines written to every file (records, copies, malformed, blank).
    pub lines: usize,
    /// Bytes written to every file, and to agent-work-stream.jsonl alone.
    pub bytes: u64,
    pub stream_bytes: u64,
    // -- the real-writer share (analytics-spec.md, Revision 2) --------------------------------
    /// Sessions written in bosun's real writer's style.
    pub real_sessions: usize,
    /// Of those, sessions none of whose lines carries task_id: their task is the UUID that
    /// starts their attempt_id (counted in `tasks` as that task).
    pub real_sessions_without_task_id: usize,
    /// Error events of the real-style sessions by canonical category: the classifier's name
    /// through the default alias table (`auth_error` → `auth`, `token_overflow` →
    /// `context_window`, `test_failure` → `test`, `build_failure` → `build`, `lint_failure` →
    /// `lint`, `git_conflict`/`push_failure` → `git`, `oom_kill` → `oom`, others as they are),
    /// and for those written as `unknown` the category their message means.
    pub real_error_categories: BTreeMap<String, usize>,
    /// Of those, the errors written with category `unknown` (the category must be inferred).
    pub real_inferred_errors: usize,
    /// RealFacts-style Codex `tool_call`s (all `shell`, params a JSON string with an array command),
    /// their `tool_result`s (no tool_name: each answers the oldest unanswered call), and the
    /// results with status `failed`.
    pub real_codex_shell_calls: usize,
    pub real_codex_shell_results: usize,
    pub real_codex_shell_failures: usize,
    /// RealFacts-style Codex calls whose command line (the array joined, a `bash -lc` wrapper
    /// unwrapped) runs tests / a linter by the spec's `tools` patterns.
    pub real_codex_test_runs: usize,
    pub real_codex_lint_runs: usize,
    /// RealFacts-style Copilot tool calls (written without results).
    pub real_copilot_calls: usize,
    /// RealFacts-style sessions whose tokens are known and whose cost is unknown (rollups with
    /// `cost_usd` 0 beside tokens, usage events without cost: Codex and Claude).
    pub real_cost_unknown_sessions: usize,
    /// Failed real-style sessions with `permission_denied` > 0 in their rollup (metrics row and
    /// session_end) and no permission-wait error event.
    pub real_silent_permission_denials: usize,
    /// Alerts of type `failed_session_transient_errors` written.
    pub real_transient_alerts: usize,
    /// Per real-style attempt, its tokens as its `usage` events report them (sessions whose
    /// events were all written; none for a session whose events were rotated away).
    pub real_tokens: BTreeMap<String, TokenBreakdown>,
    /// Hot files of the real share: file → real-style tasks whose metrics rows name it in
    /// `diff_summary` (bosun's layout) or whose Copilot `edit_file` calls name it (`path`).
    pub real_hot_files: BTreeMap<String, usize>,
}

/// Token counts of one session by kind, summed over its `usage` events as the SDK wrote them:
/// `input` is Codex's and Claude's `input_tokens` or Copilot's `prompt_tokens` (for Claude the
/// uncached part only), `cached_input` Codex's `cached_input_tokens` (part of its input),
/// `cache_read`/`cache_creation` Claude's cache tokens, `output` `output_tokens` or
/// `completion_tokens`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenBreakdown {
    pub input: u64,
    pub cached_input: u64,
    pub cache_read: u64,
    pub cache_creation: u64,
    pub output: u64,
}

/// What a session's written lines say about its outcome and usage, level by level (filled in as
/// they are written; its metrics row comes last, see [`RowFacts`]).
#[derive(Default)]
pub(super) struct Written {
    /// Some line of it was written: it counts as a session.
    pub(super) any_line: bool,
    /// What its session_end says.
    pub(super) end_status: Option<&'static str>,
    pub(super) end_cost: Option<f64>,
    pub(super) end_tokens: Option<u64>,
    /// Sums over its usage events.
    pub(super) usage_events_cost: Option<f64>,
    pub(super) usage_events_tokens: Option<u64>,
    /// Sums over the usage objects nested in its other events.
    pub(super) nested_cost: Option<f64>,
    pub(super) nested_tokens: Option<u64>,
}

impl Written {
    pub(super) fn add_usage_event(&mut self, tokens: u64, cost: Option<f64>) {
        self.usage_events_tokens = Some(self.usage_events_tokens.unwrap_or(0) + tokens);
        if let Some(c) = cost {
            self.usage_events_cost = Some(self.usage_events_cost.unwrap_or(0.0) + c);
        }
    }

    pub(super) fn add_nested_usage(&mut self, tokens: u64, cost: Option<f64>) {
        self.nested_tokens = Some(self.nested_tokens.unwrap_or(0) + tokens);
        if let Some(c) = cost {
            self.nested_cost = Some(self.nested_cost.unwrap_or(0.0) + c);
        }
    }

    pub(super) fn set_end(&mut self, end: SessionEnd) {
        self.end_cost = end.cost;
        self.end_tokens = end.tokens;
        self.end_status = Some(end.status);
    }
}

/// What a session_end line says: its cost and tokens (when written) and completion status.
pub(super) struct SessionEnd {
    pub(super) cost: Option<f64>,
    pub(super) tokens: Option<u64>,
    pub(super) status: &'static str,
}

/// What a metrics row says about usage and success.
pub(super) struct RowFacts {
    pub(super) success: Option<bool>,
    pub(super) cost: Option<f64>,
    pub(super) tokens: Option<u64>,
    /// Tokens and cost all 0: the viewer reads that as unknown.
    pub(super) all_zero: bool,
}

/// A session's facts as the viewer resolves them (computed from written lines).
pub(super) struct Resolved {
    pub(super) writer: Writer,
    pub(super) model: &'static str,
    pub(super) success: Option<bool>,
    pub(super) cost: Option<f64>,
    pub(super) tokens: Option<u64>,
}

/// Resolves a session's outcome and usage from its lines, as the viewer does: its (latest)
/// metrics row first, then its session_end, its usage events, the usage nested in other events.
pub(super) fn resolve(s: &Session, row: Option<&RowFacts>) -> Resolved {
    let (rc, rt, rs) = match row {
        Some(r) if r.all_zero => (None, None, r.success),
        Some(r) => (r.cost, r.tokens, r.success),
        None => (None, None, None),
    };
    let w = &s.written;
    let end_success = w.end_status.map(|st| matches!(st, "success" | "completed"));
    // revision 2: a rollup's cost of 0 is an unknown cost (bosun writes 0 for what it did not
    // learn), and a rollup of only zeros knows no tokens either
    let zero = |c: Option<f64>| c.filter(|&c| c != 0.0);
    let end_tokens = if zero(w.end_cost).is_none() && w.end_tokens == Some(0) { None } else { w.end_tokens };
    Resolved {
        writer: s.task.writer,
        model: s.model.name,
        success: rs.or(end_success),
        cost: zero(rc).or(zero(w.end_cost)).or(w.usage_events_cost).or(w.nested_cost),
        tokens: rt.or(end_tokens).or(w.usage_events_tokens).or(w.nested_tokens),
    }
}

impl DemoTally {
    /// Widens the time span of the records to `ms`.
    pub(super) fn see_timestamp(&mut self, ms: i64) {
        self.first_ms = Some(self.first_ms.map_or(ms, |f| f.min(ms)));
        self.last_ms = Some(self.last_ms.map_or(ms, |l| l.max(ms)));
    }

    /// Counts a finished session's resolved outcome and usage.
    pub(super) fn count_resolved(&mut self, f: Resolved) {
        let e = self.per_model.entry(f.model.to_string()).or_insert((0, 0));
        e.0 += 1;
        match f.success {
            Some(true) => {
                e.1 += 1;
                self.successes += 1;
            }
            Some(false) => self.failures += 1,
            None => self.unknown_success += 1,
        }
        if let Some(c) = f.cost {
            self.sessions_with_cost += 1;
            self.total_cost_usd = Some(self.total_cost_usd.unwrap_or(0.0) + c);
        }
        if f.writer == Writer::RealBosun && f.cost.is_none() && f.tokens.is_some() {
            self.real_cost_unknown_sessions += 1;
        }
        if let Some(tk) = f.tokens {
            self.sessions_with_tokens += 1;
            self.total_tokens = Some(self.total_tokens.unwrap_or(0) + tk);
        }
    }
}

impl Generator<'_> {
    /// Counts the session, and its task, when its first line is written.
    pub(super) fn mark_written(&mut self, s: &mut Session) {
        if !s.written.any_line {
            s.written.any_line = true;
            self.tally.sessions += 1;
            if s.task.writer == Writer::RealBosun {
                self.tally.real_sessions += 1;
                self.tally.real_sessions_without_task_id += s.without_task_id as usize;
            }
        }
        if !s.task.counted {
            s.task.counted = true;
            if s.task.id.is_some() {
                self.tally.tasks += 1;
            } else {
                self.some_task_without_id = true;
            }
        }
    }
}
