//! `model_scores` (analytics-spec.md §3). Not yet implemented: an empty table.

use super::View;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelScores {
    pub rows: Vec<serde_json::Value>,
}

pub fn compute(view: &View) -> ModelScores {
    let _ = view;
    ModelScores::default()
}
