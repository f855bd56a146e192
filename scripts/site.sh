#!/usr/bin/env bash
# Builds the site (JS, WASM chunks, CSS, the public folder) into a site root:
#   scripts/site.sh [site-root] [--server]
# A release WASM build split per route (`--split`), content-hashed file names, the hash file
# put in the site root (the server reads it there), every file precompressed (brotli, gzip).
# With --server the release server is built too (run.sh); without, only the browser side
# (the tests run the server their own build made).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
site="${1:-target/site}"
what=(--frontend-only)
if [ "${2:-}" = "--server" ]; then what=(); fi
rm -rf "$site/pkg"
LEPTOS_SITE_ROOT="$site" cargo leptos build --release --split "${what[@]}"
cp target/release/hash.txt "$site/hash.txt"
# The small no-JavaScript pages (server errors) link the stylesheet by its plain name.
css=$(awk -F': ' '$1 == "css" { print $2 }' "$site/hash.txt")
cp "$site/pkg/lianxin.$css.css" "$site/pkg/lianxin.css"
node scripts/precompress.mjs "$site"
