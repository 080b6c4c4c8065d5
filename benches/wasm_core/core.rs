//! The ingest core alone as a bare Wasm module, to profile and time it in a Wasm engine without a
//! browser (`node benches/wasm_core/run.mjs FILE`: V8, the engine of Chromium, with `--cpu-prof` for a
//! per-function profile). Built for wasm32-unknown-unknown at the worker's profile:
//!   cargo build --example wasm_core --target wasm32-unknown-unknown --profile wasm-worker
//! The host copies each chunk into the buffer `buffer(len)` returns and calls `push(len)`, as the
//! page's worker hands `Feed` its chunks.
use spyglass::ingest::{Feed, Store};
use std::cell::RefCell;

thread_local! {
    static STATE: RefCell<Option<(Store, Feed, Vec<u8>)>> = const { RefCell::new(None) };
}

/// Starts reading a file of `size` bytes (sized as the page sizes its feed).
#[no_mangle]
pub extern "C" fn begin(size: f64) {
    STATE.with(|s| {
        *s.borrow_mut() = Some((Store::new(), Feed::with_size_hint("stream.jsonl", size as u64), Vec::new()))
    });
}

/// A buffer of `len` bytes for the next chunk.
#[no_mangle]
pub extern "C" fn buffer(len: usize) -> *mut u8 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let (_, _, buf) = s.as_mut().expect("begin first");
        buf.resize(len, 0);
        buf.as_mut_ptr()
    })
}

/// Reads the first `len` bytes of the buffer.
#[no_mangle]
pub extern "C" fn push(len: usize) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let (store, feed, buf) = s.as_mut().expect("begin first");
        feed.push(store, &buf[..len]);
    })
}

/// Ends the file; returns the records kept (events, metrics rows and alerts).
#[no_mangle]
pub extern "C" fn finish() -> f64 {
    STATE.with(|s| {
        let (mut store, feed, _) = s.borrow_mut().take().expect("begin first");
        feed.finish(&mut store);
        (store.events.len() + store.metrics.len() + store.alerts.len()) as f64
    })
}
