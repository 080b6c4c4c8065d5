//! Event lines in the telemetry guide's shapes (bosun-telemetry-format.md), with every variant
//! the guide allows: timestamp formats, executor spellings, where each SDK puts its usage, how a
//! tool result says it failed, numbers as strings, fields left out.

use std::io;

use super::catalogue::{cat_index, Executor, ToolKind, ERRORS_BY_CAT, OUTPUTS, PROJECTS, THOUGHTS};
use super::json_writer::NumberForm;
use super::random::{mix32, round_to};
use super::session::{event_type_of, Event, Outcome, Session, Tool, UsageStyle};
use super::simulation::Generator;
use super::tally::SessionEnd;
use super::texts::{long_text, test_log};
use super::timestamps::{write_ts, TsStyle};

/// The guide writer's error fingerprint: a hash of the category and the message template.
pub(super) fn guide_fingerprint(category_index: usize, tpl: usize) -> String {
    format!("{:012x}", (mix32((category_index as u32) << 8 | tpl as u32) as u64) << 16 | 0xbeef)
}

/// Tokens and cost a line reports: (tokens, cost when written).
type Usage = (u64, Option<f64>);

impl Generator<'_> {
    /// One event of a guide-style session: the line's common fields, its `data`, its tail.
    pub(super) fn emit_guide(&mut self, s: &mut Session, ev: Event, t: i64) -> io::Result<()> {
        let Some(event_type) = event_type_of(&ev) else { unreachable!("alerts and crashes are not event lines") };
        let rep = self.begin_guide_event(s, t, event_type);
        let mut is_error = false;
        let mut nested_usage: Option<Usage> = None;
        let mut usage_event: Option<Usage> = None;
        let mut end: Option<SessionEnd> = None;
        self.json.open_object_field("data");
        match ev {
            Event::Start { ptype, reason } => {
                s.progress.starts += 1;
                self.guide_start_data(s, ptype, reason);
            }
            Event::Status { from, to } => {
                self.json.str_field("from", from);
                self.json.str_field("to", to);
            }
            Event::Thinking => {
                self.text.clear();
                let n = self.rng.range(1, 4);
                for k in 0..n {
                    if k > 0 {
                        self.text.push(' ');
                    }
                    self.text.push_str(self.rng.pick(THOUGHTS));
                }
                self.json.str_field("thinking", &self.text);
            }
            Event::Output { long } => nested_usage = self.guide_output_data(s, long),
            Event::Call(tool) => {
                s.count_call(&tool);
                self.guide_call_data(s, &tool);
            }
            Event::Result { tool, ok, long } => {
                s.count_result(&tool, ok, &mut self.rng);
                self.guide_result_data(s, &tool, ok, long);
            }
            Event::Error { cat, tpl } => {
                is_error = true;
                self.guide_error_data(s, cat, tpl);
            }
            Event::Usage => usage_event = Some(self.guide_usage_data(s)),
            Event::Followup { reason } => {
                s.progress.continues += 1;
                self.json.str_field(
                    "prompt",
                    "Continue. You seem to be stuck: summarise what you tried, then take a different approach.",
                );
                self.json.str_field("followup_reason", reason);
            }
            Event::End => end = Some(self.guide_end_data(s, rep)),
            Event::Alert(_) | Event::Crash => unreachable!(),
        }
        self.json.close_object();
        self.end_guide_event(s, rep);
        if s.plan.rotated {
            return Ok(()); // this attempt's events were rotated away; only its metrics row survives
        }
        // Account for what is now written.
        if let Some((tokens, cost)) = nested_usage {
            s.written.add_nested_usage(tokens, cost);
        }
        if let Some((tokens, cost)) = usage_event {
            s.written.add_usage_event(tokens, cost);
        }
        if let Some(end) = end {
            s.written.set_end(end);
        }
        self.write_event(Some(s), is_error, rep)
    }

    /// Starts the line: its timestamp and the fields every guide event carries.
    fn begin_guide_event(&mut self, s: &mut Session, t: i64, event_type: &str) -> i64 {
        let jitter = if self.rng.chance(0.2) { self.rng.range(0, 2500) } else { 0 };
        let ms = (t - jitter).max(s.last_ms).max(self.start_ms);
        s.last_ms = ms;
        s.seq += 1;
        let style = if self.rng.chance(0.01) {
            if self.rng.chance(0.5) {
                TsStyle::EpochNum
            } else {
                TsStyle::EpochStr
            }
        } else {
            s.style.timestamps
        };
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, ms, style, &mut self.rng);
        json.str_field("attempt_id", &s.attempt_id);
        json.str_field("session_id", &s.session_id);
        if let Some(id) = &s.task.id {
            json.str_field("task_id", id);
        }
        json.str_field("task_title", s.task.title);
        if event_type == "session_start" {
            json.str_field("task_description", s.task.description);
        }
        json.str_field("project_id", PROJECTS[s.task.project].id);
        json.str_field("executor", s.style.executor_label);
        json.str_field("executor_variant", s.style.variant);
        json.str_field("model", s.model.name);
        json.str_field("event_type", event_type);
        if s.first_line_ms.is_none() {
            s.first_line_ms = Some(rep);
        }
        rep
    }

    /// Ends the line: the git fields, the sequence number, now and then the project's tags.
    fn end_guide_event(&mut self, s: &Session, rep: i64) {
        let json = &mut self.json;
        json.str_field("branch", &s.branch);
        json.str_field("base_branch", "main");
        json.i64_field("commits_ahead", (s.progress.files.len() as i64 + 1) / 2);
        json.i64_field("commits_behind", 0);
        json.i64_field("elapsed_ms", s.elapsed_ms(rep));
        json.i64_field("sequence_num", s.seq as i64);
        if s.seq.is_multiple_of(3) {
            let tags = PROJECTS[s.task.project].tags;
            json.open_array_field("tags");
            for t in tags {
                json.str_item(t);
            }
            json.close_array();
        }
        json.close_object();
    }

    fn guide_start_data(&mut self, s: &Session, ptype: &str, reason: Option<&str>) {
        self.text.clear();
        self.text.push_str("You are working on task \"");
        self.text.push_str(s.task.title);
        self.text.push_str("\" in project ");
        self.text.push_str(PROJECTS[s.task.project].id);
        self.text.push_str(".\n");
        self.text.push_str(s.task.description);
        if ptype != "initial" {
            self.text.push_str("\nThe previous attempt did not finish; continue from the current branch state.");
        }
        self.text.push_str(
            "\nRules: run the tests before committing; keep the diff focused; do not modify CI configuration.",
        );
        let json = &mut self.json;
        json.str_field("prompt", &self.text);
        json.str_field("prompt_type", ptype);
        if let Some(r) = reason {
            json.str_field("followup_reason", r);
        }
    }

    /// A model turn's output; with some SDKs, the turn's usage nested in it (returned).
    fn guide_output_data(&mut self, s: &mut Session, long: bool) -> Option<Usage> {
        let (p, c, cost) = self.model_turn(s);
        self.text.clear();
        self.text.push_str(self.rng.pick(OUTPUTS));
        if long {
            let n = self.rng.range(2_000, 12_000) as usize;
            long_text(&mut self.rng, &mut self.text, PROJECTS[s.task.project].files, n);
        }
        self.json.str_field("output", &self.text);
        self.json.str_field("stream_type", if self.rng.chance(0.9) { "stdout" } else { "stderr" });
        if matches!(
            s.style.usage,
            UsageStyle::CodexItem
                | UsageStyle::CodexResponse
                | UsageStyle::CopilotMetrics
                | UsageStyle::CopilotUsage
                | UsageStyle::ClaudeMessage
        ) {
            let nested = self.nested_usage(s, p, c, cost);
            s.take_pending_usage();
            return Some(nested);
        }
        None
    }

    /// Writes a usage object into the open data object, per the session's SDK style.
    /// Returns (normalised total tokens, cost if written).
    fn nested_usage(&mut self, s: &Session, p: u64, c: u64, cost: f64) -> Usage {
        let json = &mut self.json;
        match s.style.usage {
            UsageStyle::CodexItem => {
                json.open_object_field("item");
                json.str_field("type", "agent_message");
                json.open_object_field("usage");
                json.u64_field("prompt_tokens", p);
                json.u64_field("completion_tokens", c);
                json.u64_field("total_tokens", p + c);
                json.close_object();
                json.close_object();
                (p + c, None)
            }
            UsageStyle::CodexResponse => {
                json.open_object_field("response");
                json.str_field("id", "resp_demo");
                json.open_object_field("usage");
                json.u64_field("prompt_tokens", p);
                json.u64_field("completion_tokens", c);
                json.close_object();
                json.close_object();
                (p + c, None)
            }
            UsageStyle::CopilotMetrics => {
                json.open_object_field("metrics");
                json.open_object_field("usage");
                json.u64_field("input_tokens", p);
                json.u64_field("output_tokens", c);
                json.close_object();
                json.close_object();
                (p + c, None)
            }
            UsageStyle::CopilotUsage => {
                json.open_object_field("usage");
                json.u64_field("prompt_tokens", p);
                json.u64_field("completion_tokens", c);
                json.u64_field("total_tokens", 0);
                let v = round_to(cost, 6);
                json.f64_field("cost_usd", v);
                json.close_object();
                (p + c, Some(v))
            }
            UsageStyle::ClaudeMessage => {
                let cache_read = p * 7 / 10;
                let cache_new = p / 5;
                let input = p - cache_read - cache_new;
                json.open_object_field("message");
                json.str_field("role", "assistant");
                json.open_object_field("usage");
                json.u64_field("input_tokens", input);
                json.u64_field("output_tokens", c);
                json.u64_field("cache_read_input_tokens", cache_read);
                json.u64_field("cache_creation_input_tokens", cache_new);
                json.close_object();
                json.close_object();
                (p + c, None)
            }
            _ => (0, None),
        }
    }

    fn guide_call_data(&mut self, s: &Session, tool: &Tool) {
        let json = &mut self.json;
        json.str_field("tool_name", tool.name);
        json.open_object_field("tool_params");
        match tool.kind {
            ToolKind::Shell => {
                json.str_field("command", tool.arg);
                if s.executor == Executor::Codex {
                    json.i64_field("timeout_ms", 600_000);
                }
            }
            ToolKind::Edit => {
                let key = if s.executor == Executor::Claude || s.seq.is_multiple_of(2) { "file_path" } else { "path" };
                json.str_field(key, tool.arg);
                json.str_field("old_string", "let value = compute(input);");
                json.str_field("new_string", "let value = compute(input).unwrap_or_default();");
            }
            ToolKind::Read => json.str_field("path", tool.arg),
            ToolKind::Search => json.str_field("pattern", tool.arg),
        }
        json.close_object();
    }

    fn guide_result_data(&mut self, s: &Session, tool: &Tool, ok: bool, long: bool) {
        let files = PROJECTS[s.task.project].files;
        self.text.clear();
        match tool.kind {
            ToolKind::Shell if tool.is_test => test_log(&mut self.rng, &mut self.text, ok, if long { 120 } else { 8 }),
            ToolKind::Shell => {
                self.text.push_str(if ok { "exit status 0" } else { "exit status 1: command failed" });
                if long {
                    long_text(&mut self.rng, &mut self.text, files, 6_000);
                }
            }
            ToolKind::Edit => {
                self.text.push_str(if ok { "Applied edit." } else { "Edit failed: old_string not found in file" })
            }
            ToolKind::Read | ToolKind::Search => {
                self.text.push_str("fn main() {\n    run();\n}\n");
                if long {
                    long_text(&mut self.rng, &mut self.text, files, 4_000);
                }
            }
        }
        let json = &mut self.json;
        json.str_field("tool_name", tool.name);
        // three ways of saying whether it worked
        match s.executor {
            Executor::Copilot => json.bool_field("success", ok),
            Executor::Claude if s.seq.is_multiple_of(2) => {
                json.str_field("status", if ok { "success" } else { "error" })
            }
            _ => json.str_field("result", if ok { "success" } else { "error" }),
        }
        json.open_object_field("result_data");
        if tool.kind == ToolKind::Shell {
            json.i64_field("exit_code", if ok { 0 } else { 1 });
        }
        json.str_field("output", &self.text);
        json.close_object();
    }

    fn guide_error_data(&mut self, s: &mut Session, cat: &'static str, tpl: usize) {
        s.count_error(cat);
        let ci = cat_index(cat);
        let tpls = ERRORS_BY_CAT[ci].1;
        let tpl = tpl % tpls.len();
        let fp = guide_fingerprint(ci, tpl);
        s.remember_fingerprint(&fp);
        self.text.clear();
        let file = self.rng.pick(PROJECTS[s.task.project].files);
        let num = self.rng.range(2, 90).to_string();
        self.text.push_str(&tpls[tpl].replace("{f}", file).replace("{n}", &num));
        let with_category = !self.rng.chance(0.04);
        let with_fingerprint = !self.rng.chance(0.03);
        let confidence = round_to(0.5 + self.rng.fraction() * 0.49, 2);
        let with_trace = self.rng.chance(0.2);
        let json = &mut self.json;
        json.str_field("error_message", &self.text);
        if with_category {
            json.str_field("error_category", cat);
        }
        if with_fingerprint {
            json.str_field("error_fingerprint", &fp);
        }
        json.f64_field("error_confidence", confidence);
        if with_trace {
            json.str_field(
                "stack_trace",
                "Error: request failed\n    at Client.send (client.js:212:15)\n    at async Agent.turn (agent.js:88:9)",
            );
        }
    }

    /// A usage event: what was consumed since the last one.
    fn guide_usage_data(&mut self, s: &mut Session) -> Usage {
        let (p, c, cost) = s.take_pending_usage();
        // Some SDKs write these numbers as strings.
        let tokens_form = NumberForm::quoted_if(self.rng.chance(0.15));
        let with_cost = self.rng.chance(0.7);
        let cost_form = NumberForm::quoted_if(self.rng.chance(0.1));
        let claude = s.executor == Executor::Claude;
        let json = &mut self.json;
        if claude {
            json.u64_field_as("input_tokens", p, tokens_form);
            json.u64_field_as("output_tokens", c, tokens_form);
        } else {
            json.u64_field_as("prompt_tokens", p, tokens_form);
            json.u64_field_as("completion_tokens", c, tokens_form);
            json.u64_field_as("total_tokens", p + c, tokens_form);
        }
        let v = round_to(cost, 6);
        if with_cost {
            json.f64_field_as(if claude { "total_cost_usd" } else { "cost_usd" }, v, cost_form);
        }
        (p + c, if with_cost { Some(v) } else { None })
    }

    /// The session_end: its status and duration, its usage where its SDK reports it, and with
    /// the newer writer its rollup.
    fn guide_end_data(&mut self, s: &Session, rep: i64) -> SessionEnd {
        let done = &s.progress;
        let status = match s.plan.outcome {
            Outcome::Success => {
                if s.executor == Executor::Codex || self.rng.chance(0.3) {
                    "completed"
                } else {
                    "success"
                }
            }
            Outcome::Failed => "failed",
            Outcome::Timeout => "timeout",
            Outcome::Interrupted => "interrupted",
            Outcome::Error => "error",
        };
        let total = s.total_tokens();
        let cost = round_to(done.cost_usd, 4);
        let json = &mut self.json;
        json.str_field("completion_status", status);
        json.i64_field("duration_ms", s.elapsed_ms(rep));
        let mut end = SessionEnd { cost: None, tokens: None, status };
        match s.style.usage {
            UsageStyle::None => {}
            UsageStyle::ClaudeMessage | UsageStyle::ClaudeEvents => {
                json.open_object_field("result");
                json.open_object_field("usage");
                json.u64_field("input_tokens", done.prompt_tokens);
                json.u64_field("output_tokens", done.completion_tokens);
                json.f64_field("total_cost_usd", cost);
                json.close_object();
                json.close_object();
                end.cost = Some(cost);
                end.tokens = Some(total);
            }
            UsageStyle::CopilotSummaryOnly | UsageStyle::CopilotMetrics => {
                json.open_object_field("usage");
                json.u64_field("input_tokens", done.prompt_tokens);
                json.u64_field("output_tokens", done.completion_tokens);
                json.close_object();
                end.tokens = Some(total);
            }
            _ => {
                json.u64_field("total_tokens", total);
                if s.style.usage != UsageStyle::CodexResponse {
                    json.f64_field("cost_usd", cost);
                    end.cost = Some(cost);
                }
                end.tokens = Some(total);
            }
        }
        if s.style.end_rollup {
            json.bool_field("success", s.plan.outcome == Outcome::Success);
            json.i64_field("attempts", done.starts as i64);
            json.i64_field("continues", done.continues as i64);
            json.i64_field("tool_calls", done.tool_calls as i64);
            json.i64_field("tool_failures", done.tool_failures as i64);
            json.open_array_field("anomalies");
            for a in &done.anomalies {
                json.str_item(a);
            }
            json.close_array();
            json.i64_field("diff_files_changed", done.files.len() as i64);
        }
        end
    }
}
