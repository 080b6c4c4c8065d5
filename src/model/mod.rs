//! The domain model: normalised records, sessions and tasks, time.
pub mod derived;
pub mod money;
pub mod prices;
pub mod records;
pub mod sessions;
pub mod time;
pub mod vocabulary;
