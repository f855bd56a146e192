import { test, expect, Browser, Page } from '@playwright/test';
import { login, reportFrom, visit } from './helpers';

const OPEN = ['Reported', 'Verified', 'Dispatched', 'Handling'];
type Pin = { id: number; grid_id: number; category_id: number; state: string; created_at: number; yellow_at: number; due_at: number };
type MapData = { now: number; pins: Pin[]; geojson: string; categories: { id: number }[] };

async function openMap(browser: Browser, width = 1600, height = 1000): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  await login(page, 'town1');
  await visit(page, '/map');
  await expect(page.getByTestId('cmap-canvas')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('live-status')).toHaveClass(/on/, { timeout: 30_000 });
  return page;
}

/** The map's data from its server function, to check the page against. */
async function mapData(page: Page): Promise<MapData> {
  return page.evaluate(async () => {
    const r = await fetch('/api/command_map', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    return r.json();
  });
}

/** Grids whose worst open light is red, counted the way the page should. */
function redGrids(d: MapData, category?: number): number {
  const red = new Set<number>();
  for (const p of d.pins) {
    if (OPEN.includes(p.state) && d.now >= p.due_at && (category === undefined || p.category_id === category)) red.add(p.grid_id);
  }
  return red.size;
}

const num = async (page: Page, id: string) => Number(await page.getByTestId(id).innerText());

test('every grid is coloured by its worst open light and the filters show what they say', async ({ browser }) => {
  const page = await openMap(browser);
  const d = await mapData(page);
  const gridCount = JSON.parse(d.geojson).features.filter((f: any) => f.properties.level === 'grid').length;
  expect(gridCount).toBeGreaterThan(3);
  // Every grid is painted, with no tiles at all.
  await expect(page.locator('#command-map path[data-light]')).toHaveCount(gridCount);
  const open = d.pins.filter((p) => OPEN.includes(p.state));
  expect(open.length).toBeGreaterThan(0);
  await expect(page.getByTestId('map-shown')).toHaveText(String(open.length));
  await expect(page.getByTestId('map-red')).toHaveText(String(redGrids(d)));
  await expect(page.locator('#command-map path[data-light=red]')).toHaveCount(redGrids(d));
  // Each grid with something open is lit; the rest are not.
  const lit = new Set(open.map((p) => p.grid_id)).size;
  expect(lit).toBeGreaterThan(0);
  await expect(page.locator('#command-map path[data-light]:not([data-light=none])')).toHaveCount(lit);
  // Markers are clustered when zoomed out: fewer clusters than pins.
  const clusters = page.locator('.lx-cluster');
  await expect(clusters.first()).toBeVisible();
  expect(await clusters.count()).toBeLessThan(open.length);
  await page.screenshot({ path: 'end2end/test-results/map-1600x1000.png' });

  // One category: the count and the red grids follow it.
  const byCat = new Map<number, number>();
  for (const p of open) byCat.set(p.category_id, (byCat.get(p.category_id) ?? 0) + 1);
  const [cat, n] = [...byCat.entries()].sort((a, b) => b[1] - a[1])[0];
  await page.getByTestId('map-category').selectOption(String(cat));
  await expect(page.getByTestId('map-shown')).toHaveText(String(n));
  await expect(page.getByTestId('map-red')).toHaveText(String(redGrids(d, cat)));

  // All states, then one day at a time with the slider.
  await page.getByTestId('map-category').selectOption('');
  await page.getByTestId('map-state').selectOption('all');
  await expect(page.getByTestId('map-shown')).toHaveText(String(d.pins.length));
  await expect(page.getByTestId('map-slider')).toBeDisabled();
  await page.getByTestId('map-period').selectOption('1');
  const day = 86_400;
  const todayStart = Math.floor((d.now + 8 * 3600) / day) * day - 8 * 3600;
  const created = (from: number, to: number) => d.pins.filter((p) => p.created_at >= from && p.created_at < to).length;
  await expect(page.getByTestId('map-shown')).toHaveText(String(created(todayStart, todayStart + day)));
  const label = await page.getByTestId('map-window').innerText();
  await page.getByTestId('map-slider').fill('26');
  await expect(page.getByTestId('map-window')).not.toHaveText(label);
  await expect(page.getByTestId('map-shown')).toHaveText(String(created(todayStart - 3 * day, todayStart - 2 * day)));
  await page.getByTestId('map-period').selectOption('7');
  await expect(page.getByTestId('map-shown')).toHaveText(String(created(todayStart - 9 * day, todayStart - 2 * day)));
});

test('a report appears live; its grid opens the ledger, the event its card, and dispatch works from there', async ({ browser }) => {
  const page = await openMap(browser);
  const before = await num(page, 'map-shown');
  const id = await reportFrom(browser, 'E2E 一张图：桥头路灯不亮');
  await expect(page.getByTestId('map-shown')).toHaveText(String(before + 1), { timeout: 10_000 });

  const pin: Pin = await page.evaluate(async (id) => {
    const r = await fetch('/api/map_pin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `id=${id}`,
    });
    return r.json();
  }, id);
  // A click on the grid: its ledger and its open events, the new one among them.
  await page.locator(`#command-map path[data-grid="${pin.grid_id}"]`).dispatchEvent('click');
  await expect(page.getByTestId('grid-panel')).toBeVisible();
  await expect(page.getByTestId('grid-ledger')).toBeVisible();
  const row = page.getByTestId(`grid-event-${id}`);
  await expect(row).toBeVisible();

  // A click on the event: its card with this dispatcher's actions; verify, then dispatch.
  await row.click();
  const panel = page.getByTestId('event-panel');
  await expect(panel.getByTestId('event-state')).toHaveText('待核实');
  await panel.getByTestId('act-verify').click();
  await expect(panel.getByTestId('event-state')).toHaveText('待派遣');
  const target = panel.getByTestId('act-target');
  await expect(target.locator('option')).not.toHaveCount(1);
  await target.selectOption({ index: 1 });
  await panel.getByTestId('act-dispatch').click();
  await expect(panel.getByTestId('event-state')).toHaveText('待签收');

  // The pick brought the marker out of its cluster; a click on the marker opens the card again.
  const marker = page.locator(`#command-map path.lx-pin-${id}`);
  await expect(marker).toBeAttached({ timeout: 10_000 });
  await page.getByTestId('back-to-grid').click();
  await expect(page.getByTestId('grid-panel')).toBeVisible();
  await marker.dispatchEvent('click');
  await expect(page.getByTestId('event-panel').getByTestId('event-state')).toHaveText('待签收');
});

test('the map fits a phone', async ({ browser }) => {
  const page = await openMap(browser, 390, 844);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'end2end/test-results/map-390x844.png', fullPage: true });
  await expect(page.locator('#command-map path[data-light]').first()).toBeAttached();
});
