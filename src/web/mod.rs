//! The browser layer (wasm32 only): [`app`] runs on the page's main thread and only renders;
//! [`worker`] runs the core in a Web Worker (reading, sessions, reports), helped by [`parsers`].
//! They talk in the messages of [`crate::page::protocol`] (documented there), which [`protocol`]
//! turns into and out of `JsValue`. What the page shows and says is worked out by the pure
//! [`crate::page`]; this layer keeps the awaits, `postMessage`, the DOM and the canvas.

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod byob;
#[cfg(target_arch = "wasm32")]
pub mod charts;
#[cfg(target_arch = "wasm32")]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod folder;
#[cfg(target_arch = "wasm32")]
pub mod parsers;
#[cfg(target_arch = "wasm32")]
pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod worker;

/// How values read (page tables, the HTML report): the core's [`crate::report::format`], under
/// its old name too.
pub use crate::report::format;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::{JsCast, JsValue};

/// A fresh empty JS object.
#[cfg(target_arch = "wasm32")]
pub(crate) fn obj() -> js_sys::Object {
    js_sys::Object::new()
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn set(o: &js_sys::Object, key: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(o, &key.into(), v);
}

/// A property of a message or result object (`undefined` when absent).
#[cfg(target_arch = "wasm32")]
pub(crate) fn field(v: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(v, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target.method(arg)` on a JS object (for APIs web-sys does not bind, such as the BYOB
/// reader); a throw becomes its message.
#[cfg(target_arch = "wasm32")]
pub(crate) fn call(target: &JsValue, method: &str, arg: Option<&JsValue>) -> Result<JsValue, String> {
    let f: js_sys::Function = js_sys::Reflect::get(target, &method.into())
        .map_err(|e| js_error(&e))?
        .dyn_into()
        .map_err(|_| format!("no {method}"))?;
    match arg {
        Some(a) => f.call1(target, a),
        None => f.call0(target),
    }
    .map_err(|e| js_error(&e))
}

/// A readable message out of a thrown JS value: `"Name: message"` for an `Error` (and a
/// `DOMException`, an `Error` too), the string itself for a thrown string, else the value's
/// `message` property or its debug form. Public for the browser tests (tests/web_glue.rs).
#[cfg(target_arch = "wasm32")]
pub fn js_error(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return format!("{}: {}", String::from(err.name()), String::from(err.message()));
    }
    let msg = js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string());
    msg.unwrap_or_else(|| format!("{e:?}"))
}
