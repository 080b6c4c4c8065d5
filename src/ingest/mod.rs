//! Ingest: byte chunks in, normalised records out.
//!
//! Push-based and I/O-free (like csv-core): a [`Feed`] takes the chunks of one input file in order,
//! of any size, opens `.gz`/`.zip` containers, splits lines, parses each line once and appends
//! compact records to a [`Store`]. The CLI feeds file reads; the page's worker feeds
//! `File.stream()` chunks. The records are the same whatever the chunking.
//!
//! # Files
//! * `feed.rs` — [`Feed`]: chunks in, containers opened, sources judged, lines split; bounded
//!   pushes, the memory limit and the bomb guards.
//! * `archive/` — `.gz` and `.zip` decoded from chunks (`archive::Decoder`).
//! * `lines.rs` — lines split across chunk boundaries with a bounded carry.
//! * `parse.rs` — one line read in one pass (serde visitors, `fastjson.rs` first); `json.rs` the
//!   lenient value readers; `skip.rs` — [`SkipReason`], why a line was skipped, as a kind.
//! * `record.rs` — a parsed line made into the store's records.
//! * `store.rs` — [`Store`]: interned names, records, sources and diagnostics.
//! * `budget.rs` — the bytes the store holds and the room reserved for records.
//! * `lineset.rs` — the line hashes that de-duplicate; `ranges.rs` — a plain file read as byte
//!   ranges in parallel and merged; `reread.rs` — raw lines re-read for the drill-down.
//! * `watch.rs` — a live folder's next look: which bytes of which file to read (appended bytes,
//!   a new file, or every input again), for `spyglass watch` and the page's "Watch a folder".

pub mod archive;
mod budget;
mod fastjson;
mod feed;
pub mod json;
pub mod lines;
mod lineset;
pub mod origin;
pub mod parse;
pub mod ranges;
mod record;
pub mod reread;
mod skip;
mod store;
pub mod watch;

pub use budget::{reservation_cap, Counts};
pub use feed::{is_log_name, Feed, JunkCap, RatioCap, Stopped, SLICE_BYTES};
pub use record::task_of_attempt;
pub use skip::{SkipReason, ValueKind};
pub use store::{
    cut_name, Diagnostics, Origin, SkippedLine, SourceInfo, Store, MAX_LISTED_SKIPS, MAX_REPEATED_NAME_CHARS,
};
