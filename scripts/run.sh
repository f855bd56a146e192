#!/usr/bin/env bash
# Command 1: build and start Lianxin at http://127.0.0.1:3000 with the demo county.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
log "building (release)"
"$ROOT/scripts/site.sh" target/site --server
export LEPTOS_SITE_ROOT="$ROOT/target/site"
# The demo county on a first start (demo data only on request: run.sh asks for it).
exec "$ROOT/target/release/server" serve --demo "$@"
