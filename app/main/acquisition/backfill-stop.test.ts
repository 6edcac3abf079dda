/**
 * A station stopped while it reads a gap from the server's history: the stop
 * waits for the read to end, writes none of it, and leaves the gap pending so
 * the next start backfills it. Before, the read came back after the ledger had
 * closed and threw out of the station ("The database connection is not open").
 * The server's HistoryRead is held by the test, so the stop always lands
 * inside the read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { GapLedger } from './gap-ledger.js';
import { levelStationYaml, startHeldHistoryLevel, type HeldHistoryLevel } from './testing/held-history-level.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

describe('a station stopped during a backfill', () => {
  let dir: string;
  /** A server whose history read the test holds; a value each 100 ms. */
  let plant: HeldHistoryLevel;
  let station: TestStation | null = null;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);

  const yaml = (endpoint: string) => levelStationYaml(endpoint, 'Stop');
  const gaps = async (t: TestStation) => ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result;

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-stop-'));
    plant = await startHeldHistoryLevel({ role: 'backfill-stop', dir, everyMs: 100 });
  }, 240_000);

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await station?.stop();
    await plant?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the history read, writes none of it, and leaves the gap for the next start', async () => {
    // A first run leaves a gap open at its stop: the next start backfills it.
    station = await startTestStation({ dir, yaml: yaml(plant.server.endpoint) });
    await until('live data', () => station!.samples.filter((s) => s.status === 0).length > 5, 120_000);
    await station.stop();
    // The gap holds some of the server's history whatever the machine's speed (a fast restart left none).
    const atStop = plant.record.length;
    await until('the server producing values while no station runs', () => plant.record.length >= atStop + 5, 30_000);

    station = await startTestStation({ dir, yaml: yaml(plant.server.endpoint) });
    await until('the backfill reading the server history', () => plant.waiting() > 0, 120_000);
    const running = (await gaps(station)).find((g) => g.kind === 'gap' && g.backfill === 'running');
    expect(running).toBeDefined();
    const stopped = station;
    station = null;
    await stopped.stop();
    expect(stopped.backfills).toEqual([]);
    expect(rejections).toEqual([]);

    const ledger = new GapLedger(join(stopped.dataDir, 'acquisition.sqlite'));
    const after = ledger.list('plc', 10).find((g) => g.id === running!.id)!;
    ledger.close();
    expect(after.backfill).toBe('pending');
    expect(after.note).toMatch(/station stopped/);

    // The next start reads it again, the server answering this time.
    plant.release();
    station = await startTestStation({ dir, yaml: yaml(plant.server.endpoint) });
    const done = await untilAsync('the gap backfilled', async () =>
      (await gaps(station!)).find((g) => g.id === running!.id && g.backfill === 'done'), 120_000);
    expect(done.backfilledSamples).toBeGreaterThan(0);
    expect(station.backfills.filter((s) => s.t >= done.from && s.t <= done.to!).length).toBe(done.backfilledSamples);
  }, 400_000);
});
