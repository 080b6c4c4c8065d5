//! End to end: an input file (see `common::input_file`) read by `Feed` (in arbitrary chunks),
//! `Dataset::new`, `Report::compute` with the default parameters and filters or (one input in two,
//! by its first byte) with arbitrary ones (any value `--params` JSON could give: finite numbers, extreme integers, aliases,
//! prices), then `to_json` and the text summary: nothing panics. (Not the HTML report: its ~20 charts a report cost
//! 30 times the rest, so ten million executions would take 17 hours of a core; the charts of
//! extreme and hostile data are drawn by `tests/extremes.rs` and `tests/html_report.rs`.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use spyglass::ingest::Store;
use spyglass::model::prices::default_prices;
use spyglass::dataset::sessions::Dataset;
use spyglass::pipelines::alerts::AlertRules;
use spyglass::pipelines::{Filters, GroupKey, Parameters};
use spyglass::report::Report;

mod common;
use common::{chunk_sizes, input_file, load, Bytes};

const FLOATS: [f64; 16] = [0.0, -0.0, 1.0, -1.0, 0.5, 0.99, 1.5, 3.0, 100.0, -100.0, 1e-300, 1e300, f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 1e-9];
const INTS: [i64; 16] = [0, 1, 2, 3, 4, 10, -1, 60_000, -60_000, 86_400_000, 1 << 40, i64::MAX, i64::MIN, i64::MAX / 2, i64::MIN / 2, i32::MAX as i64];

fn f(b: &mut Bytes<'_>) -> f64 {
    let v = b.u8();
    if v < 128 {
        FLOATS[usize::from(v) % 16]
    } else {
        // an ordinary value around the defaults
        f64::from(v - 128) / 16.0
    }
}
fn i(b: &mut Bytes<'_>) -> i64 {
    let v = b.u8();
    if v < 128 {
        INTS[usize::from(v) % 16]
    } else {
        i64::from(v - 128) * 15_000
    }
}
fn u(b: &mut Bytes<'_>) -> u64 {
    let v = b.u8();
    if v < 32 {
        [0, 1, u64::MAX, u64::MAX / 2, u32::MAX as u64, 1 << 40, 2, 1000][usize::from(v) % 8]
    } else {
        u64::from(v - 32) % 20
    }
}
fn short(b: &mut Bytes<'_>) -> String {
    let n = usize::from(b.u8() % 6);
    String::from_utf8_lossy(b.take(n)).into_owned()
}

fn params(b: &mut Bytes<'_>) -> Parameters {
    let mut p = Parameters {
        w_cost: f(b),
        w_errors: f(b),
        group_by: [GroupKey::Model, GroupKey::ExecutorVariant, GroupKey::Executor][usize::from(b.u8() % 3)],
        high_retry_rate: f(b),
        dominant_category_share: f(b),
        dominant_category_min_errors: u(b),
        spike_min_count: u(b),
        spike_sigma: f(b),
        error_loop_count: u(b),
        error_loop_window_ms: i(b),
        tool_loop_count: u(b),
        tool_loop_window_ms: i(b),
        excessive_restarts: u(b),
        cost_anomaly_usd: f(b),
        failed_session_errors: u(b),
        stuck_gap_ms: i(b),
        alert_suppress_ms: i(b),
        runaway_percentile: f(b),
        runaway_min_usd: f(b),
        daily_budget_usd: if b.u8() & 1 == 1 { Some(f(b)) } else { None },
        utc_offset_minutes: {
            let v = i(b);
            if b.u8() & 1 == 1 { v as i32 } else { (v % (24 * 60)) as i32 }
        },
        alert_rules: if b.u8() & 1 == 1 { AlertRules::Legacy } else { AlertRules::Current },
        failed_session_high_cooldown_ms: i(b),
        failed_session_transient_cooldown_ms: i(b),
        infer_categories: b.u8() & 1 == 1,
        include_estimated_cost: b.u8() & 1 == 1,
        ..Parameters::default()
    };
    let extra = b.u8();
    if extra & 1 == 1 {
        p.category_aliases.clear();
    }
    if extra & 2 == 2 {
        p.category_aliases.insert(short(b).to_lowercase(), short(b));
    }
    if extra & 4 == 4 {
        p.prices.clear();
    }
    if extra & 8 == 8 {
        let model = format!("{}*{}", short(b), short(b));
        let mut price = default_prices()[0].clone();
        (price.model, price.input, price.output, price.cached_input) = (model, f(b).abs(), f(b).abs(), None);
        p.prices.insert(0, price);
    }
    p
}

fn filters(b: &mut Bytes<'_>) -> Filters {
    let mut fl = Filters::default();
    let which = b.u8();
    if which & 1 == 1 {
        fl.since_ms = Some(i(b).wrapping_add(1_770_000_000_000));
    }
    if which & 2 == 2 {
        fl.until_ms = Some(i(b).wrapping_add(1_771_000_000_000));
    }
    if which & 4 == 4 {
        fl.executors.push(short(b));
    }
    if which & 8 == 8 {
        fl.models.push(short(b));
    }
    if which & 16 == 16 {
        fl.task = Some(short(b));
    }
    fl
}

fn render(data: &Dataset, fl: &Filters, p: &Parameters) {
    let report = Report::compute(data, fl, p);
    let json = report.to_json();
    assert!(json.starts_with('{'));
    let _ = spyglass::report::text::render(&report);
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let mut pb = Bytes(b.take(48));
    let seed = b.u16();
    let (name, bytes) = input_file(&mut b);
    let mut store = Store::new();
    load(&mut store, &name, &bytes, &mut chunk_sizes(seed));
    let dataset = Dataset::new(store);
    if pb.u8() & 1 == 0 {
        render(&dataset, &Filters::default(), &Parameters::default());
        return;
    }
    // only what `--params` could give: the parameters go through their JSON reader and its checks
    let p = params(&mut pb);
    let fl = filters(&mut pb);
    if let Ok(p) = Parameters::from_json(&serde_json::to_string(&p).unwrap()) {
        render(&dataset, &fl, &p);
    }
});
