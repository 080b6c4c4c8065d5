//! The page's work after a report arrives, cut into slices: a queue of small jobs (parse a
//! section, build its tables, draw one chart) run a slice at a time — as many jobs as fit in
//! [`SLICE_MS`] — with the event loop free between slices, so that no task holds the main thread
//! long and clicks, keys and scrolling still answer while the report is drawn.
//!
//! What runs first: a chart on screen is drawn as soon as its section is built (lane
//! [`Lane::Now`]), before the sections below are built ([`Lane::Build`]); charts off screen wait
//! until every section is built ([`Lane::Later`], taken in [`draw_order`]); the step that sets
//! `ready` runs last of all ([`Lane::Last`]). Pure: the web layer (`web/app/render.rs`) owns the
//! clock, the DOM and the yielding.

use std::collections::{HashMap, VecDeque};

/// The time a slice may take, in ms: well under the 50 ms of a "long task", leaving room for the
/// job that starts just before the budget runs out.
pub const SLICE_MS: f64 = 30.0;

/// Where a job waits; lanes are taken in this order, a lane's jobs first in, first out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// a chart on screen: drawn before anything else
    Now,
    /// building the report's sections, in page order
    Build,
    /// charts off screen, once every section is built
    Later,
    /// the last step (`ready`): after every other job
    Last,
}

const LANES: [Lane; 4] = [Lane::Now, Lane::Build, Lane::Later, Lane::Last];

/// The jobs pending for one report. A new report starts a new queue: the old one's jobs are
/// dropped, never run over the new report's figures.
pub struct Queue<T> {
    lanes: [VecDeque<T>; 4],
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue { lanes: Default::default() }
    }
}

impl<T> Queue<T> {
    pub fn push(&mut self, lane: Lane, job: T) {
        self.lanes[lane as usize].push_back(job);
    }

    /// The next job: the first of the first lane (in [`Lane`] order) that has one.
    pub fn pop(&mut self) -> Option<T> {
        LANES.iter().find_map(|&l| self.lanes[l as usize].pop_front())
    }

    /// The job [`Queue::pop`] would give.
    pub fn peek(&self) -> Option<&T> {
        LANES.iter().find_map(|&l| self.lanes[l as usize].front())
    }

    /// Whether lane `lane` is the next to give a job (every lane before it empty, it not).
    pub fn next_lane(&self) -> Option<Lane> {
        LANES.iter().copied().find(|&l| !self.lanes[l as usize].is_empty())
    }

    /// Reorders lane `lane` by `order` (positions into it, as [`draw_order`] gives them);
    /// positions not named keep their order after those named.
    pub fn reorder(&mut self, lane: Lane, order: &[usize]) {
        let lane = &mut self.lanes[lane as usize];
        let mut jobs: Vec<Option<T>> = lane.drain(..).map(Some).collect();
        for &i in order {
            if let Some(job) = jobs.get_mut(i).and_then(Option::take) {
                lane.push_back(job);
            }
        }
        lane.extend(jobs.into_iter().flatten());
    }

    /// Puts `jobs` at the front of lane `lane`, in their order: the rest of a job cut in parts
    /// (a section's tables after its head) runs before the jobs queued after it.
    pub fn push_front(&mut self, lane: Lane, jobs: Vec<T>) {
        let lane = &mut self.lanes[lane as usize];
        for job in jobs.into_iter().rev() {
            lane.push_front(job);
        }
    }

    /// Lane `lane`'s jobs in the order they will run.
    pub fn iter(&self, lane: Lane) -> impl Iterator<Item = &T> {
        self.lanes[lane as usize].iter()
    }

    pub fn len(&self, lane: Lane) -> usize {
        self.lanes[lane as usize].len()
    }

    pub fn is_empty(&self) -> bool {
        self.lanes.iter().all(VecDeque::is_empty)
    }

    pub fn clear(&mut self) {
        self.lanes.iter_mut().for_each(VecDeque::clear);
    }
}

/// One slice of work: started at `start` (ms, the page's `performance.now()`), it runs its first
/// job whatever that costs, then another while the time gone by plus what the next is expected to
/// take stays under `budget`.
#[derive(Debug, Clone, Copy)]
pub struct Slice {
    start: f64,
    budget: f64,
}

impl Slice {
    pub fn new(start: f64) -> Slice {
        Slice { start, budget: SLICE_MS }
    }

    pub fn with_budget(start: f64, budget: f64) -> Slice {
        Slice { start, budget }
    }

    /// Whether another job, expected to take `expected` ms, may start at `now`.
    pub fn has_time(&self, now: f64, expected: f64) -> bool {
        now - self.start + expected < self.budget
    }
}

/// What each kind of job took last time (by its label: `section-costs`, `chart-costs.daily`), the
/// estimate of what it takes next: the same report's jobs come again after every filter change.
#[derive(Debug, Default)]
pub struct Costs {
    last: HashMap<String, f64>,
}

/// The estimate of a job never run: small (most jobs are), and the first job of a slice runs
/// whatever its cost.
pub const UNKNOWN_COST_MS: f64 = 4.0;

/// The estimate of a chart never drawn: drawing one off screen lays its section out first
/// (measured 20–50 ms on a 200 MB load), so it starts a slice rather than ending one.
pub const UNKNOWN_CHART_MS: f64 = 20.0;

impl Costs {
    /// What job `label` is expected to take: what it took last time, else `unknown`.
    pub fn expect(&self, label: &str, unknown: f64) -> f64 {
        self.last.get(label).copied().unwrap_or(unknown)
    }

    pub fn record(&mut self, label: &str, ms: f64) {
        match self.last.get_mut(label) {
            Some(v) => *v = ms,
            None => {
                self.last.insert(label.to_string(), ms);
            }
        }
    }
}

/// Whether a box from `top` to `bottom` (px, viewport coordinates) shows in a viewport `height`
/// tall. A box of no height (not laid out) counts as not shown.
pub fn on_screen(top: f64, bottom: f64, height: f64) -> bool {
    bottom > top && bottom > 0.0 && top < height
}

/// The order to draw boxes in (their `(top, bottom)` in viewport px, `height` the viewport's):
/// those on screen first, in page order; then those below it, nearest first (the way a reader
/// scrolls); then those above it, nearest first; boxes not laid out (no height) last, in page order.
pub fn draw_order(boxes: &[(f64, f64)], height: f64) -> Vec<usize> {
    let rank = |&(top, bottom): &(f64, f64)| -> (u8, f64) {
        if bottom <= top {
            (3, 0.0)
        } else if on_screen(top, bottom, height) {
            (0, 0.0)
        } else if top >= height {
            (1, top - height)
        } else {
            (2, -bottom)
        }
    };
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    // stable: equal ranks keep page order
    crate::model::sort::by(&mut order, |&a, &b| {
        let (ra, rb) = (rank(&boxes[a]), rank(&boxes[b]));
        ra.0.cmp(&rb.0).then(ra.1.total_cmp(&rb.1))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_run_in_order_each_first_in_first_out() {
        let mut q = Queue::default();
        q.push(Lane::Last, "ready");
        q.push(Lane::Later, "chart c");
        q.push(Lane::Build, "section 1");
        q.push(Lane::Build, "section 2");
        q.push(Lane::Now, "chart a");
        q.push(Lane::Later, "chart d");
        assert_eq!(q.next_lane(), Some(Lane::Now));
        assert_eq!(q.peek(), Some(&"chart a"));
        let mut seen = vec![];
        while let Some(j) = q.pop() {
            seen.push(j);
            // a section built with a chart on screen: that chart goes before the next section
            if j == "section 1" {
                q.push(Lane::Now, "chart b");
            }
        }
        assert_eq!(seen, ["chart a", "section 1", "chart b", "section 2", "chart c", "chart d", "ready"]);
        assert!(q.is_empty());
        assert_eq!(q.next_lane(), None);
    }

    #[test]
    fn a_new_report_drops_the_old_jobs() {
        let mut q = Queue::default();
        q.push(Lane::Build, 1);
        q.push(Lane::Later, 2);
        q.push(Lane::Last, 3);
        q.clear();
        assert!(q.is_empty());
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn reorder_follows_the_order_given_and_keeps_the_rest() {
        let mut q = Queue::default();
        for j in 0..5 {
            q.push(Lane::Later, j);
        }
        q.push(Lane::Last, 99);
        // 7 is out of range, 1 named twice: both ignored
        q.reorder(Lane::Later, &[3, 1, 1, 7]);
        assert_eq!(q.len(Lane::Later), 5);
        let all: Vec<i32> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(all, [3, 1, 0, 2, 4, 99]);
    }

    #[test]
    fn a_slice_runs_jobs_until_its_budget_is_spent() {
        // a fake clock: jobs of 7 ms each in a 30 ms slice → five jobs (the fifth starts at 28 ms)
        let s = Slice::new(100.0);
        let mut now = 100.0;
        let mut jobs = 0;
        while s.has_time(now, 0.0) {
            jobs += 1;
            now += 7.0;
        }
        assert_eq!(jobs, 5);
        assert!(now - 100.0 < 50.0, "a slice stays under a long task when its jobs are short");
        // a job longer than the budget: the slice ends after it
        let s = Slice::with_budget(0.0, 10.0);
        assert!(s.has_time(0.0, 0.0));
        assert!(!s.has_time(30.0, 0.0));
        // a job expected to take 20 ms does not start 15 ms into a 30 ms slice: it waits for the
        // next slice, where it runs first
        let s = Slice::new(0.0);
        assert!(!s.has_time(15.0, 20.0));
        assert!(s.has_time(15.0, UNKNOWN_COST_MS));
    }

    #[test]
    fn costs_remember_the_last_run_of_each_job() {
        let mut c = Costs::default();
        assert_eq!(c.expect("chart-costs.daily", UNKNOWN_CHART_MS), UNKNOWN_CHART_MS);
        c.record("chart-costs.daily", 24.0);
        c.record("chart-costs.daily", 18.0);
        assert_eq!(c.expect("chart-costs.daily", UNKNOWN_CHART_MS), 18.0);
        assert_eq!(c.expect("section-costs", UNKNOWN_COST_MS), UNKNOWN_COST_MS);
        // an unknown chart waits for a fresh slice once a third of one is spent
        assert!(!Slice::new(0.0).has_time(10.0, UNKNOWN_CHART_MS));
    }

    #[test]
    fn the_rest_of_a_job_runs_before_the_jobs_after_it() {
        let mut q = Queue::default();
        q.push(Lane::Build, "section a");
        q.push(Lane::Build, "section b");
        assert_eq!(q.pop(), Some("section a"));
        q.push_front(Lane::Build, vec!["table a.1", "table a.2"]);
        let all: Vec<&str> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(all, ["table a.1", "table a.2", "section b"]);
    }

    #[test]
    fn on_screen_first_then_below_nearest_first_then_above() {
        let height = 900.0;
        let boxes = [
            (-1200.0, -900.0), // 0: far above
            (-300.0, -20.0),   // 1: just above
            (-100.0, 180.0),   // 2: partly on screen
            (500.0, 780.0),    // 3: on screen
            (2500.0, 2780.0),  // 4: far below
            (0.0, 0.0),        // 5: not laid out
            (950.0, 1230.0),   // 6: just below
        ];
        assert_eq!(draw_order(&boxes, height), [2, 3, 6, 4, 1, 0, 5]);
        assert!(on_screen(880.0, 1000.0, height));
        assert!(!on_screen(900.0, 1000.0, height));
        assert!(!on_screen(-50.0, 0.0, height));
        assert!(draw_order(&[], height).is_empty());
    }
}
