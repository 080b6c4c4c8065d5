//! What the user does: clicks (every button and clickable row carries a `data-action`; one
//! listener on the document dispatches them), shortcuts, exports, the theme — and the listeners
//! on the skeleton's fixed elements, wired once (rendered parts use delegation).

use super::a11y::{self, close_dialog, close_top_dialog, dialog_open, open_dialog};
use super::files::{add_files, clear_all, files_of, load_demo, on_drop, read_all, remove_input, toggle_files};
use super::link::{expect_cancelled, send};
use super::params::{on_param_change, on_table_action, recompute, render_params, set_filter_inputs};
use super::render::{dark_theme, draw_charts};
use super::tables::{download_csv, open_row, show_more, sort_table, toggle_column, toggle_wide};
use super::{brush, chart_pointer, comparison, recipe, set_state, show_error, state_is, timeline, with};
use crate::page::chips::{without, ChipKey};
use crate::page::protocol::ToWorker;
use crate::pipelines::{Filters, Parameters};
use crate::web::dom::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, MouseEvent};

fn toggle_theme() {
    let root = document().document_element().expect("html");
    attr(&root, "data-theme", if dark_theme() { "light" } else { "dark" });
    draw_charts();
}

/// The help dialog opens or closes (`?`, its button, its backdrop).
fn toggle_help(open: bool) {
    if open {
        open_dialog("help-dialog");
    } else {
        close_dialog("help-dialog");
    }
}

fn click_input(id: &str) {
    if let Some(i) = by_id(id) {
        i.click();
    }
}

/// Asks the worker for `Report::to_json()` (downloaded when it arrives), once something is loaded.
fn export_json() {
    if with(|a| !a.shown.report.is_null()) {
        send(ToWorker::Export);
    }
}

fn on_action(target: &Element) {
    let action = target.get_attribute("data-action").unwrap_or_default();
    let data = |k: &str| target.get_attribute(k).unwrap_or_default();
    match action.as_str() {
        // later: a synchronous click would re-enter this click listener
        "open-files" => later(0, || click_input("file-input")),
        "open-folder" => later(0, || click_input("folder-input")),
        "demo" => load_demo(),
        // not `later`: the folder picker needs the click's user activation
        "watch-folder" => super::watch::on_click(),
        "watch-stop" => super::watch::stop(),
        "dismiss-toast" => super::watch::dismiss_toast(target),
        "dismiss-watch-note" => {
            if let Some(n) = by_id("watch-note") {
                show(&n, false);
            }
        }
        "export-json" => export_json(),
        "export-html" => send(ToWorker::Html),
        "theme" => toggle_theme(),
        "help" => toggle_help(true),
        // below 900 px: the sidebar as a slide-over, the header's actions as a menu
        "filters" => open_dialog("sidebar"),
        "close-filters" => close_dialog("sidebar"),
        "menu" => {
            let open = !a11y::menu_open();
            a11y::set_menu(open, !open);
        }
        // the dialog the close button is in
        "close" => {
            if let Ok(Some(d)) = target.closest("[role=dialog]") {
                close_dialog(&d.id());
            }
        }
        "skip" => a11y::skip_to_report(),
        // the timeline: an event's row, the task's other attempts, the link that reopens it
        "event" => timeline::select(data("data-event").parse().ok()),
        "timeline-prev" => timeline::step_attempt(-1),
        "timeline-next" => timeline::step_attempt(1),
        "timeline-link" => recipe::copy_link("timeline-link"),
        "share-link" => recipe::copy_link("share-link"),
        // the A/B comparison
        "compare" => comparison::run(),
        "compare-files" => later(0, || click_input("compare-file-input")),
        "compare-close" => comparison::close(),
        "compare-export" => comparison::export(),
        "toc" => a11y::jump_to(&data("data-target")),
        "cancel" => {
            // the worker answers at once, unless it is stuck (then the watchdog restarts it)
            expect_cancelled();
            send(ToWorker::Cancel);
        }
        "clear-all" => clear_all(),
        "remove-input" => remove_input(data("data-id").parse().unwrap_or(0)),
        "toggle-files" => toggle_files(),
        "read-all" => {
            if let Ok(mib) = data("data-mib").parse() {
                read_all(mib);
            }
        }
        "dismiss-banner" => {
            if let Some(b) = by_id("banner") {
                show(&b, false);
            }
            with(|a| a.last_error = None);
            if state_is("error") && with(|a| a.files.inputs.is_empty() && !a.files.demo_loaded) {
                set_state("empty");
            }
        }
        "reset-filters" => {
            set_filter_inputs(&Filters::default());
            recompute();
        }
        // a chip's ×: that one filter goes
        "remove-filter" => {
            if let Some(key) = target.get_attribute("data-filter").and_then(|a| ChipKey::of_attr(&a)) {
                set_filter_inputs(&without(&with(|a| a.controls.filters.clone()), &key));
                recompute();
            }
        }
        // the no-telemetry notice's way to the reasons
        "show-skipped" => {
            if let Some(d) = by_id("section-diagnostics") {
                d.scroll_into_view();
            }
        }
        "reset-params" => {
            with(|a| a.controls.params = Parameters::default());
            render_params();
            recompute();
        }
        "table-add" | "table-delete" | "table-reset" => on_table_action(&action, target),
        "sort" => sort_table(&data("data-table"), &data("data-key")),
        "more" => show_more(&data("data-table")),
        "csv" => download_csv(&data("data-table")),
        "toggle-column" => {
            let on = target.dyn_ref::<HtmlInputElement>().is_some_and(HtmlInputElement::checked);
            toggle_column(&data("data-table"), &data("data-key"), on);
        }
        "table-wide" => toggle_wide(target),
        "png" => {
            let name = data("data-chart");
            if let Some(c) = by_id(&format!("chart-{name}")) {
                let canvas: web_sys::HtmlCanvasElement = c.unchecked_into();
                let cb = Closure::once_into_js(move |blob: JsValue| {
                    if let Ok(b) = blob.dyn_into::<web_sys::Blob>() {
                        download_blob(&b, &format!("spyglass-{name}.png"));
                    }
                });
                let _ = canvas.to_blob(cb.unchecked_ref());
            }
        }
        "row" => open_row(&data("data-table"), &data("data-row")),
        _ => {}
    }
}

pub(super) fn wire_skeleton() {
    let doc = document();
    let win = web_sys::window().expect("window");
    // clicks anywhere: buttons and rows carry a data-action
    listen_reentrant(&doc, "click", |e: MouseEvent| {
        let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        // a click on a dialog's backdrop closes it
        if t.id() == "help-dialog" {
            toggle_help(false);
            return;
        }
        // a click in the open actions menu closes it (the focus back on its button, so that a
        // dialog opened from the menu gives it back there); a click elsewhere just closes it
        if a11y::menu_open() {
            let within = |id: &str| by_id(id).is_some_and(|m| m.contains(Some(&t)));
            if within("actions") {
                a11y::set_menu(false, true);
            } else if !within("menu-toggle") {
                a11y::set_menu(false, false);
            }
        }
        if let Ok(Some(a)) = t.closest("[data-action]") {
            // the skip link and the contents' links move the focus themselves (no #fragment)
            if a.tag_name() == "A" {
                e.prevent_default();
            }
            on_action(&a);
        }
    });
    for (id, relative) in [("file-input", false), ("folder-input", true)] {
        if let Some(i) = by_id(id) {
            let input: HtmlInputElement = i.unchecked_into();
            let inp = input.clone();
            listen(&input, "change", move |_: web_sys::Event| {
                let files = files_of(inp.files(), relative);
                if files.is_empty() && relative {
                    show_error("no .jsonl, .jsonl.gz or .zip file in that folder");
                }
                add_files(files);
                inp.set_value("");
            });
        }
    }
    // "Compare with files…": the files picked are a source of their own, side B
    if let Some(i) = by_id("compare-file-input") {
        let input: HtmlInputElement = i.unchecked_into();
        let inp = input.clone();
        listen(&input, "change", move |_: web_sys::Event| {
            comparison::with_files(files_of(inp.files(), false));
            inp.set_value("");
        });
    }
    // drop anywhere
    listen(&win, "dragover", |e: web_sys::DragEvent| {
        e.prevent_default();
        if let Some(o) = by_id("drop-overlay") {
            show(&o, true);
        }
    });
    listen(&win, "dragleave", |e: web_sys::DragEvent| {
        if e.related_target().is_none() {
            if let Some(o) = by_id("drop-overlay") {
                show(&o, false);
            }
        }
    });
    listen(&win, "drop", on_drop);
    // filters
    for id in ["filter-since", "filter-until", "filter-executors", "filter-models", "filter-sources"] {
        if let Some(e) = by_id(id) {
            listen(&e, "change", |_: web_sys::Event| recompute());
        }
    }
    if let Some(e) = by_id("filter-task") {
        listen(&e, "input", |_: web_sys::Event| {
            let n = with(|a| {
                a.controls.task_debounce += 1;
                a.controls.task_debounce
            });
            later(250, move || {
                if with(|a| a.controls.task_debounce) == n {
                    recompute();
                }
            });
        });
    }
    if let Some(f) = by_id("files") {
        a11y::wire_files(&f);
    }
    // the contents mark the section in view
    listen(&win, "scroll", |_: web_sys::Event| a11y::on_scroll());
    a11y::watch_header();
    a11y::wire_menu();
    // widened past the breakpoint: the slide-over and the menu are the page's columns again
    if let Some(mq) = win.match_media(a11y::NARROW).ok().flatten() {
        listen(&mq, "change", |_: web_sys::Event| {
            if !a11y::narrow() {
                if dialog_open("sidebar") {
                    close_dialog("sidebar");
                }
                a11y::set_menu(false, false);
            }
        });
    }
    if let Some(p) = by_id("params") {
        listen(&p, "change", |e: web_sys::Event| {
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                on_param_change(&t);
            }
        });
    }
    // keyboard
    listen(&doc, "keydown", |e: KeyboardEvent| {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if e.key() == "Tab" && a11y::trap_tab(&e) {
            return;
        }
        if e.key() == "Escape" {
            // the dialog on top closes and the focus goes back to what opened it
            if close_top_dialog() {
                return;
            }
            if a11y::menu_open() {
                a11y::set_menu(false, true);
                return;
            }
            if typing {
                if let Some(t) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                    let _ = t.blur();
                }
            }
            return;
        }
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        match e.key().as_str() {
            "o" => click_input("file-input"),
            "d" => load_demo(),
            "t" => toggle_theme(),
            "e" => export_json(),
            "?" => toggle_help(!dialog_open("help-dialog")),
            "/" => {
                e.prevent_default();
                // a narrow window: the search is in the slide-over
                if a11y::narrow() && !dialog_open("sidebar") {
                    open_dialog("sidebar");
                }
                if let Some(t) = by_id("filter-task") {
                    let _ = t.focus();
                }
            }
            "Enter" => {
                if let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    if t.get_attribute("data-action").as_deref() == Some("row") {
                        // the timeline takes the focus: the key's default would click its close button
                        e.prevent_default();
                        on_action(&t);
                    }
                }
            }
            _ => {}
        }
    });
    // charts follow a change of the system's colour scheme
    if let Some(mq) = win.match_media("(prefers-color-scheme: dark)").ok().flatten() {
        listen(&mq, "change", |_: web_sys::Event| draw_charts());
    }
    // the brush redraws when the content's width changes (the charts watch their own size:
    // render::CHART_SIZES); only a change of width counts: the content grows in height at every
    // render step
    let observer = Closure::<dyn FnMut(JsValue)>::new(|_| {
        let Some(c) = by_id("content") else { return };
        let w = c.client_width() as f64;
        if with(|a| a.shown.drawn_width != 0.0 && (a.shown.drawn_width - w).abs() >= 1.0) {
            with(|a| a.shown.drawn_width = w);
            brush::draw_brush();
        }
    });
    if let Ok(ro) = web_sys::ResizeObserver::new(observer.as_ref().unchecked_ref()) {
        if let Some(c) = by_id("content") {
            ro.observe(&c);
        }
    }
    observer.forget();
    timeline::wire();
    // the timeline brush
    if let Some(c) = by_id("content") {
        brush::wire(&c);
    }
    // chart tooltips, the line charts' crosshair and legends, cross-filtering
    if let Some(c) = by_id("content") {
        chart_pointer::wire(&c);
    }
}
