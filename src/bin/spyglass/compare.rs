//! `spyglass compare`: two sides — two sets of inputs (`A… --vs B…`) or one set under two
//! filters (`--a-filter SPEC --b-filter SPEC`) — compared by `spyglass::compare`, printed as an
//! aligned table or one JSON document. The report's filter and parameter options apply to both
//! sides; a SPEC's keys replace them for its side.

use super::{
    filters_arg, guards_arg, last_arg, last_timestamp, load, params_arg, parse_args, parse_duration, paths_or_default,
    threads_arg, SHARED_FLAGS, SHARED_OPTIONS,
};
use spyglass::compare::{self, Side};
use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::Store;
use spyglass::model::time::parse_timestamp;
use spyglass::pipelines::Filters;
use std::io::Write;

/// Where `--vs` stood among the arguments: a positional no path can be (a NUL byte).
const VS: &str = "\0--vs";

/// One side's filters as a SPEC says: `key=value` pairs separated by commas, keys `executor`,
/// `model` (each may repeat: any of the names), `task`, `since`, `until` (ISO 8601 or epoch
/// ms) and `last` (a duration, counted back from the side's data). What a SPEC names replaces
/// the shared option for its side; `last` returns its duration for the caller to resolve.
#[derive(Debug, Default, PartialEq)]
struct Spec {
    filters: Filters,
    last: Option<i64>,
}

fn spec(text: &str, shared: &Filters, shared_last: Option<i64>, flag: &str) -> Result<Spec, String> {
    let mut out = Spec { filters: shared.clone(), last: shared_last };
    let (mut executors, mut models, mut sources) = (Vec::new(), Vec::new(), Vec::new());
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!("--{flag}: {part:?} is not key=value (e.g. executor=CODEX,since=2026-02-01)"));
        };
        let (key, value) = (key.trim(), value.trim());
        let time = || {
            parse_timestamp(value)
                .ok_or_else(|| format!("--{flag}: {key}: not a time: {value:?} (use ISO 8601 or epoch milliseconds)"))
        };
        match key {
            "executor" => executors.push(value.to_string()),
            "model" => models.push(value.to_string()),
            "source" => sources.push(value.to_string()),
            "task" => out.filters.task = Some(value.to_string()),
            "since" => {
                out.filters.since_ms = Some(time()?);
                out.last = None;
            }
            "until" => out.filters.until_ms = Some(time()?),
            "last" => {
                out.last = Some(parse_duration(value).ok_or_else(|| {
                    format!("--{flag}: last: not a duration: {value:?} (use a whole number and s, m, h, d or w: 90m, 12h, 7d, 2w)")
                })?);
                out.filters.since_ms = None;
            }
            _ => {
                return Err(format!(
                    "--{flag}: unknown key {key:?} (the keys are executor, model, source, task, since, until, last)"
                ))
            }
        }
    }
    if text.split(',').any(|p| p.trim().starts_with("since=")) && text.split(',').any(|p| p.trim().starts_with("last="))
    {
        return Err(format!("--{flag}: since and last: choose one"));
    }
    if !executors.is_empty() {
        out.filters.executors = executors;
    }
    if !models.is_empty() {
        out.filters.models = models;
    }
    if !sources.is_empty() {
        out.filters.sources = sources;
    }
    Ok(out)
}

/// A side's filters with its `last` counted back from its own data's last timestamp.
fn resolve(spec: Spec, store: &Store, side: &str) -> Result<Filters, String> {
    let mut f = spec.filters;
    if let Some(span) = spec.last {
        let end = last_timestamp(store)
            .ok_or_else(|| format!("{side}: last: no loaded record has a timestamp to count back from"))?;
        f.since_ms = Some(end.saturating_sub(span));
    }
    Ok(f)
}

pub fn compare(raw: &[String]) -> Result<(), String> {
    let marked: Vec<String> = raw.iter().map(|a| if a == "--vs" { VS.to_string() } else { a.clone() }).collect();
    let with_value: Vec<&str> = SHARED_OPTIONS.iter().copied().chain(["a-filter", "b-filter"]).collect();
    let args = parse_args(&marked, &with_value, SHARED_FLAGS)?;
    let json = args.flags.iter().any(|f| f == "json");
    let guards = guards_arg(&args);
    let threads = threads_arg(&args)?;
    let last = last_arg(&args)?;
    let shared = filters_arg(&args)?;
    let params = params_arg(&args)?;
    let (a_spec, b_spec) = (args.one("a-filter"), args.one("b-filter"));
    let split = args.positional.iter().position(|p| p == VS);
    let stores = match split {
        Some(at) => {
            if a_spec.is_some() || b_spec.is_some() {
                return Err(
                    "--vs and --a-filter/--b-filter: choose one (two sets of inputs, or one set under two filters)"
                        .into(),
                );
            }
            let (a_paths, b_paths) = (&args.positional[..at], &args.positional[at + 1..]);
            if args.positional.iter().filter(|p| *p == VS).count() > 1 {
                return Err("--vs: given twice (spyglass compare A_PATH… --vs B_PATH…)".into());
            }
            if a_paths.is_empty() || b_paths.is_empty() {
                return Err("compare: give the inputs of both sides: spyglass compare A_PATH… --vs B_PATH…".into());
            }
            let a = load(a_paths, guards, threads).map_err(|e| format!("A: {e}"))?;
            let b = load(b_paths, guards, threads).map_err(|e| format!("B: {e}"))?;
            (a, Some(b))
        }
        None => {
            if a_spec.is_none() && b_spec.is_none() {
                return Err(format!(
                    "compare: give two sides: A_PATH… --vs B_PATH…, or PATH… --a-filter SPEC --b-filter SPEC\n{}",
                    super::USAGE
                ));
            }
            let paths = paths_or_default(&args.positional, "compare")?;
            (load(&paths, guards, threads)?, None)
        }
    };
    let sa = spec(a_spec.unwrap_or(""), &shared, last, "a-filter")?;
    let sb = spec(b_spec.unwrap_or(""), &shared, last, "b-filter")?;
    let (store_a, store_b) = stores;
    let fa = resolve(sa, &store_a, "A")?;
    let data_a = Dataset::new(store_a);
    let (fb, data_b) = match store_b {
        Some(s) => (resolve(sb, &s, "B")?, Some(Dataset::new(s))),
        None => (resolve(sb, &data_a.store, "B")?, None),
    };
    let b_data = data_b.as_ref().unwrap_or(&data_a);
    let result = compare::compute(Side { data: &data_a, filters: &fa }, Side { data: b_data, filters: &fb }, &params);
    let out = if json { result.to_json() } else { compare::text::render(&result) };
    std::io::stdout().lock().write_all(out.as_bytes()).map_err(|e| format!("writing the comparison: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_replaces_the_shared_options_it_names() {
        let shared = Filters { executors: vec!["codex".into()], task: Some("login".into()), ..Default::default() };
        let s = spec("executor=CLAUDE, executor=gemini,since=2026-02-01", &shared, Some(1000), "a-filter").unwrap();
        assert_eq!(s.filters.executors, ["CLAUDE", "gemini"]);
        assert_eq!(s.filters.task.as_deref(), Some("login"));
        assert_eq!(s.filters.since_ms, parse_timestamp("2026-02-01"));
        assert_eq!(s.last, None, "since replaces the shared --last");
        let s = spec("last=7d", &shared, None, "b-filter").unwrap();
        assert_eq!(s.last, Some(7 * 86_400_000));
        assert_eq!(spec("", &shared, None, "b-filter").unwrap().filters, shared);
        assert!(spec("executor", &shared, None, "a-filter").unwrap_err().contains("not key=value"));
        assert!(spec("colour=red", &shared, None, "a-filter").unwrap_err().contains("unknown key"));
        assert!(spec("since=yesterday", &shared, None, "a-filter").unwrap_err().contains("not a time"));
        assert!(spec("since=2026-02-01,last=7d", &shared, None, "a-filter").unwrap_err().contains("choose one"));
    }
}
