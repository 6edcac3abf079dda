/**
 * What Tab reaches is never under the foot line (the notice and the focused value's detail, fixed
 * over the page's foot, App.svelte) at 1280x720, in Russian and Chinese: Chromium scrolls a control
 * Tab reaches only when it is out of the page's box, and one in the box's last ~60 px was left under
 * the line (a tag's value under its own detail, the new account's Save under a notice). The
 * expectation is geometry: the focused control's bottom against the foot line's top.
 */
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let plant: Plant;
const PASSWORD = 'correct-horse-battery-9';

test.beforeAll(async () => {
  test.setTimeout(240_000); // certificates and password hashes on a busy 2-core machine
  plant = await startPlant(41);
  await createAccount(plant.dataDir, 'olga', 'operator', PASSWORD, 'Olga Ivanova');
  await createAccount(plant.dataDir, 'admin', ['administrator', 'operator'], PASSWORD, 'Anna Admin');
});
test.afterAll(async () => {
  await plant?.close();
});

async function open(page: Page, locale: string): Promise<void> {
  await page.addInitScript((l) => localStorage.setItem('vigil.locale', l), locale);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${plant.url}#/overview`);
  await expect(page.getByTestId('user-chip')).toBeVisible();
}

/**
 * How far the focused control in the page reaches under the foot line (px; 0: clear of it), what it
 * is, and the notice's kind (read together: a notice gone after its seconds leaves the line short).
 */
const underFoot = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    const main = document.getElementById('page');
    const notice = document.querySelector('[data-testid="alarm-notice"]')!.getAttribute('data-kind');
    if (!a || !main || a === main || !main.contains(a)) return { px: 0, what: a?.tagName ?? '', notice };
    const footTop = document.querySelector('[data-testid="foot-line"]')!.getBoundingClientRect().top;
    return { px: Math.max(0, Math.round(a.getBoundingClientRect().bottom - footTop)), what: a.getAttribute('aria-label') ?? a.textContent?.trim() ?? a.tagName, notice };
  });

/** F7 with no alarm selected: the notice "select an alarm first" stands on the foot line (an answer an operator often has there). */
async function noticeUp(page: Page): Promise<void> {
  await page.keyboard.press('F7');
  await expect(page.getByTestId('alarm-notice')).toHaveAttribute('data-kind', 'info');
}

test('Chinese, the tag list: each value, link and button Tab reaches is clear of the notice and the value\'s own detail', async ({ page }) => {
  await open(page, 'zh');
  await signIn(page, 'olga', PASSWORD);
  await page.keyboard.press('F4');
  await expect(page.getByTestId('tag-filter')).toBeVisible();
  let values = 0;
  // Down the list well past the page's first screen (rows of a link, a value and a button).
  for (let i = 0; i < 45; i++) {
    await noticeUp(page);
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('lv') === true)) {
      values++;
      await expect(page.getByTestId('value-detail')).toBeVisible();
    }
    await expect.poll(() => underFoot(page), { message: `Tab stop ${i + 1}` }).toEqual({ px: 0, what: expect.anything(), notice: 'info' });
  }
  expect(values).toBeGreaterThan(10);
});

test('Russian, a new account: its Save button, reached by Tab under a notice, is clear of it', async ({ page }) => {
  await open(page, 'ru');
  await signIn(page, 'admin', PASSWORD);
  await page.keyboard.press('Alt+8');
  const create = page.getByTestId('account-new');
  await expect(create).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(create).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-user')).toBeFocused();
  const save = page.getByRole('button', { name: 'Сохранить' });
  for (let i = 0; i < 12 && !(await save.evaluate((b) => b === document.activeElement)); i++) {
    await noticeUp(page);
    await page.keyboard.press('Tab');
  }
  await expect(save).toBeFocused();
  await expect.poll(() => underFoot(page)).toEqual({ px: 0, what: 'Сохранить', notice: 'info' });
});
