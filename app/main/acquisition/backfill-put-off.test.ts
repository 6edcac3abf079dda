/**
 * A tag whose own history read the server puts off (BadTimeout, BadTooManyOperations,
 * BadResourceUnavailable on that node's HistoryReadResult, the request itself answered) is read
 * again while the link stays up, alone, and the other tags' values are archived meanwhile. Before,
 * the gap ended partial (unsupported with one tag) and that tag's history was never read again.
 *
 * A real OPC UA server historizes two variables with an old stretch of history (an hour ago),
 * where a gap the ledger holds begins; the station has a real archive. The server answers Flow's
 * history with those statuses in turn until the test lets it go, Level's at once. The expectation
 * is the test's own record of what the plant produced.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, HistoryReadResult, StatusCodes, type UAVariable } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { isGood } from '../../../historian/status.js';
import { backfillRetry } from './backfill-retry.js';
import { GapLedger } from './gap-ledger.js';
import { keyedNote } from '../../shared/gap-note.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { fastBackfillRetry } from './testing/fast-retry.js';

/** The server engine awaits it (node-opcua's withCallback), as testing/held-history-level.ts. */
type HistoryRead = (...args: unknown[]) => Promise<unknown>;

const PUT_OFF = [StatusCodes.BadTimeout, StatusCodes.BadTooManyOperations, StatusCodes.BadResourceUnavailable];

describe('a tag whose history read the server puts off', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation | null = null;
  let restoreRetry = (): void => {};
  const t0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
  const past = { Level: Array.from({ length: 10 }, (_, i) => ({ t: t0 + 1000 * i, v: 100 + i })), Flow: Array.from({ length: 10 }, (_, i) => ({ t: t0 + 1000 * i, v: 200 + i })) };
  /** History reads per node, and whether Flow's is still put off. */
  const reads = { Level: 0, Flow: 0 };
  let puttingOff = true;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-put-off-'));
    server = await startTestServer({
      role: 'backfill-put-off', dir,
      build: (ns, as) => {
        for (const name of ['Level', 'Flow'] as const) {
          const v: UAVariable = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0 });
          as.installHistoricalDataNode(v, { maxOnlineValues: 1000 });
          for (const r of past[name]) v.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
          const h = v as unknown as { historyRead: HistoryRead };
          const read = h.historyRead.bind(h);
          h.historyRead = async (...args: unknown[]) => {
            const n = reads[name]++;
            if (name === 'Flow' && puttingOff) return new HistoryReadResult({ statusCode: PUT_OFF[n % PUT_OFF.length]! });
            return read(...args);
          };
        }
      },
    });
    restoreRetry = fastBackfillRetry();
  }, 240_000);

  afterAll(async () => {
    restoreRetry();
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = () => `station: { name: Plant, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A }
`;

  it('reads it again alone until the server gives it, keeping the others\' values, and the gap ends done', async () => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    // The gap a run stopped an hour ago left open (as GapLedger keeps it): the next start fills it.
    const ledger = new GapLedger(join(dataDir, 'acquisition.sqlite'));
    const id = ledger.openGap('plc', t0, 'station stopped', server.endpoint).id;
    ledger.close();

    t = await startTestStation({ dir, dataDir, yaml: yaml(), archive: true });
    const station = t;
    const gap = async () => ((await station.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.id === id);
    // In the gap: after its start (the last evidence), as backfill.ts reads it.
    const archived = async (tag: 'Level' | 'Flow') => {
      await station.archive!.flush();
      return station.archive!.readRaw({ tags: tag, start: t0, end: t0 + 60_000 }).rows.filter((r) => isGood(r.status) && r.t > t0).map((r): [number, unknown] => [r.t, r.value]);
    };
    const produced = (tag: 'Level' | 'Flow') => past[tag].filter((r) => r.t > t0).map((r) => [r.t, r.v]);

    // Put off with each status in turn, read again on the same connection.
    await until('Flow\'s history asked for four times', () => reads.Flow >= 4, 60_000);
    const pending = await untilAsync('the gap pending, its history not answered', async () => {
      const g = await gap();
      return g?.backfill === 'pending' && keyedNote(g.note)?.key === 'gaps.note.historyNotAnswered' ? g : undefined;
    }, 30_000);
    expect(keyedNote(pending.note)!.params).toEqual({ intervalMs: backfillRetry.maxMs });
    // Level's values are archived already; of Flow's, at most its last, its value received live.
    expect(await archived('Level')).toEqual(produced('Level'));
    const flowLast = past.Flow[past.Flow.length - 1]!.t;
    expect((await archived('Flow')).filter(([at]) => at < flowLast)).toEqual([]);
    expect(station.logs.filter((l) => l.msg === 'backfill failed')).toEqual([]);

    puttingOff = false;
    const done = await untilAsync('the gap filled', async () => {
      const g = await gap();
      return g?.backfill === 'done' ? g : undefined;
    }, 60_000);
    expect(await archived('Flow')).toEqual(produced('Flow'));
    expect(await archived('Level')).toEqual(produced('Level'));
    expect(done.note).toBeNull();
    // Counted over both runs: each tag's values in the gap but its last, which came live.
    expect(done.backfilledSamples).toBe(produced('Level').length - 1 + produced('Flow').length - 1);
    // Level's history was read once: the retries asked for Flow alone.
    expect(reads.Level).toBe(1);
    // All on one connection.
    expect(station.logs.filter((l) => l.msg === 'server lost')).toEqual([]);
    expect(station.logs.filter((l) => l.msg === 'subscribed').length).toBe(1);
  }, 300_000);
});
