//! The worker and its parse workers: starting them, sending to them (messages wait until the
//! worker's Wasm runs), the watchdog that replaces a worker that stopped answering
//! (`page::watchdog`), and the messages that come back.

use super::files::{self, LostFile};
use super::{dpr, now_ms, params, render, set_state, show_error, state_is, timeline, with};
use crate::page::budget::{memory_from_query, parse_workers_for};
use crate::page::notes::{left_out_note, restart_banner, Stuck};
use crate::page::protocol::{ErrorKind, Failure, Fatal, FromWorker, Port, Ports, ToWorker};
use crate::page::watchdog::Watch;
use crate::web::dom::*;
use crate::web::js_error;
use crate::web::protocol::{from_worker, to_js, Js};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

#[derive(Default)]
pub(super) struct Link {
    pub(super) worker: Option<Worker>,
    /// the worker said `ready`: what is sent before waits in `pending` (it would be lost)
    pub(super) ready: bool,
    pending: Vec<JsValue>,
    /// the worker script's URL (parse workers are more instances of it)
    url: String,
    /// the parse workers started for the worker (ended with it when it is restarted)
    parsers: Vec<Worker>,
    pub(super) watch: Watch,
    /// the worker has files to read: the figures are not final
    pub(super) busy: bool,
}

/// Starts the worker, and the watchdog over it.
pub(super) fn start() -> Result<(), JsValue> {
    let url = js_sys::Reflect::get(&js_sys::global(), &"__SPYGLASS_WORKER_URL".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "./worker_loader.js".into());
    let worker = spawn_worker(&url, "spyglass-worker")?;
    listen(&worker, "message", |e: MessageEvent| on_message_js(e.data()));
    // parse workers start when the worker first meets a file large enough for them
    with(|a| {
        a.link.worker = Some(worker);
        a.link.url = url;
    });
    let tick = Closure::<dyn FnMut()>::new(watchdog);
    if let Some(w) = web_sys::window() {
        w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 500)?;
    }
    tick.forget();
    Ok(())
}

/// Sends a message to the worker, or keeps it until the worker is ready.
pub(super) fn send(msg: ToWorker<Js>) {
    let msg = to_js(&msg);
    with(|a| {
        if a.link.ready {
            if let Some(w) = &a.link.worker {
                let _ = w.post_message(&msg);
            }
        } else {
            a.link.pending.push(msg);
        }
    });
}

/// The memory settings sent with `load` and `demo`: the tab's memory target (a "Read all of it",
/// else `?memory=`, else the worker's default) and the pixel ratio (the charts' canvases take
/// memory by its square; the budget allows for it).
pub(super) fn memory_settings() -> (Option<f64>, f64) {
    let query = || memory_from_query(&web_sys::window()?.location().search().ok()?);
    (with(|a| a.files.memory_mib).or_else(query), dpr())
}

/// Expects the worker to keep talking while it reads (`load` sent).
pub(super) fn expect_reading() {
    let now = now_ms();
    with(|a| a.link.watch.expect_reading(now));
}

/// A `cancel` is sent: a worker that is reading must answer it at once.
pub(super) fn expect_cancelled() {
    let now = now_ms();
    with(|a| {
        if a.link.ready && a.link.busy {
            a.link.watch.expect_cancelled(now);
        }
    });
}

/// Every 500 ms: a worker that stopped answering (silent while reading, or a `cancel` not
/// answered) is ended and a new one started.
fn watchdog() {
    let now = now_ms();
    if let Some(stuck) = with(|a| a.link.watch.tick(now)) {
        restart_worker(stuck);
    }
}

/// Ends the worker (and its parse workers), starts a new one, leaves out the file it was reading
/// (listed as the stuck state says, with why) and reads the other files again.
fn restart_worker(stuck: Stuck) {
    let (old, parsers, id, url) = with(|a| {
        let id = a.link.watch.reading_id();
        a.link.watch.reset();
        (a.link.worker.take(), std::mem::take(&mut a.link.parsers), id, a.link.url.clone())
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
    listen(&worker, "message", |e: MessageEvent| on_message_js(e.data()));
    // a watch lived in the old worker
    super::watch::stop();
    let (again, demo, left_out) = with(|a| {
        a.link.worker = Some(worker);
        a.link.ready = false;
        a.link.pending.clear();
        let files = &mut a.files;
        // the file being read: the one the last progress was about, else the first not reported read
        let done: Vec<u32> = files.states.iter().filter(|i| !i.state.is_pending()).map(|i| i.id).collect();
        let at = files
            .inputs
            .iter()
            .position(|i| Some(i.id) == id)
            .or_else(|| files.inputs.iter().position(|i| !done.contains(&i.id)));
        let left_out = at.map(|k| files.inputs.remove(k)).map(|i| {
            let note = left_out_note(&i.picked.name, stuck);
            files.lost.push(LostFile {
                name: i.picked.name.clone(),
                size: i.picked.file.size(),
                state: stuck.state(),
                note,
            });
            i.picked.name
        });
        (files.again(), files.demo_loaded, left_out)
    });
    let any = !again.is_empty() || demo;
    files::reload(again, demo);
    show_error(&restart_banner(left_out.as_deref(), stuck, any));
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
        if state_is("error") {
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
    let url = with(|a| a.link.url.clone());
    let cores = web_sys::window().map(|w| w.navigator().hardware_concurrency()).unwrap_or(1.0);
    let mut ports = vec![];
    for _ in 0..parse_workers_for(cores as usize) {
        match start_parse_worker(&url) {
            Ok(port) => ports.push(Js(port.into())),
            Err(e) => {
                web_sys::console::warn_1(&format!("a parse worker did not start: {}", js_error(&e)).into());
                break;
            }
        }
    }
    // MessagePorts are transferred, not copied
    let transfer: js_sys::Array = ports.iter().map(|p| p.0.clone()).collect();
    let m = to_js(&ToWorker::Parsers(Ports { ports }));
    if let Some(w) = with(|a| a.link.worker.clone()) {
        let _ = w.post_message_with_transfer(&m, &transfer);
    }
}

/// One parse worker: it gets its end of a `MessageChannel` once its Wasm runs; the other end is
/// returned, for the worker.
fn start_parse_worker(url: &str) -> Result<web_sys::MessagePort, JsValue> {
    let parser = spawn_worker(url, "spyglass-parser")?;
    with(|a| a.link.parsers.push(parser.clone()));
    let channel = web_sys::MessageChannel::new()?;
    let (p, theirs) = (parser.clone(), channel.port2());
    listen(&parser, "message", move |e: MessageEvent| match from_worker(e.data()) {
        Ok(FromWorker::Ready) => {
            let m = to_js(&ToWorker::Parser(Port { port: Js(theirs.clone().into()) }));
            let _ = p.post_message_with_transfer(&m, &js_sys::Array::of1(&theirs));
        }
        Ok(fatal @ FromWorker::Fatal(_)) => on_message(fatal),
        _ => {}
    });
    Ok(channel.port1())
}

fn on_message_js(data: JsValue) {
    match from_worker(data) {
        Ok(m) => on_message(m),
        Err(e) => {
            web_sys::console::warn_1(&format!("spyglass: a message from the worker was not understood: {e}").into())
        }
    }
}

/// A message from the worker (or a parse worker's `fatal`).
fn on_message(msg: FromWorker<Js>) {
    // any word from the worker while it reads: it is alive
    let now = now_ms();
    with(|a| a.link.watch.heard(&msg, now));
    match msg {
        FromWorker::Ready => {
            let (worker, pending) = with(|a| {
                a.link.ready = true;
                (a.link.worker.clone(), std::mem::take(&mut a.link.pending))
            });
            if let Some(w) = worker {
                for m in pending {
                    let _ = w.post_message(&m);
                }
            }
        }
        FromWorker::WantParsers => start_parse_workers(),
        FromWorker::Progress(p) => render::on_progress(&p),
        FromWorker::Report(r) => {
            // a measure in the browser's performance timeline (the e2e tests read it)
            let perf = web_sys::window().and_then(|w| w.performance());
            if let Some(p) = &perf {
                let _ = p.mark("spyglass-render-start");
            }
            render::on_report(*r);
            if let Some(p) = &perf {
                let _ = p.measure_with_start_mark("spyglass-render", "spyglass-render-start");
            }
        }
        FromWorker::Timeline(t) => timeline::on_timeline(&t.json),
        FromWorker::Comparison(c) => super::comparison::on_comparison(&c.json),
        FromWorker::Export(e) => download_js_string(&e.json.0, "application/json", "spyglass-report.json"),
        FromWorker::Html(h) => download_js_string(&h.html.0, "text/html", "spyglass-report.html"),
        FromWorker::Error(Failure { kind, message }) => {
            match kind {
                ErrorKind::Demo => with(|a| a.files.demo_loaded = false),
                // parameters the worker refused (the page checks them first with the same
                // `Parameters::from_json`, so this is a safety net): said beside the panel too;
                // the worker keeps the ones in force
                ErrorKind::Parameters => {
                    params::param_error(&format!("{message}. The figures keep the parameters in force."));
                    if state_is("loading") && with(|a| !a.shown.report.is_null()) {
                        set_state("ready");
                    }
                }
                ErrorKind::Read | ErrorKind::Memory | ErrorKind::Message => {}
            }
            show_error(&message);
        }
        FromWorker::Fatal(Fatal { message }) => {
            show_error(&message);
            set_state("error");
        }
        FromWorker::Watched(u) => super::watch::on_update(u),
        FromWorker::Cancelled | FromWorker::Building => {}
    }
}
