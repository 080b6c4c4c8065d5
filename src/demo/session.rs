//! What the simulation is made of: tasks, the attempts (sessions) at them, the events an attempt
//! goes through, and what an attempt has done so far.

use std::collections::VecDeque;

use super::catalogue::{Executor, Model, ToolKind};
use super::json_writer::NumberForm;
use super::random::Rng;
use super::tally::{TokenBreakdown, Written};
use super::timestamps::TsStyle;

/// Whose writer a task's lines imitate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Writer {
    /// The shapes of the telemetry guide (bosun-telemetry-format.md), in every variant it allows.
    Guide,
    /// bosun's own writer as it really writes ("What bosun's own writer writes"): UUID ids,
    /// classifier error names, SDK usage objects, rollups with cost 0 for an unknown cost.
    RealBosun,
}

/// A piece of work; each attempt at it is a session.
pub(super) struct Task {
    pub(super) id: Option<String>,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    /// Index into `PROJECTS`.
    pub(super) project: usize,
    /// A few words of the title, in attempt ids and branch names.
    pub(super) slug: String,
    /// A recurring problem of this task (repeats across its attempts).
    pub(super) trouble: Option<&'static str>,
    /// Taken off the model's odds of success.
    pub(super) difficulty: f64,
    pub(super) attempts: u32,
    /// Already counted in the tally's tasks.
    pub(super) counted: bool,
    pub(super) last_executor: Executor,
    pub(super) last_failed: bool,
    pub(super) last_anomaly: bool,
    /// With `Writer::RealBosun`, `id` is the task's UUID.
    pub(super) writer: Writer,
    /// Files already counted in `DemoTally::real_hot_files` for this task.
    pub(super) counted_files: Vec<&'static str>,
}

#[derive(Clone)]
pub(super) struct Tool {
    pub(super) kind: ToolKind,
    /// The executor's name for it.
    pub(super) name: &'static str,
    /// The command, file or search pattern.
    pub(super) arg: &'static str,
    /// A shell command that runs tests (its result is a test log).
    pub(super) is_test: bool,
}

impl Tool {
    pub(super) fn new(executor: Executor, kind: ToolKind, arg: &'static str, is_test: bool) -> Tool {
        Tool { kind, name: executor.tool_name(kind), arg, is_test }
    }
}

/// What happens next in a session: most become one line of the stream.
pub(super) enum Event {
    Start {
        ptype: &'static str,
        reason: Option<&'static str>,
    },
    Status {
        from: &'static str,
        to: &'static str,
    },
    Thinking,
    /// A model turn (it consumes tokens).
    Output {
        long: bool,
    },
    Call(Tool),
    Result {
        tool: Tool,
        ok: bool,
        long: bool,
    },
    /// `cat` is a category of `ERRORS_BY_CAT` (or `transient`, for the real writer's provider
    /// trouble); `tpl` picks a message template.
    Error {
        cat: &'static str,
        tpl: usize,
    },
    Usage,
    Followup {
        reason: &'static str,
    },
    End,
    /// A line of the alerts file, not of the stream.
    Alert(AlertKind),
    /// Stop without a session_end (crash).
    Crash,
}

/// The `event_type` an event is written with (`None` for what is not an event line).
pub(super) fn event_type_of(ev: &Event) -> Option<&'static str> {
    Some(match ev {
        Event::Start { .. } => "session_start",
        Event::Status { .. } => "status_change",
        Event::Thinking => "agent_thinking",
        Event::Output { .. } => "agent_output",
        Event::Call(_) => "tool_call",
        Event::Result { .. } => "tool_result",
        Event::Error { .. } => "error",
        Event::Usage => "usage",
        Event::Followup { .. } => "followup_sent",
        Event::End => "session_end",
        Event::Alert(_) | Event::Crash => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum AlertKind {
    ToolLoop { count: u32 },
    ErrorLoop { cat: &'static str, tpl: usize, n: u32 },
    Restarts { n: u32 },
    Stuck { idle_ms: i64 },
    Cost,
    FailedHighErrors,
    Novel,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Outcome {
    Success,
    Failed,
    Timeout,
    Interrupted,
    Error,
}

/// Where this attempt's SDK reports usage.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum UsageStyle {
    CodexItem,
    CodexResponse,
    CodexEvents,
    CopilotMetrics,
    CopilotUsage,
    CopilotSummaryOnly,
    ClaudeMessage,
    ClaudeEvents,
    None,
}

/// How the guide's writer writes one session's lines (fixed when it starts; the real writer's
/// sessions have one style, see `Generator::make_real`).
pub(super) struct SessionStyle {
    /// `CODEX`, `codex` or `Codex`.
    pub(super) executor_label: &'static str,
    pub(super) variant: &'static str,
    pub(super) timestamps: TsStyle,
    /// Its metrics row has the older design-note shape (bosun's PowerShell logger).
    pub(super) design_note_row: bool,
    pub(super) usage: UsageStyle,
    /// Its session_end carries the newer rollup fields (success, attempts, anomalies, …).
    pub(super) end_rollup: bool,
}

/// The session's own file, `agent-sessions/<attempt_id>.jsonl`: a copy of its stream lines.
pub(super) struct Transcript {
    /// Written but not yet sent to the sink.
    pub(super) bytes: Vec<u8>,
    /// Written on Windows: a BOM first, CRLF line ends.
    pub(super) windows: bool,
    pub(super) started: bool,
}

/// How the session will go, decided when it starts.
pub(super) struct Plan {
    pub(super) outcome: Outcome,
    pub(super) steps_left: u32,
    pub(super) step_no: u32,
    /// Stops without a session_end and without a metrics row.
    pub(super) crash: bool,
    /// Its events were rotated away: only its metrics row survives.
    pub(super) rotated: bool,
    pub(super) write_row: bool,
    /// A guardrail (auth, permission wait, content policy) stops it early.
    pub(super) guardrail: Option<&'static str>,
    /// Succeeds without changing anything.
    pub(super) no_change: bool,
}

/// The anomalies a session lives through (each at a fixed point of it; bosun's analyser reacts).
pub(super) struct Stories {
    pub(super) tool_loop: bool,
    pub(super) error_loop: bool,
    pub(super) stuck: bool,
    pub(super) restarts: bool,
    /// Huge prompts, many steps: a cost anomaly.
    pub(super) runaway: bool,
}

/// What the session has done so far (what its SDK saw, whether or not a line was kept).
#[derive(Default)]
pub(super) struct Progress {
    pub(super) starts: u32,
    pub(super) continues: u32,
    pub(super) tool_calls: u32,
    pub(super) tool_results: u32,
    pub(super) tool_failures: u32,
    pub(super) commands: u32,
    pub(super) command_failures: u32,
    pub(super) errors: u32,
    pub(super) error_categories: Vec<(&'static str, u32)>,
    pub(super) fingerprints: Vec<String>,
    /// Files edited (at most 12).
    pub(super) files: Vec<&'static str>,
    pub(super) lines_added: u32,
    pub(super) lines_deleted: u32,
    pub(super) anomalies: Vec<&'static str>,
    /// Alert kinds already written (a bit each).
    pub(super) alerted: u32,
    pub(super) prompt_tokens: u64,
    pub(super) completion_tokens: u64,
    pub(super) cost_usd: f64,
    /// Consumed since the last usage report.
    pub(super) pending_prompt_tokens: u64,
    pub(super) pending_completion_tokens: u64,
    pub(super) pending_cost_usd: f64,
}

/// One attempt at a task, simulated from its start to its end.
pub(super) struct Session {
    pub(super) task: Box<Task>,
    pub(super) attempt_id: String,
    pub(super) session_id: String,
    pub(super) branch: String,
    pub(super) ptype: &'static str,
    pub(super) executor: Executor,
    pub(super) model: &'static Model,
    pub(super) style: SessionStyle,
    pub(super) transcript: Option<Transcript>,
    pub(super) plan: Plan,
    pub(super) stories: Stories,
    /// The next events, each with its delay after the one before.
    pub(super) queue: VecDeque<(i64, Event)>,
    /// Lines written (the guide's `sequence_num`).
    pub(super) seq: u64,
    /// The timestamp of its latest line (lines never go back in time).
    pub(super) last_ms: i64,
    /// The time its first line's timestamp denotes.
    pub(super) first_line_ms: Option<i64>,
    pub(super) progress: Progress,
    /// What its written lines say, for the tally.
    pub(super) written: Written,
    /// The real writer's style, and what only it writes.
    pub(super) real: Option<Box<RealFacts>>,
    /// No line of this (real-style) session carries task_id.
    pub(super) without_task_id: bool,
}

impl Session {
    /// Counts a tool call the SDK made.
    pub(super) fn count_call(&mut self, tool: &Tool) {
        let done = &mut self.progress;
        done.tool_calls += 1;
        if tool.kind == ToolKind::Shell {
            done.commands += 1;
        }
        if tool.kind == ToolKind::Edit && !done.files.contains(&tool.arg) && done.files.len() < 12 {
            done.files.push(tool.arg);
        }
    }

    /// Counts a tool result; a successful edit adds and deletes some lines.
    pub(super) fn count_result(&mut self, tool: &Tool, ok: bool, rng: &mut Rng) {
        let done = &mut self.progress;
        done.tool_results += 1;
        if !ok {
            done.tool_failures += 1;
            if tool.kind == ToolKind::Shell {
                done.command_failures += 1;
            }
        }
        if ok && tool.kind == ToolKind::Edit {
            let a = rng.range(1, 60) as u32;
            done.lines_added += a;
            done.lines_deleted += rng.range(0, a as i64) as u32;
        }
    }

    /// Counts an error of a canonical category.
    pub(super) fn count_error(&mut self, category: &'static str) {
        let done = &mut self.progress;
        done.errors += 1;
        match done.error_categories.iter_mut().find(|(c, _)| *c == category) {
            Some(e) => e.1 += 1,
            None => done.error_categories.push((category, 1)),
        }
    }

    /// Remembers an error fingerprint (the first eight distinct ones).
    pub(super) fn remember_fingerprint(&mut self, fingerprint: &str) {
        let fingerprints = &mut self.progress.fingerprints;
        if !fingerprints.iter().any(|f| f == fingerprint) && fingerprints.len() < 8 {
            fingerprints.push(fingerprint.to_string());
        }
    }

    /// Takes what was consumed since the last usage report: (prompt tokens, completion tokens, cost).
    pub(super) fn take_pending_usage(&mut self) -> (u64, u64, f64) {
        let done = &mut self.progress;
        let pending = (done.pending_prompt_tokens, done.pending_completion_tokens, done.pending_cost_usd);
        done.pending_prompt_tokens = 0;
        done.pending_completion_tokens = 0;
        done.pending_cost_usd = 0.0;
        pending
    }

    pub(super) fn total_tokens(&self) -> u64 {
        self.progress.prompt_tokens + self.progress.completion_tokens
    }

    /// Milliseconds from its first line to `ms`.
    pub(super) fn elapsed_ms(&self, ms: i64) -> i64 {
        ms - self.first_line_ms.unwrap_or(ms)
    }
}

/// The facts of a session written in bosun's real writer's style.
#[derive(Default)]
pub(super) struct RealFacts {
    /// Seeds the session's fixed choices (an error of the same kind reads the same every time).
    pub(super) salt: u32,
    /// Four or more transient errors, and no other: `failed_session_transient_errors`.
    pub(super) story_transient: bool,
    /// permission_denied > 0 in the rollup without a permission-wait error.
    pub(super) silent_denial: bool,
    /// Some counters of its rollup written as strings.
    pub(super) counters: NumberForm,
    pub(super) auto_resume: bool,
    /// agent_made_commits false beside a non-empty diff (computed before an auto-resume).
    pub(super) commits_before_resume: bool,
    pub(super) permission_requests: u32,
    pub(super) permission_denied: u32,
    pub(super) permission_errors: u32,
    /// every error written so far has a transient fingerprint
    pub(super) all_transient: bool,
    /// Codex tool_calls written and not yet answered by a tool_result
    pub(super) unanswered: u32,
    pub(super) tokens: TokenBreakdown,
    pub(super) usage_written: bool,
}
