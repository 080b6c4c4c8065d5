//! The memory budget: the bytes a [`Store`] holds, the room reserved ahead for the records of the
//! rest of an input (cut to a memory limit, and never more than [`reservation_cap`]), and the
//! room made for each line under a limit.

use super::lineset;
use super::parse::Shape;
use super::Store;
use crate::model::records::*;

impl Store {
    /// Gives back the records' spare room (after loads; the next load grows them again).
    pub fn shrink_to_fit(&mut self) {
        self.events.shrink_to_fit();
        self.usages.shrink_to_fit();
        self.metrics.shrink_to_fit();
        self.alerts.shrink_to_fit();
        self.contexts.shrink_to_fit();
    }

    /// Bytes the store's records hold (their capacities, the line hashes, the interned strings):
    /// what a feed's memory limit is checked against. The heap parts of metrics rows and alerts
    /// (a few per session) are left out.
    pub fn held_bytes(&self) -> usize {
        use std::mem::size_of;
        self.events.capacity() * size_of::<Event>()
            + self.usages.capacity() * size_of::<PackedUsage>()
            + self.seen_lines.held_bytes()
            + self.unreserved_held_bytes()
    }

    /// The part of `held_bytes` not reserved ahead: names (interned strings, contexts), metrics
    /// rows and alerts.
    fn unreserved_held_bytes(&self) -> usize {
        use std::mem::size_of;
        self.metrics.capacity() * size_of::<MetricsRow>()
            + self.alerts.capacity() * size_of::<Alert>()
            + self.names_held_bytes()
    }

    /// The part of `held_bytes` that holds names: interned strings and contexts.
    fn names_held_bytes(&self) -> usize {
        use std::mem::size_of;
        self.contexts.capacity() * size_of::<Context>()
            + self.context_ids.capacity() * (size_of::<(Context, u32)>() + 1)
            + self.raw_context_ids.capacity() * (size_of::<(u128, u32)>() + 1)
            + self.strings.held_bytes()
    }

    /// Where the records stand, to see later what an input made.
    pub fn counts(&self) -> Counts {
        Counts {
            events: self.events.len(),
            usages: self.usages.len(),
            hashes: self.seen_lines.len(),
            other_bytes: self.unreserved_held_bytes(),
        }
    }

    /// Reserves room for the records of the rest of an input at once (rather than growing it by
    /// doubling, which briefly holds both copies; in Wasm the memory never shrinks back): the
    /// records made since `since` came from `read` bytes, `rest` bytes are to come. Under a memory
    /// limit, only the room that fits in it; returns whether it was cut to fit (and was reserved).
    ///
    /// Never more than [`reservation_cap`] of what the store holds: the rest's size is a claim
    /// (a sparse 200 GB file is 5 MB on disk), so room past that grows as records come. An
    /// allocation that fails is given up the same way, never an abort.
    pub fn reserve_for_rest(&mut self, since: Counts, read: u64, rest: u64, limit: Option<usize>) -> bool {
        use std::mem::size_of;
        let now = self.counts();
        let (events, usages, hashes) =
            (now.events - since.events, now.usages - since.usages, now.hashes - since.hashes);
        let read = read.max(1) as f64;
        let mut rest = rest as f64 * 1.02;
        let mut capped = false;
        if let Some(limit) = limit {
            // bytes per input byte so far: records and what comes with them (names, which grow
            // slower as the input goes on: a margin); the input bytes whose records fit
            let bytes = events * size_of::<Event>()
                + usages * size_of::<PackedUsage>()
                + now.other_bytes.saturating_sub(since.other_bytes);
            let per_byte = (bytes as f64 + hashes as f64 * lineset::LineSet::BYTES_PER_HASH) / read;
            // what is held but not used yet (room left by doubling) counts as room for the rest
            let spare = room(&self.events) * size_of::<Event>() + room(&self.usages) * size_of::<PackedUsage>();
            let spare = spare as f64 + self.seen_lines.room() as f64 * lineset::LineSet::BYTES_PER_HASH;
            let fits = (limit.saturating_sub(self.held_bytes()) as f64 + spare) / per_byte.max(1e-9);
            if fits < rest {
                (rest, capped) = (fits, true);
            }
        }
        // at most the cap: the rest's records scaled down together (the file then grows its
        // records as it goes, so it is not stopped at the room reserved)
        let wanted = (events * size_of::<Event>()) as f64
            + usages as f64 * 1.25 * size_of::<PackedUsage>() as f64
            + hashes as f64 * lineset::LineSet::BYTES_PER_HASH;
        let cap = reservation_cap(self.held_bytes()) as f64;
        if wanted / read * rest > cap {
            (rest, capped) = (cap / wanted * read, false);
        }
        // exactly (`reserve` may double instead, past the limit)
        let expected = |n: usize| (n as f64 / read * rest) as usize;
        let events_ok = self.events.try_reserve_exact(expected(events)).is_ok();
        let hashes_ok = self.seen_lines.reserve(expected(hashes));
        // usages vary more along a file than events: the events' room is the one to run out
        let usages_ok = self.usages.try_reserve_exact(expected(usages).saturating_add(expected(usages) / 4)).is_ok();
        capped && events_ok && hashes_ok && usages_ok
    }

    /// Makes room for a line of this kind within `limit`, or says there is none: room its
    /// records have (an event might have a usage; every kept line adds a line hash), or, unless
    /// the input may only fill its reserved room, room grown for it — counting the new allocation
    /// beside the old, as both are held while the records are copied. Events and usages grow by
    /// doubling where that fits, else by what fits (at least a sixteenth, to copy them seldom).
    pub(super) fn make_room_for_line(&mut self, shape: Shape, limit: usize) -> bool {
        use std::mem::size_of;
        let event = shape == Shape::Event;
        let (events_full, usages_full) = (event && room(&self.events) == 0, event && room(&self.usages) == 0);
        let hashes_full = self.seen_lines.room() == 0;
        if !(events_full || usages_full || hashes_full) {
            return true;
        }
        if self.room_only {
            return false;
        }
        let mut free = limit.saturating_sub(self.held_bytes());
        // the line hashes' table grows by half (its own rule)
        if hashes_full {
            let Some(rest) = free.checked_sub(self.seen_lines.held_bytes() * 3 / 2) else { return false };
            free = rest;
        }
        // the new capacity of a full list, or `None` when even a sixteenth more does not fit
        fn grown(cap: usize, item: usize, free: usize) -> Option<usize> {
            let new = (cap * 2).max(4).min(free / item);
            (new >= cap + (cap / 16).max(1)).then_some(new)
        }
        let share = if events_full && usages_full { free / 2 } else { free };
        let events = if events_full {
            grown(self.events.capacity(), size_of::<Event>(), share)
        } else {
            Some(self.events.capacity())
        };
        let usages = if usages_full {
            grown(self.usages.capacity(), size_of::<PackedUsage>(), share)
        } else {
            Some(self.usages.capacity())
        };
        let (Some(events), Some(usages)) = (events, usages) else { return false };
        // (a list that is not full already has that capacity: nothing happens to it)
        self.events.reserve_exact(events - self.events.len());
        self.usages.reserve_exact(usages - self.usages.len());
        true
    }

    /// Whether a range's records fit in the room reserved for records.
    pub(crate) fn has_room_for(&self, events: usize, usages: usize, hashes: usize) -> bool {
        room(&self.events) >= events && room(&self.usages) >= usages && self.seen_lines.room() >= hashes
    }
}

/// How many records a store had, and the bytes it held that are not reserved ahead (`Store::counts`).
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    events: usize,
    usages: usize,
    /// line hashes: lines kept
    hashes: usize,
    /// `Store::unreserved_held_bytes`
    other_bytes: usize,
}

/// The most bytes `Store::reserve_for_rest` reserves ahead when the store holds `held` bytes:
/// twice that and 64 MiB.
pub fn reservation_cap(held: usize) -> usize {
    held.saturating_mul(2).saturating_add(64 << 20)
}

/// How many more items a list takes before it grows.
fn room<T>(list: &Vec<T>) -> usize {
    list.capacity() - list.len()
}

#[cfg(test)]
mod reservation_tests {
    use super::*;

    /// A file claiming to be 200 GB after a first 4 MiB of records (a sparse file is 5 MB on disk)
    /// reserves room within the cap instead of aborting on a 394 GB allocation.
    #[test]
    fn an_absurd_rest_reserves_within_the_cap() {
        let line = |i: usize| {
            format!("{{\"timestamp\":\"2026-02-09T14:23:45Z\",\"attempt_id\":\"a{i}\",\"event_type\":\"usage\",\"data\":{{\"usage\":{{\"total_tokens\":{i}}}}}}}\n")
        };
        let text: String = (0..2000).map(line).collect();
        for rest in [200u64 << 30, u64::MAX] {
            let mut store = Store::new();
            let since = store.counts();
            store.load_bytes("a.jsonl", text.as_bytes());
            let held = store.held_bytes();
            let capped = store.reserve_for_rest(since, text.len() as u64, rest, None);
            assert!(!capped);
            assert!(
                store.held_bytes() <= held + reservation_cap(held) + (1 << 20),
                "{} > cap {}",
                store.held_bytes(),
                reservation_cap(held)
            );
            assert!(store.held_bytes() > held + (32 << 20), "some room is reserved");
        }
        // under a memory limit the limit still binds first, and the room is then the input's own
        let mut store = Store::new();
        let since = store.counts();
        store.load_bytes("a.jsonl", text.as_bytes());
        let limit = store.held_bytes() + (1 << 20);
        assert!(store.reserve_for_rest(since, text.len() as u64, u64::MAX, Some(limit)));
        assert!(store.held_bytes() <= limit + (64 << 10));
    }
}
