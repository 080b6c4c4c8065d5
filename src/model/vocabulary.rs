//! One error-category vocabulary (analytics-spec.md, revision 2): the spec's canonical names are
//! what every pipeline keys on; bosun's classifier names reach them through an alias table (a
//! parameter), and an error written without a category, or as `unknown`, gets one inferred from
//! its message by the patterns below when one matches.
//!
//! Pure data and string matching: which record holds which name is the model's business
//! (`derived.rs` keeps each error's recorded and inferred name; `pipelines::View` applies the
//! aliases in force).

use std::collections::BTreeMap;

pub use super::names::{UNCATEGORIZED, UNKNOWN};

/// bosun's classifier names (its `infra/error-detector.mjs`, as shipped until March 2026) and
/// the canonical name each stands for. Names that have no closer canonical name stay themselves,
/// so the table shows the whole vocabulary a real log can hold.
pub const DEFAULT_ALIASES: [(&str, &str); 19] = [
    ("api_error", "api_error"),
    ("auth_error", "auth"),
    ("build_failure", "build"),
    ("codex_sandbox", "codex_sandbox"),
    ("content_policy", "content_policy"),
    ("git_conflict", "git"),
    ("lint_failure", "lint"),
    ("model_error", "model_error"),
    ("oom", "oom"),
    ("oom_kill", "oom"),
    ("permission_wait", "permission_wait"),
    ("plan_stuck", "plan_stuck"),
    ("push_failure", "git"),
    ("rate_limit", "rate_limit"),
    ("request_error", "request_error"),
    // "session or thread expired", "token expired": the credentials of the run, as `auth`
    ("session_expired", "auth"),
    ("test_failure", "test"),
    ("token_overflow", "context_window"),
    ("unknown", "unknown"),
];

/// The default alias table as the parameter holds it.
pub fn default_aliases() -> BTreeMap<String, String> {
    DEFAULT_ALIASES.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// What inference can give: message patterns, tried in this order (the first that matches
/// wins), each a list of lower-case phrases. A phrase of digits (an HTTP status) matches only
/// as a whole number, so `429` is not found in `14291`.
const PATTERNS: [(&str, &[&str]); 9] = [
    // bosun's classifier has these patterns but does not use them: its waits are written `unknown`
    (
        "permission_wait",
        &[
            "waiting for approval",
            "awaiting approval",
            "approval required",
            "requires approval",
            "needs approval",
            "waiting for your",
            "waiting for user",
            "waiting for input",
            "waiting for confirmation",
            "waiting for permission",
            "please confirm",
            "permission request",
            "do you want me to",
            "should i proceed",
            "should i continue",
        ],
    ),
    ("api_key", &["api key", "api_key", "apikey", "api-key"]),
    (
        "auth",
        &[
            "unauthorized",
            "unauthenticated",
            "authentication",
            "not authorized",
            "invalid credentials",
            "bad credentials",
            "access denied",
            "forbidden",
            "401",
            "403",
            "token expired",
            "session expired",
            "login required",
        ],
    ),
    (
        "rate_limit",
        &[
            "rate limit",
            "rate_limit",
            "ratelimit",
            "rate-limit",
            "too many requests",
            "429",
            "quota exceeded",
            "insufficient_quota",
            "tokens per minute",
        ],
    ),
    (
        "content_policy",
        &[
            "content policy",
            "content_policy",
            "content filter",
            "content_filter",
            "safety system",
            "flagged",
            "policy violation",
        ],
    ),
    (
        "context_window",
        &[
            "context length",
            "context window",
            "context_length",
            "maximum context",
            "context limit",
            "prompt is too long",
            "prompt too long",
            "prompt_too_long",
            "too many tokens",
            "token limit",
            "maximum number of tokens",
        ],
    ),
    ("timeout", &["timed out", "timeout", "etimedout", "deadline exceeded", "408"]),
    (
        "network",
        &[
            "econnreset",
            "econnrefused",
            "enotfound",
            "eai_again",
            "socket hang up",
            "network error",
            "network is unreachable",
            "connection reset",
            "connection refused",
            "connection closed",
            "stream disconnected",
            "fetch failed",
            "dns",
        ],
    ),
    (
        "api_error",
        &[
            "internal server error",
            "bad gateway",
            "service unavailable",
            "gateway timeout",
            "server error",
            "server_error",
            "overloaded",
            "temporarily unavailable",
            "500",
            "502",
            "503",
            "504",
            "529",
        ],
    ),
];

/// Every canonical name inference can give (interned once per load, so the views have symbols for them).
pub fn inferred_names() -> impl Iterator<Item = &'static str> {
    PATTERNS.iter().map(|(name, _)| *name)
}

/// The category a message means, by Spyglass's own patterns, if any.
pub fn infer_category(message: &str) -> Option<&'static str> {
    if message.is_empty() {
        return None;
    }
    let lower = message.to_lowercase();
    PATTERNS.iter().find(|(_, phrases)| phrases.iter().any(|p| contains_phrase(&lower, p))).map(|(name, _)| *name)
}

/// `phrase` occurs in `hay`; a phrase of digits only where no digit touches it.
fn contains_phrase(hay: &str, phrase: &str) -> bool {
    if !phrase.bytes().all(|b| b.is_ascii_digit()) {
        return hay.contains(phrase);
    }
    let b = hay.as_bytes();
    hay.match_indices(phrase).any(|(i, _)| {
        let end = i + phrase.len();
        (i == 0 || !b[i - 1].is_ascii_digit()) && (end >= b.len() || !b[end].is_ascii_digit())
    })
}

/// Whether a (canonical or recorded) name says "no category": `unknown` or `uncategorized`.
pub fn is_unknown(name: &str) -> bool {
    name == UNKNOWN || name == UNCATEGORIZED
}

/// Checks an alias table given by a user: keys and values are non-empty names. Returns the
/// table with both sides trimmed and lower-cased (categories compare case-insensitively).
pub fn normalise_aliases(table: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (k, v) in table {
        let (key, value) = (k.trim().to_lowercase(), v.trim().to_lowercase());
        if key.is_empty() {
            return Err("category_aliases: an alias has an empty name".into());
        }
        if value.is_empty() {
            return Err(format!("category_aliases: `{k}` maps to an empty name"));
        }
        out.insert(key, value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_give_their_category() {
        assert_eq!(
            infer_category("Waiting for approval: please confirm the command `rm -rf dist`"),
            Some("permission_wait")
        );
        assert_eq!(infer_category("Incorrect API key provided: sk-****"), Some("api_key"));
        assert_eq!(infer_category("401 Unauthorized"), Some("auth"));
        assert_eq!(infer_category("Rate limit reached for gpt-5 in organization org-x"), Some("rate_limit"));
        assert_eq!(infer_category("HTTP 429"), Some("rate_limit"));
        assert_eq!(infer_category("request id 14291 failed"), None);
        assert_eq!(infer_category("This model's maximum context length is 128000 tokens"), Some("context_window"));
        assert_eq!(infer_category("stream disconnected before completion"), Some("network"));
        assert_eq!(infer_category("Request timed out after 600s"), Some("timeout"));
        assert_eq!(infer_category("503 Service Unavailable"), Some("api_error"));
        assert_eq!(infer_category("Your request was flagged by the content filter"), Some("content_policy"));
        assert_eq!(infer_category("cargo build failed"), None);
        assert_eq!(infer_category(""), None);
    }

    #[test]
    fn the_default_table_maps_bosuns_names() {
        let t = default_aliases();
        assert_eq!(t["auth_error"], "auth");
        assert_eq!(t["token_overflow"], "context_window");
        assert_eq!(t["push_failure"], "git");
        assert_eq!(t["oom_kill"], "oom");
        assert_eq!(t["plan_stuck"], "plan_stuck");
        assert_eq!(
            normalise_aliases(&[(" Auth_Error ".to_string(), "AUTH".to_string())].into()).unwrap(),
            [("auth_error".to_string(), "auth".to_string())].into()
        );
        assert!(normalise_aliases(&[("x".to_string(), " ".to_string())].into()).unwrap_err().contains("`x`"));
    }
}
