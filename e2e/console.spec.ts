/**
 * The console in Debian's Chromium against the real simulator and station:
 * live values, bad quality, loss and recovery of the server, the pages.
 */
import { test, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;

test.beforeAll(async () => {
  plant = await startPlant();
});
test.afterAll(async () => {
  await plant?.close();
});

const level = (page: Page) => page.locator('[data-tag="Area1.TK101.Level"]').first();

test('the overview shows live values from the simulator, changing', async ({ page }, testInfo) => {
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  const first = await level(page).locator('.value').innerText();
  expect(first).toMatch(/^\d+(\.\d+)?$/);
  // Some value on the overview changes within a few seconds (the plant is alive).
  const snapshot = () => page.locator('[data-tag] .value').allInnerTexts();
  const before = (await snapshot()).join('|');
  await expect.poll(async () => (await snapshot()).join('|'), { timeout: 10_000 }).not.toBe(before);
  await expect(page.getByRole('banner')).toContainText('Tank Farm North');
  const shot = testInfo.outputPath('overview.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('overview', { path: shot, contentType: 'image/png' });
});

test('a failed sensor, triggered over OPC UA, renders as bad quality', async ({ page }, testInfo) => {
  await page.goto(plant.url);
  const temp = page.locator('[data-tag="Area1.TK102.Temperature"]').first();
  await expect(temp).toHaveAttribute('data-quality', 'good');
  await plant.triggerOverOpcUa('sensorFailure', 'Area1.TK102.Temperature');
  await expect(temp).toHaveAttribute('data-quality', 'bad');
  await expect(temp).toContainText('SENSOR');
  await expect(page.locator('[data-tag="Area1.TK101.Temperature"]').first()).toHaveAttribute('data-quality', 'good');
  const shot = testInfo.outputPath('sensor-failure.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('sensor-failure', { path: shot, contentType: 'image/png' });
});

test('losing the server turns every value bad; they recover when it returns', async ({ page }, testInfo) => {
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  await plant.stopSimulator();
  const values = page.locator('[data-tag]');
  await expect.poll(async () => (await values.evaluateAll((els) => els.filter((e) => e.getAttribute('data-quality') !== 'bad').length)), { timeout: 10_000 }).toBe(0);
  await expect(level(page).locator('.badge')).toHaveText('COMM');
  // The station's own status for the loss, named as in OPC UA Part 4 (a literal, not the code's constant).
  await expect(level(page)).toHaveAttribute('title', /BadNoCommunication \(0x80310000\)/);
  // The last known value stays readable, marked not live.
  await expect(level(page).locator('.value')).toHaveText(/^\d+(\.\d+)?$/);
  await expect(level(page)).toHaveAttribute('data-live', 'false');
  // The loss band is one line: the plant stays in view under it.
  await expect(page.getByTestId('server-lost')).toBeVisible();
  expect((await page.getByTestId('server-lost').boundingBox())!.height).toBeLessThan(80);
  await expect(level(page)).toBeInViewport();
  await expect(page.getByRole('banner')).toContainText(/lost/i);
  const shot = testInfo.outputPath('server-lost.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('server-lost', { path: shot, contentType: 'image/png' });
  await plant.restartSimulator();
  await expect(level(page)).toHaveAttribute('data-quality', 'good', { timeout: 30_000 });
  await expect(page.getByRole('banner')).not.toContainText(/lost/i);
});

test('pages are reachable from the keyboard and show only what exists', async ({ page }) => {
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  await page.keyboard.press('F4');
  await expect(page.locator('table')).toContainText('Area1.TK101.Level');
  await expect(page.locator('table')).toContainText('ns=1;s=Area1.TK101.Level');
  await page.keyboard.press('F2');
  await expect(page.getByTestId('summary-current')).toBeVisible();
  await page.keyboard.press('F3');
  await expect(page.locator('main')).toContainText(/trend/i);
  await page.keyboard.press('F1');
  await expect(level(page)).toBeVisible();
});

test('an archive that is not writing shows in the header until it writes again', async ({ page }, testInfo) => {
  await page.goto(plant.url);
  await expect(level(page)).toHaveAttribute('data-quality', 'good');
  await expect(page.getByTestId('archive-chip')).toHaveCount(0);
  // Another program holds the catalog's write lock past the archive's 5 s busy timeout: its commits fail.
  const other = new Database(join(plant.dataDir, 'archive', 'catalog.sqlite'));
  try {
    other.exec('BEGIN IMMEDIATE');
    const chip = page.getByTestId('archive-chip');
    await expect(chip).toHaveText('ARCHIVE NOT WRITING', { timeout: 30_000 });
    await expect(chip).toHaveAttribute('title', /History is not being archived since \d\d:\d\d:\d\d: .*(locked|busy)/i);
    const shot = testInfo.outputPath('archive-not-writing.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('archive-not-writing', { path: shot, contentType: 'image/png' });
  } finally {
    other.close(); // rolls back: the lock is gone
  }
  await expect(page.getByTestId('archive-chip')).toHaveCount(0, { timeout: 30_000 });
});
