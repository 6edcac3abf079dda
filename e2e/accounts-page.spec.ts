/**
 * The Accounts page from the keyboard. Disabling an account signs its holder out everywhere at
 * once, so the page asks first: a dialog naming the account and saying that its sessions end
 * (Cancel has the focus; Esc keeps the account; Shift+Tab, Enter disables it). The account form
 * gives the focus back to the button that opened it (it fell to <body> when the form closed), and
 * its error goes with it. Each row's buttons are named with the account; Enable keeps the focus on
 * its row as Disable does.
 */
import { test, expect } from '@playwright/test';
import { createAccount, signIn } from './accounts.js';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;

// Sign-ins hash with the real scrypt costs, and the accounts come from CLI child processes.
test.describe.configure({ timeout: 180_000 });
test.beforeAll(async () => {
  plant = await startPlant(31);
  await createAccount(plant.dataDir, 'chief', 'administrator', 'station admin key 9', 'Chief Admin');
  await createAccount(plant.dataDir, 'ivanova', 'operator', 'tank farm shift 4', 'A. Ivanova');
});
test.afterAll(async () => {
  await plant?.close();
});

test('disabling an account asks first, by keyboard, naming it and saying its sessions end', async ({ browser, page }) => {
  // Ivanova is signed in at another console: disabling her account must sign her out there.
  const desk = await browser.newPage();
  await desk.goto(plant.url);
  await signIn(desk, 'ivanova', 'tank farm shift 4');

  await page.goto(plant.url);
  await signIn(page, 'chief', 'station admin key 9');
  await page.keyboard.press('Alt+8');
  const row = page.locator('[data-testid="accounts-table"] tr[data-user="ivanova"]');
  await expect(row).toContainText('Active');
  // Each row's buttons say whose account they change (they all read "Change", "Disable" otherwise).
  for (const name of ['Change ivanova', 'New password for ivanova', 'Disable ivanova']) await expect(row.getByRole('button', { name, exact: true })).toBeVisible();
  const disable = row.getByRole('button', { name: 'Disable' });
  await disable.focus();
  await page.keyboard.press('Enter');

  const dialog = page.getByTestId('account-disable-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('Disable the account ivanova (A. Ivanova)?');
  await expect(dialog).toContainText('Its sessions end now');
  // Cancel has the focus: an Enter pressed by habit changes nothing.
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(disable).toBeFocused();
  await expect(row).toContainText('Active');
  await expect(desk.getByTestId('user-chip')).toHaveAttribute('data-user', 'ivanova');

  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByTestId('account-disable-yes')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('accounts-notice')).toHaveText('Account ivanova disabled: its sessions ended.');
  await expect(row).toContainText('Disabled');
  // The focus stays on the row, on the button that now enables it again.
  await expect(row.getByRole('button', { name: 'Enable ivanova', exact: true })).toBeFocused();
  await expect(desk.getByTestId('view-only')).toBeVisible();
  // Enable, from the keyboard: the focus stays on the row, now on its Disable (it fell to <body>).
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('accounts-notice')).toHaveText('Account ivanova enabled.');
  await expect(row.getByRole('button', { name: 'Disable ivanova', exact: true })).toBeFocused();
  await desk.close();
});

test('the question in Russian and Chinese', async ({ page }) => {
  await page.goto(plant.url);
  await signIn(page, 'chief', 'station admin key 9');
  await page.keyboard.press('Alt+8');
  await page.getByTestId('language').selectOption('ru');
  const disable = page.locator('[data-testid="accounts-table"] tr[data-user="chief"] button[data-action="disable"]');
  await disable.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('account-disable-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Отключить учётную запись chief (Chief Admin)?');
  await expect(dialog).toContainText('Её сеансы завершатся сразу');
  await expect(dialog.getByTestId('account-disable-yes')).toHaveText('Отключить');
  await page.keyboard.press('Escape');
  await page.getByTestId('language').selectOption('zh');
  await disable.focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('heading')).toHaveText('停用账户 chief（Chief Admin）？');
  await expect(dialog).toContainText('其会话将立即结束');
  // The last administrator: the station refuses, and says why.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('accounts-error')).toHaveText('“chief”是最后一位启用的管理员：请先指定另一位管理员。');
  await expect(disable).toBeFocused();
  // The station's refusal is said in the console's language at the time, not the one it came in.
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByTestId('accounts-error')).toHaveText('“chief” is the last enabled administrator: make another administrator first.');
});

test('the account form gives the focus back to the button that opened it: saved, cancelled or Esc', async ({ page }) => {
  await page.goto(plant.url);
  await signIn(page, 'chief', 'station admin key 9');
  await page.keyboard.press('Alt+8');
  const form = page.getByTestId('account-form');
  const create = page.getByTestId('account-new');
  await create.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-user')).toBeFocused();
  // The focus ring (3 px, 2 px off the field) covered the foot of the field's name and the top of
  // the rule under it, while the operator typed: in each language each ring keeps clear of both.
  const covered = () => page.evaluate(() => {
    const a = document.activeElement as HTMLElement;
    const s = getComputedStyle(a);
    const out = (s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth)) + parseFloat(s.outlineOffset);
    const r = a.getBoundingClientRect();
    return [...a.closest('label')!.querySelectorAll('span, small')]
      .filter((el) => { const q = el.getBoundingClientRect(); return q.bottom > r.top - out + 0.5 && q.top < r.bottom + out - 0.5; })
      .map((el) => el.textContent);
  });
  for (const locale of ['ru', 'zh', 'en'] as const) {
    await page.getByTestId('language').selectOption(locale);
    for (const field of ['account-user', 'account-display-name', 'account-password', 'account-repeat']) {
      await page.getByTestId(field).focus();
      expect(await covered(), `${locale} ${field}`).toEqual([]);
    }
  }
  // The same in the sign-in dialog (F12: a shift handover is typed there).
  await page.keyboard.press('F12');
  await expect(page.getByTestId('sign-in-user')).toBeFocused();
  for (const field of ['sign-in-user', 'sign-in-password']) {
    await page.getByTestId(field).focus();
    expect(await covered(), field).toEqual([]);
  }
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sign-in-dialog')).toBeHidden();
  await page.getByTestId('account-user').focus();
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect(create).toBeFocused();

  // A user name the form refuses: the error names the field; Esc takes it away with the form.
  await page.keyboard.press('Enter');
  await page.keyboard.type('Bad Name');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('accounts-error')).toHaveText('User name: use lower-case letters, digits and . _ -, starting with a letter.');
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect(page.getByTestId('accounts-error')).toHaveCount(0);
  await expect(create).toBeFocused();

  // A new account, typed and saved from the keyboard.
  await page.keyboard.press('Enter');
  await page.keyboard.type('petrov');
  await page.keyboard.press('Tab');
  await page.keyboard.type('P. Petrov');
  await page.getByTestId('account-password').focus();
  await page.keyboard.type('control room night');
  await page.keyboard.press('Tab');
  await page.keyboard.type('control room night');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('accounts-notice')).toHaveText('Account petrov created.');
  await expect(form).toBeHidden();
  await expect(create).toBeFocused();
  // The notice is said in the console's language at the time, not the one it was made in.
  await page.getByTestId('language').selectOption('ru');
  await expect(page.getByTestId('accounts-notice')).toHaveText('Учётная запись petrov создана.');
  await page.getByTestId('language').selectOption('en');

  // Change from a row, then Cancel: back on that row's Change.
  const change = page.locator('[data-testid="accounts-table"] tr[data-user="petrov"]').getByRole('button', { name: 'Change' });
  await change.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-display-name')).toBeFocused();
  await form.getByRole('button', { name: 'Cancel' }).focus();
  await page.keyboard.press('Enter');
  await expect(form).toBeHidden();
  await expect(change).toBeFocused();
});

test('one\'s own row offers Change password (the current one asked), not a reset: the station refuses an administrator\'s reset of their own', async ({ page }) => {
  await page.goto(plant.url);
  await signIn(page, 'chief', 'station admin key 9');
  await page.keyboard.press('Alt+8');
  const own = page.locator('[data-testid="accounts-table"] tr[data-user="chief"]');
  const other = page.locator('[data-testid="accounts-table"] tr[data-user="ivanova"]');
  await expect(other.getByRole('button', { name: 'New password for ivanova' })).toBeVisible();
  await expect(own.getByRole('button', { name: /New password/ })).toHaveCount(0);
  await own.getByRole('button', { name: 'Change password' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('change-password-dialog');
  await expect(dialog).toBeVisible();
  // The dialog asks for the current password, as the user chip's does.
  await expect(page.getByTestId('change-password-current')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
