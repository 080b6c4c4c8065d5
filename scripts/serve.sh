#!/usr/bin/env bash
# Sets up what is missing, builds the page and serves it on http://127.0.0.1:${PORT:-8080}.
# The built page in dist/ is static: copy it to any static host (or open dist-single/spyglass.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
trunk build --release --offline
bash scripts/build-single.sh --no-trunk
port=${PORT:-8080}
echo "Spyglass: http://127.0.0.1:${port}/  (Ctrl-C to stop)"
cd dist && exec python3 -m http.server "$port" --bind 127.0.0.1
