/**
 * Browser mode answers only the names it serves: a DNS-rebinding page (its
 * own name resolving to 127.0.0.1) sends that name in Host and Origin, and
 * must get neither the console nor its API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { MAX_BUFFERED_BYTES, MAX_CALLS_IN_FLIGHT, startBrowserServer, type BrowserServer } from './browser-server.js';
import { Dispatcher, EventHub } from './dispatcher.js';
import { silentLogger } from '../log.js';
import { StartRefusal } from '../start-refusal.js';
import { DownloadRoutes } from '../trends/export/downloads.js';

let server: BrowserServer;
let dir: string;
let dispatcher: Dispatcher;
const events = new EventHub();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-bs-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  dispatcher = new Dispatcher(silentLogger());
  dispatcher.register('test', { 'tags.list': () => [] });
  // The export downloads route as in the station: asked before the static files.
  const downloads = new DownloadRoutes(60_000, () => {});
  server = await startBrowserServer({ port: 0, rendererDir: dir, dispatcher, events, logger: silentLogger(), routes: [downloads] });
});
afterAll(() => server?.close());

function get(host: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

/** Opens the API socket with the given Host and Origin; resolves with the first answer or the refusal. */
function callOver(host: string, origin: string): Promise<string> {
  return new Promise((ok) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { host, origin } });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'tags.list', params: {} })));
    ws.on('message', (raw) => {
      ok(String(raw));
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => ok(`refused ${res.statusCode}`));
    ws.on('error', (err) => ok(`error ${err.message}`));
  });
}

/**
 * Sends one request as raw bytes (no client library that would refuse to send it) and resolves
 * with the status line of the answer, or "closed" when the socket closed without one.
 */
function rawRequest(target: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((ok) => {
    const host = `127.0.0.1:${server.port}`;
    const lines = Object.entries({ host, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const socket = connect(server.port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\n${lines}\r\n`));
    let answer = '';
    socket.on('data', (d) => {
      answer += String(d);
      if (answer.includes('\r\n')) {
        ok(answer.split('\r\n')[0]!);
        socket.destroy();
      }
    });
    socket.on('error', () => ok('closed'));
    socket.on('close', () => ok('closed'));
    // A server that threw leaves the socket open without a word: give up rather than wait for the test's time-out.
    socket.setTimeout(5000, () => {
      ok('no answer');
      socket.destroy();
    });
  });
}

const upgrade = (origin: string) => ({
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  origin,
});

describe('a port or address the console cannot take', () => {
  it('a port in use (the first console is on it): a StartRefusal naming the address and the way out', async () => {
    const err = await startBrowserServer({ port: server.port, rendererDir: dir, dispatcher, events, logger: silentLogger() }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StartRefusal);
    expect((err as Error).message).toBe(`the console cannot listen on 127.0.0.1:${server.port}: the port is in use (another Vigil console, or another program). ` +
      'Stop that program, or start this one with --port N (0 takes a free port)');
  });

  it('an address this machine does not have: said so', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine has it.
    const err = await startBrowserServer({ port: 0, host: '192.0.2.1', rendererDir: dir, dispatcher, events, logger: silentLogger() }).then(() => null, (e: unknown) => e);
    expect((err as Error).message).toBe('the console cannot listen on 192.0.2.1:0: this machine has no such address. Give one of its own addresses');
  });
});

describe('malformed request targets', () => {
  // RFC 3986: "%E0%A4%A" is a cut escape and "%ff" is no UTF-8 (RFC 3629); "//[" opens an IPv6 host that never ends.
  const own = () => `http://127.0.0.1:${server.port}`;
  const stillServing = async () => {
    expect(await get(`127.0.0.1:${server.port}`)).toBe(200);
    expect(JSON.parse(await callOver(`127.0.0.1:${server.port}`, own()))).toMatchObject({ ok: true, result: [] });
  };

  it('bad %-escapes are answered 400, and the console keeps serving', async () => {
    expect(await rawRequest('/%E0%A4%A')).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawRequest('/%ff')).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawRequest('/download/%ff')).toBe('HTTP/1.1 400 Bad Request');
    await stillServing();
  });

  it('a path "//[" is answered (not found), and the console keeps serving', async () => {
    expect(await rawRequest('//[')).toBe('HTTP/1.1 404 Not Found');
    await stillServing();
  });

  it('a WebSocket upgrade to "//[" is refused with a status, from its own origin or another, and the console keeps serving', async () => {
    expect(await rawRequest('//[', upgrade(own()))).toBe('HTTP/1.1 404 Not Found');
    expect(await rawRequest('//[', upgrade('http://evil.example'))).toBe('HTTP/1.1 403 Forbidden');
    expect(await rawRequest('/api?%ff', upgrade('http://evil.example'))).toBe('HTTP/1.1 403 Forbidden');
    await stillServing();
  });
});

describe('station events', () => {
  it('reach every console, each publish as it was then (an object sent again, changed, is sent changed)', async () => {
    const host = `127.0.0.1:${server.port}`;
    const consoles = await Promise.all([0, 1].map(() => new Promise<{ got: unknown[]; ws: WebSocket }>((ok, fail) => {
      const ws = new WebSocket(`ws://${host}/api`, { headers: { host, origin: `http://${host}` } });
      const got: unknown[] = [];
      ws.on('message', (raw) => got.push(JSON.parse(String(raw))));
      ws.on('open', () => ok({ got, ws }));
      ws.on('error', fail);
    })));
    const states = [{ id: 'plc', state: 'connected' }];
    events.publish('servers.state', states as never);
    states[0]!.state = 'lost';
    events.publish('servers.state', states as never);
    const expected = [
      { type: 'event', name: 'servers.state', data: [{ id: 'plc', state: 'connected' }] },
      { type: 'event', name: 'servers.state', data: [{ id: 'plc', state: 'lost' }] },
    ];
    for (const c of consoles) {
      await expect.poll(() => c.got.length).toBe(2);
      expect(c.got).toEqual(expected);
      c.ws.close();
    }
  });
});

describe('browser-mode host and origin checks', () => {
  it('serves the page under its loopback names only', async () => {
    expect(await get(`127.0.0.1:${server.port}`)).toBe(200);
    expect(await get(`localhost:${server.port}`)).toBe(200);
    expect(await get(`attacker.example:${server.port}`)).toBe(421);
    expect(await get('127.0.0.1:1')).toBe(421);
  });

  it('lets the page connect to its own origin only (CSP connect-src)', async () => {
    const csp = await new Promise<string>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: `127.0.0.1:${server.port}` } }, (res) => {
        res.resume();
        ok(String(res.headers['content-security-policy'] ?? ''));
      });
      req.on('error', fail);
      req.end();
    });
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    // CSP Level 3 ("'self'" matches ws: and wss: to the page's own host and port): nothing else is needed.
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('answers the API for its own origin', async () => {
    const host = `127.0.0.1:${server.port}`;
    expect(JSON.parse(await callOver(host, `http://${host}`))).toEqual({ type: 'response', id: 1, ok: true, result: [] });
  });

  it('refuses a rebinding page whose Host and Origin agree on a foreign name', async () => {
    const host = `attacker.example:${server.port}`;
    expect(await callOver(host, `http://${host}`)).toBe('refused 403');
  });

  it('refuses a foreign origin on the right host', async () => {
    expect(await callOver(`127.0.0.1:${server.port}`, 'http://evil.example')).toBe('refused 403');
  });
});

describe('browser mode over TLS', () => {
  const fixtures = join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures');
  let tls: BrowserServer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bs-tls-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title>');
    const dispatcher = new Dispatcher(silentLogger());
    dispatcher.register('test', { 'tags.list': () => [] });
    tls = await startBrowserServer({
      port: 0,
      rendererDir: dir,
      dispatcher,
      events: new EventHub(),
      logger: silentLogger(),
      host: '127.0.0.1',
      hostNames: ['vigil.test'],
      tls: { cert: join(fixtures, 'tls-test-cert.pem'), key: join(fixtures, 'tls-test-key.pem') },
    });
  });
  afterAll(() => tls?.close());

  const wss = (host: string, origin: string) =>
    new Promise<string>((ok) => {
      const ws = new WebSocket(`wss://127.0.0.1:${tls.port}/api`, { headers: { host, origin }, rejectUnauthorized: false });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'tags.list', params: {} })));
      ws.on('message', (raw) => {
        ok(String(raw));
        ws.close();
      });
      ws.on('unexpected-response', (_req, res) => ok(`refused ${res.statusCode}`));
      ws.on('error', (err) => ok(`error ${err.message}`));
    });

  it('serves the console over HTTPS under its configured name', async () => {
    expect(tls.url).toBe(`https://127.0.0.1:${tls.port}/`);
    const status = await new Promise<number>((ok, fail) =>
      httpsGet({ host: '127.0.0.1', port: tls.port, path: '/', headers: { host: `vigil.test:${tls.port}` }, rejectUnauthorized: false }, (res) => {
        res.resume();
        ok(res.statusCode ?? 0);
      }).on('error', fail),
    );
    expect(status).toBe(200);
  });

  it('answers WSS for its https origin only', async () => {
    const host = `vigil.test:${tls.port}`;
    expect(JSON.parse(await wss(host, `https://${host}`))).toMatchObject({ ok: true, result: [] });
    expect(await wss(host, `http://${host}`)).toBe('refused 403');
    expect(await wss(host, 'https://evil.example')).toBe('refused 403');
  });

  it('names the file when a TLS file cannot be read', async () => {
    const start = startBrowserServer({
      port: 0, rendererDir: tmpdir(), dispatcher: new Dispatcher(silentLogger()), events: new EventHub(), logger: silentLogger(),
      tls: { cert: '/nonexistent/cert.pem', key: join(fixtures, 'tls-test-key.pem') },
    });
    await expect(start).rejects.toThrow(/^--tls-cert \/nonexistent\/cert.pem: cannot read it: ENOENT/);
  });
});

describe('a console that floods or stops reading', () => {
  it(`answers calls beyond ${MAX_CALLS_IN_FLIGHT} in flight at once as busy, runs the rest, and serves the connection after`, async () => {
    const release: (() => void)[] = [];
    let started = 0;
    const dispatcher = new Dispatcher(silentLogger());
    dispatcher.register('test', {
      'tags.list': () => new Promise<never[]>((ok) => { started++; release.push(() => ok([])); }),
    });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bs-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title>');
    const slow = await startBrowserServer({ port: 0, rendererDir: dir, dispatcher, events: new EventHub(), logger: silentLogger() });
    try {
      const host = `127.0.0.1:${slow.port}`;
      const ws = new WebSocket(`ws://${host}/api`, { headers: { host, origin: `http://${host}` } });
      const answers = new Map<number, { ok: boolean; error?: { code: string; i18n?: { key: string } } }>();
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as { type: string; id: number; ok: boolean };
        if (m.type === 'response') answers.set(m.id, m);
      });
      await new Promise((ok, fail) => { ws.on('open', ok); ws.on('error', fail); });
      const calls = 40;
      for (let id = 1; id <= calls; id++) ws.send(JSON.stringify({ type: 'call', id, method: 'tags.list', params: {} }));
      // The 8 beyond the limit are answered while the 32 are still running.
      await expect.poll(() => answers.size).toBe(calls - 32);
      expect(started).toBe(32);
      for (const [id, a] of answers) {
        expect(id).toBeGreaterThan(32);
        expect(a.ok).toBe(false);
        expect(a.error?.code).toBe('unavailable');
        expect(a.error?.i18n?.key).toBe('error.busy');
      }
      for (const r of release.splice(0)) r();
      await expect.poll(() => answers.size).toBe(calls);
      expect([...answers].filter(([id]) => id <= 32).every(([, a]) => a.ok)).toBe(true);
      // Room again: the next call runs.
      ws.send(JSON.stringify({ type: 'call', id: 99, method: 'tags.list', params: {} }));
      await expect.poll(() => started).toBe(33);
      release.splice(0).forEach((r) => r());
      await expect.poll(() => answers.get(99)?.ok).toBe(true);
      ws.close();
    } finally {
      await slow.close();
    }
  });

  it('drops a console that does not read its events once the station holds more than the limit for it', async () => {
    const hub = new EventHub();
    const dispatcher = new Dispatcher(silentLogger());
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bs-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title>');
    const station = await startBrowserServer({ port: 0, rendererDir: dir, dispatcher, events: hub, logger: silentLogger() });
    try {
      // A raw upgrade that never reads: the kernel buffers fill, then the station's.
      const socket = connect(station.port, '127.0.0.1');
      let closed = false;
      socket.on('close', () => { closed = true; });
      socket.on('error', () => { closed = true; });
      await new Promise<void>((ok) => socket.once('connect', () => ok()));
      const host = `127.0.0.1:${station.port}`;
      socket.write(`GET /api HTTP/1.1\r\nhost: ${host}\r\n${Object.entries(upgrade(`http://${host}`)).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
      await new Promise<void>((ok) => socket.once('data', () => ok()));
      socket.pause();
      const big = 'x'.repeat(256 << 10);
      // Past the limit plus what the kernel holds (a few MB on loopback), and no more.
      for (let i = 0; i < 4 * (MAX_BUFFERED_BYTES >> 18) && !closed; i++) {
        hub.publish('servers.state', [{ id: big }] as never);
        await new Promise((ok) => setImmediate(ok));
      }
      socket.resume(); // reads what was sent until the station's close
      await expect.poll(() => closed).toBe(true);
      socket.destroy();
    } finally {
      await station.close();
    }
  });
});
