/**
 * A gap is done only when the archive stored its history. Against a real OPC UA server that
 * historizes its variable, a station with a real archive backfills the gap its last run left:
 *  - while the archive cannot commit (the volume's write lock held, as on a full disk) the gap
 *    says it waits for the archive ('archiving'), not 'running', and is done once it commits;
 *  - with the archive's thread gone, the gap stays pending with why (before: 'done' with nothing
 *    stored): the archive is stopped, logged once as such (not also as a failed backfill); its
 *    history is not read again in that run (before: every 10 minutes until a restart, loading the
 *    server for values nothing could store), and the next start backfills it.
 * The expectation is the test's own record of what the plant produced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { isGood } from '../../../historian/status.js';
import { BACKFILL_ARCHIVE_STOPPED_LOG } from './backfill-refused.js';
import { keyedNote } from '../../shared/gap-note.js';
import { levelStationYaml, startHeldHistoryLevel, type HeldHistoryLevel } from './testing/held-history-level.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { lockArchiveVolume } from '../station/testing/archive-lock.js';

describe('a backfill the archive cannot take', () => {
  let dir: string;
  let plant: HeldHistoryLevel;
  let t: TestStation | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-archive-'));
    plant = await startHeldHistoryLevel({ role: 'backfill-archive', dir, everyMs: 200 });
  }, 240_000);

  afterAll(async () => {
    await t?.stop();
    await plant?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = () => levelStationYaml(plant.server.endpoint);

  /** The gaps as the console reads them (gaps.list), oldest first. */
  const gaps = async (station: TestStation) =>
    ((await station.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.filter((g) => g.kind === 'gap').sort((a, b) => a.id - b.id);
  const gap = async (station: TestStation, id: number) => (await gaps(station)).find((g) => g.id === id);

  /** Starts a run whose backfill waits at the server's history until release(). */
  async function startHeld(): Promise<TestStation> {
    plant.hold();
    t = await startTestStation({ dir, yaml: yaml(), archive: true });
    const station = t;
    await until('live data', () => station.samples.filter((s) => isGood(s.status)).length > 3, 120_000);
    await until('its backfill reading the server history', () => plant.waiting() > 0, 60_000);
    return station;
  }

  /** A run's checks; the run stopped whatever they found (the next test starts on the same data). */
  async function during(station: TestStation, checks: () => Promise<void>): Promise<void> {
    try {
      await checks();
    } finally {
      if (t === station) {
        t = null;
        await station.stop();
      }
    }
  }

  /** Stops a run and lets the plant go on without a station for three seconds: a gap. */
  async function stopRun(station: TestStation): Promise<void> {
    t = null;
    await station.stop();
    const atStop = plant.record.length;
    await until('three seconds of plant data with no station', () => plant.record.length - atStop >= 15, 30_000);
  }

  /** The archive's Good values in the gap, against what the plant produced in it. */
  function archivedAndProduced(station: TestStation, g: LedgerEntry): { archived: number[][]; produced: number[][] } {
    const rows = station.archive!.readRaw({ tags: 'Level', start: g.from, end: g.to! }).rows;
    return {
      archived: rows.filter((r) => isGood(r.status) && r.t > g.from).map((r) => [r.t, r.value as number]),
      produced: plant.record.filter((r) => r.t > g.from && r.t <= g.to!).map((r) => [r.t, r.v]),
    };
  }

  /** A run that stops: its gap stays open for the next start. */
  async function leaveGap(): Promise<void> {
    plant.release();
    t = await startTestStation({ dir, yaml: yaml(), archive: true });
    const run = t;
    await until('live data', () => run.samples.filter((s) => isGood(s.status)).length > 3, 120_000);
    await stopRun(run);
  }

  it('says it waits for the archive while commits fail, and is done once the archive committed', async () => {
    await leaveGap();

    // The next run: the archive cannot commit while the gap's history is handed over.
    const station = await startHeld();
    await during(station, async () => {
      const left = (await gaps(station))[0]!;
      const lock = lockArchiveVolume(join(station.dataDir, 'archive'));
      let waiting: LedgerEntry;
      try {
        plant.release();
        waiting = await untilAsync('the gap waiting for the archive', async () => {
          const g = await gap(station, left.id);
          return g?.backfill === 'archiving' ? g : undefined;
        }, 30_000);
      } finally {
        lock.close();
      }
      expect(waiting.backfilledSamples).toBeGreaterThanOrEqual(15);
      const filled = await untilAsync('the gap filled once the archive commits', async () => {
        const g = await gap(station, left.id);
        return g?.backfill === 'done' ? g : undefined;
      }, 60_000);
      await station.archive!.flush();
      const once = archivedAndProduced(station, filled);
      expect(once.produced.length).toBeGreaterThanOrEqual(15);
      expect(once.archived).toEqual(once.produced);
    });
  }, 300_000);

  it('stays pending with why when the archive is gone, and the next start fills it', async () => {
    await leaveGap();
    // A run whose archive's thread ends (as a crash of it would) before the history is handed over.
    const dead = await startHeld();
    let left: LedgerEntry | undefined;
    await during(dead, async () => {
      const all = await gaps(dead);
      left = all[all.length - 1]!;
      const id = left.id;
      await (dead.archive as unknown as { thread: { worker: Worker } }).thread.worker.terminate();
      await until('the archive thread seen stopped', () => dead.archive!.health.state === 'stopped', 30_000);
      plant.release();
      const settled = await untilAsync('the gap\'s backfill settled', async () => {
        const g = await gap(dead, id);
        // Pending with no note: closed at the connection, its backfill not run yet.
        const unsettled = g?.backfill === 'running' || g?.backfill === 'archiving' || (g?.backfill === 'pending' && g.note === null);
        return g && !unsettled ? g : undefined;
      }, 60_000);
      expect([settled.backfill, keyedNote(settled.note)]).toEqual(['pending', { key: 'gaps.note.archiveStopped', params: {} }]);
      // Warned once per gap (an earlier run stopped during its backfill may have left another), as not
      // archived with the sink and why; never "backfill failed" for a gap that is pending.
      const warned = dead.logs.filter((l) => l.msg === BACKFILL_ARCHIVE_STOPPED_LOG);
      expect(warned.filter((l) => l.gap === id).map((l) => (l.sinks as { sink: string }[]).map((x) => x.sink))).toEqual([['archive']]);
      expect(new Set(warned.map((l) => l.gap)).size).toBe(warned.length);
      expect(dead.logs.filter((l) => l.msg === 'backfill failed')).toEqual([]);
      // Its run over (the retry is set at its end), no retry is set: nothing would store what it read.
      const link = dead.station.acquisition.link('plc')! as unknown as { backfilling: Promise<void>; backfillRetryTimer: NodeJS.Timeout | null };
      await link.backfilling;
      expect(link.backfillRetryTimer).toBeNull();
      expect(dead.logs.filter((l) => l.msg === 'gaps left pending: their backfill is tried again')).toEqual([]);
      expect(dead.station.acquisition.ledger.unfinishedBackfills('plc').map((g) => g.id)).not.toContain(id);
    });

    // The next start: the archive takes it; the gap is filled with what the plant produced in it. The dead
    // thread's writer lock names this process, still alive: a station started anew (another
    // process) takes such a lock over; here, in the same process, it is removed as that would.
    rmSync(join(dead.dataDir, 'archive', 'writer.lock'), { force: true });
    plant.release();
    t = await startTestStation({ dir, yaml: yaml(), archive: true });
    const next = t;
    const id = left!.id;
    await during(next, async () => {
      const done = await untilAsync('the pending gap filled at the next start', async () => {
        const g = await gap(next, id);
        return g?.backfill === 'done' ? g : undefined;
      }, 120_000);
      await next.archive!.flush();
      const again = archivedAndProduced(next, done);
      expect(again.produced.length).toBeGreaterThanOrEqual(15);
      expect(again.archived).toEqual(again.produced);
    });
  }, 300_000);
});
