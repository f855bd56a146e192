import { test, expect, Browser, Page } from '@playwright/test';
import { base, login, visit, phone } from './helpers';

// Online booking (网上约办): the township's desk publishes a slot with one place; two residents
// on their phones press 预约 at the same moment: one gets it, the other is told plainly that it
// is full. The winner moves nothing and cancels, and the place is free again.

function inDays(n: number): string {
  // The day in China's time, as the desk's date field wants it.
  const d = new Date(Date.now() + 8 * 3600_000 + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('two residents race for the last place of a slot: one gets it, the other is told', async ({ browser }) => {
  const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base() })).newPage();
  await login(desk, 'town1');
  await visit(desk, '/services/desk');
  // A time no demo slot has, unique to this run.
  const minute = String(new Date().getMinutes()).padStart(2, '0');
  const start = `16:${minute}`;
  const form = desk.getByTestId('slot-form').first();
  await form.getByTestId('slot-day').fill(inDays(3));
  await form.getByTestId('slot-start').fill(start);
  await form.getByTestId('slot-capacity').fill('1');
  await form.getByTestId('slot-submit').click();
  await expect(desk.getByTestId('desk-slot').filter({ hasText: `${inDays(3)} ${start}` }).first()).toBeVisible();

  const [a, b] = [await phone(browser, 'resident1'), await phone(browser, 'resident2')];
  for (const p of [a, b]) await visit(p, '/services');
  const slotOf = (p: Page) =>
    p.getByTestId('service-item').first().getByTestId('slot').filter({ hasText: `${inDays(3)} ${start}` }).first();
  await expect(slotOf(a).getByTestId('slot-left')).toContainText('1/1');
  await expect(slotOf(b).getByTestId('slot-left')).toContainText('1/1');
  await Promise.all([slotOf(a).getByTestId('book-slot').click(), slotOf(b).getByTestId('book-slot').click()]);
  const outcome = async (p: Page) => {
    const ok = p.getByTestId('booked-ok');
    const err = p.getByTestId('services-error');
    await expect(ok.or(err)).toBeVisible();
    return (await ok.isVisible()) ? 'won' : (await err.innerText());
  };
  const results = [await outcome(a), await outcome(b)];
  expect(results.filter((r) => r === 'won')).toHaveLength(1);
  const lost = results.find((r) => r !== 'won')!;
  expect(lost).toContain('已约满');
  const winner = results[0] === 'won' ? a : b;
  const loser = winner === a ? b : a;
  await expect(winner.getByTestId('my-booking').filter({ hasText: start })).toHaveCount(1);
  // The loser's page reloaded its slots: this one is full now.
  await expect(slotOf(loser).getByTestId('slot-full')).toBeVisible();
  // The desk sees one booked place and the winner's masked name.
  await visit(desk, '/services/desk');
  const row = desk.getByTestId('desk-slot').filter({ hasText: `${inDays(3)} ${start}` }).first();
  await expect(row.getByTestId('desk-booked')).toHaveText('1/1');
  await expect(row.getByTestId('desk-booking')).toContainText('*');
  // Cancelled, the place is free for the other.
  const mine = winner.getByTestId('my-booking').filter({ hasText: start });
  await mine.getByTestId('cancel-booking').click();
  await expect(mine.getByTestId('booking-state')).toHaveText('已取消');
  await expect(mine.getByTestId('cancel-booking')).toHaveCount(0);
  await visit(loser, '/services');
  await expect(slotOf(loser).getByTestId('slot-left')).toContainText('1/1');
});
