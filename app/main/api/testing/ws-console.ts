/**
 * A console of browser mode as the tests drive it: a `ws` client on the station's /api with the
 * page's own origin, its calls answered by id. `from` picks the loopback address it connects from
 * (the source the station counts consoles and sign-ins by: 127.0.0.2, .3, ...).
 */
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../../shared/api.js';

export type Answer = Extract<ServerMessage, { type: 'response' }>;

export interface WsConsole {
  ws: WebSocket;
  call(method: string, params?: unknown): Promise<Answer>;
  /** Resolves with the close code and reason when the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  isClosed(): boolean;
}

/**
 * Opens a console on the station at `port`; `opened` collects its socket for the test's teardown.
 * autoPong false: its pings go unanswered, as a console whose PC went to sleep.
 */
export async function openWsConsole(port: number, opened: WebSocket[], from = '127.0.0.1', opts: { autoPong?: boolean } = {}): Promise<WsConsole> {
  const host = `127.0.0.1:${port}`;
  const ws = new WebSocket(`ws://${host}/api`, { headers: { origin: `http://${host}` }, localAddress: from, autoPong: opts.autoPong ?? true });
  opened.push(ws);
  let isClosed = false;
  const closed = new Promise<{ code: number; reason: string }>((ok) => ws.once('close', (code, reason) => { isClosed = true; ok({ code, reason: String(reason) }); }));
  const waiting = new Map<number, (a: Answer) => void>();
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as ServerMessage;
    if (m.type === 'response') waiting.get(m.id)?.(m);
  });
  await new Promise<void>((ok, fail) => ws.once('open', () => ok()).once('error', fail));
  let next = 1;
  const call = (method: string, params: unknown = {}): Promise<Answer> => new Promise((ok) => {
    const id = next++;
    waiting.set(id, ok);
    ws.send(JSON.stringify({ type: 'call', id, method, params }));
  });
  return { ws, call, closed, isClosed: () => isClosed };
}
