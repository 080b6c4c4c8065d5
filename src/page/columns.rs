//! Answers first: which columns a report table shows before the reader asks for more — its key,
//! then the column(s) that answer the section's question, at most [`MAX_DEFAULT`] — and which
//! tables only repeat a chart (they sit behind "Show data"). The others stay one click away in
//! the table's Columns menu; the CSV keeps every column in the report's order.

/// Columns a table shows by default, at most.
pub const MAX_DEFAULT: usize = 6;

/// Per table (`section.field`): the key first, then the answers, in the order shown.
const ANSWERS: &[(&str, &[&str])] = &[
    ("model_scores.rows", &["key", "score", "success_rate", "success_n", "avg_cost_usd", "flags"]),
    ("task_risk.rows", &["task_id", "task_title", "risk", "reasons", "attempts", "sessions"]),
    ("provider_heatmap.rows", &["executor", "errors", "sessions", "per_100_sessions"]),
    ("provider_heatmap.spikes", &["hour", "executor", "error_category", "count", "mean"]),
    ("interventions.rows", &["comparison", "a", "b", "difference", "label"]),
    ("guardrails.rows", &["category", "executor", "model", "failed_sessions", "share", "remedy"]),
    ("alerts.rows", &["time", "type", "severity", "executor", "task_id", "occurrences"]),
    ("alerts.recomputed", &["time", "type", "severity", "executor", "task_id", "detail"]),
    ("alerts.comparison", &["type", "recorded", "recomputed", "recorded_failed_rate", "recomputed_failed_rate"]),
    ("costs.rows", &["day", "model", "cost_usd", "estimated_cost_usd", "sessions", "total_tokens"]),
    ("costs.per_model", &["model", "cost_usd", "estimated_cost_usd", "cost_per_success", "sessions", "successes"]),
    ("costs.runaway", &["attempt_id", "task_id", "model", "cost_usd", "cost_source", "start"]),
    ("tools.rows", &["tool_name", "failure_rate", "failures", "calls", "latency_p50_ms", "latency_p95_ms"]),
    ("git.rows", &["attempt_id", "task_id", "model", "success", "diff_lines_added", "diff_lines_deleted"]),
    ("executors.rows", &["key", "success_rate", "success_n", "avg_cost_usd", "avg_duration_ms", "sessions"]),
    ("error_clusters.rows", &["sample_message", "count", "tasks", "categories", "last_seen", "fingerprint"]),
    ("error_clusters.correlation", &["fingerprint", "count", "by_executor", "by_model", "tasks", "sessions"]),
    ("diagnostics.by_source", &["source", "sessions", "files", "shared_kept", "shared_dropped", "skipped_lines"]),
    ("diagnostics.sources", &["name", "container", "lines", "skipped", "duplicates", "error"]),
    ("comparison.rows", &["figure", "a", "b", "difference", "interval_95", "flagged"]),
];

/// Tables whose rows are exactly what a chart beside them draws.
const REPEATS_A_CHART: &[&str] = &[
    "model_scores.scatter",
    "provider_heatmap.cells",
    "provider_heatmap.hourly",
    "alerts.by_day",
    "executors.by_day",
    "distributions.cost_histogram",
    "distributions.duration_histogram",
    "distributions.tokens_histogram",
];

/// The columns of table `id` (`section.field`) in the order shown, each with whether it is shown
/// by default: the table's answers first (those it has), then the rest in the report's order,
/// hidden. A table without a list shows its first [`MAX_DEFAULT`] columns.
pub fn plan(id: &str, columns: &[String]) -> Vec<(String, bool)> {
    let answers: Vec<&str> = match ANSWERS.iter().find(|(t, _)| *t == id) {
        Some((_, a)) => a.iter().copied().filter(|a| columns.iter().any(|c| c == a)).take(MAX_DEFAULT).collect(),
        None => columns.iter().take(MAX_DEFAULT).map(String::as_str).collect(),
    };
    let mut out: Vec<(String, bool)> = answers.iter().map(|a| (a.to_string(), true)).collect();
    out.extend(columns.iter().filter(|c| !answers.contains(&c.as_str())).map(|c| (c.clone(), false)));
    out
}

/// Whether table `id` only repeats its section's chart (shown behind "Show data").
pub fn repeats_a_chart(id: &str) -> bool {
    REPEATS_A_CHART.contains(&id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_answer_comes_next_to_the_key() {
        // model_scores as the report writes it: Score is column 19 of 22
        let all = cols(&[
            "key",
            "sessions",
            "success_rate",
            "success_n",
            "first_shot_rate",
            "first_shot_n",
            "avg_cost_usd",
            "cost_n",
            "errors",
            "avg_errors",
            "retry_rate",
            "retry_n",
            "total_cost_usd",
            "estimated_cost_usd",
            "estimated_n",
            "total_tokens",
            "tokens_n",
            "cost_per_success",
            "score",
            "cost_term_known",
            "flags",
            "dominant_error_category",
        ]);
        let p = plan("model_scores.rows", &all);
        let shown: Vec<&str> = p.iter().filter(|(_, s)| *s).map(|(c, _)| c.as_str()).collect();
        assert_eq!(shown, ["key", "score", "success_rate", "success_n", "avg_cost_usd", "flags"]);
        // every column is still there, once, the hidden ones in the report's order
        assert_eq!(p.len(), all.len());
        let hidden: Vec<&str> = p.iter().filter(|(_, s)| !*s).map(|(c, _)| c.as_str()).collect();
        assert_eq!(&hidden[..3], ["sessions", "first_shot_rate", "first_shot_n"]);
        assert_eq!(hidden.last(), Some(&"dominant_error_category"));
    }

    #[test]
    fn columns_a_table_lacks_are_skipped_and_unknown_tables_show_their_first_six() {
        let p = plan("task_risk.rows", &cols(&["task_id", "sessions", "risk", "extra"]));
        assert_eq!(
            p,
            [("task_id".into(), true), ("risk".into(), true), ("sessions".into(), true), ("extra".into(), false)]
        );
        let many = cols(&["a", "b", "c", "d", "e", "f", "g", "h"]);
        let p = plan("sessions", &many);
        assert_eq!(p.iter().filter(|(_, s)| *s).count(), MAX_DEFAULT);
        assert_eq!(p.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(), many);
    }

    #[test]
    fn every_list_holds_at_most_six_and_no_name_twice() {
        for (t, a) in ANSWERS {
            assert!(a.len() <= MAX_DEFAULT, "{t}");
            let mut seen = a.to_vec();
            crate::model::sort::natural(&mut seen);
            seen.dedup();
            assert_eq!(seen.len(), a.len(), "{t}");
            assert!(!repeats_a_chart(t), "{t} has answers and is behind Show data");
        }
        assert!(repeats_a_chart("model_scores.scatter") && !repeats_a_chart("model_scores.rows"));
    }
}
