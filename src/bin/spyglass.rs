//! `spyglass`: the command-line face of the core, for scripts and CI.
//!
//!   spyglass report [PATH...] [--json | --table NAME [--top N] | --html OUT.html] [filters] [--params FILE.json]
//!                   [--threads N]
//!   spyglass compare A_PATH... --vs B_PATH... [--json] [filters] [--params FILE.json]
//!   spyglass compare [PATH...] --a-filter SPEC --b-filter SPEC [--json] [filters] [--params FILE.json]
//!   spyglass watch [PATH...] [--interval SECONDS] [--updates N] [filters] [--params FILE.json]
//!   spyglass export [PATH...] --parquet OUT/ [--force] [filters] [--params FILE.json]
//!   spyglass demo --out DIR [--sessions N] [--seed S]
//!
//! `spyglass/compare.rs` is the `compare` command; `spyglass/watch.rs` the `watch` command; `spyglass/export.rs` the `export` command (Parquet tables); `spyglass/read.rs` reads the files (one `Feed` each, or a large plain file in ranges on threads).

#[path = "spyglass/compare.rs"]
mod compare;
// Parquet is the native CLI's (its crate is a native-only dependency); the wasm32 build of
// this binary, made only for the browser tests' target, has no `export`
#[cfg(not(target_arch = "wasm32"))]
#[path = "spyglass/export.rs"]
mod export;
#[path = "spyglass/read.rs"]
mod read;
#[path = "spyglass/watch.rs"]
mod watch;

use read::{read_file, terminal, Guards, Progress};
use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::{is_log_name, Store};
use spyglass::model::time::{parse_timestamp, MS_PER_DAY, MS_PER_HOUR};
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::format::escape_controls;
use spyglass::report::Report;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  spyglass report [PATH...] [--json | --table NAME [--top N]] [--html OUT.html]
                  [--since TIME | --last DURATION] [--until TIME]
                  [--executor NAME]... [--model NAME]... [--task TEXT] [--source NAME]...
                  [--params FILE.json] [--prices FILE.json] [--no-ratio-cap] [--no-junk-cap]
                  [--threads N]
      PATH: a .jsonl file, a .gz, a .zip, or a folder (searched for *.jsonl, *.jsonl.gz, *.zip);
            none: ./.cache/agent-work-logs. NAME=PATH names the source PATH's files come from
            (a machine, a run); else a folder is named by its last folder name that is not
            .cache, agent-work-logs or logs, a .zip by its file name, a file by its folder's.
            Several sources: the JSON's diagnostics.by_source, --source NAME keeps one,
            group_by source in --params groups the model scores by it
      TIME: ISO 8601 (2026-02-09, 2026-02-09T14:00:00Z) or epoch milliseconds
      DURATION: a whole number and s, m, h, d or w (90m, 12h, 7d, 2w), counted back from the
            last timestamp of the data (not from now)
      --params FILE.json: any parameters (weights, thresholds, category_aliases, infer_categories,
            include_estimated_cost, alert_rules, ...); see `parameters` in the JSON report
      --prices FILE.json: the price table for estimated costs (a list of {model, input,
            cached_input, cache_write, output} in USD per million tokens; model may hold *)
      --table NAME: one table as aligned text: a section (its rows) or section.field, e.g.
            error_clusters.correlation; --top N: its first N rows
      --no-ratio-cap: read on past a decompression ratio of 200:1 (after 64 MiB of output),
            where a file otherwise stops as a likely decompression bomb
      --no-junk-cap: read on past 1,000,000 lines (or 256 MiB) without one line of telemetry,
            where a file otherwise stops as the wrong file
      --threads N: threads that parse (default: every core; 1: one thread). A plain file over
            32 MiB is cut into 8 MiB ranges parsed side by side and merged in file order: the
            report is the same whatever N; .gz, .zip and smaller files are read on one thread
  spyglass compare A_PATH... --vs B_PATH... [--json] [report's filters, --params, --prices, ...]
  spyglass compare [PATH...] --a-filter SPEC --b-filter SPEC [--json] [report's filters, ...]
      the figures of two sides (two sets of inputs, or one under two filters), B - A with a 95 %
      interval, flagged (*) when it excludes 0; the report's filters apply to both sides
      SPEC: key=value pairs separated by commas, keys executor, model, source (each may repeat), task,
            since, until, last; e.g. executor=CODEX,since=2026-02-01. What a SPEC names replaces
            the shared option for its side
  spyglass watch [PATH...] [--interval SECONDS] [--updates N] [report's filters, --params, --prices]
      a live folder: every SECONDS (default 2) reads only what changed (new files, the bytes a
      plain file grew by; an input that shrank or was replaced: all again) and prints a line of
      figures and the recorded alerts that arrived; --updates N stops after N such lines
  spyglass export [PATH...] --parquet OUT/ [--force] [report's filters, --params, --prices, ...]
      the normalised data as Parquet tables (sessions, session_categories, session_files,
      events, errors, tool_calls, tool_latencies, metrics_rows, alerts, sources, diagnostics;
      schema: README, When one machine is not enough); the filters choose the rows, the
      parameters (aliases, inference, prices, include_estimated_cost, utc_offset_minutes) the
      values. OUT must be new or empty unless --force; a table is renamed into place only once
      it is complete
  spyglass demo --out DIR [--sessions N] [--seed S]
      writes a realistic .cache/agent-work-logs/-shaped folder of demo data";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("report") => report(&args[1..]),
        Some("compare") => compare::compare(&args[1..]),
        Some("watch") => watch::watch(&args[1..]),
        #[cfg(not(target_arch = "wasm32"))]
        Some("export") => export::export(&args[1..]),
        Some("demo") => demo(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("expected a command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("spyglass: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Pulls `--name value` pairs and positional arguments out of `args`.
struct Args {
    positional: Vec<String>,
    options: Vec<(String, String)>,
    flags: Vec<String>,
}

fn parse_args(args: &[String], with_value: &[&str], flags: &[&str]) -> Result<Args, String> {
    let mut out = Args { positional: vec![], options: vec![], flags: vec![] };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            if with_value.contains(&name) {
                let v = match inline {
                    Some(v) => v,
                    None => it.next().cloned().ok_or_else(|| format!("--{name} needs a value"))?,
                };
                out.options.push((name.to_string(), v));
            } else if flags.contains(&name) {
                out.flags.push(name.to_string());
            } else {
                return Err(format!("unknown option --{name}\n{USAGE}"));
            }
        } else {
            out.positional.push(a.clone());
        }
    }
    Ok(out)
}

impl Args {
    fn one(&self, name: &str) -> Option<&str> {
        self.options.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.options
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect()
    }
}

fn time_arg(args: &Args, name: &str) -> Result<Option<i64>, String> {
    args.one(name)
        .map(|v| {
            parse_timestamp(v)
                .ok_or_else(|| format!("--{name}: not a time: {v:?} (use ISO 8601 or epoch milliseconds)"))
        })
        .transpose()
}

/// The folder bosun writes its telemetry to, read when `report` is given no PATH.
const DEFAULT_LOGS: &str = ".cache/agent-work-logs";

/// A duration such as `90m`, `12h`, `7d` or `2w` in milliseconds: a whole number above 0 and one
/// unit (s, m, h, d, w).
fn parse_duration(s: &str) -> Option<i64> {
    let t = s.trim();
    let unit = t.chars().last()?;
    let ms: i64 = match unit {
        's' => 1000,
        'm' => 60_000,
        'h' => MS_PER_HOUR,
        'd' => MS_PER_DAY,
        'w' => 7 * MS_PER_DAY,
        _ => return None,
    };
    let n = &t[..t.len() - 1];
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse::<i64>().ok().filter(|&n| n > 0)?.checked_mul(ms)
}

/// The latest timestamp of every loaded record (events, metrics rows, alerts), whatever the filters.
fn last_timestamp(store: &Store) -> Option<i64> {
    let events = store.events.iter().filter_map(|e| e.ts_ms());
    let rows = store.metrics.iter().filter_map(|r| r.ts_ms);
    let alerts = store.alerts.iter().filter_map(|a| a.ts_ms);
    events.chain(rows).chain(alerts).max()
}

/// The options `report` and `compare` share: filters, parameters, the read's guards and threads.
const SHARED_OPTIONS: &[&str] =
    &["since", "until", "executor", "model", "task", "source", "params", "prices", "last", "threads"];
const SHARED_FLAGS: &[&str] = &["json", "no-ratio-cap", "no-junk-cap"];

fn guards_arg(args: &Args) -> Guards {
    Guards {
        ratio: !args.flags.iter().any(|f| f == "no-ratio-cap"),
        junk: !args.flags.iter().any(|f| f == "no-junk-cap"),
    }
}

fn threads_arg(args: &Args) -> Result<usize, String> {
    match args.one("threads") {
        None => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
        Some(n) => n
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("--threads: not a number of threads (1 or more): {n:?}")),
    }
}

fn last_arg(args: &Args) -> Result<Option<i64>, String> {
    match args.one("last") {
        None => Ok(None),
        Some(_) if args.one("since").is_some() => Err("--last and --since: choose one (--last DURATION sets the start to the data's last timestamp minus DURATION)".into()),
        Some(d) => Ok(Some(parse_duration(d).ok_or_else(|| format!("--last: not a duration: {d:?} (use a whole number and s, m, h, d or w: 90m, 12h, 7d, 2w)"))?)),
    }
}

fn filters_arg(args: &Args) -> Result<Filters, String> {
    Ok(Filters {
        since_ms: time_arg(args, "since")?,
        until_ms: time_arg(args, "until")?,
        executors: args.all("executor"),
        models: args.all("model"),
        task: args.one("task").map(str::to_string),
        sources: args.all("source"),
    })
}

fn params_arg(args: &Args) -> Result<Parameters, String> {
    let mut params = match args.one("params") {
        Some(path) => {
            Parameters::from_json(&std::fs::read_to_string(path).map_err(|e| format!("--params {path}: {e}"))?)
                .map_err(|e| format!("--params {path}: {e}"))?
        }
        None => Parameters::default(),
    };
    if let Some(path) = args.one("prices") {
        let text = std::fs::read_to_string(path).map_err(|e| format!("--prices {path}: {e}"))?;
        params.prices = spyglass::model::prices::from_json(&text).map_err(|e| format!("--prices {path}: {e}"))?;
    }
    Ok(params)
}

/// The paths given, or the folder bosun writes to when none is (an error when it is not here).
fn paths_or_default(positional: &[String], command: &str) -> Result<Vec<String>, String> {
    if !positional.is_empty() {
        return Ok(positional.to_vec());
    }
    if !Path::new(DEFAULT_LOGS).is_dir() {
        let here = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_else(|_| ".".into());
        return Err(format!("no PATH given, and there is no {DEFAULT_LOGS} folder here ({here}) to read by default: run it where bosun writes its logs, or give the logs: spyglass {command} PATH (a folder, a .jsonl, a .gz or a .zip)"));
    }
    Ok(vec![DEFAULT_LOGS.to_string()])
}

/// Reads every input into one store; an error when no line of it is bosun telemetry.
fn load(paths: &[String], guards: Guards, threads: usize) -> Result<Store, String> {
    let inputs = collect_inputs(paths)?;
    let mut store = Store::new();
    let total: u64 = inputs.iter().map(|i| std::fs::metadata(&i.path).map(|m| m.len()).unwrap_or(0)).sum();
    let mut progress = Progress::new(total);
    for input in &inputs {
        store.begin_origin(&input.origin);
        read_file(&mut store, &input.path, &input.name, &mut progress, guards, threads)?;
    }
    progress.done();
    let loaded: u64 = store.sources.iter().map(|s| s.events + s.metrics_rows + s.alerts).sum();
    if loaded == 0 {
        let mut msg = String::from("nothing could be read: no line of the input is bosun telemetry");
        for s in &store.sources {
            if let Some(e) = &s.error {
                msg.push_str(&format!("\n  {}: {}", terminal(&s.name), escape_controls(e)));
            }
        }
        for s in store.skipped_lines().iter().take(5) {
            msg.push_str(&format!(
                "\n  {}:{}: {}",
                escape_controls(&s.source),
                s.line,
                escape_controls(&s.reason.to_string())
            ));
        }
        return Err(msg);
    }
    Ok(store)
}

fn report(args: &[String]) -> Result<(), String> {
    let with_value: Vec<&str> = SHARED_OPTIONS.iter().copied().chain(["html", "table", "top"]).collect();
    let args = parse_args(args, &with_value, SHARED_FLAGS)?;
    let json = args.flags.iter().any(|f| f == "json");
    let guards = guards_arg(&args);
    let threads = threads_arg(&args)?;
    let table = args.one("table");
    if json && table.is_some() {
        return Err(
            "--json and --table: choose one (--json is the whole report, --table NAME one of its tables)".into()
        );
    }
    let top = match args.one("top") {
        None => None,
        Some(_) if table.is_none() => {
            return Err("--top N goes with --table NAME (it limits the rows of that table)".into())
        }
        Some(n) => Some(n.trim().parse::<usize>().map_err(|_| format!("--top: not a number of rows: {n:?}"))?),
    };
    let last = last_arg(&args)?;
    let mut filters = filters_arg(&args)?;
    let params = params_arg(&args)?;
    let paths = paths_or_default(&args.positional, "report")?;
    let store = load(&paths, guards, threads)?;
    if let Some(span) = last {
        // counted back from the data, never from the clock of the machine reading it
        let end = last_timestamp(&store).ok_or("--last: no loaded record has a timestamp to count back from")?;
        filters.since_ms = Some(end.saturating_sub(span));
    }
    let data = Dataset::new(store);
    let report = Report::compute(&data, &filters, &params);
    let mut stdout = std::io::stdout().lock();
    let out = if json {
        report.to_json()
    } else if let Some(name) = table {
        let value = serde_json::to_value(&report).map_err(|e| format!("the report: {e}"))?;
        let opts = spyglass::report::text_table::TableOptions { top, width: terminal_width(), color: colour() };
        spyglass::report::text_table::render(&value, name, &opts).map_err(|e| format!("--table: {e}"))?
    } else {
        spyglass::report::text::render(&report)
    };
    if let Some(path) = args.one("html") {
        let html = spyglass::report::html::render(&report);
        std::fs::write(path, html).map_err(|e| format!("--html {path}: {e}"))?;
        eprintln!("wrote {path}");
        if !json && table.is_none() {
            return Ok(());
        }
    }
    stdout.write_all(out.as_bytes()).map_err(|e| format!("writing the report: {e}"))
}

/// The width `--table` keeps rows within: `$COLUMNS` when set to a number (shells set it for
/// themselves; export it, or set it, to use the terminal's), else 120; at least 20.
fn terminal_width() -> usize {
    let cols = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
    cols.unwrap_or(spyglass::report::text_table::DEFAULT_WIDTH).max(20)
}

/// Colour only on a terminal, and not when NO_COLOR is set to anything but "" (no-color.org).
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// One file to read: where it is, the name the diagnostics give it, and its source's name.
struct Input {
    path: PathBuf,
    name: String,
    origin: String,
}

/// Splits `NAME=PATH` (a source named by the user) when the whole argument is not a path itself.
fn named_path(arg: &str) -> (Option<&str>, &str) {
    match arg.split_once('=') {
        Some((name, path)) if !name.is_empty() && !name.contains(['/', '\\']) && !Path::new(arg).exists() => {
            (Some(name), path)
        }
        _ => (None, arg),
    }
}

/// Expands folders (recursively, in path order) into the files to read, each with the name the
/// diagnostics give it (its path relative to the folder given, or its file name) and the source
/// it comes from: per PATH, `NAME=PATH`'s name, else a folder's last folder name no machine shares,
/// an archive's file name, a plain file's folder (`ingest::origin`).
fn collect_inputs(paths: &[String]) -> Result<Vec<Input>, String> {
    use spyglass::ingest::origin;
    let mut out = Vec::new();
    let mut names = origin::OriginNames::default();
    for arg in paths {
        let (given, p) = named_path(arg);
        let path = Path::new(p);
        let meta = std::fs::metadata(path).map_err(|e| format!("{p}: {e}"))?;
        let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let (key, wanted) = if meta.is_dir() {
            (full.to_string_lossy().into_owned(), origin::name_of_folder(&full.to_string_lossy()))
        } else if p.to_ascii_lowercase().ends_with(".zip") {
            (full.to_string_lossy().into_owned(), origin::name_of_archive(p))
        } else {
            // a log file (.jsonl, .jsonl.gz): one of its folder's
            let folder = full.parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
            (folder.clone(), origin::name_of_folder(&folder))
        };
        // a name the user gives is theirs: two paths given one name are one source
        let origin = match given {
            Some(name) => names.name(&format!("={name}"), name),
            None => names.name(&key, &wanted),
        };
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files).map_err(|e| format!("{p}: {e}"))?;
            files.sort();
            if files.is_empty() {
                return Err(format!("{p}: no *.jsonl, *.jsonl.gz or *.zip file in this folder"));
            }
            for f in files {
                let rel = f.strip_prefix(path).unwrap_or(&f).to_string_lossy().replace('\\', "/");
                out.push(Input { path: f, name: rel, origin: origin.clone() });
            }
        } else {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.to_string());
            out.push(Input { path: path.to_path_buf(), name, origin });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            walk(&path, out)?;
        } else if is_log_name(&path.to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(())
}

fn demo(args: &[String]) -> Result<(), String> {
    let args = parse_args(args, &["out", "sessions", "seed", "size-mb"], &[])?;
    let out = args.one("out").ok_or_else(|| format!("demo needs --out DIR\n{USAGE}"))?;
    let mut cfg = spyglass::demo::DemoConfig::default();
    if let Some(n) = args.one("sessions") {
        cfg.sessions = n.parse().map_err(|_| format!("--sessions: not a number: {n}"))?;
    }
    if let Some(mb) = args.one("size-mb") {
        let mb: u64 = mb.parse().map_err(|_| format!("--size-mb: not a number: {mb}"))?;
        cfg.sessions = spyglass::demo::sessions_for_stream_bytes(mb * 1_000_000);
    }
    if let Some(s) = args.one("seed") {
        cfg.seed = s.parse().map_err(|_| format!("--seed: not a number: {s}"))?;
    }
    let mut sink = DirSink { root: PathBuf::from(out), files: Default::default(), created: Default::default() };
    let tally = spyglass::demo::generate(&cfg, &mut sink).map_err(|e| format!("{out}: {e}"))?;
    for f in sink.files.values_mut() {
        f.flush().map_err(|e| format!("{out}: {e}"))?;
    }
    eprintln!("wrote {} sessions to {out}", tally.sessions);
    Ok(())
}

/// Writes the generator's files under a folder, each through a buffered writer.
struct DirSink {
    root: PathBuf,
    files: std::collections::HashMap<String, std::io::BufWriter<std::fs::File>>,
    /// files this run has created (truncated): later opens append
    created: std::collections::HashSet<String>,
}

impl spyglass::demo::DemoSink for DirSink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        if !self.files.contains_key(path) {
            let full = self.root.join(path);
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // transcripts are many small files: keep few open at once
            if self.files.len() > 64 {
                for (_, mut f) in self.files.drain() {
                    f.flush()?;
                }
            }
            let first = self.created.insert(path.to_string());
            let f = if first {
                std::fs::File::create(&full)?
            } else {
                std::fs::OpenOptions::new().append(true).open(&full)?
            };
            self.files.insert(path.to_string(), std::io::BufWriter::with_capacity(256 << 10, f));
        }
        match self.files.get_mut(path) {
            Some(f) => f.write_all(bytes),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    /// The progress line and the "nothing could be read" message show a name escaped and cut: a
    /// file named with an escape sequence reached the terminal raw.
    #[test]
    fn names_for_the_terminal_are_escaped_and_cut() {
        assert_eq!(super::terminal("a\u{1b}[2Jb\u{202e}c.jsonl"), "a\\u{1b}[2Jb\\u{202e}c.jsonl");
        assert_eq!(super::terminal("plain.jsonl"), "plain.jsonl");
        let long = super::terminal(&"x".repeat(70_000));
        assert_eq!(long.chars().count(), spyglass::ingest::MAX_REPEATED_NAME_CHARS + 1);
    }
}
