//! The set of line hashes that de-duplicates records across files.
//!
//! One 128-bit hash per kept line, for the whole load: on a large log it is the second largest
//! structure after the events. A general hash set sizes its table in powers of two and so holds
//! between 1.1 and 2.3 slots (of 17 bytes) per hash; this one takes any size (a hash is mapped to
//! a slot by multiplying, not masking), grows by half, and stays between 1.14 and 1.7 slots of 16
//! bytes per hash. The hashes are xxh3 outputs, uniform already, so linear probing stays short.

/// A set of 128-bit hashes (an all-zero hash is kept apart: zero marks an empty slot).
#[derive(Default)]
pub struct LineSet {
    slots: Vec<u128>,
    len: usize,
    has_zero: bool,
}

/// At most 7 hashes per 8 slots.
fn slots_for(hashes: usize) -> usize {
    hashes.saturating_mul(8) / 7 + 1
}

impl LineSet {
    pub fn len(&self) -> usize {
        self.len + self.has_zero as usize
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

    pub fn contains(&self, h: u128) -> bool {
        if h == 0 {
            return self.has_zero;
        }
        if self.slots.is_empty() {
            return false;
        }
        let mut i = self.home(h);
        loop {
            match self.slots[i] {
                0 => return false,
                x if x == h => return true,
                _ => i = if i + 1 == self.slots.len() { 0 } else { i + 1 },
            }
        }
    }

    /// Adds `h`; false if it was there already.
    pub fn insert(&mut self, h: u128) -> bool {
        if h == 0 {
            return !std::mem::replace(&mut self.has_zero, true);
        }
        if slots_for(self.len + 1) > self.slots.len() {
            self.resize((self.slots.len() + self.slots.len() / 2).max(slots_for(self.len + 1)).max(16));
        }
        let mut i = self.home(h);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = h;
                    self.len += 1;
                    return true;
                }
                x if x == h => return false,
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
            assert_eq!(ours.insert(h), std.insert(h), "insert {h:x}");
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
        let s = LineSet::default();
        assert!(!s.contains(1) && !s.contains(0) && s.is_empty());
    }
}
