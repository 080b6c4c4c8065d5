//! The headline of each section: its conclusion computed from the typed report, in one
//! sentence, with the uncertainty and the n the report carries (Wilson intervals, `significant`
//! flags, n columns). The HTML report shows each above its section's explanation and opens with
//! the five strongest. Unknown values (the report's `None`) are said to be unknown, never 0.
//!
//! **Strength** ranks findings so that the strongest can be picked: a tier plus a fraction in
//! [0, 1) for the size of the effect within the tier (ties keep the sections' order):
//! - **3**: a conclusion the data supports beyond chance or past a threshold — a significant
//!   intervention difference, a top model (or best executor) whose 95 % success interval does not
//!   overlap the next one's (the worst one's), an error spike; fraction: the difference in rates,
//!   or 1 − 1/(count / hourly mean) for a spike;
//! - **2**: a problem to act on — a task at risk, failed sessions that hit a guardrail gap,
//!   runaway sessions or days over budget, an alert type whose sessions failed in more than half
//!   of the cases even at the low end of the 95 % interval; fraction: its size, for a share the
//!   low end of its interval (so that n = 1 does not outrank n = 200);
//! - **1**: a plain summary (a leader that is not distinguishable, the commonest error, no
//!   significant difference);
//! - **0**: no data (these are never listed among the strongest).

use super::charts::SECTIONS;
use super::format::{self, pct, pp, usd};
use super::Report;
use crate::model::numbers::{count, grouped};
use crate::model::time::{format_iso_ms, format_offset, parse_timestamp, MS_PER_MINUTE};
use crate::pipelines::stats::{significant, wilson, Proportion};
use crate::pipelines::GroupKey;

/// One section's headline.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// the section's id (`model_scores`, …), as in [`SECTIONS`] and the HTML report's anchors
    pub section: &'static str,
    /// the conclusion in one sentence, plain text (not escaped)
    pub headline: String,
    /// the rank of the module docs: tier (0–3) plus a fraction for the size within the tier
    pub strength: f64,
}

/// One finding per section, in the report's section order.
pub fn findings(report: &Report) -> Vec<Finding> {
    SECTIONS
        .iter()
        .map(|&section| {
            let (headline, strength) = match section {
                "model_scores" => model_scores(report),
                "executors" => executors(report),
                "task_risk" => task_risk(report),
                "provider_heatmap" => provider_heatmap(report),
                "error_clusters" => error_clusters(report),
                "interventions" => interventions(report),
                "guardrails" => guardrails(report),
                "alerts" => alerts(report),
                "costs" => costs(report),
                "tools" => tools(report),
                "git" => git(report),
                "distributions" => distributions(report),
                _ => (String::new(), 0.0),
            };
            Finding { section, headline, strength }
        })
        .collect()
}

/// The `k` strongest findings with data (strength > 0), strongest first; equal strengths keep
/// the sections' order.
pub fn strongest(all: &[Finding], k: usize) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = all.iter().filter(|f| f.strength > 0.0).collect();
    crate::model::sort::by(&mut v, |a, b| b.strength.total_cmp(&a.strength));
    v.truncate(k);
    v
}

/// A size in [0, 1) within a tier.
fn frac(x: f64) -> f64 {
    if x.is_finite() {
        x.clamp(0.0, 0.999)
    } else {
        0.0
    }
}

fn int(n: u64) -> String {
    grouped(n as f64, 0)
}

/// "62.5 % (n = 8, 95 % CI 30.6–86.3 %)"
fn rate_ci(p: &Proportion) -> String {
    match (p.rate, p.ci_low, p.ci_high) {
        (Some(r), Some(lo), Some(hi)) => {
            format!("{} (n = {}, 95 % CI {}–{} %)", pct(r), int(p.n), grouped(lo * 100.0, 1), grouped(hi * 100.0, 1))
        }
        _ => format!("unknown (n = {})", int(p.n)),
    }
}

/// The Wilson interval of a rate the report gives as rate and n.
fn proportion_of(rate: Option<f64>, n: u64) -> Proportion {
    match rate {
        Some(r) => wilson((r * n as f64).round() as u64, n),
        None => wilson(0, 0),
    }
}

/// A name from the data, quoted and cut to 80 characters.
fn quoted(s: &str) -> String {
    let mut t: String = s.chars().take(80).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    format!("“{t}”")
}

/// Model scores: the group with the highest score, and whether it is distinguishable from the
/// next one. **Rule**: distinguishable when the 95 % Wilson intervals of the two groups' success
/// rates do not overlap (the interventions' rule; success is the score's main term and the only
/// one with a sampling interval in the report); otherwise "not distinguishable at n = a and b".
fn model_scores(r: &Report) -> (String, f64) {
    let ms = &r.model_scores;
    let group = match ms.group_by {
        GroupKey::Model => "model",
        GroupKey::ExecutorVariant => "executor variant",
        GroupKey::Executor => "executor",
        GroupKey::Source => "source",
    };
    let scored: Vec<_> = ms.rows.iter().filter(|row| row.score.is_some()).collect();
    let Some(top) = scored.first() else {
        return if ms.rows.is_empty() {
            ("No session to score.".into(), 0.0)
        } else {
            (format!("No {group} has a session with a known outcome, so none has a score."), 0.0)
        };
    };
    let top_p = proportion_of(top.success_rate, top.success_n);
    let score = |s: Option<f64>| s.map(|x| grouped(x, 3)).unwrap_or_else(|| "unknown".into());
    let Some(next) = scored.get(1) else {
        return (
            format!(
                "{} is the only {group} with a score ({}; success {}).",
                top.key,
                score(top.score),
                rate_ci(&top_p)
            ),
            1.0,
        );
    };
    let next_p = proportion_of(next.success_rate, next.success_n);
    if significant(&top_p, &next_p) == Some(true) {
        let diff = top_p.rate.unwrap_or(0.0) - next_p.rate.unwrap_or(0.0);
        (
            format!(
                "{} scores highest ({}), ahead of {} ({}): success {} against {}, the intervals do not overlap.",
                top.key,
                score(top.score),
                next.key,
                score(next.score),
                rate_ci(&top_p),
                rate_ci(&next_p)
            ),
            3.0 + frac(diff.abs()),
        )
    } else {
        (
            format!(
                "{} scores highest ({}; next {} {}, not distinguishable at n = {} and {}: success {} against {}).",
                top.key,
                score(top.score),
                next.key,
                score(next.score),
                int(top.success_n),
                int(next.success_n),
                pct(top.success_rate.unwrap_or(0.0)),
                pct(next.success_rate.unwrap_or(0.0))
            ),
            1.0,
        )
    }
}

/// Executors: the highest and the lowest success rate, distinguishable by the model scores'
/// rule (non-overlapping 95 % intervals).
fn executors(r: &Report) -> (String, f64) {
    let known: Vec<_> = r.executors.rows.iter().filter(|e| e.success_rate.is_some()).collect();
    if known.is_empty() {
        return if r.executors.rows.is_empty() {
            ("No session to compare executors by.".into(), 0.0)
        } else {
            ("No executor has a session with a known outcome.".into(), 0.0)
        };
    }
    let rate = |e: &&crate::pipelines::executors::ExecutorRow| e.success_rate.unwrap_or(0.0);
    // first of the highest and first of the lowest, in the table's order
    let best = known.iter().fold(known[0], |b, e| if rate(e) > rate(&b) { e } else { b });
    let worst = known.iter().fold(known[0], |w, e| if rate(e) < rate(&w) { e } else { w });
    let best_p = proportion_of(best.success_rate, best.success_n);
    if known.len() == 1 || best.key == worst.key {
        return (format!("{} succeeds in {}.", best.key, rate_ci(&best_p)), 1.0);
    }
    let worst_p = proportion_of(worst.success_rate, worst.success_n);
    let sig = significant(&best_p, &worst_p) == Some(true);
    let verdict = if sig { "the intervals do not overlap" } else { "not distinguishable" };
    (
        format!(
            "{} succeeds most often, {}; {} least, {}: {verdict}.",
            best.key,
            rate_ci(&best_p),
            worst.key,
            rate_ci(&worst_p)
        ),
        if sig { 3.0 + frac(rate(&best) - rate(&worst)) } else { 1.0 },
    )
}

/// Task risk: the riskiest task, the term of the risk formula that contributes most, and the
/// action of its reason with the most events.
fn task_risk(r: &Report) -> (String, f64) {
    let rows = &r.task_risk.rows;
    let Some(top) = rows.first() else { return ("No task to assess.".into(), 0.0) };
    if top.risk <= 0.0 {
        return (
            format!(
                "No task shows a planning risk ({} tasks, each done at the first attempt).",
                int(rows.len() as u64)
            ),
            1.0,
        );
    }
    let terms = [
        (top.attempts.saturating_sub(1) as f64, format!("{} attempts", int(top.attempts))),
        (top.tool_failures as f64 / 5.0, format!("{} tool failures", int(top.tool_failures))),
        (
            2.0 * top.repeated_categories.len() as f64,
            format!(
                "repeated errors ({})",
                top.repeated_categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            ),
        ),
        (if top.completed { 0.0 } else { 3.0 }, "never completing".to_string()),
    ];
    let main = terms.iter().fold(&terms[0], |m, t| if t.0 > m.0 { t } else { m });
    let title = top.task_title.as_ref().map(|t| format!(" {}", quoted(t.as_str()))).unwrap_or_default();
    let action = top
        .reasons
        .iter()
        .fold(None::<&crate::pipelines::task_risk::Reason>, |m, x| match m {
            Some(m) if m.count >= x.count => Some(m),
            _ => Some(x),
        })
        .map(|x| format!(" Suggested: {}", x.action))
        .unwrap_or_default();
    (
        format!(
            "Task {}{title} is the riskiest (risk {}, {} sessions), mostly from {} ({}).{action}",
            top.task_id.as_str(),
            grouped(top.risk, 1),
            int(top.sessions),
            main.1,
            grouped(main.0, 1)
        ),
        2.0 + frac(top.risk / (top.risk + 10.0)),
    )
}

/// "2026-02-10 14:00 UTC+01:00": an hour the report gives in UTC, in the report's time zone.
fn local_hour(iso: &str, offset_minutes: i32) -> String {
    match parse_timestamp(iso) {
        Some(ms) => {
            let local = format_iso_ms(ms.saturating_add(offset_minutes as i64 * MS_PER_MINUTE));
            format!("{} {}", format::time_text(&local[..16.min(local.len())]), format_offset(offset_minutes))
        }
        None => format::time_text_short(iso),
    }
}

/// Provider heatmap: the biggest spike (the highest count; the earliest of equal ones), else the
/// executor with the most errors.
fn provider_heatmap(r: &Report) -> (String, f64) {
    let h = &r.provider_heatmap;
    if let Some(s) = h.spikes.iter().fold(None::<&crate::pipelines::provider_heatmap::Spike>, |m, s| match m {
        Some(m) if m.count >= s.count => Some(m),
        _ => Some(s),
    }) {
        let others = h.spikes.len() - 1;
        let more = match others {
            0 => String::new(),
            1 => "; 1 other spike hour".into(),
            n => format!("; {} other spike hours", int(n as u64)),
        };
        let ratio = if s.mean > 0.0 { s.count as f64 / s.mean } else { f64::INFINITY };
        return (
            format!(
                "{}'s {} spiked to {}/h on {} (its hourly mean {}){more}.",
                s.executor,
                s.error_category,
                int(s.count),
                local_hour(&s.hour, r.parameters.parameters.utc_offset_minutes),
                grouped(s.mean, 2)
            ),
            3.0 + frac(1.0 - 1.0 / ratio.max(1.0)),
        );
    }
    let total: u64 = h.executors.iter().map(|e| e.errors).sum();
    match h.executors.iter().find(|e| e.errors > 0) {
        None => ("No error events.".into(), 0.0),
        Some(e) => {
            let per = e.per_100_sessions.map(|p| format!(", {} per 100 sessions", grouped(p, 1))).unwrap_or_default();
            (
                format!(
                    "{} has the most errors: {} of {}{per}; no hour spiked.",
                    e.executor,
                    int(e.errors),
                    int(total)
                ),
                1.0 + frac(e.errors as f64 / total as f64 / 2.0),
            )
        }
    }
}

/// Error clusters: the commonest fingerprint, its share of the error events and the tasks it hit.
fn error_clusters(r: &Report) -> (String, f64) {
    let rows = &r.error_clusters.rows;
    let Some(top) = rows.first() else { return ("No error events to cluster.".into(), 0.0) };
    let total: u64 = rows.iter().map(|c| c.count).sum();
    let share = top.count as f64 / total as f64;
    (
        format!(
            "The commonest error, {}, occurred {} ({} of {} in {}) in {}.",
            quoted(&top.fingerprint),
            count(top.count, "time", "times"),
            pct(share),
            count(total, "error event", "error events"),
            count(rows.len() as u64, "cluster", "clusters"),
            count(top.tasks, "task", "tasks")
        ),
        1.0 + frac(share / 2.0),
    )
}

/// Interventions: the significant differences (the report's `significant`: non-overlapping
/// intervals), the largest first; or that none is, naming the largest difference.
fn interventions(r: &Report) -> (String, f64) {
    let rows = &r.interventions.rows;
    let judged: Vec<_> = rows.iter().filter(|c| c.significant.is_some()).collect();
    if judged.is_empty() {
        return ("Too little data to judge any intervention (no comparison has sessions on both sides).".into(), 0.0);
    }
    let diff = |c: &crate::pipelines::interventions::Comparison| c.difference.map_or(0.0, f64::abs);
    let mut sig: Vec<_> = judged.iter().filter(|c| c.significant == Some(true)).collect();
    crate::model::sort::by(&mut sig, |a, b| diff(b).total_cmp(&diff(a)));
    let say = |c: &crate::pipelines::interventions::Comparison| {
        format!(
            "{} succeeded in {} against {} for {} ({})",
            c.a_label,
            rate_ci(&c.a),
            rate_ci(&c.b),
            c.b_label,
            c.difference.map(pp).unwrap_or_else(|| "unknown".into())
        )
    };
    if let Some(first) = sig.first() {
        let more = match sig.len() - 1 {
            0 => String::new(),
            n => format!("; {} more significant", int(n as u64)),
        };
        return (
            format!("A significant difference: {}{more}.", say(first)),
            3.0 + frac(first.difference.map_or(0.0, f64::abs)),
        );
    }
    let largest = judged.iter().fold(judged[0], |m, c| if diff(c) > diff(m) { c } else { m });
    (
        format!(
            "No intervention made a significant difference ({}; the largest: {}).",
            count(judged.len() as u64, "comparison", "comparisons"),
            say(largest)
        ),
        1.0,
    )
}

/// Guardrails: the gap that most failed sessions hit, with its share and remedy.
fn guardrails(r: &Report) -> (String, f64) {
    let g = &r.guardrails;
    if g.failed_sessions == 0 {
        return ("No session failed, so no guardrail gap shows.".into(), 0.0);
    }
    match g.totals.iter().filter(|t| t.failed_sessions > 0).max_by_key(|t| t.failed_sessions) {
        None => (
            format!(
                "None of the {} failed sessions hit a permission wait, an auth error or a content-policy block.",
                int(g.failed_sessions)
            ),
            1.0,
        ),
        Some(t) => {
            let p = wilson(t.failed_sessions, t.share_n);
            (
                format!(
                    "{} of {} failed sessions hit {}: {}. Remedy: {}",
                    int(t.failed_sessions),
                    int(t.share_n),
                    t.category.replace('_', " "),
                    rate_ci(&p),
                    t.remedy
                ),
                2.0 + frac(p.ci_low.unwrap_or(0.0)),
            )
        }
    }
}

/// Alerts: recorded and recomputed counts, and the alert type whose alerted sessions failed most
/// often (recorded, with n); when none failed, n is summed over the types (a session alerted for
/// two types counts twice).
fn alerts(r: &Report) -> (String, f64) {
    let a = &r.alerts;
    let (recorded, recomputed) = (a.recorded.len() as u64, a.recomputed.len() as u64);
    if recorded == 0 && recomputed == 0 {
        return ("No alert recorded or recomputed.".into(), 0.0);
    }
    let counts =
        format!("{} recorded, {} recomputed from the events", count(recorded, "alert", "alerts"), int(recomputed));
    let worst = a.comparison.iter().filter(|c| c.recorded_failed_rate.is_some()).fold(
        None::<&crate::pipelines::alerts::Comparison>,
        |m, c| match m {
            Some(m) if m.recorded_failed_rate >= c.recorded_failed_rate => Some(m),
            _ => Some(c),
        },
    );
    match worst {
        None => (format!("{counts}; no alerted session has a known outcome."), 1.0),
        Some(c) if c.recorded_failed_rate == Some(0.0) => {
            let n: u64 = a.comparison.iter().map(|c| c.recorded_failed_n).sum();
            (format!("{counts}; none of the alerted sessions failed (n = {}).", int(n)), 1.0)
        }
        Some(c) => {
            let p = proportion_of(c.recorded_failed_rate, c.recorded_failed_n);
            let low = p.ci_low.unwrap_or(0.0);
            (
                format!("{counts}; sessions with a {} alert failed most often: {}.", c.alert_type, rate_ci(&p)),
                if low > 0.5 { 2.0 + frac(low) } else { 1.0 + frac(low / 2.0) },
            )
        }
    }
}

/// Costs: the total (recorded, as the summary), the costliest model's share, runaway sessions
/// and days over budget.
fn costs(r: &Report) -> (String, f64) {
    let c = &r.costs;
    let s = &r.summary;
    if s.sessions == 0 {
        return ("No session, no cost.".into(), 0.0);
    }
    let Some(total) = s.total_cost_usd else {
        return (format!("Cost unknown: none of the {} sessions records its cost.", int(s.sessions)), 0.0);
    };
    let mut parts =
        vec![format!("Recorded cost {} over {} sessions (known for {})", usd(total), int(s.sessions), int(s.cost_n))];
    let top = c.per_model.iter().filter(|m| m.cost_usd.is_some()).fold(
        None::<&crate::pipelines::costs::ModelCost>,
        |m, x| match m {
            Some(m) if m.cost_usd >= x.cost_usd => Some(m),
            _ => Some(x),
        },
    );
    if let (Some(m), true) = (top, total > 0.0) {
        let cost = m.cost_usd.unwrap_or(0.0);
        parts.push(format!("{} took {} ({})", m.model, pct(cost / total), usd(cost)));
    }
    let runaway = c.runaway.len() as u64;
    let threshold = c.runaway_percentile_usd.map(|p| p.max(c.runaway_min_usd)).unwrap_or(c.runaway_min_usd);
    parts.push(match runaway {
        0 => format!("no runaway session (above {})", usd(threshold)),
        1 => format!("1 runaway session (above {})", usd(threshold)),
        n => format!("{} runaway sessions (above {})", int(n), usd(threshold)),
    });
    let over = c.budget.as_ref().map_or(0, |b| b.days_over.len() as u64);
    if let Some(b) = &c.budget {
        parts.push(format!("{} days over the daily budget of {}", int(over), usd(b.daily_budget_usd)));
    }
    let runaway_cost: f64 = c.runaway.iter().map(|x| x.cost_usd).sum();
    let strength =
        if runaway > 0 || over > 0 { 2.0 + frac(if total > 0.0 { runaway_cost / total } else { 0.0 }) } else { 1.0 };
    (format!("{}.", parts.join("; ")), strength)
}

/// Tools: the tool with the most failed results (the higher rate of equal ones), with its
/// failure rate and interval.
fn tools(r: &Report) -> (String, f64) {
    let t = &r.tools;
    if t.rows.is_empty() {
        return ("No tool call.".into(), 0.0);
    }
    let calls: u64 = t.rows.iter().map(|x| x.calls).sum();
    let of = format!("{} to {}", count(calls, "call", "calls"), count(t.rows.len() as u64, "tool", "tools"));
    let worst =
        t.rows.iter().filter(|x| x.failures > 0).fold(None::<&crate::pipelines::tools::ToolRow>, |m, x| match m {
            Some(m) if (m.failures, m.failure_rate) >= (x.failures, x.failure_rate) => Some(m),
            _ => Some(x),
        });
    match worst {
        None => (format!("No tool result failed ({of})."), 1.0),
        Some(w) => {
            let p = wilson(w.failures, w.failure_n);
            (
                format!("{} fails most: {} of its results, {} ({of}).", w.tool_name, int(w.failures), rate_ci(&p)),
                1.0 + frac(w.failure_rate.unwrap_or(0.0) / 2.0),
            )
        }
    }
}

/// Git: successful sessions that changed nothing, and the file most tasks touched with the
/// failure rate of those tasks.
fn git(r: &Report) -> (String, f64) {
    let g = &r.git;
    if g.rows.is_empty() && g.hot_files.is_empty() && g.review.is_empty() {
        return ("No git facts in the data.".into(), 0.0);
    }
    let mut parts = vec![format!(
        "{} sessions with git facts; {} successful sessions changed nothing",
        int(g.rows.len() as u64),
        int(g.no_change_success.count)
    )];
    if let Some(f) = g.hot_files.first() {
        let fail = if f.failure_n > 0 {
            format!(", {} of them failed", rate_ci(&wilson(f.failed_tasks, f.failure_n)))
        } else {
            String::new()
        };
        parts.push(format!("the most touched file, {}, was touched by {} tasks{fail}", quoted(&f.file), int(f.tasks)));
    }
    let share = if g.rows.is_empty() { 0.0 } else { g.no_change_success.count as f64 / g.rows.len() as f64 };
    (format!("{}.", parts.join("; ")), 1.0 + frac(share / 2.0))
}

/// The model whose cost per session spreads most: its p95 against its median, when at least 10
/// sessions say ("claude-opus-4's p95 cost per session is 6.1× its median ($2.41 vs $0.40, n = 72)").
fn distributions(r: &Report) -> (String, f64) {
    let Some(cost) = r.distributions.spreads.first() else { return (String::new(), 0.0) };
    let widest = cost
        .iter()
        .filter(|s| s.n >= 10 && s.p50 > 0.0)
        .max_by(|a, b| (a.p95 / a.p50).total_cmp(&(b.p95 / b.p50)).then(b.key.cmp(&a.key)));
    match widest {
        Some(s) => {
            let ratio = s.p95 / s.p50;
            (
                format!(
                    "{}'s p95 cost per session is {:.1}× its median ({} vs {}, n = {}).",
                    s.key,
                    ratio,
                    usd(s.p95),
                    usd(s.p50),
                    grouped(s.n as f64, 0)
                ),
                // a spread is context, not a problem: the lowest tier
                frac(ratio / 100.0),
            )
        }
        None if cost.iter().any(|s| s.n > 0) => {
            ("No model has 10 sessions with a known cost: too few to say how costs spread.".into(), 0.0)
        }
        None => ("No session in view has a known cost.".into(), 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::sessions::Dataset;
    use crate::pipelines::{Filters, Parameters};

    fn report_with(text: &str, params: &Parameters) -> Report {
        Report::compute(
            &Dataset::from_files([("agent-work-stream.jsonl", text.as_bytes())]),
            &Filters::default(),
            params,
        )
    }

    fn report(text: &str) -> Report {
        report_with(text, &Parameters::default())
    }

    fn of<'a>(all: &'a [Finding], section: &str) -> &'a Finding {
        all.iter().find(|f| f.section == section).unwrap()
    }

    /// `n` metrics rows of `model`, the first `ok` successful; each its own task; `extra` goes
    /// into the metrics.
    fn sessions(model: &str, n: usize, ok: usize, extra: &str) -> String {
        (0..n)
            .map(|i| {
                format!(
                    r#"{{"timestamp":"2026-02-09T10:{:02}:00.000Z","attempt_id":"{model}-{i}","task_id":"{model}-t{i}","executor":"codex","model":"{model}","metrics":{{"success":{},"attempts":1,"errors":0{extra}}}}}"#,
                    i % 60,
                    i < ok
                ) + "\n"
            })
            .collect()
    }

    #[test]
    fn a_clearly_better_model_is_distinguishable() {
        // m1: 19/20, Wilson [76.4, 99.1] %; m2: 2/20, [2.8, 30.1] %: no overlap. No cost and no
        // errors, so the scores are the success rates.
        let r = report(&(sessions("m1", 20, 19, "") + &sessions("m2", 20, 2, "")));
        let all = findings(&r);
        let f = of(&all, "model_scores");
        assert_eq!(
            f.headline,
            "m1 scores highest (0.950), ahead of m2 (0.100): success 95.0 % (n = 20, 95 % CI 76.4–99.1 %) against 10.0 % (n = 20, 95 % CI 2.8–30.1 %), the intervals do not overlap."
        );
        // tier 3 plus the difference in success, 0.85
        assert!((f.strength - 3.85).abs() < 1e-9, "{}", f.strength);
    }

    #[test]
    fn close_models_are_not_distinguishable() {
        // 10/20 [29.9, 70.1] % and 9/20 [25.8, 65.8] %: they overlap
        let r = report(&(sessions("m1", 20, 10, "") + &sessions("m2", 20, 9, "")));
        let f = of(&findings(&r), "model_scores").clone();
        assert_eq!(
            f.headline,
            "m1 scores highest (0.500; next m2 0.450, not distinguishable at n = 20 and 20: success 50.0 % against 45.0 %)."
        );
        assert_eq!(f.strength, 1.0);
    }

    #[test]
    fn a_significant_intervention_and_none() {
        let actions = r#","anomaly_actions":["restart"]"#;
        // with actions 19/20, without 2/20: the intervals do not overlap
        let r = report(&(sessions("a", 20, 19, actions) + &sessions("b", 20, 2, "")));
        let f = of(&findings(&r), "interventions").clone();
        assert_eq!(
            f.headline,
            "A significant difference: with anomaly actions succeeded in 95.0 % (n = 20, 95 % CI 76.4–99.1 %) against 10.0 % (n = 20, 95 % CI 2.8–30.1 %) for without anomaly actions (+85.0 pp)."
        );
        assert!(f.strength > 3.0);
        // 10/20 against 9/20: not significant
        let r = report(&(sessions("a", 20, 10, actions) + &sessions("b", 20, 9, "")));
        let f = of(&findings(&r), "interventions").clone();
        assert!(f.headline.starts_with("No intervention made a significant difference (1 comparison; the largest: with anomaly actions succeeded in 50.0 % (n = 20"), "{}", f.headline);
        assert_eq!(f.strength, 1.0);
    }

    #[test]
    fn a_spike_in_local_time_is_the_strongest() {
        // CODEX over 24 hours (auth errors at 00:00 and 23:00 make the range of error hours) with
        // 10 rate-limit errors at 14:00 UTC:
        // mean 10/24, std 10·√23/24 ≈ 2.0, so 10 > mean + 3σ ≈ 6.4 and ≥ 3: a spike
        let ev = |ts: &str, kind: &str, data: &str| {
            format!(
                r#"{{"timestamp":"2026-02-10T{ts}.000Z","attempt_id":"a1","task_id":"t1","executor":"CODEX","model":"m","event_type":"{kind}","data":{data}}}"#
            ) + "\n"
        };
        let auth = r#"{"error_category":"auth","error_message":"no key"}"#;
        let mut text = ev("00:00:00", "error", auth);
        for i in 0..10 {
            text += &ev(
                &format!("14:{:02}:00", i * 5),
                "error",
                r#"{"error_category":"rate_limit","error_message":"slow down"}"#,
            );
        }
        text += &ev("23:00:00", "error", auth);
        let params = Parameters { utc_offset_minutes: 60, ..Parameters::default() };
        let r = report_with(&text, &params);
        assert_eq!(r.provider_heatmap.spikes.len(), 1);
        let all = findings(&r);
        let f = of(&all, "provider_heatmap");
        assert_eq!(
            f.headline,
            "CODEX's rate_limit spiked to 10/h on 2026-02-10 15:00 UTC+01:00 (its hourly mean 0.42)."
        );
        // 3 + (1 − mean/count) = 3 + (1 − 0.41667/10)
        assert!((f.strength - (4.0 - 10.0 / 24.0 / 10.0)).abs() < 1e-9, "{}", f.strength);
        assert_eq!(strongest(&all, 5)[0].section, "provider_heatmap");
    }

    #[test]
    fn no_data_makes_no_claim() {
        let r = report("");
        let all = findings(&r);
        assert_eq!(all.len(), SECTIONS.len());
        assert!(strongest(&all, 5).is_empty());
        for f in &all {
            assert_eq!(f.strength, 0.0, "{f:?}");
            assert!(!f.headline.is_empty(), "{f:?}");
            assert!(!f.headline.chars().any(|c| c.is_ascii_digit()), "a figure from no data: {f:?}");
        }
    }

    /// The model whose cost spreads most, p95 against median, among those with 10 sessions.
    #[test]
    fn the_widest_cost_spread() {
        // m1: ten sessions at $0.10 and one at $1.00 (n = 11): p50 0.10, p95 at rank 9.5 =
        // 0.10 + 0.5 × 0.90 = 0.55, 5.5×; m2: ten at $0.20, 1×; m3: two sessions, too few
        let costs = |model: &str, n: usize, cost: f64| sessions(model, n, n, &format!(r#","cost_usd":{cost}"#));
        let text = costs("m1", 10, 0.1) + &costs("m2", 10, 0.2) + &costs("m3", 2, 9.0);
        let text = text
            + r#"{"timestamp":"2026-02-09T11:00:00.000Z","attempt_id":"m1-x","task_id":"x","executor":"codex","model":"m1","metrics":{"success":true,"cost_usd":1.0}}"#;
        let f = of(&findings(&report(&text)), "distributions").clone();
        assert_eq!(f.headline, "m1's p95 cost per session is 5.5× its median ($0.55 vs $0.10, n = 11).");
        assert!((f.strength - 0.055).abs() < 1e-9, "{}", f.strength);
        let few = of(&findings(&report(&costs("m3", 2, 9.0))), "distributions").headline.clone();
        assert_eq!(few, "No model has 10 sessions with a known cost: too few to say how costs spread.");
    }

    #[test]
    fn unknown_cost_is_not_zero() {
        // sessions without any cost: the total is unknown, not $0.00
        let r = report(&sessions("m1", 3, 1, ""));
        let f = of(&findings(&r), "costs").clone();
        assert_eq!(f.headline, "Cost unknown: none of the 3 sessions records its cost.");
        assert_eq!(f.strength, 0.0);
        // known costs: the total, the costliest model's share, runaway sessions
        let r = report(&(sessions("m1", 3, 1, r#","cost_usd":1.5"#) + &sessions("m2", 1, 1, r#","cost_usd":0.5"#)));
        let f = of(&findings(&r), "costs").clone();
        assert!(
            f.headline.starts_with("Recorded cost $5.00 over 4 sessions (known for 4); m1 took 90.0 % ($4.50); "),
            "{}",
            f.headline
        );
    }

    #[test]
    fn the_riskiest_task_and_its_main_term() {
        // t1: three failed sessions of one attempt each: risk = (3 − 1) + 3 (never completed)
        let rows: String = (0..3)
            .map(|i| {
                format!(
                    r#"{{"timestamp":"2026-02-09T1{i}:00:00.000Z","attempt_id":"a{i}","task_id":"t1","task_title":"Fix <it>","executor":"codex","model":"m","metrics":{{"success":false,"attempts":1}}}}"#
                ) + "\n"
            })
            .collect();
        let r = report(&rows);
        assert_eq!(r.task_risk.rows[0].risk, 5.0);
        let f = of(&findings(&r), "task_risk").clone();
        assert!(
            f.headline.starts_with(
                "Task t1 “Fix <it>” is the riskiest (risk 5.0, 3 sessions), mostly from never completing (3.0)."
            ),
            "{}",
            f.headline
        );
        // tier 2 + 5 / 15
        assert!((f.strength - (2.0 + 5.0 / 15.0)).abs() < 1e-9);
        // all three failed, none at a guardrail gap
        let g = of(&findings(&r), "guardrails").clone();
        assert_eq!(
            g.headline,
            "None of the 3 failed sessions hit a permission wait, an auth error or a content-policy block."
        );
    }

    #[test]
    fn strongest_ranks_by_strength_then_section_order() {
        let f = |section, strength| Finding { section, headline: "x".into(), strength };
        let all = [f("a", 1.0), f("b", 3.2), f("c", 0.0), f("d", 1.0), f("e", 2.5)];
        let order: Vec<&str> = strongest(&all, 3).iter().map(|f| f.section).collect();
        assert_eq!(order, ["b", "e", "a"]);
        assert_eq!(strongest(&all, 9).len(), 4);
    }
}
