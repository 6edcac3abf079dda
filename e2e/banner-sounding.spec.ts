/**
 * The banner at 1280x720 (three rows) in Chromium against the real simulator and station, driven by
 * the keyboard (an exploratory run): three P1 alarms returned unacknowledged (RTN) filled it and hid
 * a new P3 alarm that sounded the horn behind "+N more", reachable by neither ↑ ↓ nor F10; and F10
 * on a selected RTN row took the row off the banner and left nothing selected, so the next F10 acted
 * on nothing.
 */
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

let plant: Plant;
let page: Page;
const PASSWORD = 'correct-horse-battery-9';
const RETURNED = ['Area1.TK101.Level', 'Area1.TK102.Level', 'Area1.TK103.Level'];
const SOUNDING = 'Area2.TK201.Level';
const idOf = (tag: string) => `${tag}/quality`;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  plant = await startPlant({
    configure: (doc) => {
      // Only bad-quality alarms, raised at once: P1 on three Area 1 levels, P3 on TK201's.
      const tags = (doc.toJS() as { tags: { name: string }[] }).tags;
      tags.forEach((t, i) => {
        doc.deleteIn(['tags', i, 'alarms']);
        const priority = RETURNED.includes(t.name) ? 1 : t.name === SOUNDING ? 3 : null;
        if (priority !== null) doc.setIn(['tags', i, 'alarms'], doc.createNode({ badQuality: { priority, onDelayS: 0, offDelayS: 0, message: `${t.name} transmitter failed` } }));
      });
    },
  });
  await createAccount(plant.dataDir, 'olga', 'operator', PASSWORD, 'Olga Ivanova');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(plant.url);
  await signIn(page, 'olga', PASSWORD);
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

const banner = () => page.getByTestId('banner-list');
const selected = () => banner().locator('[aria-selected="true"]');

test('three P1 rows returned unacknowledged do not hide a P3 alarm sounding the horn; F10 on an RTN row selects the row now in its place', async () => {
  // Three P1 alarms, returned while unacknowledged (D).
  for (const tag of RETURNED) await plant.triggerOverOpcUa('sensorFailure', tag);
  for (const tag of RETURNED) await expect(page.locator(`[data-alarm-id="${idOf(tag)}"]`).first()).toBeAttached({ timeout: 60_000 });
  await plant.sim.clear();
  const rows = banner().locator('[data-alarm-id]');
  await expect(rows).toHaveCount(3, { timeout: 60_000 });
  await expect(banner().locator('[data-alarm-id][data-state="D"]')).toHaveCount(3, { timeout: 60_000 });

  // A new P3 alarm: it sounds the horn, and it is in the banner, where ↑ ↓ reach it.
  await plant.triggerOverOpcUa('sensorFailure', SOUNDING);
  const sounding = banner().locator(`[data-alarm-id="${idOf(SOUNDING)}"]`);
  await expect(sounding).toBeVisible({ timeout: 60_000 });
  await expect(sounding).toHaveAttribute('data-state', 'B');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('banner-more')).toBeVisible();

  await page.getByTestId('language').selectOption('ru');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page.screenshot({ path: test.info().outputPath('banner-sounding-ru.png'), clip: { x: 0, y: 0, width: 1280, height: 200 } });
  await page.getByTestId('language').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.keyboard.press('F1'); // the page takes the keys again from the language list

  for (let i = 0; i < 3 && (await sounding.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await expect(sounding).toHaveAttribute('aria-selected', 'true');

  // The first row, an RTN one: F10 acknowledges it, it leaves, and the row now in its place is selected.
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
  const first = (await rows.first().getAttribute('data-alarm-id'))!;
  const second = (await rows.nth(1).getAttribute('data-alarm-id'))!;
  await expect(rows.first()).toHaveAttribute('data-state', 'D');
  await expect(selected()).toHaveAttribute('data-alarm-id', first);
  await page.keyboard.press('F10');
  await expect(banner().locator(`[data-alarm-id="${first}"]`)).toHaveCount(0, { timeout: 30_000 });
  await expect(selected()).toHaveAttribute('data-alarm-id', second);
  await expect(rows.first()).toHaveAttribute('data-alarm-id', second);

  // And the next F10 acts on it, with no ↓ in between.
  await page.keyboard.press('F10');
  await expect(banner().locator(`[data-alarm-id="${second}"]`)).toHaveCount(0, { timeout: 30_000 });
  await expect(selected()).toHaveCount(1);
});
