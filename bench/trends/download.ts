/**
 * A trend export as browser mode serves it: trends.export over the console's
 * WebSocket, then the one-time download link fetched and streamed to a file.
 * Timed from the request to the last byte; the rows come from the file's
 * closing hash line.
 */
import { closeSync, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import WebSocket from 'ws';
import type { Params } from '../../app/shared/api.js';

export async function downloadExport(url: string, params: Params<'trends.export'>, file: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const origin = url.replace(/\/$/, '');
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers: { origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    const t0 = performance.now();
    const res = await new Promise<{ ok: boolean; result?: { target: { kind: string; url?: string } }; error?: { message: string } }>((resolve) => {
      ws.on('message', (raw) => {
        const msg = JSON.parse(String(raw)) as { type: string; id?: number };
        if (msg.type === 'response' && msg.id === 1) resolve(msg as never);
      });
      ws.send(JSON.stringify({ type: 'call', id: 1, method: 'trends.export', params }));
    });
    if (!res.ok || res.result?.target.kind !== 'download') throw new Error(`trends.export: ${res.error?.message ?? JSON.stringify(res.result)}`);
    const got = await fetch(origin + res.result.target.url!);
    if (!got.ok || !got.body) throw new Error(`download: HTTP ${got.status}`);
    await pipeline(Readable.fromWeb(got.body as never), createWriteStream(file));
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
