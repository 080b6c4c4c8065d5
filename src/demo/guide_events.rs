//! Guide events.

use std::io;

use super::catalogue::*;
use super::random::{mix32, round_to};
use super::session::*;
use super::simulation::Gen;
use super::texts::{long_text, test_log};
use super::timestamps::*;

impl Gen<'_> {
    pub(super) fn common(&mut self, s: &mut Session, t: i64, event_type: &str) -> i64 {
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
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, style, &mut self.rng);
        j.s("attempt_id", &s.attempt_id);
        j.s("session_id", &s.session_id);
        if let Some(id) = &s.task.id {
            j.s("task_id", id);
        }
        j.s("task_title", s.task.title);
        if event_type == "session_start" {
            j.s("task_description", s.task.description);
        }
        j.s("project_id", PROJECTS[s.task.project].id);
        j.s("executor", s.exec_label);
        j.s("executor_variant", s.variant);
        j.s("model", s.model.name);
        j.s("event_type", event_type);
        if s.start_rep.is_none() {
            s.start_rep = Some(rep);
        }
        rep
    }

    pub(super) fn tail(&mut self, s: &Session, rep: i64) {
        let j = &mut self.j;
        j.s("branch", &s.branch);
        j.s("base_branch", "main");
        j.i("commits_ahead", (s.files.len() as i64 + 1) / 2);
        j.i("commits_behind", 0);
        j.i("elapsed_ms", rep - s.start_rep.unwrap_or(rep));
        j.i("sequence_num", s.seq as i64);
        if s.seq.is_multiple_of(3) {
            let tags = PROJECTS[s.task.project].tags;
            j.a("tags");
            for t in tags {
                j.item_s(t);
            }
            j.a_end();
        }
        j.close();
    }

    /// Writes a usage object into the open data object, per the session's SDK style.
    /// Returns (normalised total tokens, cost if written).
    pub(super) fn nested_usage(&mut self, s: &Session, p: u64, c: u64, cost: f64) -> (u64, Option<f64>) {
        let j = &mut self.j;
        match s.usage {
            UsageStyle::CodexItem => {
                j.o("item");
                j.s("type", "agent_message");
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", p + c, false);
                j.close();
                j.close();
                (p + c, None)
            }
            UsageStyle::CodexResponse => {
                j.o("response");
                j.s("id", "resp_demo");
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.close();
                j.close();
                (p + c, None)
            }
            UsageStyle::CopilotMetrics => {
                j.o("metrics");
                j.o("usage");
                j.num("input_tokens", p, false);
                j.num("output_tokens", c, false);
                j.close();
                j.close();
                (p + c, None)
            }
            UsageStyle::CopilotUsage => {
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", 0, false);
                let v = round_to(cost, 6);
                j.f("cost_usd", v);
                j.close();
                (p + c, Some(v))
            }
            UsageStyle::ClaudeMessage => {
                let cache_read = p * 7 / 10;
                let cache_new = p / 5;
                let input = p - cache_read - cache_new;
                j.o("message");
                j.s("role", "assistant");
                j.o("usage");
                j.num("input_tokens", input, false);
                j.num("output_tokens", c, false);
                j.num("cache_read_input_tokens", cache_read, false);
                j.num("cache_creation_input_tokens", cache_new, false);
                j.close();
                j.close();
                (p + c, None)
            }
            _ => (0, None),
        }
    }

    pub(super) fn emit(&mut self, s: &mut Session, ev: Ev, t: i64) -> io::Result<()> {
        if let Ev::Alert(kind) = ev {
            return self.write_alert(s, kind, t);
        }
        if let Some(mut x) = s.real.take() {
            let res = self.emit_real(s, &mut x, ev, t);
            s.real = Some(x);
            return res;
        }
        let Some(et) = event_type_of(&ev) else { unreachable!() };
        let rep = self.common(s, t, et);
        let mut is_error = false;
        let mut nested: Option<(u64, Option<f64>)> = None;
        let mut usage_ev: Option<(u64, Option<f64>)> = None;
        let mut end: Option<(Option<f64>, Option<u64>, &'static str)> = None;
        match ev {
            Ev::Start { ptype, reason } => {
                s.starts += 1;
                let j = &mut self.j;
                j.o("data");
                self.txt.clear();
                self.txt.push_str("You are working on task \"");
                self.txt.push_str(s.task.title);
                self.txt.push_str("\" in project ");
                self.txt.push_str(PROJECTS[s.task.project].id);
                self.txt.push_str(".\n");
                self.txt.push_str(s.task.description);
                if ptype != "initial" {
                    self.txt.push_str("\nThe previous attempt did not finish; continue from the current branch state.");
                }
                self.txt.push_str(
                    "\nRules: run the tests before committing; keep the diff focused; do not modify CI configuration.",
                );
                j.s("prompt", &self.txt);
                j.s("prompt_type", ptype);
                if let Some(r) = reason {
                    j.s("followup_reason", r);
                }
                j.close();
            }
            Ev::Status { from, to } => {
                let j = &mut self.j;
                j.o("data");
                j.s("from", from);
                j.s("to", to);
                j.close();
            }
            Ev::Thinking => {
                self.txt.clear();
                let n = self.rng.range(1, 4);
                for k in 0..n {
                    if k > 0 {
                        self.txt.push(' ');
                    }
                    self.txt.push_str(self.rng.pick(THOUGHTS));
                }
                let j = &mut self.j;
                j.o("data");
                j.s("thinking", &self.txt);
                j.close();
            }
            Ev::Output { long } => {
                let (p, c, cost) = self.consume(s);
                self.txt.clear();
                self.txt.push_str(self.rng.pick(OUTPUTS));
                if long {
                    let n = self.rng.range(2_000, 12_000) as usize;
                    long_text(&mut self.rng, &mut self.txt, PROJECTS[s.task.project].files, n);
                }
                self.j.o("data");
                self.j.s("output", &self.txt);
                self.j.s("stream_type", if self.rng.chance(0.9) { "stdout" } else { "stderr" });
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
                self.j.close();
            }
            Ev::Call(tool) => {
                s.tool_calls += 1;
                if tool.kind == 0 {
                    s.commands += 1;
                }
                if tool.kind == 1 && !s.files.contains(&tool.arg) && s.files.len() < 12 {
                    s.files.push(tool.arg);
                }
                let j = &mut self.j;
                j.o("data");
                j.s("tool_name", tool.name);
                j.o("tool_params");
                match tool.kind {
                    0 => {
                        j.s("command", tool.arg);
                        if s.exec == 0 {
                            j.i("timeout_ms", 600_000);
                        }
                    }
                    1 => {
                        j.s(if s.exec == 2 || s.seq.is_multiple_of(2) { "file_path" } else { "path" }, tool.arg);
                        j.s("old_string", "let value = compute(input);");
                        j.s("new_string", "let value = compute(input).unwrap_or_default();");
                    }
                    2 => j.s("path", tool.arg),
                    _ => j.s("pattern", tool.arg),
                }
                j.close();
                j.close();
            }
            Ev::Result { tool, ok, long } => {
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
                self.txt.clear();
                match tool.kind {
                    0 if tool.is_test => test_log(&mut self.rng, &mut self.txt, ok, if long { 120 } else { 8 }),
                    0 => {
                        self.txt.push_str(if ok { "exit status 0" } else { "exit status 1: command failed" });
                        if long {
                            long_text(&mut self.rng, &mut self.txt, PROJECTS[s.task.project].files, 6_000);
                        }
                    }
                    1 => self.txt.push_str(if ok {
                        "Applied edit."
                    } else {
                        "Edit failed: old_string not found in file"
                    }),
                    _ => {
                        self.txt.push_str("fn main() {\n    run();\n}\n");
                        if long {
                            long_text(&mut self.rng, &mut self.txt, PROJECTS[s.task.project].files, 4_000);
                        }
                    }
                }
                let j = &mut self.j;
                j.o("data");
                j.s("tool_name", tool.name);
                match s.exec {
                    1 => j.bo("success", ok),
                    2 if s.seq.is_multiple_of(2) => j.s("status", if ok { "success" } else { "error" }),
                    _ => j.s("result", if ok { "success" } else { "error" }),
                }
                j.o("result_data");
                if tool.kind == 0 {
                    j.i("exit_code", if ok { 0 } else { 1 });
                }
                j.s("output", &self.txt);
                j.close();
                j.close();
            }
            Ev::Error { cat, tpl } => {
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
                self.txt.clear();
                let file = self.rng.pick(PROJECTS[s.task.project].files);
                let num = self.rng.range(2, 90).to_string();
                self.txt.push_str(&tpls[tpl].replace("{f}", file).replace("{n}", &num));
                let with_cat = !self.rng.chance(0.04);
                let with_fp = !self.rng.chance(0.03);
                let conf = round_to(0.5 + self.rng.f() * 0.49, 2);
                let trace = self.rng.chance(0.2);
                let j = &mut self.j;
                j.o("data");
                j.s("error_message", &self.txt);
                if with_cat {
                    j.s("error_category", cat);
                }
                if with_fp {
                    j.s("error_fingerprint", &fp);
                }
                j.f("error_confidence", conf);
                if trace {
                    j.s("stack_trace", "Error: request failed\n    at Client.send (client.js:212:15)\n    at async Agent.turn (agent.js:88:9)");
                }
                j.close();
            }
            Ev::Usage => {
                // A usage event reports what was consumed since the last one.
                let (p, c, cost) = (s.pending_p, s.pending_c, s.pending_cost);
                s.pending_p = 0;
                s.pending_c = 0;
                s.pending_cost = 0.0;
                let as_str = self.rng.chance(0.15);
                let with_cost = self.rng.chance(0.7);
                let cost_str = self.rng.chance(0.1);
                let claude = s.exec == 2;
                let j = &mut self.j;
                j.o("data");
                if claude {
                    j.num("input_tokens", p, as_str);
                    j.num("output_tokens", c, as_str);
                } else {
                    j.num("prompt_tokens", p, as_str);
                    j.num("completion_tokens", c, as_str);
                    j.num("total_tokens", p + c, as_str);
                }
                let v = round_to(cost, 6);
                if with_cost {
                    j.fs(if claude { "total_cost_usd" } else { "cost_usd" }, v, cost_str);
                }
                j.close();
                usage_ev = Some((p + c, if with_cost { Some(v) } else { None }));
            }
            Ev::Followup { reason } => {
                s.continues += 1;
                let j = &mut self.j;
                j.o("data");
                j.s(
                    "prompt",
                    "Continue. You seem to be stuck: summarise what you tried, then take a different approach.",
                );
                j.s("followup_reason", reason);
                j.close();
            }
            Ev::End => {
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
                let j = &mut self.j;
                j.o("data");
                j.s("completion_status", status);
                j.i("duration_ms", duration);
                let (mut ec, mut et) = (None, None);
                match s.usage {
                    UsageStyle::None => {}
                    UsageStyle::ClaudeMessage | UsageStyle::ClaudeEvents => {
                        j.o("result");
                        j.o("usage");
                        j.num("input_tokens", s.prompt_tok, false);
                        j.num("output_tokens", s.compl_tok, false);
                        j.f("total_cost_usd", cost);
                        j.close();
                        j.close();
                        ec = Some(cost);
                        et = Some(total);
                    }
                    UsageStyle::CopilotSummaryOnly | UsageStyle::CopilotMetrics => {
                        j.o("usage");
                        j.num("input_tokens", s.prompt_tok, false);
                        j.num("output_tokens", s.compl_tok, false);
                        j.close();
                        et = Some(total);
                    }
                    _ => {
                        j.num("total_tokens", total, false);
                        if s.usage != UsageStyle::CodexResponse {
                            j.f("cost_usd", cost);
                            ec = Some(cost);
                        }
                        et = Some(total);
                    }
                }
                if s.newer_end {
                    j.bo("success", s.outcome == Outcome::Success);
                    j.i("attempts", s.starts as i64);
                    j.i("continues", s.continues as i64);
                    j.i("tool_calls", s.tool_calls as i64);
                    j.i("tool_failures", s.tool_failures as i64);
                    j.a("anomalies");
                    for a in &s.anomalies {
                        j.item_s(a);
                    }
                    j.a_end();
                    j.i("diff_files_changed", s.files.len() as i64);
                }
                j.close();
                end = Some((ec, et, status));
            }
            Ev::Alert(_) | Ev::Crash => unreachable!(),
        }
        self.tail(s, rep);
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
