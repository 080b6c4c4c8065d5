//! Reading a `Blob` with a BYOB ("bring your own buffer") reader into two buffers that take turns:
//! the next chunk is being read while the caller works on this one, and no chunk is new garbage.
//! (A default reader hands out a fresh `Uint8Array` per chunk: reading a 2 GB file that way left
//! several hundred MB of them for the garbage collector, and the renderer grew by as much.)

use super::{call, field, js_error, obj, set};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

pub struct ByobReader {
    reader: JsValue,
    /// false where the browser has no BYOB reader for a Blob: a default reader then
    byob: bool,
    pending: Option<js_sys::Promise>,
    spare: Vec<js_sys::ArrayBuffer>,
    chunk_bytes: u32,
}

/// Whether this browser reads a Blob with a BYOB reader (the parse workers need one).
pub fn supported() -> bool {
    thread_local! {
        static SUPPORTED: bool = web_sys::Blob::new().ok().is_some_and(|b| byob_reader(&b).is_ok());
    }
    SUPPORTED.with(|s| *s)
}

fn byob_reader(blob: &Blob) -> Result<JsValue, String> {
    let options = obj();
    set(&options, "mode", &"byob".into());
    call(&blob.stream(), "getReader", Some(&options))
}

impl ByobReader {
    pub fn new(blob: &Blob, chunk_bytes: u32) -> Result<ByobReader, String> {
        Self::with(blob, chunk_bytes, true)
    }

    /// `byob: false` takes a default reader even where a BYOB one exists (the browser tests read
    /// both ways).
    pub fn with(blob: &Blob, chunk_bytes: u32, byob: bool) -> Result<ByobReader, String> {
        let (reader, byob) = match byob.then(|| byob_reader(blob)) {
            Some(Ok(r)) => (r, true),
            _ => (call(&blob.stream(), "getReader", None)?, false),
        };
        Ok(ByobReader { reader, byob, pending: None, spare: Vec::new(), chunk_bytes })
    }

    fn start(&mut self) -> Result<js_sys::Promise, String> {
        if !self.byob {
            return Ok(call(&self.reader, "read", None)?.unchecked_into());
        }
        let buffer = self.spare.pop().unwrap_or_else(|| js_sys::ArrayBuffer::new(self.chunk_bytes));
        Ok(call(&self.reader, "read", Some(&js_sys::Uint8Array::new(&buffer)))?.unchecked_into())
    }

    /// The next chunk, or `None` at the end. Hand it back with [`ByobReader::give_back`] once
    /// copied out, for a later read to fill.
    pub async fn next(&mut self) -> Result<Option<js_sys::Uint8Array>, String> {
        let promise = match self.pending.take() {
            Some(p) => p,
            None => self.start()?,
        };
        let result = JsFuture::from(promise).await.map_err(|e| js_error(&e))?;
        if field(&result, "done").as_bool().unwrap_or(true) {
            return Ok(None);
        }
        self.pending = Some(self.start()?);
        Ok(field(&result, "value").dyn_into::<js_sys::Uint8Array>().ok())
    }

    pub fn give_back(&mut self, chunk: js_sys::Uint8Array) {
        if self.byob {
            self.spare.push(chunk.buffer());
        }
    }

    pub fn cancel(&self) {
        let _ = call(&self.reader, "cancel", None);
    }
}
