//! The report rendered in slices of small jobs (`page::slices`: overview first, then a section at
//! a time, each parsed from its JSON text when its job comes; a chart on screen drawn as soon as
//! its section is built, those off screen after every section), so that no task holds the main
//! thread long; the charts drawn on their canvases; and the progress line while files are read.

use super::brush::{draw_brush, render_brush_section};
use super::files::render_files;
use super::params::render_facets;
use super::tables::{table_block, table_block_of, Rows, Table};
use super::{dpr, now_ms, set_state, with};
use crate::page::chips::chips;
use crate::page::facets::Facets;
use crate::page::notes::{progress_text, progress_width};
use crate::page::notice::{notice, Notice};
use crate::page::overview::{cost_note, short_time};
use crate::page::protocol::{Progress, ReportMessage};
use crate::page::slices::{draw_order, on_screen, Costs, Lane, Queue, Slice, UNKNOWN_CHART_MS, UNKNOWN_COST_MS};
use crate::report::charts::{charts_from, ReportSource, SectionChart, COLOUR_SECTIONS};
use crate::report::format;
use crate::report::lines::{JsonLines, LongArrays};
use crate::web::charts;
use crate::web::dom::*;
use crate::web::protocol::Js;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Report sections in page order (each a pipeline's output in the report JSON).
const SECTIONS: [&str; 12] = crate::report::charts::SECTIONS;

/// The latest report, as far as it is parsed and rendered.
#[derive(Default)]
pub(super) struct Shown {
    /// the parts of the report parsed so far (an object keyed like the report)
    pub(super) report: Rc<Value>,
    /// the report's top-level values as JSON text (JS strings), parsed on first use
    parts: HashMap<String, JsValue>,
    /// long arrays of the report as JSON Lines: section → field → text (as received)
    big: HashMap<String, Vec<(String, JsValue)>>,
    /// the same, kept by `section.field` in the page's memory as text (their arrays in `report`
    /// stay empty): parsed into values they took ten times the room
    pub(super) long: Rc<LongArrays>,
    /// the sessions listed (JSON text, parsed in its own render step)
    sessions: String,
    pub(super) facets: Facets,
    /// each section's headline (`report::findings`), shown above its explanation
    headlines: BTreeMap<String, String>,
    /// sections found empty while rendering (listed together)
    empty_sections: Vec<&'static str>,
    /// content width the charts were last drawn at
    pub(super) drawn_width: f64,
    /// bumped by every report: a section render of an older one stops
    render_gen: u32,
    /// the tables shown, by id (their rows, order and paging)
    pub(super) tables: HashMap<String, Table>,
    /// each section's charts, made once per report (`section_charts`)
    charts: HashMap<String, Rc<Vec<SectionChart>>>,
    /// the charts' tooltips, by chart id
    pub(super) hits: HashMap<String, Vec<charts::HitRegion>>,
    /// the series a line chart shows alone (its legend entry clicked), by chart id: kept over
    /// redraws and new reports of the same files, forgotten by a new load
    pub(super) isolated: HashMap<String, String>,
}

pub(super) fn on_progress(p: &Progress) {
    if let Some(bar) = by_id("progress-bar") {
        let _ = bar.style().set_property("width", &progress_width(p));
    }
    // how many parse workers read this file (tests and benchmarks read it)
    if let Some(el) = by_id("progress") {
        let _ = el.set_attribute("data-parsers", &p.parsers.to_string());
    }
    if let Some(t) = by_id("progress-text") {
        t.set_text_content(Some(&progress_text(p)));
    }
}

pub(super) fn on_report(r: ReportMessage<Js>) {
    let busy = r.busy;
    let big: HashMap<String, Vec<(String, JsValue)>> = r
        .big
        .into_iter()
        .filter(|(_, fields)| !fields.is_empty())
        .map(|(section, fields)| (section, fields.into_iter().map(|(f, text)| (f, text.0)).collect()))
        .collect();
    let mut parts: HashMap<String, JsValue> = r.parts.into_iter().map(|(k, v)| (k, v.0)).collect();
    // only the small parts now; sections are parsed in their render steps
    let mut report = serde_json::Map::new();
    for k in ["summary", "parameters"] {
        if let Some(text) = parts.remove(k).and_then(|t| t.as_string()) {
            report.insert(k.to_string(), serde_json::from_str(&text).unwrap_or(Value::Null));
        }
    }
    let report = Value::Object(report);
    let n_inputs = r.inputs.len();
    with(|a| {
        // parsed in its own render step
        a.shown.sessions = r.sessions;
        a.shown.report = Rc::new(report);
        a.shown.charts.clear();
        a.shown.long = Rc::default();
        a.shown.parts = parts;
        a.shown.big = big;
        a.shown.facets = r.facets;
        a.shown.headlines = r.headlines;
        a.files.states = r.inputs;
        a.link.busy = busy;
    });
    if let Some(p) = by_id("progress") {
        show(&p, busy);
    }
    set_exports_enabled(n_inputs > 0);
    if n_inputs == 0 && !busy {
        show_empty();
        if with(|a| a.last_error.is_some()) {
            set_state("error");
        }
        return;
    }
    show_dashboard();
    render_report();
}

pub(super) fn show_empty() {
    // the jobs of a report before it must not draw over the empty state, nor set `ready`
    cancel_jobs();
    super::a11y::hide_toc();
    if let Some(e) = by_id("empty-state") {
        show(&e, true);
    }
    if let Some(d) = by_id("dashboard") {
        show(&d, false);
    }
    if let Some(p) = by_id("progress") {
        show(&p, false);
    }
    set_exports_enabled(false);
    set_state(if with(|a| a.last_error.is_some()) { "error" } else { "empty" });
}

fn set_exports_enabled(on: bool) {
    for id in ["export-json", "export-html"] {
        if let Some(b) = by_id(id) {
            b.unchecked_ref::<web_sys::HtmlButtonElement>().set_disabled(!on);
        }
    }
}

pub(super) fn show_dashboard() {
    if let Some(e) = by_id("empty-state") {
        show(&e, false);
    }
    if let Some(d) = by_id("dashboard") {
        show(&d, true);
    }
}

fn card(grid: &Element, label: &str, value: &str, sub: &str) {
    card_class(grid, "card", label, value, sub);
}

/// A card with an id (for scripts).
fn card_id(grid: &Element, id: &str, label: &str, value: &str, sub: &str) {
    card(grid, label, value, sub);
    if let Some(c) = grid.last_element_child() {
        attr(&c, "id", id);
    }
}

fn card_class(grid: &Element, class: &str, label: &str, value: &str, sub: &str) {
    let c = el("div", class);
    append(&c, &el_text("div", "card-label", label));
    append(&c, &el_text("div", "card-value", value));
    if !sub.is_empty() {
        append(&c, &el_text("div", "card-sub", sub));
    }
    append(grid, &c);
}

/// Renders the report as jobs run in slices (`page::slices`): the overview, then each section
/// parsed and built in page order, a chart on screen drawn as soon as its section is built, the
/// charts off screen after every section; `data-state` becomes `ready` after the last job, when
/// every figure is drawn. A new report drops the jobs of the one before.
pub(super) fn render_report() {
    let report = with(|a| a.shown.report.clone());
    let generation = with(|a| {
        a.shown.render_gen = a.shown.render_gen.wrapping_add(1);
        a.shown.tables.clear();
        a.shown.hits.clear();
        a.shown.empty_sections.clear();
        a.shown.render_gen
    });
    let notice = with(|a| {
        let shown = report["summary"]["sessions"].as_u64().unwrap_or(0);
        notice(shown, a.shown.facets.sessions, &a.files.states, &a.controls.filters, a.link.busy)
    });
    drop(report);
    let mut jobs: Vec<(Lane, Job)> = vec![];
    let mut build = |label: String, f: Box<dyn FnOnce(&Element)>| jobs.push((Lane::Build, Job::Step(label, f)));
    // the sidebar's files list and filters, then the overview and the brush
    build("files".into(), Box::new(|_| render_files()));
    build("facets".into(), Box::new(|_| render_facets()));
    // the old report's figures go in a job of their own (removing many nodes takes time)
    build("clear".into(), Box::new(clear));
    let head_notice = notice.clone();
    build(
        "overview".into(),
        Box::new(move |content| {
            render_chips(content);
            if let Some(n) = &head_notice {
                render_notice(content, n);
            }
            // files without telemetry: no dashboard of dashes that would look like results
            if !matches!(head_notice, Some(Notice::NoTelemetry(_))) {
                let report = with(|a| a.shown.report.clone());
                render_overview(content, &report);
                render_brush_section(content);
            }
        }),
    );
    if !matches!(notice, Some(Notice::NoTelemetry(_))) {
        build("brush".into(), Box::new(|_| draw_brush()));
    }
    // with a notice, every pipeline's section would be empty: only the diagnostics are shown
    let sections: &[&'static str] = if notice.is_some() { &[] } else { &SECTIONS };
    if !sections.is_empty() {
        // the models' and executors' colours read these: parsed once, before any chart is drawn,
        // so that every chart has the colours it has once the whole report is parsed
        for s in COLOUR_SECTIONS {
            build(format!("load-{s}"), Box::new(move |_| load_section(s)));
        }
    }
    for &name in sections {
        build(format!("load-{name}"), Box::new(move |_| load_section(name)));
        build(
            format!("section-{name}"),
            Box::new(move |c| {
                let (report, long) = with(|a| (a.shown.report.clone(), a.shown.long.clone()));
                if section_is_empty(name, &report, &long) {
                    with(|a| a.shown.empty_sections.push(name));
                } else {
                    render_section(c, name, ReportSource { value: &report, long: Some(&long) });
                }
            }),
        );
    }
    build(
        "pending".into(),
        Box::new(|content| {
            let pending = with(|a| a.shown.empty_sections.clone());
            if !pending.is_empty() {
                let note = el("section", "section pending");
                attr(&note, "id", "section-pending");
                append(&note, &el_text("h2", "", "Not shown"));
                let names: Vec<String> = pending.iter().map(|n| format::title(n)).collect();
                append(
                    &note,
                    &el_text(
                        "p",
                        "muted",
                        &format!("No figures for the current data and filters: {}.", names.join(", ")),
                    ),
                );
                append(content, &note);
            }
        }),
    );
    if notice.is_none() {
        build("sessions".into(), Box::new(render_sessions_section));
    }
    build(
        "diagnostics".into(),
        Box::new(|c| {
            let report = report_part("diagnostics");
            render_diagnostics(c, &report);
        }),
    );
    jobs.push((Lane::Last, Job::Step("ready".into(), Box::new(on_drawn))));
    WORK.with(|w| {
        let mut w = w.borrow_mut();
        w.queue.clear();
        w.ordered = false;
        for (lane, job) in jobs {
            w.queue.push(lane, job);
        }
    });
    schedule_slice(generation);
}

/// The last job of a report: every figure is drawn.
fn on_drawn(content: &Element) {
    with(|a| a.shown.drawn_width = content.client_width() as f64);
    // the contents list the sections drawn
    super::a11y::build_toc();
    if with(|a| !a.link.busy) {
        set_state("ready");
        super::a11y::report_drawn();
        super::recipe::on_ready();
        super::comparison::on_ready();
    }
}

/// Parses section `name` into the shown report (nothing if it already is); its long arrays stay
/// JSON Lines text, indexed by line, not parsed.
fn load_section(name: &str) {
    report_part(name);
    let big = with(|a| a.shown.big.remove(name)).unwrap_or_default();
    let lines: Vec<(String, JsonLines)> = big
        .into_iter()
        .map(|(f, text)| (format!("{name}.{f}"), JsonLines::new(text.as_string().unwrap_or_default())))
        .collect();
    with(|a| Rc::make_mut(&mut a.shown.long).extend(lines));
}

/// The report with `key` parsed (from its JSON text, the first time it is asked for).
fn report_part(key: &str) -> Rc<Value> {
    with(|a| {
        if let Some(text) = a.shown.parts.remove(key).and_then(|t| t.as_string()) {
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if let Value::Object(m) = Rc::make_mut(&mut a.shown.report) {
                m.insert(key.to_string(), v);
            }
        }
        a.shown.report.clone()
    })
}

/// A job of the report's rendering: a step (named for the performance timeline) given the
/// content element, or one chart canvas to draw.
enum Job {
    Step(String, Box<dyn FnOnce(&Element)>),
    Draw(web_sys::HtmlCanvasElement),
}

impl Job {
    /// What the job is (`section-costs`, `chart-costs.daily`): its measure's name, and the key
    /// of what it took last time.
    fn label(&self) -> String {
        match self {
            Job::Step(label, _) => label.clone(),
            Job::Draw(canvas) => format!("chart-{}", canvas.get_attribute("data-chart").unwrap_or_default()),
        }
    }

    /// What the job is expected to take when it never ran.
    fn unknown_cost(&self) -> f64 {
        match self {
            Job::Step(..) => UNKNOWN_COST_MS,
            Job::Draw(_) => UNKNOWN_CHART_MS,
        }
    }
}

/// The jobs pending and whether a slice is scheduled to run them.
#[derive(Default)]
struct Work {
    queue: Queue<Job>,
    /// the generation (`Shown::render_gen`) a scheduled slice runs for
    scheduled: Option<u32>,
    /// what each job took last time
    costs: Costs,
    /// the off-screen charts have been put in drawing order (done once, when they come next)
    ordered: bool,
    /// the channel a slice is scheduled through (a message, not `setTimeout`: no 4 ms clamp)
    channel: Option<web_sys::MessageChannel>,
}

thread_local! {
    static WORK: std::cell::RefCell<Work> = std::cell::RefCell::default();
}

/// Drops the jobs of the report shown (nothing replaces it): a slice scheduled for it does
/// nothing, and no later slice runs its jobs.
fn cancel_jobs() {
    with(|a| a.shown.render_gen = a.shown.render_gen.wrapping_add(1));
    WORK.with(|w| w.borrow_mut().queue.clear());
}

/// Schedules a slice of the pending jobs as the next task (one at a time).
fn schedule_slice(generation: u32) {
    let port = WORK.with(|w| {
        let mut w = w.borrow_mut();
        if w.scheduled.is_some() {
            w.scheduled = Some(generation);
            return None;
        }
        w.scheduled = Some(generation);
        if w.channel.is_none() {
            let channel = web_sys::MessageChannel::new().ok()?;
            let run = Closure::<dyn FnMut()>::new(run_slice);
            channel.port1().set_onmessage(Some(run.as_ref().unchecked_ref()));
            run.forget();
            w.channel = Some(channel);
        }
        w.channel.as_ref().map(|c| c.port2())
    });
    if let Some(port) = port {
        let _ = port.post_message(&JsValue::NULL);
    }
}

/// Runs pending jobs while the slice has time (`page::slices::Slice`), then yields to the event
/// loop and schedules the next slice if jobs remain. A slice scheduled for an older report does
/// nothing (its jobs were dropped with it).
fn run_slice() {
    let Some(generation) = WORK.with(|w| w.borrow_mut().scheduled.take()) else { return };
    if with(|a| a.shown.render_gen) != generation {
        return;
    }
    let Some(content) = by_id("content") else { return };
    let perf = web_sys::window().and_then(|w| w.performance());
    let slice = Slice::new(now_ms());
    if let Some(p) = &perf {
        let _ = p.mark("spyglass-slice-start");
    }
    let mut first = true;
    loop {
        if let Some(p) = &perf {
            let _ = p.mark("spyglass-job-start");
        }
        if order_off_screen() {
            if let Some(p) = &perf {
                let _ = p.measure_with_start_mark("spyglass-job-order", "spyglass-job-start");
            }
        }
        // a job expected to overrun the slice waits for the next one (where it runs first)
        let next = WORK.with(|w| {
            let mut w = w.borrow_mut();
            let next = w.queue.peek()?;
            let (label, unknown) = (next.label(), next.unknown_cost());
            if !first && !slice.has_time(now_ms(), w.costs.expect(&label, unknown)) {
                return None;
            }
            w.queue.pop().map(|job| (label, job))
        });
        let Some((label, job)) = next else { break };
        first = false;
        let t0 = now_ms();
        if let Some(p) = &perf {
            let _ = p.mark("spyglass-job-start");
        }
        match job {
            Job::Step(_, f) => {
                f(&content);
                // the layout of what the job added, now: counted in the job's time and slice,
                // not left to the next frame's rendering (a long task of its own, up to 100 ms)
                let _ = content.offset_height();
            }
            Job::Draw(canvas) => {
                if canvas.is_connected() {
                    let (report, long) = with(|a| (a.shown.report.clone(), a.shown.long.clone()));
                    draw_chart(canvas, ReportSource { value: &report, long: Some(&long) });
                }
                // a canvas's new backing store invalidates the layout too
                let _ = content.offset_height();
            }
        }
        let took = now_ms() - t0;
        WORK.with(|w| w.borrow_mut().costs.record(&label, took));
        // a job's own measure when it is long enough to matter (the e2e tests print them)
        if let Some(p) = &perf {
            if took >= 8.0 {
                let _ = p.measure_with_start_mark(&format!("spyglass-job-{label}"), "spyglass-job-start");
            }
        }
        if with(|a| a.shown.render_gen) != generation {
            break;
        }
    }
    if let Some(p) = &perf {
        let _ = p.measure_with_start_mark("spyglass-slice", "spyglass-slice-start");
    }
    // (a newer report has scheduled its own slice)
    if with(|a| a.shown.render_gen) == generation && WORK.with(|w| !w.borrow().queue.is_empty()) {
        schedule_slice(generation);
    }
}

/// Once every section is built, puts the charts off screen in drawing order (`draw_order`: those
/// scrolled into view meanwhile first, then the nearest below); whether it did now.
fn order_off_screen() -> bool {
    WORK.with(|w| {
        let mut w = w.borrow_mut();
        if w.ordered || w.queue.next_lane() != Some(Lane::Later) {
            return false;
        }
        w.ordered = true;
        let boxes: Vec<(f64, f64)> = w
            .queue
            .iter(Lane::Later)
            .map(|j| match j {
                Job::Draw(c) => section_box(c),
                Job::Step(..) => (0.0, 0.0),
            })
            .collect();
        let order = draw_order(&boxes, viewport_height());
        w.queue.reorder(Lane::Later, &order);
        true
    })
}

/// Where the section of chart `canvas` is (top, bottom in viewport px). The section's box, not
/// the canvas's: a section off screen is skipped by `content-visibility: auto`, and asking where
/// a canvas inside it is would lay the whole section out (a full page of them took 100 ms).
fn section_box(canvas: &web_sys::HtmlCanvasElement) -> (f64, f64) {
    let Some(sec) = canvas.closest("section").ok().flatten() else { return (0.0, 0.0) };
    let r = sec.get_bounding_client_rect();
    (r.top(), r.bottom())
}

fn viewport_height() -> f64 {
    web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(0.0)
}

/// Queues the chart canvases under `root` to be drawn: those on screen next, the others once
/// every section is built.
fn queue_charts_in(root: &Element) {
    let Ok(list) = root.query_selector_all("canvas.section-chart") else { return };
    let height = viewport_height();
    let canvases: Vec<web_sys::HtmlCanvasElement> =
        (0..list.length()).filter_map(|i| list.item(i).and_then(|n| n.dyn_into().ok())).collect();
    queue_draws(canvases, height);
}

fn queue_draws(canvases: Vec<web_sys::HtmlCanvasElement>, height: f64) {
    if canvases.is_empty() {
        return;
    }
    WORK.with(|w| {
        let mut w = w.borrow_mut();
        for canvas in canvases {
            let (top, bottom) = section_box(&canvas);
            let lane = if on_screen(top, bottom, height) { Lane::Now } else { Lane::Later };
            if lane == Lane::Later {
                w.ordered = false;
            }
            w.queue.push(lane, Job::Draw(canvas));
        }
    });
    schedule_slice(with(|a| a.shown.render_gen));
}

/// The filters in force, one removable chip each (none: nothing is shown).
fn render_chips(content: &Element) {
    super::params::filters_toggle_label();
    let chips = with(|a| chips(&a.controls.filters));
    if chips.is_empty() {
        return;
    }
    let bar = el("div", "chips");
    attr(&bar, "id", "filter-chips");
    attr(&bar, "role", "group");
    attr(&bar, "aria-label", "Filters in force");
    append(&bar, &el_text("span", "muted small", "Filtered:"));
    for c in chips {
        let chip = el("span", "chip");
        append(&chip, &el_text("span", "", &c.label));
        let x = button("×", "chip-remove", "remove-filter");
        attr(&x, "data-filter", &c.key.attr());
        attr(&x, "aria-label", &format!("Remove the filter {}", c.label));
        attr(&x, "title", "Remove this filter");
        append(&chip, &x);
        append(&bar, &chip);
    }
    append(&bar, &button("Clear filters", "ghost small", "reset-filters"));
    append(content, &bar);
}

/// Nothing to show, said with the way out.
fn render_notice(content: &Element, notice: &Notice) {
    let sec = el("section", "section notice");
    attr(&sec, "id", "notice");
    attr(&sec, "role", "status");
    let (kind, title, text, ways_out): (_, _, _, &[(&str, &str, &str)]) = match notice {
        Notice::NoTelemetry(t) => (
            "no-telemetry",
            "No bosun telemetry in these files",
            t,
            &[("Show skipped lines", "", "show-skipped"), ("Try the demo", "", "demo")],
        ),
        Notice::NothingMatches(t) => {
            ("nothing-matches", "Nothing matches the filters", t, &[("Clear filters", "primary", "reset-filters")])
        }
    };
    attr(&sec, "data-notice", kind);
    append(&sec, &el_text("h2", "", title));
    append(&sec, &el_text("p", "", text));
    let actions = el("div", "notice-actions");
    for (label, class, action) in ways_out {
        append(&actions, &button(label, class, action));
    }
    append(&sec, &actions);
    append(content, &sec);
}

fn render_overview(content: &Element, report: &Value) {
    let s = &report["summary"];
    let grid = el("div", "cards");
    attr(&grid, "id", "overview");
    let n = |k: &str| format::cell("", &s[k]);
    let rate = |k: &str, nk: &str| match s[k].as_f64() {
        Some(r) => (format!("{:.1} %", r * 100.0), format!("n = {}", n(nk))),
        None => ("—".into(), "no known outcome".into()),
    };
    card(&grid, "Files", &n("files"), &format!("{} lines", n("lines")));
    let range = match (s["first_timestamp"].as_str(), s["last_timestamp"].as_str()) {
        (Some(a), Some(b)) => (
            format!("{} → {}", a.get(..10).unwrap_or(a), b.get(..10).unwrap_or(b)),
            format!("{} → {}", short_time(a), short_time(b)),
        ),
        _ => ("—".into(), "no timestamps".into()),
    };
    card_class(&grid, "card wide", "Time range (UTC)", &range.0, &range.1);
    // under a filter, of how many in the data
    let all = with(|a| a.shown.facets.sessions);
    let of = match s["sessions"].as_u64() {
        Some(shown) if shown != all => format!("of {} · ", format::grouped(all as f64, 0)),
        _ => String::new(),
    };
    card(&grid, "Sessions", &n("sessions"), &format!("{of}{} events", n("events")));
    card(&grid, "Tasks", &n("tasks"), "");
    let (v, sub) = rate("success_rate", "success_n");
    card(&grid, "Success rate", &v, &sub);
    let (v, sub) = rate("first_shot_rate", "first_shot_n");
    card(&grid, "First-shot rate", &v, &sub);
    card_id(
        &grid,
        "card-cost",
        "Cost",
        &format::cell("total_cost_usd", &s["total_cost_usd"]),
        &cost_note(s, report["parameters"]["include_estimated_cost"].as_bool().unwrap_or(false)),
    );
    let tokens_sub = match (s["input_tokens"].as_u64(), s["output_tokens"].as_u64()) {
        (Some(i), Some(o)) => format!("{} in · {} out", format::cell("", &i.into()), format::cell("", &o.into())),
        _ => String::new(),
    };
    card(&grid, "Tokens", &n("total_tokens"), &tokens_sub);
    card(&grid, "Errors", &n("error_events"), "error events");
    card(&grid, "Alerts", &n("alerts"), "");
    card(&grid, "Skipped lines", &n("skipped_lines"), &format!("{} duplicates", n("duplicate_lines")));
    // a section with a heading for screen readers' heading list and the contents' first link
    let sec = el("section", "overview");
    attr(&sec, "id", "section-overview");
    attr(&sec, "aria-labelledby", "overview-title");
    let h = el_text("h2", "visually-hidden", "Overview");
    attr(&h, "id", "overview-title");
    append(&sec, &h);
    append(&sec, &grid);
    append(content, &sec);
}

/// A section with nothing to show: every table empty, no scalar value.
fn section_is_empty(name: &str, report: &Value, long: &LongArrays) -> bool {
    match report.get(name).and_then(Value::as_object) {
        Some(o) => o.iter().all(|(k, x)| match x {
            Value::Array(a) => a.is_empty() && long.get(&format!("{name}.{k}")).is_none_or(JsonLines::is_empty),
            Value::Null => true,
            _ => false,
        }),
        None => true,
    }
}

/// One pipeline's section: its chart (when it has one) beside a table per array of rows. Builds
/// the head and the charts' frames (the charts queued to be drawn) and queues a job per table,
/// next: a section's tables cost the most and one job for all of them was a long task.
fn render_section(content: &Element, name: &'static str, src: ReportSource<'_>) {
    let Some(section) = src.value.get(name) else { return };
    let sec = el("section", "section");
    attr(&sec, "id", &format!("section-{name}"));
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", &format::title(name)));
    append(&sec, &head);
    // what the figures say, then what they are and how they are computed (the HTML report's
    // words: `report::explain`)
    let (headline, params) =
        with(|a| (a.shown.headlines.get(name).cloned(), a.shown.report.get("parameters").cloned()));
    if let Some(h) = headline {
        append(&sec, &el_text("p", "headline", &h));
    }
    let explain = crate::report::explain::section_text(name, &params.unwrap_or(Value::Null));
    if !explain.is_empty() {
        append(&sec, &el_text("p", "explain", &explain));
    }
    let body = el("div", "section-body");
    let infos = charts::chart_infos(&section_charts(name, src));
    if !infos.is_empty() {
        let col = el("div", "charts");
        for info in &infos {
            append(&col, &chart_frame(name, info));
        }
        append(&body, &col);
    }
    let tables = el("div", "section-tables");
    let mut scalars: Vec<(String, Value)> = vec![];
    let mut jobs: Vec<Job> = vec![];
    if let Some(obj) = section.as_object() {
        // the main table (`rows`) first; other fields in the report's order
        let mut entries: Vec<(&String, &Value)> = obj.iter().collect();
        crate::model::sort::by_key(&mut entries, |(k, _)| *k != "rows");
        let several =
            entries.iter().filter(|(_, v)| matches!(v, Value::Array(r) if r.iter().all(Value::is_object))).count() > 1;
        for (k, v) in entries {
            match v {
                Value::Array(rows) if rows.iter().all(Value::is_object) => {
                    let id = format!("{name}.{k}");
                    // the HTML report's captions ("Quality versus cost"), not the field's name
                    let label = if k != "rows" || several {
                        crate::report::explain::table_title(name, k)
                    } else {
                        String::new()
                    };
                    // a place kept for the table, in the report's order, filled by its own job
                    let place = el("div", "table-place");
                    append(&tables, &place);
                    let field = k.clone();
                    jobs.push(Job::Step(
                        format!("table-{id}"),
                        Box::new(move |_| {
                            let block = table_block_of(&id, &label, Rows::InReport(name, field));
                            let _ = place.replace_with_with_node_1(&block);
                        }),
                    ));
                }
                _ => scalars.push((k.clone(), v.clone())),
            }
        }
    }
    if !scalars.is_empty() {
        let dl = el("dl", "kv");
        for (k, v) in scalars {
            append(&dl, &el_text("dt", "", &format::title(&k)));
            append(&dl, &el_text("dd", "", &format::cell(&k, &v)));
        }
        append(&tables, &dl);
    }
    if jobs.is_empty() {
        append(&tables, &el_text("p", "muted", "No figures for this section yet."));
    }
    append(&body, &tables);
    append(&sec, &body);
    append(content, &sec);
    WORK.with(|w| w.borrow_mut().queue.push_front(Lane::Build, jobs));
    queue_charts_in(&sec);
}

/// Section `name`'s charts, made once per report (the first time asked for) and kept for every
/// draw: making them reads every row the charts show.
fn section_charts(name: &str, src: ReportSource<'_>) -> Rc<Vec<SectionChart>> {
    if let Some(c) = with(|a| a.shown.charts.get(name).cloned()) {
        return c;
    }
    let charts = Rc::new(charts_from(src, name));
    with(|a| a.shown.charts.insert(name.to_string(), charts.clone()));
    charts
}

fn chart_frame(section: &str, info: &charts::ChartInfo) -> HtmlElement {
    let frame = el("figure", "chart");
    let canvas = el("canvas", "section-chart");
    attr(&canvas, "id", &format!("chart-{}", info.id));
    attr(&canvas, "data-section", section);
    attr(&canvas, "data-chart", &info.id);
    attr(&canvas, "role", "img");
    attr(
        &canvas,
        "aria-label",
        &format!("{}. {} The table beside it holds the same figures.", info.title, info.summary),
    );
    let _ = canvas.style().set_property("height", &format!("{}px", info.height_px));
    CHART_SIZES.with(|o| {
        if let Some(o) = o {
            o.observe(&canvas);
        }
    });
    append(&frame, &canvas);
    // a line chart's crosshair, moved over the canvas by the pointer (the chart is not redrawn)
    let crosshair = el("div", "crosshair");
    attr(&crosshair, "aria-hidden", "true");
    show(&crosshair, false);
    append(&frame, &crosshair);
    let caption = el("figcaption", "");
    let png = button("PNG", "ghost small", "png");
    attr(&png, "data-chart", &info.id);
    attr(&png, "title", "Download this chart as PNG");
    append(&caption, &png);
    append(&frame, &caption);
    frame
}

/// Draws every chart canvas at its CSS size × devicePixelRatio (on resize and theme change).
pub(super) fn draw_charts() {
    draw_brush();
    let (report, long) = with(|a| (a.shown.report.clone(), a.shown.long.clone()));
    draw_charts_in(&document().document_element().expect("html"), ReportSource { value: &report, long: Some(&long) });
}

/// Draws the chart canvases under `root` now.
fn draw_charts_in(root: &Element, src: ReportSource<'_>) {
    let Ok(list) = root.query_selector_all("canvas.section-chart") else { return };
    for i in 0..list.length() {
        if let Some(canvas) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlCanvasElement>().ok()) {
            draw_chart(canvas, src);
        }
    }
}

/// Draws one chart canvas at its present CSS size, and keeps its hit regions for the tooltips.
fn draw_chart(canvas: web_sys::HtmlCanvasElement, src: ReportSource<'_>) {
    let (Some(section), Some(id)) = (canvas.get_attribute("data-section"), canvas.get_attribute("data-chart")) else {
        return;
    };
    let (w, h) = charts::fit_backing_store(&canvas, dpr());
    let only = with(|a| a.shown.isolated.get(&id).cloned());
    match &only {
        Some(name) => attr(&canvas, "data-isolated", name),
        None => {
            let _ = canvas.remove_attribute("data-isolated");
        }
    }
    let Some(backend) = plotters_canvas::CanvasBackend::with_canvas_object(canvas) else { return };
    let (w, h, dark) = (w as u32, h as u32, dark_theme());
    let made = section_charts(&section, src);
    let Some(chart) = made.iter().find(|c| c.id == id) else { return };
    if let Some(hits) = charts::draw_chart_on(chart, only.as_deref(), backend, w, h, dark) {
        with(|a| a.shown.hits.insert(id, hits));
    }
}

/// Draws chart `id` again (its isolated series changed).
pub(super) fn redraw_chart(id: &str) {
    let Some(canvas) = by_id(&format!("chart-{id}")).and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
    else {
        return;
    };
    let (report, long) = with(|a| (a.shown.report.clone(), a.shown.long.clone()));
    draw_chart(canvas, ReportSource { value: &report, long: Some(&long) });
}

thread_local! {
    /// Watches every chart canvas: one drawn before the layout gave it its size (a section
    /// outside the viewport is skipped by `content-visibility: auto`, and its canvas measured
    /// 1 px wide), or resized since, is drawn again at its new size — its hit regions with it.
    static CHART_SIZES: Option<web_sys::ResizeObserver> = {
        let changed = Closure::<dyn FnMut(js_sys::Array)>::new(|entries: js_sys::Array| {
            // a canvas never drawn waits in the queue already; the others are queued (several
            // at once, on a resize, would be a long task)
            let stale: Vec<web_sys::HtmlCanvasElement> = entries
                .iter()
                .filter_map(|e| e.dyn_into::<web_sys::ResizeObserverEntry>().ok())
                .filter_map(|e| e.target().dyn_into::<web_sys::HtmlCanvasElement>().ok())
                .filter(|c| c.is_connected() && charts::was_drawn(c) && charts::size_changed(c))
                .collect();
            queue_draws(stale, viewport_height());
        });
        let observer = web_sys::ResizeObserver::new(changed.as_ref().unchecked_ref()).ok();
        changed.forget();
        observer
    };
}

/// The sessions of the current view (sent beside the report, not part of it): the drill-down's
/// way in, whatever the pipelines list.
fn render_sessions_section(content: &Element) {
    let sessions: Value = with(|a| serde_json::from_str(&a.shown.sessions).unwrap_or(Value::Null));
    let rows = sessions["rows"].as_array().cloned().unwrap_or_default();
    let total = sessions["total"].as_u64().unwrap_or(0);
    let sec = el("section", "section");
    attr(&sec, "id", "section-sessions");
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", "Sessions"));
    append(&head, &el_text("span", "muted small", "click a row for its timeline"));
    append(&sec, &head);
    let label = if total as usize > rows.len() {
        format!("first {} of {}", rows.len(), format::grouped(total as f64, 0))
    } else {
        String::new()
    };
    append(&sec, &table_block("sessions", &label, rows, "sessions"));
    append(content, &sec);
}

fn render_diagnostics(content: &Element, report: &Value) {
    let d = &report["diagnostics"];
    let sec = el("section", "section diagnostics");
    attr(&sec, "id", "section-diagnostics");
    let head = el("div", "section-head");
    append(&head, &el_text("h2", "", "Diagnostics"));
    append(&sec, &head);
    let grid = el("div", "cards small-cards");
    let n = |k: &str| format::cell("", &d[k]);
    card(&grid, "Skipped lines", &n("skipped_lines_total"), "");
    card(&grid, "Duplicate lines", &n("duplicate_lines"), "");
    // all counted; the list holds the first 10 000
    card(&grid, "Superseded rows", &n("superseded_rows_total"), "");
    card(&grid, "Events without attempt", &n("events_without_attempt"), "");
    append(&sec, &grid);
    // several folders or machines merged: what each brought and shared, first
    if let Some(rows) = d["by_source"].as_array().filter(|r| !r.is_empty()) {
        append(
            &sec,
            &table_block(
                "diagnostics.by_source",
                "Sources: what each folder or machine brought and shared",
                rows.clone(),
                "diagnostics",
            ),
        );
    }
    let mut skipped: Vec<Value> = d["skipped_lines"].as_array().cloned().unwrap_or_default();
    let total = d["skipped_lines_total"].as_u64().unwrap_or(0);
    skipped.truncate(300);
    let label = if total as usize > skipped.len() {
        format!("Skipped lines (first {} of {})", skipped.len(), format::grouped(total as f64, 0))
    } else {
        "Skipped lines".to_string()
    };
    append(&sec, &table_block("diagnostics.skipped_lines", &label, skipped, "diagnostics"));
    let warnings: Vec<Value> = d["field_warnings"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| serde_json::json!({"field": k, "count": v})).collect())
        .unwrap_or_default();
    append(&sec, &table_block("diagnostics.field_warnings", "Field warnings", warnings, "diagnostics"));
    append(
        &sec,
        &table_block(
            "diagnostics.superseded_rows",
            "Superseded metrics rows",
            d["superseded_rows"].as_array().cloned().unwrap_or_default(),
            "diagnostics",
        ),
    );
    append(
        &sec,
        &table_block(
            "diagnostics.sources",
            "Files",
            d["sources"].as_array().cloned().unwrap_or_default(),
            "diagnostics",
        ),
    );
    append(content, &sec);
}

pub(super) fn dark_theme() -> bool {
    let root = document().document_element().expect("html");
    match root.get_attribute("data-theme").as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
}
