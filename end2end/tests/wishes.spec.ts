import { test, expect, Browser, Page } from '@playwright/test';
import { base, login, PASSWORD, visit } from './helpers';

// Small wishes (党群微心愿): a resident posts a wish on the phone, a party member of the village
// claims it and says what was done, the resident confirms (without JavaScript, a plain form),
// the wall shows it came true and the member's points show the wish line.

async function phone(browser: Browser, user: string, javaScriptEnabled = true): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 667 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled,
    baseURL: base(),
  });
  const page = await ctx.newPage();
  if (javaScriptEnabled) {
    await login(page, user);
  } else {
    await page.goto('/login');
    await page.getByTestId('username').fill(user);
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
  return page;
}

test('a wish posted, claimed, fulfilled and confirmed', async ({ browser }) => {
  const resident = await phone(browser, 'resident1');
  await visit(resident, '/wishes');
  // 党员联户: the demo links resident1's household to member1, whom the page names.
  await expect(resident.getByTestId('my-member-name')).toBeVisible();
  const title = `E2E 帮忙修路灯 ${Date.now() % 100000}`;
  await resident.getByTestId('wish-title').fill(title);
  await resident.getByTestId('wish-detail').fill('院门口的路灯坏了，晚上看不见路');
  await resident.getByTestId('wish-submit').click();
  await resident.getByTestId('wish-posted-link').click();
  await expect(resident.getByTestId('wish-heading')).toHaveText(title);
  await expect(resident.getByTestId('wish-state')).toHaveAttribute('data-state', 'open');
  const url = new URL(resident.url()).pathname;

  // The member finds it on the village wall, the poster's name masked, and takes it on.
  const member = await phone(browser, 'member1');
  await visit(member, '/wishes');
  const item = member.getByTestId('wish-wall').getByTestId('wish-item').filter({ hasText: title });
  await expect(item).toHaveAttribute('data-state', 'open');
  await expect(item).toContainText('居*');
  await item.getByTestId('wish-link').click();
  await expect(member.getByTestId('wish-heading')).toHaveText(title);
  await member.getByTestId('wish-claim').click();
  await expect(member.getByTestId('wish-state')).toHaveAttribute('data-state', 'claimed');
  await member.getByTestId('wish-note-fulfil').fill('已换好灯泡');
  await member.getByTestId('wish-fulfil').click();
  await expect(member.getByTestId('wish-state')).toHaveAttribute('data-state', 'fulfilled');

  // The resident confirms from a phone without JavaScript: a plain form post.
  const plain = await phone(browser, 'resident1', false);
  await plain.goto(url);
  await expect(plain.getByTestId('wish-fulfil-note')).toContainText('已换好灯泡');
  await plain.getByTestId('wish-confirm').click();
  await plain.waitForURL((u) => u.pathname === url);
  await expect(plain.getByTestId('wish-state')).toHaveAttribute('data-state', 'confirmed');

  await visit(member, '/wishes');
  await expect(
    member.getByTestId('wish-wall').getByTestId('wish-item').filter({ hasText: title }),
  ).toHaveAttribute('data-state', 'confirmed');
  await visit(member, '/party');
  await member.getByTestId('my-points').click();
  const id = url.split('/').pop();
  await expect(member.locator(`a[href="/wishes/${id}"]`)).toBeVisible();
});
