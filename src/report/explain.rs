//! What each section of the report is, in words written once: its title, its one-paragraph
//! explanation (what it is and how it is computed) and the captions of its tables. The HTML
//! report uses them; the page can use the same text.

use super::format;
use serde_json::Value;

/// A section's title, as the contents and its heading show it.
pub fn section_title(s: &str) -> &'static str {
    match s {
        "model_scores" => "Model quality scores",
        "executors" => "Executor comparison",
        "task_risk" => "Task planning risk",
        "provider_heatmap" => "Provider reliability",
        "error_clusters" => "Error clusters",
        "interventions" => "Intervention effectiveness",
        "guardrails" => "Guardrail gaps",
        "alerts" => "Alerts, recorded and recomputed",
        "costs" => "Cost and tokens",
        "tools" => "Tool and command reliability",
        "git" => "Git and PR context",
        "distributions" => "Spread of cost, duration and tokens",
        _ => "Section",
    }
}

/// A section's one-paragraph explanation: what it is and how it is computed, with the
/// parameters in force (`p`: the report's `parameters` as JSON; absent ones read as defaults).
pub fn section_text(s: &str, p: &Value) -> String {
    let num = |k: &str, d: f64| p.get(k).and_then(Value::as_f64).unwrap_or(d);
    match s {
        "model_scores" => format!(
            "Sessions grouped by {}. The score rewards success and penalises cost and errors: score = success rate − {} × average cost (USD) − {} × average errors per session; higher is better. Flags mark groups with many retries or one dominant error category.",
            p.get("group_by").and_then(Value::as_str).unwrap_or("model").replace('_', " "),
            num("w_cost", 0.1),
            num("w_errors", 0.02)
        ),
        "executors" => "Per executor: how many sessions succeeded, how many succeeded at the first try, and how long, how costly and how error-prone a session was on average.".into(),
        "task_risk" => "Tasks that needed many attempts, had failing tools, kept hitting the same error category or never completed; each reason names the change to the task plan that would help. Risk = (attempts − 1) + tool failures ÷ 5 + 2 × repeated error categories + 3 if the task never succeeded.".into(),
        "provider_heatmap" => format!(
            "Where the errors come from: error events per executor and error category. A spike is an hour in which an executor had at least {} rate-limit, API or model errors and {} standard deviations more than its hourly mean.",
            num("spike_min_count", 3.0),
            num("spike_sigma", 3.0)
        ),
        "error_clusters" => "Error events grouped by fingerprint (the same underlying error), with how many tasks and attempts each touched, when it was first and last seen, and the earliest message; then, per fingerprint, its events by executor and by model, the tasks it hit and the average duration of the sessions it appears in.".into(),
        "interventions" => "Do interventions help? Success rates of sessions with and without anomaly actions or auto-resume, and of the next session of a task after an intervention, each with its n and 95 % Wilson interval; when the intervals overlap the difference is labelled not significant.".into(),
        "guardrails" => "Among failed sessions: how many hit a permission wait, an auth error or a content-policy block, per executor and model, with the remedy for each.".into(),
        "alerts" => "Alerts recorded by bosun's analyser, beside the alerts recomputed from the event stream with the same rules (using event times); for each type, the share of alerted sessions that then failed.".into(),
        "costs" => format!(
            "Cost and tokens per day and model; a session counts on the day it started (in the time zone in force). Cost per successful session per model, and runaway sessions: costlier than the {} percentile of all sessions and more than {}.",
            ordinal_pct(num("runaway_percentile", 0.99)),
            format::usd(num("runaway_min_usd", 1.0))
        ),
        "tools" => "Per tool: calls, results, failed results and the latency from a call to its result (median and 95th percentile). Commands run and failed, and how many were test or lint runs.".into(),
        "git" => "What the sessions changed: commits and changed lines per session, successful sessions that changed nothing, lines changed against attempts per task, files touched by many tasks with the failure rate of those tasks, and review outcomes per model.".into(),
        "distributions" => "How a session's cost, duration and tokens spread for each model: the median (p50), the 95th percentile (p95) and the largest, over the sessions whose value is known; a wide gap between p50 and p95 means a few sessions cost far more than the typical one. A row opens the timeline of that model's largest session. Each histogram counts the sessions in view on a log scale (bins of 1, 2, 5 × 10ⁿ; 0 apart).".into(),
        _ => String::new(),
    }
}

/// A percentile as an ordinal: 0.99 → "99th".
pub fn ordinal_pct(p: f64) -> String {
    let n = (p * 100.0).round() as i64;
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A table's caption from its section and field path.
pub fn table_title(section: &str, path: &str) -> String {
    let t = match (section, path) {
        ("model_scores", "rows") => "Scores",
        ("model_scores", "scatter") => "Quality versus cost",
        ("executors", "rows") => "Executors",
        ("executors", "by_day") => "Success per executor and day",
        ("task_risk", "rows") => "Tasks by risk",
        ("provider_heatmap", "rows") => "Errors per executor",
        ("provider_heatmap", "categories") => "Errors per category",
        ("provider_heatmap", "cells") => "Errors per executor and category",
        ("provider_heatmap", "spikes") => "Spikes",
        ("provider_heatmap", "hourly") => "Hours with provider errors",
        ("error_clusters", "rows") => "Clusters",
        ("error_clusters", "correlation") => {
            "Where each fingerprint appears: executors, models, tasks and session duration"
        }
        ("interventions", "rows") => "Comparisons",
        ("interventions", "actions") => "Success of the next session after each anomaly action",
        ("guardrails", "rows") => "Failed sessions per gap, executor and model",
        ("guardrails", "totals") => "Failed sessions per gap",
        ("alerts", "rows") => "Recorded alerts",
        ("alerts", "by_type") => "Recorded alerts by type",
        ("alerts", "by_executor") => "Recorded alerts by executor",
        ("alerts", "by_day") => "Recorded alerts by day",
        ("alerts", "recomputed") => "Recomputed alerts",
        ("alerts", "comparison") => "Recorded versus recomputed, and how often alerted sessions failed",
        ("costs", "rows") => "Cost and tokens per day and model",
        ("costs", "days") => "Per day",
        ("costs", "per_model") => "Cost per successful session",
        ("costs", "runaway") => "Runaway sessions",
        ("costs", "budget") => "Daily budget",
        ("costs", "budget.days_over") => "Days over budget",
        ("tools", "rows") => "Tools",
        ("tools", "commands") => "Commands",
        ("git", "rows") => "Sessions",
        ("git", "no_change_success") => "Successful sessions without changes",
        ("git", "scope") => "Scope versus output per task",
        ("git", "hot_files") => "Hot files",
        ("git", "review") => "Review outcomes per model",
        ("distributions", "cost") => "Cost per session by model (a row opens its most expensive session)",
        ("distributions", "duration") => "Duration per session by model (a row opens its longest session)",
        ("distributions", "tokens") => "Tokens per session by model (a row opens its largest session)",
        ("distributions", "cost_histogram") => "Sessions by cost",
        ("distributions", "duration_histogram") => "Sessions by duration",
        ("distributions", "tokens_histogram") => "Sessions by tokens",
        _ => "",
    };
    if t.is_empty() {
        let last = path.rsplit('.').next().unwrap_or(path).replace('_', " ");
        let mut c = last.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(ordinal_pct(0.99), "99th");
        assert_eq!(ordinal_pct(0.95), "95th");
        assert_eq!(ordinal_pct(0.01), "1st");
        assert_eq!(ordinal_pct(0.11), "11th");
        assert_eq!(ordinal_pct(0.22), "22nd");
    }

    #[test]
    fn every_section_has_a_title_and_a_text() {
        for s in super::super::charts::SECTIONS {
            assert_ne!(section_title(s), "Section", "{s}");
            assert!(!section_text(s, &Value::Null).is_empty(), "{s}");
        }
        assert_eq!(table_title("costs", "budget.days_over"), "Days over budget");
        assert_eq!(table_title("x", "a.some_field"), "Some field");
    }
}
