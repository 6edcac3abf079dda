/**
 * What the audit trail says of a refused account change: why it was refused, never what a change
 * that went through would have done (a refused password reset was stored as "new password set;
 * failed sign-ins and any lock cleared", its reason lost). Real dispatcher, real accounts store and
 * trail (SQLite files in a temp directory).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../api/dispatcher.js';
import { TransportConnection } from '../api/connection.js';
import type { RequestName } from '../../shared/api.js';
import { silentLogger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let m: AccountsModule;
let d: Dispatcher;
const cfg = testConfig({ minPasswordLength: 10 });
const conn = new TransportConnection('ipc', 'window', true, () => {});
const call = (method: RequestName, params: unknown) => d.dispatch(method, params, conn);

beforeEach(async () => {
  tmp = tempDir();
  const clock = new TestClock();
  m = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock, signInRequired: false });
  d = new Dispatcher(silentLogger());
  m.register(d);
  for (const [user, roles, password] of [['chief', ['administrator'], 'station admin key 9'], ['ivanova', ['operator'], 'tank farm shift 4']] as const) {
    m.store.insert({ user, displayName: user, roles: [...roles], password: await hashPassword(password, cfg.passwordHash) }, clock.now());
  }
  expect((await call('session.signIn', { user: 'chief', password: 'station admin key 9' })).ok).toBe(true);
});
afterEach(() => {
  m.stop();
  tmp.remove();
});

/** The trail's entries of one action, as stored. */
const entries = (action: string) => m.audit.read(0, 1000).filter((e) => e.action === action).map((e) => [e.result, e.target, e.detail]);

describe('a refused account change in the audit trail', () => {
  it('a new password refused by a rule says which rule; only the one set says what was done', async () => {
    expect(await call('accounts.resetPassword', { user: 'ivanova', password: 'short' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('accounts.resetPassword', { user: 'ivanova', password: 'ivanova night 7' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('accounts.resetPassword', { user: 'ghost', password: 'a long passphrase' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('accounts.resetPassword', { user: 'ivanova', password: 'a long passphrase' })).toMatchObject({ ok: true });
    // The rule's words as the station says them (password.ts) and as accounts.create records them.
    expect(entries('accounts.resetPassword')).toEqual([
      ['refused', 'ivanova', 'the password must be at least 10 characters long'],
      ['refused', 'ivanova', 'the password must not contain the user name'],
      ['failed', 'ghost', 'no account "ghost"'],
      ['ok', 'ivanova', 'new password set; failed sign-ins and any lock cleared'],
    ]);
  });

  it('a new account refused, a change refused: the reason, as for a password reset', async () => {
    await call('accounts.create', { user: 'petrov', displayName: 'P', roles: ['operator'], password: 'short' });
    await call('accounts.disable', { user: 'chief' });
    await call('accounts.enable', { user: 'ghost' });
    await call('accounts.update', { user: 'chief', roles: ['administrator', 'engineer'] });
    expect(entries('accounts.create')).toEqual([['refused', 'petrov', 'the password must be at least 10 characters long']]);
    expect(entries('accounts.disable')).toEqual([['refused', 'chief', '"chief" is the last enabled administrator: make another administrator first']]);
    expect(entries('accounts.enable')).toEqual([['failed', 'ghost', 'no account "ghost"']]);
    expect(entries('accounts.update')).toEqual([['refused', 'chief', 'chief may not change the roles of their own account: another administrator does that']]);
  });

  it('a refused sign-in keeps the trail\'s own words (more than the console is told)', async () => {
    const desk = new TransportConnection('ipc', 'desk', true, () => {});
    await d.dispatch('session.signIn', { user: 'ivanova', password: 'not her password' }, desk);
    expect(m.audit.read(0, 1000).at(-1)).toMatchObject({ action: 'session.signIn', result: 'refused', user: 'ivanova', detail: 'wrong password (1 in a row)' });
  });
});
