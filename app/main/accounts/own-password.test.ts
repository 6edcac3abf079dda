/**
 * A user changes their own password (IEC 62443-3-3 SR 1.5, IEC 62443-4-2 CR 1.5), through the real
 * accounts module behind the real dispatcher: only their own account, the current password checked
 * as at sign-in (its failures count toward the same lock, README "Sign-in policy": 5 failures lock,
 * delays 0.5 s doubling), the password rules, every other session and resume token ended while the
 * caller's own goes on, and an audit entry without any password.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../api/dispatcher.js';
import { TransportConnection, type Connection } from '../api/connection.js';
import type { EventName, RequestName } from '../../shared/api.js';
import { silentLogger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword, verifyPassword, type PasswordHash } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let clock: TestClock;
let m: AccountsModule;
let d: Dispatcher;
const cfg = testConfig({ inactivitySignOutMin: 10 });

type Answer = { ok: boolean; result?: unknown; error?: { code: string; message: string; i18n?: { key: string; params?: Record<string, unknown> } } };
interface Console {
  conn: TransportConnection;
  events: { name: EventName; data: unknown }[];
  call(method: RequestName, params?: unknown): Promise<Answer>;
}
function console_(transport: Connection['transport'] = 'ipc', remote = 'window', loopback = true): Console {
  const events: Console['events'] = [];
  const conn = new TransportConnection(transport, remote, loopback, (name, data) => events.push({ name, data }));
  return { conn, events, call: (method, params = {}) => d.dispatch(method, params, conn) as never };
}

function open(verify?: (password: string, stored: PasswordHash) => Promise<boolean>) {
  m = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock, checker: verify ? { verify } : undefined });
  d = new Dispatcher(silentLogger());
  m.register(d);
}

async function addAccount(user: string, roles: ('operator' | 'supervisor' | 'engineer' | 'administrator')[], password: string) {
  m.store.insert({ user, displayName: user.toUpperCase(), roles, password: await hashPassword(password, cfg.passwordHash) }, clock.now());
}

async function signedIn(user: string, password: string, c = console_()): Promise<Console & { token: string }> {
  const res = await c.call('session.signIn', { user, password });
  expect(res.ok, res.error?.message).toBe(true);
  return { ...c, token: (res.result as { token: string }).token };
}

/** Whether the password is the account's as stored: the store's hash checked by scrypt, not by the module's checker. */
const holds = async (user: string, password: string) => verifyPassword(password, m.store.require(user).password);

const OLD = 'tank farm shift 4';
const NEW = 'north pumps at dawn';

beforeEach(async () => {
  tmp = tempDir();
  clock = new TestClock();
  open();
  await addAccount('ivanova', ['operator'], OLD);
  await addAccount('petrov', ['supervisor'], 'control room night');
});
afterEach(() => {
  m.stop();
  tmp.remove();
});

describe('accounts.changeOwnPassword', () => {
  it('sets the caller\'s new password; every other session and resume token of the account ends, the caller\'s goes on', async () => {
    const desk = await signedIn('ivanova', OLD);
    const other = await signedIn('ivanova', OLD, console_('ws', '10.0.0.7', false));
    // A browser whose link dropped: its session waits to be resumed with its token.
    const dropped = await signedIn('ivanova', OLD, console_('ws', '10.0.0.8', false));
    dropped.conn.close();
    const petrov = await signedIn('petrov', 'control room night', console_('ws', '10.0.0.9', false));

    const res = await desk.call('accounts.changeOwnPassword', { current: OLD, password: NEW });
    expect(res).toEqual({ ok: true, result: { otherSessionsEnded: 2 } }); // the one on 10.0.0.7 and the dropped one: counted by hand
    expect(await holds('ivanova', NEW)).toBe(true);

    // The caller's session is still theirs, at the next request and after the station's 1 s check of every session.
    m.sessions.tick();
    expect(m.sessions.sessionOf(desk.conn)?.user).toBe('ivanova');
    expect(((await desk.call('session.current')).result as { session: { user: string } | null }).session?.user).toBe('ivanova');
    expect(desk.events.filter((e) => e.name === 'session.changed').map((e) => (e.data as { reason: string }).reason)).toEqual(['signedIn']);

    // The other console is told, and signed out; the dropped one's token resumes nothing.
    expect(m.sessions.sessionOf(other.conn)).toBeNull();
    expect(other.events.at(-1)).toEqual({ name: 'session.changed', data: { session: null, reason: 'passwordChanged' } });
    const back = console_('ws', '10.0.0.8', false);
    expect((await back.call('session.resume', { token: dropped.token })).result).toEqual({ session: null });
    // Another user's session is no business of this change.
    expect(m.sessions.sessionOf(petrov.conn)?.user).toBe('petrov');

    // The old password signs in no more; the new one does.
    expect((await console_('ws', '10.0.0.10', false).call('session.signIn', { user: 'ivanova', password: OLD })).error?.i18n?.key).toBe('accounts.signIn.wrong');
    expect((await console_('ws', '10.0.0.11', false).call('session.signIn', { user: 'ivanova', password: NEW })).ok).toBe(true);
  });

  it('is audited: who, their account, how many other sessions ended; never a password, in the trail or the answer', async () => {
    const desk = await signedIn('ivanova', OLD);
    await signedIn('ivanova', OLD, console_('ws', '10.0.0.7', false));
    const before = m.audit.read(0, 1000).length;
    const answer = await desk.call('accounts.changeOwnPassword', { current: OLD, password: NEW });
    const entries = m.audit.read(before, 1000);
    expect(entries.map((e) => [e.action, e.result, e.user, e.role, e.target, e.source, e.detail])).toEqual([
      ['session.ended', 'ok', 'ivanova', 'operator', null, 'ws:10.0.0.7', 'the password was changed by its user at another console'],
      ['accounts.changeOwnPassword', 'ok', 'ivanova', 'operator', 'ivanova', 'ipc:window', 'new password set by its user; other sessions of the account ended: 1'],
    ]);
    expect([entries[1]!.oldValue, entries[1]!.newValue]).toEqual([null, null]);
    const all = JSON.stringify([m.audit.read(0, 1000), answer]);
    expect(all).not.toContain(OLD);
    expect(all).not.toContain(NEW);
  });

  it('a wrong current password counts toward the sign-in lock from that source, with the sign-in\'s delays', async () => {
    const desk = await signedIn('ivanova', OLD);
    const wrong = () => desk.call('accounts.changeOwnPassword', { current: 'not my password', password: NEW });
    const wrongSignIn = () => console_().call('session.signIn', { user: 'ivanova', password: 'not my password either' });
    // Five failures lock (README: lockAfterFailures 5), whether typed here or at sign-in: 2 + 2 + 1.
    const keys = [];
    for (const attempt of [wrong, wrong, wrongSignIn, wrongSignIn, wrong]) keys.push((await attempt()).error?.i18n?.key);
    expect(keys).toEqual(['accounts.ownPassword.wrongCurrent', 'accounts.ownPassword.wrongCurrent', 'accounts.signIn.wrong', 'accounts.signIn.wrong', 'accounts.signIn.nowLocked']);
    // README: 0.5 s, doubling with each consecutive failure.
    expect(clock.sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
    // Locked for this source: the right current password is refused too, and so is a sign-in here.
    expect((await desk.call('accounts.changeOwnPassword', { current: OLD, password: NEW })).error?.i18n?.key).toBe('accounts.signIn.locked');
    expect((await console_().call('session.signIn', { user: 'ivanova', password: OLD })).error?.i18n?.key).toBe('accounts.signIn.locked');
    expect(await holds('ivanova', OLD)).toBe(true);
    const trail = m.audit.read(0, 1000);
    expect(trail.filter((e) => e.action === 'accounts.changeOwnPassword').map((e) => [e.result, e.user, e.target, e.detail])).toEqual([
      ['refused', 'ivanova', 'ivanova', 'wrong password (1 in a row)'],
      ['refused', 'ivanova', 'ivanova', 'wrong password (2 in a row)'],
      ['refused', 'ivanova', 'ivanova', 'wrong password (5 in a row); locked'],
      ['refused', 'ivanova', 'ivanova', expect.stringMatching(/^account locked until /)],
    ]);
    expect(trail.filter((e) => e.action === 'accounts.locked').map((e) => [e.user, e.source])).toEqual([['ivanova', 'ipc:window']]);
    expect(JSON.stringify(trail)).not.toContain('not my password');
  });

  it('acts on the caller\'s own account only: a name in the request is refused, and nobody signed in changes nothing', async () => {
    const desk = await signedIn('ivanova', OLD);
    const named = await desk.call('accounts.changeOwnPassword', { user: 'petrov', current: OLD, password: NEW });
    expect(named.error).toMatchObject({ code: 'bad_request' });
    // petrov's password, whose current one ivanova would not know, is not a parameter at all.
    const petrovs = await desk.call('accounts.changeOwnPassword', { user: 'petrov', current: 'control room night', password: NEW });
    expect(petrovs.error).toMatchObject({ code: 'bad_request' });
    expect(await holds('petrov', 'control room night')).toBe(true);
    expect(await holds('ivanova', OLD)).toBe(true);

    const nobody = await console_('ws', '10.0.0.5', false).call('accounts.changeOwnPassword', { current: OLD, password: NEW });
    expect(nobody.error).toMatchObject({ code: 'forbidden', i18n: { key: 'accounts.ownPassword.signInFirst' } });
    expect(m.audit.read(0, 1000).at(-1)).toMatchObject({ action: 'accounts.changeOwnPassword', result: 'refused', user: null, role: null, target: null });
    expect(await holds('ivanova', OLD)).toBe(true);
  });

  it('applies the password rules and refuses the current password as the new one, before any password is checked', async () => {
    const desk = await signedIn('ivanova', OLD);
    const sleepsBefore = clock.sleeps.length;
    const refusal = async (password: string) => (await desk.call('accounts.changeOwnPassword', { current: OLD, password })).error?.i18n?.key;
    expect(await refusal('short')).toBe('accounts.password.tooShort');
    expect(await refusal('Ivanova at the tanks')).toBe('accounts.password.containsUser');
    expect(await refusal(' leading space pw')).toBe('accounts.password.spaces');
    expect(await refusal(OLD)).toBe('accounts.ownPassword.same');
    expect(clock.sleeps.length).toBe(sleepsBefore);
    expect(await holds('ivanova', OLD)).toBe(true);
    expect(m.sessions.sessionOf(desk.conn)?.user).toBe('ivanova');
  });

  it('changes nothing when the caller\'s session ends while the current password is being checked', async () => {
    // The same accounts file, with a password check the test can hold (the station's scrypt behind it).
    m.stop();
    let hold: Promise<void> | null = null;
    let checks = 0;
    open(async (password, stored) => {
      checks++;
      if (hold) await hold;
      return verifyPassword(password, stored);
    });
    const desk = await signedIn('ivanova', OLD);
    let release!: () => void;
    hold = new Promise<void>((r) => (release = r));
    const change = desk.call('accounts.changeOwnPassword', { current: OLD, password: NEW });
    await expect.poll(() => checks).toBe(2);
    expect((await desk.call('session.signOut')).result).toEqual({ signedOut: true });
    release();
    expect((await change).error).toMatchObject({ code: 'conflict', i18n: { key: 'accounts.ownPassword.sessionEnded' } });
    expect(await holds('ivanova', OLD)).toBe(true);
    expect(m.audit.read(0, 1000).at(-1)).toMatchObject({ action: 'accounts.changeOwnPassword', result: 'refused', user: 'ivanova', target: 'ivanova' });
  });
});
