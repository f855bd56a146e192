#!/usr/bin/env bash
# Installs what building Lianxin needs and skips what is already there:
# the wasm32 target, cargo-leptos, wasm-bindgen-cli (the version in Cargo.lock), npm packages
# (Leaflet, binaryen's wasm-opt, Playwright), and copies Leaflet into the site's assets.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  # A build tool, not the product: opt-level 1 without LTO builds in a fraction of the time
  # of its own release profile and is fast enough for what it does.
  log "installing cargo-leptos 0.3.10"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_DEBUG=false CARGO_INCREMENTAL=0 \
    cargo install cargo-leptos --version 0.3.10 --locked
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$want" != "$have" ]; then
  log "installing wasm-bindgen-cli $want"
  # No --locked: the 0.2.130 lock file names a yanked crate.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_INCREMENTAL=0 cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund
fi

if [ ! -f public/leaflet/leaflet.js ] || [ node_modules/leaflet/dist/leaflet.js -nt public/leaflet/leaflet.js ]; then
  log "copying Leaflet into public/leaflet"
  mkdir -p public/leaflet
  cp -r node_modules/leaflet/dist/. public/leaflet/
fi

if [ ! -f public/leaflet/markercluster/leaflet.markercluster.js ] || [ node_modules/leaflet.markercluster/dist/leaflet.markercluster.js -nt public/leaflet/markercluster/leaflet.markercluster.js ]; then
  log "copying Leaflet.markercluster into public/leaflet/markercluster"
  mkdir -p public/leaflet/markercluster
  cp -r node_modules/leaflet.markercluster/dist/. public/leaflet/markercluster/
fi
