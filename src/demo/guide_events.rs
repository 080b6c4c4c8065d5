//! Guide events.

use std::io;

use super::catalogue::*;
use super::json_writer::NumberForm;
use super::random::{mix32, round_to};
use super::session::*;
use super::simulation::Generator;
use super::texts::{long_text, test_log};
use super::timestamps::*;

impl Generator<'_> {
    pub(super) fn begin_guide_event(&mut self, s: &mut Session, t: i64, event_type: &str) -> i64 {
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
            s.ts_style
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
        json.str_field("executor", s.exec_label);
        json.str_field("executor_variant", s.variant);
        json.str_field("model", s.model.name);
        json.str_field("event_type", event_type);
        if s.start_rep.is_none() {
            s.start_rep = Some(rep);
        }
        rep
    }

    pub(super) fn end_guide_event(&mut self, s: &Session, rep: i64) {
        let json = &mut self.json;
        json.str_field("branch", &s.branch);
        json.str_field("base_branch", "main");
        json.i64_field("commits_ahead", (s.files.len() as i64 + 1) / 2);
        json.i64_field("commits_behind", 0);
        json.i64_field("elapsed_ms", rep - s.start_rep.unwrap_or(rep));
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

    /// Writes a usage object into the open data object, per the session's SDK style.
    /// Returns (normalised total tokens, cost if written).
    pub(super) fn nested_usage(&mut self, s: &Session, p: u64, c: u64, cost: f64) -> (u64, Option<f64>) {
        let json = &mut self.json;
        match s.usage {
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

    pub(super) fn emit(&mut self, s: &mut Session, ev: Event, t: i64) -> io::Result<()> {
        if let Event::Alert(kind) = ev {
            return self.write_alert(s, kind, t);
        }
        if let Some(mut x) = s.real.take() {
            let res = self.emit_real(s, &mut x, ev, t);
            s.real = Some(x);
            return res;
        }
        let Some(et) = event_type_of(&ev) else { unreachable!() };
        let rep = self.begin_guide_event(s, t, et);
        let mut is_error = false;
        let mut nested: Option<(u64, Option<f64>)> = None;
        let mut usage_ev: Option<(u64, Option<f64>)> = None;
        let mut end: Option<(Option<f64>, Option<u64>, &'static str)> = None;
        match ev {
            Event::Start { ptype, reason } => {
                s.starts += 1;
                let json = &mut self.json;
                json.open_object_field("data");
                self.text.clear();
                self.text.push_str("You are working on task \"");
                self.text.push_str(s.task.title);
                self.text.push_str("\" in project ");
                self.text.push_str(PROJECTS[s.task.project].id);
                self.text.push_str(".\n");
                self.text.push_str(s.task.description);
                if ptype != "initial" {
                    self.text
                        .push_str("\nThe previous attempt did not finish; continue from the current branch state.");
                }
                self.text.push_str(
                    "\nRules: run the tests before committing; keep the diff focused; do not modify CI configuration.",
                );
                json.str_field("prompt", &self.text);
                json.str_field("prompt_type", ptype);
                if let Some(r) = reason {
                    json.str_field("followup_reason", r);
                }
                json.close_object();
            }
            Event::Status { from, to } => {
                let json = &mut self.json;
                json.open_object_field("data");
                json.str_field("from", from);
                json.str_field("to", to);
                json.close_object();
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
                let json = &mut self.json;
                json.open_object_field("data");
                json.str_field("thinking", &self.text);
                json.close_object();
            }
            Event::Output { long } => {
                let (p, c, cost) = self.model_turn(s);
                self.text.clear();
                self.text.push_str(self.rng.pick(OUTPUTS));
                if long {
                    let n = self.rng.range(2_000, 12_000) as usize;
                    long_text(&mut self.rng, &mut self.text, PROJECTS[s.task.project].files, n);
                }
                self.json.open_object_field("data");
                self.json.str_field("output", &self.text);
                self.json.str_field("stream_type", if self.rng.chance(0.9) { "stdout" } else { "stderr" });
                if matches!(
                    s.usage,
                    UsageStyle::CodexItem
                        | UsageStyle::CodexResponse
                        | UsageStyle::CopilotMetrics
                        | UsageStyle::CopilotUsage
                        | UsageStyle::ClaudeMessage
                ) {
                    nested = Some(self.nested_usage(s, p, c, cost));
                    s.pending_p = 0;
                    s.pending_c = 0;
                    s.pending_cost = 0.0;
                }
                self.json.close_object();
            }
            Event::Call(tool) => {
                s.tool_calls += 1;
                if tool.kind == 0 {
                    s.commands += 1;
                }
                if tool.kind == 1 && !s.files.contains(&tool.arg) && s.files.len() < 12 {
                    s.files.push(tool.arg);
                }
                let json = &mut self.json;
                json.open_object_field("data");
                json.str_field("tool_name", tool.name);
                json.open_object_field("tool_params");
                match tool.kind {
                    0 => {
                        json.str_field("command", tool.arg);
                        if s.exec == 0 {
                            json.i64_field("timeout_ms", 600_000);
                        }
                    }
                    1 => {
                        json.str_field(
                            if s.exec == 2 || s.seq.is_multiple_of(2) { "file_path" } else { "path" },
                            tool.arg,
                        );
                        json.str_field("old_string", "let value = compute(input);");
                        json.str_field("new_string", "let value = compute(input).unwrap_or_default();");
                    }
                    2 => json.str_field("path", tool.arg),
                    _ => json.str_field("pattern", tool.arg),
                }
                json.close_object();
                json.close_object();
            }
            Event::Result { tool, ok, long } => {
                s.tool_results += 1;
                if !ok {
                    s.tool_failures += 1;
                    if tool.kind == 0 {
                        s.command_failures += 1;
                    }
                }
                if ok && tool.kind == 1 {
                    let a = self.rng.range(1, 60) as u32;
                    s.lines_added += a;
                    s.lines_deleted += self.rng.range(0, a as i64) as u32;
                }
                self.text.clear();
                match tool.kind {
                    0 if tool.is_test => test_log(&mut self.rng, &mut self.text, ok, if long { 120 } else { 8 }),
                    0 => {
                        self.text.push_str(if ok { "exit status 0" } else { "exit status 1: command failed" });
                        if long {
                            long_text(&mut self.rng, &mut self.text, PROJECTS[s.task.project].files, 6_000);
                        }
                    }
                    1 => self.text.push_str(if ok {
                        "Applied edit."
                    } else {
                        "Edit failed: old_string not found in file"
                    }),
                    _ => {
                        self.text.push_str("fn main() {\n    run();\n}\n");
                        if long {
                            long_text(&mut self.rng, &mut self.text, PROJECTS[s.task.project].files, 4_000);
                        }
                    }
                }
                let json = &mut self.json;
                json.open_object_field("data");
                json.str_field("tool_name", tool.name);
                match s.exec {
                    1 => json.bool_field("success", ok),
                    2 if s.seq.is_multiple_of(2) => json.str_field("status", if ok { "success" } else { "error" }),
                    _ => json.str_field("result", if ok { "success" } else { "error" }),
                }
                json.open_object_field("result_data");
                if tool.kind == 0 {
                    json.i64_field("exit_code", if ok { 0 } else { 1 });
                }
                json.str_field("output", &self.text);
                json.close_object();
                json.close_object();
            }
            Event::Error { cat, tpl } => {
                is_error = true;
                s.errors += 1;
                match s.err_cats.iter_mut().find(|(c, _)| *c == cat) {
                    Some(e) => e.1 += 1,
                    None => s.err_cats.push((cat, 1)),
                }
                let ci = cat_index(cat);
                let tpls = ERRORS_BY_CAT[ci].1;
                let tpl = tpl % tpls.len();
                let fp = format!("{:012x}", (mix32((ci as u32) << 8 | tpl as u32) as u64) << 16 | 0xbeef);
                if !s.fingerprints.contains(&fp) && s.fingerprints.len() < 8 {
                    s.fingerprints.push(fp.clone());
                }
                self.text.clear();
                let file = self.rng.pick(PROJECTS[s.task.project].files);
                let num = self.rng.range(2, 90).to_string();
                self.text.push_str(&tpls[tpl].replace("{f}", file).replace("{n}", &num));
                let with_cat = !self.rng.chance(0.04);
                let with_fp = !self.rng.chance(0.03);
                let conf = round_to(0.5 + self.rng.fraction() * 0.49, 2);
                let trace = self.rng.chance(0.2);
                let json = &mut self.json;
                json.open_object_field("data");
                json.str_field("error_message", &self.text);
                if with_cat {
                    json.str_field("error_category", cat);
                }
                if with_fp {
                    json.str_field("error_fingerprint", &fp);
                }
                json.f64_field("error_confidence", conf);
                if trace {
                    json.str_field("stack_trace", "Error: request failed\n    at Client.send (client.js:212:15)\n    at async Agent.turn (agent.js:88:9)");
                }
                json.close_object();
            }
            Event::Usage => {
                // A usage event reports what was consumed since the last one.
                let (p, c, cost) = (s.pending_p, s.pending_c, s.pending_cost);
                s.pending_p = 0;
                s.pending_c = 0;
                s.pending_cost = 0.0;
                // Some SDKs write these numbers as strings.
                let tokens_form = NumberForm::quoted_if(self.rng.chance(0.15));
                let with_cost = self.rng.chance(0.7);
                let cost_form = NumberForm::quoted_if(self.rng.chance(0.1));
                let claude = s.exec == 2;
                let json = &mut self.json;
                json.open_object_field("data");
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
                json.close_object();
                usage_ev = Some((p + c, if with_cost { Some(v) } else { None }));
            }
            Event::Followup { reason } => {
                s.continues += 1;
                let json = &mut self.json;
                json.open_object_field("data");
                json.str_field(
                    "prompt",
                    "Continue. You seem to be stuck: summarise what you tried, then take a different approach.",
                );
                json.str_field("followup_reason", reason);
                json.close_object();
            }
            Event::End => {
                let status = match s.outcome {
                    Outcome::Success => {
                        if s.exec == 0 || self.rng.chance(0.3) {
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
                let duration = rep - s.start_rep.unwrap_or(rep);
                let total = s.prompt_tok + s.compl_tok;
                let cost = round_to(s.cost, 4);
                let json = &mut self.json;
                json.open_object_field("data");
                json.str_field("completion_status", status);
                json.i64_field("duration_ms", duration);
                let (mut ec, mut et) = (None, None);
                match s.usage {
                    UsageStyle::None => {}
                    UsageStyle::ClaudeMessage | UsageStyle::ClaudeEvents => {
                        json.open_object_field("result");
                        json.open_object_field("usage");
                        json.u64_field("input_tokens", s.prompt_tok);
                        json.u64_field("output_tokens", s.compl_tok);
                        json.f64_field("total_cost_usd", cost);
                        json.close_object();
                        json.close_object();
                        ec = Some(cost);
                        et = Some(total);
                    }
                    UsageStyle::CopilotSummaryOnly | UsageStyle::CopilotMetrics => {
                        json.open_object_field("usage");
                        json.u64_field("input_tokens", s.prompt_tok);
                        json.u64_field("output_tokens", s.compl_tok);
                        json.close_object();
                        et = Some(total);
                    }
                    _ => {
                        json.u64_field("total_tokens", total);
                        if s.usage != UsageStyle::CodexResponse {
                            json.f64_field("cost_usd", cost);
                            ec = Some(cost);
                        }
                        et = Some(total);
                    }
                }
                if s.newer_end {
                    json.bool_field("success", s.outcome == Outcome::Success);
                    json.i64_field("attempts", s.starts as i64);
                    json.i64_field("continues", s.continues as i64);
                    json.i64_field("tool_calls", s.tool_calls as i64);
                    json.i64_field("tool_failures", s.tool_failures as i64);
                    json.open_array_field("anomalies");
                    for a in &s.anomalies {
                        json.str_item(a);
                    }
                    json.close_array();
                    json.i64_field("diff_files_changed", s.files.len() as i64);
                }
                json.close_object();
                end = Some((ec, et, status));
            }
            Event::Alert(_) | Event::Crash => unreachable!(),
        }
        self.end_guide_event(s, rep);
        if s.rotated {
            return Ok(()); // this attempt's events were rotated away; only its metrics row survives
        }
        // Account for what is now written.
        if let Some((tok, cost)) = nested {
            s.nest_tok = Some(s.nest_tok.unwrap_or(0) + tok);
            if let Some(c) = cost {
                s.nest_cost = Some(s.nest_cost.unwrap_or(0.0) + c);
            }
        }
        if let Some((tok, cost)) = usage_ev {
            s.ev_tok = Some(s.ev_tok.unwrap_or(0) + tok);
            if let Some(c) = cost {
                s.ev_cost = Some(s.ev_cost.unwrap_or(0.0) + c);
            }
        }
        if let Some((c, tk, st)) = end {
            s.end_cost = c;
            s.end_tok = tk;
            s.end_status = Some(st);
        }
        self.write_event(Some(s), is_error, rep)
    }
}
