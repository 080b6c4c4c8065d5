//! Spec revision 2, "Exact sums": the same lines in any order or file split give byte-identical
//! figures. The real-writer fixture and the demo generator's output are loaded as written, then
//! with their files in other orders, then with all their lines shuffled (seeded) and re-split into
//! 1, 3 and 7 files; every section of the JSON report must be byte-identical, except
//! `diagnostics` (it lists the files and line numbers) and `summary.files` / `summary.lines`
//! (which count files and the lines as split).
//!
//! The inputs have no two metrics rows of one attempt with equal timestamps (where "read last
//! wins" would rightly make the order matter), and no two events of one attempt share a timestamp
//! without a `sequence_num` to order them.

use spyglass::demo::{generate, DemoConfig, MemorySink};
use spyglass::model::sessions::Dataset;
use spyglass::pipelines::{Filters, Parameters};
use spyglass::report::Report;
use std::path::{Path, PathBuf};

type Files = Vec<(String, Vec<u8>)>;

fn fixture_files() -> Files {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out)
            } else {
                out.push(p)
            }
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real_bosun");
    let mut paths = Vec::new();
    walk(&dir, &mut paths);
    paths.sort();
    paths.into_iter().map(|p| (p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())).collect()
}

fn demo_files(sessions: usize, seed: u64) -> Files {
    let mut sink = MemorySink::default();
    generate(&DemoConfig { sessions, seed, ..DemoConfig::default() }, &mut sink).unwrap();
    sink.files.into_iter().collect()
}

/// splitmix64: a seeded, dependency-free shuffle.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// Every line of every file (a file's BOM removed, the `\n` not kept; a `\r` stays, as the
/// reader removes it anyway).
fn all_lines(files: &Files) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (_, bytes) in files {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(bytes);
        let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        out.extend(lines.into_iter().map(<[u8]>::to_vec));
    }
    // a BOM inside a file would be read as text there but stripped at the start of a new file
    assert!(out.iter().all(|l| !l.starts_with(b"\xef\xbb\xbf")), "a line starts with a BOM mid-file");
    out
}

/// The lines shuffled and dealt into `parts` files of random sizes (none empty).
fn resplit(lines: &[Vec<u8>], parts: usize, rng: &mut Rng) -> Files {
    let mut order: Vec<&Vec<u8>> = lines.iter().collect();
    rng.shuffle(&mut order);
    let mut cuts: Vec<usize> = (0..parts - 1).map(|_| 1 + rng.below(order.len() - 1)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut files = Vec::new();
    let mut from = 0;
    for (i, to) in cuts.into_iter().chain([order.len()]).enumerate() {
        let mut bytes = Vec::new();
        for l in &order[from..to] {
            bytes.extend_from_slice(l);
            bytes.push(b'\n');
        }
        files.push((format!("part-{i}.jsonl"), bytes));
        from = to;
    }
    files
}

/// The report's sections as JSON text, without `diagnostics` and summary's files and lines.
fn figures(files: &Files, params: &Parameters) -> Vec<(String, String)> {
    let data = Dataset::from_files(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    let report = Report::compute(&data, &Filters::default(), params);
    let serde_json::Value::Object(mut map) = serde_json::to_value(&report).unwrap() else { panic!("not an object") };
    map.remove("diagnostics");
    let summary = map.get_mut("summary").and_then(|s| s.as_object_mut()).unwrap();
    summary.remove("files");
    summary.remove("lines");
    map.into_iter().map(|(k, v)| (k, serde_json::to_string_pretty(&v).unwrap())).collect()
}

/// Asserts each variant gives the figures of `files` as written, naming the first section
/// that differs and the first differing line of it.
fn check(label: &str, files: &Files, params: &Parameters) {
    let want = figures(files, params);
    let lines = all_lines(files);
    let mut variants: Vec<(String, Files)> = Vec::new();
    let mut reversed = files.clone();
    reversed.reverse();
    variants.push(("files reversed".into(), reversed));
    for seed in [1u64, 2, 3] {
        let mut rng = Rng(seed);
        let mut shuffled = files.clone();
        rng.shuffle(&mut shuffled);
        variants.push((format!("files shuffled (seed {seed})"), shuffled));
        for parts in [1usize, 3, 7] {
            variants.push((format!("lines shuffled into {parts} file(s) (seed {seed})"), resplit(&lines, parts, &mut rng)));
        }
    }
    for (name, v) in &variants {
        let got = figures(v, params);
        for ((section, a), (_, b)) in want.iter().zip(&got) {
            if a != b {
                let diff = a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y);
                panic!("{label}, {name}: section `{section}` differs; first difference at line {:?}", diff.map(|(i, (x, y))| (i + 1, x.to_string(), y.to_string())));
            }
        }
        assert_eq!(want.len(), got.len());
    }
}

#[test]
fn the_real_writer_fixture_in_any_order() {
    let files = fixture_files();
    check("real_bosun", &files, &Parameters::default());
    // with estimates included, the cost sums mix recorded and estimated nano-dollars
    check("real_bosun, estimates included", &files, &Parameters { include_estimated_cost: true, ..Parameters::default() });
    check("real_bosun, inference off", &files, &Parameters { infer_categories: false, ..Parameters::default() });
}

#[test]
fn the_demo_output_in_any_order() {
    let files = demo_files(60, 7);
    check("demo 60 sessions, seed 7", &files, &Parameters::default());
    check("demo, estimates included", &files, &Parameters { include_estimated_cost: true, ..Parameters::default() });
}
