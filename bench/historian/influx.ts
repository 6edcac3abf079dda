/**
 * InfluxDB 1.x as a comparison point: started on loopback with a temp dir and
 * free ports, fed line protocol over HTTP (/write, batches of 5000), queried
 * with InfluxQL (/query), measured on disk after a full compaction, stopped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirBytes } from './disk.js';

/** The influxd version string, or undefined when influxd is not installed. */
export function influxVersion(): string | undefined {
  const r = spawnSync('influxd', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

export class Influx {
  private stderr = '';
  private constructor(private readonly child: ChildProcess, readonly url: string, readonly dir: string) {
    child.stderr?.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-4000);
    });
  }

  static async start(dir: string): Promise<Influx> {
    const [httpPort, rpcPort] = [await freePort(), await freePort()];
    for (const d of ['meta', 'data', 'wal']) mkdirSync(join(dir, d), { recursive: true });
    const config = join(dir, 'influxdb.conf');
    writeFileSync(
      config,
      [
        'reporting-disabled = true',
        `bind-address = "127.0.0.1:${rpcPort}"`,
        '[meta]',
        `  dir = "${join(dir, 'meta')}"`,
        '  logging-enabled = false',
        '[data]',
        `  dir = "${join(dir, 'data')}"`,
        `  wal-dir = "${join(dir, 'wal')}"`,
        '  query-log-enabled = false',
        '  cache-snapshot-write-cold-duration = "1s"',
        '  compact-full-write-cold-duration = "2s"',
        '[monitor]',
        '  store-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${httpPort}"`,
        '  log-enabled = false',
        '[logging]',
        '  level = "warn"',
        '',
      ].join('\n'),
    );
    const child = spawn('influxd', ['-config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    const influx = new Influx(child, `http://127.0.0.1:${httpPort}`, dir);
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`influxd exited with ${child.exitCode}: ${influx.stderr}`);
      try {
        if ((await fetch(`${influx.url}/ping`)).status === 204) return influx;
      } catch {
        await sleep(100); // not listening yet
      }
    }
    await influx.stop();
    throw new Error(`influxd did not answer /ping within 10 s: ${influx.stderr}`);
  }

  async query(q: string, db?: string): Promise<unknown> {
    const body = new URLSearchParams({ q, ...(db ? { db } : {}), epoch: 'ms' });
    const res = await fetch(`${this.url}/query`, { method: 'POST', body });
    const json = (await res.json()) as { results?: { error?: string }[]; error?: string };
    const error = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!res.ok || error) throw new Error(`influx query failed (${res.status}): ${error ?? ''}: ${q}`);
    return json;
  }

  /** Writes line protocol (ms precision). */
  async write(db: string, lines: string): Promise<void> {
    const res = await fetch(`${this.url}/write?db=${db}&precision=ms`, { method: 'POST', body: lines });
    if (res.status !== 204) throw new Error(`influx write failed (${res.status}): ${await res.text()}`);
  }

  /**
   * Bytes once the store has gone quiet (snapshot + full compaction): all files
   * of data + wal (incl. the preallocated series file and index), and the .tsm + .wal files alone.
   */
  async settledBytes(maxWaitMs = 30_000): Promise<{ total: number; tsmWal: number }> {
    const dirs = [join(this.dir, 'data'), join(this.dir, 'wal')];
    let last = -1;
    let stableFor = 0;
    for (let waited = 0; waited < maxWaitMs; waited += 500) {
      await sleep(500);
      const bytes = dirs.reduce((sum, d) => sum + dirBytes(d), 0);
      stableFor = bytes === last ? stableFor + 500 : 0;
      last = bytes;
      if (stableFor >= 3000) break;
    }
    return { total: last, tsmWal: dirs.reduce((sum, d) => sum + dirBytes(d, /\.(tsm|wal)$/), 0) };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Line protocol escaping for tag values (commas, spaces, equals signs). */
export const escapeTag = (s: string): string => s.replace(/[,= ]/g, (c) => `\\${c}`);
