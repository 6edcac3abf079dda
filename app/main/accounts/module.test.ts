/**
 * The accounts module behind the real dispatcher: first administrator,
 * sign-in, handover, sign-out, inactivity, resume after a dropped WebSocket,
 * administration, and the audit entries each leaves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Dispatcher } from '../api/dispatcher.js';
import { TransportConnection, type Connection } from '../api/connection.js';
import type { EventName, RequestName } from '../../shared/api.js';
import { createLogger, silentLogger, type Logger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let clock: TestClock;
let m: AccountsModule;
let d: Dispatcher;
const cfg = testConfig({ inactivitySignOutMin: 10 });

interface Console {
  conn: TransportConnection;
  events: { name: EventName; data: unknown }[];
  call(method: RequestName, params?: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string; i18n?: { key: string } } }>;
}
function console_(transport: Connection['transport'] = 'ipc', remote = 'window', loopback = true): Console {
  const events: Console['events'] = [];
  const conn = new TransportConnection(transport, remote, loopback, (name, data) => events.push({ name, data }));
  return { conn, events, call: (method, params = {}) => d.dispatch(method, params, conn) as never };
}

async function addAccount(user: string, roles: ('operator' | 'supervisor' | 'engineer' | 'administrator')[], password: string) {
  m.store.insert({ user, displayName: user.toUpperCase(), roles, password: await hashPassword(password, cfg.passwordHash) }, clock.now());
}

function open(signInRequired = false, logger: Logger = silentLogger()) {
  m = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger, clock, signInRequired });
  d = new Dispatcher(logger);
  m.register(d);
}

beforeEach(() => {
  tmp = tempDir();
  clock = new TestClock();
  open();
});
afterEach(() => {
  m.stop();
  tmp.remove();
});

const actions = () => m.audit.read(0, 1000).map((e) => `${e.action}:${e.result}:${e.user ?? '-'}`);

describe('first administrator', () => {
  it('is offered on the station itself while no account exists, and signs them in', async () => {
    const c = console_();
    expect((await c.call('accounts.setupNeeded')).result).toEqual({ setupNeeded: true, allowedHere: true });
    const weak = await c.call('accounts.createFirstAdmin', { user: 'admin', displayName: 'Site Admin', password: 'short' });
    expect(weak.error).toMatchObject({ code: 'bad_request', i18n: { key: 'accounts.password.tooShort' } });
    const res = await c.call('accounts.createFirstAdmin', { user: 'admin', displayName: 'Site Admin', password: 'a long passphrase' });
    expect(res.result).toMatchObject({ session: { user: 'admin', displayName: 'Site Admin', roles: ['administrator'] } });
    expect((await c.call('session.current')).result).toMatchObject({ session: { user: 'admin' }, setupNeeded: false });
    const again = await console_().call('accounts.createFirstAdmin', { user: 'other', displayName: 'X', password: 'a long passphrase' });
    expect(again.error).toMatchObject({ code: 'conflict', i18n: { key: 'accounts.setup.exists' } });
    // A refused caller is nobody yet (no account, no session): naming the typed user as the actor,
    // role administrator, would let anyone write a real name into the trail (security review t9).
    expect(actions()).toEqual(['accounts.createFirstAdmin:refused:-', 'accounts.createFirstAdmin:ok:admin', 'accounts.createFirstAdmin:refused:-']);
    expect(m.audit.read(0, 100).map((e) => e.role)).toEqual([null, 'administrator', null]);
    expect(JSON.stringify(m.audit.read(0, 100))).not.toContain('a long passphrase');
  });

  it('is refused over the network', async () => {
    const remote = console_('ws', '10.0.0.7', false);
    expect((await remote.call('accounts.setupNeeded')).result).toEqual({ setupNeeded: true, allowedHere: false });
    const res = await remote.call('accounts.createFirstAdmin', { user: 'petrov', displayName: 'A', password: 'a long passphrase' });
    expect(res.error).toMatchObject({ code: 'forbidden', i18n: { key: 'accounts.setup.loopbackOnly' } });
    expect(m.store.count()).toBe(0);
    // The entry names no actor; what was typed is only a keyed hash (README: a user name with no account is never written).
    const [entry] = m.audit.read(0, 100);
    expect(entry).toMatchObject({ action: 'accounts.createFirstAdmin', result: 'refused', user: null, role: null, target: expect.stringMatching(/^unknown account #[0-9a-f]{12}$/) });
    expect(JSON.stringify(m.audit.read(0, 100))).not.toContain('petrov');
  });
});

describe('sessions', () => {
  beforeEach(async () => {
    await addAccount('ivanova', ['operator'], 'ivanova password');
    await addAccount('petrov', ['supervisor'], 'petrov password');
  });

  it('a guesser on the network locks the name for its own address only: the station\'s console still signs in (security review t5)', async () => {
    // IEC 62443-3-3 clause 4.2: security must not keep the operator from responding to an alarm.
    const guesser = console_('ws', '10.0.0.66', false);
    const keys: string[] = [];
    for (let i = 0; i < 6; i++) keys.push(((await guesser.call('session.signIn', { user: 'ivanova', password: `guess ${i}` })).error?.i18n?.key) ?? 'ok');
    expect(keys).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'nowLocked', 'locked'].map((k) => `accounts.signIn.${k}`));
    expect(m.audit.read(0, 100).find((e) => e.action === 'accounts.locked')).toMatchObject({ user: 'ivanova', source: 'ws:10.0.0.66' });
    // The station's own console, and another desk, are not locked out.
    expect((await console_().call('session.signIn', { user: 'ivanova', password: 'ivanova password' })).ok).toBe(true);
    expect((await console_('ws', '10.0.0.12', false).call('session.signIn', { user: 'ivanova', password: 'ivanova password' })).ok).toBe(true);
    // The guesser stays locked, even with the right password.
    expect((await guesser.call('session.signIn', { user: 'ivanova', password: 'ivanova password' })).error).toMatchObject({ i18n: { key: 'accounts.signIn.locked' } });
  });

  it('signs in, tells the console, and a shift handover ends the old session (both audited)', async () => {
    const c = console_();
    const first = await c.call('session.signIn', { user: ' Ivanova ', password: 'ivanova password' });
    expect(first.result).toMatchObject({ session: { user: 'ivanova', roles: ['operator'], expiresInMs: 600_000 }, token: expect.any(String) });
    expect(c.events.at(-1)).toMatchObject({ name: 'session.changed', data: { reason: 'signedIn', session: { user: 'ivanova' } } });
    await c.call('session.signIn', { user: 'petrov', password: 'petrov password' });
    expect(c.events.at(-1)).toMatchObject({ data: { reason: 'handover', session: { user: 'petrov' } } });
    expect(m.sessions.sessionOf(c.conn)?.user).toBe('petrov');
    expect(actions()).toEqual(['session.signIn:ok:ivanova', 'session.handover:ok:ivanova', 'session.signIn:ok:petrov']);
    const handover = m.audit.read(1, 1)[0];
    expect(handover).toMatchObject({ target: 'petrov', detail: 'shift handover to petrov', source: 'ipc:window' });
  });

  it('a failed switch keeps the user who is signed in, and the failure is audited without the password', async () => {
    const c = console_();
    await c.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    const res = await c.call('session.signIn', { user: 'petrov', password: 'not-his-password' });
    expect(res.error).toMatchObject({ code: 'forbidden', i18n: { key: 'accounts.signIn.wrong' } });
    expect(m.sessions.sessionOf(c.conn)?.user).toBe('ivanova');
    expect(m.audit.read(1, 1)[0]).toMatchObject({ action: 'session.signIn', result: 'refused', user: 'petrov', detail: 'wrong password (1 in a row)' });
    expect(JSON.stringify(m.audit.read(0, 100))).not.toContain('not-his-password');
  });

  it('a name with no account is kept out of the audit trail (a password typed there would be forwarded upstream)', async () => {
    const c = console_();
    for (const password of ['x', 'y']) await c.call('session.signIn', { user: 'Ivanova Password', password });
    await c.call('session.signIn', { user: 'someone', password: 'x' });
    const entries = m.audit.read(0, 100);
    expect(entries.map((e) => [e.action, e.result, e.detail])).toEqual([
      ['session.signIn', 'refused', 'no such account'], ['session.signIn', 'refused', 'no such account'], ['session.signIn', 'refused', 'no such account'],
    ]);
    const [first, second, third] = entries.map((e) => e.user);
    expect(first).toMatch(/^unknown account #[0-9a-f]{12}$/);
    expect(second).toBe(first); // the same text: the same mark, so repeated attempts can be followed
    expect(third).not.toBe(first);
    expect(JSON.stringify(entries).toLowerCase()).not.toContain('ivanova password');
  });

  it('signs out to view-only', async () => {
    const c = console_();
    await c.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    expect((await c.call('session.signOut')).result).toEqual({ signedOut: true });
    expect((await c.call('session.current')).result).toMatchObject({ session: null });
    expect(actions().at(-1)).toBe('session.signOut:ok:ivanova');
  });

  it('signs out after the inactivity time; operator input starts it again', async () => {
    const c = console_();
    await c.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    clock.advance(9 * 60_000);
    expect((await c.call('session.activity')).result).toEqual({ expiresInMs: 600_000 });
    clock.advance(9 * 60_000);
    // Background calls are not operator input.
    await c.call('session.current');
    m.sessions.tick();
    expect(m.sessions.sessionOf(c.conn)?.user).toBe('ivanova');
    clock.advance(60_000);
    m.sessions.tick();
    expect(m.sessions.sessionOf(c.conn)).toBeNull();
    expect(c.events.at(-1)).toMatchObject({ data: { session: null, reason: 'inactivity' } });
    expect(actions().at(-1)).toBe('session.inactivitySignOut:ok:ivanova');
  });

  it('a dropped WebSocket may resume its session with the token within the inactivity time, not after', async () => {
    const a = console_('ws', '127.0.0.1', true);
    const { token } = (await a.call('session.signIn', { user: 'ivanova', password: 'ivanova password' })).result as { token: string };
    a.conn.close();
    const b = console_('ws', '127.0.0.1', true);
    expect((await b.call('session.resume', { token })).result).toMatchObject({ session: { user: 'ivanova' } });
    expect(actions().at(-1)).toBe('session.resume:ok:ivanova');
    b.conn.close();
    clock.advance(10 * 60_000);
    const c = console_('ws', '127.0.0.1', true);
    expect((await c.call('session.resume', { token })).result).toEqual({ session: null });
    expect(actions().slice(-2)).toEqual(['session.inactivitySignOut:ok:ivanova', 'session.resume:refused:-']);
  });

  it('a token is taken back only from the address that signed in', async () => {
    const a = console_('ws', '10.0.0.7', false);
    const { token } = (await a.call('session.signIn', { user: 'ivanova', password: 'ivanova password' })).result as { token: string };
    a.conn.close();
    const elsewhere = console_('ws', '10.0.0.99', false);
    expect((await elsewhere.call('session.resume', { token })).result).toEqual({ session: null });
    expect(m.audit.read(0, 100).at(-1)).toMatchObject({ action: 'session.resume', result: 'refused', detail: 'session token of ivanova presented from another address' });
    const back = console_('ws', '10.0.0.7', false);
    expect((await back.call('session.resume', { token })).result).toMatchObject({ session: { user: 'ivanova' } });
  });

  it('a window that closes ends its session', async () => {
    const c = console_();
    await c.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    c.conn.close();
    expect(actions().at(-1)).toBe('session.ended:ok:ivanova');
  });
});

describe('administration', () => {
  let admin: Console;
  beforeEach(async () => {
    await addAccount('admin', ['administrator'], 'admin password');
    admin = console_();
    await admin.call('session.signIn', { user: 'admin', password: 'admin password' });
  });

  it('creates, changes, disables and enables accounts, auditing old and new values, never the password', async () => {
    const created = await admin.call('accounts.create', { user: 'sidorov', displayName: 'I. Sidorov', roles: ['operator', 'engineer'], password: 'desk seven secret' });
    expect(created.result).toMatchObject({ user: 'sidorov', roles: ['operator', 'engineer'], disabled: null });
    const desk = console_();
    await desk.call('session.signIn', { user: 'sidorov', password: 'desk seven secret' });
    await admin.call('accounts.update', { user: 'sidorov', roles: ['operator'] });
    expect(desk.events.at(-1)).toMatchObject({ data: { reason: 'accountChanged', session: { roles: ['operator'] } } });
    const upd = m.audit.read(0, 100).find((e) => e.action === 'accounts.update')!;
    expect([upd.target, upd.oldValue, upd.newValue]).toEqual(['sidorov', '{"disabled":false,"displayName":"I. Sidorov","roles":["operator","engineer"]}', '{"disabled":false,"displayName":"I. Sidorov","roles":["operator"]}']);
    await admin.call('accounts.disable', { user: 'sidorov' });
    expect(desk.events.at(-1)).toMatchObject({ data: { session: null, reason: 'accountDisabled' } });
    // Answered as a wrong password: the right one must not be told apart on a disabled account (security review t3).
    expect((await desk.call('session.signIn', { user: 'sidorov', password: 'desk seven secret' })).error).toMatchObject({ i18n: { key: 'accounts.signIn.wrong' } });
    await admin.call('accounts.enable', { user: 'sidorov' });
    await admin.call('accounts.resetPassword', { user: 'sidorov', password: 'desk eight secret' });
    expect((await desk.call('session.signIn', { user: 'sidorov', password: 'desk eight secret' })).ok).toBe(true);
    const text = JSON.stringify(m.audit.read(0, 1000));
    expect(text).not.toContain('desk seven secret');
    expect(text).not.toContain('desk eight secret');
  });

  it('an administrator may not change the roles of their own account (separation of duties)', async () => {
    // README: "Duties are separated: an administrator manages accounts but does not operate the plant."
    const grant = await admin.call('accounts.update', { user: 'admin', roles: ['administrator', 'engineer'] });
    expect(grant.error).toMatchObject({ code: 'forbidden', i18n: { key: 'accounts.ownRoles' } });
    expect(m.store.get('admin')?.roles).toEqual(['administrator']);
    expect(m.sessions.sessionOf(admin.conn)?.roles).toEqual(['administrator']);
    expect(m.audit.read(0, 100).at(-1)).toMatchObject({ action: 'accounts.update', user: 'admin', target: 'admin', result: 'refused' });
    // Their own name may change (the roles sent as they are); another administrator may give them a role.
    expect((await admin.call('accounts.update', { user: 'admin', displayName: 'Chief', roles: ['administrator'] })).ok).toBe(true);
    await admin.call('accounts.create', { user: 'second', displayName: 'Second', roles: ['administrator'], password: 'deputy night phrase' });
    const other = console_();
    await other.call('session.signIn', { user: 'second', password: 'deputy night phrase' });
    expect((await other.call('accounts.update', { user: 'admin', roles: ['administrator', 'engineer'] })).result).toMatchObject({ roles: ['administrator', 'engineer'] });
  });

  it('keeps one enabled administrator', async () => {
    const res = await admin.call('accounts.disable', { user: 'admin' });
    expect(res.error).toMatchObject({ code: 'conflict', i18n: { key: 'accounts.lastAdministrator' } });
    // The last administrator cannot drop the role either: no one changes their own roles.
    expect((await admin.call('accounts.update', { user: 'admin', roles: ['engineer'] })).error).toMatchObject({ code: 'forbidden' });
    expect(m.store.get('admin')?.roles).toEqual(['administrator']);
  });

  it('names a missing account and a duplicate', async () => {
    expect((await admin.call('accounts.disable', { user: 'ghost' })).error).toMatchObject({ code: 'not_found', i18n: { key: 'accounts.notFound' } });
    expect((await admin.call('accounts.create', { user: 'admin', displayName: 'A', roles: ['operator'], password: 'long enough pw' })).error).toMatchObject({ code: 'conflict' });
    expect((await admin.call('accounts.create', { user: 'Bad Name', displayName: 'A', roles: ['operator'], password: 'long enough pw' })).error).toMatchObject({ code: 'bad_request' });
  });

  it('lists accounts without their hashes; the audit page reads and exports the trail', async () => {
    const list = (await admin.call('accounts.list')).result as Record<string, unknown>[];
    expect(list.map((a) => a.user)).toEqual(['admin']);
    expect(Object.keys(list[0]).sort()).toEqual(['changed', 'created', 'disabled', 'displayName', 'failures', 'lockedUntil', 'roles', 'user']);
    const page = (await admin.call('audit.query', { action: 'session.' })).result as { entries: { action: string }[] };
    expect(page.entries.map((e) => e.action)).toEqual(['session.signIn']);
    const exp = (await admin.call('audit.export', {})).result as { csv: string; rows: number; fileName: string };
    // A UTF-8 BOM first, so Excel reads Cyrillic and Chinese as written (README, audit export).
    expect(exp.csv.split('\r\n')[0]).toBe('\ufeffseq,time,user,role,action,target,old_value,new_value,comment,result,detail,source,hash');
    expect(exp.rows).toBe(3); // sign-in, accounts.list, audit.query: the export itself is written after it answers
    expect(exp.fileName).toMatch(/^vigil-audit-\d{8}-\d{6}\.csv$/);
  });
});

describe('browser mode beyond loopback', () => {
  it('answers nothing but sign-in before someone signs in, and audits what it refused', async () => {
    m.stop();
    tmp.remove();
    tmp = tempDir();
    open(true);
    await addAccount('ivanova', ['operator'], 'ivanova password');
    d.register('test', { 'tags.list': () => [] });
    const remote = console_('ws', '10.1.2.3', false);
    expect((await remote.call('tags.list')).error).toMatchObject({ code: 'forbidden', i18n: { key: 'accounts.signInToView' } });
    expect((await remote.call('session.current')).result).toMatchObject({ session: null, signInRequired: true, loopback: false });
    expect(d.receivesEvents(remote.conn)).toBe(false);
    await remote.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    expect((await remote.call('tags.list')).result).toEqual([]);
    expect(d.receivesEvents(remote.conn)).toBe(true);
    expect(actions()).toEqual(['tags.list:refused:-', 'session.signIn:ok:ivanova']);
  });
});

describe('passwords in the logs', () => {
  it('never appear, at any level, whatever the request did with them', async () => {
    m.stop();
    tmp.remove();
    tmp = tempDir();
    const lines: string[] = [];
    const capture = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    open(false, createLogger({ level: 'trace', destination: capture }));
    const c = console_();
    const passwords = ['first chief phrase', 'short', 'wrong chief phrase', 'operator night phrase', 'reset night phrase'];
    await c.call('accounts.createFirstAdmin', { user: 'admin', displayName: 'Admin', password: 'short' });
    await c.call('accounts.createFirstAdmin', { user: 'admin', displayName: 'Admin', password: 'first chief phrase' });
    await console_().call('session.signIn', { user: 'admin', password: 'wrong chief phrase' });
    await c.call('accounts.create', { user: 'petrova', displayName: 'Petrova', roles: ['operator'], password: 'operator night phrase' });
    await c.call('accounts.resetPassword', { user: 'petrova', password: 'reset night phrase' });
    await console_().call('session.signIn', { user: 'petrova', password: 'reset night phrase' });
    expect(actions()).toEqual([
      'accounts.createFirstAdmin:refused:-', 'accounts.createFirstAdmin:ok:admin', 'session.signIn:refused:admin',
      'accounts.create:ok:admin', 'accounts.resetPassword:ok:admin', 'session.signIn:ok:petrova',
    ]);
    // The log was written (the sign-ins); nothing of what the requests carried went into it.
    expect(lines.map((l) => (JSON.parse(l) as { msg: string; user?: string })).filter((l) => l.msg === 'signed in').map((l) => l.user)).toEqual(['admin', 'petrova']);
    const log = lines.join('');
    for (const p of passwords.filter((x) => x !== 'short')) expect(log).not.toContain(p);
    expect(log).not.toMatch(/"password"/);
  });
});
