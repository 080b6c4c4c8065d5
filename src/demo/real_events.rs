//! Real events.

use std::io;

use super::catalogue::*;
use super::json_writer::push_json_string;
use super::random::{mix32, round_to, str_hash};
use super::session::*;
use super::simulation::Generator;
use super::tally::TokenBreakdown;
use super::texts::{long_text, test_log};
use super::timestamps::*;

impl Generator<'_> {
    /// The line prefix of bosun's real writer (JavaScript: `toISOString()` timestamps).
    pub(super) fn begin_real_event(&mut self, s: &mut Session, t: i64, event_type: &str) -> i64 {
        let jitter = if self.rng.chance(0.2) { self.rng.range(0, 2500) } else { 0 };
        // strictly increasing: without sequence numbers, two equal lines would be one record
        let ms = (t - jitter).max(s.last_ms + s.seq.min(1) as i64).max(self.start_ms);
        s.last_ms = ms;
        s.seq += 1;
        let with_task = !s.omit_task && !self.real_rng.chance(0.1);
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
        json.str_field("executor", s.exec_label);
        json.str_field("executor_variant", s.variant);
        json.str_field("model", s.model.name);
        json.str_field("event_type", event_type);
        if s.start_rep.is_none() {
            s.start_rep = Some(rep);
        }
        rep
    }

    /// An error of a real-style session: (the classifier's name as written, its canonical
    /// category, the message). The same kind of error reads the same within a session (its
    /// numbers aside, which the fingerprint replaces), so error loops keep one fingerprint.
    pub(super) fn real_error(
        s: &Session,
        salt: u32,
        cat: &str,
        tpl: usize,
        num: i64,
    ) -> (&'static str, &'static str, String) {
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
            "tool_error" if s.exec == 0 => (Some("codex_sandbox"), "", None),
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
        (written, canonical, message)
    }

    /// The rollup bosun's real writer puts in `session_end` (with a duration) and in the
    /// metrics row (without): the same facts, field for field.
    pub(super) fn real_rollup(&mut self, s: &Session, x: &RealFacts, duration_ms: Option<i64>) {
        let success = s.outcome == Outcome::Success;
        let status = match s.outcome {
            Outcome::Success => "completed",
            Outcome::Failed => "failed",
            Outcome::Timeout => "timeout",
            Outcome::Interrupted => "interrupted",
            Outcome::Error => "error",
        };
        let json = &mut self.json;
        json.str_field("completion_status", status);
        if let Some(d) = duration_ms {
            json.i64_field("duration_ms", d);
        }
        let st = x.counters;
        json.u64_field_as("tool_calls", s.tool_calls as u64, st);
        json.u64_field("tool_results", s.tool_results as u64);
        json.u64_field_as("tool_failures", s.tool_failures as u64, st);
        json.u64_field_as("commands", s.commands as u64, st);
        json.u64_field("command_failures", s.command_failures as u64);
        json.u64_field("permission_requests", (x.permission_requests + x.permission_denied) as u64);
        json.u64_field("permission_denied", x.permission_denied as u64);
        json.u64_field_as("prompt_tokens", s.prompt_tok, st);
        json.u64_field("completion_tokens", s.compl_tok);
        json.u64_field("total_tokens", s.prompt_tok + s.compl_tok);
        // cost 0 when the SDK reported none (Codex, Claude): unknown, not free
        json.f64_field("cost_usd", if s.exec == 1 { round_to(s.cost, 4) } else { 0.0 });
        json.str_field("model", s.model.name);
        json.open_array_field("anomaly_actions");
        for (k, a) in s.anomalies.iter().enumerate() {
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
            json.i64_field("timestamp", s.start_rep.unwrap_or(0) + (k as i64 + 1) * 61_000);
            json.close_object();
        }
        json.close_array();
        json.bool_field("auto_resume", x.auto_resume || s.continues > 0);
        json.bool_field("success", success);
        json.i64_field("retry_count", s.starts.saturating_sub(1) as i64);
        json.i64_field("attempts", s.starts as i64);
        json.i64_field("continues", s.continues as i64);
        json.bool_field("first_shot_success", success && s.starts == 1 && s.continues == 0 && s.ptype == "initial");
        json.bool_field("agent_made_commits", !s.files.is_empty() && !x.commits_before_resume);
        // bosun's diff layout: a summary line, then one indented line per file
        self.text.clear();
        let n = s.files.len() as u32;
        if n == 0 {
            self.text.push_str("(no diff stats available)");
        } else {
            use std::fmt::Write;
            let _ = write!(self.text, "{} file(s) changed, +{} -{}", n, s.lines_added, s.lines_deleted);
            let w = s.files.iter().map(|f| f.len()).max().unwrap_or(0);
            for (k, f) in s.files.iter().enumerate() {
                let k = k as u32;
                let a = s.lines_added / n + (k < s.lines_added % n) as u32;
                let d = s.lines_deleted / n + (k < s.lines_deleted % n) as u32;
                let _ = write!(self.text, "\n  {:<w$}  {:>5}  {:>5}", f, format!("+{a}"), format!("-{d}"));
            }
        }
        let json = &mut self.json;
        json.str_field("diff_summary", &self.text);
        json.i64_field("diff_files_changed", n as i64);
        json.i64_field("diff_lines_added", s.lines_added as i64);
        json.i64_field("diff_lines_deleted", s.lines_deleted as i64);
    }

    /// Counts a file as touched by a real-style task (once per task).
    pub(super) fn real_hot_file(&mut self, s: &mut Session, file: &'static str) {
        if !s.task.counted_files.contains(&file) {
            s.task.counted_files.push(file);
            *self.tally.real_hot_files.entry(file.to_string()).or_default() += 1;
        }
    }

    /// One event of a real-style session, written as bosun's real writer does.
    pub(super) fn emit_real(&mut self, s: &mut Session, x: &mut RealFacts, ev: Event, t: i64) -> io::Result<()> {
        let Some(et) = event_type_of(&ev) else { return Ok(()) };
        // What the SDK saw, whether or not the writer keeps the line.
        match &ev {
            Event::Call(tool) => {
                s.tool_calls += 1;
                if tool.kind == 0 {
                    s.commands += 1;
                }
                if tool.kind == 1 && !s.files.contains(&tool.arg) && s.files.len() < 12 {
                    s.files.push(tool.arg);
                }
            }
            Event::Result { tool, ok, .. } => {
                s.tool_results += 1;
                if !ok {
                    s.tool_failures += 1;
                    if tool.kind == 0 {
                        s.command_failures += 1;
                    }
                }
                if *ok && tool.kind == 1 {
                    let a = self.rng.range(1, 60) as u32;
                    s.lines_added += a;
                    s.lines_deleted += self.rng.range(0, a as i64) as u32;
                }
            }
            _ => {}
        }
        // The writer drops Claude's content blocks (no tool events) and Copilot's tool results.
        match &ev {
            Event::Call(_) if s.exec == 2 => return Ok(()),
            Event::Result { .. } if s.exec != 0 => return Ok(()),
            _ => {}
        }
        let mut error: Option<(&'static str, &'static str, String)> = None;
        if let Event::Error { cat, tpl } = &ev {
            let num = self.rng.range(2, 90);
            let (written, canonical, message) = Self::real_error(s, x.salt, cat, *tpl, num);
            let fp = fingerprint_of(&message);
            if x.story_transient && !is_transient(&fp) {
                return Ok(()); // that session's errors are all transient
            }
            s.errors += 1;
            match s.err_cats.iter_mut().find(|(c, _)| *c == canonical) {
                Some(e) => e.1 += 1,
                None => s.err_cats.push((canonical, 1)),
            }
            x.all_transient &= is_transient(&fp);
            if !s.fingerprints.contains(&fp) && s.fingerprints.len() < 8 {
                s.fingerprints.push(fp.clone());
            }
            if canonical == "permission_wait" {
                x.permission_errors += 1;
                if s.outcome != Outcome::Success {
                    x.permission_denied += 1;
                } else {
                    x.permission_requests += 1;
                }
            }
            error = Some((written, canonical, message));
        }
        let rep = self.begin_real_event(s, t, et);
        let mut usage_ev: Option<(u64, Option<f64>)> = None;
        let mut tokens = TokenBreakdown::default();
        let mut end: Option<(Option<f64>, Option<u64>, &'static str)> = None;
        // (test run, lint run) of a Codex call; a Copilot call's file
        let mut codex_call: Option<(bool, bool)> = None;
        let mut copilot_file: Option<&'static str> = None;
        let mut codex_result: Option<bool> = None;
        self.json.open_object_field("data");
        match ev {
            Event::Start { ptype, reason } => {
                s.starts += 1;
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
            Event::Call(tool) if s.exec == 0 => {
                // Codex: `shell`, its arguments as a JSON string, the command an array
                let line: String = match tool.kind {
                    0 => tool.arg.to_string(),
                    1 => format!("*** Begin Patch\n*** Update File: {}\n@@\n-    let value = compute(input);\n+    let value = compute(input).unwrap_or_default();\n*** End Patch\n", tool.arg),
                    2 => format!("sed -n '1,200p' {}", tool.arg),
                    _ => format!("rg -n \"{}\"", tool.arg),
                };
                let mut params: Vec<u8> = Vec::with_capacity(line.len() + 80);
                params.extend_from_slice(b"{\"command\":[");
                if tool.kind == 1 {
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
                let cmdline = if tool.kind == 1 { format!("apply_patch {line}") } else { line };
                codex_call = Some((
                    TEST_PATTERNS.iter().any(|p| cmdline.contains(p)),
                    LINT_PATTERNS.iter().any(|p| cmdline.contains(p)),
                ));
            }
            Event::Call(tool) => {
                // Copilot: an object, a shell command as a string
                self.json.str_field("tool_name", tool.name);
                self.json.open_object_field("tool_params");
                match tool.kind {
                    0 => self.json.str_field("command", tool.arg),
                    1 => {
                        self.json.str_field("path", tool.arg);
                        self.json.str_field("explanation", "Apply the fix");
                        copilot_file = Some(tool.arg);
                    }
                    2 => self.json.str_field("path", tool.arg),
                    _ => self.json.str_field("query", tool.arg),
                }
                self.json.close_object();
            }
            Event::Result { tool, ok, long } => {
                // Codex: no tool_name, no call id; the output text and a status
                self.text.clear();
                match tool.kind {
                    0 if tool.is_test => test_log(&mut self.rng, &mut self.text, ok, if long { 120 } else { 8 }),
                    0 => self.text.push_str(if ok { "exit status 0" } else { "exit status 1: command failed" }),
                    1 => self.text.push_str(if ok {
                        "Success. Updated the following files:\nM "
                    } else {
                        "apply_patch verification failed: hunk did not match "
                    }),
                    _ => self.text.push_str("fn main() {\n    run();\n}\n"),
                }
                if tool.kind == 1 {
                    self.text.push_str(tool.arg);
                }
                self.json.str_field("result", &self.text);
                self.json.str_field("status", if ok { "completed" } else { "failed" });
                codex_result = Some(ok);
            }
            Event::Error { .. } => {
                if let Some((written, _, message)) = &error {
                    let unknown = *written == "unknown";
                    let conf = if unknown {
                        round_to(0.2 + self.rng.fraction() * 0.3, 2)
                    } else {
                        round_to(0.7 + self.rng.fraction() * 0.29, 2)
                    };
                    self.json.str_field("error_message", message);
                    self.json.str_field("error_category", written);
                    self.json.str_field("error_fingerprint", &fingerprint_of(message));
                    self.json.f64_field("error_confidence", conf);
                    if self.real_rng.chance(0.3) {
                        self.json.str_field("source", if unknown { "stderr" } else { "sdk" });
                    }
                }
            }
            Event::Usage => {
                // the SDK's own usage object
                let (p, c, cost) = (s.pending_p, s.pending_c, s.pending_cost);
                s.pending_p = 0;
                s.pending_c = 0;
                s.pending_cost = 0.0;
                let json = &mut self.json;
                match s.exec {
                    0 => {
                        let cached = p * (2 + self.real_rng.below(5) as u64) / 10;
                        json.u64_field("input_tokens", p);
                        json.u64_field("cached_input_tokens", cached);
                        json.u64_field("output_tokens", c);
                        tokens =
                            TokenBreakdown { input: p, cached_input: cached, output: c, ..TokenBreakdown::default() };
                        usage_ev = Some((p + c, None));
                    }
                    1 => {
                        let v = round_to(cost, 6);
                        json.u64_field("prompt_tokens", p);
                        json.u64_field("completion_tokens", c);
                        json.u64_field("total_tokens", p + c);
                        json.f64_field("cost_usd", v);
                        tokens = TokenBreakdown { input: p, output: c, ..TokenBreakdown::default() };
                        usage_ev = Some((p + c, Some(v)));
                    }
                    _ => {
                        let read = p * 6 / 10;
                        let created = p / 10;
                        let input = p - read - created;
                        json.u64_field("input_tokens", input);
                        json.u64_field("output_tokens", c);
                        json.u64_field("cache_read_input_tokens", read);
                        json.u64_field("cache_creation_input_tokens", created);
                        tokens = TokenBreakdown {
                            input,
                            cache_read: read,
                            cache_creation: created,
                            output: c,
                            ..TokenBreakdown::default()
                        };
                        usage_ev = Some((p + c, None));
                    }
                }
            }
            Event::Followup { reason } => {
                s.continues += 1;
                self.json.str_field(
                    "prompt",
                    "Continue. You seem to be stuck: summarise what you tried, then take a different approach.",
                );
                self.json.str_field("followup_reason", reason);
            }
            Event::End => {
                let duration = rep - s.start_rep.unwrap_or(rep);
                self.real_rollup(s, x, Some(duration));
                let total = s.prompt_tok + s.compl_tok;
                let status = match s.outcome {
                    Outcome::Success => "completed",
                    Outcome::Failed => "failed",
                    Outcome::Timeout => "timeout",
                    Outcome::Interrupted => "interrupted",
                    Outcome::Error => "error",
                };
                // cost 0 beside tokens: unknown (Codex, Claude)
                let cost = if s.exec == 1 { Some(round_to(s.cost, 4)) } else { None };
                let tok = (total > 0 || cost.is_some_and(|c| c > 0.0)).then_some(total);
                end = Some((cost.filter(|_| tok.is_some()), tok, status));
            }
            Event::Alert(_) | Event::Crash => {}
        }
        self.json.close_object();
        self.json.str_field("branch", &s.branch);
        self.json.close_object();
        if s.rotated {
            return Ok(()); // only its metrics row survives
        }
        // Account for what is now written.
        if let Some((_, canonical, _)) = &error {
            *self.tally.real_error_categories.entry(canonical.to_string()).or_default() += 1;
            if error.as_ref().is_some_and(|e| e.0 == "unknown") {
                self.tally.real_inferred_errors += 1;
            }
        }
        if let Some((test, lint)) = codex_call {
            self.tally.real_codex_shell_calls += 1;
            self.tally.real_codex_test_runs += test as usize;
            self.tally.real_codex_lint_runs += lint as usize;
            x.unanswered += 1;
        }
        if let Some(ok) = codex_result {
            self.tally.real_codex_shell_results += 1;
            self.tally.real_codex_shell_failures += !ok as usize;
            x.unanswered = x.unanswered.saturating_sub(1);
        }
        if s.exec == 1 && et == "tool_call" {
            self.tally.real_copilot_calls += 1;
        }
        if let Some(f) = copilot_file {
            self.real_hot_file(s, f);
        }
        if let Some((tok, cost)) = usage_ev {
            s.ev_tok = Some(s.ev_tok.unwrap_or(0) + tok);
            if let Some(c) = cost {
                s.ev_cost = Some(s.ev_cost.unwrap_or(0.0) + c);
            }
            let b = &mut x.tokens;
            b.input += tokens.input;
            b.cached_input += tokens.cached_input;
            b.cache_read += tokens.cache_read;
            b.cache_creation += tokens.cache_creation;
            b.output += tokens.output;
            x.usage_written = true;
        }
        if let Some((c, tk, st)) = end {
            s.end_cost = c;
            s.end_tok = tk;
            s.end_status = Some(st);
        }
        let is_error = error.is_some();
        self.write_event(Some(s), is_error, rep)
    }
}
