/**
 * An HTTP proxy in front of a real upstream that misbehaves on demand: a
 * rule sees each write (its lines, gunzipped) and forwards it or answers
 * 500, 429 with Retry-After, 400, resets the connection, stalls, or acks
 * with 204 and drops the body. Everything else (GET /metrics, queries) is
 * forwarded as is.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type FaultAction =
  | 'forward'
  /** Forwarded and stored upstream, but the answer never reaches the client. */
  | 'forwardThenStall'
  | 'reset'
  | 'stall'
  | 'ackDrop'
  | { status: number; body?: string; retryAfter?: string; contentType?: string };

export interface SeenWrite {
  path: string;
  lines: string[];
  action: string;
}

export type FaultRule = (w: { path: string; lines: string[]; index: number }) => FaultAction;

export class FaultProxy {
  readonly writes: SeenWrite[] = [];
  /** Other requests (GET /metrics, queries) and what came of them, for a failing test to show. */
  readonly reads: { at: string; path: string; outcome: string }[] = [];
  rule: FaultRule = () => 'forward';
  /** What a read (GET /metrics, /debug/vars, a query) gets: forwarded, or answered by the proxy. */
  readRule: (r: { path: string }) => 'forward' | { status: number; body: string; contentType: string } = () => 'forward';
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly port: number, private readonly target: URL) {
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(target: string): Promise<FaultProxy> {
    let proxy: FaultProxy | null = null;
    const server = createServer((req, res) => { void proxy!.handle(req, res); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fault proxy: no port');
    proxy = new FaultProxy(server, address.port, new URL(target));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Lines the proxy forwarded and the upstream acknowledged. */
  get forwardedLines(): number {
    return this.writes.filter((w) => w.action === 'forward:2xx').reduce((n, w) => n + w.lines.length, 0);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const isWrite = req.method === 'POST' && /write/.test(req.url ?? '');
    if (!isWrite) {
      const read = { at: new Date().toISOString(), path: req.url ?? '', outcome: 'pending' };
      this.reads.push(read);
      if (this.reads.length > 50) this.reads.shift();
      res.on('finish', () => (read.outcome = `answered ${res.statusCode}`));
      res.on('close', () => { if (!res.writableFinished) read.outcome = 'cut'; });
      const answer = this.readRule({ path: req.url ?? '' });
      if (answer === 'forward') this.forward(req, raw, res, null);
      else res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.body);
      return;
    }
    const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    const seen: SeenWrite = { path: req.url ?? '', lines, action: '' };
    this.writes.push(seen);
    const action = this.rule({ path: seen.path, lines, index: this.writes.length - 1 });
    if (action === 'forward') { this.forward(req, raw, res, seen); return; }
    if (action === 'forwardThenStall') { this.forward(req, raw, null, seen); return; }
    if (action === 'reset') { seen.action = 'reset'; req.socket.destroy(); return; }
    if (action === 'stall') { seen.action = 'stall'; return; } // never answered: the client times out
    if (action === 'ackDrop') { seen.action = 'ackDrop'; res.writeHead(204).end(); return; }
    seen.action = `status:${action.status}`;
    res.writeHead(action.status, { 'Content-Type': action.contentType ?? 'application/json', ...(action.retryAfter ? { 'Retry-After': action.retryAfter } : {}) });
    res.end(action.body ?? JSON.stringify({ error: `fault proxy: ${action.status}` }));
  }

  /** To the upstream; its answer to the client, or to nobody (res null). */
  private forward(req: IncomingMessage, raw: Buffer, res: ServerResponse | null, seen: SeenWrite | null): void {
    const headers = { ...req.headers, host: this.target.host };
    const up = request({ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers }, (r) => {
      if (seen) seen.action = (r.statusCode! >= 200 && r.statusCode! < 300 ? 'forward:2xx' : `forward:${r.statusCode}`) + (res ? '' : ':unanswered');
      if (!res) { r.resume(); return; }
      res.writeHead(r.statusCode ?? 502, r.headers);
      // The upstream killed mid-answer: the client sees the connection cut, as it would without
      // the proxy (pipe alone would leave it waiting for its timeout).
      r.on('close', () => {
        if (!r.complete) res.destroy();
      });
      r.pipe(res);
    });
    up.on('error', () => {
      if (seen) seen.action = 'forward:error';
      req.socket.destroy(); // the upstream is down: the client sees a reset, as it would without the proxy
    });
    up.end(raw);
  }
}
