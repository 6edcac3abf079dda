/**
 * Browser mode beyond loopback: a WebSocket gets no plant events (live
 * values, server states, sync status) until it has signed in, and none after
 * it signs out. Real parts: the accounts module, the dispatcher, the browser
 * server and a WebSocket client. WebSocket messages keep their order, so an
 * event published before a call would arrive before that call's answer:
 * "nothing before the answer" means nothing was sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { startBrowserServer, type BrowserServer } from '../api/browser-server.js';
import type { ServerMessage } from '../../shared/api.js';
import { silentLogger } from '../log.js';
import { AccountsModule } from './module.js';
import { hashPassword } from './password.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

const cfg = testConfig({ inactivitySignOutMin: 10 });
const serverState = [{ id: 'plc1', endpoint: 'opc.tcp://127.0.0.1:4840', state: 'connected' as const, since: 1, lastError: null }];

let tmp: ReturnType<typeof tempDir>;
let accounts: AccountsModule;
let events: EventHub;
let server: BrowserServer;
let ws: WebSocket;
let received: ServerMessage[];
let nextId = 1;

async function startConsole(signInRequired: boolean): Promise<void> {
  accounts = AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock: new TestClock(), signInRequired });
  const dispatcher = new Dispatcher(silentLogger());
  accounts.register(dispatcher);
  events = new EventHub();
  writeFileSync(join(tmp.dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  server = await startBrowserServer({ port: 0, rendererDir: tmp.dir, dispatcher, events, logger: silentLogger() });
  const host = `127.0.0.1:${server.port}`;
  ws = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` } });
  received = [];
  ws.on('message', (raw) => received.push(JSON.parse(String(raw)) as ServerMessage));
  await new Promise<void>((ok, fail) => ws.once('open', () => ok()).once('error', fail));
}

/** Calls over the socket; resolves with the messages that arrived before and including its answer. */
async function call(method: string, params: unknown = {}): Promise<ServerMessage[]> {
  const id = nextId++;
  const from = received.length;
  ws.send(JSON.stringify({ type: 'call', id, method, params }));
  await new Promise<void>((ok) => {
    const check = () => (received.some((m) => m.type === 'response' && m.id === id) ? ok() : setTimeout(check, 5));
    check();
  });
  return received.slice(from);
}

const plantEvents = (msgs: ServerMessage[]) => msgs.filter((m) => m.type === 'event' && m.name !== 'session.changed');

beforeEach(() => {
  tmp = tempDir();
});
afterEach(async () => {
  ws?.close();
  await server?.close();
  accounts?.stop();
  tmp.remove();
});

describe('plant events beyond loopback', () => {
  it('go to a console only while someone is signed in there', async () => {
    await startConsole(true);
    accounts.store.insert({ user: 'petrov', displayName: 'Petrov', roles: ['supervisor'], password: await hashPassword('petrov password', cfg.passwordHash) }, Date.UTC(2026, 10, 30));

    events.publish('servers.state', serverState);
    expect(plantEvents(await call('session.current'))).toEqual([]);

    const signIn = await call('session.signIn', { user: 'petrov', password: 'petrov password' });
    expect(signIn.at(-1)).toMatchObject({ type: 'response', ok: true });
    events.publish('servers.state', serverState);
    expect(plantEvents(await call('session.current'))).toEqual([{ type: 'event', name: 'servers.state', data: serverState }]);

    await call('session.signOut');
    events.publish('servers.state', serverState);
    expect(plantEvents(await call('session.current'))).toEqual([]);
  });

  it('go to every console on the station itself, signed in or not', async () => {
    await startConsole(false);
    events.publish('servers.state', serverState);
    expect(plantEvents(await call('session.current'))).toEqual([{ type: 'event', name: 'servers.state', data: serverState }]);
  });
});
