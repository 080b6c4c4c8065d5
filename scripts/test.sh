#!/usr/bin/env bash
# Runs every test of Spyglass: native unit/fixture/CLI/chart tests, the core's wasm32 build,
# and (when the page is present) the browser tests. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser

echo "== native tests"
cargo test --lib --bins --tests 2>&1 | tee target/native-tests.log

echo "== the core builds for wasm32-unknown-unknown"
cargo build --lib --target wasm32-unknown-unknown

if [ -x tests/e2e/run.sh ]; then
  echo "== browser tests"
  bash tests/e2e/run.sh
fi

passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' target/native-tests.log | awk '{s+=$4} END {print s+0}')
echo "native: ${passed} passed, 0 failed"
