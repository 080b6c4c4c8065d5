//! The agenda of the discrete-event simulation: what happens next, in time order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::session::{Session, Task};
use super::tally::Resolved;

/// Something due at a time.
pub(super) enum Item {
    /// A new task arrives (and the next arrival is scheduled).
    Arrival,
    /// Someone runs a skill outside any attempt.
    Skill,
    /// A session's next event is due.
    Session(Box<Session>),
    /// The next attempt at a task starts (a retry or a follow-up).
    NextAttempt(Box<Task>),
    /// bosun writes a session's metrics row again, later.
    RowRewrite(RowRewrite),
}

/// A metrics row written again later (it supersedes the first), and the session's facts as
/// resolved with it.
pub(super) struct RowRewrite {
    pub(super) line: Vec<u8>,
    pub(super) ms: i64,
    pub(super) resolved: Resolved,
}

/// Items by time. Items due at the same time come out in the order they were scheduled, so the
/// output never depends on the heap's layout. Items wait in a slab; the heap holds their slots.
#[derive(Default)]
pub(super) struct Agenda {
    heap: BinaryHeap<Reverse<(i64, u64, usize)>>,
    scheduled: u64,
    slab: Vec<Option<Item>>,
    free: Vec<usize>,
}

impl Agenda {
    pub(super) fn schedule(&mut self, at: i64, item: Item) {
        let slot = match self.free.pop() {
            Some(i) => {
                self.slab[i] = Some(item);
                i
            }
            None => {
                self.slab.push(Some(item));
                self.slab.len() - 1
            }
        };
        self.scheduled += 1;
        self.heap.push(Reverse((at, self.scheduled, slot)));
    }

    /// The earliest item and its time.
    pub(super) fn next(&mut self) -> Option<(i64, Item)> {
        let Reverse((at, _, slot)) = self.heap.pop()?;
        let item = self.slab[slot].take().expect("scheduled item");
        self.free.push(slot);
        Some((at, item))
    }
}
