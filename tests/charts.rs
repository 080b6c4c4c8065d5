//! Structural tests of the SVG output, edge cases, and golden files.
//!
//! Golden files: `UPDATE_GOLDEN=1 cargo test` writes tests/golden_charts/*.svg; otherwise the output
//! must match them byte for byte.

use crate::support::chart_samples as fixtures;

use fixtures::*;
use spyglass::charts::*;

const W: u32 = 800;
const H: u32 = 400;

// ---------------------------------------------------------------------------------------------
// helpers

/// Contents of all <text> elements, unescaped.
fn texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = svg.lines();
    while let Some(l) = lines.next() {
        if l.starts_with("<text") {
            let mut content = String::new();
            for l in lines.by_ref() {
                if l == "</text>" {
                    break;
                }
                content.push_str(l);
            }
            out.push(
                content
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            );
        }
    }
    out
}

/// (x, y, font size, content) of each <text>. The size is the canvas one, which layout reserves
/// room for (plotters writes it divided by 1.24 into SVG).
fn placed_texts(svg: &str) -> Vec<(i32, i32, f64, String)> {
    let attr = |l: &str, name: &str| -> f64 {
        let start = l.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
        l[start..start + l[start..].find('"').expect("quote")].parse().expect("number")
    };
    let heads = svg.lines().filter(|l| l.starts_with("<text"));
    heads
        .zip(texts(svg))
        .map(|(l, t)| (attr(l, "x") as i32, attr(l, "y") as i32, attr(l, "font-size") * 1.24, t))
        .collect()
}

fn has_text(svg: &str, s: &str) -> bool {
    texts(svg).iter().any(|t| t == s)
}

/// Number of filled <rect> elements of the given colour ("#RRGGBB").
fn rects_of(svg: &str, colour: &str) -> usize {
    let needle = format!("fill=\"{colour}\"");
    svg.lines().filter(|l| l.starts_with("<rect") && l.contains(&needle)).count()
}

fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Every hit region lies inside the canvas, is well-formed and has a label.
fn check_hits(hits: &[HitRegion], w: u32, h: u32) {
    for r in hits {
        assert!(r.x0 <= r.x1 && r.y0 <= r.y1, "{r:?}");
        assert!(r.x0 >= 0 && r.y0 >= 0 && r.x1 < w as i32 && r.y1 < h as i32, "{r:?} outside {w}x{h}");
        assert!(!r.label.is_empty());
    }
}

/// No NaN/inf leaked into the SVG's coordinates.
fn check_numbers(svg: &str) {
    for l in svg.lines().filter(|l| l.starts_with('<')) {
        assert!(!l.contains("NaN") && !l.contains("inf"), "bad number in {l}");
    }
}

fn render(
    w: u32,
    h: u32,
    f: impl FnOnce(&plotters::prelude::DrawingArea<plotters::prelude::SVGBackend, plotters::coord::Shift>) -> ChartResult,
) -> (String, Vec<HitRegion>) {
    let (svg, hits) = to_svg(w, h, f).expect("render");
    check_hits(&hits, w, h);
    check_numbers(&svg);
    (svg, hits)
}

fn golden(name: &str, svg: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden_charts").join(format!("{name}.svg"));
    if matches!(std::env::var("UPDATE_GOLDEN").as_deref(), Ok("1")) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, svg).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden {}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(want == svg, "{name}: SVG differs from {}; run with UPDATE_GOLDEN=1 if intended", path.display());
}

// ---------------------------------------------------------------------------------------------
// bar chart

#[test]
fn bar_chart_structure() {
    let chart = bars();
    let (svg, hits) = render(W, H, |a| draw_bar_chart(a, &chart, &Theme::light()));
    assert_eq!(hits.len(), 5);
    assert_eq!(hits[0].label, "gpt-5-codex: score 0.734");
    assert_eq!(hits[4].label, "o3: score -0.120");
    // 4 positive bars in blue, 1 negative in vermillion
    assert_eq!(rects_of(&svg, &hex(categorical(4))), 4);
    assert_eq!(rects_of(&svg, &hex(categorical(5))), 1);
    assert!(has_text(&svg, "Model quality score"));
    assert!(has_text(&svg, "score"));
    for (name, v) in &chart.bars {
        assert!(has_text(&svg, name), "category {name}");
        assert!(has_text(&svg, &score(*v)), "value label {v}");
    }
    // the negative bar goes down from 0: its top is the bottom of the positive bars
    let pos_bottom = hits[0].y1;
    assert!((hits[4].y0 - pos_bottom).abs() <= 1, "{:?} {:?}", hits[0], hits[4]);
    assert!(hits[4].y1 > hits[4].y0 + 10);
    // taller bar for higher value
    assert!(hits[0].y0 < hits[3].y0);
    golden("bar", &svg);
}

#[test]
fn bar_chart_horizontal_long_names() {
    let chart = bars_horizontal();
    let (svg, hits) = render(W, H, |a| draw_bar_chart(a, &chart, &Theme::light()));
    assert_eq!(hits.len(), 5);
    // short names on one line; long ones, which the 32 % name column cannot hold, over two lines
    assert!(has_text(&svg, "copilot-cli / gpt-4.1"));
    for (name, _) in &chart.bars {
        assert!(drawn_whole(&svg, name), "{name}");
    }
    assert!(!svg.contains('…'));
    // the negative bar extends left of the others' start
    assert!(hits[3].x1 <= hits[0].x0 + 1 && hits[3].x0 < hits[0].x0);
    golden("bar_horizontal", &svg);
}

#[test]
fn bar_chart_edge_cases() {
    let mk = |bars: Vec<(&str, f64)>| BarChart {
        title: "t".into(),
        value_label: "v".into(),
        bars: bars.into_iter().map(|(n, v)| (n.to_string(), v)).collect(),
        horizontal: false,
        value_format: score,
        hues: vec![],
    };
    for horizontal in [false, true] {
        let cases: Vec<(Vec<(&str, f64)>, usize)> = vec![
            (vec![("only", 0.5)], 1),
            (vec![("zero", 0.0), ("also", 0.0)], 2),
            (vec![("neg", -3.0), ("neger", -7.5)], 2),
            (vec![("huge", 1e300), ("small", 1.0), ("tiny", -1e300)], 3),
            (vec![("big", 2.5e12), ("bigger", 9.9e12)], 2),
            (vec![("nan", f64::NAN), ("inf", f64::INFINITY), ("ok", 0.3), ("-inf", f64::NEG_INFINITY)], 1),
        ];
        for (bars, n) in cases {
            let mut c = mk(bars);
            c.horizontal = horizontal;
            let (_, hits) = render(W, H, |a| draw_bar_chart(a, &c, &Theme::light()));
            assert_eq!(hits.len(), n, "{:?}", c.bars);
            for h in &hits {
                assert!(h.y1 - h.y0 >= 4 && h.x1 - h.x0 >= 1, "{h:?}");
            }
        }
    }
    // many bars with long names, vertical: labels rotated or thinned, never panics
    let many: Vec<(String, f64)> = (0..60).map(|i| (format!("model-with-a-long-name-{i}"), i as f64 / 60.0)).collect();
    let c = BarChart { bars: many, ..mk(vec![]) };
    let (svg, hits) = render(W, H, |a| draw_bar_chart(a, &c, &Theme::light()));
    assert_eq!(hits.len(), 60);
    assert!(svg.contains("rotate(270"));
}

#[test]
fn dense_bars_are_each_named() {
    // 20 horizontal bars in 800×400 are 14.8 px apart, 50 vertical ones 14 px, at 13 px text:
    // every name has room (every other one was drawn). Names at least a font size apart do not
    // overlap.
    for (horizontal, n) in [(true, 20), (false, 50)] {
        let c = BarChart { bars: (0..n).map(|i| (format!("m{i}"), i as f64)).collect(), horizontal, ..bars() };
        let (svg, hits) = render(W, H, |a| draw_bar_chart(a, &c, &Theme::light()));
        assert_eq!(hits.len(), n);
        let placed = placed_texts(&svg);
        let mut at: Vec<(i32, f64)> = Vec::new();
        for (name, _) in &c.bars {
            let (x, y, px, _) = placed.iter().find(|t| &t.3 == name).unwrap_or_else(|| panic!("{name} not drawn"));
            at.push((if horizontal { *y } else { *x }, *px));
        }
        for w in at.windows(2) {
            assert!((w[1].0 - w[0].0) as f64 >= w[0].1, "{horizontal} {at:?}");
        }
    }
}

#[test]
fn long_bar_names_go_over_two_lines() {
    // six bars in 800×400 have slots of ~45 px: room for two lines of 13 px text; the names are
    // wider than the 32 % of the width a name column gets
    let names = [
        "next session after a session with anomaly actions",
        "next session after a failed session without anomaly actions",
        "with anomaly actions",
        "without anomaly actions",
        "auto_resume true",
        "auto_resume false",
    ];
    let c = BarChart {
        bars: names.iter().enumerate().map(|(i, n)| (n.to_string(), i as f64 / 10.0)).collect(),
        horizontal: true,
        ..bars()
    };
    let (svg, _) = render(W, H, |a| draw_bar_chart(a, &c, &Theme::light()));
    for name in names {
        assert!(drawn_whole(&svg, name), "{name}");
    }
    assert!(!svg.contains('…'), "no name is cut");
    // a name two lines cannot hold: its first line whole, the second cut
    let longer = BarChart { bars: vec![("next session after a failed session without any anomaly actions at all, in the same task, on another executor and model".into(), 0.5), ("short".into(), 0.4)], horizontal: true, ..bars() };
    let (svg, _) = render(W, H, |a| draw_bar_chart(a, &longer, &Theme::light()));
    let t = texts(&svg);
    let first = t.iter().position(|x| "next session after a failed session without any anomaly actions at all, in the same task, on another executor and model".starts_with(x.as_str()) && x.len() > 10).expect("first line");
    assert!(t[first + 1].ends_with('…') && t[first + 1].len() > 3, "{:?}", &t[first..first + 2]);
    // 20 of them have slots of one line: cut to one line
    let many = BarChart {
        bars: (0..20).map(|i| (format!("{} {i}", names[1]), i as f64)).collect(),
        horizontal: true,
        ..bars()
    };
    let (svg, _) = render(W, H, |a| draw_bar_chart(a, &many, &Theme::light()));
    assert!(texts(&svg).iter().filter(|t| t.contains('…')).count() == 20);
}

/// `name` is drawn as one text, or as two texts one under the other that join into it (broken
/// after a space, dropped, or after `_`, `-` or `/`, kept).
fn drawn_whole(svg: &str, name: &str) -> bool {
    let placed = placed_texts(svg);
    placed.iter().any(|t| t.3 == name)
        || placed.windows(2).any(|w| {
            let (a, b) = (&w[0], &w[1]);
            let joined =
                if a.3.ends_with(['_', '-', '/']) { format!("{}{}", a.3, b.3) } else { format!("{} {}", a.3, b.3) };
            a.0 == b.0 && b.1 > a.1 && joined == name
        })
}

#[test]
fn bar_chart_empty() {
    let c = BarChart { bars: vec![("nan".into(), f64::NAN)], ..bars() };
    let (svg, hits) = render(W, H, |a| draw_bar_chart(a, &c, &Theme::light()));
    assert!(hits.is_empty());
    assert!(has_text(&svg, EMPTY_MESSAGE));
    assert!(has_text(&svg, "Model quality score"));
    let c = BarChart { bars: vec![], ..bars() };
    let (svg, _) = render(W, H, |a| draw_bar_chart(a, &c, &Theme::dark()));
    assert!(has_text(&svg, EMPTY_MESSAGE));
}

// ---------------------------------------------------------------------------------------------
// scatter

#[test]
fn scatter_structure() {
    let chart = scatter();
    let (svg, hits) = render(W, H, |a| draw_scatter_chart(a, &chart, &Theme::light()));
    assert_eq!(hits.len(), chart.points.len());
    assert_eq!(hits[0].label, "gpt-5-codex: cost per success (USD) $0.42, success rate 81%");
    assert!(has_text(&svg, "Quality versus cost"));
    assert!(has_text(&svg, "cost per success (USD)"));
    assert!(has_text(&svg, "success rate"));
    for (name, _, _) in &chart.points {
        assert!(has_text(&svg, name), "point label {name}");
    }
    // higher success rate is higher on screen, higher cost further right
    assert!(hits[0].y0 < hits[3].y0);
    assert!(hits[4].x0 > hits[1].x0);
    golden("scatter", &svg);
}

#[test]
fn scatter_edge_cases() {
    let mk = |pts: Vec<(&str, f64, f64)>| ScatterChart {
        points: pts.into_iter().map(|(n, x, y)| (n.to_string(), x, y)).collect(),
        ..scatter()
    };
    type Case<'a> = (Vec<(&'a str, f64, f64)>, usize);
    let cases: Vec<Case> = vec![
        (vec![("one", 1.0, 1.0)], 1),
        (vec![("a", 0.0, 0.0), ("b", 0.0, 0.0)], 2),
        (vec![("neg", -5.0, -2.0), ("pos", 3.0, 4.0)], 2),
        (vec![("huge", 1e300, -1e300), ("x", 0.0, 1.0)], 2),
        (vec![("nan", f64::NAN, 1.0), ("inf", 1.0, f64::INFINITY), ("ok", 0.5, 0.5)], 1),
    ];
    for (pts, n) in cases {
        let c = mk(pts);
        let (_, hits) = render(W, H, |a| draw_scatter_chart(a, &c, &Theme::light()));
        assert_eq!(hits.len(), n);
    }
    let (svg, hits) = render(W, H, |a| draw_scatter_chart(a, &mk(vec![]), &Theme::light()));
    assert!(hits.is_empty() && has_text(&svg, EMPTY_MESSAGE) && has_text(&svg, "Quality versus cost"));
    // crowded points: labels that would overlap are left out, hit regions stay
    let mut crowded: Vec<(String, f64, f64)> =
        (0..30).map(|i| (format!("m{i}"), 1.0 + i as f64 * 0.001, 0.5)).collect();
    crowded.push(("far".into(), 100.0, 1.0));
    let c = ScatterChart { points: crowded, ..scatter() };
    let (svg, hits) = render(W, H, |a| draw_scatter_chart(a, &c, &Theme::light()));
    assert_eq!(hits.len(), 31);
    let shown = texts(&svg).iter().filter(|t| t.starts_with('m') && t[1..].parse::<u32>().is_ok()).count();
    assert!(shown < 30, "{shown}");
}

/// Shares stay within 0–100 %: a point at 98 % does not stretch the axis to 120 %.
#[test]
fn a_scatter_of_shares_stops_at_100_percent() {
    let c = ScatterChart {
        points: vec![("a".into(), 0.2, 0.98), ("b".into(), 0.5, 0.4), ("c".into(), 0.9, 1.0)],
        ..scatter()
    };
    let (svg, _) = render(W, H, |a| draw_scatter_chart(a, &c, &Theme::light()));
    let pcts: Vec<f64> = texts(&svg).iter().filter_map(|t| t.strip_suffix('%')?.trim().parse::<f64>().ok()).collect();
    assert!(pcts.contains(&100.0), "a tick at 100 %: {pcts:?}");
    assert!(pcts.iter().all(|&p| p <= 100.0), "none past 100 %: {pcts:?}");
}

#[test]
fn a_scatter_names_what_it_could_not_plot() {
    let c = ScatterChart { not_plotted: vec!["claude-sonnet-4".into()], ..scatter() };
    let (svg, _) = render(W, H, |a| draw_scatter_chart(a, &c, &Theme::light()));
    assert!(
        texts(&svg).iter().any(|t| t.ends_with("· not plotted (a value unknown): claude-sonnet-4")),
        "{:?}",
        texts(&svg)
    );
    assert!(c.summary().ends_with(" Not plotted (a value unknown): claude-sonnet-4."), "{}", c.summary());
    // more than three: the first three named, the rest counted
    let many = ScatterChart { not_plotted: (1..=5).map(|i| format!("t{i}")).collect(), ..scatter() };
    assert_eq!(many.not_plotted_note(), "not plotted (a value unknown): t1, t2, t3 +2 more");
    // every point plotted: the axis title alone
    assert_eq!(scatter().not_plotted_note(), "");
    assert!(!scatter().summary().contains("plotted"));
}

// ---------------------------------------------------------------------------------------------
// heatmap

#[test]
fn heatmap_structure() {
    let chart = heatmap();
    let (svg, hits) = render(W, H, |a| draw_heatmap(a, &chart, &Theme::light()));
    assert_eq!(hits.len(), chart.rows.len() * chart.cols.len());
    assert_eq!(hits[0].label, "codex × rate_limit: 12");
    let all = texts(&svg);
    // every count printed: the multiset of cell texts equals the values
    let mut want: Vec<String> = chart.values.iter().flatten().map(|v| count(*v)).collect();
    let mut got: Vec<String> = all.iter().filter(|t| t.parse::<u32>().is_ok()).cloned().collect();
    // the colour-scale labels (0 and 31) are numbers too
    for scale_label in ["0", "31"] {
        let pos = got.iter().position(|t| t == scale_label).expect("scale label");
        got.remove(pos);
    }
    want.sort();
    got.sort();
    assert_eq!(got, want);
    for r in &chart.rows {
        assert!(has_text(&svg, r), "row {r}");
    }
    // column names whole: "context_window" over two lines (rotated, side by side), not cut
    for c in chart.cols.iter().filter(|c| *c != "context_window") {
        assert!(has_text(&svg, c), "column {c}");
    }
    assert!(has_text(&svg, "context_") && has_text(&svg, "window"));
    assert!(!all.iter().any(|t| t.contains('…')), "{all:?}");
    assert!(has_text(&svg, "executor") && has_text(&svg, "error category"));
    // cell text contrasts with its cell: the darkest cell (31) is written in white
    assert!(svg.contains("fill=\"#FFFFFF\">\n31\n</text>"));
    assert!(svg.contains("fill=\"#000000\">\n1\n</text>"));
    // hit regions tile the grid without overlapping
    for (i, a) in hits.iter().enumerate() {
        for b in &hits[i + 1..] {
            assert!(a.x1 < b.x0 || b.x1 < a.x0 || a.y1 < b.y0 || b.y1 < a.y0, "{a:?} {b:?}");
        }
    }
    golden("heatmap", &svg);
}

#[test]
fn heatmap_edge_cases() {
    let zero = Heatmap { values: vec![vec![0.0; 8]; 4], ..heatmap() };
    let (svg, hits) = render(W, H, |a| draw_heatmap(a, &zero, &Theme::light()));
    assert!(hits.is_empty() && has_text(&svg, EMPTY_MESSAGE) && has_text(&svg, "Errors by executor and category"));
    let none = Heatmap { rows: vec![], values: vec![], ..heatmap() };
    let (svg, _) = render(W, H, |a| draw_heatmap(a, &none, &Theme::light()));
    assert!(has_text(&svg, EMPTY_MESSAGE));
    // ragged values, NaN, one cell, huge values
    let ragged = Heatmap { values: vec![vec![1.0, f64::NAN], vec![], vec![3.0]], ..heatmap() };
    let (svg, hits) = render(W, H, |a| draw_heatmap(a, &ragged, &Theme::light()));
    assert_eq!(hits.len(), 32);
    assert!(hits.iter().any(|h| h.label == "codex × api_error: no value"));
    assert!(has_text(&svg, "–"));
    let one = Heatmap { rows: vec!["r".into()], cols: vec!["c".into()], values: vec![vec![1e300]], ..heatmap() };
    let (_, hits) = render(W, H, |a| draw_heatmap(a, &one, &Theme::dark()));
    assert_eq!(hits.len(), 1);
    // 40 × 40 cells: tiny text but every cell still has its count
    let big = Heatmap {
        rows: (0..40).map(|i| format!("row {i}")).collect(),
        cols: (0..40).map(|i| format!("column number {i}")).collect(),
        values: (0..40).map(|r| (0..40).map(|c| ((r * c) % 97) as f64).collect()).collect(),
        ..heatmap()
    };
    let (svg, hits) = render(W, H, |a| draw_heatmap(a, &big, &Theme::light()));
    assert_eq!(hits.len(), 1600);
    assert!(texts(&svg).len() >= 1600);
}

// ---------------------------------------------------------------------------------------------
// line chart

#[test]
fn line_chart_structure() {
    let chart = line();
    let (svg, all) = render(W, H, |a| draw_line_chart(a, &chart, &Theme::light()));
    let hits = data_hits(&all);
    let vertices: usize = chart.series.iter().map(|s| s.points.len()).sum();
    assert_eq!(hits.len(), vertices + chart.markers.len());
    // then a legend entry per series, then a column per hour
    let legend: Vec<_> = all.iter().filter(|h| h.kind == HitKind::Legend).collect();
    assert_eq!(legend.len(), 3);
    assert_eq!(legend[1].name.as_deref(), Some("api_error · gemini-cli"));
    assert_eq!(all.iter().filter(|h| matches!(h.kind, HitKind::Column(_))).count(), 48);
    // vertex tooltips in the chart's time zone (UTC+1)
    assert_eq!(hits[0].label, "rate_limit · codex at 2026-02-09 01:00: 0");
    // marker tooltips at the end, as given
    assert_eq!(hits[vertices].label, chart.markers[0].3);
    // markers are red triangles (polygons)
    assert_eq!(svg.matches("<polygon").count(), chart.markers.len() + 1 /* legend */);
    // legend
    for s in &chart.series {
        assert!(has_text(&svg, &s.name), "legend {}", s.name);
    }
    assert!(has_text(&svg, "spike"));
    assert!(has_text(&svg, "Errors per hour") && has_text(&svg, "errors per hour"));
    assert!(has_text(&svg, "Time (UTC+01:00, 2026)"));
    assert!(has_text(&svg, "02-10 00:00"), "{:?}", texts(&svg));
    // a marker sits on its vertex
    let m = &hits[vertices];
    let v = &hits[14];
    assert!(m.contains((v.x0 + v.x1) / 2, (v.y0 + v.y1) / 2));
    golden("line", &svg);
}

#[test]
fn line_chart_edge_cases() {
    let mk = |series: Vec<Vec<(i64, f64)>>, markers: Vec<(usize, i64, f64, String)>| LineChart {
        series: series
            .into_iter()
            .enumerate()
            .map(|(i, p)| TimeSeries { name: format!("s{i}"), points: p, ..Default::default() })
            .collect(),
        markers,
        ..line()
    };
    // one point
    let (_, hits) = render(W, H, |a| draw_line_chart(a, &mk(vec![vec![(T0, 3.0)]], vec![]), &Theme::light()));
    assert_eq!(data_hits(&hits).len(), 1);
    // unsorted, NaN, inf and an empty series
    let c = mk(
        vec![vec![(T0 + HOUR, 1.0), (T0, f64::NAN), (T0 - HOUR, 2.0), (T0 + 2 * HOUR, f64::INFINITY)], vec![]],
        vec![],
    );
    let (_, hits) = render(W, H, |a| draw_line_chart(a, &c, &Theme::light()));
    let hits = data_hits(&hits);
    assert_eq!(hits.len(), 2);
    assert!(hits[0].x0 < hits[1].x0, "sorted by time");
    // negative and huge values, a span of years, extreme timestamps
    let c = mk(
        vec![vec![(0, -1e300), (T0, 1e300)], vec![(i64::MIN, 1.0), (i64::MAX, 2.0)]],
        vec![(7, T0, f64::NAN, "bad".into())],
    );
    let (_, hits) = render(W, H, |a| draw_line_chart(a, &c, &Theme::dark()));
    assert_eq!(data_hits(&hits).len(), 4);
    // span of days: date labels
    let days = mk(vec![(0..30).map(|d| (T0 + d * DAY, d as f64)).collect()], vec![]);
    let (svg, _) = render(W, H, |a| draw_line_chart(a, &days, &Theme::light()));
    assert!(texts(&svg).iter().any(|t| t.len() == 5 && t.starts_with("02-")), "{:?}", texts(&svg));
    // empty
    for c in [mk(vec![], vec![]), mk(vec![vec![], vec![(T0, f64::NAN)]], vec![])] {
        let (svg, hits) = render(W, H, |a| draw_line_chart(a, &c, &Theme::light()));
        assert!(hits.is_empty() && has_text(&svg, EMPTY_MESSAGE) && has_text(&svg, "Errors per hour"));
    }
}

/// The hit regions of data marks (not legend entries or columns).
fn data_hits(hits: &[HitRegion]) -> Vec<HitRegion> {
    hits.iter().filter(|h| h.kind == HitKind::Data).cloned().collect()
}

fn columns_of(hits: &[HitRegion]) -> Vec<(HitRegion, Column)> {
    hits.iter()
        .filter_map(|h| match &h.kind {
            HitKind::Column(c) => Some((h.clone(), c.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn line_chart_columns_list_every_series_at_a_time() {
    // two series, one missing the middle hour
    let chart = LineChart {
        series: vec![
            TimeSeries {
                name: "a".into(),
                points: vec![(T0, 1.0), (T0 + HOUR, 5.0), (T0 + 2 * HOUR, 2.0)],
                ..Default::default()
            },
            TimeSeries { name: "b".into(), points: vec![(T0, 3.0), (T0 + 2 * HOUR, 2.0)], ..Default::default() },
        ],
        markers: vec![],
        hues: vec![],
        ..line()
    };
    let (_, hits) = render(W, H, |a| draw_line_chart(a, &chart, &Theme::light()));
    let cols = columns_of(&hits);
    assert_eq!(cols.len(), 3);
    // in the chart's time zone (UTC+1), by value descending, ties by name
    let (_, first) = &cols[0];
    assert_eq!(first.time, "2026-02-09 01:00");
    let rows: Vec<(&str, &str)> = first.rows.iter().map(|r| (r.name.as_str(), r.value.as_str())).collect();
    assert_eq!(rows, [("b", "3"), ("a", "1")]);
    assert_eq!(first.rows[0].colour, hex(categorical(1)).to_lowercase());
    // b has no point at the middle hour: left out
    let rows: Vec<&str> = cols[1].1.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(rows, ["a"]);
    let rows: Vec<&str> = cols[2].1.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(rows, ["a", "b"]);
    // the columns tile the plot: each from half-way to its neighbours, the crosshair inside
    for w in cols.windows(2) {
        assert_eq!(w[0].0.x1 + 1, w[1].0.x0);
    }
    for (h, c) in &cols {
        assert!(h.x0 <= c.x && c.x <= h.x1 && h.y0 == c.y0 && h.y1 == c.y1);
        assert!(h.label.starts_with(&c.time));
    }
    // isolating b: its columns only, a greyed in the legend
    let (_, hits) = render(W, H, |a| draw_line_chart_only(a, &chart, &Theme::light(), Some("b")));
    let cols = columns_of(&hits);
    assert_eq!(cols.len(), 2);
    assert!(cols.iter().all(|(_, c)| c.rows.len() == 1 && c.rows[0].name == "b"));
    assert!(data_hits(&hits).iter().all(|h| h.name.as_deref() == Some("b")));
    let legend: Vec<_> = hits.iter().filter(|h| h.kind == HitKind::Legend).collect();
    assert_eq!(legend.len(), 2, "both still listed");
    assert_eq!(legend[1].label, "b: click to show every series");
    assert_eq!(legend[0].label, "a: click to show only this series");
    // a name no series has: every series
    let (_, all) = render(W, H, |a| draw_line_chart_only(a, &chart, &Theme::light(), Some("zzz")));
    assert_eq!(columns_of(&all).len(), 3);
}

#[test]
fn rate_intervals_are_drawn_as_bands_and_said_in_tooltips() {
    let pct = |v: f64| format!("{:.0} %", v * 100.0);
    let chart = LineChart {
        series: vec![TimeSeries {
            name: "CODEX".into(),
            points: vec![(T0, 0.625), (T0 + DAY, 0.5)],
            intervals: vec![
                Interval { t: T0, lo: 0.306, hi: 0.863, n: 8 },
                Interval { t: T0 + DAY, lo: 0.2, hi: 0.8, n: 4 },
            ],
        }],
        markers: vec![],
        y_format: pct,
        hues: vec![],
        ..line()
    };
    let (svg, hits) = render(W, H, |a| draw_line_chart(a, &chart, &Theme::light()));
    let cols = columns_of(&hits);
    assert_eq!(cols[0].1.rows[0].value, "62 % (n = 8, 95 % CI 31 %–86 %)");
    assert!(data_hits(&hits)[1].label.ends_with(": 50 % (n = 4, 95 % CI 20 %–80 %)"));
    // the band: one translucent polygon more than the legend's (none: no markers)
    assert_eq!(svg.matches("<polygon").count(), 1);
    assert!(svg.contains("opacity=\"0.12"), "a translucent band");
    assert!(chart.summary().ends_with("; shaded: each point's 95 % interval."), "{}", chart.summary());
    // a single point's interval is a narrow bar
    let one = LineChart {
        series: vec![TimeSeries {
            name: "CODEX".into(),
            points: vec![(T0, 0.5)],
            intervals: vec![Interval { t: T0, lo: 0.2, hi: 0.8, n: 4 }],
        }],
        ..chart
    };
    let (svg, _) = render(W, H, |a| draw_line_chart(a, &one, &Theme::light()));
    assert_eq!(svg.matches("<polygon").count(), 1);
}

#[test]
fn many_series_are_small_multiples() {
    let chart = LineChart {
        series: (0..9)
            .map(|k| TimeSeries {
                name: format!("series {k}"),
                points: (0..12).map(|h| (T0 + h * HOUR, ((h + k) % 4) as f64)).collect(),
                ..Default::default()
            })
            .collect(),
        markers: vec![(8, T0 + 3 * HOUR, 3.0, "spike of series 8".into())],
        hues: vec![],
        ..line()
    };
    let (svg, hits) = render(800, 600, |a| draw_line_chart(a, &chart, &Theme::light()));
    // a panel per series, each titled with its name (no legend with "+N more")
    let titles: Vec<_> = hits.iter().filter(|h| h.kind == HitKind::Legend).collect();
    assert_eq!(titles.len(), 9);
    for k in 0..9 {
        assert!(has_text(&svg, &format!("series {k}")), "panel {k}");
    }
    assert!(!svg.contains("more"));
    // one value scale: every panel has the same tick labels
    assert_eq!(texts(&svg).iter().filter(|t| *t == "4").count(), 9, "{:?}", texts(&svg));
    // every panel's columns list all nine series
    let cols = columns_of(&hits);
    assert_eq!(cols.len(), 9 * 12);
    assert!(cols.iter().all(|(_, c)| c.rows.len() == 9));
    // the spike is on series 8's panel
    assert!(hits.iter().any(|h| h.label == "spike of series 8"));
    // three panels a row at 800 px: the fourth panel starts a row lower than the first
    assert!(titles[3].y0 > titles[0].y1 && titles[3].x0 == titles[0].x0);
    // two on a phone's 360 px, each with time labels (too narrow for a step: the first and last)
    let (svg, narrow) = render(360, 590, |a| draw_line_chart(a, &chart, &Theme::light()));
    assert_eq!(texts(&svg).iter().filter(|t| t.starts_with("02-09 ")).count(), 18, "{:?}", texts(&svg));
    // six days from 9 a.m. on a Monday: a weekly step would fall outside the data
    let week = LineChart {
        series: (0..9)
            .map(|k| TimeSeries {
                name: format!("series {k}"),
                points: (0..6).map(|d| (T0 + 9 * HOUR + d * DAY, (d + k) as f64)).collect(),
                ..Default::default()
            })
            .collect(),
        markers: vec![],
        ..line()
    };
    // (the page's text size at that width: 12 CSS px)
    let page = Theme { font_px: 24, ..Theme::light() };
    let (wsvg, _) = render(360, 590, |a| draw_line_chart(a, &week, &page));
    let labels: Vec<String> = texts(&wsvg).into_iter().filter(|t| t.starts_with("02-")).collect();
    assert_eq!(labels.len(), 18, "{labels:?}");
    assert_eq!(labels[..2], ["02-09", "02-14"]);
    let t: Vec<_> = narrow.iter().filter(|h| h.kind == HitKind::Legend).collect();
    assert!(t[1].y0 == t[0].y0 && t[2].y0 > t[0].y1 && t[2].x0 == t[0].x0);
    // isolated: one plot again, its legend the isolated series alone
    let (_, one) = render(800, 600, |a| draw_line_chart_only(a, &chart, &Theme::light(), Some("series 4")));
    let legend: Vec<_> = one.iter().filter(|h| h.kind == HitKind::Legend).collect();
    assert_eq!(legend.len(), 1);
    assert_eq!(legend[0].name.as_deref(), Some("series 4"));
}

// ---------------------------------------------------------------------------------------------
// stacked bars

#[test]
fn stacked_bars_structure() {
    let chart = stacked();
    let (svg, hits) = render(W, H, |a| draw_stacked_bars(a, &chart, &Theme::light()));
    let segments = chart.stacks.iter().flat_map(|(_, v)| v).filter(|v| **v != 0.0).count();
    assert_eq!(hits.len(), segments + 1 /* budget line */);
    assert_eq!(hits.last().map(|h| h.label.as_str()), Some("budget: $25.00"));
    assert!(hits[0].label.starts_with("2026-02-09 · "), "{}", hits[0].label);
    for (i, (name, vals)) in chart.stacks.iter().enumerate() {
        assert!(has_text(&svg, name), "legend {name}");
        let n = vals.iter().filter(|v| **v != 0.0).count();
        assert_eq!(rects_of(&svg, &hex(categorical(i))), n + 1 /* legend swatch */, "{name}");
    }
    assert!(has_text(&svg, "budget $25.00"));
    for d in &chart.categories {
        assert!(has_text(&svg, d), "category {d}");
    }
    assert!(has_text(&svg, "cost (USD)") && has_text(&svg, "Cost per day by model"));
    // stacks: within a category, segments are adjacent
    golden("stacked", &svg);
}

#[test]
fn stacked_bars_edge_cases() {
    let base = stacked();
    let empty = StackedBars { stacks: vec![("a".into(), vec![0.0; 14])], ..stacked() };
    let (svg, hits) = render(W, H, |a| draw_stacked_bars(a, &empty, &Theme::light()));
    assert!(hits.is_empty() && has_text(&svg, EMPTY_MESSAGE) && has_text(&svg, &base.title));
    let none = StackedBars { categories: vec![], ..stacked() };
    let (svg, _) = render(W, H, |a| draw_stacked_bars(a, &none, &Theme::light()));
    assert!(has_text(&svg, EMPTY_MESSAGE));
    // negatives, NaN, short series, one category, a reference line far above
    let c = StackedBars {
        categories: vec!["d1".into(), "d2".into()],
        stacks: vec![("a".into(), vec![1.0, -2.0]), ("b".into(), vec![f64::NAN]), ("c".into(), vec![3.0, 1e12])],
        reference_line: Some(("budget".into(), 1e13)),
        ..stacked()
    };
    let (_, hits) = render(W, H, |a| draw_stacked_bars(a, &c, &Theme::light()));
    assert_eq!(hits.len(), 5);
    let c = StackedBars {
        categories: vec!["only".into()],
        stacks: vec![("a".into(), vec![2.0])],
        reference_line: None,
        ..stacked()
    };
    let (_, hits) = render(W, H, |a| draw_stacked_bars(a, &c, &Theme::light()));
    assert_eq!(hits.len(), 1);
    // a NaN reference line is ignored
    let c = StackedBars { reference_line: Some(("budget".into(), f64::NAN)), ..stacked() };
    let (svg, _) = render(W, H, |a| draw_stacked_bars(a, &c, &Theme::light()));
    assert!(!texts(&svg).iter().any(|t| t.starts_with("budget")));
    // 90 days: labels thinned or rotated
    let long = StackedBars {
        categories: (0..90).map(|d| format!("2026-{:02}-{:02}", 1 + d / 28, 1 + d % 28)).collect(),
        stacks: vec![("a".into(), (0..90).map(|d| d as f64).collect())],
        ..stacked()
    };
    let (_, hits) = render(W, H, |a| draw_stacked_bars(a, &long, &Theme::light()));
    assert_eq!(hits.len(), 89 + 1);
}

// ---------------------------------------------------------------------------------------------
// all kinds

#[test]
fn every_kind_at_every_size_and_theme() {
    for (w, h) in [(800, 400), (1600, 800), (400, 300), (120, 80), (50, 30), (1, 1), (0, 0), (3000, 200)] {
        for theme in [Theme::light(), Theme::dark()] {
            render(w, h, |a| draw_bar_chart(a, &bars(), &theme));
            render(w, h, |a| draw_bar_chart(a, &bars_horizontal(), &theme));
            render(w, h, |a| draw_scatter_chart(a, &scatter(), &theme));
            render(w, h, |a| draw_heatmap(a, &heatmap(), &theme));
            render(w, h, |a| draw_line_chart(a, &line(), &theme));
            render(w, h, |a| draw_stacked_bars(a, &stacked(), &theme));
        }
    }
}

#[test]
fn hit_regions_are_relative_to_the_area() {
    // draw into the right half of a canvas: regions are in the half's own pixels
    let (_, hits) = to_svg(1600, 400, |root| {
        let (_, right) = root.split_horizontally(800);
        draw_bar_chart(&right, &bars(), &Theme::light())
    })
    .expect("render");
    let (_, alone) = render(800, 400, |a| draw_bar_chart(a, &bars(), &Theme::light()));
    assert_eq!(hits, alone);
}

#[test]
fn output_is_deterministic() {
    let a = render(W, H, |a| draw_line_chart(a, &line(), &Theme::light()));
    let b = render(W, H, |a| draw_line_chart(a, &line(), &Theme::light()));
    assert_eq!(a, b);
}

#[test]
fn summaries() {
    assert_eq!(
        bars().summary(),
        "Bar chart of score (Model quality score): highest gpt-5-codex 0.734, lowest o3 -0.120, 5 groups."
    );
    assert!(BarChart { bars: vec![], ..bars() }.summary().contains("nothing to chart"));
    assert_eq!(
        scatter().summary(),
        "Scatter chart of success rate against cost per success (USD) (Quality versus cost): 6 points; highest success rate is gpt-5-codex with 81% at cost per success (USD) $0.42."
    );
    assert_eq!(
        heatmap().summary(),
        "Heatmap of executor by error category (Errors by executor and category): 4 rows × 8 columns, total 157, largest copilot-cli × rate_limit with 31."
    );
    let l = line().summary();
    assert!(l.starts_with("Line chart of errors per hour over time (Errors per hour): 3 series from 2026-02-09 01:00 to 2026-02-11 00:00 (UTC+01:00)"), "{l}");
    assert!(l.ends_with("; 2 spikes marked."), "{l}");
    let s = stacked().summary();
    assert!(
        s.starts_with("Stacked bar chart of cost (USD) (Cost per day by model): 14 categories, 4 series, total $"),
        "{s}"
    );
    assert!(s.contains("above budget $25.00"), "{s}");
    assert!(Heatmap { values: vec![], ..heatmap() }.summary().contains("nothing to chart"));
    assert!(LineChart { series: vec![], ..line() }.summary().contains("nothing to chart"));
    assert!(StackedBars { categories: vec![], ..stacked() }.summary().contains("nothing to chart"));
}

#[test]
fn palettes() {
    assert_eq!(hex(categorical(0)), "#E69F00");
    assert_eq!(hex(categorical(7)), "#000000");
    // black on a dark background is a near-white, not the grey of "unknown"
    assert_eq!(hex(categorical_for(&Theme::dark(), 7)), "#E0E0E0");
    // one hue (blue), from its lightest tint at 0 to navy at 1; the reverse on a dark background
    assert_eq!(hex(sequential(0.0)), "#EFF5FB");
    assert_eq!(hex(sequential(1.0)), "#08306B");
    assert_eq!(hex(sequential_for(&Theme::dark(), 0.0)), "#1C2836");
    assert_eq!(hex(sequential_for(&Theme::dark(), 1.0)), "#DEEBF7");
}
