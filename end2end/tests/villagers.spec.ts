import { test, expect, Browser, Page } from '@playwright/test';
import { PASSWORD, hydrated, login, visit } from './helpers';

// WeChat's in-app browser on a cheap Android phone.
const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; M2006C3LC Build/QP1A.190711.020; wv) AppleWebKit/537.36 ' +
  '(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 ' +
  'MMWEBSDK/20230202 MMWEBID/1234 MicroMessenger/8.0.33.2320(0x28002137) WeChat/arm64 Weixin ' +
  'NetType/4G Language/zh_CN ABI/arm64';

async function villager(browser: Browser) {
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 667 },
    userAgent: WECHAT_ANDROID,
    isMobile: true,
    hasTouch: true,
  });
  const page = await ctx.newPage();
  await login(page, 'resident2');
  return page;
}

/** Slow 4G as the villagers' issue defines it: 1.6 Mbps down, 750 kbps up, 150 ms, 4× CPU. */
async function slow4g(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}


test('the report flow completes at 375×667 in WeChat on slow 4G', async ({ browser }) => {
  const page = await villager(browser);
  await slow4g(page);
  await page.goto('/report');
  await hydrated(page);
  await page.getByTestId('report-category').selectOption({ label: '路灯故障' });
  await page.getByTestId('report-description').fill('E2E 慢网 村口路灯不亮');
  await page.getByTestId('report-map').scrollIntoViewIfNeeded();
  await expect(page.locator('#report-map.leaflet-container')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('report-submit').click();
  await page.waitForURL(/\/events\/\d+$/, { timeout: 60_000 });
  await expect(page.getByTestId('tracking-no')).toHaveText(/^LX\d{14}$/);
});

test('on a small screen the map\'s Leaflet is fetched only when the map comes into view', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 320, height: 480 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await login(page, 'resident2');
  const leaflet: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/leaflet/')) leaflet.push(r.url());
  });
  await visit(page, '/report');
  await page.waitForLoadState('networkidle');
  expect(leaflet).toEqual([]);
  await page.getByTestId('report-map').scrollIntoViewIfNeeded();
  await expect(page.locator('#report-map.leaflet-container')).toBeVisible();
  expect(leaflet.some((u) => u.endsWith('/leaflet/leaflet.js'))).toBe(true);
  await ctx.close();
});

test('typing before the page comes alive is kept when the WASM takes over', async ({ browser }) => {
  const page = await villager(browser);
  // Hold the WASM back so the form is typed into as plain HTML.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/pkg/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/report');
  await page.getByTestId('report-description').fill('E2E 先打字 后加载');
  await page.getByTestId('report-category').selectOption({ label: '路灯故障' });
  release();
  await hydrated(page);
  await expect(page.getByTestId('report-description')).toHaveValue('E2E 先打字 后加载');
  await page.getByTestId('report-submit').click();
  await page.waitForURL(/\/events\/\d+$/);
  await expect(page.getByTestId('event-description')).toContainText('E2E 先打字 后加载');
});

test('a report made without a network is kept on the phone and sent once when it returns', async ({ browser }) => {
  const page = await villager(browser);
  const text = `E2E 地下室没信号 ${Date.now()}`;
  await visit(page, '/report');
  // The draft: typed, the page reopened, still there.
  await page.getByTestId('report-description').fill(text);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('report-description')).toHaveValue(text);

  await page.getByTestId('report-category').selectOption({ label: '路灯故障' });
  await page.context().setOffline(true);
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('report-status')).toContainText('已保存在手机上');
  await page.context().setOffline(false);
  // The browser's `online` event sends it.
  await expect(page.getByTestId('report-status')).toContainText('已收到', { timeout: 30_000 });
  await expect(page.getByTestId('report-status')).toContainText(/LX\d{14}/);
  // Opening the page again sends nothing twice.
  await visit(page, '/report');
  await expect(page.getByTestId('report-status')).toHaveCount(0);
  // Exactly one event, on the resident's own list.
  await visit(page, '/my');
  await expect(page).toHaveURL(/\/my$/);
  await expect(page.getByText(text, { exact: true })).toHaveCount(1);
});

test('a page whose chunks are gone (a newer build) says so and offers a reload', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 667 } });
  const page = await ctx.newPage();
  // Signed in, a resident is on /my: the full build, whose pages come in chunks.
  await login(page, 'resident1');
  await expect(page).toHaveURL(/\/my$/);
  await hydrated(page);
  // The server now runs another build: this page's chunks are no longer there.
  await page.route('**/pkg/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await expect(page.getByTestId('reload-prompt')).toBeHidden();
  await page.getByTestId('menu').locator('a[href="/wishes"]').click();
  await expect(page.getByTestId('reload-prompt')).toBeVisible();
  await expect(page.getByTestId('reload-prompt')).toContainText('刷新页面');
  await page.unroute('**/pkg/**');
  await page.getByTestId('reload-prompt').getByRole('link').click();
  await hydrated(page);
  await expect(page.getByTestId('reload-prompt')).toBeHidden();
});

test('the villagers\' pages load their own small build, and a step to another page loads it whole', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 667 } });
  const page = await ctx.newPage();
  const fetched: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/pkg/') && /\.(js|wasm)$/.test(u.pathname)) fetched.push(u.pathname);
  });
  await visit(page, '/report');
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.every((p) => p.startsWith('/pkg/villager.'))).toBe(true);
  // Sign-in is the villagers' build too; the resident's /my after it is the full one.
  await visit(page, '/login');
  await page.getByTestId('username').fill('resident1');
  await page.getByTestId('password').fill(PASSWORD);
  fetched.length = 0;
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/my$/);
  await hydrated(page);
  await expect(page.getByTestId('my-page')).toBeVisible();
  expect(fetched.some((p) => p.startsWith('/pkg/lianxin.'))).toBe(true);
  // Signed in, the report form is still the small build; its menu's /my is not in it, so the
  // step loads /my from the server, with the full build.
  fetched.length = 0;
  await visit(page, '/report');
  expect(fetched.every((p) => p.startsWith('/pkg/villager.'))).toBe(true);
  await page.getByTestId('menu').locator('a[href="/my"]').click();
  await expect(page).toHaveURL(/\/my$/);
  await expect(page.getByTestId('my-page')).toBeVisible();
  await hydrated(page);
  expect(fetched.some((p) => p.startsWith('/pkg/lianxin.'))).toBe(true);
  // An event's page opened on its own (a notice's link, a reload) is the small build too, and
  // alive: it follows the live feed.
  const href = await page.getByTestId('my-page').locator('a[href^="/events/"]').first().getAttribute('href');
  fetched.length = 0;
  await visit(page, href!);
  await expect(page.getByTestId('tracking-no')).toBeVisible();
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.every((p) => p.startsWith('/pkg/tracker.'))).toBe(true);
  await expect(page.getByTestId('live-status')).toHaveClass(/on/, { timeout: 30_000 });
});
