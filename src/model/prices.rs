//! Cost estimated from tokens (analytics-spec.md, revision 2; the guide's own advice for SDKs
//! that report no cost): a price table of USD per million tokens by model pattern, and the
//! estimate of a session from its token breakdown.

use super::money::Nanos;
use super::records::Tokens;
use serde::{Deserialize, Serialize};

/// One row of the price table: USD per million tokens for the models its pattern matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// a model name, compared case-insensitively; `*` matches any run of characters
    pub model: String,
    /// USD per million input tokens
    pub input: f64,
    /// USD per million cached input tokens and cache reads (absent: the input price)
    #[serde(default)]
    pub cached_input: Option<f64>,
    /// USD per million cache-write tokens (absent: the input price)
    #[serde(default)]
    pub cache_write: Option<f64>,
    /// USD per million output tokens
    pub output: f64,
    /// where the price was read, and when
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub as_of: String,
}

const OPENAI: &str = "OpenAI API pricing, openai.com/api/pricing";
const ANTHROPIC: &str =
    "Anthropic API pricing, docs.anthropic.com/en/docs/about-claude/pricing (5-minute cache writes)";

/// The shipped table: the models bosun runs (Codex, Copilot and Claude executors), at their
/// providers' published list prices. More specific patterns come first: the first match wins.
pub fn default_prices() -> Vec<Price> {
    let p = |model: &str, input: f64, cached: f64, write: Option<f64>, output: f64, source: &str, as_of: &str| Price {
        model: model.into(),
        input,
        cached_input: Some(cached),
        cache_write: write,
        output,
        source: source.into(),
        as_of: as_of.into(),
    };
    vec![
        p("gpt-5-nano*", 0.05, 0.005, None, 0.40, OPENAI, "2025-08-07"),
        p("gpt-5-mini*", 0.25, 0.025, None, 2.00, OPENAI, "2025-08-07"),
        // gpt-5, gpt-5-codex and their dated snapshots
        p("gpt-5*", 1.25, 0.125, None, 10.00, OPENAI, "2025-08-07"),
        p("codex-mini*", 1.50, 0.375, None, 6.00, OPENAI, "2025-05-16"),
        p("gpt-4.1-nano*", 0.10, 0.025, None, 0.40, OPENAI, "2025-04-14"),
        p("gpt-4.1-mini*", 0.40, 0.10, None, 1.60, OPENAI, "2025-04-14"),
        p("gpt-4.1*", 2.00, 0.50, None, 8.00, OPENAI, "2025-04-14"),
        p("gpt-4o-mini*", 0.15, 0.075, None, 0.60, OPENAI, "2024-07-18"),
        p("gpt-4o*", 2.50, 1.25, None, 10.00, OPENAI, "2024-10-01"),
        p("o4-mini*", 1.10, 0.275, None, 4.40, OPENAI, "2025-04-16"),
        p("o3-mini*", 1.10, 0.55, None, 4.40, OPENAI, "2025-01-31"),
        p("o3*", 2.00, 0.50, None, 8.00, OPENAI, "2025-06-10"),
        p("claude-opus-4-5*", 5.00, 0.50, Some(6.25), 25.00, ANTHROPIC, "2025-11-24"),
        p("claude-opus-4.5*", 5.00, 0.50, Some(6.25), 25.00, ANTHROPIC, "2025-11-24"),
        p("claude-opus-4*", 15.00, 1.50, Some(18.75), 75.00, ANTHROPIC, "2025-05-22"),
        p("claude-sonnet-4*", 3.00, 0.30, Some(3.75), 15.00, ANTHROPIC, "2025-05-22"),
        p("claude-3-7-sonnet*", 3.00, 0.30, Some(3.75), 15.00, ANTHROPIC, "2025-02-24"),
        p("claude-3-5-sonnet*", 3.00, 0.30, Some(3.75), 15.00, ANTHROPIC, "2024-10-22"),
        p("claude-haiku-4*", 1.00, 0.10, Some(1.25), 5.00, ANTHROPIC, "2025-10-15"),
        p("claude-3-5-haiku*", 0.80, 0.08, Some(1.00), 4.00, ANTHROPIC, "2024-10-22"),
    ]
}

/// Whether `pattern` (`*` = any run of characters) matches `name`, ignoring case.
pub fn matches(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.trim().to_lowercase(), name.trim().to_lowercase());
    let parts: Vec<&str> = p.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else { return p == n };
    if parts.len() == 1 {
        return p == n;
    }
    let Some(mut rest) = n.strip_prefix(first) else { return false };
    for m in middle {
        match rest.find(m) {
            Some(i) => rest = &rest[i + m.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The first row whose pattern matches the model.
pub fn price_of<'a>(table: &'a [Price], model: &str) -> Option<&'a Price> {
    if model.trim().is_empty() {
        return None;
    }
    table.iter().find(|p| matches(&p.model, model))
}

/// The estimated cost of a session's tokens, in nano-dollars: `None` when neither its input nor
/// its output tokens are known (a total alone says nothing of the price).
pub fn estimate(price: &Price, t: &Tokens) -> Option<Nanos> {
    if t.input.is_none() && t.output.is_none() {
        return None;
    }
    let n = |v: Option<u64>| v.unwrap_or(0) as f64;
    let cached = price.cached_input.unwrap_or(price.input);
    let write = price.cache_write.unwrap_or(price.input);
    // USD per million tokens × tokens = micro-dollars; × 1000 = nano-dollars
    let micro = n(t.input) * price.input
        + (n(t.cached_input) + n(t.cache_read)) * cached
        + n(t.cache_creation) * write
        + n(t.output) * price.output;
    super::money::nanos(micro / 1e6)
}

/// Reads a price table given as JSON: a list of rows, or an object whose `prices` is one (the
/// shape of `--params`). A row naming an unknown field, or a price that is not a number ≥ 0, is
/// refused with a message naming it.
pub fn from_json(text: &str) -> Result<Vec<Price>, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Wrapped {
        prices: Vec<Price>,
    }
    // each shape read on its own (an untagged enum would hide serde's message, which names the key)
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("prices: {e}"))?;
    let table = match value {
        serde_json::Value::Array(_) => {
            serde_json::from_value::<Vec<Price>>(value).map_err(|e| format!("prices: {e}"))?
        }
        serde_json::Value::Object(_) => {
            serde_json::from_value::<Wrapped>(value).map_err(|e| format!("prices: {e}"))?.prices
        }
        _ => return Err("prices: expected a list of prices, or an object with `prices`".into()),
    };
    check(&table)?;
    Ok(table)
}

/// Checks a price table: every price a finite number ≥ 0 and every pattern non-empty; the
/// message names the row and the key.
pub fn check(table: &[Price]) -> Result<(), String> {
    for (i, p) in table.iter().enumerate() {
        if p.model.trim().is_empty() {
            return Err(format!("prices[{i}].model: empty"));
        }
        for (key, v) in [
            ("input", Some(p.input)),
            ("cached_input", p.cached_input),
            ("cache_write", p.cache_write),
            ("output", Some(p.output)),
        ] {
            if let Some(v) = v {
                if !v.is_finite() || v < 0.0 {
                    return Err(format!("prices[{i}].{key} ({}): not a price in USD per million tokens", p.model));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_globs() {
        assert!(matches("gpt-5*", "GPT-5-Codex"));
        assert!(matches("gpt-5", "gpt-5"));
        assert!(!matches("gpt-5", "gpt-5-mini"));
        assert!(matches("claude-*-4*", "claude-sonnet-4-20250514"));
        assert!(!matches("claude-*-4*", "claude-3-5-haiku"));
        assert!(matches("*", "anything"));
        let t = default_prices();
        assert_eq!(price_of(&t, "gpt-5-mini").unwrap().input, 0.25);
        assert_eq!(price_of(&t, "gpt-5-codex").unwrap().input, 1.25);
        assert_eq!(price_of(&t, "claude-opus-4-1-20250805").unwrap().output, 75.0);
        assert_eq!(price_of(&t, "claude-opus-4-5-20251101").unwrap().output, 25.0);
        assert!(price_of(&t, "mystery-model").is_none());
        assert!(check(&t).is_ok());
    }

    #[test]
    fn estimates_price_each_kind_of_token() {
        let t = default_prices();
        // Codex: 10 000 input of which 4 000 cached, 2 000 output at gpt-5 prices
        // 6 000 × 1.25 + 4 000 × 0.125 + 2 000 × 10 = 7 500 + 500 + 20 000 = 28 000 µ$ = $0.028
        let codex = Tokens { input: Some(6_000), cached_input: Some(4_000), output: Some(2_000), ..Default::default() };
        assert_eq!(estimate(price_of(&t, "gpt-5-codex").unwrap(), &codex), Some(28_000_000));
        // Claude Sonnet 4: 1 000 input, 20 000 cache reads, 5 000 cache writes, 800 output
        // 1 000 × 3 + 20 000 × 0.3 + 5 000 × 3.75 + 800 × 15 = 3 000 + 6 000 + 18 750 + 12 000 = 39 750 µ$
        let claude = Tokens {
            input: Some(1_000),
            cache_read: Some(20_000),
            cache_creation: Some(5_000),
            output: Some(800),
            ..Default::default()
        };
        assert_eq!(estimate(price_of(&t, "claude-sonnet-4").unwrap(), &claude), Some(39_750_000));
        assert_eq!(estimate(&t[0], &Tokens::default()), None);
        let bad = Price {
            model: "x".into(),
            input: -1.0,
            cached_input: None,
            cache_write: None,
            output: 1.0,
            source: String::new(),
            as_of: String::new(),
        };
        assert_eq!(check(&[bad]).unwrap_err(), "prices[0].input (x): not a price in USD per million tokens");
        // a file: a list, or an object with `prices`; an unknown key is named
        let one = r#"[{"model": "my-model*", "input": 1, "output": 2}]"#;
        assert_eq!(from_json(one).unwrap()[0].cached_input, None);
        assert_eq!(from_json(&format!("{{\"prices\": {one}}}")).unwrap().len(), 1);
        assert!(from_json(r#"[{"model": "m", "input": 1, "output": 2, "outptu": 3}]"#)
            .unwrap_err()
            .contains("unknown field `outptu`"));
        assert!(from_json(r#"[{"model": "m", "input": "cheap", "output": 2}]"#)
            .unwrap_err()
            .starts_with("prices: invalid type"));
        assert!(from_json(r#"{"price": []}"#).unwrap_err().contains("unknown field `price`"));
    }
}
