/**
 * A trend export as browser mode serves it: trends.export over the console's
 * WebSocket, then the one-time download link fetched and streamed to a file.
 * Timed from the request to the last byte; the rows come from the file's
 * closing hash line.
 */
import { closeSync, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import WebSocket from 'ws';
import type { Params } from '../../app/shared/api.js';

type Response<R> = { ok: boolean; result?: R; error?: { message: string } };

export async function downloadExport(
  url: string,
  account: { user: string; password: string },
  params: Params<'trends.export'>,
  file: string,
): Promise<{ rows: number; bytes: number; seconds: number }> {
  const origin = url.replace(/\/$/, '');
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers: { origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (msg: Response<unknown>) => void>();
  ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw)) as Response<unknown> & { type: string; id?: number };
    if (msg.type === 'response' && msg.id !== undefined) waiting.get(msg.id)?.(msg);
  });
  let next = 0;
  const call = <R>(method: string, p: unknown) =>
    new Promise<Response<R>>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (msg: Response<unknown>) => void);
      ws.send(JSON.stringify({ type: 'call', id, method, params: p }));
    });
  try {
    // The session belongs to this connection: the export below runs as this operator.
    const signedIn = await call('session.signIn', account);
    if (!signedIn.ok) throw new Error(`session.signIn ${account.user}: ${signedIn.error?.message}`);
    const t0 = performance.now();
    const res = await call<{ target: { kind: string; url?: string } }>('trends.export', params);
    if (!res.ok || res.result?.target.kind !== 'download') throw new Error(`trends.export: ${res.error?.message ?? JSON.stringify(res.result)}`);
    // node:http straight into the file, as a browser's download manager streams to disk (fetch's
    // web streams cost this process more CPU than the station's own work on a 2-core machine).
    const got = await new Promise<IncomingMessage>((resolve, reject) => get(origin + res.result!.target.url!, resolve).once('error', reject));
    if (got.statusCode !== 200) throw new Error(`download: HTTP ${got.statusCode}`);
    await pipeline(got, createWriteStream(file));
    const seconds = (performance.now() - t0) / 1000;
    const tail = lastLine(file);
    const m = /^# sha256,[0-9a-f]{64},rows,(\d+)$/.exec(tail);
    if (!m) throw new Error(`download: no hash line at the end (${tail})`);
    return { rows: Number(m[1]), bytes: statSync(file).size, seconds };
  } finally {
    ws.close();
  }
}

function lastLine(file: string): string {
  const size = statSync(file).size;
  const buf = Buffer.alloc(Math.min(200, size));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, size - buf.length);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8').trim().split('\r\n').at(-1)!;
}
