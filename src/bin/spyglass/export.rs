//! `spyglass export --parquet OUT/`: the normalised data (`spyglass::export`) as one Parquet file
//! per table, written a row group at a time (memory stays bounded beyond the dataset: one row
//! group of one table), Snappy-compressed, dictionary-encoded, with the schema's version in each
//! file's key-value metadata (`spyglass.schema_version`).
//!
//! A folder that already holds files is refused unless `--force`. Each table is written under a
//! hidden temporary name (`.NAME.parquet.partial`) and renamed to `NAME.parquet` once closed, so a
//! write that fails midway leaves no half-written table under a final name (the temporary file is
//! removed).

use super::{filters_arg, guards_arg, last_arg, last_timestamp, load, params_arg, parse_args, paths_or_default};
use super::{threads_arg, SHARED_FLAGS, SHARED_OPTIONS};
use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use spyglass::dataset::sessions::Dataset;
use spyglass::export::{Kind, Table, TableSink, Values, ROWS_PER_GROUP, SCHEMA_VERSION};
use spyglass::pipelines::View;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn export(args: &[String]) -> Result<(), String> {
    let with_value: Vec<&str> = SHARED_OPTIONS.iter().copied().chain(["parquet"]).collect();
    let flags: Vec<&str> = SHARED_FLAGS.iter().copied().filter(|f| *f != "json").chain(["force"]).collect();
    let args = parse_args(args, &with_value, &flags)?;
    let out = args.one("parquet").ok_or("export needs --parquet OUT (the folder the tables are written to)")?;
    let force = args.flags.iter().any(|f| f == "force");
    let out = PathBuf::from(out);
    check_folder(&out, force)?;
    let guards = guards_arg(&args);
    let threads = threads_arg(&args)?;
    let last = last_arg(&args)?;
    let mut filters = filters_arg(&args)?;
    let params = params_arg(&args)?;
    let paths = paths_or_default(&args.positional, "export")?;
    let store = load(&paths, guards, threads)?;
    if let Some(span) = last {
        let end = last_timestamp(&store).ok_or("--last: no loaded record has a timestamp to count back from")?;
        filters.since_ms = Some(end.saturating_sub(span));
    }
    let data = Dataset::new(store);
    let view = View::new(&data, &filters, &params);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut sink = ParquetSink { folder: out.clone(), open: None, written: Vec::new() };
    let result = spyglass::export::export(&view, ROWS_PER_GROUP, &mut sink);
    if let Err(e) = result {
        sink.abandon();
        return Err(e);
    }
    for (name, rows) in &sink.written {
        eprintln!("wrote {} ({rows} rows)", out.join(format!("{name}.parquet")).display());
    }
    Ok(())
}

/// An output folder must be absent, empty, or (with `--force`) anything that is a folder.
fn check_folder(out: &Path, force: bool) -> Result<(), String> {
    match std::fs::metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("--parquet {}: {e}", out.display())),
        Ok(m) if !m.is_dir() => Err(format!("--parquet {}: not a folder", out.display())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out).map_err(|e| format!("--parquet {}: {e}", out.display()))?;
            if entries.next().is_some() && !force {
                return Err(format!(
                    "--parquet {}: the folder already holds files; choose an empty or new folder, or add --force to write the tables into it (tables of the same name are replaced)",
                    out.display()
                ));
            }
            Ok(())
        }
    }
}

/// The Parquet schema of a table: every column optional (null = unknown); text is UTF-8.
fn schema(table: &Table) -> Result<Type, String> {
    let fields = table
        .columns
        .iter()
        .map(|c| {
            let (physical, logical) = match c.kind {
                Kind::Int => (PhysicalType::INT64, None),
                Kind::Float => (PhysicalType::DOUBLE, None),
                Kind::Bool => (PhysicalType::BOOLEAN, None),
                Kind::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
            };
            Type::primitive_type_builder(c.name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", table.name))?;
    Type::group_type_builder("spyglass").with_fields(fields).build().map_err(|e| format!("{}: {e}", table.name))
}

fn properties() -> Arc<WriterProperties> {
    let meta = vec![
        KeyValue::new("spyglass.schema_version".to_string(), SCHEMA_VERSION.to_string()),
        KeyValue::new("spyglass.version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
    ];
    Arc::new(
        WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(true)
            .set_created_by(format!("spyglass {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(meta))
            .build(),
    )
}

struct Open {
    writer: SerializedFileWriter<BufWriter<File>>,
    temp: PathBuf,
    rows: u64,
}

/// Writes each table to a temporary file and renames it once closed.
struct ParquetSink {
    folder: PathBuf,
    open: Option<Open>,
    written: Vec<(&'static str, u64)>,
}

impl ParquetSink {
    /// After a failure: the open table's temporary file goes.
    fn abandon(&mut self) {
        if let Some(open) = self.open.take() {
            let temp = open.temp.clone();
            drop(open);
            let _ = std::fs::remove_file(temp);
        }
    }
}

fn defs<T: Clone>(values: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
    let present = values.iter().flatten().cloned().collect();
    let levels = values.iter().map(|v| v.is_some() as i16).collect();
    (present, levels)
}

impl TableSink for ParquetSink {
    type Error = String;

    fn begin(&mut self, table: &Table) -> Result<(), String> {
        self.abandon();
        let temp = self.folder.join(format!(".{}.parquet.partial", table.name));
        let file = File::create(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
        let writer =
            SerializedFileWriter::new(BufWriter::with_capacity(1 << 20, file), Arc::new(schema(table)?), properties())
                .map_err(|e| format!("{}: {e}", temp.display()))?;
        self.open = Some(Open { writer, temp, rows: 0 });
        Ok(())
    }

    fn row_group(&mut self, table: &Table, columns: &[Values]) -> Result<(), String> {
        let open = self.open.as_mut().ok_or("no table open")?;
        let err = |e: parquet::errors::ParquetError| format!("{}: {e}", table.name);
        let mut group = open.writer.next_row_group().map_err(err)?;
        let mut values = columns.iter();
        while let Some(mut col) = group.next_column().map_err(err)? {
            let v = values.next().ok_or_else(|| format!("{}: fewer columns than its schema", table.name))?;
            match v {
                Values::Int(v) => {
                    let (present, levels) = defs(v);
                    col.typed::<Int64Type>().write_batch(&present, Some(&levels), None).map_err(err)?;
                }
                Values::Float(v) => {
                    let (present, levels) = defs(v);
                    col.typed::<DoubleType>().write_batch(&present, Some(&levels), None).map_err(err)?;
                }
                Values::Bool(v) => {
                    let (present, levels) = defs(v);
                    col.typed::<BoolType>().write_batch(&present, Some(&levels), None).map_err(err)?;
                }
                Values::Text(v) => {
                    let present: Vec<ByteArray> = v.iter().flatten().map(|s| ByteArray::from(s.as_str())).collect();
                    let levels: Vec<i16> = v.iter().map(|s| s.is_some() as i16).collect();
                    col.typed::<ByteArrayType>().write_batch(&present, Some(&levels), None).map_err(err)?;
                }
            }
            col.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        open.rows += columns.first().map_or(0, |c| c.len() as u64);
        Ok(())
    }

    fn end(&mut self, table: &Table) -> Result<(), String> {
        let open = self.open.take().ok_or("no table open")?;
        let Open { writer, temp, rows } = open;
        let fail = |e: String| {
            let _ = std::fs::remove_file(&temp);
            e
        };
        let inner = writer.into_inner().map_err(|e| fail(format!("{}: {e}", temp.display())))?;
        let file = inner.into_inner().map_err(|e| fail(format!("{}: {}", temp.display(), e.error())))?;
        file.sync_all().map_err(|e| fail(format!("{}: {e}", temp.display())))?;
        drop(file);
        let target = self.folder.join(format!("{}.parquet", table.name));
        std::fs::rename(&temp, &target).map_err(|e| fail(format!("{}: {e}", target.display())))?;
        self.written.push((table.name, rows));
        Ok(())
    }
}
