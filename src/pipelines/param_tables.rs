//! The two table parameters as the page edits them: the price table and the category aliases,
//! read from text cells (one row per price or alias) into [`Parameters`](super::Parameters)
//! values, with a message naming the row and the key of the first cell that does not parse.
//!
//! Pure, so the page's rules are tested natively: a row whose cells are all blank is ignored (a
//! row just added), a price is a finite number ≥ 0 of USD per million tokens, cached input and
//! cache write may be blank (they then cost as input), a pattern, a written name and a canonical
//! name may not be blank, and a written name appears once (compared case-insensitively, as
//! categories are).

use crate::model::prices::Price;
use std::collections::BTreeMap;
use std::fmt;

/// The price table's columns, in the order the page shows them (the keys of [`Price`]).
pub const PRICE_KEYS: [&str; 7] = ["model", "input", "cached_input", "cache_write", "output", "source", "as_of"];
/// The alias table's columns: the name as written → the canonical name.
pub const ALIAS_KEYS: [&str; 2] = ["written", "canonical"];

/// A cell that does not parse: its table (`prices`, `category_aliases`), row (1-based, as the
/// page numbers them), key, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    pub table: &'static str,
    pub row: usize,
    pub key: &'static str,
    /// the row's pattern or written name, when it has one (to recognise the row by)
    pub name: String,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.name.trim().is_empty() { String::new() } else { format!(" ({})", self.name.trim()) };
        write!(f, "{} row {}{name}, {}: {}", self.table, self.row, self.key, self.message)
    }
}

/// A price row as the page's cells show it: numbers as short decimals, absent ones blank.
pub fn price_cells(p: &Price) -> [String; 7] {
    let num = |x: f64| format!("{x}");
    let opt = |x: Option<f64>| x.map(num).unwrap_or_default();
    [
        p.model.clone(),
        num(p.input),
        opt(p.cached_input),
        opt(p.cache_write),
        num(p.output),
        p.source.clone(),
        p.as_of.clone(),
    ]
}

/// The price table from its rows of cells (in [`PRICE_KEYS`] order), or the first bad cell.
pub fn prices_from_cells(rows: &[[String; 7]]) -> Result<Vec<Price>, CellError> {
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let err = |key: &'static str, message: String| CellError {
            table: "prices",
            row: i + 1,
            key,
            name: r[0].clone(),
            message,
        };
        let model = r[0].trim();
        if model.is_empty() {
            return Err(err(
                "model",
                "the model pattern is empty (a model name; * matches any run of characters)".into(),
            ));
        }
        let price = |k: usize, required: bool| -> Result<Option<f64>, CellError> {
            let text = r[k].trim();
            if text.is_empty() {
                return if required {
                    Err(err(PRICE_KEYS[k], "empty: a price in USD per million tokens is needed".into()))
                } else {
                    Ok(None)
                };
            }
            match text.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
                Ok(_) => Err(err(
                    PRICE_KEYS[k],
                    format!("\u{201c}{text}\u{201d} is not a price: USD per million tokens, a number ≥ 0"),
                )),
                Err(_) => Err(err(
                    PRICE_KEYS[k],
                    format!("\u{201c}{text}\u{201d} is not a number (USD per million tokens, e.g. 1.25)"),
                )),
            }
        };
        let input = price(1, true)?.unwrap_or(0.0);
        let cached_input = price(2, false)?;
        let cache_write = price(3, false)?;
        let output = price(4, true)?.unwrap_or(0.0);
        out.push(Price {
            model: model.to_string(),
            input,
            cached_input,
            cache_write,
            output,
            source: r[5].trim().to_string(),
            as_of: r[6].trim().to_string(),
        });
    }
    Ok(out)
}

/// The alias table as rows of cells, in the parameter's (name) order.
pub fn alias_cells(table: &BTreeMap<String, String>) -> Vec<[String; 2]> {
    table.iter().map(|(k, v)| [k.clone(), v.clone()]).collect()
}

/// The alias table from its rows of cells (written, canonical), or the first bad cell. Names are
/// trimmed and lower-cased, as `Parameters::from_json` keeps them.
pub fn aliases_from_cells(rows: &[[String; 2]]) -> Result<BTreeMap<String, String>, CellError> {
    let mut out = BTreeMap::new();
    let mut row_of: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let err = |key: &'static str, message: String| CellError {
            table: "category_aliases",
            row: i + 1,
            key,
            name: r[0].clone(),
            message,
        };
        let (written, canonical) = (r[0].trim().to_lowercase(), r[1].trim().to_lowercase());
        if written.is_empty() {
            return Err(err("written", "the category as written is empty".into()));
        }
        if canonical.is_empty() {
            return Err(err(
                "canonical",
                format!(
                    "empty: the name `{written}` is counted under is needed (write `{written}` to keep it as it is)"
                ),
            ));
        }
        if let Some(first) = row_of.get(&written) {
            return Err(err("written", format!("`{written}` is already mapped in row {first}")));
        }
        row_of.insert(written.clone(), i + 1);
        out.insert(written, canonical);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::prices::default_prices;
    use crate::model::vocabulary::default_aliases;

    fn row<const N: usize>(cells: [&str; N]) -> [String; N] {
        cells.map(String::from)
    }

    #[test]
    fn the_default_tables_read_back_as_they_are() {
        let prices = default_prices();
        let cells: Vec<[String; 7]> = prices.iter().map(price_cells).collect();
        assert_eq!(
            cells[2],
            row(["gpt-5*", "1.25", "0.125", "", "10", "OpenAI API pricing, openai.com/api/pricing", "2025-08-07"])
        );
        assert_eq!(prices_from_cells(&cells).unwrap(), prices);
        let aliases = default_aliases();
        assert_eq!(aliases_from_cells(&alias_cells(&aliases)).unwrap(), aliases);
    }

    #[test]
    fn bad_price_cells_name_their_row_and_key() {
        let good = row(["gpt-5*", "1.25", "", "", "10", "", ""]);
        let msg = |rows: &[[String; 7]]| prices_from_cells(rows).unwrap_err().to_string();
        assert_eq!(
            msg(&[good.clone(), row(["o3*", "abc", "", "", "8", "", ""])]),
            "prices row 2 (o3*), input: \u{201c}abc\u{201d} is not a number (USD per million tokens, e.g. 1.25)"
        );
        assert_eq!(
            msg(&[row(["o3*", "2", "", "", "-1", "", ""])]),
            "prices row 1 (o3*), output: \u{201c}-1\u{201d} is not a price: USD per million tokens, a number ≥ 0"
        );
        assert_eq!(msg(&[row(["o3*", "2", "inf", "", "1", "", ""])]), "prices row 1 (o3*), cached_input: \u{201c}inf\u{201d} is not a price: USD per million tokens, a number ≥ 0");
        assert_eq!(
            msg(&[row(["o3*", "2", "", "NaN", "1", "", ""])]),
            "prices row 1 (o3*), cache_write: \u{201c}NaN\u{201d} is not a price: USD per million tokens, a number ≥ 0"
        );
        assert_eq!(
            msg(&[row(["  ", "2", "", "", "1", "x", ""])]),
            "prices row 1, model: the model pattern is empty (a model name; * matches any run of characters)"
        );
        assert_eq!(
            msg(&[row(["o3*", "", "", "", "1", "", ""])]),
            "prices row 1 (o3*), input: empty: a price in USD per million tokens is needed"
        );
        let e = prices_from_cells(&[good.clone(), good.clone(), row(["x", "1", "", "", "", "", ""])]).unwrap_err();
        assert_eq!((e.row, e.key), (3, "output"));
        // a blank row (just added) is no price; blank optional prices cost as input
        let t = prices_from_cells(&[
            row(["", " ", "", "", "", "", ""]),
            row([" GPT-5* ", " 2.5 ", "", "0", "1e1", " list ", "2026-01-01"]),
        ])
        .unwrap();
        assert_eq!(
            t,
            vec![Price {
                model: "GPT-5*".into(),
                input: 2.5,
                cached_input: None,
                cache_write: Some(0.0),
                output: 10.0,
                source: "list".into(),
                as_of: "2026-01-01".into()
            }]
        );
        assert!(crate::model::prices::check(&t).is_ok());
    }

    #[test]
    fn bad_alias_cells_name_their_row_and_key() {
        let msg = |rows: &[[String; 2]]| aliases_from_cells(rows).unwrap_err().to_string();
        assert_eq!(
            msg(&[row(["auth_error", "auth"]), row(["", "git"])]),
            "category_aliases row 2, written: the category as written is empty"
        );
        assert_eq!(
            msg(&[row(["oom_kill", "  "])]),
            "category_aliases row 1 (oom_kill), canonical: empty: the name `oom_kill` is counted under is needed (write `oom_kill` to keep it as it is)"
        );
        assert_eq!(
            msg(&[row(["auth_error", "auth"]), row(["x", "y"]), row(["Auth_Error ", "permission_wait"])]),
            "category_aliases row 3 (Auth_Error), written: `auth_error` is already mapped in row 1"
        );
        let t = aliases_from_cells(&[row([" Auth_Error", "Permission_Wait "]), row(["", ""])]).unwrap();
        assert_eq!(t.into_iter().collect::<Vec<_>>(), [("auth_error".to_string(), "permission_wait".to_string())]);
    }
}
