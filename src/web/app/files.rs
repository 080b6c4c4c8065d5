//! Getting files in — the file and folder inputs, a drop (folders walked as the CLI walks them),
//! the demo — removing them and reading them again, and the files list.

use super::link::{expect_reading, memory_settings, send};
use super::render::{show_dashboard, show_empty};
use super::{a11y, set_state, show_error, with};
use crate::page::a11y::{load_started, Why};
use crate::page::notes::{file_meta, files_folded_by_default, files_summary, read_all_label};
use crate::page::protocol::{Demo, InputState, InputStatus, Load, LoadInput, ToWorker, FIRST_DEMO_ID};
use crate::report::format;
use crate::web::dom::*;
use crate::web::protocol::Js;
use wasm_bindgen::JsCast;
use web_sys::File;

/// A file the user gave: the page's id for it and the name diagnostics give it.
pub(super) struct Input {
    pub(super) id: u32,
    pub(super) name: String,
    pub(super) file: File,
}

/// A file left out when a worker that stopped answering was replaced.
#[derive(Clone)]
pub(super) struct LostFile {
    pub(super) name: String,
    pub(super) size: f64,
    pub(super) state: InputState,
    pub(super) note: String,
}

#[derive(Default)]
pub(super) struct Files {
    pub(super) inputs: Vec<Input>,
    pub(super) demo_loaded: bool,
    next_id: u32,
    /// the tab's memory target set by a "Read all of it" (else `?memory=`, else the worker's default)
    pub(super) memory_mib: Option<f64>,
    pub(super) lost: Vec<LostFile>,
    /// the worker's account of them, from its latest report (none since the last reset)
    pub(super) states: Vec<InputStatus>,
    /// the list folded to its summary or open, as the user last chose (`None`: folded when long)
    pub(super) folded: Option<bool>,
}

impl Files {
    /// The files to read again after a reset: (id, name, file).
    pub(super) fn again(&self) -> Vec<(u32, String, File)> {
        self.inputs.iter().map(|i| (i.id, i.name.clone(), i.file.clone())).collect()
    }
}

/// `load` for these files, with the page's memory settings.
fn load_message(files: Vec<(u32, String, File)>) -> ToWorker<Js> {
    let (memory_mib, dpr) = memory_settings();
    let inputs = files.into_iter().map(|(id, name, file)| LoadInput { id, name, file: Js(file.into()) }).collect();
    ToWorker::Load(Load { inputs, memory_mib, dpr })
}

fn demo_message() -> ToWorker<Js> {
    let (memory_mib, dpr) = memory_settings();
    ToWorker::Demo(Demo { memory_mib, dpr })
}

/// Queues files for reading; `names` are the names diagnostics give them.
pub(super) fn add_files(files: Vec<(String, File)>) {
    if files.is_empty() {
        return;
    }
    let added = with(|a| {
        let mut added = vec![];
        for (name, file) in files {
            a.files.next_id += 1;
            added.push((a.files.next_id, name.clone(), file.clone()));
            a.files.inputs.push(Input { id: a.files.next_id, name, file });
        }
        a.link.busy = true;
        a.last_error = None;
        added
    });
    let m = load_message(added);
    start_loading();
    send(m);
    expect_reading();
}

fn start_loading() {
    set_state("loading");
    // a line chart's isolated series is of the files shown
    with(|a| a.shown.isolated.clear());
    let (n, demo) = with(|a| (a.files.inputs.len(), a.files.demo_loaded));
    a11y::announce(load_started(n, demo));
    a11y::expect_report(Why::Load);
    // until the first file is read, the content area says what is happening
    if with(|a| a.shown.report.is_null()) {
        if let Some(content) = by_id("content") {
            clear(&content);
            let panel = el("div", "section loading-panel");
            append(&panel, &el("div", "spinner"));
            append(&panel, &el_text("h2", "", "Reading your telemetry…"));
            append(
                &panel,
                &el_text("p", "muted", "Figures appear as soon as the first file is read. Files stay on this machine."),
            );
            let names: Vec<String> = with(|a| a.files.inputs.iter().map(|i| i.name.clone()).collect());
            if !names.is_empty() {
                let ul = el("ul", "muted small loading-list");
                for n in names.iter().take(12) {
                    append(&ul, &el_text("li", "", n));
                }
                if names.len() > 12 {
                    append(&ul, &el_text("li", "", &format!("and {} more", names.len() - 12)));
                }
                append(&panel, &ul);
            }
            append(&content, &panel);
        }
    }
    if let Some(b) = by_id("banner") {
        show(&b, false);
    }
    if let Some(p) = by_id("progress") {
        show(&p, true);
        if let Some(t) = by_id("progress-text") {
            t.set_text_content(Some("Starting…"));
        }
    }
    show_dashboard();
    render_files();
}

pub(super) fn files_of(list: Option<web_sys::FileList>, relative: bool) -> Vec<(String, File)> {
    let Some(list) = list else { return vec![] };
    let mut out = Vec::new();
    for i in 0..list.length() {
        if let Some(f) = list.get(i) {
            let name = if relative {
                let rel = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                // like the CLI: the path relative to the folder chosen
                match rel.split_once('/') {
                    Some((_, rest)) if !rest.is_empty() => rest.to_string(),
                    _ => f.name(),
                }
            } else {
                f.name()
            };
            if relative && !crate::ingest::is_log_name(&name) {
                continue;
            }
            out.push((name, f));
        }
    }
    if relative {
        crate::model::sort::by(&mut out, |a, b| a.0.cmp(&b.0));
    }
    out
}

fn promise_of(f: impl FnOnce(js_sys::Function, js_sys::Function) + 'static) -> js_sys::Promise {
    let mut f = Some(f);
    js_sys::Promise::new(&mut |res, rej| {
        if let Some(f) = f.take() {
            f(res, rej)
        }
    })
}

/// Walks a dropped directory entry: every log file under it, with its path below `root`.
async fn walk_entry(entry: web_sys::FileSystemEntry, out: &mut Vec<(String, File)>, root_len: usize) {
    let mut stack = vec![entry];
    while let Some(entry) = stack.pop() {
        if entry.is_file() {
            let fe: web_sys::FileSystemFileEntry = entry.clone().unchecked_into();
            let p = promise_of(move |res, rej| fe.file_with_callback_and_callback(&res, &rej));
            if let Ok(f) = wasm_bindgen_futures::JsFuture::from(p).await {
                let path = entry.full_path();
                let name = path.get(root_len..).unwrap_or(&path).trim_start_matches('/').to_string();
                if crate::ingest::is_log_name(&name) {
                    out.push((name, f.unchecked_into()));
                }
            }
        } else if entry.is_directory() {
            let de: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = de.create_reader();
            loop {
                let r = reader.clone();
                let p = promise_of(move |res, rej| {
                    let _ = r.read_entries_with_callback_and_callback(&res, &rej);
                });
                let Ok(batch) = wasm_bindgen_futures::JsFuture::from(p).await else { break };
                let batch: js_sys::Array = batch.unchecked_into();
                if batch.length() == 0 {
                    break;
                }
                for e in batch.iter() {
                    stack.push(e.unchecked_into());
                }
            }
        }
    }
}

pub(super) fn on_drop(e: web_sys::DragEvent) {
    e.prevent_default();
    if let Some(o) = by_id("drop-overlay") {
        show(&o, false);
    }
    let Some(dt) = e.data_transfer() else { return };
    let items = dt.items();
    let mut plain: Vec<(String, File)> = Vec::new();
    let mut dirs: Vec<web_sys::FileSystemEntry> = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) if entry.is_directory() => dirs.push(entry),
            _ => {
                if let Ok(Some(f)) = item.get_as_file() {
                    plain.push((f.name(), f));
                }
            }
        }
    }
    if plain.is_empty() && dirs.is_empty() {
        // some drops carry only `files`
        plain = files_of(dt.files(), false);
    }
    if dirs.is_empty() {
        add_files(plain);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut all = plain;
        for d in dirs {
            let root_len = d.full_path().len();
            let mut found = Vec::new();
            walk_entry(d, &mut found, root_len).await;
            crate::model::sort::by(&mut found, |a, b| a.0.cmp(&b.0));
            all.extend(found);
        }
        if all.is_empty() {
            show_error("no .jsonl, .jsonl.gz or .zip file in what was dropped");
        }
        add_files(all);
    });
}

pub(super) fn remove_input(id: u32) {
    let (files, demo) = with(|a| {
        if id >= FIRST_DEMO_ID {
            a.files.demo_loaded = false;
        }
        a.files.inputs.retain(|i| i.id != id);
        (a.files.again(), a.files.demo_loaded)
    });
    reload(files, demo);
}

/// "Read all" on a file stopped at the memory budget: everything read again with the memory it
/// takes (the worker's estimate).
pub(super) fn read_all(memory_mib: f64) {
    let (files, demo) = with(|a| {
        a.files.memory_mib = Some(memory_mib);
        (a.files.again(), a.files.demo_loaded)
    });
    reload(files, demo);
}

pub(super) fn clear_all() {
    super::comparison::close();
    with(|a| {
        a.files.inputs.clear();
        a.files.lost.clear();
        a.files.demo_loaded = false;
    });
    reload(vec![], false);
}

/// A fresh store in the worker, then the remaining files read again.
pub(super) fn reload(files: Vec<(u32, String, File)>, demo: bool) {
    send(ToWorker::Reset);
    with(|a| {
        a.shown.report = Default::default();
        a.files.states.clear();
    });
    if files.is_empty() && !demo {
        with(|a| {
            a.link.busy = false;
            a.shown.tables.clear();
        });
        show_empty();
        return;
    }
    if demo {
        send(demo_message());
    }
    with(|a| a.link.busy = true);
    let m = load_message(files);
    start_loading();
    send(m);
    expect_reading();
}

pub(super) fn load_demo() {
    with(|a| {
        a.files.demo_loaded = true;
        a.link.busy = true;
    });
    start_loading();
    send(demo_message());
}

pub(super) fn render_files() {
    let Some(list) = by_id("files") else { return };
    // the list is one Tab stop (a roving tabindex: `a11y::wire_files`); rebuilt, it keeps the focus
    let had_focus = a11y::has_focus(&list);
    clear(&list);
    let (inputs, lost) = with(|a| (a.files.states.clone(), a.files.lost.clone()));
    let folded = with(|a| a.files.folded).unwrap_or_else(|| files_folded_by_default(inputs.len()));
    if let Some(summary) = by_id("files-summary") {
        summary.set_text_content(Some(&format!("{} {}", files_summary(&inputs), if folded { "▸" } else { "▾" })));
        attr(&summary, "aria-expanded", if folded { "false" } else { "true" });
    }
    show(&list, !folded);
    for input in &inputs {
        let li = el("li", "file");
        attr(&li, "data-id", &input.id.to_string());
        let head = el("div", "file-head");
        let name = input.name.as_str();
        let n = el_text("span", "file-name", name);
        attr(&n, "title", name);
        append(&head, &n);
        let rm = button("×", "icon-btn", "remove-input");
        attr(&rm, "data-id", &input.id.to_string());
        attr(&rm, "aria-label", &format!("Remove {name}"));
        attr(&rm, "title", "Remove this file (Delete)");
        // out of the Tab order: Delete on the focused item does the same
        attr(&rm, "tabindex", "-1");
        append(&head, &rm);
        append(&li, &head);
        append(&li, &el_text("div", "file-meta", &file_meta(input)));
        if let Some(err) = &input.error {
            append(&li, &el_text("div", "file-error", err));
            li.class_list().add_1("has-error").ok();
        }
        if let Some(mib) = input.memory_to_read_all_mib {
            let more = button(&read_all_label(mib), "ghost small", "read-all");
            attr(&more, "data-mib", &mib.to_string());
            attr(&more, "title", "Read the files again with the memory this one takes");
            append(&li, &more);
        }
        append(&list, &li);
    }
    // files left out when a stuck worker was restarted
    for LostFile { name, size, state, note } in lost {
        let li = el("li", "file has-error");
        let head = el("div", "file-head");
        append(&head, &el_text("span", "file-name", &name));
        append(&li, &head);
        append(&li, &el_text("div", "file-meta", &format!("{} · {}", format::bytes(size), state.as_str())));
        append(&li, &el_text("div", "file-error", &note));
        append(&list, &li);
    }
    // files chosen but not yet reported by the worker
    let waiting: Vec<(u32, String, f64)> = with(|a| {
        let files = &a.files;
        let known = |id: u32| files.states.iter().any(|i| i.id == id);
        files.inputs.iter().filter(|i| !known(i.id)).map(|i| (i.id, i.name.clone(), i.file.size())).collect()
    });
    for (id, name, size) in waiting {
        let li = el("li", "file waiting");
        attr(&li, "data-id", &id.to_string());
        let head = el("div", "file-head");
        append(&head, &el_text("span", "file-name", &name));
        append(&li, &head);
        append(&li, &el_text("div", "file-meta", &format!("{} · reading…", format::bytes(size))));
        append(&list, &li);
    }
    a11y::files_rendered(&list, had_focus);
}

/// The files list's summary was clicked: the list folds or opens (and stays so).
pub(super) fn toggle_files() {
    let n = with(|a| a.files.states.len());
    with(|a| a.files.folded = Some(!a.files.folded.unwrap_or_else(|| files_folded_by_default(n))));
    render_files();
}
