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
# The villagers' builds (app::villager): `/`, `/login` and `/report` hydrate from `villager`,
# an event's page from `tracker` (its island only, so the report page does not carry it). Their
# own target folder: the split build's linker flags differ, and sharing one folder would
# rebuild every dependency each time the other is built.
# Named by content as cargo-leptos names its own (MD5, URL-safe base64), so the server serves
# them immutable and two builds never share a name.
hash() { openssl dgst -md5 -binary "$1" | base64 | tr '+/' '-_' | tr -d '='; }
for build in villager tracker; do
  log "building the villagers' WASM: $build"
  cargo build -p frontend --lib --features "$build" \
    --target wasm32-unknown-unknown --profile wasm-release --target-dir target/villager
  out=target/villager/bindgen-$build
  rm -rf "$out"
  wasm-bindgen target/villager/wasm32-unknown-unknown/wasm-release/frontend.wasm \
    --target web --no-typescript --out-dir "$out" --out-name "$build"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/${build}_bg.wasm" -o "$out/${build}_bg.wasm"
  jsh=$(hash "$out/$build.js")
  wasmh=$(hash "$out/${build}_bg.wasm")
  cp "$out/$build.js" "$site/pkg/$build.$jsh.js"
  cp "$out/${build}_bg.wasm" "$site/pkg/$build.$wasmh.wasm"
  # Inline JS of the bindings, if any, sits beside the glue that imports it.
  if [ -d "$out/snippets" ]; then cp -r "$out/snippets" "$site/pkg/"; fi
  printf 'js: %s\nwasm: %s\n' "$jsh" "$wasmh" > "$site/$build.txt"
done
# The small no-JavaScript pages (server errors) link the stylesheet by its plain name.
css=$(awk -F': ' '$1 == "css" { print $2 }' "$site/hash.txt")
cp "$site/pkg/lianxin.$css.css" "$site/pkg/lianxin.css"
node scripts/precompress.mjs "$site"
