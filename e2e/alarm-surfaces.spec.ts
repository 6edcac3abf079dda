/**
 * What an operator's review of the alarm screens found, checked in Chromium against the real
 * simulator and station: a bad-quality alarm's value (the last usable one) is marked suspect on
 * every surface, never shown as a live reading; a view-only console is offered no action, and an
 * action key there says to sign in, naming the permission, and opens no dialog; the dialogs' "A reason
 * is required." goes once a reason is typed; and leaving the Alarms page (F2) lets go of all of it (it kept ~400 DOM nodes
 * per visit). Only what the station would do is offered: no Shelve where the user's roles have no shelve maximum
 * (here the operator's is not configured), no CSV export (journal, trends) without data.export.
 */
import { test, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
    // A site where only supervisors shelve: an operator's role has no shelve maximum (config: "a role not listed may not shelve").
    configure: (doc) => {
      doc.setIn(['alarms', 'shelving', 'maxMinutes'], { supervisor: 1440 });
      // The failed levels' alarms without their 5 s on-delay: the alarms, not their delay, are what is looked at here.
      for (const tag of ['Area1.TK101.Level', 'Area1.TK102.Level']) setInTag(doc, tag, ['alarms', 'badQuality', 'onDelayS'], 0);
    },
  });
  await createAccount(plant.dataDir, 'sam', 'supervisor', PASSWORD, 'Sam Chen');
  await createAccount(plant.dataDir, 'olga', 'operator', PASSWORD, 'Olga Ivanova');
  // An administrator manages accounts and does not operate the plant: no data.export.
  await createAccount(plant.dataDir, 'ada', 'administrator', PASSWORD, 'Ada Admin');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(plant.url);
  await plant.triggerOverOpcUa('sensorFailure', 'Area1.TK101.Level');
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

const banner = () => page.getByTestId('banner-list');

test('a bad-quality alarm\'s value is marked SUSPECT and drawn as not live in the banner, the summary and the detail', async () => {
  const row = banner().locator(`[data-alarm-id="${BAD}"]`);
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row.locator('[data-badge="suspect"]')).toBeVisible();
  await expect(row.getByTestId('alarm-value')).toHaveAttribute('data-not-live', 'true');
  // Grey and italic, as the overview draws the same tag's value.
  expect(await row.getByTestId('alarm-value').evaluate((e) => getComputedStyle(e).fontStyle)).toBe('italic');

  await page.keyboard.press('F2');
  const summaryRow = page.getByTestId('summary-current').locator(`[data-alarm-id="${BAD}"]`);
  await expect(summaryRow.locator('[data-badge="suspect"]')).toBeVisible();
  await expect(summaryRow.getByTestId('alarm-value')).toHaveAttribute('data-not-live', 'true');
  await summaryRow.click();
  const detail = page.getByTestId('alarm-detail');
  await expect(detail.locator('[data-badge="suspect"]')).toBeVisible();
  await expect(detail.getByTestId('alarm-value')).toHaveAttribute('data-not-live', 'true');
});

test('a view-only console is offered no alarm action; O and F7 say to sign in, naming the permission, and open no dialog', async () => {
  await page.keyboard.press('F2');
  await page.getByTestId('summary-current').locator(`[data-alarm-id="${BAD}"]`).click({ timeout: 60_000 });
  const detail = page.getByTestId('alarm-detail');
  await expect(detail.locator('[data-action="display"]')).toBeVisible();
  for (const action of ['ack', 'reset', 'shelve', 'unshelve', 'outOfService', 'returnToService']) await expect(detail.locator(`[data-action="${action}"]`)).toHaveCount(0);
  const notice = page.getByTestId('alarm-notice');
  await page.locator('#page').focus();
  await page.keyboard.press('o');
  await expect(notice).toHaveAttribute('data-kind', 'refused');
  await expect(notice).toHaveText('Sign in first: this needs the permission “Take alarms out of service”.');
  await expect(page.getByTestId('oos-dialog')).toHaveCount(0);
  await page.keyboard.press('F7');
  await expect(notice).toHaveText('Sign in first: this needs the permission “Shelve alarms”.');
  await expect(page.getByTestId('shelve-dialog')).toHaveCount(0);
});

test('an operator whose role has no shelve maximum is offered no Shelve; F7 says so at once and opens no dialog', async () => {
  await signIn(page, 'olga', PASSWORD);
  await page.keyboard.press('F2');
  await page.getByTestId('summary-current').locator(`[data-alarm-id="${BAD}"]`).click({ timeout: 60_000 });
  const detail = page.getByTestId('alarm-detail');
  await expect(detail.locator('[data-action="display"]')).toBeVisible();
  await expect(detail.locator('[data-action="shelve"]')).toHaveCount(0);
  await page.locator('#page').focus();
  await page.keyboard.press('F7');
  const notice = page.getByTestId('alarm-notice');
  await expect(notice).toHaveAttribute('data-kind', 'refused');
  await expect(notice).toHaveText('Your role may not shelve alarms.');
  await expect(page.getByTestId('shelve-dialog')).toHaveCount(0);
});

test('CSV export (the alarm journal, trends) is offered only with data.export; E without it names the permission', async () => {
  // The operator holds data.export: the journal offers its export.
  await page.keyboard.press('F2');
  await page.locator('#tab-journal').click();
  await expect(page.getByTestId('journal')).toBeVisible();
  await expect(page.getByTestId('journal-export')).toBeVisible();

  await signIn(page, 'ada', PASSWORD);
  await expect(page.getByTestId('journal')).toBeVisible();
  await expect(page.getByTestId('journal-export')).toHaveCount(0);
  // The alarm's trend (Enter on the selected alarm): a page with a pen, whose export the administrator is not offered.
  await page.locator('#tab-current').click();
  await page.getByTestId('summary-current').locator(`[data-alarm-id="${BAD}"]`).click();
  await page.locator('#page').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await expect(page.getByTestId('snapshot-button')).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('groups-button')).toBeVisible();
  await expect(page.getByTestId('export-button')).toHaveCount(0);
  await page.locator('#page').focus();
  await page.keyboard.press('e');
  const notice = page.getByTestId('alarm-notice');
  await expect(notice).toHaveAttribute('data-kind', 'refused');
  await expect(notice).toHaveText('ada may not do this: it needs the permission “Export data”.');
  await expect(page.getByTestId('export-dialog')).toHaveCount(0);
});

test('"A reason is required." goes once a reason is typed: shelve and out of service', async () => {
  // A supervisor: he may shelve and take an alarm out of service.
  await signIn(page, 'sam', PASSWORD);
  await page.keyboard.press('F2');
  await page.getByTestId('summary-current').locator(`[data-alarm-id="${BAD}"]`).click({ timeout: 60_000 });
  await page.getByTestId('alarm-detail').locator('[data-action="shelve"]').click();
  const shelve = page.getByTestId('shelve-dialog');
  await shelve.locator('input[name="reason"]').focus();
  await page.keyboard.press('Enter');
  await expect(shelve.getByTestId('shelve-problem')).toContainText(/reason is required/i);
  await page.keyboard.type('Transmitter');
  await expect(shelve.getByTestId('shelve-problem')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(shelve).toHaveCount(0);

  await page.getByTestId('alarm-detail').locator('[data-action="outOfService"]').click();
  const oos = page.getByTestId('oos-dialog');
  await oos.locator('input[name="reason"]').focus();
  await page.keyboard.press('Enter');
  await expect(oos.getByRole('alert')).toContainText(/reason is required/i);
  await page.keyboard.type('Transmitter');
  await expect(oos.getByRole('alert')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(oos).toHaveCount(0);
});

test('leaving the Alarms page lets go of it: 20 visits keep no DOM nodes', async () => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const nodes = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'Nodes')!.value;
  };
  const roundTrip = async () => {
    await page.keyboard.press('F2');
    await expect(page.getByTestId('summary-current')).toBeVisible();
    await page.keyboard.press('F1');
    await expect(page.getByTestId('summary-current')).toHaveCount(0);
  };
  await roundTrip(); // first visit: templates and caches made once
  const before = await nodes();
  for (let i = 0; i < 20; i++) await roundTrip();
  // Each visit kept its whole page (~400 nodes); the rest of the screen moves a little (values, clock).
  expect(await nodes()).toBeLessThan(before + 300);
  await cdp.detach();
});

test('an alarm journal that is not writing shows in the header; the alarm still reaches the list, and is journaled once it writes again', async () => {
  const chip = page.getByTestId('alarm-journal-chip');
  await expect(chip).toHaveCount(0);
  const failed = 'Area1.TK102.Level/quality';
  // Another program (a DB browser) holds alarms.sqlite's write lock: the journal's writes fail.
  const other = new Database(join(plant.dataDir, 'alarms.sqlite'));
  try {
    other.exec('BEGIN IMMEDIATE');
    await plant.triggerOverOpcUa('sensorFailure', 'Area1.TK102.Level');
    await expect(chip).toHaveText('ALARM JOURNAL NOT WRITING', { timeout: 30_000 });
    await expect(chip).toHaveAttribute('title', /not being written to the alarm journal since \d\d:\d\d:\d\d: database is locked/);
    await page.keyboard.press('F2');
    await expect(page.getByTestId('summary-current').locator(`[data-alarm-id="${failed}"]`)).toBeVisible();
  } finally {
    other.close(); // rolls back: the lock is gone
  }
  await expect(chip).toHaveCount(0, { timeout: 30_000 });
  const journal = new Database(join(plant.dataDir, 'alarms.sqlite'), { readonly: true });
  try {
    expect(journal.prepare("SELECT event FROM journal WHERE alarm_id = ? AND event = 'activated'").pluck().all(failed)).toEqual(['activated']);
  } finally {
    journal.close();
  }
});
