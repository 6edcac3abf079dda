/**
 * One HTTP(S) connection pool per upstream, and a POST that never throws: it
 * resolves to the response (status, Retry-After, the start of the body) or to
 * a network failure (refused, reset, timeout, TLS) described in words.
 * Redirects are not followed: a write that is moved is a configuration error.
 *
 * A network failure says whether the request may have reached the upstream:
 * not before the connection (and a TLS handshake) was made, so a refused
 * connection, an unknown host, an unreachable network or a failed handshake
 * is known not sent; a reset or a timeout after that may come after the
 * upstream took the request (its fate is unknown).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import type { SyncText } from '../../../shared/sync-text.js';
import { cutOff, networkFault, noAnswer } from './faults.js';

export type HttpOutcome =
  | {
    kind: 'response'; status: number; retryAfter: string | null; body: string; contentType: string | null;
    /** The upstream's clock as its Date header said (ms, whole seconds), null without one. */
    date?: number | null;
  }
  | {
    kind: 'network';
    error: string;
    /** `error` as a catalog message (faults.ts): the Sync page and the alarm say it in the console's language. */
    said?: SyncText;
    /** The connection was made, so (part of) the request may have been written and taken: its fate is unknown. */
    maybeReceived: boolean;
    /** No answer within the timeout (the connection made or not). */
    timedOut: boolean;
  };

export interface HttpClientOptions {
  timeoutMs: number;
  /** PEM file of the CA that signed the upstream's certificate (https only). */
  caFile?: string;
}

/** What is kept of a response body: a write's error message, or a /metrics page (~100 KB). */
const MAX_ERROR_BODY = 16 * 1024;
const MAX_GET_BODY = 4 * 1024 * 1024;

export class HttpClient {
  private readonly agent: HttpAgent;
  private readonly secure: boolean;

  constructor(private readonly opts: HttpClientOptions, url: URL) {
    this.secure = url.protocol === 'https:';
    const common = { keepAlive: true, maxSockets: 1 };
    if (this.secure) {
      let ca: Buffer | undefined;
      if (opts.caFile) {
        try {
          ca = readFileSync(opts.caFile);
        } catch (err) {
          throw new Error(`tls.caFile ${opts.caFile}: ${(err as Error).message}`);
        }
      }
      this.agent = new HttpsAgent({ ...common, ca });
    } else {
      this.agent = new HttpAgent(common);
    }
  }

  post(url: URL, body: Buffer, headers: Record<string, string>): Promise<HttpOutcome> {
    return this.send('POST', url, body, headers, MAX_ERROR_BODY);
  }

  /** `timeoutMs`: shorter than the writes' for a probe, which must never hold the delivery loop for long. */
  get(url: URL, headers: Record<string, string> = {}, timeoutMs = this.opts.timeoutMs): Promise<HttpOutcome> {
    return this.send('GET', url, null, headers, MAX_GET_BODY, timeoutMs);
  }

  private send(method: string, url: URL, body: Buffer | null, headers: Record<string, string>, maxBody: number,
    timeoutMs = this.opts.timeoutMs): Promise<HttpOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      // Set once the connection (and TLS handshake) is made: from then on the request is written.
      let connected = false;
      let timedOut = false;
      const done = (o: HttpOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const request = this.secure ? httpsRequest : httpRequest;
      const req = request(url, {
        method,
        agent: this.agent,
        headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers,
      }, (res) => readBody(res, maxBody, (text) => done({
        kind: 'response',
        status: res.statusCode ?? 0,
        retryAfter: headerText(res.headers['retry-after']),
        body: text,
        contentType: headerText(res.headers['content-type']),
        date: dateOf(headerText(res.headers.date)),
      }), (err) => done({ kind: 'network', error: `response cut off: ${err.message}`, said: cutOff(), maybeReceived: true, timedOut: false })));
      req.on('socket', (socket) => {
        // A kept-alive socket is connected already; a new one says so when its handshake is done.
        if (req.reusedSocket) connected = true;
        else socket.once(this.secure ? 'secureConnect' : 'connect', () => { connected = true; });
      });
      let timeoutSaid: SyncText | null = null;
      const timer = setTimeout(() => {
        timedOut = true;
        timeoutSaid = noAnswer(timeoutMs, connected);
        req.destroy(new Error(`no answer within ${timeoutMs} ms${connected ? '' : ' (no connection made)'}`));
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        const error = describe(err);
        done({ kind: 'network', error, said: timeoutSaid ?? networkFault(err, error), maybeReceived: connected, timedOut });
      });
      req.end(body ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function readBody(res: IncomingMessage, max: number, ok: (text: string) => void, fail: (err: Error) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (c: Buffer) => {
    if (size < max) chunks.push(c);
    size += c.length;
  });
  res.on('end', () => ok(Buffer.concat(chunks).subarray(0, max).toString('utf8')));
  res.on('error', fail);
  res.on('aborted', () => fail(new Error('aborted')));
  res.on('close', () => { if (!res.complete) fail(new Error('connection closed before the end of the answer')); });
}

function headerText(h: string | string[] | undefined): string | null {
  if (h === undefined) return null;
  return Array.isArray(h) ? (h[0] ?? null) : h;
}

function dateOf(h: string | null): number | null {
  const t = h === null ? NaN : Date.parse(h);
  return Number.isNaN(t) ? null : t;
}

function describe(err: NodeJS.ErrnoException): string {
  return err.code ? `${err.code}: ${err.message}` : err.message;
}
