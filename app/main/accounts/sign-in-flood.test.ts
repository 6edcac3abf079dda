/**
 * A flood of sign-ins must not take the station from its operators (each
 * password check is a scrypt of 128 MiB): one console has at most one
 * sign-in being checked, a second is refused at once; over all consoles at
 * most a few checks run at the same time, a bounded number wait, and the rest
 * are refused at once. Counted, not timed: the password check is replaced by
 * one the test holds and releases, and counts how many run at once.
 *
 * Real parts: the accounts module on a temp data directory, the dispatcher,
 * the browser server and WebSocket clients.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { TransportConnection } from '../api/connection.js';
import { startBrowserServer, type BrowserServer } from '../api/browser-server.js';
import type { ServerMessage } from '../../shared/api.js';
import { silentLogger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword, verifyPassword, type PasswordHash } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

const cfg = testConfig();
const CAP = 2;
const WAITING = 3;

let tmp: ReturnType<typeof tempDir>;
let accounts: AccountsModule;
let server: BrowserServer;
const sockets: WebSocket[] = [];

/** The password checks the station started, each held until the test releases it. */
let held: { release(): void }[];
let running: number;
let mostAtOnce: number;

async function heldVerify(password: string, stored: PasswordHash): Promise<boolean> {
  running++;
  mostAtOnce = Math.max(mostAtOnce, running);
  await new Promise<void>((release) => held.push({ release }));
  running--;
  return verifyPassword(password, stored);
}

type Answer = Extract<ServerMessage, { type: 'response' }>;

async function openConsole() {
  const host = `127.0.0.1:${server.port}`;
  const ws = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` } });
  sockets.push(ws);
  const answers: Answer[] = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as ServerMessage;
    if (m.type === 'response') answers.push(m);
  });
  await new Promise<void>((ok, fail) => ws.once('open', () => ok()).once('error', fail));
  return {
    answers,
    send: (id: number, method: string, params: unknown) => ws.send(JSON.stringify({ type: 'call', id, method, params })),
    answer: (id: number) => answers.find((a) => a.id === id),
  };
}

const keyOf = (a: Answer | undefined) => (a && !a.ok ? a.error.i18n?.key : a?.ok ? 'ok' : undefined);

beforeEach(async () => {
  tmp = tempDir();
  held = [];
  running = 0;
  mostAtOnce = 0;
  accounts = AccountsModule.open({
    dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock: new TestClock(),
    // These consoles are all on loopback, one source: here it may fill every place (its share is tested below).
    checker: { verify: heldVerify, maxConcurrentChecks: CAP, maxWaitingChecks: WAITING, maxChecksPerSource: 100 },
  });
  const dispatcher = new Dispatcher(silentLogger());
  accounts.register(dispatcher);
  accounts.store.insert({ user: 'ivanova', displayName: 'Ivanova', roles: ['operator'], password: await hashPassword('ivanova password', cfg.passwordHash) }, Date.UTC(2026, 10, 1));
  writeFileSync(join(tmp.dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  server = await startBrowserServer({ port: 0, rendererDir: tmp.dir, dispatcher, events: new EventHub(), logger: silentLogger() });
});

afterEach(async () => {
  for (const h of held.splice(0)) h.release();
  for (const ws of sockets.splice(0)) ws.close();
  await server?.close();
  accounts?.stop();
  tmp.remove();
});

describe('sign-ins on one console', () => {
  it('a second sign-in while one is checked is refused at once; after the answer the next is taken', async () => {
    const desk = await openConsole();
    desk.send(1, 'session.signIn', { user: 'ivanova', password: 'ivanova password' });
    await expect.poll(() => held.length).toBe(1);
    desk.send(2, 'session.signIn', { user: 'nobody', password: 'guess' });
    // Answered while the first check is still held: refused, nothing checked for it.
    await expect.poll(() => desk.answer(2)).toBeDefined();
    expect(desk.answer(2)).toMatchObject({ ok: false, error: { code: 'conflict', i18n: { key: 'accounts.signIn.inProgress' } } });
    expect(desk.answer(1)).toBeUndefined();
    expect(held.length).toBe(1);

    held[0]!.release();
    await expect.poll(() => keyOf(desk.answer(1))).toBe('ok');
    desk.send(3, 'session.signIn', { user: 'ivanova', password: 'ivanova password' });
    await expect.poll(() => held.length).toBe(2);
    held[1]!.release();
    await expect.poll(() => keyOf(desk.answer(3))).toBe('ok');
  });
});

describe('sign-ins over all consoles', () => {
  it(`never check more than ${CAP} passwords at once; ${WAITING} wait, the rest are refused at once`, async () => {
    const consoles = await Promise.all(Array.from({ length: 10 }, () => openConsole()));
    consoles.forEach((c, i) => c.send(1, 'session.signIn', { user: `flood${i}`, password: 'guess' }));
    // 10 at once: CAP checked, WAITING wait, 10 - CAP - WAITING refused without a check.
    await expect.poll(() => consoles.filter((c) => keyOf(c.answer(1)) === 'accounts.signIn.busy').length).toBe(10 - CAP - WAITING);
    expect(consoles.filter((c) => c.answer(1) === undefined)).toHaveLength(CAP + WAITING);
    expect(held.length).toBe(CAP);

    // An operator's sign-in now is refused at once too, with a key the console can show.
    const desk = await openConsole();
    desk.send(1, 'session.signIn', { user: 'ivanova', password: 'ivanova password' });
    await expect.poll(() => desk.answer(1)).toBeDefined();
    expect(desk.answer(1)).toMatchObject({ ok: false, error: { code: 'unavailable', i18n: { key: 'accounts.signIn.busy' } } });
    // Refused unchecked, they name nobody in the trail, and count into one entry: a flood of them is no flood there.
    expect(accounts.audit.read(0, 100).filter((e) => e.action === 'session.signIn')).toMatchObject([{ user: null, result: 'failed' }]);

    // Released one by one: each that ends lets one waiting in, never more than CAP at once.
    for (let released = 0; released < CAP + WAITING; released++) {
      await expect.poll(() => held.length).toBe(Math.min(CAP + released, CAP + WAITING));
      held[released]!.release();
    }
    await expect.poll(() => consoles.filter((c) => keyOf(c.answer(1)) === 'accounts.signIn.wrong').length).toBe(CAP + WAITING);
    expect(mostAtOnce).toBe(CAP);

    // The flood over, the operator signs in.
    desk.send(2, 'session.signIn', { user: 'ivanova', password: 'ivanova password' });
    await expect.poll(() => held.length).toBe(CAP + WAITING + 1);
    held.at(-1)!.release();
    await expect.poll(() => keyOf(desk.answer(2))).toBe('ok');
  });
});

describe('sign-ins from several sources (security review t6)', () => {
  it('each source has its share, and the station\'s own console has places a flood from the network cannot take', async () => {
    // Hand count with 2 running, 6 waiting, 3 per source, 2 waiting places kept for the station's console.
    const m = AccountsModule.open({
      dataDir: join(tmp.dir, 'shares'), config: () => cfg, logger: silentLogger(), clock: new TestClock(),
      checker: { verify: heldVerify, maxConcurrentChecks: 2, maxWaitingChecks: 6, maxChecksPerSource: 3, waitingReservedForLocal: 2 },
    });
    try {
      const d = new Dispatcher(silentLogger());
      m.register(d);
      m.store.insert({ user: 'ivanova', displayName: 'Ivanova', roles: ['operator'], password: await hashPassword('ivanova password', cfg.passwordHash) }, Date.UTC(2026, 10, 1));
      type Reply = { ok: boolean; error?: { i18n?: { key: string } } };
      const signIn = (remote: string, loopback: boolean, user: string, password = 'guess'): { reply: Reply | undefined } => {
        const out: { reply: Reply | undefined } = { reply: undefined };
        const conn = new TransportConnection(loopback ? 'ipc' : 'ws', remote, loopback, () => undefined);
        void d.dispatch('session.signIn', { user, password }, conn).then((r) => (out.reply = r as Reply));
        return out;
      };
      const busy = (calls: { reply: Reply | undefined }[]) => calls.filter((c) => c.reply?.error?.i18n?.key === 'accounts.signIn.busy').length;
      // 5 consoles at 10.0.0.1: 3 in flight (2 running, 1 waiting), 2 refused.
      const a = Array.from({ length: 5 }, (_, i) => signIn('10.0.0.1', false, `a${i}`));
      await expect.poll(() => busy(a)).toBe(2);
      // 5 at 10.0.0.2: 3 waiting (4 of the 6 places are open to the network), 2 refused.
      const b = Array.from({ length: 5 }, (_, i) => signIn('10.0.0.2', false, `b${i}`));
      await expect.poll(() => busy(b)).toBe(2);
      // A third address finds the network's places taken.
      const c = signIn('10.0.0.3', false, 'ivanova', 'ivanova password');
      await expect.poll(() => c.reply?.error?.i18n?.key).toBe('accounts.signIn.busy');
      // The station's own console waits in a place of its own, and signs the operator in.
      const desk = signIn('window', true, 'ivanova', 'ivanova password');
      await new Promise((r) => setTimeout(r, 50));
      expect(desk.reply).toBeUndefined();
      for (let released = 0; released < 3 + 3 + 1; released++) {
        await expect.poll(() => held.length).toBeGreaterThan(released);
        held[released]!.release();
      }
      await expect.poll(() => desk.reply?.ok).toBe(true);
      expect(mostAtOnce).toBe(2);
    } finally {
      m.stop();
    }
  });
});
