#!/usr/bin/env bash
# Builds the page (trunk build --release → dist/) and the single self-contained file
# dist-single/spyglass.html that also works when opened from file://.
#   scripts/build-single.sh [--no-trunk]   (--no-trunk: reuse the current dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-trunk" ]; then
  trunk build --release
fi
python3 scripts/single_file.py dist dist-single/spyglass.html
