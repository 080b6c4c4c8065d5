//! The Web Worker: owns the loaded data, streams `File`s into the core, recomputes reports.
//!
//! Protocol (every message is a plain object with a `type`; see README.md, “Automating the page”):
//!
//! main → worker
//! - `{type:"load", inputs:[{id, name, file}], memory_mib?, dpr}`   queue files (File objects) for
//!   reading; `memory_mib` (`?memory=` on the page) sets the tab's memory target and `dpr` is the
//!   page's device pixel ratio (both for `records_budget`)
//! - `{type:"demo", memory_mib?, dpr}`            generate the demo data set in memory and read it
//! - `{type:"cancel"}`                            stop the file being read and drop the queue (answered
//!   with `cancelled` at once)
//! - `{type:"reset"}`                             forget everything (remove-one re-sends `load`)
//! - `{type:"compute", filters, params}`          JSON strings of `Filters` / `Parameters`
//! - `{type:"timeline", attempt}`                 drill-down of one attempt
//! - `{type:"html"}`                              the HTML report of the current view
//! - `{type:"export"}`                            the JSON report of the current view (Export JSON)
//! - `{type:"parsers", ports}`                    MessagePorts to the parse workers (parsers.rs)
//! - `{type:"parser", port}`                      (to the other instances) be a parse worker on `port`
//!
//! worker → main
//! - `{type:"ready"}`                             the worker's Wasm is running
//! - `{type:"progress", name, id, done, total, percent, mb_per_s, eta_s, decompressed, wasm_bytes, records_bytes, core_ms, wait_ms, parsers}`
//!   ≤ 10 per second while a file is read, and at least every second or so (`decompressed`: the
//!   file's decompressed bytes so far)
//! - `{type:"cancelled"}`                          a `cancel` was received (the read stops at its next slice)
//! - `{type:"building"}`                           reading is over for now: the sessions and the report
//!   are being made (the page's no-answer watchdog waits for the report)
//! - `{type:"report", parts, big, facets, inputs, sessions, busy, wasm_bytes, records_bytes}` after each file
//!   and each recompute
//! - `{type:"export", json}`: `json` is exactly `Report::to_json()`
//! - `{type:"timeline", json}` / `{type:"html", html}`
//! - `{type:"error", message}`                     a failure the page shows (the data loaded stays)
//! - `{type:"fatal", message}`                     a panic: the worker is gone
//!
//! Responsiveness: a file is decoded a slice at a time (`Feed::push_bounded` / `pump`, at most
//! `SLICE_BYTES` of output each) and the read loop yields to the event loop between slices at
//! least every `YIELD_MS`, so `cancel` and `reset` get in even while a decompression bomb is read
//! (the feed's bomb guards then stop it). The page restarts a worker that stays silent for 10 s
//! while reading, or does not answer a `cancel` within 2 s (app.rs, `watchdog`).

use super::byob::ByobReader;
use super::parsers;
use super::{field, js_error, obj, set};
use crate::dataset::sessions::Dataset;
use crate::ingest::archive::{sniff, ContainerKind, Decoder};
use crate::ingest::ranges::{RangeMerge, RangeResult};
use crate::ingest::reread::RangeCollector;
use crate::ingest::{Feed, JunkCap, RatioCap, Stopped, SLICE_BYTES};
use crate::pipelines::{Filters, Parameters};
use crate::report::Report;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, File, MessageEvent, ReadableStreamDefaultReader};

/// Where an input's bytes are, to read them (or a line of them) again.
#[derive(Clone)]
enum Bytes {
    File(File),
    Memory(Rc<Vec<u8>>),
}

impl Bytes {
    fn size(&self) -> u64 {
        match self {
            Bytes::File(f) => f.size() as u64,
            Bytes::Memory(b) => b.len() as u64,
        }
    }
}

/// One input the page asked for, and how far it got.
#[derive(Serialize, Clone)]
struct InputState {
    id: u32,
    name: String,
    size: u64,
    /// `queued`, `reading`, `done`, `failed`, `cancelled`, `stopped` (at the memory budget)
    state: &'static str,
    bytes_read: u64,
    error: Option<String>,
    /// indices into the report's `diagnostics.sources`
    sources: Vec<u32>,
    /// stopped at the memory budget: the tab's memory target that reads all of it (an estimate)
    #[serde(skip_serializing_if = "Option::is_none")]
    memory_to_read_all_mib: Option<f64>,
    #[serde(skip)]
    bytes: Option<Bytes>,
}

#[derive(Default)]
struct State {
    data: Dataset,
    inputs: Vec<InputState>,
    queue: VecDeque<usize>,
    filters: Filters,
    params: Parameters,
    busy: bool,
    cancel: bool,
    /// bumped by `reset`: a read loop of an older generation stops writing
    generation: u32,
    /// for progress: bytes done / total of the current batch
    batch_done: u64,
    batch_total: u64,
    batch_start_ms: f64,
    last_progress_ms: f64,
    last_report_ms: f64,
    /// of the batch: time spent in the core (`Feed::push`) and waiting for the next chunk
    core_ms: f64,
    wait_ms: f64,
    /// parse workers reading the current file (0: read here, in order)
    parsers_in_use: u32,
    /// the page was asked for parse workers (once: it answers with none on fewer than three cores)
    parsers_asked: bool,
    /// resolves the wait for the page's `parsers` answer
    parsers_wanted: Option<js_sys::Function>,
    /// the tab's memory target in MiB (`?memory=` on the page; `None`: the default)
    memory_mib: Option<f64>,
    /// the page's device pixel ratio (`None`: 2)
    dpr: Option<f64>,
}

type Shared = Rc<RefCell<State>>;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &js_sys::Object) {
    let _ = scope().post_message(msg);
}

fn post_error(message: &str) {
    let m = obj();
    set(&m, "type", &"error".into());
    set(&m, "message", &message.into());
    post(&m);
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let m = obj();
        set(&m, "type", &"fatal".into());
        set(&m, "message", &format!("internal error in the worker: {info}").into());
        post(&m);
    }));
    let state: Shared = Rc::new(RefCell::new(State::default()));
    let s = state.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on_message(&s, e.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let m = obj();
    set(&m, "type", &"ready".into());
    post(&m);
}

/// Panics on purpose, so that the end-to-end tests can check that a panic in a worker reaches the
/// page as its error state (tests/e2e/run.mjs calls it inside a worker; nothing else does).
#[wasm_bindgen]
pub fn spyglass_test_panic() {
    panic!("a panic on purpose, from spyglass_test_panic");
}

fn on_message(state: &Shared, msg: JsValue) {
    let kind = field(&msg, "type").as_string().unwrap_or_default();
    match kind.as_str() {
        "load" => {
            let inputs: js_sys::Array = field(&msg, "inputs").unchecked_into();
            let mut st = state.borrow_mut();
            memory_settings(&mut st, &msg);
            for v in inputs.iter() {
                let Ok(file) = field(&v, "file").dyn_into::<File>() else { continue };
                let name = field(&v, "name").as_string().unwrap_or_else(|| file.name());
                let id = field(&v, "id").as_f64().unwrap_or(0.0) as u32;
                enqueue(&mut st, id, name, Bytes::File(file));
            }
            drop(st);
            kick(state);
        }
        "demo" => {
            memory_settings(&mut state.borrow_mut(), &msg);
            demo(state)
        }
        // this worker is a parse worker (parsers.rs): it answers range requests on the port
        "parser" => parsers::serve(field(&msg, "port").unchecked_into()),
        // the ports to the parse workers
        "parsers" => {
            let ports: js_sys::Array = field(&msg, "ports").unchecked_into();
            parsers::connect(ports.iter().map(|p| p.unchecked_into()).collect());
            if let Some(resolve) = state.borrow_mut().parsers_wanted.take() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
        "cancel" => {
            let m = obj();
            set(&m, "type", &"cancelled".into());
            post(&m);
            let mut st = state.borrow_mut();
            if st.busy {
                st.cancel = true;
            }
            let queued: Vec<usize> = st.queue.drain(..).collect();
            for i in queued {
                st.inputs[i].state = "cancelled";
            }
        }
        "reset" => {
            let mut st = state.borrow_mut();
            st.generation += 1;
            st.busy = false;
            st.cancel = false;
            st.queue.clear();
            st.inputs.clear();
            st.data = Dataset::default();
            st.batch_done = 0;
            st.batch_total = 0;
        }
        "compute" => {
            let mut st = state.borrow_mut();
            let filters = field(&msg, "filters").as_string().unwrap_or_default();
            let params = field(&msg, "params").as_string().unwrap_or_default();
            // both checked before either is taken: a refused message leaves what is in force
            // (`Parameters::from_json` checks the price table and the aliases; its message names
            // the key, and starts with `parameters:`, which the page shows beside its panel)
            let filters = match serde_json::from_str::<Filters>(&filters) {
                Ok(f) => f,
                Err(e) => return post_error(&format!("filters: {e}")),
            };
            match Parameters::from_json(&params) {
                Ok(p) => st.params = p,
                Err(e) => return post_error(&e),
            }
            st.filters = filters;
            if !st.busy {
                post_report(&st);
            }
        }
        "timeline" => {
            let attempt = field(&msg, "attempt").as_string().unwrap_or_default();
            let s = state.clone();
            wasm_bindgen_futures::spawn_local(async move { timeline(&s, &attempt).await });
        }
        // the JSON report is serialised only when exported, not on every recompute
        "export" => {
            let st = state.borrow();
            let report = Report::compute(&st.data, &st.filters, &st.params);
            let m = obj();
            set(&m, "type", &"export".into());
            set(&m, "json", &report.to_json().into());
            post(&m);
        }
        "html" => {
            let st = state.borrow();
            let report = Report::compute(&st.data, &st.filters, &st.params);
            let m = obj();
            set(&m, "type", &"html".into());
            set(&m, "html", &crate::report::html::render(&report).into());
            post(&m);
        }
        other => post_error(&format!("worker: unknown message {other:?}")),
    }
}

/// The page's memory target and pixel ratio, sent with `load` and `demo` (for `records_budget`).
fn memory_settings(st: &mut State, msg: &JsValue) {
    st.memory_mib = field(msg, "memory_mib").as_f64();
    st.dpr = field(msg, "dpr").as_f64();
}

fn enqueue(st: &mut State, id: u32, name: String, bytes: Bytes) {
    let size = bytes.size();
    st.inputs.push(InputState {
        id,
        name,
        size,
        state: "queued",
        bytes_read: 0,
        error: None,
        sources: vec![],
        memory_to_read_all_mib: None,
        bytes: Some(bytes),
    });
    let i = st.inputs.len() - 1;
    st.queue.push_back(i);
    st.batch_total += size;
}

/// Starts the read loop unless it runs already.
fn kick(state: &Shared) {
    {
        let mut st = state.borrow_mut();
        if st.busy || st.queue.is_empty() {
            return;
        }
        st.busy = true;
        st.cancel = false;
        st.batch_start_ms = js_sys::Date::now();
        st.last_progress_ms = 0.0;
        st.last_report_ms = 0.0;
        st.core_ms = 0.0;
        st.wait_ms = 0.0;
    }
    let s = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let generation = s.borrow().generation;
        loop {
            let next = {
                let mut st = s.borrow_mut();
                if st.generation != generation {
                    return;
                }
                st.queue.pop_front()
            };
            let Some(i) = next else { break };
            read_input(&s, i, generation).await;
            let st = s.borrow();
            if st.generation != generation {
                return;
            }
            let last = st.queue.is_empty();
            drop(st);
            let mut st = s.borrow_mut();
            // many small files: figures at most every REPORT_EVERY_MS while more are queued
            let now = js_sys::Date::now();
            if last || now - st.last_report_ms >= REPORT_EVERY_MS {
                let m = obj();
                set(&m, "type", &"building".into());
                post(&m);
                st.data.rebuild();
                st.busy = !last;
                post_report(&st);
                st.last_report_ms = js_sys::Date::now();
            }
        }
        let mut st = s.borrow_mut();
        if st.generation == generation {
            // the last file's report went out with busy = false already
            st.busy = false;
            st.cancel = false;
            st.batch_done = 0;
            st.batch_total = 0;
        }
    });
}

const CHUNK: usize = 1 << 20;
/// Bytes of a file read at a time (as many as Chromium's blob stream hands out per chunk).
const READ_CHUNK: u32 = 2 << 20;
/// While more files are queued, a report goes out at most this often (each costs a rebuild).
const REPORT_EVERY_MS: f64 = 1000.0;
/// The most records a worker can hold: its Wasm memory (4 GiB at most in wasm32) is ~1.5 × the
/// records at its peak. Past this, "Read all of it" is not offered.
const MAX_RECORDS_MIB: f64 = 2400.0;

/// The tab's memory target unless the page says otherwise (`?memory=MiB`): under the 512 MiB the
/// page is meant to stay below whatever the size of the logs.
const DEFAULT_MEMORY_MIB: f64 = 500.0;
/// The renderer's peak memory, measured with tests/e2e/bench.mjs on 0.5, 1 and 2 GB demo streams,
/// is about `page_mib(dpr)` + `MIB_PER_RECORD_MIB` × what the records hold (`Store::held_bytes`).
/// The first part is the page whatever the data: Chromium's own share, both Wasm modules, the DOM,
/// the file being read, and sixteen chart canvases and their compositing, which grow with the
/// square of the device pixel ratio (290 MiB at ratio 2, 355 at 3, ~255 at 1). The second is the
/// worker's Wasm memory (the records, then sessions, digests and the report: ~1.5 × the records)
/// and the page's share of a larger report.
fn page_mib(dpr: f64) -> f64 {
    238.0 + 13.0 * dpr * dpr
}
const MIB_PER_RECORD_MIB: f64 = 1.8;

/// The most the store's records may hold for the tab to stay within its memory target: a file
/// whose records would pass it stops at its last line that fits (`Feed::set_memory_limit`).
fn records_budget(st: &State) -> usize {
    let mib = (st.memory_mib.unwrap_or(DEFAULT_MEMORY_MIB) - page_mib(st.dpr.unwrap_or(2.0))) / MIB_PER_RECORD_MIB;
    (mib.max(8.0) * 1024.0 * 1024.0) as usize
}

/// The read loop yields to the event loop (a `cancel` or `reset` gets in) at least this often
/// while it decodes slices of a chunk.
const YIELD_MS: f64 = 40.0;

/// How a read went on after a yield.
enum Went {
    On,
    Cancelled,
    /// a reset made the read obsolete
    Gone,
}

/// Decodes what `Feed::push_bounded` left pending, a slice at a time, yielding to the event loop
/// (a macrotask: a `cancel` message gets in) once `YIELD_MS` passed since `*yielded`.
async fn pump(state: &Shared, feed: &mut Feed, i: usize, name: &str, generation: u32, yielded: &mut f64) -> Went {
    loop {
        if now_ms() - *yielded >= YIELD_MS {
            let _ = JsFuture::from(sleep_0()).await;
            *yielded = now_ms();
        }
        let mut st = state.borrow_mut();
        if st.generation != generation {
            return Went::Gone;
        }
        if st.cancel {
            return Went::Cancelled;
        }
        let st = &mut *st;
        let t = now_ms();
        let more = feed.pump(&mut st.data.store, SLICE_BYTES);
        st.core_ms += now_ms() - t;
        advance(st, i, 0, name, feed.bytes_out());
        if !more {
            return Went::On;
        }
    }
}

/// Reads one input into the store, chunk by chunk (each decoded in slices), checking for cancel
/// between awaits.
async fn read_input(state: &Shared, i: usize, generation: u32) {
    let (name, bytes) = {
        let mut st = state.borrow_mut();
        st.inputs[i].state = "reading";
        (st.inputs[i].name.clone(), st.inputs[i].bytes.clone())
    };
    let Some(bytes) = bytes else { return };
    let first_source = state.borrow().data.store.sources.len() as u32;
    let mut gzip_size = None;
    if let Bytes::File(file) = &bytes {
        match container_of(file, &name).await {
            Some(ContainerKind::Plain) if bytes.size() >= PARALLEL_MIN_BYTES && parse_workers(state).await => {
                let Some((failure, cancelled, stopped)) = read_in_ranges(state, i, generation, file, &name).await
                else {
                    return;
                };
                return finish_input(&mut state.borrow_mut(), i, &name, first_source, failure, cancelled, stopped);
            }
            Some(ContainerKind::Gzip) => gzip_size = gzip_trailer_size(file).await,
            _ => {}
        }
    }
    let mut feed = Feed::with_size_hint(&name, bytes.size());
    feed.set_memory_limit(records_budget(&state.borrow()));
    feed.set_ratio_cap(Some(RatioCap::DEFAULT));
    feed.set_junk_cap(Some(JunkCap::DEFAULT));
    if let Some(size) = gzip_size {
        feed.set_gzip_size_hint(size);
    }
    let mut failure: Option<String> = None;
    let mut cancelled = false;
    match &bytes {
        Bytes::File(file) => match ByobReader::new(file, READ_CHUNK) {
            Err(e) => failure = Some(e),
            // a BYOB reader: the next chunk is read while the core works on this one, into two
            // buffers that take turns (see `byob.rs`)
            Ok(mut reader) => {
                // one Wasm buffer for every chunk: no allocation per chunk, no growth of the Wasm memory
                let mut data: Vec<u8> = Vec::new();
                loop {
                    let t0 = now_ms();
                    let chunk = reader.next().await;
                    let t1 = now_ms();
                    let mut yielded = t1;
                    // the state is borrowed only while the core works on the chunk, never across an await
                    let more = {
                        let mut st = state.borrow_mut();
                        st.wait_ms += t1 - t0;
                        if st.generation != generation {
                            reader.cancel();
                            return;
                        }
                        if st.cancel {
                            reader.cancel();
                            cancelled = true;
                            break;
                        }
                        match chunk {
                            Err(e) => {
                                failure = Some(e);
                                break;
                            }
                            Ok(None) => break,
                            Ok(Some(array)) => {
                                let n = array.length() as usize;
                                if data.len() < n {
                                    data.resize(n, 0);
                                }
                                array.copy_to(&mut data[..n]);
                                reader.give_back(array);
                                let st_ref = &mut *st;
                                let more = feed.push_bounded(&mut st_ref.data.store, &data[..n], SLICE_BYTES);
                                st_ref.core_ms += now_ms() - t1;
                                advance(st_ref, i, n as u64, &name, feed.bytes_out());
                                more
                            }
                        }
                    };
                    if more {
                        match pump(state, &mut feed, i, &name, generation, &mut yielded).await {
                            Went::On => {}
                            Went::Cancelled => {
                                reader.cancel();
                                cancelled = true;
                                break;
                            }
                            Went::Gone => {
                                reader.cancel();
                                return;
                            }
                        }
                    }
                    if feed.ended() {
                        reader.cancel();
                        break;
                    }
                }
            }
        },
        Bytes::Memory(buf) => {
            for chunk in buf.chunks(CHUNK) {
                // yield so that a cancel or reset message can come in
                let _ = JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL)).await;
                let _ = JsFuture::from(sleep_0()).await;
                let mut st = state.borrow_mut();
                if st.generation != generation {
                    return;
                }
                if st.cancel {
                    cancelled = true;
                    break;
                }
                let st = &mut *st;
                feed.push(&mut st.data.store, chunk);
                advance(st, i, chunk.len() as u64, &name, feed.bytes_out());
                if feed.ended() {
                    break;
                }
            }
        }
    }
    let mut st = state.borrow_mut();
    let stopped = feed.stopped();
    // a bomb guard stopped it, or it needs no more (a fatal decoding error, not text): said by
    // its source; the bytes left unread are not a file that ended early
    let gave_up = feed.gave_up().map(str::to_string);
    if feed.ended() && failure.is_none() && !cancelled && stopped.is_none() {
        let input = &mut st.inputs[i];
        input.bytes_read = input.bytes_read.max(input.size);
    }
    feed.finish(&mut st.data.store);
    finish_input(&mut st, i, &name, first_source, failure, cancelled, stopped);
    if let (Some(why), "done") = (gave_up, st.inputs[i].state) {
        let msg = format!("{name}: {why}");
        st.inputs[i].state = "failed";
        st.inputs[i].error = Some(msg.clone());
        post_error(&msg);
    }
}

/// Plain files at least this large are read by the parse workers, in ranges of `RANGE` bytes.
const PARALLEL_MIN_BYTES: u64 = 32 << 20;
const RANGE: u64 = 8 << 20;
/// Ranges asked for ahead of the one merged next, per parse worker: each always has the next one
/// queued, and the results waiting to be merged stay a few MB.
const AHEAD_PER_PARSER: u64 = 2;

/// Whether parse workers are there to read a large file: the first time, the page is asked to
/// start them (a page that never reads a large file starts none) and its answer awaited.
async fn parse_workers(state: &Shared) -> bool {
    // (they read with BYOB readers)
    if !super::byob::supported() {
        return false;
    }
    if !std::mem::replace(&mut state.borrow_mut().parsers_asked, true) {
        let answered = js_sys::Promise::new(&mut |resolve, _| state.borrow_mut().parsers_wanted = Some(resolve));
        let m = obj();
        set(&m, "type", &"want_parsers".into());
        post(&m);
        let _ = JsFuture::from(answered).await;
    }
    parsers::count() > 0
}

/// Bytes `from..to` of a file.
async fn slice_of(file: &File, from: f64, to: f64) -> Option<Vec<u8>> {
    let buf = JsFuture::from(file.slice_with_f64_and_f64(from, to).ok()?.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Plain, `.gz` or `.zip`, by the file's first bytes (a plain file over 32 MiB can be read in
/// ranges; the others decompress in order, in this worker).
async fn container_of(file: &File, name: &str) -> Option<ContainerKind> {
    Some(sniff(&slice_of(file, 0.0, 4.0).await?, name))
}

/// A `.gz` file's decompressed size as its trailer gives it (ISIZE: the last member's size,
/// modulo 4 GiB), so that its records are reserved at once as a plain file's are.
async fn gzip_trailer_size(file: &File) -> Option<u64> {
    let size = file.size();
    let tail: [u8; 4] = slice_of(file, (size - 4.0).max(0.0), size).await?.try_into().ok()?;
    Some(u32::from_le_bytes(tail) as u64)
}

/// Reads a plain file as ranges parsed by the parse workers, merged here in file order.
/// Returns (failure, cancelled), or `None` when a reset made the read obsolete.
async fn read_in_ranges(
    state: &Shared,
    i: usize,
    generation: u32,
    file: &File,
    name: &str,
) -> Option<(Option<String>, bool, Option<Stopped>)> {
    let size = file.size() as u64;
    let ranges = size.div_ceil(RANGE);
    let ahead = parsers::count() as u64 * AHEAD_PER_PARSER;
    let mut merge = {
        let mut st = state.borrow_mut();
        st.parsers_in_use = parsers::count() as u32;
        let mut merge = RangeMerge::new(&mut st.data.store, name, size);
        merge.set_memory_limit(records_budget(&st));
        merge
    };
    let mut asked: VecDeque<js_sys::Promise> = VecDeque::new();
    let mut next = 0u64;
    let (mut failure, mut cancelled) = (None, false);
    for k in 0..ranges {
        while next < ranges && next < k + ahead {
            asked.push_back(parsers::request(next as usize, file, next * RANGE, ((next + 1) * RANGE).min(size)));
            next += 1;
        }
        let Some(promise) = asked.pop_front() else { break };
        let t0 = now_ms();
        let answer = JsFuture::from(promise).await;
        let mut st = state.borrow_mut();
        let t1 = now_ms();
        st.wait_ms += t1 - t0;
        if st.generation != generation {
            return None;
        }
        if st.cancel {
            cancelled = true;
            break;
        }
        match answer
            .map_err(|e| js_error(&e))
            .and_then(|a| parsers::answer(&a))
            .and_then(|b| RangeResult::from_bytes(&b))
        {
            Ok(result) => {
                let st = &mut *st;
                let n = result.range_bytes;
                merge.merge(&mut st.data.store, result);
                st.core_ms += now_ms() - t1;
                if merge.stopped().is_some() {
                    // the ranges asked for ahead are answered and dropped
                    break;
                }
                let done = st.inputs[i].bytes_read + n;
                advance(st, i, n, name, done);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let mut st = state.borrow_mut();
    st.parsers_in_use = 0;
    let stopped = merge.stopped();
    merge.finish(&mut st.data.store);
    Some((failure, cancelled, stopped))
}

/// An input's state, sources and messages once its read ended (done, failed or cancelled).
fn finish_input(
    st: &mut State,
    i: usize,
    name: &str,
    first_source: u32,
    mut failure: Option<String>,
    cancelled: bool,
    stopped: Option<Stopped>,
) {
    if failure.is_none() && !cancelled && stopped.is_none() && st.inputs[i].bytes_read < st.inputs[i].size {
        failure = Some("the file ended early: it changed or was cut while being read".into());
    }
    let last_source = st.data.store.sources.len() as u32;
    let memory = st.memory_mib.unwrap_or(DEFAULT_MEMORY_MIB);
    let page = page_mib(st.dpr.unwrap_or(2.0));
    let held = st.data.store.held_bytes();
    let loaded: u64 = st.inputs.iter().map(|input| input.bytes_read).sum();
    let compressed = st.data.store.sources.get(first_source as usize).is_some_and(|s| s.container != "plain");
    let input = &mut st.inputs[i];
    input.sources = (first_source..last_source).collect();
    let size = input.size;
    let read = input.bytes_read;
    if cancelled {
        input.state = "cancelled";
        input.error = Some(format!("cancelled after {} of {}; the lines read so far are loaded", mb(read), mb(size)));
        let queued: Vec<usize> = st.queue.drain(..).collect();
        for q in queued {
            st.inputs[q].state = "cancelled";
        }
    } else if let Some(at) = stopped {
        input.state = "stopped";
        // the records grow with the input: for the rest of it, as much per byte as all read so
        // far took, plus a tenth
        let per_byte = held as f64 / loaded.max(1) as f64;
        let whole = (held as f64 + per_byte * size.saturating_sub(at.bytes) as f64) * 1.1 / 1048576.0;
        let needed = (((page + MIB_PER_RECORD_MIB * whole) / 64.0).ceil() * 64.0).max(memory + 64.0);
        let read = format!("{} of {}{}", mb(at.bytes), mb(size), if compressed { " compressed" } else { "" });
        let how_far = if at.lines == 0 {
            "nothing of it was loaded".to_string()
        } else {
            format!(
                "stopped after line {} ({read}); the lines before it and the other files are loaded",
                crate::report::format::grouped(at.lines as f64, 0)
            )
        };
        let all = if whole <= MAX_RECORDS_MIB {
            input.memory_to_read_all_mib = Some(needed);
            format!("Reading all of it takes about {needed:.0} MiB (“Read all of it” in the files list, or the page opened with ?memory={needed:.0}); the spyglass CLI reads logs of any size.")
        } else {
            "All of it is more than a browser tab can hold; the spyglass CLI reads logs of any size.".to_string()
        };
        let msg = format!("{name}: too large for this tab's memory ({memory:.0} MiB): {how_far}. {all}");
        input.error = Some(msg.clone());
        post_error(&msg);
    } else if let Some(f) = failure {
        input.state = "failed";
        let msg = format!(
            "{name}: reading failed after {} of {} ({f}); the lines read so far and the other files are loaded",
            mb(read),
            mb(size)
        );
        input.error = Some(msg.clone());
        post_error(&msg);
    } else {
        input.state = "done";
        if let Some(e) =
            (first_source..last_source).filter_map(|s| st.data.store.sources[s as usize].error.clone()).next()
        {
            input.error = Some(e);
        }
    }
}

fn mb(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// Size of the worker's Wasm memory (it only grows): the bulk of the worker's memory, sent with
/// `progress` and `report` for benchmarks (tests/e2e/bench.mjs).
fn wasm_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

/// `performance.now()` of the worker (sub-millisecond, unlike `Date.now()`).
fn now_ms() -> f64 {
    thread_local! {
        static NOW: Option<(JsValue, js_sys::Function)> = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| Some((p.clone(), js_sys::Reflect::get(&p, &"now".into()).ok()?.dyn_into().ok()?)));
    }
    NOW.with(|n| n.as_ref().and_then(|(p, f)| f.call0(p).ok()?.as_f64())).unwrap_or_else(js_sys::Date::now)
}

/// A promise resolved by a macrotask (lets queued messages run).
fn sleep_0() -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    })
}

/// `n` more bytes of input `i` read (`decompressed`: its decompressed bytes so far); a progress
/// message at most every 100 ms.
fn advance(st: &mut State, i: usize, n: u64, name: &str, decompressed: u64) {
    st.inputs[i].bytes_read += n;
    st.batch_done += n;
    let now = js_sys::Date::now();
    if now - st.last_progress_ms < 100.0 {
        return;
    }
    st.last_progress_ms = now;
    let secs = ((now - st.batch_start_ms) / 1000.0).max(1e-3);
    let rate = st.batch_done as f64 / secs;
    let left = st.batch_total.saturating_sub(st.batch_done) as f64;
    let m = obj();
    set(&m, "type", &"progress".into());
    set(&m, "name", &name.into());
    set(&m, "id", &st.inputs[i].id.into());
    set(&m, "done", &(st.batch_done as f64).into());
    set(&m, "total", &(st.batch_total as f64).into());
    set(&m, "percent", &(st.batch_done as f64 * 100.0 / st.batch_total.max(1) as f64).into());
    set(&m, "mb_per_s", &(rate / 1e6).into());
    set(&m, "eta_s", &(if rate > 0.0 { left / rate } else { 0.0 }).into());
    set(&m, "decompressed", &(decompressed as f64).into());
    set(&m, "wasm_bytes", &wasm_bytes().into());
    set(&m, "records_bytes", &(st.data.store.held_bytes() as f64).into());
    set(&m, "core_ms", &st.core_ms.into());
    set(&m, "wait_ms", &st.wait_ms.into());
    set(&m, "parsers", &st.parsers_in_use.into());
    post(&m);
}

/// The values the filter controls offer.
#[derive(Serialize)]
struct Facets {
    executors: BTreeSet<String>,
    models: BTreeSet<String>,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    /// sessions started per UTC day, all data (the timeline brush): (day start ms, count)
    daily: Vec<(i64, u32)>,
}

fn facets(data: &Dataset) -> Facets {
    let mut f =
        Facets { executors: BTreeSet::new(), models: BTreeSet::new(), first_ms: None, last_ms: None, daily: vec![] };
    let mut days: std::collections::BTreeMap<i64, u32> = std::collections::BTreeMap::new();
    for s in &data.sessions {
        if s.executor.is_some() {
            f.executors.insert(data.str(s.executor).to_string());
        }
        if s.model.is_some() {
            f.models.insert(data.str(s.model).to_string());
        }
        if let Some(t) = s.start_ms {
            *days.entry(t.div_euclid(86_400_000) * 86_400_000).or_insert(0) += 1;
        }
        for t in [s.start_ms, s.end_ms].into_iter().flatten() {
            f.first_ms = Some(f.first_ms.map_or(t, |x: i64| x.min(t)));
            f.last_ms = Some(f.last_ms.map_or(t, |x: i64| x.max(t)));
        }
    }
    f.daily = days.into_iter().collect();
    f
}

fn post_report(st: &State) {
    let report = Report::compute(&st.data, &st.filters, &st.params);
    let m = obj();
    set(&m, "type", &"report".into());
    // the same report split by top-level key, so the page parses one section per render step
    // long arrays go apart as JSON Lines, which the page parses a slice at a time
    let parts = obj();
    let big = obj();
    // a section at a time, as text: a value tree of the report would set the worker's (never
    // shrinking) memory by several times the report's size
    report.each_section(|k, json| {
        let (section, lines) = crate::report::split_section(&json, BIG_ARRAY);
        drop(json);
        let section_big = obj();
        for (field, text) in lines {
            set(&section_big, &field, &text.into());
        }
        set(&big, k, &section_big);
        set(&parts, k, &section.into());
    });
    set(&m, "parts", &parts);
    set(&m, "big", &big);
    set(&m, "facets", &serde_json::to_string(&facets(&st.data)).unwrap_or_default().into());
    set(&m, "inputs", &inputs_json(st).into());
    set(&m, "busy", &st.busy.into());
    set(&m, "sessions", &sessions_json(st).into());
    set(&m, "wasm_bytes", &wasm_bytes().into());
    set(&m, "records_bytes", &(st.data.store.held_bytes() as f64).into());
    post(&m);
}

/// The inputs with the diagnostics of their sources (a `.zip` has one per entry).
fn inputs_json(st: &State) -> String {
    let list: Vec<serde_json::Value> = st
        .inputs
        .iter()
        .map(|i| {
            let mut v = serde_json::to_value(i).unwrap_or_default();
            let infos: Vec<&crate::ingest::SourceInfo> =
                i.sources.iter().filter_map(|&s| st.data.store.sources.get(s as usize)).collect();
            v["source_info"] = serde_json::to_value(infos).unwrap_or_default();
            v
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_default()
}

/// Arrays longer than this are sent as JSON Lines (see `post_report`).
const BIG_ARRAY: usize = 1000;

/// Sessions listed on the page (not part of the report): the drill-down's way in.
const MAX_LISTED_SESSIONS: usize = 1000;

fn sessions_json(st: &State) -> String {
    let view = crate::pipelines::View::new(&st.data, &st.filters, &st.params);
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

fn demo(state: &Shared) {
    let mut sink = MemorySink::default();
    if let Err(e) = crate::demo::generate(&crate::demo::DemoConfig::default(), &mut sink) {
        post_error(&format!("the demo generator failed: {e}"));
        let st = state.borrow();
        post_report(&st);
        return;
    }
    {
        let mut st = state.borrow_mut();
        let base = 1_000_000 + st.inputs.len() as u32;
        for (k, (path, bytes)) in sink.files.into_iter().enumerate() {
            enqueue(&mut st, base + k as u32, path, Bytes::Memory(Rc::new(bytes)));
        }
    }
    kick(state);
}

/// Longest raw line text sent to the page.
const MAX_RAW_CHARS: usize = 20_000;

async fn timeline(state: &Shared, attempt: &str) {
    let (tl, sources) = {
        let st = state.borrow();
        let tl = crate::report::timeline::attempt_timeline(&st.data, attempt, &st.params);
        // per store source: (container, bytes to read lines back from, input name, entry index)
        let mut sources: Vec<(String, Option<Bytes>, String, usize)> =
            st.data.store.sources.iter().map(|s| (s.container.to_string(), None, String::new(), 0)).collect();
        for input in &st.inputs {
            for (k, &s) in input.sources.iter().enumerate() {
                if let Some(slot) = sources.get_mut(s as usize) {
                    slot.1 = input.bytes.clone();
                    slot.2 = input.name.clone();
                    slot.3 = k;
                }
            }
        }
        (tl, sources)
    };
    let m = obj();
    set(&m, "type", &"timeline".into());
    let Some(tl) = tl else {
        set(&m, "json", &"null".into());
        post(&m);
        return;
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
    set(&m, "json", &serde_json::to_string(&WithRaw { timeline: &tl, raw: raws }).unwrap_or_default().into());
    post(&m);
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
