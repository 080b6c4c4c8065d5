//! Rows.

use super::random::{mix32, round_to};
use super::session::*;
use super::simulation::Gen;
use super::tally::RowFacts;
use super::timestamps::*;

impl Gen<'_> {
    /// Renders a metrics row into `self.j.b`; `rewrite` is the later, corrected version.
    pub(super) fn render_row(
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
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, style, &mut self.rng);
        j.s("attempt_id", &s.attempt_id);
        if let Some(id) = &s.task.id {
            j.s("task_id", id);
        }
        j.s("task_title", s.task.title);
        j.s("executor", s.exec_label);
        j.s("executor_variant", s.variant);
        j.s("model", s.model.name);
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
            j.o("metrics");
            j.i("duration_ms", s.last_ms - s.start_rep.unwrap_or(s.last_ms));
            j.num("prompt_tokens", p, false);
            j.num("completion_tokens", c, false);
            j.num("total_tokens", p + c, false);
            j.f("cost_usd", cost);
            j.i("retry_count", s.starts.saturating_sub(1) as i64);
            j.i("commits", commits);
            j.i("files_modified", if commits == 0 { 0 } else { s.files.len() as i64 });
            j.i("lines_added", added);
            j.i("lines_deleted", deleted);
            j.i("tool_calls", s.tool_calls as i64);
            j.i("tool_failures", s.tool_failures as i64);
            j.close();
            j.o("outcome");
            j.s("status", status);
            let pr = success && commits > 0;
            j.bo("pr_created", pr);
            if pr {
                j.i("pr_number", 100 + (mix32(s.seq as u32 ^ s.attempt_id.len() as u32) % 900) as i64);
            }
            j.bo("pr_merged", pr && rewrite);
            j.bo("test_passed", success);
            j.bo("build_passed", success || s.outcome != Outcome::Error);
            j.close();
            j.o("error_summary");
            j.i("total_errors", s.errors as i64);
            j.o("error_categories");
            for (cat, n) in &s.err_cats {
                j.i(cat, *n as i64);
            }
            j.close();
            j.a("error_fingerprints");
            for f in &s.fingerprints {
                j.item_s(f);
            }
            j.a_end();
            j.close();
            facts.success = Some(status == "completed");
            facts.cost = Some(cost);
            facts.tokens = Some(p + c);
            facts.all_zero = cost == 0.0 && p + c == 0;
        } else {
            j.o("metrics");
            let omit_success = !rewrite && s.seq % 19 == 7;
            if !omit_success {
                j.bo("success", success);
                facts.success = Some(success);
            }
            j.bo("first_shot_success", first_shot);
            j.i("attempts", s.starts as i64);
            j.i("continues", s.continues as i64);
            if !s.seq.is_multiple_of(5) {
                j.bo("auto_resume", s.continues > 0 || s.seq.is_multiple_of(3));
            }
            j.a("anomaly_actions");
            for (k, a) in s.anomalies.iter().enumerate() {
                if k % 2 == 1 || s.seq.is_multiple_of(2) {
                    j.item_o();
                    j.s(if s.seq.is_multiple_of(4) { "type" } else { "action" }, a);
                    j.s("reason", "live analyser");
                    j.close();
                } else {
                    j.item_s(a);
                }
            }
            j.a_end();
            if usage_obj {
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", p + c, false);
                if cost_field {
                    j.f("cost_usd", cost);
                }
                j.close();
            } else {
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", p + c, false);
                if cost_field {
                    j.f("cost_usd", cost);
                }
            }
            facts.tokens = Some(p + c);
            facts.cost = if cost_field { Some(cost) } else { None };
            facts.all_zero = p + c == 0 && (!cost_field || cost == 0.0);
            j.i("duration_ms", s.last_ms - s.start_rep.unwrap_or(s.last_ms));
            j.i("errors", s.errors as i64);
            j.i("tool_calls", s.tool_calls as i64);
            j.i("tool_results", s.tool_results as i64);
            j.i("tool_failures", s.tool_failures as i64);
            j.i("commands", s.commands as i64);
            j.i("command_failures", s.command_failures as i64);
            if s.seq.is_multiple_of(7) {
                j.bo("agent_made_commits", commits > 0);
            } else {
                j.i("agent_made_commits", commits);
            }
            if commits > 0 {
                if s.seq.is_multiple_of(3) {
                    j.a("diff_summary");
                    for f in &s.files {
                        j.item_s(f);
                    }
                    j.a_end();
                } else {
                    self.txt.clear();
                    for (k, f) in s.files.iter().enumerate() {
                        let n = 3 + (k as u32 * 7 + s.lines_added) % 40;
                        if k > 0 {
                            self.txt.push_str("\n ");
                        }
                        self.txt.push_str(f);
                        self.txt.push_str(" | ");
                        self.txt.push_str(&n.to_string());
                        self.txt.push_str(" ++--");
                    }
                    let j = &mut self.j;
                    j.s("diff_summary", &self.txt);
                }
            } else {
                j.s("diff_summary", "");
            }
            let j = &mut self.j;
            j.i("diff_files_changed", if commits == 0 { 0 } else { s.files.len() as i64 });
            j.i("diff_lines_added", added);
            j.i("diff_lines_deleted", deleted);
            if let Some(r) = review {
                j.bo("review_passed", r);
            }
            j.close();
        }
        self.j.close();
        (rep, facts)
    }

    /// Renders a real-style metrics row into `self.j.b`.
    pub(super) fn render_real_row(&mut self, s: &Session, x: &Real, ms: i64) -> (i64, RowFacts) {
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, TsStyle::Millis, &mut self.rng);
        j.s("attempt_id", &s.attempt_id);
        if let Some(id) = s.task.id.as_ref().filter(|_| !s.omit_task) {
            j.s("task_id", id);
        }
        j.s("task_title", s.task.title);
        j.s("executor", s.exec_label);
        j.s("executor_variant", s.variant);
        j.s("model", s.model.name);
        j.o("metrics");
        self.real_rollup(s, x, None);
        self.j.close();
        self.j.close();
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
