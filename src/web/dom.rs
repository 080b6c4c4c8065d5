//! Small DOM helpers. Every data string goes in as a text node, never as markup.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, EventTarget, HtmlElement};

pub fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

pub fn by_id(id: &str) -> Option<HtmlElement> {
    document().get_element_by_id(id).and_then(|e| e.dyn_into().ok())
}

/// An element with a class (empty = none).
pub fn el(tag: &str, class: &str) -> HtmlElement {
    let e: HtmlElement = document().create_element(tag).expect("create_element").unchecked_into();
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// An element holding `text` as a text node.
pub fn el_text(tag: &str, class: &str, text: &str) -> HtmlElement {
    let e = el(tag, class);
    e.set_text_content(Some(text));
    e
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

pub fn text(parent: &Element, s: &str) {
    let _ = parent.append_child(&document().create_text_node(s));
}

pub fn clear(e: &Element) {
    e.set_text_content(None);
}

pub fn attr(e: &Element, k: &str, v: &str) {
    let _ = e.set_attribute(k, v);
}

pub fn button(label: &str, class: &str, action: &str) -> HtmlElement {
    let b = el_text("button", class, label);
    attr(&b, "type", "button");
    if !action.is_empty() {
        attr(&b, "data-action", action);
    }
    b
}

pub fn show(e: &Element, visible: bool) {
    if visible {
        let _ = e.remove_attribute("hidden");
    } else {
        attr(e, "hidden", "");
    }
}

/// Adds a listener for the page's lifetime (used only for the fixed skeleton, never per render).
pub fn listen<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
    target: &EventTarget,
    event: &str,
    f: impl FnMut(E) + 'static,
) {
    let c = Closure::<dyn FnMut(E)>::new(f);
    let _ = target.add_event_listener_with_callback(event, c.as_ref().unchecked_ref());
    c.forget();
}

/// Like [`listen`], for a handler that may run re-entrantly (a click it causes comes back to it).
pub fn listen_reentrant<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
    target: &EventTarget,
    event: &str,
    f: impl Fn(E) + 'static,
) {
    let c = Closure::<dyn Fn(E)>::new(f);
    let _ = target.add_event_listener_with_callback(event, c.as_ref().unchecked_ref());
    c.forget();
}

/// Runs `f` after `ms` milliseconds, once.
pub fn later(ms: i32, f: impl FnOnce() + 'static) {
    let c = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(c.unchecked_ref(), ms);
    }
}

/// Starts a download of `bytes` (a Blob) under `name`.
pub fn download_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    let a: web_sys::HtmlAnchorElement = el("a", "").unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    let body = document().body().expect("body");
    append(&body, &a);
    a.click();
    a.remove();
    later(1000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

pub fn download_text(text: &str, mime: &str, name: &str) {
    download_js_string(&JsValue::from_str(text), mime, name)
}

/// Like [`download_text`] for a JS string, without copying it through Rust.
pub fn download_js_string(text: &JsValue, mime: &str, name: &str) {
    let parts = js_sys::Array::of1(text);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        download_blob(&blob, name);
    }
}
