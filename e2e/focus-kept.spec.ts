/**
 * The focus is kept when what had it leaves the page by no act of this operator: another console
 * shelves the alarm whose detail this one has the focus in (Russian, 1280x720). The detail's
 * controls went, and Chromium left the focus on <body>, where Tab starts again from the top of the
 * screen. Two consoles (two browser contexts, two operators) on one real station and simulator.
 */
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { addTestAlarms } from './alarm-config.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ timeout: 180_000 });

let plant: Plant;
const PASSWORD = 'correct-horse-battery-9';

test.beforeAll(async () => {
  test.setTimeout(240_000); // certificates and password hashes on a busy 2-core machine
  plant = await startPlant({
    seed: 43,
    configure: (doc, sim) => {
      const i = sim.tags.findIndex((t) => t.name === 'Area1.TK101.Level');
      addTestAlarms(doc, (sim.model.currentValues()[i] as number) + 3);
    },
  });
  await createAccount(plant.dataDir, 'olga', 'operator', PASSWORD, 'Olga Ivanova');
  await createAccount(plant.dataDir, 'ivan', 'operator', PASSWORD, 'Ivan Petrov');
});
test.afterAll(async () => {
  await plant?.close();
});

/** Selects alarm `id` in the summary with the arrow keys, as the operator does. */
async function selectByKeys(page: Page, id: string): Promise<void> {
  const summary = page.getByTestId('summary-current');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowUp');
  for (let i = 0; i < 40; i++) {
    if ((await summary.locator(`[data-alarm-id="${id}"]`).getAttribute('aria-selected')) === 'true') return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${id} could not be selected with the arrows`);
}

async function openConsole(page: Page, locale: string, user: string): Promise<void> {
  await page.addInitScript((l) => localStorage.setItem('vigil.locale', l), locale);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${plant.url}#/alarms`);
  await expect(page.getByTestId('summary-current')).toBeVisible();
  await signIn(page, user, PASSWORD);
}

test('Russian: the alarm in the detail shelved at another console, the focus goes to the page, where ↓ selects again', async ({ browser }) => {
  const here = await (await browser.newContext()).newPage();
  const there = await (await browser.newContext()).newPage();
  try {
    await openConsole(here, 'ru', 'olga');
    await openConsole(there, 'en', 'ivan');
    const rows = here.getByTestId('summary-current').locator('tr[data-alarm-id$="Temperature/limit"]');
    await expect(rows.first()).toBeVisible();
    const id = (await rows.first().getAttribute('data-alarm-id'))!;

    // Here: the alarm chosen, the focus on its detail's comment field (Tab from the page).
    await selectByKeys(here, id);
    const comment = here.getByTestId('ack-comment');
    for (let i = 0; i < 12 && !(await comment.evaluate((el) => el === document.activeElement)); i++) await here.keyboard.press('Tab');
    await expect(comment).toBeFocused();

    // There: the same alarm shelved by keyboard (F7, a reason, Enter: the dialog's preset length).
    await selectByKeys(there, id);
    await there.keyboard.press('F7');
    const dialog = there.getByTestId('shelve-dialog');
    await expect(dialog).toBeVisible();
    await there.keyboard.type('Sensor check');
    await there.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);

    // Here: the row and its detail go; the focus is on the page, not <body>.
    await expect(here.getByTestId('summary-current').locator(`[data-alarm-id="${id}"]`)).toHaveCount(0);
    await expect(comment).toHaveCount(0);
    await expect(here.locator('#page')).toBeFocused();
    // And the page's keys work from there: ↓ selects a row again.
    await here.keyboard.press('ArrowDown');
    await expect(here.getByTestId('summary-current').locator('[aria-selected="true"]')).toHaveCount(1);
  } finally {
    await here.context().close();
    await there.context().close();
  }
});
