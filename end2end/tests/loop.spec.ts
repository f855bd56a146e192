import { test, expect, Browser, Page } from '@playwright/test';
import { hydrated, login, visit } from './helpers';

const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 12; V2111A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x28002151) ' +
  'WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';

async function phone(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 667 },
    userAgent: WECHAT_ANDROID,
    isMobile: true,
    hasTouch: true,
  });
  return ctx.newPage();
}

async function desk(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await login(page, user);
  return page;
}

async function report(page: Page, text: string): Promise<string> {
  await visit(page, '/report');
  await page.getByTestId('report-category').selectOption({ label: '路灯故障' });
  await page.getByTestId('report-description').fill(text);
  await page.getByTestId('report-submit').click();
  await page.waitForURL(/\/events\/\d+$/);
  return page.url().split('/').pop()!;
}

/** Takes one action on the event page with a note, and checks the note is in the timeline. */
async function actWithNote(page: Page, action: string, note: string) {
  await page.getByTestId('act-note').fill(note);
  await page.getByTestId(`act-${action}`).click();
  await expect(page.getByTestId('timeline').locator(`li[data-action="${action}"]`).last()).toContainText(note);
}

test('a resident on a phone lands on their reports, reports, and watches the room verify it live', async ({ browser }) => {
  const resident = await phone(browser);
  await login(resident, 'resident1');
  // Their own page, not the org tree; a menu without staff pages.
  await expect(resident).toHaveURL(/\/my$/);
  await expect(resident.getByTestId('my-page')).toBeVisible();
  const menu = resident.getByTestId('menu');
  await expect(menu.locator('a[href="/my"]')).toBeVisible();
  for (const staff of ['/console', '/org', '/map', '/kpi']) await expect(menu.locator(`a[href="${staff}"]`)).toHaveCount(0);
  // Home says who is signed in.
  await visit(resident, '/');
  await expect(resident.getByTestId('home-user')).toContainText('居民');
  await expect(resident.getByTestId('home-login')).toHaveCount(0);

  const id = await report(resident, 'E2E 我的上报：楼道灯不亮');
  await visit(resident, '/my');
  const mine = resident.locator(`[data-testid=my-report][data-id="${id}"]`);
  await expect(mine).toBeVisible();
  await expect(mine.getByTestId('my-state')).toHaveText('待核实');

  // The room verifies it; the resident's page changes by itself.
  const room = await desk(browser, 'town1');
  await visit(room, `/events/${id}`);
  await actWithNote(room, 'verify', '已核实，今天安排');
  await expect(mine.getByTestId('my-state')).toHaveText('待派遣', { timeout: 15_000 });
  await expect(mine).toContainText('核实受理');

  // A tracking number looked up opens the event; someone else's is "not found".
  const no = (await mine.locator('.tracking').innerText()).trim();
  await resident.getByTestId('lookup-no').fill(no);
  await resident.getByTestId('lookup-go').click();
  await resident.waitForURL(new RegExp(`/events/${id}$`));
  await hydrated(resident);
  await expect(resident.getByTestId('event-channel')).toHaveText('随手拍');
  await resident.screenshot({ path: 'end2end/test-results/my-event-375x667.png', fullPage: true });
});

test('every note typed in the room and the department stays in the timeline, with who holds it', async ({ browser }) => {
  const resident = await phone(browser);
  await login(resident, 'resident1');
  const id = await report(resident, 'E2E 每一步的说明都要留下');

  const room = await desk(browser, 'town1');
  await visit(room, `/events/${id}`);
  await actWithNote(room, 'verify', '核实：路灯确实不亮');
  await room.getByTestId('act-urgency').selectOption('urgent');
  await actWithNote(room, 'set_urgency', '影响夜间出行');
  await expect(room.getByTestId('urgency')).toHaveText('紧急');
  const target = room.getByTestId('act-target');
  await expect(target.locator('option[value^="d:"]').first()).toBeAttached();
  const dept = await target.locator('option[value^="d:"]').first().getAttribute('value');
  const deptName = (await target.locator(`option[value="${dept}"]`).innerText()).replace(' ★', '').trim();
  await target.selectOption(dept!);
  await actWithNote(room, 'dispatch', '请今天到场');
  await expect(room.getByTestId('event-assignee')).toHaveText(deptName);
  await expect(room.getByTestId('timeline').locator('li[data-action="dispatch"]')).toContainText(deptName);

  const staff = await desk(browser, 'dept1');
  await visit(staff, `/events/${id}`);
  await actWithNote(staff, 'accept', '已签收，下午到');
  await actWithNote(staff, 'progress', '已到现场，等配件');
  await staff.getByTestId('act-outcome').selectOption('solved');
  await actWithNote(staff, 'resolve', '已更换灯具');
  await expect(staff.getByTestId('event-state')).toHaveText('待评价');
  await staff.screenshot({ path: 'end2end/test-results/event-1440x900.png', fullPage: true });
});

test('the county dispatches to its department, whose account accepts and resolves it', async ({ browser }) => {
  const resident = await phone(browser);
  await login(resident, 'resident1');
  const id = await report(resident, 'E2E 县级部门办理：主干道路灯成片不亮');

  const room = await desk(browser, 'town1');
  await visit(room, `/events/${id}`);
  await actWithNote(room, 'escalate', '涉及县管道路，报县指挥中心');

  const county = await desk(browser, 'county');
  await visit(county, `/events/${id}`);
  const target = county.getByTestId('act-target');
  const option = target.locator('option', { hasText: '县住房和城乡建设局' });
  await expect(option).toBeAttached();
  await target.selectOption((await option.getAttribute('value'))!);
  await actWithNote(county, 'dispatch', '请县住建局处置');
  await expect(county.getByTestId('act-recall')).toBeVisible();

  const dept = await desk(browser, 'countydept');
  await expect(dept).toHaveURL(/\/console$/);
  await expect(dept.locator(`[data-testid=event-card][data-id="${id}"]`)).toBeVisible();
  await visit(dept, `/events/${id}`);
  await actWithNote(dept, 'accept', '县住建局已签收');
  // A result half typed when the county urges it on: the live change reloads the event under the
  // department's hands, and what they typed stays in the box.
  await dept.getByTestId('act-note').fill('已抢修完毕');
  await actWithNote(county, 'supervise', '请今天内修复');
  await expect(dept.getByTestId('timeline').locator('li[data-action="supervise"]')).toContainText('请今天内修复');
  await expect(dept.getByTestId('act-note')).toHaveValue('已抢修完毕');
  await dept.getByTestId('act-resolve').click();
  await expect(dept.getByTestId('timeline').locator('li[data-action="resolve"]').last()).toContainText('已抢修完毕');
  await expect(dept.getByTestId('event-state')).toHaveText('待评价');
});

test('a long queue is paged and can be narrowed by category, urgency and place', async ({ browser }) => {
  const room = await desk(browser, 'county');
  await expect(room).toHaveURL(/\/console$/);
  for (const col of ['reported', 'verified', 'dispatched']) {
    expect(await room.getByTestId(`col-${col}`).getByTestId('event-card').count()).toBeLessThanOrEqual(20);
  }
  const total = Number(await room.getByTestId('col-dispatched').locator('.count').innerText());
  if (total > 20) {
    // The button pages on the client: pressed before hydration it does nothing, and the next
    // page arrives from a server function, so wait for both rather than counting at once.
    await hydrated(room);
    await room.getByTestId('more-dispatched').click();
    await expect(room.getByTestId('col-dispatched').getByTestId('event-card')).toHaveCount(Math.min(total, 40));
  }
  await room.getByTestId('filter-urgency').selectOption('critical');
  for (const col of ['reported', 'verified', 'dispatched']) {
    const cards = room.getByTestId(`col-${col}`).getByTestId('event-card');
    for (let i = 0; i < (await cards.count()); i++) await expect(cards.nth(i)).toHaveClass(/urgency-critical/);
  }
  const height = await room.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(4000);
});
