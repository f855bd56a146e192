#!/usr/bin/env bash
# Starts a built server on a fresh SQLite data folder with the demo county (site from
# E2E_SITE_ROOT, default target/e2e-site), runs Playwright, stops it.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"
tmp=$(mktemp -d)
port=${E2E_PORT:-3107}
bin=${E2E_SERVER_BIN:-target/debug/server}
site=${E2E_SITE_ROOT:-$ROOT/target/e2e-site}
LEPTOS_SITE_ROOT="$site" LIANXIN_DATA_DIR="$tmp" LIANXIN_BIND="127.0.0.1:$port" \
  LIANXIN_DEMO_HOUSEHOLDS_PER_GRID="${E2E_HOUSEHOLDS_PER_GRID:-8}" RUST_LOG="warn,app::ssr=info" \
  "$bin" serve --demo >"$tmp/server.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
log "waiting for the server (first run loads the demo county)"
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/server.log"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$tmp/server.log"; exit 1; }
E2E_SERVER_BIN="$bin" E2E_SITE_ROOT="$site" E2E_SERVER_LOG="$tmp/server.log" E2E_BASE_URL="http://127.0.0.1:$port" npx playwright test -c end2end/playwright.config.ts "$@"
