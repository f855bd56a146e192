import { test, expect, Browser, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { PASSWORD, base, reportFrom } from './helpers';

// Every route, as a role that uses it, at a phone, a laptop and a desktop (and the wall at 4K):
// no sideways scrolling, no text squeezed to a character or two per line, no raw translation
// keys, no page errors. A screenshot of each is kept under end2end/test-results/layout/.

const SIZES: [number, number][] = [
  [375, 667],
  [1440, 900],
  [1920, 1080],
];
const OUT = path.join(__dirname, '..', 'test-results', 'layout');

// The top-level sections of the translations: a text like `nav.report` on a page is a key
// that was not translated.
const SECTIONS = fs
  .readFileSync(path.join(__dirname, '..', '..', 'app', 'locales', 'zh-CN.yml'), 'utf8')
  .split('\n')
  .map((l) => l.match(/^([a-z_]+):/)?.[1])
  .filter((s): s is string => !!s && s !== '_version');
const RAW_KEY = new RegExp(`\\b(${SECTIONS.join('|')})\\.[a-z][a-z0-9_]*\\b`);

type Route = { path: string; user: string | null; name: string; sizes?: [number, number][] };

async function signedIn(browser: Browser, user: string | null, w: number, h: number): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: w, height: h }, baseURL: base() })).newPage();
  if (user) {
    await page.goto('/login');
    await page.locator('html[data-hydrated=true]').waitFor({ state: 'attached', timeout: 30_000 });
    await page.getByTestId('username').fill(user);
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.locator('html[data-hydrated=true]').waitFor({ state: 'attached', timeout: 30_000 });
  }
  return page;
}

/** What is wrong with the page as laid out now; empty when nothing is. */
async function problems(page: Page): Promise<string[]> {
  return page.evaluate((rawKey) => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      // Name the widest offender.
      let worst = '';
      let right = window.innerWidth;
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.right > right + 1 && r.width > 0) {
          right = r.right;
          worst = `${el.tagName.toLowerCase()}.${(el as HTMLElement).className}`;
        }
      }
      out.push(`overflows sideways: ${doc.scrollWidth} > ${window.innerWidth} (${worst})`);
    }
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const h = el as HTMLElement;
      if (h.closest('svg, .leaflet-container, .sr-only, [hidden]')) continue;
      const own = Array.from(h.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if ([...own].length < 3) continue;
      const style = getComputedStyle(h);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const r = h.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const font = parseFloat(style.fontSize) || 16;
      const line = parseFloat(style.lineHeight) || font * 1.4;
      // Narrower than two characters and more than two lines tall: squeezed.
      if (r.width < 2 * font && r.height > 2.5 * line) {
        out.push(`squeezed: "${own.slice(0, 20)}" is ${Math.round(r.width)}px wide, ${Math.round(r.height)}px tall`);
      }
    }
    const m = document.body.innerText.match(new RegExp(rawKey));
    if (m) out.push(`raw translation key: ${m[0]}`);
    return out.slice(0, 8);
  }, RAW_KEY.source);
}

let eventId = '';
let householdId = 0;
let meetingId = 0;
let wishId = 0;
let applicantId = 0;

test.beforeAll(async ({ browser }) => {
  eventId = await reportFrom(browser, 'E2E 版面检查：路灯不亮');
  const page = await signedIn(browser, 'admin', 1440, 900);
  const board = await page.evaluate(async () => {
    const r = await fetch('/api/score_board', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'subject=household',
    });
    return r.json();
  });
  householdId = board.rows?.[0]?.subject_id ?? 1;
  const sec = await signedIn(browser, 'village1', 1440, 900);
  meetingId = await sec.evaluate(async () => {
    const post = (f: string, body: string) =>
      fetch(`/api/${f}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).then((r) => r.json());
    const home = await post('party_home', '');
    const t = new Date(Date.now() + 8 * 3600_000 - 10 * 60_000).toISOString();
    return post(
      'plan_meeting',
      `branch_id=${home.branches[0].id}&kind=theme_day&topic=${encodeURIComponent('主题党日：版面检查')}&place=${encodeURIComponent('村文化礼堂')}&day=${t.slice(0, 10)}&time=${t.slice(11, 16)}&duration=120`,
    );
  });
  const ask = (page: Page, f: string) =>
    page.evaluate(
      (f) => fetch(`/api/${f}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }).then((r) => r.json()),
      f,
    );
  wishId = (await ask(await signedIn(browser, 'member1', 1440, 900), 'wish_wall')).wall?.[0]?.id ?? 1;
  applicantId = (await ask(sec, 'development')).lines?.[0]?.a?.id ?? 1;
  fs.mkdirSync(OUT, { recursive: true });
});

const ROUTES = (): Route[] => [
  { path: '/', user: null, name: 'home-visitor' },
  { path: '/login', user: null, name: 'login' },
  { path: '/report', user: null, name: 'report-visitor' },
  { path: '/', user: 'resident1', name: 'home-resident' },
  { path: '/my', user: 'resident1', name: 'my' },
  { path: '/report', user: 'resident1', name: 'report' },
  { path: '/me', user: 'resident1', name: 'me' },
  { path: `/events/${eventId}`, user: 'resident1', name: 'event-resident' },
  { path: `/events/${eventId}`, user: 'town1', name: 'event-room' },
  { path: '/console', user: 'town1', name: 'console-town' },
  { path: '/console', user: 'county', name: 'console-county' },
  { path: '/console', user: 'dept1', name: 'console-dept' },
  { path: '/overdue', user: 'town1', name: 'overdue' },
  { path: '/kpi', user: 'county', name: 'kpi' },
  { path: '/scores', user: 'county', name: 'scores' },
  { path: '/scores?tab=branches', user: 'county', name: 'scores-branches' },
  { path: '/scores?tab=workers', user: 'county', name: 'scores-workers' },
  { path: '/scores?tab=households', user: 'county', name: 'scores-households' },
  { path: '/scores?tab=satisfaction', user: 'county', name: 'scores-satisfaction' },
  { path: '/scores?tab=villages', user: 'county', name: 'scores-villages' },
  { path: '/scores?tab=awards', user: 'village1', name: 'scores-awards' },
  { path: `/scores/ledger?subject=household&id=${householdId}`, user: 'admin', name: 'ledger' },
  { path: '/map', user: 'town1', name: 'map' },
  { path: '/org', user: 'town1', name: 'org' },
  { path: '/summary', user: 'county', name: 'summary' },
  { path: '/screen', user: 'county', name: 'screen', sizes: [...SIZES.slice(1), [3840, 2160]] },
  { path: '/party', user: 'member1', name: 'party-member' },
  { path: '/party', user: 'village1', name: 'party-secretary' },
  { path: `/party/meetings/${meetingId}`, user: 'village1', name: 'meeting-secretary' },
  { path: `/party/meetings/${meetingId}`, user: 'member1', name: 'meeting-member' },
  { path: '/party/compliance', user: 'town1', name: 'compliance' },
  { path: '/party/development', user: 'county', name: 'development' },
  { path: `/party/development/${applicantId}`, user: 'village1', name: 'applicant' },
  { path: '/party/links', user: 'village1', name: 'links' },
  { path: '/party/rectify', user: 'town1', name: 'rectify' },
  { path: '/party/posts', user: 'village1', name: 'posts-secretary' },
  { path: '/party/posts', user: 'member1', name: 'posts-member' },
  { path: '/party/affairs', user: 'village1', name: 'affairs-secretary' },
  { path: '/party/affairs', user: 'member1', name: 'affairs-member' },
  { path: '/party/affairs', user: 'town1', name: 'affairs-township' },
  { path: '/party/compliance', user: 'admin', name: 'compliance-admin' },
  { path: '/wishes', user: 'resident1', name: 'wishes-resident' },
  { path: '/wishes', user: 'village1', name: 'wishes-village' },
  { path: `/wishes/${wishId}`, user: 'member1', name: 'wish-member' },
  { path: '/services', user: 'resident1', name: 'services-resident' },
  { path: '/services/desk', user: 'town1', name: 'services-desk' },
  { path: '/services/proxy', user: 'grid1', name: 'proxy-tasks' },
  { path: '/volunteer', user: 'resident1', name: 'volunteer-resident' },
  { path: '/volunteer/desk', user: 'village1', name: 'volunteer-desk' },
  { path: '/open', user: 'resident1', name: 'open-resident' },
  { path: '/open/desk', user: 'village1', name: 'open-desk' },
  { path: '/open/desk', user: 'town1', name: 'open-township' },
  { path: '/jobs', user: 'resident1', name: 'jobs-resident' },
  { path: '/jobs/desk', user: 'county', name: 'jobs-desk' },
  { path: '/archive', user: 'grid1', name: 'archive' },
  { path: `/archive/${householdId}`, user: 'admin', name: 'household' },
  { path: '/admin/catalog', user: 'admin', name: 'admin-catalog' },
  { path: '/admin/calendar', user: 'admin', name: 'admin-calendar' },
];

test('every page at every size: no overflow, no squeezed text, no raw keys, no errors', async ({ browser }) => {
  test.setTimeout(900_000);
  const found: string[] = [];
  for (const [w, h] of [...SIZES, [3840, 2160] as [number, number]]) {
    const routes = ROUTES().filter((r) => (r.sizes ?? SIZES).some(([a, b]) => a === w && b === h));
    const pages = new Map<string | null, Page>();
    for (const r of routes) {
      let page = pages.get(r.user);
      if (!page) {
        page = await signedIn(browser, r.user, w, h);
        pages.set(r.user, page);
      }
      const errors: string[] = [];
      const onError = (e: Error) => errors.push(e.message);
      page.on('pageerror', onError);
      await page.goto(r.path);
      const hydrated = await page
        .locator('html[data-hydrated=true]')
        .waitFor({ state: 'attached', timeout: 20_000 })
        .then(() => true, () => false);
      await page.waitForTimeout(400);
      const p = await problems(page);
      if (!hydrated) p.push('did not hydrate');
      page.off('pageerror', onError);
      await page.screenshot({ path: path.join(OUT, `${r.name}-${w}x${h}.png`), fullPage: w < 3840 });
      for (const x of [...p, ...errors.map((e) => `page error: ${e}`)]) found.push(`${r.name} ${w}×${h}: ${x}`);
    }
    for (const p of pages.values()) await p.context().close();
  }
  expect(found, found.join('\n')).toEqual([]);
});
