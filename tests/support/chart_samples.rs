//! Sample inputs shaped like Spyglass's pipelines (model_scores, provider_heatmap, costs).
#![allow(dead_code)]

use spyglass::charts::*;

pub const T0: i64 = 1_770_595_200_000; // 2026-02-09 00:00 UTC
pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;

pub fn score(v: f64) -> String {
    format!("{v:.3}")
}
pub fn usd(v: f64) -> String {
    format!("${v:.2}")
}
pub fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}
pub fn count(v: f64) -> String {
    format!("{v:.0}")
}

pub fn bars() -> BarChart {
    BarChart {
        title: "Model quality score".into(),
        value_label: "score".into(),
        bars: vec![
            ("gpt-5-codex".into(), 0.734),
            ("claude-sonnet-4.5".into(), 0.69),
            ("gemini-2.5-pro".into(), 0.52),
            ("gpt-4.1".into(), 0.41),
            ("o3".into(), -0.12),
        ],
        horizontal: false,
        value_format: score,
        hues: vec![],
    }
}

pub fn bars_horizontal() -> BarChart {
    BarChart {
        title: "Model quality score by executor variant".into(),
        value_label: "score".into(),
        bars: vec![
            ("codex / gpt-5-codex-high-reasoning-with-extended-context".into(), 0.81),
            ("claude-code / claude-sonnet-4.5-20250929".into(), 0.66),
            ("copilot-cli / gpt-4.1".into(), 0.35),
            ("gemini-cli / gemini-2.5-pro-preview-06-05".into(), -0.08),
            ("opencode / qwen3-coder-480b-a35b-instruct".into(), 0.12),
        ],
        horizontal: true,
        value_format: score,
        hues: vec![],
    }
}

pub fn scatter() -> ScatterChart {
    ScatterChart {
        not_plotted: vec![],
        title: "Quality versus cost".into(),
        x_label: "cost per success (USD)".into(),
        y_label: "success rate".into(),
        points: vec![
            ("gpt-5-codex".into(), 0.42, 0.81),
            ("claude-sonnet-4.5".into(), 0.95, 0.77),
            ("gemini-2.5-pro".into(), 0.31, 0.58),
            ("gpt-4.1".into(), 0.22, 0.47),
            ("o3".into(), 1.85, 0.62),
            ("qwen3-coder".into(), 0.08, 0.39),
        ],
        x_format: usd,
        y_format: pct,
        hues: vec![],
    }
}

pub fn heatmap() -> Heatmap {
    Heatmap {
        title: "Errors by executor and category".into(),
        row_label: "executor".into(),
        col_label: "error category".into(),
        rows: vec!["codex".into(), "claude-code".into(), "copilot-cli".into(), "gemini-cli".into()],
        cols: vec![
            "rate_limit".into(),
            "api_error".into(),
            "auth".into(),
            "dependency".into(),
            "test".into(),
            "build".into(),
            "context_window".into(),
            "uncategorized".into(),
        ],
        values: vec![
            vec![12.0, 3.0, 0.0, 5.0, 17.0, 2.0, 0.0, 1.0],
            vec![4.0, 0.0, 1.0, 2.0, 9.0, 6.0, 3.0, 0.0],
            vec![31.0, 8.0, 7.0, 0.0, 4.0, 1.0, 0.0, 2.0],
            vec![0.0, 14.0, 2.0, 1.0, 6.0, 0.0, 11.0, 5.0],
        ],
        value_format: count,
    }
}

pub fn line() -> LineChart {
    let series = ["rate_limit · codex", "api_error · gemini-cli", "model_error · claude-code"]
        .iter()
        .enumerate()
        .map(|(k, name)| TimeSeries {
            name: name.to_string(),
            points: (0..48)
                .map(|h| {
                    let base = ((h * (k + 3) + k * 7) % 5) as f64 * 0.5;
                    let spike = if (k == 0 && h == 14) || (k == 1 && h == 37) { 9.0 } else { 0.0 };
                    (T0 + h as i64 * HOUR, base + spike)
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    LineChart {
        title: "Errors per hour".into(),
        y_label: "errors per hour".into(),
        series,
        markers: vec![
            (
                0,
                T0 + 14 * HOUR,
                9.0 + ((14 * 3) % 5) as f64 * 0.5,
                "spike: rate_limit · codex, 10 errors at 02-09 15:00".into(),
            ),
            (
                1,
                T0 + 37 * HOUR,
                9.0 + ((37 * 4 + 7) % 5) as f64 * 0.5,
                "spike: api_error · gemini-cli at 02-10 14:00".into(),
            ),
        ],
        y_format: count,
        utc_offset_minutes: 60,
        hues: vec![],
    }
}

pub fn stacked() -> StackedBars {
    let days: Vec<String> = (0..14).map(|d| format!("2026-02-{:02}", 9 + d)).collect();
    let models = ["gpt-5-codex", "claude-sonnet-4.5", "gemini-2.5-pro", "gpt-4.1"];
    let stacks = models
        .iter()
        .enumerate()
        .map(|(m, name)| {
            let vals = (0..days.len()).map(|d| (((d * 7 + m * 3) % 11) as f64) * (1.2 - m as f64 * 0.2)).collect();
            (name.to_string(), vals)
        })
        .collect();
    StackedBars {
        title: "Cost per day by model".into(),
        y_label: "cost (USD)".into(),
        categories: days,
        stacks,
        reference_line: Some(("budget".into(), 25.0)),
        value_format: usd,
        hues: vec![],
    }
}
