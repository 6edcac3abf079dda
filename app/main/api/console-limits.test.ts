/**
 * Browser mode keeps a bounded number of console sockets open, per source address and in total:
 * a local program opening thousands (each with its session state, subscriptions and a descriptor)
 * would otherwise exhaust the station while the control room watches. Sockets nobody signed in on
 * give way, the idle-longest first (at the total, from the source holding the most), so such a
 * flood never shuts out a signed-in console's reconnect; sockets someone is signed in on are never
 * closed to make room, and only when every place is theirs is a new one refused. Either way the
 * client reads why (close 1013, "try again later", RFC 6455 §7.4 / IANA registry, with a reason),
 * and the log says it once per burst.
 *
 * Real parts: the browser server, the dispatcher, the accounts module and its SQLite files in a
 * temp data directory, `ws` clients from distinct loopback addresses (127.0.0.2, .3, ...).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { Dispatcher, EventHub } from './dispatcher.js';
import { startBrowserServer, type BrowserServer } from './browser-server.js';
import { openWsConsole, type WsConsole } from './testing/ws-console.js';
import { createLogger, silentLogger } from '../log.js';
import { AccountsModule } from '../accounts/module.js';
import { hashPassword } from '../accounts/password.js';
import { tempDir, TestClock, testConfig } from '../accounts/testing/fixtures.js';

const cfg = testConfig();
const PASSWORD = 'ivanova night shift';
/** Try Again Later (IANA WebSocket close code registry). */
const TRY_AGAIN_LATER = 1013;

let tmp: ReturnType<typeof tempDir>;
let accounts: AccountsModule;
let server: BrowserServer | null;
let logLines: Record<string, unknown>[];
const opened: WebSocket[] = [];
const children: ChildProcess[] = [];

type Console = WsConsole;

/** A console socket from a loopback address of its own (the source the station counts by). */
const openConsole = (from = '127.0.0.1', opts?: { autoPong?: boolean }): Promise<Console> => openWsConsole(server!.port, opened, from, opts);

/** `awake`: with autoPong off, the console answers pings while it says true (its PC goes to sleep when it says false). */
async function signedIn(from?: string, opts?: { autoPong?: boolean; awake?: () => boolean }): Promise<Console & { token: string }> {
  const c = await openConsole(from, opts);
  const awake = opts?.awake;
  if (awake) c.ws.on('ping', (data: Buffer) => awake() && c.ws.pong(data));
  const res = await c.call('session.signIn', { user: 'ivanova', password: PASSWORD });
  expect(res).toMatchObject({ ok: true });
  return { ...c, token: (res as { result: { token: string } }).result.token };
}

async function start(consoleLimits: { perSource: number; total: number }, liveness?: { firstCallMs?: number; pingMs?: number }) {
  const dispatcher = new Dispatcher(silentLogger());
  accounts.register(dispatcher);
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  server = await startBrowserServer({
    port: 0, rendererDir: tmp.dir, dispatcher, events: new EventHub(), logger: createLogger({ level: 'warn', destination }), consoleLimits, liveness,
  });
}

/** The station's own count of what it holds: a socket it still has open answers a call. */
async function answers(c: Console): Promise<boolean> {
  return (await c.call('session.current')).ok;
}

beforeEach(async () => {
  tmp = tempDir();
  logLines = [];
  server = null;
  accounts = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock: new TestClock() });
  accounts.store.insert({ user: 'ivanova', displayName: 'Ivanova', roles: ['operator'], password: await hashPassword(PASSWORD, cfg.passwordHash) }, Date.UTC(2026, 10, 1));
  writeFileSync(join(tmp.dir, 'index.html'), '<!doctype html><title>Vigil</title>');
});

afterEach(async () => {
  for (const ws of opened.splice(0)) ws.terminate();
  for (const child of children.splice(0)) child.kill();
  await server?.close();
  accounts.stop();
  tmp.remove();
});

describe('console sockets from one address', () => {
  it("a flood of sockets nobody signs in on never shuts out a signed-in console's reconnect: the idle-longest gives way, told why", async () => {
    await start({ perSource: 4, total: 100 });
    const desk = await signedIn();
    const flood = [await openConsole(), await openConsole(), await openConsole()];
    // The desk's link drops (its session waits for the token); the flood takes the place at once.
    desk.ws.terminate();
    await expect.poll(() => server!.consoles()).toBe(3);
    flood.push(await openConsole());

    // The desk reconnects: the flood's idle-longest socket (its first) is closed to make room, saying why.
    const back = await openConsole();
    expect(await flood[0]!.closed).toEqual({ code: TRY_AGAIN_LATER, reason: expect.stringMatching(/^closed to make room: too many consoles from this address/) });
    expect(flood.slice(1).every((f) => !f.isClosed())).toBe(true);
    expect(await back.call('session.resume', { token: desk.token })).toMatchObject({ ok: true, result: { session: { user: 'ivanova' } } });

    // More of the flood: each new socket makes room from the flood's own, never from the signed-in console.
    for (let i = 0; i < 12; i++) flood.push(await openConsole());
    await expect.poll(() => flood.filter((f) => f.isClosed()).length).toBe(flood.length - 3);
    expect(back.isClosed()).toBe(false);
    expect(await answers(back)).toBe(true);
  });

  it('when someone is signed in on every place, a new socket is refused with its reason; the others stay', async () => {
    await start({ perSource: 3, total: 100 });
    const desks = [await signedIn(), await signedIn(), await signedIn()];
    const late = await openConsole();
    expect(await late.closed).toEqual({ code: TRY_AGAIN_LATER, reason: expect.stringMatching(/^refused: 3 consoles are connected from this address already, each signed in/) });
    for (const d of desks) expect(await answers(d)).toBe(true);
    // Another address has places of its own.
    expect(await answers(await openConsole('127.0.0.2'))).toBe(true);
    // One signs out: its socket is nobody's now and gives way to a new one.
    expect(await desks[2]!.call('session.signOut')).toMatchObject({ ok: true });
    const next = await openConsole();
    expect(await desks[2]!.closed).toMatchObject({ code: TRY_AGAIN_LATER });
    expect(await answers(next)).toBe(true);
  });
});

describe('console sockets from all addresses', () => {
  it('at the total, the source holding the most places makes room from its own, not another address its idle-longest', async () => {
    await start({ perSource: 4, total: 6 });
    const quiet = await openConsole('127.0.0.3'); // the idle-longest of all, but its address holds one place
    const flood = [await openConsole('127.0.0.2'), await openConsole('127.0.0.2'), await openConsole('127.0.0.2'), await openConsole('127.0.0.2')];
    const desk = await signedIn('127.0.0.3');
    const newcomer = await openConsole('127.0.0.4');
    expect(await flood[0]!.closed).toEqual({ code: TRY_AGAIN_LATER, reason: expect.stringMatching(/^closed to make room: too many consoles connected/) });
    for (const c of [quiet, desk, newcomer, ...flood.slice(1)]) expect(await answers(c)).toBe(true);
  });
});

describe('the log of a burst', () => {
  it('says it once when it begins, and once how many more when it ends, not once per socket', async () => {
    await start({ perSource: 2, total: 100 });
    const flood: Console[] = [];
    for (let i = 0; i < 20; i++) flood.push(await openConsole());
    await expect.poll(() => flood.filter((f) => f.isClosed()).length).toBe(18);
    const said = () => logLines.filter((l) => /make room|refused/.test(String(l.msg)));
    expect(said()).toHaveLength(1);
    expect(said()[0]).toMatchObject({ level: 40, source: '127.0.0.1', msg: expect.stringMatching(/closed to make room/) });
    // The station stops: the burst still open is written with its count (18 closed, the first already said).
    await server!.close();
    server = null;
    expect(said()).toHaveLength(2);
    expect(said()[1]).toMatchObject({ closed: 17, refused: 0 });
  });
});

describe('sockets whose client is not there', () => {
  /** Policy Violation (RFC 6455 §7.4.1): the socket broke the station's rule (a request soon after connecting). */
  const POLICY_VIOLATION = 1008;
  /** Abnormal closure (RFC 6455 §7.4.1): the connection ended without a close frame, as when the station cuts it. */
  const ABNORMAL = 1006;

  it('a socket that never sends a request gives its place back; a console that called, and then only watches, keeps it', async () => {
    await start({ perSource: 3, total: 100 }, { firstCallMs: 300, pingMs: 60_000 });
    // A view-only console on the station PC (or a sign-in page left idle): it asked once, then only reads.
    const viewer = await openConsole();
    expect(await answers(viewer)).toBe(true);
    const silent = [await openConsole(), await openConsole()];
    for (const s of silent) expect(await s.closed).toEqual({ code: POLICY_VIOLATION, reason: expect.stringMatching(/^closed: no request within 0.3 s of connecting$/) });
    await expect.poll(() => server!.consoles()).toBe(1);
    expect(viewer.isClosed()).toBe(false);
    expect(await answers(viewer)).toBe(true);
    // Said in the log once for the burst, not once per socket.
    expect(logLines.filter((l) => /no request since it connected/.test(String(l.msg)))).toHaveLength(1);
  });

  it("consoles whose PCs went to sleep (pings unanswered) are cut and their places freed: the operator's browser gets back in; a console awake keeps its place", async () => {
    await start({ perSource: 2, total: 100 }, { firstCallMs: 60_000, pingMs: 250 });
    // Awake until the operator has been refused, then asleep: on a loaded machine the sign-ins take
    // longer than the pings a console may miss, so PCs asleep from the start were cut before the refusal.
    let sleeping = false;
    const asleep = [await signedIn('127.0.0.1', { autoPong: false, awake: () => !sleeping }), await signedIn('127.0.0.1', { autoPong: false, awake: () => !sleeping })];
    const awake = await signedIn('127.0.0.2');
    let pingsAwake = 0;
    awake.ws.on('ping', () => pingsAwake++);
    // Every place of 127.0.0.1 is held by a signed-in console: while they are held, the operator is refused.
    const early = await openConsole();
    expect(await early.closed).toMatchObject({ code: TRY_AGAIN_LATER });
    sleeping = true;

    for (const a of asleep) expect(await a.closed).toEqual({ code: ABNORMAL, reason: '' });
    await expect.poll(() => server!.consoles()).toBe(1);
    const back = await openConsole();
    expect(await back.call('session.resume', { token: asleep[0]!.token })).toMatchObject({ ok: true, result: { session: { user: 'ivanova' } } });
    expect(logLines.filter((l) => /signed-in console answered no ping/.test(String(l.msg)))).toHaveLength(2);

    // The awake console sent nothing since its sign-in, yet answered every ping: it stays.
    await expect.poll(() => pingsAwake, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    expect(awake.isClosed()).toBe(false);
    expect(await answers(awake)).toBe(true);
  });

  it("a station stalled past a ping's time does not cut a console whose answer came meanwhile", async () => {
    await start({ perSource: 4, total: 100 }, { firstCallMs: 60_000, pingMs: 300 });
    // The console in a process of its own, so it answers while this one (the station's) is stalled.
    const script = `
      const { WebSocket } = require('ws');
      const host = '127.0.0.1:${server!.port}';
      const ws = new WebSocket('ws://' + host + '/api', { headers: { origin: 'http://' + host }, autoPong: false });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'session.current', params: {} })));
      ws.on('ping', (data) => { console.log('ping'); setTimeout(() => ws.pong(data), 50); });
      ws.on('close', (code) => console.log('close ' + code));`;
    const child: ChildProcess = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const said: string[] = [];
    let stalled = false;
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      said.push(...text.split('\n').filter(Boolean));
      if (!stalled && said.includes('ping')) {
        // The console answers this ping in 50 ms; the station runs nothing for five pings' time
        // (a long task), its ping timer falling due before it has read the answer that came meanwhile.
        stalled = true;
        const until = performance.now() + 1500;
        while (performance.now() < until) { /* a long task on the station's thread */ }
      }
    });
    // Four pings answered, or the socket cut: whichever comes first.
    await expect.poll(() => said.filter((l) => l === 'ping').length >= 4 || said.some((l) => l.startsWith('close')), { timeout: 10_000 }).toBe(true);
    expect(said.filter((l) => l.startsWith('close'))).toEqual([]);
    expect(server!.consoles()).toBe(1);
  });
});
