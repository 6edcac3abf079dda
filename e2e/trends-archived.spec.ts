/**
 * A tag the station's configuration no longer names (LT-101, renamed since) but the archive holds
 * from last month: the Trends page offers it by keyboard, marked as archived only, draws its line
 * over that month and exports its rows; a trend group keeps it. Expectations are the samples the
 * archive was given here (a hand count) and Python's reading of the CSV, never the trend code.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Historian } from '../historian/index.js';
import { Good } from '../historian/status.js';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';
import { columnCounts } from './trend-pixels.js';

const root = new URL('..', import.meta.url).pathname;
const OLD = 'LT-101';
const LEVEL = 'Area1.TK101.Level';
const OPERATOR = 'olga', PASSWORD = 'correct-horse-battery-9';
const MINUTE = 60_000, HOUR = 60 * MINUTE;
/** Six hours of minute samples, 30 days before the test, on the minute. */
const D0 = Math.floor((Date.now() - 30 * 24 * HOUR) / MINUTE) * MINUTE;
const level = (i: number) => Math.round((10 + 4 * Math.sin(i / 40)) * 1000) / 1000;
const SAMPLES = Array.from({ length: 360 }, (_, i) => ({ t: D0 + i * MINUTE, value: level(i), status: Good }));
/** Two tags as a PI export imports them (no unit column, no range): a level near 2.1 and a flow near 3,700 with one decimal. */
const PI_LEVEL = 'PI.TK101.Level', PI_FLOW = 'PI.FT301.Flow';
const piLevel = (i: number) => Math.round((2.1 + 0.05 * Math.sin(i / 40)) * 1e5) / 1e5;
const piFlow = (i: number) => Math.round((3700 + 15 * Math.sin(i / 30)) * 10) / 10;
/** The view: hours 1 to 3 of it; its end is a sample's own time. */
const FROM = D0 + HOUR, TO = D0 + 3 * HOUR;

let plant: Plant;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  plant = await startPlant({
    seed: 11,
    // The archive as a station left it whose configuration named LT-101; this configuration does not.
    prepare: async (dataDir) => {
      const h = Historian.open(join(dataDir, 'archive'), { flushIntervalMs: 0 });
      try {
        h.defineTag({ name: OLD, kind: 'analog', description: 'Tank 101 level (old transmitter)', unit: 'm', range: { low: 0, high: 20 }, compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, D0 - HOUR);
        h.append(OLD, SAMPLES);
        for (const [name, value] of [[PI_LEVEL, piLevel], [PI_FLOW, piFlow]] as const) {
          h.defineTag({ name, kind: 'analog', description: 'imported', unit: '', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, D0 - HOUR);
          h.append(name, SAMPLES.map((s, i) => ({ ...s, value: value(i) })));
        }
      } finally {
        await h.close();
      }
    },
  });
  await createAccount(plant.dataDir, OPERATOR, 'operator', PASSWORD, 'Olga Ivanova');
});
test.afterAll(async () => {
  await plant?.close();
});

interface PlotBox { left: number; top: number; width: number; height: number }
const plotBox = (page: Page) => page.evaluate(() => (globalThis as unknown as { __vigilTrends: { plot: PlotBox } }).__vigilTrends.plot);

async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('trend-chart')).toHaveAttribute('data-loading', 'false', { timeout: 30_000 });
  // Its data drawn (the load's draw counted), then two frames painted.
  await expect.poll(async () => (await page.evaluate(() => (globalThis as unknown as { __vigilTrends: { range: { generation: number } | null } }).__vigilTrends.range?.generation)) ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

function python(file: string): { ok: boolean; problem?: string; rows: number; data: string[][] } {
  let out: string;
  try {
    out = execFileSync('python3', [join(root, 'scripts/verify-trend-csv.py'), '--json', file], { encoding: 'utf8' });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout);
  }
  return JSON.parse(out);
}

test('a tag archived under a name the configuration no longer has is added by keyboard, drawn from the archive and exported', async ({ page }) => {
  await page.goto(`${plant.url}#/trends?tags=${LEVEL}&from=${FROM}&to=${TO}`);
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await settled(page);

  await page.getByLabel('Add a pen').focus();
  await page.keyboard.type(OLD);
  const option = page.locator('[role="option"][aria-selected="true"]');
  await expect(option.locator(`[data-add-pen="${OLD}"]`)).toBeVisible();
  await expect(option).toContainText('Tank 101 level (old transmitter)');
  await expect(option).toContainText('archived only — not in the configuration');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape'); // the keyboard back to the page, where the trend keys act

  const pen = page.locator(`[data-pen="${OLD}"]`);
  await expect(pen).toBeVisible();
  await expect(pen).toHaveAttribute('data-archived-only', '');
  await expect(pen).toContainText('archived only — not in the configuration');
  await settled(page);
  // The view's end is a sample's own time: the readout gives that sample, in its unit.
  await expect(pen).toHaveAttribute('data-value', String(level(180)));
  await expect(pen.locator('.value .unit')).toHaveText('m');

  // Its line, the second pen's green, runs across the whole view (the first pen has no data then).
  const box = await plotBox(page);
  const counts = await columnCounts(page, box, { view: [box.left + 4, box.left + box.width - 4] });
  const drawn = counts.view.filter((c) => c.green > 0).length;
  expect(drawn / counts.view.length).toBeGreaterThan(0.95);

  // Its rows, exported raw: every sample of [FROM, TO), with its unit.
  await signIn(page, OPERATOR, PASSWORD);
  await page.keyboard.press('e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('export-utc').check();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-start').click()]);
  await expect(dialog.getByTestId('export-state')).toHaveAttribute('data-state', 'done');
  const r = python(await download.path());
  expect(r.ok, r.problem).toBe(true);
  const expected = SAMPLES.filter((s) => s.t >= FROM && s.t < TO);
  expect(expected.length).toBe(120);
  expect(r.rows).toBe(expected.length);
  expect(r.data.map((row) => [Date.parse(row[0]!), row[1], Number(row[2]), row[3], row[4]])).toEqual(expected.map((s) => [s.t, OLD, s.value, 'm', 'Good']));
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Saved in a trend group, it opens again as an archived-only pen (not "not a tag of this station").
  await page.keyboard.press('g');
  const menu = page.getByTestId('group-menu');
  await menu.getByTestId('group-name').fill('Old LT-101');
  await menu.getByRole('button', { name: 'Save' }).click();
  await expect(menu).toContainText('Saved “Old LT-101” for every user.');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await page.goto(`${plant.url}#/trends?tags=${LEVEL}&range=1h`);
  await expect(page.locator(`[data-pen="${OLD}"]`)).toHaveCount(0);
  await page.keyboard.press('g');
  await page.getByTestId('group-menu').locator('[data-group="Old LT-101"]').click();
  await expect(page.locator(`[data-pen="${OLD}"]`)).toHaveAttribute('data-archived-only', '');
  await settled(page);
  await expect(page.locator(`[data-pen="${OLD}"]`)).toHaveAttribute('data-value', String(level(180)));
  await expect(page.getByText(`${OLD} is not a tag of this station.`)).toHaveCount(0);

  // Two pens without a unit do not share an axis for it: the level (2.1, blue) is drawn across the
  // plot's height beside the flow (3,700), not flat at 0 on a 0-4,000 axis; the flow reads with
  // the one decimal its samples carry (3,695.8, not 3,695.80).
  await page.goto(`${plant.url}#/trends?tags=${PI_LEVEL},${PI_FLOW}&from=${FROM}&to=${TO}`);
  await settled(page);
  const plot = await plotBox(page);
  const blueRows = await page.getByTestId('trend-chart').locator('canvas').evaluate((c: HTMLCanvasElement, b) => {
    const r = devicePixelRatio || 1;
    const img = c.getContext('2d')!.getImageData(Math.round(b.left * r), Math.round(b.top * r), Math.round(b.width * r), Math.round(b.height * r));
    let rows = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const i = (y * img.width + x) * 4;
        if (img.data[i + 2]! > img.data[i]! + 70 && img.data[i + 2]! > img.data[i + 1]! + 45) { rows++; break; }
      }
    }
    return rows / img.height;
  }, plot);
  expect(blueRows).toBeGreaterThan(0.5);
  await expect(page.locator(`[data-pen="${PI_FLOW}"] .value`)).toHaveText(piFlow(180).toLocaleString('en-US', { minimumFractionDigits: 1 }));
});
