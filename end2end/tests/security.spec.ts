import { test, expect, Page } from '@playwright/test';
import { login, visit } from './helpers';

const EVIL = '<img src=x onerror=alert(1)>';

/** Calls a server function from inside the page, as the app does. */
async function call(page: Page, name: string, body: string): Promise<{ status: number; json: any }> {
  return page.evaluate(
    async ([name, body]) => {
      const r = await fetch(`/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    [name, body],
  );
}

test('a unit renamed to a script stays text in the tooltips of /org and /map', async ({ browser }) => {
  const cadre = await (await browser.newContext()).newPage();
  await login(cadre, 'village1');
  const own = await call(cadre, 'org_view', '');
  expect(own.status).toBe(200);
  const village = own.json.node;
  const grid = own.json.children[0];
  const renamed = await call(cadre, 'rename_unit', `id=${grid.id}&name=${encodeURIComponent(EVIL)}`);
  expect(renamed.status).toBe(200);

  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await login(page, 'town1');

  await visit(page, `/org?node=${village.id}`);
  const area = page.locator(`#org-map path.lx-code-${grid.code}`);
  await expect(area).toBeVisible({ timeout: 30_000 });
  await area.hover();
  const tip = page.locator('.leaflet-tooltip');
  await expect(tip).toHaveText(EVIL);
  expect(await tip.locator('img').count()).toBe(0);

  await visit(page, `/map?node=${village.id}`);
  await expect(page.getByTestId('cmap-canvas')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  const cell = page.locator(`#command-map path[data-grid="${grid.id}"]`);
  await expect(cell).toBeVisible();
  // A cluster marker may sit on the grid's centre: hover the outline itself.
  await cell.dispatchEvent('mouseover');
  await expect(page.locator('.leaflet-tooltip')).toHaveText(EVIL);
  expect(await page.locator('.leaflet-tooltip img').count()).toBe(0);
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);

  const back = await call(cadre, 'rename_unit', `id=${grid.id}&name=${encodeURIComponent(grid.name)}`);
  expect(back.status).toBe(200);
});

const PAGES: [string, string][] = [
  ['/', 'admin'],
  ['/login', 'admin'],
  ['/report', 'resident1'],
  ['/org', 'admin'],
  ['/me', 'resident1'],
  ['/console', 'town1'],
  ['/overdue', 'town1'],
  ['/kpi', 'county'],
  ['/scores', 'county'],
  ['/scores/ledger?subject=household&subject_id=1', 'admin'],
  ['/map', 'town1'],
  ['/screen', 'county'],
  ['/summary', 'county'],
  ['/admin/catalog', 'admin'],
  ['/admin/calendar', 'admin'],
];

test('every page sends a nonce policy that its own scripts satisfy', async ({ browser }) => {
  const byUser = new Map<string, Page>();
  for (const [path, user] of PAGES) {
    let page = byUser.get(user);
    if (!page) {
      page = await (await browser.newContext()).newPage();
      await login(page, user);
      byUser.set(user, page);
    }
    const violations: string[] = [];
    const onConsole = (m: any) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    };
    page.on('console', onConsole);
    const res = await page.goto(path);
    expect(res, path).not.toBeNull();
    const h = res!.headers();
    const csp = h['content-security-policy'] ?? '';
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]+' 'wasm-unsafe-eval'/);
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).toContain("base-uri 'none'");
    expect(csp, path).toContain("frame-ancestors 'self'");
    expect(h['x-content-type-options'], path).toBe('nosniff');
    expect(h['referrer-policy'], path).toBe('same-origin');
    // The app still hydrates under the policy: its scripts carry the nonce.
    await page.locator('html[data-hydrated=true]').waitFor({ state: 'attached', timeout: 30_000 });
    page.off('console', onConsole);
    expect(violations, path).toEqual([]);
  }
});

test('without JavaScript a wrong password comes back to the sign-in page with the reason', async ({ browser }) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto('/login');
  await page.getByTestId('username').fill('grid1');
  await page.getByTestId('password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/login/);
  await expect(page.getByTestId('login-error')).toHaveText('用户名或密码错误。');
  expect(page.url()).not.toContain('/api/');
});
