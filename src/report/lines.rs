//! A long array of report rows kept as its JSON text, one row per line, and parsed a row at a
//! time when read. The page keeps the report's long arrays (a task per row, a session per row)
//! this way: a parsed value tree of them takes about ten times their text in the page's memory
//! (which never shrinks), while a table shows a hundred rows at a time and a chart reads a few.

use serde_json::Value;
use std::collections::HashMap;

/// JSON Lines text (one JSON object per line, as [`super::split_section`] writes an array).
#[derive(Default, Debug, Clone)]
pub struct JsonLines {
    text: String,
    /// byte offset of each line's start; line i ends where line i + 1 starts (minus its `\n`)
    starts: Vec<u32>,
}

/// Long arrays by `section.field` (the id of their table on the page).
pub type LongArrays = HashMap<String, JsonLines>;

impl JsonLines {
    /// Splits `text` into lines (a last line without `\n` counts; an empty text has no rows).
    /// Text past 4 GiB cannot be indexed and is left out (a report is a small fraction of that).
    pub fn new(text: String) -> JsonLines {
        let mut starts = Vec::new();
        if !text.is_empty() && text.len() <= u32::MAX as usize {
            starts.push(0);
            starts.extend(
                memchr::memchr_iter(b'\n', text.as_bytes())
                    .map(|i| i as u32 + 1)
                    .filter(|&s| (s as usize) < text.len()),
            );
        }
        JsonLines { text, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The text of row `i`, without its line end.
    pub fn raw(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)? as usize;
        let end = self.starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    /// Row `i` parsed (`null` if its text is not JSON: the worker wrote it, so it always is).
    pub fn get(&self, i: usize) -> Option<Value> {
        self.raw(i).map(|r| serde_json::from_str(r).unwrap_or(Value::Null))
    }

    /// Every row, parsed one at a time as the iterator advances.
    pub fn iter(&self) -> impl Iterator<Item = Value> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_by_line() {
        let l = JsonLines::new("{\"a\":1}\n{\"a\":\"x\\ny\"}\n{}".to_string());
        assert_eq!(l.len(), 3);
        assert_eq!(l.get(0), Some(json!({"a": 1})));
        // an escaped line end inside a string is not a row break
        assert_eq!(l.get(1), Some(json!({"a": "x\ny"})));
        assert_eq!(l.get(2), Some(json!({})));
        assert_eq!(l.get(3), None);
        assert_eq!(l.iter().count(), 3);
    }

    #[test]
    fn trailing_newline_and_empty() {
        assert_eq!(JsonLines::new("{}\n".into()).len(), 1);
        assert_eq!(JsonLines::new("{}\r\n{\"b\":2}\r\n".into()).get(1), Some(json!({"b": 2})));
        assert!(JsonLines::new(String::new()).is_empty());
        assert_eq!(JsonLines::new("not json".into()).get(0), Some(Value::Null));
    }

    #[test]
    fn same_rows_as_the_array_split() {
        let section =
            json!({"rows": (0..50).map(|i| json!({"i": i, "s": format!("r{i}\n")})).collect::<Vec<_>>(), "n": 3});
        let (_, lines) = crate::report::split_section(&section.to_string(), 10);
        let l = JsonLines::new(lines[0].1.clone());
        assert_eq!(l.iter().collect::<Vec<_>>(), section["rows"].as_array().cloned().unwrap_or_default());
    }
}
