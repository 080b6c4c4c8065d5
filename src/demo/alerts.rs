//! The alerts file (`agent-alerts.jsonl`): what bosun's analyser says about a session while it
//! runs (loops, restarts, a stuck agent) and when it ends (cost, many errors).

use std::io;

use super::catalogue::{cat_index, fingerprint_of, Executor, ToolKind, ERRORS_BY_CAT};
use super::guide_events::guide_fingerprint;
use super::random::round_to;
use super::session::{AlertKind, Session};
use super::simulation::Generator;
use super::timestamps::{write_ts, TsStyle};

impl Generator<'_> {
    /// Writes an alert of a kind once per session (a repeat is dropped, as the analyser's
    /// cooldown does).
    pub(super) fn write_alert(&mut self, s: &mut Session, kind: AlertKind, t: i64) -> io::Result<()> {
        let bit = match kind {
            AlertKind::ToolLoop { .. } => 1,
            AlertKind::ErrorLoop { .. } => 2,
            AlertKind::Restarts { .. } => 4,
            AlertKind::Stuck { .. } => 8,
            AlertKind::Cost => 16,
            AlertKind::FailedHighErrors => 32,
            AlertKind::Novel => 64,
        };
        if s.progress.alerted & bit != 0 {
            return Ok(());
        }
        s.progress.alerted |= bit;
        let real = s.real.as_deref();
        if real.is_some() && s.executor == Executor::Claude && matches!(kind, AlertKind::ToolLoop { .. }) {
            return Ok(()); // the analyser never saw Claude's tool calls
        }
        let transient = real.is_some_and(|facts| facts.all_transient) && kind == AlertKind::FailedHighErrors;
        let (ty, sev) = match kind {
            AlertKind::FailedHighErrors if transient => ("failed_session_transient_errors", "medium"),
            AlertKind::ErrorLoop { .. } => ("error_loop", "high"),
            AlertKind::ToolLoop { .. } => ("tool_loop", "medium"),
            AlertKind::Restarts { .. } => ("excessive_restarts", "medium"),
            AlertKind::Cost => ("cost_anomaly", "low"),
            AlertKind::FailedHighErrors => ("failed_session_high_errors", "high"),
            AlertKind::Stuck { .. } => ("stuck_agent", "medium"),
            AlertKind::Novel => ("context_pressure", "low"),
        };
        let with_sev = real.is_some() || !self.rng.chance(0.06);
        let ms = t + self.rng.range(0, 1500);
        // the real share's error loop names its own fingerprint and message
        let real_loop = match (real, kind) {
            (Some(facts), AlertKind::ErrorLoop { cat, tpl, .. }) => {
                Some(Self::real_error(s, facts.salt, cat, tpl, 0).message)
            }
            _ => None,
        };
        let autofix = real.is_some() && self.real_rng.chance(0.3);
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, ms, TsStyle::Millis, &mut self.rng);
        json.str_field("type", ty);
        if real.is_some() {
            // failed-session and stuck alerts are keyed by the task, the others by the attempt
            let per_task = matches!(kind, AlertKind::FailedHighErrors | AlertKind::Stuck { .. });
            let key = match &s.task.id {
                Some(id) if per_task => format!("{ty}:{id}"),
                _ => format!("{ty}:{}", s.attempt_id),
            };
            json.str_field("_cooldown_key", &key);
        }
        if with_sev {
            json.str_field("severity", sev);
        }
        json.str_field("attempt_id", &s.attempt_id);
        if let Some(id) = &s.task.id {
            json.str_field("task_id", id);
        }
        json.str_field("executor", s.style.executor_label);
        match kind {
            AlertKind::ToolLoop { count } => {
                json.str_field("tool_name", s.executor.tool_name(ToolKind::Shell));
                json.i64_field("count", count as i64);
                if real.is_some() {
                    json.i64_field("occurrences", count as i64);
                }
                json.i64_field("window_ms", 60_000);
                json.str_field("recommendation", "Agent may be stuck in a loop. Consider intervention.");
            }
            AlertKind::ErrorLoop { n, .. } if real_loop.is_some() => {
                let message = real_loop.unwrap_or_default();
                json.str_field("error_fingerprint", &fingerprint_of(&message));
                json.i64_field("occurrences", n as i64);
                json.i64_field("window_ms", 600_000);
                json.str_field("sample_message", &message);
                json.str_field(
                    "recommendation",
                    if autofix {
                        "trigger_ai_autofix"
                    } else {
                        "Same error repeating. Check environment or task specification."
                    },
                );
            }
            AlertKind::ErrorLoop { cat, tpl, n } => {
                let ci = cat_index(cat);
                json.str_field("error_fingerprint", &guide_fingerprint(ci, tpl));
                json.i64_field("occurrences", n as i64);
                json.i64_field("window_ms", 600_000);
                json.str_field("sample_message", ERRORS_BY_CAT[ci].1[tpl % ERRORS_BY_CAT[ci].1.len()]);
                json.str_field("recommendation", "Same error repeating. Check environment or task specification.");
            }
            AlertKind::Restarts { n } => {
                json.i64_field("restart_count", n as i64);
                json.str_field("last_reason", "anomaly_recovery");
                json.str_field("recommendation", "Session restarted repeatedly. Consider a different executor.");
            }
            AlertKind::Stuck { idle_ms } => {
                json.i64_field("idle_time_ms", idle_ms);
                json.i64_field("threshold_ms", 300_000);
                json.str_field("recommendation", "No activity for several minutes. Consider nudging the agent.");
            }
            AlertKind::Cost => {
                json.f64_field("cost_usd", round_to(s.progress.cost_usd, 4));
                json.f64_field("threshold_usd", 1.0);
                json.str_field("recommendation", "Session cost above threshold. Review prompt size and loops.");
            }
            AlertKind::FailedHighErrors => {
                json.i64_field("error_count", s.progress.errors as i64);
                json.open_array_field("error_fingerprints");
                for f in &s.progress.fingerprints {
                    json.str_item(f);
                }
                json.close_array();
                json.str_field(
                    "recommendation",
                    if autofix { "trigger_ai_autofix" } else { "Failed with many errors. Inspect the error clusters." },
                );
            }
            AlertKind::Novel => {
                json.f64_field("context_fill_ratio", 0.93);
            }
        }
        json.close_object();
        self.tally.real_transient_alerts += transient as usize;
        self.write_line_to_alerts(rep)
    }
}
