//! The page's view model: what the browser page shows and says, as plain data and pure
//! functions — no DOM, no worker, no `JsValue` (the habit of rerun and Perfetto's UI). `web/`
//! keeps the awaits, `postMessage`, the DOM and the canvas; it asks this module what to say and
//! where to draw. Everything here builds and is tested natively.
//!
//! - [`protocol`]: the messages between the page, its worker and the parse workers, documented
//!   once, there
//! - [`facets`]: the values the filter controls offer and the sessions per day of the brush
//! - [`filters`]: the filter controls' values
//! - [`budget`]: the records' memory budget, and the memory that reads all of a file stopped at it
//! - [`notes`]: how a file's read ended and what the page says of it; the progress line and the
//!   files list; the banner when a stuck worker is replaced
//! - [`overview`]: the overview cards' longer texts
//! - [`columns`]: answers first — the columns a table shows by default, and the tables that
//!   only repeat a chart
//! - [`comparison`]: the A/B comparison's sides (the view, and the view with one thing changed)
//!   and how its result reads: table rows, the rates' forest chart
//! - [`chips`]: the filters in force as removable chips above the figures
//! - [`notice`]: what the content area says when there is nothing to show, and the way out
//! - [`recipe`]: the view as the address's fragment (a link that reproduces it on the
//!   recipient's own logs), and what a fragment could not apply
//! - [`slices`]: the page's work after a report, cut into slices under a long task — which job
//!   runs next (charts on screen first) and when a slice yields
//! - [`watch`]: what the page says of a watched folder — the live badge, alert toasts, the
//!   banner's notes of a file gone or cut mid-line, why the browser cannot watch
//! - [`watchdog`]: when the page deems its worker stuck
//! - [`brush`]: the time brush's bars and its day ↔ pixel mapping
//! - [`a11y`]: keyboard and screen readers — the files list's arrow keys, Tab kept inside a
//!   dialog, the table of contents and the section in view, what the live region says

pub mod a11y;
pub mod brush;
pub mod budget;
pub mod chips;
pub mod columns;
pub mod comparison;
pub mod facets;
pub mod filters;
pub mod notes;
pub mod notice;
pub mod overview;
pub mod protocol;
pub mod recipe;
pub mod slices;
pub mod watch;
pub mod watchdog;

// The view model stays pure — no browser type, no web layer, nothing only for wasm32: checked
// with the other layers by tests/layers.rs.
