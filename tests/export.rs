//! `spyglass export --parquet`: the tables read back with the parquet crate (schema, version,
//! row counts against the report), the same tables from a folder, a `.gz` and a `.zip`, the
//! refusal of a folder that holds files, bad input reported as `report` reports it, a failed
//! write that leaves no half-written table, and the core's row groups.

use parquet::file::reader::{FileReader, SerializedFileReader};
use spyglass::dataset::sessions::Dataset;
use spyglass::export::{Table, TableSink, Values, TABLES};
use spyglass::pipelines::{Filters, Parameters, View};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden")
}
fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spyglass")).args(args).output().expect("runs")
}
fn export(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["export".as_ref()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.extend(["--parquet".as_ref(), out.as_os_str()]);
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(&args)
}
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spyglass-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
fn report(inputs: &[&Path]) -> serde_json::Value {
    let mut args: Vec<&std::ffi::OsStr> = vec!["report".as_ref()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.push("--json".as_ref());
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every table's (rows, column names) and the file's `spyglass.schema_version`.
fn read_back(folder: &Path) -> Vec<(String, i64, Vec<String>, Option<String>)> {
    TABLES
        .iter()
        .map(|t| {
            let path = folder.join(format!("{}.parquet", t.name));
            let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
            let meta = reader.metadata().file_metadata();
            let columns = meta.schema_descr().columns().iter().map(|c| c.name().to_string()).collect();
            let version = meta
                .key_value_metadata()
                .and_then(|kv| kv.iter().find(|k| k.key == "spyglass.schema_version").and_then(|k| k.value.clone()));
            (t.name.to_string(), meta.num_rows(), columns, version)
        })
        .collect()
}

fn rows_of(tables: &[(String, i64, Vec<String>, Option<String>)], name: &str) -> i64 {
    tables.iter().find(|t| t.0 == name).map(|t| t.1).unwrap()
}

#[test]
fn the_golden_fixture_exports_every_table_with_its_schema_and_the_reports_counts() {
    let out = tmp("golden").join("out");
    let o = export(&[&golden()], &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tables = read_back(&out);
    for ((name, _, columns, version), table) in tables.iter().zip(TABLES) {
        let want: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(columns, &want, "{name}: its columns");
        assert_eq!(version.as_deref(), Some(spyglass::export::SCHEMA_VERSION), "{name}: schema version");
    }
    let r = report(&[&golden()]);
    let s = &r["summary"];
    assert_eq!(rows_of(&tables, "sessions"), s["sessions"].as_i64().unwrap());
    assert_eq!(rows_of(&tables, "events"), s["events"].as_i64().unwrap());
    assert_eq!(rows_of(&tables, "errors"), s["error_events"].as_i64().unwrap());
    assert_eq!(rows_of(&tables, "metrics_rows"), s["metrics_rows"].as_i64().unwrap());
    assert_eq!(rows_of(&tables, "alerts"), s["alerts"].as_i64().unwrap());
    assert_eq!(rows_of(&tables, "sources"), s["files"].as_i64().unwrap());
    // nothing but the tables is left in the folder (no temporary file)
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut want: Vec<String> = TABLES.iter().map(|t| format!("{}.parquet", t.name)).collect();
    want.sort();
    assert_eq!(names, want);
}

#[test]
fn a_gz_a_zip_and_a_folder_export_the_same_rows_and_filters_apply() {
    let dir = tmp("containers");
    let stream = std::fs::read(golden().join("agent-work-stream.jsonl")).unwrap();
    let gz = dir.join("agent-work-stream.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    enc.write_all(&stream).unwrap();
    enc.finish().unwrap();
    let plain = dir.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::write(plain.join("agent-work-stream.jsonl"), &stream).unwrap();
    let a = dir.join("from-gz");
    let b = dir.join("from-folder");
    assert!(export(&[&gz], &a, &[]).status.success());
    assert!(export(&[&plain], &b, &[]).status.success());
    let (ta, tb) = (read_back(&a), read_back(&b));
    for (x, y) in ta.iter().zip(&tb) {
        if x.0 != "sources" {
            assert_eq!(x.1, y.1, "{}: the same rows from a .gz and a folder", x.0);
        }
    }
    assert!(rows_of(&ta, "events") > 0);
    // a zip of the golden folder's stream
    let zip = dir.join("logs.zip");
    {
        // a stored entry, written by hand (no zip crate): local header, data, central directory
        let crc = {
            let mut c = flate2::Crc::new();
            c.update(&stream);
            c.sum()
        };
        let name = b"agent-work-stream.jsonl";
        let mut out = Vec::new();
        let header = |sig: u32, central: bool, out: &mut Vec<u8>| {
            out.extend_from_slice(&sig.to_le_bytes());
            if central {
                out.extend_from_slice(&20u16.to_le_bytes());
            }
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(stream.len() as u32).to_le_bytes());
            out.extend_from_slice(&(stream.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            if central {
                out.extend_from_slice(&[0u8; 8]);
                out.extend_from_slice(&0u32.to_le_bytes());
            }
            out.extend_from_slice(name);
        };
        header(0x04034b50, false, &mut out);
        out.extend_from_slice(&stream);
        let central_at = out.len() as u32;
        header(0x02014b50, true, &mut out);
        let central_len = out.len() as u32 - central_at;
        out.extend_from_slice(&0x06054b50u32.to_le_bytes());
        out.extend_from_slice(&[0u8; 4]);
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&central_len.to_le_bytes());
        out.extend_from_slice(&central_at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        std::fs::write(&zip, out).unwrap();
    }
    let c = dir.join("from-zip");
    let o = export(&[&zip], &c, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tc = read_back(&c);
    assert_eq!(rows_of(&tc, "events"), rows_of(&tb, "events"), "the same events from a .zip");
    // a filter keeps fewer sessions, as the report's does
    let f = dir.join("filtered");
    assert!(export(&[&golden()], &f, &["--executor", "CODEX"]).status.success());
    let g = golden();
    let mut args: Vec<&std::ffi::OsStr> = vec!["report".as_ref(), g.as_os_str()];
    args.extend(["--json", "--executor", "CODEX"].map(std::ffi::OsStr::new));
    let r: serde_json::Value = serde_json::from_slice(&run(&args).stdout).unwrap();
    assert_eq!(rows_of(&read_back(&f), "sessions"), r["summary"]["sessions"].as_i64().unwrap());
}

#[test]
fn a_folder_that_holds_files_is_refused_unless_forced() {
    let out = tmp("refused");
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = export(&[&golden()], &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already holds files") && err.contains("--force"), "{err}");
    assert!(!out.join("sessions.parquet").exists());
    let o = export(&[&golden()], &out, &["--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("sessions.parquet").exists());
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    // a file is not a folder
    let o = export(&[&golden()], &out.join("notes.txt"), &["--force"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_input_is_reported_as_report_reports_it_and_writes_nothing() {
    let dir = tmp("bad");
    std::fs::write(dir.join("junk.jsonl"), "not json\n{\"a\": 1}\n").unwrap();
    let out = dir.join("out");
    let o = export(&[&dir.join("junk.jsonl")], &out, &[]);
    let r = run(&["report".as_ref(), dir.join("junk.jsonl").as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(o.status.code(), r.status.code());
    assert_eq!(String::from_utf8_lossy(&o.stderr), String::from_utf8_lossy(&r.stderr));
    assert!(!out.join("sessions.parquet").exists());
    let missing = export(&[&dir.join("nothing-here")], &out, &[]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_write_that_fails_midway_leaves_no_table_under_its_name_nor_a_temporary_file() {
    let out = tmp("fails");
    // `events.parquet` is a folder holding a file: the rename into place fails after the
    // sessions' tables were written
    std::fs::create_dir_all(out.join("events.parquet")).unwrap();
    std::fs::write(out.join("events.parquet").join("x"), "x").unwrap();
    let o = export(&[&golden()], &out, &["--force"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!names.iter().any(|n| n.ends_with(".partial")), "{names:?}");
    assert!(out.join("sessions.parquet").is_file(), "tables written before the failure are complete");
    assert!(!out.join("errors.parquet").exists(), "nothing after it: {names:?}");
}

/// A sink that keeps row counts per table and the number of row groups.
#[derive(Default)]
struct Count {
    tables: Vec<(&'static str, usize, usize)>,
}

impl TableSink for Count {
    type Error = ();
    fn begin(&mut self, table: &Table) -> Result<(), ()> {
        self.tables.push((table.name, 0, 0));
        Ok(())
    }
    fn row_group(&mut self, table: &Table, columns: &[Values]) -> Result<(), ()> {
        let t = self.tables.last_mut().unwrap();
        assert_eq!(t.0, table.name);
        assert_eq!(columns.len(), table.columns.len());
        let n = columns[0].len();
        assert!(columns.iter().all(|c| c.len() == n), "{}: columns of one length", table.name);
        t.1 += n;
        t.2 += 1;
        Ok(())
    }
    fn end(&mut self, _: &Table) -> Result<(), ()> {
        Ok(())
    }
}

#[test]
fn tables_come_a_row_group_at_a_time() {
    let files = crate::support::files::files_of(&golden());
    let data = Dataset::from_files(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    let (filters, params) = (Filters::default(), Parameters::default());
    let view = View::new(&data, &filters, &params);
    let (mut whole, mut small) = (Count::default(), Count::default());
    spyglass::export::export(&view, 1 << 20, &mut whole).unwrap();
    spyglass::export::export(&view, 2, &mut small).unwrap();
    assert_eq!(whole.tables.len(), TABLES.len());
    for (w, s) in whole.tables.iter().zip(&small.tables) {
        assert_eq!((w.0, w.1), (s.0, s.1), "the same rows whatever the group size");
        assert_eq!(s.2, w.1.div_ceil(2), "{}: groups of at most 2 rows", s.0);
        assert!(w.2 <= 1);
    }
}

/// `sql/schema.md` is the schema the code writes (`UPDATE_GOLDEN=1` writes it again).
#[test]
fn the_schema_document_is_the_code_s() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sql/schema.md");
    let want = spyglass::export::schema_markdown();
    if matches!(std::env::var("UPDATE_GOLDEN").as_deref(), Ok("1")) {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "sql/schema.md differs from the schema in src/export/mod.rs: run UPDATE_GOLDEN=1 cargo test --test main export::");
}

/// The string columns `columns` of every row of a table, in file order (null: `None`).
fn strings(folder: &Path, table: &str, columns: &[&str]) -> Vec<Vec<Option<String>>> {
    use parquet::record::Field;
    let path = folder.join(format!("{table}.parquet"));
    let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            let row = row.unwrap();
            let fields: Vec<(&String, &Field)> = row.get_column_iter().collect();
            columns
                .iter()
                .map(|c| {
                    match fields
                        .iter()
                        .find(|(n, _)| n.as_str() == *c)
                        .unwrap_or_else(|| panic!("{table}: no column {c}"))
                        .1
                    {
                        Field::Str(s) => Some(s.clone()),
                        Field::Null => None,
                        other => panic!("{table}.{c}: not a string: {other:?}"),
                    }
                })
                .collect()
        })
        .collect()
}

/// Two folders given as two PATHs: each session and each input carries the name of the source
/// (folder, machine) it came from, as `report` names it.
#[test]
fn each_session_and_input_carries_its_source() {
    let root = tmp("sources");
    let line = |attempt: &str| {
        format!(
            r#"{{"timestamp":"2026-02-09T10:00:00.000Z","attempt_id":"{attempt}","task_id":"T-{attempt}","executor":"CODEX","model":"gpt-5-codex","metrics":{{"success":true,"cost_usd":0.5}}}}"#
        )
    };
    let laptop = root.join("laptop/.cache/agent-work-logs");
    let desk = root.join("desk/.cache/agent-work-logs");
    for (dir, attempts) in [(&laptop, ["L1", "L2"]), (&desk, ["D1", "D2"])] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("agent-metrics.jsonl"), attempts.map(line).join("\n") + "\n").unwrap();
    }
    let out = root.join("out");
    let o = export(&[&laptop, &desk], &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut sessions = strings(&out, "sessions", &["attempt_id", "source"]);
    sessions.sort();
    let s = |a: &str, b: &str| vec![Some(a.to_string()), Some(b.to_string())];
    assert_eq!(sessions, [s("D1", "desk"), s("D2", "desk"), s("L1", "laptop"), s("L2", "laptop")]);
    let sources = strings(&out, "sources", &["name", "source"]);
    // named as diagnostics.sources and the events' locators name them: after their source
    assert_eq!(sources, [s("laptop/agent-metrics.jsonl", "laptop"), s("desk/agent-metrics.jsonl", "desk")]);
    let names: Vec<_> = sources.iter().map(|r| r[0].clone()).collect();
    assert!(
        strings(&out, "metrics_rows", &["source"]).iter().all(|r| names.contains(&r[0])),
        "locators join sources.name"
    );
    // one folder: its sessions carry its name
    let one = root.join("one");
    assert!(export(&[&golden()], &one, &[]).status.success());
    assert!(strings(&one, "sessions", &["source"]).iter().all(|r| r[0].as_deref() == Some("golden")));
}
