//! The page's main thread: the skeleton in `www/index.html` is filled and kept in sync with the
//! worker's messages. Nothing heavy runs here: reading, sessions and reports are the worker's,
//! and what the page says and where it draws is worked out by the pure `crate::page`.
//!
//! `<body data-state>` is `empty`, `loading`, `ready` or `error`; `ready` is set only after every
//! figure of the latest report is drawn.
//!
//! - `link.rs`: the worker and its parse workers — starting them, sending, the watchdog, and the
//!   messages that come back
//! - `files.rs`: getting files in (input, folder input, drop with folder walking), removing them
//!   and reading them again, the files list
//! - `render.rs`: the report rendered in slices of small jobs (`page::slices`) — overview,
//!   sections with their tables and charts (those on screen first), sessions, diagnostics — and
//!   the progress line
//! - `tables.rs`: the tables of report rows: paging, sorting, CSV, opening a row's timeline
//! - `chart_pointer.rs`: the pointer over a chart — tooltips, a line chart's crosshair and its
//!   legend isolating a series, a click on a model's or executor's mark filtering by it
//! - `brush.rs`: the time brush (sessions per day; dragging sets the time filter)
//! - `params.rs`: the filters and the parameters panel (with the price and alias tables)
//! - `timeline.rs`: the drill-down into one attempt
//! - `comparison.rs`: the A/B comparison — the Compare panel, the worker's answer as a section
//! - `recipe.rs`: the view in the address (filters, parameters, section, open attempt): read at
//!   start, written on every change, copied by "Copy link"
//! - `actions.rs`: clicks, shortcuts, exports, the theme, and the skeleton's listeners
//! - `watch.rs`: "Watch a folder" — the picker, the live badge, alert toasts, the banner's
//!   notes of a file gone or cut, and the explanation where the browser cannot watch
//! - `a11y.rs`: keyboard and screen readers — modal dialogs' focus, the files list as one Tab
//!   stop, the skip link, the table of contents, the live region

mod a11y;
mod actions;
mod brush;
mod chart_pointer;
mod comparison;
mod files;
mod link;
mod params;
mod recipe;
mod render;
mod tables;
mod timeline;
mod watch;

pub use tables::table_block;

use super::dom::*;
use super::js_error;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// Everything the page's main thread holds, by concern.
#[derive(Default)]
struct App {
    /// the worker, its parse workers and the watchdog over them
    link: link::Link,
    /// the files the user gave, and what the worker says of them
    files: files::Files,
    /// the latest report, as far as it is parsed and rendered, with its tables and charts
    shown: render::Shown,
    /// the filters and parameters in force, and the controls being used
    controls: params::Controls,
    /// the banner's message, until dismissed or a new load starts
    last_error: Option<String>,
    /// focus and the live region: dialogs open, the files list's Tab stop, what is to be said
    a11y: a11y::A11y,
    /// a watched folder: on or not, and what its badge and banner show
    watch: watch::Watching,
}

thread_local! {
    static APP: RefCell<App> = RefCell::new(App::default());
}

fn with<R>(f: impl FnOnce(&mut App) -> R) -> R {
    APP.with(|a| f(&mut a.borrow_mut()))
}

fn body() -> HtmlElement {
    document().body().expect("body")
}

fn set_state(state: &str) {
    attr(&body(), "data-state", state);
}

fn state_is(state: &str) -> bool {
    body().get_attribute("data-state").as_deref() == Some(state)
}

/// Shows an error in the banner (and the page's error state when nothing is loaded).
fn show_error(msg: &str) {
    if let Some(b) = by_id("banner") {
        clear(&b);
        append(&b, &el_text("span", "", msg));
        let close = button("Dismiss", "ghost small", "dismiss-banner");
        append(&b, &close);
        show(&b, true);
    }
    with(|a| a.last_error = Some(msg.to_string()));
}

/// `performance.now()` of the page.
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// The page's device pixel ratio.
fn dpr() -> f64 {
    web_sys::window().map_or(1.0, |w| w.device_pixel_ratio())
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("Spyglass hit an internal error: {info}");
        web_sys::console::error_1(&msg.clone().into());
        if let Some(b) = by_id("banner") {
            clear(&b);
            append(&b, &el_text("span", "", &msg));
            show(&b, true);
        }
        set_state("error");
    }));
    if let Err(e) = init() {
        show_error(&format!("the page could not start: {}", js_error(&e)));
        set_state("error");
    }
}

fn init() -> Result<(), JsValue> {
    link::start()?;
    actions::wire_skeleton();
    watch::wire();
    params::render_params();
    // an address that names a view applies it, and says so before any file is loaded
    recipe::apply_from_address();
    Ok(())
}
