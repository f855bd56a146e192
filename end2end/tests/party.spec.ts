import { test, expect, Browser, Page } from '@playwright/test';
import { login, visit } from './helpers';

// Branch life: a secretary opens a meeting, two members check in on their phones (one from
// away), one member is recorded absent with a reason, the meeting is closed with its minutes
// and a photo; the township's compliance matrix turns green for that requirement and the
// member's points show the attendance line.

const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 12; V2111A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x28002151) ' +
  'WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4ISdHEmIY1TCqYfhqAADkYgQQ60fIxgAAAABJRU5ErkJggg==',
  'base64',
);

async function phone(browser: Browser, user: string): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 667 },
    userAgent: WECHAT_ANDROID,
    isMobile: true,
    hasTouch: true,
  });
  const page = await ctx.newPage();
  await login(page, user);
  return page;
}

async function desk(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await login(page, user);
  return page;
}

/** Local (UTC+8) day and minute, `minutes` from now. */
function chinaNow(minutes: number): { day: string; time: string } {
  const iso = new Date(Date.now() + 8 * 3600_000 + minutes * 60_000).toISOString();
  return { day: iso.slice(0, 10), time: iso.slice(11, 16) };
}

async function checkIn(page: Page, code: string, remote: boolean) {
  await visit(page, '/party');
  await page.getByTestId('checkin-code').fill(code);
  if (remote) await page.getByTestId('checkin-remote').check();
  await page.getByTestId('checkin-submit').click();
  await expect(page.getByTestId('checked-in')).toBeVisible();
}

test('a meeting from the room to the township matrix and the member points', async ({ browser }) => {
  const sec = await desk(browser, 'village1');
  await visit(sec, '/party');
  const branch = await sec.getByTestId('plan-branch').inputValue();
  await sec.locator('[data-testid=plan-card] summary').click();
  await sec.getByTestId('plan-kind').selectOption('committee');
  const topic = `E2E 支委会 ${Date.now()}`;
  await sec.getByTestId('plan-topic').fill(topic);
  await sec.getByTestId('plan-place').fill('村党群服务中心');
  const start = chinaNow(-5);
  await sec.getByTestId('plan-day').fill(start.day);
  await sec.getByTestId('plan-time').fill(start.time);
  await sec.getByTestId('plan-submit').click();
  await sec.getByTestId('planned-link').click();
  await expect(sec.getByTestId('meeting-topic')).toHaveText(topic);
  const code = (await sec.getByTestId('meeting-code').innerText()).trim();
  expect(code).toMatch(/^\d{6}$/);

  await expect(sec.getByTestId('meeting-qr')).toBeVisible();

  // Two members on their phones: one in the room, who scans the QR code (its link, which the
  // unit test of checkin_qr reads back from the drawing, fills the code in), one from away.
  const m1 = await phone(browser, 'member1');
  await visit(m1, `/party?code=${code}`);
  await expect(m1.getByTestId('checkin-code')).toHaveValue(code);
  await expect(m1.getByTestId('code-from-qr')).toBeVisible();
  await m1.getByTestId('checkin-submit').click();
  await expect(m1.getByTestId('checked-in')).toBeVisible();
  const m2 = await phone(browser, 'member2');
  await checkIn(m2, code, true);

  // The secretary sees both and records the third absent with a reason.
  await sec.reload();
  await expect(sec.locator('[data-testid=roster-line][data-mode=present]')).toHaveCount(1);
  await expect(sec.locator('[data-testid=roster-line][data-mode=remote]')).toHaveCount(1);
  const missing = sec.locator('[data-testid=roster-line][data-mode=""]').first();
  await missing.getByTestId('absence-reason').fill('外出务工请假');
  await missing.getByTestId('absence-submit').click();
  await expect(sec.locator('[data-testid=roster-line][data-mode=absent]')).toContainText('外出务工请假');

  // A photo, then the minutes: the meeting is closed.
  await sec.getByTestId('photo-input').setInputFiles([{ name: 'room.png', mimeType: 'image/png', buffer: PNG }]);
  await sec.getByTestId('photo-submit').click();
  await expect(sec.getByTestId('meeting-photo')).toHaveCount(1);
  await sec.getByTestId('close-minutes').fill('传达学习上级会议精神，研究本月工作。');
  await sec.getByTestId('close-submit').click();
  await expect(sec.getByTestId('meeting-state')).toHaveText('已归档');
  await expect(sec.getByTestId('meeting-minutes')).toContainText('研究本月工作');
  await expect(sec.getByTestId('meeting-code-card')).toHaveCount(0);

  // The township's matrix: the committee requirement of that branch is met this month.
  const town = await desk(browser, 'town1');
  await visit(town, '/party/compliance');
  const cell = town.locator(`[data-testid=compliance-row][data-branch="${branch}"] [data-kind=committee]`);
  await expect(cell).toHaveAttribute('data-state', 'met');

  // The member who came from away sees the attendance line in their points.
  await visit(m2, '/party');
  await expect(m2.getByTestId('my-attendance').first()).toContainText('远程参会');
  await m2.getByTestId('my-points').click();
  await expect(m2.getByTestId('ledger')).toContainText('参加三会一课、主题党日');
});

test('a code typed wrong is refused in the member language, without JavaScript too', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 667 } });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByTestId('username').fill('member1');
  await page.getByTestId('password').fill(process.env.LIANXIN_DEMO_PASSWORD ?? 'Lianxin@2026');
  await page.getByTestId('login-submit').click();
  await page.goto('/party');
  await page.getByTestId('checkin-code').fill('000000');
  await page.getByTestId('checkin-submit').click();
  await expect(page.locator('.error, [data-testid=form-error]').first()).toContainText('签到码');
});
