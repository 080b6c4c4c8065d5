//! The layers of ARCHITECTURE.md, held by construction: every module of `src/` may import only
//! from the layers below it, and the pure core does no I/O and touches no browser type (in the
//! style of rust-analyzer's tidy tests: read the sources, fail with the offending file and line).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module of the library and the modules it may import from (`crate::X`).
/// A new top-level module must be given a row here: the test fails on a module it does not know.
const LAYERS: &[(&str, &[&str])] = &[
    // the ground floor: record types, names, time, money, vocabulary, prices
    ("model", &[]),
    // bytes → records: archives, lines, parsing, the store; and re-reading raw lines
    ("ingest", &["model"]),
    // the store → sessions and per-session digests
    ("dataset", &["model", "ingest"]),
    // the figures of the spec, pure functions of a filtered view (and the memo the caller owns)
    ("pipelines", &["model", "ingest", "dataset"]),
    // drawing on any plotters backend: knows nothing of reports
    ("charts", &["model"]),
    // the report of spec §4 and its renderings (JSON, text, HTML, charts of a report)
    ("report", &["model", "ingest", "dataset", "pipelines", "charts"]),
    // A/B comparison: two sides' figures and the intervals of their differences
    ("compare", &["model", "ingest", "dataset", "pipelines", "report"]),
    // the normalised data as tables for `spyglass export --parquet` (no file, no Parquet type)
    ("export", &["model", "ingest", "dataset", "pipelines"]),
    // the demo-data generator: writes lines, reads nothing back
    ("demo", &["model"]),
    // the page's view model (pure, tested natively): the worker protocol, facets, what it says
    ("page", &["model", "ingest", "dataset", "pipelines", "charts", "report", "compare", "demo"]),
    // the browser shell (wasm32 only): may use everything
    ("web", &["model", "ingest", "dataset", "pipelines", "charts", "report", "compare", "demo", "page"]),
];

/// What the pure core never names: I/O, clocks, processes and browser types belong to the shells
/// (`src/bin/`, `src/web/`). (`Instant::now` panics in wasm32-unknown-unknown.)
const SHELL_ONLY: &[&str] = &[
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "std::thread",
    "Instant::now",
    "SystemTime",
    "wasm_bindgen",
    "web_sys",
    "js_sys",
    "JsValue",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of a line without its `//` comment (doc comments may mention any layer).
fn code(line: &str) -> &str {
    line.find("//").map_or(line, |i| &line[..i])
}

/// The top-level modules a piece of code names through `crate::` (`crate::a::b`, `crate::{a, b::c}`).
fn crate_imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        // `spyglass_crate::x` or `my_crate::x` are not this crate
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // the first segment of each item of the group, at depth 0
            let (mut depth, mut at_start) = (0, true);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => at_start = true,
                    c if at_start && !c.is_whitespace() => {
                        at_start = false;
                        out.push(ident(&group[j..]));
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

fn ident(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Every breach of the layers and of the shell-only names in `src/`, as `file:line: what`.
fn breaches(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if top == "lib" || top == "bin" {
            continue; // the crate root declares the modules; the binaries are shells
        }
        let Some(&(_, allowed)) = LAYERS.iter().find(|(m, _)| *m == top) else {
            found.push(format!("{}: module `{top}` has no layer in tests/layers.rs", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        // code joined over lines, so that a `use crate::{…}` group spread over lines is read whole
        let lines: Vec<&str> = text.lines().map(code).collect();
        for (n, line) in lines.iter().enumerate() {
            let joined = lines[n..].iter().take(40).copied().collect::<Vec<_>>().join("\n");
            let here = if line.contains("crate::{") { joined.as_str() } else { line };
            for m in crate_imports(here) {
                if m != top && !allowed.contains(&m.as_str()) {
                    found.push(format!("{}:{}: `{top}` imports from `{m}`, a layer above it", rel.display(), n + 1));
                }
            }
            if top != "web" {
                for name in SHELL_ONLY.iter().filter(|name| line.contains(*name)) {
                    found.push(format!("{}:{}: the core names `{name}` (shells only)", rel.display(), n + 1));
                }
            }
            // the page's view model is tested natively: nothing in it may exist only for wasm32
            if top == "page" && line.contains("target_arch") {
                found.push(format!("{}:{}: the view model has code only for one target", rel.display(), n + 1));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn every_module_imports_only_from_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = breaches(&src);
    assert!(found.is_empty(), "layer breaches (see ARCHITECTURE.md):\n{}", found.join("\n"));
    // and every layer exists, so that a renamed module cannot leave its row checking nothing
    let tops: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    for (m, _) in LAYERS {
        assert!(tops.contains(*m), "tests/layers.rs names `{m}`, which src/ does not have");
    }
}

#[test]
fn the_check_finds_an_upward_import_a_grouped_one_and_a_shell_call() {
    let dir = std::env::temp_dir().join(format!("spyglass-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("model")).unwrap();
    std::fs::create_dir_all(dir.join("ingest")).unwrap();
    std::fs::create_dir_all(dir.join("report")).unwrap();
    std::fs::write(dir.join("model/a.rs"), "use crate::pipelines::View; // up\n// crate::report in a comment\n")
        .unwrap();
    std::fs::write(
        dir.join("ingest/b.rs"),
        "use crate::{\n    model::records::Sym,\n    dataset::{Dataset, Session},\n};\nfn t() { std::time::Instant::now(); }\n",
    )
    .unwrap();
    std::fs::write(dir.join("report/c.rs"), "use crate::{charts, ingest::Store};\nuse self::x;\n").unwrap();
    std::fs::create_dir_all(dir.join("page")).unwrap();
    std::fs::write(dir.join("page/d.rs"), "#[cfg(target_arch = \"wasm32\")]\nfn f(v: JsValue) {}\n").unwrap();
    std::fs::write(dir.join("gadget.rs"), "").unwrap();
    let found = breaches(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        found,
        [
            "gadget.rs: module `gadget` has no layer in tests/layers.rs",
            "ingest/b.rs:1: `ingest` imports from `dataset`, a layer above it",
            "ingest/b.rs:5: the core names `Instant::now` (shells only)",
            "model/a.rs:1: `model` imports from `pipelines`, a layer above it",
            "page/d.rs:1: the view model has code only for one target",
            "page/d.rs:2: the core names `JsValue` (shells only)",
        ]
    );
}
