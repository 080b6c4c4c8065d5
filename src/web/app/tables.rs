//! The tables of report rows: a bar with the label, the row count and a CSV button, the first
//! rows (more on "Show more"), sorting by a column, CSV of the rows in their order, and a row of
//! an attempt opening its timeline. Long arrays stay JSON Lines text, parsed a row at a time.

use super::timeline::open_timeline;
use super::with;
use crate::model::numbers::count;
use crate::page::columns;
use crate::report::format;
use crate::report::lines::{JsonLines, LongArrays};
use crate::web::dom::*;
use serde_json::Value;
use std::borrow::Cow;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Rows a table shows before "show more".
const PAGE_ROWS: usize = 100;

pub(super) struct Table {
    /// in the report's order (the CSV's)
    columns: Vec<String>,
    /// in the order shown, each with whether it is shown (`page::columns`: answers first)
    display: Vec<(String, bool)>,
    rows: Rows,
    /// row indices in display order (sorting permutes these, not the rows)
    order: Vec<u32>,
    sort: Option<(String, bool)>,
    shown: usize,
}

/// A table's rows: its own, or an array of the report (section, field), not copied: the report
/// keeps it for the charts, and a copy per table was the page's largest allocation.
pub(super) enum Rows {
    Own(Vec<Value>),
    InReport(&'static str, String),
}

/// A table's rows where they are: values, or a long array kept as JSON Lines (parsed when read).
#[derive(Clone, Copy)]
enum RowsRef<'a> {
    Values(&'a [Value]),
    Lines(&'a JsonLines),
}

impl<'a> RowsRef<'a> {
    fn len(self) -> usize {
        match self {
            RowsRef::Values(v) => v.len(),
            RowsRef::Lines(l) => l.len(),
        }
    }
    fn get(self, i: usize) -> Option<Cow<'a, Value>> {
        match self {
            RowsRef::Values(v) => v.get(i).map(Cow::Borrowed),
            RowsRef::Lines(l) => l.get(i).map(Cow::Owned),
        }
    }
}

fn rows_of<'a>(rows: &'a Rows, report: &'a Value, long: &'a LongArrays) -> RowsRef<'a> {
    match rows {
        Rows::Own(v) => RowsRef::Values(v),
        Rows::InReport(section, field) => match long.get(&format!("{section}.{field}")) {
            Some(lines) => RowsRef::Lines(lines),
            None => RowsRef::Values(
                report.get(*section).and_then(|s| s.get(field)).and_then(Value::as_array).map_or(&[], Vec::as_slice),
            ),
        },
    }
}

/// The columns of a table: the rows' fields in their order in the report (serde_json keeps it).
fn columns_of(rows: RowsRef<'_>) -> Vec<String> {
    let mut cols: Vec<String> = vec![];
    for r in (0..rows.len().min(200)).filter_map(|i| rows.get(i)) {
        if let Some(o) = r.as_object() {
            for k in o.keys() {
                if !cols.contains(k) {
                    cols.push(k.clone());
                }
            }
        }
    }
    cols
}

/// A table of report rows (JSON objects) as the page shows it: a bar with the label, the row count
/// and a CSV button, then a holder `#tbl-{id}` with the first 100 rows (every cell a text
/// node, formatted by [`format::cell`]) and a "Show more" button. Registers the rows under `id` for
/// sorting, paging and CSV. Public for the browser tests (tests/web_glue.rs).
pub fn table_block(id: &str, label: &str, rows: Vec<Value>, _section: &str) -> HtmlElement {
    table_block_of(id, label, Rows::Own(rows))
}

pub(super) fn table_block_of(id: &str, label: &str, rows: Rows) -> HtmlElement {
    let (n, columns) = with(|a| {
        let r = rows_of(&rows, &a.shown.report, &a.shown.long);
        (r.len(), columns_of(r))
    });
    let display = columns::plan(id, &columns);
    let wrap = el("div", "table-block");
    let bar = el("div", "table-bar");
    append(&bar, &el_text("h3", "", label));
    if n > 0 {
        append(&bar, &el_text("span", "muted small", &rows_label(n)));
        if display.iter().any(|(_, shown)| !shown) {
            append(&bar, &columns_menu(id, &display));
        }
        let wide = button("Full width", "ghost small", "table-wide");
        attr(&wide, "title", "Give this table the section's whole width");
        attr(&wide, "aria-pressed", "false");
        append(&bar, &wide);
        let csv = button("CSV", "ghost small", "csv");
        attr(&csv, "data-table", id);
        attr(&csv, "title", "Download this table as CSV (every column)");
        append(&bar, &csv);
    }
    append(&wrap, &bar);
    let holder = el("div", "table-holder");
    attr(&holder, "id", &format!("tbl-{id}"));
    append(&wrap, &holder);
    let order = (0..n as u32).collect();
    with(|a| {
        a.shown.tables.insert(id.to_string(), Table { columns, display, rows, order, sort: None, shown: PAGE_ROWS })
    });
    fill_table(id, &holder);
    if n > 0 && columns::repeats_a_chart(id) {
        // the chart beside it draws these rows: the table is there to read exact values
        let details = el("details", "show-data");
        let what = if label.is_empty() { String::new() } else { format!(": {label}") };
        append(&details, &el_text("summary", "", &format!("Show data{what} ({})", rows_label(n))));
        append(&details, &wrap);
        return details;
    }
    wrap
}

fn rows_label(n: usize) -> String {
    count(n as u64, "row", "rows")
}

/// The Columns menu's button: how many columns are shown of all.
fn columns_summary(shown: usize, all: usize) -> String {
    format!("Columns · {shown} of {all}")
}

/// The Columns menu: a checkbox per column, in the order shown.
fn columns_menu(id: &str, display: &[(String, bool)]) -> HtmlElement {
    let menu = el("details", "columns-menu");
    let shown = display.iter().filter(|(_, s)| *s).count();
    append(&menu, &el_text("summary", "ghost small", &columns_summary(shown, display.len())));
    let list = el("div", "columns-list");
    for (c, on) in display {
        let label = el("label", "");
        let b = el("input", "");
        attr(&b, "type", "checkbox");
        attr(&b, "data-action", "toggle-column");
        attr(&b, "data-table", id);
        attr(&b, "data-key", c);
        if *on {
            attr(&b, "checked", "");
        }
        append(&label, &b);
        append(&label, &el_text("span", "", &format::title(c)));
        append(&list, &label);
    }
    append(&menu, &list);
    menu
}

/// A column's checkbox in the Columns menu changed: the table shows or hides it.
pub(super) fn toggle_column(id: &str, key: &str, on: bool) {
    let count = with(|a| {
        let t = a.shown.tables.get_mut(id)?;
        if let Some(c) = t.display.iter_mut().find(|(c, _)| c == key) {
            c.1 = on;
        }
        Some((t.display.iter().filter(|(_, s)| *s).count(), t.display.len()))
    });
    if let Some(h) = by_id(&format!("tbl-{id}")) {
        fill_table(id, &h);
        if let (Some((shown, all)), Some(summary)) =
            (count, h.parent_element().and_then(|w| w.query_selector(".columns-menu > summary").ok().flatten()))
        {
            summary.set_text_content(Some(&columns_summary(shown, all)));
        }
    }
}

/// Is a row one attempt (clicking opens its timeline)?
fn attempt_of(row: &Value) -> Option<String> {
    row.get("attempt_id").or_else(|| row.get("attempt")).and_then(Value::as_str).map(String::from)
}

fn fill_table(id: &str, holder: &Element) {
    clear(holder);
    let page = with(|a| {
        let report = &a.shown.report;
        a.shown.tables.get(id).map(|t| {
            let rows = rows_of(&t.rows, report, &a.shown.long);
            let shown: Vec<Value> =
                t.order.iter().take(t.shown).filter_map(|&i| rows.get(i as usize).map(Cow::into_owned)).collect();
            let columns: Vec<String> = t.display.iter().filter(|(_, on)| *on).map(|(c, _)| c.clone()).collect();
            (columns, shown, t.order.len(), t.sort.clone(), t.shown)
        })
    });
    let (columns, rows, total, sort, shown) = match page {
        Some(x) => x,
        None => return,
    };
    if rows.is_empty() {
        append(holder, &el_text("p", "muted empty-rows", "None."));
        return;
    }
    let table = el("table", "data");
    let thead = el("thead", "");
    let tr = el("tr", "");
    for c in &columns {
        let th = el("th", "");
        let b = button(&format::title(c), "sort", "sort");
        attr(&b, "data-table", id);
        attr(&b, "data-key", c);
        let arrow = match &sort {
            Some((k, asc)) if k == c => {
                attr(&th, "aria-sort", if *asc { "ascending" } else { "descending" });
                if *asc {
                    " ▲"
                } else {
                    " ▼"
                }
            }
            _ => "",
        };
        text(&b, arrow);
        append(&th, &b);
        append(&tr, &th);
    }
    append(&thead, &tr);
    append(&table, &thead);
    let tbody = el("tbody", "");
    for (i, row) in rows.iter().enumerate().take(shown) {
        let tr = el("tr", "");
        if attempt_of(row).is_some() {
            tr.class_list().add_1("clickable").ok();
            attr(&tr, "data-action", "row");
            attr(&tr, "data-table", id);
            attr(&tr, "data-row", &i.to_string());
            attr(&tr, "tabindex", "0");
            attr(&tr, "title", "Open this attempt's timeline");
        }
        for c in &columns {
            let v = row.get(c).unwrap_or(&Value::Null);
            let td = match format::cell_items(c, v) {
                // several things in one cell: one item each, not one serialised line
                Some(items) => {
                    let td = el("td", "items");
                    for item in items {
                        append(&td, &el_text("span", "cell-item", &item));
                    }
                    td
                }
                None => el_text("td", if v.is_number() { "num" } else { "" }, &format::cell(c, v)),
            };
            append(&tr, &td);
        }
        append(&tbody, &tr);
    }
    append(&table, &tbody);
    let scroll = el("div", "table-scroll");
    append(&scroll, &table);
    append(holder, &scroll);
    if total > shown {
        let more = button(
            &format!("Show more ({} of {})", format::grouped(shown as f64, 0), format::grouped(total as f64, 0)),
            "ghost small more",
            "more",
        );
        attr(&more, "data-table", id);
        append(holder, &more);
    }
}

pub(super) fn sort_table(id: &str, key: &str) {
    with(|a| {
        let report = &a.shown.report;
        if let Some(t) = a.shown.tables.get_mut(id) {
            let asc = match &t.sort {
                Some((k, asc)) if k == key => !asc,
                _ => true,
            };
            let rows = rows_of(&t.rows, report, &a.shown.long);
            // the column once (a long array's rows are parsed once, not per comparison)
            let column: Vec<Value> =
                (0..rows.len()).map(|i| rows.get(i).and_then(|r| r.get(key).cloned()).unwrap_or(Value::Null)).collect();
            let cell = |i: u32| column.get(i as usize).unwrap_or(&Value::Null);
            // stable: rows equal in this column keep the previous order
            crate::model::sort::by(&mut t.order, |&x, &y| {
                let (x, y) = (cell(x), cell(y));
                let o = format::compare(x, y);
                if asc || x.is_null() || y.is_null() {
                    o
                } else {
                    o.reverse()
                }
            });
            t.sort = Some((key.to_string(), asc));
        }
    });
    if let Some(h) = by_id(&format!("tbl-{id}")) {
        fill_table(id, &h);
    }
}

/// "Show more": five pages more of the table.
pub(super) fn show_more(id: &str) {
    with(|a| {
        if let Some(t) = a.shown.tables.get_mut(id) {
            t.shown += PAGE_ROWS * 5;
        }
    });
    if let Some(h) = by_id(&format!("tbl-{id}")) {
        fill_table(id, &h);
    }
}

/// The table's rows in their order as CSV, downloaded.
pub(super) fn download_csv(id: &str) {
    let csv = with(|a| {
        a.shown.tables.get(id).map(|t| {
            let rows = rows_of(&t.rows, &a.shown.report, &a.shown.long);
            // a row at a time: a long array is never all parsed at once
            format::csv(&t.columns, t.order.iter().filter_map(|&i| rows.get(i as usize)))
        })
    });
    if let Some(csv) = csv {
        download_text(&csv, "text/csv", &format!("spyglass-{}.csv", id.replace('.', "-")));
    }
}

/// A click (or Enter) on a table's row `row` (its place as shown): an attempt's timeline opens.
pub(super) fn open_row(id: &str, row: &str) {
    let row = with(|a| {
        let t = a.shown.tables.get(id)?;
        let i = *t.order.get(row.parse::<usize>().unwrap_or(usize::MAX))?;
        rows_of(&t.rows, &a.shown.report, &a.shown.long).get(i as usize).map(Cow::into_owned)
    });
    if let Some(attempt) = row.as_ref().and_then(attempt_of) {
        open_timeline(&attempt);
    }
}

/// "Full width": the section's tables go below its charts at its whole width, or back beside
/// them; every such button of the section says which.
pub(super) fn toggle_wide(button: &Element) {
    let Ok(Some(body)) = button.closest(".section-body") else { return };
    let wide = body.class_list().toggle("wide").unwrap_or(false);
    let Ok(Some(sec)) = body.closest(".section") else { return };
    let Ok(buttons) = sec.query_selector_all("button[data-action=table-wide]") else { return };
    for b in (0..buttons.length()).filter_map(|i| buttons.item(i)?.dyn_into::<Element>().ok()) {
        attr(&b, "aria-pressed", if wide { "true" } else { "false" });
        b.set_text_content(Some(if wide { "Beside the chart" } else { "Full width" }));
    }
}
