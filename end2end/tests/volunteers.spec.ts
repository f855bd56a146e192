import { test, expect, Browser, Page } from '@playwright/test';
import { base, login, visit, phone } from './helpers';

// Volunteering (志愿服务): the village desk publishes an activity with one place, a resident on
// the phone takes it and the neighbour finds it full; at the activity under way the resident
// signs up on the spot, checks in with the code the desk shows, the desk closes it, and the
// resident sees the hours credited.

function inDays(n: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('a volunteer signs up, checks in with the code and sees the hours', async ({ browser }) => {
  const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base() })).newPage();
  await login(desk, 'village1');
  await visit(desk, '/volunteer/desk');
  const title = `E2E 巡河 ${Date.now()}`;
  const form = desk.getByTestId('activity-form').first();
  await form.getByTestId('activity-title').fill(title);
  await form.getByTestId('activity-place').fill('村口溪边');
  await form.getByTestId('activity-day').fill(inDays(2));
  await form.getByTestId('activity-limit').fill('1');
  await form.getByTestId('activity-submit').click();
  await expect(desk.getByTestId('desk-activity').filter({ hasText: title })).toBeVisible();

  const [me, neighbour] = [await phone(browser, 'resident1'), await phone(browser, 'resident2')];
  await visit(me, '/volunteer');
  const card = (p: Page, t: string) => p.getByTestId('activity').filter({ hasText: t }).first();
  await expect(card(me, title).getByTestId('activity-left')).toHaveText('1/1');
  await card(me, title).getByTestId('sign-up').click();
  await expect(card(me, title).getByTestId('activity-mine')).toContainText('已报名');
  await expect(card(me, title).getByTestId('activity-left')).toHaveText('0/1');
  await visit(neighbour, '/volunteer');
  await expect(card(neighbour, title).getByTestId('activity-full')).toBeVisible();

  // The activity under way: on the spot, with the code shown at the desk.
  const running = '陪伴独居老人';
  const before = Number(await me.getByTestId('year-hours').innerText());
  await card(me, running).getByTestId('sign-up').click();
  await expect(card(me, running).getByTestId('checkin-form')).toBeVisible();
  await visit(desk, '/volunteer/desk');
  const row = desk.getByTestId('desk-activity').filter({ hasText: running }).first();
  const code = (await row.getByTestId('activity-code').innerText()).trim();
  expect(code).toMatch(/^\d{6}$/);
  // A wrong code first: told plainly, not checked in.
  const wrong = code === '000000' ? '111111' : '000000';
  await card(me, running).getByTestId('checkin-code').fill(wrong);
  await card(me, running).getByTestId('checkin-submit').click();
  await expect(me.getByTestId('volunteer-error')).toContainText('签到码不对');
  await card(me, running).getByTestId('checkin-code').fill(code);
  await card(me, running).getByTestId('checkin-submit').click();
  await expect(me.getByTestId('checked-in-ok')).toBeVisible();
  await expect(card(me, running).getByTestId('activity-mine')).toContainText('已签到');

  await visit(desk, '/volunteer/desk');
  const closing = desk.getByTestId('desk-activity').filter({ hasText: running }).first();
  await expect(closing).toContainText('居*');
  await closing.getByTestId('close-activity').click();
  await expect(desk.getByTestId('desk-activity').filter({ hasText: running }).first()).toHaveAttribute('data-state', 'closed');

  await visit(me, '/volunteer');
  await expect(me.getByTestId('hours-line').filter({ hasText: running })).toContainText('+4.5');
  await expect(me.getByTestId('year-hours')).toHaveText((before + 4.5).toFixed(1));
  await expect(me.getByTestId('volunteer-ranking').getByTestId('rank-row').first()).toBeVisible();
});
