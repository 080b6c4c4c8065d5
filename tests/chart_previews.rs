//! Renders every chart kind at 800×400 and 1600×800 (light and dark) into out/ for looking at.

use crate::support::chart_samples as fixtures;

use fixtures::*;
use spyglass::charts::*;

fn write(
    name: &str,
    w: u32,
    h: u32,
    theme: &Theme,
    draw: &dyn Fn(
        &plotters::prelude::DrawingArea<plotters::prelude::SVGBackend, plotters::coord::Shift>,
        &Theme,
    ) -> ChartResult,
) {
    let (svg, hits) = to_svg(w, h, |a| draw(a, theme)).expect("render");
    assert!(!hits.is_empty(), "{name}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/chart-previews");
    std::fs::create_dir_all(&dir).expect("out dir");
    std::fs::write(dir.join(format!("{name}_{w}x{h}.svg")), svg).expect("write");
}

#[test]
#[ignore = "writes previews to target/chart-previews for looking at: cargo test --test main chart_previews -- --ignored"]
fn render_all_to_out() {
    for (w, h) in [(800, 400), (1600, 800)] {
        for (tname, theme) in [("light", Theme::light()), ("dark", Theme::dark())] {
            let n = |k: &str| format!("{k}_{tname}");
            write(&n("bar"), w, h, &theme, &|a, t| draw_bar_chart(a, &bars(), t));
            write(&n("bar_horizontal"), w, h, &theme, &|a, t| draw_bar_chart(a, &bars_horizontal(), t));
            write(&n("scatter"), w, h, &theme, &|a, t| draw_scatter_chart(a, &scatter(), t));
            write(&n("heatmap"), w, h, &theme, &|a, t| draw_heatmap(a, &heatmap(), t));
            write(&n("line"), w, h, &theme, &|a, t| draw_line_chart(a, &line(), t));
            write(&n("stacked"), w, h, &theme, &|a, t| draw_stacked_bars(a, &stacked(), t));
        }
    }
}

#[test]
#[ignore = "writes previews to target/chart-previews for looking at: cargo test --test main chart_previews -- --ignored"]
fn render_edge_cases_to_out() {
    let t = Theme::light();
    let huge = |horizontal| BarChart {
        bars: vec![("huge".into(), 1e300), ("small".into(), 1.0), ("tiny".into(), -1e300), ("nan".into(), f64::NAN)],
        horizontal,
        ..bars()
    };
    write("edge_bar_huge", 800, 400, &t, &|a, t| draw_bar_chart(a, &huge(false), t));
    write("edge_bar_huge_h", 800, 400, &t, &|a, t| draw_bar_chart(a, &huge(true), t));
    let one = BarChart { bars: vec![("gpt-5-codex".into(), 0.734)], ..bars() };
    write("edge_bar_single", 800, 400, &t, &|a, t| draw_bar_chart(a, &one, t));
    let neg = BarChart { bars: vec![("a".into(), -0.3), ("b".into(), -0.05)], ..bars_horizontal() };
    write("edge_bar_negative_h", 800, 400, &t, &|a, t| draw_bar_chart(a, &neg, t));
    let many = BarChart {
        bars: (0..60).map(|i| (format!("model-with-a-long-name-{i}"), (i as f64 - 20.0) / 60.0)).collect(),
        ..bars()
    };
    write("edge_bar_many", 800, 400, &t, &|a, t| draw_bar_chart(a, &many, t));
    let big = Heatmap {
        rows: (0..40).map(|i| format!("row {i}")).collect(),
        cols: (0..40).map(|i| format!("column number {i}")).collect(),
        values: (0..40).map(|r| (0..40).map(|c| ((r * c) % 97) as f64).collect()).collect(),
        ..heatmap()
    };
    write("edge_heatmap_40x40", 800, 400, &t, &|a, t| draw_heatmap(a, &big, t));
    let long = StackedBars {
        categories: (0..90).map(|d| format!("2026-{:02}-{:02}", 1 + d / 28, 1 + d % 28)).collect(),
        stacks: vec![
            ("a".into(), (0..90).map(|d| d as f64 * 0.4).collect()),
            ("b".into(), (0..90).map(|d| (d % 7) as f64).collect()),
        ],
        ..stacked()
    };
    write("edge_stacked_90", 800, 400, &t, &|a, t| draw_stacked_bars(a, &long, t));
    let single = LineChart {
        series: vec![TimeSeries { name: "only".into(), points: vec![(T0, 3.0)], ..Default::default() }],
        markers: vec![],
        ..line()
    };
    write("edge_line_single", 800, 400, &t, &|a, t| draw_line_chart(a, &single, t));
    let days = LineChart {
        series: vec![TimeSeries {
            name: "cost".into(),
            points: (0..30).map(|d| (T0 + d * DAY, (d % 9) as f64)).collect(),
            ..Default::default()
        }],
        markers: vec![],
        ..line()
    };
    write("edge_line_days", 800, 400, &t, &|a, t| draw_line_chart(a, &days, t));
    let (svg, _) = to_svg(800, 400, |a| draw_bar_chart(a, &BarChart { bars: vec![], ..bars() }, &t)).expect("empty");
    std::fs::write(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/chart-previews/edge_empty_800x400.svg"),
        svg,
    )
    .expect("write");
}

#[test]
#[ignore = "writes previews to target/chart-previews for looking at: cargo test --test main chart_previews -- --ignored"]
fn render_demo_report_to_out() {
    // every chart of a demo report, light and dark: each name's colour across charts
    let mut sink = spyglass::demo::MemorySink::default();
    let cfg = spyglass::demo::DemoConfig { sessions: 150, seed: 7, ..Default::default() };
    spyglass::demo::generate(&cfg, &mut sink).expect("demo");
    let data =
        spyglass::dataset::sessions::Dataset::from_files(sink.files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let params = spyglass::pipelines::Parameters::default();
    let report = spyglass::report::Report::compute(&data, &spyglass::pipelines::Filters::default(), &params);
    let value: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
    for section in spyglass::report::charts::SECTIONS {
        for c in spyglass::report::charts::charts_for(&value, section) {
            for (tname, theme) in [("light", Theme::light()), ("dark", Theme::dark())] {
                write(&format!("report_{}_{tname}", c.id), 800, 400, &theme, &|a, t| c.chart.draw(a, t));
            }
        }
    }
}
