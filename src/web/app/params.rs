//! The filters (time range, executors, models, task) and the parameters panel: an input per
//! scalar parameter, and the price and alias tables edited as tables. A change is checked with
//! the core's own `Parameters::from_json` and recomputed by the worker, never read again.

use super::link::send;
use super::{set_state, with};
use crate::page::filters::{input_of_time, read_time_input, task_of_input};
use crate::page::overview::short_time;
use crate::page::protocol::{Compute, ToWorker};
use crate::pipelines::{Filters, Parameters};
use crate::report::format;
use crate::web::dom::*;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

/// The filters and parameters in force, and the controls being used.
#[derive(Default)]
pub(super) struct Controls {
    pub(super) filters: Filters,
    pub(super) params: Parameters,
    /// bumped by each keystroke in the task filter: it recomputes when typing pauses
    pub(super) task_debounce: u32,
    /// the time brush being dragged: (start x, current x) in CSS px
    pub(super) brush_drag: Option<(f64, f64)>,
}

fn selected(id: &str) -> Vec<String> {
    let Some(sel) = by_id(id) else { return vec![] };
    let sel: HtmlSelectElement = sel.unchecked_into();
    let opts = sel.selected_options();
    (0..opts.length()).filter_map(|i| opts.item(i)).filter_map(|o| o.get_attribute("value")).collect()
}

/// The executors and models offered (kept when they did not change, so a selection stays) and
/// the span of the data.
pub(super) fn render_facets() {
    let facets = with(|a| a.shown.facets.clone());
    for (id, values, counts, chosen) in [
        (
            "filter-executors",
            &facets.executors,
            &facets.executor_sessions,
            with(|a| a.controls.filters.executors.clone()),
        ),
        ("filter-models", &facets.models, &facets.model_sessions, with(|a| a.controls.filters.models.clone())),
        ("filter-sources", &facets.sources, &facets.source_sessions, with(|a| a.controls.filters.sources.clone())),
    ] {
        let Some(sel) = by_id(id) else { continue };
        let current: Vec<String> = (0..sel.children().length())
            .filter_map(|i| sel.children().item(i))
            .filter_map(|o| o.get_attribute("value"))
            .collect();
        if &current != values {
            clear(&sel);
            for v in values {
                let o = el_text("option", "", v);
                attr(&o, "value", v);
                if chosen.iter().any(|c| c.eq_ignore_ascii_case(v)) {
                    attr(&o, "selected", "");
                }
                append(&sel, &o);
            }
        }
        // each name with the sessions it would show under the other filters; a name they leave
        // none of is not offered (unless chosen: it stays, to be unchosen)
        let options = sel.children();
        let mut offered = 0;
        for (i, v) in values.iter().enumerate() {
            let Some(o) = options.item(i as u32) else { continue };
            let n = counts.get(i).copied().unwrap_or(0);
            let keep = n > 0 || chosen.iter().any(|c| c.eq_ignore_ascii_case(v));
            o.set_text_content(Some(&format!("{v} · {}", format::grouped(n as f64, 0))));
            show(&o, keep);
            offered += usize::from(keep);
        }
        attr(&sel, "size", &offered.clamp(2, 6).to_string());
    }
    // sources are a filter only when the data has several (folders or machines merged)
    if let Some(field) = by_id("field-sources") {
        show(&field, facets.sources.len() > 1);
    }
    super::comparison::render_choices();
    if let Some(hint) = by_id("time-hint") {
        if let Some(first) = facets.first_ms {
            let f = |t: Option<i64>| t.map(crate::model::time::format_iso_ms).unwrap_or_default();
            hint.set_text_content(Some(&format!(
                "Data spans {} → {} UTC",
                short_time(&f(Some(first))),
                short_time(&f(facets.last_ms))
            )));
        }
    }
}

/// Sets every filter control to `filters` (what is not in it is cleared).
pub(super) fn set_filter_inputs(filters: &Filters) {
    let time = |t: Option<i64>| t.map(input_of_time).unwrap_or_default();
    for (id, v) in [
        ("filter-since", time(filters.since_ms)),
        ("filter-until", time(filters.until_ms)),
        ("filter-task", filters.task.clone().unwrap_or_default()),
    ] {
        if let Some(i) = by_id(id) {
            i.unchecked_into::<HtmlInputElement>().set_value(&v);
        }
    }
    for (id, chosen) in [
        ("filter-executors", &filters.executors),
        ("filter-models", &filters.models),
        ("filter-sources", &filters.sources),
    ] {
        let Some(sel) = by_id(id) else { continue };
        let options = sel.children();
        for i in 0..options.length() {
            if let Some(o) = options.item(i).and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok()) {
                o.set_selected(chosen.iter().any(|c| c.eq_ignore_ascii_case(&o.value())));
            }
        }
    }
}

fn read_filters() -> Filters {
    let value = |id: &str| by_id(id).map(|e| e.unchecked_into::<HtmlInputElement>().value()).unwrap_or_default();
    // a time that does not read is said beside the inputs, and bounds nothing
    let mut errors = Vec::new();
    let mut time = |id: &str| match read_time_input(&value(id)) {
        Ok(t) => {
            if let Some(i) = by_id(id) {
                let _ = i.remove_attribute("aria-invalid");
            }
            t
        }
        Err(e) => {
            if let Some(i) = by_id(id) {
                attr(&i, "aria-invalid", "true");
            }
            errors.push(e);
            None
        }
    };
    let (since_ms, until_ms) = (time("filter-since"), time("filter-until"));
    if let Some(p) = by_id("time-error") {
        p.set_text_content(Some(&errors.join(" ")));
        show(&p, !errors.is_empty());
    }
    Filters {
        since_ms,
        until_ms,
        executors: selected("filter-executors"),
        models: selected("filter-models"),
        task: task_of_input(value("filter-task")),
        sources: selected("filter-sources"),
    }
}

/// The figures again under the filters on the page and the parameters in force.
pub(super) fn recompute() {
    let filters = read_filters();
    let params = with(|a| {
        a.controls.filters = filters.clone();
        a.controls.params.clone()
    });
    let params = serde_json::to_string(&params).unwrap_or_default();
    filters_toggle_label();
    if with(|a| !a.files.states.is_empty()) {
        set_state("loading");
        super::a11y::expect_report(crate::page::a11y::Why::Recompute);
    }
    send(ToWorker::Compute(Compute { filters, params }));
    super::recipe::update_address();
}

/// The narrow page's Filters button counts the filters in force (`page::chips::toggle_label`).
pub(super) fn filters_toggle_label() {
    if let Some(t) = by_id("filters-toggle") {
        t.set_text_content(Some(&with(|a| crate::page::chips::toggle_label(&a.controls.filters))));
    }
}

/// Parameters shown first; the rest sit under "More thresholds".
const MAIN_PARAMS: [&str; 7] = [
    "w_cost",
    "w_errors",
    "group_by",
    "daily_budget_usd",
    "utc_offset_minutes",
    "include_estimated_cost",
    "infer_categories",
];

/// Parameters that are tables, edited as HTML tables (`#param-<name>`) rather than one input.
const TABLE_PARAMS: [&str; 2] = ["prices", "category_aliases"];

/// Parameters chosen from a list (a select) rather than typed as a number.
const CHOICE_PARAMS: [(&str, &[&str]); 2] =
    [("group_by", &["model", "executor_variant", "executor", "source"]), ("alert_rules", &["current", "legacy"])];

/// The canonical category names of analytics-spec.md (revision 2), offered in the alias table.
const CANONICAL_CATEGORIES: [&str; 19] = [
    "rate_limit",
    "api_error",
    "model_error",
    "auth",
    "api_key",
    "permission_wait",
    "content_policy",
    "context_window",
    "timeout",
    "network",
    "tool_error",
    "build",
    "test",
    "lint",
    "dependency",
    "git",
    "oom",
    "plan_stuck",
    "unknown",
];

/// Text of a parameter's checkbox (the booleans).
fn check_label(key: &str) -> String {
    match key {
        "include_estimated_cost" => "Include estimated cost in the cost figures".into(),
        "infer_categories" => "Infer a category from the message when none is written".into(),
        _ => format::title(key),
    }
}

fn choices_of(key: &str) -> Option<&'static [&'static str]> {
    CHOICE_PARAMS.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
}

pub(super) fn render_params() {
    let Some(holder) = by_id("params") else { return };
    // an editor the user opened stays open
    let open: Vec<&str> = TABLE_PARAMS
        .iter()
        .copied()
        .filter(|k| by_id(&format!("editor-{k}")).is_some_and(|d| d.has_attribute("open")))
        .collect();
    clear(&holder);
    let params = serde_json::to_value(with(|a| a.controls.params.clone())).unwrap_or(Value::Null);
    let Some(obj) = params.as_object() else { return };
    let error = el("p", "param-error");
    attr(&error, "id", "param-error");
    attr(&error, "role", "alert");
    show(&error, false);
    append(&holder, &error);
    let more = el("details", "more-params");
    append(&more, &el_text("summary", "", "More thresholds"));
    let mut keys: Vec<&String> = obj.keys().filter(|k| !TABLE_PARAMS.contains(&k.as_str())).collect();
    crate::model::sort::by_key(&mut keys, |k| MAIN_PARAMS.iter().position(|m| m == k).unwrap_or(99));
    for k in keys {
        let v = &obj[k];
        let row = el("label", if v.is_boolean() { "field check" } else { "field" });
        let input: HtmlElement = if let Some(b) = v.as_bool() {
            let i = el("input", "");
            attr(&i, "type", "checkbox");
            if b {
                attr(&i, "checked", "");
            }
            i
        } else if let Some(choices) = choices_of(k) {
            let sel = el("select", "");
            for &opt in choices {
                let o = el_text("option", "", &format::title(opt));
                attr(&o, "value", opt);
                if v.as_str() == Some(opt) {
                    attr(&o, "selected", "");
                }
                append(&sel, &o);
            }
            sel
        } else {
            let i = el("input", "");
            attr(&i, "type", "number");
            attr(&i, "step", "any");
            if v.is_null() {
                attr(&i, "placeholder", "none");
            } else {
                attr(&i, "value", &v.to_string());
            }
            i
        };
        attr(&input, "data-param", k);
        attr(&input, "id", &format!("param-{k}"));
        if v.is_boolean() {
            append(&row, &input);
            append(&row, &el_text("span", "", &check_label(k)));
        } else {
            append(&row, &el_text("span", "field-label", &format::label(k)));
            append(&row, &input);
        }
        if MAIN_PARAMS.contains(&k.as_str()) {
            append(&holder, &row);
        } else {
            append(&more, &row);
        }
    }
    for k in TABLE_PARAMS {
        let editor = table_editor(k);
        if open.contains(&k) {
            attr(&editor, "open", "");
        }
        append(&holder, &editor);
    }
    append(&holder, &more);
}

/// Reads a changed scalar parameter; a table's cell goes to [`on_table_change`].
pub(super) fn on_param_change(target: &Element) {
    if let Some(table) = target.get_attribute("data-table-param") {
        return on_table_change(&table);
    }
    let Some(key) = target.get_attribute("data-param") else { return };
    let mut params = serde_json::to_value(with(|a| a.controls.params.clone())).unwrap_or(Value::Null);
    let value = if params[&key].is_boolean() {
        Value::Bool(js_sys::Reflect::get(target, &"checked".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false))
    } else {
        let raw = js_sys::Reflect::get(target, &"value".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        if choices_of(&key).is_some() {
            Value::String(raw)
        } else if raw.trim().is_empty() {
            // blank: "none" where the parameter may be none, else the number it needs is said
            let default = serde_json::to_value(Parameters::default()).unwrap_or(Value::Null)[&key].clone();
            if !default.is_null() {
                target.class_list().add_1("invalid").ok();
                return param_error(&format!(
                    "{} needs a number (the default is {}).",
                    format::title(&key),
                    format::cell(&key, &default)
                ));
            }
            Value::Null
        } else {
            match raw.trim().parse::<f64>() {
                Ok(x) if x.fract() == 0.0 && !matches!(params[&key], Value::Number(ref n) if n.is_f64()) => {
                    Value::from(x as i64)
                }
                Ok(x) => Value::from(x),
                Err(_) => {
                    target.class_list().add_1("invalid").ok();
                    return param_error(&format!("{}: “{raw}” is not a number.", format::title(&key)));
                }
            }
        }
    };
    params[&key] = value;
    match Parameters::from_json(&params.to_string()) {
        Ok(p) => {
            target.class_list().remove_1("invalid").ok();
            param_error("");
            with(|a| a.controls.params = p);
            recompute();
        }
        Err(e) => {
            target.class_list().add_1("invalid").ok();
            param_error(&format!("{}: {e}", format::title(&key)));
        }
    }
}

/// Shows (or, given "", hides) a message at the top of the parameters panel.
pub(super) fn param_error(msg: &str) {
    if let Some(e) = by_id("param-error") {
        e.set_text_content(Some(msg));
        show(&e, !msg.is_empty());
    }
}

// ---- the table parameters: prices and category aliases -----------------------------------------

/// The columns of a table parameter: (key, heading, placeholder).
fn table_columns(table: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    if table == "prices" {
        &[
            ("model", "Model pattern", "gpt-5*"),
            ("input", "Input", "1.25"),
            ("cached_input", "Cached input", "= input"),
            ("cache_write", "Cache write", "= input"),
            ("output", "Output", "10"),
            ("source", "Source", ""),
            ("as_of", "As of", "YYYY-MM-DD"),
        ]
    } else {
        &[("written", "Written", "auth_error"), ("canonical", "Counted as", "auth")]
    }
}

/// The rows of a table parameter in force, as cells.
fn table_rows(table: &str) -> Vec<Vec<String>> {
    use crate::pipelines::param_tables::{alias_cells, price_cells};
    with(|a| {
        if table == "prices" {
            a.controls.params.prices.iter().map(|p| price_cells(p).to_vec()).collect()
        } else {
            alias_cells(&a.controls.params.category_aliases).into_iter().map(|r| r.to_vec()).collect()
        }
    })
}

/// `<details id="editor-NAME">` holding `#param-NAME`: the table (a row per entry, an input per
/// cell with `data-key`), its add / reset buttons and `#param-NAME-error`.
fn table_editor(table: &'static str) -> HtmlElement {
    let details = el("details", "table-editor");
    attr(&details, "id", &format!("editor-{table}"));
    let rows = table_rows(table);
    let summary = el("summary", "");
    let (title, what) = if table == "prices" { ("Price table", "patterns") } else { ("Category aliases", "aliases") };
    append(&summary, &el_text("span", "", title));
    let count = el_text("span", "muted small editor-count", &format!(" · {} {what}", rows.len()));
    append(&summary, &count);
    append(&details, &summary);
    let note = if table == "prices" {
        "USD per million tokens, to estimate sessions that record no cost. The first pattern that matches a model prices it (* matches anything; new rows go first). A blank cached input or cache write costs as input."
    } else {
        "Error categories as written → the name every figure counts them under (compared without case). A name without an alias stays itself."
    };
    append(&details, &el_text("p", "muted small", note));
    let holder = el("div", "param-table");
    attr(&holder, "id", &format!("param-{table}"));
    attr(&holder, "data-param-table", table);
    // above the table, where an edit shows it
    let err = el("p", "param-error");
    attr(&err, "id", &format!("param-{table}-error"));
    attr(&err, "role", "alert");
    show(&err, false);
    append(&holder, &err);
    let scroll = el("div", "edit-scroll");
    let t = el("table", "data edit-table");
    let thead = el("thead", "");
    let tr = el("tr", "");
    append(&tr, &el_text("th", "num", "#"));
    for (_, h, _) in table_columns(table) {
        append(&tr, &el_text("th", "", h));
    }
    append(&tr, &el_text("th", "", ""));
    append(&thead, &tr);
    append(&t, &thead);
    let tbody = el("tbody", "");
    for r in &rows {
        append(&tbody, &table_row(table, r));
    }
    append(&t, &tbody);
    append(&scroll, &t);
    append(&holder, &scroll);
    if table == "category_aliases" {
        let list = el("datalist", "");
        attr(&list, "id", "canonical-categories");
        for c in CANONICAL_CATEGORIES {
            let o = el("option", "");
            attr(&o, "value", c);
            append(&list, &o);
        }
        append(&holder, &list);
    }
    let bar = el("div", "editor-actions");
    let add = button("Add row", "small", "table-add");
    attr(&add, "data-table", table);
    append(&bar, &add);
    let reset = button("Defaults", "ghost small", "table-reset");
    attr(&reset, "data-table", table);
    append(&bar, &reset);
    append(&holder, &bar);
    append(&details, &holder);
    renumber(&tbody);
    details
}

/// One editable row: a cell per column, a delete button.
fn table_row(table: &'static str, cells: &[String]) -> HtmlElement {
    let tr = el("tr", "");
    append(&tr, &el_text("td", "num row-no", ""));
    for (i, (key, heading, placeholder)) in table_columns(table).iter().enumerate() {
        let td = el("td", "");
        let input = el("input", &format!("cell-{key}"));
        attr(&input, "type", "text");
        attr(&input, "data-table-param", table);
        attr(&input, "data-key", key);
        attr(&input, "aria-label", heading);
        attr(&input, "spellcheck", "false");
        attr(&input, "autocomplete", "off");
        if !placeholder.is_empty() {
            attr(&input, "placeholder", placeholder);
        }
        if matches!(*key, "input" | "cached_input" | "cache_write" | "output") {
            attr(&input, "inputmode", "decimal");
        }
        if *key == "canonical" {
            attr(&input, "list", "canonical-categories");
        }
        let v = cells.get(i).map(String::as_str).unwrap_or("");
        attr(&input, "value", v);
        if matches!(*key, "source" | "model") && !v.is_empty() {
            attr(&input, "title", v);
        }
        append(&td, &input);
        append(&tr, &td);
    }
    let td = el("td", "");
    let del = button("×", "icon-btn small", "table-delete");
    attr(&del, "data-table", table);
    attr(&del, "aria-label", "Delete this row");
    attr(&del, "title", "Delete this row");
    append(&td, &del);
    append(&tr, &td);
    tr
}

/// Numbers the rows 1, 2, … (`data-row` and the first cell), as the error messages name them,
/// and updates the count in the editor's summary.
fn renumber(tbody: &Element) {
    let rows = tbody.children();
    for i in 0..rows.length() {
        if let Some(tr) = rows.item(i) {
            attr(&tr, "data-row", &(i + 1).to_string());
            if let Some(td) = tr.first_element_child() {
                td.set_text_content(Some(&(i + 1).to_string()));
            }
        }
    }
    if let Some(count) =
        tbody.closest("details").ok().flatten().and_then(|d| d.query_selector(".editor-count").ok().flatten())
    {
        let what = if tbody.closest("#param-prices").ok().flatten().is_some() { "patterns" } else { "aliases" };
        count.set_text_content(Some(&format!(" · {} {what}", rows.length())));
    }
}

fn table_body(table: &str) -> Option<Element> {
    by_id(&format!("param-{table}")).and_then(|h| h.query_selector("tbody").ok().flatten())
}

/// The table's cells as the DOM holds them now, row by row, in column order.
fn read_table_cells(table: &str) -> Vec<Vec<String>> {
    let Some(tbody) = table_body(table) else { return Vec::new() };
    let cols = table_columns(table);
    let rows = tbody.children();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|tr| {
            cols.iter()
                .map(|(key, _, _)| {
                    tr.query_selector(&format!("input[data-key={key}]"))
                        .ok()
                        .flatten()
                        .map(|i| i.unchecked_into::<HtmlInputElement>().value())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

/// Shows a table's message (or hides it, given "") and marks the bad cell.
fn table_error(table: &str, msg: &str, bad: Option<(usize, &str)>) {
    if let Some(tbody) = table_body(table) {
        if let Ok(cells) = tbody.query_selector_all("input.invalid") {
            for i in 0..cells.length() {
                if let Some(c) = cells.item(i).and_then(|c| c.dyn_into::<Element>().ok()) {
                    c.class_list().remove_1("invalid").ok();
                    c.remove_attribute("aria-invalid").ok();
                }
            }
        }
        if let Some((row, key)) = bad {
            if let Ok(Some(c)) = tbody.query_selector(&format!("tr[data-row=\"{row}\"] input[data-key={key}]")) {
                c.class_list().add_1("invalid").ok();
                attr(&c, "aria-invalid", "true");
            }
        }
    }
    if let Some(e) = by_id(&format!("param-{table}-error")) {
        e.set_text_content(Some(msg));
        show(&e, !msg.is_empty());
    }
    if let Some(h) = by_id(&format!("param-{table}")) {
        if msg.is_empty() {
            h.remove_attribute("data-invalid").ok();
        } else {
            attr(&h, "data-invalid", "true");
        }
    }
}

/// A cell of a table parameter changed (or a row went): the whole table is read again; when it
/// parses it replaces the parameter and every figure is recomputed (the worker's `compute`, no
/// file is read again), else its message names the row and key and the table in force stays.
fn on_table_change(table: &str) {
    use crate::pipelines::param_tables::{aliases_from_cells, prices_from_cells};
    let cells = read_table_cells(table);
    let mut next = with(|a| a.controls.params.clone());
    let parsed = if table == "prices" {
        let rows: Vec<[String; 7]> =
            cells.iter().map(|r| std::array::from_fn(|i| r.get(i).cloned().unwrap_or_default())).collect();
        prices_from_cells(&rows).map(|p| next.prices = p)
    } else {
        let rows: Vec<[String; 2]> =
            cells.iter().map(|r| std::array::from_fn(|i| r.get(i).cloned().unwrap_or_default())).collect();
        aliases_from_cells(&rows).map(|t| next.category_aliases = t)
    };
    if let Err(e) = parsed {
        return table_error(table, &format!("{e}. The figures keep the last table that parsed."), Some((e.row, e.key)));
    }
    // the core's own check, as the worker and the CLI make it
    match serde_json::to_string(&next).map_err(|e| e.to_string()).and_then(|j| Parameters::from_json(&j)) {
        Ok(p) => {
            table_error(table, "", None);
            with(|a| a.controls.params = p);
            recompute();
        }
        Err(e) => table_error(table, &format!("{e}. The figures keep the last table that parsed."), None),
    }
}

pub(super) fn on_table_action(action: &str, target: &Element) {
    let Some(table) = target.get_attribute("data-table") else { return };
    let Some(table) = TABLE_PARAMS.iter().copied().find(|t| *t == table) else { return };
    match action {
        "table-add" => {
            let Some(tbody) = table_body(table) else { return };
            let row = table_row(table, &[]);
            // first: the first matching price wins, so a new pattern takes precedence
            let _ = tbody.insert_before(&row, tbody.first_child().as_ref());
            renumber(&tbody);
            if let Ok(Some(i)) = row.query_selector("input") {
                let _ = i.unchecked_into::<HtmlElement>().focus();
            }
        }
        "table-delete" => {
            let Some(tr) = target.closest("tr").ok().flatten() else { return };
            let Some(tbody) = table_body(table) else { return };
            tr.remove();
            renumber(&tbody);
            on_table_change(table);
        }
        "table-reset" => {
            with(|a| {
                let d = Parameters::default();
                if table == "prices" {
                    a.controls.params.prices = d.prices;
                } else {
                    a.controls.params.category_aliases = d.category_aliases;
                }
            });
            if let Some(old) = by_id(&format!("editor-{table}")) {
                let fresh = table_editor(table);
                attr(&fresh, "open", "");
                let _ = old.replace_with_with_node_1(&fresh);
            }
            recompute();
        }
        _ => {}
    }
}
