import { test, expect, Browser, Page } from '@playwright/test';
import { base, login, visit, phone } from './helpers';

// 代办: a resident asks on the phone for the full-proxy item to be done for them; the grid
// worker takes it, collects the materials, submits them and brings the result back, the
// resident follows every step and rates it at the end.

test('a proxy request carried from asking to the rating', async ({ browser }) => {
  const resident = await phone(browser, 'resident1');
  await visit(resident, '/services');
  const note = `E2E 腿脚不便 ${Date.now()}`;
  const form = resident.getByTestId('proxy-form').first();
  await form.getByTestId('proxy-ask-note').fill(note);
  await form.getByTestId('proxy-ask').click();
  const mine = resident.getByTestId('proxy-card').filter({ hasText: note });
  await expect(mine.getByTestId('proxy-state')).toHaveText('待接单');
  await expect(mine.getByTestId('proxy-light')).toHaveText('正常');

  const worker = await phone(browser, 'grid1');
  await visit(worker, '/services/proxy');
  const task = worker.getByTestId('proxy-card').filter({ hasText: note });
  await task.getByTestId('proxy-take').click();
  await expect(task.getByTestId('proxy-state')).toHaveText('已接单');
  for (const [step, after] of [
    ['已收取户口簿、身份证和诊断证明', '已收材料'],
    ['已交县残联', '已提交'],
    ['残疾人证已送到家', '结果已送回'],
  ]) {
    await task.getByTestId('proxy-note').fill(step);
    await task.getByTestId('proxy-advance').click();
    await expect(task.getByTestId('proxy-state')).toHaveText(after);
  }

  await visit(resident, '/services');
  await expect(mine.getByTestId('proxy-step')).toHaveCount(5);
  await expect(mine).toContainText('残疾人证已送到家');
  await expect(mine.getByTestId('proxy-by')).toContainText('*');
  await mine.getByTestId('proxy-stars-5').check();
  await mine.getByTestId('proxy-rate').click();
  await expect(mine.getByTestId('proxy-state')).toHaveText('已评价');
  await expect(mine.getByTestId('proxy-light')).toHaveCount(0);
  // Done: off the worker's list.
  await visit(worker, '/services/proxy');
  await expect(worker.getByTestId('proxy-card').filter({ hasText: note })).toHaveCount(0);
});
