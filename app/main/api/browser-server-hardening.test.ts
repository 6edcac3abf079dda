/**
 * What a security reviewer of browser mode checks beyond Host and Origin:
 * every answer the station gives a browser (the console, but also its 404,
 * 400, 405 and 421 answers, which echo what was asked) carries the headers that
 * keep a browser from sniffing it into HTML or framing it (OWASP Secure Headers:
 * X-Content-Type-Options nosniff, X-Frame-Options / CSP frame-ancestors), and
 * the page's CSP closes form-action, which does not fall back to default-src
 * (CSP Level 3, "form-action"), as the Electron window's does.
 * And a console served on its scheme's default port (80, 443) is reached: a
 * browser then sends Host and Origin without the port (RFC 9110 §7.2 and §4.2,
 * the WHATWG URL standard's default-port rule).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowedHosts, MAX_BUFFERED_BYTES, MAX_TOTAL_BUFFERED_BYTES, startBrowserServer, type BrowserServer } from './browser-server.js';
import { Dispatcher, EventHub } from './dispatcher.js';
import { silentLogger } from '../log.js';
import { DownloadRoutes } from '../trends/export/downloads.js';
import { electronCsp } from '../shell/window-policy.js';
import { z } from 'zod';
import type { RequestDef } from '../../shared/api.js';
import type { Handlers } from './dispatcher.js';

let server: BrowserServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-bs-hard-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  const dispatcher = new Dispatcher(silentLogger());
  const downloads = new DownloadRoutes(60_000, () => {});
  server = await startBrowserServer({ port: 0, rendererDir: dir, dispatcher, events: new EventHub(), logger: silentLogger(), routes: [downloads] });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function answer(path: string, opts: { method?: string; host?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${server.port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('every answer to a browser', () => {
  const cases: [string, () => ReturnType<typeof answer>, number][] = [
    ['the console', () => answer('/'), 200],
    ['a path that is not there (echoed in the answer)', () => answer('/%3Cscript%3Ealert(1)%3C%2Fscript%3E'), 404],
    ['a download link used already (the export route)', () => answer('/download/nothing-here'), 404],
    ['a target that is not UTF-8', () => answer('/%ff'), 400],
    ['a method the files do not take', () => answer('/', { method: 'POST' }), 405],
    ['a host name the console does not serve (DNS rebinding)', () => answer('/', { host: `evil.example:${server.port}` }), 421],
  ];
  for (const [what, get, status] of cases) {
    it(`${what}: not sniffed, not framed, not a referrer`, async () => {
      const res = await get();
      expect(res.status).toBe(status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(directives(String(res.headers['content-security-policy'] ?? '')).get('frame-ancestors')).toEqual(["'none'"]);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      // A text answer says its charset: none left for a browser to guess.
      if (status !== 405) expect(res.headers['content-type']).toMatch(/;\s*charset=utf-8$/i);
    });
  }

  it('an error answer runs nothing and loads nothing, whatever it echoes', async () => {
    const res = await answer('/%3Cimg%20src%3Dx%3E');
    expect(res.status).toBe(404);
    expect(directives(String(res.headers['content-security-policy'])).get('default-src')).toEqual(["'none'"]);
  });

  it("the console's CSP closes form-action as the Electron window's does", async () => {
    const page = directives(String((await answer('/')).headers['content-security-policy']));
    expect(directives(electronCsp).get('form-action')).toEqual(["'none'"]);
    expect(page.get('form-action')).toEqual(["'none'"]);
  });
});

describe("a console on its scheme's default port", () => {
  // A browser at http://127.0.0.1/ (port 80) or https://station7.plant.example/ (443) sends the name alone.
  it('port 80 over HTTP: the loopback names without a port are its own', () => {
    const hosts = allowedHosts(80, [], 'http');
    for (const h of ['127.0.0.1', 'localhost', '[::1]', '127.0.0.1:80']) expect(hosts.has(h)).toBe(true);
    expect(hosts.has('evil.example')).toBe(false);
  });

  it('port 443 over HTTPS: the configured name without a port is its own', () => {
    const hosts = allowedHosts(443, ['station7.plant.example'], 'https');
    expect(hosts.has('station7.plant.example')).toBe(true);
    expect(hosts.has('station7.plant.example:443')).toBe(true);
  });

  it('any other port: only name:port (a page on port 80 of the same name is another origin)', () => {
    expect(allowedHosts(8443, ['station7.plant.example'], 'https').has('station7.plant.example')).toBe(false);
    expect(allowedHosts(443, ['station7.plant.example'], 'http').has('station7.plant.example')).toBe(false);
    expect(allowedHosts(80, [], 'https').has('127.0.0.1')).toBe(false);
  });
});

describe('consoles that do not read, together', () => {
  /** A raw upgrade to /api that never reads: the kernel's buffers fill, then the station's. */
  async function nonReader(port: number): Promise<{ socket: Socket; closed: () => boolean }> {
    const socket = connect(port, '127.0.0.1');
    let closed = false;
    socket.on('close', () => { closed = true; });
    socket.on('error', () => { closed = true; });
    await new Promise<void>((ok) => socket.once('connect', () => ok()));
    const host = `127.0.0.1:${port}`;
    socket.write(`GET /api HTTP/1.1\r\nhost: ${host}\r\norigin: http://${host}\r\nconnection: Upgrade\r\nupgrade: websocket\r\n` +
      'sec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    await new Promise<void>((ok) => socket.once('data', () => ok()));
    socket.pause();
    return { socket, closed: () => closed };
  }

  it('the total the station holds for all of them is bounded: past it the one it holds most for is dropped, each under its own limit', async () => {
    // A local process opening many sockets that never read would otherwise have the station hold
    // the console limit for each of them: 16 MB times the sockets, until it runs out of memory.
    expect(MAX_TOTAL_BUFFERED_BYTES).toBeGreaterThanOrEqual(4 * MAX_BUFFERED_BYTES);
    const hub = new EventHub();
    const total = 8 << 20;
    const station = await startBrowserServer({
      port: 0, rendererDir: dir, dispatcher: new Dispatcher(silentLogger()), events: hub, logger: silentLogger(),
      // Each console's own limit far above what is sent to it: only the total can drop them.
      bufferLimits: { console: 64 << 20, total },
    });
    try {
      const stalled = await Promise.all([0, 1, 2, 3].map(() => nonReader(station.port)));
      const host = `127.0.0.1:${station.port}`;
      const reader = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` } });
      let received = 0;
      reader.on('message', () => received++);
      await new Promise<void>((ok, fail) => { reader.once('open', () => ok()); reader.once('error', fail); });
      const big = 'x'.repeat(256 << 10);
      // 24 MB to each: beyond what loopback's kernel buffers take (a few MB each way), under the console limit.
      const events = 96;
      for (let i = 0; i < events; i++) {
        hub.publish('servers.state', [{ id: big }] as never);
        await new Promise((ok) => setImmediate(ok));
      }
      for (const s of stalled) s.socket.resume(); // reads what was sent until the station's close
      await expect.poll(() => stalled.filter((s) => s.closed()).length, { timeout: 20_000 }).toBe(4);
      // The console that reads was never the one held most for: it has every event and stays.
      await expect.poll(() => received, { timeout: 20_000 }).toBe(events);
      expect(reader.readyState).toBe(WebSocket.OPEN);
      reader.close();
      for (const s of stalled) s.socket.destroy();
    } finally {
      await station.close();
    }
  });

  it('answers count toward the total as events do: past it the console held most for is dropped, and only as many as keep it', async () => {
    // Answers (a history read can be megabytes) are held like events for a console that does not read.
    // Sizes chosen so that what loopback's kernel buffers take (a few MB per socket) changes nothing:
    // 60 MB to A, then 24 MB each to B and C, against a total of 64 MB. The total is passed while B or
    // C is sent to, when A is by far the largest: A is dropped, and B and C together (48 MB at most)
    // are within the total, so they stay.
    const MB = 1 << 20;
    const payload = 'x'.repeat(MB);
    const served: Record<string, number> = {};
    const defs: Record<string, RequestDef> = { 'test.big': { params: z.strictObject({ who: z.string() }), result: z.string(), permission: null } };
    const dispatcher = new Dispatcher(silentLogger(), defs);
    dispatcher.register('test', { 'test.big': ({ who }: { who: string }) => ((served[who] = (served[who] ?? 0) + 1), payload) } as unknown as Partial<Handlers>);
    const station = await startBrowserServer({
      port: 0, rendererDir: dir, dispatcher, events: new EventHub(), logger: silentLogger(),
      bufferLimits: { console: 256 * MB, total: 64 * MB },
    });
    try {
      const host = `127.0.0.1:${station.port}`;
      const open = async (who: string) => {
        const ws = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` } });
        let answered = 0;
        let closed = false;
        ws.on('message', () => answered++);
        ws.on('close', () => { closed = true; });
        await new Promise<void>((ok, fail) => { ws.once('open', () => ok()); ws.once('error', fail); });
        ws.pause(); // reads nothing until resumed: the kernel's buffers fill, then the station's
        return { ws, who, answered: () => answered, closed: () => closed };
      };
      const [a, b, c] = [await open('A'), await open('B'), await open('C')];
      const ask = async (client: typeof a, times: number) => {
        // In rounds under the calls one console may have in flight (MAX_CALLS_IN_FLIGHT).
        for (let sent = 0; sent < times;) {
          const round = Math.min(16, times - sent);
          for (let i = 0; i < round; i++) client.ws.send(JSON.stringify({ type: 'call', id: sent + i, method: 'test.big', params: { who: client.who } }));
          sent += round;
          await expect.poll(() => served[client.who], { timeout: 20_000 }).toBe(sent);
        }
      };
      await ask(a, 60);
      await ask(b, 24);
      await ask(c, 24);
      for (const client of [a, b, c]) client.ws.resume();
      await expect.poll(() => a.closed(), { timeout: 20_000 }).toBe(true);
      expect(a.answered()).toBeLessThan(60);
      await expect.poll(() => [b.answered(), c.answered()], { timeout: 20_000 }).toEqual([24, 24]);
      expect([b.ws.readyState, c.ws.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
      b.ws.close();
      c.ws.close();
    } finally {
      await station.close();
    }
  });
});
