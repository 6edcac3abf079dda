/**
 * One-shot shelving ends when the alarm returns to normal (specs/alarms.md, Shelving): the shelve
 * dialog offers "Until it returns to normal" for an active alarm only. On one already back to normal
 * (RTN unacknowledged) the station refuses it, so the dialog does not offer it; the timed lengths
 * stay. Checked in Chromium against the real simulator and station.
 */
import { test, expect, type Page } from '@playwright/test';
import { setInTag, startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let plant: Plant;
let page: Page;
const BAD = 'Area1.TK101.Level/quality';
const PASSWORD = 'correct-horse-battery-9';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  plant = await startPlant({
    // The failed transmitter's alarm without its 5 s on-delay and the tag's 10 s off-delay: what the
    // dialog offers in each state is looked at here, not how long the alarm takes to get there.
    configure: (doc) => {
      setInTag(doc, 'Area1.TK101.Level', ['alarms', 'badQuality', 'onDelayS'], 0);
      setInTag(doc, 'Area1.TK101.Level', ['alarms', 'badQuality', 'offDelayS'], 0);
    },
  });
  await createAccount(plant.dataDir, 'sam', 'supervisor', PASSWORD, 'Sam Chen');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(plant.url);
  await plant.triggerOverOpcUa('sensorFailure', 'Area1.TK101.Level');
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

async function openShelveDialog() {
  await page.getByTestId('summary-current').locator(`[data-alarm-id="${BAD}"]`).click();
  await page.getByTestId('alarm-detail').locator('[data-action="shelve"]').click();
  const dialog = page.getByTestId('shelve-dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

test('"until it returns to normal" is offered for an active alarm, not for one already returned (RTN unacknowledged)', async () => {
  await signIn(page, 'sam', PASSWORD);
  await page.keyboard.press('F2');
  const row = page.getByTestId('summary-current').locator(`[data-alarm-id="${BAD}"]`);
  await expect(row).toHaveAttribute('data-state', 'B', { timeout: 60_000 });
  let dialog = await openShelveDialog();
  await expect(dialog.locator('input[value="oneShot"]')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  await plant.sim.clear(); // the transmitter is good again: the alarm returns, still unacknowledged
  await expect(row).toHaveAttribute('data-state', 'D', { timeout: 60_000 });
  dialog = await openShelveDialog();
  await expect(dialog.locator('input[value="oneShot"]')).toHaveCount(0);
  await expect(dialog.locator('input[value="30"]')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
