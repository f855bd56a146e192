import { test, expect } from '@playwright/test';
import { hydrated, login, visit, PASSWORD } from './helpers';

// B01 and the year 2030 are touched by nothing else in these tests.
test('an admin changes a time limit, is refused an unknown department, and sets a holiday', async ({ page }) => {
  await login(page, 'admin');
  await page.getByTestId('admin-link').click();
  await page.waitForURL('**/admin/catalog');
  // The link may be followed before the home page came alive (a full page load): the form's
  // button answers only once this page has hydrated.
  await hydrated(page);
  const row = page.getByTestId('cat-B01');
  await expect(row).toBeVisible();
  await row.locator('input[name=limit_value]').fill('36');
  await row.locator('select[name=limit_kind]').selectOption('hours');
  await row.getByRole('button', { name: '保存' }).click();
  await expect(row.getByRole('status')).toHaveText('已保存');
  await page.reload();
  await hydrated(page);
  await expect(row.locator('input[name=limit_value]')).toHaveValue('36');
  await expect(row.locator('select[name=limit_kind]')).toHaveValue('hours');

  const dept = row.locator('input[name=township_department]');
  const before = await dept.inputValue();
  await dept.fill('不存在的部门');
  await row.getByRole('button', { name: '保存' }).click();
  await expect(row.getByRole('alert')).toContainText('没有这个名称的部门');
  await page.reload();
  await expect(row.locator('input[name=township_department]')).toHaveValue(before);

  await visit(page, '/admin/calendar?year=2030');
  const form = page.getByTestId('set-day');
  await form.locator('input[name=day]').fill('2030-05-06');
  await form.locator('select[name=kind]').selectOption('holiday');
  await form.locator('input[name=name]').fill('测试假日');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('td[data-day="2030-05-06"]')).toHaveClass(/holiday/);
  await expect(page.getByTestId('calendar-entry').filter({ hasText: '测试假日' })).toHaveCount(1);

  // A make-up workday on a Tuesday makes no sense.
  await form.locator('input[name=day]').fill('2030-05-07');
  await form.locator('select[name=kind]').selectOption('workday');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('alert')).toContainText('只能设在周六或周日');
  await expect(page.locator('td[data-day="2030-05-07"]')).not.toHaveClass(/makeup/);
});

test('a dispatcher is refused the catalogue', async ({ page }) => {
  await login(page, 'town1');
  await expect(page.getByTestId('admin-link')).toHaveCount(0);
  await page.goto('/admin/catalog');
  await expect(page.getByRole('alert')).toContainText('无权');
});

test('the overdue list renders without JavaScript and its counts match its rows', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('username').fill('town1');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/console');
  await page.goto('/overdue?light=red');
  await expect(page.getByTestId('overdue-page')).toBeVisible();
  const red = Number(await page.getByTestId('overdue-red').innerText());
  const rows = page.getByTestId('overdue-table').locator('tbody tr');
  expect(await rows.count()).toBe(Math.min(red, 500));
  if (red > 0) {
    expect(await rows.first().getAttribute('data-light')).toBe('red');
  }
  await page.goto('/overdue?light=all');
  const yellow = Number(await page.getByTestId('overdue-yellow').innerText());
  expect(await rows.count()).toBe(Math.min(red + yellow, 500));
  await context.close();
});
