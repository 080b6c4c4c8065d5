//! The view in the address (`page::recipe`): read once when the page starts — the filters and
//! parameters go into the controls, the section and the attempt wait for the data — and written
//! again (without a history entry) whenever the filters, the parameters, the section in view or
//! the open timeline change. "Copy link" copies it.

use super::link::send;
use super::params::{filters_toggle_label, render_params, set_filter_inputs};
use super::with;
use crate::page::protocol::{Compute, ToWorker};
use crate::page::recipe::{self, Recipe};
use crate::web::dom::*;
use std::cell::RefCell;

thread_local! {
    /// the section and the attempt an address named, applied once the data is ready
    static PENDING: RefCell<(Option<String>, Option<String>)> = const { RefCell::new((None, None)) };
}

fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The page starts: what the address names goes into the controls; the empty page says what
/// the link will apply and what it could not.
pub(super) fn apply_from_address() {
    let read = recipe::read(&hash());
    let r = read.recipe;
    if r == Recipe::default() && read.ignored.is_empty() {
        return;
    }
    let said = recipe::describe(&r);
    PENDING.with(|p| *p.borrow_mut() = (r.section.clone(), r.attempt.clone()));
    // the time and task inputs take theirs now; the executor and model lists, which have no
    // options before data, select theirs from `controls.filters` when the first report lists them
    set_filter_inputs(&r.filters);
    with(|a| {
        a.controls.filters = r.filters.clone();
        a.controls.params = r.params.clone();
    });
    render_params();
    filters_toggle_label();
    // the worker holds the same filters and parameters before any file comes
    let params = serde_json::to_string(&r.params).unwrap_or_default();
    send(ToWorker::Compute(Compute { filters: r.filters.clone(), params }));
    if let Some(note) = by_id("link-note") {
        let mut text = if said.is_empty() {
            String::new()
        } else {
            format!("This link applies {} once logs are loaded.", said.join(" · "))
        };
        if !read.ignored.is_empty() {
            text.push_str(&format!(" It could not apply: {}.", read.ignored.join("; ")));
        }
        note.set_text_content(Some(text.trim()));
        show(&note, true);
    }
}

/// Data is ready: the section and the attempt the address named are shown (once).
pub(super) fn on_ready() {
    let (section, attempt) = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    if let Some(s) = section {
        super::a11y::jump_to(&format!("section-{s}"));
    }
    if let Some(a) = attempt {
        super::timeline::open_timeline(&a);
    }
}

/// The view now: the controls' filters and parameters, the section in view (unless the first),
/// the attempt whose timeline is open.
fn current() -> Recipe {
    let (filters, params) = with(|a| (a.controls.filters.clone(), a.controls.params.clone()));
    let section = document()
        .query_selector("#toc a[aria-current=\"true\"]")
        .ok()
        .flatten()
        .filter(|a| a.previous_element_sibling().is_some())
        .and_then(|a| a.get_attribute("data-target"))
        .and_then(|t| t.strip_prefix("section-").map(str::to_string));
    Recipe { filters, params, section, attempt: super::timeline::open_attempt() }
}

/// Writes the view into the address, replacing the entry (Back still leaves the page).
pub(super) fn update_address() {
    // an address named a view not applied yet: keep it until the data is there
    if PENDING.with(|p| p.borrow().0.is_some() || p.borrow().1.is_some()) {
        return;
    }
    let fragment = recipe::write(&current());
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let hash = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
    if loc.hash().ok().as_deref() == Some(hash.as_str()) {
        return;
    }
    let url = format!("{}{}{hash}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies the address of this view (the logs are not in it: the recipient loads theirs).
pub(super) fn copy_link(button_id: &str) {
    update_address();
    let Some(w) = web_sys::window() else { return };
    let Ok(href) = w.location().href() else { return };
    let _ = w.navigator().clipboard().write_text(&href);
    if let Some(b) = by_id(button_id) {
        let label = b.text_content().unwrap_or_default();
        b.set_text_content(Some("Link copied"));
        let id = button_id.to_string();
        later(1500, move || {
            if let Some(b) = by_id(&id) {
                b.set_text_content(Some(&label));
            }
        });
    }
}
