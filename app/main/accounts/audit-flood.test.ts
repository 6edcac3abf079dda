/**
 * The audit trail under a flood of refused requests, and an action whose entry
 * cannot be written. Refusals cost a caller nothing, so repeats of one are
 * counted into one entry, none lost from the count; and an action is refused
 * before it runs when the trail cannot take its entry (README, "The audit
 * trail": the entry is committed before the action's answer leaves).
 *
 * Real parts: the accounts module and its audit.sqlite in a temp data
 * directory (read back here with SQLite directly), the dispatcher, the browser
 * server and a WebSocket client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { startBrowserServer, type BrowserServer } from '../api/browser-server.js';
import type { ServerMessage } from '../../shared/api.js';
import { silentLogger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';
import { auditDetail } from '../../renderer/lib/audit-detail.js';
import { Translator } from '../../shared/i18n/index.js';

const ru = new Translator('ru');

const cfg = testConfig();

let tmp: ReturnType<typeof tempDir>;
let accounts: AccountsModule;
let server: BrowserServer;
let silenced: number;
let stopped: boolean;
const sockets: WebSocket[] = [];

interface Row { action: string; user: string | null; result: string; detail: string | null }
/** The trail as SQLite holds it, read apart from the module. */
function trail(action: string): Row[] {
  const db = new Database(join(tmp.dir, 'audit.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT action, user, result, detail FROM audit WHERE action = ? ORDER BY seq').all(action) as Row[];
  } finally {
    db.close();
  }
}

type Answer = Extract<ServerMessage, { type: 'response' }>;

async function openConsole() {
  const host = `127.0.0.1:${server.port}`;
  const ws = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` } });
  sockets.push(ws);
  const answers = new Map<number, Answer>();
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as ServerMessage;
    if (m.type === 'response') answers.set(m.id, m);
  });
  await new Promise<void>((ok, fail) => ws.once('open', () => ok()).once('error', fail));
  let next = 1;
  const call = async (method: string, params: unknown = {}): Promise<Answer> => {
    const id = next++;
    ws.send(JSON.stringify({ type: 'call', id, method, params }));
    await expect.poll(() => answers.has(id)).toBe(true);
    return answers.get(id)!;
  };
  /** Sends n calls at once; resolves when all are answered. */
  const flood = async (n: number, method: string, params: unknown) => {
    const ids = Array.from({ length: n }, () => next++);
    for (const id of ids) ws.send(JSON.stringify({ type: 'call', id, method, params }));
    await expect.poll(() => ids.every((id) => answers.has(id)), { timeout: 20_000 }).toBe(true);
    return ids.map((id) => answers.get(id)!);
  };
  return { call, flood };
}

beforeEach(async () => {
  tmp = tempDir();
  stopped = false;
  accounts = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock: new TestClock() });
  const dispatcher = new Dispatcher(silentLogger());
  accounts.register(dispatcher);
  silenced = 0;
  dispatcher.register('test', { 'alarms.silence': () => ({ silenced: ++silenced }) });
  accounts.store.insert({ user: 'ivanova', displayName: 'Ivanova', roles: ['operator'], password: await hashPassword('ivanova password', cfg.passwordHash) }, Date.UTC(2026, 10, 1));
  writeFileSync(join(tmp.dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  server = await startBrowserServer({ port: 0, rendererDir: tmp.dir, dispatcher, events: new EventHub(), logger: silentLogger() });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close();
  await server?.close();
  if (!stopped) accounts?.stop();
  tmp.remove();
});

describe('a flood of refused requests', () => {
  it('writes the first refusal at once and counts the repeats into one entry, none lost', async () => {
    const N = 3000;
    const c = await openConsole();
    const answers = await c.flood(N, 'accounts.disable', { user: 'ivanova' });
    // Each refused as not signed in, or (beyond the calls one console may have in flight) as busy.
    const forbidden = answers.filter((a) => !a.ok && a.error.code === 'forbidden').length;
    const busy = answers.filter((a) => !a.ok && a.error.code === 'unavailable' && a.error.i18n?.key === 'error.busy').length;
    expect(forbidden).toBeGreaterThan(0);
    expect(forbidden + busy).toBe(N);
    const first = trail('accounts.disable');
    expect(first[0]).toEqual({ action: 'accounts.disable', user: null, result: 'refused', detail: expect.stringContaining('sign in first') });
    expect(first.slice(1)).toEqual(busy > 0 ? [{ action: 'accounts.disable', user: null, result: 'failed', detail: expect.stringContaining('calls in flight') }] : []);

    // Someone else's refusal is not held back behind the flood.
    const desk = await openConsole();
    await desk.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    expect(await desk.call('accounts.disable', { user: 'ivanova' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(trail('accounts.disable').map((e) => e.user)).toEqual([...first.map(() => null), 'ivanova']);

    // The station stops: the counts still open go into the trail before it closes. Each kind
    // is its first entry and one "n more" entry (none when it came once): together N.
    accounts.stop();
    stopped = true;
    const entries = trail('accounts.disable').filter((e) => e.user === null);
    let counted = 0;
    for (const e of entries) {
      const more = /^(\d+) more refused like this/.exec(e.detail ?? '');
      counted += more ? Number(more[1]) : 1;
    }
    expect(entries.length).toBeLessThanOrEqual(4);
    expect(counted).toBe(N);

    // The console's Audit page reads these details in Russian (it matches the station's words: a change here must reach it).
    const said = [...trail('accounts.disable').filter((e) => e.result === 'refused'), ...trail('station.started')].map((e) => e.detail!);
    expect(said.length).toBeGreaterThanOrEqual(3);
    for (const d of said) expect(auditDetail(d, ru.t.bind(ru), 'ru'), d).not.toBe(d);
  });
});

/** Refusals of an action by a caller not signed in, as the trail holds them: each entry one, or its "n more". */
function countedRefusals(action: string): { entries: number; counted: number } {
  const entries = trail(action).filter((e) => e.user === null);
  let counted = 0;
  for (const e of entries) {
    const more = /^(\d+) more refused like this/.exec(e.detail ?? '');
    counted += more ? Number(more[1]) : 1;
  }
  return { entries: entries.length, counted };
}

describe('a flood of requests refused or answered by their handler (security review t7, t8)', () => {
  const N = 600;

  it('counts resumes with a made-up token like other refusals, none lost', async () => {
    const c = await openConsole();
    const answers = await c.flood(N, 'session.resume', { token: 'made-up-token' });
    expect(answers.every((a) => (a.ok ? (a.result as { session: unknown }).session === null : a.error.code === 'unavailable'))).toBe(true);
    accounts.stop();
    stopped = true;
    // A first entry and one "n more" for the refusal (and for busy, when calls were refused as such): N in all.
    const { entries, counted } = countedRefusals('session.resume');
    expect(entries).toBeLessThanOrEqual(4);
    expect(counted).toBe(N);
  });

  it('writes nothing for a sign-out where nobody was signed in; a real sign-out is still written', async () => {
    const c = await openConsole();
    const answers = await c.flood(N, 'session.signOut', {});
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(0);
    expect(answers.every((a) => (a.ok ? (a.result as { signedOut: boolean }).signedOut === false : a.error.i18n?.key === 'error.busy'))).toBe(true);
    // Only the calls refused as busy (beyond those one console may have in flight) are on record, counted.
    expect(trail('session.signOut').filter((e) => e.result === 'ok')).toEqual([]);
    await c.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    expect(await c.call('session.signOut')).toMatchObject({ ok: true, result: { signedOut: true } });
    expect(trail('session.signOut').filter((e) => e.result === 'ok')).toEqual([{ action: 'session.signOut', user: 'ivanova', result: 'ok', detail: null }]);
  });

  it('counts refused first-administrator requests, none lost, naming nobody', async () => {
    const c = await openConsole();
    const answers = await c.flood(N, 'accounts.createFirstAdmin', { user: 'petrov', displayName: 'P', password: 'a long passphrase' });
    expect(answers.every((a) => !a.ok)).toBe(true);
    accounts.stop();
    stopped = true;
    const { entries, counted } = countedRefusals('accounts.createFirstAdmin');
    expect(entries).toBeLessThanOrEqual(6);
    expect(counted).toBe(N);
    expect(trail('accounts.createFirstAdmin').every((e) => e.user === null)).toBe(true);
  });
});

describe('an action whose audit entry cannot be written', () => {
  it('is refused before it runs, with a key the console shows; it runs again once the trail is back', async () => {
    const desk = await openConsole();
    await desk.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    expect(await desk.call('alarms.silence')).toMatchObject({ ok: true, result: { silenced: 1 } });

    // The trail's file moved away under the running station: SQLite would write on into the moved file.
    const file = join(tmp.dir, 'audit.sqlite');
    renameSync(file, `${file}.moved`);
    expect(await desk.call('alarms.silence')).toMatchObject({ ok: false, error: { code: 'unavailable', i18n: { key: 'error.auditUnavailable' } } });
    expect(silenced).toBe(1);

    renameSync(`${file}.moved`, file);
    expect(await desk.call('alarms.silence')).toMatchObject({ ok: true, result: { silenced: 2 } });
    expect(trail('alarms.silence').map((e) => e.result)).toEqual(['ok', 'ok']);
    expect(trail('audit.resumed')).toHaveLength(1);
  });

  it('refuses a sign-in (it could not be traced) but lets a sign-out run', async () => {
    const leaving = await openConsole();
    await leaving.call('session.signIn', { user: 'ivanova', password: 'ivanova password' });
    const file = join(tmp.dir, 'audit.sqlite');
    renameSync(file, `${file}.moved`);

    const arriving = await openConsole();
    expect(await arriving.call('session.signIn', { user: 'ivanova', password: 'ivanova password' }))
      .toMatchObject({ ok: false, error: { code: 'unavailable', i18n: { key: 'error.auditUnavailable' } } });
    expect(await arriving.call('alarms.silence')).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(await leaving.call('session.signOut')).toMatchObject({ ok: true, result: { signedOut: true } });
    expect(await leaving.call('alarms.silence')).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    renameSync(`${file}.moved`, file);
    expect(await arriving.call('session.signIn', { user: 'ivanova', password: 'ivanova password' })).toMatchObject({ ok: true });
    expect(trail('session.signIn').map((e) => e.result)).toEqual(['ok', 'ok']);
  });
});
