#!/usr/bin/env bash
# Runs one fuzz target for N executions (default 10 million) on one core, with the limits the
# README's Fuzzing paragraph gives: inputs up to 4 KiB, 2 GiB of memory, 10 s an input (a slower
# input is a finding, in fuzz/artifacts/TARGET/). New inputs go to fuzz/work/TARGET (not
# committed); the committed seeds in fuzz/corpus/TARGET are read, not written.
#   fuzz/run.sh TARGET [RUNS] [SANITIZER]     (SANITIZER: address, the default, or none)
# FUZZ_SECONDS=N stops it after N seconds (libFuzzer's -max_total_time) if RUNS are not reached.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1 runs=${2:-10000000} san=${3:-address}
mkdir -p "fuzz/work/$target"
exec cargo +nightly fuzz run --sanitizer "$san" --target-dir "$PWD/fuzz/target/$san" "$target" \
  "fuzz/work/$target" "fuzz/corpus/$target" -- \
  -max_len=4096 -rss_limit_mb=2048 -timeout=10 -runs="$runs" -max_total_time="${FUZZ_SECONDS:-0}" -print_final_stats=1
