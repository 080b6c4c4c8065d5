//! Parse workers: a large plain file is read as byte ranges by several workers at once.
//!
//! The page starts, beside the coordinator worker (`worker/`, which holds the only `Store`),
//! a few more instances of the same worker script and connects each to the coordinator with a
//! `MessageChannel`. The coordinator asks a parser for a range (`page::protocol::RangeRequest`);
//! the parser streams it with a BYOB reader into one reused buffer (plus the bytes that finish its
//! last line), parses it with `ingest::ranges::RangeParser` and answers with a `RangeAnswer`
//! (postcard bytes, transferred, or why it failed). The coordinator merges the results in file
//! order (`RangeMerge`), so the store is the one a single `Feed` would have built.

use super::protocol::{range_answer, range_request, to_js, Js};
use super::{call, field, js_error, obj, set};
use crate::ingest::ranges::RangeParser;
use crate::page::protocol::{Parsed, RangeAnswer, RangeFailed, RangeRequest};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, MessageEvent, MessagePort};

// ---- the parse worker's side --------------------------------------------------------------

thread_local! {
    /// requests not yet parsed: one range at a time, in the order asked
    static QUEUE: RefCell<std::collections::VecDeque<JsValue>> = RefCell::new(Default::default());
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// one JS buffer for every read (a BYOB reader fills it and hands it back) and one copy of
    /// it in Wasm memory: reading makes no garbage, and the parser's memory stays small
    static JS_BUFFER: RefCell<Option<js_sys::ArrayBuffer>> = const { RefCell::new(None) };
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Bytes read from the file at a time.
const READ_BYTES: u32 = 1 << 20;

/// Makes this worker a parser answering on `port`.
pub fn serve(port: MessagePort) {
    let reply = port.clone();
    let on_range = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        QUEUE.with(|q| q.borrow_mut().push_back(e.data()));
        if BUSY.with(|b| b.replace(true)) {
            return;
        }
        let reply = reply.clone();
        wasm_bindgen_futures::spawn_local(async move {
            while let Some(msg) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
                answer_request(&reply, &msg).await;
            }
            BUSY.with(|b| b.set(false));
        });
    });
    port.set_onmessage(Some(on_range.as_ref().unchecked_ref()));
    on_range.forget();
}

async fn answer_request(reply: &MessagePort, msg: &JsValue) {
    let (seq, result) = match range_request(msg.clone()) {
        Ok(RangeRequest { seq, file, start, end }) => match file.0.dyn_into::<Blob>() {
            Ok(file) => (seq, parse_range(&file, start, end).await),
            Err(_) => (seq, Err("no file in the request".to_string())),
        },
        // answered all the same, or the coordinator would wait for it
        Err(e) => (field(msg, "seq").as_f64().unwrap_or(0.0) as u32, Err(e.to_string())),
    };
    match result {
        Ok(bytes) => {
            let array = js_sys::Uint8Array::from(&bytes[..]);
            let answer = RangeAnswer::Parsed(Parsed { seq, result: Js(array.clone().into()) });
            let _ = reply.post_message_with_transferable(&to_js(&answer), &js_sys::Array::of1(&array.buffer()));
        }
        Err(error) => {
            let _ = reply.post_message(&to_js(&RangeAnswer::<Js>::Failed(RangeFailed { seq, error })));
        }
    }
}

/// Streams `[from, to)` of `file` into the parser, while `more()` holds; returns the bytes read.
/// One buffer, read then parsed: the worker's double-buffered `byob::ByobReader` was tried here and
/// measured no faster, and each range's last read (cancelled mid-way) lost its buffer to the
/// garbage collector (+60 MiB on a 500 MB file with two parse workers).
async fn read_into(
    parser: &mut RangeParser,
    file: &Blob,
    from: u64,
    to: u64,
    mut more: impl FnMut(&RangeParser) -> bool,
) -> Result<u64, String> {
    let slice = file.slice_with_f64_and_f64(from as f64, to as f64).map_err(|e| js_error(&e))?;
    let options = obj();
    set(&options, "mode", &"byob".into());
    let reader = call(&slice.stream(), "getReader", Some(&options))?;
    let mut read = 0u64;
    while more(parser) {
        let buffer = JS_BUFFER.with(|b| b.borrow_mut().take()).unwrap_or_else(|| js_sys::ArrayBuffer::new(READ_BYTES));
        let view = js_sys::Uint8Array::new(&buffer);
        let promise: js_sys::Promise = call(&reader, "read", Some(&view))?.unchecked_into();
        let result = JsFuture::from(promise).await.map_err(|e| js_error(&e))?;
        let value = field(&result, "value");
        if let Ok(chunk) = value.clone().dyn_into::<js_sys::Uint8Array>() {
            BUFFER.with(|b| {
                let data = &mut *b.borrow_mut();
                // grown once to the largest chunk and never shrunk: no zero-fill per chunk
                let n = chunk.length() as usize;
                if data.len() < n {
                    data.resize(n, 0);
                }
                chunk.copy_to(&mut data[..n]);
                parser.push(&data[..n]);
            });
            read += chunk.length() as u64;
            JS_BUFFER.with(|b| *b.borrow_mut() = Some(chunk.buffer()));
        }
        if field(&result, "done").as_bool().unwrap_or(true) {
            break;
        }
    }
    let _ = call(&reader, "cancel", None);
    Ok(read)
}

/// Reads and parses the lines that start in `[start, end)` of `file`.
async fn parse_range(file: &Blob, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let size = file.size() as u64;
    let mut parser = RangeParser::new(start);
    let from = start.saturating_sub(1);
    if read_into(&mut parser, file, from, end, |_| true).await? < end - from {
        return Err("the file ended early: it changed or was cut while being read".into());
    }
    parser.end_of_range();
    let mut at_eof = end >= size;
    if parser.needs_more() && !at_eof {
        read_into(&mut parser, file, end, size, RangeParser::needs_more).await?;
        at_eof = parser.needs_more();
    }
    Ok(parser.finish(at_eof).to_bytes())
}

// ---- the coordinator's side ---------------------------------------------------------------

thread_local! {
    static PORTS: RefCell<Vec<MessagePort>> = const { RefCell::new(Vec::new()) };
    /// requests sent and not answered: seq → the resolve function of the request's promise
    static WAITING: RefCell<HashMap<u32, js_sys::Function>> = RefCell::new(HashMap::new());
    static NEXT_SEQ: Cell<u32> = const { Cell::new(0) };
}

/// Takes the ports to the parse workers (the page's `parsers` message).
pub fn connect(ports: Vec<MessagePort>) {
    for port in &ports {
        let on_answer = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let Ok(answer) = range_answer(data.clone()) else { return };
            if let Some(resolve) = WAITING.with(|w| w.borrow_mut().remove(&answer.seq())) {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        port.set_onmessage(Some(on_answer.as_ref().unchecked_ref()));
        on_answer.forget();
    }
    PORTS.with(|p| *p.borrow_mut() = ports);
}

/// How many parse workers are connected.
pub fn count() -> usize {
    PORTS.with(|p| p.borrow().len())
}

/// Asks parser `which` (modulo their number) for a range; the promise resolves to its answer.
/// An answer that nobody awaits any more (after a cancel) is dropped when it comes.
pub fn request(which: usize, file: &Blob, start: u64, end: u64) -> js_sys::Promise {
    let seq = NEXT_SEQ.with(|n| {
        n.set(n.get().wrapping_add(1));
        n.get()
    });
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        WAITING.with(|w| w.borrow_mut().insert(seq, resolve));
    });
    let msg = to_js(&RangeRequest { seq, file: Js(file.clone().into()), start, end });
    PORTS.with(|p| {
        let ports = p.borrow();
        if let Some(port) = ports.get(which % ports.len().max(1)) {
            let _ = port.post_message(&msg);
        }
    });
    promise
}

/// The parser's answer: the result's bytes, or why the range could not be read.
pub fn answer(data: &JsValue) -> Result<Vec<u8>, String> {
    match range_answer(data.clone()).map_err(|e| e.to_string())? {
        RangeAnswer::Parsed(p) => p
            .result
            .0
            .dyn_into::<js_sys::Uint8Array>()
            .map(|a| a.to_vec())
            .map_err(|_| "a parse worker answered without bytes".to_string()),
        RangeAnswer::Failed(f) => Err(f.error),
    }
}
