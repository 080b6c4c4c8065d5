//! The report of spec §4: every pipeline over one filtered view, plus diagnostics and the
//! parameters in force. The CLI's `--json` and the page's "Export JSON" serialise the same
//! [`Report`], so they are byte-identical for the same input.

pub mod charts;
pub mod explain;
pub mod findings;
pub mod format;
pub mod html;
pub mod lines;
pub mod text;
pub mod text_table;
pub mod timeline;

use crate::dataset::sessions::Dataset;
use crate::ingest::SourceInfo;
use crate::pipelines::{self as p, Filters, Memo, Parameters, View};
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
    /// the spread of cost, duration and tokens per model: on the page and in the HTML report,
    /// not in the JSON or text reports (not a figure of the spec)
    #[serde(skip)]
    pub distributions: p::distributions::Distributions,
}

/// At most this many superseded metrics rows are listed one by one (all are counted), as skipped
/// lines are.
pub const MAX_LISTED_SUPERSEDED: usize = crate::ingest::MAX_LISTED_SKIPS;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosticsReport {
    pub sources: Vec<crate::ingest::SourceInfo>,
    /// skipped lines in input order (the first `MAX_LISTED_SKIPS`; `skipped_lines_total` counts all)
    pub skipped_lines: Vec<crate::ingest::SkippedLine>,
    pub skipped_lines_total: u64,
    /// the first `MAX_LISTED_SUPERSEDED` superseded metrics rows (`superseded_rows_total` counts all)
    pub superseded_rows: Vec<SupersededRow>,
    pub superseded_rows_total: u64,
    pub field_warnings: BTreeMap<&'static str, u64>,
    pub duplicate_lines: u64,
    pub events_without_attempt: u64,
    /// error events whose category was inferred from the message (revision 2), all loaded ones
    pub inferred_categories: u64,
    /// per source (the folder or machine files came from), when there are several: left out of
    /// the JSON for data of one source
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_source: Vec<SourceRow>,
}

/// One source of several (`Store::origins`): what it brought, what it shared with the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRow {
    pub source: String,
    pub files: u64,
    /// sessions of this source in the view (a session belongs to the source its lines were kept from)
    pub sessions: u64,
    pub lines: u64,
    /// events, metrics rows and alerts kept from its lines
    pub records: u64,
    /// lines kept from this source that another source also had (each counted once)
    pub shared_kept: u64,
    /// lines of this source dropped because another source's copy was kept (each copy)
    pub shared_dropped: u64,
    /// lines dropped as already read (from this source or another)
    pub duplicate_lines: u64,
    pub skipped_lines: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupersededRow {
    pub attempt_id: String,
    pub source: String,
    pub line: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParametersInForce {
    #[serde(flatten)]
    pub parameters: Parameters,
    pub filters: Filters,
}

impl Report {
    /// Each top-level section as JSON text, in the report's order, one at a time: the page's
    /// worker sends the report in parts without holding all of it, or a value tree of it.
    pub fn each_section(&self, mut f: impl FnMut(&'static str, String)) {
        macro_rules! sections {
            ($($name:ident),*) => { $( f(stringify!($name), json_of_exact_size(&self.$name)); )* };
        }
        sections!(
            summary,
            model_scores,
            task_risk,
            provider_heatmap,
            interventions,
            guardrails,
            alerts,
            costs,
            tools,
            git,
            executors,
            error_clusters,
            diagnostics,
            parameters,
            distributions
        );
    }

    /// The report of `data` under `filters` and `params`, keeping nothing for the next one.
    pub fn compute(data: &Dataset, filters: &Filters, params: &Parameters) -> Report {
        Self::compute_with(data, &Memo::new(), filters, params)
    }

    /// The report, reusing and filling `memo` (what a filter change leaves valid).
    pub fn compute_with(data: &Dataset, memo: &Memo, filters: &Filters, params: &Parameters) -> Report {
        let view = View::with_memo(data, memo, filters, params);
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
            diagnostics: diagnostics(data, &view),
            parameters: ParametersInForce { parameters: params.clone(), filters: filters.clone() },
            distributions: p::distributions::compute(&view),
        }
    }

    /// The report as the page and the HTML report read it: the JSON document of spec §4 and the
    /// sections beyond it (`distributions`), each under its name.
    pub fn to_page_value(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(o) = value.as_object_mut() {
            o.insert("distributions".into(), serde_json::to_value(&self.distributions).unwrap_or_default());
        }
        value
    }

    /// The JSON document of spec §4, pretty-printed with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        s.push('\n');
        s
    }
}

pub fn diagnostics(data: &Dataset, view: &View) -> DiagnosticsReport {
    let store = &data.store;
    DiagnosticsReport {
        sources: store.sources.iter().map(|s| SourceInfo { name: store.file_name(s), ..s.clone() }).collect(),
        skipped_lines: store.skipped_lines(),
        skipped_lines_total: store.diagnostics.n_skipped,
        superseded_rows: data
            .superseded
            .iter()
            .take(MAX_LISTED_SUPERSEDED)
            .map(|s| SupersededRow {
                attempt_id: store.str(s.attempt).to_string(),
                source: store.source_name(s.loc.source()),
                line: s.loc.line(),
            })
            .collect(),
        superseded_rows_total: data.superseded.len() as u64,
        field_warnings: store.diagnostics.field_warnings.clone(),
        duplicate_lines: store.diagnostics.duplicate_lines,
        events_without_attempt: store.diagnostics.events_without_attempt,
        inferred_categories: data.derived.errors.iter().filter(|e| view.category_inferred(e)).count() as u64,
        by_source: by_source(data, view),
    }
}

/// The per-source rows, in the order the sources were read; none for data of one source.
fn by_source(data: &Dataset, view: &View) -> Vec<SourceRow> {
    let store = &data.store;
    if store.origins.len() < 2 {
        return Vec::new();
    }
    let mut rows: Vec<SourceRow> = store
        .origins
        .iter()
        .map(|o| SourceRow {
            source: if o.name.is_empty() { crate::model::names::UNKNOWN.to_string() } else { o.name.clone() },
            files: 0,
            sessions: 0,
            lines: 0,
            records: 0,
            shared_kept: o.shared_kept,
            shared_dropped: o.shared_dropped,
            duplicate_lines: 0,
            skipped_lines: 0,
        })
        .collect();
    for f in &store.sources {
        if let Some(r) = rows.get_mut(f.origin as usize) {
            r.files += 1;
            r.lines += f.lines;
            r.records += f.events + f.metrics_rows + f.alerts;
            r.duplicate_lines += f.duplicates;
            r.skipped_lines += f.skipped;
        }
    }
    for s in view.sessions() {
        if let Some(r) = rows.get_mut(s.origin as usize) {
            r.sessions += 1;
        }
    }
    rows
}

/// JSON text in a string of exactly its size, written twice (counted, then kept): a big
/// report's section is megabytes, and a string grown by doubling holds up to twice that — which
/// the page's worker keeps, as Wasm memory never shrinks.
fn json_of_exact_size<T: Serialize>(value: &T) -> String {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    if to_writer(&mut count, value).is_err() {
        return String::new();
    }
    let mut text = Vec::with_capacity(count.0);
    let _ = to_writer(&mut text, value);
    String::from_utf8(text).unwrap_or_default()
}

/// `serde_json::to_writer`. In the page's Wasm through a `dyn` writer and one formatter type for
/// compact and pretty text ([`wasm_json`]): the counting and writing passes above and the exported
/// report's pretty text (`to_json`) then share one copy of the report's serialisation (three
/// copies were 100 KB of the worker's download); natively each keeps its own, faster copy.
#[cfg(target_arch = "wasm32")]
fn to_writer<T: Serialize>(w: &mut dyn std::io::Write, value: &T) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(w, wasm_json::Format(None)))
}

#[cfg(not(target_arch = "wasm32"))]
fn to_writer<T: Serialize>(w: impl std::io::Write, value: &T) -> serde_json::Result<()> {
    serde_json::to_writer(w, value)
}

/// `serde_json::to_string_pretty` (see `to_writer`).
#[cfg(target_arch = "wasm32")]
fn to_string_pretty<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    let pretty = wasm_json::Format(Some(serde_json::ser::PrettyFormatter::new()));
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut out as &mut dyn std::io::Write, pretty))?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

#[cfg(not(target_arch = "wasm32"))]
fn to_string_pretty<T: Serialize>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string_pretty(value)
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // tested natively below
mod wasm_json {
    use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
    use std::io::{Result, Write};

    /// serde_json's compact formatter (`None`) or its pretty one, as one type: the methods the
    /// pretty formatter overrides, chosen at run time; the rest are the same for both.
    pub struct Format(pub Option<PrettyFormatter<'static>>);

    macro_rules! either {
        ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
            fn $name<W: ?Sized + Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> Result<()> {
                match &mut self.0 {
                    Some(p) => p.$name(w $(, $arg)*),
                    None => CompactFormatter.$name(w $(, $arg)*),
                }
            }
        )*};
    }

    impl Formatter for Format {
        either! {
            begin_array();
            end_array();
            begin_array_value(first: bool);
            end_array_value();
            begin_object();
            end_object();
            begin_object_key(first: bool);
            end_object_key();
            begin_object_value();
            end_object_value();
        }
    }
}

/// A section's JSON text split for the page: the section with every array longer than `big`
/// emptied, and those arrays as JSON Lines (one row per line) by field, in order. Works on the
/// text (raw JSON slices), so the worker never builds a value tree of a large section.
pub fn split_section(json: &str, big: usize) -> (String, Vec<(String, String)>) {
    use serde_json::value::RawValue;
    struct Fields<'a>(Vec<(String, &'a RawValue)>);
    impl<'de> serde::Deserialize<'de> for Fields<'de> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Fields<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                    let mut fields = Vec::new();
                    while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                        fields.push(entry);
                    }
                    Ok(Fields(fields))
                }
            }
            d.deserialize_map(V)
        }
    }
    let Ok(Fields(fields)) = serde_json::from_str::<Fields<'_>>(json) else { return (json.to_string(), vec![]) };
    let mut section = String::from("{");
    let mut lines = Vec::new();
    for (i, (key, raw)) in fields.iter().enumerate() {
        if i > 0 {
            section.push(',');
        }
        section.push_str(&serde_json::to_string(key).unwrap_or_default());
        section.push(':');
        match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
            Ok(rows) if rows.len() > big => {
                section.push_str("[]");
                let text: Vec<&str> = rows.iter().map(|r| r.get()).collect();
                lines.push((key.clone(), text.join("\n")));
            }
            _ => section.push_str(raw.get()),
        }
    }
    section.push('}');
    (section, lines)
}

#[cfg(test)]
mod section_tests {
    use super::*;

    #[test]
    fn each_section_is_the_report_split_by_key() {
        let line: &[u8] = br#"{"timestamp":"2026-02-09T14:23:45Z","attempt_id":"a1","task_id":"t1","executor":"codex","model":"m","event_type":"error","data":{"error_category":"build"}}"#;
        let report =
            Report::compute(&Dataset::from_files([("f.jsonl", line)]), &Filters::default(), &Parameters::default());
        let mut parts = serde_json::Map::new();
        report.each_section(|k, v| {
            parts.insert(k.to_string(), serde_json::from_str(&v).unwrap());
        });
        // the page's one section beyond the JSON document
        assert_eq!(serde_json::Value::Object(parts.clone()), report.to_page_value());
        assert_eq!(parts.remove("distributions").unwrap()["duration"][0]["attempt_id"], "a1");
        assert_eq!(serde_json::Value::Object(parts), serde_json::to_value(&report).unwrap());
    }

    #[test]
    fn the_wasm_formatter_writes_serde_jsons_bytes() {
        let lines = concat!(
            r#"{"timestamp":"2026-02-09T14:23:45Z","attempt_id":"a1","task_id":"t1","executor":"codex","model":"m","event_type":"error","data":{"error_category":"build","message":"x\"y\u00e9"}}"#,
            "\n",
            r#"{"timestamp":"2026-02-09T15:00:00Z","attempt_id":"a2","task_id":"t1","executor":"claude","model":"m2","event_type":"tool_call","data":{"tool_name":"edit"}}"#,
        );
        let data = Dataset::from_files([("f.jsonl", lines.as_bytes())]);
        let report = Report::compute(&data, &Filters::default(), &Parameters::default());
        let with = |f: wasm_json::Format| {
            let mut out = Vec::new();
            report
                .serialize(&mut serde_json::Serializer::with_formatter(&mut out as &mut dyn std::io::Write, f))
                .unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(with(wasm_json::Format(None)), serde_json::to_string(&report).unwrap());
        let pretty = with(wasm_json::Format(Some(serde_json::ser::PrettyFormatter::new())));
        assert_eq!(pretty, serde_json::to_string_pretty(&report).unwrap());
        assert_eq!(report.to_json(), pretty + "\n");
    }

    #[test]
    fn long_arrays_come_apart_as_json_lines() {
        let json = r#"{"rows":[{"a":1,"s":"x\"y"},{"a":2.5,"s":"[,]"},{"a":null,"s":""}],"few":[1,2],"n":3,"o":{"k":[1,2,3]}}"#;
        let (section, lines) = split_section(json, 2);
        assert_eq!(section, r#"{"rows":[],"few":[1,2],"n":3,"o":{"k":[1,2,3]}}"#);
        assert_eq!(
            lines,
            vec![(
                "rows".to_string(),
                "{\"a\":1,\"s\":\"x\\\"y\"}\n{\"a\":2.5,\"s\":\"[,]\"}\n{\"a\":null,\"s\":\"\"}".to_string()
            )]
        );
        // each line is one row, as the section had it
        let rows: Vec<serde_json::Value> = lines[0].1.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(serde_json::Value::Array(rows), serde_json::from_str::<serde_json::Value>(json).unwrap()["rows"]);
        // not an object: kept whole
        assert_eq!(split_section("[1,2,3]", 1), ("[1,2,3]".to_string(), vec![]));
    }
}
