//! Sessions.

use std::collections::VecDeque;

use super::catalogue::Model;
use super::json_writer::NumberForm;
use super::tally::TokenBreakdown;
use super::timestamps::TsStyle;

pub(super) struct Task {
    pub(super) id: Option<String>,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    pub(super) project: usize,
    pub(super) slug: String,
    /// A recurring problem of this task (repeats across its attempts).
    pub(super) trouble: Option<&'static str>,
    pub(super) difficulty: f64,
    pub(super) attempts: u32,
    pub(super) counted: bool,
    pub(super) last_exec: usize,
    pub(super) last_failed: bool,
    pub(super) last_anomaly: bool,
    /// Written in bosun's real writer's style (`id` is then the task's UUID).
    pub(super) real: bool,
    /// Files already counted in `DemoTally::real_hot_files` for this task.
    pub(super) counted_files: Vec<&'static str>,
}

#[derive(Clone)]
pub(super) struct Tool {
    pub(super) kind: u8, // 0 shell, 1 edit, 2 read, 3 search
    pub(super) name: &'static str,
    pub(super) arg: &'static str,
    pub(super) is_test: bool,
}

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
    Output {
        long: bool,
    },
    Call(Tool),
    Result {
        tool: Tool,
        ok: bool,
        long: bool,
    },
    Error {
        cat: &'static str,
        tpl: usize,
    },
    Usage,
    Followup {
        reason: &'static str,
    },
    End,
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

pub(super) struct Session {
    pub(super) task: Box<Task>,
    pub(super) attempt_id: String,
    pub(super) session_id: String,
    pub(super) ptype: &'static str,
    pub(super) exec: usize,
    pub(super) exec_label: &'static str,
    pub(super) model: &'static Model,
    pub(super) variant: &'static str,
    pub(super) branch: String,
    pub(super) ts_style: TsStyle,
    pub(super) transcript: Option<Vec<u8>>,
    pub(super) transcript_crlf: bool,
    pub(super) transcript_started: bool,
    pub(super) rotated: bool,
    // plan
    pub(super) outcome: Outcome,
    pub(super) steps_left: u32,
    pub(super) step_no: u32,
    pub(super) crash: bool,
    pub(super) write_row: bool,
    pub(super) design_note: bool,
    pub(super) usage: UsageStyle,
    pub(super) runaway: bool,
    pub(super) story_tool_loop: bool,
    pub(super) story_error_loop: bool,
    pub(super) story_stuck: bool,
    pub(super) story_restarts: bool,
    pub(super) guardrail: Option<&'static str>,
    pub(super) no_change: bool,
    pub(super) newer_end: bool,
    pub(super) queue: VecDeque<(i64, Event)>,
    // progress
    pub(super) seq: u64,
    pub(super) sim_ms: i64,
    pub(super) last_ms: i64,
    pub(super) start_rep: Option<i64>,
    pub(super) starts: u32,
    pub(super) continues: u32,
    pub(super) tool_calls: u32,
    pub(super) tool_results: u32,
    pub(super) tool_failures: u32,
    pub(super) commands: u32,
    pub(super) command_failures: u32,
    pub(super) errors: u32,
    pub(super) err_cats: Vec<(&'static str, u32)>,
    pub(super) fingerprints: Vec<String>,
    pub(super) files: Vec<&'static str>,
    pub(super) lines_added: u32,
    pub(super) lines_deleted: u32,
    pub(super) anomalies: Vec<&'static str>,
    pub(super) alerted: u32,
    pub(super) prompt_tok: u64,
    pub(super) compl_tok: u64,
    pub(super) cost: f64,
    pub(super) pending_p: u64,
    pub(super) pending_c: u64,
    pub(super) pending_cost: f64,
    // what was written, for the usage resolution of the tally
    pub(super) wrote_any: bool,
    pub(super) end_status: Option<&'static str>,
    pub(super) end_cost: Option<f64>,
    pub(super) end_tok: Option<u64>,
    pub(super) ev_cost: Option<f64>,
    pub(super) ev_tok: Option<u64>,
    pub(super) nest_cost: Option<f64>,
    pub(super) nest_tok: Option<u64>,
    /// The real writer's style, and what only it writes.
    pub(super) real: Option<Box<RealFacts>>,
    /// No line of this (real-style) session carries task_id.
    pub(super) omit_task: bool,
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
