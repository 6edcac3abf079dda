/**
 * A past archive volume whose file is damaged, on the Trends page of the real station (browser
 * mode) in Debian's Chromium: its day is a bad band that no line crosses (pixels), and the
 * readout says the archive file cannot be read. The damage: the file truncated before the
 * station starts. Expectations are the days themselves, never the trend code.
 */
import { test, expect, type Page } from '@playwright/test';
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { Historian } from '../historian/index.js';
import { Good } from '../historian/status.js';
import { loadStationConfig } from '../app/main/station/config-file.js';
import { historianTagConfig } from '../app/main/station/archive.js';
import { startPlant, type Plant } from './plant.js';
import { columnCounts, pressAndRedraw } from './trend-pixels.js';

const DAY = 86_400_000, LEVEL = 'Area1.TK101.Level';
const today = Math.floor(Date.now() / DAY) * DAY;
/** History over the three days before today; the middle one's volume file is damaged. */
const first = today - 3 * DAY, damaged = today - 2 * DAY;
let plant: Plant;

test.beforeAll(async () => {
  test.setTimeout(180_000); // certificates and the station's start on a busy 2-core machine
  plant = await startPlant({
    seed: 11,
    prepare: async (dataDir, configFile) => {
      const config = loadStationConfig(configFile);
      const h = Historian.open(join(dataDir, 'archive'), { flushIntervalMs: 0 });
      try {
        for (const tag of config.tags) h.defineTag(historianTagConfig(tag, config), first - DAY);
        const samples = [];
        // A swing of 6 m every ~6 hours: well beyond the tag's deadband, a line across the whole plot.
        for (let t = first; t < today; t += 60_000) samples.push({ t, value: 10 + 3 * Math.sin(t / 3_600_000), status: Good });
        h.append(LEVEL, samples);
      } finally {
        await h.close();
      }
      truncateSync(join(dataDir, 'archive', 'volumes', `day-${new Date(damaged).toISOString().slice(0, 10)}.sqlite`), 2048);
    },
  });
});
test.afterAll(async () => {
  await plant?.close();
});

/** A gap lane's height, CSS px (lib/trends/gaps.ts LANE_MAX). */
const LANE = 16;

interface PlotBox { left: number; top: number; width: number; height: number; start: number; end: number }
const stats = (page: Page) => page.evaluate(() => (globalThis as unknown as { __vigilTrends: { plot: PlotBox; range: { generation: number } | null } }).__vigilTrends);

test('a day whose volume file is damaged is a bad band no line crosses, and the readout says the archive file cannot be read', async ({ page }, testInfo) => {
  await page.goto(`${plant.url}#/trends?tags=${LEVEL}&from=${first}&to=${today - DAY / 2}`);
  await expect(page.getByTestId('trend-chart')).toHaveAttribute('data-loading', 'false', { timeout: 30_000 });
  await expect.poll(async () => (await stats(page))?.range?.generation ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  // The alarm limits are dashed lines in the pen's colour across the plot: off, so only the data line counts.
  await pressAndRedraw(page, 'm');
  const box = (await stats(page)).plot;
  const px = (t: number) => box.left + ((t - box.start) / (box.end - box.start)) * box.width;
  const [a, b] = [px(damaged), px(damaged + DAY)];
  // Below the pens' gap lanes along the top (the lane marks its pen with stripes in the pen's colour).
  const below = { top: box.top + LANE + 1, height: box.height - LANE - 1 };
  const counts = await columnCounts(page, below, { before: [box.left + 5, a - 5], inside: [a + 3, b - 3], after: [b + 5, box.left + box.width - 5] });
  expect(counts.inside.length).toBeGreaterThan(20);
  expect(counts.inside.every((c) => c.pen === 0)).toBe(true);
  expect(counts.inside.filter((c) => c.band > 0).length).toBeGreaterThan(counts.inside.length * 0.9);
  // The days on either side are drawn, without a band.
  for (const side of [counts.before, counts.after]) {
    expect(side.filter((c) => c.pen > 0).length).toBeGreaterThan(side.length * 0.9);
    expect(side.every((c) => c.band === 0)).toBe(true);
  }

  const canvas = (await page.getByTestId('trend-chart').locator('canvas').boundingBox())!;
  await page.mouse.move(canvas.x + (a + b) / 2, canvas.y + box.top + box.height / 2);
  const pen = page.locator(`[data-pen="${LEVEL}"]`);
  await expect(pen).toHaveAttribute('data-kind', 'gap');
  await expect(pen.locator('.value')).toHaveText('archive file unreadable');
  await expect(pen.locator('.status')).toHaveText('Bad');
  const shot = testInfo.outputPath('trend-unreadable.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('trend-unreadable', { path: shot, contentType: 'image/png' });
});
