//! The self-contained HTML report (filled in by the pipelines work).
use super::Report;
pub fn render(r: &Report) -> String {
    format!("<!doctype html><meta charset=utf-8><title>Spyglass report</title><pre>{}</pre>", super::text::render(r).replace('&', "&amp;").replace('<', "&lt;"))
}
