//! The A/B comparison on the page: the Compare panel's choice (`#compare-with`: the period
//! before, another executor, model or source) makes side B from the view in force (side A,
//! `page::comparison::sides`) — or "Compare with files…" reads more files as a source of their
//! own, side B against what was loaded; the worker compares them (`compare::compute`) and the answer is
//! shown as a section at the top of the report — the two sides, the rates' differences as a
//! forest chart, every figure in a table — with its JSON (`spyglass compare --json`'s document)
//! one click away. Open, it follows every recompute.

use super::link::send;
use super::render::dark_theme;
use super::tables::table_block;
use super::{dpr, with};
use crate::page::comparison::{forest, headline, sides, table_rows, Versus};
use crate::page::protocol::{CompareRequest, ToWorker};
use crate::web::dom::*;
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::JsCast;

thread_local! {
    /// the comparison shown (it is made again after each recompute), and its JSON
    static ACTIVE: RefCell<Option<(Versus, String)>> = const { RefCell::new(None) };
    /// the source of files picked to compare with, until they are read
    static PENDING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// "Compare with files…": `files` are read as one source of their own; once read, they are
/// side B and what was loaded before side A.
pub(super) fn with_files(files: Vec<super::files::Picked>) {
    if files.is_empty() {
        return;
    }
    let files = super::files::as_one_source(files);
    PENDING.with(|p| *p.borrow_mut() = files.first().map(|f| f.origin.clone()));
    super::files::add_files(files);
}

/// The report is drawn and nothing is loading: files picked to compare with become the
/// comparison, and the comparison shown is made again under the filters in force.
pub(super) fn on_ready() {
    if let Some(name) = PENDING.with(|p| p.borrow_mut().take()) {
        let sources = with(|a| a.shown.facets.sources.clone());
        if sources.len() < 2 || !sources.contains(&name) {
            ACTIVE.with(|a| *a.borrow_mut() = None);
            return show_section(Err(
                "Nothing to compare the files with: open the logs to compare them against first, then Compare with files…",
            ));
        }
        let vs = Versus::Source(name);
        render_choices();
        if let Some(sel) = by_id("compare-with") {
            sel.unchecked_into::<web_sys::HtmlSelectElement>().set_value(&vs.value());
        }
        ACTIVE.with(|a| *a.borrow_mut() = Some((vs, String::new())));
    }
    request();
}

/// The panel's choices, from the data's names (kept when they did not change).
pub(super) fn render_choices() {
    let Some(sel) = by_id("compare-with") else { return };
    let choices = Versus::choices(&with(|a| a.shown.facets.clone()));
    let values: Vec<String> = choices.iter().map(|c| c.0.value()).collect();
    let current: Vec<String> =
        (0..sel.children().length()).filter_map(|i| sel.children().item(i)?.get_attribute("value")).collect();
    if current == values {
        return;
    }
    let chosen = sel.clone().unchecked_into::<web_sys::HtmlSelectElement>().value();
    clear(&sel);
    for (v, label) in choices {
        let o = el_text("option", "", &label);
        attr(&o, "value", &v.value());
        if v.value() == chosen {
            attr(&o, "selected", "");
        }
        append(&sel, &o);
    }
}

/// "Compare": side B from the panel's choice, both sent to the worker.
pub(super) fn run() {
    let Some(sel) = by_id("compare-with") else { return };
    let Some(vs) = Versus::of_value(&sel.unchecked_into::<web_sys::HtmlSelectElement>().value()) else { return };
    ACTIVE.with(|a| *a.borrow_mut() = Some((vs, String::new())));
    request();
}

/// Asks for the active comparison under the filters in force (after a recompute too).
pub(super) fn request() {
    let Some(vs) = ACTIVE.with(|a| a.borrow().as_ref().map(|a| a.0.clone())) else { return };
    let (filters, facets) = with(|a| (a.controls.filters.clone(), a.shown.facets.clone()));
    match sides(&filters, &vs, &facets) {
        Some((a, b)) => send(ToWorker::Compare(CompareRequest { a, b })),
        None => show_section(Err("The data has no times: there is no period before this one.")),
    }
}

/// The comparison closes (its section's ×, or a new load).
pub(super) fn close() {
    ACTIVE.with(|a| *a.borrow_mut() = None);
    if let Some(s) = by_id("section-comparison") {
        s.remove();
    }
}

/// The worker's answer.
pub(super) fn on_comparison(json: &str) {
    let open = ACTIVE.with(|a| match a.borrow_mut().as_mut() {
        Some(active) => {
            active.1 = json.to_string();
            true
        }
        None => false,
    });
    if open {
        show_section(Ok(json));
    }
}

/// Downloads the comparison's JSON: what `spyglass compare --json` writes for the same sides.
pub(super) fn export() {
    if let Some(json) = ACTIVE.with(|a| a.borrow().as_ref().map(|a| a.1.clone())).filter(|j| !j.is_empty()) {
        download_text(&json, "application/json", "spyglass-comparison.json");
    }
}

fn show_section(result: Result<&str, &str>) {
    let Some(content) = by_id("content") else { return };
    let sec = el("section", "section comparison");
    attr(&sec, "id", "section-comparison");
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", "Comparison"));
    let close = button("×", "icon-btn", "compare-close");
    attr(&close, "aria-label", "Close the comparison");
    attr(&close, "title", "Close the comparison");
    append(&head, &close);
    append(&sec, &head);
    let drawn = match result {
        Err(msg) => {
            append(&sec, &el_text("p", "muted", msg));
            None
        }
        Ok(json) => {
            let c: Value = serde_json::from_str(json).unwrap_or(Value::Null);
            append(&sec, &el_text("p", "headline", &headline(&c)));
            append(&sec, &el_text("p", "explain muted", "B − A for every figure, with a 95 % interval: rates by Newcombe's hybrid score method (from the two Wilson intervals), means by Welch's t, cost per session and per success also by a seeded percentile bootstrap (costs are skewed). A row is flagged when its interval excludes 0."));
            let body = el("div", "section-body");
            let charts = el("div", "charts");
            let chart = forest(&c);
            let fig = el("figure", "chart");
            let canvas = el("canvas", "");
            attr(&canvas, "id", "chart-comparison.forest");
            attr(&canvas, "role", "img");
            attr(&canvas, "aria-label", &chart.summary());
            let _ = canvas.style().set_property("height", &format!("{}px", chart.height()));
            append(&fig, &canvas);
            append(&charts, &fig);
            append(&body, &charts);
            let tables = el("div", "tables");
            let export = button("Comparison JSON", "ghost small", "compare-export");
            attr(&export, "id", "export-comparison");
            attr(&export, "title", "Download this comparison as JSON: the document spyglass compare --json writes");
            append(&tables, &export);
            append(&tables, &table_block("comparison.rows", "Every figure", table_rows(&c), "comparison"));
            append(&body, &tables);
            append(&sec, &body);
            Some(chart)
        }
    };
    replace_or_prepend(&content, &sec);
    // drawn once laid out: the canvas takes its size from the page
    if let Some(chart) = drawn {
        draw_forest(&chart);
    }
}

/// The section goes where the last one was, else first in the report (after the overview).
fn replace_or_prepend(content: &web_sys::HtmlElement, sec: &web_sys::HtmlElement) {
    if let Some(old) = by_id("section-comparison") {
        let _ = old.replace_with_with_node_1(sec);
        return;
    }
    let after = by_id("section-overview").and_then(|o| o.next_sibling());
    let _ = content.insert_before(sec, after.as_ref());
    sec.scroll_into_view();
}

fn draw_forest(chart: &crate::charts::ForestChart) {
    let Some(c) = by_id("chart-comparison.forest") else { return };
    let canvas: web_sys::HtmlCanvasElement = c.unchecked_into();
    let hits = crate::web::charts::draw_forest_on(canvas, chart, dark_theme(), dpr());
    with(|a| a.shown.hits.insert("comparison.forest".into(), hits));
}
