//! The page's main thread: the skeleton in `www/index.html` is filled and kept in sync with the
//! worker's messages. Nothing heavy runs here: reading, sessions and reports are the worker's.
//!
//! `<body data-state>` is `empty`, `loading`, `ready` or `error`; `ready` is set only after every
//! figure of the latest report is drawn.

use super::charts;
use super::dom::*;
use super::{field, js_error, obj, set};
use crate::pipelines::{Filters, Parameters};
use crate::report::charts::ReportSource;
use crate::report::format;
use crate::report::lines::{JsonLines, LongArrays};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, File, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent, MessageEvent, MouseEvent, Worker,
};

/// Report sections in page order (each a pipeline's output in the report JSON).
const SECTIONS: [&str; 11] = crate::report::charts::SECTIONS;
/// Rows a table shows before "show more".
const PAGE_ROWS: usize = 100;
/// Ids of inputs that came from the demo generator start here.
const DEMO_IDS: u32 = 1_000_000;

struct Input {
    id: u32,
    name: String,
    file: File,
}

struct Table {
    columns: Vec<String>,
    rows: Rows,
    /// row indices in display order (sorting permutes these, not the rows)
    order: Vec<u32>,
    sort: Option<(String, bool)>,
    shown: usize,
}

/// A table's rows: its own, or an array of the report (section, field), not copied: the report
/// keeps it for the charts, and a copy per table was the page's largest allocation.
enum Rows {
    Own(Vec<Value>),
    InReport(&'static str, String),
}

/// A table's rows where they are: values, or a long array kept as JSON Lines (parsed when read).
#[derive(Clone, Copy)]
enum RowsRef<'a> {
    Values(&'a [Value]),
    Lines(&'a JsonLines),
}

impl<'a> RowsRef<'a> {
    fn len(self) -> usize {
        match self {
            RowsRef::Values(v) => v.len(),
            RowsRef::Lines(l) => l.len(),
        }
    }
    fn get(self, i: usize) -> Option<Cow<'a, Value>> {
        match self {
            RowsRef::Values(v) => v.get(i).map(Cow::Borrowed),
            RowsRef::Lines(l) => l.get(i).map(Cow::Owned),
        }
    }
}

fn rows_of<'a>(rows: &'a Rows, report: &'a Value, long: &'a LongArrays) -> RowsRef<'a> {
    match rows {
        Rows::Own(v) => RowsRef::Values(v),
        Rows::InReport(section, field) => match long.get(&format!("{section}.{field}")) {
            Some(lines) => RowsRef::Lines(lines),
            None => RowsRef::Values(
                report.get(*section).and_then(|s| s.get(field)).and_then(Value::as_array).map_or(&[], Vec::as_slice),
            ),
        },
    }
}

#[derive(Default)]
struct App {
    worker: Option<Worker>,
    worker_ready: bool,
    pending: Vec<JsValue>,
    /// the worker script's URL (parse workers are more instances of it)
    worker_url: String,
    inputs: Vec<Input>,
    demo_loaded: bool,
    next_id: u32,
    busy: bool,
    /// the parts of the report parsed so far (an object keyed like the report)
    report: Rc<Value>,
    /// the report's top-level values as JSON text (JS strings), parsed on first use
    report_parts: HashMap<String, JsValue>,
    /// long arrays of the report as JSON Lines: section → field → text (as received)
    report_big: HashMap<String, Vec<(String, JsValue)>>,
    /// the same, kept by `section.field` in the page's memory as text (their arrays in `report`
    /// stay empty): parsed into values they took ten times the room
    long: Rc<LongArrays>,
    /// sections found empty while rendering (listed together)
    empty_sections: Vec<&'static str>,
    /// content width the charts were last drawn at
    drawn_width: f64,
    /// bumped by every report: a section render of an older one stops
    render_gen: u32,
    facets: Value,
    input_states: Value,
    sessions: String,
    filters: Filters,
    params: Parameters,
    tables: HashMap<String, Table>,
    hits: HashMap<String, Vec<charts::HitRegion>>,
    last_error: Option<String>,
    task_debounce: u32,
    /// the timeline brush being dragged: (start x, current x) in CSS px
    brush_drag: Option<(f64, f64)>,
    /// the tab's memory target set by a "Read all" click (else `?memory=`, else the worker's default)
    memory_mib: Option<f64>,
    /// the parse workers started for the worker (ended with it when it is restarted)
    parsers: Vec<Worker>,
    /// the no-answer watchdog (`watchdog`)
    watch: Watch,
    /// files left out when a worker that stopped answering was restarted: (name, size, state, why)
    lost: Vec<(String, f64, &'static str, String)>,
}

/// When the worker must have said something by (`performance.now()` ms), to be deemed stuck.
#[derive(Default)]
struct Watch {
    /// while files are read: any message pushes it `SILENT_MS` on
    reading: Option<f64>,
    /// after a `cancel`: its `cancelled` answer is due
    cancel: Option<f64>,
    /// the input the last progress was about, until reading is over
    id: Option<u32>,
    /// when the watchdog last ran: a page that was itself held up (or throttled in the
    /// background) waits for the worker's queued messages before judging it
    last_tick: f64,
}

/// A worker reading files that says nothing (progress comes ≥ 1 a second) for this long is stuck.
const SILENT_MS: f64 = 10_000.0;
/// A `cancel` not answered in this long: the worker is stuck.
const CANCEL_MS: f64 = 2_000.0;

thread_local! {
    static APP: RefCell<App> = RefCell::new(App::default());
}

fn with<R>(f: impl FnOnce(&mut App) -> R) -> R {
    APP.with(|a| f(&mut a.borrow_mut()))
}

fn body() -> HtmlElement {
    document().body().expect("body")
}

fn set_state(state: &str) {
    attr(&body(), "data-state", state);
}

/// Shows an error in the banner (and the page's error state when nothing is loaded).
fn show_error(msg: &str) {
    if let Some(b) = by_id("banner") {
        clear(&b);
        append(&b, &el_text("span", "", msg));
        let close = button("Dismiss", "ghost small", "dismiss-banner");
        append(&b, &close);
        show(&b, true);
    }
    with(|a| a.last_error = Some(msg.to_string()));
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("Spyglass hit an internal error: {info}");
        web_sys::console::error_1(&msg.clone().into());
        if let Some(b) = by_id("banner") {
            clear(&b);
            append(&b, &el_text("span", "", &msg));
            show(&b, true);
        }
        set_state("error");
    }));
    if let Err(e) = init() {
        show_error(&format!("the page could not start: {}", js_error(&e)));
        set_state("error");
    }
}

fn init() -> Result<(), JsValue> {
    let worker_url = js_sys::Reflect::get(&js_sys::global(), &"__SPYGLASS_WORKER_URL".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "./worker_loader.js".into());
    let worker = spawn_worker(&worker_url, "spyglass-worker")?;
    listen(&worker, "message", |e: MessageEvent| on_worker_message(e.data()));
    // parse workers start when the worker first meets a file large enough for them
    with(|a| {
        a.worker = Some(worker);
        a.worker_url = worker_url;
    });
    let tick = Closure::<dyn FnMut()>::new(watchdog);
    if let Some(w) = web_sys::window() {
        w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 500)?;
    }
    tick.forget();
    wire_skeleton();
    render_params();
    Ok(())
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Expects the worker to keep talking while it reads (`load` sent, progress): stuck after
/// `SILENT_MS` of silence.
fn arm_watch() {
    with(|a| a.watch.reading = Some(now_ms() + SILENT_MS));
}

/// Every 500 ms: a worker that stopped answering (silent while reading, or a `cancel` not
/// answered) is ended and a new one started.
fn watchdog() {
    let now = now_ms();
    let held_up = with(|a| {
        let late = now - std::mem::replace(&mut a.watch.last_tick, now);
        if late > 2_000.0 {
            let w = &mut a.watch;
            (w.reading, w.cancel) = (w.reading.map(|t| t + late), w.cancel.map(|t| t + late));
        }
        late > 2_000.0
    });
    if held_up {
        return;
    }
    let (reading, cancel) =
        with(|a| (a.watch.reading.is_some_and(|t| now > t), a.watch.cancel.is_some_and(|t| now > t)));
    if cancel {
        restart_worker("it did not answer Cancel within 2 s", "cancelled");
    } else if reading {
        restart_worker("it said nothing for 10 s while reading", "failed");
    }
}

/// Ends the worker (and its parse workers), starts a new one, leaves out the file it was reading
/// (listed as `state`, with why) and reads the other files again.
fn restart_worker(why: &str, state: &'static str) {
    let (old, parsers, id, url) = with(|a| {
        let id = a.watch.id;
        a.watch = Watch { last_tick: a.watch.last_tick, ..Watch::default() };
        (a.worker.take(), std::mem::take(&mut a.parsers), id, a.worker_url.clone())
    });
    if let Some(w) = old {
        w.terminate();
    }
    for p in parsers {
        p.terminate();
    }
    let worker = match spawn_worker(&url, "spyglass-worker") {
        Ok(w) => w,
        Err(e) => {
            show_error(&format!(
                "the background reader stopped answering and could not be started again ({}): reload the page",
                js_error(&e)
            ));
            set_state("error");
            return;
        }
    };
    listen(&worker, "message", |e: MessageEvent| on_worker_message(e.data()));
    // the file being read: the one the last progress was about, else the first not reported read
    let done: Vec<u64> = with(|a| {
        a.input_states
            .as_array()
            .into_iter()
            .flatten()
            .filter(|i| i["state"] != "queued" && i["state"] != "reading")
            .filter_map(|i| i["id"].as_u64())
            .collect()
    });
    let (files, demo, lost) = with(|a| {
        a.worker = Some(worker);
        a.worker_ready = false;
        a.pending.clear();
        let at = a
            .inputs
            .iter()
            .position(|i| Some(i.id) == id)
            .or_else(|| a.inputs.iter().position(|i| !done.contains(&(i.id as u64))));
        let lost = at.map(|k| a.inputs.remove(k));
        let lost = lost.map(|i| {
            let why = format!("{}: the background reader stopped answering while reading it ({why}): it was restarted and this file left out; add it again to retry", i.name);
            a.lost.push((i.name.clone(), i.file.size(), state, why));
            i.name
        });
        (a.inputs.iter().map(|i| (i.id, i.name.clone(), i.file.clone())).collect::<Vec<_>>(), a.demo_loaded, lost)
    });
    let any = !files.is_empty() || demo;
    reload(files, demo);
    let what = lost.map_or_else(String::new, |n| format!(" while reading {n}"));
    let rest = if any { "; the other files are read again" } else { "" };
    show_error(&format!(
        "The background reader stopped answering{what} ({why}): it was ended and a new one started{rest}."
    ));
    if !any {
        set_state("error");
    }
}

/// An instance of the worker script (the worker, or a parse worker), named for debugging; if it
/// stops (its script fails, or the tab runs out of memory) the page says so instead of waiting.
fn spawn_worker(url: &str, name: &str) -> Result<Worker, JsValue> {
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Classic);
    opts.set_name(name);
    let worker = Worker::new_with_options(url, &opts)?;
    listen(&worker, "error", |e: web_sys::ErrorEvent| {
        // a panic reports itself (`fatal`) before the trap that ends it: keep that message
        if body().get_attribute("data-state").as_deref() == Some("error") {
            return;
        }
        show_error(&format!("the background reader stopped ({}); reload the page to start again — a file may be too large for a browser tab, the spyglass CLI reads any size", e.message()));
        set_state("error");
    });
    Ok(worker)
}

/// Starts the parse workers, on the worker's `want_parsers` (the first large plain file): more
/// instances of the worker script that read ranges of large plain files for the worker
/// (web/parsers.rs). The worker gets one end of a `MessageChannel` per parse worker with the
/// `parsers` message — always an answer, since it waits for one: no ports at all on a machine of
/// fewer than three cores, and only those made if starting one fails. A page that never reads a
/// large file starts none.
fn start_parse_workers() {
    let url = with(|a| a.worker_url.clone());
    let cores = web_sys::window().map(|w| w.navigator().hardware_concurrency()).unwrap_or(1.0);
    let ports = js_sys::Array::new();
    for _ in 0..parse_workers_for(cores as usize) {
        match start_parse_worker(&url) {
            Ok(port) => {
                ports.push(&port);
            }
            Err(e) => {
                web_sys::console::warn_1(&format!("a parse worker did not start: {}", js_error(&e)).into());
                break;
            }
        }
    }
    let m = message("parsers");
    set(&m, "ports", &ports);
    // MessagePorts are transferred, not copied
    if let Some(w) = with(|a| a.worker.clone()) {
        let _ = w.post_message_with_transfer(&m, &ports);
    }
}

/// One parse worker: it gets its end of a `MessageChannel` once its Wasm runs; the other end is
/// returned, for the worker.
fn start_parse_worker(url: &str) -> Result<web_sys::MessagePort, JsValue> {
    let parser = spawn_worker(url, "spyglass-parser")?;
    with(|a| a.parsers.push(parser.clone()));
    let channel = web_sys::MessageChannel::new()?;
    let (p, theirs) = (parser.clone(), channel.port2());
    listen(&parser, "message", move |e: MessageEvent| {
        let data = e.data();
        match field(&data, "type").as_string().as_deref() {
            Some("ready") => {
                let m = message("parser");
                set(&m, "port", &theirs);
                let _ = p.post_message_with_transfer(&m, &js_sys::Array::of1(&theirs));
            }
            Some("fatal") => on_worker_message(data),
            _ => {}
        }
    });
    Ok(channel.port1())
}

/// One per core but one (the page and the browser's reading keep a core), at most 4 — and none
/// below three cores: one parse worker reads and parses a 2 GB stream at ~220 MB/s, while the
/// worker alone, reading the next chunk while it parses this one, does ~300 (2-core machine).
fn parse_workers_for(cores: usize) -> usize {
    match cores.saturating_sub(1) {
        n @ 2.. => n.min(4),
        _ => 0,
    }
}

fn send(msg: js_sys::Object) {
    with(|a| {
        if a.worker_ready {
            if let Some(w) = &a.worker {
                let _ = w.post_message(&msg);
            }
        } else {
            a.pending.push(msg.into());
        }
    });
}

fn message(kind: &str) -> js_sys::Object {
    let m = obj();
    set(&m, "type", &kind.into());
    if kind == "load" || kind == "demo" {
        if let Some(mib) = with(|a| a.memory_mib).or_else(memory_target_mib) {
            set(&m, "memory_mib", &mib.into());
        }
        // the charts' canvases take memory by the square of the pixel ratio (the budget allows for it)
        set(&m, "dpr", &web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).into());
    }
    m
}

/// `?memory=MiB` in the page's address: the memory the tab may use (the worker's default keeps
/// it under 512 MiB; see `records_budget` in worker.rs).
fn memory_target_mib() -> Option<f64> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("memory="))?
        .parse::<f64>()
        .ok()
        .filter(|m| m.is_finite() && *m > 0.0)
}

// ---------------------------------------------------------------------------------------------
// getting data in

/// Queues files for reading; `names` are the names diagnostics give them.
fn add_files(files: Vec<(String, File)>) {
    if files.is_empty() {
        return;
    }
    let arr = js_sys::Array::new();
    with(|a| {
        for (name, file) in files {
            a.next_id += 1;
            let o = obj();
            set(&o, "id", &a.next_id.into());
            set(&o, "name", &name.clone().into());
            set(&o, "file", &file);
            arr.push(&o);
            a.inputs.push(Input { id: a.next_id, name, file });
        }
        a.busy = true;
        a.last_error = None;
    });
    let m = message("load");
    set(&m, "inputs", &arr);
    start_loading();
    send(m);
    arm_watch();
}

fn start_loading() {
    set_state("loading");
    // until the first file is read, the content area says what is happening
    if with(|a| a.report.is_null()) {
        if let Some(content) = by_id("content") {
            clear(&content);
            let panel = el("div", "section loading-panel");
            append(&panel, &el("div", "spinner"));
            append(&panel, &el_text("h2", "", "Reading your telemetry…"));
            append(
                &panel,
                &el_text("p", "muted", "Figures appear as soon as the first file is read. Files stay on this machine."),
            );
            let names: Vec<String> = with(|a| a.inputs.iter().map(|i| i.name.clone()).collect());
            if !names.is_empty() {
                let ul = el("ul", "muted small loading-list");
                for n in names.iter().take(12) {
                    append(&ul, &el_text("li", "", n));
                }
                if names.len() > 12 {
                    append(&ul, &el_text("li", "", &format!("and {} more", names.len() - 12)));
                }
                append(&panel, &ul);
            }
            append(&content, &panel);
        }
    }
    if let Some(b) = by_id("banner") {
        show(&b, false);
    }
    if let Some(p) = by_id("progress") {
        show(&p, true);
        if let Some(t) = by_id("progress-text") {
            t.set_text_content(Some("Starting…"));
        }
    }
    show_dashboard();
    render_files();
}

fn files_of(list: Option<web_sys::FileList>, relative: bool) -> Vec<(String, File)> {
    let Some(list) = list else { return vec![] };
    let mut out = Vec::new();
    for i in 0..list.length() {
        if let Some(f) = list.get(i) {
            let name = if relative {
                let rel = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                // like the CLI: the path relative to the folder chosen
                match rel.split_once('/') {
                    Some((_, rest)) if !rest.is_empty() => rest.to_string(),
                    _ => f.name(),
                }
            } else {
                f.name()
            };
            if relative && !crate::ingest::is_log_name(&name) {
                continue;
            }
            out.push((name, f));
        }
    }
    if relative {
        out.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

fn promise_of(f: impl FnOnce(js_sys::Function, js_sys::Function) + 'static) -> js_sys::Promise {
    let mut f = Some(f);
    js_sys::Promise::new(&mut |res, rej| {
        if let Some(f) = f.take() {
            f(res, rej)
        }
    })
}

/// Walks a dropped directory entry: every log file under it, with its path below `root`.
async fn walk_entry(entry: web_sys::FileSystemEntry, out: &mut Vec<(String, File)>, root_len: usize) {
    let mut stack = vec![entry];
    while let Some(entry) = stack.pop() {
        if entry.is_file() {
            let fe: web_sys::FileSystemFileEntry = entry.clone().unchecked_into();
            let p = promise_of(move |res, rej| fe.file_with_callback_and_callback(&res, &rej));
            if let Ok(f) = wasm_bindgen_futures::JsFuture::from(p).await {
                let path = entry.full_path();
                let name = path.get(root_len..).unwrap_or(&path).trim_start_matches('/').to_string();
                if crate::ingest::is_log_name(&name) {
                    out.push((name, f.unchecked_into()));
                }
            }
        } else if entry.is_directory() {
            let de: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = de.create_reader();
            loop {
                let r = reader.clone();
                let p = promise_of(move |res, rej| {
                    let _ = r.read_entries_with_callback_and_callback(&res, &rej);
                });
                let Ok(batch) = wasm_bindgen_futures::JsFuture::from(p).await else { break };
                let batch: js_sys::Array = batch.unchecked_into();
                if batch.length() == 0 {
                    break;
                }
                for e in batch.iter() {
                    stack.push(e.unchecked_into());
                }
            }
        }
    }
}

fn on_drop(e: web_sys::DragEvent) {
    e.prevent_default();
    if let Some(o) = by_id("drop-overlay") {
        show(&o, false);
    }
    let Some(dt) = e.data_transfer() else { return };
    let items = dt.items();
    let mut plain: Vec<(String, File)> = Vec::new();
    let mut dirs: Vec<web_sys::FileSystemEntry> = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) if entry.is_directory() => dirs.push(entry),
            _ => {
                if let Ok(Some(f)) = item.get_as_file() {
                    plain.push((f.name(), f));
                }
            }
        }
    }
    if plain.is_empty() && dirs.is_empty() {
        // some drops carry only `files`
        plain = files_of(dt.files(), false);
    }
    if dirs.is_empty() {
        add_files(plain);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut all = plain;
        for d in dirs {
            let root_len = d.full_path().len();
            let mut found = Vec::new();
            walk_entry(d, &mut found, root_len).await;
            found.sort_by(|a, b| a.0.cmp(&b.0));
            all.extend(found);
        }
        if all.is_empty() {
            show_error("no .jsonl, .jsonl.gz or .zip file in what was dropped");
        }
        add_files(all);
    });
}

fn remove_input(id: u32) {
    let (files, demo) = with(|a| {
        if id >= DEMO_IDS {
            a.demo_loaded = false;
        }
        a.inputs.retain(|i| i.id != id);
        (a.inputs.iter().map(|i| (i.id, i.name.clone(), i.file.clone())).collect::<Vec<_>>(), a.demo_loaded)
    });
    reload(files, demo);
}

/// "Read all" on a file stopped at the memory budget: everything read again with the memory it
/// takes (the worker's estimate).
fn read_all(memory_mib: f64) {
    let (files, demo) = with(|a| {
        a.memory_mib = Some(memory_mib);
        (a.inputs.iter().map(|i| (i.id, i.name.clone(), i.file.clone())).collect::<Vec<_>>(), a.demo_loaded)
    });
    reload(files, demo);
}

fn clear_all() {
    with(|a| {
        a.inputs.clear();
        a.lost.clear();
        a.demo_loaded = false;
    });
    reload(vec![], false);
}

/// A fresh store in the worker, then the remaining files read again.
fn reload(files: Vec<(u32, String, File)>, demo: bool) {
    send(message("reset"));
    with(|a| {
        a.report = Rc::new(Value::Null);
        a.input_states = Value::Null;
    });
    if files.is_empty() && !demo {
        with(|a| {
            a.busy = false;
            a.report = Rc::new(Value::Null);
            a.tables.clear();
        });
        show_empty();
        return;
    }
    if demo {
        send(message("demo"));
    }
    let arr = js_sys::Array::new();
    for (id, name, file) in files {
        let o = obj();
        set(&o, "id", &id.into());
        set(&o, "name", &name.into());
        set(&o, "file", &file);
        arr.push(&o);
    }
    with(|a| a.busy = true);
    let m = message("load");
    set(&m, "inputs", &arr);
    start_loading();
    send(m);
    arm_watch();
}

fn load_demo() {
    with(|a| {
        a.demo_loaded = true;
        a.busy = true;
    });
    start_loading();
    send(message("demo"));
}

// ---------------------------------------------------------------------------------------------
// worker messages

fn on_worker_message(data: JsValue) {
    let kind = field(&data, "type").as_string().unwrap_or_default();
    // any word from the worker while it reads: it is alive
    with(|a| {
        if a.watch.reading.is_some() {
            a.watch.reading = Some(now_ms() + SILENT_MS);
        }
        match kind.as_str() {
            "cancelled" => a.watch.cancel = None,
            // the sessions and report are made: no more progress until they are out
            "building" | "fatal" => a.watch.reading = None,
            "report" if !field(&data, "busy").as_bool().unwrap_or(false) => a.watch.reading = None,
            "report" | "progress" => a.watch.reading = Some(now_ms() + SILENT_MS),
            _ => {}
        }
        match kind.as_str() {
            "progress" => a.watch.id = field(&data, "id").as_f64().map(|id| id as u32),
            "building" => a.watch.id = None,
            _ => {}
        }
    });
    match kind.as_str() {
        "ready" => {
            let (worker, pending) = with(|a| {
                a.worker_ready = true;
                (a.worker.clone(), std::mem::take(&mut a.pending))
            });
            if let Some(w) = worker {
                for m in pending {
                    let _ = w.post_message(&m);
                }
            }
        }
        "want_parsers" => start_parse_workers(),
        "progress" => on_progress(&data),
        "report" => {
            // a measure in the browser's performance timeline (the e2e tests read it)
            let perf = web_sys::window().and_then(|w| w.performance());
            if let Some(p) = &perf {
                let _ = p.mark("spyglass-render-start");
            }
            on_report(&data);
            if let Some(p) = &perf {
                let _ = p.measure_with_start_mark("spyglass-render", "spyglass-render-start");
            }
        }
        "timeline" => on_timeline(&field(&data, "json").as_string().unwrap_or_default()),
        "export" => download_js_string(&field(&data, "json"), "application/json", "spyglass-report.json"),
        "html" => download_js_string(&field(&data, "html"), "text/html", "spyglass-report.html"),
        "error" => {
            let msg = field(&data, "message").as_string().unwrap_or_default();
            if msg.starts_with("the demo generator") {
                with(|a| a.demo_loaded = false);
            }
            // parameters the worker refused (the page checks them first with the same
            // `Parameters::from_json`, so this is a safety net): said beside the panel too; the
            // worker keeps the ones in force
            if msg.starts_with("parameters:") {
                param_error(&format!("{msg}. The figures keep the parameters in force."));
                if body().get_attribute("data-state").as_deref() == Some("loading") && with(|a| !a.report.is_null()) {
                    set_state("ready");
                }
            }
            show_error(&msg);
        }
        "fatal" => {
            let msg = field(&data, "message").as_string().unwrap_or_default();
            show_error(&msg);
            set_state("error");
        }
        _ => {}
    }
}

fn on_progress(d: &JsValue) {
    let num = |k: &str| field(d, k).as_f64().unwrap_or(0.0);
    let name = field(d, "name").as_string().unwrap_or_default();
    let pct = num("percent");
    if let Some(bar) = by_id("progress-bar") {
        let _ = bar.style().set_property("width", &format!("{:.1}%", pct.min(100.0)));
    }
    // how many parse workers read this file (tests and benchmarks read it)
    if let Some(p) = by_id("progress") {
        let _ = p.set_attribute("data-parsers", &format!("{}", num("parsers")));
    }
    if let Some(t) = by_id("progress-text") {
        let eta = num("eta_s");
        let left =
            if eta >= 1.0 { format!(", about {} left", format::duration_ms(eta * 1000.0)) } else { String::new() };
        let inflated = if num("decompressed") > 0.0 && num("decompressed") > num("done") {
            format!(" ({} decompressed)", format::bytes(num("decompressed")))
        } else {
            String::new()
        };
        t.set_text_content(Some(&format!(
            "Reading {name} — {:.0} % of {} at {:.0} MB/s{left}{inflated}",
            pct,
            format::bytes(num("total")),
            num("mb_per_s")
        )));
    }
}

fn on_report(d: &JsValue) {
    let busy = field(d, "busy").as_bool().unwrap_or(false);
    let parts_js = field(d, "parts");
    let big_js = field(d, "big");
    let mut big: HashMap<String, Vec<(String, JsValue)>> = HashMap::new();
    if big_js.is_object() {
        for k in js_sys::Object::keys(big_js.unchecked_ref::<js_sys::Object>()).iter() {
            let Some(k) = k.as_string() else { continue };
            let sec = field(&big_js, &k);
            let fields: Vec<(String, JsValue)> = js_sys::Object::keys(sec.unchecked_ref::<js_sys::Object>())
                .iter()
                .filter_map(|f| f.as_string())
                .map(|f| (f.clone(), field(&sec, &f)))
                .collect();
            if !fields.is_empty() {
                big.insert(k, fields);
            }
        }
    }
    let mut parts: HashMap<String, JsValue> = HashMap::new();
    for k in js_sys::Object::keys(parts_js.unchecked_ref::<js_sys::Object>()).iter() {
        if let Some(k) = k.as_string() {
            let v = field(&parts_js, &k);
            parts.insert(k, v);
        }
    }
    // only the small parts now; sections are parsed in their render steps
    let mut report = serde_json::Map::new();
    for k in ["summary", "parameters"] {
        if let Some(text) = parts.remove(k).and_then(|t| t.as_string()) {
            report.insert(k.to_string(), serde_json::from_str(&text).unwrap_or(Value::Null));
        }
    }
    let report = Value::Object(report);
    let facets: Value =
        serde_json::from_str(&field(d, "facets").as_string().unwrap_or_default()).unwrap_or(Value::Null);
    let inputs: Value =
        serde_json::from_str(&field(d, "inputs").as_string().unwrap_or_default()).unwrap_or(Value::Null);
    let n_inputs = inputs.as_array().map_or(0, Vec::len);
    // parsed in its own render step
    let sessions = field(d, "sessions").as_string().unwrap_or_default();
    with(|a| {
        a.sessions = sessions;
        a.report = Rc::new(report);
        a.long = Rc::default();
        a.report_parts = parts;
        a.report_big = big;
        a.facets = facets;
        a.input_states = inputs;
        a.busy = busy;
    });
    if let Some(p) = by_id("progress") {
        show(&p, busy);
    }
    set_exports_enabled(n_inputs > 0);
    if n_inputs == 0 && !busy {
        show_empty();
        if with(|a| a.last_error.is_some()) {
            set_state("error");
        }
        return;
    }
    show_dashboard();
    render_files();
    render_facets();
    render_report();
}

// ---------------------------------------------------------------------------------------------
// rendering

fn show_empty() {
    if let Some(e) = by_id("empty-state") {
        show(&e, true);
    }
    if let Some(d) = by_id("dashboard") {
        show(&d, false);
    }
    if let Some(p) = by_id("progress") {
        show(&p, false);
    }
    set_exports_enabled(false);
    set_state(if with(|a| a.last_error.is_some()) { "error" } else { "empty" });
}

fn set_exports_enabled(on: bool) {
    for id in ["export-json", "export-html"] {
        if let Some(b) = by_id(id) {
            b.unchecked_ref::<web_sys::HtmlButtonElement>().set_disabled(!on);
        }
    }
}

fn show_dashboard() {
    if let Some(e) = by_id("empty-state") {
        show(&e, false);
    }
    if let Some(d) = by_id("dashboard") {
        show(&d, true);
    }
}

fn render_files() {
    let Some(list) = by_id("files") else { return };
    clear(&list);
    let inputs = with(|a| a.input_states.clone());
    if let Some(summary) = by_id("files-summary") {
        let all: Vec<&Value> = inputs.as_array().into_iter().flatten().collect();
        let bytes: f64 = all.iter().filter_map(|i| i["size"].as_f64()).sum();
        let failed = all.iter().filter(|i| !i["error"].is_null()).count();
        let text = format!(
            "{} file{} · {}{}",
            all.len(),
            if all.len() == 1 { "" } else { "s" },
            format::bytes(bytes),
            if failed > 0 { format!(" · {failed} with problems") } else { String::new() }
        );
        summary.set_text_content(Some(&text));
    }
    for input in inputs.as_array().into_iter().flatten() {
        let li = el("li", "file");
        let head = el("div", "file-head");
        let name = input["name"].as_str().unwrap_or("");
        let n = el_text("span", "file-name", name);
        attr(&n, "title", name);
        append(&head, &n);
        let rm = button("×", "icon-btn", "remove-input");
        attr(&rm, "data-id", &input["id"].to_string());
        attr(&rm, "aria-label", &format!("Remove {name}"));
        attr(&rm, "title", "Remove this file");
        append(&head, &rm);
        append(&li, &head);
        let state = input["state"].as_str().unwrap_or("");
        let mut lines = 0u64;
        let mut skipped = 0u64;
        let mut kinds: Vec<String> = vec![];
        for src in input["source_info"].as_array().into_iter().flatten() {
            {
                lines += src["lines"].as_u64().unwrap_or(0);
                skipped += src["skipped"].as_u64().unwrap_or(0);
                let k = src["container"].as_str().unwrap_or("").to_string();
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        let meta = format!(
            "{} · {} · {} lines · {} skipped{}",
            if kinds.is_empty() { "—".to_string() } else { kinds.join("+") },
            format::bytes(input["size"].as_f64().unwrap_or(0.0)),
            format::grouped(lines as f64, 0),
            format::grouped(skipped as f64, 0),
            if state == "done" { String::new() } else { format!(" · {state}") }
        );
        append(&li, &el_text("div", "file-meta", &meta));
        if let Some(err) = input["error"].as_str() {
            append(&li, &el_text("div", "file-error", err));
            li.class_list().add_1("has-error").ok();
        }
        if let Some(mib) = input["memory_to_read_all_mib"].as_f64() {
            let more = button(&format!("Read all of it ({mib:.0} MiB of memory)"), "ghost small", "read-all");
            attr(&more, "data-mib", &mib.to_string());
            attr(&more, "title", "Read the files again with the memory this one takes");
            append(&li, &more);
        }
        append(&list, &li);
    }
    // files left out when a stuck worker was restarted
    for (name, size, state, why) in with(|a| a.lost.clone()) {
        let li = el("li", "file has-error");
        let head = el("div", "file-head");
        append(&head, &el_text("span", "file-name", &name));
        append(&li, &head);
        append(&li, &el_text("div", "file-meta", &format!("{} · {state}", format::bytes(size))));
        append(&li, &el_text("div", "file-error", &why));
        append(&list, &li);
    }
    // files chosen but not yet reported by the worker
    let known: Vec<u64> = inputs.as_array().into_iter().flatten().filter_map(|i| i["id"].as_u64()).collect();
    let waiting: Vec<(u32, String, f64)> = with(|a| {
        a.inputs
            .iter()
            .filter(|i| !known.contains(&(i.id as u64)))
            .map(|i| (i.id, i.name.clone(), i.file.size()))
            .collect()
    });
    for (_, name, size) in waiting {
        let li = el("li", "file waiting");
        let head = el("div", "file-head");
        append(&head, &el_text("span", "file-name", &name));
        append(&li, &head);
        append(&li, &el_text("div", "file-meta", &format!("{} · reading…", format::bytes(size))));
        append(&list, &li);
    }
}

fn selected(id: &str) -> Vec<String> {
    let Some(sel) = by_id(id) else { return vec![] };
    let sel: HtmlSelectElement = sel.unchecked_into();
    let opts = sel.selected_options();
    (0..opts.length()).filter_map(|i| opts.item(i)).filter_map(|o| o.get_attribute("value")).collect()
}

fn render_facets() {
    let facets = with(|a| a.facets.clone());
    for (id, key, chosen) in [
        ("filter-executors", "executors", with(|a| a.filters.executors.clone())),
        ("filter-models", "models", with(|a| a.filters.models.clone())),
    ] {
        let Some(sel) = by_id(id) else { continue };
        let values: Vec<String> =
            facets[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
        let current: Vec<String> = (0..sel.children().length())
            .filter_map(|i| sel.children().item(i))
            .filter_map(|o| o.get_attribute("value"))
            .collect();
        if current == values {
            continue;
        }
        clear(&sel);
        for v in &values {
            let o = el_text("option", "", v);
            attr(&o, "value", v);
            if chosen.iter().any(|c| c.eq_ignore_ascii_case(v)) {
                attr(&o, "selected", "");
            }
            append(&sel, &o);
        }
        attr(&sel, "size", &values.len().clamp(2, 6).to_string());
    }
    if let Some(hint) = by_id("time-hint") {
        let f = |k: &str| facets[k].as_i64().map(crate::model::time::format_iso_ms).unwrap_or_default();
        if facets["first_ms"].is_i64() {
            hint.set_text_content(Some(&format!(
                "Data spans {} → {} UTC",
                short_time(&f("first_ms")),
                short_time(&f("last_ms"))
            )));
        }
    }
}

/// `2026-02-09 14:00` from an ISO timestamp.
fn short_time(iso: &str) -> String {
    iso.get(..16).unwrap_or(iso).replace('T', " ")
}

fn card(grid: &Element, label: &str, value: &str, sub: &str) {
    card_class(grid, "card", label, value, sub);
}

/// The cost card's second line: how many sessions the figure counts and the estimated cost of
/// those that record none — left out, or included when the parameters include it.
fn cost_note(s: &Value, included: bool) -> String {
    let n = |k: &str| s[k].as_u64().unwrap_or(0);
    let sessions = |k: u64| if k == 1 { "1 session".to_string() } else { format!("{k} sessions") };
    let est = s["estimated_cost_usd"].as_f64().filter(|_| n("estimated_cost_n") > 0);
    match (est, included) {
        (None, _) => format!("recorded, {}", sessions(n("cost_n"))),
        (Some(e), false) => format!(
            "recorded, {} · {} estimated ({}), not included",
            sessions(n("cost_n")),
            format::usd(e),
            sessions(n("estimated_cost_n"))
        ),
        (Some(e), true) => format!(
            "{} · includes {} estimated ({})",
            sessions(n("cost_n")),
            format::usd(e),
            sessions(n("estimated_cost_n"))
        ),
    }
}

/// A card with an id (for scripts).
fn card_id(grid: &Element, id: &str, label: &str, value: &str, sub: &str) {
    card(grid, label, value, sub);
    if let Some(c) = grid.last_element_child() {
        attr(&c, "id", id);
    }
}

fn card_class(grid: &Element, class: &str, label: &str, value: &str, sub: &str) {
    let c = el("div", class);
    append(&c, &el_text("div", "card-label", label));
    append(&c, &el_text("div", "card-value", value));
    if !sub.is_empty() {
        append(&c, &el_text("div", "card-sub", sub));
    }
    append(grid, &c);
}

/// Renders the report in steps, one macrotask each (overview first), so that no step holds the
/// main thread long; `data-state` becomes `ready` after the last step has drawn every figure.
fn render_report() {
    let report = with(|a| a.report.clone());
    let Some(content) = by_id("content") else { return };
    let generation = with(|a| {
        a.render_gen = a.render_gen.wrapping_add(1);
        a.tables.clear();
        a.hits.clear();
        a.empty_sections.clear();
        a.render_gen
    });
    clear(&content);
    render_overview(&content, &report);
    render_brush_section(&content);
    draw_brush();
    drop(report);
    let mut steps: Vec<Step> = vec![];
    for name in SECTIONS {
        steps.push(Step::new(move |_| {
            report_part(name);
            // long arrays stay JSON Lines text (indexed by line, not parsed); render next
            let big = with(|a| a.report_big.remove(name)).unwrap_or_default();
            let lines: Vec<(String, JsonLines)> = big
                .into_iter()
                .map(|(f, text)| (format!("{name}.{f}"), JsonLines::new(text.as_string().unwrap_or_default())))
                .collect();
            with(|a| Rc::make_mut(&mut a.long).extend(lines));
            Some(Step::new(move |c| {
                let (report, long) = with(|a| (a.report.clone(), a.long.clone()));
                if section_is_empty(name, &report, &long) {
                    with(|a| a.empty_sections.push(name));
                } else {
                    render_section(c, name, ReportSource { value: &report, long: Some(&long) });
                }
                None
            }))
        }));
    }
    steps.push(Step::new(move |content| {
        let pending = with(|a| a.empty_sections.clone());
        if !pending.is_empty() {
            let note = el("section", "section pending");
            attr(&note, "id", "section-pending");
            append(&note, &el_text("h2", "", "Not shown"));
            let names: Vec<String> = pending.iter().map(|n| format::title(n)).collect();
            append(
                &note,
                &el_text("p", "muted", &format!("No figures for the current data and filters: {}.", names.join(", "))),
            );
            append(content, &note);
        }
        None
    }));
    steps.push(Step::new(|c| {
        render_sessions_section(c);
        None
    }));
    steps.push(Step::new(|c| {
        let report = report_part("diagnostics");
        render_diagnostics(c, &report);
        None
    }));
    steps.reverse();
    run_steps(generation, steps);
}

/// The report with `key` parsed (from its JSON text, the first time it is asked for).
fn report_part(key: &str) -> Rc<Value> {
    with(|a| {
        if let Some(text) = a.report_parts.remove(key).and_then(|t| t.as_string()) {
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if let Value::Object(m) = Rc::make_mut(&mut a.report) {
                m.insert(key.to_string(), v);
            }
        }
        a.report.clone()
    })
}

/// One render step; it may hand back a continuation that runs next, in its own macrotask.
struct Step(StepFn);
type StepFn = Box<dyn FnOnce(&Element) -> Option<Step>>;

impl Step {
    fn new(f: impl FnOnce(&Element) -> Option<Step> + 'static) -> Step {
        Step(Box::new(f))
    }
}

fn run_steps(generation: u32, mut steps: Vec<Step>) {
    if with(|a| a.render_gen) != generation {
        return;
    }
    let Some(content) = by_id("content") else { return };
    if let Some(step) = steps.pop() {
        let perf = web_sys::window().and_then(|w| w.performance());
        if let Some(p) = &perf {
            let _ = p.mark("spyglass-step-start");
        }
        if let Some(next) = (step.0)(&content) {
            steps.push(next);
        }
        if let Some(p) = &perf {
            let _ = p.measure_with_start_mark(&format!("spyglass-step-{}", steps.len()), "spyglass-step-start");
        }
    }
    if steps.is_empty() {
        // charts are drawn once the layout knows their size
        let perf = web_sys::window().and_then(|w| w.performance());
        if let Some(p) = &perf {
            let _ = p.mark("spyglass-draw-start");
        }
        with(|a| a.drawn_width = content.client_width() as f64);
        if let Some(p) = &perf {
            let _ = p.measure_with_start_mark("spyglass-draw", "spyglass-draw-start");
        }
        if with(|a| !a.busy) {
            set_state("ready");
        }
    } else {
        later(0, move || run_steps(generation, steps));
    }
}

fn render_overview(content: &Element, report: &Value) {
    let s = &report["summary"];
    let grid = el("div", "cards");
    attr(&grid, "id", "overview");
    let n = |k: &str| format::cell("", &s[k]);
    let rate = |k: &str, nk: &str| match s[k].as_f64() {
        Some(r) => (format!("{:.1} %", r * 100.0), format!("n = {}", n(nk))),
        None => ("—".into(), "no known outcome".into()),
    };
    card(&grid, "Files", &n("files"), &format!("{} lines", n("lines")));
    let range = match (s["first_timestamp"].as_str(), s["last_timestamp"].as_str()) {
        (Some(a), Some(b)) => (
            format!("{} → {}", a.get(..10).unwrap_or(a), b.get(..10).unwrap_or(b)),
            format!("{} → {}", short_time(a), short_time(b)),
        ),
        _ => ("—".into(), "no timestamps".into()),
    };
    card_class(&grid, "card wide", "Time range (UTC)", &range.0, &range.1);
    card(&grid, "Sessions", &n("sessions"), &format!("{} events", n("events")));
    card(&grid, "Tasks", &n("tasks"), "");
    let (v, sub) = rate("success_rate", "success_n");
    card(&grid, "Success rate", &v, &sub);
    let (v, sub) = rate("first_shot_rate", "first_shot_n");
    card(&grid, "First-shot rate", &v, &sub);
    card_id(
        &grid,
        "card-cost",
        "Cost",
        &format::cell("total_cost_usd", &s["total_cost_usd"]),
        &cost_note(s, report["parameters"]["include_estimated_cost"].as_bool().unwrap_or(false)),
    );
    let tokens_sub = match (s["input_tokens"].as_u64(), s["output_tokens"].as_u64()) {
        (Some(i), Some(o)) => format!("{} in · {} out", format::cell("", &i.into()), format::cell("", &o.into())),
        _ => String::new(),
    };
    card(&grid, "Tokens", &n("total_tokens"), &tokens_sub);
    card(&grid, "Errors", &n("error_events"), "error events");
    card(&grid, "Alerts", &n("alerts"), "");
    card(&grid, "Skipped lines", &n("skipped_lines"), &format!("{} duplicates", n("duplicate_lines")));
    append(content, &grid);
}

/// A section with nothing to show: every table empty, no scalar value.
fn section_is_empty(name: &str, report: &Value, long: &LongArrays) -> bool {
    match report.get(name).and_then(Value::as_object) {
        Some(o) => o.iter().all(|(k, x)| match x {
            Value::Array(a) => a.is_empty() && long.get(&format!("{name}.{k}")).is_none_or(JsonLines::is_empty),
            Value::Null => true,
            _ => false,
        }),
        None => true,
    }
}

/// One pipeline's section: its chart (when it has one) beside a table per array of rows.
fn render_section(content: &Element, name: &'static str, src: ReportSource<'_>) {
    let Some(section) = src.value.get(name) else { return };
    let sec = el("section", "section");
    attr(&sec, "id", &format!("section-{name}"));
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", &format::title(name)));
    append(&sec, &head);
    let body = el("div", "section-body");
    let infos = charts::section_charts(name, src);
    if !infos.is_empty() {
        let col = el("div", "charts");
        for info in &infos {
            append(&col, &chart_frame(name, info));
        }
        append(&body, &col);
    }
    let tables = el("div", "section-tables");
    let mut any = false;
    let mut scalars: Vec<(String, Value)> = vec![];
    if let Some(obj) = section.as_object() {
        // the main table (`rows`) first; other fields in the report's order
        let mut entries: Vec<(&String, &Value)> = obj.iter().collect();
        entries.sort_by_key(|(k, _)| *k != "rows");
        let several =
            entries.iter().filter(|(_, v)| matches!(v, Value::Array(r) if r.iter().all(Value::is_object))).count() > 1;
        for (k, v) in entries {
            match v {
                Value::Array(rows) if rows.iter().all(Value::is_object) => {
                    any = true;
                    let id = format!("{name}.{k}");
                    let label = if k != "rows" {
                        format::title(k)
                    } else if several {
                        "All rows".to_string()
                    } else {
                        String::new()
                    };
                    append(&tables, &table_block_of(&id, &label, Rows::InReport(name, k.clone())));
                }
                _ => scalars.push((k.clone(), v.clone())),
            }
        }
    }
    if !scalars.is_empty() {
        let dl = el("dl", "kv");
        for (k, v) in scalars {
            append(&dl, &el_text("dt", "", &format::title(&k)));
            append(&dl, &el_text("dd", "", &format::cell(&k, &v)));
        }
        append(&tables, &dl);
    }
    if !any {
        append(&tables, &el_text("p", "muted", "No figures for this section yet."));
    }
    append(&body, &tables);
    append(&sec, &body);
    append(content, &sec);
    draw_charts_in(&sec, src);
}

fn chart_frame(section: &str, info: &charts::ChartInfo) -> HtmlElement {
    let frame = el("figure", "chart");
    let canvas = el("canvas", "section-chart");
    attr(&canvas, "id", &format!("chart-{}", info.id));
    attr(&canvas, "data-section", section);
    attr(&canvas, "data-chart", &info.id);
    attr(&canvas, "role", "img");
    attr(
        &canvas,
        "aria-label",
        &format!("{}. {} The table beside it holds the same figures.", info.title, info.summary),
    );
    let _ = canvas.style().set_property("height", &format!("{}px", info.height_px));
    append(&frame, &canvas);
    let caption = el("figcaption", "");
    let png = button("PNG", "ghost small", "png");
    attr(&png, "data-chart", &info.id);
    attr(&png, "title", "Download this chart as PNG");
    append(&caption, &png);
    append(&frame, &caption);
    frame
}

/// Draws every chart canvas at its CSS size × devicePixelRatio (on resize and theme change).
fn draw_charts() {
    draw_brush();
    let (report, long) = with(|a| (a.report.clone(), a.long.clone()));
    draw_charts_in(&document().document_element().expect("html"), ReportSource { value: &report, long: Some(&long) });
}

/// Draws the chart canvases under `root`.
fn draw_charts_in(root: &Element, src: ReportSource<'_>) {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let dark = dark_theme();
    let Ok(list) = root.query_selector_all("canvas.section-chart") else { return };
    for i in 0..list.length() {
        let Some(canvas) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlCanvasElement>().ok()) else { continue };
        let (Some(section), Some(id)) = (canvas.get_attribute("data-section"), canvas.get_attribute("data-chart"))
        else {
            continue;
        };
        let (w, h) = charts::fit_backing_store(&canvas, dpr);
        let Some(backend) = plotters_canvas::CanvasBackend::with_canvas_object(canvas) else { continue };
        if let Some(hits) = charts::draw_section_chart(&section, src, &id, backend, w as u32, h as u32, dark) {
            with(|a| a.hits.insert(id, hits));
        }
    }
}

/// The columns of a table: the rows' fields in their order in the report (serde_json keeps it).
fn columns_of(rows: RowsRef<'_>) -> Vec<String> {
    let mut cols: Vec<String> = vec![];
    for r in (0..rows.len().min(200)).filter_map(|i| rows.get(i)) {
        if let Some(o) = r.as_object() {
            for k in o.keys() {
                if !cols.contains(k) {
                    cols.push(k.clone());
                }
            }
        }
    }
    cols
}

/// A table of report rows (JSON objects) as the page shows it: a bar with the label, the row count
/// and a CSV button, then a holder `#tbl-{id}` with the first 100 rows (every cell a text
/// node, formatted by [`format::cell`]) and a "Show more" button. Registers the rows under `id` for
/// sorting, paging and CSV. Public for the browser tests (tests/web_glue.rs).
pub fn table_block(id: &str, label: &str, rows: Vec<Value>, _section: &str) -> HtmlElement {
    table_block_of(id, label, Rows::Own(rows))
}

fn table_block_of(id: &str, label: &str, rows: Rows) -> HtmlElement {
    let (n, columns) = with(|a| {
        let r = rows_of(&rows, &a.report, &a.long);
        (r.len(), columns_of(r))
    });
    let wrap = el("div", "table-block");
    let bar = el("div", "table-bar");
    append(&bar, &el_text("h3", "", label));
    if n > 0 {
        append(
            &bar,
            &el_text(
                "span",
                "muted small",
                &format!("{} {}", format::grouped(n as f64, 0), if n == 1 { "row" } else { "rows" }),
            ),
        );
        let csv = button("CSV", "ghost small", "csv");
        attr(&csv, "data-table", id);
        attr(&csv, "title", "Download this table as CSV");
        append(&bar, &csv);
    }
    append(&wrap, &bar);
    let holder = el("div", "table-holder");
    attr(&holder, "id", &format!("tbl-{id}"));
    append(&wrap, &holder);
    let order = (0..n as u32).collect();
    with(|a| a.tables.insert(id.to_string(), Table { columns, rows, order, sort: None, shown: PAGE_ROWS }));
    fill_table(id, &holder);
    wrap
}

/// Is a row one attempt (clicking opens its timeline)?
fn attempt_of(row: &Value) -> Option<String> {
    row.get("attempt_id").or_else(|| row.get("attempt")).and_then(Value::as_str).map(String::from)
}

fn fill_table(id: &str, holder: &Element) {
    clear(holder);
    let page = with(|a| {
        let report = &a.report;
        a.tables.get(id).map(|t| {
            let rows = rows_of(&t.rows, report, &a.long);
            let shown: Vec<Value> =
                t.order.iter().take(t.shown).filter_map(|&i| rows.get(i as usize).map(Cow::into_owned)).collect();
            (t.columns.clone(), shown, t.order.len(), t.sort.clone(), t.shown)
        })
    });
    let (columns, rows, total, sort, shown) = match page {
        Some(x) => x,
        None => return,
    };
    if rows.is_empty() {
        append(holder, &el_text("p", "muted empty-rows", "None."));
        return;
    }
    let table = el("table", "data");
    let thead = el("thead", "");
    let tr = el("tr", "");
    for c in &columns {
        let th = el("th", "");
        let b = button(&format::title(c), "sort", "sort");
        attr(&b, "data-table", id);
        attr(&b, "data-key", c);
        let arrow = match &sort {
            Some((k, asc)) if k == c => {
                attr(&th, "aria-sort", if *asc { "ascending" } else { "descending" });
                if *asc {
                    " ▲"
                } else {
                    " ▼"
                }
            }
            _ => "",
        };
        text(&b, arrow);
        append(&th, &b);
        append(&tr, &th);
    }
    append(&thead, &tr);
    append(&table, &thead);
    let tbody = el("tbody", "");
    for (i, row) in rows.iter().enumerate().take(shown) {
        let tr = el("tr", "");
        if attempt_of(row).is_some() {
            tr.class_list().add_1("clickable").ok();
            attr(&tr, "data-action", "row");
            attr(&tr, "data-table", id);
            attr(&tr, "data-row", &i.to_string());
            attr(&tr, "tabindex", "0");
            attr(&tr, "title", "Open this attempt's timeline");
        }
        for c in &columns {
            let v = row.get(c).unwrap_or(&Value::Null);
            let td = el_text("td", if v.is_number() { "num" } else { "" }, &format::cell(c, v));
            append(&tr, &td);
        }
        append(&tbody, &tr);
    }
    append(&table, &tbody);
    let scroll = el("div", "table-scroll");
    append(&scroll, &table);
    append(holder, &scroll);
    if total > shown {
        let more = button(
            &format!("Show more ({} of {})", format::grouped(shown as f64, 0), format::grouped(total as f64, 0)),
            "ghost small more",
            "more",
        );
        attr(&more, "data-table", id);
        append(holder, &more);
    }
}

fn sort_table(id: &str, key: &str) {
    with(|a| {
        let report = &a.report;
        if let Some(t) = a.tables.get_mut(id) {
            let asc = match &t.sort {
                Some((k, asc)) if k == key => !asc,
                _ => true,
            };
            let rows = rows_of(&t.rows, report, &a.long);
            // the column once (a long array's rows are parsed once, not per comparison)
            let column: Vec<Value> =
                (0..rows.len()).map(|i| rows.get(i).and_then(|r| r.get(key).cloned()).unwrap_or(Value::Null)).collect();
            let cell = |i: u32| column.get(i as usize).unwrap_or(&Value::Null);
            // stable: rows equal in this column keep the previous order
            t.order.sort_by(|&x, &y| {
                let (x, y) = (cell(x), cell(y));
                let o = format::compare(x, y);
                if asc || x.is_null() || y.is_null() {
                    o
                } else {
                    o.reverse()
                }
            });
            t.sort = Some((key.to_string(), asc));
        }
    });
    if let Some(h) = by_id(&format!("tbl-{id}")) {
        fill_table(id, &h);
    }
}

/// The sessions of the current view (sent beside the report, not part of it): the drill-down's
/// way in, whatever the pipelines list.
fn render_sessions_section(content: &Element) {
    let sessions: Value = with(|a| serde_json::from_str(&a.sessions).unwrap_or(Value::Null));
    let rows = sessions["rows"].as_array().cloned().unwrap_or_default();
    let total = sessions["total"].as_u64().unwrap_or(0);
    let sec = el("section", "section");
    attr(&sec, "id", "section-sessions");
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", "Sessions"));
    append(&head, &el_text("span", "muted small", "click a row for its timeline"));
    append(&sec, &head);
    let label = if total as usize > rows.len() {
        format!("first {} of {}", rows.len(), format::grouped(total as f64, 0))
    } else {
        String::new()
    };
    append(&sec, &table_block("sessions", &label, rows, "sessions"));
    append(content, &sec);
}

fn render_diagnostics(content: &Element, report: &Value) {
    let d = &report["diagnostics"];
    let sec = el("section", "section diagnostics");
    attr(&sec, "id", "section-diagnostics");
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", "Diagnostics"));
    append(&sec, &head);
    let grid = el("div", "cards small-cards");
    let n = |k: &str| format::cell("", &d[k]);
    card(&grid, "Skipped lines", &n("skipped_lines_total"), "");
    card(&grid, "Duplicate lines", &n("duplicate_lines"), "");
    // all counted; the list holds the first 10 000
    card(&grid, "Superseded rows", &n("superseded_rows_total"), "");
    card(&grid, "Events without attempt", &n("events_without_attempt"), "");
    append(&sec, &grid);
    let mut skipped: Vec<Value> = d["skipped_lines"].as_array().cloned().unwrap_or_default();
    let total = d["skipped_lines_total"].as_u64().unwrap_or(0);
    skipped.truncate(300);
    let label = if total as usize > skipped.len() {
        format!("Skipped lines (first {} of {})", skipped.len(), format::grouped(total as f64, 0))
    } else {
        "Skipped lines".to_string()
    };
    append(&sec, &table_block("diagnostics.skipped_lines", &label, skipped, "diagnostics"));
    let warnings: Vec<Value> = d["field_warnings"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| serde_json::json!({"field": k, "count": v})).collect())
        .unwrap_or_default();
    append(&sec, &table_block("diagnostics.field_warnings", "Field warnings", warnings, "diagnostics"));
    append(
        &sec,
        &table_block(
            "diagnostics.superseded_rows",
            "Superseded metrics rows",
            d["superseded_rows"].as_array().cloned().unwrap_or_default(),
            "diagnostics",
        ),
    );
    append(
        &sec,
        &table_block(
            "diagnostics.sources",
            "Sources",
            d["sources"].as_array().cloned().unwrap_or_default(),
            "diagnostics",
        ),
    );
    append(content, &sec);
}

// ---------------------------------------------------------------------------------------------
// the timeline brush: sessions started per day over all the data; dragging sets the time filter

const DAY_MS: i64 = 86_400_000;
const BRUSH_LEFT: f64 = 8.0;
const BRUSH_RIGHT: f64 = 8.0;
const BRUSH_BOTTOM: f64 = 18.0;

fn render_brush_section(content: &Element) {
    let days = with(|a| a.facets["daily"].as_array().map_or(0, Vec::len));
    if days == 0 {
        return;
    }
    let sec = el("section", "section brush-section");
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", "Sessions per day"));
    append(&head, &el_text("span", "muted small", "drag to filter the time range · double-click to clear"));
    append(&sec, &head);
    let frame = el("figure", "chart brush");
    let canvas = el("canvas", "");
    attr(&canvas, "id", "chart-brush");
    attr(&canvas, "role", "img");
    let total: u64 = with(|a| a.facets["daily"].as_array().into_iter().flatten().filter_map(|d| d[1].as_u64()).sum());
    attr(&canvas, "aria-label", &format!("Bar chart of sessions started per UTC day: {total} sessions over {days} days with sessions; the Sessions table lists them"));
    append(&frame, &canvas);
    let png = button("PNG", "ghost small", "png");
    attr(&png, "data-chart", "brush");
    append(&frame, &png);
    append(&sec, &frame);
    // the chart's table twin
    let twin = el("details", "twin");
    append(&twin, &el_text("summary", "muted small", "Show as a table"));
    let rows: Vec<Value> = daily_counts()
        .into_iter()
        .map(|(d, n)| serde_json::json!({"day": &crate::model::time::format_iso_ms(d)[..10], "sessions": n}))
        .collect();
    append(&twin, &table_block("brush.daily", "", rows, "brush"));
    append(&sec, &twin);
    append(content, &sec);
}

fn dark_theme() -> bool {
    let root = document().document_element().expect("html");
    match root.get_attribute("data-theme").as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
}

/// The brush's day range and geometry: (first day ms, number of days, bar width) for a width.
fn brush_geometry(daily: &[(i64, u64)], css_w: f64) -> (i64, i64, f64) {
    let first = daily.first().map_or(0, |d| d.0);
    let last = daily.last().map_or(0, |d| d.0);
    let n = ((last - first) / DAY_MS + 1).max(1);
    (first, n, (css_w - BRUSH_LEFT - BRUSH_RIGHT) / n as f64)
}

fn daily_counts() -> Vec<(i64, u64)> {
    with(|a| {
        a.facets["daily"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| Some((d[0].as_i64()?, d[1].as_u64()?)))
            .collect()
    })
}

fn draw_brush() {
    let Some(c) = by_id("chart-brush") else { return };
    let canvas: web_sys::HtmlCanvasElement = c.unchecked_into();
    let daily = daily_counts();
    let rect = canvas.get_bounding_client_rect();
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    canvas.set_width((w * dpr).round() as u32);
    canvas.set_height((h * dpr).round() as u32);
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, w, h);
    let dark = dark_theme();
    let (bar, bar_out, text_c, sel) = if dark {
        ("#5b94f5", "#34435e", "#8c98a8", "rgba(91,148,245,0.16)")
    } else {
        ("#2f6fde", "#b9cdf3", "#5f6b7a", "rgba(47,111,222,0.12)")
    };
    let (first, n, bw) = brush_geometry(&daily, w);
    let max = daily.iter().map(|d| d.1).max().unwrap_or(1).max(1) as f64;
    let plot_h = h - BRUSH_BOTTOM - 4.0;
    // selection: a drag in progress, else the time filter
    let (drag, filters) = with(|a| (a.brush_drag, a.filters.clone()));
    let x_of = |ms: i64| BRUSH_LEFT + (ms - first) as f64 / DAY_MS as f64 * bw;
    let selection = match drag {
        Some((a, b)) => Some((a.min(b), a.max(b))),
        None if filters.since_ms.is_some() || filters.until_ms.is_some() => Some((
            x_of(filters.since_ms.unwrap_or(first)).max(BRUSH_LEFT),
            x_of(filters.until_ms.unwrap_or(first + n * DAY_MS)).min(w - BRUSH_RIGHT),
        )),
        None => None,
    };
    let mut hits = vec![];
    for (day, count) in &daily {
        let i = (day - first) / DAY_MS;
        let x = BRUSH_LEFT + i as f64 * bw;
        let bh = (*count as f64 / max * plot_h).max(1.0);
        let inside = selection.is_none_or(|(a, b)| x + bw / 2.0 >= a && x + bw / 2.0 <= b);
        ctx.set_fill_style_str(if inside { bar } else { bar_out });
        let gap = if bw > 12.0 {
            (bw * 0.2).min(24.0)
        } else if bw > 4.0 {
            1.0
        } else {
            0.0
        };
        ctx.fill_rect(x + gap / 2.0, 4.0 + plot_h - bh, (bw - gap).max(0.5), bh);
        let label = format!(
            "{}: {} session{}",
            &crate::model::time::format_iso_ms(*day)[..10],
            count,
            if *count == 1 { "" } else { "s" }
        );
        hits.push(charts::HitRegion { x, y: 0.0, w: bw, h: plot_h + 4.0, label });
    }
    if let Some((a, b)) = selection {
        ctx.set_fill_style_str(sel);
        ctx.fill_rect(a, 0.0, (b - a).max(1.0), plot_h + 4.0);
    }
    ctx.set_fill_style_str(text_c);
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_baseline("bottom");
    let day_text = |ms: i64| crate::model::time::format_iso_ms(ms)[..10].to_string();
    ctx.set_text_align("center");
    let peak = format!("peak {} sessions/day", max as u64);
    let _ = ctx.fill_text(&peak, w / 2.0, h);
    ctx.set_text_align("left");
    let _ = ctx.fill_text(&day_text(first), BRUSH_LEFT, h);
    if n > 1 {
        ctx.set_text_align("right");
        let _ = ctx.fill_text(&day_text(first + (n - 1) * DAY_MS), w - BRUSH_RIGHT, h);
    }
    with(|a| a.hits.insert("brush".into(), hits));
}

/// `YYYY-MM-DDTHH:MM` for a datetime-local input (UTC).
fn local_input_value(ms: i64) -> String {
    crate::model::time::format_iso_ms(ms)[..16].to_string()
}

fn brush_commit(a: f64, b: f64) {
    let Some(c) = by_id("chart-brush") else { return };
    let w = c.get_bounding_client_rect().width();
    let daily = daily_counts();
    let (first, n, bw) = brush_geometry(&daily, w);
    let (lo, hi) = (a.min(b), a.max(b));
    let day_at = |x: f64| (((x - BRUSH_LEFT) / bw).floor() as i64).clamp(0, n - 1);
    let (d0, d1) = if hi - lo < 3.0 { (day_at(lo), day_at(lo)) } else { (day_at(lo), day_at(hi)) };
    let since = first + d0 * DAY_MS;
    let until = first + (d1 + 1) * DAY_MS;
    for (id, ms) in [("filter-since", since), ("filter-until", until)] {
        if let Some(i) = by_id(id) {
            i.unchecked_into::<HtmlInputElement>().set_value(&local_input_value(ms));
        }
    }
    recompute();
}

// ---------------------------------------------------------------------------------------------
// filters and parameters

fn read_filters() -> Filters {
    let value = |id: &str| by_id(id).map(|e| e.unchecked_into::<HtmlInputElement>().value()).unwrap_or_default();
    let time = |id: &str| {
        let v = value(id);
        if v.is_empty() {
            None
        } else {
            let full = if v.len() == 16 { format!("{v}:00Z") } else { format!("{v}Z") };
            crate::model::time::parse_timestamp(&full)
        }
    };
    let task = value("filter-task");
    Filters {
        since_ms: time("filter-since"),
        until_ms: time("filter-until"),
        executors: selected("filter-executors"),
        models: selected("filter-models"),
        task: if task.trim().is_empty() { None } else { Some(task) },
    }
}

fn recompute() {
    let filters = read_filters();
    let params = with(|a| {
        a.filters = filters.clone();
        a.params.clone()
    });
    let m = message("compute");
    set(&m, "filters", &serde_json::to_string(&filters).unwrap_or_default().into());
    set(&m, "params", &serde_json::to_string(&params).unwrap_or_default().into());
    if with(|a| !a.input_states.as_array().is_none_or(Vec::is_empty)) {
        set_state("loading");
    }
    send(m);
}

/// Parameters shown first; the rest sit under "More thresholds".
const MAIN_PARAMS: [&str; 7] = [
    "w_cost",
    "w_errors",
    "group_by",
    "daily_budget_usd",
    "utc_offset_minutes",
    "include_estimated_cost",
    "infer_categories",
];

/// Parameters that are tables, edited as HTML tables (`#param-<name>`) rather than one input.
const TABLE_PARAMS: [&str; 2] = ["prices", "category_aliases"];

/// Parameters chosen from a list (a select) rather than typed as a number.
const CHOICE_PARAMS: [(&str, &[&str]); 2] =
    [("group_by", &["model", "executor_variant", "executor"]), ("alert_rules", &["current", "legacy"])];

/// The canonical category names of analytics-spec.md (revision 2), offered in the alias table.
const CANONICAL_CATEGORIES: [&str; 19] = [
    "rate_limit",
    "api_error",
    "model_error",
    "auth",
    "api_key",
    "permission_wait",
    "content_policy",
    "context_window",
    "timeout",
    "network",
    "tool_error",
    "build",
    "test",
    "lint",
    "dependency",
    "git",
    "oom",
    "plan_stuck",
    "unknown",
];

/// Text of a parameter's checkbox (the booleans).
fn check_label(key: &str) -> String {
    match key {
        "include_estimated_cost" => "Include estimated cost in the cost figures".into(),
        "infer_categories" => "Infer a category from the message when none is written".into(),
        _ => format::title(key),
    }
}

fn choices_of(key: &str) -> Option<&'static [&'static str]> {
    CHOICE_PARAMS.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
}

fn render_params() {
    let Some(holder) = by_id("params") else { return };
    // an editor the user opened stays open
    let open: Vec<&str> = TABLE_PARAMS
        .iter()
        .copied()
        .filter(|k| by_id(&format!("editor-{k}")).is_some_and(|d| d.has_attribute("open")))
        .collect();
    clear(&holder);
    let params = serde_json::to_value(with(|a| a.params.clone())).unwrap_or(Value::Null);
    let Some(obj) = params.as_object() else { return };
    let error = el("p", "param-error");
    attr(&error, "id", "param-error");
    attr(&error, "role", "alert");
    show(&error, false);
    append(&holder, &error);
    let more = el("details", "more-params");
    append(&more, &el_text("summary", "", "More thresholds"));
    let mut keys: Vec<&String> = obj.keys().filter(|k| !TABLE_PARAMS.contains(&k.as_str())).collect();
    keys.sort_by_key(|k| MAIN_PARAMS.iter().position(|m| m == k).unwrap_or(99));
    for k in keys {
        let v = &obj[k];
        let row = el("label", if v.is_boolean() { "field check" } else { "field" });
        let input: HtmlElement = if let Some(b) = v.as_bool() {
            let i = el("input", "");
            attr(&i, "type", "checkbox");
            if b {
                attr(&i, "checked", "");
            }
            i
        } else if let Some(choices) = choices_of(k) {
            let sel = el("select", "");
            for &opt in choices {
                let o = el_text("option", "", &format::title(opt));
                attr(&o, "value", opt);
                if v.as_str() == Some(opt) {
                    attr(&o, "selected", "");
                }
                append(&sel, &o);
            }
            sel
        } else {
            let i = el("input", "");
            attr(&i, "type", "number");
            attr(&i, "step", "any");
            if v.is_null() {
                attr(&i, "placeholder", "none");
            } else {
                attr(&i, "value", &v.to_string());
            }
            i
        };
        attr(&input, "data-param", k);
        attr(&input, "id", &format!("param-{k}"));
        if v.is_boolean() {
            append(&row, &input);
            append(&row, &el_text("span", "", &check_label(k)));
        } else {
            append(&row, &el_text("span", "field-label", &format::label(k)));
            append(&row, &input);
        }
        if MAIN_PARAMS.contains(&k.as_str()) {
            append(&holder, &row);
        } else {
            append(&more, &row);
        }
    }
    for k in TABLE_PARAMS {
        let editor = table_editor(k);
        if open.contains(&k) {
            attr(&editor, "open", "");
        }
        append(&holder, &editor);
    }
    append(&holder, &more);
}

/// Reads a changed scalar parameter; a table's cell goes to [`on_table_change`].
fn on_param_change(target: &Element) {
    if let Some(table) = target.get_attribute("data-table-param") {
        return on_table_change(&table);
    }
    let Some(key) = target.get_attribute("data-param") else { return };
    let mut params = serde_json::to_value(with(|a| a.params.clone())).unwrap_or(Value::Null);
    let value = if params[&key].is_boolean() {
        Value::Bool(js_sys::Reflect::get(target, &"checked".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false))
    } else {
        let raw = js_sys::Reflect::get(target, &"value".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        if choices_of(&key).is_some() {
            Value::String(raw)
        } else if raw.trim().is_empty() {
            Value::Null
        } else {
            match raw.trim().parse::<f64>() {
                Ok(x) if x.fract() == 0.0 && !matches!(params[&key], Value::Number(ref n) if n.is_f64()) => {
                    Value::from(x as i64)
                }
                Ok(x) => Value::from(x),
                Err(_) => {
                    target.class_list().add_1("invalid").ok();
                    return param_error(&format!("{}: not a number: {raw}", format::title(&key)));
                }
            }
        }
    };
    params[&key] = value;
    match Parameters::from_json(&params.to_string()) {
        Ok(p) => {
            target.class_list().remove_1("invalid").ok();
            param_error("");
            with(|a| a.params = p);
            recompute();
        }
        Err(e) => {
            target.class_list().add_1("invalid").ok();
            param_error(&format!("{}: {e}", format::title(&key)));
        }
    }
}

/// Shows (or, given "", hides) a message at the top of the parameters panel.
fn param_error(msg: &str) {
    if let Some(e) = by_id("param-error") {
        e.set_text_content(Some(msg));
        show(&e, !msg.is_empty());
    }
}

// ---- the table parameters: prices and category aliases -----------------------------------------

/// The columns of a table parameter: (key, heading, placeholder).
fn table_columns(table: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    if table == "prices" {
        &[
            ("model", "Model pattern", "gpt-5*"),
            ("input", "Input", "1.25"),
            ("cached_input", "Cached input", "= input"),
            ("cache_write", "Cache write", "= input"),
            ("output", "Output", "10"),
            ("source", "Source", ""),
            ("as_of", "As of", "YYYY-MM-DD"),
        ]
    } else {
        &[("written", "Written", "auth_error"), ("canonical", "Counted as", "auth")]
    }
}

/// The rows of a table parameter in force, as cells.
fn table_rows(table: &str) -> Vec<Vec<String>> {
    use crate::pipelines::param_tables::{alias_cells, price_cells};
    with(|a| {
        if table == "prices" {
            a.params.prices.iter().map(|p| price_cells(p).to_vec()).collect()
        } else {
            alias_cells(&a.params.category_aliases).into_iter().map(|r| r.to_vec()).collect()
        }
    })
}

/// `<details id="editor-NAME">` holding `#param-NAME`: the table (a row per entry, an input per
/// cell with `data-key`), its add / reset buttons and `#param-NAME-error`.
fn table_editor(table: &'static str) -> HtmlElement {
    let details = el("details", "table-editor");
    attr(&details, "id", &format!("editor-{table}"));
    let rows = table_rows(table);
    let summary = el("summary", "");
    let (title, what) = if table == "prices" { ("Price table", "patterns") } else { ("Category aliases", "aliases") };
    append(&summary, &el_text("span", "", title));
    let count = el_text("span", "muted small editor-count", &format!(" · {} {what}", rows.len()));
    append(&summary, &count);
    append(&details, &summary);
    let note = if table == "prices" {
        "USD per million tokens, to estimate sessions that record no cost. The first pattern that matches a model prices it (* matches anything; new rows go first). A blank cached input or cache write costs as input."
    } else {
        "Error categories as written → the name every figure counts them under (compared without case). A name without an alias stays itself."
    };
    append(&details, &el_text("p", "muted small", note));
    let holder = el("div", "param-table");
    attr(&holder, "id", &format!("param-{table}"));
    attr(&holder, "data-param-table", table);
    // above the table, where an edit shows it
    let err = el("p", "param-error");
    attr(&err, "id", &format!("param-{table}-error"));
    attr(&err, "role", "alert");
    show(&err, false);
    append(&holder, &err);
    let scroll = el("div", "edit-scroll");
    let t = el("table", "data edit-table");
    let thead = el("thead", "");
    let tr = el("tr", "");
    append(&tr, &el_text("th", "num", "#"));
    for (_, h, _) in table_columns(table) {
        append(&tr, &el_text("th", "", h));
    }
    append(&tr, &el_text("th", "", ""));
    append(&thead, &tr);
    append(&t, &thead);
    let tbody = el("tbody", "");
    for r in &rows {
        append(&tbody, &table_row(table, r));
    }
    append(&t, &tbody);
    append(&scroll, &t);
    append(&holder, &scroll);
    if table == "category_aliases" {
        let list = el("datalist", "");
        attr(&list, "id", "canonical-categories");
        for c in CANONICAL_CATEGORIES {
            let o = el("option", "");
            attr(&o, "value", c);
            append(&list, &o);
        }
        append(&holder, &list);
    }
    let bar = el("div", "editor-actions");
    let add = button("Add row", "small", "table-add");
    attr(&add, "data-table", table);
    append(&bar, &add);
    let reset = button("Defaults", "ghost small", "table-reset");
    attr(&reset, "data-table", table);
    append(&bar, &reset);
    append(&holder, &bar);
    append(&details, &holder);
    renumber(&tbody);
    details
}

/// One editable row: a cell per column, a delete button.
fn table_row(table: &'static str, cells: &[String]) -> HtmlElement {
    let tr = el("tr", "");
    append(&tr, &el_text("td", "num row-no", ""));
    for (i, (key, heading, placeholder)) in table_columns(table).iter().enumerate() {
        let td = el("td", "");
        let input = el("input", &format!("cell-{key}"));
        attr(&input, "type", "text");
        attr(&input, "data-table-param", table);
        attr(&input, "data-key", key);
        attr(&input, "aria-label", heading);
        attr(&input, "spellcheck", "false");
        attr(&input, "autocomplete", "off");
        if !placeholder.is_empty() {
            attr(&input, "placeholder", placeholder);
        }
        if matches!(*key, "input" | "cached_input" | "cache_write" | "output") {
            attr(&input, "inputmode", "decimal");
        }
        if *key == "canonical" {
            attr(&input, "list", "canonical-categories");
        }
        let v = cells.get(i).map(String::as_str).unwrap_or("");
        attr(&input, "value", v);
        if matches!(*key, "source" | "model") && !v.is_empty() {
            attr(&input, "title", v);
        }
        append(&td, &input);
        append(&tr, &td);
    }
    let td = el("td", "");
    let del = button("×", "icon-btn small", "table-delete");
    attr(&del, "data-table", table);
    attr(&del, "aria-label", "Delete this row");
    attr(&del, "title", "Delete this row");
    append(&td, &del);
    append(&tr, &td);
    tr
}

/// Numbers the rows 1, 2, … (`data-row` and the first cell), as the error messages name them,
/// and updates the count in the editor's summary.
fn renumber(tbody: &Element) {
    let rows = tbody.children();
    for i in 0..rows.length() {
        if let Some(tr) = rows.item(i) {
            attr(&tr, "data-row", &(i + 1).to_string());
            if let Some(td) = tr.first_element_child() {
                td.set_text_content(Some(&(i + 1).to_string()));
            }
        }
    }
    if let Some(count) =
        tbody.closest("details").ok().flatten().and_then(|d| d.query_selector(".editor-count").ok().flatten())
    {
        let what = if tbody.closest("#param-prices").ok().flatten().is_some() { "patterns" } else { "aliases" };
        count.set_text_content(Some(&format!(" · {} {what}", rows.length())));
    }
}

fn table_body(table: &str) -> Option<Element> {
    by_id(&format!("param-{table}")).and_then(|h| h.query_selector("tbody").ok().flatten())
}

/// The table's cells as the DOM holds them now, row by row, in column order.
fn read_table_cells(table: &str) -> Vec<Vec<String>> {
    let Some(tbody) = table_body(table) else { return Vec::new() };
    let cols = table_columns(table);
    let rows = tbody.children();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|tr| {
            cols.iter()
                .map(|(key, _, _)| {
                    tr.query_selector(&format!("input[data-key={key}]"))
                        .ok()
                        .flatten()
                        .map(|i| i.unchecked_into::<HtmlInputElement>().value())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

/// Shows a table's message (or hides it, given "") and marks the bad cell.
fn table_error(table: &str, msg: &str, bad: Option<(usize, &str)>) {
    if let Some(tbody) = table_body(table) {
        if let Ok(cells) = tbody.query_selector_all("input.invalid") {
            for i in 0..cells.length() {
                if let Some(c) = cells.item(i).and_then(|c| c.dyn_into::<Element>().ok()) {
                    c.class_list().remove_1("invalid").ok();
                    c.remove_attribute("aria-invalid").ok();
                }
            }
        }
        if let Some((row, key)) = bad {
            if let Ok(Some(c)) = tbody.query_selector(&format!("tr[data-row=\"{row}\"] input[data-key={key}]")) {
                c.class_list().add_1("invalid").ok();
                attr(&c, "aria-invalid", "true");
            }
        }
    }
    if let Some(e) = by_id(&format!("param-{table}-error")) {
        e.set_text_content(Some(msg));
        show(&e, !msg.is_empty());
    }
    if let Some(h) = by_id(&format!("param-{table}")) {
        if msg.is_empty() {
            h.remove_attribute("data-invalid").ok();
        } else {
            attr(&h, "data-invalid", "true");
        }
    }
}

/// A cell of a table parameter changed (or a row went): the whole table is read again; when it
/// parses it replaces the parameter and every figure is recomputed (the worker's `compute`, no
/// file is read again), else its message names the row and key and the table in force stays.
fn on_table_change(table: &str) {
    use crate::pipelines::param_tables::{aliases_from_cells, prices_from_cells};
    let cells = read_table_cells(table);
    let mut next = with(|a| a.params.clone());
    let parsed = if table == "prices" {
        let rows: Vec<[String; 7]> =
            cells.iter().map(|r| std::array::from_fn(|i| r.get(i).cloned().unwrap_or_default())).collect();
        prices_from_cells(&rows).map(|p| next.prices = p)
    } else {
        let rows: Vec<[String; 2]> =
            cells.iter().map(|r| std::array::from_fn(|i| r.get(i).cloned().unwrap_or_default())).collect();
        aliases_from_cells(&rows).map(|t| next.category_aliases = t)
    };
    if let Err(e) = parsed {
        return table_error(table, &format!("{e}. The figures keep the last table that parsed."), Some((e.row, e.key)));
    }
    // the core's own check, as the worker and the CLI make it
    match serde_json::to_string(&next).map_err(|e| e.to_string()).and_then(|j| Parameters::from_json(&j)) {
        Ok(p) => {
            table_error(table, "", None);
            with(|a| a.params = p);
            recompute();
        }
        Err(e) => table_error(table, &format!("{e}. The figures keep the last table that parsed."), None),
    }
}

fn on_table_action(action: &str, target: &Element) {
    let Some(table) = target.get_attribute("data-table") else { return };
    let Some(table) = TABLE_PARAMS.iter().copied().find(|t| *t == table) else { return };
    match action {
        "table-add" => {
            let Some(tbody) = table_body(table) else { return };
            let row = table_row(table, &[]);
            // first: the first matching price wins, so a new pattern takes precedence
            let _ = tbody.insert_before(&row, tbody.first_child().as_ref());
            renumber(&tbody);
            if let Ok(Some(i)) = row.query_selector("input") {
                let _ = i.unchecked_into::<HtmlElement>().focus();
            }
        }
        "table-delete" => {
            let Some(tr) = target.closest("tr").ok().flatten() else { return };
            let Some(tbody) = table_body(table) else { return };
            tr.remove();
            renumber(&tbody);
            on_table_change(table);
        }
        "table-reset" => {
            with(|a| {
                let d = Parameters::default();
                if table == "prices" {
                    a.params.prices = d.prices;
                } else {
                    a.params.category_aliases = d.category_aliases;
                }
            });
            if let Some(old) = by_id(&format!("editor-{table}")) {
                let fresh = table_editor(table);
                attr(&fresh, "open", "");
                let _ = old.replace_with_with_node_1(&fresh);
            }
            recompute();
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// drill-down

fn open_timeline(attempt: &str) {
    let Some(panel) = by_id("timeline") else { return };
    let Some(body) = by_id("timeline-body") else { return };
    clear(&body);
    append(&body, &el_text("p", "muted", "Loading the attempt's events…"));
    if let Some(t) = by_id("timeline-title") {
        t.set_text_content(Some(attempt));
    }
    show(&panel, true);
    let m = message("timeline");
    set(&m, "attempt", &attempt.into());
    send(m);
}

fn on_timeline(json: &str) {
    let Some(body) = by_id("timeline-body") else { return };
    clear(&body);
    let t: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    if t.is_null() {
        append(&body, &el_text("p", "muted", "No events for this attempt in the loaded files."));
        return;
    }
    let meta = el("div", "timeline-meta");
    for (k, label) in [
        ("task_title", "Task"),
        ("task_id", "Task id"),
        ("executor", "Executor"),
        ("model", "Model"),
        ("success", "Success"),
    ] {
        let v = &t[k];
        if v.is_null() || v.as_str() == Some("") {
            continue;
        }
        let d = el("div", "");
        append(&d, &el_text("span", "muted", &format!("{label} ")));
        append(&d, &el_text("strong", "", &format::cell(k, v)));
        append(&meta, &d);
    }
    // the session's cost and where it came from, and its tokens
    let cost = el("div", "");
    attr(&cost, "id", "timeline-cost");
    let source = t["cost_source"].as_str().unwrap_or("unknown");
    attr(&cost, "data-source", source);
    append(&cost, &el_text("span", "muted", "Cost "));
    let (value, how) = match (source, t["cost_usd"].as_f64()) {
        ("recorded", Some(c)) => (format::usd(c), "recorded".to_string()),
        ("estimated", Some(c)) => {
            let p = &t["price"];
            let mut how = format!("estimated from its tokens at the {} prices", p["model"].as_str().unwrap_or("?"));
            let (src, as_of) = (p["source"].as_str().unwrap_or(""), p["as_of"].as_str().unwrap_or(""));
            if !src.is_empty() || !as_of.is_empty() {
                how.push_str(&format!(
                    " ({}{}{})",
                    src,
                    if src.is_empty() || as_of.is_empty() { "" } else { ", " },
                    as_of
                ));
            }
            (format::usd(c), how)
        }
        _ => (
            "unknown".to_string(),
            if t["tokens"]["input"].is_null() && t["tokens"]["output"].is_null() {
                "no cost recorded and no input or output tokens to price".into()
            } else {
                "no cost recorded and no price-table pattern matches its model".to_string()
            },
        ),
    };
    append(&cost, &el_text("strong", "", &value));
    append(&cost, &el_text("span", "muted", &format!(" {how}")));
    append(&meta, &cost);
    let tk = &t["tokens"];
    let parts: Vec<String> = [
        ("input", "input"),
        ("cached_input", "cached input"),
        ("cache_read", "cache read"),
        ("cache_creation", "cache write"),
        ("output", "output"),
    ]
    .iter()
    .filter_map(|(k, label)| tk[*k].as_u64().map(|n| format!("{} {label}", format::cell("", &n.into()))))
    .collect();
    if !parts.is_empty() || t["total_tokens"].is_u64() {
        let d = el("div", "");
        attr(&d, "id", "timeline-tokens");
        append(&d, &el_text("span", "muted", "Tokens "));
        append(
            &d,
            &el_text(
                "strong",
                "",
                &t["total_tokens"].as_u64().map_or("—".to_string(), |n| format::cell("", &n.into())),
            ),
        );
        if !parts.is_empty() {
            append(&d, &el_text("span", "muted", &format!(" in all — {}", parts.join(" · "))));
        }
        append(&meta, &d);
    }
    append(&body, &meta);
    let events = t["events"].as_array().cloned().unwrap_or_default();
    let raws = t["raw"].as_array().cloned().unwrap_or_default();
    append(&body, &el_text("p", "muted small", &format!("{} events, in time order", events.len())));
    let table = el("table", "data timeline-table");
    let thead = el("thead", "");
    let tr = el("tr", "");
    for h in ["#", "Time (UTC)", "Δ", "Type", "Tool", "Error", "Raw line"] {
        append(&tr, &el_text("th", "", h));
    }
    append(&thead, &tr);
    append(&table, &thead);
    let tbody = el("tbody", "");
    for (i, e) in events.iter().enumerate() {
        let tr = el("tr", &format!("ev ev-{}", e["event_type"].as_str().unwrap_or("")));
        append(&tr, &el_text("td", "num", &(i + 1).to_string()));
        append(
            &tr,
            &el_text(
                "td",
                "mono",
                &e["timestamp"]
                    .as_str()
                    .map(|s| s.replace('T', " ").trim_end_matches('Z').to_string())
                    .unwrap_or_else(|| "—".into()),
            ),
        );
        append(
            &tr,
            &el_text(
                "td",
                "num",
                &e["delta_ms"].as_f64().map(|d| format!("+{}", format::duration_ms(d))).unwrap_or_else(|| "—".into()),
            ),
        );
        append(&tr, &el_text("td", "", e["event_type"].as_str().unwrap_or("—")));
        append(&tr, &el_text("td", "", &format::cell("", &e["tool"])));
        // the category as written, and the one the figures count it under when they differ
        let category = match (e["error_category"].as_str(), e["category"].as_str()) {
            (Some(w), Some(c)) if w != c => {
                format!("{w} → {c}{}", if e["category_inferred"].as_bool() == Some(true) { " (inferred)" } else { "" })
            }
            (Some(w), _) => w.to_string(),
            _ => String::new(),
        };
        let err = match (e["error_category"].as_str(), e["error_message"].as_str()) {
            (Some(_), Some(m)) => format!("{category}: {m}"),
            (Some(_), None) => category,
            _ => e["status"].as_str().map(|s| format!("status {s}")).unwrap_or_else(|| "—".into()),
        };
        append(&tr, &el_text("td", "", &err));
        let raw_td = el("td", "raw");
        match raws.get(i).and_then(Value::as_str) {
            Some(raw) => {
                let short: String = raw.chars().take(140).collect();
                if short.len() < raw.len() {
                    let det = el("details", "");
                    append(&det, &el_text("summary", "mono", &format!("{short}…")));
                    // expanded: pretty-printed when it is JSON
                    let pretty =
                        serde_json::from_str::<Value>(raw).ok().and_then(|v| serde_json::to_string_pretty(&v).ok());
                    append(&det, &el_text("pre", "mono", pretty.as_deref().unwrap_or(raw)));
                    append(&raw_td, &det);
                } else {
                    append(&raw_td, &el_text("code", "mono", raw));
                }
            }
            None => append(
                &raw_td,
                &el_text(
                    "span",
                    "muted",
                    &format!(
                        "{}:{} — the line could not be read back",
                        e["source_name"].as_str().unwrap_or(""),
                        e["line"]
                    ),
                ),
            ),
        }
        append(&tr, &raw_td);
        append(&tbody, &tr);
    }
    append(&table, &tbody);
    let scroll = el("div", "table-scroll");
    append(&scroll, &table);
    append(&body, &scroll);
}

// ---------------------------------------------------------------------------------------------
// skeleton wiring: fixed elements get listeners once; rendered parts use delegation

fn toggle_theme() {
    let root = document().document_element().expect("html");
    let dark_now = match root.get_attribute("data-theme").as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    };
    attr(&root, "data-theme", if dark_now { "light" } else { "dark" });
    draw_charts();
}

fn close_overlays() {
    for id in ["timeline", "help-dialog"] {
        if let Some(e) = by_id(id) {
            show(&e, false);
        }
    }
}

fn click_input(id: &str) {
    if let Some(i) = by_id(id) {
        i.click();
    }
}

/// Asks the worker for `Report::to_json()` (downloaded when it arrives), once something is loaded.
fn export_json() {
    if with(|a| !a.report.is_null()) {
        send(message("export"));
    }
}

fn on_action(target: &Element) {
    let action = target.get_attribute("data-action").unwrap_or_default();
    let data = |k: &str| target.get_attribute(k).unwrap_or_default();
    match action.as_str() {
        // later: a synchronous click would re-enter this click listener
        "open-files" => later(0, || click_input("file-input")),
        "open-folder" => later(0, || click_input("folder-input")),
        "demo" => load_demo(),
        "export-json" => export_json(),
        "export-html" => send(message("html")),
        "theme" => toggle_theme(),
        "help" => {
            if let Some(h) = by_id("help-dialog") {
                show(&h, true);
            }
        }
        "close" => close_overlays(),
        "cancel" => {
            // the worker answers at once, unless it is stuck (then `watchdog` restarts it)
            if with(|a| a.worker_ready && a.busy) {
                with(|a| a.watch.cancel = Some(now_ms() + CANCEL_MS));
            }
            send(message("cancel"));
        }
        "clear-all" => clear_all(),
        "remove-input" => remove_input(data("data-id").parse().unwrap_or(0)),
        "read-all" => {
            if let Ok(mib) = data("data-mib").parse() {
                read_all(mib);
            }
        }
        "dismiss-banner" => {
            if let Some(b) = by_id("banner") {
                show(&b, false);
            }
            with(|a| a.last_error = None);
            if body().get_attribute("data-state").as_deref() == Some("error")
                && with(|a| a.inputs.is_empty() && !a.demo_loaded)
            {
                set_state("empty");
            }
        }
        "reset-filters" => {
            for id in ["filter-since", "filter-until", "filter-task"] {
                if let Some(i) = by_id(id) {
                    i.unchecked_into::<HtmlInputElement>().set_value("");
                }
            }
            for id in ["filter-executors", "filter-models"] {
                if let Some(s) = by_id(id) {
                    s.unchecked_into::<HtmlSelectElement>().set_selected_index(-1);
                }
            }
            recompute();
        }
        "reset-params" => {
            with(|a| a.params = Parameters::default());
            render_params();
            recompute();
        }
        "table-add" | "table-delete" | "table-reset" => on_table_action(&action, target),
        "sort" => sort_table(&data("data-table"), &data("data-key")),
        "more" => {
            let id = data("data-table");
            with(|a| {
                if let Some(t) = a.tables.get_mut(&id) {
                    t.shown += PAGE_ROWS * 5;
                }
            });
            if let Some(h) = by_id(&format!("tbl-{id}")) {
                fill_table(&id, &h);
            }
        }
        "csv" => {
            let id = data("data-table");
            let csv = with(|a| {
                a.tables.get(&id).map(|t| {
                    let rows = rows_of(&t.rows, &a.report, &a.long);
                    // a row at a time: a long array is never all parsed at once
                    format::csv(&t.columns, t.order.iter().filter_map(|&i| rows.get(i as usize)))
                })
            });
            if let Some(csv) = csv {
                download_text(&csv, "text/csv", &format!("spyglass-{}.csv", id.replace('.', "-")));
            }
        }
        "png" => {
            let name = data("data-chart");
            if let Some(c) = by_id(&format!("chart-{name}")) {
                let canvas: web_sys::HtmlCanvasElement = c.unchecked_into();
                let cb = Closure::once_into_js(move |blob: JsValue| {
                    if let Ok(b) = blob.dyn_into::<web_sys::Blob>() {
                        download_blob(&b, &format!("spyglass-{name}.png"));
                    }
                });
                let _ = canvas.to_blob(cb.unchecked_ref());
            }
        }
        "row" => {
            let row = with(|a| {
                let t = a.tables.get(&data("data-table"))?;
                let i = *t.order.get(data("data-row").parse::<usize>().unwrap_or(usize::MAX))?;
                rows_of(&t.rows, &a.report, &a.long).get(i as usize).map(Cow::into_owned)
            });
            if let Some(attempt) = row.as_ref().and_then(attempt_of) {
                open_timeline(&attempt);
            }
        }
        _ => {}
    }
}

fn wire_skeleton() {
    let doc = document();
    let win = web_sys::window().expect("window");
    // clicks anywhere: buttons and rows carry a data-action
    listen_reentrant(&doc, "click", |e: MouseEvent| {
        let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        // a click on a dialog's backdrop closes it
        if t.id() == "help-dialog" {
            close_overlays();
            return;
        }
        if let Ok(Some(a)) = t.closest("[data-action]") {
            on_action(&a);
        }
    });
    for (id, relative) in [("file-input", false), ("folder-input", true)] {
        if let Some(i) = by_id(id) {
            let input: HtmlInputElement = i.unchecked_into();
            let inp = input.clone();
            listen(&input, "change", move |_: web_sys::Event| {
                let files = files_of(inp.files(), relative);
                if files.is_empty() && relative {
                    show_error("no .jsonl, .jsonl.gz or .zip file in that folder");
                }
                add_files(files);
                inp.set_value("");
            });
        }
    }
    // drop anywhere
    listen(&win, "dragover", |e: web_sys::DragEvent| {
        e.prevent_default();
        if let Some(o) = by_id("drop-overlay") {
            show(&o, true);
        }
    });
    listen(&win, "dragleave", |e: web_sys::DragEvent| {
        if e.related_target().is_none() {
            if let Some(o) = by_id("drop-overlay") {
                show(&o, false);
            }
        }
    });
    listen(&win, "drop", on_drop);
    // filters
    for id in ["filter-since", "filter-until", "filter-executors", "filter-models"] {
        if let Some(e) = by_id(id) {
            listen(&e, "change", |_: web_sys::Event| recompute());
        }
    }
    if let Some(e) = by_id("filter-task") {
        listen(&e, "input", |_: web_sys::Event| {
            let n = with(|a| {
                a.task_debounce += 1;
                a.task_debounce
            });
            later(250, move || {
                if with(|a| a.task_debounce) == n {
                    recompute();
                }
            });
        });
    }
    if let Some(p) = by_id("params") {
        listen(&p, "change", |e: web_sys::Event| {
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                on_param_change(&t);
            }
        });
    }
    // keyboard
    listen(&doc, "keydown", |e: KeyboardEvent| {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if e.key() == "Escape" {
            close_overlays();
            if typing {
                if let Some(t) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                    let _ = t.blur();
                }
            }
            return;
        }
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        match e.key().as_str() {
            "o" => click_input("file-input"),
            "d" => load_demo(),
            "t" => toggle_theme(),
            "e" => export_json(),
            "?" => {
                if let Some(h) = by_id("help-dialog") {
                    let hidden = h.has_attribute("hidden");
                    show(&h, hidden);
                }
            }
            "/" => {
                e.prevent_default();
                if let Some(t) = by_id("filter-task") {
                    let _ = t.focus();
                }
            }
            "Enter" => {
                if let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    if t.get_attribute("data-action").as_deref() == Some("row") {
                        on_action(&t);
                    }
                }
            }
            _ => {}
        }
    });
    // charts follow a change of the system's colour scheme
    if let Some(mq) = win.match_media("(prefers-color-scheme: dark)").ok().flatten() {
        listen(&mq, "change", |_: web_sys::Event| draw_charts());
    }
    // charts redraw when their size changes
    // only a change of width redraws: the content grows in height at every render step
    let observer = Closure::<dyn FnMut(JsValue)>::new(|_| {
        let Some(c) = by_id("content") else { return };
        let w = c.client_width() as f64;
        if with(|a| a.drawn_width != 0.0 && (a.drawn_width - w).abs() >= 1.0) {
            with(|a| a.drawn_width = w);
            draw_charts();
        }
    });
    if let Ok(ro) = web_sys::ResizeObserver::new(observer.as_ref().unchecked_ref()) {
        if let Some(c) = by_id("content") {
            ro.observe(&c);
        }
    }
    observer.forget();
    // the timeline brush
    if let Some(c) = by_id("content") {
        let x_in = |e: &MouseEvent| -> Option<f64> {
            let t = by_id("chart-brush")?;
            Some(e.client_x() as f64 - t.get_bounding_client_rect().left())
        };
        listen(&c, "mousedown", move |e: MouseEvent| {
            let on_brush =
                e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| t.id() == "chart-brush");
            if on_brush {
                e.prevent_default();
                if let Some(x) = x_in(&e) {
                    with(|a| a.brush_drag = Some((x, x)));
                }
            }
        });
        listen(&web_sys::window().expect("window"), "mousemove", move |e: MouseEvent| {
            if with(|a| a.brush_drag.is_some()) {
                if let Some(x) = x_in(&e) {
                    with(|a| a.brush_drag = a.brush_drag.map(|(s, _)| (s, x)));
                    draw_brush();
                }
            }
        });
        listen(&web_sys::window().expect("window"), "mouseup", move |_: MouseEvent| {
            if let Some((a, b)) = with(|a| a.brush_drag.take()) {
                brush_commit(a, b);
            }
        });
        listen(&c, "dblclick", move |e: MouseEvent| {
            if e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| t.id() == "chart-brush") {
                for id in ["filter-since", "filter-until"] {
                    if let Some(i) = by_id(id) {
                        i.unchecked_into::<HtmlInputElement>().set_value("");
                    }
                }
                recompute();
            }
        });
    }
    // chart tooltips
    if let Some(c) = by_id("content") {
        listen(&c, "mousemove", |e: MouseEvent| {
            let Some(tip) = by_id("tooltip") else { return };
            let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let id = t.id();
            let Some(name) = id.strip_prefix("chart-") else {
                show(&tip, false);
                return;
            };
            let rect = t.get_bounding_client_rect();
            let (x, y) = (e.client_x() as f64 - rect.left(), e.client_y() as f64 - rect.top());
            let label = with(|a| {
                a.hits.get(name).and_then(|h| {
                    h.iter().find(|r| x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h).map(|r| r.label.clone())
                })
            });
            match label {
                Some(l) => {
                    tip.set_text_content(Some(&l));
                    let _ = tip.style().set_property("left", &format!("{}px", e.client_x() + 12));
                    let _ = tip.style().set_property("top", &format!("{}px", e.client_y() + 12));
                    show(&tip, true);
                }
                None => show(&tip, false),
            }
        });
    }
}
