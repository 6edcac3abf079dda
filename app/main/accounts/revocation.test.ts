/**
 * A session ends when its account no longer carries it (README, "First start":
 * `passwd` sets a new password, `disable` — "her sessions end"): after an
 * administrator's new password, after `npm run accounts -- passwd` and
 * `disable` run as another process on the same accounts.sqlite, the old
 * session acts no more, its resume token takes nothing back, and its console
 * is told (session.changed) so it stops showing the user. And a session taken
 * up with its token on another connection leaves the first one told.
 *
 * Real parts: the accounts module on a temp data directory, the dispatcher,
 * the browser server and WebSocket clients, the CLI as a child process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { startBrowserServer, type BrowserServer } from '../api/browser-server.js';
import type { ServerMessage } from '../../shared/api.js';
import { repoRoot } from '../args.js';
import { cliCommand } from '../../../scripts/cli-bundles.js';
import { silentLogger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

const cfg = testConfig({ inactivitySignOutMin: 10 });

let tmp: ReturnType<typeof tempDir>;
let accounts: AccountsModule;
let server: BrowserServer;
let silenced: number;
const sockets: WebSocket[] = [];

type Answer = Extract<ServerMessage, { type: 'response' }>;
interface WsConsole {
  received: ServerMessage[];
  call(method: string, params?: unknown): Promise<Answer>;
  /** session.changed events received so far. */
  changes(): { session: { user: string } | null; reason: string }[];
}

async function openConsole(): Promise<WsConsole> {
  const host = `127.0.0.1:${server.port}`;
  const ws = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` } });
  sockets.push(ws);
  const received: ServerMessage[] = [];
  ws.on('message', (raw) => received.push(JSON.parse(String(raw)) as ServerMessage));
  await new Promise<void>((ok, fail) => ws.once('open', () => ok()).once('error', fail));
  let next = 1;
  return {
    received,
    call: async (method, params = {}) => {
      const id = next++;
      ws.send(JSON.stringify({ type: 'call', id, method, params }));
      await expect.poll(() => received.some((m) => m.type === 'response' && m.id === id)).toBe(true);
      return received.find((m): m is Answer => m.type === 'response' && m.id === id)!;
    },
    changes: () => received.filter((m) => m.type === 'event' && m.name === 'session.changed').map((m) => (m as unknown as { data: never }).data),
  };
}

/** `npm run accounts -- ...` as a shell runs it: its own process on the same data directory. */
function accountsCli(args: string[], stdin = ''): Promise<{ code: number; err: string }> {
  return new Promise((resolve, reject) => {
    const [node, bundle] = cliCommand('accounts');
    const child = spawn(node, [bundle, ...args, '--data', tmp.dir], { cwd: repoRoot, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, err }));
    child.stdin.end(stdin);
  });
}

const silence = (c: WsConsole) => c.call('alarms.silence');
const signIn = async (c: WsConsole, user: string, password: string) => {
  const answer = await c.call('session.signIn', { user, password });
  expect(answer).toMatchObject({ ok: true });
  return (answer as { result: { token: string } }).result.token;
};

beforeEach(async () => {
  tmp = tempDir();
  // The data directory's own station.yaml applies to the CLI too: cheap hashes.
  const base = readFileSync(join(repoRoot, 'resources', 'station.yaml'), 'utf8');
  writeFileSync(join(tmp.dir, 'station.yaml'), `${base}\naccounts:\n  passwordHash: { N: 1024, r: 8, p: 1 }\n`);
  accounts = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock: new TestClock() });
  const dispatcher = new Dispatcher(silentLogger());
  accounts.register(dispatcher);
  silenced = 0;
  dispatcher.register('test', { 'alarms.silence': () => ({ silenced: ++silenced }) });
  for (const [user, roles, password] of [['ivanova', ['operator'], 'ivanova password'], ['admin', ['administrator'], 'admin password']] as const) {
    accounts.store.insert({ user, displayName: user, roles: [...roles], password: await hashPassword(password, cfg.passwordHash) }, Date.UTC(2026, 10, 1));
  }
  writeFileSync(join(tmp.dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  server = await startBrowserServer({ port: 0, rendererDir: tmp.dir, dispatcher, events: new EventHub(), logger: silentLogger() });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close();
  await server?.close();
  accounts?.stop();
  tmp.remove();
});

describe('a new password ends the sessions begun under the old one', () => {
  it("set by an administrator: the session acts no more, its console is told, its token resumes nothing", async () => {
    const desk = await openConsole();
    const token = await signIn(desk, 'ivanova', 'ivanova password');
    expect(await silence(desk)).toMatchObject({ ok: true });

    const office = await openConsole();
    await signIn(office, 'admin', 'admin password');
    expect(await office.call('accounts.resetPassword', { user: 'ivanova', password: 'a brand new password' })).toMatchObject({ ok: true });

    expect(desk.changes().at(-1)).toEqual({ session: null, reason: 'passwordChanged' });
    expect(await silence(desk)).toMatchObject({ ok: false, error: { code: 'forbidden', i18n: { key: 'error.forbidden.signIn' } } });
    expect(silenced).toBe(1);
    expect((await desk.call('session.current')) as unknown).toMatchObject({ result: { session: null } });
    const elsewhere = await openConsole();
    expect(await elsewhere.call('session.resume', { token })).toMatchObject({ ok: true, result: { session: null } });
    // The new password works; the administrator's own session is untouched.
    await signIn(await openConsole(), 'ivanova', 'a brand new password');
    expect(office.changes().at(-1)).toMatchObject({ session: { user: 'admin' } });
  });

  it('set with `accounts passwd` from another process: the next request finds the session ended', async () => {
    const desk = await openConsole();
    const token = await signIn(desk, 'ivanova', 'ivanova password');
    const cli = await accountsCli(['passwd', 'ivanova'], 'another new password\n');
    expect(cli).toEqual({ code: 0, err: '' });

    expect(await silence(desk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(silenced).toBe(0);
    expect(desk.changes().at(-1)).toEqual({ session: null, reason: 'passwordChanged' });
    expect(await (await openConsole()).call('session.resume', { token })).toMatchObject({ result: { session: null } });
  });
});

describe('an account disabled from the CLI (another process)', () => {
  it('ends its session at the next request', async () => {
    const desk = await openConsole();
    const token = await signIn(desk, 'ivanova', 'ivanova password');
    expect(await accountsCli(['disable', 'ivanova'])).toEqual({ code: 0, err: '' });

    expect(await silence(desk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(silenced).toBe(0);
    expect(desk.changes().at(-1)).toEqual({ session: null, reason: 'accountDisabled' });
    expect(await (await openConsole()).call('session.resume', { token })).toMatchObject({ result: { session: null } });
  });

  it('ends a session that makes no request at the next check of the station, and tells its console', async () => {
    const desk = await openConsole();
    await signIn(desk, 'ivanova', 'ivanova password');
    expect(await accountsCli(['disable', 'ivanova'])).toEqual({ code: 0, err: '' });
    accounts.sessions.tick(); // what the station runs every second
    await expect.poll(() => desk.changes().at(-1)).toEqual({ session: null, reason: 'accountDisabled' });
    const ended = accounts.audit.read(0, 100).filter((e) => e.action === 'session.ended');
    expect(ended).toMatchObject([{ user: 'ivanova', detail: 'the account was disabled' }]);
  });
});

describe('a session taken up with its token on another connection', () => {
  it('leaves the connection it was on told, and acting no more', async () => {
    const first = await openConsole();
    const token = await signIn(first, 'ivanova', 'ivanova password');
    const second = await openConsole();
    expect(await second.call('session.resume', { token })).toMatchObject({ result: { session: { user: 'ivanova' } } });

    await expect.poll(() => first.changes().at(-1)).toEqual({ session: null, reason: 'resumedElsewhere' });
    expect(await silence(first)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await silence(second)).toMatchObject({ ok: true });
  });
});
