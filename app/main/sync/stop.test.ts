/**
 * Stopping the sync: the station stops it before the acquisition and the
 * modules whose files it reads (the gap ledger closes with the acquisition),
 * so its last status reaches sync.sqlite for the CLI; a source that is gone
 * all the same does not keep the final status from being written, nor
 * sync.sqlite from closing. And an error the sync has recovered from stays
 * the last error, with its time, but is no longer cited as the cause of an
 * alarm once a send succeeded.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { gapLedgerSource } from '../acquisition/gap-source.js';
import { fixtureRaw } from '../alarms/engine/testing.js';
import { createLogger, silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { Station } from '../station/station.js';
import { formatStatus } from './cli/output.js';
import { SyncModule } from './module.js';
import { SyncService, syncDbPath } from './service.js';
import type { UpstreamStatus } from './status.js';
import { SyncStore } from './store/sync-store.js';
import { tempDir, until } from './testing/harness.js';
import { SampleLog } from './testing/sample-log.js';
import { freePort } from './testing/servers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function listen(port = 0): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(204).end()); });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

function finalStatus(dir: string): { status: UpstreamStatus; at: number | null } {
  const store = SyncStore.open(syncDbPath(dir));
  try {
    const s = store.statuses().find((x) => x.upstream === 'region')!;
    return { status: s.status as UpstreamStatus, at: s.at };
  } finally {
    store.close();
  }
}

describe('stopping the sync', () => {
  it('the station stops it before what it reads: no module fails to stop, and sync.sqlite keeps its final status', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const { url } = await listen();
    const file = join(tmp.dir, 'station.yaml');
    // The servers point where nothing answers: the acquisition keeps trying; the gap ledger is open.
    const raw = fixtureRaw();
    writeFileSync(file, stringify({ ...raw, servers: raw.servers.map((s) => ({ ...s, endpoint: 'opc.tcp://127.0.0.1:1/none' })),
      sync: { upstreams: [{ id: 'region', url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50 }] } }));
    const config = new ConfigStore(loadStationConfig(file), { source: file });
    const logged: { level: number; msg: string; module?: string }[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write(chunk, _e, done) { logged.push(JSON.parse(String(chunk)) as never); done(); } }) });
    const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0 });
    cleanups.push(() => h.close());
    const sync = new SyncModule({ config, dataDir: tmp.dir, logger, feed: h });
    const station = new Station({ config, dataDir: tmp.dir, logger, simulator: false, shell: 'browser', modules: [sync] });
    sync.attach(station.events);
    sync.attachGaps(gapLedgerSource(station.acquisition.ledger));
    await station.start();
    await until('the sync reported', () => sync.status().upstreams[0]?.connected === true || sync.status().upstreams[0]?.state === 'idle');
    const stopping = Date.now();
    await station.stop();
    expect(logged.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
    // Its last status read every stream (the gap ledger was still open), none from an earlier figure.
    expect(logged.filter((l) => l.level >= 40).map((l) => l.msg)).not.toContain('backlog not readable: the last figure is shown');
    const { status, at } = finalStatus(tmp.dir);
    expect(status.state).toBe('stopped');
    expect(at).toBeGreaterThanOrEqual(stopping);
  });

  it('a source closed before the sync stops: the final status is still written and sync.sqlite closed', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const { url } = await listen();
    const log = new SampleLog(join(tmp.dir, 'samples.sqlite'));
    log.append([{ tag: 'T', kind: 'analog', t: Date.now() - 1000, value: 1, status: 0 }]);
    const sync = await SyncService.start({
      config: { backlogAlarmAfterSec: 900, upstreams: [{ ...(await import('./testing/harness.js')).upstreamConfig({ url, flavour: 'influxdb1', flushIntervalMs: 50 }) }] },
      dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50, streams: () => [log.stream('influxdb1')],
    });
    await until('sent', () => sync.status().upstreams[0]!.sentLines === 1);
    log.close(); // its owner closed it first
    const stopping = Date.now();
    await sync.stop();
    const { status, at } = finalStatus(tmp.dir);
    expect(status.state).toBe('stopped');
    expect(status.sentLines).toBe(1);
    expect(at).toBeGreaterThanOrEqual(stopping);
    expect(() => sync.store.db.prepare('SELECT 1').get()).toThrow(/not open/);
  });

  it('an error recovered from stays the last error with its time, but no alarm cites it once a send succeeded', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const port = await freePort();
    const log = new SampleLog(join(tmp.dir, 'samples.sqlite'));
    cleanups.push(() => log.close());
    // An hour-old backlog that drains slowly: its alarm outlives the outage.
    log.append(Array.from({ length: 400 }, (_, i) => ({ tag: 'T', kind: 'analog' as const, t: Date.now() - 3_600_000 + i, value: i, status: 0 })), Date.now() - 3_600_000);
    const { upstreamConfig } = await import('./testing/harness.js');
    const sync = await SyncService.start({
      config: { backlogAlarmAfterSec: 60, upstreams: [upstreamConfig({ url: `http://127.0.0.1:${port}`, flavour: 'influxdb1', flushIntervalMs: 50, batch: { lines: 20 }, drainRateLimit: 20 })] },
      dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50, backoff: { baseMs: 10, capMs: 50, maxRetryAfterMs: 100 }, streams: () => [log.stream('influxdb1')],
    });
    cleanups.push(() => sync.stop());
    const u = () => sync.status().upstreams[0]!;
    await until('the backlog alarm, citing the refused connection', () => u().alarm?.kind === 'backlog' && /ECONNREFUSED/.test(u().alarm!.message));
    await listen(port);
    await until('a send succeeded', () => u().lastSuccessAt !== null);
    const after = Date.now();
    await until('a status computed after it', () => sync.status().at > after + 100);
    expect(u().state).toBe('sending');
    expect(u().alarm?.kind).toBe('backlog');
    expect(u().alarm!.message).not.toMatch(/ECONNREFUSED/);
    expect(u().lastError?.message).toMatch(/ECONNREFUSED/);
    expect(u().lastError!.at).toBeLessThan(u().lastSuccessAt!);
    await sync.stop();
    cleanups.pop();
    const cli = formatStatus(SyncStore.open(syncDbPath(tmp.dir)), loadStationConfig(writeConfig(tmp.dir, port)), false);
    expect(cli).toMatch(/last error {5}\S+ {2}ECONNREFUSED.*\(before the last success\)/);
  });
});

function writeConfig(dir: string, port: number): string {
  const file = join(dir, 'station.yaml');
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { upstreams: [{ id: 'region', url: `http://127.0.0.1:${port}`, flavour: 'influxdb1', database: 't' }] } }));
  return file;
}
