//! The ground floor: the normalised record types, names and interning (`records`), time, money,
//! the category vocabulary and the price table. It depends on nothing else in the crate; every
//! other layer builds on it.
pub mod money;
pub mod names;
pub mod numbers;
pub mod prices;
pub mod records;
pub mod sort;
pub mod time;
pub mod vocabulary;
