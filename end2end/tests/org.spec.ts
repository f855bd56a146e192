import { test, expect, Page } from '@playwright/test';
import { login, shownCode, visit, PASSWORD } from './helpers';

async function dispatcherSeesOwnTownship(page: Page) {
  await login(page, 'town1');
  await visit(page, '/org');
  const code = await shownCode(page);
  expect(code).toMatch(/^\d{9}$/);
  // Every grid drawn belongs to this township; there is at least one.
  const grids = page.locator('path.lx-grid');
  await expect(grids.first()).toBeAttached({ timeout: 30_000 });
  const classes = await grids.evaluateAll((els) => els.map((e) => e.getAttribute('class') ?? ''));
  expect(classes.length).toBeGreaterThan(3);
  for (const c of classes) {
    const m = c.match(/lx-code-(\d+)/);
    expect(m, c).not.toBeNull();
    expect(m![1].startsWith(code), `${m![1]} outside ${code}`).toBe(true);
  }
  // No other township is drawn.
  const towns = await page.locator('path.lx-township').evaluateAll((els) => els.map((e) => e.getAttribute('class') ?? ''));
  expect(towns.length).toBe(1);
  expect(towns[0]).toContain(`lx-code-${code}`);
  return grids.count();
}

async function openLedgerFromMap(page: Page) {
  const grid = page.locator('path.lx-grid').first();
  await grid.click({ force: true });
  await page.waitForURL(/node=\d+/);
  const ledger = page.getByTestId('grid-ledger');
  await expect(ledger).toBeVisible();
  await expect(ledger).toContainText('网格一本账');
  await expect(ledger).toContainText('网格长');
  expect(Number(await page.getByTestId('ledger-households').innerText())).toBeGreaterThan(0);
}

test('a township dispatcher sees only their township on the map and opens a grid ledger', async ({ page }) => {
  await dispatcherSeesOwnTownship(page);
  await openLedgerFromMap(page);
});

test('the same at a 375×667 phone viewport', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await dispatcherSeesOwnTownship(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await openLedgerFromMap(page);
  await context.close();
});

test('an object outside the scope answers as not found', async ({ page }) => {
  await login(page, 'town2');
  await visit(page, '/org');
  const own = await shownCode(page);
  // The county node (id from the trail of an admin) is above a dispatcher: take id 1, the county.
  await page.goto('/org?node=1');
  await expect(page.getByRole('alert')).toContainText('未找到');
  expect(own).toMatch(/^\d{9}$/);
});

test('the login page and the org tree render without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByTestId('username')).toBeVisible();
  await page.getByTestId('username').fill('town1');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  // A dispatcher lands in the command room; the org tree is one link away.
  await page.waitForURL('**/console');
  await page.goto('/org');
  await expect(page.getByTestId('node-name')).toBeVisible();
  const villages = page.getByTestId('child-village');
  expect(await villages.count()).toBeGreaterThan(3);
  await villages.first().locator('a').click();
  await expect(page.getByTestId('child-grid').first()).toBeVisible();
  await page.getByTestId('child-grid').first().locator('a').click();
  await expect(page.getByTestId('grid-ledger')).toBeVisible();
  await context.close();
});

test('English is complete and switchable', async ({ page }) => {
  await login(page, 'admin');
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('.topbar')).toContainText('Org network');
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('wrong passwords are refused in the user language', async ({ page }) => {
  await visit(page, '/login');
  await page.getByTestId('username').fill('county');
  await page.getByTestId('password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
});
