import { test, expect } from '@playwright/test';
import { base, login, visit, phone } from './helpers';

// 民情档案: a township officer finds a resident's household, unmasks an ID number with a reason;
// the resident, on the phone, sees who looked and why; a grid worker of the next grid cannot
// open that household at all (not found, as if it did not exist).

test('an unmasking with a reason is shown to the resident; another grid sees nothing', async ({ browser }) => {
  const me = await phone(browser, 'resident1');
  await visit(me, '/me');
  const address = (await me.getByTestId('me-address').innerText()).trim();
  expect(address.length).toBeGreaterThan(2);

  const officer = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base() })).newPage();
  await login(officer, 'town1');
  await visit(officer, `/archive?q=${encodeURIComponent(address)}`);
  await officer.getByTestId('household-row').filter({ hasText: address }).first().getByRole('link').click();
  await expect(officer.getByTestId('household-address')).toHaveText(address);
  const member = officer.getByTestId('member').first();
  const masked = await member.getByTestId('value-id_number').innerText();
  expect(masked).toContain('*');
  const reason = `E2E 上门核实身份 ${Date.now()}`;
  await member.getByTestId('reason-id_number').fill(reason);
  await member.getByTestId('unmask-id_number').click();
  await expect(member.getByTestId('value-id_number')).toHaveText(/^\d{17}[\dX]$/);
  const url = officer.url();

  await visit(me, '/me');
  const line = me.getByTestId('access-line').filter({ hasText: reason });
  await expect(line).toBeVisible();
  await expect(line).toContainText('龙洲街道调度员');

  const other = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base() })).newPage();
  await login(other, 'grid2');
  await visit(other, new URL(url).pathname);
  await expect(other.getByRole('alert')).toBeVisible();
  await expect(other.getByTestId('household-address')).toHaveCount(0);
});
