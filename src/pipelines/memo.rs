//! What the pipelines keep between recomputes over one dataset: results that depend on the data
//! and some parameters but not on the filters, so that a filter change (the page's brush, a
//! model chip) reuses them. The caller owns the memo and hands it to [`super::View::with_memo`];
//! the [`Dataset`] holds none of it, so a dataset can be shared across threads.
//!
//! A memo serves one dataset at a time: asked about another (or the same one after
//! [`Dataset::rebuild`]), it forgets what it held first, so a stale result can never be read.

use super::alerts;
use super::git;
use crate::dataset::Dataset;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

#[derive(Default)]
pub struct Memo {
    /// the [`Dataset::id`] of the dataset the entries below were made from
    dataset: Cell<Option<u64>>,
    /// every session's alerts replayed for the alert parameters last asked for (`alerts`)
    alerts: RefCell<Option<alerts::Cache>>,
    /// `git`'s row of each session, made on first use
    git_rows: RefCell<Option<Rc<git::SessionRows>>>,
}

impl Memo {
    pub fn new() -> Memo {
        Memo::default()
    }

    /// Forgets everything when `data` is not the dataset the entries were made from.
    fn serve(&self, data: &Dataset) {
        if self.dataset.get() != Some(data.id()) {
            self.alerts.replace(None);
            self.git_rows.replace(None);
            self.dataset.set(Some(data.id()));
        }
    }

    /// The alerts cache for `data` (the alerts pipeline reads and replaces it).
    pub(crate) fn alerts(&self, data: &Dataset) -> &RefCell<Option<alerts::Cache>> {
        self.serve(data);
        &self.alerts
    }

    /// `git`'s rows of `data`, made by `make` on first use.
    pub(crate) fn git_rows(&self, data: &Dataset, make: impl FnOnce() -> git::SessionRows) -> Rc<git::SessionRows> {
        self.serve(data);
        self.git_rows.borrow_mut().get_or_insert_with(|| Rc::new(make())).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_forgets_what_it_held_for_another_dataset_or_after_a_rebuild() {
        let line = br#"{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"a1","task_id":"t","success":true,"metrics":{"agent_made_commits":0,"diff_lines_added":0,"diff_lines_deleted":0}}"#;
        let mut data = Dataset::from_files([("agent-metrics.jsonl", &line[..])]);
        let memo = Memo::new();
        let made = Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            git::SessionRows::default()
        };
        memo.git_rows(&data, make);
        memo.git_rows(&data, make);
        assert_eq!(made.get(), 1, "the same dataset: made once");
        data.rebuild();
        memo.git_rows(&data, make);
        assert_eq!(made.get(), 2, "after a rebuild: made again");
        let other = Dataset::from_files([("agent-metrics.jsonl", &line[..])]);
        memo.git_rows(&other, make);
        assert_eq!(made.get(), 3, "another dataset: made again");
    }

    #[test]
    fn a_dataset_can_be_shared_across_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Dataset>();
    }
}
