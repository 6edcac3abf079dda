/**
 * Whether a failed request may have reached the upstream: not before the
 * connection (and TLS handshake) was made; a reset or a timeout after it may
 * come after the upstream took the request. Against local servers.
 */
import { type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../testing/servers.js';
import { HttpClient } from './http.js';

const servers: (Server | HttpServer)[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

async function listen(server: Server | HttpServer): Promise<URL> {
  servers.push(server);
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  return new URL(`http://127.0.0.1:${a.port}/write?db=t`);
}

const post = (url: URL, timeoutMs = 5000) => {
  const client = new HttpClient({ timeoutMs }, url);
  return client.post(url, Buffer.from('m v=1 1\n'), { 'Content-Type': 'text/plain' }).finally(() => client.close());
};

describe('a failed request: known not sent, or of unknown fate', () => {
  it('connection refused: known not sent', async () => {
    const o = await post(new URL(`http://127.0.0.1:${await freePort()}/write`));
    expect(o).toMatchObject({ kind: 'network', maybeReceived: false, timedOut: false });
    expect(o.kind === 'network' && o.error).toMatch(/^ECONNREFUSED/);
  });

  it('a TLS handshake that fails: known not sent', async () => {
    // A plain TCP server that drops every connection before the handshake ends.
    const url = await listen(createServer((s) => s.destroy()));
    const tls = new URL(url.href.replace('http:', 'https:'));
    const o = await post(tls);
    expect(o).toMatchObject({ kind: 'network', maybeReceived: false, timedOut: false });
  });

  it('a reset after the request was read: it may have been taken', async () => {
    const url = await listen(createHttpServer((req) => { req.resume(); req.on('end', () => req.socket.destroy()); }));
    expect(await post(url)).toMatchObject({ kind: 'network', maybeReceived: true, timedOut: false });
  });

  it('no answer within the timeout: it may have been taken, and it timed out', async () => {
    const url = await listen(createHttpServer((req) => { req.resume(); }));
    expect(await post(url, 300)).toMatchObject({ kind: 'network', maybeReceived: true, timedOut: true });
  });

  it('an answer: its status, body, content type and the upstream\'s clock (its Date header)', async () => {
    const url = await listen(createHttpServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'text/html', Date: 'Wed, 02 Dec 2026 10:00:07 GMT' }).end('Please sign in');
    }));
    expect(await post(url)).toEqual({ kind: 'response', status: 200, retryAfter: null, body: 'Please sign in', contentType: 'text/html', date: Date.UTC(2026, 11, 2, 10, 0, 7) });
  });
});
