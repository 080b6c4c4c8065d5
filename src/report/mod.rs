//! The report of spec §4: every pipeline over one filtered view, plus diagnostics and the
//! parameters in force. The CLI's `--json` and the page's "Export JSON" serialise the same
//! [`Report`], so they are byte-identical for the same input.

pub mod charts;
pub mod format;
pub mod html;
pub mod text;
pub mod timeline;

use crate::model::sessions::Dataset;
use crate::pipelines::{self as p, Filters, Parameters, View};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub summary: p::summary::Summary,
    pub model_scores: p::model_scores::ModelScores,
    pub task_risk: p::task_risk::TaskRisk,
    pub provider_heatmap: p::provider_heatmap::ProviderHeatmap,
    pub interventions: p::interventions::Interventions,
    pub guardrails: p::guardrails::Guardrails,
    pub alerts: p::alerts::Alerts,
    pub costs: p::costs::Costs,
    pub tools: p::tools::Tools,
    pub git: p::git::Git,
    pub executors: p::executors::Executors,
    pub error_clusters: p::error_clusters::ErrorClusters,
    pub diagnostics: DiagnosticsReport,
    pub parameters: ParametersInForce,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosticsReport {
    pub sources: Vec<crate::ingest::SourceInfo>,
    /// skipped lines in input order (the first `MAX_LISTED_SKIPS`; `skipped_lines_total` counts all)
    pub skipped_lines: Vec<crate::ingest::SkippedLine>,
    pub skipped_lines_total: u64,
    pub superseded_rows: Vec<SupersededRow>,
    pub field_warnings: BTreeMap<&'static str, u64>,
    pub duplicate_lines: u64,
    pub events_without_attempt: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupersededRow {
    pub attempt_id: String,
    pub source: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParametersInForce {
    #[serde(flatten)]
    pub parameters: Parameters,
    pub filters: Filters,
}

impl Report {
    /// Each top-level section as a JSON value, in the report's order, one at a time: the page's
    /// worker sends the report in parts without holding a value tree of all of it at once.
    pub fn each_section(&self, mut f: impl FnMut(&'static str, serde_json::Value)) {
        macro_rules! sections {
            ($($name:ident),*) => { $( f(stringify!($name), serde_json::to_value(&self.$name).unwrap_or_default()); )* };
        }
        sections!(summary, model_scores, task_risk, provider_heatmap, interventions, guardrails, alerts, costs, tools, git, executors, error_clusters, diagnostics, parameters);
    }

    pub fn compute(data: &Dataset, filters: &Filters, params: &Parameters) -> Report {
        let view = View::new(data, filters, params);
        Report {
            summary: p::summary::compute(&view),
            model_scores: p::model_scores::compute(&view),
            task_risk: p::task_risk::compute(&view),
            provider_heatmap: p::provider_heatmap::compute(&view),
            interventions: p::interventions::compute(&view),
            guardrails: p::guardrails::compute(&view),
            alerts: p::alerts::compute(&view),
            costs: p::costs::compute(&view),
            tools: p::tools::compute(&view),
            git: p::git::compute(&view),
            executors: p::executors::compute(&view),
            error_clusters: p::error_clusters::compute(&view),
            diagnostics: diagnostics(data),
            parameters: ParametersInForce { parameters: params.clone(), filters: filters.clone() },
        }
    }

    /// The JSON document of spec §4, pretty-printed with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        s.push('\n');
        s
    }
}

pub fn diagnostics(data: &Dataset) -> DiagnosticsReport {
    let store = &data.store;
    DiagnosticsReport {
        sources: store.sources.clone(),
        skipped_lines: store.skipped_lines(),
        skipped_lines_total: store.diagnostics.n_skipped,
        superseded_rows: data
            .superseded
            .iter()
            .map(|s| SupersededRow { attempt_id: store.str(s.attempt).to_string(), source: store.sources.get(s.loc.source as usize).map(|x| x.name.clone()).unwrap_or_default(), line: s.loc.line })
            .collect(),
        field_warnings: store.diagnostics.field_warnings.clone(),
        duplicate_lines: store.diagnostics.duplicate_lines,
        events_without_attempt: store.diagnostics.events_without_attempt,
    }
}

#[cfg(test)]
mod section_tests {
    use super::*;

    #[test]
    fn each_section_is_the_report_split_by_key() {
        let mut store = crate::ingest::Store::new();
        store.load_bytes("f.jsonl", br#"{"timestamp":"2026-02-09T14:23:45Z","attempt_id":"a1","task_id":"t1","executor":"codex","model":"m","event_type":"error","data":{"error_category":"build"}}"#);
        let report = Report::compute(&Dataset::new(store), &Filters::default(), &Parameters::default());
        let mut parts = serde_json::Map::new();
        report.each_section(|k, v| {
            parts.insert(k.to_string(), v);
        });
        assert_eq!(serde_json::Value::Object(parts), serde_json::to_value(&report).unwrap());
    }
}
