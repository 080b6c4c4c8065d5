//! The self-contained HTML report: escaping of hostile data, no external request of any kind,
//! every section with its charts, and the summary figures.

use spyglass::charts::{to_svg, Theme, EMPTY_MESSAGE};
use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::{Feed, Store};
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::charts::{charts_for, SECTIONS};
use spyglass::report::{html, Report};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

fn report_of(files: &[(&str, String)]) -> Report {
    let mut store = Store::new();
    for (name, text) in files {
        let mut feed = Feed::new(name);
        feed.push(&mut store, text.as_bytes());
        feed.finish(&mut store);
    }
    Report::compute(&Dataset::new(store), &Filters::default(), &Parameters::default())
}

/// An event of `who` = [attempt_id, task_id, task_title, executor, model].
fn event(ts: &str, who: [&str; 5], kind: &str, data: serde_json::Value) -> String {
    let [attempt, task, title, executor, model] = who;
    serde_json::json!({"timestamp": ts, "attempt_id": attempt, "task_id": task, "task_title": title, "executor": executor, "model": model, "event_type": kind, "data": data}).to_string()
}

/// Three sessions; hostile strings as task ids, titles, a model, an executor, an error message,
/// a fingerprint, a tool name, an alert type and a file name.
fn hostile_fixture() -> Vec<(&'static str, String)> {
    let a1 = |ts: &str, kind: &str, data: serde_json::Value| {
        event(ts, ["A1", "T-script<script>", SCRIPT, "CODEX", "gpt-5"], kind, data)
    };
    let a2 = |ts: &str, kind: &str, data: serde_json::Value| {
        event(ts, ["A2", IMG, IMG, "<b>EXEC</b>", "<svg onload=alert(1)>"], kind, data)
    };
    let stream = [
        a1("2026-02-09T10:00:00.000Z", "session_start", serde_json::json!({"prompt_type": "initial"})),
        a1("2026-02-09T10:00:05.000Z", "tool_call", serde_json::json!({"tool_name": "<iframe src=//evil.example>", "tool_params": {"command": "cargo test"}})),
        a1("2026-02-09T10:00:07.000Z", "tool_result", serde_json::json!({"tool_name": "<iframe src=//evil.example>", "result": "success"})),
        a1("2026-02-09T10:01:00.000Z", "error", serde_json::json!({"error_message": "<b>bad</b> & \"quoted\" 'single'", "error_category": "auth", "error_fingerprint": "<fp onmouseover=alert(1)>"})),
        a1("2026-02-09T10:05:00.000Z", "session_end", serde_json::json!({"completion_status": "completed", "cost_usd": 0.5, "total_tokens": 1000})),
        a2("2026-02-09T11:00:00.000Z", "session_start", serde_json::json!({"prompt_type": "initial"})),
        a2("2026-02-09T11:01:00.000Z", "error", serde_json::json!({"error_message": IMG, "error_category": "rate_limit", "error_fingerprint": "fp-rl"})),
        a2("2026-02-09T11:02:00.000Z", "session_end", serde_json::json!({"completion_status": "failed"})),
        "{oops".to_string(),
        // a repeat of the first line: counted once
        a1("2026-02-09T10:00:00.000Z", "session_start", serde_json::json!({"prompt_type": "initial"})),
    ]
    .join("\n");
    let metrics = serde_json::json!({"timestamp": "2026-02-09T12:00:00.000Z", "attempt_id": "A3", "task_id": "T3", "task_title": "Plain task", "executor": "CODEX", "model": "gpt-5", "metrics": {"success": true, "first_shot_success": true, "attempts": 1, "cost_usd": 0.25, "total_tokens": 500, "agent_made_commits": 1, "diff_files_changed": 1, "diff_lines_added": 3, "diff_lines_deleted": 1}}).to_string();
    let alert = serde_json::json!({"timestamp": "2026-02-09T10:02:00.000Z", "type": "<script>alert(2)</script>", "severity": "high", "attempt_id": "A1", "task_id": "T-script<script>", "executor": "CODEX"}).to_string();
    vec![
        ("agent-work-stream.jsonl", stream),
        ("agent-metrics.jsonl", metrics),
        ("<img src=x onerror=alert(1)>.jsonl", alert),
    ]
}

/// Every tag of the page: (name, the text between `<` and `>`). Data text is escaped, so every
/// `<` in the output starts a tag the renderer wrote.
fn tags(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(p) = rest.find('<') {
        let after = &rest[p + 1..];
        let end = after.find('>').expect("unclosed tag");
        let inner = &after[..end];
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        out.push((name, inner.to_string()));
        rest = &after[end + 1..];
    }
    out
}

/// The attributes of a tag's inner text (name lowercased, value unquoted), quoted values skipped
/// over as HTML parses them.
fn attributes(inner: &str) -> Vec<(String, String)> {
    let b = inner.as_bytes();
    let mut i = b.iter().position(|c| c.is_ascii_whitespace()).unwrap_or(b.len());
    let mut out = Vec::new();
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = inner[start..i].to_ascii_lowercase();
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let end = b[i + 1..].iter().position(|c| *c == q).map_or(b.len(), |k| i + 1 + k);
                value = inner[i + 1..end].to_string();
                i = end + 1;
            } else {
                let end = b[i..].iter().position(|c| c.is_ascii_whitespace()).map_or(b.len(), |k| i + k);
                value = inner[i..end].to_string();
                i = end;
            }
        }
        out.push((name, value));
    }
    out
}

const ALLOWED_TAGS: &[&str] = &[
    "!doctype",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "footer",
    "nav",
    "section",
    "h1",
    "h2",
    "h3",
    "p",
    "div",
    "span",
    "strong",
    "em",
    "code",
    "a",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd", // SVG as plotters writes it
    "svg",
    "rect",
    "text",
    "polyline",
    "polygon",
    "circle",
    "line",
    "path",
    "g",
];

fn assert_nothing_external_or_executable(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "http://",
        "https://",
        "@import",
        "<script",
        "<img",
        "<iframe",
        "<link",
        "<object",
        "<embed",
        "javascript:",
        "//evil.example\"",
    ] {
        assert!(!lower.contains(bad), "the page contains {bad:?}");
    }
    // url( only for data: (there is none at all today)
    for (i, _) in lower.match_indices("url(") {
        assert!(lower[i + 4..].trim_start_matches(['\'', '"']).starts_with("data:"), "url( to a non-data resource");
    }
    for (name, inner) in tags(html) {
        assert!(ALLOWED_TAGS.contains(&name.as_str()), "unexpected tag <{inner}>");
        for (attr, value) in attributes(&inner) {
            assert!(!attr.starts_with("on"), "event handler attribute in <{inner}>");
            assert!(
                !["src", "srcset", "xmlns", "xlink:href", "action", "formaction", "background", "poster"]
                    .contains(&attr.as_str()),
                "{attr} attribute in <{inner}>"
            );
            if attr == "href" {
                assert!(value.starts_with('#'), "link out of the page: <{inner}>");
            }
            if attr == "style" {
                assert!(!value.contains("url("), "url in a style attribute: <{inner}>");
            }
        }
    }
}

/// Charts that draw something (an empty chart is a one-line note instead of an SVG box).
fn drawn_charts(report: &Report) -> Vec<(String, String)> {
    let value = report.to_page_value();
    let mut out = Vec::new();
    for sec in SECTIONS {
        for c in charts_for(&value, sec) {
            let (svg, _) = to_svg(960, 420, |a| c.chart.draw(a, &Theme::light())).unwrap();
            if !svg.contains(EMPTY_MESSAGE) {
                out.push((c.id.clone(), c.chart.summary()));
            }
        }
    }
    out
}

#[test]
fn hostile_strings_are_text_and_nothing_is_external() {
    let report = report_of(&hostile_fixture());
    let page = html::render(&report);
    std::fs::write(std::env::temp_dir().join("spyglass-hostile.html"), &page).unwrap();

    // shown as text, escaped
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "task title as text");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "task id, title, message and file name as text");
    assert!(
        page.contains("&lt;b&gt;bad&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39;"),
        "error message with every special character"
    );
    assert!(page.contains("&lt;iframe src=//evil.example&gt;"), "tool name");
    assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"), "alert type");
    // the hostile task id and model are chart labels: plotters escapes SVG text
    assert!(page.contains("&lt;svg onload=alert(1)&gt;"), "model name in tables and charts");
    assert_nothing_external_or_executable(&page);

    // a strict policy, and no script at all
    assert_eq!(page.matches("http-equiv=\"Content-Security-Policy\"").count(), 1);
    assert!(page.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:"));
    assert!(!page.contains("script-src"));
}

#[test]
fn every_section_every_chart_and_the_summary() {
    let report = report_of(&hostile_fixture());
    let page = html::render(&report);
    let s = &report.summary;
    // the hand count of the fixture
    assert_eq!(
        (s.files, s.sessions, s.tasks, s.error_events, s.alerts, s.skipped_lines, s.duplicate_lines, s.superseded_rows),
        (3, 3, 3, 2, 1, 1, 1, 0)
    );
    assert_eq!((s.success_n, s.first_shot_n, s.total_tokens), (3, 1, Some(1500)));
    assert!((s.total_cost_usd.unwrap() - 0.75).abs() < 1e-9);

    assert!(page.contains("<h1>Spyglass report</h1>"));
    assert!(page.contains("Generated from 3 files"));
    assert!(page.contains("2026-02-09 10:00:00Z to 2026-02-09 12:00:00Z"), "time range");
    assert!(page.contains("Time zone in force: <strong>UTC</strong>"));
    for (label, value) in [
        ("sessions", "3"),
        ("tasks", "3"),
        ("success rate", "66.7 %"),
        ("first-shot rate", "100.0 %"),
        ("cost", "$0.75"),
        ("tokens", "1,500"),
        ("error events", "2"),
        ("alerts", "1"),
        ("skipped lines", "1"),
        ("duplicate lines", "1"),
        ("superseded rows", "0"),
    ] {
        let card = format!("<div class=card><div class=k>{label}</div><div class=v>{value}</div>");
        assert!(page.contains(&card), "summary card {card}");
    }
    assert!(
        page.contains("n=3: sessions with a known outcome")
            && page.contains("n=1: sessions with a known first-shot outcome")
    );

    // every section, in order, then diagnostics and parameters
    let mut at = 0;
    for id in SECTIONS.iter().copied().chain(["diagnostics", "parameters"]) {
        let tag = format!("<section id=\"{id}\"><h2>");
        let tag2 = format!("<section id={id}><h2>");
        let pos = page.find(&tag).or_else(|| page.find(&tag2)).unwrap_or_else(|| panic!("section {id}"));
        assert!(pos > at, "section {id} out of order");
        at = pos;
    }

    // two <svg> per chart that has data (light, then dark for a dark system), each in a figure
    // with its summary as caption and label
    let charts = drawn_charts(&report);
    assert!(charts.len() >= 8, "{} charts", charts.len());
    assert_eq!(page.matches("<svg").count(), 2 * charts.len());
    assert_eq!(page.matches("<svg class=dark").count(), charts.len());
    assert_eq!(page.matches("<figure").count(), charts.len());
    assert_eq!(page.matches("role=\"img\"").count(), 2 * charts.len());
    for (id, summary) in &charts {
        let summary = html::esc(summary);
        assert!(
            page.contains(&format!(
                "<figure id=\"{id}\"><svg viewBox=\"0 0 960 420\" role=\"img\" aria-label=\"{summary}\">"
            )),
            "chart {id}"
        );
        assert!(page.contains(&format!("<figcaption>{summary}</figcaption>")), "caption of {id}");
    }

    // tables: a rate with its n, a proportion with its interval, money, the diagnostics
    assert!(
        page.contains("100.0 % <span class=ci>n=2</span>"),
        "rates carry their n (gpt-5: 2 of 2 sessions succeeded)"
    );
    assert!(page.contains("95 % CI"), "proportions carry their interval");
    assert!(page.contains("<code>agent-work-stream.jsonl:9</code>"), "skipped line as file:line");
    assert!(page.contains("Parameters and filters") && page.contains("No filter: every loaded record is included."));
    // error_clusters' correlation table, after the clusters, its mean duration with its n
    let (clusters, correlation) = (
        page.find("<h3>Clusters</h3>"),
        page.find("<h3>Where each fingerprint appears: executors, models, tasks and session duration</h3>"),
    );
    assert!(clusters.is_some() && correlation > clusters, "the correlation table follows the clusters");
    assert!(
        page.contains("<th class=n title=\"avg_session_duration_ms\">avg session duration</th>")
            && !page.contains("title=\"duration_n\""),
        "duration_n shown inside its column"
    );
}

/// A model named `my-href-model` keeps its charts (the SVG check rejected any chart whose text
/// held `href`, and four charts were dropped); one named `<script>` keeps them too, as escaped
/// text, and no tag of the data gets into the page.
#[test]
fn harmless_words_in_chart_labels_keep_the_charts() {
    let mut lines = Vec::new();
    for (i, model) in ["my-href-model", SCRIPT, "xlink:href=x onload=y"].iter().enumerate() {
        for j in 0..3 {
            let who = [&*format!("A{i}{j}"), &*format!("T{i}"), "task", "CODEX", model];
            let ts = |m: u32| format!("2026-02-09T1{i}:{:02}:00.000Z", j * 10 + m);
            lines.push(event(&ts(0), who, "session_start", serde_json::json!({"prompt_type": "initial"})));
            lines.push(event(
                &ts(1),
                who,
                "tool_call",
                serde_json::json!({"tool_name": "shell", "tool_params": {"command": "cargo test"}}),
            ));
            lines.push(event(
                &ts(2),
                who,
                "tool_result",
                serde_json::json!({"tool_name": "shell", "result": "success"}),
            ));
            lines.push(event(
                &ts(3),
                who,
                "error",
                serde_json::json!({"error_message": "x", "error_category": "build", "error_fingerprint": "fp"}),
            ));
            lines.push(event(&ts(4), who, "session_end", serde_json::json!({"completion_status": if j == 0 { "failed" } else { "completed" }, "cost_usd": 0.5, "total_tokens": 1000})));
        }
    }
    let report = report_of(&[("a.jsonl", lines.join("\n"))]);
    let page = html::render(&report);
    let charts = drawn_charts(&report);
    assert!(charts.len() >= 10, "{} charts", charts.len());
    assert_eq!(page.matches("<svg").count(), 2 * charts.len(), "every chart that has data is drawn");
    assert!(page.contains(">my-href-model<"), "the name as chart text");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_nothing_external_or_executable(&page);
}

#[test]
fn long_tables_are_capped_and_point_to_the_json() {
    // 230 sessions from metrics rows: the git table lists one row per session
    let rows: Vec<String> = (0..230)
        .map(|i| {
            serde_json::json!({"timestamp": format!("2026-02-09T10:{:02}:{:02}.000Z", i / 60, i % 60), "attempt_id": format!("A{i:03}"), "task_id": format!("T{i:03}"), "executor": "CODEX", "model": "gpt-5", "metrics": {"success": i % 2 == 0, "attempts": 1, "cost_usd": 0.1, "total_tokens": 100, "agent_made_commits": 1, "diff_files_changed": 1, "diff_lines_added": 2, "diff_lines_deleted": 0}})
                .to_string()
        })
        .collect();
    let report = report_of(&[("agent-metrics.jsonl", rows.join("\n"))]);
    assert_eq!(report.git.rows.len(), 230);
    let page = html::render(&report);
    assert!(page.contains("… 30 more rows, see the JSON report"), "capped at {} rows", html::MAX_TABLE_ROWS);
    assert!(page.contains("A199") && !page.contains(">A200<"), "the first 200 rows of the git table");
    assert_nothing_external_or_executable(&page);
}

#[test]
fn filters_in_force_are_stated() {
    let mut store = Store::new();
    for (name, text) in hostile_fixture() {
        let mut feed = Feed::new(name);
        feed.push(&mut store, text.as_bytes());
        feed.finish(&mut store);
    }
    let filters = Filters { executors: vec!["CODEX".into()], task: Some("<x>".into()), ..Filters::default() };
    let params = Parameters { utc_offset_minutes: 120, ..Parameters::default() };
    let report = Report::compute(&Dataset::new(store), &filters, &params);
    let page = html::render(&report);
    assert!(page.contains("Time zone in force: <strong>UTC+02:00</strong>"));
    assert!(page.contains("executor CODEX; task “&lt;x&gt;”"));
    assert_nothing_external_or_executable(&page);
}

#[test]
fn the_checker_catches_what_it_should() {
    let ok = "<!doctype html><p title=\"a onclick=x src=y\">a &lt;img&gt;</p><a href=\"#s\">s</a>";
    assert_nothing_external_or_executable(ok);
    for bad in [
        "<p onclick=\"x\">",
        "<svg onload=x>",
        "<a href=\"//x.example\">",
        "<img src=x>",
        "<p><script>1</script>",
        "<div style=\"background:url(//x)\">",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">",
        "<foo>",
    ] {
        assert!(std::panic::catch_unwind(|| assert_nothing_external_or_executable(bad)).is_err(), "{bad}");
    }
}

/// The findings open the report: at most five, each linking to a section that exists, the data in
/// them escaped; every section with data states its headline above its explanation.
#[test]
fn findings_open_the_report_and_link_to_their_sections() {
    use spyglass::report::findings::{findings, strongest};
    let report = report_of(&hostile_fixture());
    let page = html::render(&report);
    let start = page.find("<section id=findings>").expect("a findings list");
    let end = start + page[start..].find("</section>").unwrap();
    let list = &page[start..end];
    // before the summary cards and the sections
    assert!(start < page.find("<div class=cards>").unwrap());
    let all = findings(&report);
    let top = strongest(&all, 5);
    assert!(!top.is_empty() && top.len() <= 5);
    assert_eq!(list.matches("<li>").count(), top.len());
    for f in &top {
        assert!(list.contains(&format!("<a href=\"#{}\">", f.section)), "{}", f.section);
        assert!(page.contains(&format!("<section id=\"{}\">", f.section)), "no section {}", f.section);
        assert!(list.contains(&html::esc(&f.headline)), "{}", f.headline);
    }
    // data in the headlines is escaped: the hostile names come out as text only
    for raw in ["<script", "<img", "<svg", "<b>", "<iframe", "<fp"] {
        assert!(!list.contains(raw), "{raw} in the findings");
    }
    assert!(all.iter().any(|f| f.headline.contains('<')), "the fixture puts hostile names in headlines");
    // each section's headline, escaped, right before its explanation
    for f in all.iter().filter(|f| !f.headline.is_empty()) {
        let at = page.find(&format!("<section id=\"{}\">", f.section)).unwrap();
        let sec = &page[at..];
        let headline = format!("<p class=headline>{}</p><p class=explain>", html::esc(&f.headline));
        assert!(
            sec.starts_with(&format!("<section id=\"{}\"><h2>", f.section)) && sec.contains(&headline),
            "{}",
            f.section
        );
    }
    assert_nothing_external_or_executable(&page);

    // an empty report claims nothing: no findings list
    let empty = Report::compute(&Dataset::new(Store::new()), &Filters::default(), &Parameters::default());
    assert!(!html::render(&empty).contains("<section id=findings>"));
}

#[test]
fn an_empty_report_renders() {
    let report = Report::compute(&Dataset::new(Store::new()), &Filters::default(), &Parameters::default());
    let page = html::render(&report);
    std::fs::write(std::env::temp_dir().join("spyglass-empty.html"), &page).unwrap();
    assert!(page.contains("no timestamps") && page.contains("No rows."));
    // guardrails always lists its three gaps (at 0); every other chart is empty, and an empty
    // chart is a line of text, not a box
    assert_eq!(drawn_charts(&report).len(), 1);
    assert_eq!(page.matches("<svg").count(), 2);
    assert!(page.contains("no data to show"));
    assert_nothing_external_or_executable(&page);
}

/// The page keeps a report's long arrays as JSON Lines (`report::lines`) and draws its charts from
/// them: every chart must come out as from the whole report. Cut here at 3 rows, so that nearly
/// every array is kept as text, including those a chart reads whole (days, cells, the scatter).
#[test]
fn charts_from_long_arrays_kept_as_text_are_the_same() {
    use spyglass::report::charts::{charts_from, ReportSource};
    use spyglass::report::lines::{JsonLines, LongArrays};
    let mut sink = spyglass::demo::MemorySink::default();
    spyglass::demo::generate(&spyglass::demo::DemoConfig { sessions: 120, seed: 11, ..Default::default() }, &mut sink)
        .unwrap();
    let data = Dataset::from_files(sink.files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let report = Report::compute(&data, &Filters::default(), &Parameters::default());
    let whole = report.to_page_value();
    let mut cut = serde_json::Map::new();
    let mut long = LongArrays::new();
    report.each_section(|name, json| {
        let (section, lines) = spyglass::report::split_section(&json, 3);
        for (field, text) in lines {
            long.insert(format!("{name}.{field}"), JsonLines::new(text));
        }
        cut.insert(name.to_string(), serde_json::from_str(&section).unwrap());
    });
    assert!(long.len() >= 8, "arrays kept as text: {:?}", long.keys().collect::<Vec<_>>());
    let cut = serde_json::Value::Object(cut);
    let mut drawn = 0;
    for sec in SECTIONS {
        let (a, b) = (charts_for(&whole, sec), charts_from(ReportSource { value: &cut, long: Some(&long) }, sec));
        assert_eq!(a.len(), b.len(), "{sec}");
        for (x, y) in a.iter().zip(&b) {
            let svg = |c: &spyglass::report::charts::SectionChart| {
                to_svg(960, 420, |area| c.chart.draw(area, &Theme::light())).unwrap().0
            };
            let (sx, sy) = (svg(x), svg(y));
            assert_eq!(sx, sy, "{}", x.id);
            drawn += usize::from(!sx.contains(EMPTY_MESSAGE));
        }
    }
    assert!(drawn >= 12, "{drawn} charts drawn");
    // and without the long arrays the charts of those sections would be empty: the test can fail
    let bare = charts_from(ReportSource::new(&cut), "task_risk");
    assert!(to_svg(960, 420, |area| bare[0].chart.draw(area, &Theme::light())).unwrap().0.contains(EMPTY_MESSAGE));
}
