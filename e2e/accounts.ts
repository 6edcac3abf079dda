/**
 * Accounts for browser tests: create one the way an administrator would
 * from a shell (the accounts CLI, password on standard input), and sign in
 * at the console by keyboard (F12, name, Tab, password, Enter).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { Role } from '../app/shared/permissions.js';

const root = new URL('..', import.meta.url).pathname;

/** `npm run accounts -- add NAME --role ROLE --data DIR`, the password piped in. Resolves once the account exists. */
export function createAccount(dataDir: string, name: string, role: Role | Role[], password: string, displayName?: string): Promise<void> {
  const roles = Array.isArray(role) ? role : [role];
  const args = ['add', name, ...roles.flatMap((r) => ['--role', r]), '--data', dataDir, ...(displayName ? ['--display-name', displayName] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'app/main/accounts/cli/accounts.ts'), ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`accounts add ${name} exited ${code}: ${out}`))));
    child.stdin.end(`${password}\n`);
  });
}

/** Signs in (or switches user) at the console by keyboard, and waits until the header shows the user. */
export async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.keyboard.press('F12');
  const dialog = page.getByTestId('sign-in-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('sign-in-user')).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('user-chip')).toHaveAttribute('data-user', name);
}

/** Signs out from the sign-in dialog, back to view-only. */
export async function signOut(page: Page): Promise<void> {
  await page.keyboard.press('F12');
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('view-only')).toBeVisible();
}
