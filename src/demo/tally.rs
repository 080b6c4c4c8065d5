//! What was written.

use std::collections::BTreeMap;

use super::session::Session;
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

/// A session's facts as the viewer resolves them (computed from written lines).
pub(super) struct Resolved {
    pub(super) real: bool,
    pub(super) model: &'static str,
    pub(super) success: Option<bool>,
    pub(super) cost: Option<f64>,
    pub(super) tokens: Option<u64>,
}

/// What a metrics row says about usage and success.
pub(super) struct RowFacts {
    pub(super) success: Option<bool>,
    pub(super) cost: Option<f64>,
    pub(super) tokens: Option<u64>,
    pub(super) all_zero: bool,
}

impl Generator<'_> {
    pub(super) fn mark_written(&mut self, s: &mut Session) {
        if !s.wrote_any {
            s.wrote_any = true;
            self.tally.sessions += 1;
            if s.task.real {
                self.tally.real_sessions += 1;
                self.tally.real_sessions_without_task_id += s.omit_task as usize;
            }
        }
        if !s.task.counted {
            s.task.counted = true;
            if s.task.id.is_some() {
                self.tally.tasks += 1;
            } else {
                self.no_task = true;
            }
        }
    }

    pub(super) fn see_timestamp(&mut self, ms: i64) {
        self.tally.first_ms = Some(self.tally.first_ms.map_or(ms, |f| f.min(ms)));
        self.tally.last_ms = Some(self.tally.last_ms.map_or(ms, |l| l.max(ms)));
    }

    pub(super) fn resolve(&self, s: &Session, row: Option<&RowFacts>) -> Resolved {
        let (rc, rt, rs) = match row {
            Some(r) if r.all_zero => (None, None, r.success),
            Some(r) => (r.cost, r.tokens, r.success),
            None => (None, None, None),
        };
        let end_success = s.end_status.map(|st| matches!(st, "success" | "completed"));
        // revision 2: a rollup's cost of 0 is an unknown cost (bosun writes 0 for what it did not
        // learn), and a rollup of only zeros knows no tokens either
        let zero = |c: Option<f64>| c.filter(|&c| c != 0.0);
        let end_tok = if zero(s.end_cost).is_none() && s.end_tok == Some(0) { None } else { s.end_tok };
        Resolved {
            real: s.task.real,
            model: s.model.name,
            success: rs.or(end_success),
            cost: zero(rc).or(zero(s.end_cost)).or(s.ev_cost).or(s.nest_cost),
            tokens: rt.or(end_tok).or(s.ev_tok).or(s.nest_tok),
        }
    }

    pub(super) fn count_resolved(&mut self, f: Resolved) {
        let e = self.tally.per_model.entry(f.model.to_string()).or_insert((0, 0));
        e.0 += 1;
        match f.success {
            Some(true) => {
                e.1 += 1;
                self.tally.successes += 1;
            }
            Some(false) => self.tally.failures += 1,
            None => self.tally.unknown_success += 1,
        }
        if let Some(c) = f.cost {
            self.tally.sessions_with_cost += 1;
            self.tally.total_cost_usd = Some(self.tally.total_cost_usd.unwrap_or(0.0) + c);
        }
        if f.real && f.cost.is_none() && f.tokens.is_some() {
            self.tally.real_cost_unknown_sessions += 1;
        }
        if let Some(tk) = f.tokens {
            self.tally.sessions_with_tokens += 1;
            self.tally.total_tokens = Some(self.tally.total_tokens.unwrap_or(0) + tk);
        }
    }
}
