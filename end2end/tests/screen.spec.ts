import { test, expect, Browser, Page } from '@playwright/test';
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { base, login, reportFrom, PASSWORD } from './helpers';


/** Opens /screen as the county supervisor and waits for the live stream's first snapshot. */
async function openScreen(browser: Browser, width: number, height: number, baseURL?: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height }, baseURL: base(baseURL) });
  const page = await ctx.newPage();
  await login(page, 'county');
  await page.goto('/screen');
  await expect(page.getByTestId('screen-map')).toBeVisible();
  await expect(page.getByTestId('screen-state')).not.toHaveAttribute('data-version', '0', { timeout: 30_000 });
  await expect(page.getByTestId('screen-state')).toHaveAttribute('data-stale', 'false');
  return page;
}

/** No scrollbars: the document and the wall fit the viewport, and the key panels are inside it. */
async function fits(page: Page, width: number, height: number) {
  const m = await page.evaluate(() => {
    const wall = document.querySelector('.screen') as HTMLElement;
    return {
      docW: document.documentElement.scrollWidth,
      docH: document.documentElement.scrollHeight,
      wallW: wall.scrollWidth,
      wallH: wall.scrollHeight,
    };
  });
  expect(m.docW).toBeLessThanOrEqual(width);
  expect(m.docH).toBeLessThanOrEqual(height);
  expect(m.wallW).toBeLessThanOrEqual(width);
  expect(m.wallH).toBeLessThanOrEqual(height);
  for (const id of ['screen-map', 'trend-chart', 'category-chart', 'screen-ticker', 'screen-units', 'screen-red']) {
    const b = await page.getByTestId(id).boundingBox();
    expect(b, id).not.toBeNull();
    expect(b!.x + b!.width, id).toBeLessThanOrEqual(width + 1);
    expect(b!.y + b!.height, id).toBeLessThanOrEqual(height + 1);
  }
}


for (const [w, h] of [[1920, 1080], [3840, 2160]]) {
  test(`the screen fills ${w}×${h} with no scrollbars`, async ({ browser }) => {
    const page = await openScreen(browser, w, h);
    await expect(page.getByTestId('screen-tile')).toHaveCount(6);
    await expect(page.getByTestId('screen-ticker').locator('li')).not.toHaveCount(0);
    expect(await page.locator('[data-testid=screen-map] path.g').count()).toBeGreaterThan(100);
    await fits(page, w, h);
    await page.screenshot({ path: `end2end/test-results/screen-${w}x${h}.png` });
  });
}

test('an event reported in another browser shows on the screen within seconds', async ({ browser }) => {
  const screen = await openScreen(browser, 1920, 1080);
  const today = Number(await screen.getByTestId('screen-today').innerText());
  const version = Number(await screen.getByTestId('screen-state').getAttribute('data-version'));
  const id = await reportFrom(browser, 'E2E 大屏：村口路灯不亮');
  await expect(screen.getByTestId('screen-today')).toHaveText(String(today + 1), { timeout: 5_000 });
  await expect(screen.locator(`[data-testid=screen-ticker] li[data-event="${id}"]`)).toBeVisible();
  // It came as a patch on the same page, not a reload.
  expect(Number(await screen.getByTestId('screen-state').getAttribute('data-version'))).toBeGreaterThan(version);
});

test('the screen survives a server restart without a reload', async ({ browser }) => {
  test.setTimeout(300_000);
  const bin = process.env.E2E_SERVER_BIN;
  test.skip(!bin, 'needs the server binary (end2end/run.sh sets E2E_SERVER_BIN)');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-restart-'));
  const port = 3000 + 200 + Math.floor(Math.random() * 500);
  const own = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    LIANXIN_DATA_DIR: data,
    LIANXIN_BIND: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: process.env.E2E_SITE_ROOT ?? 'target/e2e-site',
    LIANXIN_DEMO_HOUSEHOLDS_PER_GRID: '2',
    LIANXIN_DEMO_EVENTS_PER_DAY: '5',
    RUST_LOG: 'warn',
  };
  const start = async (): Promise<ChildProcess> => {
    const p = spawn(bin!, ['serve', '--demo'], { env, stdio: 'ignore' });
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`${own}/healthz`)).ok) return p;
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('server did not start');
  };
  let server = await start();
  try {
    const screen = await openScreen(browser, 1920, 1080, own);
    await screen.evaluate(() => ((window as any).__noReload = true));
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await expect(screen.getByTestId('screen-state')).toHaveAttribute('data-stale', 'true', { timeout: 30_000 });
    await expect(screen.getByTestId('screen-state')).toContainText('过期');
    server = await start();
    await expect(screen.getByTestId('screen-state')).toHaveAttribute('data-stale', 'false', { timeout: 30_000 });
    const today = Number(await screen.getByTestId('screen-today').innerText());
    await reportFrom(browser, 'E2E 重启后：垃圾未清运', own);
    await expect(screen.getByTestId('screen-today')).toHaveText(String(today + 1), { timeout: 10_000 });
    expect(await screen.evaluate(() => (window as any).__noReload)).toBe(true);
  } finally {
    server.kill('SIGTERM');
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('the phone summary and the scoreboards render without JavaScript', async ({ browser }) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })).newPage();
  await page.goto('/login');
  await page.getByTestId('username').fill('town1');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.goto('/summary');
  await expect(page.getByTestId('summary-kpis').locator('li')).toHaveCount(6);
  await page.goto('/scores?tab=workers');
  const rows = page.getByTestId('board-row');
  expect(await rows.count()).toBeGreaterThan(0);
  // The first score opens to its ledger, whose counted lines add up to it.
  const score = Number(await rows.first().getByTestId('board-score').innerText());
  await rows.first().getByTestId('board-score').click();
  await expect(page.getByTestId('ledger-page')).toBeVisible();
  await expect(page.getByTestId('ledger-total')).toHaveText(String(score));
  const amounts = await page.locator('[data-testid=ledger-amount][data-status=approved]').allInnerTexts();
  expect(amounts.map(Number).reduce((a, b) => a + b, 0)).toBe(score);
});
