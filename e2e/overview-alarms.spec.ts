/**
 * A gas detector in alarm on the overview, in Chromium against the real simulator and station: a
 * detector at HIGH HIGH looked normal there (only the banner said so). Its tile now shows the
 * alarm of its tag as the banner does: the priority's colour, shape and number, the condition and
 * the state in words (UNACK flashing until acknowledged, then ACK, steady), in each language, and
 * the overview still fits 1280x720.
 */
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let plant: Plant;
let page: Page;
const PASSWORD = 'correct-horse-battery-9';
const GAS = 'Area1.GD101.Concentration/limit';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  plant = await startPlant(21);
  await createAccount(plant.dataDir, 'sam', 'supervisor', PASSWORD, 'Sam Chen');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

const tile = () => page.locator('.detector[data-equipment="GD101"]');
const mark = () => tile().getByTestId('tag-alarm');

test('a gas detector at HIGH HIGH shows its alarm on its tile: the P1 mark and UNACK flashing, then ACK steady, the condition in its name; the overview fits 1280x720 in each language', async () => {
  const testInfo = test.info();
  await page.goto(plant.url);
  await expect(tile().locator('[data-tag]')).toHaveAttribute('data-quality', 'good');
  // Normal: no alarm on it, drawn as before.
  await expect(mark()).toHaveCount(0);
  await expect(tile()).not.toHaveClass(/\balarm\b/);

  await plant.triggerOverOpcUa('gasLeak', 'Area1.GD101');
  await expect(page.getByTestId('banner-list').locator(`[data-alarm-id="${GAS}"]`)).toContainText('HIGH HIGH', { timeout: 60_000 });
  // Unacknowledged: framed in P1's colour, the P1 square flashing, the condition and UNACK (flashing) in words.
  await expect(mark()).toHaveAttribute('data-alarm-id', GAS);
  await expect(mark()).toHaveAttribute('data-state', 'B');
  await expect(tile()).toHaveAttribute('data-alarm-state', 'B');
  await expect(tile()).toHaveClass(/\balarm\b/);
  // The frame in the colour the station gives priority 1 (its mark's fill), not the tile's grey edge.
  const colours = await tile().evaluate((e) => ({ frame: getComputedStyle(e).borderTopColor, p1: getComputedStyle(e.querySelector('svg.mark path')!).fill }));
  expect(colours.frame).toBe(colours.p1);
  expect(colours.frame).not.toBe('rgb(179, 179, 179)');
  await expect(mark().locator('svg.mark')).toHaveAttribute('data-priority', '1');
  await expect(mark().locator('svg.mark')).toHaveAttribute('data-shape', 'square');
  await expect(mark().locator('svg.mark')).toHaveClass(/flash/);
  await expect(mark().locator('[data-badge="unack"]')).toHaveText('UNACK');
  await expect(mark().locator('[data-badge="unack"]')).toHaveClass(/flash/);
  await expect(mark()).toHaveAttribute('aria-label', /^In alarm: HIGH HIGH, P1 Critical, UNACK\. GD101 flammable gas high-high 20 %LEL$/);

  // The state in each language's word; the condition and priority in the tooltip and accessible name.
  const words = { en: ['HIGH HIGH', 'UNACK'], ru: ['ВЕРХНИЙ АВАРИЙНЫЙ', 'НЕ КВИТ.'], zh: ['高高', '未确认'] } as const;
  for (const locale of ['en', 'ru', 'zh'] as const) {
    await page.getByTestId('language').selectOption(locale);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(mark().locator('[data-badge="unack"]')).toHaveText(words[locale][1]);
    await expect(mark()).toHaveAttribute('aria-label', new RegExp(`${words[locale][0]}.*P1.*${words[locale][1].replace('.', '\\.')}`));
    await expect(mark()).toHaveAttribute('title', await mark().getAttribute('aria-label') ?? '');
    for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      // VIGIL_SHOTS: a folder to keep the screenshots in (test-results is emptied by every run).
      await page.screenshot({ path: join(process.env.VIGIL_SHOTS ?? testInfo.outputPath(), `detector-hh-unack-${locale}-${w}.png`) });
      // The mark whole inside its tile, and the overview not scrolled by it.
      const fit = await tile().evaluate((t) => {
        const box = t.getBoundingClientRect();
        const m = t.querySelector('[data-testid="tag-alarm"]')!.getBoundingClientRect();
        const main = document.getElementById('page')!;
        return { inside: m.left >= box.left && m.right <= box.right + 0.5, scroll: Math.max(0, main.scrollHeight - main.clientHeight) };
      });
      expect(fit, `${locale} at ${w}x${h}`).toEqual({ inside: true, scroll: 0 });
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  await page.getByTestId('language').selectOption('en');

  // Acknowledged: steady (nothing flashes), ACK in words, still framed in P1's colour while active.
  await signIn(page, 'sam', PASSWORD);
  const row = page.getByTestId('banner-list').locator(`[data-alarm-id="${GAS}"]`);
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('F10');
  await expect(mark()).toHaveAttribute('data-state', 'C');
  await expect(mark().locator('[data-badge="ack"]')).toHaveText('ACK');
  await expect(mark().locator('[data-badge="unack"]')).toHaveCount(0);
  await expect(mark().locator('svg.mark')).not.toHaveClass(/flash/);
  await expect(mark().locator('.flash')).toHaveCount(0);
  await expect(tile()).toHaveClass(/\balarm\b/);
  await expect(mark()).toHaveAttribute('aria-label', /^In alarm: HIGH HIGH, P1 Critical, ACK\./);
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: join(process.env.VIGIL_SHOTS ?? testInfo.outputPath(), `detector-hh-ack-en-${w}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
});
