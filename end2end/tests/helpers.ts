import { expect, Browser, Page } from '@playwright/test';

export const PASSWORD = process.env.LIANXIN_DEMO_PASSWORD ?? 'Lianxin@2026';

/** Opens a page and waits until its buttons have their handlers (the app marks <html>). */
export async function visit(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

/** Waits for the app's hydration mark, after a goto or a reload. */
export async function hydrated(page: Page) {
  await page.locator('html[data-hydrated=true]').waitFor({ state: 'attached', timeout: 30_000 });
}

/** Signs in through the login form and waits for the page the role works on. */
export async function login(page: Page, username: string) {
  await visit(page, '/login');
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** The 9-digit township code shown in the org panel header. */
export async function shownCode(page: Page): Promise<string> {
  return (await page.locator('.node-header .code').innerText()).trim();
}

// A context's own baseURL replaces the configured one, so pass the run's when none is given.
export const base = (url?: string) => url ?? process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000';

/** A resident reports without JavaScript (a plain form post); returns the new event's id. */
export async function reportFrom(browser: Browser, text: string, baseURL?: string): Promise<string> {
  const page = await (await browser.newContext({ javaScriptEnabled: false, baseURL: base(baseURL) })).newPage();
  await page.goto('/login');
  await page.getByTestId('username').fill('resident1');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.goto('/report');
  await page.getByTestId('report-category').selectOption({ label: '路灯故障' });
  await page.getByTestId('report-description').fill(text);
  await page.getByTestId('report-submit').click();
  await page.waitForURL(/\/events\/\d+$/);
  return page.url().split('/').pop()!;
}

/** A signed-in phone (375×667, touch) for `user`. */
export async function phone(browser: Browser, user: string, baseURL?: string): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 667 },
    isMobile: true,
    hasTouch: true,
    baseURL: base(baseURL),
  });
  const page = await ctx.newPage();
  await login(page, user);
  return page;
}
