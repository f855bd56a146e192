// Writes `file.br` (brotli, quality 11) and `file.gz` (gzip -9) beside every JS, WASM, CSS,
// SVG and JSON file under the given folder, so the server sends them without compressing on
// each request. A variant that would not be smaller is not written.
//   node scripts/precompress.mjs target/site
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/precompress.mjs <site-root>');
  process.exit(2);
}
const wanted = /\.(js|mjs|wasm|css|svg|json)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

let raw = 0, br = 0, gz = 0, n = 0;
for (const f of files(root)) {
  if (f.endsWith('.br') || f.endsWith('.gz')) {
    // Left by an earlier build: the file it belonged to may be gone or changed.
    rmSync(f);
    continue;
  }
}
for (const f of files(root)) {
  if (!wanted.test(f)) continue;
  const data = readFileSync(f);
  const b = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: f.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const g = gzipSync(data, { level: 9 });
  if (b.length < data.length) writeFileSync(`${f}.br`, b);
  if (g.length < data.length) writeFileSync(`${f}.gz`, g);
  raw += data.length; br += Math.min(b.length, data.length); gz += Math.min(g.length, data.length); n++;
}
const kib = (x) => `${(x / 1024).toFixed(0)} KiB`;
console.log(`precompressed ${n} files under ${root}: ${kib(raw)} raw, ${kib(gz)} gzip, ${kib(br)} brotli`);
