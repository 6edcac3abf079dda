import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { AddressInfo } from 'node:net';
import { ApiCallError, BridgeClient, WsClient, type LinkState, type SocketLike } from './api-client.js';
import type { ApiResponse, LiveValue, StationInfo, VigilBridge } from '../../shared/api.js';

const info: StationInfo = {
  name: 'Tank Farm North',
  areas: [{ id: 'Area1', name: 'Area 1' }],
  servers: [{ id: 'sim', endpoint: 'opc.tcp://127.0.0.1:4840/vigil' }],
  version: '0.1.0',
  simulator: true,
  shell: 'browser',
  locale: 'en',
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
    const { c } = client(station.url, { idleProbeMs: 100, callTimeoutMs: 100 });
    await nextLink(c, 'connected');
    await nextLink(c, 'down');
    expect(station.calls).toContain('station.info');
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
