/**
 * A gap is filled only once the archive committed what its backfill wrote. A station (a child,
 * killed with SIGKILL) backfills a gap its last run left while its archive cannot commit (the
 * volume's write lock held by the test, as on a full disk) after its live values since the gap
 * were committed: the commit mark is past the gap, so the crash gap of the next start does not
 * cover it. Before, the ledger said 'done' as soon as the values were handed to the archive, the
 * kill lost them, and no later run read the gap again. The expectation is the test's own record
 * of what the plant produced.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { isGood } from '../../../historian/status.js';
import { levelStationYaml, startHeldHistoryLevel, type HeldHistoryLevel } from './testing/held-history-level.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { lockArchiveVolume } from '../station/testing/archive-lock.js';
import { spawnCrashStation } from './testing/crash-child.js';
import { readCommittedMark } from '../station/committed-mark.js';
import { silentLogger } from '../log.js';

describe('a station killed while its backfill waits for the archive to commit', () => {
  let dir: string;
  let plant: HeldHistoryLevel;
  let t: TestStation | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-commit-'));
    plant = await startHeldHistoryLevel({ role: 'backfill-commit', dir, everyMs: 200 });
  }, 240_000);

  afterAll(async () => {
    await t?.stop();
    await plant?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The ledger's state of a gap, read from the file another process writes. */
  function backfillState(dataDir: string, id: number): string | null {
    const db = new Database(join(dataDir, 'acquisition.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT backfill FROM ledger WHERE id = ?').pluck().get(id) as string | null | undefined) ?? null;
    } finally {
      db.close();
    }
  }

  it('leaves the gap unfilled until the archive committed it, and the next start backfills it again', async () => {
    const yaml = levelStationYaml(plant.server.endpoint);
    writeFileSync(join(dir, 'crash.yaml'), yaml);
    const dataDir = join(dir, 'data');

    // A first run stops: its gap stays open for the next start to backfill.
    t = await startTestStation({ dir, yaml, archive: true });
    const first = t;
    await until('live data', () => first.samples.filter((s) => isGood(s.status)).length > 5, 120_000);
    t = null;
    await first.stop();
    const atStop = plant.record.length;
    await until('three seconds of plant data with no station', () => plant.record.length - atStop >= 15, 30_000);

    // The second run, a child: its live values since the gap are committed, then its commits
    // fail while it hands the gap's history over; it is killed some seconds later.
    const child = spawnCrashStation(dir);
    let lock: Database.Database | null = null;
    let atKill: string | null = null;
    let gapId = 0;
    try {
      await child.live();
      await until('its backfill reading the server history', () => plant.waiting() > 0, 60_000);
      const db = new Database(join(dataDir, 'acquisition.sqlite'), { readonly: true });
      const gap = db.prepare("SELECT id, t_to FROM ledger WHERE kind = 'gap' ORDER BY id").get() as { id: number; t_to: number };
      gapId = gap.id;
      db.close();
      // Live values after the gap committed (the commit mark, read from the files the child writes,
      // a second's value past the gap's end), then the volume's write lock taken by another
      // connection: from BEGIN IMMEDIATE on, every commit of the station fails as on a full disk.
      await until('live values after the gap committed', () => (readCommittedMark(dataDir, silentLogger())?.tags.Level ?? 0) >= gap.t_to + 1000, 60_000);
      lock = lockArchiveVolume(join(dataDir, 'archive'));
      plant.release();
      await until('the gap\'s history answered', () => plant.answered() > 0, 30_000);
      // The values handed over, the ledger says so: 'archiving' once the commit is overdue (before: 'done').
      atKill = await until('the gap handed to the archive', () => {
        const state = backfillState(dataDir, gapId);
        return state === 'archiving' || state === 'done' ? state : null;
      }, 60_000);
    } finally {
      await child.kill();
    }
    lock?.close(); // its transaction rolled back

    // The third run reads the gap again (and the crash gap the kill left).
    t = await startTestStation({ dir, yaml, archive: true });
    const third = t;
    const gaps = async () => ((await third.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.filter((g) => g.kind === 'gap');
    const filled = await untilAsync('both gaps backfilled', async () => {
      const all = await gaps();
      return all.length === 2 && all.every((g) => g.backfill === 'done') ? all : undefined;
    }, 120_000);
    const gap = filled.find((g) => g.id === gapId)!;
    await third.archive!.flush();

    const rows = third.archive!.readRaw({ tags: 'Level', start: gap.from, end: gap.to! }).rows;
    const expected = plant.record.filter((r) => r.t > gap.from && r.t <= gap.to!).map((r) => [r.t, r.v]);
    expect(expected.length).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => isGood(r.status) && r.t > gap.from).map((r) => [r.t, r.value])).toEqual(expected);
    // Handed over but not committed at the kill: not yet filled, waiting for the archive.
    expect(atKill).toBe('archiving');
    t = null;
    await third.stop();
  }, 400_000);
});
