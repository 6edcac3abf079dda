/**
 * A shift operator's keyboard-only walk through the console at 1280x720 (sign in, pages, alarms,
 * a trend, a pen, a range, a CSV export, the handover), and what it found: a sign-in, a handover
 * and a sign-out said nothing a screen reader hears (and a refusal for the last user stayed on
 * screen after the sign-in); the CSV export's result was not read with the Close button that
 * takes the focus; the trend's pen box lay 19 Tab stops away with no key of its own, and a pen
 * added or a range chosen by key was not told. Expectations are literals and resources/station.yaml.
 */
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let plant: Plant;
let page: Page;
const PETROV = 'Tanks-North-night-41';
const IVANOVA = 'Tanks-North-day-2026';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000); // certificates and two password hashes on a busy 2-core machine
  plant = await startPlant(53);
  await createAccount(plant.dataDir, 'petrov', 'operator', PETROV, 'Pyotr Petrov');
  await createAccount(plant.dataDir, 'ivanova', ['operator', 'engineer'], IVANOVA, 'Olga Ivanova');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

/** The foot line every answer is written on: a live region from the start, so a screen reader reads what comes into it. */
const notice = () => page.getByTestId('alarm-notice');

test('a sign-in, a shift handover and a sign-out are each said on the live notice line, and a refusal for the last user leaves', async () => {
  await page.goto(`${plant.url}#/trends`);
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await expect(notice()).toHaveAttribute('aria-live', 'assertive');
  await page.keyboard.press('F3');
  await page.keyboard.press('e'); // view only: the export is refused, naming its permission
  await expect(notice()).toContainText('Sign in first');

  await signIn(page, 'petrov', PETROV);
  await expect(notice()).toHaveText('Signed in: Pyotr Petrov (Operator).');

  // The handover: the next operator signs in at F12 over the running session.
  await signIn(page, 'ivanova', IVANOVA);
  await expect(notice()).toHaveText('Signed in: Olga Ivanova (Operator and Engineer). The session of Pyotr Petrov ended.');

  // Sign out by keys: F12, then Tab past the name, the password and "Sign in" to "Sign out".
  await page.keyboard.press('F12');
  await expect(page.getByTestId('sign-in-user')).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await expect(page.getByTestId('sign-out')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('view-only')).toBeVisible();
  await expect(notice()).toHaveText('Signed out.');
});

test('on the trends "/" takes the focus to the pen box; a pen added and a range chosen by key are said', async () => {
  await page.goto(`${plant.url}#/trends?tags=Area1.TK101.Level&live=10m`);
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await page.keyboard.press('F3'); // the page has the keys
  await expect(page.locator('#page')).toBeFocused();
  await expect(page.getByTestId('trend-keys')).toContainText('/ add a pen');
  await page.keyboard.press('/');
  const search = page.getByTestId('pen-search');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue(''); // the key found, it did not type
  await page.keyboard.type('Area1.TK102.Level');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-pen="Area1.TK102.Level"]')).toBeVisible();
  const pensSpoken = page.getByTestId('pens-spoken');
  await expect(pensSpoken).toHaveAttribute('aria-live', 'polite');
  await expect(pensSpoken).toHaveText('Pen added: Area1.TK102.Level (2 of 16).');

  // Esc gives the keys back to the page; 2 is "last 1 h" (the page's key list).
  await page.keyboard.press('Escape');
  await expect(page.locator('#page')).toBeFocused();
  await page.keyboard.press('2');
  await expect(page.getByTestId('trends-page')).toHaveAttribute('data-view-mode', 'history');
  const viewSpoken = page.getByTestId('trend-view-spoken');
  await expect(viewSpoken).toHaveAttribute('aria-live', 'polite');
  // The range as the line under the chart writes it, after the word for the view.
  await expect(viewSpoken).toHaveText(`History: ${await page.getByTestId('trend-range').innerText()}`);
  await page.keyboard.press('l');
  await expect(viewSpoken).toHaveText(/^Live: /);
});

test('the CSV export\'s result is read with the Close button that takes the focus, and Esc gives the focus back to the page', async () => {
  await page.goto(`${plant.url}#/trends?tags=Area1.TK101.Level&live=10m`);
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await signIn(page, 'petrov', PETROV);
  await page.keyboard.press('F3');
  await expect(page.locator('#page')).toBeFocused();
  await page.keyboard.press('e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('export-raw')).toBeFocused();
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  await download;
  const close = dialog.getByRole('button', { name: 'Close' });
  await expect(close).toBeFocused();
  await expect(close).toHaveAccessibleDescription(/^Downloaded as vigil-trend-Tank-Farm-North-\d{8}-\d{4}Z-raw\.csv \d+ rows?, /);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.locator('#page')).toBeFocused();
});

test('the sign-out countdown is said once, not every second over the alarms, and the sign-out it ends in is said', async ({ browser }) => {
  // A station of its own: 9 s without input signs out, the countdown showing the last 5 s (as e2e/accounts.spec.ts).
  const idle = await startPlant({ seed: 54, configure: (doc) => void doc.set('accounts', { inactivitySignOutMin: 0.15, inactivityWarningSec: 5 }) });
  const own = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await createAccount(idle.dataDir, 'petrov', 'operator', PETROV, 'Pyotr Petrov');
    await own.goto(idle.url);
    await own.keyboard.press('F1');
    await own.keyboard.press('F12');
    await own.keyboard.type('petrov');
    await own.keyboard.press('Tab');
    await own.keyboard.type(PETROV);
    await own.keyboard.press('Enter');
    const warning = own.getByTestId('inactivity-warning');
    await expect(warning).toBeVisible({ timeout: 30_000 });
    const alert = own.getByRole('alert').filter({ hasText: 'will be signed out' });
    await expect(alert).toHaveCount(1);
    const said = await alert.textContent();
    expect(said).toMatch(/^Pyotr Petrov will be signed out in 5\s?s for lack of input\. Press any key to stay signed in\.$/);
    // The countdown moves on screen; what the screen reader was given does not change.
    const shown = await warning.innerText();
    await expect.poll(() => warning.innerText(), { timeout: 10_000 }).not.toBe(shown);
    expect(await alert.textContent()).toBe(said);
    await expect(own.getByTestId('alarm-notice')).toHaveText(/^Signed out after 9\s?s without input\.$/, { timeout: 15_000 });
  } finally {
    await own.close();
    await idle.close();
  }
});
