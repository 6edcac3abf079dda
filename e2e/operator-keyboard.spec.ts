/**
 * What a shift operator's keyboard-only walk through the console at 1280x720 found, in Russian and
 * Chinese: the trend's limit labels without the tag's unit, the trend groups panel dropping the
 * focus to <body> when Esc closed it, and a failed sensor's status name widening the Tags table
 * past the page in Russian; the alarm summary's "HIGH HIGH" on two lines at 1280 px. Expectations
 * come from resources/station.yaml and literals.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runPlantUntil, startPlant, type Plant } from './plant.js';

const root = new URL('..', import.meta.url).pathname;
const LEVEL = 'Area1.TK101.Level';
let plant: Plant;

test.beforeAll(async () => {
  plant = await startPlant(37);
});
test.afterAll(async () => {
  await plant?.close();
});

/** Every text drawn on a canvas since the page loaded (the trend's labels are pixels, not DOM). */
async function recordCanvasText(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const drawn = new Set<string>();
    const at = new Map<string, number>(); // where each text was last drawn: x as a share of its canvas's width
    (globalThis as unknown as { __drawnTexts: Set<string> }).__drawnTexts = drawn;
    (globalThis as unknown as { __drawnAt: Map<string, number> }).__drawnAt = at;
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
      drawn.add(text);
      at.set(text, x / this.canvas.width);
      return maxWidth === undefined ? fill.call(this, text, x, y) : fill.call(this, text, x, y, maxWidth);
    };
  });
}
const drawnTexts = (page: Page) => page.evaluate(() => [...(globalThis as unknown as { __drawnTexts: Set<string> }).__drawnTexts]);

test('the trend\'s limit labels give the tag\'s unit, written the console\'s language\'s way', async ({ page }) => {
  const config = parse(readFileSync(join(root, 'resources/station.yaml'), 'utf8')) as { tags: { name: string; unit: string; range: [number, number]; alarms: { limits: Record<string, { value: number }> } }[] };
  const tag = config.tags.find((x) => x.name === LEVEL)!;
  // The labels below are written for these values: a level in metres on [0, 20] (two decimals, as its values read).
  expect([tag.unit, tag.range, tag.alarms.limits.HH!.value, tag.alarms.limits.L!.value]).toEqual(['m', [0, 20], 17.6, 2]);
  await recordCanvasText(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${plant.url}#/trends?tags=${LEVEL}&live=10m`);
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await page.getByTestId('language').selectOption('ru');
  await expect.poll(() => drawnTexts(page)).toContain('ВЕРХН. АВАР. 17,60\u202fm');
  await page.getByTestId('language').selectOption('zh');
  await expect.poll(() => drawnTexts(page)).toContain('低 2.00\u202fm');
  await page.getByTestId('language').selectOption('en');
  await expect.poll(() => drawnTexts(page)).toContain('HIGH HIGH 17.60\u202fm');
  // At the left end of the plot: at the right they covered the newest values.
  const x = await page.evaluate(() => (globalThis as unknown as { __drawnAt: Map<string, number> }).__drawnAt.get('HIGH HIGH 17.60\u202fm'));
  expect(x).toBeLessThan(0.25);
});

test('G opens the trend groups, Esc closes them: the focus is back on the page, where the trend keys act', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${plant.url}#/trends?tags=${LEVEL}&live=10m`);
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await page.keyboard.press('F3'); // the page's keys: the focus on the page, as the function key leaves it
  await expect(page.locator('#page')).toBeFocused();
  await page.keyboard.press('g');
  await expect(page.getByTestId('group-name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('group-menu')).toBeHidden();
  await expect(page.locator('#page')).toBeFocused();
  const limits = page.locator('button[aria-keyshortcuts="M"]');
  await expect(limits).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('m');
  await expect(limits).toHaveAttribute('aria-pressed', 'false');
  // Open again and the focus moved back to the page: Escape closes the panel still, and does not undo the view.
  await page.keyboard.press('g');
  await expect(page.getByTestId('group-menu')).toBeVisible();
  await page.locator('#page').focus();
  const url = page.url();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('group-menu')).toBeHidden();
  expect(page.url()).toBe(url);
});

test('a failed sensor\'s status on the Tags page at 1280x720 in Russian: the table stays within the page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${plant.url}#/tags`);
  await page.getByTestId('language').selectOption('ru');
  await plant.triggerOverOpcUa('sensorFailure', 'Area2.TK203.Temperature');
  const row = page.locator('main table tbody tr').filter({ hasText: 'Area2.TK203.' }).filter({ hasText: 'Temperature' });
  await expect(row.locator('td.status')).toHaveText('BadSensorFailure', { timeout: 30_000 });
  // "BadSensorFailure" whole on one line made the table 12 px wider than the page once other
  // columns had grown too (a ratio of "104,0 : 1" after an hour): a sideways scroll bar, the last
  // column cut. So the table is also asked for its narrowest layout, where the name must break
  // between its words rather than hold the column at its whole width.
  const narrowest = await row.locator('td.status').evaluate((td) => {
    const table = td.closest('table')!;
    table.style.width = 'min-content';
    const range = document.createRange();
    range.selectNodeContents(td);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    table.style.width = '';
    return { lines, overflow: td.scrollWidth > td.clientWidth + 1 };
  });
  expect(narrowest).toEqual({ lines: 3, overflow: false }); // Bad / Sensor / Failure
  const fit = await page.locator('main').evaluate((m) => {
    const table = m.querySelector('table')!.getBoundingClientRect();
    return { scroll: m.scrollWidth - m.clientWidth, past: Math.max(0, Math.round(table.right - m.getBoundingClientRect().right)) };
  });
  expect(fit).toEqual({ scroll: 0, past: 0 });
});

test('the alarm summary\'s condition reads on one line at 1280x720 and 1920x1080 in each language, the full word in its title; the table stays within the page', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${plant.url}#/alarms`);
  // A gas detector at HIGH HIGH (resources/station.yaml): the longest limit condition, "HIGH HIGH" wrapped onto two lines at 1280 px.
  await plant.triggerOverOpcUa('gasLeak', 'Area1.GD101');
  // The leak takes ~12 s of the plant's time to rise past HH (20 %LEL): the model is run there at once.
  runPlantUntil(plant.sim, 'GD101 past its HH', () => Number(plant.sim.model.value('Area1.GD101.Concentration')) >= 22);
  const summary = page.getByTestId('summary-current');
  const row = summary.locator('tr[data-alarm-id="Area1.GD101.Concentration/limit"]');
  await expect(row).toContainText('HIGH HIGH', { timeout: 60_000 });
  const words = { en: ['HIGH HIGH', 'HIGH HIGH'], ru: ['ВЕРХН. АВАР.', 'ВЕРХНИЙ АВАРИЙНЫЙ'], zh: ['高高', '高高'] } as const;
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const locale of ['en', 'ru', 'zh'] as const) {
      await page.getByTestId('language').selectOption(locale);
      const [shown, whole] = words[locale];
      const cell = row.locator('td[data-condition]');
      await expect(cell).toHaveText(shown);
      await expect(cell).toHaveAttribute('title', whole);
      const laid = await cell.evaluate((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const scroller = td.closest('table')!.parentElement!;
        return {
          lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size,
          overflow: td.scrollWidth > td.clientWidth + 1,
          sideways: scroller.scrollWidth - scroller.clientWidth,
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      expect(laid, `${locale} ${w}x${h}`).toEqual({ lines: 1, overflow: false, sideways: 0, page: 0 });
      const shot = testInfo.outputPath(`summary-condition-${locale}-${w}x${h}.png`);
      await page.screenshot({ path: shot });
      await testInfo.attach(`summary-condition-${locale}-${w}x${h}`, { path: shot, contentType: 'image/png' });
    }
  }
});
