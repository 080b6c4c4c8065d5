//! Recipe links: the page's view — filters, the parameters that differ from the defaults, the
//! section in view, the attempt whose timeline is open — as the address's fragment, so that a
//! link reproduces the view on the recipient's own copy of the logs. It carries no data.
//!
//! `#v=1&f.executor=CODEX,CLAUDE&f.since=2026-02-09T00:00&p.w_cost=0.5&s=costs&attempt=ve-a1`
//!
//! - `f.executor`, `f.model`, `f.source`: names, comma-separated; `f.task`: the task filter's text;
//!   `f.since`, `f.until`: UTC times as the inputs read them (`2026-02-09T14:30`);
//! - `p.NAME`: a parameter that differs from its default, its JSON value (a bare string for a
//!   string; tables as compact JSON);
//! - `s`: the section in view; `attempt`: the attempt whose timeline is open; `v`: this format's
//!   version.
//!
//! Reading never fails: what cannot be applied (an unknown key, a value of the wrong type, a
//! parameter out of range, a newer version's key) is left out and named in `ignored`.

use super::filters::{input_of_time, read_time_input};
use crate::pipelines::{Filters, Parameters};
use serde_json::{Map, Value};

/// The format written; a link of a later one is read as far as its keys are known.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recipe {
    pub filters: Filters,
    pub params: Parameters,
    /// the section in view (`model_scores`, …)
    pub section: Option<String>,
    /// the attempt whose timeline is open
    pub attempt: Option<String>,
}

/// A fragment read: what it applies, and what it could not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    pub recipe: Recipe,
    /// one entry per key left out, with why: `zoom (unknown key)`
    pub ignored: Vec<String>,
}

/// The fragment (without `#`) of `r`: only what differs from a fresh page, in a fixed order.
pub fn write(r: &Recipe) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let f = &r.filters;
    let names = |v: &[String]| v.iter().map(|n| escape(n)).collect::<Vec<_>>().join(",");
    if !f.executors.is_empty() {
        pairs.push(("f.executor".into(), names(&f.executors)));
    }
    if !f.models.is_empty() {
        pairs.push(("f.model".into(), names(&f.models)));
    }
    if !f.sources.is_empty() {
        pairs.push(("f.source".into(), names(&f.sources)));
    }
    if let Some(t) = f.task.as_deref().filter(|t| !t.trim().is_empty()) {
        pairs.push(("f.task".into(), escape(t)));
    }
    for (k, t) in [("f.since", f.since_ms), ("f.until", f.until_ms)] {
        if let Some(t) = t {
            pairs.push((k.into(), input_of_time(t).replace(' ', "T")));
        }
    }
    for (k, v) in changed_params(&r.params) {
        let text = match &v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        pairs.push((format!("p.{k}"), escape(&text)));
    }
    if let Some(s) = &r.section {
        pairs.push(("s".into(), escape(s)));
    }
    if let Some(a) = &r.attempt {
        pairs.push(("attempt".into(), escape(a)));
    }
    if pairs.is_empty() {
        return String::new();
    }
    let mut out = format!("v={VERSION}");
    for (k, v) in pairs {
        out.push('&');
        out.push_str(&k);
        out.push('=');
        out.push_str(&v);
    }
    out
}

/// The parameters that differ from the defaults, by name, in the struct's order.
fn changed_params(p: &Parameters) -> Vec<(String, Value)> {
    let (Ok(Value::Object(now)), Ok(Value::Object(default))) =
        (serde_json::to_value(p), serde_json::to_value(Parameters::default()))
    else {
        return Vec::new();
    };
    now.into_iter().filter(|(k, v)| default.get(k) != Some(v)).collect()
}

/// Reads a fragment (with or without its `#`).
pub fn read(fragment: &str) -> Read {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut out = Read::default();
    let mut params = match serde_json::to_value(Parameters::default()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let newer = fragment
        .split('&')
        .find_map(|p| p.strip_prefix("v="))
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|v| v > VERSION);
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(value) = unescape(raw) else {
            out.ignored.push(format!("{key} (not readable)"));
            continue;
        };
        let f = &mut out.recipe.filters;
        let list = |v: &str| v.split(',').filter_map(unescape).filter(|n| !n.trim().is_empty()).collect::<Vec<_>>();
        match key {
            "v" => {
                if value.parse::<u32>().is_err() {
                    out.ignored.push(format!("v (not a version: {value})"));
                }
            }
            // lists are split before their names are unescaped: a name may hold a comma
            "f.executor" => f.executors = list(raw),
            "f.model" => f.models = list(raw),
            "f.source" => f.sources = list(raw),
            "f.task" => f.task = Some(value).filter(|t| !t.trim().is_empty()),
            "f.since" | "f.until" => match read_time_input(&value) {
                Ok(t) if key == "f.since" => f.since_ms = t,
                Ok(t) => f.until_ms = t,
                Err(_) => out.ignored.push(format!("{key} (not a time: {value})")),
            },
            "s" => out.recipe.section = Some(value).filter(|s| !s.is_empty()),
            "attempt" => out.recipe.attempt = Some(value).filter(|s| !s.is_empty()),
            _ => match key.strip_prefix("p.") {
                Some(name) => {
                    if let Err(why) = set_param(&mut params, name, &value) {
                        out.ignored.push(format!("{key} ({why})"));
                    }
                }
                None if newer => out.ignored.push(format!("{key} (from a newer version of Spyglass)")),
                None => out.ignored.push(format!("{key} (unknown key)")),
            },
        }
    }
    out.recipe.params = serde_json::from_value(Value::Object(params)).unwrap_or_default();
    out
}

/// Sets parameter `name` in `params` (a `Parameters` as JSON) when the result is still valid
/// parameters; else leaves `params` as it was and says why.
fn set_param(params: &mut Map<String, Value>, name: &str, text: &str) -> Result<(), String> {
    if !params.contains_key(name) {
        return Err("unknown parameter".into());
    }
    // a JSON value, else the text as a string (`p.group_by=executor`)
    let value = serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_string()));
    let mut next = params.clone();
    next.insert(name.to_string(), value);
    // the CLI's `--params` reading: types, the alias and price tables, every range
    let text = Value::Object(next.clone()).to_string();
    Parameters::from_json(&text).map_err(|e| {
        let e = e.strip_prefix("parameters: ").unwrap_or(&e);
        e.split(" at line").next().unwrap_or(e).to_string()
    })?;
    *params = next;
    Ok(())
}

/// What a recipe applies, for the page to say before any file is loaded: `executor CODEX`,
/// `w_cost 0.5`, `section costs`.
pub fn describe(r: &Recipe) -> Vec<String> {
    // the filters as their chips say them, one per name
    let mut out: Vec<String> = super::chips::chips(&r.filters).into_iter().map(|c| c.label).collect();
    for (k, v) in changed_params(&r.params) {
        let v = match v {
            Value::String(s) => s,
            Value::Array(_) | Value::Object(_) => "(edited table)".into(),
            other => other.to_string(),
        };
        out.push(format!("{k} {v}"));
    }
    if let Some(s) = &r.section {
        out.push(format!("section {s}"));
    }
    if let Some(a) = &r.attempt {
        out.push(format!("the timeline of {a}"));
    }
    out
}

/// Percent-encodes what a fragment's pairs and lists use (`&`, `=`, `,`, `%`, `#`), spaces and
/// anything outside printable ASCII; the rest stays readable.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'&' | b'=' | b',' | b'%' | b'#' | b'+' | b' ' | b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|'
            | b'}' => out.push_str(&format!("%{b:02X}")),
            0x21..=0x7E => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Undoes [`escape`] (and any percent-encoding a browser or a person added); `None` when the
/// escapes do not make UTF-8 text.
fn unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipelines::GroupKey;

    fn sample() -> Recipe {
        let mut params = Parameters { w_cost: 0.5, group_by: GroupKey::Executor, ..Parameters::default() };
        params.category_aliases.insert("quota".into(), "rate_limit".into());
        Recipe {
            filters: Filters {
                since_ms: Some(1_770_595_200_000),
                until_ms: None,
                executors: vec!["CODEX".into(), "a,b & c".into()],
                models: vec![],
                task: Some("login 100%".into()),
                sources: vec!["ana's laptop".into()],
            },
            params,
            section: Some("costs".into()),
            attempt: Some("ve-a1#2".into()),
        }
    }

    #[test]
    fn a_fresh_page_writes_nothing() {
        assert_eq!(write(&Recipe::default()), "");
        assert_eq!(read(""), Read::default());
        assert_eq!(read("#"), Read::default());
    }

    /// Only what differs from the defaults, readable, and read back to the same view.
    #[test]
    fn round_trip() {
        let r = sample();
        let text = write(&r);
        assert!(
            text.starts_with(
                "v=1&f.executor=CODEX,a%2Cb%20%26%20c&f.source=ana's%20laptop&f.task=login%20100%25&f.since=2026-02-09T00:00&p.w_cost=0.5&p.group_by=executor&p.category_aliases="
            ),
            "{text}"
        );
        assert!(text.ends_with("&s=costs&attempt=ve-a1%232"), "{text}");
        let back = read(&format!("#{text}"));
        assert_eq!(back.ignored, Vec::<String>::new());
        assert_eq!(back.recipe, r);
        assert_eq!(
            describe(&r),
            [
                "since 2026-02-09 00:00 UTC",
                "executor CODEX",
                "executor a,b & c",
                "source ana's laptop",
                "task ~ “login 100%”",
                "w_cost 0.5",
                "group_by executor",
                "category_aliases (edited table)",
                "section costs",
                "the timeline of ve-a1#2"
            ]
        );
    }

    /// What cannot be applied is left out and named; the rest applies.
    #[test]
    fn what_it_cannot_apply_it_names() {
        let r = read("v=1&f.executor=CODEX&zoom=3&p.w_cost=abc&p.nope=1&p.runaway_percentile=7&f.since=soon&p.w_errors=0.5&f.task=%E2%28&s=");
        assert_eq!(r.recipe.filters.executors, ["CODEX"]);
        assert_eq!(r.recipe.params.w_errors, 0.5);
        assert_eq!(r.recipe.params.w_cost, Parameters::default().w_cost);
        assert_eq!(r.recipe.section, None);
        assert_eq!(r.ignored.len(), 6, "{:?}", r.ignored);
        assert_eq!(r.ignored[0], "zoom (unknown key)");
        assert!(r.ignored[1].starts_with("p.w_cost (invalid type: string \"abc\", expected f64"), "{}", r.ignored[1]);
        assert_eq!(r.ignored[2], "p.nope (unknown parameter)");
        assert!(r.ignored[3].starts_with("p.runaway_percentile ("), "{}", r.ignored[3]);
        assert_eq!(r.ignored[4], "f.since (not a time: soon)");
        assert_eq!(r.ignored[5], "f.task (not readable)");
        // a later version's keys: said to be from a newer Spyglass
        let r = read("v=9&f.model=o3&lens=wide");
        assert_eq!(r.recipe.filters.models, ["o3"]);
        assert_eq!(r.ignored, ["lens (from a newer version of Spyglass)"]);
        // junk never breaks it
        for junk in ["%", "%zz", "&&&", "=x", "v=&p.=1", "f.executor=,,,", "p.prices=[{\"model\":1}]"] {
            let r = read(junk);
            assert!(r.recipe.filters.executors.is_empty(), "{junk}");
        }
    }
}
