//! The simulation.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io;

use super::catalogue::*;
use super::json_writer::{JsonLine, NumberForm};
use super::output::{ALERTS, ERRORS, FLUSH_MAIN, METRICS, STREAM};
use super::random::{mix32, round_to, Rng};
use super::session::*;
use super::sink::DemoSink;
use super::tally::{DemoTally, Resolved};
use super::timestamps::*;
use super::{DemoConfig, MAX_ACTIVE};

pub(super) enum Item {
    Arrival,
    Skill,
    Session(Box<Session>),
    Next(Box<Task>),
    Rewrite(Vec<u8>, i64, Resolved),
}

pub(super) struct Generator<'a> {
    pub(super) sink: &'a mut dyn DemoSink,
    pub(super) rng: Rng,
    pub(super) start_ms: i64,
    pub(super) budget: usize,
    pub(super) malformed: bool,
    pub(super) reserved: usize,
    pub(super) active: usize,
    pub(super) heap: BinaryHeap<Reverse<(i64, u64, usize)>>,
    pub(super) order: u64,
    pub(super) slab: Vec<Option<Item>>,
    pub(super) free: Vec<usize>,
    pub(super) task_ctr: u32,
    pub(super) attempt_ctr: u32,
    pub(super) skill_ctr: u32,
    pub(super) mean_gap_ms: f64,
    pub(super) burst: (i64, i64, usize),
    pub(super) json: JsonLine,
    pub(super) text: String,
    pub(super) stream: Vec<u8>,
    pub(super) errors: Vec<u8>,
    pub(super) metrics: Vec<u8>,
    pub(super) alerts: Vec<u8>,
    pub(super) alerts_started: bool,
    pub(super) stream_lines: u64,
    pub(super) next_bad_line: u64,
    pub(super) bad_kind: u32,
    pub(super) no_task: bool,
    pub(super) tally: DemoTally,
    /// The real-writer share: its own PRNG, so that the guide-shaped output does not change
    /// when the share is 0.
    pub(super) share: f64,
    pub(super) real_rng: Rng,
    /// The UUID of the latest real-style task (its skill_invoke lines carry it).
    pub(super) last_real_task: Option<String>,
}

impl<'a> Generator<'a> {
    pub(super) fn new(cfg: &DemoConfig, sink: &'a mut dyn DemoSink) -> Generator<'a> {
        let mut rng = Rng::new(cfg.seed);
        let days = (cfg.sessions as f64 / 60.0).clamp(1.0, 28.0);
        let span_ms = days * DAY_MS as f64;
        let tasks = (cfg.sessions as f64 / 1.45).max(1.0);
        // The provider outage: one or two hours of rate limits and API errors on one executor.
        let burst_exec = 1 + rng.below(2);
        let burst_start = cfg.start_ms + ((span_ms * 0.45) as i64 / HOUR_MS) * HOUR_MS + 17 * MIN_MS;
        let burst_len = rng.range(70, 110) * MIN_MS;
        Generator {
            sink,
            rng,
            start_ms: cfg.start_ms,
            budget: cfg.sessions,
            malformed: cfg.malformed_lines,
            reserved: 0,
            active: 0,
            heap: BinaryHeap::new(),
            order: 0,
            slab: Vec::new(),
            free: Vec::new(),
            task_ctr: 0,
            attempt_ctr: 0,
            skill_ctr: 0,
            mean_gap_ms: span_ms / tasks,
            burst: (burst_start, burst_start + burst_len, burst_exec),
            json: JsonLine::new(),
            text: String::with_capacity(16 * 1024),
            stream: Vec::with_capacity(FLUSH_MAIN + 64 * 1024),
            errors: Vec::new(),
            metrics: Vec::new(),
            alerts: Vec::new(),
            alerts_started: false,
            stream_lines: 0,
            next_bad_line: 37,
            bad_kind: 0,
            no_task: false,
            tally: DemoTally::default(),
            share: if cfg.real_writer_share.is_finite() { cfg.real_writer_share.clamp(0.0, 1.0) } else { 0.0 },
            real_rng: Rng::new(cfg.seed ^ 0x5245_414c_5752_4954),
            last_real_task: None,
        }
    }
}

impl Generator<'_> {
    pub(super) fn schedule(&mut self, at: i64, item: Item) {
        let idx = match self.free.pop() {
            Some(i) => {
                self.slab[i] = Some(item);
                i
            }
            None => {
                self.slab.push(Some(item));
                self.slab.len() - 1
            }
        };
        self.order += 1;
        self.heap.push(Reverse((at, self.order, idx)));
    }

    pub(super) fn run(&mut self) -> io::Result<()> {
        if self.budget == 0 {
            return Ok(());
        }
        self.schedule(self.start_ms, Item::Arrival);
        let first_skill = self.start_ms + self.rng.range(2 * MIN_MS, 40 * MIN_MS);
        self.schedule(first_skill, Item::Skill);
        while let Some(Reverse((t, _, idx))) = self.heap.pop() {
            let item = self.slab[idx].take().expect("scheduled item");
            self.free.push(idx);
            match item {
                Item::Arrival => self.on_arrival(t)?,
                Item::Skill => self.on_skill(t)?,
                Item::Next(task) => self.start_session(task, t),
                Item::Session(s) => self.on_session(s, t)?,
                Item::Rewrite(line, ms, fin) => {
                    self.write_metrics_line(&line, ms)?;
                    self.tally.superseded_rows += 1;
                    self.count_resolved(fin);
                }
            }
        }
        Ok(())
    }

    pub(super) fn on_arrival(&mut self, t: i64) -> io::Result<()> {
        if self.reserved >= self.budget {
            return Ok(());
        }
        if self.active >= MAX_ACTIVE {
            let d = self.rng.range(MIN_MS, 5 * MIN_MS);
            self.schedule(t + d, Item::Arrival);
            return Ok(());
        }
        let task = self.new_task();
        self.reserved += 1;
        self.start_session(task, t);
        // Busier in European/US working hours and on weekdays.
        let hour = t.rem_euclid(DAY_MS) / HOUR_MS;
        let weekday = (t.div_euclid(DAY_MS) + 3).rem_euclid(7); // 0 = Monday
        let mut f = if (7..19).contains(&hour) { 0.6 } else { 1.9 };
        if weekday >= 5 {
            f *= 2.2;
        }
        let gap = (self.mean_gap_ms * f * self.rng.exponential()) as i64;
        self.schedule(t + gap.max(SEC), Item::Arrival);
        Ok(())
    }

    pub(super) fn new_task(&mut self) -> Box<Task> {
        self.task_ctr += 1;
        let r = &mut self.rng;
        let title = r.pick(TITLES);
        let project = r.below(PROJECTS.len());
        let id = if r.chance(0.015) { None } else { Some(format!("{:08x}", mix32(self.task_ctr))) };
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
        let real = self.share > 0.0 && self.real_rng.chance(self.share);
        let id = if real { Some(self.real_rng.uuid()) } else { id };
        Box::new(Task {
            real,
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
            last_exec: r.weighted(&EXEC_WEIGHTS),
            last_failed: false,
            last_anomaly: false,
        })
    }

    pub(super) fn start_session(&mut self, mut task: Box<Task>, t: i64) {
        self.attempt_ctr += 1;
        self.active += 1;
        task.attempts += 1;
        let attempt_no = task.attempts;
        let in_burst = t >= self.burst.0 && t < self.burst.1;
        let r = &mut self.rng;
        let exec = if attempt_no == 1 {
            if in_burst && r.chance(0.6) {
                self.burst.2
            } else {
                task.last_exec
            }
        } else if r.chance(0.25) {
            (task.last_exec + 1 + r.below(2)) % 3
        } else {
            task.last_exec
        };
        task.last_exec = exec;
        let models = MODELS[exec];
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
        let short = match &task.id {
            Some(id) => id[..6].to_string(),
            None => format!("adhoc{:03x}", self.attempt_ctr & 0xfff),
        };
        let attempt_id = if attempt_no == 1 {
            format!("ve-{}-{}-{:x}", short, task.slug, mix32(self.attempt_ctr) & 0xffff)
        } else {
            format!("ve-{}-{}-r{}-{:x}", short, task.slug, attempt_no, mix32(self.attempt_ctr) & 0xffff)
        };
        let session_id = if exec == 2 && r.chance(0.3) {
            attempt_id.clone()
        } else {
            format!("s-{:08x}", mix32(self.attempt_ctr ^ 0x5a5a_5a5a))
        };
        let exec_label = match r.below(100) {
            0..=84 => EXEC_UPPER[exec],
            85..=92 => EXEC_LOWER[exec],
            _ => EXEC_MIXED[exec],
        };
        let ts_style = match r.below(100) {
            0..=79 => TsStyle::Millis,
            80..=89 => TsStyle::Seven,
            90..=95 => TsStyle::Offset,
            _ => TsStyle::Seconds,
        };
        // Success odds: the model's quality, the task's difficulty, a bonus for later attempts.
        let p_success = (model.quality - task.difficulty + 0.08 * (attempt_no as f64 - 1.0).min(3.0)).clamp(0.1, 0.95);
        let guardrail = if r.chance(0.045) {
            Some(match exec {
                0 => r.pick(&["auth", "auth", "permission_wait", "content_policy"]),
                1 => r.pick(&["permission_wait", "permission_wait", "auth", "content_policy"]),
                _ => r.pick(&["content_policy", "content_policy", "permission_wait", "auth"]),
            })
        } else {
            None
        };
        let story_tool_loop = r.chance(0.04);
        let story_error_loop = r.chance(0.04);
        let story_stuck = r.chance(0.04);
        let story_restarts = r.chance(0.025);
        let runaway = r.chance(0.006);
        let mut success = r.chance(p_success);
        if guardrail.is_some() || (story_error_loop && r.chance(0.6)) || (story_tool_loop && r.chance(0.4)) {
            success = false;
        }
        if in_burst && exec == self.burst.2 && r.chance(0.5) {
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
            match exec {
                0 => r.pick(&[
                    UsageStyle::CodexItem,
                    UsageStyle::CodexItem,
                    UsageStyle::CodexResponse,
                    UsageStyle::CodexEvents,
                ]),
                1 => r.pick(&[UsageStyle::CopilotMetrics, UsageStyle::CopilotUsage, UsageStyle::CopilotSummaryOnly]),
                _ => r.pick(&[UsageStyle::ClaudeMessage, UsageStyle::ClaudeMessage, UsageStyle::ClaudeEvents]),
            }
        };
        let mut steps = r.lognormal(11.0, 0.55).clamp(3.0, 70.0) as u32;
        if runaway {
            steps = r.range(90, 160) as u32;
        }
        if guardrail.is_some() {
            steps = steps.min(r.range(2, 6) as u32);
        }
        let transcript = if r.chance(0.35) { Some(Vec::new()) } else { None };
        let branch = format!("ve/{}-{}", short, task.slug);
        let design_note = ts_style == TsStyle::Seven || r.chance(0.12);
        let s = Session {
            attempt_id,
            session_id,
            ptype,
            exec,
            exec_label,
            model,
            variant: r.pick(VARIANTS[exec]),
            branch,
            ts_style,
            transcript,
            transcript_crlf: r.chance(0.15),
            transcript_started: false,
            rotated,
            outcome,
            steps_left: steps,
            step_no: 0,
            crash,
            write_row,
            design_note,
            usage,
            runaway,
            story_tool_loop,
            story_error_loop,
            story_stuck,
            story_restarts,
            guardrail,
            no_change: success && r.chance(0.09),
            newer_end: r.chance(0.5),
            queue: VecDeque::new(),
            seq: 0,
            sim_ms: t,
            last_ms: t,
            start_rep: None,
            starts: 0,
            continues: 0,
            tool_calls: 0,
            tool_results: 0,
            tool_failures: 0,
            commands: 0,
            command_failures: 0,
            errors: 0,
            err_cats: Vec::new(),
            fingerprints: Vec::new(),
            files: Vec::new(),
            lines_added: 0,
            lines_deleted: 0,
            anomalies: Vec::new(),
            alerted: 0,
            prompt_tok: 0,
            compl_tok: 0,
            cost: 0.0,
            pending_p: 0,
            pending_c: 0,
            pending_cost: 0.0,
            wrote_any: false,
            end_status: None,
            end_cost: None,
            end_tok: None,
            ev_cost: None,
            ev_tok: None,
            nest_cost: None,
            nest_tok: None,
            real: None,
            omit_task: false,
            task,
        };
        let mut s = Box::new(s);
        s.queue.push_back((0, Event::Start { ptype, reason }));
        if self.rng.chance(0.4) {
            s.queue.push_back((self.rng.range(200, 2000), Event::Status { from: "todo", to: "inprogress" }));
        }
        if s.task.real {
            self.make_real(&mut s);
        }
        self.schedule(t, Item::Session(s));
    }

    /// Turns a planned session into one of bosun's real writer: its ids and labels, and the
    /// stories only that writer has. Draws only from `real_rng`.
    pub(super) fn make_real(&mut self, s: &mut Session) {
        let r = &mut self.real_rng;
        let task_uuid = s.task.id.clone().unwrap_or_else(|| r.uuid());
        s.attempt_id = format!("{}-{}", task_uuid, r.uuid());
        s.session_id = s.attempt_id.clone();
        s.branch = format!("ve/{}-{}", &task_uuid[..8], s.task.slug);
        s.exec_label = EXEC_LOWER[s.exec];
        s.variant = s.model.name;
        s.ts_style = TsStyle::Millis;
        s.transcript_crlf = false;
        s.design_note = false;
        s.usage = UsageStyle::None;
        let failed = s.outcome != Outcome::Success;
        let story_transient =
            s.outcome == Outcome::Failed && s.guardrail.is_none() && !s.story_error_loop && r.chance(0.3);
        let silent_denial = failed
            && s.write_row
            && !s.crash
            && !s.rotated
            && s.guardrail != Some("permission_wait")
            && !story_transient
            && r.chance(0.12);
        let auto_resume = r.chance(0.4);
        s.omit_task = r.chance(0.15);
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

    pub(super) fn on_session(&mut self, mut s: Box<Session>, t: i64) -> io::Result<()> {
        s.sim_ms = t;
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
        self.schedule(t + delay.max(1), Item::Session(s));
        Ok(())
    }

    pub(super) fn on_skill(&mut self, t: i64) -> io::Result<()> {
        if self.reserved >= self.budget && self.active == 0 {
            return Ok(());
        }
        self.skill_ctr += 1;
        let skill = self.rng.pick(SKILLS);
        let style = if self.rng.chance(0.3) { TsStyle::Seven } else { TsStyle::Millis };
        let json = &mut self.json;
        json.clear();
        json.open_object();
        json.key("timestamp");
        let rep = write_ts(&mut json.bytes, t, style, &mut self.rng);
        json.str_field("event_type", "skill_invoke");
        if self.share > 0.0 && self.real_rng.chance(self.share) {
            // the real skills module: no attempt_id, but the task, the executor and a source
            if let Some(task) = &self.last_real_task {
                json.str_field("task_id", task);
                json.str_field("executor", EXEC_LOWER[self.real_rng.below(3)]);
                json.str_field("source", "skills");
            }
        }
        json.open_object_field("data");
        json.str_field("skill_name", skill);
        json.str_field("invocation_id", &format!("sk-{:08x}", mix32(self.skill_ctr ^ 0x00c0_ffee)));
        json.str_field("source", "skills.js");
        json.close_object();
        json.close_object();
        self.write_event(None, false, rep)?;
        let gap = (self.mean_gap_ms * 4.0 * self.rng.exponential()) as i64;
        self.schedule(t + gap.max(10 * SEC), Item::Skill);
        Ok(())
    }

    pub(super) fn end_session(&mut self, mut s: Box<Session>, t: i64) -> io::Result<()> {
        self.active -= 1;
        let failed = s.outcome != Outcome::Success;
        // Alerts of the end of a session.
        if !s.crash {
            // (the real writer's Codex and Claude rollups say cost 0: no cost alert)
            if (s.real.is_none() || s.exec == 1) && round_to(s.cost, 4) > 1.0 && self.rng.chance(0.9) {
                self.write_alert(&mut s, AlertKind::Cost, t)?;
            }
            if s.outcome == Outcome::Failed && s.errors >= 4 && self.rng.chance(0.9) {
                self.write_alert(&mut s, AlertKind::FailedHighErrors, t)?;
            }
            if s.task.trouble == Some("context_window") && self.rng.chance(0.1) {
                self.write_alert(&mut s, AlertKind::Novel, t)?;
            }
        }
        // The metrics row, and now and then a later rewrite of it.
        let mut pending: Option<(Vec<u8>, i64, Resolved)> = None;
        let real = s.real.take();
        let fin = if let Some(x) = real.as_deref().filter(|_| s.write_row) {
            let row_ms = t + self.rng.range(500, 4 * SEC);
            let (rep, facts) = self.render_real_row(&s, x, row_ms);
            let line = std::mem::take(&mut self.json.bytes);
            self.write_metrics_line(&line, rep)?;
            self.json.bytes = line;
            self.mark_written(&mut s);
            for k in 0..s.files.len() {
                let f = s.files[k];
                self.real_hot_file(&mut s, f);
            }
            let mut fin = self.resolve(&s, Some(&facts));
            if self.rng.chance(0.06) {
                // rewritten later (bosun re-runs its rollup): the same facts, a later timestamp
                let later = row_ms + self.rng.range(10 * MIN_MS, 180 * MIN_MS);
                let (rep2, facts2) = self.render_real_row(&s, x, later);
                let fin2 = self.resolve(&s, Some(&facts2));
                pending = Some((self.json.bytes.clone(), rep2, fin2));
                fin.cost = None; // unused: the rewrite decides
            }
            fin
        } else if s.write_row {
            let row_ms = t + self.rng.range(500, 4 * SEC);
            let zeros = s.usage == UsageStyle::None || self.rng.chance(0.03);
            let cost_field = s.design_note
                || zeros
                || !matches!(s.usage, UsageStyle::CopilotMetrics | UsageStyle::CopilotSummaryOnly)
                || self.rng.chance(0.5);
            let usage_obj = !s.design_note && self.rng.chance(0.1);
            let (rep, facts) = self.render_guide_row(&s, row_ms, zeros, false, cost_field, usage_obj);
            let line = std::mem::take(&mut self.json.bytes);
            self.write_metrics_line(&line, rep)?;
            self.json.bytes = line;
            self.mark_written(&mut s);
            let mut fin = self.resolve(&s, Some(&facts));
            if self.rng.chance(0.06) || (zeros && s.usage != UsageStyle::None && self.rng.chance(0.5)) {
                // bosun re-runs its rollup later (review finished, usage recovered).
                let later = row_ms + self.rng.range(10 * MIN_MS, 180 * MIN_MS);
                let (rep2, facts2) =
                    self.render_guide_row(&s, later, s.usage == UsageStyle::None, true, true, usage_obj);
                let fin2 = self.resolve(&s, Some(&facts2));
                pending = Some((self.json.bytes.clone(), rep2, fin2));
                fin.cost = None; // unused: the rewrite decides
            }
            fin
        } else {
            self.resolve(&s, None)
        };
        if let Some(x) = &real {
            if x.silent_denial && s.wrote_any {
                self.tally.real_silent_permission_denials += 1;
            }
            if x.usage_written {
                self.tally.real_tokens.insert(s.attempt_id.clone(), x.tokens);
            }
        }
        s.real = real;
        // Flush the transcript.
        if let Some(tr) = s.transcript.as_mut() {
            if !tr.is_empty() {
                let path = format!("agent-sessions/{}.jsonl", s.attempt_id);
                self.sink.write(&path, tr)?;
                tr.clear();
            }
        }
        match pending {
            Some((line, rep2, fin2)) => self.schedule(rep2, Item::Rewrite(line, rep2, fin2)),
            None => self.count_resolved(fin),
        }
        // Does the task go on? Retries after failures, follow-ups after anomalies.
        let anomaly = !s.anomalies.is_empty();
        let p_next = if s.crash {
            0.7
        } else if anomaly {
            0.75
        } else if failed {
            0.55
        } else {
            0.07
        };
        if self.reserved < self.budget && s.task.attempts < 6 && s.task.id.is_some() && self.rng.chance(p_next) {
            let mut task = s.task;
            task.last_failed = failed || s.crash;
            task.last_anomaly = anomaly;
            self.reserved += 1;
            let delay = self.rng.range(MIN_MS, 90 * MIN_MS);
            self.schedule(t + delay, Item::Next(task));
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> io::Result<DemoTally> {
        for (path, buf) in
            [(STREAM, &self.stream), (ERRORS, &self.errors), (METRICS, &self.metrics), (ALERTS, &self.alerts)]
        {
            if !buf.is_empty() {
                self.sink.write(path, buf)?;
            }
        }
        self.tally.bytes += self.tally.stream_bytes;
        if self.no_task {
            self.tally.tasks += 1;
        }
        Ok(self.tally)
    }
}
