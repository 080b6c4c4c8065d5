//! The simulation as it runs: tasks arrive, attempts start, each attempt's events come due in
//! time order, and an attempt ends with its alerts, its metrics row and perhaps another attempt.
//!
//! The draws from the random sources happen in a fixed order: changing that order (even moving
//! a draw past another) changes every byte after it, so the output is pinned by tests.

use std::collections::VecDeque;
use std::io;

use super::bad_lines::BadLines;
use super::catalogue::{Executor, DESCRIPTIONS, EXECUTOR_WEIGHTS, PROJECTS, SKILLS, TITLES};
use super::json_writer::{JsonLine, NumberForm};
use super::output::Files;
use super::random::{mix32, round_to, Rng};
use super::scheduler::{Agenda, Item};
use super::session::{
    AlertKind, Event, Outcome, Plan, Progress, RealFacts, Session, SessionStyle, Stories, Task, Transcript, UsageStyle,
    Writer,
};
use super::sink::DemoSink;
use super::tally::{resolve, DemoTally, Written};
use super::timestamps::{write_ts, TsStyle, DAY_MS, HOUR_MS, MIN_MS, SEC};
use super::{DemoConfig, MAX_ACTIVE};

/// The generator: the simulation's state, the random sources, the line being written, the files
/// and the tally. Its methods live in the files of this module by what they do.
pub(super) struct Generator<'a> {
    // -- the simulation
    pub(super) start_ms: i64,
    /// Sessions to simulate, and how many of them are started or promised (a scheduled retry).
    pub(super) session_budget: usize,
    pub(super) sessions_reserved: usize,
    /// Sessions running now (at most `MAX_ACTIVE`).
    pub(super) active: usize,
    pub(super) agenda: Agenda,
    pub(super) tasks_created: u32,
    pub(super) attempts_started: u32,
    pub(super) skill_calls: u32,
    pub(super) mean_gap_ms: f64,
    pub(super) outage: Outage,
    // -- random sources
    pub(super) rng: Rng,
    /// The real-writer share: its own random source, so that the guide-shaped output does not
    /// change when the share is 0.
    pub(super) real_share: f64,
    pub(super) real_rng: Rng,
    /// The UUID of the latest real-style task (its skill_invoke lines carry it).
    pub(super) last_real_task: Option<String>,
    // -- writing
    /// The line being written, and a scratch text for long values.
    pub(super) json: JsonLine,
    pub(super) text: String,
    pub(super) files: Files<'a>,
    pub(super) bad_lines: BadLines,
    // -- counting
    pub(super) tally: DemoTally,
    /// Some session has no task id: the viewer counts one more task, `(no task)`.
    pub(super) some_task_without_id: bool,
}

/// The provider outage: an hour or two in which one executor meets rate limits and API errors.
pub(super) struct Outage {
    pub(super) start_ms: i64,
    pub(super) end_ms: i64,
    pub(super) executor: Executor,
}

impl Outage {
    pub(super) fn during(&self, t: i64) -> bool {
        t >= self.start_ms && t < self.end_ms
    }

    /// At `t`, `executor` is the one out.
    pub(super) fn hits(&self, t: i64, executor: Executor) -> bool {
        self.during(t) && executor == self.executor
    }
}

impl<'a> Generator<'a> {
    pub(super) fn new(cfg: &DemoConfig, sink: &'a mut dyn DemoSink) -> Generator<'a> {
        let mut rng = Rng::new(cfg.seed);
        let days = (cfg.sessions as f64 / 60.0).clamp(1.0, 28.0);
        let span_ms = days * DAY_MS as f64;
        let tasks = (cfg.sessions as f64 / 1.45).max(1.0);
        let outage_executor = Executor::from_index(1 + rng.below(2));
        let outage_start = cfg.start_ms + ((span_ms * 0.45) as i64 / HOUR_MS) * HOUR_MS + 17 * MIN_MS;
        let outage_len = rng.range(70, 110) * MIN_MS;
        Generator {
            start_ms: cfg.start_ms,
            session_budget: cfg.sessions,
            sessions_reserved: 0,
            active: 0,
            agenda: Agenda::default(),
            tasks_created: 0,
            attempts_started: 0,
            skill_calls: 0,
            mean_gap_ms: span_ms / tasks,
            outage: Outage { start_ms: outage_start, end_ms: outage_start + outage_len, executor: outage_executor },
            rng,
            real_share: if cfg.real_writer_share.is_finite() { cfg.real_writer_share.clamp(0.0, 1.0) } else { 0.0 },
            real_rng: Rng::new(cfg.seed ^ 0x5245_414c_5752_4954),
            last_real_task: None,
            json: JsonLine::new(),
            text: String::with_capacity(16 * 1024),
            files: Files::new(sink),
            bad_lines: BadLines::new(cfg.malformed_lines),
            tally: DemoTally::default(),
            some_task_without_id: false,
        }
    }
}

impl Generator<'_> {
    pub(super) fn run(&mut self) -> io::Result<()> {
        if self.session_budget == 0 {
            return Ok(());
        }
        self.agenda.schedule(self.start_ms, Item::Arrival);
        let first_skill = self.start_ms + self.rng.range(2 * MIN_MS, 40 * MIN_MS);
        self.agenda.schedule(first_skill, Item::Skill);
        while let Some((t, item)) = self.agenda.next() {
            match item {
                Item::Arrival => self.on_arrival(t)?,
                Item::Skill => self.on_skill(t)?,
                Item::NextAttempt(task) => self.start_session(task, t),
                Item::Session(s) => self.on_session(s, t)?,
                Item::RowRewrite(rewrite) => {
                    self.write_metrics_line(&rewrite.line, rewrite.ms)?;
                    self.tally.superseded_rows += 1;
                    self.tally.count_resolved(rewrite.resolved);
                }
            }
        }
        Ok(())
    }

    /// Writes the files' last bytes and returns the tally.
    pub(super) fn finish(mut self) -> io::Result<DemoTally> {
        self.files.flush_all()?;
        self.tally.bytes += self.tally.stream_bytes;
        if self.some_task_without_id {
            self.tally.tasks += 1;
        }
        Ok(self.tally)
    }

    fn on_arrival(&mut self, t: i64) -> io::Result<()> {
        if self.sessions_reserved >= self.session_budget {
            return Ok(());
        }
        if self.active >= MAX_ACTIVE {
            let d = self.rng.range(MIN_MS, 5 * MIN_MS);
            self.agenda.schedule(t + d, Item::Arrival);
            return Ok(());
        }
        let task = self.new_task();
        self.sessions_reserved += 1;
        self.start_session(task, t);
        // Busier in European/US working hours and on weekdays.
        let hour = t.rem_euclid(DAY_MS) / HOUR_MS;
        let weekday = (t.div_euclid(DAY_MS) + 3).rem_euclid(7); // 0 = Monday
        let mut f = if (7..19).contains(&hour) { 0.6 } else { 1.9 };
        if weekday >= 5 {
            f *= 2.2;
        }
        let gap = (self.mean_gap_ms * f * self.rng.exponential()) as i64;
        self.agenda.schedule(t + gap.max(SEC), Item::Arrival);
        Ok(())
    }

    fn new_task(&mut self) -> Box<Task> {
        self.tasks_created += 1;
        let r = &mut self.rng;
        let title = r.pick(TITLES);
        let project = r.below(PROJECTS.len());
        let id = if r.chance(0.015) { None } else { Some(format!("{:08x}", mix32(self.tasks_created))) };
        let slug: String = title
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(3)
            .collect::<Vec<_>>()
            .join("-");
        let trouble = match r.below(20) {
            0 | 1 => Some("dependency"),
            2 => Some("auth"),
            3 => Some("context_window"),
            4 | 5 => Some("test"),
            6 => Some("build"),
            7 => Some("api_key"),
            _ => None,
        };
        let real = self.real_share > 0.0 && self.real_rng.chance(self.real_share);
        let id = if real { Some(self.real_rng.uuid()) } else { id };
        Box::new(Task {
            writer: if real { Writer::RealBosun } else { Writer::Guide },
            counted_files: Vec::new(),
            id,
            title,
            description: r.pick(DESCRIPTIONS),
            project,
            slug,
            trouble,
            difficulty: r.fraction() * 0.35 + if trouble.is_some() { 0.15 } else { 0.0 },
            attempts: 0,
            counted: false,
            last_executor: Executor::from_index(r.weighted(&EXECUTOR_WEIGHTS)),
            last_failed: false,
            last_anomaly: false,
        })
    }

    /// Starts an attempt at `task`: who runs it, how it will go, how its lines are written.
    fn start_session(&mut self, mut task: Box<Task>, t: i64) {
        self.attempts_started += 1;
        self.active += 1;
        task.attempts += 1;
        let attempt_no = task.attempts;
        let in_outage = self.outage.during(t);
        let r = &mut self.rng;
        let executor = if attempt_no == 1 {
            if in_outage && r.chance(0.6) {
                self.outage.executor
            } else {
                task.last_executor
            }
        } else if r.chance(0.25) {
            // another executor tries
            Executor::from_index((task.last_executor.index() + 1 + r.below(2)) % 3)
        } else {
            task.last_executor
        };
        task.last_executor = executor;
        let models = executor.models();
        let weights: Vec<u32> = models.iter().map(|m| m.weight).collect();
        let model = &models[r.weighted(&weights)];
        let (ptype, reason) = if attempt_no == 1 {
            ("initial", None)
        } else if task.last_failed {
            ("retry", Some(if r.chance(0.7) { "tests_failing" } else { "incomplete" }))
        } else if task.last_anomaly {
            ("followup", Some("anomaly_recovery"))
        } else {
            ("followup", Some(r.pick(&["review_changes_requested", "user_request", "incomplete"])))
        };
        // ids
        let short = match &task.id {
            Some(id) => id[..6].to_string(),
            None => format!("adhoc{:03x}", self.attempts_started & 0xfff),
        };
        let attempt_id = if attempt_no == 1 {
            format!("ve-{}-{}-{:x}", short, task.slug, mix32(self.attempts_started) & 0xffff)
        } else {
            format!("ve-{}-{}-r{}-{:x}", short, task.slug, attempt_no, mix32(self.attempts_started) & 0xffff)
        };
        let session_id = if executor == Executor::Claude && r.chance(0.3) {
            attempt_id.clone()
        } else {
            format!("s-{:08x}", mix32(self.attempts_started ^ 0x5a5a_5a5a))
        };
        let executor_label = match r.below(100) {
            0..=84 => executor.upper(),
            85..=92 => executor.lower(),
            _ => executor.capitalised(),
        };
        let timestamps = match r.below(100) {
            0..=79 => TsStyle::Millis,
            80..=89 => TsStyle::Seven,
            90..=95 => TsStyle::Offset,
            _ => TsStyle::Seconds,
        };
        // How it goes. Success odds: the model's quality, the task's difficulty, a bonus for later
        // attempts.
        let p_success = (model.quality - task.difficulty + 0.08 * (attempt_no as f64 - 1.0).min(3.0)).clamp(0.1, 0.95);
        let guardrail = if r.chance(0.045) {
            Some(match executor {
                Executor::Codex => r.pick(&["auth", "auth", "permission_wait", "content_policy"]),
                Executor::Copilot => r.pick(&["permission_wait", "permission_wait", "auth", "content_policy"]),
                Executor::Claude => r.pick(&["content_policy", "content_policy", "permission_wait", "auth"]),
            })
        } else {
            None
        };
        let stories = Stories {
            tool_loop: r.chance(0.04),
            error_loop: r.chance(0.04),
            stuck: r.chance(0.04),
            restarts: r.chance(0.025),
            runaway: r.chance(0.006),
        };
        let mut success = r.chance(p_success);
        if guardrail.is_some() || (stories.error_loop && r.chance(0.6)) || (stories.tool_loop && r.chance(0.4)) {
            success = false;
        }
        if in_outage && executor == self.outage.executor && r.chance(0.5) {
            success = false;
        }
        let outcome = if success {
            Outcome::Success
        } else {
            match r.below(100) {
                0..=59 => Outcome::Failed,
                60..=74 => Outcome::Timeout,
                75..=84 => Outcome::Interrupted,
                _ => Outcome::Error,
            }
        };
        let crash = r.chance(0.025);
        let rotated = !crash && r.chance(0.01);
        let write_row = rotated || (!crash && r.chance(0.94));
        let usage = if r.chance(0.04) {
            UsageStyle::None
        } else {
            match executor {
                Executor::Codex => r.pick(&[
                    UsageStyle::CodexItem,
                    UsageStyle::CodexItem,
                    UsageStyle::CodexResponse,
                    UsageStyle::CodexEvents,
                ]),
                Executor::Copilot => {
                    r.pick(&[UsageStyle::CopilotMetrics, UsageStyle::CopilotUsage, UsageStyle::CopilotSummaryOnly])
                }
                Executor::Claude => {
                    r.pick(&[UsageStyle::ClaudeMessage, UsageStyle::ClaudeMessage, UsageStyle::ClaudeEvents])
                }
            }
        };
        let mut steps = r.lognormal(11.0, 0.55).clamp(3.0, 70.0) as u32;
        if stories.runaway {
            steps = r.range(90, 160) as u32;
        }
        if guardrail.is_some() {
            steps = steps.min(r.range(2, 6) as u32);
        }
        let keeps_transcript = r.chance(0.35);
        let branch = format!("ve/{}-{}", short, task.slug);
        let design_note_row = timestamps == TsStyle::Seven || r.chance(0.12);
        let variant = r.pick(executor.variants());
        let transcript_on_windows = r.chance(0.15);
        let no_change = success && r.chance(0.09);
        let end_rollup = r.chance(0.5);
        let mut s = Box::new(Session {
            attempt_id,
            session_id,
            branch,
            ptype,
            executor,
            model,
            style: SessionStyle { executor_label, variant, timestamps, design_note_row, usage, end_rollup },
            transcript: keeps_transcript.then(|| Transcript {
                bytes: Vec::new(),
                windows: transcript_on_windows,
                started: false,
            }),
            plan: Plan { outcome, steps_left: steps, step_no: 0, crash, rotated, write_row, guardrail, no_change },
            stories,
            queue: VecDeque::new(),
            seq: 0,
            last_ms: t,
            first_line_ms: None,
            progress: Progress::default(),
            written: Written::default(),
            real: None,
            without_task_id: false,
            task,
        });
        s.queue.push_back((0, Event::Start { ptype, reason }));
        if self.rng.chance(0.4) {
            s.queue.push_back((self.rng.range(200, 2000), Event::Status { from: "todo", to: "inprogress" }));
        }
        if s.task.writer == Writer::RealBosun {
            self.make_real(&mut s);
        }
        self.agenda.schedule(t, Item::Session(s));
    }

    /// Turns a planned session into one of bosun's real writer: its ids and labels, and the
    /// stories only that writer has. Draws only from `real_rng`.
    fn make_real(&mut self, s: &mut Session) {
        let r = &mut self.real_rng;
        let task_uuid = s.task.id.clone().unwrap_or_else(|| r.uuid());
        s.attempt_id = format!("{}-{}", task_uuid, r.uuid());
        s.session_id = s.attempt_id.clone();
        s.branch = format!("ve/{}-{}", &task_uuid[..8], s.task.slug);
        s.style.executor_label = s.executor.lower();
        s.style.variant = s.model.name;
        s.style.timestamps = TsStyle::Millis;
        if let Some(transcript) = &mut s.transcript {
            transcript.windows = false;
        }
        s.style.design_note_row = false;
        s.style.usage = UsageStyle::None;
        let failed = s.plan.outcome != Outcome::Success;
        let story_transient =
            s.plan.outcome == Outcome::Failed && s.plan.guardrail.is_none() && !s.stories.error_loop && r.chance(0.3);
        let silent_denial = failed
            && s.plan.write_row
            && !s.plan.crash
            && !s.plan.rotated
            && s.plan.guardrail != Some("permission_wait")
            && !story_transient
            && r.chance(0.12);
        let auto_resume = r.chance(0.4);
        s.without_task_id = r.chance(0.15);
        let real = RealFacts {
            salt: r.u64() as u32,
            story_transient,
            silent_denial,
            counters: NumberForm::quoted_if(r.chance(0.25)),
            auto_resume,
            commits_before_resume: auto_resume && r.chance(0.5),
            permission_requests: r.below(3) as u32,
            permission_denied: if silent_denial { 1 + r.below(3) as u32 } else { 0 },
            all_transient: true,
            ..RealFacts::default()
        };
        s.real = Some(Box::new(real));
        self.last_real_task = Some(task_uuid);
        // The first model turn, so that every real-style session reports tokens.
        s.queue.push_back((r.range(2 * SEC, 9 * SEC), Event::Output { long: false }));
        s.queue.push_back((r.range(50, 500), Event::Usage));
    }

    /// A session's next event is due: write it, plan the next turn when the queue is empty.
    fn on_session(&mut self, mut s: Box<Session>, t: i64) -> io::Result<()> {
        let (_, ev) = s.queue.pop_front().expect("queued event");
        match ev {
            Event::End => {
                self.emit(&mut s, Event::End, t)?;
                return self.end_session(s, t);
            }
            Event::Crash => return self.end_session(s, t),
            ev => self.emit(&mut s, ev, t)?,
        }
        if s.queue.is_empty() {
            self.plan_turn(&mut s, t);
        }
        let delay = s.queue.front().map(|q| q.0).unwrap_or(SEC);
        self.agenda.schedule(t + delay.max(1), Item::Session(s));
        Ok(())
    }

    /// Writes an event the way the session's writer does (an alert goes to the alerts file).
    fn emit(&mut self, s: &mut Session, ev: Event, t: i64) -> io::Result<()> {
        if let Event::Alert(kind) = ev {
            return self.write_alert(s, kind, t);
        }
        match s.real.take() {
            Some(mut real) => {
                let res = self.emit_real(s, &mut real, ev, t);
                s.real = Some(real);
                res
            }
            None => self.emit_guide(s, ev, t),
        }
    }

    /// A skill_invoke line: an event of no attempt.
    fn on_skill(&mut self, t: i64) -> io::Result<()> {
        if self.sessions_reserved >= self.session_budget && self.active == 0 {
            return Ok(());
        }
        self.skill_calls += 1;
        let skill = self.rng.pick(SKILLS);
        let style = if self.rng.chance(0.3) { TsStyle::Seven } else { TsStyle::Millis };
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, t, style, &mut self.rng);
        json.str_field("event_type", "skill_invoke");
        if self.real_share > 0.0 && self.real_rng.chance(self.real_share) {
            // the real skills module: no attempt_id, but the task, the executor and a source
            if let Some(task) = &self.last_real_task {
                json.str_field("task_id", task);
                json.str_field("executor", Executor::from_index(self.real_rng.below(3)).lower());
                json.str_field("source", "skills");
            }
        }
        json.open_object_field("data");
        json.str_field("skill_name", skill);
        json.str_field("invocation_id", &format!("sk-{:08x}", mix32(self.skill_calls ^ 0x00c0_ffee)));
        json.str_field("source", "skills.js");
        json.close_object();
        json.close_object();
        self.write_event(None, false, rep)?;
        let gap = (self.mean_gap_ms * 4.0 * self.rng.exponential()) as i64;
        self.agenda.schedule(t + gap.max(10 * SEC), Item::Skill);
        Ok(())
    }

    /// The end of an attempt: its alerts, its metrics row, its transcript's last bytes, and
    /// perhaps the task's next attempt.
    fn end_session(&mut self, mut s: Box<Session>, t: i64) -> io::Result<()> {
        self.active -= 1;
        let failed = s.plan.outcome != Outcome::Success;
        if !s.plan.crash {
            // (the real writer's Codex and Claude rollups say cost 0: no cost alert)
            if (s.real.is_none() || s.executor == Executor::Copilot)
                && round_to(s.progress.cost_usd, 4) > 1.0
                && self.rng.chance(0.9)
            {
                self.write_alert(&mut s, AlertKind::Cost, t)?;
            }
            if s.plan.outcome == Outcome::Failed && s.progress.errors >= 4 && self.rng.chance(0.9) {
                self.write_alert(&mut s, AlertKind::FailedHighErrors, t)?;
            }
            if s.task.trouble == Some("context_window") && self.rng.chance(0.1) {
                self.write_alert(&mut s, AlertKind::Novel, t)?;
            }
        }
        let real = s.real.take();
        let (resolved, rewrite) = if s.plan.write_row {
            self.write_metrics_row(&mut s, real.as_deref(), t)?
        } else {
            (resolve(&s, None), None)
        };
        if let Some(real) = &real {
            if real.silent_denial && s.written.any_line {
                self.tally.real_silent_permission_denials += 1;
            }
            if real.usage_written {
                self.tally.real_tokens.insert(s.attempt_id.clone(), real.tokens);
            }
        }
        s.real = real;
        if let Some(transcript) = s.transcript.as_mut() {
            if !transcript.bytes.is_empty() {
                self.files.write_transcript(&s.attempt_id, &transcript.bytes)?;
                transcript.bytes.clear();
            }
        }
        match rewrite {
            Some(rewrite) => self.agenda.schedule(rewrite.ms, Item::RowRewrite(rewrite)),
            None => self.tally.count_resolved(resolved),
        }
        // Does the task go on? Retries after failures, follow-ups after anomalies.
        let anomaly = !s.progress.anomalies.is_empty();
        let p_next = if s.plan.crash {
            0.7
        } else if anomaly {
            0.75
        } else if failed {
            0.55
        } else {
            0.07
        };
        if self.sessions_reserved < self.session_budget
            && s.task.attempts < 6
            && s.task.id.is_some()
            && self.rng.chance(p_next)
        {
            let mut task = s.task;
            task.last_failed = failed || s.plan.crash;
            task.last_anomaly = anomaly;
            self.sessions_reserved += 1;
            let delay = self.rng.range(MIN_MS, 90 * MIN_MS);
            self.agenda.schedule(t + delay, Item::NextAttempt(task));
        }
        Ok(())
    }
}
