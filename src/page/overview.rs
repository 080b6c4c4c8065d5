//! Texts of the overview's cards that say more than a formatted value.

use crate::report::format;
use serde_json::Value;

/// `2026-02-09 14:00` from an ISO timestamp (`2026-02-09T14:00:05.000Z`).
pub fn short_time(iso: &str) -> String {
    iso.get(..16).unwrap_or(iso).replace('T', " ")
}

/// The cost card's second line, from the report's `summary`: how many sessions the figure counts
/// and the estimated cost of those that record none — left out, or included when the parameters
/// include it.
pub fn cost_note(summary: &Value, included: bool) -> String {
    let n = |k: &str| summary[k].as_u64().unwrap_or(0);
    let sessions = |k: u64| if k == 1 { "1 session".to_string() } else { format!("{k} sessions") };
    let est = summary["estimated_cost_usd"].as_f64().filter(|_| n("estimated_cost_n") > 0);
    match (est, included) {
        (None, _) => format!("recorded, {}", sessions(n("cost_n"))),
        (Some(e), false) => format!(
            "recorded, {} · {} estimated ({}), not included",
            sessions(n("cost_n")),
            format::usd(e),
            sessions(n("estimated_cost_n"))
        ),
        (Some(e), true) => format!(
            "{} · includes {} estimated ({})",
            sessions(n("cost_n")),
            format::usd(e),
            sessions(n("estimated_cost_n"))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_times() {
        assert_eq!(short_time("2026-02-09T14:00:05.000Z"), "2026-02-09 14:00");
        assert_eq!(short_time("2026-02-09"), "2026-02-09");
    }

    #[test]
    fn the_cost_cards_second_line() {
        let recorded_only = json!({"cost_n": 1, "estimated_cost_n": 0, "estimated_cost_usd": 0.0});
        assert_eq!(cost_note(&recorded_only, false), "recorded, 1 session");
        assert_eq!(cost_note(&recorded_only, true), "recorded, 1 session");
        let both = json!({"cost_n": 12, "estimated_cost_n": 3, "estimated_cost_usd": 1.5});
        let usd = format::usd(1.5);
        assert_eq!(
            cost_note(&both, false),
            format!("recorded, 12 sessions · {usd} estimated (3 sessions), not included")
        );
        assert_eq!(cost_note(&both, true), format!("12 sessions · includes {usd} estimated (3 sessions)"));
        assert_eq!(cost_note(&json!({}), false), "recorded, 0 sessions");
    }
}
