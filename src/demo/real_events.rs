//! Event lines as bosun's own writer writes them (bosun-telemetry-format.md, "What bosun's own
//! writer writes"): UUID ids, no session_id or sequence numbers, classifier error names (often
//! `unknown`), Codex tool params as a JSON string and results without a tool name, the SDKs' own
//! usage objects, and a rollup in session_end whose cost is 0 when the SDK reported none.

use std::io;

use super::catalogue::{
    fingerprint_of, is_transient, Executor, ToolKind, LINT_PATTERNS, OUTPUTS, PROJECTS, REAL_ERRORS, REAL_UNKNOWN,
    TEST_PATTERNS, THOUGHTS,
};
use super::json_writer::push_json_string;
use super::random::{mix32, round_to, str_hash};
use super::session::{event_type_of, Event, Outcome, RealFacts, Session, Tool};
use super::simulation::Generator;
use super::tally::{SessionEnd, TokenBreakdown};
use super::texts::{long_text, test_log};
use super::timestamps::{write_ts, TsStyle};

/// An error as the real writer files it.
pub(super) struct RealError {
    /// The classifier's name as written (`unknown` when it did not know).
    pub(super) written: &'static str,
    /// Its canonical category (what an `unknown` message means).
    pub(super) canonical: &'static str,
    pub(super) message: String,
}

/// The real writer's completion_status.
fn completion_status(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "completed",
        Outcome::Failed => "failed",
        Outcome::Timeout => "timeout",
        Outcome::Interrupted => "interrupted",
        Outcome::Error => "error",
    }
}

/// What a written line adds to the real share's counts.
#[derive(Default)]
struct RealLine {
    error: Option<RealError>,
    /// A usage event: its tokens and cost, and its tokens by kind.
    usage: Option<((u64, Option<f64>), TokenBreakdown)>,
    end: Option<SessionEnd>,
    /// A Codex call: does its command line run tests, a linter?
    codex_call: Option<(bool, bool)>,
    /// A Codex result: did it succeed?
    codex_result: Option<bool>,
    /// The file a Copilot edit names.
    copilot_file: Option<&'static str>,
}

impl Generator<'_> {
    /// One event of a real-style session, written as bosun's real writer does.
    pub(super) fn emit_real(&mut self, s: &mut Session, real: &mut RealFacts, ev: Event, t: i64) -> io::Result<()> {
        let Some(event_type) = event_type_of(&ev) else { return Ok(()) };
        // What the SDK saw, whether or not the writer keeps the line.
        match &ev {
            Event::Call(tool) => s.count_call(tool),
            Event::Result { tool, ok, .. } => s.count_result(tool, *ok, &mut self.rng),
            _ => {}
        }
        // The writer drops Claude's content blocks (no tool events) and Copilot's tool results.
        match &ev {
            Event::Call(_) if s.executor == Executor::Claude => return Ok(()),
            Event::Result { .. } if s.executor != Executor::Codex => return Ok(()),
            _ => {}
        }
        let mut line = RealLine::default();
        if let Event::Error { cat, tpl } = &ev {
            let num = self.rng.range(2, 90);
            let error = Self::real_error(s, real.salt, cat, *tpl, num);
            let fp = fingerprint_of(&error.message);
            if real.story_transient && !is_transient(&fp) {
                return Ok(()); // that session's errors are all transient
            }
            s.count_error(error.canonical);
            real.all_transient &= is_transient(&fp);
            s.remember_fingerprint(&fp);
            if error.canonical == "permission_wait" {
                real.permission_errors += 1;
                if s.plan.outcome != Outcome::Success {
                    real.permission_denied += 1;
                } else {
                    real.permission_requests += 1;
                }
            }
            line.error = Some(error);
        }
        let rep = self.begin_real_event(s, t, event_type);
        self.json.open_object_field("data");
        match ev {
            Event::Start { ptype, reason } => {
                s.progress.starts += 1;
                self.text.clear();
                self.text.push_str("You are working on task \"");
                self.text.push_str(s.task.title);
                self.text.push_str("\".\n");
                self.text.push_str(s.task.description);
                if ptype != "initial" {
                    self.text
                        .push_str("\nThe previous attempt did not finish; continue from the current branch state.");
                }
                self.json.str_field("prompt", &self.text);
                self.json.str_field("prompt_type", ptype);
                if let Some(r) = reason {
                    self.json.str_field("followup_reason", r);
                }
            }
            Event::Status { from, to } => {
                self.json.str_field("from", from);
                self.json.str_field("to", to);
            }
            Event::Thinking => {
                self.text.clear();
                self.text.push_str(self.rng.pick(THOUGHTS));
                self.json.str_field("thinking", &self.text);
            }
            Event::Output { long } => {
                self.model_turn(s);
                self.text.clear();
                self.text.push_str(self.rng.pick(OUTPUTS));
                if long {
                    let n = self.rng.range(2_000, 12_000) as usize;
                    long_text(&mut self.rng, &mut self.text, PROJECTS[s.task.project].files, n);
                }
                self.json.str_field("output", &self.text);
            }
            Event::Call(tool) if s.executor == Executor::Codex => {
                line.codex_call = Some(self.codex_call_data(s, &tool))
            }
            Event::Call(tool) => line.copilot_file = self.copilot_call_data(&tool),
            Event::Result { tool, ok, long } => {
                self.codex_result_data(&tool, ok, long);
                line.codex_result = Some(ok);
            }
            Event::Error { .. } => {
                if let Some(error) = &line.error {
                    self.real_error_data(error);
                }
            }
            Event::Usage => line.usage = Some(self.real_usage_data(s)),
            Event::Followup { reason } => {
                s.progress.continues += 1;
                self.json.str_field(
                    "prompt",
                    "Continue. You seem to be stuck: summarise what you tried, then take a different approach.",
                );
                self.json.str_field("followup_reason", reason);
            }
            Event::End => {
                self.real_rollup(s, real, Some(s.elapsed_ms(rep)));
                let total = s.total_tokens();
                // cost 0 beside tokens: unknown (Codex, Claude)
                let cost = if s.executor == Executor::Copilot { Some(round_to(s.progress.cost_usd, 4)) } else { None };
                let tokens = (total > 0 || cost.is_some_and(|c| c > 0.0)).then_some(total);
                line.end = Some(SessionEnd {
                    cost: cost.filter(|_| tokens.is_some()),
                    tokens,
                    status: completion_status(s.plan.outcome),
                });
            }
            Event::Alert(_) | Event::Crash => {}
        }
        self.json.close_object();
        self.json.str_field("branch", &s.branch);
        self.json.close_object();
        if s.plan.rotated {
            return Ok(()); // only its metrics row survives
        }
        let is_error = line.error.is_some();
        self.count_real_line(s, real, event_type, line);
        self.write_event(Some(s), is_error, rep)
    }

    /// Counts what a written line adds to the real share's tally and to the session.
    fn count_real_line(&mut self, s: &mut Session, real: &mut RealFacts, event_type: &str, line: RealLine) {
        if let Some(error) = &line.error {
            *self.tally.real_error_categories.entry(error.canonical.to_string()).or_default() += 1;
            if error.written == "unknown" {
                self.tally.real_inferred_errors += 1;
            }
        }
        if let Some((test, lint)) = line.codex_call {
            self.tally.real_codex_shell_calls += 1;
            self.tally.real_codex_test_runs += test as usize;
            self.tally.real_codex_lint_runs += lint as usize;
            real.unanswered += 1;
        }
        if let Some(ok) = line.codex_result {
            self.tally.real_codex_shell_results += 1;
            self.tally.real_codex_shell_failures += !ok as usize;
            real.unanswered = real.unanswered.saturating_sub(1);
        }
        if s.executor == Executor::Copilot && event_type == "tool_call" {
            self.tally.real_copilot_calls += 1;
        }
        if let Some(f) = line.copilot_file {
            self.real_hot_file(s, f);
        }
        if let Some(((tokens, cost), by_kind)) = line.usage {
            s.written.add_usage_event(tokens, cost);
            let b = &mut real.tokens;
            b.input += by_kind.input;
            b.cached_input += by_kind.cached_input;
            b.cache_read += by_kind.cache_read;
            b.cache_creation += by_kind.cache_creation;
            b.output += by_kind.output;
            real.usage_written = true;
        }
        if let Some(end) = line.end {
            s.written.set_end(end);
        }
    }

    /// The line prefix of bosun's real writer (JavaScript: `toISOString()` timestamps).
    fn begin_real_event(&mut self, s: &mut Session, t: i64, event_type: &str) -> i64 {
        let jitter = if self.rng.chance(0.2) { self.rng.range(0, 2500) } else { 0 };
        // strictly increasing: without sequence numbers, two equal lines would be one record
        let ms = (t - jitter).max(s.last_ms + s.seq.min(1) as i64).max(self.start_ms);
        s.last_ms = ms;
        s.seq += 1;
        let with_task = !s.without_task_id && !self.real_rng.chance(0.1);
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, ms, TsStyle::Millis, &mut self.rng);
        json.str_field("attempt_id", &s.attempt_id);
        if let Some(id) = s.task.id.as_ref().filter(|_| with_task) {
            json.str_field("task_id", id);
        }
        json.str_field("task_title", s.task.title);
        json.str_field("task_description", s.task.description);
        json.str_field("executor", s.style.executor_label);
        json.str_field("executor_variant", s.style.variant);
        json.str_field("model", s.model.name);
        json.str_field("event_type", event_type);
        if s.first_line_ms.is_none() {
            s.first_line_ms = Some(rep);
        }
        rep
    }

    /// Codex: `shell`, its arguments as a JSON string, the command an array. Returns whether the
    /// command line runs tests, a linter (by the spec's `tools` patterns).
    fn codex_call_data(&mut self, s: &Session, tool: &Tool) -> (bool, bool) {
        let line: String = match tool.kind {
            ToolKind::Shell => tool.arg.to_string(),
            ToolKind::Edit => format!("*** Begin Patch\n*** Update File: {}\n@@\n-    let value = compute(input);\n+    let value = compute(input).unwrap_or_default();\n*** End Patch\n", tool.arg),
            ToolKind::Read => format!("sed -n '1,200p' {}", tool.arg),
            ToolKind::Search => format!("rg -n \"{}\"", tool.arg),
        };
        let mut params: Vec<u8> = Vec::with_capacity(line.len() + 80);
        params.extend_from_slice(b"{\"command\":[");
        if tool.kind == ToolKind::Edit {
            push_json_string(&mut params, "apply_patch");
        } else {
            params.extend_from_slice(b"\"bash\",\"-lc\"");
        }
        params.push(b',');
        push_json_string(&mut params, &line);
        params.extend_from_slice(b"],\"workdir\":");
        push_json_string(&mut params, &format!("/work/{}", PROJECTS[s.task.project].id));
        params.extend_from_slice(b",\"timeout_ms\":600000}");
        self.json.str_field("tool_name", "shell");
        self.json.str_field("tool_params", std::str::from_utf8(&params).unwrap_or("{}"));
        let command_line = if tool.kind == ToolKind::Edit { format!("apply_patch {line}") } else { line };
        (TEST_PATTERNS.iter().any(|p| command_line.contains(p)), LINT_PATTERNS.iter().any(|p| command_line.contains(p)))
    }

    /// Copilot: an object, a shell command as a string. Returns the file an edit names.
    fn copilot_call_data(&mut self, tool: &Tool) -> Option<&'static str> {
        let json = &mut self.json;
        json.str_field("tool_name", tool.name);
        json.open_object_field("tool_params");
        let mut edited = None;
        match tool.kind {
            ToolKind::Shell => json.str_field("command", tool.arg),
            ToolKind::Edit => {
                json.str_field("path", tool.arg);
                json.str_field("explanation", "Apply the fix");
                edited = Some(tool.arg);
            }
            ToolKind::Read => json.str_field("path", tool.arg),
            ToolKind::Search => json.str_field("query", tool.arg),
        }
        json.close_object();
        edited
    }

    /// Codex: no tool_name, no call id; the output text and a status.
    fn codex_result_data(&mut self, tool: &Tool, ok: bool, long: bool) {
        self.text.clear();
        match tool.kind {
            ToolKind::Shell if tool.is_test => test_log(&mut self.rng, &mut self.text, ok, if long { 120 } else { 8 }),
            ToolKind::Shell => self.text.push_str(if ok { "exit status 0" } else { "exit status 1: command failed" }),
            ToolKind::Edit => self.text.push_str(if ok {
                "Success. Updated the following files:\nM "
            } else {
                "apply_patch verification failed: hunk did not match "
            }),
            ToolKind::Read | ToolKind::Search => self.text.push_str("fn main() {\n    run();\n}\n"),
        }
        if tool.kind == ToolKind::Edit {
            self.text.push_str(tool.arg);
        }
        self.json.str_field("result", &self.text);
        self.json.str_field("status", if ok { "completed" } else { "failed" });
    }

    fn real_error_data(&mut self, error: &RealError) {
        let unknown = error.written == "unknown";
        let confidence = if unknown {
            round_to(0.2 + self.rng.fraction() * 0.3, 2)
        } else {
            round_to(0.7 + self.rng.fraction() * 0.29, 2)
        };
        let json = &mut self.json;
        json.str_field("error_message", &error.message);
        json.str_field("error_category", error.written);
        json.str_field("error_fingerprint", &fingerprint_of(&error.message));
        json.f64_field("error_confidence", confidence);
        if self.real_rng.chance(0.3) {
            self.json.str_field("source", if unknown { "stderr" } else { "sdk" });
        }
    }

    /// The SDK's own usage object: what was consumed since the last one. Returns its tokens and
    /// cost, and its tokens by kind.
    fn real_usage_data(&mut self, s: &mut Session) -> ((u64, Option<f64>), TokenBreakdown) {
        let (p, c, cost) = s.take_pending_usage();
        let json = &mut self.json;
        match s.executor {
            Executor::Codex => {
                let cached = p * (2 + self.real_rng.below(5) as u64) / 10;
                json.u64_field("input_tokens", p);
                json.u64_field("cached_input_tokens", cached);
                json.u64_field("output_tokens", c);
                (
                    (p + c, None),
                    TokenBreakdown { input: p, cached_input: cached, output: c, ..TokenBreakdown::default() },
                )
            }
            Executor::Copilot => {
                let v = round_to(cost, 6);
                json.u64_field("prompt_tokens", p);
                json.u64_field("completion_tokens", c);
                json.u64_field("total_tokens", p + c);
                json.f64_field("cost_usd", v);
                ((p + c, Some(v)), TokenBreakdown { input: p, output: c, ..TokenBreakdown::default() })
            }
            Executor::Claude => {
                let read = p * 6 / 10;
                let created = p / 10;
                let input = p - read - created;
                json.u64_field("input_tokens", input);
                json.u64_field("output_tokens", c);
                json.u64_field("cache_read_input_tokens", read);
                json.u64_field("cache_creation_input_tokens", created);
                let by_kind = TokenBreakdown {
                    input,
                    cache_read: read,
                    cache_creation: created,
                    output: c,
                    ..TokenBreakdown::default()
                };
                ((p + c, None), by_kind)
            }
        }
    }

    /// An error of a real-style session: the classifier's name as written, its canonical
    /// category, the message. The same kind of error reads the same within a session (its
    /// numbers aside, which the fingerprint replaces), so error loops keep one fingerprint.
    pub(super) fn real_error(s: &Session, salt: u32, cat: &str, tpl: usize, num: i64) -> RealError {
        let h = mix32(salt ^ str_hash(cat) ^ (tpl as u32).wrapping_mul(0x9e37_79b9));
        let pct = h % 100;
        // (classifier name or None for `unknown`, meaning, forced template)
        let (name, meaning, forced): (Option<&'static str>, &'static str, Option<usize>) = match cat {
            "transient" => match tpl % 6 {
                0 => (Some("rate_limit"), "", None),
                1 => (Some("api_error"), "", Some(0)),
                2 => (None, "rate_limit", None),
                3 => (None, "timeout", None),
                4 => (None, "network", None),
                _ => (Some("model_error"), "", Some(0)),
            },
            "rate_limit" if pct < 30 => (None, "rate_limit", None),
            "rate_limit" => (Some("rate_limit"), "", None),
            "api_error" if pct < 30 => (None, "api_error", None),
            "api_error" => (Some("api_error"), "", None),
            "model_error" if tpl % 2 == 1 && pct < 40 => (Some("plan_stuck"), "", None),
            "model_error" => (Some("model_error"), "", None),
            "auth" if pct < 30 => (None, "auth", None),
            "auth" | "api_key" => (Some("auth_error"), "", None),
            "permission_wait" => (None, "permission_wait", None),
            "content_policy" => (Some("content_policy"), "", None),
            "context_window" if pct < 30 => (None, "context_window", None),
            "context_window" => (Some("token_overflow"), "", None),
            "timeout" if pct < 25 => (Some("session_expired"), "", None),
            "timeout" => (None, "timeout", None),
            "network" if pct < 20 => (Some("request_error"), "", None),
            "network" => (None, "network", None),
            "tool_error" if s.executor == Executor::Codex => (Some("codex_sandbox"), "", None),
            "tool_error" => (Some("request_error"), "", None),
            "build" | "dependency" => (Some("build_failure"), "", None),
            "test" => (Some("test_failure"), "", None),
            "lint" => (Some("lint_failure"), "", None),
            "git" if (tpl as u32 + pct).is_multiple_of(2) => (Some("push_failure"), "", None),
            "git" => (Some("git_conflict"), "", None),
            _ if pct < 50 => (Some("oom_kill"), "", None),
            _ => (Some("oom"), "", None),
        };
        let (written, canonical, tpls) = match name {
            Some(n) => match REAL_ERRORS.iter().find(|e| e.0 == n) {
                Some(e) => (e.0, e.1, e.2),
                None => ("unknown", "unknown", &[""][..]),
            },
            None => match REAL_UNKNOWN.iter().find(|e| e.0 == meaning) {
                Some(e) => ("unknown", e.0, e.1),
                None => ("unknown", "unknown", &[""][..]),
            },
        };
        let tpl = forced.unwrap_or((h >> 8) as usize % tpls.len()) % tpls.len();
        let files = PROJECTS[s.task.project].files;
        let file = files[(h >> 16) as usize % files.len()];
        let message = tpls[tpl].replace("{f}", file).replace("{m}", s.model.name).replace("{n}", &num.to_string());
        RealError { written, canonical, message }
    }

    /// The rollup bosun's real writer puts in `session_end` (with a duration) and in the
    /// metrics row (without): the same facts, field for field.
    pub(super) fn real_rollup(&mut self, s: &Session, real: &RealFacts, duration_ms: Option<i64>) {
        let success = s.plan.outcome == Outcome::Success;
        let status = completion_status(s.plan.outcome);
        let json = &mut self.json;
        json.str_field("completion_status", status);
        if let Some(d) = duration_ms {
            json.i64_field("duration_ms", d);
        }
        let counters = real.counters;
        json.u64_field_as("tool_calls", s.progress.tool_calls as u64, counters);
        json.u64_field("tool_results", s.progress.tool_results as u64);
        json.u64_field_as("tool_failures", s.progress.tool_failures as u64, counters);
        json.u64_field_as("commands", s.progress.commands as u64, counters);
        json.u64_field("command_failures", s.progress.command_failures as u64);
        json.u64_field("permission_requests", (real.permission_requests + real.permission_denied) as u64);
        json.u64_field("permission_denied", real.permission_denied as u64);
        json.u64_field_as("prompt_tokens", s.progress.prompt_tokens, counters);
        json.u64_field("completion_tokens", s.progress.completion_tokens);
        json.u64_field("total_tokens", s.total_tokens());
        // cost 0 when the SDK reported none (Codex, Claude): unknown, not free
        json.f64_field(
            "cost_usd",
            if s.executor == Executor::Copilot { round_to(s.progress.cost_usd, 4) } else { 0.0 },
        );
        json.str_field("model", s.model.name);
        json.open_array_field("anomaly_actions");
        for (k, a) in s.progress.anomalies.iter().enumerate() {
            let (ty, action) = match *a {
                "kill_tool_loop" => ("TOOL_CALL_LOOP", "kill"),
                "error_loop_escalate" => ("REPEATED_ERROR", "warn"),
                "nudge_stuck_agent" => ("STALLED_AGENT", "warn"),
                _ => ("SESSION_RESTARTS", "warn"),
            };
            json.open_object_item();
            json.str_field("type", ty);
            json.str_field("action", action);
            json.str_field("severity", "HIGH");
            json.i64_field("timestamp", s.first_line_ms.unwrap_or(0) + (k as i64 + 1) * 61_000);
            json.close_object();
        }
        json.close_array();
        json.bool_field("auto_resume", real.auto_resume || s.progress.continues > 0);
        json.bool_field("success", success);
        json.i64_field("retry_count", s.progress.starts.saturating_sub(1) as i64);
        json.i64_field("attempts", s.progress.starts as i64);
        json.i64_field("continues", s.progress.continues as i64);
        json.bool_field(
            "first_shot_success",
            success && s.progress.starts == 1 && s.progress.continues == 0 && s.ptype == "initial",
        );
        json.bool_field("agent_made_commits", !s.progress.files.is_empty() && !real.commits_before_resume);
        // bosun's diff layout: a summary line, then one indented line per file
        self.text.clear();
        let n = s.progress.files.len() as u32;
        if n == 0 {
            self.text.push_str("(no diff stats available)");
        } else {
            use std::fmt::Write;
            let _ =
                write!(self.text, "{} file(s) changed, +{} -{}", n, s.progress.lines_added, s.progress.lines_deleted);
            let w = s.progress.files.iter().map(|f| f.len()).max().unwrap_or(0);
            for (k, f) in s.progress.files.iter().enumerate() {
                let k = k as u32;
                let a = s.progress.lines_added / n + (k < s.progress.lines_added % n) as u32;
                let d = s.progress.lines_deleted / n + (k < s.progress.lines_deleted % n) as u32;
                let _ = write!(self.text, "\n  {:<w$}  {:>5}  {:>5}", f, format!("+{a}"), format!("-{d}"));
            }
        }
        let json = &mut self.json;
        json.str_field("diff_summary", &self.text);
        json.i64_field("diff_files_changed", n as i64);
        json.i64_field("diff_lines_added", s.progress.lines_added as i64);
        json.i64_field("diff_lines_deleted", s.progress.lines_deleted as i64);
    }

    /// Counts a file as touched by a real-style task (once per task).
    pub(super) fn real_hot_file(&mut self, s: &mut Session, file: &'static str) {
        if !s.task.counted_files.contains(&file) {
            s.task.counted_files.push(file);
            *self.tally.real_hot_files.entry(file.to_string()).or_default() += 1;
        }
    }
}
