//! A folder picked with the File System Access API (`showDirectoryPicker`), read through
//! `js_sys::Reflect` (web-sys binds these handles only under its unstable APIs): its log files
//! walked as the CLI walks a folder, and a byte range of one of them. Used by the worker's watch
//! (`worker/watch.rs`); tested on a folder of the Origin Private File System (tests/web_glue.rs).

use super::{field, js_error};
use crate::ingest::is_log_name;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// A file listed: its path below the folder, and the `File` as it is now or why it could not be had.
pub type Listed = (String, Result<File, String>);

/// Every log file under `dir` with its path below it (as the CLI names a folder's files), sorted
/// as the CLI sorts them; a file whose `getFile()` failed is listed with why.
pub async fn walk(dir: &JsValue) -> Result<Vec<Listed>, String> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.clone(), String::new())];
    while let Some((d, prefix)) = stack.pop() {
        let entries = call0(&d, "values")?;
        loop {
            let step = JsFuture::from(promise(call0(&entries, "next")?)?).await.map_err(|e| js_error(&e))?;
            if field(&step, "done").as_bool() == Some(true) {
                break;
            }
            let handle = field(&step, "value");
            let (Some(kind), Some(name)) = (field(&handle, "kind").as_string(), field(&handle, "name").as_string())
            else {
                continue;
            };
            let path = format!("{prefix}{name}");
            if kind == "directory" {
                stack.push((handle, format!("{path}/")));
            } else if kind == "file" && is_log_name(&path) {
                let file = match call0(&handle, "getFile").and_then(promise) {
                    Ok(p) => JsFuture::from(p)
                        .await
                        .map_err(|e| js_error(&e))
                        .and_then(|f| f.dyn_into::<File>().map_err(|_| "getFile() gave no File".to_string())),
                    Err(e) => Err(e),
                };
                out.push((path, file));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// `v[name]()`.
fn call0(v: &JsValue, name: &str) -> Result<JsValue, String> {
    let f: js_sys::Function =
        field(v, name).dyn_into().map_err(|_| format!("this browser's folder handle has no {name}()"))?;
    f.call0(v).map_err(|e| js_error(&e))
}

fn promise(v: JsValue) -> Result<js_sys::Promise, String> {
    v.dyn_into().map_err(|_| "not a promise".to_string())
}

/// Bytes `from..to` of a file.
pub async fn slice(file: &File, from: u64, to: u64) -> Result<Vec<u8>, String> {
    let blob = file.slice_with_f64_and_f64(from as f64, to as f64).map_err(|e| js_error(&e))?;
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(|e| js_error(&e))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}
