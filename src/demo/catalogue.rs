//! The fixed tables the simulation draws from: executors, models, tools, projects, the texts of
//! prompts and outputs, and the error messages of both writers.
//!
//! Weights and qualities are made up to give the report's figures something to show (a better
//! model succeeds more often, one executor has an outage, some tasks keep failing the same way).

/// The three agent SDKs bosun drives. The tables below hold one entry per executor, in this order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Executor {
    Codex,
    Copilot,
    Claude,
}

/// How often each executor gets a new task.
pub(super) const EXECUTOR_WEIGHTS: [u32; 3] = [40, 30, 30];

impl Executor {
    pub(super) fn from_index(i: usize) -> Executor {
        [Executor::Codex, Executor::Copilot, Executor::Claude][i]
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }

    /// `CODEX`: how the guide's writer labels it most of the time.
    pub(super) fn upper(self) -> &'static str {
        ["CODEX", "COPILOT", "CLAUDE"][self.index()]
    }

    /// `codex`: how bosun's own writer labels it (and the guide's writer now and then).
    pub(super) fn lower(self) -> &'static str {
        ["codex", "copilot", "claude"][self.index()]
    }

    /// `Codex`: a third spelling the viewer must fold together with the others.
    pub(super) fn capitalised(self) -> &'static str {
        ["Codex", "Copilot", "Claude"][self.index()]
    }

    pub(super) fn models(self) -> &'static [Model] {
        MODELS[self.index()]
    }

    pub(super) fn variants(self) -> &'static [&'static str] {
        VARIANTS[self.index()]
    }

    /// The name this executor's SDK gives a kind of tool.
    pub(super) fn tool_name(self, kind: ToolKind) -> &'static str {
        TOOLS[self.index()][kind as usize]
    }
}

/// What a tool call does; each executor names its tools differently (`TOOLS`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum ToolKind {
    Shell,
    Edit,
    Read,
    Search,
}

pub(super) struct Model {
    pub(super) name: &'static str,
    /// Share of its executor's sessions.
    pub(super) weight: u32,
    /// Base odds of success (a task's difficulty is taken off).
    pub(super) quality: f64,
    /// USD per million input / output tokens.
    pub(super) usd_in: f64,
    pub(super) usd_out: f64,
}

const fn m(name: &'static str, weight: u32, quality: f64, usd_in: f64, usd_out: f64) -> Model {
    Model { name, weight, quality, usd_in, usd_out }
}

/// Models per executor, with their share of its sessions, how often they succeed and their price
/// (USD per million input and output tokens).
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

/// Tool names per executor, by `ToolKind`: shell, edit, read, search.
const TOOLS: [[&str; 4]; 3] = [
    ["shell", "apply_patch", "read_file", "grep"],
    ["run_in_terminal", "edit_file", "read_file", "file_search"],
    ["Bash", "Edit", "Read", "Grep"],
];

pub(super) struct Project {
    pub(super) id: &'static str,
    pub(super) files: &'static [&'static str],
    pub(super) tests: &'static [&'static str],
    pub(super) lints: &'static [&'static str],
    pub(super) builds: &'static [&'static str],
    pub(super) tags: &'static [&'static str],
}

pub(super) const PROJECTS: [Project; 6] = [
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

pub(super) const TITLES: &[&str] = &[
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

pub(super) const DESCRIPTIONS: &[&str] = &[
    "Users report the problem intermittently in production; reproduce it with a test first.",
    "Keep the public API unchanged and add tests for the new behaviour.",
    "See the linked issue for logs. The fix should be minimal and covered by CI.",
    "Acceptance: all existing tests pass, new tests cover the edge cases, no new lint warnings.",
    "The current implementation is hard to follow; simplify it without changing behaviour.",
];

pub(super) const THOUGHTS: &[&str] = &[
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

pub(super) const OUTPUTS: &[&str] = &[
    "I've updated the handler to cover the empty case and added a regression test.",
    "Running the test suite to confirm the fix.",
    "The build fails because of a missing import; fixing it now.",
    "All tests pass locally. Committing the change.",
    "I found the root cause: the cache key ignores the tenant id.",
    "The change is ready for review. Summary of edits below.",
    "Tests are still failing on the same assertion; trying a different approach.",
    "I could not reproduce the failure; the current code already handles this case.",
];

pub(super) const FOLLOWUP_REASONS: &[&str] =
    &["tests_failing", "review_changes_requested", "incomplete", "anomaly_recovery", "rate_limited", "user_request"];

pub(super) const SKILLS: &[&str] =
    &["summarize-diff", "triage-issue", "write-changelog", "plan-task", "review-pr", "estimate-effort"];

pub(super) const STATUSES: &[(&str, &str)] = &[
    ("todo", "inprogress"),
    ("inprogress", "inreview"),
    ("inreview", "inprogress"),
    ("queued", "running"),
    ("running", "waiting_for_approval"),
    ("waiting_for_approval", "running"),
];

/// Error categories with message templates (`{f}` = a file, `{n}` = a number).
pub(super) const ERRORS_BY_CAT: &[(&str, &[&str])] = &[
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

pub(super) fn cat_index(cat: &str) -> usize {
    ERRORS_BY_CAT.iter().position(|(c, _)| *c == cat).unwrap_or(ERRORS_BY_CAT.len() - 1)
}

/// bosun's classifier names (the real writer's `error_category`) with their canonical category
/// (analytics-spec.md rev. 2, default aliases) and message templates (`{f}` a file, `{n}` a
/// number, `{m}` the model).
pub(super) const REAL_ERRORS: &[(&str, &str, &[&str])] = &[
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
pub(super) const REAL_UNKNOWN: &[(&str, &[&str])] = &[
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
pub(super) const TRANSIENT: [&str; 9] = [
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

pub(super) fn is_transient(fingerprint: &str) -> bool {
    let f = fingerprint.to_ascii_lowercase();
    TRANSIENT.iter().any(|t| f.contains(t))
}

/// bosun's fingerprint: the message with every number replaced by `N`.
pub(super) fn fingerprint_of(message: &str) -> String {
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
pub(super) const TEST_PATTERNS: [&str; 11] = [
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

pub(super) const LINT_PATTERNS: [&str; 8] =
    ["clippy", "eslint", "ruff", "flake8", "pylint", "golangci-lint", "prettier --check", "cargo fmt --check"];
