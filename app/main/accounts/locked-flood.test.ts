/**
 * A name locked for a source is refused before any password is looked at, at once and without a
 * delay: such a refusal costs its caller nothing, so a guesser (from the network before sign-in,
 * or any local process) repeating it could write the audit trail full, one synchronous entry per
 * try. Like the other refusals that come before a request runs (README, "The audit trail"), the
 * first is written at once and the repeats from the same source for the same name are counted
 * into one entry, none lost from the count; the lock itself is still written when it begins.
 *
 * Real parts: the accounts module and its audit.sqlite in a temp data directory (read back here
 * with SQLite directly), the dispatcher, the browser server and a WebSocket client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
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

const cfg = testConfig({ lockAfterFailures: 3 });

let tmp: ReturnType<typeof tempDir>;
let accounts: AccountsModule;
let server: BrowserServer;
let stopped: boolean;
const sockets: WebSocket[] = [];

interface Row { action: string; user: string | null; result: string; detail: string | null }
/** The trail as SQLite holds it, read apart from the module. */
function trail(): Row[] {
  const db = new Database(join(tmp.dir, 'audit.sqlite'), { readonly: true });
  try {
    return db.prepare("SELECT action, user, result, detail FROM audit WHERE action IN ('session.signIn', 'accounts.locked') ORDER BY seq").all() as Row[];
  } finally {
    db.close();
  }
}

type Answer = Extract<ServerMessage, { type: 'response' }>;

/** A console whose calls go one after another (a console checks one sign-in at a time). */
async function openConsole() {
  const host = `127.0.0.1:${server.port}`;
  const ws = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` } });
  sockets.push(ws);
  const waiting = new Map<number, (a: Answer) => void>();
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as ServerMessage;
    if (m.type === 'response') waiting.get(m.id)?.(m);
  });
  await new Promise<void>((ok, fail) => ws.once('open', () => ok()).once('error', fail));
  let next = 1;
  return (method: string, params: unknown): Promise<Answer> => new Promise((ok) => {
    const id = next++;
    waiting.set(id, ok);
    ws.send(JSON.stringify({ type: 'call', id, method, params }));
  });
}

beforeEach(async () => {
  tmp = tempDir();
  stopped = false;
  accounts = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock: new TestClock() });
  const dispatcher = new Dispatcher(silentLogger());
  accounts.register(dispatcher);
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

describe('sign-ins refused because the name is locked for the source', () => {
  it('the first is written at once, the repeats counted into one entry, none lost; the lock is written when it begins', async () => {
    const call = await openConsole();
    for (let i = 0; i < cfg.lockAfterFailures; i++) await call('session.signIn', { user: 'ivanova', password: `guess ${i}` });
    const N = 300;
    for (let i = 0; i < N; i++) {
      expect(await call('session.signIn', { user: 'ivanova', password: `guess after the lock ${i}` }))
        .toMatchObject({ ok: false, error: { code: 'forbidden', i18n: { key: 'accounts.signIn.locked' } } });
    }
    const locked = (rows: Row[]) => rows.filter((e) => e.action === 'session.signIn' && /account locked until/.test(e.detail ?? ''));
    // While the flood goes on: its first entry only, not one per try.
    expect(locked(trail())).toEqual([{ action: 'session.signIn', user: 'ivanova', result: 'refused', detail: expect.stringMatching(/^account locked until /) }]);
    expect(trail().filter((e) => e.action === 'accounts.locked')).toHaveLength(1);

    // The station stops: the count still open goes into the trail, and adds up to every try.
    accounts.stop();
    stopped = true;
    const entries = locked(trail());
    let counted = 0;
    for (const e of entries) {
      const more = /^(\d+) more refused like this/.exec(e.detail ?? '');
      counted += more ? Number(more[1]) : 1;
    }
    expect(entries).toHaveLength(2);
    expect(entries[1]!.detail).toMatch(/^\d+ more refused like this within 10 s of the first: account locked until /);
    expect(counted).toBe(N);
  });

  it('an unknown name locked alike is counted alike, under its keyed hash', async () => {
    const call = await openConsole();
    for (let i = 0; i < cfg.lockAfterFailures; i++) await call('session.signIn', { user: 'nobody-here', password: `guess ${i}` });
    for (let i = 0; i < 50; i++) await call('session.signIn', { user: 'nobody-here', password: `again ${i}` });
    const locked = trail().filter((e) => e.action === 'session.signIn' && /account locked until/.test(e.detail ?? ''));
    expect(locked).toEqual([{ action: 'session.signIn', user: expect.stringMatching(/^unknown account #[0-9a-f]{12}$/), result: 'refused', detail: expect.stringMatching(/^account locked until /) }]);
  });
});
