//! Alerts.

use std::io;

use super::catalogue::*;
use super::output::{ALERTS, FLUSH_MAIN};
use super::random::{mix32, round_to};
use super::session::*;
use super::simulation::Gen;
use super::timestamps::*;

impl Gen<'_> {
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
        if s.alerted & bit != 0 {
            return Ok(());
        }
        s.alerted |= bit;
        let real = s.real.as_deref();
        if real.is_some() && s.exec == 2 && matches!(kind, AlertKind::ToolLoop { .. }) {
            return Ok(()); // the analyser never saw Claude's tool calls
        }
        let transient = real.is_some_and(|x| x.all_transient) && kind == AlertKind::FailedHighErrors;
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
            (Some(x), AlertKind::ErrorLoop { cat, tpl, .. }) => Some(Self::real_error(s, x.salt, cat, tpl, 0).2),
            _ => None,
        };
        let autofix = real.is_some() && self.rrng.chance(0.3);
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, TsStyle::Millis, &mut self.rng);
        j.s("type", ty);
        if real.is_some() {
            // failed-session and stuck alerts are keyed by the task, the others by the attempt
            let per_task = matches!(kind, AlertKind::FailedHighErrors | AlertKind::Stuck { .. });
            let key = match &s.task.id {
                Some(id) if per_task => format!("{ty}:{id}"),
                _ => format!("{ty}:{}", s.attempt_id),
            };
            j.s("_cooldown_key", &key);
        }
        if with_sev {
            j.s("severity", sev);
        }
        j.s("attempt_id", &s.attempt_id);
        if let Some(id) = &s.task.id {
            j.s("task_id", id);
        }
        j.s("executor", s.exec_label);
        match kind {
            AlertKind::ToolLoop { count } => {
                j.s("tool_name", TOOLS[s.exec][0]);
                j.i("count", count as i64);
                if real.is_some() {
                    j.i("occurrences", count as i64);
                }
                j.i("window_ms", 60_000);
                j.s("recommendation", "Agent may be stuck in a loop. Consider intervention.");
            }
            AlertKind::ErrorLoop { n, .. } if real_loop.is_some() => {
                let message = real_loop.unwrap_or_default();
                j.s("error_fingerprint", &fingerprint_of(&message));
                j.i("occurrences", n as i64);
                j.i("window_ms", 600_000);
                j.s("sample_message", &message);
                j.s(
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
                let fp = format!("{:012x}", (mix32((ci as u32) << 8 | tpl as u32) as u64) << 16 | 0xbeef);
                j.s("error_fingerprint", &fp);
                j.i("occurrences", n as i64);
                j.i("window_ms", 600_000);
                j.s("sample_message", ERRORS_BY_CAT[ci].1[tpl % ERRORS_BY_CAT[ci].1.len()]);
                j.s("recommendation", "Same error repeating. Check environment or task specification.");
            }
            AlertKind::Restarts { n } => {
                j.i("restart_count", n as i64);
                j.s("last_reason", "anomaly_recovery");
                j.s("recommendation", "Session restarted repeatedly. Consider a different executor.");
            }
            AlertKind::Stuck { idle_ms } => {
                j.i("idle_time_ms", idle_ms);
                j.i("threshold_ms", 300_000);
                j.s("recommendation", "No activity for several minutes. Consider nudging the agent.");
            }
            AlertKind::Cost => {
                j.f("cost_usd", round_to(s.cost, 4));
                j.f("threshold_usd", 1.0);
                j.s("recommendation", "Session cost above threshold. Review prompt size and loops.");
            }
            AlertKind::FailedHighErrors => {
                j.i("error_count", s.errors as i64);
                j.a("error_fingerprints");
                for f in &s.fingerprints {
                    j.item_s(f);
                }
                j.a_end();
                j.s(
                    "recommendation",
                    if autofix { "trigger_ai_autofix" } else { "Failed with many errors. Inspect the error clusters." },
                );
            }
            AlertKind::Novel => {
                j.f("context_fill_ratio", 0.93);
            }
        }
        j.close();
        if self.alerts_started {
            // The alerts file ends without a final newline: separators go before lines.
            self.alerts.push(b'\n');
            self.t.bytes += 1;
        }
        self.alerts_started = true;
        self.t.real_transient_alerts += transient as usize;
        self.alerts.extend_from_slice(&self.j.b);
        self.t.bytes += self.j.b.len() as u64;
        self.t.lines += 1;
        self.t.alerts += 1;
        self.span(rep);
        if self.alerts.len() >= FLUSH_MAIN {
            self.sink.write(ALERTS, &self.alerts)?;
            self.alerts.clear();
        }
        Ok(())
    }
}
