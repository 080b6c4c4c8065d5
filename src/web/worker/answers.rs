//! What the worker answers with: the report (a section at a time, with the facets, the files'
//! states and the sessions listed), the exports, the demo's data, and one attempt's timeline with
//! its raw lines read back from the files.

use super::read::{wasm_bytes, CHUNK};
use super::{enqueue, kick, post, post_error, Bytes, Shared, State};
use crate::ingest::archive::{sniff, Decoder};
use crate::ingest::reread::RangeCollector;
use crate::ingest::SLICE_BYTES;
use crate::page::facets::Facets;
use crate::page::protocol::{
    ComparisonJson, ErrorKind, ExportJson, FromWorker, HtmlReport, InputStatus, ReportMessage, SourceLines,
    TimelineJson, BIG_ARRAY, FIRST_DEMO_ID,
};
use crate::report::Report;
use crate::web::field;
use crate::web::protocol::Js;
use serde::Serialize;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamDefaultReader};

pub(super) fn post_report(st: &State) {
    post_computed(st, &report_of(st));
}

/// The report of the current view.
pub(super) fn report_of(st: &State) -> Report {
    Report::compute_with(&st.data, &st.memo, &st.filters, &st.params)
}

/// Posts `report` (of the current view), a section at a time, with the facets, the files' states
/// and the sessions listed.
pub(super) fn post_computed(st: &State, report: &Report) {
    // the same report split by top-level key, so the page parses one section per render step;
    // long arrays go apart as JSON Lines, which the page parses a slice at a time
    let mut parts = BTreeMap::new();
    let mut big = BTreeMap::new();
    // a section at a time, as text: a value tree of the report would set the worker's (never
    // shrinking) memory by several times the report's size
    report.each_section(|k, json| {
        let (section, lines) = crate::report::split_section(&json, BIG_ARRAY);
        drop(json);
        big.insert(k.to_string(), lines.into_iter().map(|(field, text)| (field, Js(text.into()))).collect());
        parts.insert(k.to_string(), Js(section.into()));
    });
    post(&FromWorker::Report(Box::new(ReportMessage {
        parts,
        big,
        facets: Facets::of(&st.data, &st.filters),
        headlines: crate::report::findings::findings(report)
            .into_iter()
            .map(|f| (f.section.to_string(), f.headline))
            .collect(),
        inputs: input_statuses(st),
        sessions: sessions_json(st),
        busy: st.busy,
        wasm_bytes: wasm_bytes(),
        records_bytes: st.data.store.held_bytes() as f64,
    })));
}

/// The inputs with their sources' line counts (a `.zip` has one source per entry).
fn input_statuses(st: &State) -> Vec<InputStatus> {
    st.inputs
        .iter()
        .map(|input| {
            let sources = input.status.sources.iter().filter_map(|&s| st.data.store.sources.get(s as usize));
            let source_info = sources
                .map(|s| SourceLines { container: s.container.to_string(), lines: s.lines, skipped: s.skipped })
                .collect();
            InputStatus { source_info, ..input.status.clone() }
        })
        .collect()
}

/// `Report::to_json()` of the current view (Export JSON).
pub(super) fn export(st: &State) {
    let report = Report::compute_with(&st.data, &st.memo, &st.filters, &st.params);
    post(&FromWorker::Export(ExportJson { json: Js(report.to_json().into()) }));
}

/// The A/B comparison of filters `a` and `b` of the data loaded, under the parameters in force:
/// the document `spyglass compare --json` writes.
pub(super) fn compare(st: &State, a: &crate::pipelines::Filters, b: &crate::pipelines::Filters) {
    use crate::compare::{compute, Side};
    let result = compute(Side { data: &st.data, filters: a }, Side { data: &st.data, filters: b }, &st.params);
    post(&FromWorker::Comparison(ComparisonJson { json: result.to_json() }));
}

/// The HTML report of the current view.
pub(super) fn html(st: &State) {
    let report = Report::compute_with(&st.data, &st.memo, &st.filters, &st.params);
    post(&FromWorker::Html(HtmlReport { html: Js(crate::report::html::render(&report).into()) }));
}

/// Sessions listed on the page (not part of the report): the drill-down's way in.
const MAX_LISTED_SESSIONS: usize = 1000;

fn sessions_json(st: &State) -> String {
    let view = crate::pipelines::View::with_memo(&st.data, &st.memo, &st.filters, &st.params);
    let rows: Vec<serde_json::Value> = view
        .sessions()
        .take(MAX_LISTED_SESSIONS)
        .map(|s| {
            serde_json::json!({
                "attempt_id": view.str(s.attempt),
                "task_id": view.str(s.task_id),
                "task_title": view.str(s.task_title),
                "executor": view.str(s.executor),
                "model": view.str(s.model),
                "start": s.start_ms.map(crate::model::time::format_iso_ms),
                "duration_ms": s.duration_ms,
                "success": s.success,
                "errors": s.errors,
                "cost_usd": s.usage.cost_usd,
                "events": s.events.len(),
            })
        })
        .collect();
    serde_json::json!({"total": view.sessions.len(), "rows": rows}).to_string()
}

/// Collects the demo generator's files in memory.
#[derive(Default)]
struct MemorySink {
    files: Vec<(String, Vec<u8>)>,
}

impl crate::demo::DemoSink for MemorySink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        match self.files.iter_mut().find(|(p, _)| p == path) {
            Some((_, b)) => b.extend_from_slice(bytes),
            None => self.files.push((path.to_string(), bytes.to_vec())),
        }
        Ok(())
    }
}

pub(super) fn demo(state: &Shared) {
    let mut sink = MemorySink::default();
    if let Err(e) = crate::demo::generate(&crate::demo::DemoConfig::default(), &mut sink) {
        post_error(ErrorKind::Demo, &format!("the demo generator failed: {e}"));
        let st = state.borrow();
        post_report(&st);
        return;
    }
    {
        let mut st = state.borrow_mut();
        let base = FIRST_DEMO_ID + st.inputs.len() as u32;
        for (k, (path, bytes)) in sink.files.into_iter().enumerate() {
            enqueue(&mut st, base + k as u32, path, "demo".into(), Bytes::Memory(Rc::new(bytes)));
        }
    }
    kick(state);
}

/// Longest raw line text sent to the page.
const MAX_RAW_CHARS: usize = 20_000;

pub(super) async fn timeline(state: &Shared, attempt: &str) {
    let (tl, sources) = {
        let st = state.borrow();
        let tl = crate::report::timeline::attempt_timeline(&st.data, attempt, &st.params);
        // per store source: (container, bytes to read lines back from, input name, entry index)
        let mut sources: Vec<(String, Option<Bytes>, String, usize)> =
            st.data.store.sources.iter().map(|s| (s.container.to_string(), None, String::new(), 0)).collect();
        for input in &st.inputs {
            for (k, &s) in input.status.sources.iter().enumerate() {
                if let Some(slot) = sources.get_mut(s as usize) {
                    slot.1 = input.bytes.clone();
                    slot.2 = input.status.name.clone();
                    slot.3 = k;
                }
            }
        }
        (tl, sources)
    };
    let Some(tl) = tl else {
        return post(&FromWorker::Timeline(TimelineJson { json: "null".into() }));
    };
    // compressed sources: replay each through a fresh decoder once, collecting the lines wanted
    let mut replayed: std::collections::HashMap<u32, RangeCollector> = std::collections::HashMap::new();
    for e in &tl.events {
        if replayed.contains_key(&e.source) {
            continue;
        }
        if let Some((container, Some(bytes), name, entry)) = sources.get(e.source as usize) {
            if container != "plain" {
                let wanted = tl
                    .events
                    .iter()
                    .filter(|x| x.source == e.source)
                    .filter_map(|x| Some((x.offset?, x.len)))
                    .collect();
                let mut c = RangeCollector::new(*entry, wanted);
                replay(bytes, name, &mut c).await;
                replayed.insert(e.source, c);
            }
        }
    }
    let mut raws: Vec<Option<String>> = Vec::with_capacity(tl.events.len());
    for e in &tl.events {
        let raw = match (e.offset, sources.get(e.source as usize)) {
            (Some(offset), Some((container, Some(bytes), _, _))) if container == "plain" => {
                read_line(bytes, offset, e.len).await
            }
            (Some(offset), Some(_)) => replayed.get(&e.source).and_then(|c| c.text(offset, e.len)),
            _ => None,
        };
        raws.push(raw.map(|r| match r.char_indices().nth(MAX_RAW_CHARS) {
            Some((i, _)) => format!("{}…", &r[..i]),
            None => r,
        }));
    }
    #[derive(Serialize)]
    struct WithRaw<'a> {
        #[serde(flatten)]
        timeline: &'a crate::report::timeline::Timeline,
        raw: Vec<Option<String>>,
    }
    let json = serde_json::to_string(&WithRaw { timeline: &tl, raw: raws }).unwrap_or_default();
    post(&FromWorker::Timeline(TimelineJson { json }));
}

/// Feeds an input through a fresh decoder until `c` has every line it wants.
async fn replay(bytes: &Bytes, name: &str, c: &mut RangeCollector) {
    let mut decoder: Option<Decoder> = None;
    let mut head: Vec<u8> = Vec::new();
    // in slices, stopping as soon as `c` has its lines (a bomb is not decoded past them)
    let bounded = |d: &mut Decoder, chunk: &[u8], c: &mut RangeCollector| -> bool {
        let mut more = d.push_bounded(chunk, SLICE_BYTES, &mut |o| c.on_output(o));
        while let Ok(true) = more {
            if c.done() {
                return false;
            }
            more = d.pump(SLICE_BYTES, &mut |o| c.on_output(o));
        }
        more.is_ok() && !c.done()
    };
    let mut push = |chunk: &[u8], c: &mut RangeCollector| -> bool {
        if decoder.is_none() {
            head.extend_from_slice(chunk);
            if head.len() < 4 {
                return true;
            }
            let mut d = Decoder::new(sniff(&head, name));
            let ok = bounded(&mut d, &head, c);
            decoder = Some(d);
            return ok;
        }
        let Some(d) = decoder.as_mut() else { return false };
        bounded(d, chunk, c)
    };
    match bytes {
        Bytes::Memory(b) => {
            for chunk in b.chunks(CHUNK) {
                if !push(chunk, c) {
                    return;
                }
            }
        }
        Bytes::File(f) => {
            let reader: ReadableStreamDefaultReader = f.stream().get_reader().unchecked_into();
            loop {
                let Ok(result) = JsFuture::from(reader.read()).await else { break };
                if field(&result, "done").as_bool().unwrap_or(true) {
                    break;
                }
                let array: js_sys::Uint8Array = field(&result, "value").unchecked_into();
                if !push(&array.to_vec(), c) {
                    let _ = reader.cancel();
                    return;
                }
            }
        }
    }
    if let Some(mut d) = decoder {
        let _ = d.finish(&mut |o| c.on_output(o));
    }
}

async fn read_line(bytes: &Bytes, offset: u64, len: u32) -> Option<String> {
    match bytes {
        Bytes::Memory(b) => {
            let start = (offset as usize).min(b.len());
            let end = (start + len as usize).min(b.len());
            Some(String::from_utf8_lossy(&b[start..end]).into_owned())
        }
        Bytes::File(f) => {
            let blob: Blob = f.slice_with_f64_and_f64(offset as f64, (offset + len as u64) as f64).ok()?;
            JsFuture::from(blob.text()).await.ok()?.as_string()
        }
    }
}
