#!/usr/bin/env bash
# Builds the page (trunk build --release → dist/, then dist-single/spyglass.html) and the CLI the
# exported JSON is compared with, then runs the end-to-end tests in Debian's chromium.
# Prints one line per test and finally "N passed, M failed, K skipped"; exits non-zero on failure.
#   tests/e2e/run.sh [--no-build] [--skip-large] [--only NAME]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done
if [ "$build" = 1 ]; then
  cargo build --release --bin spyglass
  scripts/build-single.sh
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  # (--omit=dev: the browser bench's DuckDB-Wasm packages, ~240 MB, are installed by bench.mjs when it needs them)
  (cd "$here" && npm ci --omit=dev --no-audit --no-fund --silent)
fi
mkdir -p "$here/out"
status=0
node "$here/run.mjs" "${args[@]}" || status=$?
if [ "$status" != 0 ] && [ "$status" != 1 ]; then
  echo "the test runner crashed (exit status $status)"
  echo "0 passed, 1 failed, 0 skipped"
fi
exit "$status"
