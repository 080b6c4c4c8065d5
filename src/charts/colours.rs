//! One colour per name: a model, an executor or a category gets the same colour in every chart
//! of a report, derived from its name rather than from its position in a chart.
//!
//! A name's *preferred* slot of the categorical palette (Okabe–Ito) is a stable hash of its bytes
//! (FNV-1a, written here: std's `DefaultHasher` promises no output across releases), so a name
//! keeps its colour from one load to the next. Two names of one set may prefer the same slot;
//! [`NameColours::new`] resolves that deterministically from the *set* of names (sorted, so the
//! order they arrive in does not matter):
//!
//! 1. in name order, each name takes its preferred slot if no name took it before;
//! 2. in name order, each name left takes the first slot after its preferred one (cyclically)
//!    used by the fewest names.
//!
//! So no two names share a colour while a slot is free, most names get the colour they always
//! get, and only names that collided may change colour when the set changes. The preferred slot
//! is one of the seven chromatic colours; black (grey on a dark background) is only the eighth
//! choice, taken when seven names hold the others, because it reads as "other" on a dark page.
//!
//! Names that stand for no name (`unknown`, `uncategorized`, `(no task)`, a missing value shown
//! as `—`) are always [`Hue::Other`], the grey no name gets.
//!
//! One [`NameColours`] serves one dimension (models, executors, error categories…): a chart never
//! mixes dimensions, so a shared map would only spend slots on names that never meet, and make
//! collisions likelier among those that do. Which names make up a dimension is the caller's
//! (for a report, `report::charts`).

use std::collections::BTreeMap;

use plotters::style::RGBColor;

use super::palette::{categorical_for, GREY};
use super::Theme;
use crate::model::names::{NO_TASK, UNCATEGORIZED, UNKNOWN};

/// Slots of the palette a name may prefer: Okabe–Ito's seven colours, black left out.
const CHROMATIC: usize = 7;
/// Every slot, black (7) last.
const SLOTS: usize = 8;

/// Names drawn in the reserved grey: no name, or a value the report left out.
const NO_NAME: [&str; 4] = [UNKNOWN, UNCATEGORIZED, NO_TASK, "—"];

/// The colour of a name: a slot of the categorical palette, or the grey reserved for what is no
/// name. Resolved against a [`Theme`] only when drawn (the palette's black is grey on a dark one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hue {
    /// Slot 0..8 of [`super::categorical`].
    Slot(usize),
    /// "other", "unknown": grey (#999999).
    Other,
}

impl Hue {
    pub fn colour(self, theme: &Theme) -> RGBColor {
        match self {
            Hue::Slot(i) => categorical_for(theme, i),
            Hue::Other => GREY,
        }
    }
}

/// FNV-1a, 64 bits: small, and the same on every platform and release.
pub fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// The slot `name` gets when no other name of its set wants it (0..7, never black).
pub fn preferred_slot(name: &str) -> usize {
    (name_hash(name) % CHROMATIC as u64) as usize
}

fn is_no_name(name: &str) -> bool {
    NO_NAME.contains(&name)
}

/// The colours of one dimension's names (see the module's documentation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NameColours {
    slots: BTreeMap<String, usize>,
}

impl NameColours {
    /// Assigns a slot to each distinct name; the result depends on the set of names only.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Self {
        let names: Vec<S> = names.into_iter().collect();
        let mut set: Vec<&str> = names.iter().map(AsRef::as_ref).filter(|n| !is_no_name(n)).collect();
        crate::model::sort::natural(&mut set);
        set.dedup();
        let mut used = [0usize; SLOTS];
        let mut slots = BTreeMap::new();
        let mut left = Vec::new();
        for &name in &set {
            let p = preferred_slot(name);
            if used[p] == 0 {
                used[p] = 1;
                slots.insert(name.to_string(), p);
            } else {
                left.push(name);
            }
        }
        for name in left {
            let p = preferred_slot(name);
            // the chromatic slots from the preferred one on, then black
            let mut order = (0..CHROMATIC).map(|k| (p + k) % CHROMATIC).chain(CHROMATIC..SLOTS);
            let fewest = used.iter().min().copied().unwrap_or(0);
            let slot = order.find(|&s| used[s] == fewest).unwrap_or(p);
            used[slot] += 1;
            slots.insert(name.to_string(), slot);
        }
        NameColours { slots }
    }

    /// The hue of `name`: its assigned slot; grey for what is no name; the preferred slot for a
    /// name outside the set (so a chart never fails on one, though it may then share a colour).
    pub fn hue(&self, name: &str) -> Hue {
        if is_no_name(name) {
            return Hue::Other;
        }
        Hue::Slot(self.slots.get(name).copied().unwrap_or_else(|| preferred_slot(name)))
    }

    /// How many names have a slot (the no-names left out).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_reference_values() {
        // the published FNV-1a 64 test vectors
        assert_eq!(name_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(name_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(name_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn black_only_after_seven() {
        let seven: Vec<String> = (0..7).map(|i| format!("n{i}")).collect();
        let c = NameColours::new(&seven);
        assert!(seven.iter().all(|n| c.hue(n) != Hue::Slot(7)));
        let eight: Vec<String> = (0..8).map(|i| format!("n{i}")).collect();
        let c = NameColours::new(&eight);
        assert_eq!(eight.iter().filter(|n| c.hue(n) == Hue::Slot(7)).count(), 1);
    }
}
