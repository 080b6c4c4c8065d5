//! The domain model: normalised records, sessions and tasks, time.
pub mod derived;
pub mod records;
pub mod sessions;
pub mod time;
