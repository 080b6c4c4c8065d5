//! The values the filter controls offer, and the sessions started per day that the time brush
//! draws: made from all the data, whatever the filters.

use crate::dataset::sessions::Session;
use crate::dataset::Dataset;
use crate::model::records::{FastMap, Sym};
use crate::pipelines::{sessions_passing, Filters};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A UTC day in ms (the one definition, in `model::time`).
pub use crate::model::time::MS_PER_DAY as DAY_MS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// executor and model names, sorted, once each
    pub executors: Vec<String>,
    pub models: Vec<String>,
    /// the first and last session start or end
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// sessions started per UTC day, in day order: (the day's first ms, sessions)
    pub daily: Vec<(i64, u32)>,
    /// every session of the data (the cards say "322 of 800" under a filter)
    pub sessions: u64,
    /// per executor (as `executors`), the sessions the other filters leave: the list narrows to
    /// what the model, task and time filters allow, and each name says how many it would show
    pub executor_sessions: Vec<u64>,
    /// per model (as `models`), the sessions the other filters leave
    pub model_sessions: Vec<u64>,
    /// the sources (folders, machines) in the order they were read; the page offers them as a
    /// filter when there are several
    pub sources: Vec<String>,
    /// per source (as `sources`), the sessions the other filters leave
    pub source_sessions: Vec<u64>,
    /// per day of `daily`, the sessions the filters other than time leave; empty when no such
    /// filter is on (the brush draws these over the grey totals)
    pub daily_matching: Vec<u32>,
}

impl Facets {
    /// The facets of `data`, with the counts each control shows under `filters`.
    pub fn of(data: &Dataset, filters: &Filters) -> Facets {
        let mut f = Facets::of_data(data);
        let passing = |without: fn(&mut Filters)| {
            let mut other = filters.clone();
            without(&mut other);
            sessions_passing(data, &other)
        };
        // each list counted under every filter but its own
        let counts = |names: &[String], passing: Vec<bool>, name_of: &dyn Fn(&Session) -> Sym| {
            let mut by_sym: FastMap<Sym, u64> = FastMap::default();
            for (s, _) in data.sessions.iter().zip(&passing).filter(|(_, &p)| p) {
                *by_sym.entry(name_of(s)).or_insert(0) += 1;
            }
            let mut by_name: BTreeMap<&str, u64> = BTreeMap::new();
            for (sym, n) in by_sym {
                if sym.is_some() {
                    *by_name.entry(data.str(sym)).or_insert(0) += n;
                }
            }
            names.iter().map(|n| by_name.get(n.as_str()).copied().unwrap_or(0)).collect()
        };
        f.executor_sessions = counts(&f.executors, passing(|o| o.executors.clear()), &|s| s.executor);
        f.model_sessions = counts(&f.models, passing(|o| o.models.clear()), &|s| s.model);
        if f.sources.len() > 1 {
            f.source_sessions = counts(&f.sources, passing(|o| o.sources.clear()), &|s| data.origin_name(s));
        }
        let untimed = Filters { since_ms: None, until_ms: None, ..filters.clone() };
        if untimed != Filters::default() {
            let mut days: BTreeMap<i64, u32> = BTreeMap::new();
            for (s, _) in data.sessions.iter().zip(sessions_passing(data, &untimed)).filter(|(_, p)| *p) {
                if let Some(t) = s.start_ms {
                    *days.entry(t.div_euclid(DAY_MS) * DAY_MS).or_insert(0) += 1;
                }
            }
            f.daily_matching = f.daily.iter().map(|(d, _)| days.get(d).copied().unwrap_or(0)).collect();
        }
        f
    }

    /// The names, span and days of `data`, whatever the filters.
    fn of_data(data: &Dataset) -> Facets {
        let (mut executors, mut models) = (BTreeSet::new(), BTreeSet::new());
        let mut days: BTreeMap<i64, u32> = BTreeMap::new();
        let (mut first_ms, mut last_ms): (Option<i64>, Option<i64>) = (None, None);
        for s in &data.sessions {
            if s.executor.is_some() {
                executors.insert(data.str(s.executor));
            }
            if s.model.is_some() {
                models.insert(data.str(s.model));
            }
            if let Some(t) = s.start_ms {
                *days.entry(t.div_euclid(DAY_MS) * DAY_MS).or_insert(0) += 1;
            }
            for t in [s.start_ms, s.end_ms].into_iter().flatten() {
                first_ms = Some(first_ms.map_or(t, |x| x.min(t)));
                last_ms = Some(last_ms.map_or(t, |x| x.max(t)));
            }
        }
        Facets {
            executors: executors.into_iter().map(String::from).collect(),
            models: models.into_iter().map(String::from).collect(),
            first_ms,
            last_ms,
            daily: days.into_iter().collect(),
            sessions: data.sessions.len() as u64,
            sources: data.store.origins.iter().filter(|o| !o.name.is_empty()).map(|o| o.name.clone()).collect(),
            ..Facets::default()
        }
    }

    /// All the sessions the brush counts.
    pub fn daily_total(&self) -> u64 {
        self.daily.iter().map(|&(_, n)| n as u64).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(ts: &str, attempt: &str, executor: &str, model: &str, event: &str) -> String {
        format!(
            r#"{{"timestamp":"{ts}","attempt_id":"{attempt}","task_id":"T","executor":"{executor}","model":"{model}","event_type":"{event}","data":{{}}}}"#
        )
    }

    #[test]
    fn names_once_sorted_and_sessions_per_utc_day() {
        let lines = [
            // A1: 2026-02-09 23:30 → 2026-02-10 00:10 (counted on the day it starts)
            line("2026-02-09T23:30:00.000Z", "A1", "CODEX", "gpt-5", "session_start"),
            line("2026-02-10T00:10:00.000Z", "A1", "CODEX", "gpt-5", "session_end"),
            // A2 and A3 start on 2026-02-10; A3's executor is another name's case twin
            line("2026-02-10T08:00:00.000Z", "A2", "CLAUDE", "sonnet", "session_start"),
            line("2026-02-10T09:00:00.000Z", "A3", "CODEX", "gpt-5", "session_start"),
            // A4 a day later with no day between (days without sessions are not listed)
            line("2026-02-12T12:00:00.000Z", "A4", "CODEX", "o3", "session_start"),
        ]
        .join("\n");
        let data = Dataset::from_files([("s.jsonl", lines.as_bytes())]);
        let f = Facets::of(&data, &Filters::default());
        assert_eq!(f.executors, ["CLAUDE", "CODEX"]);
        assert_eq!(f.models, ["gpt-5", "o3", "sonnet"]);
        // 2026-02-09T00:00Z = 1 770 595 200 000 ms; a day is 86 400 000
        let feb9 = 1_770_595_200_000;
        assert_eq!(f.daily, [(feb9, 1), (feb9 + DAY_MS, 2), (feb9 + 3 * DAY_MS, 1)]);
        assert_eq!(f.daily_total(), 4);
        assert_eq!(f.sessions, 4);
        // 23:30 on the 9th = feb9 + 84 600 000; the last: 12:00 on the 12th = feb9 + 3 days + 43 200 000
        assert_eq!(f.first_ms, Some(feb9 + 84_600_000));
        assert_eq!(f.last_ms, Some(feb9 + 3 * DAY_MS + 43_200_000));
    }

    /// Each list counted under every filter but its own; the brush's days under every filter
    /// but time (none when only time filters).
    #[test]
    fn lists_narrow_each_other() {
        let lines = [
            line("2026-02-09T23:30:00.000Z", "A1", "CODEX", "gpt-5", "session_start"),
            line("2026-02-10T08:00:00.000Z", "A2", "CLAUDE", "sonnet", "session_start"),
            line("2026-02-10T09:00:00.000Z", "A3", "codex", "gpt-5", "session_start"),
            line("2026-02-12T12:00:00.000Z", "A4", "CODEX", "o3", "session_start"),
        ]
        .join("\n");
        let data = Dataset::from_files([("s.jsonl", lines.as_bytes())]);
        let all = Facets::of(&data, &Filters::default());
        assert_eq!((all.executor_sessions.as_slice(), all.model_sessions.as_slice()), (&[1, 3][..], &[2, 1, 1][..]));
        assert!(all.daily_matching.is_empty());
        let codex = Filters { executors: vec!["codex".into()], ..Filters::default() };
        let f = Facets::of(&data, &codex);
        // the executors still offer CLAUDE (its own filter is not counted); models under CODEX
        assert_eq!(f.executor_sessions, [1, 3]);
        assert_eq!(f.model_sessions, [2, 1, 0]);
        assert_eq!(f.daily_matching, [1, 1, 1]);
        let o3 = Filters { models: vec!["o3".into()], ..codex.clone() };
        let f = Facets::of(&data, &o3);
        assert_eq!((f.executor_sessions.as_slice(), f.model_sessions.as_slice()), (&[0, 1][..], &[2, 1, 0][..]));
        assert_eq!(f.daily_matching, [0, 0, 1]);
        // time alone: every list counts within it, the brush keeps its totals
        let feb10 = Filters {
            since_ms: Some(1_770_595_200_000 + DAY_MS),
            until_ms: Some(1_770_595_200_000 + 2 * DAY_MS),
            ..Filters::default()
        };
        let f = Facets::of(&data, &feb10);
        assert_eq!((f.executor_sessions.as_slice(), f.model_sessions.as_slice()), (&[1, 1][..], &[1, 0, 1][..]));
        assert!(f.daily_matching.is_empty());
    }

    #[test]
    fn no_sessions_no_facets() {
        let f = Facets::of(&Dataset::default(), &Filters::default());
        assert_eq!(f, Facets::default());
        assert_eq!(f.daily_total(), 0);
    }
}
