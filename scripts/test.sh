#!/usr/bin/env bash
# Runs every test of Spyglass: native unit/fixture/CLI/chart tests, the SQL recipes of sql/ against
# the report in DuckDB and ClickHouse (tests/sql/check_sql.py), the core's wasm32 build, the
# browser glue tests (wasm-bindgen-test in headless Chromium) and the end-to-end browser tests.
# Installs what is missing first. The browser benchmark (node tests/e2e/bench.mjs) and the fuzzer
# (README: Fuzzing) are not part of it.
#
# Every step runs, even after a failure, and each is counted from its own runner's output (a step
# that fails without a counted failure — a build error, a crash, a missing runner — counts as one
# failed). A step this script expects that is missing or not runnable is an error, never a silent
# skip; each step's log is removed before it runs, so nothing stale is counted. The last line is
#   total: N passed, M failed, K skipped
# where skipped counts the end-to-end tests that did not run and the #[ignore]d Rust tests (listed
# on the line before). Exit status: 0 when nothing failed.
#
# It also runs `cargo fmt --check` and `cargo clippy -D warnings` (natively on every target, and
# for wasm32 on the core, the page's binaries and the browser glue tests, with a configuration that
# bans the std clock, files and threads), each a failure when it
# does not pass.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=target/test-logs
mkdir -p "$logs"
passed=0 failed=0 skipped=0
summary=()   # one line per step
ignored=()   # names of #[ignore]d tests
finished=0

# A stop before the summary (setup failing, an interrupt) still ends with a total line.
on_exit() {
  if [ "$finished" = 0 ]; then
    echo "test.sh stopped before the end: counted as one more failure"
    echo "total: ${passed} passed, $((failed + 1)) failed, ${skipped} skipped"
  fi
}
trap on_exit EXIT

fail_step() { # NAME MESSAGE
  echo "error: $1: $2" >&2
  summary+=("$(printf '%-22s %s' "$1:" "FAILED: $2")")
  failed=$((failed + 1))
}

# Runs a cargo test command into LOG and counts its "test result:" lines.
cargo_tests() { # NAME LOG COMMAND...
  local name=$1 log=$2
  shift 2
  rm -f "$log"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f i results
  results=$(grep -E '^test result: ' "$log" || true)
  sum() { printf '%s\n' "$results" | grep -Eo "[0-9]+ $1" | awk '{s+=$1} END {print s+0}'; }
  p=$(sum passed) f=$(sum failed) i=$(sum ignored)
  # the #[ignore]d tests by name, with the test target they are in
  while IFS= read -r line; do
    [ -n "$line" ] && ignored+=("$line")
  done < <(awk '/^ *Running /{t=($2=="unittests")?$3:$2} /^test .* \.\.\. ignored/{sub(/^test /,""); sub(/ \.\.\. ignored.*/,""); print t ": " $0}' "$log")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + i))
  summary+=("$(printf '%-22s %s passed, %s failed, %s ignored' "$name:" "$p" "$f" "$i")")
  if [ "$status" != 0 ] && [ "$f" = 0 ]; then
    fail_step "$name" "exit status $status with no failed test counted (a build error or a crash: see $log)"
  elif [ "$status" = 0 ] && [ -z "$results" ]; then
    fail_step "$name" "no test results in its output (see $log)"
  fi
}

# A check that is not a test (a build, a lint): nothing counted when it passes, one failure when not.
check() { # NAME LOG COMMAND...
  local name=$1 log=$2
  shift 2
  rm -f "$log"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if [ "$status" = 0 ]; then
    summary+=("$(printf '%-22s ok' "$name:")")
  else
    fail_step "$name" "exit status $status (see $log)"
  fi
}

bash scripts/setup.sh --browser || { echo "error: scripts/setup.sh --browser failed" >&2; exit 1; }

echo "== native tests"
cargo_tests "native tests" "$logs/native.log" cargo test --no-fail-fast --lib --bins --tests

echo "== SQL recipes (sql/) against the report, in DuckDB and ClickHouse (tests/sql/check_sql.py)"
sql_log="$logs/sql.log"
rm -f "$sql_log"
if ! cargo build --bin spyglass >"$sql_log" 2>&1; then
  fail_step "sql recipes" "the spyglass binary did not build (see $sql_log)"
elif [ ! -x target/py/bin/python ]; then
  fail_step "sql recipes" "no target/py/bin/python (scripts/setup.sh installs duckdb and chdb there)"
else
  target/py/bin/python tests/sql/check_sql.py --spyglass target/debug/spyglass 2>&1 | tee -a "$sql_log"
  status=${PIPESTATUS[0]}
  # its closing line: "sql: N passed, M failed" (a missing engine counts as failed)
  last=$(grep -E '^sql: [0-9]+ passed, [0-9]+ failed$' "$sql_log" | tail -n 1 || true)
  if [ -z "$last" ]; then
    fail_step "sql recipes" "exit status $status and no \"sql: N passed, M failed\" line (see $sql_log)"
  else
    read -r _ p _ f _ <<<"${last//,/}"
    passed=$((passed + p)) failed=$((failed + f))
    summary+=("$(printf '%-22s %s passed, %s failed' "sql recipes:" "$p" "$f")")
    if [ "$status" != 0 ] && [ "$f" = 0 ]; then
      fail_step "sql recipes" "exit status $status with no failed check counted (see $sql_log)"
    fi
  fi
fi

echo "== the core builds for wasm32-unknown-unknown"
check "wasm32 build" "$logs/wasm32-build.log" cargo build --lib --target wasm32-unknown-unknown

echo "== browser glue tests (wasm-bindgen-test in headless Chromium: tests/web_glue.rs)"
if [ ! -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ]; then
  fail_step "browser glue tests" "no chromedriver at ${CHROMEDRIVER:-/usr/bin/chromedriver} (scripts/setup.sh --browser installs it)"
else
  CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" cargo_tests "browser glue tests" "$logs/web-glue.log" \
    cargo test --no-fail-fast --target wasm32-unknown-unknown --test web_glue
fi

echo "== end-to-end browser tests (tests/e2e)"
e2e_log="$logs/e2e.log"
rm -f "$e2e_log"
if [ ! -e tests/e2e/run.sh ]; then
  fail_step "end-to-end tests" "tests/e2e/run.sh is missing"
elif [ ! -x tests/e2e/run.sh ]; then
  fail_step "end-to-end tests" "tests/e2e/run.sh is not executable (chmod +x tests/e2e/run.sh)"
else
  tests/e2e/run.sh 2>&1 | tee "$e2e_log"
  status=${PIPESTATUS[0]}
  # its runner's closing line: "N passed, M failed, K skipped"
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$e2e_log" | tail -n 1 || true)
  if [ -z "$last" ]; then
    fail_step "end-to-end tests" "exit status $status and no \"N passed, M failed, K skipped\" line (see $e2e_log)"
  else
    read -r p _ f _ s _ <<<"${last//,/}"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    summary+=("$(printf '%-22s %s passed, %s failed, %s skipped' "end-to-end tests:" "$p" "$f" "$s")")
    if [ "$status" != 0 ] && [ "$f" = 0 ]; then
      fail_step "end-to-end tests" "exit status $status with no failed test counted (see $e2e_log)"
    fi
  fi
fi

echo "== lint"
check "cargo fmt --check" "$logs/fmt.log" cargo fmt --check
check "clippy (native)" "$logs/clippy.log" cargo clippy --all-targets -- -D warnings
# wasm32 with its own configuration (.clippy/wasm32/clippy.toml: no std clock, files or threads in
# the browser); the CLI is a native program and is not linted for wasm32
check "clippy (wasm32)" "$logs/clippy-wasm32.log" env CLIPPY_CONF_DIR=.clippy/wasm32 \
  cargo clippy --target wasm32-unknown-unknown --lib --bin app --bin worker --test web_glue -- -D warnings

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
if [ "${#ignored[@]}" -gt 0 ]; then
  echo "ignored (#[ignore], not run; counted as skipped): ${#ignored[@]}"
  printf '  %s\n' "${ignored[@]}"
fi
finished=1
echo "total: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" = 0 ]
