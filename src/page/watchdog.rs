//! The page's watchdog over its worker: while files are read the worker must say something at
//! least every [`SILENT_MS`], and answer a `cancel` within [`CANCEL_MS`]; otherwise the page ends
//! it and starts a new one (`web::app`). Times are `performance.now()` milliseconds.

use super::notes::Stuck;
use super::protocol::FromWorker;

/// A worker reading files that says nothing (progress comes ≥ 1 a second) for this long is stuck.
pub const SILENT_MS: f64 = 10_000.0;
/// A `cancel` not answered in this long: the worker is stuck.
pub const CANCEL_MS: f64 = 2_000.0;
/// A page whose own ticks come this late was itself held up (or throttled in the background).
pub const HELD_UP_MS: f64 = 2_000.0;

/// When the worker must have said something by, to be deemed stuck.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Watch {
    /// while files are read: any message pushes it `SILENT_MS` on
    reading: Option<f64>,
    /// after a `cancel`: its `cancelled` answer is due
    cancel: Option<f64>,
    /// the input the last progress was about, until reading is over
    id: Option<u32>,
    /// when the watchdog last ran
    last_tick: f64,
}

impl Watch {
    /// Files were sent to be read (`load`): the worker must keep talking.
    pub fn expect_reading(&mut self, now: f64) {
        self.reading = Some(now + SILENT_MS);
    }

    /// A `cancel` was sent to a worker that is reading.
    pub fn expect_cancelled(&mut self, now: f64) {
        self.cancel = Some(now + CANCEL_MS);
    }

    /// A message from the worker: any word while it reads shows it alive.
    pub fn heard<J>(&mut self, m: &FromWorker<J>, now: f64) {
        if self.reading.is_some() {
            self.reading = Some(now + SILENT_MS);
        }
        match m {
            FromWorker::Cancelled => self.cancel = None,
            // the sessions and the report are being made: no more progress until they are out
            FromWorker::Building | FromWorker::Fatal(_) => self.reading = None,
            FromWorker::Report(r) if !r.busy => self.reading = None,
            FromWorker::Report(_) | FromWorker::Progress(_) => self.reading = Some(now + SILENT_MS),
            _ => {}
        }
        match m {
            FromWorker::Progress(p) => self.id = Some(p.id),
            FromWorker::Building => self.id = None,
            _ => {}
        }
    }

    /// The input the worker was reading when last heard of.
    pub fn reading_id(&self) -> Option<u32> {
        self.id
    }

    /// Every half second: whether the worker is stuck. A page that was itself held up first
    /// gives the worker's queued messages their time (its deadlines move by the delay).
    pub fn tick(&mut self, now: f64) -> Option<Stuck> {
        let late = now - std::mem::replace(&mut self.last_tick, now);
        if late > HELD_UP_MS {
            self.reading = self.reading.map(|t| t + late);
            self.cancel = self.cancel.map(|t| t + late);
            return None;
        }
        if self.cancel.is_some_and(|t| now > t) {
            Some(Stuck::CancelUnanswered)
        } else if self.reading.is_some_and(|t| now > t) {
            Some(Stuck::Silent)
        } else {
            None
        }
    }

    /// A new worker: nothing expected of it yet.
    pub fn reset(&mut self) {
        *self = Watch { last_tick: self.last_tick, ..Watch::default() };
    }
}

#[cfg(test)]
mod tests {
    use super::super::protocol::{Fatal, Progress, ReportMessage};
    use super::*;

    fn progress(id: u32) -> FromWorker<()> {
        FromWorker::Progress(Progress {
            name: "a".into(),
            id,
            done: 0,
            total: 0,
            percent: 0.0,
            mb_per_s: 0.0,
            eta_s: 0.0,
            decompressed: 0,
            wasm_bytes: 0.0,
            records_bytes: 0.0,
            core_ms: 0.0,
            wait_ms: 0.0,
            parsers: 0,
        })
    }

    fn report(busy: bool) -> FromWorker<()> {
        FromWorker::Report(Box::new(ReportMessage {
            parts: Default::default(),
            big: Default::default(),
            facets: Default::default(),
            headlines: Default::default(),
            inputs: vec![],
            sessions: String::new(),
            busy,
            wasm_bytes: 0.0,
            records_bytes: 0.0,
        }))
    }

    /// Ticks every 500 ms from `from` to `to` (inclusive); the first stuck verdict and when.
    fn run(w: &mut Watch, from: f64, to: f64) -> Option<(f64, Stuck)> {
        let mut t = from;
        while t <= to {
            if let Some(s) = w.tick(t) {
                return Some((t, s));
            }
            t += 500.0;
        }
        None
    }

    #[test]
    fn silent_for_ten_seconds_while_reading() {
        let mut w = Watch::default();
        w.tick(0.0);
        w.expect_reading(0.0);
        // progress at 3 s: stuck once 13 s have passed (the tick at 13 000 is not yet past it)
        w.heard(&progress(4), 3_000.0);
        assert_eq!(w.reading_id(), Some(4));
        assert_eq!(run(&mut w, 500.0, 20_000.0), Some((13_500.0, Stuck::Silent)));
    }

    #[test]
    fn quiet_is_fine_once_reading_is_over() {
        let mut w = Watch::default();
        w.expect_reading(0.0);
        w.heard(&progress(1), 100.0);
        w.heard(&FromWorker::<()>::Building, 200.0);
        assert_eq!(w.reading_id(), None);
        assert_eq!(run(&mut w, 500.0, 60_000.0), None);
        // a report that is not the last one (more files queued) re-arms it
        w.heard(&report(true), 60_000.0);
        assert_eq!(run(&mut w, 60_500.0, 80_000.0), Some((70_500.0, Stuck::Silent)));
        // the last report (busy false) and a panic end it
        let mut w = Watch::default();
        w.expect_reading(0.0);
        w.heard(&report(false), 1.0);
        assert_eq!(run(&mut w, 500.0, 30_000.0), None);
        w.expect_reading(30_000.0);
        w.heard(&FromWorker::<()>::Fatal(Fatal { message: "x".into() }), 30_001.0);
        assert_eq!(run(&mut w, 30_500.0, 60_000.0), None);
        // other words keep it alive but do not start it
        let mut w = Watch::default();
        w.heard(&FromWorker::<()>::Ready, 0.0);
        assert_eq!(run(&mut w, 500.0, 30_000.0), None);
    }

    #[test]
    fn a_cancel_must_be_answered_within_two_seconds() {
        let mut w = Watch::default();
        w.expect_reading(0.0);
        w.expect_cancelled(1_000.0);
        // the cancel is checked first: due at 3 000, past at the tick of 3 500
        assert_eq!(run(&mut w, 500.0, 20_000.0), Some((3_500.0, Stuck::CancelUnanswered)));
        let mut w = Watch::default();
        w.expect_cancelled(1_000.0);
        w.heard(&FromWorker::<()>::Cancelled, 1_200.0);
        assert_eq!(run(&mut w, 500.0, 20_000.0), None);
    }

    #[test]
    fn a_page_held_up_gives_the_worker_the_same_delay() {
        let mut w = Watch::default();
        w.tick(0.0);
        w.expect_reading(0.0);
        w.expect_cancelled(0.0);
        // the page's ticks stop for 30 s (a background tab): no verdict on that tick, and the
        // deadlines move by 30 s: the cancel is due at 32 000, the silence at 40 000
        assert_eq!(w.tick(30_000.0), None);
        assert_eq!(run(&mut w, 30_500.0, 50_000.0), Some((32_500.0, Stuck::CancelUnanswered)));
        w.reset();
        assert_eq!(w.reading_id(), None);
        assert_eq!(run(&mut w, 33_000.0, 60_000.0), None);
    }
}
