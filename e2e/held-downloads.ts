/**
 * A reverse proxy in front of the console that holds export downloads part
 * way: it passes the first `passBytes` of a /download/ response, then stops
 * reading from the station until released. A test can so cancel an export
 * that is certainly still running, however fast the machine; everything
 * else (pages, the WebSocket) passes untouched. While held, the proxy does
 * not read the station's socket, so it sees a cut only once released.
 */
import http from 'node:http';
import net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';

export interface HeldDownloads {
  url: string;
  /** Resolves once a download has passed its first bytes and is held. */
  held: Promise<void>;
  /** Lets the held downloads go on: the browser gets the rest, or the station's cut, as it would without the proxy. */
  release(): void;
  close(): Promise<void>;
}

export async function holdDownloads(target: string, passBytes = 64 * 1024): Promise<HeldDownloads> {
  const to = new URL(target);
  const origin = to.origin;
  let heldNow: () => void = () => undefined;
  const held = new Promise<void>((r) => (heldNow = r));
  const sockets = new Set<net.Socket>();
  const holds: Hold[] = [];

  const server = http.createServer((req, res) => {
    const up = http.request(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        const hold = req.url?.startsWith('/download/') ? new Hold(passBytes, heldNow) : null;
        if (hold) holds.push(hold);
        (hold ? upRes.pipe(hold) : upRes).pipe(res);
        // The station cut the response (seen once what came before it is read): cut it here too.
        upRes.on('close', () => {
          if (!upRes.complete) res.destroy();
        });
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  // WebSocket: the station checks Host and Origin against its own port.
  server.on('upgrade', (req, socket: net.Socket, head: Buffer) => {
    const up = net.connect(Number(to.port), to.hostname, () => {
      const headers = { ...req.headers, host: to.host, ...(req.headers.origin ? { origin } : {}) };
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      up.write(head);
      socket.pipe(up).pipe(socket);
    });
    for (const s of [up, socket]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === up ? socket : up).destroy());
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    held,
    release: () => holds.forEach((h) => h.release()),
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/** Passes `limit` bytes, then takes no more (the pipe stops reading the station) until released. */
class Hold extends Transform {
  private passed = 0;
  private waiting: (() => void) | null = null;
  private released = false;
  constructor(private readonly limit: number, private readonly onHeld: () => void) {
    super({ highWaterMark: 1 });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.released) return done(null, chunk);
    const part = chunk.subarray(0, Math.max(0, this.limit - this.passed));
    this.passed += part.length;
    if (part.length > 0) this.push(part);
    if (this.passed < this.limit) return done();
    this.onHeld();
    const rest = chunk.subarray(part.length);
    this.waiting = () => done(null, rest);
  }
  release(): void {
    this.released = true;
    this.waiting?.();
    this.waiting = null;
  }
}
