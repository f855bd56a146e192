#!/usr/bin/env bash
# Command 2: every check and test. Formatting, clippy for both features, Rust unit and
# integration tests on SQLite and PostgreSQL, then Playwright in Debian's Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# One full pass: incremental caches would only double the disk it needs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Formatting first: it needs nothing installed and fails in seconds.
log "cargo fmt --check"
cargo fmt --all -- --check
"$ROOT/scripts/setup.sh"

# Chinese fonts too, so screenshots of the pages show their text rather than empty boxes.
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then
  log "installing Chromium and CJK fonts"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
source "$ROOT/scripts/pg.sh"

log "clippy (ssr)"
cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
log "clippy (hydrate, wasm32)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

log "Rust tests (SQLite and PostgreSQL)"
cargo test -p app --features ssr
cargo test -p server

log "building the site"
cargo leptos build
log "end-to-end tests"
"$ROOT/end2end/run.sh"
