import { test, expect } from '@playwright/test';
import { base, login, visit, phone } from './helpers';

// 三务公开: the village cadre puts up this month's finances — a total that is not the sum of
// the lines is refused and said so — with a PDF of the original; a resident on the phone reads
// the table and its balance and asks a question; the cadre answers it on the desk and the
// resident sees the answer.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

test('a village publishes its finances and a resident reads them and asks', async ({ browser }) => {
  const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base() })).newPage();
  await login(desk, 'village1');
  const title = `E2E 财务收支 ${Date.now()}`;
  const fill = async (expenseTotal: string) => {
    await visit(desk, '/open/desk');
    const form = desk.getByTestId('publish-form');
    await form.getByTestId('publish-kind').selectOption('finance');
    await form.getByTestId('publish-title').fill(title);
    await form.getByTestId('line-item-0').fill('上级转移支付');
    await form.getByTestId('line-income-0').fill('50000');
    await form.getByTestId('line-item-1').fill('村道维修');
    await form.getByTestId('line-expense-1').fill('12000.50');
    await form.getByTestId('income-total-input').fill('50000');
    await form.getByTestId('expense-total-input').fill(expenseTotal);
    await form.getByTestId('publish-pdf').setInputFiles({ name: '凭证.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByTestId('publish-submit').click();
  };
  // The total typed wrong: refused, in words.
  await fill('12000');
  await expect(desk.getByTestId('form-error')).toContainText('合计');
  await fill('12000.50');
  await desk.waitForURL(/\/open\/\d+$/);
  await expect(desk.getByTestId('balance')).toHaveText('37,999.50');

  const me = await phone(browser, 'resident1');
  await visit(me, '/open');
  await me.getByTestId('open-item').filter({ hasText: title }).getByTestId('open-link').click();
  await expect(me.getByTestId('disclosure-title')).toHaveText(title);
  await expect(me.getByTestId('finance-line')).toHaveCount(2);
  await expect(me.getByTestId('expense-total')).toHaveText('12,000.50');
  await expect(me.getByTestId('disclosure-pdf')).toBeVisible();
  const question = `村道维修是哪一段？${Date.now()}`;
  await me.getByTestId('ask-text').fill(question);
  await me.getByTestId('ask-submit').click();
  const mine = me.getByTestId('question').filter({ hasText: question });
  await expect(mine).toContainText('等待答复');

  await visit(desk, '/open/desk');
  const waiting = desk.getByTestId('waiting-question').filter({ hasText: question });
  await waiting.getByTestId('desk-answer-text').fill('村口到小学的一段，约300米');
  await waiting.getByTestId('desk-answer-submit').click();
  await expect(desk.getByTestId('waiting-question').filter({ hasText: question })).toHaveCount(0);

  await me.reload();
  await expect(me.getByTestId('question').filter({ hasText: question }).getByTestId('question-answer')).toContainText('约300米');
});
