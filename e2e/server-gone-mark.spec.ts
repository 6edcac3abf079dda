/**
 * A server's condition (OPC UA A&C) that returned unacknowledged and that its server then dropped
 * (a server restart: the fresh server's ConditionRefresh leaves it out) stays listed as RTN-Unack, to
 * be acknowledged at the station. It must not look like an alarm the server still reports: the
 * banner and the summary mark it, with a tooltip and a screen-reader text, and the summary's
 * message says so. Real simulator (restarted on its port), real station, Chromium at 1280x720.
 */
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

let plant: Plant;
let page: Page;
const ESD = '[data-alarm-id^="server/sim/"][data-alarm-id$="s=Area1.ESD.TripAlarm"]';

/** Fast-forwards the simulated plant until Area 1's ESD trips (every high-level switch clear first). */
function tripArea1(): void {
  const sim = plant.sim;
  const switches = sim.tags.filter((t) => t.area === 'Area1' && t.role === 'highLevelSwitch').map((t) => t.name);
  for (let i = 0; i < 100_000 && switches.some((s) => sim.model.value(s) === true); i++) sim.model.step();
  sim.trigger({ name: 'overfill', target: 'Area1.TK101' });
  for (let i = 0; i < 100_000 && sim.model.value('Area1.ESD.Tripped') !== true; i++) sim.model.step();
  expect(sim.model.value('Area1.ESD.Tripped')).toBe(true);
}

async function inLanguage(locale: string): Promise<void> {
  await page.getByTestId('language').selectOption(locale);
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  plant = await startPlant({ seed: 5 });
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(plant.url);
  await inLanguage('en');
  const esd = page.getByTestId('banner-list').locator(ESD);
  tripArea1();
  await expect(esd).toHaveAttribute('data-state', 'B', { timeout: 90_000 });
  plant.sim.clear();
  await expect(esd).toHaveAttribute('data-state', 'D', { timeout: 60_000 });
  // While its server reports it, the return is the server's: no mark.
  await expect(esd.locator('[data-badge="rtn"]')).toBeVisible();
  await expect(esd.locator('[data-badge="serverGone"]')).toHaveCount(0);
  await plant.stopSimulator();
  await plant.restartSimulator();
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

const WORDS = {
  en: { badge: 'SERVER DROPPED', title: 'Server sim no longer reports this alarm', message: '(no longer reported by server sim)' },
  ru: { badge: 'СНЯТА СЕРВЕРОМ', title: 'Сервер sim больше не сообщает об этой сигнализации', message: '(сервер sim больше не сообщает о ней)' },
  zh: { badge: '服务器已撤销', title: '服务器 sim 已不再报告此报警', message: '（服务器 sim 已不再报告）' },
} as const;

test('the banner marks the RTN-Unack its restarted server no longer reports, whole at 1280x720, in en, ru and zh', async () => {
  const esd = page.getByTestId('banner-list').locator(ESD);
  // The restarted server's refresh left it out: still D (the ack is owed), now marked.
  await expect(esd.locator('[data-badge="serverGone"]')).toBeVisible({ timeout: 90_000 });
  await expect(esd).toHaveAttribute('data-state', 'D');
  for (const [locale, words] of Object.entries(WORDS)) {
    await inLanguage(locale);
    const mark = esd.locator('[data-badge="serverGone"]');
    // The word on screen, the tooltip and the screen reader's text (the same sentence).
    await expect(mark).toContainText(words.badge);
    await expect(mark).toHaveAttribute('title', new RegExp(`^${words.title}`));
    expect(await mark.locator('.visually-hidden').textContent()).toContain(words.title);
    await expect(esd.locator('[data-badge="rtn"]')).toBeVisible();
    const cut = await mark.evaluate((m) => {
      const list = m.closest('[data-testid="banner-list"]')!.getBoundingClientRect();
      const r = m.getBoundingClientRect();
      return { hidden: Math.max(0, m.scrollWidth - m.clientWidth), past: Math.max(0, Math.round(r.right - list.right)) };
    });
    expect(cut, locale).toEqual({ hidden: 0, past: 0 });
    await page.screenshot({ path: test.info().outputPath(`banner-server-gone-${locale}.png`), clip: { x: 0, y: 0, width: 1280, height: 180 } });
  }
});

test('the summary marks it too, and its message says the server no longer reports it', async () => {
  await page.keyboard.press('F2');
  const row = page.getByTestId('summary-current').locator(ESD);
  for (const [locale, words] of Object.entries(WORDS)) {
    await inLanguage(locale);
    await expect(row.locator('[data-badge="serverGone"]')).toContainText(words.badge);
    await expect(row.locator('[data-badge="serverGone"]')).toHaveAttribute('title', new RegExp(`^${words.title}`));
    await expect(row).toContainText(words.message);
  }
  await page.screenshot({ path: test.info().outputPath('summary-server-gone-zh.png') });
});
