//! A watched folder (`watch`, the page's "Watch a folder"): every `WATCH_EVERY_MS` the folder's
//! `FileSystemDirectoryHandle` is walked for log files (as the CLI walks a folder), each file's
//! size and time taken from `getFile()`, and `ingest::watch::look` says what to read — the bytes
//! a file grew by (its `Feed` kept open and `settle`d, so a cut last line waits for its end), a
//! new file from its start, or every file again when one shrank or was replaced. What was read
//! goes through the same `Feed` into the store, the sessions are made again, and the page gets a
//! `watched` update (with the recorded alerts that arrived, and the files gone, unreadable or cut
//! mid-line) and the report. A file that disappears keeps what was read of it.

use super::answers::{post_computed, report_of};
use super::read::CHUNK;
use super::{post, scope, Bytes, Input, Shared};
use crate::dataset::sessions::Dataset;
use crate::ingest::watch::{look, Now, Seen};
use crate::ingest::{Feed, JunkCap, RatioCap};
use crate::page::protocol::{FromWorker, InputState, InputStatus, WatchUpdate, FIRST_WATCH_ID, WATCH_EVERY_MS};
use crate::page::watch as say;
use crate::web::folder::{slice, walk};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// One watched file: what was read of it, its Feed (open while it may grow), the latest `File`
/// (to read its lines back for the drill-down) and the store's sources it made.
struct Watched {
    id: u32,
    seen: Seen<f64>,
    feed: Option<Feed>,
    file: Option<File>,
    sources: Vec<u32>,
    /// bytes of a cut last line said in the banner (said again only when it changes)
    cut_said: usize,
}

/// Starts watching `dir` (a new watch ends the one before).
pub(super) fn start(state: &Shared, dir: JsValue) {
    let (generation, watch) = {
        let mut st = state.borrow_mut();
        st.watch += 1;
        (st.generation, st.watch)
    };
    let s = state.clone();
    wasm_bindgen_futures::spawn_local(async move { run(&s, &dir, generation, watch).await });
}

/// Ends the watch: what was read stays.
pub(super) fn stop(state: &Shared) {
    state.borrow_mut().watch += 1;
}

/// This watch was ended (`unwatch`, another watch, or a `reset`).
fn ended(state: &Shared, generation: u32, watch: u32) -> bool {
    let st = state.borrow();
    st.generation != generation || st.watch != watch
}

async fn run(state: &Shared, dir: &JsValue, generation: u32, watch: u32) {
    let mut files: BTreeMap<String, Watched> = BTreeMap::new();
    let mut next_id = FIRST_WATCH_ID;
    let mut alerts_seen = 0usize;
    let mut last_read_ms = js_sys::Date::now();
    let mut first = true;
    loop {
        if ended(state, generation, watch) {
            return;
        }
        let look_start = js_sys::Date::now();
        let mut problems = Vec::new();
        let listed = match walk(dir).await {
            Ok(l) => l,
            Err(e) => {
                if ended(state, generation, watch) {
                    return;
                }
                // the folder itself is gone or its permission was taken back (or it never was a
                // folder): the watch ends; anything else is said and the next look tries again
                let over = first
                    || ["NotFoundError", "NotAllowedError", "SecurityError", "TypeError"]
                        .iter()
                        .any(|k| e.starts_with(k))
                    || e.contains("has no values()");
                problems.push(say::unreadable("the watched folder", &e));
                if !over {
                    post(&FromWorker::Watched(said_only(&files, problems, true)));
                    sleep(WATCH_EVERY_MS - (js_sys::Date::now() - look_start)).await;
                    continue;
                }
                post(&FromWorker::Watched(said_only(&files, problems, false)));
                return;
            }
        };
        if ended(state, generation, watch) {
            return;
        }
        let now: Vec<(String, Option<Now<f64>>)> = listed
            .iter()
            .map(|(name, f)| {
                let now = f.as_ref().ok().map(|f| Now { len: f.size() as u64, modified: Some(f.last_modified()) });
                (name.clone(), now)
            })
            .collect();
        for (name, f) in &listed {
            if let Err(e) = f {
                problems.push(say::unreadable(name, e));
            }
        }
        let seen: BTreeMap<String, Seen<f64>> = files.iter().map(|(k, f)| (k.clone(), f.seen.clone())).collect();
        let plan = look(&seen, &now);
        for name in &plan.gone {
            files.remove(name);
            problems.push(say::gone(name));
        }
        if plan.again {
            files.clear();
            state.borrow_mut().data = Dataset::default();
            problems.push(say::AGAIN.to_string());
        }
        let lines_before = lines_of(state);
        let mut bytes = 0u64;
        for (name, from, to) in plan.reads {
            let Some(Ok(file)) = listed.iter().find(|(n, _)| *n == name).map(|(_, f)| f.clone()) else { continue };
            let w = files.entry(name.clone()).or_insert_with(|| {
                next_id += 1;
                let mut feed = Feed::new(&name);
                feed.set_memory_limit(state.borrow().memory.records_budget());
                feed.set_ratio_cap(Some(RatioCap::DEFAULT));
                feed.set_junk_cap(Some(JunkCap::DEFAULT));
                Watched { id: next_id, seen: Seen::new(), feed: Some(feed), file: None, sources: vec![], cut_said: 0 }
            });
            w.file = Some(file.clone());
            if w.feed.is_none() {
                continue;
            }
            let sources_before = state.borrow().data.store.sources.len() as u32;
            let mut at = from;
            while at < to {
                let end = (at + CHUNK as u64).min(to);
                let chunk = match slice(&file, at, end).await {
                    Ok(c) => c,
                    Err(e) => {
                        problems.push(say::unreadable(&name, &e));
                        break;
                    }
                };
                if ended(state, generation, watch) {
                    return;
                }
                let mut st = state.borrow_mut();
                w.seen.read(&chunk, Some(file.last_modified()));
                if let Some(feed) = w.feed.as_mut() {
                    feed.push(&mut st.data.store, &chunk);
                }
                bytes += chunk.len() as u64;
                at = end;
                if chunk.is_empty() {
                    break;
                }
            }
            let mut st = state.borrow_mut();
            let store = &mut st.data.store;
            if w.seen.plain {
                if let Some(feed) = w.feed.as_mut() {
                    // what is there now is read now; a cut last line waits for its end
                    feed.settle(store);
                    let cut = feed.buffered_bytes();
                    if cut > 0 && cut != w.cut_said {
                        problems.push(say::cut(&name, cut));
                    }
                    w.cut_said = cut;
                    if feed.stopped().is_some() {
                        problems.push(say::stopped(&name));
                    }
                    if feed.stopped().is_some() || feed.ended() {
                        if let Some(feed) = w.feed.take() {
                            feed.finish(store);
                        }
                    }
                }
            } else if let Some(feed) = w.feed.take() {
                // a container is read whole and closed: it cannot grow by appends
                feed.finish(store);
            }
            // the sources this read made are this file's (files are read one after the other)
            w.sources.extend(sources_before..store.sources.len() as u32);
        }
        let lines = lines_of(state).saturating_sub(lines_before);
        let read_any = bytes > 0 || plan.again;
        if !read_any && problems.is_empty() && !first {
            sleep(WATCH_EVERY_MS - (js_sys::Date::now() - look_start)).await;
            continue;
        }
        {
            let mut st = state.borrow_mut();
            st.inputs = files
                .iter()
                .map(|(name, w)| Input {
                    status: InputStatus {
                        id: w.id,
                        name: name.clone(),
                        size: w.seen.read_to,
                        state: InputState::Done,
                        bytes_read: w.seen.read_to,
                        error: None,
                        sources: w.sources.clone(),
                        memory_to_read_all_mib: None,
                        source_info: vec![],
                    },
                    bytes: w.file.clone().map(Bytes::File),
                    // the watched folder is the one source
                    origin: String::new(),
                })
                .collect();
            if read_any {
                st.data.rebuild();
            }
            let report = report_of(&st);
            let recorded = &report.alerts.recorded;
            let alerts = recorded.iter().skip(alerts_seen).map(say::alert_toast).collect();
            alerts_seen = recorded.len();
            let at_ms = js_sys::Date::now();
            post(&FromWorker::Watched(WatchUpdate {
                at_ms,
                bytes,
                lines,
                lines_per_s: if first { 0.0 } else { say::lines_per_s(lines, at_ms - last_read_ms) },
                total_bytes: files.values().map(|f| f.seen.read_to).sum(),
                files: files.len() as u32,
                again: plan.again,
                alerts,
                problems,
                live: true,
            }));
            if read_any || first {
                post_computed(&st, &report);
                last_read_ms = at_ms;
            }
        }
        first = false;
        sleep(WATCH_EVERY_MS - (js_sys::Date::now() - look_start)).await;
    }
}

/// A look that read nothing and has `problems` to say (`live`: the watch goes on).
fn said_only(files: &BTreeMap<String, Watched>, problems: Vec<String>, live: bool) -> WatchUpdate {
    WatchUpdate {
        at_ms: js_sys::Date::now(),
        bytes: 0,
        lines: 0,
        lines_per_s: 0.0,
        total_bytes: files.values().map(|f| f.seen.read_to).sum(),
        files: files.len() as u32,
        again: false,
        alerts: vec![],
        problems,
        live,
    }
}

/// Lines read so far, over every source of the store.
fn lines_of(state: &Shared) -> u64 {
    state.borrow().data.store.sources.iter().map(|s| s.lines).sum()
}

/// Waits `ms` (a timer: the worker's event loop runs meanwhile).
async fn sleep(ms: f64) {
    let ms = ms.clamp(0.0, WATCH_EVERY_MS) as i32;
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(p).await;
}
