/**
 * What an operator sees and reaches by keyboard (issue 6, items 14-17): a
 * steady console-link warning with the time of the first loss, the overview
 * on one 1280x720 screen, every page opening at its top, every value
 * reachable by Tab with its status and time readable, PageDown on the tag
 * list, a filter that outlives the page.
 */
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;

test.beforeAll(async () => {
  plant = await startPlant(12);
});
test.afterAll(async () => {
  await plant?.close();
});

const level = (page: Page) => page.locator('[data-tag="Area1.TK101.Level"]').first();
const mainScroll = (page: Page) => page.locator('main').evaluate((m) => ({ top: m.scrollTop, overflow: m.scrollHeight - m.clientHeight }));

test('a lost console link shows one steady warning with the time of the first loss', async ({ page }) => {
  let blocked = false;
  /** Reconnect attempts refused while blocked. */
  let refused = 0;
  const open: { close(): Promise<void> }[] = [];
  await page.routeWebSocket(/\/api$/, (ws) => {
    if (blocked) return void (refused++, ws.close());
    ws.connectToServer();
    open.push(ws);
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  blocked = true;
  for (const ws of open) await ws.close();
  const band = page.getByTestId('link-lost');
  await expect(band).toBeVisible();
  const first = await band.textContent();
  // Watch through three reconnect attempts (counted as they are refused; the console backs off 0.5,
  // 1 and 2 s): the band never blinks away and its time never moves. The link comes back at the
  // next attempt, a few seconds on, not after a fixed watch that may end just past one.
  for (let i = 0; refused < 3; i++) {
    expect(i, 'reconnect attempts within 15 s').toBeLessThan(150);
    await expect(band).toBeVisible({ timeout: 100 });
    expect(await band.textContent()).toBe(first);
    await page.waitForTimeout(100);
  }
  await expect(band).toBeVisible({ timeout: 100 });
  expect(await band.textContent()).toBe(first);
  await expect(level(page)).toHaveAttribute('data-live', 'false');
  // The header's chip says it without the time (the band has it): at 1280 px the clock keeps its date.
  await expect(page.getByTestId('console-link')).toHaveText('CONSOLE LINK LOST');
  const clock = await page.locator('header .clock').boundingBox();
  expect(clock!.x + clock!.width).toBeLessThanOrEqual(1280);
  blocked = false;
  await expect(band).toBeHidden({ timeout: 30_000 });
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
});

test('the overview of the default plant fits 1280x720 without scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  expect((await mainScroll(page)).overflow).toBeLessThanOrEqual(0);
  for (const tag of ['Area2.TK204.HighLevelSwitch', 'Area1.ESD.Tripped', 'Area2.GD202.Concentration']) {
    const value = page.locator(`[data-tag="${tag}"]`).first();
    if ((await value.count()) > 0) await expect(value).toBeInViewport({ ratio: 1 });
  }
  await expect(page.locator('[data-equipment="TK204"]')).toBeInViewport({ ratio: 1 });
  // Each tank's product reads whole (at 1280 px "Sodium hypochlorite 15%" was cut to "um hypochlorite 15%").
  const products = page.locator('[data-equipment] .product');
  expect(await products.count()).toBeGreaterThan(0);
  for (const p of await products.all()) {
    await expect(p).toHaveText(/\S/);
    // The text lies inside its box (a cut start overflows to the left, where no scrollbar counts it) and has no ellipsis.
    const fit = await p.evaluate((e) => {
      const box = e.getBoundingClientRect(), text = e.querySelector('.value')!;
      const r = text.getBoundingClientRect();
      return { left: r.left - box.left, right: box.right - r.right, hidden: text.scrollWidth - text.clientWidth };
    });
    expect(fit).toEqual({ left: expect.any(Number), right: expect.any(Number), hidden: 0 });
    expect(fit.left).toBeGreaterThanOrEqual(0);
    expect(fit.right).toBeGreaterThanOrEqual(0);
  }
});

for (const locale of ['ru', 'zh']) {
  test(`the overview in ${locale} fits 1280x720: no value over its neighbour, no text cut`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(plant.url);
    await expect(level(page)).toHaveAttribute('data-quality', 'good');
    await page.getByTestId('language').selectOption(locale);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    // Every pump stopped: the longer of the two states in Russian ("ОСТАНОВЛЕН" ran over the pump symbol and the level bar).
    const pumps = await page.locator('[data-tag$=".PumpRunning"]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-tag')!))]);
    expect(pumps.length).toBeGreaterThan(0);
    for (const p of pumps) await plant.triggerOverOpcUa('pumpTrip', p.replace(/\.PumpRunning$/, ''));
    await expect(page.locator('[data-equipment] dd svg.running')).toHaveCount(0);
    await expect(page.locator('[data-equipment] dd svg:not(.unknown)')).toHaveCount(pumps.length);
    expect((await mainScroll(page)).overflow).toBeLessThanOrEqual(0);
    await expect(page.locator('[data-equipment="TK204"]')).toBeInViewport({ ratio: 1 });
    // Every cell's value lies inside its cell, beside or under the pump symbol, never over it
    // (in Russian "ОСТАНОВЛЕН" ran 20 px left, over the symbol and the level bar).
    const cells = page.locator('[data-equipment] .cell');
    expect(await cells.count()).toBeGreaterThan(20);
    const misplaced = await cells.evaluateAll((els) => els.flatMap((cell) => {
      const box = cell.getBoundingClientRect();
      const value = cell.querySelector('dd .lv .vu')!.getBoundingClientRect(); // the text: the .lv box stops at the cell
      const symbol = cell.querySelector('dd svg')?.getBoundingClientRect();
      const inside = value.left >= box.left - 0.5 && value.right <= box.right + 0.5;
      const clear = !symbol || symbol.right <= value.left + 0.5 || symbol.bottom <= value.top + 0.5;
      return inside && clear ? [] : [cell.textContent];
    }));
    expect(misplaced).toEqual([]);
    // The horn's notices read whole, each on its line of the banner: that the browser blocks sound
    // ("нажмите любу" was cut), and the horn sounding with its silence key (when the trips raised alarms).
    // Measured as they are at one instant (evaluateAll does not wait): a notice may go between a
    // count() and an evaluate(), which then waited for it until the test timed out.
    for (const id of ['horn-blocked', 'horn']) {
      const cuts = await page.getByTestId(id).evaluateAll((els) => els.map((e) => {
        const side = e.closest('.side')!.getBoundingClientRect(), r = e.getBoundingClientRect();
        return { hidden: e.scrollWidth - e.clientWidth, past: Math.max(0, r.right - side.right), below: Math.max(0, r.bottom - side.bottom) };
      }));
      for (const cut of cuts) expect(cut, id).toEqual({ hidden: 0, past: 0, below: 0 });
    }
  });
}

test('an empty alarm list: its header spans the table and each heading reads whole', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(plant.url);
  await page.keyboard.press('F2');
  await page.locator('[data-tab="shelved"]').click(); // nothing is shelved in this plant
  const table = page.getByTestId('summary-shelved');
  await expect(table.locator('tr.empty')).toBeVisible();
  // The empty row spanned 9 columns of 7: two phantom columns took the message's width ("Messag").
  const fit = await table.evaluate((t) => {
    const heads = [...t.querySelectorAll('thead th')];
    const width = heads.reduce((n, th) => n + th.getBoundingClientRect().width, 0);
    return { short: Math.round(t.getBoundingClientRect().width - width), cut: heads.filter((th) => th.scrollWidth > th.clientWidth).map((th) => th.textContent) };
  });
  expect(fit).toEqual({ short: 0, cut: [] });
});

test('every page opens at its top and PageDown scrolls the tag list', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  await page.keyboard.press('F4');
  await expect(page.locator('tr[data-row="Area1.TK101.Level"]')).toBeVisible();
  await page.keyboard.press('PageDown');
  await expect.poll(async () => (await mainScroll(page)).top).toBeGreaterThan(100);
  await page.keyboard.press('F1');
  await expect(level(page)).toBeVisible();
  expect((await mainScroll(page)).top).toBe(0);
  await page.keyboard.press('F4');
  expect((await mainScroll(page)).top).toBe(0);
  // Paging on and switching pages at once: the next page still opens at its top (the browser's
  // smooth scroll, about 200 ms, went on over it): read once the page has stood still for 12 frames.
  await page.keyboard.press('PageDown');
  await page.keyboard.press('F1');
  await page.keyboard.press('F4');
  await page.locator('main').evaluate((m) => new Promise<void>((resolve) => {
    let last = m.scrollTop;
    let still = 0;
    const frame = () => {
      still = m.scrollTop === last ? still + 1 : 0;
      last = m.scrollTop;
      if (still >= 12) resolve();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }));
  expect((await mainScroll(page)).top).toBe(0);
  await page.keyboard.press('PageDown');
  expect((await mainScroll(page)).top).toBeGreaterThan(100);
  // The column heads stay on top of the scrolled rows: the heads look the same with the rows hidden
  // (a collapsed table let the rows paint a strip over them). Where a row's text falls under the heads
  // depends on the scroll: a few steps of 4 px.
  const clip = await page.locator('main thead').evaluate((h) => {
    const r = [...h.querySelectorAll('th')].map((th) => th.getBoundingClientRect());
    // From the pixel the heads' top edge cuts (the scroller's own edge: nothing of a row belongs there) to the
    // last whole pixel row of the heads (under that a row shows beside them, rightly).
    const top = Math.floor(Math.min(...r.map((b) => b.top))), left = Math.ceil(Math.min(...r.map((b) => b.left)));
    return { x: left, y: top, width: Math.floor(Math.max(...r.map((b) => b.right))) - left, height: Math.floor(Math.max(...r.map((b) => b.bottom))) - top };
  });
  const differ: number[] = [];
  for (let step = 0; step < 6; step++) {
    await page.locator('main').evaluate((m) => m.scrollBy({ top: 4, behavior: 'instant' }));
    const shown = await page.screenshot({ clip });
    await page.locator('main tbody').evaluate((b) => (b.style.visibility = 'hidden'));
    const alone = await page.screenshot({ clip });
    await page.locator('main tbody').evaluate((b) => (b.style.visibility = ''));
    if (!shown.equals(alone)) differ.push(step);
  }
  expect(differ, 'scroll steps where rows show over the sticky column heads').toEqual([]);
});

test('Tab reaches every value; its status and source time read at the foot of the screen', async ({ page }) => {
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  // Every value takes the focus, and Tab walks from the header into the values in screen order.
  const focusable = await page.locator('main [data-tag]').evaluateAll((els) => els.every((e) => (e as HTMLElement).tabIndex === 0));
  expect(focusable).toBe(true);
  const order = await page.locator('main [data-tag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')));
  // From the page region (after the header, the alarm banner and the bands) the values come next.
  await page.locator('#page').focus();
  // Values come in screen order; a card's trend link may take a Tab between them.
  const reached: string[] = [];
  for (let presses = 0; reached.length < 6 && presses < 30; presses++) {
    await page.keyboard.press('Tab');
    const tag = await page.evaluate(() => document.activeElement?.getAttribute('data-tag') ?? null);
    if (tag !== null) reached.push(tag);
  }
  expect(reached).toEqual(order.slice(0, 6));
  await level(page).focus();
  const detail = page.getByTestId('value-detail');
  await expect(detail).toContainText('Area1.TK101.Level');
  await expect(detail).toContainText('Good (0x00000000)');
  await expect(detail).toContainText(/UTC[+-]\d\d:\d\d/);
  await expect(detail).toContainText(/\d+\s?s ago/);
});

test('the tag filter outlives the page', async ({ page }) => {
  await page.goto(plant.url);
  await page.keyboard.press('F4');
  await page.getByTestId('tag-filter').fill('Area1.TK103.Level');
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await page.keyboard.press('F1');
  await page.keyboard.press('F4');
  await expect(page.getByTestId('tag-filter')).toHaveValue('Area1.TK103.Level');
  await expect(page.locator('tbody tr')).toHaveCount(1);
});
