import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { ApiCallError, BridgeClient, WsClient, type LinkState, type SocketLike } from './api-client.js';
import type { ApiResponse, LiveValue, StationInfo, VigilBridge } from '../../shared/api.js';
import { Translator } from '../../shared/i18n/index.js';

const info: StationInfo = {
  name: 'Tank Farm North',
  areas: [{ id: 'Area1', name: 'Area 1' }],
  servers: [{ id: 'sim', endpoint: 'opc.tcp://127.0.0.1:4840/vigil' }],
  version: '0.1.0',
  simulator: true,
  shell: 'browser',
  locale: 'en',
  restartedAfterFault: null,
};

type Handler = (method: string, params: unknown) => ApiResponse<unknown> | null;

/** A real WebSocket server speaking the api.ts envelope; null from the handler = never answer. */
async function startStation(handler: Handler, port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/api' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const calls: string[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (raw: RawData) => {
      const msg = JSON.parse(raw.toString()) as { id: number; method: string; params: unknown };
      calls.push(msg.method);
      const res = handler(msg.method, msg.params);
      if (res) ws.send(JSON.stringify({ type: 'response', id: msg.id, ...res }));
    });
  });
  const address = wss.address() as AddressInfo;
  return {
    wss,
    calls,
    port: address.port,
    url: `ws://127.0.0.1:${address.port}/api`,
    broadcast(name: string, data: unknown) {
      for (const c of wss.clients) c.send(JSON.stringify({ type: 'event', name, data }));
    },
    async stop() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

const answer: Handler = (method) =>
  method === 'station.info' ? { ok: true, result: info } : { ok: false, error: { code: 'unknown_method', message: `no method ${method}` } };

function nextLink(client: WsClient, want: LinkState): Promise<void> {
  return new Promise((resolve) => {
    const off = client.onLink((s) => {
      if (s === want) {
        off();
        resolve();
      }
    });
  });
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function client(url: string, extra: Partial<ConstructorParameters<typeof WsClient>[0]> = {}) {
  const errors: Error[] = [];
  const c = new WsClient({
    url,
    createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
    backoffMs: 20,
    maxBackoffMs: 50,
    reportError: (e) => errors.push(e),
    ...extra,
  });
  cleanups.push(() => c.close());
  return { c, errors };
}

describe('WsClient', () => {
  it('calls, checks results and maps error responses', async () => {
    const station = await startStation(answer);
    cleanups.push(() => station.stop());
    const { c } = client(station.url);
    await nextLink(c, 'connected');
    expect(await c.call('station.info', {})).toEqual(info);
    const err = await c.call('tags.list', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: 'unknown_method', method: 'tags.list' });
  });

  it('rejects a result that does not match its schema', async () => {
    const station = await startStation(() => ({ ok: true, result: { name: 42 } }));
    cleanups.push(() => station.stop());
    const { c } = client(station.url);
    await nextLink(c, 'connected');
    await expect(c.call('station.info', {})).rejects.toThrow(/station.info: bad_request: result does not match/);
  });

  it('delivers events by name and reports malformed ones', async () => {
    const station = await startStation(answer);
    cleanups.push(() => station.stop());
    const { c, errors } = client(station.url);
    await nextLink(c, 'connected');
    const got = new Promise<LiveValue[]>((resolve) => c.on('live.values', resolve));
    station.broadcast('live.values', [{ tag: 'bad', t: 'yesterday', value: 1, status: 0 }]);
    const batch: LiveValue[] = [{ tag: 'Area1.TK101.Level', t: 1_700_000_000_000, value: 12.5, status: 0 }];
    station.broadcast('live.values', batch);
    expect(await got).toEqual(batch);
    expect(errors.map((e) => e.message).join()).toMatch(/event "live.values": data does not match/);
  });

  it('shows the link down when the station goes away, fails pending calls, and reconnects', async () => {
    const station = await startStation(() => null);
    const { c } = client(station.url);
    await nextLink(c, 'connected');
    const pending = c.call('station.info', {});
    const down = nextLink(c, 'down');
    await station.stop();
    await down;
    expect(c.link).toBe('down');
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    await expect(c.call('station.info', {})).rejects.toMatchObject({ code: 'unavailable' });

    const again = await startStation(answer, station.port);
    cleanups.push(() => again.stop());
    await nextLink(c, 'connected');
    expect((await c.call('station.info', {})).name).toBe('Tank Farm North');
  });

  it('drops a silent station that no longer answers', async () => {
    const station = await startStation(() => null);
    cleanups.push(() => station.stop());
    const { c } = client(station.url, { idleProbeMs: 100, probeTimeoutMs: 100 });
    await nextLink(c, 'connected');
    await nextLink(c, 'down');
    expect(station.calls).toContain('station.info');
  });
});

/** Resolves once `ok` holds (polled), failing after `ms`. */
async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Latin words in a text (an English message shown in a Russian or Chinese console). */
const latin = (text: string) => text.match(/[A-Za-z]{2,}/g) ?? [];

/** As the console words a failed call (i18n.svelte.ts errorText): the station's key, else its English. */
function worded(err: unknown, locale: 'ru' | 'zh'): string {
  const e = err as ApiCallError;
  return e.i18n ? new Translator(locale).t(e.i18n.key, e.i18n.params) : e.detail;
}

describe('a call the link cannot carry (the sign-in form, any page)', () => {
  it('is said in the console\'s language: no link, no answer in time, the link closed before the answer', async () => {
    // Nothing listens: the link is down when the operator signs in.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { c: down } = client(`ws://127.0.0.1:${port}/api`);
    const noLink = await down.call('session.signIn', { user: 'olga', password: 'x' }).catch((e: unknown) => e);
    expect(noLink).toMatchObject({ code: 'unavailable', detail: 'no link to the station' });
    expect(worded(noLink, 'ru')).toBe('Нет связи со станцией: пульт переподключится сам; повторите, когда связь восстановится.');
    expect(worded(noLink, 'zh')).toBe('与站点无连接：操作台会自动重新连接；连接恢复后请重试。');

    // A station that takes the call and never answers; then goes away with a call pending.
    const station = await startStation((method) => (method === 'station.info' ? { ok: true, result: info } : null));
    cleanups.push(() => station.stop());
    const { c } = client(station.url, { callTimeoutMs: 300 });
    await nextLink(c, 'connected');
    const late = await c.call('session.signIn', { user: 'olga', password: 'x' }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'unavailable', detail: 'no response in 300 ms' });
    expect(worded(late, 'zh')).toBe('站点在 1秒内未应答：请重试；如仍如此，请检查站点是否在运行及到站点的网络。');
    const pending = c.call('session.signIn', { user: 'olga', password: 'x' }).catch((e: unknown) => e);
    await until(() => station.calls.filter((m) => m === 'session.signIn').length === 2);
    await station.stop();
    const cut = await pending;
    expect((cut as ApiCallError).detail).toMatch(/^connection to ws:\/\/127\.0\.0\.1:\d+\/api closed$/);
    for (const err of [noLink, late, cut]) {
      for (const locale of ['ru', 'zh'] as const) expect(latin(worded(err, locale)), worded(err, locale)).toEqual([]);
    }
  });
});

describe('WsClient and a station that goes silent', () => {
  it('shows the link down within the probe times, dated from the last message it heard', async () => {
    let silent = false;
    const station = await startStation((method) => (silent ? null : answer(method, {})));
    cleanups.push(() => station.stop());
    const { c } = client(station.url, { idleProbeMs: 150, probeTimeoutMs: 300, backoffMs: 60_000 });
    const downs: { at: number; seen: number }[] = [];
    c.onLink((s, at) => { if (s === 'down') downs.push({ at, seen: Date.now() }); });
    await nextLink(c, 'connected');
    let heard = false;
    c.on('live.values', () => (heard = true));
    station.broadcast('live.values', [{ tag: 'Area1.TK101.Level', t: Date.now(), value: 12.5, status: 0 }]); // an event is a sign of life too
    await until(() => heard); // the client has it: its last message
    silent = true;
    const lastHeard = Date.now();
    await expect.poll(() => downs.length, { timeout: 5000 }).toBe(1);
    // Down soon after idle + probe time (450 ms; timers run late on a loaded machine), not after the call timeout (10 s)...
    expect(downs[0]!.seen - lastHeard).toBeLessThan(2500);
    // ...and dated from that message, not from when the silence was noticed.
    expect(downs[0]!.at).toBeLessThanOrEqual(lastHeard);
    expect(downs[0]!.seen - downs[0]!.at).toBeGreaterThanOrEqual(450);
  });
});

/** A station that accepts the WebSocket and then hangs (a stopped process, a path that drops packets): it never answers, not even a close. */
async function startHungStation() {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.once('data', (head) => {
      const key = /sec-websocket-key: *(\S+)/i.exec(String(head))?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.pause(); // reads nothing more, answers nothing
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/api`,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

describe('WsClient and a hung station', () => {
  it('shows the link down as soon as the idle probe goes unanswered, not after the close handshake times out', async () => {
    const station = await startHungStation();
    cleanups.push(() => station.stop());
    const sockets: WebSocket[] = [];
    const createSocket = (url: string) => {
      const ws = new WebSocket(url);
      sockets.push(ws);
      return ws as unknown as SocketLike;
    };
    const { c } = client(station.url, { idleProbeMs: 100, probeTimeoutMs: 200, backoffMs: 60_000, createSocket });
    await nextLink(c, 'connected');
    // Caught at once: it may fail (no answer in 200 ms) before the link is shown down.
    const pending = c.call('station.info', {}).then(() => null, (err: unknown) => err);
    await nextLink(c, 'down');
    // Down while the socket still waits for the close frame the hung station never sends
    // (the ws library waits 30 s for it, Chromium about a minute).
    expect(sockets[0]!.readyState).toBe(WebSocket.CLOSING);
    expect(await pending).toMatchObject({ code: 'unavailable' });
    sockets[0]!.terminate();
  });

  it('keeps the link of a station that answers the probe "busy": it is alive', async () => {
    let probes = 0;
    const station = await startStation((method) => {
      if (method !== 'station.info') return null;
      probes++;
      return { ok: false, error: { code: 'unavailable', message: 'busy', i18n: { key: 'error.busy' } } };
    });
    cleanups.push(() => station.stop());
    const { c } = client(station.url, { idleProbeMs: 100, probeTimeoutMs: 200 });
    const states: LinkState[] = [];
    c.onLink((s) => states.push(s));
    await nextLink(c, 'connected');
    await expect.poll(() => probes).toBeGreaterThan(3);
    expect(states).not.toContain('down');
  });
});

describe('BridgeClient', () => {
  it('uses the preload bridge for calls and events', async () => {
    let emit: (name: string, data: unknown) => void = () => undefined;
    const bridge: VigilBridge = {
      call: async (method) => (method === 'station.info' ? { ok: true, result: info } : { ok: false, error: { code: 'internal', message: 'boom' } }),
      on: (l) => {
        emit = l;
        return () => undefined;
      },
    };
    const errors: Error[] = [];
    const c = new BridgeClient(bridge, (e) => errors.push(e));
    expect(await c.call('station.info', {})).toEqual(info);
    await expect(c.call('tags.list', {})).rejects.toThrow('tags.list: internal: boom');
    const states: unknown[] = [];
    c.on('servers.state', (s) => states.push(s));
    emit('servers.state', [{ id: 'sim', endpoint: 'x', state: 'lost', since: 1, lastError: null }]);
    emit('no.such.event', {});
    expect(states).toHaveLength(1);
    expect(errors[0].message).toMatch(/unknown event name/);
  });
});
