#!/usr/bin/env bash
# The villagers' figures (end2end/bench/web.mjs): bytes per route, slow-4G paint and hydration
# medians, Lighthouse scores. Builds the release site and server, starts it on a fresh demo
# database, measures, stops it. Exits non-zero when /report or /login is over its budget.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
tools="$ROOT/target/bench-tools"
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  log "installing Lighthouse 12.2.3 into target/bench-tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error lighthouse@12.2.3 >/dev/null
fi
site="$ROOT/target/site"
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "building the release site and server"
  "$ROOT/scripts/site.sh" "$site" --server
fi
tmp=$(mktemp -d)
port=${BENCH_PORT:-3117}
LEPTOS_SITE_ROOT="$site" LIANXIN_DATA_DIR="$tmp" LIANXIN_BIND="127.0.0.1:$port" \
  LIANXIN_DEMO_HOUSEHOLDS_PER_GRID=8 RUST_LOG=warn "$ROOT/target/release/server" serve --demo >"$tmp/server.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
log "waiting for the server (loading the demo county)"
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 1
done
BENCH_BASE_URL="http://127.0.0.1:$port" BENCH_SITE_ROOT="$site" node end2end/bench/web.mjs
