//! The metrics rows (`agent-metrics.jsonl`): one per session that gets one, written when it
//! ends, and now and then written again later (the later row supersedes the first).

use std::io;

use super::catalogue::Executor;
use super::random::{mix32, round_to};
use super::scheduler::RowRewrite;
use super::session::{Outcome, RealFacts, Session, UsageStyle};
use super::simulation::Generator;
use super::tally::{resolve, Resolved, RowFacts};
use super::timestamps::{write_ts, TsStyle, MIN_MS, SEC};

/// How a guide-style metrics row is written.
#[derive(Clone, Copy)]
struct RowStyle {
    /// Tokens and cost written as 0 (the logger did not learn them).
    zeros: bool,
    /// The later, corrected row (bosun re-ran its rollup: the review finished, usage recovered).
    rewrite: bool,
    /// With a cost_usd field.
    cost_field: bool,
    /// Tokens and cost in a nested `usage` object.
    usage_object: bool,
}

/// The figures a guide-style row reports.
struct RowFigures {
    success: bool,
    cost: f64,
    prompt_tokens: u64,
    completion_tokens: u64,
    commits: i64,
    lines_added: i64,
    lines_deleted: i64,
}

impl Generator<'_> {
    /// Writes a session's metrics row. Returns the session's facts resolved with it, and the
    /// row's later rewrite when bosun writes it again (the session's facts are then the rewrite's).
    pub(super) fn write_metrics_row(
        &mut self,
        s: &mut Session,
        real: Option<&RealFacts>,
        t: i64,
    ) -> io::Result<(Resolved, Option<RowRewrite>)> {
        match real {
            Some(real) => self.write_real_row(s, real, t),
            None => self.write_guide_row(s, t),
        }
    }

    fn write_real_row(
        &mut self,
        s: &mut Session,
        real: &RealFacts,
        t: i64,
    ) -> io::Result<(Resolved, Option<RowRewrite>)> {
        let row_ms = t + self.rng.range(500, 4 * SEC);
        let (rep, facts) = self.render_real_row(s, real, row_ms);
        self.write_line_to_metrics(rep)?;
        self.mark_written(s);
        for k in 0..s.progress.files.len() {
            let f = s.progress.files[k];
            self.real_hot_file(s, f);
        }
        let resolved = resolve(s, Some(&facts));
        let mut rewrite = None;
        if self.rng.chance(0.06) {
            // rewritten later (bosun re-runs its rollup): the same facts, a later timestamp
            let later = row_ms + self.rng.range(10 * MIN_MS, 180 * MIN_MS);
            let (rep2, facts2) = self.render_real_row(s, real, later);
            rewrite = Some(RowRewrite { line: self.json.bytes.clone(), ms: rep2, resolved: resolve(s, Some(&facts2)) });
        }
        Ok((resolved, rewrite))
    }

    fn write_guide_row(&mut self, s: &mut Session, t: i64) -> io::Result<(Resolved, Option<RowRewrite>)> {
        let row_ms = t + self.rng.range(500, 4 * SEC);
        let usage_known = s.style.usage != UsageStyle::None;
        let zeros = !usage_known || self.rng.chance(0.03);
        let style = RowStyle {
            zeros,
            rewrite: false,
            cost_field: s.style.design_note_row
                || zeros
                || !matches!(s.style.usage, UsageStyle::CopilotMetrics | UsageStyle::CopilotSummaryOnly)
                || self.rng.chance(0.5),
            usage_object: !s.style.design_note_row && self.rng.chance(0.1),
        };
        let (rep, facts) = self.render_guide_row(s, row_ms, style);
        self.write_line_to_metrics(rep)?;
        self.mark_written(s);
        let resolved = resolve(s, Some(&facts));
        let mut rewrite = None;
        if self.rng.chance(0.06) || (zeros && usage_known && self.rng.chance(0.5)) {
            let later = row_ms + self.rng.range(10 * MIN_MS, 180 * MIN_MS);
            let corrected = RowStyle { zeros: !usage_known, rewrite: true, cost_field: true, ..style };
            let (rep2, facts2) = self.render_guide_row(s, later, corrected);
            rewrite = Some(RowRewrite { line: self.json.bytes.clone(), ms: rep2, resolved: resolve(s, Some(&facts2)) });
        }
        Ok((resolved, rewrite))
    }

    /// Renders a guide-style metrics row into `self.json`: the guide's shape, or now and then the
    /// older design-note shape.
    fn render_guide_row(&mut self, s: &Session, ms: i64, style: RowStyle) -> (i64, RowFacts) {
        let done = &s.progress;
        let success = s.plan.outcome == Outcome::Success;
        let commits = if s.plan.no_change || done.files.is_empty() { 0 } else { (done.files.len() as i64 + 1) / 2 };
        let (lines_added, lines_deleted) =
            if commits == 0 { (0, 0) } else { (done.lines_added as i64, done.lines_deleted as i64) };
        let figures = RowFigures {
            success,
            cost: if style.zeros { 0.0 } else { round_to(done.cost_usd, 4) },
            prompt_tokens: if style.zeros { 0 } else { done.prompt_tokens },
            completion_tokens: if style.zeros { 0 } else { done.completion_tokens },
            commits,
            lines_added,
            lines_deleted,
        };
        let review = if style.rewrite || self.rng.chance(0.3) { Some(success && self.rng.chance(0.8)) } else { None };
        let ts_style = if s.style.design_note_row && s.style.timestamps == TsStyle::Seven {
            TsStyle::Seven
        } else {
            TsStyle::Millis
        };
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, ms, ts_style, &mut self.rng);
        json.str_field("attempt_id", &s.attempt_id);
        if let Some(id) = &s.task.id {
            json.str_field("task_id", id);
        }
        json.str_field("task_title", s.task.title);
        json.str_field("executor", s.style.executor_label);
        json.str_field("executor_variant", s.style.variant);
        json.str_field("model", s.model.name);
        let facts = if s.style.design_note_row {
            self.design_note_fields(s, style, &figures)
        } else {
            self.guide_metrics_fields(s, style, &figures, review)
        };
        self.json.close_object();
        (rep, facts)
    }

    /// The older design-note shape (bosun's PowerShell logger): `metrics`, `outcome` and
    /// `error_summary` objects.
    fn design_note_fields(&mut self, s: &Session, style: RowStyle, figures: &RowFigures) -> RowFacts {
        let done = &s.progress;
        let RowFigures { success, cost, prompt_tokens: p, completion_tokens: c, commits, .. } = *figures;
        let status = if success {
            "completed"
        } else if s.plan.outcome == Outcome::Failed && !style.rewrite && self.rng.chance(0.3) {
            "manual_review"
        } else {
            "failed"
        };
        let json = &mut self.json;
        json.open_object_field("metrics");
        json.i64_field("duration_ms", s.elapsed_ms(s.last_ms));
        json.u64_field("prompt_tokens", p);
        json.u64_field("completion_tokens", c);
        json.u64_field("total_tokens", p + c);
        json.f64_field("cost_usd", cost);
        json.i64_field("retry_count", done.starts.saturating_sub(1) as i64);
        json.i64_field("commits", commits);
        json.i64_field("files_modified", if commits == 0 { 0 } else { done.files.len() as i64 });
        json.i64_field("lines_added", figures.lines_added);
        json.i64_field("lines_deleted", figures.lines_deleted);
        json.i64_field("tool_calls", done.tool_calls as i64);
        json.i64_field("tool_failures", done.tool_failures as i64);
        json.close_object();
        json.open_object_field("outcome");
        json.str_field("status", status);
        let pr = success && commits > 0;
        json.bool_field("pr_created", pr);
        if pr {
            json.i64_field("pr_number", 100 + (mix32(s.seq as u32 ^ s.attempt_id.len() as u32) % 900) as i64);
        }
        json.bool_field("pr_merged", pr && style.rewrite);
        json.bool_field("test_passed", success);
        json.bool_field("build_passed", success || s.plan.outcome != Outcome::Error);
        json.close_object();
        json.open_object_field("error_summary");
        json.i64_field("total_errors", done.errors as i64);
        json.open_object_field("error_categories");
        for (cat, n) in &done.error_categories {
            json.i64_field(cat, *n as i64);
        }
        json.close_object();
        json.open_array_field("error_fingerprints");
        for f in &done.fingerprints {
            json.str_item(f);
        }
        json.close_array();
        json.close_object();
        RowFacts {
            success: Some(status == "completed"),
            cost: Some(cost),
            tokens: Some(p + c),
            all_zero: cost == 0.0 && p + c == 0,
        }
    }

    /// The guide's `metrics` object, in its many variants (chosen by the session's line count,
    /// so that a rewrite keeps the first row's variant).
    fn guide_metrics_fields(
        &mut self,
        s: &Session,
        style: RowStyle,
        figures: &RowFigures,
        review: Option<bool>,
    ) -> RowFacts {
        let done = &s.progress;
        let RowFigures { success, cost, prompt_tokens: p, completion_tokens: c, commits, .. } = *figures;
        let mut facts = RowFacts { success: None, cost: None, tokens: None, all_zero: false };
        let json = &mut self.json;
        json.open_object_field("metrics");
        let omit_success = !style.rewrite && s.seq % 19 == 7;
        if !omit_success {
            json.bool_field("success", success);
            facts.success = Some(success);
        }
        let first_shot = success && done.starts == 1 && done.continues == 0 && s.ptype == "initial";
        json.bool_field("first_shot_success", first_shot);
        json.i64_field("attempts", done.starts as i64);
        json.i64_field("continues", done.continues as i64);
        if !s.seq.is_multiple_of(5) {
            json.bool_field("auto_resume", done.continues > 0 || s.seq.is_multiple_of(3));
        }
        json.open_array_field("anomaly_actions");
        for (k, a) in done.anomalies.iter().enumerate() {
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
        if style.usage_object {
            json.open_object_field("usage");
        }
        json.u64_field("prompt_tokens", p);
        json.u64_field("completion_tokens", c);
        json.u64_field("total_tokens", p + c);
        if style.cost_field {
            json.f64_field("cost_usd", cost);
        }
        if style.usage_object {
            json.close_object();
        }
        facts.tokens = Some(p + c);
        facts.cost = if style.cost_field { Some(cost) } else { None };
        facts.all_zero = p + c == 0 && (!style.cost_field || cost == 0.0);
        json.i64_field("duration_ms", s.elapsed_ms(s.last_ms));
        json.i64_field("errors", done.errors as i64);
        json.i64_field("tool_calls", done.tool_calls as i64);
        json.i64_field("tool_results", done.tool_results as i64);
        json.i64_field("tool_failures", done.tool_failures as i64);
        json.i64_field("commands", done.commands as i64);
        json.i64_field("command_failures", done.command_failures as i64);
        if s.seq.is_multiple_of(7) {
            json.bool_field("agent_made_commits", commits > 0);
        } else {
            json.i64_field("agent_made_commits", commits);
        }
        if commits > 0 {
            if s.seq.is_multiple_of(3) {
                json.open_array_field("diff_summary");
                for f in &done.files {
                    json.str_item(f);
                }
                json.close_array();
            } else {
                // `git diff --stat` lines
                self.text.clear();
                for (k, f) in done.files.iter().enumerate() {
                    let n = 3 + (k as u32 * 7 + done.lines_added) % 40;
                    if k > 0 {
                        self.text.push_str("\n ");
                    }
                    self.text.push_str(f);
                    self.text.push_str(" | ");
                    self.text.push_str(&n.to_string());
                    self.text.push_str(" ++--");
                }
                self.json.str_field("diff_summary", &self.text);
            }
        } else {
            json.str_field("diff_summary", "");
        }
        let json = &mut self.json;
        json.i64_field("diff_files_changed", if commits == 0 { 0 } else { done.files.len() as i64 });
        json.i64_field("diff_lines_added", figures.lines_added);
        json.i64_field("diff_lines_deleted", figures.lines_deleted);
        if let Some(r) = review {
            json.bool_field("review_passed", r);
        }
        json.close_object();
        facts
    }

    /// Renders a real-style metrics row into `self.json`: the rollup of its session_end, without
    /// the duration.
    fn render_real_row(&mut self, s: &Session, real: &RealFacts, ms: i64) -> (i64, RowFacts) {
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, ms, TsStyle::Millis, &mut self.rng);
        json.str_field("attempt_id", &s.attempt_id);
        if let Some(id) = s.task.id.as_ref().filter(|_| !s.without_task_id) {
            json.str_field("task_id", id);
        }
        json.str_field("task_title", s.task.title);
        json.str_field("executor", s.style.executor_label);
        json.str_field("executor_variant", s.style.variant);
        json.str_field("model", s.model.name);
        json.open_object_field("metrics");
        self.real_rollup(s, real, None);
        self.json.close_object();
        self.json.close_object();
        let tokens = s.total_tokens();
        let copilot = s.executor == Executor::Copilot;
        let facts = RowFacts {
            success: Some(s.plan.outcome == Outcome::Success),
            cost: if copilot { Some(round_to(s.progress.cost_usd, 4)) } else { None },
            tokens: Some(tokens),
            all_zero: tokens == 0 && (!copilot || round_to(s.progress.cost_usd, 4) == 0.0),
        };
        (rep, facts)
    }
}
