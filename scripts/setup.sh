#!/usr/bin/env bash
# Installs what Spyglass needs on a fresh machine, skipping whatever is already there.
#   scripts/setup.sh          toolchain for the native core and the Wasm page (target, wasm-bindgen, trunk,
#                             binaryen's wasm-opt), and a Python venv (target/py) with duckdb and chdb
#                             for the SQL recipes' test
#   scripts/setup.sh --browser  also Debian's Chromium and the npm packages of the end-to-end tests
#   scripts/setup.sh --fuzz     also the nightly toolchain and cargo-fuzz (README: Fuzzing; not
#                               needed by the tests or CI)
# The flags combine (`--browser --fuzz`).
set -euo pipefail
cd "$(dirname "$0")/.."

browser=0 fuzz=0
for a in "$@"; do
  case "$a" in
    --browser) browser=1 ;;
    --fuzz) fuzz=1 ;;
    *) echo "setup.sh: unknown option $a (known: --browser, --fuzz)" >&2; exit 2 ;;
  esac
done

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
# wasm-opt, which Trunk runs on the page's two modules (www/index.html: data-wasm-opt), from npm's
# binaryen package (Debian's binaryen 108 corrupts the modules); Trunk.toml pins the same version
# (`[tools] wasm_opt = "version_N"`), so a different wasm-opt on PATH fails the build instead of
# running.
BINARYEN_VERSION=132.0.0
# the SQL recipes' equality test (tests/sql/check_sql.py): DuckDB and ClickHouse's in-process engine
DUCKDB_VERSION=2.0.1
CHDB_VERSION=4.4.0
PY_VENV=target/py

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# the lint steps of scripts/test.sh
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^${component}"; then
    log "adding the ${component} component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  log "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  log "building trunk $TRUNK_VERSION (about ten minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*} "; then
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) with npm"
  npm install --global --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# a venv of its own (nothing installed by hand exists on a CI machine); chdb is large (~1 GB
# unpacked), installed once
if ! "$PY_VENV/bin/python" -c "import duckdb, chdb" >/dev/null 2>&1 \
  || ! "$PY_VENV/bin/python" -c "import duckdb, chdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION' or chdb.__version__ != '$CHDB_VERSION')" >/dev/null 2>&1; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    log "installing Debian's python3-venv"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  log "installing duckdb $DUCKDB_VERSION and chdb $CHDB_VERSION into $PY_VENV (the SQL recipes' test; a minute, once)"
  python3 -m venv "$PY_VENV"
  "$PY_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION" "chdb==$CHDB_VERSION"
fi

if [ "$browser" = 1 ]; then
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ -f tests/e2e/package.json ] && [ ! -d tests/e2e/node_modules/playwright-core ]; then
    log "installing the end-to-end test packages"
    # (--omit=dev: the browser bench installs its DuckDB-Wasm packages itself)
    (cd tests/e2e && npm ci --omit=dev --no-audit --no-fund --silent)
  fi
fi

if [ "$fuzz" = 1 ]; then
  if ! rustup toolchain list | grep -q '^nightly'; then
    log "installing the nightly toolchain (cargo fuzz needs it; a minute)"
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    log "building cargo-fuzz (a few minutes, once)"
    cargo install cargo-fuzz
  fi
fi
