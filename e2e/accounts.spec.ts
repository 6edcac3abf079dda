/**
 * Accounts in Debian's Chromium against the real station: the first
 * administrator, sign-in and switch user by keyboard, a refused action
 * with its message, the Audit page listing it; browser mode beyond
 * loopback (refused without TLS; with TLS nothing but sign-in until someone
 * signs in).
 */
import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlant, stationEntry, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';
import { AuditTrail } from '../app/main/accounts/audit/trail.js';

const root = new URL('..', import.meta.url).pathname;
let plant: Plant;

// Sign-ins hash with the real scrypt costs (about half a second each on an idle machine), and accounts come from CLI child processes.
test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.beforeAll(async () => {
  plant = await startPlant(23);
});
test.afterAll(async () => {
  await plant?.close();
});

async function shot(page: Page, name: string, testInfo: import('@playwright/test').TestInfo) {
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    const file = testInfo.outputPath(`${name}-${w}x${h}.png`);
    await page.screenshot({ path: file });
    await testInfo.attach(`${name} ${w}x${h}`, { path: file, contentType: 'image/png' });
  }
}

test('with no account, the console offers the first administrator, created by keyboard and signed in', async ({ page }) => {
  await page.goto(plant.url);
  await expect(page.getByTestId('setup-needed')).toContainText('create the first administrator');
  await expect(page.getByTestId('view-only')).toBeVisible();
  await page.keyboard.press('F12');
  const dialog = page.getByTestId('first-admin-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('setup-user')).toBeFocused();
  await page.keyboard.type('admin');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('Give a display name of 1 to 80 characters.');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Site Administrator');
  await page.keyboard.press('Tab');
  await page.keyboard.type('short');
  await page.keyboard.press('Tab');
  await page.keyboard.type('short');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('The password must be at least 10 characters long.');
  // The station's refusal is about the password as it was: once it is retyped, it no longer stands.
  await dialog.getByTestId('setup-password').fill('correct horse battery');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByTestId('setup-repeat').fill('correct horse batter');
  await dialog.getByTestId('setup-repeat').press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('The two passwords differ.');
  await dialog.getByTestId('setup-repeat').fill('correct horse battery');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByTestId('setup-repeat').press('Enter');
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('user-name')).toHaveText('Site Administrator');
  await expect(page.getByTestId('user-roles')).toHaveText('Administrator');
  await expect(page.getByTestId('setup-needed')).toHaveCount(0);
});

test('sign in and switch user by keyboard; a wrong password gets a clear refusal', async ({ page }, testInfo) => {
  await createAccount(plant.dataDir, 'ivanova', 'operator', 'tank farm shift 4', 'A. Ivanova');
  await createAccount(plant.dataDir, 'petrov', ['supervisor'], 'control room night', 'P. Petrov');
  await page.goto(plant.url);
  await expect(page.getByTestId('view-only')).toBeVisible();

  await page.keyboard.press('F12');
  const dialog = page.getByTestId('sign-in-dialog');
  await expect(dialog).toBeVisible();
  await page.keyboard.type('ivanova');
  await page.keyboard.press('Tab');
  await page.keyboard.type('not her password');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('sign-in-error')).toHaveText('Wrong user name or password.', { timeout: 30_000 });
  await expect(dialog.getByTestId('sign-in-password')).toBeFocused();
  await expect(dialog.getByTestId('sign-in-password')).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('view-only')).toBeVisible();

  await signIn(page, 'ivanova', 'tank farm shift 4');
  await expect(page.getByTestId('user-name')).toHaveText('A. Ivanova');
  await expect(page.getByTestId('user-roles')).toHaveText('Operator');

  // Shift handover: Alt+0 opens "switch user" with who is signed in now.
  await page.keyboard.press('Alt+0');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('Switch user');
  await expect(dialog).toContainText('Signed in now: A. Ivanova (ivanova)');
  await shot(page, 'sign-in-dialog', testInfo);
  await page.keyboard.press('Escape');
  await signIn(page, 'petrov', 'control room night');
  await expect(page.getByTestId('user-roles')).toHaveText('Supervisor');
});

test('a view-only console and an operator are refused an action with a clear message; the Audit page lists both', async ({ page }, testInfo) => {
  await page.goto(plant.url);
  await expect(page.getByTestId('view-only')).toBeVisible();
  // Alt+8 opens the Accounts page; the station refuses its list to a view-only console.
  await page.keyboard.press('Alt+8');
  // The permission by its name, never its id ("accounts.manage").
  await expect(page.getByTestId('accounts-error')).toHaveText('Sign in first: this needs the permission “Manage user accounts”.');

  await signIn(page, 'ivanova', 'tank farm shift 4');
  await expect(page.getByTestId('accounts-error')).toHaveText('ivanova may not do this: it needs the permission “Manage user accounts”.');
  await expect(page.locator('nav [data-page="accounts"]')).toHaveCount(0);

  await signIn(page, 'petrov', 'control room night');
  await expect(page.locator('nav [data-page="audit"]')).toBeVisible();
  await page.keyboard.press('Alt+5');
  await expect(page.getByTestId('audit-table')).toBeFocused(); // its keys work at once
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  const refused = page.locator('[data-testid="audit-row"][data-action="accounts.list"][data-result="refused"]');
  // Newest first: petrov (the page was open when he took over), ivanova, the view-only console.
  await expect(refused).toHaveCount(3);
  await expect(refused.nth(0)).toContainText('petrov');
  await expect(refused.nth(1)).toContainText('ivanova');
  await expect(refused.nth(1)).toContainText('ivanova may not do this: it needs the permission “Manage user accounts”.');
  await expect(refused.nth(2)).toContainText('Sign in first: this needs the permission “Manage user accounts”.');
  await expect(page.getByTestId('audit-table')).not.toContainText('“accounts.manage”');
  await expect(page.locator('[data-testid="audit-row"][data-action="session.handover"]').first()).toContainText('ivanova');

  // Keyboard: filter by action, move through the entries.
  await page.getByTestId('audit-action').fill('accounts.list');
  await page.getByTestId('audit-action').press('Enter');
  await expect(rows).toHaveCount(3);
  await page.getByTestId('audit-table').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('audit-selected')).toContainText('accounts.list');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('audit-action').fill('');
  await page.getByTestId('audit-action').press('Enter');
  await expect(rows.first()).toBeVisible();

  // Dates are typed the same in every language, never in the browser's own picker order; day first with dots too.
  const to = page.getByTestId('audit-to');
  await to.fill('01.01.2020 00:00');
  await to.press('Enter');
  await expect(rows).toHaveCount(0);
  // ↑ on the year steps it; a day the month lacks is refused in place, and the filter in force stays.
  await to.fill('2020-01-01 00:00:00');
  await to.press('Home');
  await to.press('ArrowUp');
  await expect(to).toHaveValue('2021-01-01 00:00:00');
  await to.fill('31.02.2026');
  await to.press('Enter');
  expect(await to.evaluate((e: HTMLInputElement) => e.validity.customError)).toBe(true);
  // It says what is wrong, not only that something is.
  expect(await to.evaluate((e: HTMLInputElement) => e.validationMessage)).toBe('February 2026 has 28 days: there is no day 31.');
  await expect(rows).toHaveCount(0);
  await to.fill('');
  await to.press('Enter');
  await expect(rows.first()).toBeVisible();
  await shot(page, 'audit-page', testInfo);

  // An administrator's form: "the two passwords differ" stands only while they do.
  await signIn(page, 'admin', 'correct horse battery');
  await page.keyboard.press('Alt+8');
  await page.getByTestId('account-new').click();
  // The form opens on its user name, not on the password box it also has.
  await expect(page.getByTestId('account-user')).toBeFocused();
  await page.getByTestId('account-user').fill('kim');
  // A display name is needed: said in the console's words, not the station's schema's.
  await page.getByTestId('account-user').press('Enter');
  await expect(page.getByTestId('accounts-error')).toHaveText('Give a display name of 1 to 80 characters.');
  await page.getByTestId('account-display-name').fill('Kim Lee');
  await expect(page.getByTestId('accounts-error')).toHaveCount(0);
  await page.getByTestId('account-password').fill('tank farm day 7');
  await page.getByTestId('account-repeat').fill('tank farm day 8');
  await page.getByTestId('account-repeat').press('Enter');
  await expect(page.getByTestId('accounts-error')).toHaveText('The two passwords differ.');
  await page.getByTestId('account-repeat').fill('tank farm day 7');
  await expect(page.getByTestId('accounts-error')).toHaveCount(0);
  await page.getByTestId('account-repeat').press('Escape');
  await expect(page.getByTestId('account-form')).toHaveCount(0);
});

function startStation(args: string[]): ChildProcess {
  return spawn(process.execPath, [stationEntry, '--browser', '--no-simulator', '--log-level', 'warn', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the console URL the station prints. */
function consoleUrl(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`station exited (${code}):\n${out}`)));
  });
}

test('without operator input the console counts down, a key keeps the session, and then it signs out', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-idle-'));
  // A station whose inactivity time is 9 s, with the countdown for its last 5 s (the shortest countdown
  // the config allows). The test waits out the 4 s before the countdown three times (it was 7 s each);
  // the keys pressed in them take about 0.3 s.
  const config = join(dir, 'station.yaml');
  writeFileSync(config, `${readFileSync(join(root, 'resources', 'station.yaml'), 'utf8')}\naccounts:\n  inactivitySignOutMin: 0.15\n  inactivityWarningSec: 5\n`);
  await createAccount(join(dir, 'data'), 'ivanova', 'operator', 'tank farm shift 4', 'A. Ivanova');
  const child = startStation(['--port', '0', '--config', config, '--data', join(dir, 'data')]);
  try {
    await page.goto(await consoleUrl(child, /Vigil console: (http:\/\/127\.0\.0\.1:\d+\/)/));
    await signIn(page, 'ivanova', 'tank farm shift 4');
    const warning = page.getByTestId('inactivity-warning');
    await expect(warning).toContainText('A. Ivanova will be signed out in');
    await expect(warning).toContainText('Press any key to stay signed in.');
    // The key only keeps the session: F3 does not open the trends (Space had acknowledged the selected alarm).
    const hash = new URL(page.url()).hash;
    await page.keyboard.press('F3');
    await expect(warning).toBeHidden();
    expect(new URL(page.url()).hash).toBe(hash);
    await expect(page.getByTestId('trends-page')).toHaveCount(0);
    // Nor a letter of the selected alarm's detail (C had confirmed the SIS's trip at the server, U unshelved):
    // O, which opens the out-of-service dialog (or says why not), does nothing.
    await page.keyboard.press('F2');
    // The COMM alarm of the server this station cannot reach, selected.
    const rows = page.locator('[data-testid="summary-current"] tr[data-alarm-id]');
    await expect(rows.first()).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(rows.and(page.locator('[aria-selected="true"]'))).toHaveCount(1);
    await expect(warning).toBeVisible();
    await page.keyboard.press('o');
    await expect(warning).toBeHidden();
    await expect(page.locator('dialog[open]')).toHaveCount(0);
    await expect(page.getByTestId('alarm-notice')).toHaveAttribute('data-kind', 'none');
    // A dialog of hers open when the session ends closes with it (the trend export stayed open, refusing).
    await page.keyboard.press('F3');
    await expect(page.getByTestId('trends-page')).toBeVisible();
    await page.keyboard.press('e');
    const exportDialog = page.getByTestId('export-dialog');
    await expect(exportDialog).toBeVisible();
    await expect(page.getByTestId('user-name')).toHaveText('A. Ivanova');
    // No more input: the countdown comes back and runs out.
    await expect(warning).toBeVisible();
    await expect(page.getByTestId('session-ended')).toHaveText('Signed out after 9 s without input.', { timeout: 30_000 });
    await expect(exportDialog).toHaveCount(0);
    await expect(page.getByTestId('view-only')).toBeVisible();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  const trail = AuditTrail.openReadOnly(join(dir, 'data'));
  const actions = trail.read(0, 100).map((e) => `${e.action}:${e.user ?? '-'}`);
  trail.close();
  rmSync(dir, { recursive: true, force: true });
  expect(actions).toContain('session.inactivitySignOut:ivanova');
  expect(actions.filter((a) => a === 'session.signIn:ivanova')).toHaveLength(1);
});

test('browser mode beyond loopback is refused at start without TLS, with a clear error', async () => {
  const child = startStation(['--port', '0', '--listen', '0.0.0.0']);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(code).toBe(2);
  expect(err).toContain('--listen 0.0.0.0: refused: a console reachable beyond this machine must use TLS; give --tls-cert FILE and --tls-key FILE');
});

test('beyond loopback over TLS, a console gets nothing but sign-in until someone signs in', async ({ browser }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-tls-'));
  await createAccount(dir, 'supervisor1', 'supervisor', 'regional view pw', 'Regional Supervisor');
  const fixtures = join(root, 'e2e', 'fixtures');
  const child = startStation(['--port', '0', '--data', dir, '--listen', '0.0.0.0', '--host-name', 'localhost', '--tls-cert', join(fixtures, 'tls-test-cert.pem'), '--tls-key', join(fixtures, 'tls-test-key.pem')]);
  try {
    const url = await consoleUrl(child, /Vigil console: (https:\/\/localhost:\d+\/)/);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.getByTestId('login-page')).toBeVisible();
    await expect(page.getByTestId('station-name')).toHaveCount(0);
    await expect(page.locator('[data-tag]')).toHaveCount(0);
    await expect(page.getByTestId('sign-in-user')).toBeFocused();
    await shot(page, 'login-page', testInfo);
    await page.keyboard.type('supervisor1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('regional view pw');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('station-name')).toHaveText('Tank Farm North', { timeout: 30_000 });
    await expect(page.getByTestId('user-name')).toHaveText('Regional Supervisor');
    await expect(page.locator('[data-tag]').first()).toBeVisible();
    // Signing out leaves nothing of the station on screen.
    await page.keyboard.press('F12');
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('login-page')).toBeVisible();
    await expect(page.locator('[data-tag]')).toHaveCount(0);
    await context.close();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});
