/**
 * A gap one tag of which the server refuses for good (no history: BadHistoryOperationUnsupported)
 * and another it puts off (BadTimeout on its own HistoryReadResult, backfill-put-off.test.ts), the
 * station stopped before the tag put off is read again. Found by review: what the gap's earlier
 * runs found was kept in memory only, so the run after the restart ended the gap `done`, with no
 * note and only its own values counted, though one tag's history was never there. Now it is kept
 * with the gap in the ledger. The expectation is what one station that was never stopped makes of
 * it (the gap partial, naming the tag without history, counting every value archived) and the
 * test's own record of the history the server holds.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, HistoryReadResult, StatusCodes, type UAVariable } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { isGood } from '../../../historian/status.js';
import { GapLedger } from './gap-ledger.js';
import { keyedNote } from '../../shared/gap-note.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

/** The server engine awaits it (node-opcua's withCallback), as testing/held-history-level.ts. */
type HistoryRead = (...args: unknown[]) => Promise<unknown>;
type Name = 'Level' | 'Flow' | 'Temp';
const NAMES: Name[] = ['Level', 'Flow', 'Temp'];

describe('a gap whose backfill the server put off in part, the station stopped before it ended', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation | null = null;
  const t0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
  const past = Object.fromEntries(NAMES.map((n, k) => [n, Array.from({ length: 10 }, (_, i) => ({ t: t0 + 1000 * i, v: 100 * (k + 1) + i }))])) as Record<Name, { t: number; v: number }[]>;
  const reads: Record<Name, number> = { Level: 0, Flow: 0, Temp: 0 };
  let puttingOff = true;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-put-off-restart-'));
    server = await startTestServer({
      role: 'backfill-put-off-restart', dir,
      build: (ns, as) => {
        for (const name of NAMES) {
          const v: UAVariable = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0 });
          as.installHistoricalDataNode(v, { maxOnlineValues: 1000 });
          for (const r of past[name]) v.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
          const h = v as unknown as { historyRead: HistoryRead };
          const read = h.historyRead.bind(h);
          h.historyRead = async (...args: unknown[]) => {
            // Reads of the old gap only: the stop leaves a gap of its own, read at the restart for every tag.
            const from = (args[1] as { startTime?: Date } | undefined)?.startTime?.getTime();
            if (from !== undefined && from < t0 + 60_000) reads[name]++;
            if (name === 'Temp') return new HistoryReadResult({ statusCode: StatusCodes.BadHistoryOperationUnsupported });
            if (name === 'Flow' && puttingOff) return new HistoryReadResult({ statusCode: StatusCodes.BadTimeout });
            return read(...args);
          };
        }
      },
    });
  }, 240_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = () => `station: { name: Plant, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
${NAMES.map((n) => `  - { name: ${n}, server: plc, nodeId: "ns=2;s=${n}", kind: analog, area: A }`).join('\n')}
`;

  it('ends the gap as all its runs found it: partial, naming the tag without history, every value counted', async () => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    // The gap a run stopped an hour ago left open (as GapLedger keeps it): the next start fills it.
    const ledger = new GapLedger(join(dataDir, 'acquisition.sqlite'));
    const id = ledger.openGap('plc', t0, 'station stopped', server.endpoint).id;
    ledger.close();

    t = await startTestStation({ dir, dataDir, yaml: yaml(), archive: true });
    let station = t;
    const gap = async () => ((await station.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.id === id);
    await untilAsync('the gap pending, Flow\'s history not answered', async () => {
      const g = await gap();
      return g?.backfill === 'pending' && keyedNote(g.note)?.key === 'gaps.note.historyNotAnswered' ? g : undefined;
    }, 60_000);
    const inGap = (list: { t: number }[]) => list.filter((x) => x.t > t0 && x.t <= t0 + 60_000).length;
    const firstRun = inGap(t.backfills);
    await t.stop();
    t = null;

    puttingOff = false;
    t = await startTestStation({ dir, dataDir, yaml: yaml(), archive: true });
    station = t;
    const ended = await untilAsync('the gap ended', async () => {
      const g = await gap();
      return g && g.backfill !== 'pending' && g.backfill !== 'running' && g.backfill !== 'archiving' ? g : undefined;
    }, 60_000);
    await station.archive!.flush();
    const archived = (tag: Name) => station.archive!.readRaw({ tags: tag, start: t0, end: t0 + 60_000 }).rows.filter((r) => isGood(r.status) && r.t > t0).map((r) => [r.t, r.value]);
    const produced = (tag: Name) => past[tag].filter((r) => r.t > t0).map((r) => [r.t, r.v]);
    expect(archived('Level')).toEqual(produced('Level'));
    expect(archived('Flow')).toEqual(produced('Flow'));
    expect(archived('Temp').filter(([at]) => (at as number) < past.Temp[past.Temp.length - 1]!.t)).toEqual([]);
    // Level's history was read once, Temp's refusal taken for good: after the restart Flow alone was read.
    expect(reads).toEqual({ Level: 1, Flow: 2, Temp: 1 });
    // As a station never stopped ends it: Temp's history is not there.
    expect(ended.backfill).toBe('partial');
    expect(ended.note).toContain('Temp');
    expect(ended.note).toContain('BadHistoryOperationUnsupported');
    // What both runs handed to the archive for the gap: Level's values (but its last, which came live) in the first.
    expect(firstRun).toBe(produced('Level').length - 1);
    expect(ended.backfilledSamples).toBe(firstRun + inGap(station.backfills));
    await until('no backfill failure logged', () => station.logs.every((l) => l.msg !== 'backfill failed'), 1000);
  }, 120_000);
});
