//! Getting files in — the file and folder inputs, a drop (folders walked as the CLI walks them),
//! the demo — removing them and reading them again, and the files list.

use super::link::{expect_reading, memory_settings, send};
use super::render::{show_dashboard, show_empty};
use super::{a11y, set_state, show_error, with};
use crate::page::a11y::{load_started, Why};
use crate::page::notes::{file_meta, files_folded_by_default, files_summary, read_all_label};
use crate::page::protocol::{Demo, InputState, InputStatus, Load, LoadInput, ToWorker, FIRST_DEMO_ID, FIRST_WATCH_ID};
use crate::report::format;
use crate::web::dom::*;
use crate::web::protocol::Js;
use wasm_bindgen::JsCast;
use web_sys::File;

/// A file the user gave: the page's id for it and what was picked.
pub(super) struct Input {
    pub(super) id: u32,
    pub(super) picked: Picked,
}

/// A file picked or dropped: the name diagnostics give it, the source it comes from (the folder
/// picked or dropped, an archive; `ingest::origin`), and the file.
#[derive(Clone)]
pub(super) struct Picked {
    pub(super) name: String,
    pub(super) origin: String,
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
    /// the sources' names given so far, and the pick or drop being named (each is its own:
    /// two folders of one name dropped apart are two machines)
    origin_names: crate::ingest::origin::OriginNames,
    picks: u32,
}

impl Files {
    /// The files to read again after a reset.
    pub(super) fn again(&self) -> Vec<(u32, Picked)> {
        self.inputs.iter().map(|i| (i.id, i.picked.clone())).collect()
    }
}

/// The source of a file of one pick or drop: the folder's (`folder`: its path as the browser
/// gives it), else an archive's own, else the pick's loose files together.
fn origin_for(pick: u32, folder: Option<&str>, file_name: &str) -> String {
    use crate::ingest::origin;
    let (key, wanted) = match folder {
        Some(f) => (format!("{pick}:{f}"), origin::name_of_folder(f)),
        None if file_name.to_ascii_lowercase().ends_with(".zip") => {
            (format!("{pick}:{file_name}"), origin::name_of_archive(file_name))
        }
        None => (format!("{pick}:"), "files".to_string()),
    };
    with(|a| a.files.origin_names.name(&key, &wanted))
}

/// The files of one pick as one source of their own, named after the file when there is one
/// (its name without `.jsonl`, `.gz`, `.zip`), else `compared files`.
pub(super) fn as_one_source(mut files: Vec<Picked>) -> Vec<Picked> {
    let wanted = match files.as_slice() {
        [one] => crate::ingest::origin::name_of_archive(one.name.trim_end_matches(".jsonl")),
        _ => "compared files".to_string(),
    };
    let pick = next_pick();
    let origin = with(|a| a.files.origin_names.name(&format!("{pick}:compare"), &wanted));
    for f in &mut files {
        f.origin = origin.clone();
    }
    files
}

/// A new pick or drop: the sources it names are its own.
fn next_pick() -> u32 {
    with(|a| {
        a.files.picks += 1;
        a.files.picks
    })
}

/// `load` for these files, with the page's memory settings.
fn load_message(files: Vec<(u32, Picked)>) -> ToWorker<Js> {
    let (memory_mib, dpr) = memory_settings();
    let inputs = files
        .into_iter()
        .map(|(id, p)| LoadInput { id, name: p.name, file: Js(p.file.into()), origin: p.origin })
        .collect();
    ToWorker::Load(Load { inputs, memory_mib, dpr })
}

fn demo_message() -> ToWorker<Js> {
    let (memory_mib, dpr) = memory_settings();
    ToWorker::Demo(Demo { memory_mib, dpr })
}

/// Queues files for reading; `names` are the names diagnostics give them.
pub(super) fn add_files(files: Vec<Picked>) {
    if files.is_empty() {
        return;
    }
    // files given another way end a watch (what it read stays)
    super::watch::stop();
    let added = with(|a| {
        let mut added = vec![];
        for picked in files {
            a.files.next_id += 1;
            added.push((a.files.next_id, picked.clone()));
            a.files.inputs.push(Input { id: a.files.next_id, picked });
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
            let names: Vec<String> = with(|a| a.files.inputs.iter().map(|i| i.picked.name.clone()).collect());
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

pub(super) fn files_of(list: Option<web_sys::FileList>, relative: bool) -> Vec<Picked> {
    let Some(list) = list else { return vec![] };
    let pick = next_pick();
    let mut out = Vec::new();
    for i in 0..list.length() {
        if let Some(f) = list.get(i) {
            let (name, folder) = if relative {
                let rel = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                // like the CLI: the path relative to the folder chosen, the folder its source
                match rel.split_once('/') {
                    Some((top, rest)) if !rest.is_empty() => (rest.to_string(), Some(top.to_string())),
                    _ => (f.name(), None),
                }
            } else {
                (f.name(), None)
            };
            if relative && !crate::ingest::is_log_name(&name) {
                continue;
            }
            let origin = origin_for(pick, folder.as_deref(), &name);
            out.push(Picked { name, origin, file: f });
        }
    }
    if relative {
        crate::model::sort::by(&mut out, |a, b| a.name.cmp(&b.name));
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
    let pick = next_pick();
    let mut plain: Vec<Picked> = Vec::new();
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
                    let (name, origin) = (f.name(), origin_for(pick, None, &f.name()));
                    plain.push(Picked { name, origin, file: f });
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
            let root = d.full_path();
            let origin = origin_for(pick, Some(&root), "");
            let mut found = Vec::new();
            walk_entry(d, &mut found, root.len()).await;
            crate::model::sort::by(&mut found, |a, b| a.0.cmp(&b.0));
            all.extend(found.into_iter().map(|(name, file)| Picked { name, origin: origin.clone(), file }));
        }
        if all.is_empty() {
            show_error("no .jsonl, .jsonl.gz or .zip file in what was dropped");
        }
        add_files(all);
    });
}

pub(super) fn remove_input(id: u32) {
    // a watched folder's files are the folder's: Stop, or Clear all
    if id >= FIRST_WATCH_ID {
        return;
    }
    super::watch::stop();
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
    super::watch::stop();
    super::comparison::close();
    with(|a| {
        a.files.inputs.clear();
        a.files.lost.clear();
        a.files.demo_loaded = false;
    });
    reload(vec![], false);
}

/// A fresh store in the worker, then the remaining files read again.
pub(super) fn reload(files: Vec<(u32, Picked)>, demo: bool) {
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
    super::watch::stop();
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
        if input.id >= FIRST_WATCH_ID {
            // a watched folder's file: no ×
            append(&li, &head);
            append(&li, &el_text("div", "file-meta", &file_meta(input)));
            append(&list, &li);
            continue;
        }
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
        files
            .inputs
            .iter()
            .filter(|i| !known(i.id))
            .map(|i| (i.id, i.picked.name.clone(), i.picked.file.size()))
            .collect()
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
