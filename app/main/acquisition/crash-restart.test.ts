/**
 * A station killed (SIGKILL: no stop, no exit handler) while its server and the plant go on, then
 * started again on the same data: what it archives must be what the server produced, each value
 * once. The loss starts at what its archive last committed (station/committed-mark.ts), no later
 * than the kill nor than commits that failed before it (a full disk), the values it received and
 * lost with its uncommitted archive come back from the server's history, and a tag's first value
 * after the restart, stamped inside the gap, is not archived both from history and live. The
 * expectation is the test's own record of what the plant produced.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { isGood } from '../../../historian/status.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { lockArchiveVolume } from '../station/testing/archive-lock.js';
import { spawnCrashStation } from './testing/crash-child.js';
import { readCommittedMark } from '../station/committed-mark.js';
import { silentLogger } from '../log.js';

/** A plant: its server with a history, and the test's own record of what it produced. */
interface Plant {
  server: TestServer;
  ticker: NodeJS.Timeout;
  /** A quiet plant: its value current at the restart's subscription is older than the subscription. */
  quiet: boolean;
  /** What the plant produced, each value its own (n), stamped by the server's clock. */
  record: { t: number; v: number }[];
  /** Ticks that produced nothing, the plant quiet. */
  skipped: number;
}

async function startPlant(dir: string, role: string): Promise<Plant> {
  let level!: UAVariable;
  const server = await startTestServer({
    role, dir,
    build: (ns, as) => {
      level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
    },
  });
  let n = 0;
  const plant: Plant = {
    server, quiet: false, record: [], skipped: 0,
    ticker: setInterval(() => {
      if (plant.quiet) return void plant.skipped++;
      const r = { t: Date.now(), v: n++ };
      plant.record.push(r);
      level.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
    }, 200),
  };
  return plant;
}

// The two cases run side by side (concurrent, each its own plant, server and station): each waits mostly on its own timers.
describe.concurrent('a station killed and started again', () => {
  let dir: string;
  const plants = new Map<string, Plant>();
  const stations = new Set<TestStation>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-crash-restart-'));
    for (const [name, plant] of await Promise.all(['plain', 'disk-full'].map(async (name) => [name, await startPlant(dir, `crash-restart-${name}`)] as const))) plants.set(name, plant);
  }, 240_000);

  afterAll(async () => {
    for (const p of plants.values()) clearInterval(p.ticker);
    for (const t of stations) await t.stop();
    for (const p of plants.values()) await p.server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs a station in a child on `<dir>/<name>`, kills it (after holding its archive volume's write
   * lock for `lockMs` first: commits fail as on a full disk), lets the plant go on, starts it again
   * and compares what it archived with the record, from `lookBackMs` before the kill on.
   */
  async function crashAndRestart(name: string, lockMs: number, lookBackMs: number): Promise<void> {
    const plant = plants.get(name)!;
    const { server, record } = plant;
    const home = join(dir, name);
    mkdirSync(home);
    const yaml = `station: { name: Plant, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;
    writeFileSync(join(home, 'crash.yaml'), yaml);
    const child = spawnCrashStation(home);
    let lock: Database.Database | null = null;
    let lockedAt = Infinity;
    try {
      await child.live();
      const liveAt = Date.now();
      // Heartbeats and archive commits behind it (five of each), the first value (dated at the
      // subscription, before `live`) over a second before the window compared (it starts 4 s before
      // the kill, or before the lock): a value stamped 5.3 s after `live` committed (the commit
      // mark, read from the files the child writes), then the kill at a moment of no particular kind.
      await until('5.3 s of values after live committed', () => (readCommittedMark(join(home, 'data'), silentLogger())?.tags.Level ?? 0) >= liveAt + 5300, 60_000);
      if (lockMs > 0) {
        // The volume's write lock taken by another connection: the station's commits fail as on a
        // full disk, its heartbeats go on (archive-full.test.ts).
        lock = lockArchiveVolume(join(home, 'data', 'archive'));
        lockedAt = Date.now();
        await new Promise((r) => setTimeout(r, lockMs));
      }
    } finally {
      await child.kill();
    }
    lock?.close(); // its transaction rolled back
    const killedAt = Date.now();
    const downSince = record.length;
    await until('two seconds of plant data', () => record.length - downSince >= 10);
    plant.quiet = true;
    // A tick of the plant gone by with nothing produced: its last value is older than anything after it.
    const skipped = plant.skipped;
    await until('a quiet tick of the plant', () => plant.skipped > skipped);

    const station = await startTestStation({ dir: home, yaml, archive: true });
    stations.add(station);
    const gap = await untilAsync('the crash gap backfilled', async () =>
      ((await station.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.backfill === 'done'), 120_000);
    plant.quiet = false;
    await until('a few live values after the restart', () => station.samples.filter((s) => isGood(s.status)).length >= 5);
    const end = station.samples.filter((s) => isGood(s.status))[4]!.t;
    await station.archive!.flush();

    const start = killedAt - lookBackMs;
    const rows = station.archive!.readRaw({ tags: 'Level', start, end }).rows;
    // The loss is archived from what the archive last committed: no later than the kill, nor than
    // the commits that failed before it.
    expect(gap.from).toBeLessThanOrEqual(Math.min(killedAt, lockedAt));
    expect(rows.filter((r) => !isGood(r.status)).map((r) => r.t)).toEqual([gap.from]);
    const expected = record.filter((r) => r.t >= start && r.t <= end).map((r) => [r.t, r.v]);
    expect(rows.filter((r) => isGood(r.status)).map((r) => [r.t, r.value])).toEqual(expected);
    stations.delete(station);
    await station.stop();
  }

  it('archives every value the server produced once: none held Good past the kill, none lost with it, the first after the restart not twice', async () => {
    await crashAndRestart('plain', 0, 4000);
  }, 400_000);

  it('after commits failed for seconds before the kill, archives what it never committed from the server history, each value once', async () => {
    // 9 s of failing commits: far past the 1 s commit period, and 4 s past the 5 s a heartbeat-based
    // edge reads (heartbeats go on while commits fail: such an edge would start after the lock).
    await crashAndRestart('disk-full', 9_000, 13_000);
  }, 400_000);
});
