//! The Web Worker: owns the loaded data, streams `File`s into the core, recomputes reports. It
//! reads and answers the messages of `page::protocol` (where they are described) through
//! `web::protocol`. `read.rs` reads the files; `answers.rs` makes the report, the drill-down and
//! the exports; `watch.rs` watches a folder (appended bytes only, every two seconds).
//!
//! Responsiveness: a file is decoded a slice at a time (`Feed::push_bounded` / `pump`, at most
//! `SLICE_BYTES` of output each) and the read loop yields to the event loop between slices at
//! least every `YIELD_MS`, so `cancel` and `reset` get in even while a decompression bomb is read
//! (the feed's bomb guards then stop it). The page restarts a worker that stays silent for 10 s
//! while reading, or does not answer a `cancel` within 2 s (`page::watchdog`).

mod answers;
mod read;
mod watch;

use super::parsers;
use super::protocol::{to_js, to_worker, Js};
use crate::dataset::sessions::Dataset;
use crate::page::budget::MemoryTarget;
use crate::page::protocol::{
    CompareRequest, Compute, Demo, ErrorKind, Failure, Fatal, FromWorker, InputState, InputStatus, Load, LoadInput,
    Port, Ports, TimelineRequest, ToWorker, WatchFolder,
};
use crate::pipelines::{Filters, Memo, Parameters};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

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

/// One input the page asked for: what the page is told of it, and where its bytes are.
struct Input {
    /// (its `source_info` is filled when a report goes out)
    status: InputStatus,
    bytes: Option<Bytes>,
    /// the source (folder, machine) it comes from
    origin: String,
}

#[derive(Default)]
struct State {
    data: Dataset,
    /// what the pipelines keep between recomputes of `data` (alert replay, git rows): a filter
    /// change reuses it; a reload makes a new dataset, which the memo notices and forgets
    memo: Memo,
    inputs: Vec<Input>,
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
    /// the page's memory target and pixel ratio, sent with `load` and `demo` (the records' budget)
    memory: MemoryTarget,
    /// bumped by `watch` and `unwatch`: a watch loop of an older one stops (`watch.rs`)
    watch: u32,
}

type Shared = Rc<RefCell<State>>;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker<Js>) {
    let _ = scope().post_message(&to_js(msg));
}

fn post_error(kind: ErrorKind, message: &str) {
    post(&FromWorker::Error(Failure { kind, message: message.to_string() }));
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post(&FromWorker::Fatal(Fatal { message: format!("internal error in the worker: {info}") }));
    }));
    let state: Shared = Rc::new(RefCell::new(State::default()));
    let s = state.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on_message(&s, e.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Ready);
    wasm_bindgen_futures::spawn_local(warm_up());
}

thread_local! {
    /// set by the first message: the warm-up stops (a real read warms the code as well)
    static WARM_UP_OVER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Reads a small generated log (~0.5 MB) four times, each into a store then dropped. V8 runs a
/// Wasm module unoptimised first and optimises a function in the background once it has run
/// enough: a large file read right after the page opened spent much of its time in unoptimised
/// code (the Wasm core in Chromium, 199 MB: 157–192 MB/s without this, 193–283 with it; under
/// Node a first read 255–358 MB/s, later ones 445). It runs while the person picks a file, a pass
/// at a time (a few ms each), and stops at the first message, so a file picked at once waits for
/// one pass at most.
async fn warm_up() {
    // a macrotask's wait, then whether the warm-up may go on (no message has come)
    let go_on = || async {
        let _ = wasm_bindgen_futures::JsFuture::from(read::sleep_0()).await;
        !WARM_UP_OVER.with(|o| o.get())
    };
    // (a message that has come by then stops it before any work)
    if !go_on().await {
        return;
    }
    let mut log = crate::demo::MemorySink::default();
    let cfg =
        crate::demo::DemoConfig { sessions: crate::demo::sessions_for_stream_bytes(500_000), ..Default::default() };
    if crate::demo::generate(&cfg, &mut log).is_err() {
        return;
    }
    let Some(lines) = log.files.get("agent-work-stream.jsonl") else { return };
    for _ in 0..4 {
        if !go_on().await {
            return;
        }
        // a store of its own each time: the same lines again would be skipped as duplicates
        let mut store = crate::ingest::Store::new();
        let mut feed = crate::ingest::Feed::new("warm-up");
        feed.push(&mut store, lines);
        feed.finish(&mut store);
    }
}

/// Panics on purpose, so that the end-to-end tests can check that a panic in a worker reaches the
/// page as its error state (tests/e2e/run.mjs calls it inside a worker; nothing else does).
#[wasm_bindgen]
pub fn spyglass_test_panic() {
    panic!("a panic on purpose, from spyglass_test_panic");
}

fn on_message(state: &Shared, msg: JsValue) {
    WARM_UP_OVER.with(|o| o.set(true));
    let msg = match to_worker(msg) {
        Ok(m) => m,
        Err(e) => return post_error(ErrorKind::Message, &format!("worker: {e}")),
    };
    match msg {
        ToWorker::Load(Load { inputs, memory_mib, dpr }) => {
            let mut st = state.borrow_mut();
            st.memory = MemoryTarget { memory_mib, dpr };
            for LoadInput { id, name, file, origin } in inputs {
                let Ok(file) = file.0.dyn_into::<File>() else { continue };
                enqueue(&mut st, id, name, origin, Bytes::File(file));
            }
            drop(st);
            kick(state);
        }
        ToWorker::Demo(Demo { memory_mib, dpr }) => {
            state.borrow_mut().memory = MemoryTarget { memory_mib, dpr };
            answers::demo(state)
        }
        // this worker is a parse worker (parsers.rs): it answers range requests on the port
        ToWorker::Parser(Port { port }) => parsers::serve(port.0.unchecked_into()),
        // the ports to the parse workers
        ToWorker::Parsers(Ports { ports }) => {
            parsers::connect(ports.into_iter().map(|p| p.0.unchecked_into()).collect());
            if let Some(resolve) = state.borrow_mut().parsers_wanted.take() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
        ToWorker::Cancel => {
            post(&FromWorker::Cancelled);
            let mut st = state.borrow_mut();
            if st.busy {
                st.cancel = true;
            }
            let queued: Vec<usize> = st.queue.drain(..).collect();
            for i in queued {
                st.inputs[i].status.state = InputState::Cancelled;
            }
        }
        ToWorker::Reset => {
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
        ToWorker::Compute(Compute { filters, params }) => {
            let mut st = state.borrow_mut();
            // both read before either is taken: a refused message leaves what is in force
            // (`Parameters::from_json` checks the price table and the aliases; its message names
            // the key, and the page shows it beside its panel)
            match Parameters::from_json(&params) {
                Ok(p) => st.params = p,
                Err(e) => return post_error(ErrorKind::Parameters, &e),
            }
            st.filters = filters;
            if !st.busy {
                answers::post_report(&st);
            }
        }
        ToWorker::Compare(CompareRequest { a, b }) => answers::compare(&state.borrow(), &a, &b),
        ToWorker::Timeline(TimelineRequest { attempt }) => {
            let s = state.clone();
            wasm_bindgen_futures::spawn_local(async move { answers::timeline(&s, &attempt).await });
        }
        // the JSON report is serialised only when exported, not on every recompute
        ToWorker::Export => answers::export(&state.borrow()),
        ToWorker::Html => answers::html(&state.borrow()),
        ToWorker::Watch(WatchFolder { dir, memory_mib, dpr }) => {
            state.borrow_mut().memory = MemoryTarget { memory_mib, dpr };
            watch::start(state, dir.0);
        }
        ToWorker::Unwatch => watch::stop(state),
    }
}

fn enqueue(st: &mut State, id: u32, name: String, origin: String, bytes: Bytes) {
    let size = bytes.size();
    let status = InputStatus {
        id,
        name,
        size,
        state: InputState::Queued,
        bytes_read: 0,
        error: None,
        sources: vec![],
        memory_to_read_all_mib: None,
        source_info: vec![],
    };
    st.inputs.push(Input { status, bytes: Some(bytes), origin });
    let i = st.inputs.len() - 1;
    st.queue.push_back(i);
    st.batch_total += size;
}

/// While more files are queued, a report goes out at most this often (each costs a rebuild).
const REPORT_EVERY_MS: f64 = 1000.0;

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
            read::read_input(&s, i, generation).await;
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
                post(&FromWorker::Building);
                st.data.rebuild();
                st.busy = !last;
                answers::post_report(&st);
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
