//! The loaded data as the pipelines read it: one [`Session`] per attempt merged from the store's
//! metrics rows and events (spec §2), the superseded rows, and the per-session digests made once
//! per load ([`derived`]). Above `ingest` (it reads a [`crate::ingest::Store`]), below
//! `pipelines`; it holds nothing that depends on filters or parameters.
pub mod derived;
pub mod sessions;

pub use sessions::{Dataset, Session, Superseded, NO_SESSION};
