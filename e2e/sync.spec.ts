/**
 * The Sync page in Debian's Chromium against the real station, with an
 * upstream nothing listens on: the sync alarm is written in the console's
 * language, with its figures formatted by locale, its last error too (the
 * connection refused, not Node's ECONNREFUSED).
 */
import { test, expect } from '@playwright/test';
import { closedPort } from './closed-port.js';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.beforeAll(async () => {
  const port = await closedPort();
  plant = await startPlant({
    seed: 31,
    configure: (doc) => {
      doc.set('sync', { backlogAlarmAfterSec: 1, upstreams: [{ id: 'region', url: `http://127.0.0.1:${port}`, flavour: 'victoriametrics' }] });
    },
  });
});
test.afterAll(async () => {
  await plant?.close();
});

for (const [locale, behind, lastError, englishLeft] of [
  ['ru', /^Передача отстаёт: жд(ёт|ут)\s\d{1,3}(\s\d{3})*\sзапис(ь|и|ей), старейшая\s\d+\s(с|мин)[^(]*\(последняя ошибка: в соединении отказано\)/, 'последняя ошибка', /records wait|the oldest for/],
  ['zh', /^同步滞后：\d{1,3}(,\d{3})*条待发送，最早\s\d+(秒|分)[^（]*（最近错误：连接被拒绝）/, '最近错误', /records wait|the oldest for/],
  ['en', /^Sync behind: \d{1,3}(,\d{3})*\srecords? waits?, oldest\s\d+\s(s|min)[^(]*\(last error: connection refused\)/, 'last error', /the oldest for \d+ min/],
] as const) {
  test(`a sync alarm reads in the console's language (${locale}): the backlog, its age and the last error`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript((l) => localStorage.setItem('vigil.locale', l), locale);
    await page.goto(`${plant.url}#/sync`);
    const alarm = page.getByTestId('sync-alarm');
    await expect(alarm).toBeVisible({ timeout: 30_000 });
    await expect(alarm).toContainText(lastError, { timeout: 30_000 });
    const text = (await alarm.textContent())?.trim() ?? '';
    expect(text).toMatch(behind);
    expect(text).not.toMatch(englishLeft);

    // The header fits 1280 px with the sync alarm's chip shown (it was 30-120 px past the window in English and
    // Russian: the date cut, a horizontal scrollbar on every page): every chip and the clock whole inside the window.
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect(page.getByTestId('sync-chip')).toHaveAttribute('data-state', 'alarm');
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `${locale}: the page's width at 1280 px` }).toBeLessThanOrEqual(1280);
    const header = await page.evaluate(() => {
      const parts = [...document.querySelectorAll<HTMLElement>('header .links > *, header .user, header [data-testid="clock"], header .ident')];
      return {
        outside: parts.filter((el) => { const r = el.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; }).map((el) => el.textContent?.trim()),
        clockCut: ((c) => c.scrollWidth > c.clientWidth + 1)(document.querySelector<HTMLElement>('[data-testid="clock"]')!),
        top: document.querySelector('header')!.getBoundingClientRect().top,
      };
    });
    expect(header, `${locale} at 1280 px`).toEqual({ outside: [], clockCut: false, top: 0 });
    // Russian's chips in their short forms: the header's measure, which set a state and set it back within one pass (the
    // roles and the name given room, then returned it), ran its effect again without end (Svelte's effect_update_depth_exceeded).
    if (locale === 'ru') await expect(page.locator('header')).toHaveAttribute('data-chips', 'short');
    expect(errors, `${locale}: errors in the page`).toEqual([]);
    if (locale !== 'en') return;
    // A "Send again" answer (nobody signed in: the station's refusal) is worded when shown: switched to Russian, it reads in Russian (it stayed in English).
    await page.getByRole('button', { name: 'Send again' }).click();
    await expect(page.getByTestId('sync-message')).toHaveText('Sign in first: this needs the permission “Manage upstream transfer”.');
    await page.getByTestId('language').selectOption('ru');
    await expect(page.getByTestId('sync-message')).toHaveText('Сначала войдите в систему: нужно право «Управление передачей данных».');
  });
}
