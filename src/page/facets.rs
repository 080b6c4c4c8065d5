//! The values the filter controls offer, and the sessions started per day that the time brush
//! draws: made from all the data, whatever the filters.

use crate::dataset::Dataset;
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
}

impl Facets {
    pub fn of(data: &Dataset) -> Facets {
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
        let f = Facets::of(&data);
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

    #[test]
    fn no_sessions_no_facets() {
        let f = Facets::of(&Dataset::default());
        assert_eq!(f, Facets::default());
        assert_eq!(f.daily_total(), 0);
    }
}
