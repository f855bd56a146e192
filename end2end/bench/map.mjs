// Map figures in a real Chromium: payload size of the county map, time to draw all grids,
// the command map's time to interactive with every grid and pin, and the release WASM size.
import { chromium } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const base = process.env.BENCH_BASE_URL ?? 'http://127.0.0.1:3000';
const password = process.env.LIANXIN_DEMO_PASSWORD ?? 'Lianxin@2026';
const runs = Number(process.env.BENCH_RUNS ?? 5);

const pkg = 'target/site/pkg';
for (const f of readdirSync(pkg).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'))) {
  const raw = readFileSync(`${pkg}/${f}`);
  console.log(`${f}: ${(raw.length / 1024).toFixed(0)} KiB raw, ${(brotliCompressSync(raw).length / 1024).toFixed(0)} KiB brotli`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
const page = await context.newPage();
await page.goto(`${base}/login`);
await page.getByTestId('username').fill('admin');
await page.getByTestId('password').fill(password);
await page.getByTestId('login-submit').click();
await page.waitForURL('**/org');
// The sign-in may still be followed by a second load of /org; retry until the page stays put.
async function settled(fn) {
  for (let i = 0; ; i++) {
    try {
      return await page.evaluate(fn);
    } catch (e) {
      if (i >= 10 || !String(e).includes('Execution context was destroyed')) throw e;
      await page.waitForTimeout(300);
    }
  }
}

const payload = await settled(async () => {
  const r = await fetch('/api/map_layers', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  const text = await r.text();
  const data = JSON.parse(text);
  const gj = JSON.parse(data.geojson);
  return { bytes: text.length, features: data.feature_count, grids: gj.features.filter((f) => f.properties.level === 'grid').length, text };
});
console.log(`map payload (county, all levels): ${payload.features} features, ${payload.grids} grids, ` +
  `${(payload.bytes / 1024).toFixed(0)} KiB raw, ${(gzipSync(payload.text).length / 1024).toFixed(0)} KiB gzip`);

const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  await page.goto(`${base}/org`);
  await page.waitForFunction((n) => document.querySelectorAll('path.lx-grid').length >= n, payload.grids, { timeout: 120_000 });
  times.push(Date.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`time from navigation to all ${payload.grids} grids drawn: median ${times[Math.floor(times.length / 2)]} ms, ` +
  `min ${times[0]} ms, max ${times[times.length - 1]} ms (${runs} runs)`);
// The command map (/map) with the whole county: every grid coloured, every pin in the cluster
// group. Interactive = outlines painted, pins clustered, the page answering a filter change.
const cmap = await settled(async () => {
  const r = await fetch('/api/command_map', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  const text = await r.text();
  const d = JSON.parse(text);
  const open = d.pins.filter((p) => ['Reported', 'Verified', 'Dispatched', 'Handling'].includes(p.state)).length;
  return { bytes: text.length, pins: d.pins.length, open, grids: d.grids.length, text };
});
console.log(`command map payload: ${cmap.pins} pins (${cmap.open} open), ${cmap.grids} grids, ` +
  `${(cmap.bytes / 1024).toFixed(0)} KiB raw, ${(gzipSync(cmap.text).length / 1024).toFixed(0)} KiB gzip`);
const tti = [];
const filter = [];
for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  await page.goto(`${base}/map`);
  await page.waitForFunction((n) => document.querySelector('#command-map')?.dataset.ready === 'true' &&
    document.querySelectorAll('#command-map path[data-light]').length >= n &&
    document.querySelector('.lx-cluster') !== null, cmap.grids, { timeout: 120_000 });
  tti.push(Date.now() - t0);
  // Every pin shown: from the change event to the second frame after it.
  filter.push(await page.evaluate(async (pins) => {
    const sel = document.querySelector('[data-testid=map-state]');
    const t = performance.now();
    sel.value = 'all';
    sel.dispatchEvent(new Event('change', { bubbles: true }));
    while (document.querySelector('[data-testid=map-shown]').textContent !== String(pins)) {
      await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t;
  }, cmap.pins));
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`command map time to interactive (${cmap.grids} grids, ${cmap.pins} pins): median ${med(tti)} ms, ` +
  `min ${Math.min(...tti)} ms, max ${Math.max(...tti)} ms (${runs} runs)`);
console.log(`command map filter change to all ${cmap.pins} pins painted: median ${med(filter).toFixed(0)} ms, ` +
  `max ${Math.max(...filter).toFixed(0)} ms`);
await browser.close();
