// What a villager's phone pays for each page, in a real Chromium against a running release
// build (scripts/bench-web.sh starts one):
// - every file the build made, raw / gzip / brotli, and which chunks each lazy route loads;
// - per page, the JS + WASM bytes of its first load (as sent: brotli) and, on emulated slow 4G
//   (1.6 Mbps down, 750 kbps up, 150 ms RTT, 4× CPU) in WeChat's Android user agent at 375×667,
//   the medians over BENCH_RUNS of first contentful paint, largest contentful paint and the
//   moment the page is hydrated (buttons work);
// - Lighthouse 12's mobile performance score for the four villagers' and leaders' pages.
import { chromium } from '@playwright/test';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const base = process.env.BENCH_BASE_URL ?? 'http://127.0.0.1:3000';
const site = process.env.BENCH_SITE_ROOT ?? 'target/site';
const password = process.env.LIANXIN_DEMO_PASSWORD ?? 'Lianxin@2026';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const BUDGET = 250 * 1000;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// 1. The build's files.
const pkg = join(site, 'pkg');
const size = (f) => (existsSync(f) ? readFileSync(f).length : null);
const files = readdirSync(pkg).filter((f) => /\.(wasm|js|css)$/.test(f)).sort();
let total = { raw: 0, gz: 0, br: 0 };
// The villagers' own builds (home, sign-in, report; an event's page: app::villager) are
// counted apart.
let villager = { raw: 0, gz: 0, br: 0 };
let tracker = { raw: 0, gz: 0, br: 0 };
console.log('## files (raw / gzip / brotli)');
for (const f of files) {
  const raw = size(join(pkg, f));
  const gz = size(join(pkg, f + '.gz')) ?? raw;
  const br = size(join(pkg, f + '.br')) ?? raw;
  const sum = f.startsWith('villager.') ? villager : f.startsWith('tracker.') ? tracker : total;
  if (/\.(wasm|js)$/.test(f)) { sum.raw += raw; sum.gz += gz; sum.br += br; }
  console.log(`  ${f.padEnd(60)} ${kib(raw).padStart(11)} ${kib(gz).padStart(11)} ${kib(br).padStart(11)}`);
}
console.log(`  whole app, JS + WASM: ${kib(total.raw)} raw, ${kib(total.gz)} gzip, ${kib(total.br)} brotli`);
console.log(`  villagers' build (/, /login, /report), JS + WASM: ${kib(villager.raw)} raw, ${kib(villager.gz)} gzip, ${kib(villager.br)} brotli`);
console.log(`  event page's build (/events/{id}), JS + WASM: ${kib(tracker.raw)} raw, ${kib(tracker.gz)} gzip, ${kib(tracker.br)} brotli`);
const manifest = readdirSync(pkg).find((f) => f.startsWith('__wasm_split_manifest') && f.endsWith('.json'));
if (manifest) {
  const m = JSON.parse(readFileSync(join(pkg, manifest), 'utf8'));
  console.log('## lazy routes and the chunks each loads (brotli)');
  for (const [name, chunks] of Object.entries(m).sort()) {
    const br = chunks.reduce((s, c) => {
      const f = readdirSync(pkg).find((x) => x.startsWith(c + '.') && x.endsWith('.wasm')) ?? `${c}.wasm`;
      return s + (size(join(pkg, f + '.br')) ?? size(join(pkg, f)) ?? 0);
    }, 0);
    console.log(`  ${name.replace(/_\d+$/, '').padEnd(40)} ${chunks.length} chunk(s) ${kib(br).padStart(11)}`);
  }
}

// 2. Pages in Chromium.
const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; M2006C3LC Build/QP1A.190711.020; wv) AppleWebKit/537.36 ' +
  '(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 ' +
  'MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x28002137) WeChat/arm64 Weixin NetType/4G Language/zh_CN';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function signIn(user) {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, userAgent: WECHAT_ANDROID, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.locator('html[data-hydrated=true]').waitFor({ state: 'attached', timeout: 60_000 });
  await page.getByTestId('username').fill(user);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const cookies = await ctx.cookies();
  await ctx.close();
  return cookies;
}

const resident = await signIn('resident1');
const leader = await signIn('county');
// An event the resident may see: one they report now, through the form.
const eventId = await (async () => {
  const ctx = await browser.newContext();
  await ctx.addCookies(resident);
  const page = await ctx.newPage();
  await page.goto(`${base}/report`);
  await page.locator('html[data-hydrated=true]').waitFor({ state: 'attached', timeout: 60_000 });
  await page.getByTestId('report-category').selectOption({ index: 1 });
  await page.getByTestId('report-description').fill('测速：村口路灯不亮');
  await page.getByTestId('report-submit').click();
  await page.waitForURL(/\/events\/\d+$/);
  const path = new URL(page.url()).pathname;
  await ctx.close();
  return path;
})();

const pages = [
  { name: '/report', path: '/report', cookies: resident },
  { name: '/login', path: '/login', cookies: [] },
  { name: '/events/{id}', path: eventId, cookies: resident },
  { name: '/summary', path: '/summary', cookies: leader },
];

async function measure(p) {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, userAgent: WECHAT_ANDROID, isMobile: true, hasTouch: true });
  if (p.cookies.length) await ctx.addCookies(p.cookies);
  await ctx.addInitScript(() => {
    window.__lx = { lcp: 0 };
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lx.lcp = e.startTime; })
      .observe({ type: 'largest-contentful-paint', buffered: true });
    // The app marks <html data-hydrated> when its buttons work; polled, as the element does
    // not exist yet when this runs.
    const poll = setInterval(() => {
      if (document.documentElement?.dataset.hydrated) {
        window.__lx.hydrated = performance.now();
        clearInterval(poll);
      }
    }, 10);
  });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  const types = new Map();
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = types.get(e.requestId) ?? '';
    if (/\.(js|wasm)(\?|$)/.test(url)) bytes += e.encodedDataLength;
  });
  await page.goto(base + p.path);
  await page.locator('html[data-hydrated=true]').waitFor({ state: 'attached', timeout: 120_000 });
  // Whatever the page loads once alive (Leaflet on the report page) belongs to its first load.
  await page.waitForLoadState('networkidle');
  const t = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
    lcp: window.__lx.lcp,
    hydrated: window.__lx.hydrated ?? 0,
  }));
  await ctx.close();
  return { ...t, bytes };
}

console.log(`## first load on slow 4G, WeChat Android at 375×667 (median of ${runs})`);
console.log('  page              JS+WASM (as sent)   FCP      LCP      hydrated');
let over = false;
for (const p of pages) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await measure(p));
  const b = median(rs.map((r) => r.bytes));
  const flag = (p.name === '/report' || p.name === '/login') && b > BUDGET ? '  OVER the 250 KB budget' : '';
  if (flag) over = true;
  const ms = (k) => `${(median(rs.map((r) => r[k])) / 1000).toFixed(2)} s`;
  console.log(`  ${p.name.padEnd(16)} ${kib(b).padStart(12)}        ${ms('fcp').padEnd(8)} ${ms('lcp').padEnd(8)} ${ms('hydrated')}${flag}`);
}

// 3. Lighthouse (mobile preset: simulated slow 4G and a 4× slower CPU).
if (!process.env.BENCH_NO_LIGHTHOUSE) {
  console.log('## Lighthouse 12 mobile performance');
  for (const p of pages) {
    const cookie = p.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const args = [base + p.path, '--only-categories=performance', '--output=json', '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu'];
    if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
    try {
      const out = execFileSync(process.env.LIGHTHOUSE_BIN ?? 'target/bench-tools/node_modules/.bin/lighthouse', args, { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, maxBuffer: 64 << 20 });
      const r = JSON.parse(out.toString());
      const a = r.audits;
      console.log(`  ${p.name.padEnd(16)} score ${Math.round(r.categories.performance.score * 100)}  FCP ${a['first-contentful-paint'].displayValue}  LCP ${a['largest-contentful-paint'].displayValue}  TBT ${a['total-blocking-time'].displayValue}`);
    } catch (e) {
      console.log(`  ${p.name.padEnd(16)} lighthouse failed: ${String(e).split('\n')[0]}`);
    }
  }
}
await browser.close();
if (over) process.exitCode = 1;
