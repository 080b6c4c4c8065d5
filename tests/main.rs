//! The native integration tests as one binary, so the suite links once (24 binaries took minutes
//! to link on two cores). One module per area; `support` holds what they share. Run one area
//! with `cargo test --test main pipeline_git::`. (`web_glue.rs` is the wasm32 browser tests.)
#![recursion_limit = "512"]

mod support;

mod archive;
mod bombs;
mod chart_previews;
mod charts;
mod cli;
mod colours;
mod compare;
mod cross_check;
mod demo_tally;
mod export;
mod extremes;
mod fast_path;
mod fuzz_regressions;
mod golden;
mod hostile_inputs;
mod html_report;
mod layers;
mod memory_limit;
mod order_independence;
mod output_bounds;
mod pipeline_alerts;
mod pipeline_costs;
mod pipeline_error_clusters;
mod pipeline_executors;
mod pipeline_git;
mod pipeline_guardrails;
mod pipeline_interventions;
mod pipeline_model_scores;
mod pipeline_provider_heatmap;
mod pipeline_task_risk;
mod pipeline_tools;
mod ranges;
mod real_bosun;
mod sources;
mod task_of_attempt;
mod watch;
