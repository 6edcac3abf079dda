/**
 * Real upstreams for tests and benchmarks: Debian's influxd (1.6.7) and
 * victoria-metrics, each on a free 127.0.0.1 port with a temp data dir,
 * stoppable with SIGTERM or kill -9 and restartable on the same port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

/** The process could not bind its port: another took it between freePort() and the bind. */
class PortTaken extends Error {}

/**
 * A server made on free ports and started, made again on others when a port was taken meanwhile
 * (freePort() closes the port it found before the server binds it: a loaded run's other processes
 * took one). A server that did not start leaves no data folder.
 */
async function onFreePorts<T extends ServerProcess>(make: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const server = await make();
    try {
      return await server.start();
    } catch (e) {
      rmSync(server.dir, { recursive: true, force: true });
      if (!(e instanceof PortTaken) || attempt === 5) throw e;
    }
  }
}

abstract class ServerProcess {
  protected child: ChildProcess | null = null;
  /** When the running process was started (ms). */
  startedAt = 0;
  private stderr = '';
  readonly dir: string;

  constructor(readonly name: string, readonly port: number, dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), `vigil-${name}-`));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process's id (benchmarks watch its CPU). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  protected abstract command(): [string, string[]];
  protected abstract ready(): Promise<boolean>;

  async start(): Promise<this> {
    const [cmd, args] = this.command();
    this.startedAt = Date.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.stderr = '';
    child.stderr!.on('data', (c: Buffer) => { this.stderr = (this.stderr + c.toString()).slice(-4000); });
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) {
        const message = `${this.name} exited with ${child.exitCode}: ${this.stderr}`;
        throw /address already in use/.test(this.stderr) ? new PortTaken(message) : new Error(message);
      }
      try {
        if (await this.ready()) return this;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    await this.stop();
    throw new Error(`${this.name} did not answer within 10 s: ${this.stderr}`);
  }

  /** kill -9: what it had not made durable is gone. */
  async kill9(): Promise<void> {
    await this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  async restart(): Promise<void> {
    await this.start();
  }

  /** Stops it and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The admin an InfluxServer launched with `auth` is made with (its queries go as that user). */
export const INFLUX_ADMIN = { username: 'admin', password: 'admin-pw' };

export class InfluxServer extends ServerProcess {
  /** Queries go as INFLUX_ADMIN once it is made. */
  private adminMade = false;

  private constructor(port: number, private readonly rpcPort: number, private readonly auth: boolean, private readonly retentionCheck: string) {
    super('influxd', port);
  }

  /**
   * auth: [http] auth-enabled, with INFLUX_ADMIN made at the start (InfluxDB lets the first user be made without credentials).
   * retentionCheck: how often it deletes shard groups past their retention policy ([retention] check-interval; its default 30m).
   */
  static async launch(options: { auth?: boolean; retentionCheck?: string } = {}): Promise<InfluxServer> {
    const s = await onFreePorts(async () => new InfluxServer(await freePort(), await freePort(), options.auth ?? false, options.retentionCheck ?? '30m'));
    if (s.auth) {
      await s.query(`CREATE USER "${INFLUX_ADMIN.username}" WITH PASSWORD '${INFLUX_ADMIN.password}' WITH ALL PRIVILEGES`);
      s.adminMade = true;
    }
    return s;
  }

  protected command(): [string, string[]] {
    for (const d of ['meta', 'data', 'wal']) mkdirSync(join(this.dir, d), { recursive: true });
    const config = join(this.dir, 'influxdb.conf');
    writeFileSync(config, [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${this.rpcPort}"`,
      '[meta]', `  dir = "${join(this.dir, 'meta')}"`, '  logging-enabled = false',
      '[data]', `  dir = "${join(this.dir, 'data')}"`, `  wal-dir = "${join(this.dir, 'wal')}"`, '  query-log-enabled = false',
      '[monitor]', '  store-enabled = false',
      '[retention]', `  check-interval = "${this.retentionCheck}"`,
      '[http]', `  bind-address = "127.0.0.1:${this.port}"`, '  log-enabled = false', '  max-row-limit = 0', `  auth-enabled = ${this.auth}`,
      '[logging]', '  level = "error"', '',
    ].join('\n'));
    return ['influxd', ['-config', config]];
  }

  protected async ready(): Promise<boolean> {
    return (await fetch(`${this.url}/ping`)).status === 204;
  }

  async query(q: string, db?: string): Promise<InfluxResult> {
    const body = new URLSearchParams({ q, epoch: 'ms', ...(db ? { db } : {}) });
    const basic = Buffer.from(`${INFLUX_ADMIN.username}:${INFLUX_ADMIN.password}`).toString('base64');
    const res = await fetch(`${this.url}/query`, { method: 'POST', body, ...(this.adminMade ? { headers: { Authorization: `Basic ${basic}` } } : {}) });
    const json = (await res.json()) as { results?: InfluxResult[]; error?: string };
    const error = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!res.ok || error) throw new Error(`influx query failed (${res.status}): ${error ?? ''}: ${q}`);
    return json.results![0]!;
  }

  async createDatabase(db: string): Promise<void> {
    await this.query(`CREATE DATABASE "${db}"`);
  }
}

export interface InfluxResult {
  error?: string;
  series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[];
}

export class VictoriaServer extends ServerProcess {
  /**
   * Its -storage.minFreeDiskSpaceBytes, read at each (re)start: set above the free space, it stands
   * for a full disk (the storage turns read-only and writes are answered 503); null: its default.
   */
  minFreeDiskSpace: string | null = null;

  private constructor(port: number, private readonly dedup: boolean, private readonly retentionPeriod: string) {
    super('victoria-metrics', port);
  }

  /** retentionPeriod: its -retentionPeriod (default 100y: a test's old samples are kept). */
  static async launch(options: { dedup?: boolean; retentionPeriod?: string } = {}): Promise<VictoriaServer> {
    return onFreePorts(async () => new VictoriaServer(await freePort(), options.dedup ?? false, options.retentionPeriod ?? '100y'));
  }

  protected command(): [string, string[]] {
    const args = [`-storageDataPath=${join(this.dir, 'data')}`, `-httpListenAddr=127.0.0.1:${this.port}`, '-loggerLevel=ERROR', `-retentionPeriod=${this.retentionPeriod}`, '-search.latencyOffset=0s'];
    if (this.dedup) args.push('-dedup.minScrapeInterval=1ms');
    if (this.minFreeDiskSpace !== null) args.push(`-storage.minFreeDiskSpaceBytes=${this.minFreeDiskSpace}`);
    return ['victoria-metrics', args];
  }

  protected async ready(): Promise<boolean> {
    return (await fetch(`${this.url}/health`)).status === 200;
  }

  /** Raw samples of the series matching a selector (duplicates included), after making recent rows searchable. */
  async export(match: string): Promise<VictoriaSeries[]> {
    await fetch(`${this.url}/internal/force_flush`);
    // end: the default is now, and a test may have sent samples a little ahead of it.
    const body = new URLSearchParams({ 'match[]': match, start: '0', end: String(Math.floor(Date.now() / 1000) + 3 * 86_400) });
    const res = await fetch(`${this.url}/api/v1/export`, { method: 'POST', body });
    if (!res.ok) throw new Error(`victoria export failed (${res.status}): ${await res.text()}`);
    const text = await res.text();
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as VictoriaSeries);
  }
}

export interface VictoriaSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}
