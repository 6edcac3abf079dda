/**
 * Browser mode's transport: serves the built renderer and the console API
 * over a WebSocket at /api, on 127.0.0.1 unless told otherwise (a
 * non-loopback listen needs TLS: HTTPS + WSS). Only the host names the
 * console really serves are answered (a DNS-rebinding page whose name
 * resolves to 127.0.0.1 sends its own name in Host), and a WebSocket upgrade
 * from any other origin is refused, so a web page in the same browser cannot
 * drive the console (cross-site WebSocket hijacking). Each WebSocket is one
 * connection of the dispatcher: a sign-in on it binds a session to it alone.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { clientMessage, type ApiResponse, type EventName, type ServerMessage } from '../../shared/api.js';
import type { Dispatcher, EventHub } from './dispatcher.js';
import { listenProblem } from '../start-refusal.js';
import { isLoopbackAddress, TransportConnection } from './connection.js';
import type { Logger } from '../log.js';
import { decodedRequestPath, requestPath } from './request-path.js';
import type { AuditSink } from './audit-sink.js';
import { warnOfWeakCertificate } from './served-certificate.js';
import { BufferLedger } from './buffer-ledger.js';
import { ConsoleSlots, MAKE_ROOM_GRACE_MS, MAX_CONSOLES, MAX_CONSOLES_PER_SOURCE, type ConsoleLimits } from './console-slots.js';
import { FIRST_CALL_MS, PING_INTERVAL_MS, watchLiveness, type LivenessLimits } from './socket-liveness.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

/** An HTTP handler beside the static files (e.g. export downloads); true when it answered. */
export interface HttpRoute {
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export interface BrowserServer {
  url: string;
  port: number;
  /** Console sockets holding a place now (see ConsoleSlots). */
  consoles(): number;
  close(): Promise<void>;
}

export async function startBrowserServer(opts: {
  port: number;
  rendererDir: string;
  dispatcher: Dispatcher;
  events: EventHub;
  logger: Logger;
  /** Host names besides 127.0.0.1, localhost and [::1] that this console answers to. */
  hostNames?: string[];
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** PEM files: serve HTTPS and WSS. */
  tls?: { cert: string; key: string } | null;
  /** Handlers asked before the static files, in order (each does its own authorisation). */
  routes?: HttpRoute[];
  /** Where a weak TLS certificate is written at start for administrators (the station's audit trail). */
  audit?: AuditSink;
  /** Bytes held for consoles that do not read: tests lower them; MAX_BUFFERED_BYTES and MAX_TOTAL_BUFFERED_BYTES otherwise. */
  bufferLimits?: { console?: number; total?: number };
  /** Console sockets kept open, per source address and in total: MAX_CONSOLES_PER_SOURCE and MAX_CONSOLES otherwise. */
  consoleLimits?: Partial<ConsoleLimits>;
  /** A socket's time to send its first request, and between pings: FIRST_CALL_MS and PING_INTERVAL_MS otherwise (tests lower them). */
  liveness?: Partial<LivenessLimits>;
}): Promise<BrowserServer> {
  const root = resolve(opts.rendererDir);
  const scheme = opts.tls ? 'https' : 'http';
  let port = 0;
  const hostAllowed = (host: string | undefined) => allowedHosts(port, opts.hostNames, scheme).has((host ?? '').toLowerCase());
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    // On every answer, error pages too (a 404 echoes the path asked): the static files and routes add their own.
    for (const [name, value] of Object.entries(baseHeaders)) res.setHeader(name, value);
    // The Host first: nothing else of a request is looked at before it is known to be for this console.
    if (!hostAllowed(req.headers.host)) {
      res.writeHead(421, { 'content-type': plainText }).end('misdirected request: unknown host\n');
      return;
    }
    if (decodedRequestPath(req.url) === null) {
      res.writeHead(400, { 'content-type': plainText }).end('bad request: the target is not a path, or its %-escapes are not UTF-8\n');
      return;
    }
    for (const route of opts.routes ?? []) if (route.handle(req, res)) return;
    serveStatic(root, req, res);
  };
  // The last resort: whatever a request carries, an exception here would end the station.
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      answer(req, res);
    } catch (err) {
      opts.logger.error({ err, method: req.method, url: clip(req.url) }, 'http request failed');
      try {
        if (res.headersSent) res.destroy();
        else res.writeHead(500, { 'content-type': plainText }).end('internal error\n');
      } catch {
        res.destroy();
      }
    }
  };
  const http = opts.tls ? createTlsServer({ cert: readPem(opts.tls.cert, '--tls-cert'), key: readPem(opts.tls.key, '--tls-key') }, onRequest) : createServer(onRequest);
  // Served all the same, but said: a weak key or signature, or a certificate out of (or near the end of) its validity.
  if (opts.tls) warnOfWeakCertificate(opts.tls.cert, { logger: opts.logger, audit: opts.audit, now: Date.now() });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const eventText = eventTextCache(opts.events);
  const limits = { console: opts.bufferLimits?.console ?? MAX_BUFFERED_BYTES, total: opts.bufferLimits?.total ?? MAX_TOTAL_BUFFERED_BYTES };
  const ledger = new BufferLedger(limits.total, opts.logger);
  const slots = new ConsoleSlots({ perSource: opts.consoleLimits?.perSource ?? MAX_CONSOLES_PER_SOURCE, total: opts.consoleLimits?.total ?? MAX_CONSOLES }, opts.logger);
  const liveness = { firstCallMs: opts.liveness?.firstCallMs ?? FIRST_CALL_MS, pingMs: opts.liveness?.pingMs ?? PING_INTERVAL_MS };

  http.on('upgrade', (req, socket, head) => {
    // Node takes its own error listener off an upgraded socket: a peer that resets it must not end the station.
    socket.on('error', (err) => opts.logger.debug({ err: err.message }, 'upgrade socket error'));
    try {
      // Host and Origin before anything else of the request is parsed.
      const host = (req.headers.host ?? '').toLowerCase();
      if (!hostAllowed(host) || (req.headers.origin ?? '').toLowerCase() !== `${scheme}://${host}`) {
        opts.logger.warn({ host: clip(req.headers.host), origin: clip(req.headers.origin), url: clip(req.url) }, 'websocket upgrade refused');
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      if (requestPath(req.url) !== '/api') {
        opts.logger.warn({ url: clip(req.url) }, 'websocket upgrade refused: not /api');
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      // A place among the consoles before the upgrade (made by closing an idle socket nobody signed in on, if need be).
      const source = req.socket.remoteAddress ?? 'unknown';
      const refusal = slots.admit(socket, source);
      if (refusal) {
        // Upgraded to be closed with its reason (1013: try again later), which a WebSocket client reads.
        wss.handleUpgrade(req, socket, head, (ws) => closeWithin(ws, 1013, refusal.reason));
        return;
      }
      socket.once('close', () => slots.release(socket));
      wss.handleUpgrade(req, socket, head, (ws) => {
        const env = { dispatcher: opts.dispatcher, events: opts.events, logger: opts.logger, eventText: eventText.text, maxBuffered: limits.console, ledger };
        const connection = attach(ws, source, env, () => {
          slots.heard(socket);
          live.heard();
        });
        const holder = {
          signedIn: () => signedIn(opts.dispatcher, connection, opts.logger),
          close: (code: number, reason: string) => closeWithin(ws, code, reason),
        };
        // Without these a socket that never sends, or whose console went away, would keep its place for ever.
        const live = watchLiveness(ws, liveness, {
          silent: () => {
            slots.closedBy('silent', source);
            closeWithin(ws, 1008, `closed: no request within ${liveness.firstCallMs / 1000} s of connecting`);
          },
          gone: () => {
            // A signed-in console's loss is said on its own line (its session waits for a reconnect); others go into the burst count.
            if (holder.signedIn()) opts.logger.warn({ remote: source, pingMs: liveness.pingMs }, 'signed-in console answered no ping; its socket is cut');
            else slots.closedBy('gone', source);
            ws.terminate();
          },
        });
        slots.bind(socket, holder);
      });
    } catch (err) {
      opts.logger.error({ err, url: clip(req.url) }, 'websocket upgrade failed');
      socket.destroy();
    }
  });

  await new Promise<void>((ok, fail) => {
    http.once('error', (err) => fail(listenProblem(err, opts.host ?? '127.0.0.1', opts.port, 'the console', '--port N (0 takes a free port)') ?? err));
    http.listen(opts.port, opts.host ?? '127.0.0.1', () => ok());
  });
  port = (http.address() as AddressInfo).port;
  const shownHost = opts.host && !['0.0.0.0', '::', '[::]'].includes(opts.host) ? opts.host : (opts.hostNames?.[0] ?? '127.0.0.1');
  return {
    url: `${scheme}://${shownHost.includes(':') && !shownHost.startsWith('[') ? `[${shownHost}]` : shownHost}:${port}/`,
    port,
    consoles: () => slots.size,
    close: () =>
      new Promise<void>((ok) => {
        eventText.stop();
        slots.stop();
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => ok());
        http.closeAllConnections();
      }),
  };
}

/** The port a browser leaves out of Host and Origin for the scheme (RFC 9110 §4.2, WHATWG URL). */
const defaultPorts = { http: 80, https: 443 } as const;

/**
 * The Host values a browser sends for this console: loopback names with the port, and configured
 * names; on the scheme's default port (80, 443) also the names alone, as a browser sends them there.
 */
export function allowedHosts(port: number, names: readonly string[] = [], scheme: 'http' | 'https' = 'http'): Set<string> {
  const hosts = ['127.0.0.1', 'localhost', '[::1]', ...names].map((n) => n.toLowerCase());
  return new Set([...hosts.map((n) => `${n}:${port}`), ...(port === defaultPorts[scheme] ? hosts : [])]);
}

/**
 * A station event as sent on every console's socket, serialized once per publish for all
 * of them (a control room's consoles each take the same 10,000-value batches). Forgotten at
 * each publish: a publisher may send the same object again, changed.
 */
function eventTextCache(events: EventHub): { text: (name: EventName, data: unknown) => string; stop: () => void } {
  let text: string | null = null;
  // Subscribed before any console's listener, so it runs first on every publish.
  const stop = events.subscribe(() => { text = null; });
  return {
    text: (name, data) => (text ??= JSON.stringify({ type: 'event', name, data } satisfies ServerMessage)),
    stop,
  };
}

/** Calls one console may have running at once; the console itself never has more than a handful. */
export const MAX_CALLS_IN_FLIGHT = 32;
/** Bytes the station holds for one console that is not reading (a second of a busy plant's events is ~100 KB). */
export const MAX_BUFFERED_BYTES = 16 << 20;
/** Bytes the station holds for all consoles together (many sockets opened and never read would each take the above). */
export const MAX_TOTAL_BUFFERED_BYTES = 128 << 20;

/**
 * Closes a socket with a reason its client reads, and cuts it if the client does not answer the
 * close soon: a flood's sockets must not each keep a descriptor for ws's 30 s close timeout.
 */
function closeWithin(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, reason);
  const cut = setTimeout(() => ws.terminate(), MAKE_ROOM_GRACE_MS);
  cut.unref?.();
  ws.once('close', () => clearTimeout(cut));
}

/** Whether someone is signed in on the console; when that cannot be told, it is kept (never closed to make room). */
function signedIn(dispatcher: Dispatcher, connection: TransportConnection, logger: Logger): boolean {
  try {
    return dispatcher.signedIn(connection);
  } catch (err) {
    logger.error({ err }, 'cannot tell whether someone is signed in on a console; keeping its socket');
    return true;
  }
}

interface AttachEnv {
  dispatcher: Dispatcher;
  events: EventHub;
  logger: Logger;
  eventText: (name: EventName, data: unknown) => string;
  maxBuffered: number;
  ledger: BufferLedger;
}

function attach(ws: WebSocket, remote: string, env: AttachEnv, heard: () => void): TransportConnection {
  const { dispatcher, events, logger, eventText, maxBuffered, ledger } = env;
  // A console that stopped reading (a hung renderer, a stalled network) would have the station
  // buffer its events without end: past the limit the socket is dropped, and the console, once
  // it reads again, reconnects and is sent the state afresh.
  const roomFor = (): boolean => {
    if (ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount <= maxBuffered) return true;
    logger.warn({ remote, buffered: ws.bufferedAmount }, 'console is not reading its socket; dropping it');
    ws.terminate();
    return false;
  };
  /** Every send goes through here: what the station holds for the socket is noted, for the total across consoles. */
  const sendText = (text: string) => {
    ws.send(text);
    ledger.note(ws);
  };
  const send = (msg: ServerMessage) => {
    if (roomFor()) sendText(JSON.stringify(msg));
  };
  const connection = new TransportConnection('ws', remote, isLoopbackAddress(remote), (name, data) => send({ type: 'event', name, data }));
  // Station-wide events only where the session rules allow (beyond loopback: after sign-in); connection.send is this console's own.
  const unsubscribe = events.subscribe((name, data) => {
    if (dispatcher.receivesEvents(connection) && roomFor()) sendText(eventText(name, data));
  });
  ws.on('close', () => {
    ledger.forget(ws);
    unsubscribe();
    connection.close();
  });
  ws.on('error', (err) => logger.warn({ err: err.message }, 'websocket error'));
  let inFlight = 0;
  const onMessage = async (raw: RawData) => {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch {
      logger.warn('websocket message is not JSON; closing');
      ws.close(1003, 'messages must be JSON');
      return;
    }
    const msg = clientMessage.safeParse(json);
    if (!msg.success) {
      ws.close(1003, 'messages must be {type:"call", id, method, params}');
      return;
    }
    if (inFlight >= MAX_CALLS_IN_FLIGHT) {
      // Answered at once, not queued: one client cannot pile work onto the station.
      send({ type: 'response', id: msg.data.id, ...dispatcher.busy(msg.data.method, connection, MAX_CALLS_IN_FLIGHT) });
      return;
    }
    let response: ApiResponse<unknown>;
    inFlight++;
    try {
      response = await dispatcher.dispatch(msg.data.method, msg.data.params, connection);
    } catch (err) {
      // The dispatcher answers errors as values; should it throw all the same, the console still gets an answer.
      logger.error({ err, method: msg.data.method }, 'request failed');
      response = { ok: false, error: { code: 'internal', message: `${msg.data.method} failed`, i18n: { key: 'error.internal' } } };
    } finally {
      inFlight--;
    }
    send({ type: 'response', id: msg.data.id, ...response });
  };
  ws.on('message', (raw) => {
    heard();
    onMessage(raw).catch((err: unknown) => {
      logger.error({ err }, 'websocket message failed; closing');
      ws.terminate();
    });
  });
  return connection;
}

/**
 * connect-src 'self': the console talks to its own origin only (CSP 3: 'self' covers ws:/wss: to the same host and port).
 * form-action does not fall back to default-src: closed, as in the Electron window (shell/window-policy.ts).
 */
const csp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Every answer's: never sniffed into HTML, never framed (X-Frame-Options for browsers without
 * frame-ancestors), no referrer (a download link is a one-time token); anything but the console
 * itself runs and loads nothing.
 */
const baseHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
} as const;
const plainText = 'text/plain; charset=utf-8';

/** A header or target as logged: whoever sent it chose its length. */
function clip(text: string | undefined): string | undefined {
  return text === undefined || text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`${flag} ${file}: cannot read it: ${(err as Error).message}`, { cause: err });
  }
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodedRequestPath(req.url);
  if (pathname === null) {
    res.writeHead(400, { 'content-type': plainText }).end('bad request\n');
    return;
  }
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    res.writeHead(404, { 'content-type': plainText }).end(`not found: ${pathname}\n`);
    return;
  }
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  // A read error (the file went away after stat) cuts the answer; unheard, it would end the station.
  else createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
