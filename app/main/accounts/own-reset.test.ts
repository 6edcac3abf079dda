/**
 * The administrators' reset (accounts.resetPassword) sets another user's password without theirs: it
 * is how a forgotten password is replaced. Used on one's own account it would let whoever finds an
 * administrator's console unlocked take the account (set a password they know, the real owner shut
 * out) without ever knowing the current one. One's own password is changed with the current one
 * (accounts.changeOwnPassword, checked as at sign-in); at the station itself, `npm run accounts --
 * passwd` (file access to the data directory) stays the recovery path.
 *
 * Real parts: the accounts module and its SQLite files in a temp data directory (the trail read back
 * with SQLite directly, the stored hash checked with scrypt), the dispatcher, the browser server and
 * WebSocket clients.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { startBrowserServer, type BrowserServer } from '../api/browser-server.js';
import { openWsConsole } from '../api/testing/ws-console.js';
import { silentLogger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword, verifyPassword } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

const cfg = testConfig();
const ADMIN_PW = 'admin console key 7';
const OTHER_ADMIN_PW = 'second admin key 9';
const IVANOVA_PW = 'ivanova password';

let tmp: ReturnType<typeof tempDir>;
let accounts: AccountsModule;
let server: BrowserServer;
const sockets: WebSocket[] = [];

interface Row { action: string; user: string | null; target: string | null; result: string; detail: string | null }
/** The trail's entries of these actions as SQLite holds them, read apart from the module. */
function trail(...actions: string[]): Row[] {
  const db = new Database(join(tmp.dir, 'audit.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT action, user, target, result, detail FROM audit ORDER BY seq').all() as Row[]).filter((r) => actions.includes(r.action));
  } finally {
    db.close();
  }
}

const openConsole = async () => (await openWsConsole(server.port, sockets)).call;

async function signedIn(user: string, password: string) {
  const call = await openConsole();
  expect(await call('session.signIn', { user, password })).toMatchObject({ ok: true });
  return call;
}

/** Whether the account's stored hash is of this password: scrypt on the row, not the module's checker. */
const holds = async (user: string, password: string) => verifyPassword(password, accounts.store.require(user).password);

beforeEach(async () => {
  tmp = tempDir();
  accounts = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock: new TestClock() });
  const dispatcher = new Dispatcher(silentLogger());
  accounts.register(dispatcher);
  const at = Date.UTC(2026, 10, 1);
  accounts.store.insert({ user: 'admin', displayName: 'Admin', roles: ['administrator'], password: await hashPassword(ADMIN_PW, cfg.passwordHash) }, at);
  accounts.store.insert({ user: 'sidorov', displayName: 'Sidorov', roles: ['administrator'], password: await hashPassword(OTHER_ADMIN_PW, cfg.passwordHash) }, at);
  accounts.store.insert({ user: 'ivanova', displayName: 'Ivanova', roles: ['operator'], password: await hashPassword(IVANOVA_PW, cfg.passwordHash) }, at);
  writeFileSync(join(tmp.dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  server = await startBrowserServer({ port: 0, rendererDir: tmp.dir, dispatcher, events: new EventHub(), logger: silentLogger() });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close();
  await server?.close();
  accounts?.stop();
  tmp.remove();
});

describe("an administrator's reset of a password", () => {
  it('of their own account is refused: the password stays, the session goes on, the refusal is in the trail', async () => {
    const admin = await signedIn('admin', ADMIN_PW);
    const taken = 'someone elses choice 1';
    expect(await admin('accounts.resetPassword', { user: 'admin', password: taken }))
      .toMatchObject({ ok: false, error: { code: 'forbidden', i18n: { key: 'accounts.resetPassword.own' } } });
    expect(await holds('admin', ADMIN_PW)).toBe(true);
    expect(await holds('admin', taken)).toBe(false);
    // Still signed in: the refusal ended nothing.
    expect(await admin('accounts.list')).toMatchObject({ ok: true });
    expect(trail('accounts.resetPassword')).toEqual([
      // Word for word as the Audit page reads it into the console's language (app/renderer/lib/audit-detail.ts).
      { action: 'accounts.resetPassword', user: 'admin', target: 'admin', result: 'refused',
        detail: 'admin may not reset their own password here: change it with the current password (Change password), or on the station with `npm run accounts -- passwd`' },
    ]);
  });

  it("of their own account with the current password goes through the change of one's own password", async () => {
    const admin = await signedIn('admin', ADMIN_PW);
    const next = 'north desk key 8';
    expect(await admin('accounts.changeOwnPassword', { current: 'not the password at all', password: next }))
      .toMatchObject({ ok: false, error: { code: 'forbidden', i18n: { key: 'accounts.ownPassword.wrongCurrent' } } });
    expect(await admin('accounts.changeOwnPassword', { current: ADMIN_PW, password: next })).toMatchObject({ ok: true });
    expect(await holds('admin', next)).toBe(true);
    expect(trail('accounts.changeOwnPassword').map((r) => [r.user, r.target, r.result])).toEqual([['admin', 'admin', 'refused'], ['admin', 'admin', 'ok']]);
  });

  it("of another user's account, an operator's or another administrator's, is as it was: set, audited, their sessions ended", async () => {
    const ivanova = await signedIn('ivanova', IVANOVA_PW);
    const admin = await signedIn('admin', ADMIN_PW);
    expect(await admin('accounts.resetPassword', { user: 'ivanova', password: 'new shift password 2' })).toMatchObject({ ok: true });
    expect(await admin('accounts.resetPassword', { user: 'sidorov', password: 'new admin password 3' })).toMatchObject({ ok: true });
    expect(await holds('ivanova', 'new shift password 2')).toBe(true);
    expect(await holds('sidorov', 'new admin password 3')).toBe(true);
    // Ivanova's old session ended with her old password: her console is signed out.
    expect(await ivanova('session.current')).toMatchObject({ ok: true, result: { session: null } });
    expect(trail('accounts.resetPassword')).toEqual([
      { action: 'accounts.resetPassword', user: 'admin', target: 'ivanova', result: 'ok', detail: 'new password set; failed sign-ins and any lock cleared' },
      { action: 'accounts.resetPassword', user: 'admin', target: 'sidorov', result: 'ok', detail: 'new password set; failed sign-ins and any lock cleared' },
    ]);
  });
});
