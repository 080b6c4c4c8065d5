//! "Watch a folder": the picked folder's `FileSystemDirectoryHandle` goes to the worker, which
//! looks at it every two seconds and reads only what changed (`web/worker/watch.rs`); here the
//! live badge (`#live-badge`: the last update and the lines per second, with Stop), a toast per
//! recorded alert that arrives (`#toasts`), the banner naming a file gone, unreadable or cut
//! mid-line, and — where the browser lacks `showDirectoryPicker` — the button's explanation with
//! the ordinary pickers (`#watch-note`). What the page says comes from `page::watch`.

use super::link::{memory_settings, send};
use super::{set_state, show_error, with};
use crate::page::protocol::{ToWorker, WatchFolder, WatchUpdate};
use crate::page::watch::{badge, UNSUPPORTED};
use crate::web::dom::*;
use crate::web::js_error;
use crate::web::protocol::Js;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How many toasts show at once (the oldest goes), and for how long each.
const MAX_TOASTS: u32 = 5;
const TOAST_MS: i32 = 12_000;

#[derive(Default)]
pub(super) struct Watching {
    /// a folder is watched
    pub(super) on: bool,
    /// the banner shows the watch's notes (cleared by an update that has none and read something)
    banner: bool,
    updates: u32,
}

/// `window.showDirectoryPicker`, where the browser has it.
fn picker() -> Option<js_sys::Function> {
    js_sys::Reflect::get(&js_sys::global(), &"showDirectoryPicker".into()).ok()?.dyn_into().ok()
}

/// At start: where the browser cannot watch, the buttons say why (their title, and
/// `aria-describedby` pointing at the explanation) and stay, to offer the ordinary pickers.
pub(super) fn wire() {
    if picker().is_some() {
        return;
    }
    if let Some(why) = by_id("watch-unsupported") {
        why.set_text_content(Some(UNSUPPORTED));
    }
    if let Ok(buttons) = document().query_selector_all("[data-action=watch-folder]") {
        for i in 0..buttons.length() {
            if let Some(b) = buttons.get(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                attr(&b, "data-supported", "false");
                attr(&b, "title", UNSUPPORTED);
                attr(&b, "aria-describedby", "watch-unsupported");
            }
        }
    }
}

/// The watch button: the folder picker (in the click itself: it needs the user's gesture), or
/// where there is none, the explanation with the ordinary pickers.
pub(super) fn on_click() {
    let Some(pick) = picker() else {
        if let Some(note) = by_id("watch-note") {
            show(&note, true);
            let _ = note.focus();
        }
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"mode".into(), &"read".into());
    let asked = pick.call1(&js_sys::global(), &options).and_then(|p| p.dyn_into::<js_sys::Promise>());
    let asked = match asked {
        Ok(p) => p,
        Err(e) => return show_error(&format!("the folder could not be picked: {}", js_error(&e))),
    };
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(asked).await {
            Ok(dir) => start(dir),
            // the picker closed without a folder: nothing to say
            Err(e) if js_error(&e).starts_with("AbortError") => {}
            Err(e) => show_error(&format!("the folder could not be opened: {}", js_error(&e))),
        }
    });
}

/// Watches `dir`: what was loaded goes (the folder is all there is), the worker reads the folder
/// and keeps looking.
fn start(dir: JsValue) {
    super::comparison::close();
    with(|a| {
        a.files.inputs.clear();
        a.files.lost.clear();
        a.files.demo_loaded = false;
        a.files.states.clear();
        a.shown.report = Default::default();
        a.last_error = None;
        a.link.busy = false;
        a.watch = Watching { on: true, banner: false, updates: 0 };
    });
    if let Some(note) = by_id("watch-note") {
        show(&note, false);
    }
    if let Some(b) = by_id("banner") {
        show(&b, false);
    }
    send(ToWorker::Reset);
    let (memory_mib, dpr) = memory_settings();
    send(ToWorker::Watch(WatchFolder { dir: Js(dir), memory_mib, dpr }));
    set_state("loading");
    if let Some(b) = by_id("live-badge") {
        attr(&b, "data-updates", "0");
        attr(&b, "data-bytes", "0");
        attr(&b, "data-live", "true");
        show(&b, true);
    }
    if let Some(t) = by_id("live-text") {
        t.set_text_content(Some("Live · reading the folder…"));
    }
}

/// Stops watching (Stop, or files loaded another way): what was read stays.
pub(super) fn stop() {
    if with(|a| std::mem::take(&mut a.watch.on)) {
        send(ToWorker::Unwatch);
    }
    if let Some(b) = by_id("live-badge") {
        show(&b, false);
        attr(&b, "data-live", "false");
    }
}

/// A look at the folder: the badge, toasts for the alerts that arrived, the banner's notes.
pub(super) fn on_update(u: WatchUpdate) {
    if !with(|a| a.watch.on) {
        return;
    }
    let updates = with(|a| {
        a.watch.updates += 1;
        if !u.live {
            a.watch.on = false;
        }
        a.watch.updates
    });
    // a report follows what was read: the page is loading until it is drawn
    if u.bytes > 0 || u.again {
        set_state("loading");
    }
    // the badge says the last look that read anything (or the first, or the end)
    if u.bytes > 0 || u.again || updates == 1 || !u.live {
        let date = js_sys::Date::new(&u.at_ms.into());
        let text = badge((date.get_hours(), date.get_minutes(), date.get_seconds()), u.lines_per_s, u.live);
        if let Some(t) = by_id("live-text") {
            t.set_text_content(Some(&text));
        }
    }
    if let Some(b) = by_id("live-badge") {
        attr(&b, "data-updates", &updates.to_string());
        attr(&b, "data-bytes", &u.total_bytes.to_string());
        attr(&b, "data-live", if u.live { "true" } else { "false" });
        attr(&b, "title", &format!("{} files watched, {} bytes read", u.files, u.total_bytes));
    }
    for alert in &u.alerts {
        toast(alert);
    }
    if !u.problems.is_empty() {
        show_error(&u.problems.join(" · "));
        with(|a| a.watch.banner = true);
    } else if u.bytes > 0 && with(|a| std::mem::take(&mut a.watch.banner)) {
        // what the banner said (a cut line, say) is over
        if let Some(b) = by_id("banner") {
            show(&b, false);
        }
        with(|a| a.last_error = None);
    }
}

/// One toast, gone after a while (or on its ×); the oldest goes when there are too many.
fn toast(text: &str) {
    let Some(holder) = by_id("toasts") else { return };
    while holder.child_element_count() >= MAX_TOASTS {
        match holder.first_element_child() {
            Some(first) => first.remove(),
            None => break,
        }
    }
    let t = el("div", "toast");
    append(&t, &el_text("span", "", text));
    let close = button("×", "icon-btn", "dismiss-toast");
    attr(&close, "aria-label", "Dismiss");
    append(&t, &close);
    append(&holder, &t);
    let gone = t.clone();
    later(TOAST_MS, move || gone.remove());
}

/// A toast's ×.
pub(super) fn dismiss_toast(target: &web_sys::Element) {
    if let Ok(Some(t)) = target.closest(".toast") {
        t.remove();
    }
}
