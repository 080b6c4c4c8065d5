//! The set of line hashes that de-duplicates records across files.
//!
//! One 128-bit hash per kept line, for the whole load: on a large log it is the second largest
//! structure after the events. A general hash set sizes its table in powers of two and so holds
//! between 1.1 and 2.3 slots (of 17 bytes) per hash; this one takes any size (a hash is mapped to
//! a slot by multiplying, not masking), grows by half, and stays between 1.14 and 1.7 slots of 16
//! bytes per hash. The hashes are xxh3 outputs, uniform already, so linear probing stays short.
//!
//! A slot keeps 112 bits of the hash and, in its top 16 bits, a tag: the source (the folder or
//! machine: `Store::origins`) the kept copy of the line came from, and whether a copy from another
//! source has been met since — what the sources table counts as shared lines. 112 bits leave a
//! collision among 10⁹ lines at odds of 1 in 10¹⁶.

/// The bits of a hash a slot compares (the low 112).
const KEY: u128 = (1 << 112) - 1;
const TAG_SHIFT: u32 = 112;
/// The tag's low bit: a copy from another source has been met.
const SHARED: u16 = 1;
/// Sources past this many share one tag (their lines are then not told apart from each other).
pub const MAX_TAGGED_ORIGINS: u32 = 0x7FFE;

/// A set of 128-bit hashes, each with the source its kept line came from. A slot is never 0 (its
/// tag is not), so 0 marks an empty slot.
#[derive(Default)]
pub struct LineSet {
    slots: Vec<u128>,
    len: usize,
}

/// What [`LineSet::again`] found of a line read before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Again {
    /// the source of the kept copy
    pub kept_origin: u32,
    /// this is the first copy from another source the kept one has met
    pub newly_shared: bool,
}

fn tag_of(origin: u32) -> u16 {
    ((origin.min(MAX_TAGGED_ORIGINS) as u16) + 1) << 1
}

fn origin_of(slot: u128) -> u32 {
    (((slot >> TAG_SHIFT) as u16 >> 1) as u32).saturating_sub(1)
}

/// At most 7 hashes per 8 slots.
fn slots_for(hashes: usize) -> usize {
    hashes.saturating_mul(8) / 7 + 1
}

impl LineSet {
    pub fn len(&self) -> usize {
        self.len
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// 32 bits of the hash scaled to the table (a 32 × 32-bit product: Wasm has no 64 × 64 → 128)
    fn home(&self, h: u128) -> usize {
        debug_assert!(self.slots.len() <= u32::MAX as usize);
        ((((h as u64) >> 32) * self.slots.len() as u64) >> 32) as usize
    }

    /// The slot holding `h`, if any.
    fn find(&self, h: u128) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let key = h & KEY;
        let mut i = self.home(h);
        loop {
            match self.slots[i] {
                0 => return None,
                x if x & KEY == key => return Some(i),
                _ => i = if i + 1 == self.slots.len() { 0 } else { i + 1 },
            }
        }
    }

    #[cfg(test)]
    fn contains(&self, h: u128) -> bool {
        self.find(h).is_some()
    }

    /// Asks the CPU to bring `h`'s home slot into the cache: the set is megabytes, and a line's
    /// probe otherwise waits on memory (a tenth of ingest's time natively). Wasm has no prefetch.
    #[inline]
    pub fn prefetch(&self, h: u128) {
        #[cfg(target_arch = "x86_64")]
        if !self.slots.is_empty() {
            // SAFETY: `home` is an index inside `slots`; a prefetch reads nothing, it only hints
            unsafe {
                use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
                _mm_prefetch::<_MM_HINT_T0>(self.slots.as_ptr().add(self.home(h)) as *const i8);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = h;
    }

    /// A line met again: `None` if `h` is not in the set; else the kept copy's source, and whether
    /// this copy, from `origin`, is the first from another source (the kept one is marked shared).
    pub fn again(&mut self, h: u128, origin: u32) -> Option<Again> {
        let i = self.find(h)?;
        Some(self.met_again(i, origin))
    }

    fn met_again(&mut self, i: usize, origin: u32) -> Again {
        let tag = (self.slots[i] >> TAG_SHIFT) as u16;
        let newly_shared = tag & SHARED == 0 && tag != tag_of(origin);
        if newly_shared {
            self.slots[i] |= (SHARED as u128) << TAG_SHIFT;
        }
        Again { kept_origin: origin_of(self.slots[i]), newly_shared }
    }

    /// Adds `h`, kept from `origin` (`None`); or, if it was there already, what [`Self::again`]
    /// says of it.
    pub fn insert(&mut self, h: u128, origin: u32) -> Option<Again> {
        if slots_for(self.len + 1) > self.slots.len() {
            self.resize((self.slots.len() + self.slots.len() / 2).max(slots_for(self.len + 1)).max(16));
        }
        let key = h & KEY;
        let mut i = self.home(h);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = key | (tag_of(origin) as u128) << TAG_SHIFT;
                    self.len += 1;
                    return None;
                }
                x if x & KEY == key => return Some(self.met_again(i, origin)),
                _ => i = if i + 1 == self.slots.len() { 0 } else { i + 1 },
            }
        }
    }

    pub fn held_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<u128>()
    }

    /// How many more hashes fit before the table grows.
    pub fn room(&self) -> usize {
        (self.slots.len().saturating_sub(1) * 7 / 8).saturating_sub(self.len)
    }

    /// Bytes a table holds per hash once reserved for them.
    pub const BYTES_PER_HASH: f64 = 16.0 * 8.0 / 7.0;

    /// Makes room for `n` more hashes at once (one table, instead of growing through several).
    /// Returns false, changing nothing, when the table cannot be allocated (it then grows as
    /// hashes come).
    pub fn reserve(&mut self, n: usize) -> bool {
        let want = slots_for(self.len.saturating_add(n));
        if want > self.slots.len() {
            let mut table: Vec<u128> = Vec::new();
            if want > u32::MAX as usize || table.try_reserve_exact(want).is_err() {
                return false;
            }
            table.resize(want, 0);
            self.rehash_into(table);
        }
        true
    }

    fn resize(&mut self, slots: usize) {
        self.rehash_into(vec![0; slots]);
    }

    /// Moves the hashes into `table` (all zeros).
    fn rehash_into(&mut self, table: Vec<u128>) {
        let slots = table.len();
        let old = std::mem::replace(&mut self.slots, table);
        self.len = 0;
        for h in old.into_iter().filter(|&h| h != 0) {
            // home() reads bits 32..64: the key's, not the tag's
            let mut i = self.home(h);
            while self.slots[i] != 0 {
                i = if i + 1 == slots { 0 } else { i + 1 };
            }
            self.slots[i] = h;
            self.len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_std_set() {
        let mut ours = LineSet::default();
        let mut std = std::collections::HashSet::new();
        // xxh3 hashes of small numbers, a few repeated, plus the zero hash and hashes that share
        // their low 64 bits (the part that picks the slot)
        let mut inputs: Vec<u128> =
            (0..20_000u32).map(|i| xxhash_rust::xxh3::xxh3_128(&(i % 15_000).to_le_bytes())).collect();
        inputs.extend([0, 0, 7, 7 | (1 << 64), 7 | (2 << 64), 1 << 64]);
        for (n, &h) in inputs.iter().enumerate() {
            assert_eq!(ours.contains(h), std.contains(&h), "contains {h:x}");
            assert_eq!(ours.insert(h, n as u32 % 3).is_none(), std.insert(h), "insert {h:x}");
            if n == 5_000 {
                ours.reserve(30_000);
            }
        }
        assert_eq!(ours.len(), std.len());
        assert!(std.iter().all(|&h| ours.contains(h)));
        assert!(!ours.contains(12345));
        // at most 8 slots per 7 hashes after a reserve, 1.7 at worst while growing
        assert!(
            ours.slots.len() * 7 <= (ours.len() + 30_000) * 8 + 7 * 16,
            "{} slots for {}",
            ours.slots.len(),
            ours.len()
        );
    }

    #[test]
    fn empty_set() {
        let mut s = LineSet::default();
        assert!(!s.contains(1) && !s.contains(0) && s.is_empty());
        assert_eq!(s.again(1, 0), None);
    }

    #[test]
    fn a_line_met_again_names_the_source_it_was_kept_from_and_is_shared_once() {
        let mut s = LineSet::default();
        let (a, b) = (xxhash_rust::xxh3::xxh3_128(b"a"), xxhash_rust::xxh3::xxh3_128(b"b"));
        assert_eq!((s.insert(a, 0), s.insert(b, 5)), (None, None));
        // again from its own source: not shared
        assert_eq!(s.insert(a, 0), Some(Again { kept_origin: 0, newly_shared: false }));
        // from another: shared, once only, whichever source comes next
        assert_eq!(s.again(a, 2), Some(Again { kept_origin: 0, newly_shared: true }));
        assert_eq!(s.again(a, 2), Some(Again { kept_origin: 0, newly_shared: false }));
        assert_eq!(s.again(a, 7), Some(Again { kept_origin: 0, newly_shared: false }));
        assert_eq!(s.again(b, 5), Some(Again { kept_origin: 5, newly_shared: false }));
        assert_eq!(s.again(b, 0), Some(Again { kept_origin: 5, newly_shared: true }));
        // the marks survive the table growing
        s.reserve(10_000);
        assert_eq!(s.again(a, 1), Some(Again { kept_origin: 0, newly_shared: false }));
        assert_eq!(s.again(b, 9), Some(Again { kept_origin: 5, newly_shared: false }));
        // sources past the tagged ones share the last tag
        assert_eq!(s.insert(1 << 70, 1 << 20), None);
        assert_eq!(s.again(1 << 70, MAX_TAGGED_ORIGINS + 5).map(|x| x.kept_origin), Some(MAX_TAGGED_ORIGINS));
    }
}
