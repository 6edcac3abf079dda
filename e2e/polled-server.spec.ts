/**
 * A server that gives the station no subscription (the simulator refusing every CreateSubscription
 * BadTooManySubscriptions, as a gateway whose slots other clients took): the real station polls its
 * tags (acquisition/poll.ts), the console shows their values live, and the server chip says the
 * server is polled and why. Before, the connection failed forever and no value was shown.
 */
import { test, expect } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  plant = await startPlant({ seed: 11, subscriptions: false });
});
test.afterAll(async () => {
  await plant?.close();
});

test('a polled server\'s values are shown live, and its chip says it is polled and why', async ({ page }) => {
  await page.goto(plant.url);
  await page.getByTestId('language').selectOption('en');
  const chip = page.locator('header [data-server="sim"]');
  await expect(chip).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
  await expect(chip).toHaveAttribute('data-polled', 'BadTooManySubscriptions');
  await expect(chip).toHaveAttribute('title', /Polled: each tag is read at its sampling interval, as the server allows this session no subscription \(all its subscriptions are taken\)/);
  // Events need a subscription: the server's own alarms are not received while it is polled, and the chip says so.
  await expect(chip).toHaveAttribute('title', /Server alarms \(the server’s own Alarms & Conditions\) are not received meanwhile/);
  await expect(chip).toHaveAttribute('aria-label', /connected, polled/);
  const level = page.locator('[data-tag="Area1.TK101.Level"]').first();
  await expect(level).toHaveAttribute('data-quality', 'good', { timeout: 30_000 });
  // Live: some value on the overview changes as the simulator's do (ticks every 500 ms).
  const snapshot = () => page.locator('[data-tag] .value').allInnerTexts();
  const before = (await snapshot()).join('|');
  await expect.poll(async () => (await snapshot()).join('|'), { timeout: 30_000 }).not.toBe(before);
});
