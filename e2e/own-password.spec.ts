/**
 * A signed-in user changes their own password from the user chip, by keyboard only (IEC 62443-3-3
 * SR 1.5): a wrong current password, a new one the rules refuse and two that differ each get their
 * message; then the password changes, the console stays signed in, and the same user's session at
 * another console ends. The new password signs in; the old one no longer does.
 */
import { test, expect, type Page } from '@playwright/test';
import { createAccount, signIn } from './accounts.js';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;
const OLD = 'tank farm shift 4';
const NEW = 'north pumps at dawn';

// Sign-ins and the password check hash with the real scrypt costs; the account comes from a CLI child process.
test.describe.configure({ timeout: 180_000 });
test.beforeAll(async () => {
  plant = await startPlant(43);
  await createAccount(plant.dataDir, 'ivanova', 'operator', OLD, 'A. Ivanova');
});
test.afterAll(async () => {
  await plant?.close();
});

/** Shift+Tab from the page back up to the element with the test id (the header comes before the page); fails after `most` presses. */
async function tabBackTo(page: Page, testid: string, most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await page.evaluate((id) => (document.activeElement as HTMLElement | null)?.dataset.testid === id, testid)) return;
    await page.keyboard.press('Shift+Tab');
  }
  throw new Error(`${testid} never took the focus in ${most} presses of Shift+Tab`);
}

/** Replaces what the focused field holds, by keyboard. */
async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

test('the user chip changes one\'s own password by keyboard; the other console of the account is signed out, this one is not', async ({ browser, page }) => {
  // Ivanova is signed in at another desk too: the change must end that session.
  const desk = await browser.newPage();
  await desk.goto(plant.url);
  await signIn(desk, 'ivanova', OLD);

  await page.goto(plant.url);
  await signIn(page, 'ivanova', OLD);
  await tabBackTo(page, 'change-password');
  await expect(page.getByTestId('change-password')).toHaveAccessibleName('Change password');
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('change-password-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('Change your password');
  await expect(dialog).toContainText('Account: A. Ivanova (ivanova)');
  const current = dialog.getByTestId('change-password-current');
  const fresh = dialog.getByTestId('change-password-new');
  const repeat = dialog.getByTestId('change-password-repeat');
  const alert = dialog.getByRole('alert');
  await expect(current).toBeFocused();

  // A wrong current password: said so, the field emptied and focused for another try.
  await page.keyboard.type('not my password');
  await page.keyboard.press('Tab');
  await page.keyboard.type(NEW);
  await page.keyboard.press('Tab');
  await page.keyboard.type(NEW);
  await page.keyboard.press('Enter');
  await expect(alert).toHaveText('The current password is wrong.', { timeout: 30_000 });
  await expect(current).toBeFocused();
  await expect(current).toHaveValue('');

  // A new password the rules refuse: the rule named (README: at least 10 characters).
  await page.keyboard.type(OLD);
  await page.keyboard.press('Tab');
  await retype(page, 'short');
  await page.keyboard.press('Tab');
  await retype(page, 'short');
  await page.keyboard.press('Enter');
  await expect(alert).toHaveText('The password must be at least 10 characters long.');
  await expect(fresh).toBeFocused();

  // Two that differ never leave the console.
  await retype(page, NEW);
  await page.keyboard.press('Tab');
  await retype(page, `${NEW}!`);
  await page.keyboard.press('Enter');
  await expect(alert).toHaveText('The two passwords differ.');
  await expect(repeat).toBeFocused();

  await retype(page, NEW);
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('change-password-done')).toHaveText('Your password is changed. 1 other session of your account was signed out.', { timeout: 30_000 });
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  // The focus goes back to the key that opened the dialog.
  await expect(page.getByTestId('change-password')).toBeFocused();

  // This console stays signed in; the other desk is told why it was signed out.
  await expect(page.getByTestId('user-chip')).toHaveAttribute('data-user', 'ivanova');
  await expect(desk.getByTestId('view-only')).toBeVisible();
  await expect(desk.getByTestId('session-ended')).toHaveText('Signed out: the password of the account was changed.');
  await expect(page.getByTestId('user-chip')).toHaveAttribute('data-user', 'ivanova');

  // The old password signs in no more; the new one does.
  await desk.keyboard.press('F12');
  const signInDialog = desk.getByTestId('sign-in-dialog');
  await desk.keyboard.type('ivanova');
  await desk.keyboard.press('Tab');
  await desk.keyboard.type(OLD);
  await desk.keyboard.press('Enter');
  await expect(signInDialog.getByTestId('sign-in-error')).toHaveText('Wrong user name or password.', { timeout: 30_000 });
  await desk.keyboard.press('Escape');
  await expect(signInDialog).toBeHidden();
  await signIn(desk, 'ivanova', NEW);
  await desk.close();
});
