//! Reading one input into the store: a file chunk by chunk through a BYOB reader (each chunk
//! decoded in slices, yielding between them), a large plain file in ranges asked of the parse
//! workers, the demo's bytes from memory; progress while it goes, and what is said of it at the
//! end (`page::notes`).

use super::{post, post_error, scope, Bytes, Shared, State};
use crate::ingest::archive::{sniff, ContainerKind};
use crate::ingest::ranges::{RangeMerge, RangeResult};
use crate::ingest::{Feed, JunkCap, RatioCap, Stopped, SLICE_BYTES};
use crate::page::notes::ReadEnd;
use crate::page::protocol::{FromWorker, InputState, Progress};
use crate::web::byob::{self, ByobReader};
use crate::web::{js_error, parsers};
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Bytes of the demo's in-memory files pushed at a time.
pub(super) const CHUNK: usize = 1 << 20;
/// Bytes of a file read at a time (as many as Chromium's blob stream hands out per chunk).
const READ_CHUNK: u32 = 2 << 20;

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
pub(super) async fn read_input(state: &Shared, i: usize, generation: u32) {
    let (name, bytes) = {
        let st = &mut *state.borrow_mut();
        let input = &mut st.inputs[i];
        input.status.state = InputState::Reading;
        // the sources this input adds are of its origin (inputs are read one at a time)
        if !input.origin.is_empty() {
            st.data.store.begin_origin(&input.origin);
        }
        (input.status.name.clone(), input.bytes.clone())
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
                let st = &mut state.borrow_mut();
                return finish_input(st, i, &name, first_source, failure, cancelled, stopped, None);
            }
            Some(ContainerKind::Gzip) => gzip_size = gzip_trailer_size(file).await,
            _ => {}
        }
    }
    let mut feed = Feed::with_size_hint(&name, bytes.size());
    feed.set_memory_limit(state.borrow().memory.records_budget());
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
                // when the loop last let the event loop run: kept across chunks, since a chunk
                // read ahead is awaited as a microtask, which lets no `cancel` in — a plain file
                // read faster than it is parsed never yielded, and Cancel went unanswered
                let mut yielded = now_ms();
                loop {
                    if now_ms() - yielded >= YIELD_MS {
                        let _ = JsFuture::from(sleep_0()).await;
                        yielded = now_ms();
                    }
                    let t0 = now_ms();
                    let chunk = reader.next().await;
                    let t1 = now_ms();
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
        let input = &mut st.inputs[i].status;
        input.bytes_read = input.bytes_read.max(input.size);
    }
    feed.finish(&mut st.data.store);
    finish_input(&mut st, i, &name, first_source, failure, cancelled, stopped, gave_up);
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
    if !byob::supported() {
        return false;
    }
    if !std::mem::replace(&mut state.borrow_mut().parsers_asked, true) {
        let answered = js_sys::Promise::new(&mut |resolve, _| state.borrow_mut().parsers_wanted = Some(resolve));
        post(&FromWorker::WantParsers);
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
/// Returns (failure, cancelled, where the budget stopped it), or `None` when a reset made the read
/// obsolete.
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
        merge.set_memory_limit(st.memory.records_budget());
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
                let done = st.inputs[i].status.bytes_read + n;
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

/// An input's state, sources and note once its read ended (done, failed, cancelled or stopped);
/// the note goes in the banner too when it is a failure.
#[allow(clippy::too_many_arguments)]
fn finish_input(
    st: &mut State,
    i: usize,
    name: &str,
    first_source: u32,
    failure: Option<String>,
    cancelled: bool,
    stopped: Option<Stopped>,
    gave_up: Option<String>,
) {
    let store = &st.data.store;
    let last_source = store.sources.len() as u32;
    let status = &st.inputs[i].status;
    let end = ReadEnd {
        name,
        size: status.size,
        bytes_read: status.bytes_read,
        failure,
        cancelled,
        stopped,
        gave_up,
        compressed: store.sources.get(first_source as usize).is_some_and(|s| s.container != "plain"),
        source_error: (first_source..last_source).filter_map(|s| store.sources[s as usize].error.clone()).next(),
        held_bytes: store.held_bytes(),
        loaded_bytes: st.inputs.iter().map(|input| input.status.bytes_read).sum(),
    };
    let outcome = end.outcome(&st.memory);
    let status = &mut st.inputs[i].status;
    status.sources = (first_source..last_source).collect();
    status.state = outcome.state;
    status.error = outcome.error.clone();
    status.memory_to_read_all_mib = outcome.memory_to_read_all_mib;
    if outcome.state == InputState::Cancelled {
        let queued: Vec<usize> = st.queue.drain(..).collect();
        for q in queued {
            st.inputs[q].status.state = InputState::Cancelled;
        }
    }
    if let (Some(kind), Some(msg)) = (outcome.banner, &outcome.error) {
        post_error(kind, msg);
    }
}

/// Size of the worker's Wasm memory (it only grows): the bulk of the worker's memory, sent with
/// `progress` and `report` for benchmarks (tests/e2e/bench.mjs).
pub(super) fn wasm_bytes() -> f64 {
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

/// A promise resolved by a macrotask (lets queued messages run): a message to itself on a new
/// channel, queued behind the page's messages already waiting; `setTimeout(0)` would do the same
/// but is clamped to 4 ms once nested, a tenth of the time between yields.
pub(super) fn sleep_0() -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| match web_sys::MessageChannel::new() {
        Ok(channel) => {
            channel.port1().set_onmessage(Some(&resolve));
            let _ = channel.port2().post_message(&JsValue::NULL);
        }
        Err(_) => {
            let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    })
}

/// `n` more bytes of input `i` read (`decompressed`: its decompressed bytes so far); a progress
/// message at most every 100 ms.
fn advance(st: &mut State, i: usize, n: u64, name: &str, decompressed: u64) {
    st.inputs[i].status.bytes_read += n;
    st.batch_done += n;
    let now = js_sys::Date::now();
    if now - st.last_progress_ms < 100.0 {
        return;
    }
    st.last_progress_ms = now;
    let secs = ((now - st.batch_start_ms) / 1000.0).max(1e-3);
    let rate = st.batch_done as f64 / secs;
    let left = st.batch_total.saturating_sub(st.batch_done) as f64;
    post(&FromWorker::Progress(Progress {
        name: name.to_string(),
        id: st.inputs[i].status.id,
        done: st.batch_done,
        total: st.batch_total,
        percent: st.batch_done as f64 * 100.0 / st.batch_total.max(1) as f64,
        mb_per_s: rate / 1e6,
        eta_s: if rate > 0.0 { left / rate } else { 0.0 },
        decompressed,
        wasm_bytes: wasm_bytes(),
        records_bytes: st.data.store.held_bytes() as f64,
        core_ms: st.core_ms,
        wait_ms: st.wait_ms,
        parsers: st.parsers_in_use,
    }));
}
