//! Keyboard and screen readers: the modal dialogs (focus moved in, Tab kept inside, Esc back to
//! the opener), the files list as one Tab stop (a roving tabindex), the skip link, the sticky
//! table of contents with the section in view, and the live region `#announcer`. The arithmetic
//! is `page::a11y`'s; this applies it to the DOM.

use super::files::remove_input;
use super::with;
use crate::page::a11y::{is_remove_key, kept, list_move, moved, section_in_view, toc_entries, trapped, Why};
use crate::web::dom::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// What focus and the live region keep between events.
#[derive(Default)]
pub(super) struct A11y {
    /// the modal dialogs open, the latest last, each with what had the focus when it opened
    dialogs: Vec<Opened>,
    /// the files list's item that is its Tab stop (its place in the list)
    files_stop: usize,
    /// what the live region says once the report being made is drawn
    pending: Option<Why>,
    /// bumped by every announcement: a later one replaces an earlier one not yet said
    said: u32,
    /// a scroll is waiting to update the section in view
    spy_queued: bool,
}

struct Opened {
    id: String,
    opener: Option<HtmlElement>,
    /// the opener found again when it was rendered anew meanwhile (a table row: its table and row)
    again: Option<String>,
}

/// What can take the focus by Tab inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
    textarea:not([disabled]), summary, [tabindex]:not([tabindex=\"-1\"])";

fn active() -> Option<HtmlElement> {
    document().active_element().and_then(|e| e.dyn_into().ok())
}

/// Opens a modal dialog (`#help-dialog`, `#timeline`): the focus goes to its first control and
/// comes back to the element that had it when the dialog closes.
pub(super) fn open_dialog(id: &str) {
    let Some(dialog) = by_id(id) else { return };
    let opener = active().filter(|e| !dialog.contains(Some(e)) && e.tag_name() != "BODY");
    let again = opener.as_ref().and_then(|o| match (o.get_attribute("data-table"), o.get_attribute("data-row")) {
        (Some(t), Some(r)) if o.get_attribute("data-action").as_deref() == Some("row") => {
            Some(format!("tr[data-action=\"row\"][data-table=\"{t}\"][data-row=\"{r}\"]"))
        }
        _ => None,
    });
    with(|a| {
        let open = &mut a.a11y.dialogs;
        match open.iter().position(|d| d.id == id) {
            // opened again from outside (another row while the timeline shows): that is the opener now
            Some(i) if opener.is_some() => {
                let mut d = open.remove(i);
                d.opener = opener;
                d.again = again;
                open.push(d);
            }
            Some(_) => {}
            None => open.push(Opened { id: id.to_string(), opener, again }),
        }
    });
    set_shown(&dialog, true);
    if let Some(first) = focusables(&dialog).into_iter().next() {
        let _ = first.focus();
    }
}

/// Closes a dialog and gives the focus back to its opener (or to the same row rendered anew).
pub(super) fn close_dialog(id: &str) {
    if let Some(d) = by_id(id) {
        set_shown(&d, false);
    }
    if id == "timeline" {
        super::timeline::closed();
    }
    let Some(closed) = with(|a| {
        let open = &mut a.a11y.dialogs;
        open.iter().position(|d| d.id == id).map(|i| open.remove(i))
    }) else {
        return;
    };
    let back = closed.opener.filter(|o| o.is_connected()).or_else(|| {
        closed.again.and_then(|s| document().query_selector(&s).ok().flatten()).and_then(|e| e.dyn_into().ok())
    });
    if let Some(b) = back {
        let _ = b.focus();
    }
}

/// Esc: the dialog on top closes; `false` when none is open.
pub(super) fn close_top_dialog() -> bool {
    let top = with(|a| a.a11y.dialogs.last().map(|d| d.id.clone()));
    match top {
        Some(id) => {
            close_dialog(&id);
            true
        }
        None => false,
    }
}

/// Shows or hides a dialog. The sidebar is one only below 900 px, where it slides over the report
/// (class `open`, with its backdrop); above, it is the page's side column and always shown, so it
/// takes the dialog's role and name only while open.
fn set_shown(dialog: &Element, open: bool) {
    if dialog.id() != "sidebar" {
        show(dialog, open);
        return;
    }
    let _ = dialog.class_list().toggle_with_force("open", open);
    if open {
        attr(dialog, "role", "dialog");
        attr(dialog, "aria-modal", "true");
        attr(dialog, "aria-labelledby", "sidebar-title");
    } else {
        for a in ["role", "aria-modal", "aria-labelledby"] {
            let _ = dialog.remove_attribute(a);
        }
    }
    if let Some(b) = by_id("sidebar-backdrop") {
        show(&b, open);
    }
    if let Some(t) = by_id("filters-toggle") {
        attr(&t, "aria-expanded", if open { "true" } else { "false" });
    }
}

/// Whether the page is laid out for a narrow window (the sidebar a slide-over, the actions a menu;
/// the breakpoint is `www/style.css`'s).
pub(super) fn narrow() -> bool {
    web_sys::window().and_then(|w| w.match_media(NARROW).ok().flatten()).is_some_and(|m| m.matches())
}

pub(super) const NARROW: &str = "(max-width: 900px)";

// ---- the actions menu (below 900 px) -----------------------------------------------------------

/// Whether the actions menu is open (its button's `aria-expanded`).
pub(super) fn menu_open() -> bool {
    by_id("menu-toggle").and_then(|t| t.get_attribute("aria-expanded")).as_deref() == Some("true")
}

/// Opens or closes the actions menu (a disclosure: the header's `#actions` shown as a popup, the
/// same buttons, so their ids and `data-action`s stay as they are). Opened, the focus goes to its
/// first button; closed with `focus_back`, to the menu button.
pub(super) fn set_menu(open: bool, focus_back: bool) {
    let (Some(toggle), Some(menu)) = (by_id("menu-toggle"), by_id("actions")) else { return };
    attr(&toggle, "aria-expanded", if open { "true" } else { "false" });
    let _ = menu.class_list().toggle_with_force("open", open);
    if open {
        if let Some(first) = focusables(&menu).into_iter().next() {
            let _ = first.focus();
        }
    } else if focus_back {
        let _ = toggle.focus();
    }
}

/// The focus left the menu and its button (Tab past it, a click elsewhere): it closes.
pub(super) fn wire_menu() {
    let Some(header) = document().query_selector("header.top").ok().flatten() else { return };
    listen(&header, "focusout", |e: web_sys::FocusEvent| {
        let to = e.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = |id: &str| by_id(id).is_some_and(|x| to.as_ref().is_some_and(|n| x.contains(Some(n))));
        if menu_open() && to.is_some() && !inside("actions") && !inside("menu-toggle") {
            set_menu(false, false);
        }
    });
}

pub(super) fn dialog_open(id: &str) -> bool {
    with(|a| a.a11y.dialogs.iter().any(|d| d.id == id))
}

/// The elements Tab stops at inside `root`, in document order (those laid out only).
fn focusables(root: &Element) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else { return vec![] };
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()))
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

/// Tab while a modal dialog is open: the focus goes round inside it. `true` when handled.
pub(super) fn trap_tab(e: &KeyboardEvent) -> bool {
    let Some(id) = with(|a| a.a11y.dialogs.last().map(|d| d.id.clone())) else { return false };
    let Some(dialog) = by_id(&id) else { return false };
    let items = focusables(&dialog);
    let current = active().and_then(|f| items.iter().position(|i| *i == f));
    e.prevent_default();
    if let Some(next) = trapped(items.len(), current, e.shift_key()).and_then(|i| items.get(i)) {
        let _ = next.focus();
    }
    true
}

// ---- the files list: one Tab stop --------------------------------------------------------------

fn file_items(list: &Element) -> Vec<HtmlElement> {
    let c = list.children();
    (0..c.length()).filter_map(|i| c.item(i).and_then(|e| e.dyn_into().ok())).collect()
}

/// Whether the focus is in `root` (checked before a list is rebuilt, to put it back after).
pub(super) fn has_focus(root: &Element) -> bool {
    document().active_element().is_some_and(|f| root.contains(Some(&f)))
}

/// After the files list is (re)built: one item is its Tab stop (the one that was, or the last when
/// the list got shorter), and it gets the focus back when the list had it.
pub(super) fn files_rendered(list: &Element, had_focus: bool) {
    let items = file_items(list);
    let stop = with(|a| kept(items.len(), a.a11y.files_stop));
    set_files_stop(&items, stop, had_focus);
}

fn set_files_stop(items: &[HtmlElement], stop: Option<usize>, focus: bool) {
    with(|a| a.a11y.files_stop = stop.unwrap_or(0));
    for (i, li) in items.iter().enumerate() {
        attr(li, "tabindex", if Some(i) == stop { "0" } else { "-1" });
    }
    if let Some(li) = stop.and_then(|i| items.get(i)).filter(|_| focus) {
        let _ = li.focus();
    }
}

/// The files list's keys and focus, wired once on `#files`.
pub(super) fn wire_files(list: &HtmlElement) {
    let l = list.clone();
    listen(list, "keydown", move |e: KeyboardEvent| {
        let Some(li) = e.target().and_then(|t| t.dyn_into::<Element>().ok()).filter(|t| t.tag_name() == "LI") else {
            return;
        };
        let items = file_items(&l);
        let Some(here) = items.iter().position(|i| **i == li) else { return };
        let key = e.key();
        if let Some(m) = list_move(&key) {
            e.prevent_default();
            set_files_stop(&items, moved(items.len(), here, m), true);
        } else if is_remove_key(&key) {
            // the list is rebuilt without it; the focus stays at the same place
            if let Some(id) = li.get_attribute("data-id").and_then(|i| i.parse().ok()) {
                e.prevent_default();
                remove_input(id);
            }
        }
    });
    // a click (on an item or its ×) makes that item the Tab stop
    let l = list.clone();
    listen(list, "focusin", move |e: web_sys::FocusEvent| {
        let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Ok(Some(li)) = t.closest("#files > li") else { return };
        let items = file_items(&l);
        if let Some(i) = items.iter().position(|x| **x == li) {
            set_files_stop(&items, Some(i), false);
        }
    });
}

// ---- skip link and table of contents -----------------------------------------------------------

/// The skip link: the focus goes to the report (or to the drop zone while nothing is loaded).
pub(super) fn skip_to_report() {
    let dashboard = by_id("dashboard").is_some_and(|d| !d.has_attribute("hidden"));
    if let Some(target) = by_id(if dashboard { "content" } else { "empty-state" }) {
        target.scroll_into_view_with_bool(true);
        let _ = target.focus();
    }
}

/// Where a section scrolled to starts: below the sticky contents (at their sticky `top`, under the
/// header when it is sticky too), or below the header while there are none.
fn sticky_line() -> f64 {
    let toc = by_id("toc").filter(|t| !t.has_attribute("hidden"));
    let top = match &toc {
        Some(t) => web_sys::window()
            .and_then(|w| w.get_computed_style(t).ok().flatten())
            .and_then(|s| s.get_property_value("top").ok())
            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
            .unwrap_or(0.0),
        None => document()
            .query_selector("header.top")
            .ok()
            .flatten()
            .map_or(0.0, |h| h.get_bounding_client_rect().bottom().max(0.0)),
    };
    top + toc.map_or(0.0, |t| t.offset_height() as f64) + 8.0
}

/// Fills `#toc` with a link per section drawn in `#content` (`page::a11y::toc_entries`).
pub(super) fn build_toc() {
    let (Some(toc), Some(content)) = (by_id("toc"), by_id("content")) else { return };
    clear(&toc);
    let ids: Vec<String> = content
        .query_selector_all(":scope > [id^=\"section-\"]")
        .map(|l| (0..l.length()).filter_map(|i| l.item(i)?.dyn_into::<Element>().ok().map(|e| e.id())).collect())
        .unwrap_or_default();
    let entries = toc_entries(ids.iter().map(String::as_str));
    let ul = el("ul", "");
    for e in &entries {
        let li = el("li", "");
        let a = el_text("a", "", &e.label);
        attr(&a, "href", &format!("#{}", e.id));
        attr(&a, "data-action", "toc");
        attr(&a, "data-target", &e.id);
        append(&li, &a);
        append(&ul, &li);
    }
    append(&toc, &ul);
    show(&toc, !entries.is_empty());
    spy();
}

pub(super) fn hide_toc() {
    if let Some(toc) = by_id("toc") {
        clear(&toc);
        show(&toc, false);
    }
}

/// A contents link: its section scrolled to just below the sticky bars, and its heading focused
/// (so that Tab goes on from there).
pub(super) fn jump_to(id: &str) {
    let Some(sec) = by_id(id) else { return };
    scroll_to(&sec);
    if let Ok(Some(h)) = sec.query_selector("h2") {
        attr(&h, "tabindex", "-1");
        if let Ok(h) = h.dyn_into::<HtmlElement>() {
            let _ = h.focus();
        }
    }
    // sections skipped by `content-visibility` are laid out at an estimated height: once those
    // now in view have their real one, the section may have moved (checked a few times)
    settle(id.to_string(), 6);
}

fn settle(id: String, tries: u32) {
    later(100, move || {
        let Some(sec) = by_id(&id) else { return };
        if (sec.get_bounding_client_rect().top() - sticky_line()).abs() > 2.0 && !at_end() {
            scroll_to(&sec);
        }
        if tries > 1 {
            settle(id, tries - 1);
        }
    });
}

/// Whether the page is scrolled to its end (a section near it cannot come up to the line).
fn at_end() -> bool {
    let Some(win) = web_sys::window() else { return false };
    let height = win.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let scrolled = win.scroll_y().unwrap_or(0.0);
    let page = document().document_element().map_or(0, |e| e.scroll_height()) as f64;
    scrolled > 0.0 && scrolled + height >= page - 2.0
}

fn scroll_to(sec: &HtmlElement) {
    if let Some(win) = web_sys::window() {
        let y = win.scroll_y().unwrap_or(0.0) + sec.get_bounding_client_rect().top() - sticky_line();
        win.scroll_to_with_x_and_y(0.0, y.max(0.0));
    }
}

/// Marks the section in view in the contents (`aria-current`), at most every 60 ms of scrolling.
pub(super) fn on_scroll() {
    if with(|a| std::mem::replace(&mut a.a11y.spy_queued, true)) {
        return;
    }
    later(60, || {
        with(|a| a.a11y.spy_queued = false);
        spy();
    });
}

fn spy() {
    let Some(toc) = by_id("toc") else { return };
    let Ok(links) = toc.query_selector_all("a[data-target]") else { return };
    let links: Vec<HtmlElement> =
        (0..links.length()).filter_map(|i| links.item(i).and_then(|n| n.dyn_into().ok())).collect();
    let tops: Vec<f64> = links
        .iter()
        .map(|l| {
            l.get_attribute("data-target")
                .and_then(|id| by_id(&id))
                .map_or(f64::INFINITY, |s| s.get_bounding_client_rect().top())
        })
        .collect();
    let current = section_in_view(&tops, sticky_line() + 4.0, at_end());
    let was = links.iter().position(|l| l.get_attribute("aria-current").is_some());
    for (i, l) in links.iter().enumerate() {
        if Some(i) == current {
            attr(l, "aria-current", "true");
            // kept in sight when the contents scroll sideways (a narrow screen)
            let (left, width) = (l.offset_left(), l.offset_width());
            let (view, shown) = (toc.scroll_left(), toc.client_width());
            if left < view || left + width > view + shown {
                toc.set_scroll_left((left - 16).max(0));
            }
        } else {
            let _ = l.remove_attribute("aria-current");
        }
    }
    // the address names the section in view
    if current != was {
        super::recipe::update_address();
    }
}

// ---- the live region ---------------------------------------------------------------------------

/// Says `text` in the polite live region (emptied first, so the same words are said again).
pub(super) fn announce(text: String) {
    let Some(region) = by_id("announcer") else { return };
    clear(&region);
    let n = with(|a| {
        a.a11y.said = a.a11y.said.wrapping_add(1);
        a.a11y.said
    });
    later(80, move || {
        if with(|a| a.a11y.said) == n {
            region.set_text_content(Some(&text));
        }
    });
}

/// A report is being made, for this reason: said once it is drawn ([`report_drawn`]). A load
/// stays a load if a recompute comes before it is drawn.
pub(super) fn expect_report(why: Why) {
    with(|a| {
        if a.a11y.pending != Some(Why::Load) {
            a.a11y.pending = Some(why);
        }
    });
}

/// Every figure of the report is drawn: the live region says so, with the summary's counts.
pub(super) fn report_drawn() {
    let Some(why) = with(|a| a.a11y.pending.take()) else { return };
    let summary = with(|a| a.shown.report.get("summary").cloned()).unwrap_or_default();
    announce(crate::page::a11y::report_drawn(why, &summary));
}

/// Keeps `--header-h` on the root at the sticky header's height (it wraps on a narrow screen):
/// the contents stick right under it.
pub(super) fn watch_header() {
    let Some(header) = document().query_selector("header.top").ok().flatten() else { return };
    let set = move || {
        let h = document()
            .query_selector("header.top")
            .ok()
            .flatten()
            .map_or(0.0, |h| h.get_bounding_client_rect().height());
        if let Some(root) = document().document_element().and_then(|r| r.dyn_into::<HtmlElement>().ok()) {
            let _ = root.style().set_property("--header-h", &format!("{h}px"));
        }
    };
    set();
    let changed = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| set());
    if let Ok(ro) = web_sys::ResizeObserver::new(changed.as_ref().unchecked_ref()) {
        ro.observe(&header);
    }
    changed.forget();
}
