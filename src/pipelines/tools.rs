//! `tools` (analytics-spec.md §3). Not yet implemented: an empty table.

use super::View;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tools {
    pub rows: Vec<serde_json::Value>,
}

pub fn compute(view: &View) -> Tools {
    let _ = view;
    Tools::default()
}
