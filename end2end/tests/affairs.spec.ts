import { test, expect, Browser, Page } from '@playwright/test';
import { login, visit } from './helpers';

// Branch affairs (支部事务): a member declares a bonus item with a photo on the phone; the
// branch's secretary sees it with the photo and approves it; the member sees it approved with
// its points, and their own dues line only.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4ISdHEmIY1TCqYfhqAADkYgQQ60fIxgAAAABJRU5ErkJggg==',
  'base64',
);

async function context(browser: Browser, user: string, phone: boolean): Promise<Page> {
  const ctx = await browser.newContext(
    phone
      ? { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1440, height: 900 } },
  );
  const page = await ctx.newPage();
  await login(page, user);
  return page;
}

test('a bonus declared with a photo is approved by the secretary', async ({ browser }) => {
  const member = await context(browser, 'member1', true);
  await visit(member, '/party/affairs');
  await expect(member.getByTestId('dues').getByTestId('dues-line')).toHaveCount(1);
  const branch = (await member.getByTestId('affairs-branch').textContent())!.trim();
  const note = `E2E 组织清扫村道 ${Date.now() % 100000}`;
  await member.getByTestId('declare-card').locator('summary').click();
  await member.getByTestId('declare-note').fill(note);
  await member.getByTestId('declare-photo').setInputFiles([{ name: 'road.png', mimeType: 'image/png', buffer: PNG }]);
  await member.getByTestId('declare-submit').click();
  await member.waitForURL(/\/party\/affairs/);
  const mine = member.getByTestId('declaration').filter({ hasText: note });
  await expect(mine).toHaveAttribute('data-status', 'pending');

  const sec = await context(browser, 'village1', false);
  await visit(sec, '/party/affairs');
  if ((await sec.getByTestId('affairs-branch').textContent())!.trim() !== branch) {
    await sec.getByRole('link', { name: branch, exact: true }).first().click();
    await expect(sec.getByTestId('affairs-branch')).toHaveText(branch);
  }
  const item = sec.getByTestId('declaration').filter({ hasText: note });
  await expect(item.getByTestId('declaration-photo')).toBeVisible();
  await item.getByTestId('declaration-approve').getByRole('button').click();
  await expect(sec.getByTestId('declaration').filter({ hasText: note })).toHaveAttribute('data-status', 'approved');

  await visit(member, '/party/affairs');
  await expect(member.getByTestId('declaration').filter({ hasText: note })).toHaveAttribute('data-status', 'approved');
});
