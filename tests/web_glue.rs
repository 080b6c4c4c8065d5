//! Browser tests of the page's glue, in headless Chromium (wasm-bindgen-test-runner via
//! chromedriver; `.cargo/config.toml` makes it the wasm32 runner, `webdriver.json` holds Chromium's
//! arguments):
//!
//!   CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_glue
//!
//! What only a browser can check: the chart hook drawing on a real `<canvas>` (pixels, hit regions,
//! the high-DPI backing store), the page's tables built in a real DOM (text nodes only), the
//! conversion of thrown JS values into messages, and the ingest core giving the same figures as
//! Wasm in the browser as natively.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::{Feed, Store};
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::charts::ReportSource;
use spyglass::report::Report;
use spyglass::web::{app, charts, js_error};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The end-to-end tests' fixture: 3 sessions, one with a title full of markup.
const FIXTURE: &[u8] = include_bytes!("e2e/fixtures/telemetry.jsonl");

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn fixture_report() -> (Report, Value) {
    let report = Report::compute(
        &Dataset::from_files([("telemetry.jsonl", FIXTURE)]),
        &Filters::default(),
        &Parameters::default(),
    );
    // what the page reads: the JSON document and the sections beyond it (distributions)
    let value = report.to_page_value();
    (report, value)
}

/// A canvas of `w` × `h` CSS pixels in the document (so that it has a layout box).
fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let c: HtmlCanvasElement = document().create_element("canvas").unwrap().unchecked_into();
    c.style().set_property("display", "block").unwrap();
    c.style().set_property("width", &format!("{w}px")).unwrap();
    c.style().set_property("height", &format!("{h}px")).unwrap();
    document().body().unwrap().append_child(&c).unwrap();
    c
}

/// (pixels with any alpha, distinct RGBA colours) of the whole backing store.
fn pixel_stats(c: &HtmlCanvasElement) -> (usize, usize) {
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64).unwrap().data();
    let mut colours = std::collections::HashSet::new();
    let mut painted = 0;
    for px in data.chunks_exact(4) {
        if px[3] != 0 {
            painted += 1;
        }
        if colours.len() < 1000 {
            colours.insert([px[0], px[1], px[2], px[3]]);
        }
    }
    (painted, colours.len())
}

// ---- the ingest core in the browser ---------------------------------------------------------

#[wasm_bindgen_test]
fn ingest_in_the_browser_gives_the_native_summary() {
    let (report, _) = fixture_report();
    let s = &report.summary;
    // the same figures as `spyglass report telemetry.jsonl --json` natively
    assert_eq!(s.files, 1);
    assert_eq!(s.lines, 15);
    assert_eq!(s.events, 12);
    assert_eq!(s.metrics_rows, 2);
    assert_eq!(s.alerts, 1);
    assert_eq!(s.sessions, 3);
    assert_eq!(s.tasks, 3);
    assert_eq!(s.duplicate_lines, 0);
    assert_eq!(s.superseded_rows, 1);
    assert_eq!(s.skipped_lines, 0);
    assert_eq!(s.field_warnings, 0);
    assert_eq!(s.first_timestamp.as_deref(), Some("2026-02-09T14:00:00.000Z"));
    assert_eq!(s.last_timestamp.as_deref(), Some("2026-02-11T10:04:00.000Z"));
    assert_eq!(s.success_rate, Some(2.0 / 3.0));
    assert_eq!(s.success_n, 3);
    assert_eq!(s.first_shot_rate, Some(0.0));
    assert_eq!(s.first_shot_n, 1);
    assert!((s.total_cost_usd.unwrap() - 0.454).abs() < 1e-9, "cost {:?}", s.total_cost_usd);
    assert_eq!(s.total_tokens, Some(91854));
    assert_eq!(s.error_events, 2);
}

#[wasm_bindgen_test]
fn ingest_in_small_chunks_gives_the_same_report() {
    // the worker pushes whatever chunks File.stream() yields: lines cut anywhere must not matter
    let (_, whole) = fixture_report();
    for chunk in [1, 7, 64, 4096] {
        let mut store = Store::new();
        let mut feed = Feed::new("telemetry.jsonl");
        for c in FIXTURE.chunks(chunk) {
            feed.push(&mut store, c);
        }
        feed.finish(&mut store);
        let r = Report::compute(&Dataset::new(store), &Filters::default(), &Parameters::default());
        let v = r.to_page_value();
        assert_eq!(v, whole, "chunks of {chunk} bytes");
    }
}

// ---- charts on a real canvas ----------------------------------------------------------------

#[wasm_bindgen_test]
fn fit_backing_store_sizes_the_canvas_for_the_pixel_ratio() {
    let c = canvas(301, 150);
    assert_eq!(charts::fit_backing_store(&c, 2.0), (301.0, 150.0));
    assert_eq!((c.width(), c.height()), (602, 300));
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().unchecked_into();
    let t = ctx.get_transform().unwrap();
    assert_eq!((t.a(), t.b(), t.c(), t.d(), t.e(), t.f()), (2.0, 0.0, 0.0, 2.0, 0.0, 0.0));
    // a fractional ratio (browser zoom) rounds the backing store, not the CSS size
    assert_eq!(charts::fit_backing_store(&c, 1.25), (301.0, 150.0));
    assert_eq!((c.width(), c.height()), (376, 188));
    c.remove();
}

#[wasm_bindgen_test]
fn every_section_chart_draws_pixels_and_returns_hit_regions() {
    let (_, report) = fixture_report();
    let mut drawn = vec![];
    let mut with_hits = vec![];
    for section in spyglass::report::charts::SECTIONS {
        for info in charts::section_charts(section, ReportSource::new(&report)) {
            let c = canvas(640, info.height_px);
            let (w, h) = charts::fit_backing_store(&c, 2.0);
            assert_eq!((c.width(), c.height()), (1280, info.height_px * 2), "{}", info.id);
            assert_eq!(pixel_stats(&c).0, 0, "{}: a fresh canvas is transparent", info.id);
            let backend = plotters_canvas::CanvasBackend::with_canvas_object(c.clone()).expect("a 2d context");
            let hits = charts::draw_section_chart(
                section,
                ReportSource::new(&report),
                &info.id,
                None,
                backend,
                w as u32,
                h as u32,
                false,
            )
            .unwrap_or_else(|| panic!("{} drew", info.id));
            let (painted, colours) = pixel_stats(&c);
            let total = (c.width() * c.height()) as usize;
            // the background covers the whole backing store (the transform scaled the CSS-pixel drawing)
            assert_eq!(painted, total, "{}: every pixel painted", info.id);
            assert!(colours > 2, "{}: more than a background ({colours} colours)", info.id);
            // a chart without data (the fixture has no provider errors per hour) has no regions
            if !hits.is_empty() {
                with_hits.push(info.id.clone());
            }
            for hit in &hits {
                assert!(
                    hit.w >= 0.0
                        && hit.h >= 0.0
                        && hit.x >= -1.0
                        && hit.y >= -1.0
                        && hit.x + hit.w <= w + 1.0
                        && hit.y + hit.h <= h + 1.0,
                    "{}: hit region inside the chart: {hit:?}",
                    info.id
                );
                assert!(!hit.label.is_empty(), "{}: a tooltip label", info.id);
            }
            drawn.push(info.id.clone());
            c.remove();
        }
    }
    assert!(drawn.len() >= 5, "charts for the fixture: {drawn:?}");
    assert!(
        with_hits.len() >= 5 && with_hits.len() + 2 >= drawn.len(),
        "charts with hit regions: {with_hits:?} of {drawn:?}"
    );
    assert!(with_hits.iter().any(|id| id.starts_with("model_scores.")), "model scores have tooltips: {with_hits:?}");
    web_sys::console::log_1(&format!("charts drawn: {drawn:?}; with hit regions: {with_hits:?}").into());
    // an unknown chart id draws nothing
    let c = canvas(200, 100);
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(c.clone()).unwrap();
    assert!(charts::draw_section_chart(
        "costs",
        ReportSource::new(&report),
        "costs.no_such_chart",
        None,
        backend,
        200,
        100,
        false
    )
    .is_none());
    c.remove();
}

#[wasm_bindgen_test]
fn dark_and_light_charts_differ() {
    let (_, report) = fixture_report();
    let section = "model_scores";
    let info =
        charts::section_charts(section, ReportSource::new(&report)).into_iter().next().expect("a model_scores chart");
    let mut backgrounds = vec![];
    for dark in [false, true] {
        let c = canvas(400, info.height_px);
        let (w, h) = charts::fit_backing_store(&c, 1.0);
        let backend = plotters_canvas::CanvasBackend::with_canvas_object(c.clone()).unwrap();
        charts::draw_section_chart(
            section,
            ReportSource::new(&report),
            &info.id,
            None,
            backend,
            w as u32,
            h as u32,
            dark,
        )
        .unwrap();
        let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().unchecked_into();
        backgrounds.push(ctx.get_image_data(1.0, 1.0, 1.0, 1.0).unwrap().data().to_vec());
        c.remove();
    }
    assert_eq!(backgrounds[0], vec![0xFF, 0xFF, 0xFF, 0xFF], "light panel background");
    assert_eq!(backgrounds[1], vec![0x17, 0x1B, 0x21, 0xFF], "dark panel background");
}

// ---- tables in a real DOM -------------------------------------------------------------------

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

#[wasm_bindgen_test]
fn table_from_report_rows_has_one_text_cell_per_value() {
    let rows: Vec<Value> = (0..3).map(|i| json!({"model": if i == 1 { HOSTILE.to_string() } else { format!("m{i}") }, "sessions": i * 10, "cost_usd": 0.5 * i as f64})).collect();
    let block = app::table_block("test.rows", "Rows", rows, "test");
    document().body().unwrap().append_child(&block).unwrap();
    let holder = document().get_element_by_id("tbl-test.rows").expect("the holder has its id");
    let trs = holder.query_selector_all("tbody tr").unwrap();
    assert_eq!(trs.length(), 3);
    assert_eq!(holder.query_selector_all("thead th").unwrap().length(), 3);
    assert_eq!(holder.query_selector_all("tbody td").unwrap().length(), 9);
    // identifying columns lead: model first
    let first_th: HtmlElement = holder.query_selector("thead th").unwrap().unwrap().unchecked_into();
    assert_eq!(first_th.text_content().unwrap(), "Model");
    // the hostile value is a single text node: no <img>, no handler ran
    let cells = holder.query_selector_all("tbody td").unwrap();
    let cell: web_sys::Element = (0..cells.length())
        .filter_map(|i| cells.item(i))
        .map(|n| n.unchecked_into::<web_sys::Element>())
        .find(|e| e.text_content().as_deref() == Some(HOSTILE))
        .expect("the hostile value is shown as text");
    assert_eq!(cell.child_element_count(), 0, "no element inside the cell");
    assert_eq!(cell.child_nodes().length(), 1);
    assert_eq!(cell.first_child().unwrap().node_type(), web_sys::Node::TEXT_NODE);
    assert_eq!(block.query_selector_all("img").unwrap().length(), 0);
    assert!(cell.inner_html().contains("&lt;img"), "escaped in the markup: {}", cell.inner_html());
    // the CSV button names its table; numbers are right-aligned cells
    let csv = block.query_selector("button[data-action=csv]").unwrap().expect("a CSV button");
    assert_eq!(csv.get_attribute("data-table").as_deref(), Some("test.rows"));
    assert_eq!(holder.query_selector_all("tbody td.num").unwrap().length(), 6);
    block.remove();
}

#[wasm_bindgen_test]
fn a_long_table_shows_a_page_and_a_show_more_button() {
    let rows: Vec<Value> = (0..250).map(|i| json!({"attempt_id": format!("a{i}"), "errors": i})).collect();
    let block = app::table_block("test.long", "Long", rows, "test");
    document().body().unwrap().append_child(&block).unwrap();
    let holder = document().get_element_by_id("tbl-test.long").unwrap();
    assert_eq!(holder.query_selector_all("tbody tr").unwrap().length(), 100);
    // rows of attempts open the timeline
    assert_eq!(holder.query_selector_all("tbody tr.clickable[data-action=row]").unwrap().length(), 100);
    let more = holder.query_selector("button[data-action=more]").unwrap().expect("show more");
    assert_eq!(more.text_content().unwrap(), "Show more (100 of 250)");
    block.remove();
}

#[wasm_bindgen_test]
fn the_fixture_report_tables_keep_markup_as_text() {
    // the real report rows of the fixture (the xss title is in the sessions' rows of task_risk)
    let (_, report) = fixture_report();
    let rows = report["task_risk"]["rows"].as_array().cloned().unwrap_or_default();
    assert!(!rows.is_empty(), "task_risk rows");
    let n = rows.len() as u32;
    let block = app::table_block("task_risk.rows", "Task risk", rows, "task_risk");
    document().body().unwrap().append_child(&block).unwrap();
    assert_eq!(block.query_selector_all("tbody tr").unwrap().length(), n);
    assert!(block.text_content().unwrap().contains("<script>window.__xss=1</script>"), "the title shows as text");
    assert_eq!(block.query_selector_all("img, script").unwrap().length(), 0);
    assert!(js_sys::Reflect::get(&js_sys::global(), &"__xss".into()).unwrap().is_undefined());
    block.remove();
}

// ---- JS errors into messages ----------------------------------------------------------------

fn thrown(body: &str) -> JsValue {
    js_sys::Function::new_no_args(body).call0(&JsValue::NULL).expect_err("the function throws")
}

#[wasm_bindgen_test]
fn js_error_reads_a_thrown_error() {
    assert_eq!(js_error(&thrown("throw new TypeError('no such file')")), "TypeError: no such file");
    assert_eq!(js_error(&thrown("throw new Error('plain')")), "Error: plain");
    // a real one thrown by the engine
    let e = js_sys::JSON::parse("{").expect_err("bad JSON throws");
    assert!(js_error(&e).starts_with("SyntaxError: "), "{}", js_error(&e));
}

#[wasm_bindgen_test]
fn js_error_reads_a_thrown_string() {
    assert_eq!(js_error(&thrown("throw 'the disk is gone'")), "the disk is gone");
    assert_eq!(js_error(&JsValue::from_str("")), "");
}

#[wasm_bindgen_test]
fn js_error_reads_a_dom_exception() {
    // thrown by the DOM itself
    let e = document().query_selector("[[[").expect_err("a bad selector throws");
    assert!(e.is_instance_of::<web_sys::DomException>(), "a DOMException");
    let msg = js_error(&e);
    assert!(msg.starts_with("SyntaxError: ") && msg.contains("[[["), "{msg}");
    // as File.stream() readers reject: NotReadableError
    let e = thrown("throw new DOMException('The requested file could not be read', 'NotReadableError')");
    assert_eq!(js_error(&e), "NotReadableError: The requested file could not be read");
}

#[wasm_bindgen_test]
fn js_error_reads_other_values() {
    assert_eq!(js_error(&thrown("throw {message: 'an object with a message'}")), "an object with a message");
    let n = js_error(&thrown("throw 42"));
    assert!(n.contains("42"), "{n}");
    assert!(!js_error(&JsValue::UNDEFINED).is_empty());
}

/// The worker's reader (web/byob.rs): a 5 MB Blob read back byte for byte with a BYOB reader (two
/// buffers taking turns, handed back after each chunk) and with the default reader it falls back
/// to where a browser has no BYOB reader.
#[wasm_bindgen_test]
async fn a_blob_reads_back_whole_both_ways() {
    use spyglass::web::byob::{supported, ByobReader};
    let bytes: Vec<u8> = (0..5_000_003u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    assert!(supported(), "Chromium reads a Blob with a BYOB reader");
    for byob in [true, false] {
        let mut reader = ByobReader::with(&blob, 1 << 20, byob).unwrap();
        let (mut out, mut chunks) = (Vec::new(), 0);
        while let Some(chunk) = reader.next().await.unwrap() {
            assert!(chunk.length() <= if byob { 1 << 20 } else { u32::MAX }, "a BYOB chunk fits its buffer");
            out.extend_from_slice(&chunk.to_vec());
            reader.give_back(chunk);
            chunks += 1;
        }
        assert_eq!(out.len(), bytes.len(), "byob {byob}: all bytes");
        assert!(out == bytes, "byob {byob}: the same bytes in order");
        assert!(chunks >= if byob { 5 } else { 1 }, "byob {byob}: {chunks} chunks");
    }
}

/// The worker protocol through `JsValue` (web/protocol.rs): a message is a plain object tagged by
/// `type`, its `Js` fields cross as the very JS objects (a `File`, a report part's JS string), its
/// maps as plain objects, and it reads back as written; an error carries its kind.
#[wasm_bindgen_test]
fn protocol_messages_cross_as_plain_objects_keeping_their_js_objects() {
    use spyglass::page::protocol::{
        ErrorKind, Failure, FromWorker, InputState, InputStatus, Load, LoadInput, ReportMessage, ToWorker,
    };
    use spyglass::web::protocol::{from_worker, to_js, to_worker, Js};
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let file = web_sys::File::new_with_str_sequence(&js_sys::Array::of1(&"{}\n".into()), "a.jsonl").unwrap();
    let load = ToWorker::Load(Load {
        inputs: vec![LoadInput {
            id: 7,
            name: "logs/a.jsonl".into(),
            file: Js(file.clone().into()),
            origin: "logs".into(),
        }],
        memory_mib: Some(640.0),
        dpr: 2.0,
    });
    let v = to_js(&load);
    assert_eq!(get(&v, "type").as_string().as_deref(), Some("load"));
    let input = js_sys::Array::from(&get(&v, "inputs")).get(0);
    assert!(js_sys::Object::is(&get(&input, "file"), &file), "the File itself, not a copy");
    assert_eq!(get(&input, "id").as_f64(), Some(7.0));
    let ToWorker::Load(back) = to_worker(v).unwrap() else { panic!("not a load") };
    assert!(js_sys::Object::is(&back.inputs[0].file.0, &file));
    assert_eq!((back.inputs[0].id, back.inputs[0].name.as_str()), (7, "logs/a.jsonl"));
    assert_eq!((back.memory_mib, back.dpr), (Some(640.0), 2.0));
    let summary = JsValue::from_str(r#"{"files":1}"#);
    let report = FromWorker::Report(Box::new(ReportMessage {
        parts: [("summary".to_string(), Js(summary.clone()))].into(),
        big: Default::default(),
        facets: Default::default(),
        headlines: Default::default(),
        inputs: vec![InputStatus {
            id: 7,
            name: "logs/a.jsonl".into(),
            size: 3,
            state: InputState::Done,
            bytes_read: 3,
            error: None,
            sources: vec![0],
            memory_to_read_all_mib: None,
            source_info: vec![],
        }],
        sessions: "{}".into(),
        busy: false,
        wasm_bytes: 65536.0,
        records_bytes: 10.0,
    }));
    let v = to_js(&report);
    let parts = get(&v, "parts");
    assert!(!parts.is_instance_of::<js_sys::Map>(), "maps are plain objects");
    assert_eq!(get(&parts, "summary").as_string().as_deref(), Some(r#"{"files":1}"#));
    assert_eq!(get(&v, "wasm_bytes").as_f64(), Some(65536.0), "scripts read it (tests/e2e/bench.mjs)");
    let FromWorker::Report(back) = from_worker(v).unwrap() else { panic!("not a report") };
    assert_eq!(back.parts["summary"].0.as_string().as_deref(), Some(r#"{"files":1}"#));
    assert_eq!(back.inputs[0].state, InputState::Done);
    let error =
        to_js(&FromWorker::<Js>::Error(Failure { kind: ErrorKind::Parameters, message: "parameters: x".into() }));
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("parameters"));
    let FromWorker::Error(f) = from_worker(error).unwrap() else { panic!("not an error") };
    assert_eq!(f.kind, ErrorKind::Parameters);
    let unknown = js_sys::Object::new();
    js_sys::Reflect::set(&unknown, &"type".into(), &"reload".into()).unwrap();
    assert_eq!(to_worker(unknown.into()).unwrap_err().to_string(), "unknown message \"reload\"");
}

/// A watched folder's walk (web/folder.rs) on a real `FileSystemDirectoryHandle` of the Origin
/// Private File System: the log files below it, named by their path and sorted as the CLI does,
/// other files left out; a byte range of one read back.
#[wasm_bindgen_test]
async fn a_picked_folder_is_walked_for_its_log_files_as_the_cli_walks_one() {
    use spyglass::web::folder::{slice, walk};
    use wasm_bindgen_futures::JsFuture;
    let call = |v: &JsValue, name: &str, args: &js_sys::Array| -> js_sys::Promise {
        let f: js_sys::Function = js_sys::Reflect::get(v, &name.into()).unwrap().unchecked_into();
        f.apply(v, args).unwrap().unchecked_into()
    };
    let storage = js_sys::Reflect::get(&web_sys::window().unwrap().navigator(), &"storage".into()).unwrap();
    let root = JsFuture::from(call(&storage, "getDirectory", &js_sys::Array::new())).await.unwrap();
    let create = js_sys::Object::new();
    js_sys::Reflect::set(&create, &"create".into(), &true.into()).unwrap();
    let _ = JsFuture::from(call(
        &root,
        "removeEntry",
        &js_sys::Array::of2(&"glue-watched".into(), &{
            let o = js_sys::Object::new();
            js_sys::Reflect::set(&o, &"recursive".into(), &true.into()).unwrap();
            o.into()
        }),
    ))
    .await;
    let dir = JsFuture::from(call(&root, "getDirectoryHandle", &js_sys::Array::of2(&"glue-watched".into(), &create)))
        .await
        .unwrap();
    let sub = JsFuture::from(call(&dir, "getDirectoryHandle", &js_sys::Array::of2(&"sessions".into(), &create)))
        .await
        .unwrap();
    for (d, name, text) in [
        (&dir, "agent-work-stream.jsonl", "{\"a\":1}\n{\"a\":2}\n"),
        (&sub, "late.jsonl", "{}\n"),
        (&dir, "README.txt", "not telemetry"),
    ] {
        let fh = JsFuture::from(call(d, "getFileHandle", &js_sys::Array::of2(&name.into(), &create))).await.unwrap();
        let w = JsFuture::from(call(&fh, "createWritable", &js_sys::Array::new())).await.unwrap();
        JsFuture::from(call(&w, "write", &js_sys::Array::of1(&text.into()))).await.unwrap();
        JsFuture::from(call(&w, "close", &js_sys::Array::new())).await.unwrap();
    }
    let listed = walk(&dir).await.unwrap();
    let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["agent-work-stream.jsonl", "sessions/late.jsonl"]);
    let file = listed[0].1.as_ref().unwrap();
    assert_eq!(file.size(), 16.0);
    assert_eq!(slice(file, 8, 16).await.unwrap(), b"{\"a\":2}\n");
    // not a folder handle: said, not a panic
    assert!(walk(&JsValue::from_str("no folder")).await.is_err());
}
