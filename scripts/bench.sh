#!/usr/bin/env bash
# Prints benchmark figures: demo county import and seed time, release WASM size (raw, brotli),
# map payload size, the time until Chromium has drawn every grid, the command map's time to
# interactive with every grid and 5,000+ events, and the screen's push latency to 200 clients.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
log "building (release)"
"$ROOT/scripts/site.sh" target/site --server
tmp=$(mktemp -d)
port=${BENCH_PORT:-3108}
bin="$ROOT/target/release/server"
export LIANXIN_DATA_DIR="$tmp"
secs() { date +%s.%N; }

t0=$(secs)
"$bin" import --county 330825 --divisions seed/divisions/330825 \
  --outline seed/divisions/330825/outline.geojson --generate-grids | tail -n 7
t1=$(secs)
"$bin" seed-demo --county 330825
t2=$(secs)
"$bin" import --county 330825 --divisions seed/divisions/330825 \
  --outline seed/divisions/330825/outline.geojson --generate-grids | tail -n 1
t3=$(secs)
# The command map is measured with at least 5,000 events of the last 30 days.
"$bin" seed-events --county 330825 --days 30 --per-day 200
printf 'import of the demo county (SQLite): %.2f s\n' "$(echo "$t1 - $t0" | bc)"
printf 'demo seed (about 60,000 households): %.2f s\n' "$(echo "$t2 - $t1" | bc)"
printf 'second, idempotent import: %.2f s\n' "$(echo "$t3 - $t2" | bc)"

LEPTOS_SITE_ROOT="$ROOT/target/site" LIANXIN_BIND="127.0.0.1:$port" RUST_LOG=warn "$bin" serve >"$tmp/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
BENCH_BASE_URL="http://127.0.0.1:$port" node end2end/bench/map.mjs
kill $pid 2>/dev/null || true

log "event intake and KPI queries"
"$bin" bench "$@"
