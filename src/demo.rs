//! Realistic demo data for Spyglass: a seeded, streaming generator of a bosun
//! `.cache/agent-work-logs/` folder (stream, errors, metrics, alerts, transcripts).
//!
//! Pure and I/O-free: bytes go to a [`DemoSink`]; no clock, no threads, no
//! filesystem, no floating-point library calls (so the same config gives the
//! same bytes on every platform, Wasm included). Memory is bounded by the number
//! of concurrently simulated attempts (at most [`MAX_ACTIVE`]) and the per-file
//! buffers, never by `sessions`.
//!
//! How it works: a discrete-event simulation. Tasks arrive over a span of days;
//! each attempt is a small state machine that emits its next event when its
//! turn comes in a time-ordered heap, so attempts interleave in the stream as
//! they do in a real bosun install. Every record is counted in [`DemoTally`] in
//! the same code path that writes it.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use std::io;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    /// Number of attempts (= sessions) to simulate.
    pub sessions: usize,
    /// PRNG seed: same config, same bytes.
    pub seed: u64,
    /// Epoch milliseconds of the first event (default 2026-02-02T08:00:00Z).
    pub start_ms: i64,
    /// Inject a handful (< 1 %) of lines the viewer must skip, plus a few blank lines.
    pub malformed_lines: bool,
    /// Share of tasks (so, roughly, of sessions) written the way bosun's real writer writes them
    /// (bosun-telemetry-format.md, "What bosun's own writer writes"): UUID ids, classifier error
    /// names, Codex tool params as JSON strings and unnamed results, SDK usage objects, rollups
    /// with cost 0 for unknown cost, bosun's diff layout, the current analyser's alerts. The other
    /// tasks keep the guide's shape; with 0 the output is the guide-only demo, byte for byte.
    pub real_writer_share: f64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            sessions: 400,
            seed: 42,
            start_ms: days_from_civil(2026, 2, 2) * DAY_MS + 8 * HOUR_MS,
            malformed_lines: true,
            real_writer_share: 0.3,
        }
    }
}

/// Receives the bytes of a file, identified by its path relative to the log folder
/// (`agent-work-stream.jsonl`, `agent-sessions/<attempt_id>.jsonl`, …). Called many
/// times per file; each call appends.
pub trait DemoSink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()>;
}

/// Keeps every file in memory (for the page's "Try the demo" button and for tests).
#[derive(Debug, Default, Clone)]
pub struct MemorySink {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl DemoSink for MemorySink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()> {
        match self.files.get_mut(path) {
            Some(v) => v.extend_from_slice(bytes),
            None => {
                self.files.insert(path.to_string(), bytes.to_vec());
            }
        }
        Ok(())
    }
}

/// Discards everything, counting bytes and calls (benchmarks).
#[derive(Debug, Default, Clone)]
pub struct DiscardSink {
    pub bytes: u64,
    pub writes: u64,
    pub max_write: usize,
}

impl DemoSink for DiscardSink {
    fn write(&mut self, _path: &str, bytes: &[u8]) -> io::Result<()> {
        self.bytes += bytes.len() as u64;
        self.writes += 1;
        self.max_write = self.max_write.max(bytes.len());
        Ok(())
    }
}

/// The generator's own count of what it wrote, computed in the code path that
/// writes each line, following analytics-spec.md (dedup, superseded rows, usage
/// resolution order). Compare these with what the viewer computes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoTally {
    /// Distinct attempt_ids (over events and metrics rows).
    pub sessions: usize,
    /// Distinct task_ids, plus one for `(no task)` when some session has none.
    pub tasks: usize,
    /// Distinct valid event lines (each error event once, transcripts not re-counted).
    pub events: usize,
    /// Distinct events with `event_type: "error"`.
    pub error_events: usize,
    /// Distinct events without an attempt_id (`skill_invoke`).
    pub events_without_attempt: usize,
    /// Distinct metrics rows written, superseded ones included.
    pub metrics_rows: usize,
    /// Metrics rows replaced by a later row (later timestamp) of the same attempt.
    pub superseded_rows: usize,
    /// Alert lines.
    pub alerts: usize,
    /// Every byte-identical repeat of a valid record line (errors-file copies,
    /// transcript copies, deliberate repeats in the stream).
    pub duplicate_lines: usize,
    /// Lines the viewer must skip (invalid JSON, not an object, no known shape,
    /// invalid UTF-8, nested too deeply). Blank lines are not counted here.
    pub malformed_lines: usize,
    /// Blank or whitespace-only lines (ignored silently by the viewer).
    pub blank_lines: usize,
    /// Number of `agent-sessions/<attempt_id>.jsonl` files.
    pub transcripts: usize,
    /// Sessions whose success resolves to true / false / unknown.
    pub successes: usize,
    pub failures: usize,
    pub unknown_success: usize,
    /// model -> (sessions, successful sessions).
    pub per_model: BTreeMap<String, (usize, usize)>,
    /// Sessions with a known cost, and the sum of their costs (None when zero sessions know it).
    pub sessions_with_cost: usize,
    pub total_cost_usd: Option<f64>,
    /// Sessions with known tokens, and their sum.
    pub sessions_with_tokens: usize,
    pub total_tokens: Option<u64>,
    /// Earliest and latest timestamp of any valid record (UTC epoch ms).
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// All lines written to every file (records, copies, malformed, blank).
    pub lines: usize,
    /// Bytes written to every file, and to agent-work-stream.jsonl alone.
    pub bytes: u64,
    pub stream_bytes: u64,
    // -- the real-writer share (analytics-spec.md, Revision 2) --------------------------------
    /// Sessions written in bosun's real writer's style.
    pub real_sessions: usize,
    /// Of those, sessions none of whose lines carries task_id: their task is the UUID that
    /// starts their attempt_id (counted in `tasks` as that task).
    pub real_sessions_without_task_id: usize,
    /// Error events of the real-style sessions by canonical category: the classifier's name
    /// through the default alias table (`auth_error` → `auth`, `token_overflow` →
    /// `context_window`, `test_failure` → `test`, `build_failure` → `build`, `lint_failure` →
    /// `lint`, `git_conflict`/`push_failure` → `git`, `oom_kill` → `oom`, others as they are),
    /// and for those written as `unknown` the category their message means.
    pub real_error_categories: BTreeMap<String, usize>,
    /// Of those, the errors written with category `unknown` (the category must be inferred).
    pub real_inferred_errors: usize,
    /// Real-style Codex `tool_call`s (all `shell`, params a JSON string with an array command),
    /// their `tool_result`s (no tool_name: each answers the oldest unanswered call), and the
    /// results with status `failed`.
    pub real_codex_shell_calls: usize,
    pub real_codex_shell_results: usize,
    pub real_codex_shell_failures: usize,
    /// Real-style Codex calls whose command line (the array joined, a `bash -lc` wrapper
    /// unwrapped) runs tests / a linter by the spec's `tools` patterns.
    pub real_codex_test_runs: usize,
    pub real_codex_lint_runs: usize,
    /// Real-style Copilot tool calls (written without results).
    pub real_copilot_calls: usize,
    /// Real-style sessions whose tokens are known and whose cost is unknown (rollups with
    /// `cost_usd` 0 beside tokens, usage events without cost: Codex and Claude).
    pub real_cost_unknown_sessions: usize,
    /// Failed real-style sessions with `permission_denied` > 0 in their rollup (metrics row and
    /// session_end) and no permission-wait error event.
    pub real_silent_permission_denials: usize,
    /// Alerts of type `failed_session_transient_errors` written.
    pub real_transient_alerts: usize,
    /// Per real-style attempt, its tokens as its `usage` events report them (sessions whose
    /// events were all written; none for a session whose events were rotated away).
    pub real_tokens: BTreeMap<String, TokenBreakdown>,
    /// Hot files of the real share: file → real-style tasks whose metrics rows name it in
    /// `diff_summary` (bosun's layout) or whose Copilot `edit_file` calls name it (`path`).
    pub real_hot_files: BTreeMap<String, usize>,
}

/// Token counts of one session by kind, summed over its `usage` events as the SDK wrote them:
/// `input` is Codex's and Claude's `input_tokens` or Copilot's `prompt_tokens` (for Claude the
/// uncached part only), `cached_input` Codex's `cached_input_tokens` (part of its input),
/// `cache_read`/`cache_creation` Claude's cache tokens, `output` `output_tokens` or
/// `completion_tokens`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenBreakdown {
    pub input: u64,
    pub cached_input: u64,
    pub cache_read: u64,
    pub cache_creation: u64,
    pub output: u64,
}

/// Generates the whole folder, streaming, and returns the tally of what was written.
pub fn generate(cfg: &DemoConfig, sink: &mut dyn DemoSink) -> io::Result<DemoTally> {
    let mut g = Gen::new(cfg, sink);
    g.run()?;
    g.finish()
}

/// Average bytes of agent-work-stream.jsonl per session (measured on 2000-session
/// runs of several seeds; see the module tests for the tolerance checked).
pub const STREAM_BYTES_PER_SESSION: u64 = 54_000;

/// How many sessions produce roughly `bytes` of agent-work-stream.jsonl.
pub fn sessions_for_stream_bytes(bytes: u64) -> usize {
    ((bytes + STREAM_BYTES_PER_SESSION / 2) / STREAM_BYTES_PER_SESSION).max(1) as usize
}

/// Most attempts simulated at once (bounds memory).
pub const MAX_ACTIVE: usize = 64;

// ---------------------------------------------------------------------------
// Constants and vocabulary
// ---------------------------------------------------------------------------

const SEC: i64 = 1000;
const MIN_MS: i64 = 60 * SEC;
const HOUR_MS: i64 = 60 * MIN_MS;
const DAY_MS: i64 = 24 * HOUR_MS;
const FLUSH_MAIN: usize = 256 * 1024;
const FLUSH_TRANSCRIPT: usize = 64 * 1024;

const STREAM: &str = "agent-work-stream.jsonl";
const ERRORS: &str = "agent-errors.jsonl";
const METRICS: &str = "agent-metrics.jsonl";
const ALERTS: &str = "agent-alerts.jsonl";

const EXEC_UPPER: [&str; 3] = ["CODEX", "COPILOT", "CLAUDE"];
const EXEC_LOWER: [&str; 3] = ["codex", "copilot", "claude"];
const EXEC_MIXED: [&str; 3] = ["Codex", "Copilot", "Claude"];
const EXEC_WEIGHTS: [u32; 3] = [40, 30, 30];

struct Model {
    name: &'static str,
    weight: u32,
    quality: f64,
    usd_in: f64,
    usd_out: f64,
}

const fn m(name: &'static str, weight: u32, quality: f64, usd_in: f64, usd_out: f64) -> Model {
    Model { name, weight, quality, usd_in, usd_out }
}

const MODELS: [&[Model]; 3] = [
    &[
        m("gpt-5-codex", 50, 0.74, 1.25, 10.0),
        m("gpt-5", 20, 0.72, 1.25, 10.0),
        m("gpt-5-mini", 20, 0.58, 0.25, 2.0),
        m("o4-mini", 10, 0.52, 1.1, 4.4),
    ],
    &[
        m("gpt-4.1", 35, 0.52, 2.0, 8.0),
        m("claude-sonnet-4", 30, 0.70, 3.0, 15.0),
        m("gpt-5-mini", 25, 0.56, 0.25, 2.0),
        m("gemini-2.5-pro", 10, 0.60, 1.25, 10.0),
    ],
    &[
        m("claude-sonnet-4", 60, 0.74, 3.0, 15.0),
        m("claude-opus-4", 20, 0.80, 15.0, 75.0),
        m("claude-haiku-4.5", 20, 0.56, 1.0, 5.0),
    ],
];

const VARIANTS: [&[&str]; 3] = [
    &["codex-default", "codex-default", "codex-high-reasoning", "codex-fast"],
    &["copilot-agent", "copilot-agent", "copilot-cli"],
    &["claude-code", "claude-code", "claude-code-plan"],
];

/// Tool names per executor: shell, edit, read, search.
const TOOLS: [[&str; 4]; 3] = [
    ["shell", "apply_patch", "read_file", "grep"],
    ["run_in_terminal", "edit_file", "read_file", "file_search"],
    ["Bash", "Edit", "Read", "Grep"],
];

struct Project {
    id: &'static str,
    files: &'static [&'static str],
    tests: &'static [&'static str],
    lints: &'static [&'static str],
    builds: &'static [&'static str],
    tags: &'static [&'static str],
}

const PROJECTS: [Project; 6] = [
    Project {
        id: "web",
        files: &[
            "src/routes/login.tsx",
            "src/routes/dashboard.tsx",
            "src/lib/auth.ts",
            "src/lib/api.ts",
            "src/components/Header.tsx",
            "src/components/Table.tsx",
            "src/hooks/useSession.ts",
            "package.json",
            "src/styles/theme.css",
            "tests/login.spec.ts",
        ],
        tests: &["npm test", "pnpm test -- --run", "npx vitest run", "npx jest src/lib", "yarn test"],
        lints: &["npx eslint src --ext .ts,.tsx", "npx prettier --check src"],
        builds: &["npm run build", "npx tsc --noEmit"],
        tags: &["frontend", "typescript"],
    },
    Project {
        id: "api",
        files: &[
            "src/auth.rs",
            "src/routes.rs",
            "src/db/pool.rs",
            "src/db/migrations.rs",
            "src/config.rs",
            "src/handlers/users.rs",
            "src/handlers/billing.rs",
            "Cargo.toml",
            "tests/api.rs",
            "src/error.rs",
        ],
        tests: &["cargo test", "cargo test -p api --lib", "cargo nextest run", "cargo test auth::"],
        lints: &["cargo clippy --all-targets -- -D warnings", "cargo fmt --check"],
        builds: &["cargo build", "cargo check --all-targets"],
        tags: &["backend", "rust"],
    },
    Project {
        id: "mobile",
        files: &[
            "app/src/main/kotlin/ui/LoginScreen.kt",
            "app/src/main/kotlin/data/Repo.kt",
            "app/build.gradle",
            "app/src/test/kotlin/RepoTest.kt",
            "app/src/main/res/values/strings.xml",
            "app/src/main/kotlin/sync/SyncWorker.kt",
        ],
        tests: &["./gradlew test", "gradle test --tests RepoTest"],
        lints: &["./gradlew ktlintCheck", "./gradlew lint"],
        builds: &["./gradlew assembleDebug"],
        tags: &["mobile", "kotlin"],
    },
    Project {
        id: "infra",
        files: &[
            "cmd/deployer/main.go",
            "internal/k8s/rollout.go",
            "internal/k8s/rollout_test.go",
            "go.mod",
            "terraform/main.tf",
            "internal/config/load.go",
            ".github/workflows/ci.yml",
        ],
        tests: &["go test ./...", "go test ./internal/k8s -run TestRollout"],
        lints: &["golangci-lint run", "go vet ./..."],
        builds: &["go build ./...", "terraform validate"],
        tags: &["infra", "go"],
    },
    Project {
        id: "data-pipeline",
        files: &[
            "pipeline/ingest.py",
            "pipeline/transform.py",
            "pipeline/schema.py",
            "tests/test_transform.py",
            "requirements.txt",
            "pyproject.toml",
            "pipeline/io/s3.py",
            "dags/daily_load.py",
        ],
        tests: &["pytest -q", "python -m pytest tests/test_transform.py -x", "pytest -k schema"],
        lints: &["ruff check .", "flake8 pipeline", "pylint pipeline", "mypy pipeline"],
        builds: &["pip install -r requirements.txt", "python -m build"],
        tags: &["data", "python"],
    },
    Project {
        id: "cli",
        files: &[
            "src/main.rs",
            "src/args.rs",
            "src/commands/sync.rs",
            "src/commands/init.rs",
            "Cargo.toml",
            "tests/cli.rs",
            "README.md",
        ],
        tests: &["cargo test", "cargo test --test cli"],
        lints: &["cargo clippy -- -D warnings", "cargo fmt --check"],
        builds: &["cargo build --release"],
        tags: &["cli", "rust"],
    },
];

const TITLES: &[&str] = &[
    "Fix login redirect",
    "Add pagination to user list",
    "Upgrade dependencies",
    "Flaky test in checkout flow",
    "Refactor config loading",
    "Add retry to webhook sender",
    "Dark mode toggle",
    "Migrate to new DB pool",
    "Improve error messages on sign-up",
    "Add CSV export",
    "Fix memory leak in sync worker",
    "Add rate limiting middleware",
    "Cache invalidation for profiles",
    "Support SSO via OIDC",
    "Add health check endpoint",
    "Speed up CI pipeline",
    "Fix timezone bug in reports",
    "Add audit logging",
    "Remove deprecated API v1",
    "Localise settings page",
    "Fix broken links in docs",
    "Add unit tests for billing",
    "Handle empty search results",
    "Schema migration for orders",
    "Add feature flag service",
    "Fix race in job scheduler",
    "Support large file uploads",
    "Add metrics dashboard",
    "Tighten CORS policy",
    "Fix off-by-one in pager",
    "Rotate API keys script",
    "Add dry-run flag to deployer",
    "Investigate slow query",
    "Fix crash on empty config",
    "Add retries to S3 client",
    "Update README quickstart",
];

const DESCRIPTIONS: &[&str] = &[
    "Users report the problem intermittently in production; reproduce it with a test first.",
    "Keep the public API unchanged and add tests for the new behaviour.",
    "See the linked issue for logs. The fix should be minimal and covered by CI.",
    "Acceptance: all existing tests pass, new tests cover the edge cases, no new lint warnings.",
    "The current implementation is hard to follow; simplify it without changing behaviour.",
];

const THOUGHTS: &[&str] = &[
    "The failing assertion suggests the value is computed before the session is refreshed.",
    "I should check how the config is loaded in tests before changing the handler.",
    "There are two call sites; changing the signature means updating both and the mock.",
    "The error mentions a missing module, so the dependency was probably never installed in this workspace.",
    "Running the narrow test first will be faster than the whole suite.",
    "The diff is getting large; keep the change focused on the reported bug.",
    "This looks like an ordering problem: the migration runs after the seed data.",
    "I need to read the existing tests to match their style.",
    "The lint failure is unrelated to my change but blocks CI, so fix it too.",
    "Retrying the same command will not help; I should inspect the log instead.",
];

const OUTPUTS: &[&str] = &[
    "I've updated the handler to cover the empty case and added a regression test.",
    "Running the test suite to confirm the fix.",
    "The build fails because of a missing import; fixing it now.",
    "All tests pass locally. Committing the change.",
    "I found the root cause: the cache key ignores the tenant id.",
    "The change is ready for review. Summary of edits below.",
    "Tests are still failing on the same assertion; trying a different approach.",
    "I could not reproduce the failure; the current code already handles this case.",
];

const FOLLOWUP_REASONS: &[&str] =
    &["tests_failing", "review_changes_requested", "incomplete", "anomaly_recovery", "rate_limited", "user_request"];

const SKILLS: &[&str] =
    &["summarize-diff", "triage-issue", "write-changelog", "plan-task", "review-pr", "estimate-effort"];

const STATUSES: &[(&str, &str)] = &[
    ("todo", "inprogress"),
    ("inprogress", "inreview"),
    ("inreview", "inprogress"),
    ("queued", "running"),
    ("running", "waiting_for_approval"),
    ("waiting_for_approval", "running"),
];

/// Error categories with message templates (`{f}` = a file, `{n}` = a number).
const ERRORS_BY_CAT: &[(&str, &[&str])] = &[
    (
        "rate_limit",
        &[
            "Rate limit reached for requests: 429 Too Many Requests (retry after {n}s)",
            "Request rate limit exceeded for this model, please retry later",
        ],
    ),
    (
        "api_error",
        &[
            "Upstream API error: 502 Bad Gateway",
            "API error: 500 Internal Server Error from provider",
            "stream disconnected before completion: error sending request",
        ],
    ),
    ("model_error", &["Model returned an invalid tool call payload", "model is overloaded, please try again"]),
    (
        "auth",
        &[
            "Authentication failed: token expired (401 Unauthorized)",
            "gh: not logged in to github.com; run gh auth login",
        ],
    ),
    ("api_key", &["OPENAI_API_KEY is not set", "Invalid API key provided"]),
    (
        "permission_wait",
        &[
            "Waiting for approval to run shell command (timed out after {n}s)",
            "Tool execution blocked awaiting user permission: write outside workspace",
        ],
    ),
    ("content_policy", &["Response blocked by content filter", "Request rejected: content policy violation"]),
    (
        "context_window",
        &["Context length exceeded: {n}000 tokens > 200000 limit", "prompt is too long for the model context window"],
    ),
    ("timeout", &["Tool call timed out after 600s", "Session exceeded maximum runtime of {n} minutes"]),
    ("network", &["ECONNRESET while contacting registry.npmjs.org", "getaddrinfo ENOTFOUND api.github.com"]),
    ("tool_error", &["apply_patch failed: hunk 2 did not match {f}", "File not found: {f}"]),
    (
        "build",
        &[
            "error[E0308]: mismatched types in {f}",
            "TS2345: Argument of type 'string' is not assignable to parameter of type 'number' ({f})",
        ],
    ),
    ("test", &["test failed: assertion `left == right` failed in {f}", "{n} failing tests in {f}"]),
    (
        "dependency",
        &[
            "Cannot find module '@acme/ui-kit'",
            "No matching distribution found for numpy==2.9.1",
            "failed to select a version for `tokio`",
        ],
    ),
    ("git", &["git push rejected: non-fast-forward", "merge conflict in {f}"]),
    ("unknown", &["Unexpected exit of agent process (code 137)"]),
];

fn cat_index(cat: &str) -> usize {
    ERRORS_BY_CAT.iter().position(|(c, _)| *c == cat).unwrap_or(ERRORS_BY_CAT.len() - 1)
}

/// bosun's classifier names (the real writer's `error_category`) with their canonical category
/// (analytics-spec.md rev. 2, default aliases) and message templates (`{f}` a file, `{n}` a
/// number, `{m}` the model).
const REAL_ERRORS: &[(&str, &str, &[&str])] = &[
    (
        "auth_error",
        "auth",
        &[
            "Authentication failed: 401 Unauthorized from provider",
            "gh auth token expired; run gh auth login to re-authenticate",
        ],
    ),
    (
        "content_policy",
        "content_policy",
        &["Response blocked by content policy", "Request rejected: content policy violation"],
    ),
    ("plan_stuck", "plan_stuck", &["Agent produced a plan but made no changes after {n} turns"]),
    ("rate_limit", "rate_limit", &["Rate limit reached for {m}: 429 Too Many Requests, retry in {n}s"]),
    ("token_overflow", "context_window", &["Context length exceeded: {n}000 tokens > 200000 token limit"]),
    (
        "model_error",
        "model_error",
        &["Model temporarily unavailable due to high demand", "Model returned an invalid tool call payload"],
    ),
    ("request_error", "request_error", &["Invalid request: 400 Bad Request (tool schema rejected)"]),
    (
        "api_error",
        "api_error",
        &["stream disconnected before completion: response.failed", "Upstream API error: 502 Bad Gateway"],
    ),
    ("session_expired", "session_expired", &["SDK session expired after {n} minutes; a new thread was started"]),
    ("oom_kill", "oom", &["Agent process killed by the OOM killer (exit code 137)"]),
    ("oom", "oom", &["JavaScript heap out of memory"]),
    ("codex_sandbox", "codex_sandbox", &["codex sandbox denied a write outside the workspace: {f}"]),
    ("push_failure", "git", &["git push failed: remote rejected (protected branch)"]),
    ("git_conflict", "git", &["merge conflict in {f}"]),
    ("test_failure", "test", &["{n} failing tests in {f}"]),
    ("lint_failure", "lint", &["lint failed: {n} warnings treated as errors in {f}"]),
    ("build_failure", "build", &["error[E0308]: mismatched types in {f}", "Cannot find module '@acme/ui-kit'"]),
];

/// Messages the real writer files under `unknown` although they say what they are: (the
/// category the message means, templates). Each names its category plainly and no other.
const REAL_UNKNOWN: &[(&str, &[&str])] = &[
    (
        "permission_wait",
        &[
            "Waiting for approval: please confirm the command before it runs",
            "Waiting for approval: please confirm writing {f}",
        ],
    ),
    ("auth", &["401 Unauthorized: authentication required"]),
    ("rate_limit", &["429 Too Many Requests: rate limit exceeded"]),
    ("timeout", &["Timeout: the request timed out after {n} seconds"]),
    ("network", &["Network error: read ECONNRESET"]),
    ("context_window", &["Context length exceeded: the prompt is too long for the model's context window"]),
    ("api_error", &["500 Internal Server Error: the server had an error while processing the request"]),
];

/// What bosun's current analyser calls a transient error fingerprint (case-insensitive).
const TRANSIENT: [&str; 9] = [
    "reconnect",
    "stream disconnected",
    "response.failed",
    "rate limit",
    "high demand",
    "provisioned throughput",
    "timeout",
    "econnreset",
    "temporarily unavailable",
];

fn is_transient(fingerprint: &str) -> bool {
    let f = fingerprint.to_ascii_lowercase();
    TRANSIENT.iter().any(|t| f.contains(t))
}

/// bosun's fingerprint: the message with every number replaced by `N`.
fn fingerprint_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_num = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !in_num {
                out.push('N');
            }
            in_num = true;
        } else {
            out.push(c);
            in_num = false;
        }
    }
    out
}

/// The spec's `tools` patterns (test / lint runs), as plain substrings of the command line. Written
/// here again on purpose (as `TRANSIENT` below): the tally checks the core, so it does not use its lists.
const TEST_PATTERNS: [&str; 11] = [
    "cargo test",
    "cargo nextest",
    "npm test",
    "pnpm test",
    "yarn test",
    "pytest",
    "go test",
    "jest",
    "vitest",
    "mvn test",
    "gradle test",
];
const LINT_PATTERNS: [&str; 8] =
    ["clippy", "eslint", "ruff", "flake8", "pylint", "golangci-lint", "prettier --check", "cargo fmt --check"];

/// FNV-1a of a string (a salt for the real writer's fixed choices).
fn str_hash(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

/// A seeded version-4 UUID.
fn uuid(r: &mut Rng) -> String {
    let a = r.u64();
    let b = r.u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

// ---------------------------------------------------------------------------
// PRNG and deterministic math (no libm: identical on every platform)
// ---------------------------------------------------------------------------

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A bijection of u32: turns counters into unique, random-looking ids.
fn mix32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^ (x >> 16)
}

/// xoshiro256**.
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        Rng { s: [splitmix(&mut x), splitmix(&mut x), splitmix(&mut x), splitmix(&mut x)] }
    }
    fn u64(&mut self) -> u64 {
        let s = &mut self.s;
        let r = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        r
    }
    /// Uniform in [0, 1).
    fn f(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.u64() as u128 * n as u128) >> 64) as usize
    }
    /// Uniform integer in [lo, hi).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + ((self.u64() as u128 * (hi - lo) as u128) >> 64) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn weighted(&mut self, ws: &[u32]) -> usize {
        let total: u32 = ws.iter().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, w) in ws.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        ws.len() - 1
    }
    /// Approximately standard normal (Irwin–Hall, 12 uniforms).
    fn normal(&mut self) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.f();
        }
        s - 6.0
    }
    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp_det(sigma * self.normal())
    }
}

/// exp(x) with only +, *, / (bit-identical everywhere).
fn exp_det(x: f64) -> f64 {
    let x = x.clamp(-40.0, 40.0);
    let n = (x * std::f64::consts::LOG2_E).floor();
    let r = x - n * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..16 {
        term *= r / k as f64;
        sum += term;
    }
    let scale = f64::from_bits(((n as i64 + 1023) as u64) << 52);
    sum * scale
}

/// Rounds to `digits` decimals (values stay exactly what gets printed and parsed back).
fn round_to(x: f64, digits: i32) -> f64 {
    let p = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6][digits as usize];
    let v = (x * p + 0.5).floor() / p;
    // Normalise through the decimal text so the tally uses the very value a reader parses.
    v.to_string().parse().unwrap_or(v)
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

use crate::model::time::civil_from_days;
pub use crate::model::time::days_from_civil;

#[derive(Clone, Copy, Debug, PartialEq)]
enum TsStyle {
    /// `2026-02-09T14:23:45.123Z`
    Millis,
    /// `2026-02-09T14:23:45.1234567Z` (PowerShell round-trip)
    Seven,
    /// `2026-02-09T16:23:45.123+02:00`
    Offset,
    /// `2026-02-09T14:23:45Z`
    Seconds,
    /// `1770647025123`
    EpochNum,
    /// `"1770647025123"`
    EpochStr,
}

fn push_pad(b: &mut Vec<u8>, v: i64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    let mut x = v.unsigned_abs();
    while x > 0 {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
    }
    let digits = tmp.len() - i;
    for _ in digits..width {
        b.push(b'0');
    }
    b.extend_from_slice(&tmp[i..]);
}

/// Writes a timestamp JSON value; returns the UTC epoch ms it denotes.
fn write_ts(b: &mut Vec<u8>, ms: i64, style: TsStyle, rng: &mut Rng) -> i64 {
    match style {
        TsStyle::EpochNum => {
            push_pad(b, ms, 1);
            ms
        }
        TsStyle::EpochStr => {
            b.push(b'"');
            push_pad(b, ms, 1);
            b.push(b'"');
            ms
        }
        _ => {
            let off_min = if style == TsStyle::Offset { 120 } else { 0 };
            let local = ms + off_min * MIN_MS;
            let days = local.div_euclid(DAY_MS);
            let rem = local.rem_euclid(DAY_MS);
            let (y, mo, d) = civil_from_days(days);
            b.push(b'"');
            push_pad(b, y, 4);
            b.push(b'-');
            push_pad(b, mo as i64, 2);
            b.push(b'-');
            push_pad(b, d as i64, 2);
            b.push(b'T');
            push_pad(b, rem / HOUR_MS, 2);
            b.push(b':');
            push_pad(b, rem / MIN_MS % 60, 2);
            b.push(b':');
            push_pad(b, rem / SEC % 60, 2);
            let milli = rem % SEC;
            let rep = match style {
                TsStyle::Seconds => ms - milli,
                TsStyle::Seven => {
                    b.push(b'.');
                    push_pad(b, milli, 3);
                    push_pad(b, rng.range(0, 10_000), 4);
                    ms
                }
                _ => {
                    b.push(b'.');
                    push_pad(b, milli, 3);
                    ms
                }
            };
            if off_min == 0 {
                b.push(b'Z');
            } else {
                b.extend_from_slice(b"+02:00");
            }
            b.push(b'"');
            rep
        }
    }
}

// ---------------------------------------------------------------------------
// A small JSON line writer
// ---------------------------------------------------------------------------

struct J {
    b: Vec<u8>,
    first: [bool; 24],
    d: usize,
}

fn esc(b: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    b.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let rep: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        b.extend_from_slice(&bytes[start..i]);
        if rep.is_empty() {
            b.extend_from_slice(b"\\u00");
            b.push(HEX[(c >> 4) as usize]);
            b.push(HEX[(c & 15) as usize]);
        } else {
            b.extend_from_slice(rep);
        }
        start = i + 1;
    }
    b.extend_from_slice(&bytes[start..]);
    b.push(b'"');
}

fn push_f64(b: &mut Vec<u8>, v: f64) {
    use std::io::Write;
    let _ = write!(b, "{}", v);
}

impl J {
    fn new() -> J {
        J { b: Vec::with_capacity(64 * 1024), first: [true; 24], d: 0 }
    }
    fn clear(&mut self) {
        self.b.clear();
        self.d = 0;
    }
    fn sep(&mut self) {
        if !self.first[self.d] {
            self.b.push(b',');
        }
        self.first[self.d] = false;
    }
    /// Opens an object or array (`bracket`) one level deeper.
    fn open_with(&mut self, bracket: u8) {
        self.b.push(bracket);
        self.d += 1;
        self.first[self.d] = true;
    }
    fn close_with(&mut self, bracket: u8) {
        self.b.push(bracket);
        self.d -= 1;
    }
    fn open(&mut self) {
        self.open_with(b'{');
    }
    fn close(&mut self) {
        self.close_with(b'}');
    }
    fn key(&mut self, k: &str) {
        self.sep();
        self.b.push(b'"');
        self.b.extend_from_slice(k.as_bytes());
        self.b.extend_from_slice(b"\":");
    }
    fn s(&mut self, k: &str, v: &str) {
        self.key(k);
        esc(&mut self.b, v);
    }
    fn i(&mut self, k: &str, v: i64) {
        self.key(k);
        if v < 0 {
            self.b.push(b'-');
        }
        push_pad(&mut self.b, v, 1);
    }
    /// A number, or with `as_str` the same digits as a string (`"1234"`).
    fn num(&mut self, k: &str, v: u64, as_str: bool) {
        self.key(k);
        if as_str {
            self.b.push(b'"');
        }
        push_pad(&mut self.b, v as i64, 1);
        if as_str {
            self.b.push(b'"');
        }
    }
    fn f(&mut self, k: &str, v: f64) {
        self.key(k);
        push_f64(&mut self.b, v);
    }
    fn fs(&mut self, k: &str, v: f64, as_str: bool) {
        if as_str {
            self.s(k, &v.to_string());
        } else {
            self.f(k, v);
        }
    }
    fn bo(&mut self, k: &str, v: bool) {
        self.key(k);
        self.b.extend_from_slice(if v { b"true" } else { b"false" });
    }
    fn o(&mut self, k: &str) {
        self.key(k);
        self.open();
    }
    fn a(&mut self, k: &str) {
        self.key(k);
        self.open_with(b'[');
    }
    fn a_end(&mut self) {
        self.close_with(b']');
    }
    fn item_s(&mut self, v: &str) {
        self.sep();
        esc(&mut self.b, v);
    }
    fn item_o(&mut self) {
        self.sep();
        self.open();
    }
}

// ---------------------------------------------------------------------------
// Simulation state
// ---------------------------------------------------------------------------

struct Task {
    id: Option<String>,
    title: &'static str,
    description: &'static str,
    project: usize,
    slug: String,
    /// A recurring problem of this task (repeats across its attempts).
    trouble: Option<&'static str>,
    difficulty: f64,
    attempts: u32,
    counted: bool,
    last_exec: usize,
    last_failed: bool,
    last_anomaly: bool,
    /// Written in bosun's real writer's style (`id` is then the task's UUID).
    real: bool,
    /// Files already counted in `DemoTally::real_hot_files` for this task.
    counted_files: Vec<&'static str>,
}

#[derive(Clone)]
struct Tool {
    kind: u8, // 0 shell, 1 edit, 2 read, 3 search
    name: &'static str,
    arg: &'static str,
    is_test: bool,
}

enum Ev {
    Start {
        ptype: &'static str,
        reason: Option<&'static str>,
    },
    Status {
        from: &'static str,
        to: &'static str,
    },
    Thinking,
    Output {
        long: bool,
    },
    Call(Tool),
    Result {
        tool: Tool,
        ok: bool,
        long: bool,
    },
    Error {
        cat: &'static str,
        tpl: usize,
    },
    Usage,
    Followup {
        reason: &'static str,
    },
    End,
    Alert(AlertKind),
    /// Stop without a session_end (crash).
    Crash,
}

#[derive(Clone, Copy, PartialEq)]
enum AlertKind {
    ToolLoop { count: u32 },
    ErrorLoop { cat: &'static str, tpl: usize, n: u32 },
    Restarts { n: u32 },
    Stuck { idle_ms: i64 },
    Cost,
    FailedHighErrors,
    Novel,
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Success,
    Failed,
    Timeout,
    Interrupted,
    Error,
}

/// Where this attempt's SDK reports usage.
#[derive(Clone, Copy, PartialEq)]
enum UsageStyle {
    CodexItem,
    CodexResponse,
    CodexEvents,
    CopilotMetrics,
    CopilotUsage,
    CopilotSummaryOnly,
    ClaudeMessage,
    ClaudeEvents,
    None,
}

struct Session {
    task: Box<Task>,
    attempt_id: String,
    session_id: String,
    ptype: &'static str,
    exec: usize,
    exec_label: &'static str,
    model: &'static Model,
    variant: &'static str,
    branch: String,
    ts_style: TsStyle,
    transcript: Option<Vec<u8>>,
    transcript_crlf: bool,
    transcript_started: bool,
    rotated: bool,
    // plan
    outcome: Outcome,
    steps_left: u32,
    step_no: u32,
    crash: bool,
    write_row: bool,
    design_note: bool,
    usage: UsageStyle,
    runaway: bool,
    story_tool_loop: bool,
    story_error_loop: bool,
    story_stuck: bool,
    story_restarts: bool,
    guardrail: Option<&'static str>,
    no_change: bool,
    newer_end: bool,
    queue: VecDeque<(i64, Ev)>,
    // progress
    seq: u64,
    sim_ms: i64,
    last_ms: i64,
    start_rep: Option<i64>,
    starts: u32,
    continues: u32,
    tool_calls: u32,
    tool_results: u32,
    tool_failures: u32,
    commands: u32,
    command_failures: u32,
    errors: u32,
    err_cats: Vec<(&'static str, u32)>,
    fingerprints: Vec<String>,
    files: Vec<&'static str>,
    lines_added: u32,
    lines_deleted: u32,
    anomalies: Vec<&'static str>,
    alerted: u32,
    prompt_tok: u64,
    compl_tok: u64,
    cost: f64,
    pending_p: u64,
    pending_c: u64,
    pending_cost: f64,
    // what was written, for the usage resolution of the tally
    wrote_any: bool,
    end_status: Option<&'static str>,
    end_cost: Option<f64>,
    end_tok: Option<u64>,
    ev_cost: Option<f64>,
    ev_tok: Option<u64>,
    nest_cost: Option<f64>,
    nest_tok: Option<u64>,
    /// The real writer's style, and what only it writes.
    real: Option<Box<Real>>,
    /// No line of this (real-style) session carries task_id.
    omit_task: bool,
}

/// The facts of a session written in bosun's real writer's style.
#[derive(Default)]
struct Real {
    /// Seeds the session's fixed choices (an error of the same kind reads the same every time).
    salt: u32,
    /// Four or more transient errors, and no other: `failed_session_transient_errors`.
    story_transient: bool,
    /// permission_denied > 0 in the rollup without a permission-wait error.
    silent_denial: bool,
    counters_as_str: bool,
    auto_resume: bool,
    /// agent_made_commits false beside a non-empty diff (computed before an auto-resume).
    commits_before_resume: bool,
    permission_requests: u32,
    permission_denied: u32,
    permission_errors: u32,
    /// every error written so far has a transient fingerprint
    all_transient: bool,
    /// Codex tool_calls written and not yet answered by a tool_result
    unanswered: u32,
    tokens: TokenBreakdown,
    usage_written: bool,
}

/// A session's facts as the viewer resolves them (computed from written lines).
struct Fin {
    real: bool,
    model: &'static str,
    success: Option<bool>,
    cost: Option<f64>,
    tokens: Option<u64>,
}

/// What a metrics row says about usage and success.
struct RowFacts {
    success: Option<bool>,
    cost: Option<f64>,
    tokens: Option<u64>,
    all_zero: bool,
}

enum Item {
    Arrival,
    Skill,
    Session(Box<Session>),
    Next(Box<Task>),
    Rewrite(Vec<u8>, i64, Fin),
}

struct Gen<'a> {
    sink: &'a mut dyn DemoSink,
    rng: Rng,
    start_ms: i64,
    budget: usize,
    malformed: bool,
    reserved: usize,
    active: usize,
    heap: BinaryHeap<Reverse<(i64, u64, usize)>>,
    order: u64,
    slab: Vec<Option<Item>>,
    free: Vec<usize>,
    task_ctr: u32,
    attempt_ctr: u32,
    skill_ctr: u32,
    mean_gap_ms: f64,
    burst: (i64, i64, usize),
    j: J,
    txt: String,
    stream: Vec<u8>,
    errors: Vec<u8>,
    metrics: Vec<u8>,
    alerts: Vec<u8>,
    alerts_started: bool,
    stream_lines: u64,
    next_bad_line: u64,
    bad_kind: u32,
    no_task: bool,
    t: DemoTally,
    /// The real-writer share: its own PRNG, so that the guide-shaped output does not change
    /// when the share is 0.
    share: f64,
    rrng: Rng,
    /// The UUID of the latest real-style task (its skill_invoke lines carry it).
    last_real_task: Option<String>,
}

// ---------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------

impl<'a> Gen<'a> {
    fn new(cfg: &DemoConfig, sink: &'a mut dyn DemoSink) -> Gen<'a> {
        let mut rng = Rng::new(cfg.seed);
        let days = (cfg.sessions as f64 / 60.0).clamp(1.0, 28.0);
        let span_ms = days * DAY_MS as f64;
        let tasks = (cfg.sessions as f64 / 1.45).max(1.0);
        // The provider outage: one or two hours of rate limits and API errors on one executor.
        let burst_exec = 1 + rng.below(2);
        let burst_start = cfg.start_ms + ((span_ms * 0.45) as i64 / HOUR_MS) * HOUR_MS + 17 * MIN_MS;
        let burst_len = rng.range(70, 110) * MIN_MS;
        Gen {
            sink,
            rng,
            start_ms: cfg.start_ms,
            budget: cfg.sessions,
            malformed: cfg.malformed_lines,
            reserved: 0,
            active: 0,
            heap: BinaryHeap::new(),
            order: 0,
            slab: Vec::new(),
            free: Vec::new(),
            task_ctr: 0,
            attempt_ctr: 0,
            skill_ctr: 0,
            mean_gap_ms: span_ms / tasks,
            burst: (burst_start, burst_start + burst_len, burst_exec),
            j: J::new(),
            txt: String::with_capacity(16 * 1024),
            stream: Vec::with_capacity(FLUSH_MAIN + 64 * 1024),
            errors: Vec::new(),
            metrics: Vec::new(),
            alerts: Vec::new(),
            alerts_started: false,
            stream_lines: 0,
            next_bad_line: 37,
            bad_kind: 0,
            no_task: false,
            t: DemoTally::default(),
            share: if cfg.real_writer_share.is_finite() { cfg.real_writer_share.clamp(0.0, 1.0) } else { 0.0 },
            rrng: Rng::new(cfg.seed ^ 0x5245_414c_5752_4954),
            last_real_task: None,
        }
    }

    fn push(&mut self, at: i64, item: Item) {
        let idx = match self.free.pop() {
            Some(i) => {
                self.slab[i] = Some(item);
                i
            }
            None => {
                self.slab.push(Some(item));
                self.slab.len() - 1
            }
        };
        self.order += 1;
        self.heap.push(Reverse((at, self.order, idx)));
    }

    fn run(&mut self) -> io::Result<()> {
        if self.budget == 0 {
            return Ok(());
        }
        self.push(self.start_ms, Item::Arrival);
        let first_skill = self.start_ms + self.rng.range(2 * MIN_MS, 40 * MIN_MS);
        self.push(first_skill, Item::Skill);
        while let Some(Reverse((t, _, idx))) = self.heap.pop() {
            let item = self.slab[idx].take().expect("scheduled item");
            self.free.push(idx);
            match item {
                Item::Arrival => self.on_arrival(t)?,
                Item::Skill => self.on_skill(t)?,
                Item::Next(task) => self.start_session(task, t),
                Item::Session(s) => self.on_session(s, t)?,
                Item::Rewrite(line, ms, fin) => {
                    self.write_metrics_line(&line, ms)?;
                    self.t.superseded_rows += 1;
                    self.finalize(fin);
                }
            }
        }
        Ok(())
    }

    fn on_arrival(&mut self, t: i64) -> io::Result<()> {
        if self.reserved >= self.budget {
            return Ok(());
        }
        if self.active >= MAX_ACTIVE {
            let d = self.rng.range(MIN_MS, 5 * MIN_MS);
            self.push(t + d, Item::Arrival);
            return Ok(());
        }
        let task = self.new_task();
        self.reserved += 1;
        self.start_session(task, t);
        // Busier in European/US working hours and on weekdays.
        let hour = t.rem_euclid(DAY_MS) / HOUR_MS;
        let weekday = (t.div_euclid(DAY_MS) + 3).rem_euclid(7); // 0 = Monday
        let mut f = if (7..19).contains(&hour) { 0.6 } else { 1.9 };
        if weekday >= 5 {
            f *= 2.2;
        }
        let gap = (self.mean_gap_ms * f * self.expo()) as i64;
        self.push(t + gap.max(SEC), Item::Arrival);
        Ok(())
    }

    /// An exponential variate with mean 1 (inverse CDF via a deterministic log).
    fn expo(&mut self) -> f64 {
        let u = 1.0 - self.rng.f(); // (0, 1]
        -ln_det(u)
    }

    fn new_task(&mut self) -> Box<Task> {
        self.task_ctr += 1;
        let r = &mut self.rng;
        let title = r.pick(TITLES);
        let project = r.below(PROJECTS.len());
        let id = if r.chance(0.015) { None } else { Some(format!("{:08x}", mix32(self.task_ctr))) };
        let slug: String = title
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(3)
            .collect::<Vec<_>>()
            .join("-");
        let trouble = match r.below(20) {
            0 | 1 => Some("dependency"),
            2 => Some("auth"),
            3 => Some("context_window"),
            4 | 5 => Some("test"),
            6 => Some("build"),
            7 => Some("api_key"),
            _ => None,
        };
        let real = self.share > 0.0 && self.rrng.chance(self.share);
        let id = if real { Some(uuid(&mut self.rrng)) } else { id };
        Box::new(Task {
            real,
            counted_files: Vec::new(),
            id,
            title,
            description: r.pick(DESCRIPTIONS),
            project,
            slug,
            trouble,
            difficulty: r.f() * 0.35 + if trouble.is_some() { 0.15 } else { 0.0 },
            attempts: 0,
            counted: false,
            last_exec: r.weighted(&EXEC_WEIGHTS),
            last_failed: false,
            last_anomaly: false,
        })
    }

    fn start_session(&mut self, mut task: Box<Task>, t: i64) {
        self.attempt_ctr += 1;
        self.active += 1;
        task.attempts += 1;
        let attempt_no = task.attempts;
        let in_burst = t >= self.burst.0 && t < self.burst.1;
        let r = &mut self.rng;
        let exec = if attempt_no == 1 {
            if in_burst && r.chance(0.6) {
                self.burst.2
            } else {
                task.last_exec
            }
        } else if r.chance(0.25) {
            (task.last_exec + 1 + r.below(2)) % 3
        } else {
            task.last_exec
        };
        task.last_exec = exec;
        let models = MODELS[exec];
        let weights: Vec<u32> = models.iter().map(|m| m.weight).collect();
        let model = &models[r.weighted(&weights)];
        let (ptype, reason) = if attempt_no == 1 {
            ("initial", None)
        } else if task.last_failed {
            ("retry", Some(if r.chance(0.7) { "tests_failing" } else { "incomplete" }))
        } else if task.last_anomaly {
            ("followup", Some("anomaly_recovery"))
        } else {
            ("followup", Some(r.pick(&["review_changes_requested", "user_request", "incomplete"])))
        };
        let short = match &task.id {
            Some(id) => id[..6].to_string(),
            None => format!("adhoc{:03x}", self.attempt_ctr & 0xfff),
        };
        let attempt_id = if attempt_no == 1 {
            format!("ve-{}-{}-{:x}", short, task.slug, mix32(self.attempt_ctr) & 0xffff)
        } else {
            format!("ve-{}-{}-r{}-{:x}", short, task.slug, attempt_no, mix32(self.attempt_ctr) & 0xffff)
        };
        let session_id = if exec == 2 && r.chance(0.3) {
            attempt_id.clone()
        } else {
            format!("s-{:08x}", mix32(self.attempt_ctr ^ 0x5a5a_5a5a))
        };
        let exec_label = match r.below(100) {
            0..=84 => EXEC_UPPER[exec],
            85..=92 => EXEC_LOWER[exec],
            _ => EXEC_MIXED[exec],
        };
        let ts_style = match r.below(100) {
            0..=79 => TsStyle::Millis,
            80..=89 => TsStyle::Seven,
            90..=95 => TsStyle::Offset,
            _ => TsStyle::Seconds,
        };
        // Success odds: the model's quality, the task's difficulty, a bonus for later attempts.
        let p_success = (model.quality - task.difficulty + 0.08 * (attempt_no as f64 - 1.0).min(3.0)).clamp(0.1, 0.95);
        let guardrail = if r.chance(0.045) {
            Some(match exec {
                0 => r.pick(&["auth", "auth", "permission_wait", "content_policy"]),
                1 => r.pick(&["permission_wait", "permission_wait", "auth", "content_policy"]),
                _ => r.pick(&["content_policy", "content_policy", "permission_wait", "auth"]),
            })
        } else {
            None
        };
        let story_tool_loop = r.chance(0.04);
        let story_error_loop = r.chance(0.04);
        let story_stuck = r.chance(0.04);
        let story_restarts = r.chance(0.025);
        let runaway = r.chance(0.006);
        let mut success = r.chance(p_success);
        if guardrail.is_some() || (story_error_loop && r.chance(0.6)) || (story_tool_loop && r.chance(0.4)) {
            success = false;
        }
        if in_burst && exec == self.burst.2 && r.chance(0.5) {
            success = false;
        }
        let outcome = if success {
            Outcome::Success
        } else {
            match r.below(100) {
                0..=59 => Outcome::Failed,
                60..=74 => Outcome::Timeout,
                75..=84 => Outcome::Interrupted,
                _ => Outcome::Error,
            }
        };
        let crash = r.chance(0.025);
        let rotated = !crash && r.chance(0.01);
        let write_row = rotated || (!crash && r.chance(0.94));
        let usage = if r.chance(0.04) {
            UsageStyle::None
        } else {
            match exec {
                0 => r.pick(&[
                    UsageStyle::CodexItem,
                    UsageStyle::CodexItem,
                    UsageStyle::CodexResponse,
                    UsageStyle::CodexEvents,
                ]),
                1 => r.pick(&[UsageStyle::CopilotMetrics, UsageStyle::CopilotUsage, UsageStyle::CopilotSummaryOnly]),
                _ => r.pick(&[UsageStyle::ClaudeMessage, UsageStyle::ClaudeMessage, UsageStyle::ClaudeEvents]),
            }
        };
        let mut steps = r.lognormal(11.0, 0.55).clamp(3.0, 70.0) as u32;
        if runaway {
            steps = r.range(90, 160) as u32;
        }
        if guardrail.is_some() {
            steps = steps.min(r.range(2, 6) as u32);
        }
        let transcript = if r.chance(0.35) { Some(Vec::new()) } else { None };
        let branch = format!("ve/{}-{}", short, task.slug);
        let design_note = ts_style == TsStyle::Seven || r.chance(0.12);
        let s = Session {
            attempt_id,
            session_id,
            ptype,
            exec,
            exec_label,
            model,
            variant: r.pick(VARIANTS[exec]),
            branch,
            ts_style,
            transcript,
            transcript_crlf: r.chance(0.15),
            transcript_started: false,
            rotated,
            outcome,
            steps_left: steps,
            step_no: 0,
            crash,
            write_row,
            design_note,
            usage,
            runaway,
            story_tool_loop,
            story_error_loop,
            story_stuck,
            story_restarts,
            guardrail,
            no_change: success && r.chance(0.09),
            newer_end: r.chance(0.5),
            queue: VecDeque::new(),
            seq: 0,
            sim_ms: t,
            last_ms: t,
            start_rep: None,
            starts: 0,
            continues: 0,
            tool_calls: 0,
            tool_results: 0,
            tool_failures: 0,
            commands: 0,
            command_failures: 0,
            errors: 0,
            err_cats: Vec::new(),
            fingerprints: Vec::new(),
            files: Vec::new(),
            lines_added: 0,
            lines_deleted: 0,
            anomalies: Vec::new(),
            alerted: 0,
            prompt_tok: 0,
            compl_tok: 0,
            cost: 0.0,
            pending_p: 0,
            pending_c: 0,
            pending_cost: 0.0,
            wrote_any: false,
            end_status: None,
            end_cost: None,
            end_tok: None,
            ev_cost: None,
            ev_tok: None,
            nest_cost: None,
            nest_tok: None,
            real: None,
            omit_task: false,
            task,
        };
        let mut s = Box::new(s);
        s.queue.push_back((0, Ev::Start { ptype, reason }));
        if self.rng.chance(0.4) {
            s.queue.push_back((self.rng.range(200, 2000), Ev::Status { from: "todo", to: "inprogress" }));
        }
        if s.task.real {
            self.make_real(&mut s);
        }
        self.push(t, Item::Session(s));
    }

    /// Turns a planned session into one of bosun's real writer: its ids and labels, and the
    /// stories only that writer has. Draws only from `rrng`.
    fn make_real(&mut self, s: &mut Session) {
        let r = &mut self.rrng;
        let task_uuid = s.task.id.clone().unwrap_or_else(|| uuid(r));
        s.attempt_id = format!("{}-{}", task_uuid, uuid(r));
        s.session_id = s.attempt_id.clone();
        s.branch = format!("ve/{}-{}", &task_uuid[..8], s.task.slug);
        s.exec_label = EXEC_LOWER[s.exec];
        s.variant = s.model.name;
        s.ts_style = TsStyle::Millis;
        s.transcript_crlf = false;
        s.design_note = false;
        s.usage = UsageStyle::None;
        let failed = s.outcome != Outcome::Success;
        let story_transient =
            s.outcome == Outcome::Failed && s.guardrail.is_none() && !s.story_error_loop && r.chance(0.3);
        let silent_denial = failed
            && s.write_row
            && !s.crash
            && !s.rotated
            && s.guardrail != Some("permission_wait")
            && !story_transient
            && r.chance(0.12);
        let auto_resume = r.chance(0.4);
        s.omit_task = r.chance(0.15);
        let real = Real {
            salt: r.u64() as u32,
            story_transient,
            silent_denial,
            counters_as_str: r.chance(0.25),
            auto_resume,
            commits_before_resume: auto_resume && r.chance(0.5),
            permission_requests: r.below(3) as u32,
            permission_denied: if silent_denial { 1 + r.below(3) as u32 } else { 0 },
            all_transient: true,
            ..Real::default()
        };
        s.real = Some(Box::new(real));
        self.last_real_task = Some(task_uuid);
        // The first model turn, so that every real-style session reports tokens.
        s.queue.push_back((r.range(2 * SEC, 9 * SEC), Ev::Output { long: false }));
        s.queue.push_back((r.range(50, 500), Ev::Usage));
    }

    fn on_session(&mut self, mut s: Box<Session>, t: i64) -> io::Result<()> {
        s.sim_ms = t;
        let (_, ev) = s.queue.pop_front().expect("queued event");
        match ev {
            Ev::End => {
                self.emit(&mut s, Ev::End, t)?;
                return self.end_session(s, t);
            }
            Ev::Crash => return self.end_session(s, t),
            ev => self.emit(&mut s, ev, t)?,
        }
        if s.queue.is_empty() {
            self.plan_step(&mut s, t);
        }
        let delay = s.queue.front().map(|q| q.0).unwrap_or(SEC);
        self.push(t + delay.max(1), Item::Session(s));
        Ok(())
    }

    /// Queues the next few events of a session (one "turn" of the agent).
    fn plan_step(&mut self, s: &mut Session, t: i64) {
        let r = &mut self.rng;
        let p = &PROJECTS[s.task.project];
        let tools = TOOLS[s.exec];
        if s.steps_left == 0 {
            if s.crash {
                s.queue.push_back((r.range(SEC, 20 * SEC), Ev::Crash));
            } else {
                if r.chance(0.3) {
                    s.queue.push_back((r.range(SEC, 5 * SEC), Ev::Status { from: "inprogress", to: "inreview" }));
                }
                if matches!(s.usage, UsageStyle::CodexEvents | UsageStyle::ClaudeEvents) && s.pending_p > 0 {
                    s.queue.push_back((r.range(100, 900), Ev::Usage));
                }
                s.queue.push_back((r.range(300, 4 * SEC), Ev::End));
            }
            return;
        }
        s.steps_left -= 1;
        s.step_no += 1;
        let step = s.step_no;
        let q = &mut s.queue;
        let total_steps = step + s.steps_left;
        let real = s.real.is_some();

        if step == 1 && s.real.as_ref().is_some_and(|x| x.story_transient) {
            // A provider having a bad day: transient errors only, then bosun gives up.
            let n = r.range(4, 7);
            for k in 0..n {
                q.push_back((r.range(5 * SEC, 60 * SEC), Ev::Error { cat: "transient", tpl: k as usize + r.below(6) }));
            }
            q.push_back((r.range(SEC, 5 * SEC), Ev::Output { long: false }));
            return;
        }

        // Stories, each at a fixed point of the session.
        if step == 1 && s.story_restarts {
            // Excessive restarts: bosun restarts the SDK session again and again.
            let n = r.range(3, 5) as u32;
            for k in 0..n {
                let ptype = if k % 2 == 0 { "retry" } else { "followup" };
                q.push_back((r.range(20 * SEC, 90 * SEC), Ev::Error { cat: "unknown", tpl: 0 }));
                q.push_back((r.range(2 * SEC, 10 * SEC), Ev::Start { ptype, reason: Some("anomaly_recovery") }));
                if k == 2 {
                    q.push_back((r.range(300, 3000), Ev::Alert(AlertKind::Restarts { n: 3 })));
                }
            }
            s.anomalies.push("restart_session");
            return;
        }
        if let Some(cat) = s.guardrail {
            if step == 1 || r.chance(0.5) {
                let tool = Tool { kind: 0, name: tools[0], arg: r.pick(p.builds), is_test: false };
                q.push_back((r.range(2 * SEC, 20 * SEC), Ev::Call(tool.clone())));
                let wait = if cat == "permission_wait" { r.range(60 * SEC, 240 * SEC) } else { r.range(SEC, 6 * SEC) };
                q.push_back((wait, Ev::Error { cat, tpl: r.below(2) }));
                q.push_back((r.range(200, 2000), Ev::Result { tool, ok: false, long: false }));
                return;
            }
        }
        if s.story_tool_loop && step == (total_steps / 2).max(1) {
            let cmd = r.pick(p.tests);
            let n = r.range(11, 19) as u32;
            for k in 0..n {
                let tool = Tool { kind: 0, name: tools[0], arg: cmd, is_test: true };
                q.push_back((r.range(1500, 4000), Ev::Call(tool.clone())));
                q.push_back((r.range(300, 1200), Ev::Result { tool, ok: false, long: false }));
                if k == 9 && r.chance(0.85) {
                    q.push_back((r.range(50, 900), Ev::Alert(AlertKind::ToolLoop { count: 10 })));
                }
            }
            q.push_back((r.range(SEC, 5 * SEC), Ev::Followup { reason: "anomaly_recovery" }));
            s.anomalies.push("kill_tool_loop");
            return;
        }
        if s.story_error_loop && step == (total_steps / 3).max(1) {
            let cat = s.task.trouble.unwrap_or("build");
            let ci = cat_index(cat);
            let tpl = r.below(ERRORS_BY_CAT[ci].1.len());
            let n = r.range(4, 8) as u32;
            for k in 0..n {
                let tool = Tool { kind: 0, name: tools[0], arg: r.pick(p.builds), is_test: false };
                q.push_back((r.range(20 * SEC, 80 * SEC), Ev::Call(tool.clone())));
                q.push_back((r.range(2 * SEC, 30 * SEC), Ev::Result { tool, ok: false, long: r.chance(0.3) }));
                q.push_back((r.range(100, 800), Ev::Error { cat: ERRORS_BY_CAT[ci].0, tpl }));
                if k == 3 && r.chance(0.85) {
                    q.push_back((
                        r.range(50, 900),
                        Ev::Alert(AlertKind::ErrorLoop { cat: ERRORS_BY_CAT[ci].0, tpl, n: 4 }),
                    ));
                }
            }
            s.anomalies.push("error_loop_escalate");
            return;
        }
        if s.story_stuck && step == (total_steps * 2 / 3).max(1) {
            let idle = r.range(6 * MIN_MS, 28 * MIN_MS);
            q.push_back((r.range(SEC, 5 * SEC), Ev::Thinking));
            if r.chance(0.85) {
                q.push_back((5 * MIN_MS + r.range(0, 30 * SEC), Ev::Alert(AlertKind::Stuck { idle_ms: 5 * MIN_MS })));
                q.push_back((idle - 5 * MIN_MS, Ev::Followup { reason: "anomaly_recovery" }));
            } else {
                q.push_back((idle, Ev::Followup { reason: "anomaly_recovery" }));
            }
            s.anomalies.push("nudge_stuck_agent");
            return;
        }

        // An ordinary turn: think, maybe look around, act, report.
        let burst = t >= self.burst.0 && t < self.burst.1 && s.exec == self.burst.2;
        if burst && r.chance(0.55) {
            let cat = if r.chance(0.7) { "rate_limit" } else { "api_error" };
            let n = r.range(1, 4);
            for _ in 0..n {
                q.push_back((r.range(3 * SEC, 40 * SEC), Ev::Error { cat, tpl: r.below(2) }));
            }
        }
        if r.chance(0.55) {
            q.push_back((r.range(800, 9 * SEC), Ev::Thinking));
        }
        if r.chance(0.35) {
            let tool = if r.chance(0.6) {
                Tool { kind: 2, name: tools[2], arg: r.pick(p.files), is_test: false }
            } else {
                Tool {
                    kind: 3,
                    name: tools[3],
                    arg: r.pick(&["TODO", "fn handle", "import", "config", "retry"]),
                    is_test: false,
                }
            };
            q.push_back((r.range(500, 6 * SEC), Ev::Call(tool.clone())));
            q.push_back((r.range(50, 900), Ev::Result { tool, ok: r.chance(0.97), long: r.chance(0.15) }));
        }
        let late = step * 3 >= total_steps * 2;
        let will_succeed = s.outcome == Outcome::Success;
        match r.below(10) {
            0..=3 if !s.no_change => {
                let file = r.pick(p.files);
                let tool = Tool { kind: 1, name: tools[1], arg: file, is_test: false };
                q.push_back((r.range(2 * SEC, 25 * SEC), Ev::Call(tool.clone())));
                let ok = r.chance(0.95);
                q.push_back((r.range(100, 1500), Ev::Result { tool, ok, long: false }));
                if !ok {
                    q.push_back((r.range(50, 400), Ev::Error { cat: "tool_error", tpl: 0 }));
                }
            }
            _ => {
                let (cmd, is_test) = match r.below(10) {
                    0..=4 => (r.pick(p.tests), true),
                    5..=6 => (r.pick(p.lints), false),
                    7 => (r.pick(p.builds), false),
                    8 => (r.pick(&["git status", "git diff --stat", "git log --oneline -5", "ls -la"]), false),
                    _ => (r.pick(&["git add -A && git commit -m \"wip\"", "git push origin HEAD"]), false),
                };
                let is_lint = p.lints.contains(&cmd);
                let tool = Tool { kind: 0, name: tools[0], arg: cmd, is_test };
                q.push_back((r.range(SEC, 15 * SEC), Ev::Call(tool.clone())));
                let p_ok = if is_test {
                    if late && will_succeed {
                        0.9
                    } else {
                        0.45
                    }
                } else {
                    0.85
                };
                let ok = r.chance(p_ok);
                let dur = if is_test { r.range(8 * SEC, 120 * SEC) } else { r.range(300, 20 * SEC) };
                q.push_back((dur, Ev::Result { tool, ok, long: r.chance(if is_test { 0.35 } else { 0.1 }) }));
                if !ok && r.chance(0.45) {
                    let cat = if is_test {
                        "test"
                    } else if let Some(tr) = s.task.trouble.filter(|_| r.chance(0.6)) {
                        tr
                    } else {
                        r.pick(&["build", "dependency", "git", "tool_error", "network", "timeout"])
                    };
                    let cat = if real && is_lint { "lint" } else { cat };
                    q.push_back((r.range(50, 600), Ev::Error { cat, tpl: r.below(2) }));
                }
            }
        }
        // Sporadic background errors (rate limits everywhere now and then).
        if r.chance(0.012) {
            let cat = r.pick(&["rate_limit", "api_error", "model_error", "network", "context_window"]);
            q.push_back((r.range(SEC, 20 * SEC), Ev::Error { cat, tpl: r.below(2) }));
        }
        if s.task.trouble == Some("context_window") && step > 8 && r.chance(0.3) {
            q.push_back((r.range(SEC, 5 * SEC), Ev::Error { cat: "context_window", tpl: r.below(2) }));
        }
        let long = r.chance(0.07) || (step == total_steps && r.chance(0.5));
        q.push_back((r.range(SEC, 12 * SEC), Ev::Output { long }));
        if real {
            // the real writer reports each turn's usage in a usage event
            q.push_back((r.range(50, 500), Ev::Usage));
        }
        if matches!(s.usage, UsageStyle::CodexEvents | UsageStyle::ClaudeEvents) && r.chance(0.5) {
            q.push_back((r.range(50, 500), Ev::Usage));
        }
        if !s.story_restarts && step == 3 && r.chance(0.05) {
            // An ordinary single restart of the SDK session.
            q.push_back((r.range(5 * SEC, 30 * SEC), Ev::Start { ptype: "followup", reason: Some("incomplete") }));
        }
        if r.chance(0.015) {
            // bosun nudges a running session now and then.
            q.push_back((r.range(5 * SEC, 40 * SEC), Ev::Followup { reason: r.pick(FOLLOWUP_REASONS) }));
        }
        if r.chance(0.02) {
            let (from, to) = r.pick(STATUSES);
            q.push_back((r.range(SEC, 5 * SEC), Ev::Status { from, to }));
        }
    }

    /// Tokens and cost of one model turn.
    fn consume(&mut self, s: &mut Session) -> (u64, u64, f64) {
        let r = &mut self.rng;
        let ctx = 1500 + 260 * s.step_no as u64;
        let mut p = ctx + r.range(0, 3500) as u64;
        let mut c = r.range(60, 1300) as u64;
        if s.runaway {
            p = r.range(20_000, 60_000) as u64;
            c = r.range(1_000, 4_000) as u64;
        }
        let cache_discount = if s.exec == 2 { 0.35 } else { 1.0 };
        let cost = (p as f64 * s.model.usd_in * cache_discount + c as f64 * s.model.usd_out) / 1e6;
        s.prompt_tok += p;
        s.compl_tok += c;
        s.cost += cost;
        s.pending_p += p;
        s.pending_c += c;
        s.pending_cost += cost;
        (p, c, cost)
    }

    // -- writing ---------------------------------------------------------

    fn common(&mut self, s: &mut Session, t: i64, event_type: &str) -> i64 {
        let jitter = if self.rng.chance(0.2) { self.rng.range(0, 2500) } else { 0 };
        let ms = (t - jitter).max(s.last_ms).max(self.start_ms);
        s.last_ms = ms;
        s.seq += 1;
        let style = if self.rng.chance(0.01) {
            if self.rng.chance(0.5) {
                TsStyle::EpochNum
            } else {
                TsStyle::EpochStr
            }
        } else {
            s.ts_style
        };
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, style, &mut self.rng);
        j.s("attempt_id", &s.attempt_id);
        j.s("session_id", &s.session_id);
        if let Some(id) = &s.task.id {
            j.s("task_id", id);
        }
        j.s("task_title", s.task.title);
        if event_type == "session_start" {
            j.s("task_description", s.task.description);
        }
        j.s("project_id", PROJECTS[s.task.project].id);
        j.s("executor", s.exec_label);
        j.s("executor_variant", s.variant);
        j.s("model", s.model.name);
        j.s("event_type", event_type);
        if s.start_rep.is_none() {
            s.start_rep = Some(rep);
        }
        rep
    }

    fn tail(&mut self, s: &Session, rep: i64) {
        let j = &mut self.j;
        j.s("branch", &s.branch);
        j.s("base_branch", "main");
        j.i("commits_ahead", (s.files.len() as i64 + 1) / 2);
        j.i("commits_behind", 0);
        j.i("elapsed_ms", rep - s.start_rep.unwrap_or(rep));
        j.i("sequence_num", s.seq as i64);
        if s.seq.is_multiple_of(3) {
            let tags = PROJECTS[s.task.project].tags;
            j.a("tags");
            for t in tags {
                j.item_s(t);
            }
            j.a_end();
        }
        j.close();
    }

    /// Writes a usage object into the open data object, per the session's SDK style.
    /// Returns (normalised total tokens, cost if written).
    fn nested_usage(&mut self, s: &Session, p: u64, c: u64, cost: f64) -> (u64, Option<f64>) {
        let j = &mut self.j;
        match s.usage {
            UsageStyle::CodexItem => {
                j.o("item");
                j.s("type", "agent_message");
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", p + c, false);
                j.close();
                j.close();
                (p + c, None)
            }
            UsageStyle::CodexResponse => {
                j.o("response");
                j.s("id", "resp_demo");
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.close();
                j.close();
                (p + c, None)
            }
            UsageStyle::CopilotMetrics => {
                j.o("metrics");
                j.o("usage");
                j.num("input_tokens", p, false);
                j.num("output_tokens", c, false);
                j.close();
                j.close();
                (p + c, None)
            }
            UsageStyle::CopilotUsage => {
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", 0, false);
                let v = round_to(cost, 6);
                j.f("cost_usd", v);
                j.close();
                (p + c, Some(v))
            }
            UsageStyle::ClaudeMessage => {
                let cache_read = p * 7 / 10;
                let cache_new = p / 5;
                let input = p - cache_read - cache_new;
                j.o("message");
                j.s("role", "assistant");
                j.o("usage");
                j.num("input_tokens", input, false);
                j.num("output_tokens", c, false);
                j.num("cache_read_input_tokens", cache_read, false);
                j.num("cache_creation_input_tokens", cache_new, false);
                j.close();
                j.close();
                (p + c, None)
            }
            _ => (0, None),
        }
    }

    fn emit(&mut self, s: &mut Session, ev: Ev, t: i64) -> io::Result<()> {
        if let Ev::Alert(kind) = ev {
            return self.write_alert(s, kind, t);
        }
        if let Some(mut x) = s.real.take() {
            let res = self.emit_real(s, &mut x, ev, t);
            s.real = Some(x);
            return res;
        }
        let Some(et) = event_type_of(&ev) else { unreachable!() };
        let rep = self.common(s, t, et);
        let mut is_error = false;
        let mut nested: Option<(u64, Option<f64>)> = None;
        let mut usage_ev: Option<(u64, Option<f64>)> = None;
        let mut end: Option<(Option<f64>, Option<u64>, &'static str)> = None;
        match ev {
            Ev::Start { ptype, reason } => {
                s.starts += 1;
                let j = &mut self.j;
                j.o("data");
                self.txt.clear();
                self.txt.push_str("You are working on task \"");
                self.txt.push_str(s.task.title);
                self.txt.push_str("\" in project ");
                self.txt.push_str(PROJECTS[s.task.project].id);
                self.txt.push_str(".\n");
                self.txt.push_str(s.task.description);
                if ptype != "initial" {
                    self.txt.push_str("\nThe previous attempt did not finish; continue from the current branch state.");
                }
                self.txt.push_str(
                    "\nRules: run the tests before committing; keep the diff focused; do not modify CI configuration.",
                );
                j.s("prompt", &self.txt);
                j.s("prompt_type", ptype);
                if let Some(r) = reason {
                    j.s("followup_reason", r);
                }
                j.close();
            }
            Ev::Status { from, to } => {
                let j = &mut self.j;
                j.o("data");
                j.s("from", from);
                j.s("to", to);
                j.close();
            }
            Ev::Thinking => {
                self.txt.clear();
                let n = self.rng.range(1, 4);
                for k in 0..n {
                    if k > 0 {
                        self.txt.push(' ');
                    }
                    self.txt.push_str(self.rng.pick(THOUGHTS));
                }
                let j = &mut self.j;
                j.o("data");
                j.s("thinking", &self.txt);
                j.close();
            }
            Ev::Output { long } => {
                let (p, c, cost) = self.consume(s);
                self.txt.clear();
                self.txt.push_str(self.rng.pick(OUTPUTS));
                if long {
                    let n = self.rng.range(2_000, 12_000) as usize;
                    long_text(&mut self.rng, &mut self.txt, PROJECTS[s.task.project].files, n);
                }
                self.j.o("data");
                self.j.s("output", &self.txt);
                self.j.s("stream_type", if self.rng.chance(0.9) { "stdout" } else { "stderr" });
                if matches!(
                    s.usage,
                    UsageStyle::CodexItem
                        | UsageStyle::CodexResponse
                        | UsageStyle::CopilotMetrics
                        | UsageStyle::CopilotUsage
                        | UsageStyle::ClaudeMessage
                ) {
                    nested = Some(self.nested_usage(s, p, c, cost));
                    s.pending_p = 0;
                    s.pending_c = 0;
                    s.pending_cost = 0.0;
                }
                self.j.close();
            }
            Ev::Call(tool) => {
                s.tool_calls += 1;
                if tool.kind == 0 {
                    s.commands += 1;
                }
                if tool.kind == 1 && !s.files.contains(&tool.arg) && s.files.len() < 12 {
                    s.files.push(tool.arg);
                }
                let j = &mut self.j;
                j.o("data");
                j.s("tool_name", tool.name);
                j.o("tool_params");
                match tool.kind {
                    0 => {
                        j.s("command", tool.arg);
                        if s.exec == 0 {
                            j.i("timeout_ms", 600_000);
                        }
                    }
                    1 => {
                        j.s(if s.exec == 2 || s.seq.is_multiple_of(2) { "file_path" } else { "path" }, tool.arg);
                        j.s("old_string", "let value = compute(input);");
                        j.s("new_string", "let value = compute(input).unwrap_or_default();");
                    }
                    2 => j.s("path", tool.arg),
                    _ => j.s("pattern", tool.arg),
                }
                j.close();
                j.close();
            }
            Ev::Result { tool, ok, long } => {
                s.tool_results += 1;
                if !ok {
                    s.tool_failures += 1;
                    if tool.kind == 0 {
                        s.command_failures += 1;
                    }
                }
                if ok && tool.kind == 1 {
                    let a = self.rng.range(1, 60) as u32;
                    s.lines_added += a;
                    s.lines_deleted += self.rng.range(0, a as i64) as u32;
                }
                self.txt.clear();
                match tool.kind {
                    0 if tool.is_test => test_log(&mut self.rng, &mut self.txt, ok, if long { 120 } else { 8 }),
                    0 => {
                        self.txt.push_str(if ok { "exit status 0" } else { "exit status 1: command failed" });
                        if long {
                            long_text(&mut self.rng, &mut self.txt, PROJECTS[s.task.project].files, 6_000);
                        }
                    }
                    1 => self.txt.push_str(if ok {
                        "Applied edit."
                    } else {
                        "Edit failed: old_string not found in file"
                    }),
                    _ => {
                        self.txt.push_str("fn main() {\n    run();\n}\n");
                        if long {
                            long_text(&mut self.rng, &mut self.txt, PROJECTS[s.task.project].files, 4_000);
                        }
                    }
                }
                let j = &mut self.j;
                j.o("data");
                j.s("tool_name", tool.name);
                match s.exec {
                    1 => j.bo("success", ok),
                    2 if s.seq.is_multiple_of(2) => j.s("status", if ok { "success" } else { "error" }),
                    _ => j.s("result", if ok { "success" } else { "error" }),
                }
                j.o("result_data");
                if tool.kind == 0 {
                    j.i("exit_code", if ok { 0 } else { 1 });
                }
                j.s("output", &self.txt);
                j.close();
                j.close();
            }
            Ev::Error { cat, tpl } => {
                is_error = true;
                s.errors += 1;
                match s.err_cats.iter_mut().find(|(c, _)| *c == cat) {
                    Some(e) => e.1 += 1,
                    None => s.err_cats.push((cat, 1)),
                }
                let ci = cat_index(cat);
                let tpls = ERRORS_BY_CAT[ci].1;
                let tpl = tpl % tpls.len();
                let fp = format!("{:012x}", (mix32((ci as u32) << 8 | tpl as u32) as u64) << 16 | 0xbeef);
                if !s.fingerprints.contains(&fp) && s.fingerprints.len() < 8 {
                    s.fingerprints.push(fp.clone());
                }
                self.txt.clear();
                let file = self.rng.pick(PROJECTS[s.task.project].files);
                let num = self.rng.range(2, 90).to_string();
                self.txt.push_str(&tpls[tpl].replace("{f}", file).replace("{n}", &num));
                let with_cat = !self.rng.chance(0.04);
                let with_fp = !self.rng.chance(0.03);
                let conf = round_to(0.5 + self.rng.f() * 0.49, 2);
                let trace = self.rng.chance(0.2);
                let j = &mut self.j;
                j.o("data");
                j.s("error_message", &self.txt);
                if with_cat {
                    j.s("error_category", cat);
                }
                if with_fp {
                    j.s("error_fingerprint", &fp);
                }
                j.f("error_confidence", conf);
                if trace {
                    j.s("stack_trace", "Error: request failed\n    at Client.send (client.js:212:15)\n    at async Agent.turn (agent.js:88:9)");
                }
                j.close();
            }
            Ev::Usage => {
                // A usage event reports what was consumed since the last one.
                let (p, c, cost) = (s.pending_p, s.pending_c, s.pending_cost);
                s.pending_p = 0;
                s.pending_c = 0;
                s.pending_cost = 0.0;
                let as_str = self.rng.chance(0.15);
                let with_cost = self.rng.chance(0.7);
                let cost_str = self.rng.chance(0.1);
                let claude = s.exec == 2;
                let j = &mut self.j;
                j.o("data");
                if claude {
                    j.num("input_tokens", p, as_str);
                    j.num("output_tokens", c, as_str);
                } else {
                    j.num("prompt_tokens", p, as_str);
                    j.num("completion_tokens", c, as_str);
                    j.num("total_tokens", p + c, as_str);
                }
                let v = round_to(cost, 6);
                if with_cost {
                    j.fs(if claude { "total_cost_usd" } else { "cost_usd" }, v, cost_str);
                }
                j.close();
                usage_ev = Some((p + c, if with_cost { Some(v) } else { None }));
            }
            Ev::Followup { reason } => {
                s.continues += 1;
                let j = &mut self.j;
                j.o("data");
                j.s(
                    "prompt",
                    "Continue. You seem to be stuck: summarise what you tried, then take a different approach.",
                );
                j.s("followup_reason", reason);
                j.close();
            }
            Ev::End => {
                let status = match s.outcome {
                    Outcome::Success => {
                        if s.exec == 0 || self.rng.chance(0.3) {
                            "completed"
                        } else {
                            "success"
                        }
                    }
                    Outcome::Failed => "failed",
                    Outcome::Timeout => "timeout",
                    Outcome::Interrupted => "interrupted",
                    Outcome::Error => "error",
                };
                let duration = rep - s.start_rep.unwrap_or(rep);
                let total = s.prompt_tok + s.compl_tok;
                let cost = round_to(s.cost, 4);
                let j = &mut self.j;
                j.o("data");
                j.s("completion_status", status);
                j.i("duration_ms", duration);
                let (mut ec, mut et) = (None, None);
                match s.usage {
                    UsageStyle::None => {}
                    UsageStyle::ClaudeMessage | UsageStyle::ClaudeEvents => {
                        j.o("result");
                        j.o("usage");
                        j.num("input_tokens", s.prompt_tok, false);
                        j.num("output_tokens", s.compl_tok, false);
                        j.f("total_cost_usd", cost);
                        j.close();
                        j.close();
                        ec = Some(cost);
                        et = Some(total);
                    }
                    UsageStyle::CopilotSummaryOnly | UsageStyle::CopilotMetrics => {
                        j.o("usage");
                        j.num("input_tokens", s.prompt_tok, false);
                        j.num("output_tokens", s.compl_tok, false);
                        j.close();
                        et = Some(total);
                    }
                    _ => {
                        j.num("total_tokens", total, false);
                        if s.usage != UsageStyle::CodexResponse {
                            j.f("cost_usd", cost);
                            ec = Some(cost);
                        }
                        et = Some(total);
                    }
                }
                if s.newer_end {
                    j.bo("success", s.outcome == Outcome::Success);
                    j.i("attempts", s.starts as i64);
                    j.i("continues", s.continues as i64);
                    j.i("tool_calls", s.tool_calls as i64);
                    j.i("tool_failures", s.tool_failures as i64);
                    j.a("anomalies");
                    for a in &s.anomalies {
                        j.item_s(a);
                    }
                    j.a_end();
                    j.i("diff_files_changed", s.files.len() as i64);
                }
                j.close();
                end = Some((ec, et, status));
            }
            Ev::Alert(_) | Ev::Crash => unreachable!(),
        }
        self.tail(s, rep);
        if s.rotated {
            return Ok(()); // this attempt's events were rotated away; only its metrics row survives
        }
        // Account for what is now written.
        if let Some((tok, cost)) = nested {
            s.nest_tok = Some(s.nest_tok.unwrap_or(0) + tok);
            if let Some(c) = cost {
                s.nest_cost = Some(s.nest_cost.unwrap_or(0.0) + c);
            }
        }
        if let Some((tok, cost)) = usage_ev {
            s.ev_tok = Some(s.ev_tok.unwrap_or(0) + tok);
            if let Some(c) = cost {
                s.ev_cost = Some(s.ev_cost.unwrap_or(0.0) + c);
            }
        }
        if let Some((c, tk, st)) = end {
            s.end_cost = c;
            s.end_tok = tk;
            s.end_status = Some(st);
        }
        self.write_event(Some(s), is_error, rep)
    }

    /// The line prefix of bosun's real writer (JavaScript: `toISOString()` timestamps).
    fn common_real(&mut self, s: &mut Session, t: i64, event_type: &str) -> i64 {
        let jitter = if self.rng.chance(0.2) { self.rng.range(0, 2500) } else { 0 };
        // strictly increasing: without sequence numbers, two equal lines would be one record
        let ms = (t - jitter).max(s.last_ms + s.seq.min(1) as i64).max(self.start_ms);
        s.last_ms = ms;
        s.seq += 1;
        let with_task = !s.omit_task && !self.rrng.chance(0.1);
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, TsStyle::Millis, &mut self.rng);
        j.s("attempt_id", &s.attempt_id);
        if let Some(id) = s.task.id.as_ref().filter(|_| with_task) {
            j.s("task_id", id);
        }
        j.s("task_title", s.task.title);
        j.s("task_description", s.task.description);
        j.s("executor", s.exec_label);
        j.s("executor_variant", s.variant);
        j.s("model", s.model.name);
        j.s("event_type", event_type);
        if s.start_rep.is_none() {
            s.start_rep = Some(rep);
        }
        rep
    }

    /// An error of a real-style session: (the classifier's name as written, its canonical
    /// category, the message). The same kind of error reads the same within a session (its
    /// numbers aside, which the fingerprint replaces), so error loops keep one fingerprint.
    fn real_error(s: &Session, salt: u32, cat: &str, tpl: usize, num: i64) -> (&'static str, &'static str, String) {
        let h = mix32(salt ^ str_hash(cat) ^ (tpl as u32).wrapping_mul(0x9e37_79b9));
        let pct = h % 100;
        // (classifier name or None for `unknown`, meaning, forced template)
        let (name, meaning, forced): (Option<&'static str>, &'static str, Option<usize>) = match cat {
            "transient" => match tpl % 6 {
                0 => (Some("rate_limit"), "", None),
                1 => (Some("api_error"), "", Some(0)),
                2 => (None, "rate_limit", None),
                3 => (None, "timeout", None),
                4 => (None, "network", None),
                _ => (Some("model_error"), "", Some(0)),
            },
            "rate_limit" if pct < 30 => (None, "rate_limit", None),
            "rate_limit" => (Some("rate_limit"), "", None),
            "api_error" if pct < 30 => (None, "api_error", None),
            "api_error" => (Some("api_error"), "", None),
            "model_error" if tpl % 2 == 1 && pct < 40 => (Some("plan_stuck"), "", None),
            "model_error" => (Some("model_error"), "", None),
            "auth" if pct < 30 => (None, "auth", None),
            "auth" | "api_key" => (Some("auth_error"), "", None),
            "permission_wait" => (None, "permission_wait", None),
            "content_policy" => (Some("content_policy"), "", None),
            "context_window" if pct < 30 => (None, "context_window", None),
            "context_window" => (Some("token_overflow"), "", None),
            "timeout" if pct < 25 => (Some("session_expired"), "", None),
            "timeout" => (None, "timeout", None),
            "network" if pct < 20 => (Some("request_error"), "", None),
            "network" => (None, "network", None),
            "tool_error" if s.exec == 0 => (Some("codex_sandbox"), "", None),
            "tool_error" => (Some("request_error"), "", None),
            "build" | "dependency" => (Some("build_failure"), "", None),
            "test" => (Some("test_failure"), "", None),
            "lint" => (Some("lint_failure"), "", None),
            "git" if (tpl as u32 + pct).is_multiple_of(2) => (Some("push_failure"), "", None),
            "git" => (Some("git_conflict"), "", None),
            _ if pct < 50 => (Some("oom_kill"), "", None),
            _ => (Some("oom"), "", None),
        };
        let (written, canonical, tpls) = match name {
            Some(n) => match REAL_ERRORS.iter().find(|e| e.0 == n) {
                Some(e) => (e.0, e.1, e.2),
                None => ("unknown", "unknown", &[""][..]),
            },
            None => match REAL_UNKNOWN.iter().find(|e| e.0 == meaning) {
                Some(e) => ("unknown", e.0, e.1),
                None => ("unknown", "unknown", &[""][..]),
            },
        };
        let tpl = forced.unwrap_or((h >> 8) as usize % tpls.len()) % tpls.len();
        let files = PROJECTS[s.task.project].files;
        let file = files[(h >> 16) as usize % files.len()];
        let message = tpls[tpl].replace("{f}", file).replace("{m}", s.model.name).replace("{n}", &num.to_string());
        (written, canonical, message)
    }

    /// The rollup bosun's real writer puts in `session_end` (with a duration) and in the
    /// metrics row (without): the same facts, field for field.
    fn real_rollup(&mut self, s: &Session, x: &Real, duration_ms: Option<i64>) {
        let success = s.outcome == Outcome::Success;
        let status = match s.outcome {
            Outcome::Success => "completed",
            Outcome::Failed => "failed",
            Outcome::Timeout => "timeout",
            Outcome::Interrupted => "interrupted",
            Outcome::Error => "error",
        };
        let j = &mut self.j;
        j.s("completion_status", status);
        if let Some(d) = duration_ms {
            j.i("duration_ms", d);
        }
        let st = x.counters_as_str;
        j.num("tool_calls", s.tool_calls as u64, st);
        j.num("tool_results", s.tool_results as u64, false);
        j.num("tool_failures", s.tool_failures as u64, st);
        j.num("commands", s.commands as u64, st);
        j.num("command_failures", s.command_failures as u64, false);
        j.num("permission_requests", (x.permission_requests + x.permission_denied) as u64, false);
        j.num("permission_denied", x.permission_denied as u64, false);
        j.num("prompt_tokens", s.prompt_tok, st);
        j.num("completion_tokens", s.compl_tok, false);
        j.num("total_tokens", s.prompt_tok + s.compl_tok, false);
        // cost 0 when the SDK reported none (Codex, Claude): unknown, not free
        j.f("cost_usd", if s.exec == 1 { round_to(s.cost, 4) } else { 0.0 });
        j.s("model", s.model.name);
        j.a("anomaly_actions");
        for (k, a) in s.anomalies.iter().enumerate() {
            let (ty, action) = match *a {
                "kill_tool_loop" => ("TOOL_CALL_LOOP", "kill"),
                "error_loop_escalate" => ("REPEATED_ERROR", "warn"),
                "nudge_stuck_agent" => ("STALLED_AGENT", "warn"),
                _ => ("SESSION_RESTARTS", "warn"),
            };
            j.item_o();
            j.s("type", ty);
            j.s("action", action);
            j.s("severity", "HIGH");
            j.i("timestamp", s.start_rep.unwrap_or(0) + (k as i64 + 1) * 61_000);
            j.close();
        }
        j.a_end();
        j.bo("auto_resume", x.auto_resume || s.continues > 0);
        j.bo("success", success);
        j.i("retry_count", s.starts.saturating_sub(1) as i64);
        j.i("attempts", s.starts as i64);
        j.i("continues", s.continues as i64);
        j.bo("first_shot_success", success && s.starts == 1 && s.continues == 0 && s.ptype == "initial");
        j.bo("agent_made_commits", !s.files.is_empty() && !x.commits_before_resume);
        // bosun's diff layout: a summary line, then one indented line per file
        self.txt.clear();
        let n = s.files.len() as u32;
        if n == 0 {
            self.txt.push_str("(no diff stats available)");
        } else {
            use std::fmt::Write;
            let _ = write!(self.txt, "{} file(s) changed, +{} -{}", n, s.lines_added, s.lines_deleted);
            let w = s.files.iter().map(|f| f.len()).max().unwrap_or(0);
            for (k, f) in s.files.iter().enumerate() {
                let k = k as u32;
                let a = s.lines_added / n + (k < s.lines_added % n) as u32;
                let d = s.lines_deleted / n + (k < s.lines_deleted % n) as u32;
                let _ = write!(self.txt, "\n  {:<w$}  {:>5}  {:>5}", f, format!("+{a}"), format!("-{d}"));
            }
        }
        let j = &mut self.j;
        j.s("diff_summary", &self.txt);
        j.i("diff_files_changed", n as i64);
        j.i("diff_lines_added", s.lines_added as i64);
        j.i("diff_lines_deleted", s.lines_deleted as i64);
    }

    /// Renders a real-style metrics row into `self.j.b`.
    fn render_real_row(&mut self, s: &Session, x: &Real, ms: i64) -> (i64, RowFacts) {
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, TsStyle::Millis, &mut self.rng);
        j.s("attempt_id", &s.attempt_id);
        if let Some(id) = s.task.id.as_ref().filter(|_| !s.omit_task) {
            j.s("task_id", id);
        }
        j.s("task_title", s.task.title);
        j.s("executor", s.exec_label);
        j.s("executor_variant", s.variant);
        j.s("model", s.model.name);
        j.o("metrics");
        self.real_rollup(s, x, None);
        self.j.close();
        self.j.close();
        let tokens = s.prompt_tok + s.compl_tok;
        let facts = RowFacts {
            success: Some(s.outcome == Outcome::Success),
            cost: if s.exec == 1 { Some(round_to(s.cost, 4)) } else { None },
            tokens: Some(tokens),
            all_zero: tokens == 0 && (s.exec != 1 || round_to(s.cost, 4) == 0.0),
        };
        (rep, facts)
    }

    /// Counts a file as touched by a real-style task (once per task).
    fn real_hot_file(&mut self, s: &mut Session, file: &'static str) {
        if !s.task.counted_files.contains(&file) {
            s.task.counted_files.push(file);
            *self.t.real_hot_files.entry(file.to_string()).or_default() += 1;
        }
    }

    /// One event of a real-style session, written as bosun's real writer does.
    fn emit_real(&mut self, s: &mut Session, x: &mut Real, ev: Ev, t: i64) -> io::Result<()> {
        let Some(et) = event_type_of(&ev) else { return Ok(()) };
        // What the SDK saw, whether or not the writer keeps the line.
        match &ev {
            Ev::Call(tool) => {
                s.tool_calls += 1;
                if tool.kind == 0 {
                    s.commands += 1;
                }
                if tool.kind == 1 && !s.files.contains(&tool.arg) && s.files.len() < 12 {
                    s.files.push(tool.arg);
                }
            }
            Ev::Result { tool, ok, .. } => {
                s.tool_results += 1;
                if !ok {
                    s.tool_failures += 1;
                    if tool.kind == 0 {
                        s.command_failures += 1;
                    }
                }
                if *ok && tool.kind == 1 {
                    let a = self.rng.range(1, 60) as u32;
                    s.lines_added += a;
                    s.lines_deleted += self.rng.range(0, a as i64) as u32;
                }
            }
            _ => {}
        }
        // The writer drops Claude's content blocks (no tool events) and Copilot's tool results.
        match &ev {
            Ev::Call(_) if s.exec == 2 => return Ok(()),
            Ev::Result { .. } if s.exec != 0 => return Ok(()),
            _ => {}
        }
        let mut error: Option<(&'static str, &'static str, String)> = None;
        if let Ev::Error { cat, tpl } = &ev {
            let num = self.rng.range(2, 90);
            let (written, canonical, message) = Self::real_error(s, x.salt, cat, *tpl, num);
            let fp = fingerprint_of(&message);
            if x.story_transient && !is_transient(&fp) {
                return Ok(()); // that session's errors are all transient
            }
            s.errors += 1;
            match s.err_cats.iter_mut().find(|(c, _)| *c == canonical) {
                Some(e) => e.1 += 1,
                None => s.err_cats.push((canonical, 1)),
            }
            x.all_transient &= is_transient(&fp);
            if !s.fingerprints.contains(&fp) && s.fingerprints.len() < 8 {
                s.fingerprints.push(fp.clone());
            }
            if canonical == "permission_wait" {
                x.permission_errors += 1;
                if s.outcome != Outcome::Success {
                    x.permission_denied += 1;
                } else {
                    x.permission_requests += 1;
                }
            }
            error = Some((written, canonical, message));
        }
        let rep = self.common_real(s, t, et);
        let mut usage_ev: Option<(u64, Option<f64>)> = None;
        let mut tokens = TokenBreakdown::default();
        let mut end: Option<(Option<f64>, Option<u64>, &'static str)> = None;
        // (test run, lint run) of a Codex call; a Copilot call's file
        let mut codex_call: Option<(bool, bool)> = None;
        let mut copilot_file: Option<&'static str> = None;
        let mut codex_result: Option<bool> = None;
        self.j.o("data");
        match ev {
            Ev::Start { ptype, reason } => {
                s.starts += 1;
                self.txt.clear();
                self.txt.push_str("You are working on task \"");
                self.txt.push_str(s.task.title);
                self.txt.push_str("\".\n");
                self.txt.push_str(s.task.description);
                if ptype != "initial" {
                    self.txt.push_str("\nThe previous attempt did not finish; continue from the current branch state.");
                }
                self.j.s("prompt", &self.txt);
                self.j.s("prompt_type", ptype);
                if let Some(r) = reason {
                    self.j.s("followup_reason", r);
                }
            }
            Ev::Status { from, to } => {
                self.j.s("from", from);
                self.j.s("to", to);
            }
            Ev::Thinking => {
                self.txt.clear();
                self.txt.push_str(self.rng.pick(THOUGHTS));
                self.j.s("thinking", &self.txt);
            }
            Ev::Output { long } => {
                self.consume(s);
                self.txt.clear();
                self.txt.push_str(self.rng.pick(OUTPUTS));
                if long {
                    let n = self.rng.range(2_000, 12_000) as usize;
                    long_text(&mut self.rng, &mut self.txt, PROJECTS[s.task.project].files, n);
                }
                self.j.s("output", &self.txt);
            }
            Ev::Call(tool) if s.exec == 0 => {
                // Codex: `shell`, its arguments as a JSON string, the command an array
                let line: String = match tool.kind {
                    0 => tool.arg.to_string(),
                    1 => format!("*** Begin Patch\n*** Update File: {}\n@@\n-    let value = compute(input);\n+    let value = compute(input).unwrap_or_default();\n*** End Patch\n", tool.arg),
                    2 => format!("sed -n '1,200p' {}", tool.arg),
                    _ => format!("rg -n \"{}\"", tool.arg),
                };
                let mut params: Vec<u8> = Vec::with_capacity(line.len() + 80);
                params.extend_from_slice(b"{\"command\":[");
                if tool.kind == 1 {
                    esc(&mut params, "apply_patch");
                } else {
                    params.extend_from_slice(b"\"bash\",\"-lc\"");
                }
                params.push(b',');
                esc(&mut params, &line);
                params.extend_from_slice(b"],\"workdir\":");
                esc(&mut params, &format!("/work/{}", PROJECTS[s.task.project].id));
                params.extend_from_slice(b",\"timeout_ms\":600000}");
                self.j.s("tool_name", "shell");
                self.j.s("tool_params", std::str::from_utf8(&params).unwrap_or("{}"));
                let cmdline = if tool.kind == 1 { format!("apply_patch {line}") } else { line };
                codex_call = Some((
                    TEST_PATTERNS.iter().any(|p| cmdline.contains(p)),
                    LINT_PATTERNS.iter().any(|p| cmdline.contains(p)),
                ));
            }
            Ev::Call(tool) => {
                // Copilot: an object, a shell command as a string
                self.j.s("tool_name", tool.name);
                self.j.o("tool_params");
                match tool.kind {
                    0 => self.j.s("command", tool.arg),
                    1 => {
                        self.j.s("path", tool.arg);
                        self.j.s("explanation", "Apply the fix");
                        copilot_file = Some(tool.arg);
                    }
                    2 => self.j.s("path", tool.arg),
                    _ => self.j.s("query", tool.arg),
                }
                self.j.close();
            }
            Ev::Result { tool, ok, long } => {
                // Codex: no tool_name, no call id; the output text and a status
                self.txt.clear();
                match tool.kind {
                    0 if tool.is_test => test_log(&mut self.rng, &mut self.txt, ok, if long { 120 } else { 8 }),
                    0 => self.txt.push_str(if ok { "exit status 0" } else { "exit status 1: command failed" }),
                    1 => self.txt.push_str(if ok {
                        "Success. Updated the following files:\nM "
                    } else {
                        "apply_patch verification failed: hunk did not match "
                    }),
                    _ => self.txt.push_str("fn main() {\n    run();\n}\n"),
                }
                if tool.kind == 1 {
                    self.txt.push_str(tool.arg);
                }
                self.j.s("result", &self.txt);
                self.j.s("status", if ok { "completed" } else { "failed" });
                codex_result = Some(ok);
            }
            Ev::Error { .. } => {
                if let Some((written, _, message)) = &error {
                    let unknown = *written == "unknown";
                    let conf = if unknown {
                        round_to(0.2 + self.rng.f() * 0.3, 2)
                    } else {
                        round_to(0.7 + self.rng.f() * 0.29, 2)
                    };
                    self.j.s("error_message", message);
                    self.j.s("error_category", written);
                    self.j.s("error_fingerprint", &fingerprint_of(message));
                    self.j.f("error_confidence", conf);
                    if self.rrng.chance(0.3) {
                        self.j.s("source", if unknown { "stderr" } else { "sdk" });
                    }
                }
            }
            Ev::Usage => {
                // the SDK's own usage object
                let (p, c, cost) = (s.pending_p, s.pending_c, s.pending_cost);
                s.pending_p = 0;
                s.pending_c = 0;
                s.pending_cost = 0.0;
                let j = &mut self.j;
                match s.exec {
                    0 => {
                        let cached = p * (2 + self.rrng.below(5) as u64) / 10;
                        j.num("input_tokens", p, false);
                        j.num("cached_input_tokens", cached, false);
                        j.num("output_tokens", c, false);
                        tokens =
                            TokenBreakdown { input: p, cached_input: cached, output: c, ..TokenBreakdown::default() };
                        usage_ev = Some((p + c, None));
                    }
                    1 => {
                        let v = round_to(cost, 6);
                        j.num("prompt_tokens", p, false);
                        j.num("completion_tokens", c, false);
                        j.num("total_tokens", p + c, false);
                        j.f("cost_usd", v);
                        tokens = TokenBreakdown { input: p, output: c, ..TokenBreakdown::default() };
                        usage_ev = Some((p + c, Some(v)));
                    }
                    _ => {
                        let read = p * 6 / 10;
                        let created = p / 10;
                        let input = p - read - created;
                        j.num("input_tokens", input, false);
                        j.num("output_tokens", c, false);
                        j.num("cache_read_input_tokens", read, false);
                        j.num("cache_creation_input_tokens", created, false);
                        tokens = TokenBreakdown {
                            input,
                            cache_read: read,
                            cache_creation: created,
                            output: c,
                            ..TokenBreakdown::default()
                        };
                        usage_ev = Some((p + c, None));
                    }
                }
            }
            Ev::Followup { reason } => {
                s.continues += 1;
                self.j.s(
                    "prompt",
                    "Continue. You seem to be stuck: summarise what you tried, then take a different approach.",
                );
                self.j.s("followup_reason", reason);
            }
            Ev::End => {
                let duration = rep - s.start_rep.unwrap_or(rep);
                self.real_rollup(s, x, Some(duration));
                let total = s.prompt_tok + s.compl_tok;
                let status = match s.outcome {
                    Outcome::Success => "completed",
                    Outcome::Failed => "failed",
                    Outcome::Timeout => "timeout",
                    Outcome::Interrupted => "interrupted",
                    Outcome::Error => "error",
                };
                // cost 0 beside tokens: unknown (Codex, Claude)
                let cost = if s.exec == 1 { Some(round_to(s.cost, 4)) } else { None };
                let tok = (total > 0 || cost.is_some_and(|c| c > 0.0)).then_some(total);
                end = Some((cost.filter(|_| tok.is_some()), tok, status));
            }
            Ev::Alert(_) | Ev::Crash => {}
        }
        self.j.close();
        self.j.s("branch", &s.branch);
        self.j.close();
        if s.rotated {
            return Ok(()); // only its metrics row survives
        }
        // Account for what is now written.
        if let Some((_, canonical, _)) = &error {
            *self.t.real_error_categories.entry(canonical.to_string()).or_default() += 1;
            if error.as_ref().is_some_and(|e| e.0 == "unknown") {
                self.t.real_inferred_errors += 1;
            }
        }
        if let Some((test, lint)) = codex_call {
            self.t.real_codex_shell_calls += 1;
            self.t.real_codex_test_runs += test as usize;
            self.t.real_codex_lint_runs += lint as usize;
            x.unanswered += 1;
        }
        if let Some(ok) = codex_result {
            self.t.real_codex_shell_results += 1;
            self.t.real_codex_shell_failures += !ok as usize;
            x.unanswered = x.unanswered.saturating_sub(1);
        }
        if s.exec == 1 && et == "tool_call" {
            self.t.real_copilot_calls += 1;
        }
        if let Some(f) = copilot_file {
            self.real_hot_file(s, f);
        }
        if let Some((tok, cost)) = usage_ev {
            s.ev_tok = Some(s.ev_tok.unwrap_or(0) + tok);
            if let Some(c) = cost {
                s.ev_cost = Some(s.ev_cost.unwrap_or(0.0) + c);
            }
            let b = &mut x.tokens;
            b.input += tokens.input;
            b.cached_input += tokens.cached_input;
            b.cache_read += tokens.cache_read;
            b.cache_creation += tokens.cache_creation;
            b.output += tokens.output;
            x.usage_written = true;
        }
        if let Some((c, tk, st)) = end {
            s.end_cost = c;
            s.end_tok = tk;
            s.end_status = Some(st);
        }
        let is_error = error.is_some();
        self.write_event(Some(s), is_error, rep)
    }

    /// Sends the line in `self.j.b` to the stream (and its copies) and counts it.
    fn write_event(&mut self, s: Option<&mut Session>, is_error: bool, rep: i64) -> io::Result<()> {
        self.maybe_bad_line()?;
        self.t.events += 1;
        self.span(rep);
        if is_error {
            self.t.error_events += 1;
        }
        let line_len = self.j.b.len() as u64 + 1;
        self.stream.extend_from_slice(&self.j.b);
        self.stream.push(b'\n');
        self.t.lines += 1;
        self.t.stream_bytes += line_len;
        self.stream_lines += 1;
        if self.rng.chance(0.0008) {
            // A writer retry: the same line appended twice.
            self.stream.extend_from_slice(&self.j.b);
            self.stream.push(b'\n');
            self.t.lines += 1;
            self.t.stream_bytes += line_len;
            self.t.duplicate_lines += 1;
            self.stream_lines += 1;
        }
        if is_error {
            self.errors.extend_from_slice(&self.j.b);
            self.errors.push(b'\n');
            self.t.lines += 1;
            self.t.duplicate_lines += 1;
            self.t.bytes += line_len;
            if self.errors.len() >= FLUSH_MAIN {
                self.sink.write(ERRORS, &self.errors)?;
                self.errors.clear();
            }
        }
        match s {
            None => self.t.events_without_attempt += 1,
            Some(s) => {
                self.mark_written(s);
                if let Some(tr) = s.transcript.as_mut() {
                    if !s.transcript_started {
                        s.transcript_started = true;
                        self.t.transcripts += 1;
                        if s.transcript_crlf {
                            tr.extend_from_slice("\u{feff}".as_bytes());
                            self.t.bytes += 3;
                        }
                    }
                    tr.extend_from_slice(&self.j.b);
                    if s.transcript_crlf {
                        tr.push(b'\r');
                        self.t.bytes += 1;
                    }
                    tr.push(b'\n');
                    self.t.lines += 1;
                    self.t.duplicate_lines += 1;
                    self.t.bytes += line_len;
                    if tr.len() >= FLUSH_TRANSCRIPT {
                        let path = format!("agent-sessions/{}.jsonl", s.attempt_id);
                        self.sink.write(&path, tr)?;
                        tr.clear();
                    }
                }
            }
        }
        if self.stream.len() >= FLUSH_MAIN {
            self.sink.write(STREAM, &self.stream)?;
            self.stream.clear();
        }
        Ok(())
    }

    fn mark_written(&mut self, s: &mut Session) {
        if !s.wrote_any {
            s.wrote_any = true;
            self.t.sessions += 1;
            if s.task.real {
                self.t.real_sessions += 1;
                self.t.real_sessions_without_task_id += s.omit_task as usize;
            }
        }
        if !s.task.counted {
            s.task.counted = true;
            if s.task.id.is_some() {
                self.t.tasks += 1;
            } else {
                self.no_task = true;
            }
        }
    }

    fn span(&mut self, ms: i64) {
        self.t.first_ms = Some(self.t.first_ms.map_or(ms, |f| f.min(ms)));
        self.t.last_ms = Some(self.t.last_ms.map_or(ms, |l| l.max(ms)));
    }

    /// Injects, now and then, a line the viewer must skip (or a blank line).
    fn maybe_bad_line(&mut self) -> io::Result<()> {
        if !self.malformed || self.stream_lines < self.next_bad_line {
            return Ok(());
        }
        self.next_bad_line = self.stream_lines + self.rng.range(300, 1100) as u64;
        let kind = self.bad_kind % 10;
        self.bad_kind += 1;
        let mut b: Vec<u8> = Vec::new();
        let ts_ms = self.t.last_ms.unwrap_or(self.start_ms);
        let mut ts = Vec::new();
        write_ts(&mut ts, ts_ms, TsStyle::Millis, &mut self.rng);
        let ts = String::from_utf8(ts).unwrap_or_default();
        match kind {
            0 => b.extend_from_slice(
                format!("{{\"timestamp\":{},\"attempt_id\":\"ve-x\",event_type:\"agent_output\"}}", ts).as_bytes(),
            ),
            1 => {
                // A line cut in half by a crash.
                let full = format!(
                    "{{\"timestamp\":{},\"attempt_id\":\"ve-0000-crash\",\"executor\":\"CODEX\",\"event_type\":\"agent_output\",\"data\":{{\"output\":\"Compiling api v0.3.1 (/work/api)\\n   Finished test profile\"}}}}",
                    ts
                );
                let cut = self.rng.range(20, full.len() as i64 - 10) as usize;
                b.extend_from_slice(&full.as_bytes()[..cut]);
            }
            2 => b.extend_from_slice(
                format!("[{{\"event_type\":\"agent_output\",\"timestamp\":{}}},{{\"note\":\"batched\"}}]", ts)
                    .as_bytes(),
            ),
            3 => b.extend_from_slice(
                format!("{{\"timestamp\":{},\"level\":\"info\",\"msg\":\"bosun watcher heartbeat\",\"pid\":4242}}", ts)
                    .as_bytes(),
            ),
            4 => {
                // Blank lines: ignored silently, not "malformed".
                let blank: &[u8] = self.rng.pick(&[&b""[..], &b"   "[..], &b"\t"[..], &b"\r"[..]]);
                self.stream.extend_from_slice(blank);
                self.stream.push(b'\n');
                self.t.lines += 1;
                self.t.blank_lines += 1;
                self.t.stream_bytes += blank.len() as u64 + 1;
                self.stream_lines += 1;
                return Ok(());
            }
            5 => b.extend_from_slice(
                b"thread 'main' panicked at src/agent.rs:88:14: called `Result::unwrap()` on an `Err` value",
            ),
            6 => b.extend_from_slice(
                format!("{{\"timestamp\":{},\"attempt_id\":\"ve-legacy\",\"metrics\":\"unavailable\"}}", ts).as_bytes(),
            ),
            7 => b.extend_from_slice(self.rng.pick(&[&b"null"[..], &b"\"ok\""[..], &b"12345"[..]])),
            8 => {
                b.extend_from_slice(
                    format!("{{\"timestamp\":{},\"event_type\":\"agent_output\",\"data\":{{\"output\":\"garbled ", ts)
                        .as_bytes(),
                );
                b.extend_from_slice(&[0xff, 0xfe, 0xc3]);
                b.extend_from_slice(b" bytes\"}}");
            }
            _ => {
                b.extend_from_slice(
                    format!("{{\"timestamp\":{},\"event_type\":\"agent_output\",\"data\":", ts).as_bytes(),
                );
                for _ in 0..300 {
                    b.extend_from_slice(b"{\"a\":");
                }
                b.push(b'1');
                b.extend_from_slice(&[b'}'; 301]);
            }
        }
        self.stream.extend_from_slice(&b);
        self.stream.push(b'\n');
        self.t.lines += 1;
        self.t.malformed_lines += 1;
        self.t.stream_bytes += b.len() as u64 + 1;
        self.stream_lines += 1;
        Ok(())
    }

    fn on_skill(&mut self, t: i64) -> io::Result<()> {
        if self.reserved >= self.budget && self.active == 0 {
            return Ok(());
        }
        self.skill_ctr += 1;
        let skill = self.rng.pick(SKILLS);
        let style = if self.rng.chance(0.3) { TsStyle::Seven } else { TsStyle::Millis };
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, t, style, &mut self.rng);
        j.s("event_type", "skill_invoke");
        if self.share > 0.0 && self.rrng.chance(self.share) {
            // the real skills module: no attempt_id, but the task, the executor and a source
            if let Some(task) = &self.last_real_task {
                j.s("task_id", task);
                j.s("executor", EXEC_LOWER[self.rrng.below(3)]);
                j.s("source", "skills");
            }
        }
        j.o("data");
        j.s("skill_name", skill);
        j.s("invocation_id", &format!("sk-{:08x}", mix32(self.skill_ctr ^ 0x00c0_ffee)));
        j.s("source", "skills.js");
        j.close();
        j.close();
        self.write_event(None, false, rep)?;
        let gap = (self.mean_gap_ms * 4.0 * self.expo()) as i64;
        self.push(t + gap.max(10 * SEC), Item::Skill);
        Ok(())
    }

    fn write_alert(&mut self, s: &mut Session, kind: AlertKind, t: i64) -> io::Result<()> {
        let bit = match kind {
            AlertKind::ToolLoop { .. } => 1,
            AlertKind::ErrorLoop { .. } => 2,
            AlertKind::Restarts { .. } => 4,
            AlertKind::Stuck { .. } => 8,
            AlertKind::Cost => 16,
            AlertKind::FailedHighErrors => 32,
            AlertKind::Novel => 64,
        };
        if s.alerted & bit != 0 {
            return Ok(());
        }
        s.alerted |= bit;
        let real = s.real.as_deref();
        if real.is_some() && s.exec == 2 && matches!(kind, AlertKind::ToolLoop { .. }) {
            return Ok(()); // the analyser never saw Claude's tool calls
        }
        let transient = real.is_some_and(|x| x.all_transient) && kind == AlertKind::FailedHighErrors;
        let (ty, sev) = match kind {
            AlertKind::FailedHighErrors if transient => ("failed_session_transient_errors", "medium"),
            AlertKind::ErrorLoop { .. } => ("error_loop", "high"),
            AlertKind::ToolLoop { .. } => ("tool_loop", "medium"),
            AlertKind::Restarts { .. } => ("excessive_restarts", "medium"),
            AlertKind::Cost => ("cost_anomaly", "low"),
            AlertKind::FailedHighErrors => ("failed_session_high_errors", "high"),
            AlertKind::Stuck { .. } => ("stuck_agent", "medium"),
            AlertKind::Novel => ("context_pressure", "low"),
        };
        let with_sev = real.is_some() || !self.rng.chance(0.06);
        let ms = t + self.rng.range(0, 1500);
        // the real share's error loop names its own fingerprint and message
        let real_loop = match (real, kind) {
            (Some(x), AlertKind::ErrorLoop { cat, tpl, .. }) => Some(Self::real_error(s, x.salt, cat, tpl, 0).2),
            _ => None,
        };
        let autofix = real.is_some() && self.rrng.chance(0.3);
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, TsStyle::Millis, &mut self.rng);
        j.s("type", ty);
        if real.is_some() {
            // failed-session and stuck alerts are keyed by the task, the others by the attempt
            let per_task = matches!(kind, AlertKind::FailedHighErrors | AlertKind::Stuck { .. });
            let key = match &s.task.id {
                Some(id) if per_task => format!("{ty}:{id}"),
                _ => format!("{ty}:{}", s.attempt_id),
            };
            j.s("_cooldown_key", &key);
        }
        if with_sev {
            j.s("severity", sev);
        }
        j.s("attempt_id", &s.attempt_id);
        if let Some(id) = &s.task.id {
            j.s("task_id", id);
        }
        j.s("executor", s.exec_label);
        match kind {
            AlertKind::ToolLoop { count } => {
                j.s("tool_name", TOOLS[s.exec][0]);
                j.i("count", count as i64);
                if real.is_some() {
                    j.i("occurrences", count as i64);
                }
                j.i("window_ms", 60_000);
                j.s("recommendation", "Agent may be stuck in a loop. Consider intervention.");
            }
            AlertKind::ErrorLoop { n, .. } if real_loop.is_some() => {
                let message = real_loop.unwrap_or_default();
                j.s("error_fingerprint", &fingerprint_of(&message));
                j.i("occurrences", n as i64);
                j.i("window_ms", 600_000);
                j.s("sample_message", &message);
                j.s(
                    "recommendation",
                    if autofix {
                        "trigger_ai_autofix"
                    } else {
                        "Same error repeating. Check environment or task specification."
                    },
                );
            }
            AlertKind::ErrorLoop { cat, tpl, n } => {
                let ci = cat_index(cat);
                let fp = format!("{:012x}", (mix32((ci as u32) << 8 | tpl as u32) as u64) << 16 | 0xbeef);
                j.s("error_fingerprint", &fp);
                j.i("occurrences", n as i64);
                j.i("window_ms", 600_000);
                j.s("sample_message", ERRORS_BY_CAT[ci].1[tpl % ERRORS_BY_CAT[ci].1.len()]);
                j.s("recommendation", "Same error repeating. Check environment or task specification.");
            }
            AlertKind::Restarts { n } => {
                j.i("restart_count", n as i64);
                j.s("last_reason", "anomaly_recovery");
                j.s("recommendation", "Session restarted repeatedly. Consider a different executor.");
            }
            AlertKind::Stuck { idle_ms } => {
                j.i("idle_time_ms", idle_ms);
                j.i("threshold_ms", 300_000);
                j.s("recommendation", "No activity for several minutes. Consider nudging the agent.");
            }
            AlertKind::Cost => {
                j.f("cost_usd", round_to(s.cost, 4));
                j.f("threshold_usd", 1.0);
                j.s("recommendation", "Session cost above threshold. Review prompt size and loops.");
            }
            AlertKind::FailedHighErrors => {
                j.i("error_count", s.errors as i64);
                j.a("error_fingerprints");
                for f in &s.fingerprints {
                    j.item_s(f);
                }
                j.a_end();
                j.s(
                    "recommendation",
                    if autofix { "trigger_ai_autofix" } else { "Failed with many errors. Inspect the error clusters." },
                );
            }
            AlertKind::Novel => {
                j.f("context_fill_ratio", 0.93);
            }
        }
        j.close();
        if self.alerts_started {
            // The alerts file ends without a final newline: separators go before lines.
            self.alerts.push(b'\n');
            self.t.bytes += 1;
        }
        self.alerts_started = true;
        self.t.real_transient_alerts += transient as usize;
        self.alerts.extend_from_slice(&self.j.b);
        self.t.bytes += self.j.b.len() as u64;
        self.t.lines += 1;
        self.t.alerts += 1;
        self.span(rep);
        if self.alerts.len() >= FLUSH_MAIN {
            self.sink.write(ALERTS, &self.alerts)?;
            self.alerts.clear();
        }
        Ok(())
    }

    fn write_metrics_line(&mut self, line: &[u8], rep: i64) -> io::Result<()> {
        self.metrics.extend_from_slice(line);
        self.metrics.push(b'\n');
        self.t.bytes += line.len() as u64 + 1;
        self.t.lines += 1;
        self.t.metrics_rows += 1;
        self.span(rep);
        if self.metrics.len() >= FLUSH_MAIN {
            self.sink.write(METRICS, &self.metrics)?;
            self.metrics.clear();
        }
        Ok(())
    }

    /// Renders a metrics row into `self.j.b`; `rewrite` is the later, corrected version.
    fn render_row(
        &mut self,
        s: &Session,
        ms: i64,
        zeros: bool,
        rewrite: bool,
        cost_field: bool,
        usage_obj: bool,
    ) -> (i64, RowFacts) {
        let success = s.outcome == Outcome::Success;
        let first_shot = success && s.starts == 1 && s.continues == 0 && s.ptype == "initial";
        let cost = if zeros { 0.0 } else { round_to(s.cost, 4) };
        let (p, c) = if zeros { (0, 0) } else { (s.prompt_tok, s.compl_tok) };
        let commits = if s.no_change || s.files.is_empty() { 0 } else { (s.files.len() as i64 + 1) / 2 };
        let (added, deleted) = if commits == 0 { (0, 0) } else { (s.lines_added as i64, s.lines_deleted as i64) };
        let review = if rewrite || self.rng.chance(0.3) { Some(success && self.rng.chance(0.8)) } else { None };
        let style = if s.design_note && s.ts_style == TsStyle::Seven { TsStyle::Seven } else { TsStyle::Millis };
        let j = &mut self.j;
        j.clear();
        j.open();
        j.key("timestamp");
        let rep = write_ts(&mut j.b, ms, style, &mut self.rng);
        j.s("attempt_id", &s.attempt_id);
        if let Some(id) = &s.task.id {
            j.s("task_id", id);
        }
        j.s("task_title", s.task.title);
        j.s("executor", s.exec_label);
        j.s("executor_variant", s.variant);
        j.s("model", s.model.name);
        let mut facts = RowFacts { success: None, cost: None, tokens: None, all_zero: false };
        if s.design_note {
            // The older design-note shape (bosun's PowerShell logger).
            let status = if success {
                "completed"
            } else if s.outcome == Outcome::Failed && !rewrite && self.rng.chance(0.3) {
                "manual_review"
            } else {
                "failed"
            };
            j.o("metrics");
            j.i("duration_ms", s.last_ms - s.start_rep.unwrap_or(s.last_ms));
            j.num("prompt_tokens", p, false);
            j.num("completion_tokens", c, false);
            j.num("total_tokens", p + c, false);
            j.f("cost_usd", cost);
            j.i("retry_count", s.starts.saturating_sub(1) as i64);
            j.i("commits", commits);
            j.i("files_modified", if commits == 0 { 0 } else { s.files.len() as i64 });
            j.i("lines_added", added);
            j.i("lines_deleted", deleted);
            j.i("tool_calls", s.tool_calls as i64);
            j.i("tool_failures", s.tool_failures as i64);
            j.close();
            j.o("outcome");
            j.s("status", status);
            let pr = success && commits > 0;
            j.bo("pr_created", pr);
            if pr {
                j.i("pr_number", 100 + (mix32(s.seq as u32 ^ s.attempt_id.len() as u32) % 900) as i64);
            }
            j.bo("pr_merged", pr && rewrite);
            j.bo("test_passed", success);
            j.bo("build_passed", success || s.outcome != Outcome::Error);
            j.close();
            j.o("error_summary");
            j.i("total_errors", s.errors as i64);
            j.o("error_categories");
            for (cat, n) in &s.err_cats {
                j.i(cat, *n as i64);
            }
            j.close();
            j.a("error_fingerprints");
            for f in &s.fingerprints {
                j.item_s(f);
            }
            j.a_end();
            j.close();
            facts.success = Some(status == "completed");
            facts.cost = Some(cost);
            facts.tokens = Some(p + c);
            facts.all_zero = cost == 0.0 && p + c == 0;
        } else {
            j.o("metrics");
            let omit_success = !rewrite && s.seq % 19 == 7;
            if !omit_success {
                j.bo("success", success);
                facts.success = Some(success);
            }
            j.bo("first_shot_success", first_shot);
            j.i("attempts", s.starts as i64);
            j.i("continues", s.continues as i64);
            if !s.seq.is_multiple_of(5) {
                j.bo("auto_resume", s.continues > 0 || s.seq.is_multiple_of(3));
            }
            j.a("anomaly_actions");
            for (k, a) in s.anomalies.iter().enumerate() {
                if k % 2 == 1 || s.seq.is_multiple_of(2) {
                    j.item_o();
                    j.s(if s.seq.is_multiple_of(4) { "type" } else { "action" }, a);
                    j.s("reason", "live analyser");
                    j.close();
                } else {
                    j.item_s(a);
                }
            }
            j.a_end();
            if usage_obj {
                j.o("usage");
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", p + c, false);
                if cost_field {
                    j.f("cost_usd", cost);
                }
                j.close();
            } else {
                j.num("prompt_tokens", p, false);
                j.num("completion_tokens", c, false);
                j.num("total_tokens", p + c, false);
                if cost_field {
                    j.f("cost_usd", cost);
                }
            }
            facts.tokens = Some(p + c);
            facts.cost = if cost_field { Some(cost) } else { None };
            facts.all_zero = p + c == 0 && (!cost_field || cost == 0.0);
            j.i("duration_ms", s.last_ms - s.start_rep.unwrap_or(s.last_ms));
            j.i("errors", s.errors as i64);
            j.i("tool_calls", s.tool_calls as i64);
            j.i("tool_results", s.tool_results as i64);
            j.i("tool_failures", s.tool_failures as i64);
            j.i("commands", s.commands as i64);
            j.i("command_failures", s.command_failures as i64);
            if s.seq.is_multiple_of(7) {
                j.bo("agent_made_commits", commits > 0);
            } else {
                j.i("agent_made_commits", commits);
            }
            if commits > 0 {
                if s.seq.is_multiple_of(3) {
                    j.a("diff_summary");
                    for f in &s.files {
                        j.item_s(f);
                    }
                    j.a_end();
                } else {
                    self.txt.clear();
                    for (k, f) in s.files.iter().enumerate() {
                        let n = 3 + (k as u32 * 7 + s.lines_added) % 40;
                        if k > 0 {
                            self.txt.push_str("\n ");
                        }
                        self.txt.push_str(f);
                        self.txt.push_str(" | ");
                        self.txt.push_str(&n.to_string());
                        self.txt.push_str(" ++--");
                    }
                    let j = &mut self.j;
                    j.s("diff_summary", &self.txt);
                }
            } else {
                j.s("diff_summary", "");
            }
            let j = &mut self.j;
            j.i("diff_files_changed", if commits == 0 { 0 } else { s.files.len() as i64 });
            j.i("diff_lines_added", added);
            j.i("diff_lines_deleted", deleted);
            if let Some(r) = review {
                j.bo("review_passed", r);
            }
            j.close();
        }
        self.j.close();
        (rep, facts)
    }

    fn resolve(&self, s: &Session, row: Option<&RowFacts>) -> Fin {
        let (rc, rt, rs) = match row {
            Some(r) if r.all_zero => (None, None, r.success),
            Some(r) => (r.cost, r.tokens, r.success),
            None => (None, None, None),
        };
        let end_success = s.end_status.map(|st| matches!(st, "success" | "completed"));
        // revision 2: a rollup's cost of 0 is an unknown cost (bosun writes 0 for what it did not
        // learn), and a rollup of only zeros knows no tokens either
        let zero = |c: Option<f64>| c.filter(|&c| c != 0.0);
        let end_tok = if zero(s.end_cost).is_none() && s.end_tok == Some(0) { None } else { s.end_tok };
        Fin {
            real: s.task.real,
            model: s.model.name,
            success: rs.or(end_success),
            cost: zero(rc).or(zero(s.end_cost)).or(s.ev_cost).or(s.nest_cost),
            tokens: rt.or(end_tok).or(s.ev_tok).or(s.nest_tok),
        }
    }

    fn finalize(&mut self, f: Fin) {
        let e = self.t.per_model.entry(f.model.to_string()).or_insert((0, 0));
        e.0 += 1;
        match f.success {
            Some(true) => {
                e.1 += 1;
                self.t.successes += 1;
            }
            Some(false) => self.t.failures += 1,
            None => self.t.unknown_success += 1,
        }
        if let Some(c) = f.cost {
            self.t.sessions_with_cost += 1;
            self.t.total_cost_usd = Some(self.t.total_cost_usd.unwrap_or(0.0) + c);
        }
        if f.real && f.cost.is_none() && f.tokens.is_some() {
            self.t.real_cost_unknown_sessions += 1;
        }
        if let Some(tk) = f.tokens {
            self.t.sessions_with_tokens += 1;
            self.t.total_tokens = Some(self.t.total_tokens.unwrap_or(0) + tk);
        }
    }

    fn end_session(&mut self, mut s: Box<Session>, t: i64) -> io::Result<()> {
        self.active -= 1;
        let failed = s.outcome != Outcome::Success;
        // Alerts of the end of a session.
        if !s.crash {
            // (the real writer's Codex and Claude rollups say cost 0: no cost alert)
            if (s.real.is_none() || s.exec == 1) && round_to(s.cost, 4) > 1.0 && self.rng.chance(0.9) {
                self.write_alert(&mut s, AlertKind::Cost, t)?;
            }
            if s.outcome == Outcome::Failed && s.errors >= 4 && self.rng.chance(0.9) {
                self.write_alert(&mut s, AlertKind::FailedHighErrors, t)?;
            }
            if s.task.trouble == Some("context_window") && self.rng.chance(0.1) {
                self.write_alert(&mut s, AlertKind::Novel, t)?;
            }
        }
        // The metrics row, and now and then a later rewrite of it.
        let mut pending: Option<(Vec<u8>, i64, Fin)> = None;
        let real = s.real.take();
        let fin = if let Some(x) = real.as_deref().filter(|_| s.write_row) {
            let row_ms = t + self.rng.range(500, 4 * SEC);
            let (rep, facts) = self.render_real_row(&s, x, row_ms);
            let line = std::mem::take(&mut self.j.b);
            self.write_metrics_line(&line, rep)?;
            self.j.b = line;
            self.mark_written(&mut s);
            for k in 0..s.files.len() {
                let f = s.files[k];
                self.real_hot_file(&mut s, f);
            }
            let mut fin = self.resolve(&s, Some(&facts));
            if self.rng.chance(0.06) {
                // rewritten later (bosun re-runs its rollup): the same facts, a later timestamp
                let later = row_ms + self.rng.range(10 * MIN_MS, 180 * MIN_MS);
                let (rep2, facts2) = self.render_real_row(&s, x, later);
                let fin2 = self.resolve(&s, Some(&facts2));
                pending = Some((self.j.b.clone(), rep2, fin2));
                fin.cost = None; // unused: the rewrite decides
            }
            fin
        } else if s.write_row {
            let row_ms = t + self.rng.range(500, 4 * SEC);
            let zeros = s.usage == UsageStyle::None || self.rng.chance(0.03);
            let cost_field = s.design_note
                || zeros
                || !matches!(s.usage, UsageStyle::CopilotMetrics | UsageStyle::CopilotSummaryOnly)
                || self.rng.chance(0.5);
            let usage_obj = !s.design_note && self.rng.chance(0.1);
            let (rep, facts) = self.render_row(&s, row_ms, zeros, false, cost_field, usage_obj);
            let line = std::mem::take(&mut self.j.b);
            self.write_metrics_line(&line, rep)?;
            self.j.b = line;
            self.mark_written(&mut s);
            let mut fin = self.resolve(&s, Some(&facts));
            if self.rng.chance(0.06) || (zeros && s.usage != UsageStyle::None && self.rng.chance(0.5)) {
                // bosun re-runs its rollup later (review finished, usage recovered).
                let later = row_ms + self.rng.range(10 * MIN_MS, 180 * MIN_MS);
                let (rep2, facts2) = self.render_row(&s, later, s.usage == UsageStyle::None, true, true, usage_obj);
                let fin2 = self.resolve(&s, Some(&facts2));
                pending = Some((self.j.b.clone(), rep2, fin2));
                fin.cost = None; // unused: the rewrite decides
            }
            fin
        } else {
            self.resolve(&s, None)
        };
        if let Some(x) = &real {
            if x.silent_denial && s.wrote_any {
                self.t.real_silent_permission_denials += 1;
            }
            if x.usage_written {
                self.t.real_tokens.insert(s.attempt_id.clone(), x.tokens);
            }
        }
        s.real = real;
        // Flush the transcript.
        if let Some(tr) = s.transcript.as_mut() {
            if !tr.is_empty() {
                let path = format!("agent-sessions/{}.jsonl", s.attempt_id);
                self.sink.write(&path, tr)?;
                tr.clear();
            }
        }
        match pending {
            Some((line, rep2, fin2)) => self.push(rep2, Item::Rewrite(line, rep2, fin2)),
            None => self.finalize(fin),
        }
        // Does the task go on? Retries after failures, follow-ups after anomalies.
        let anomaly = !s.anomalies.is_empty();
        let p_next = if s.crash {
            0.7
        } else if anomaly {
            0.75
        } else if failed {
            0.55
        } else {
            0.07
        };
        if self.reserved < self.budget && s.task.attempts < 6 && s.task.id.is_some() && self.rng.chance(p_next) {
            let mut task = s.task;
            task.last_failed = failed || s.crash;
            task.last_anomaly = anomaly;
            self.reserved += 1;
            let delay = self.rng.range(MIN_MS, 90 * MIN_MS);
            self.push(t + delay, Item::Next(task));
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<DemoTally> {
        for (path, buf) in
            [(STREAM, &self.stream), (ERRORS, &self.errors), (METRICS, &self.metrics), (ALERTS, &self.alerts)]
        {
            if !buf.is_empty() {
                self.sink.write(path, buf)?;
            }
        }
        self.t.bytes += self.t.stream_bytes;
        if self.no_task {
            self.t.tasks += 1;
        }
        Ok(self.t)
    }
}

/// ln(x) for x in (0, 1] with only basic arithmetic (bit-identical everywhere).
fn ln_det(x: f64) -> f64 {
    if x <= 0.0 {
        return -745.0;
    }
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000); // [1, 2)
                                                                                    // ln(m) = 2 atanh((m-1)/(m+1))
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let mut term = z;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..20 {
        sum += term / k;
        term *= z2;
        k += 2.0;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// Appends roughly `n` bytes of code and log-like text.
fn long_text(rng: &mut Rng, out: &mut String, files: &[&str], n: usize) {
    use std::fmt::Write;
    let target = out.len() + n;
    out.push_str("\n\n");
    while out.len() < target {
        match rng.below(5) {
            0 => {
                let _ = write!(out, "--- a/{0}\n+++ b/{0}\n@@ -{1},7 +{1},9 @@\n", rng.pick(files), rng.range(1, 400));
            }
            1 => out.push_str("-    let value = compute(input);\n+    let value = compute(input).unwrap_or_default();\n+    debug_assert!(value.is_valid(), \"invalid value\");\n"),
            2 => {
                let _ = writeln!(out, "    at {} line {}: {}", rng.pick(files), rng.range(1, 900), rng.pick(THOUGHTS));
            }
            3 => out.push_str("    if (!session) {\n        return redirect('/login?next=' + encodeURIComponent(path));\n    }\n"),
            _ => {
                let _ = writeln!(out, "[{:>4}ms] {} ok", rng.range(1, 3000), rng.pick(files));
            }
        }
    }
}

fn test_log(rng: &mut Rng, out: &mut String, ok: bool, n: usize) {
    use std::fmt::Write;
    let names = [
        "handles_empty_input",
        "redirects_after_login",
        "parses_config",
        "retries_on_503",
        "rejects_bad_token",
        "paginates",
        "exports_csv",
    ];
    let mut failed = 0;
    for k in 0..n {
        let pass = ok || rng.chance(0.8);
        if !pass {
            failed += 1;
        }
        let _ = writeln!(out, "test tests::{}_{} ... {}", rng.pick(&names), k, if pass { "ok" } else { "FAILED" });
    }
    if !ok && failed == 0 {
        failed = 1;
        out.push_str("test tests::regression ... FAILED\n");
    }
    let _ = write!(
        out,
        "\ntest result: {}. {} passed; {} failed; 0 ignored; finished in {}.{:02}s",
        if ok { "ok" } else { "FAILED" },
        n - failed.min(n),
        failed,
        rng.range(0, 40),
        rng.range(0, 100)
    );
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

/// The `event_type` an event is written with (`None` for what is not an event line).
fn event_type_of(ev: &Ev) -> Option<&'static str> {
    Some(match ev {
        Ev::Start { .. } => "session_start",
        Ev::Status { .. } => "status_change",
        Ev::Thinking => "agent_thinking",
        Ev::Output { .. } => "agent_output",
        Ev::Call(_) => "tool_call",
        Ev::Result { .. } => "tool_result",
        Ev::Error { .. } => "error",
        Ev::Usage => "usage",
        Ev::Followup { .. } => "followup_sent",
        Ev::End => "session_end",
        Ev::Alert(_) | Ev::Crash => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::{BTreeSet, HashMap, HashSet};

    fn run(sessions: usize, seed: u64, malformed: bool) -> (MemorySink, DemoTally) {
        let cfg = DemoConfig { sessions, seed, malformed_lines: malformed, ..DemoConfig::default() };
        let mut sink = MemorySink::default();
        let t = generate(&cfg, &mut sink).unwrap();
        (sink, t)
    }

    /// Lines as the viewer sees them: split on \n, BOM and trailing \r/space/tab removed.
    fn lines(bytes: &[u8]) -> Vec<&[u8]> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\n".as_slice()).unwrap_or(bytes);
        bytes
            .split(|&c| c == b'\n')
            .map(|l| {
                let mut end = l.len();
                while end > 0 && matches!(l[end - 1], b'\r' | b' ' | b'\t') {
                    end -= 1;
                }
                &l[..end]
            })
            .collect()
    }

    /// Independent timestamp parser (ISO 8601 with any fraction digits and offsets, or epoch ms).
    fn ts_ms(v: &Value) -> Option<i64> {
        match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) => s.parse().ok(),
            Value::String(s) => {
                let b = s.as_bytes();
                let num = |a: usize, l: usize| -> i64 { s[a..a + l].parse().unwrap() };
                let (y, mo, d, h, mi, se) = (num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2));
                let mut i = 19;
                let mut ms = 0;
                if b.get(i) == Some(&b'.') {
                    i += 1;
                    let st = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    let frac = &s[st..i];
                    let f3 = format!("{:0<3}", &frac[..frac.len().min(3)]);
                    ms = f3.parse().unwrap();
                }
                let off = match &s[i..] {
                    "Z" => 0,
                    o => {
                        let sign = if o.starts_with('-') { -1 } else { 1 };
                        sign * (o[1..3].parse::<i64>().unwrap() * 60 + o[4..6].parse::<i64>().unwrap())
                    }
                };
                let days = days_from_civil(y, mo as u32, d as u32);
                Some(days * DAY_MS + h * HOUR_MS + mi * MIN_MS + se * SEC + ms - off * MIN_MS)
            }
            _ => None,
        }
    }

    fn num(v: Option<&Value>) -> Option<f64> {
        match v? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// Usage object of an event's data per the format doc: (tokens, cost).
    fn usage_of(d: &Value, itself: bool) -> Option<(f64, Option<f64>)> {
        let read = |u: &Value| -> Option<(f64, Option<f64>)> {
            let p = num(u.get("prompt_tokens")).or(num(u.get("input_tokens")))?
                + num(u.get("cache_read_input_tokens")).unwrap_or(0.0)
                + num(u.get("cache_creation_input_tokens")).unwrap_or(0.0);
            let c = num(u.get("completion_tokens")).or(num(u.get("output_tokens"))).unwrap_or(0.0);
            let t = num(u.get("total_tokens")).filter(|t| *t > 0.0).unwrap_or(p + c);
            Some((t, num(u.get("total_cost_usd")).or(num(u.get("cost_usd")))))
        };
        if itself {
            if let Some(u) = read(d) {
                return Some(u);
            }
        }
        for path in [
            &["usage"][..],
            &["item", "usage"],
            &["response", "usage"],
            &["metrics", "usage"],
            &["message", "usage"],
            &["result", "usage"],
        ] {
            let mut v = d;
            let mut ok = true;
            for k in path {
                match v.get(k) {
                    Some(x) => v = x,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                if let Some(u) = read(v) {
                    return Some(u);
                }
            }
        }
        None
    }

    #[derive(Default)]
    struct Recount {
        events: usize,
        errors: usize,
        no_attempt: usize,
        metrics: usize,
        superseded: usize,
        alerts: usize,
        dups: usize,
        malformed: usize,
        blank: usize,
        sessions: usize,
        tasks: usize,
        successes: usize,
        failures: usize,
        unknown: usize,
        cost: f64,
        with_cost: usize,
        tokens: f64,
        first: Option<i64>,
        last: Option<i64>,
        per_model: BTreeMap<String, (usize, usize)>,
    }

    /// Parses the whole folder with serde_json and recomputes the tally the viewer's way.
    fn recount(sink: &MemorySink) -> Recount {
        let mut r = Recount::default();
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        let mut events: HashMap<String, Vec<Value>> = HashMap::new();
        let mut rows: HashMap<String, Vec<(i64, Value)>> = HashMap::new();
        let mut task_ids: BTreeSet<String> = BTreeSet::new();
        let mut no_task = false;
        for bytes in sink.files.values() {
            for l in lines(bytes) {
                if l.iter().all(|c| c.is_ascii_whitespace()) {
                    r.blank += 1;
                    continue;
                }
                let v: Value = match serde_json::from_slice(l) {
                    Ok(v @ Value::Object(_)) => v,
                    _ => {
                        r.malformed += 1;
                        continue;
                    }
                };
                let is_event = v.get("event_type").is_some();
                let is_metrics = !is_event && v.get("metrics").is_some_and(|m| m.is_object());
                let is_alert = !is_event && v.get("metrics").is_none() && v.get("type").is_some();
                if !(is_event || is_metrics || is_alert) {
                    r.malformed += 1;
                    continue;
                }
                if !seen.insert(l.to_vec()) {
                    r.dups += 1;
                    continue;
                }
                let ts = ts_ms(&v["timestamp"]).expect("every record has a readable timestamp");
                r.first = Some(r.first.map_or(ts, |f| f.min(ts)));
                r.last = Some(r.last.map_or(ts, |x| x.max(ts)));
                let aid = v.get("attempt_id").and_then(|a| a.as_str()).map(str::to_string);
                if is_event {
                    r.events += 1;
                    if v["event_type"] == "error" {
                        r.errors += 1;
                    }
                    match aid {
                        Some(a) => events.entry(a).or_default().push(v),
                        None => r.no_attempt += 1,
                    }
                } else if is_metrics {
                    r.metrics += 1;
                    rows.entry(aid.expect("row attempt")).or_default().push((ts, v));
                } else {
                    r.alerts += 1;
                }
            }
        }
        let mut attempts: BTreeSet<&String> = events.keys().collect();
        attempts.extend(rows.keys());
        r.sessions = attempts.len();
        for a in attempts {
            let evs = events.get(a).map(|v| v.as_slice()).unwrap_or(&[]);
            let row = rows.get(a).map(|rs| {
                r.superseded += rs.len() - 1;
                &rs.iter().max_by_key(|(t, _)| *t).unwrap().1
            });
            // rev. 2: without task_id, a UUID that starts the attempt_id is the task
            let task = row
                .and_then(|r| r.get("task_id"))
                .or_else(|| evs.iter().find_map(|e| e.get("task_id")))
                .and_then(|t| t.as_str())
                .or_else(|| {
                    a.get(..36).filter(|u| {
                        a.len() > 37 && a.as_bytes()[36] == b'-' && u.bytes().filter(|&c| c == b'-').count() == 4
                    })
                });
            match task {
                Some(t) => {
                    task_ids.insert(t.to_string());
                }
                None => no_task = true,
            }
            let model = row
                .and_then(|r| r["model"].as_str())
                .or_else(|| evs.iter().find_map(|e| e["model"].as_str()))
                .unwrap()
                .to_string();
            let m = row.map(|r| &r["metrics"]);
            let end = evs.iter().find(|e| e["event_type"] == "session_end");
            let success = m
                .and_then(|m| m.get("success"))
                .and_then(|s| s.as_bool())
                .or_else(|| row.and_then(|r| r.get("outcome")).map(|o| o["status"] == "completed"))
                .or_else(|| {
                    end.and_then(|e| e["data"]["completion_status"].as_str()).and_then(|s| match s {
                        "success" | "completed" => Some(true),
                        "failed" | "timeout" | "interrupted" | "error" => Some(false),
                        _ => None,
                    })
                });
            let e = r.per_model.entry(model).or_insert((0, 0));
            e.0 += 1;
            match success {
                Some(true) => {
                    e.1 += 1;
                    r.successes += 1
                }
                Some(false) => r.failures += 1,
                None => r.unknown += 1,
            }
            // Usage levels: row (all-zero = unknown), session_end, usage events, other events.
            let mut cost = None;
            let mut tokens = None;
            if let Some(m) = m {
                let u = m.get("usage").unwrap_or(m);
                let c = num(u.get("cost_usd"));
                let t = num(u.get("total_tokens"))
                    .filter(|t| *t > 0.0)
                    .or_else(|| Some(num(u.get("prompt_tokens"))? + num(u.get("completion_tokens"))?));
                if !(c.unwrap_or(0.0) == 0.0 && t.unwrap_or(0.0) == 0.0) {
                    // rev. 2: cost 0 beside tokens is unknown cost
                    cost = c.filter(|c| *c != 0.0 || t.unwrap_or(0.0) == 0.0);
                    tokens = t;
                }
            }
            if let Some(d) = end.map(|e| &e["data"]) {
                let u = usage_of(d, false);
                let c = num(d.get("cost_usd")).filter(|c| *c != 0.0);
                // a rollup of only zeros knows no tokens either
                let t = num(d.get("total_tokens")).filter(|t| *t != 0.0 || c.is_some());
                cost = cost.or(c).or(u.and_then(|u| u.1));
                tokens = tokens.or(t).or(u.map(|u| u.0));
            }
            let sum = |usage_events: bool| -> (Option<f64>, Option<f64>) {
                let (mut c, mut t) = (None, None);
                for e in evs {
                    let is_usage = e["event_type"] == "usage";
                    if is_usage != usage_events || e["event_type"] == "session_end" {
                        continue;
                    }
                    if let Some((tk, co)) = usage_of(&e["data"], is_usage) {
                        t = Some(t.unwrap_or(0.0) + tk);
                        if let Some(co) = co {
                            c = Some(c.unwrap_or(0.0) + co);
                        }
                    }
                }
                (c, t)
            };
            let (c3, t3) = sum(true);
            let (c4, t4) = sum(false);
            cost = cost.or(c3).or(c4);
            tokens = tokens.or(t3).or(t4);
            if let Some(c) = cost {
                r.with_cost += 1;
                r.cost += c;
            }
            r.tokens += tokens.unwrap_or(0.0);
        }
        r.tasks = task_ids.len() + no_task as usize;
        r
    }

    #[test]
    fn default_start_is_2026_02_02_0800z() {
        let mut b = Vec::new();
        write_ts(&mut b, DemoConfig::default().start_ms, TsStyle::Millis, &mut Rng::new(1));
        assert_eq!(b, b"\"2026-02-02T08:00:00.000Z\"");
        for (style, ms) in [
            (TsStyle::Seven, 1_770_647_025_123),
            (TsStyle::Offset, 1_770_647_025_123),
            (TsStyle::Seconds, 1_770_647_025_000),
        ] {
            let mut b = Vec::new();
            let rep = write_ts(&mut b, 1_770_647_025_123, style, &mut Rng::new(1));
            assert_eq!(rep, ms);
            let v: Value = serde_json::from_slice(&b).unwrap();
            assert_eq!(ts_ms(&v), Some(ms), "{}", String::from_utf8_lossy(&b));
        }
    }

    #[test]
    fn deterministic_math() {
        assert!((exp_det(1.0) - std::f64::consts::E).abs() < 1e-12);
        assert!((ln_det(0.5) + std::f64::consts::LN_2).abs() < 1e-12);
        assert!((ln_det(0.123) - 0.123f64.ln()).abs() < 1e-12);
    }

    /// FNV-1a over every file's path and bytes.
    fn digest(sink: &MemorySink) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (p, b) in &sink.files {
            for &c in p.as_bytes().iter().chain(b.iter()) {
                h ^= c as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }

    #[test]
    fn without_the_real_share_the_output_is_the_guide_only_demo() {
        // digests of the generator's output before the real-writer share existed
        for (sessions, seed, before) in [(120, 7, 0x1d1c_0ecc_c797_bdc3u64), (400, 42, 0x7f12_302a_1af2_69f6)] {
            let cfg = DemoConfig { sessions, seed, real_writer_share: 0.0, ..DemoConfig::default() };
            let mut sink = MemorySink::default();
            let t = generate(&cfg, &mut sink).unwrap();
            assert_eq!(digest(&sink), before, "{sessions} sessions, seed {seed}");
            assert_eq!(t.real_sessions, 0);
        }
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (a, ta) = run(120, 7, true);
        let (b, tb) = run(120, 7, true);
        let (c, _) = run(120, 8, true);
        assert_eq!(a.files, b.files);
        assert_eq!(ta, tb);
        assert_ne!(a.files.get(STREAM), c.files.get(STREAM));
    }

    #[test]
    fn tally_matches_an_independent_recount() {
        for seed in [1, 42] {
            let (sink, t) = run(500, seed, true);
            let r = recount(&sink);
            assert_eq!(t.sessions, 500);
            assert_eq!(r.sessions, t.sessions, "sessions");
            assert_eq!(r.tasks, t.tasks, "tasks");
            assert_eq!(r.events, t.events, "events");
            assert_eq!(r.errors, t.error_events, "error events");
            assert_eq!(r.no_attempt, t.events_without_attempt);
            assert_eq!(r.metrics, t.metrics_rows, "metrics rows");
            assert_eq!(r.superseded, t.superseded_rows, "superseded");
            assert_eq!(r.alerts, t.alerts, "alerts");
            assert_eq!(r.dups, t.duplicate_lines, "duplicates");
            assert_eq!(r.malformed, t.malformed_lines, "malformed");
            assert_eq!(r.blank, t.blank_lines, "blank");
            assert_eq!((r.successes, r.failures, r.unknown), (t.successes, t.failures, t.unknown_success));
            assert_eq!(r.per_model, t.per_model);
            assert_eq!(r.with_cost, t.sessions_with_cost);
            let tc = t.total_cost_usd.unwrap();
            assert!((r.cost - tc).abs() < 1e-6 * tc.max(1.0), "cost {} vs {}", r.cost, tc);
            assert_eq!(r.tokens as u64, t.total_tokens.unwrap());
            assert_eq!((r.first, r.last), (t.first_ms, t.last_ms));
            assert_eq!(t.first_ms, Some(DemoConfig::default().start_ms));
            let total: u64 = sink.files.values().map(|f| f.len() as u64).sum();
            assert_eq!(total, t.bytes);
            assert_eq!(sink.files[STREAM].len() as u64, t.stream_bytes);
            assert_eq!(sink.files.keys().filter(|k| k.starts_with("agent-sessions/")).count(), t.transcripts);
            let lines_total: usize = sink.files.values().map(|f| lines(f).len()).sum();
            assert_eq!(lines_total, t.lines);
            // A handful of bad lines, far below 1 %.
            assert!(t.malformed_lines >= 9 && t.malformed_lines * 100 < t.events, "{}", t.malformed_lines);
        }
    }

    #[test]
    fn records_have_the_documented_shape_and_stories_are_present() {
        let (sink, t) = run(600, 3, true);
        let mut types: BTreeMap<String, usize> = BTreeMap::new();
        let mut cats: BTreeSet<String> = BTreeSet::new();
        let mut alert_types: BTreeSet<String> = BTreeSet::new();
        let mut statuses: BTreeSet<String> = BTreeSet::new();
        let mut execs: BTreeSet<String> = BTreeSet::new();
        let mut ptypes: BTreeSet<String> = BTreeSet::new();
        let (mut design, mut guide, mut no_sev, mut big_cost) = (0, 0, 0, 0);
        let mut rate_by_hour: BTreeMap<(String, i64), usize> = BTreeMap::new();
        let mut real_shapes: BTreeSet<&str> = BTreeSet::new();
        for (path, bytes) in &sink.files {
            for l in lines(bytes) {
                let Ok(v @ Value::Object(_)) = serde_json::from_slice::<Value>(l) else { continue };
                if let Some(et) = v.get("event_type") {
                    let et = et.as_str().unwrap().to_string();
                    assert!(ts_ms(&v["timestamp"]).is_some());
                    let d = &v["data"];
                    assert!(d.is_object(), "{}", String::from_utf8_lossy(l));
                    match et.as_str() {
                        "skill_invoke" => {
                            assert!(v.get("attempt_id").is_none());
                            assert!(d["skill_name"].is_string());
                        }
                        _ => {
                            for k in ["attempt_id", "executor", "model", "executor_variant", "task_title"] {
                                assert!(v[k].is_string(), "{k} missing in {}", String::from_utf8_lossy(l));
                            }
                            execs.insert(v["executor"].as_str().unwrap().to_string());
                        }
                    }
                    match et.as_str() {
                        "session_start" => {
                            ptypes.insert(d["prompt_type"].as_str().unwrap().to_string());
                        }
                        "tool_call" => {
                            assert!(d["tool_name"].is_string());
                            match &d["tool_params"] {
                                Value::String(p) => {
                                    // the real writer's Codex: a JSON string, the command an array
                                    let p: Value = serde_json::from_str(p).unwrap();
                                    assert!(p["command"].as_array().is_some_and(|c| c.len() == 2 || c.len() == 3));
                                    assert_eq!(d["tool_name"], "shell");
                                    real_shapes.insert("params as a string");
                                }
                                p => assert!(p.is_object()),
                            }
                        }
                        "tool_result" => {
                            assert!(d.get("result").or(d.get("success")).or(d.get("status")).is_some());
                            if d.get("tool_name").is_none() {
                                assert!(
                                    d["result"].is_string()
                                        && matches!(d["status"].as_str(), Some("completed" | "failed"))
                                );
                                real_shapes.insert("unnamed result");
                            }
                        }
                        "error" => {
                            assert!(d["error_message"].is_string());
                            let c = d["error_confidence"].as_f64().unwrap();
                            assert!((0.0..=1.0).contains(&c));
                            if let Some(c) = d["error_category"].as_str() {
                                cats.insert(c.to_string());
                                if c == "rate_limit" || c == "api_error" {
                                    let h = ts_ms(&v["timestamp"]).unwrap() / HOUR_MS;
                                    *rate_by_hour
                                        .entry((v["executor"].as_str().unwrap().to_uppercase(), h))
                                        .or_default() += 1;
                                }
                            }
                        }
                        "session_end" => {
                            statuses.insert(d["completion_status"].as_str().unwrap().to_string());
                            assert!(d["duration_ms"].is_i64());
                            if d["cost_usd"].as_f64().unwrap_or(0.0) > 1.0 {
                                big_cost += 1;
                            }
                        }
                        _ => {}
                    }
                    *types.entry(et).or_default() += 1;
                } else if let Some(m) = v.get("metrics").filter(|m| m.is_object()) {
                    assert_eq!(path, METRICS);
                    assert!(m.is_object());
                    if v.get("outcome").is_some() {
                        design += 1;
                        assert!(m["retry_count"].is_i64());
                    } else {
                        guide += 1;
                        assert!(m["anomaly_actions"].is_array());
                    }
                    if m.get("permission_denied").is_some() {
                        // the real writer's rollup: no duration, no error count
                        assert!(m.get("duration_ms").is_none() && m.get("errors").is_none());
                        assert!(m["agent_made_commits"].is_boolean());
                        let diff = m["diff_summary"].as_str().unwrap();
                        let n = m["diff_files_changed"].as_u64().unwrap();
                        if n == 0 {
                            assert_eq!(diff, "(no diff stats available)");
                        } else {
                            assert!(diff.starts_with(&format!("{n} file(s) changed, +")), "{diff}");
                            assert_eq!(diff.lines().count() as u64, n + 1);
                            real_shapes.insert("bosun diff");
                        }
                        if m["cost_usd"] == 0.0 && m["total_tokens"].as_u64() > Some(0) {
                            real_shapes.insert("cost 0 beside tokens");
                        }
                        if m["tool_calls"].is_string() {
                            real_shapes.insert("counter as a string");
                        }
                        if m["permission_denied"].as_u64() > Some(0) {
                            real_shapes.insert("permission denied");
                        }
                        if m["anomaly_actions"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|a| a["type"] == "TOOL_CALL_LOOP" && a["timestamp"].is_i64())
                        {
                            real_shapes.insert("anomaly objects");
                        }
                    }
                } else if let Some(ty) = v.get("type") {
                    assert_eq!(path, ALERTS);
                    alert_types.insert(ty.as_str().unwrap().to_string());
                    if v.get("_cooldown_key").is_some() {
                        real_shapes.insert("cooldown key");
                    }
                    if v.get("severity").is_none() {
                        no_sev += 1;
                    }
                }
            }
        }
        for et in [
            "session_start",
            "agent_output",
            "agent_thinking",
            "tool_call",
            "tool_result",
            "error",
            "usage",
            "session_end",
            "status_change",
            "skill_invoke",
            "followup_sent",
        ] {
            assert!(types.get(et).copied().unwrap_or(0) > 0, "no {et}: {types:?}");
        }
        for c in [
            "rate_limit",
            "api_error",
            "auth",
            "permission_wait",
            "content_policy",
            "test",
            "build",
            "dependency",
            "context_window",
        ] {
            assert!(cats.contains(c), "no {c}: {cats:?}");
        }
        for shape in [
            "params as a string",
            "unnamed result",
            "bosun diff",
            "cost 0 beside tokens",
            "counter as a string",
            "permission denied",
            "anomaly objects",
            "cooldown key",
        ] {
            assert!(real_shapes.contains(shape), "no {shape}: {real_shapes:?}");
        }
        for c in [
            "auth_error",
            "token_overflow",
            "test_failure",
            "build_failure",
            "git_conflict",
            "push_failure",
            "rate_limit",
            "unknown",
        ] {
            assert!(cats.contains(c), "no {c}: {cats:?}");
        }
        assert!(
            t.real_sessions * 100 > t.sessions * 20 && t.real_sessions * 100 < t.sessions * 40,
            "{} of {}",
            t.real_sessions,
            t.sessions
        );
        assert!(
            t.real_sessions_without_task_id > 0 && t.real_inferred_errors > 0 && t.real_silent_permission_denials > 0
        );
        assert!(
            t.real_codex_shell_results > 0
                && t.real_codex_shell_failures > 0
                && t.real_codex_test_runs > 0
                && t.real_codex_lint_runs > 0
        );
        assert!(
            t.real_copilot_calls > 0
                && t.real_cost_unknown_sessions > 0
                && t.real_transient_alerts > 0
                && !t.real_hot_files.is_empty()
        );
        for a in [
            "error_loop",
            "tool_loop",
            "excessive_restarts",
            "cost_anomaly",
            "failed_session_high_errors",
            "failed_session_transient_errors",
            "stuck_agent",
        ] {
            assert!(alert_types.contains(a), "no alert {a}: {alert_types:?}");
        }
        for s in ["success", "completed", "failed", "timeout", "interrupted", "error"] {
            assert!(statuses.contains(s), "no status {s}");
        }
        assert!(ptypes.len() == 3, "{ptypes:?}");
        assert!(execs.contains("CODEX") && execs.iter().any(|e| e.chars().any(|c| c.is_lowercase())));
        assert!(design > 10 && guide > 100 && no_sev > 0 && big_cost > 0);
        assert!(t.superseded_rows > 0 && t.events_without_attempt > 0 && t.unknown_success > 0);
        assert!(t.sessions_with_cost < t.sessions, "some sessions must have unknown cost");
        // The outage: one hour with far more rate-limit/API errors than any typical hour.
        let max = rate_by_hour.values().copied().max().unwrap_or(0);
        assert!(max >= 8, "no burst: {max}");
    }

    #[test]
    fn without_malformed_lines_every_line_is_a_record() {
        let (sink, t) = run(150, 9, false);
        assert_eq!(t.malformed_lines, 0);
        assert_eq!(t.blank_lines, 0);
        let r = recount(&sink);
        assert_eq!(r.malformed + r.blank, 0);
    }

    #[test]
    fn streams_in_small_writes() {
        let cfg = DemoConfig { sessions: 1500, ..DemoConfig::default() };
        let mut sink = DiscardSink::default();
        let t = generate(&cfg, &mut sink).unwrap();
        assert_eq!(sink.bytes, t.bytes);
        assert!(sink.writes > 50, "{}", sink.writes);
        assert!(sink.max_write <= FLUSH_MAIN + 200_000, "{}", sink.max_write);
        assert!(t.stream_bytes > 10 * FLUSH_MAIN as u64);
        // The size estimate holds within 25 %.
        let est = sessions_for_stream_bytes(t.stream_bytes) as f64;
        assert!((est / 1500.0 - 1.0).abs() < 0.25, "{est}");
    }

    #[test]
    fn zero_sessions_is_empty() {
        let (sink, t) = run(0, 1, true);
        assert!(sink.files.is_empty());
        assert_eq!(t, DemoTally::default());
    }
}
