//! One colour per name (issue 17): a name's colour comes from a hash of the name, names of one
//! set never share a colour while a slot is free, a model is the same colour in every chart of a
//! report, and the heatmap's 0 is its quietest colour. Colours are read back from the SVG.

use plotters::style::RGBColor;
use serde_json::{json, Value};
use spyglass::charts::*;
use spyglass::dataset::sessions::Dataset;
use spyglass::demo::{generate, DemoConfig, MemorySink};
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::charts::{charts_for, Chart, COLOUR_SECTIONS, SECTIONS};
use spyglass::report::Report;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// helpers

/// FNV-1a 64, written out here: what the colours are documented to be derived from.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 14_695_981_039_346_656_037;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(1_099_511_628_211);
    }
    h
}

/// The Okabe–Ito slot a name prefers: one of the seven colours, black left out.
fn preferred(s: &str) -> usize {
    (fnv1a(s) % 7) as usize
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&line[start..start + line[start..].find('"')?])
}
fn num_attr(line: &str, name: &str) -> Option<i32> {
    attr(line, name)?.parse::<f64>().ok().map(|v| v as i32)
}

fn svg_of(chart: &Chart, theme: &Theme) -> (String, Vec<HitRegion>) {
    to_svg(800, 400, |a| chart.draw(a, theme)).expect("render")
}

/// The fill of the `<rect>` a hit region is the hit of: of those under its centre, the one whose
/// centre is nearest (a thin segment's neighbours may touch its centre line).
fn rect_fill_at(svg: &str, hit: &HitRegion) -> String {
    let (cx, cy) = ((hit.x0 + hit.x1) / 2, (hit.y0 + hit.y1) / 2);
    svg.lines()
        .filter(|l| l.starts_with("<rect"))
        .filter_map(|l| {
            let (x, y, w, h) = (num_attr(l, "x")?, num_attr(l, "y")?, num_attr(l, "width")?, num_attr(l, "height")?);
            // not the background
            let under = w < 800 && x <= cx && cx <= x + w && y <= cy && cy <= y + h;
            let off = (2 * x + w - 2 * cx).abs() + (2 * y + h - 2 * cy).abs();
            under.then(|| Some((off, attr(l, "fill")?.to_string())))?
        })
        .min_by_key(|(off, _)| *off)
        .map(|(_, fill)| fill)
        .unwrap_or_else(|| panic!("no rect under {hit:?}"))
}

/// The fill of the `<circle>` centred in `hit` (a scatter point).
fn circle_fill_at(svg: &str, hit: &HitRegion) -> String {
    let (cx, cy) = ((hit.x0 + hit.x1) / 2, (hit.y0 + hit.y1) / 2);
    svg.lines()
        .filter(|l| l.starts_with("<circle") && attr(l, "fill") != Some("none"))
        .find(|l| {
            num_attr(l, "cx").is_some_and(|x| (x - cx).abs() <= 1)
                && num_attr(l, "cy").is_some_and(|y| (y - cy).abs() <= 1)
        })
        .and_then(|l| attr(l, "fill").map(str::to_string))
        .unwrap_or_else(|| panic!("no circle at {hit:?}"))
}

/// The colour of the legend swatch drawn just before the legend text `name` (a box's fill or a
/// line's stroke).
fn legend_colour(svg: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = svg.lines().collect();
    let i = (1..lines.len()).find(|&i| lines[i] == name && lines[i - 1].starts_with("<text"))?;
    lines[..i - 1].iter().rev().find_map(|l| {
        if l.starts_with("<rect") {
            attr(l, "fill").map(str::to_string)
        } else if l.starts_with("<polyline") {
            attr(l, "stroke").map(str::to_string)
        } else {
            None
        }
    })
}

/// Bar name → fill, from the hit labels ("name: value").
fn bar_colours(chart: &Chart) -> BTreeMap<String, String> {
    let (svg, hits) = svg_of(chart, &Theme::light());
    hits.iter().map(|h| (h.label.split(": ").next().unwrap_or("").to_string(), rect_fill_at(&svg, h))).collect()
}

/// Point name → fill.
fn point_colours(chart: &Chart) -> BTreeMap<String, String> {
    let (svg, hits) = svg_of(chart, &Theme::light());
    hits.iter().map(|h| (h.label.split(": ").next().unwrap_or("").to_string(), circle_fill_at(&svg, h))).collect()
}

/// Series name → the fills of its segments ("day · name: value (total …)").
fn segment_colours(chart: &Chart) -> BTreeMap<String, BTreeSet<String>> {
    let (svg, hits) = svg_of(chart, &Theme::light());
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for h in hits.iter().filter(|h| h.label.contains(" · ")) {
        let name = h.label.split(" · ").nth(1).and_then(|r| r.split(": ").next()).unwrap_or("").to_string();
        out.entry(name).or_default().insert(rect_fill_at(&svg, h));
    }
    out
}

fn chart<'a>(charts: &'a [spyglass::report::charts::SectionChart], id: &str) -> &'a Chart {
    &charts.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no chart {id}")).chart
}

fn demo_report() -> Value {
    let mut sink = MemorySink::default();
    generate(&DemoConfig { sessions: 150, seed: 7, ..DemoConfig::default() }, &mut sink).expect("demo");
    let data = Dataset::from_files(sink.files.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())));
    let r = Report::compute(&data, &Filters::default(), &Parameters::default());
    serde_json::from_str(&r.to_json()).expect("json")
}

/// A report of the given models (model scores and two days of costs), in the given order.
fn models_report(models: &[&str]) -> Value {
    let rows: Vec<Value> = models
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"key": m, "score": 0.1 + i as f64 / 10.0, "cost_per_success": 0.2 + i as f64 / 10.0, "success_rate": 0.5}))
        .collect();
    let costs: Vec<Value> = ["2026-02-09", "2026-02-10"]
        .iter()
        .flat_map(|d| models.iter().map(move |m| json!({"day": d, "model": m, "cost_usd": 1.5, "total_tokens": 1000})))
        .collect();
    let per_model: Vec<Value> = models.iter().map(|m| json!({"model": m})).collect();
    json!({
        "parameters": {"utc_offset_minutes": 0},
        "model_scores": {"group_by": "model", "rows": rows, "scatter": rows},
        "costs": {"rows": costs, "per_model": per_model},
    })
}

/// `n` names whose preferred slots all differ (so that each gets its own).
fn names_with_distinct_slots(n: usize) -> Vec<String> {
    let mut taken = BTreeSet::new();
    (0..).map(|i| format!("model-{i}")).filter(|s| taken.insert(preferred(s))).take(n).collect()
}

// ---------------------------------------------------------------------------------------------
// the assignment

#[test]
fn a_names_colour_is_its_hash_whatever_the_report_and_order() {
    let names = names_with_distinct_slots(5);
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    // two reports: other names beside them, another order
    let a = models_report(&[n[0], n[1], n[2]]);
    let b = models_report(&[n[3], n[2], n[0], n[4]]);
    for report in [&a, &b] {
        let scores = charts_for(report, "model_scores");
        let costs = charts_for(report, "costs");
        let bars = bar_colours(chart(&scores, "model_scores.score"));
        let segments = segment_colours(chart(&costs, "costs.cost_per_day"));
        for (name, fill) in &bars {
            let want = hex(categorical(preferred(name)));
            assert_eq!(fill, &want, "{name}'s bar");
            assert_eq!(segments[name], BTreeSet::from([want]), "{name}'s cost segments");
        }
    }
    // and the map itself: the same set in any order gives the same hues
    let forward = NameColours::new(&n);
    let backward = NameColours::new(n.iter().rev());
    for name in &n {
        assert_eq!(forward.hue(name), Hue::Slot(preferred(name)));
        assert_eq!(backward.hue(name), forward.hue(name));
    }
    assert_eq!(name_hash("gpt-5"), fnv1a("gpt-5"));
}

#[test]
fn names_of_one_set_share_no_colour_while_slots_remain() {
    // many sets of every size up to the palette's 8: all distinct
    for size in 1..=8 {
        for start in 0..40 {
            let names: Vec<String> = (start..start + size).map(|i| format!("executor {}", i * 7919 % 1000)).collect();
            let c = NameColours::new(&names);
            let mut slots = BTreeSet::new();
            for n in &names {
                assert!(slots.insert(c.hue(n)), "{names:?}: {n} shares {:?}", c.hue(n));
            }
            assert_eq!(slots.len(), size);
            // black (slot 7) only once the seven colours are taken
            assert_eq!(slots.contains(&Hue::Slot(7)), size == 8, "{names:?}");
        }
    }
    // past 8: every slot used, none twice before all are used twice
    for size in 9..=16 {
        let names: Vec<String> = (0..size).map(|i| format!("tool_{i}")).collect();
        let c = NameColours::new(&names);
        let mut uses = [0; 8];
        for n in &names {
            match c.hue(n) {
                Hue::Slot(s) => uses[s] += 1,
                Hue::Other => panic!("{n} grey"),
            }
        }
        assert!(uses.iter().all(|&u| u == 1 || u == 2), "{size}: {uses:?}");
    }
}

#[test]
fn a_collision_goes_to_the_later_name_in_name_order() {
    // two names preferring the same slot: the first by name keeps it, the other takes the next
    let a = "alpha-0".to_string();
    let b = (1..).map(|i| format!("beta-{i}")).find(|s| preferred(s) == preferred(&a)).expect("a twin");
    let p = preferred(&a);
    for set in [vec![&a, &b], vec![&b, &a]] {
        let c = NameColours::new(set);
        assert_eq!(c.hue(&a), Hue::Slot(p));
        assert_eq!(c.hue(&b), Hue::Slot((p + 1) % 7));
    }
}

#[test]
fn no_name_is_grey() {
    let c = NameColours::new(["unknown", "gpt-5", "(no task)"]);
    assert_eq!(c.hue("unknown"), Hue::Other);
    assert_eq!(c.hue("(no task)"), Hue::Other);
    assert_eq!(hex(Hue::Other.colour(&Theme::light())), "#999999");
    let report = models_report(&["unknown", "gpt-5"]);
    let bars = bar_colours(chart(&charts_for(&report, "model_scores"), "model_scores.score"));
    assert_eq!(bars["unknown"], "#999999");
    assert_eq!(bars["gpt-5"], hex(categorical(preferred("gpt-5"))));
}

// ---------------------------------------------------------------------------------------------
// one report's charts

#[test]
fn a_model_is_the_same_colour_in_every_chart_of_a_report() {
    let report = demo_report();
    let scores = charts_for(&report, "model_scores");
    let costs = charts_for(&report, "costs");
    let bars = bar_colours(chart(&scores, "model_scores.score"));
    let points = point_colours(chart(&scores, "model_scores.quality_vs_cost"));
    let cost = segment_colours(chart(&costs, "costs.cost_per_day"));
    let tokens = segment_colours(chart(&costs, "costs.tokens_per_day"));
    let (cost_svg, _) = svg_of(chart(&costs, "costs.cost_per_day"), &Theme::light());
    assert!(bars.len() >= 3, "{bars:?}");
    for (model, fill) in &bars {
        assert_eq!(points.get(model), Some(fill), "{model}: point");
        assert_eq!(cost.get(model), Some(&BTreeSet::from([fill.clone()])), "{model}: cost segments");
        assert_eq!(tokens.get(model), Some(&BTreeSet::from([fill.clone()])), "{model}: token segments");
        assert_eq!(legend_colour(&cost_svg, model).as_ref(), Some(fill), "{model}: legend");
    }
    // a name that is alone on its preferred slot gets it
    let distinct: BTreeSet<&String> = bars.values().collect();
    assert_eq!(distinct.len(), bars.len().min(8), "{bars:?}");
    for model in bars.keys() {
        if bars.keys().filter(|m| preferred(m) == preferred(model)).count() == 1 {
            assert_eq!(bars[model], hex(categorical(preferred(model))), "{model}");
        }
    }

    // executors: bars and lines
    let ex = charts_for(&report, "executors");
    let bars = bar_colours(chart(&ex, "executors.success"));
    let (line_svg, _) = svg_of(chart(&ex, "executors.success_over_time"), &Theme::light());
    assert!(bars.len() >= 2);
    for (executor, fill) in &bars {
        assert_eq!(legend_colour(&line_svg, executor).as_ref(), Some(fill), "{executor}: line");
    }
    assert_eq!(bars.values().collect::<BTreeSet<_>>().len(), bars.len(), "{bars:?}");
}

#[test]
fn charts_drawn_from_a_partly_parsed_report_have_the_whole_reports_colours() {
    // the page parses a section at a time, after `COLOUR_SECTIONS`: each section's charts,
    // drawn from only those, are the charts of the whole report
    // and a report whose costs name models the scores do not: their colours take slots
    let mut skewed = models_report(&["gpt-5", "o3", "claude-opus-4"]);
    let more: Vec<Value> = (0..7).map(|i| json!({"model": format!("a-model-{i}")})).collect();
    if let Some(Value::Array(per_model)) = skewed.pointer_mut("/costs/per_model") {
        per_model.extend(more);
    }
    for report in [demo_report(), skewed] {
        same_charts_from_the_colour_sections(&report);
    }
}

fn same_charts_from_the_colour_sections(report: &Value) {
    for section in SECTIONS {
        let mut part = serde_json::Map::new();
        for k in ["summary", "parameters", section].iter().chain(COLOUR_SECTIONS.iter()) {
            if let Some(v) = report.get(*k) {
                part.insert(k.to_string(), v.clone());
            }
        }
        let part = Value::Object(part);
        let (whole, partly) = (charts_for(report, section), charts_for(&part, section));
        assert_eq!(whole.len(), partly.len());
        for (w, p) in whole.iter().zip(&partly) {
            for theme in [Theme::light(), Theme::dark()] {
                assert!(svg_of(&w.chart, &theme).0 == svg_of(&p.chart, &theme).0, "{}", w.id);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// the heatmap

fn luminance(fill: &str) -> f64 {
    let c = |i: usize| u8::from_str_radix(&fill[i..i + 2], 16).expect("hex") as f64 / 255.0;
    let lin = |v: f64| if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
    0.2126 * lin(c(1)) + 0.7152 * lin(c(3)) + 0.0722 * lin(c(5))
}

#[test]
fn the_heatmaps_zero_is_its_quietest_colour() {
    let chart = Chart::Heatmap(Heatmap {
        title: "Errors".into(),
        row_label: "executor".into(),
        col_label: "category".into(),
        rows: vec!["a".into(), "b".into()],
        cols: vec!["x".into(), "y".into(), "z".into()],
        values: vec![vec![0.0, 1.0, 5.0], vec![12.0, 40.0, 3.0]],
        value_format: format_number,
    });
    for (theme, lightest) in [(Theme::light(), true), (Theme::dark(), false)] {
        let (svg, hits) = svg_of(&chart, &theme);
        let fills: Vec<(String, f64)> = hits
            .iter()
            .map(|h| {
                let f = rect_fill_at(&svg, h);
                // one hue, blue: red ≤ green ≤ blue in every cell, the 0 too
                let c = |i: usize| u8::from_str_radix(&f[i..i + 2], 16).expect("hex");
                assert!(c(1) <= c(3) && c(3) <= c(5) && c(1) < c(5), "{}: {f} is not blue", h.label);
                (h.label.clone(), luminance(&f))
            })
            .collect();
        let zero = fills.iter().find(|(l, _)| l == "a × x: 0").expect("the 0 cell").1;
        let most = fills.iter().find(|(l, _)| l == "b × y: 40").expect("the 40 cell").1;
        for (label, l) in &fills {
            if lightest {
                assert!(zero >= *l, "light: 0 is lighter than {label}");
            } else {
                assert!(zero <= *l, "dark: 0 is darker than {label}");
            }
        }
        // one hue from quiet to loud: the most is the farthest from the background
        let bg = luminance(&hex(theme.background));
        assert!((most - bg).abs() > (zero - bg).abs() + 0.5, "{theme:?}");
        // and the values grow away from the background in order
        let by = |k: &str| fills.iter().find(|(l, _)| l == k).expect(k).1;
        let order = ["a × x: 0", "a × y: 1", "b × z: 3", "a × z: 5", "b × x: 12", "b × y: 40"];
        for w in order.windows(2) {
            assert!((by(w[1]) - bg).abs() > (by(w[0]) - bg).abs(), "{w:?} {theme:?}");
        }
    }
}
