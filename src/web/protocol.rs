//! The worker protocol's messages (`page::protocol`, where they are described) to and from
//! `JsValue`: the page, the worker and the parse workers post and read them only through here.
//!
//! Messages become plain JS objects through serde-wasm-bindgen (maps as plain objects); a [`Js`]
//! field crosses as the very JS object it holds (a `File`, a `MessagePort`, a `Uint8Array` to
//! transfer, a report's JSON text as a JS string), never copied through Rust. Reading takes the
//! `type` first and then the payload straight from the object (`ToWorker::read` and its
//! siblings): serde's own reading of an internally tagged enum would buffer the fields and lose
//! the JS objects.

use super::field;
use crate::page::protocol::{FromWorker, Payload, RangeAnswer, RangeRequest, ReadError, ToWorker};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use wasm_bindgen::JsValue;

/// A value that crosses as the same JS object (see the module's doc).
#[derive(Debug, Clone)]
pub struct Js(pub JsValue);

impl Serialize for Js {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_wasm_bindgen::preserve::serialize(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for Js {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(d).map(Js)
    }
}

impl From<JsValue> for Js {
    fn from(v: JsValue) -> Js {
        Js(v)
    }
}

/// Plain objects for maps (the report's `parts`), numbers for 64-bit integers (all within 2^53).
const TO_JS: serde_wasm_bindgen::Serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);

/// A message as the JS object to post. (Serialising fails only on an integer past 2^53, which no
/// message holds; it is then logged and `undefined` posted.)
pub fn to_js<T: Serialize>(m: &T) -> JsValue {
    m.serialize(&TO_JS).unwrap_or_else(|e| {
        web_sys::console::error_1(&format!("spyglass: a message could not be written: {e}").into());
        JsValue::UNDEFINED
    })
}

/// A posted object's payload, read by serde-wasm-bindgen.
struct Posted(JsValue);

impl Payload for Posted {
    type Error = serde_wasm_bindgen::Error;
    fn read<T: DeserializeOwned>(self) -> Result<T, Self::Error> {
        serde_wasm_bindgen::from_value(self.0)
    }
}

fn tag(v: &JsValue) -> Result<String, ReadError> {
    field(v, "type").as_string().ok_or_else(|| ReadError("a message without a type".into()))
}

/// A message to the worker (or to a parse worker: `parser`).
pub fn to_worker(v: JsValue) -> Result<ToWorker<Js>, ReadError> {
    ToWorker::read(&tag(&v)?, Posted(v))
}

/// A message from the worker or a parse worker.
pub fn from_worker(v: JsValue) -> Result<FromWorker<Js>, ReadError> {
    FromWorker::read(&tag(&v)?, Posted(v))
}

/// A parse worker's answer, on its port.
pub fn range_answer(v: JsValue) -> Result<RangeAnswer<Js>, ReadError> {
    RangeAnswer::read(&tag(&v)?, Posted(v))
}

/// A range request, on a parse worker's port.
pub fn range_request(v: JsValue) -> Result<RangeRequest<Js>, ReadError> {
    serde_wasm_bindgen::from_value(v).map_err(|e| ReadError(format!("range request: {e}")))
}
