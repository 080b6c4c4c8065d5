//! `task_risk` (analytics-spec.md §3). Not yet implemented: an empty table.

use super::View;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TaskRisk {
    pub rows: Vec<serde_json::Value>,
}

pub fn compute(view: &View) -> TaskRisk {
    let _ = view;
    TaskRisk::default()
}
