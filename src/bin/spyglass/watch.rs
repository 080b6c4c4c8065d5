//! `spyglass watch [DIR…]`: a live folder. Every `--interval` seconds the inputs are looked at
//! again and only what changed is read: a new file from its start, a plain file that grew from
//! where the last look stopped (its `Feed` kept open, so a line cut by the writer waits in the
//! Feed's carry for its end), and a file that shrank or was replaced — or a `.gz`/`.zip` that
//! changed — by reading every input again. After each look that read anything the figures are
//! computed again and one line of summary is printed, with the recorded alerts that arrived.
//! A file that disappears is said; what was read of it stays.

use super::{collect_inputs, filters_arg, params_arg, parse_args, paths_or_default, Input, SHARED_FLAGS};
use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::watch::{look, Now, Seen};
use spyglass::ingest::Feed;
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::format::{escape_controls, pct, usd};
use spyglass::report::Report;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One watched input: what was read of it (`ingest::watch::Seen`), and its Feed (open while the
/// file may grow).
struct Watched {
    name: String,
    seen: Seen<std::time::SystemTime>,
    feed: Option<Feed>,
}

pub fn watch(raw: &[String]) -> Result<(), String> {
    let with_value =
        ["since", "until", "executor", "model", "task", "source", "params", "prices", "interval", "updates"];
    let args = parse_args(raw, &with_value, SHARED_FLAGS)?;
    let filters = filters_arg(&args)?;
    let params = params_arg(&args)?;
    let interval = match args.one("interval") {
        None => 2.0,
        Some(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.05 && *v <= 3600.0)
            .ok_or_else(|| format!("--interval: seconds between 0.05 and 3600, not {s:?}"))?,
    };
    let updates = match args.one("updates") {
        None => None,
        Some(s) => Some(s.trim().parse::<u64>().map_err(|_| format!("--updates: a number of updates, not {s:?}"))?),
    };
    let paths = paths_or_default(&args.positional, "watch")?;
    let mut out = std::io::stdout().lock();
    let mut w = Watcher { paths, files: BTreeMap::new(), data: Dataset::default(), alerts_seen: 0 };
    let started = Instant::now();
    let mut printed = 0u64;
    loop {
        let look = Instant::now();
        let (bytes, notes) = w.look()?;
        for n in notes {
            writeln!(out, "{n}").map_err(|e| e.to_string())?;
        }
        if bytes > 0 || printed == 0 {
            let line = w.summary(&filters, &params, bytes, started.elapsed());
            writeln!(out, "{line}").map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())?;
            printed += 1;
            if updates.is_some_and(|n| printed >= n) {
                return Ok(());
            }
        }
        let wait = Duration::from_secs_f64(interval).saturating_sub(look.elapsed());
        std::thread::sleep(wait);
    }
}

struct Watcher {
    paths: Vec<String>,
    files: BTreeMap<PathBuf, Watched>,
    data: Dataset,
    /// recorded alerts already said
    alerts_seen: usize,
}

impl Watcher {
    /// Looks at every input once: reads what is new, returns the bytes read and what to say.
    fn look(&mut self) -> Result<(u64, Vec<String>), String> {
        let inputs = collect_inputs(&self.paths)?;
        let mut notes = Vec::new();
        // each input's size and time, looked at once per look
        let metas: Vec<std::io::Result<std::fs::Metadata>> =
            inputs.iter().map(|i| std::fs::metadata(&i.path)).collect();
        let listed: Vec<(PathBuf, Option<Now<std::time::SystemTime>>)> = inputs
            .iter()
            .zip(&metas)
            .map(|(i, meta)| {
                let now = meta.as_ref().ok().map(|m| Now { len: m.len(), modified: m.modified().ok() });
                (i.path.clone(), now)
            })
            .collect();
        let seen: BTreeMap<PathBuf, Seen<std::time::SystemTime>> =
            self.files.iter().map(|(p, f)| (p.clone(), f.seen.clone())).collect();
        let plan = look(&seen, &listed);
        for p in &plan.gone {
            if let Some(f) = self.files.remove(p) {
                notes.push(format!("{}: gone; what was read of it stays", escape_controls(&f.name)));
            }
        }
        if plan.again {
            notes.push("an input shrank or was replaced: reading every input again".into());
            self.files.clear();
            self.data = Dataset::default();
        }
        for (i, meta) in inputs.iter().zip(&metas) {
            if let Err(e) = meta {
                notes.push(format!("{}: {e}", escape_controls(&i.name)));
            }
        }
        let mut bytes = 0;
        for (path, from, to) in plan.reads {
            let Some((Input { name, origin, .. }, meta)) = inputs.iter().zip(&metas).find(|(i, _)| i.path == path)
            else {
                continue;
            };
            let f = self.files.entry(path.clone()).or_insert_with(|| Watched {
                name: name.clone(),
                seen: Seen::new(),
                feed: Some(Feed::new(name)),
            });
            if f.feed.is_none() {
                continue;
            }
            let mut file = match File::open(&path) {
                Ok(file) => file,
                Err(e) => {
                    notes.push(format!("{}: {e}; what was read of it stays", escape_controls(name)));
                    continue;
                }
            };
            let mut chunk = Vec::new();
            let read =
                file.seek(SeekFrom::Start(from)).and_then(|_| (&mut file).take(to - from).read_to_end(&mut chunk));
            if let Err(e) = read {
                notes.push(format!("{}: {e}; what was read of it stays", escape_controls(name)));
                continue;
            }
            f.seen.read(&chunk, meta.as_ref().ok().and_then(|m| m.modified().ok()));
            let store = &mut self.data.store;
            // a feed adds its source at its first bytes, from the origin begun then
            store.begin_origin(origin);
            if let Some(feed) = f.feed.as_mut() {
                feed.push(store, &chunk);
                if f.seen.plain {
                    // what is there now is read now: the lines a small file holds are not held
                    // back waiting for more bytes to judge the file by
                    feed.settle(store);
                }
            }
            if !f.seen.plain {
                // a container is read whole and closed: it cannot grow by appends
                if let Some(feed) = f.feed.take() {
                    feed.finish(store);
                }
            }
            bytes += chunk.len() as u64;
        }
        if bytes > 0 {
            self.data.rebuild();
        }
        Ok((bytes, notes))
    }

    /// One line: the time, what was read, and the figures; then the recorded alerts that arrived.
    fn summary(&mut self, filters: &Filters, params: &Parameters, bytes: u64, since_start: Duration) -> String {
        let report = Report::compute(&self.data, filters, params);
        let s = &report.summary;
        let mut line = format!(
            "[{:>6.1} s] +{} bytes · {} sessions · success {} · cost {} · {} error events · {} alerts",
            since_start.as_secs_f64(),
            spyglass::model::numbers::grouped(bytes as f64, 0),
            spyglass::model::numbers::grouped(s.sessions as f64, 0),
            s.success_rate.map_or("—".to_string(), pct),
            s.total_cost_usd.map_or("unknown".to_string(), usd),
            spyglass::model::numbers::grouped(s.error_events as f64, 0),
            spyglass::model::numbers::grouped(s.alerts as f64, 0),
        );
        // in time order: those past the ones said are the ones that arrived (bosun appends them)
        let rows = &report.alerts.recorded;
        for a in rows.iter().skip(self.alerts_seen) {
            let a = serde_json::to_value(a).unwrap_or_default();
            line.push_str(&format!(
                "\n  alert: {} {} ({})",
                escape_controls(a["type"].as_str().unwrap_or("?")),
                escape_controls(a["attempt_id"].as_str().unwrap_or("")),
                escape_controls(a["severity"].as_str().unwrap_or(""))
            ));
        }
        self.alerts_seen = rows.len();
        line
    }
}
