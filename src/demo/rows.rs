//! Rows.

use super::random::{mix32, round_to};
use super::session::*;
use super::simulation::Generator;
use super::tally::RowFacts;
use super::timestamps::*;

impl Generator<'_> {
    /// Renders a metrics row into `self.json.bytes`; `rewrite` is the later, corrected version.
    pub(super) fn render_guide_row(
        &mut self,
        s: &Session,
        ms: i64,
        zeros: bool,
        rewrite: bool,
        cost_field: bool,
        usage_obj: bool,
    ) -> (i64, RowFacts) {
        let success = s.outcome == Outcome::Success;
        let first_shot = success && s.starts == 1 && s.continues == 0 && s.ptype == "initial";
        let cost = if zeros { 0.0 } else { round_to(s.cost, 4) };
        let (p, c) = if zeros { (0, 0) } else { (s.prompt_tok, s.compl_tok) };
        let commits = if s.no_change || s.files.is_empty() { 0 } else { (s.files.len() as i64 + 1) / 2 };
        let (added, deleted) = if commits == 0 { (0, 0) } else { (s.lines_added as i64, s.lines_deleted as i64) };
        let review = if rewrite || self.rng.chance(0.3) { Some(success && self.rng.chance(0.8)) } else { None };
        let style = if s.design_note && s.ts_style == TsStyle::Seven { TsStyle::Seven } else { TsStyle::Millis };
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, ms, style, &mut self.rng);
        json.str_field("attempt_id", &s.attempt_id);
        if let Some(id) = &s.task.id {
            json.str_field("task_id", id);
        }
        json.str_field("task_title", s.task.title);
        json.str_field("executor", s.exec_label);
        json.str_field("executor_variant", s.variant);
        json.str_field("model", s.model.name);
        let mut facts = RowFacts { success: None, cost: None, tokens: None, all_zero: false };
        if s.design_note {
            // The older design-note shape (bosun's PowerShell logger).
            let status = if success {
                "completed"
            } else if s.outcome == Outcome::Failed && !rewrite && self.rng.chance(0.3) {
                "manual_review"
            } else {
                "failed"
            };
            json.open_object_field("metrics");
            json.i64_field("duration_ms", s.last_ms - s.start_rep.unwrap_or(s.last_ms));
            json.u64_field("prompt_tokens", p);
            json.u64_field("completion_tokens", c);
            json.u64_field("total_tokens", p + c);
            json.f64_field("cost_usd", cost);
            json.i64_field("retry_count", s.starts.saturating_sub(1) as i64);
            json.i64_field("commits", commits);
            json.i64_field("files_modified", if commits == 0 { 0 } else { s.files.len() as i64 });
            json.i64_field("lines_added", added);
            json.i64_field("lines_deleted", deleted);
            json.i64_field("tool_calls", s.tool_calls as i64);
            json.i64_field("tool_failures", s.tool_failures as i64);
            json.close_object();
            json.open_object_field("outcome");
            json.str_field("status", status);
            let pr = success && commits > 0;
            json.bool_field("pr_created", pr);
            if pr {
                json.i64_field("pr_number", 100 + (mix32(s.seq as u32 ^ s.attempt_id.len() as u32) % 900) as i64);
            }
            json.bool_field("pr_merged", pr && rewrite);
            json.bool_field("test_passed", success);
            json.bool_field("build_passed", success || s.outcome != Outcome::Error);
            json.close_object();
            json.open_object_field("error_summary");
            json.i64_field("total_errors", s.errors as i64);
            json.open_object_field("error_categories");
            for (cat, n) in &s.err_cats {
                json.i64_field(cat, *n as i64);
            }
            json.close_object();
            json.open_array_field("error_fingerprints");
            for f in &s.fingerprints {
                json.str_item(f);
            }
            json.close_array();
            json.close_object();
            facts.success = Some(status == "completed");
            facts.cost = Some(cost);
            facts.tokens = Some(p + c);
            facts.all_zero = cost == 0.0 && p + c == 0;
        } else {
            json.open_object_field("metrics");
            let omit_success = !rewrite && s.seq % 19 == 7;
            if !omit_success {
                json.bool_field("success", success);
                facts.success = Some(success);
            }
            json.bool_field("first_shot_success", first_shot);
            json.i64_field("attempts", s.starts as i64);
            json.i64_field("continues", s.continues as i64);
            if !s.seq.is_multiple_of(5) {
                json.bool_field("auto_resume", s.continues > 0 || s.seq.is_multiple_of(3));
            }
            json.open_array_field("anomaly_actions");
            for (k, a) in s.anomalies.iter().enumerate() {
                if k % 2 == 1 || s.seq.is_multiple_of(2) {
                    json.open_object_item();
                    json.str_field(if s.seq.is_multiple_of(4) { "type" } else { "action" }, a);
                    json.str_field("reason", "live analyser");
                    json.close_object();
                } else {
                    json.str_item(a);
                }
            }
            json.close_array();
            if usage_obj {
                json.open_object_field("usage");
                json.u64_field("prompt_tokens", p);
                json.u64_field("completion_tokens", c);
                json.u64_field("total_tokens", p + c);
                if cost_field {
                    json.f64_field("cost_usd", cost);
                }
                json.close_object();
            } else {
                json.u64_field("prompt_tokens", p);
                json.u64_field("completion_tokens", c);
                json.u64_field("total_tokens", p + c);
                if cost_field {
                    json.f64_field("cost_usd", cost);
                }
            }
            facts.tokens = Some(p + c);
            facts.cost = if cost_field { Some(cost) } else { None };
            facts.all_zero = p + c == 0 && (!cost_field || cost == 0.0);
            json.i64_field("duration_ms", s.last_ms - s.start_rep.unwrap_or(s.last_ms));
            json.i64_field("errors", s.errors as i64);
            json.i64_field("tool_calls", s.tool_calls as i64);
            json.i64_field("tool_results", s.tool_results as i64);
            json.i64_field("tool_failures", s.tool_failures as i64);
            json.i64_field("commands", s.commands as i64);
            json.i64_field("command_failures", s.command_failures as i64);
            if s.seq.is_multiple_of(7) {
                json.bool_field("agent_made_commits", commits > 0);
            } else {
                json.i64_field("agent_made_commits", commits);
            }
            if commits > 0 {
                if s.seq.is_multiple_of(3) {
                    json.open_array_field("diff_summary");
                    for f in &s.files {
                        json.str_item(f);
                    }
                    json.close_array();
                } else {
                    self.text.clear();
                    for (k, f) in s.files.iter().enumerate() {
                        let n = 3 + (k as u32 * 7 + s.lines_added) % 40;
                        if k > 0 {
                            self.text.push_str("\n ");
                        }
                        self.text.push_str(f);
                        self.text.push_str(" | ");
                        self.text.push_str(&n.to_string());
                        self.text.push_str(" ++--");
                    }
                    let json = &mut self.json;
                    json.str_field("diff_summary", &self.text);
                }
            } else {
                json.str_field("diff_summary", "");
            }
            let json = &mut self.json;
            json.i64_field("diff_files_changed", if commits == 0 { 0 } else { s.files.len() as i64 });
            json.i64_field("diff_lines_added", added);
            json.i64_field("diff_lines_deleted", deleted);
            if let Some(r) = review {
                json.bool_field("review_passed", r);
            }
            json.close_object();
        }
        self.json.close_object();
        (rep, facts)
    }

    /// Renders a real-style metrics row into `self.json.bytes`.
    pub(super) fn render_real_row(&mut self, s: &Session, x: &RealFacts, ms: i64) -> (i64, RowFacts) {
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, ms, TsStyle::Millis, &mut self.rng);
        json.str_field("attempt_id", &s.attempt_id);
        if let Some(id) = s.task.id.as_ref().filter(|_| !s.omit_task) {
            json.str_field("task_id", id);
        }
        json.str_field("task_title", s.task.title);
        json.str_field("executor", s.exec_label);
        json.str_field("executor_variant", s.variant);
        json.str_field("model", s.model.name);
        json.open_object_field("metrics");
        self.real_rollup(s, x, None);
        self.json.close_object();
        self.json.close_object();
        let tokens = s.prompt_tok + s.compl_tok;
        let facts = RowFacts {
            success: Some(s.outcome == Outcome::Success),
            cost: if s.exec == 1 { Some(round_to(s.cost, 4)) } else { None },
            tokens: Some(tokens),
            all_zero: tokens == 0 && (s.exec != 1 || round_to(s.cost, 4) == 0.0),
        };
        (rep, facts)
    }
}
