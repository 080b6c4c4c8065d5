#!/usr/bin/env bash
# Runs every test of Spyglass: native unit/fixture/CLI/chart tests, the core's wasm32 build, the
# browser glue tests (wasm-bindgen-test in headless Chromium) and (when the page is present) the
# end-to-end browser tests. Installs what is missing first. The browser benchmark
# (node tests/e2e/bench.mjs) is not part of it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser
mkdir -p target

echo "== native tests"
cargo test --lib --bins --tests 2>&1 | tee target/native-tests.log

echo "== the core builds for wasm32-unknown-unknown"
cargo build --lib --target wasm32-unknown-unknown

echo "== browser glue tests (wasm-bindgen-test in headless Chromium: tests/web_glue.rs)"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" cargo test --target wasm32-unknown-unknown --test web_glue 2>&1 | tee target/web-glue-tests.log

if [ -x tests/e2e/run.sh ]; then
  echo "== end-to-end browser tests (tests/e2e)"
  bash tests/e2e/run.sh 2>&1 | tee target/e2e-tests.log
fi

# every step above stops the script on a failure, so reaching here means all passed
count() { grep -Eo "$1" "$2" 2>/dev/null | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
native=$(count 'test result: ok\. [0-9]+ passed' target/native-tests.log)
glue=$(count 'test result: ok\. [0-9]+ passed' target/web-glue-tests.log)
e2e=$(count '^[0-9]+ passed' target/e2e-tests.log)
echo "native ${native}, browser glue ${glue}, end-to-end ${e2e}"
echo "total: $((native + glue + e2e)) passed, 0 failed"
