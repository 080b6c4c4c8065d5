//! Spyglass: a report viewer for the telemetry of the agent orchestrator bosun.
//!
//! The core is pure and I/O-free: [`ingest`] turns byte chunks into records, [`model`] merges them
//! into sessions, [`pipelines`] computes every figure of the analytics spec, [`charts`] draws them
//! on any plotters backend and [`report`] assembles the JSON, text and HTML reports; [`page`] is
//! the browser page's view model (its worker protocol, what it says and where it draws). The CLI
//! (`src/bin/spyglass.rs`) and the web layer ([`web`], wasm32 only) are thin shells around it.

pub mod charts;
pub mod compare;
pub mod dataset;
pub mod demo;
// the normalised data as tables for the CLI's `export --parquet` (pure, but the page has no use for it)
#[cfg(not(target_arch = "wasm32"))]
pub mod export;
pub mod ingest;
pub mod model;
pub mod page;
pub mod pipelines;
pub mod report;
// the browser layer; it also builds natively for `cargo test` (`web::format` re-exports `report::format`)
#[cfg(any(target_arch = "wasm32", test))]
pub mod web;
