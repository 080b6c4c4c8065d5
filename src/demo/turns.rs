//! What an attempt does next, planned a turn at a time: the anomaly stories at their fixed
//! points, or an ordinary turn (think, look around, edit or run a command, report), with the
//! errors that come with it.

use super::catalogue::{cat_index, Executor, ToolKind, ERRORS_BY_CAT, FOLLOWUP_REASONS, PROJECTS, STATUSES};
use super::session::{AlertKind, Event, Outcome, Session, Tool, UsageStyle};
use super::simulation::Generator;
use super::timestamps::{MIN_MS, SEC};

impl Generator<'_> {
    /// Queues the next few events of a session (one "turn" of the agent).
    pub(super) fn plan_turn(&mut self, s: &mut Session, t: i64) {
        let r = &mut self.rng;
        let p = &PROJECTS[s.task.project];
        let executor = s.executor;
        if s.plan.steps_left == 0 {
            if s.plan.crash {
                s.queue.push_back((r.range(SEC, 20 * SEC), Event::Crash));
            } else {
                if r.chance(0.3) {
                    s.queue.push_back((r.range(SEC, 5 * SEC), Event::Status { from: "inprogress", to: "inreview" }));
                }
                if matches!(s.style.usage, UsageStyle::CodexEvents | UsageStyle::ClaudeEvents)
                    && s.progress.pending_prompt_tokens > 0
                {
                    s.queue.push_back((r.range(100, 900), Event::Usage));
                }
                s.queue.push_back((r.range(300, 4 * SEC), Event::End));
            }
            return;
        }
        s.plan.steps_left -= 1;
        s.plan.step_no += 1;
        let step = s.plan.step_no;
        let q = &mut s.queue;
        let total_steps = step + s.plan.steps_left;
        let real_writer = s.real.is_some();

        if step == 1 && s.real.as_ref().is_some_and(|real| real.story_transient) {
            // A provider having a bad day: transient errors only, then bosun gives up.
            let n = r.range(4, 7);
            for k in 0..n {
                q.push_back((
                    r.range(5 * SEC, 60 * SEC),
                    Event::Error { cat: "transient", tpl: k as usize + r.below(6) },
                ));
            }
            q.push_back((r.range(SEC, 5 * SEC), Event::Output { long: false }));
            return;
        }

        // Stories, each at a fixed point of the session.
        if step == 1 && s.stories.restarts {
            // Excessive restarts: bosun restarts the SDK session again and again.
            let n = r.range(3, 5) as u32;
            for k in 0..n {
                let ptype = if k % 2 == 0 { "retry" } else { "followup" };
                q.push_back((r.range(20 * SEC, 90 * SEC), Event::Error { cat: "unknown", tpl: 0 }));
                q.push_back((r.range(2 * SEC, 10 * SEC), Event::Start { ptype, reason: Some("anomaly_recovery") }));
                if k == 2 {
                    q.push_back((r.range(300, 3000), Event::Alert(AlertKind::Restarts { n: 3 })));
                }
            }
            s.progress.anomalies.push("restart_session");
            return;
        }
        if let Some(cat) = s.plan.guardrail {
            if step == 1 || r.chance(0.5) {
                let tool = Tool::new(executor, ToolKind::Shell, r.pick(p.builds), false);
                q.push_back((r.range(2 * SEC, 20 * SEC), Event::Call(tool.clone())));
                let wait = if cat == "permission_wait" { r.range(60 * SEC, 240 * SEC) } else { r.range(SEC, 6 * SEC) };
                q.push_back((wait, Event::Error { cat, tpl: r.below(2) }));
                q.push_back((r.range(200, 2000), Event::Result { tool, ok: false, long: false }));
                return;
            }
        }
        if s.stories.tool_loop && step == (total_steps / 2).max(1) {
            let cmd = r.pick(p.tests);
            let n = r.range(11, 19) as u32;
            for k in 0..n {
                let tool = Tool::new(executor, ToolKind::Shell, cmd, true);
                q.push_back((r.range(1500, 4000), Event::Call(tool.clone())));
                q.push_back((r.range(300, 1200), Event::Result { tool, ok: false, long: false }));
                if k == 9 && r.chance(0.85) {
                    q.push_back((r.range(50, 900), Event::Alert(AlertKind::ToolLoop { count: 10 })));
                }
            }
            q.push_back((r.range(SEC, 5 * SEC), Event::Followup { reason: "anomaly_recovery" }));
            s.progress.anomalies.push("kill_tool_loop");
            return;
        }
        if s.stories.error_loop && step == (total_steps / 3).max(1) {
            let cat = s.task.trouble.unwrap_or("build");
            let ci = cat_index(cat);
            let tpl = r.below(ERRORS_BY_CAT[ci].1.len());
            let n = r.range(4, 8) as u32;
            for k in 0..n {
                let tool = Tool::new(executor, ToolKind::Shell, r.pick(p.builds), false);
                q.push_back((r.range(20 * SEC, 80 * SEC), Event::Call(tool.clone())));
                q.push_back((r.range(2 * SEC, 30 * SEC), Event::Result { tool, ok: false, long: r.chance(0.3) }));
                q.push_back((r.range(100, 800), Event::Error { cat: ERRORS_BY_CAT[ci].0, tpl }));
                if k == 3 && r.chance(0.85) {
                    q.push_back((
                        r.range(50, 900),
                        Event::Alert(AlertKind::ErrorLoop { cat: ERRORS_BY_CAT[ci].0, tpl, n: 4 }),
                    ));
                }
            }
            s.progress.anomalies.push("error_loop_escalate");
            return;
        }
        if s.stories.stuck && step == (total_steps * 2 / 3).max(1) {
            let idle = r.range(6 * MIN_MS, 28 * MIN_MS);
            q.push_back((r.range(SEC, 5 * SEC), Event::Thinking));
            if r.chance(0.85) {
                q.push_back((
                    5 * MIN_MS + r.range(0, 30 * SEC),
                    Event::Alert(AlertKind::Stuck { idle_ms: 5 * MIN_MS }),
                ));
                q.push_back((idle - 5 * MIN_MS, Event::Followup { reason: "anomaly_recovery" }));
            } else {
                q.push_back((idle, Event::Followup { reason: "anomaly_recovery" }));
            }
            s.progress.anomalies.push("nudge_stuck_agent");
            return;
        }

        // An ordinary turn: think, maybe look around, act, report.
        let burst = self.outage.hits(t, executor);
        if burst && r.chance(0.55) {
            let cat = if r.chance(0.7) { "rate_limit" } else { "api_error" };
            let n = r.range(1, 4);
            for _ in 0..n {
                q.push_back((r.range(3 * SEC, 40 * SEC), Event::Error { cat, tpl: r.below(2) }));
            }
        }
        if r.chance(0.55) {
            q.push_back((r.range(800, 9 * SEC), Event::Thinking));
        }
        if r.chance(0.35) {
            let tool = if r.chance(0.6) {
                Tool::new(executor, ToolKind::Read, r.pick(p.files), false)
            } else {
                Tool::new(
                    executor,
                    ToolKind::Search,
                    r.pick(&["TODO", "fn handle", "import", "config", "retry"]),
                    false,
                )
            };
            q.push_back((r.range(500, 6 * SEC), Event::Call(tool.clone())));
            q.push_back((r.range(50, 900), Event::Result { tool, ok: r.chance(0.97), long: r.chance(0.15) }));
        }
        let late = step * 3 >= total_steps * 2;
        let will_succeed = s.plan.outcome == Outcome::Success;
        match r.below(10) {
            0..=3 if !s.plan.no_change => {
                let file = r.pick(p.files);
                let tool = Tool::new(executor, ToolKind::Edit, file, false);
                q.push_back((r.range(2 * SEC, 25 * SEC), Event::Call(tool.clone())));
                let ok = r.chance(0.95);
                q.push_back((r.range(100, 1500), Event::Result { tool, ok, long: false }));
                if !ok {
                    q.push_back((r.range(50, 400), Event::Error { cat: "tool_error", tpl: 0 }));
                }
            }
            _ => {
                let (cmd, is_test) = match r.below(10) {
                    0..=4 => (r.pick(p.tests), true),
                    5..=6 => (r.pick(p.lints), false),
                    7 => (r.pick(p.builds), false),
                    8 => (r.pick(&["git status", "git diff --stat", "git log --oneline -5", "ls -la"]), false),
                    _ => (r.pick(&["git add -A && git commit -m \"wip\"", "git push origin HEAD"]), false),
                };
                let is_lint = p.lints.contains(&cmd);
                let tool = Tool::new(executor, ToolKind::Shell, cmd, is_test);
                q.push_back((r.range(SEC, 15 * SEC), Event::Call(tool.clone())));
                let p_ok = if is_test {
                    if late && will_succeed {
                        0.9
                    } else {
                        0.45
                    }
                } else {
                    0.85
                };
                let ok = r.chance(p_ok);
                let dur = if is_test { r.range(8 * SEC, 120 * SEC) } else { r.range(300, 20 * SEC) };
                q.push_back((dur, Event::Result { tool, ok, long: r.chance(if is_test { 0.35 } else { 0.1 }) }));
                if !ok && r.chance(0.45) {
                    let cat = if is_test {
                        "test"
                    } else if let Some(tr) = s.task.trouble.filter(|_| r.chance(0.6)) {
                        tr
                    } else {
                        r.pick(&["build", "dependency", "git", "tool_error", "network", "timeout"])
                    };
                    let cat = if real_writer && is_lint { "lint" } else { cat };
                    q.push_back((r.range(50, 600), Event::Error { cat, tpl: r.below(2) }));
                }
            }
        }
        // Sporadic background errors (rate limits everywhere now and then).
        if r.chance(0.012) {
            let cat = r.pick(&["rate_limit", "api_error", "model_error", "network", "context_window"]);
            q.push_back((r.range(SEC, 20 * SEC), Event::Error { cat, tpl: r.below(2) }));
        }
        if s.task.trouble == Some("context_window") && step > 8 && r.chance(0.3) {
            q.push_back((r.range(SEC, 5 * SEC), Event::Error { cat: "context_window", tpl: r.below(2) }));
        }
        let long = r.chance(0.07) || (step == total_steps && r.chance(0.5));
        q.push_back((r.range(SEC, 12 * SEC), Event::Output { long }));
        if real_writer {
            // the real writer reports each turn's usage in a usage event
            q.push_back((r.range(50, 500), Event::Usage));
        }
        if matches!(s.style.usage, UsageStyle::CodexEvents | UsageStyle::ClaudeEvents) && r.chance(0.5) {
            q.push_back((r.range(50, 500), Event::Usage));
        }
        if !s.stories.restarts && step == 3 && r.chance(0.05) {
            // An ordinary single restart of the SDK session.
            q.push_back((r.range(5 * SEC, 30 * SEC), Event::Start { ptype: "followup", reason: Some("incomplete") }));
        }
        if r.chance(0.015) {
            // bosun nudges a running session now and then.
            q.push_back((r.range(5 * SEC, 40 * SEC), Event::Followup { reason: r.pick(FOLLOWUP_REASONS) }));
        }
        if r.chance(0.02) {
            let (from, to) = r.pick(STATUSES);
            q.push_back((r.range(SEC, 5 * SEC), Event::Status { from, to }));
        }
    }

    /// Tokens and cost of one model turn.
    pub(super) fn model_turn(&mut self, s: &mut Session) -> (u64, u64, f64) {
        let r = &mut self.rng;
        let ctx = 1500 + 260 * s.plan.step_no as u64;
        let mut p = ctx + r.range(0, 3500) as u64;
        let mut c = r.range(60, 1300) as u64;
        if s.stories.runaway {
            p = r.range(20_000, 60_000) as u64;
            c = r.range(1_000, 4_000) as u64;
        }
        let cache_discount = if s.executor == Executor::Claude { 0.35 } else { 1.0 };
        let cost = (p as f64 * s.model.usd_in * cache_discount + c as f64 * s.model.usd_out) / 1e6;
        s.progress.prompt_tokens += p;
        s.progress.completion_tokens += c;
        s.progress.cost_usd += cost;
        s.progress.pending_prompt_tokens += p;
        s.progress.pending_completion_tokens += c;
        s.progress.pending_cost_usd += cost;
        (p, c, cost)
    }
}
