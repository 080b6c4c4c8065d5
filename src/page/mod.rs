//! The page's view model: what the browser page shows and says, as plain data and pure
//! functions — no DOM, no worker, no `JsValue` (the habit of rerun and Perfetto's UI). `web/`
//! keeps the awaits, `postMessage`, the DOM and the canvas; it asks this module what to say and
//! where to draw. Everything here builds and is tested natively.
//!
//! - [`protocol`]: the messages between the page, its worker and the parse workers, documented
//!   once, there
//! - [`facets`]: the values the filter controls offer and the sessions per day of the brush
//! - [`filters`]: the filter controls' values
//! - [`budget`]: the records' memory budget, and the memory that reads all of a file stopped at it
//! - [`notes`]: how a file's read ended and what the page says of it; the progress line and the
//!   files list; the banner when a stuck worker is replaced
//! - [`overview`]: the overview cards' longer texts
//! - [`watchdog`]: when the page deems its worker stuck
//! - [`brush`]: the time brush's bars and its day ↔ pixel mapping

pub mod brush;
pub mod budget;
pub mod facets;
pub mod filters;
pub mod notes;
pub mod overview;
pub mod protocol;
pub mod watchdog;

/// The view model stays pure: no browser type, no web layer, nothing only for wasm32 (checked on
/// the code of every file here, comments aside).
#[cfg(test)]
mod tests {
    #[test]
    fn no_file_here_touches_the_browser() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/page");
        let forbidden = ["web_sys", "js_sys", "wasm_bindgen", "JsValue", "crate::web", "target_arch"];
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "mod.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                for f in forbidden {
                    assert!(!code.contains(f), "{}:{}: {f} in the page's view model", path.display(), n + 1);
                }
            }
            checked += 1;
        }
        assert!(checked >= 8, "{checked} files checked");
    }
}
