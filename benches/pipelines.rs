//! Pipeline benchmark (issue 4): every pipeline recomputed from loaded records, as the page does
//! on each filter or parameter change, for 100 000 sessions. Reported next to the ingest time of
//! the same data, measured in the same run.
//!
//!   cargo bench --bench pipelines           (SPYGLASS_BENCH_SESSIONS=… to change the size)

use spyglass::dataset::sessions::Dataset;
use spyglass::ingest::Store;
use spyglass::pipelines::{self as p, Filters, Parameters, View};
use spyglass::report::Report;
use std::fmt::Write;
use std::time::Instant;

/// Compact synthetic telemetry: ~12 events per session, no payload text, 20 % without a metrics row.
fn synthesize(sessions: usize) -> String {
    let mut out = String::with_capacity(sessions * 2600);
    let executors = ["CODEX", "COPILOT", "CLAUDE"];
    let models = ["gpt-5-codex", "gpt-5-mini", "gpt-4.1", "claude-sonnet-4", "claude-opus-4", "o3"];
    let categories =
        ["rate_limit", "api_error", "auth", "build", "test", "permission_wait", "content_policy", "dependency"];
    let tools = ["shell", "edit_file", "read_file", "write_file", "search"];
    let t0: i64 = 1_770_000_000_000;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n.max(1)
    };
    for i in 0..sessions {
        let a = format!("att-{i}");
        let task = format!("task-{}", i / 3);
        let ex = executors[rnd(3) as usize];
        let model = models[rnd(6) as usize];
        let mut t = t0 + (i as i64) * 26_000 + rnd(20_000) as i64;
        let head = |t: i64, ty: &str| {
            format!(
                r#"{{"timestamp":{t},"attempt_id":"{a}","task_id":"{task}","task_title":"Task {task}","executor":"{ex}","model":"{model}","event_type":"{ty}","data":"#
            )
        };
        let _ = writeln!(
            out,
            r#"{}{{"prompt_type":"{}"}}}}"#,
            head(t, "session_start"),
            if rnd(4) == 0 { "retry" } else { "initial" }
        );
        for _ in 0..4 {
            let tool = tools[rnd(5) as usize];
            t += 1000 + rnd(30_000) as i64;
            let _ = writeln!(
                out,
                r#"{}{{"tool_name":"{tool}","tool_params":{{"command":"cargo test","file_path":"src/f{}.rs"}}}}}}"#,
                head(t, "tool_call"),
                rnd(40)
            );
            t += 500 + rnd(9000) as i64;
            let _ = writeln!(
                out,
                r#"{}{{"tool_name":"{tool}","result":"{}"}}}}"#,
                head(t, "tool_result"),
                if rnd(5) == 0 { "error" } else { "success" }
            );
        }
        for _ in 0..rnd(3) {
            t += 2000;
            let c = categories[rnd(8) as usize];
            let _ = writeln!(
                out,
                r#"{}{{"error_category":"{c}","error_fingerprint":"fp-{c}-{}","error_message":"{c} happened"}}}}"#,
                head(t, "error"),
                rnd(7)
            );
        }
        t += 5000;
        let cost = rnd(3000) as f64 / 1000.0;
        let ok = rnd(3) != 0;
        let _ = writeln!(
            out,
            r#"{}{{"completion_status":"{}","cost_usd":{cost},"total_tokens":{}}}}}"#,
            head(t, "session_end"),
            if ok { "success" } else { "failed" },
            rnd(90_000)
        );
        if rnd(5) != 0 {
            let _ = writeln!(
                out,
                r#"{{"timestamp":{t},"attempt_id":"{a}","task_id":"{task}","executor":"{ex}","model":"{model}","metrics":{{"success":{ok},"first_shot_success":{},"attempts":{},"anomaly_actions":[{}],"auto_resume":{},"cost_usd":{cost},"total_tokens":{},"agent_made_commits":{},"diff_lines_added":{},"diff_lines_deleted":{},"diff_summary":"src/a.rs | 3 ++\n src/b{}.rs | 1 -"}}}}"#,
                ok && rnd(2) == 0,
                1 + rnd(3),
                if rnd(6) == 0 { "\"kill_tool_loop\"" } else { "" },
                rnd(2) == 0,
                rnd(90_000),
                rnd(3),
                rnd(200),
                rnd(50),
                rnd(30)
            );
        }
        if rnd(20) == 0 {
            let _ = writeln!(
                out,
                r#"{{"timestamp":{t},"type":"tool_loop","severity":"medium","attempt_id":"{a}","task_id":"{task}","executor":"{ex}"}}"#
            );
        }
    }
    out
}

fn main() {
    let n: usize = std::env::var("SPYGLASS_BENCH_SESSIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let text = synthesize(n);
    let t = Instant::now();
    let mut store = Store::new();
    store.load_bytes("synthetic.jsonl", text.as_bytes());
    let ingest_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let data = Dataset::new(store);
    let sessions_ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "{} sessions, {} events, {:.0} MB of JSONL",
        data.sessions.len(),
        data.store.events.len(),
        text.len() as f64 / 1e6
    );
    println!("  ingest                 {ingest_ms:>8.1} ms");
    println!("  sessions (once a load) {sessions_ms:>8.1} ms");
    let filters = Filters::default();
    let params = Parameters::default();
    // SPYGLASS_BENCH_PROFILE=N: only recompute N times (for a profiler)
    if let Some(n) = std::env::var("SPYGLASS_BENCH_PROFILE").ok().and_then(|s| s.parse::<usize>().ok()) {
        for _ in 0..n {
            std::hint::black_box(Report::compute(&data, &filters, &params));
        }
        return;
    }
    let best = |f: &dyn Fn()| {
        (0..7)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::MAX, f64::min)
    };
    let all = best(&|| {
        std::hint::black_box(Report::compute(&data, &filters, &params));
    });
    let json = best(&|| {
        std::hint::black_box(Report::compute(&data, &filters, &params).to_json());
    });
    println!("  all pipelines (Report::compute) {all:>8.1} ms   = {:.1} % of ingest time", all / ingest_ms * 100.0);
    println!("  … and serialised to JSON        {json:>8.1} ms");
    let view_ms = best(&|| {
        std::hint::black_box(View::new(&data, &filters, &params));
    });
    println!("  of which the filtered view      {view_ms:>8.1} ms");
    let view = View::new(&data, &filters, &params);
    macro_rules! each {
        ($($m:ident),*) => {$(
            let ms = best(&|| { std::hint::black_box(p::$m::compute(&view)); });
            println!("    {:<28}{ms:>8.1} ms", stringify!($m));
        )*};
    }
    each!(
        summary,
        model_scores,
        task_risk,
        provider_heatmap,
        interventions,
        guardrails,
        alerts,
        costs,
        tools,
        git,
        executors,
        error_clusters
    );
    let narrow = Filters { executors: vec!["codex".into()], ..Default::default() };
    let filtered = best(&|| {
        std::hint::black_box(Report::compute(&data, &narrow, &params));
    });
    println!("  all pipelines, executor filter  {filtered:>8.1} ms");
    // SPYGLASS_BENCH_JSON=DIR writes the reports, to check that an optimisation changes no output
    if let Ok(dir) = std::env::var("SPYGLASS_BENCH_JSON") {
        let alt = Parameters {
            tool_loop_count: 3,
            stuck_gap_ms: 20_000,
            error_loop_count: 2,
            excessive_restarts: 1,
            utc_offset_minutes: 120,
            ..Default::default()
        };
        for (name, f, p) in [
            ("all", &filters, &params),
            ("codex", &narrow, &params),
            ("alt", &filters, &alt),
            ("alt-codex", &narrow, &alt),
        ] {
            let path = std::path::Path::new(&dir).join(format!("bench-{name}.json"));
            std::fs::write(&path, Report::compute(&data, f, p).to_json()).expect("writing the report");
        }
    }
}
