//! The filters in force as chips above the figures: one per bound, name or search, each removable,
//! so that a filtered page never looks like the whole data.

use crate::model::time::format_iso_ms;
use crate::page::overview::short_time;
use crate::pipelines::Filters;

/// Which filter a chip stands for (what its × removes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChipKey {
    Since,
    Until,
    Executor(String),
    Model(String),
    Source(String),
    Task,
}

impl ChipKey {
    /// The chip's `data-filter` attribute: `since`, `until`, `executor:NAME`, `model:NAME`, `source:NAME`,
    /// `task`.
    pub fn attr(&self) -> String {
        match self {
            ChipKey::Since => "since".into(),
            ChipKey::Until => "until".into(),
            ChipKey::Executor(n) => format!("executor:{n}"),
            ChipKey::Model(n) => format!("model:{n}"),
            ChipKey::Source(n) => format!("source:{n}"),
            ChipKey::Task => "task".into(),
        }
    }

    /// The key back from its attribute (`None`: not one of ours).
    pub fn of_attr(a: &str) -> Option<ChipKey> {
        match a {
            "since" => Some(ChipKey::Since),
            "until" => Some(ChipKey::Until),
            "task" => Some(ChipKey::Task),
            _ => match a.split_once(':') {
                Some(("executor", n)) => Some(ChipKey::Executor(n.to_string())),
                Some(("model", n)) => Some(ChipKey::Model(n.to_string())),
                Some(("source", n)) => Some(ChipKey::Source(n.to_string())),
                _ => None,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chip {
    pub key: ChipKey,
    pub label: String,
}

/// The chips of `filters`, in the sidebar's order: time, executors, models, sources, task.
pub fn chips(filters: &Filters) -> Vec<Chip> {
    let time = |ms: i64| short_time(&format_iso_ms(ms));
    let mut out = vec![];
    if let Some(t) = filters.since_ms {
        out.push(Chip { key: ChipKey::Since, label: format!("since {} UTC", time(t)) });
    }
    if let Some(t) = filters.until_ms {
        out.push(Chip { key: ChipKey::Until, label: format!("until {} UTC", time(t)) });
    }
    for e in &filters.executors {
        out.push(Chip { key: ChipKey::Executor(e.clone()), label: format!("executor {e}") });
    }
    for m in &filters.models {
        out.push(Chip { key: ChipKey::Model(m.clone()), label: format!("model {m}") });
    }
    for s in &filters.sources {
        out.push(Chip { key: ChipKey::Source(s.clone()), label: format!("source {s}") });
    }
    if let Some(t) = &filters.task {
        out.push(Chip { key: ChipKey::Task, label: format!("task ~ “{}”", t.trim()) });
    }
    out
}

/// `filters` without the one `key` names.
pub fn without(filters: &Filters, key: &ChipKey) -> Filters {
    let mut f = filters.clone();
    match key {
        ChipKey::Since => f.since_ms = None,
        ChipKey::Until => f.until_ms = None,
        ChipKey::Executor(n) => f.executors.retain(|e| e != n),
        ChipKey::Model(n) => f.models.retain(|m| m != n),
        ChipKey::Source(n) => f.sources.retain(|s| s != n),
        ChipKey::Task => f.task = None,
    }
    f
}

/// Whether any filter is set.
pub fn any(filters: &Filters) -> bool {
    !chips(filters).is_empty()
}

/// The narrow page's button to the filters slide-over: "Filters", or "Filters (2)" with two
/// chips in force (the count is the chips', so the button and the chips never disagree).
pub fn toggle_label(filters: &Filters) -> String {
    match chips(filters).len() {
        0 => "Filters".to_string(),
        n => format!("Filters ({n})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_set() -> Filters {
        Filters {
            // 2026-02-10T14:00Z and a day later
            since_ms: Some(1_770_732_000_000),
            until_ms: Some(1_770_818_400_000),
            executors: vec!["CODEX".into(), "CLAUDE".into()],
            models: vec!["gpt-5-codex".into()],
            task: Some(" login ".into()),
            sources: vec!["laptop".into()],
        }
    }

    #[test]
    fn the_toggle_counts_the_chips() {
        assert_eq!(toggle_label(&Filters::default()), "Filters");
        assert_eq!(toggle_label(&all_set()), "Filters (7)");
        let one = Filters { executors: vec!["CODEX".into()], ..Filters::default() };
        assert_eq!(toggle_label(&one), "Filters (1)");
    }

    #[test]
    fn one_chip_per_bound_name_and_search_in_the_sidebars_order() {
        let labels: Vec<String> = chips(&all_set()).into_iter().map(|c| c.label).collect();
        assert_eq!(
            labels,
            [
                "since 2026-02-10 14:00 UTC",
                "until 2026-02-11 14:00 UTC",
                "executor CODEX",
                "executor CLAUDE",
                "model gpt-5-codex",
                "source laptop",
                "task ~ “login”",
            ]
        );
        assert!(chips(&Filters::default()).is_empty());
        assert!(!any(&Filters::default()) && any(&all_set()));
    }

    #[test]
    fn removing_a_chip_removes_that_filter_only() {
        let f = all_set();
        let g = without(&f, &ChipKey::Executor("CODEX".into()));
        assert_eq!(g.executors, ["CLAUDE"]);
        assert_eq!((g.since_ms, g.until_ms, &g.models, &g.task), (f.since_ms, f.until_ms, &f.models, &f.task));
        assert_eq!(without(&f, &ChipKey::Since).since_ms, None);
        assert_eq!(without(&f, &ChipKey::Until).until_ms, None);
        assert!(without(&f, &ChipKey::Model("gpt-5-codex".into())).models.is_empty());
        assert_eq!(without(&f, &ChipKey::Task).task, None);
        // removing every chip, one at a time, leaves no filter
        let mut h = f.clone();
        while let Some(c) = chips(&h).first().cloned() {
            h = without(&h, &c.key);
        }
        assert_eq!(h, Filters::default());
    }

    #[test]
    fn a_chip_key_survives_its_attribute() {
        for c in chips(&all_set()) {
            assert_eq!(ChipKey::of_attr(&c.key.attr()), Some(c.key));
        }
        // a name holding the separator keeps it
        let k = ChipKey::Model("org:model".into());
        assert_eq!(ChipKey::of_attr(&k.attr()), Some(k));
        assert_eq!(ChipKey::of_attr("colour:red"), None);
        assert_eq!(ChipKey::of_attr(""), None);
    }
}
