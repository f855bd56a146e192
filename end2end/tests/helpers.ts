import { expect, Page } from '@playwright/test';

export const PASSWORD = process.env.LIANXIN_DEMO_PASSWORD ?? 'Lianxin@2026';

/** Signs in through the login form and waits for the org page. */
export async function login(page: Page, username: string) {
  await page.goto('/login');
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/org');
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** The 9-digit township code shown in the org panel header. */
export async function shownCode(page: Page): Promise<string> {
  return (await page.locator('.node-header .code').innerText()).trim();
}
