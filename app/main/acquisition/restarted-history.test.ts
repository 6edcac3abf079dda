/**
 * A server restarted during the outage: whether its history reaches back to the gap's start is
 * the server's own word (its variable's HistoricalDataConfiguration StartOfArchive /
 * StartOfOnlineArchive, its ServerStatus.StartTime). One that lost everything before its restart
 * answers GoodNoData for the gap, which must not read as "nothing changed, done": the gap is
 * partial, noted with from when the history exists, and the archive keeps the gap bad up to there.
 * One whose controller kept recording (its history covers the gap) stays done.
 * Expectations come from the test's own record of the plant and of when it killed and started the server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataType, DataValue, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { codeOf } from '../../../historian/status.js';
import { Flag } from '../../../historian/types.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

/** A Level recorded every 200 ms by the test; `keepHistory`: a restarted server serves what was recorded while it was down. */
function plant(role: string, keepHistory: boolean) {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
  const record: { t: number; v: number }[] = [];
  let server: TestServer | null = null;
  let level: UAVariable | null = null;
  let station: TestStation | null = null;
  let port = 0;
  let n = 0;
  const ticker = setInterval(() => {
    const r = { t: Date.now(), v: n++ };
    record.push(r);
    level?.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
  }, 200);
  const start = async (withHistory: boolean) => {
    server = await startTestServer({
      role, dir, port,
      build: (ns, as) => {
        const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(v, { maxOnlineValues: 100_000 });
        const history = (v as UAVariable & { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
        if (withHistory) {
          for (const r of record) void history.push(new DataValue({ value: { dataType: DataType.Double, value: r.v }, sourceTimestamp: new Date(r.t), serverTimestamp: new Date(r.t) }));
        }
        level = v;
      },
    });
    port = server.port;
  };
  return {
    record,
    async setup() {
      await start(true);
      station = await startTestStation({
        dir, archive: true,
        yaml: `station: { name: Plant, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server!.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
      });
      await until('live data', () => station!.samples.filter((s) => s.status === 0).length > 5, 120_000);
      return station;
    },
    /** Kills the server, lets the plant run on (three seconds of values), starts it again. */
    async outage() {
      const killed = server!;
      level = null;
      server = null;
      const killedAt = Date.now();
      await killed.stop();
      await until('the loss marker', () => station!.samples.find((s) => s.status === BadNoCommunication));
      const downSince = record.length;
      await until('three seconds of plant data', () => record.length - downSince >= 15);
      const restartedAt = Date.now();
      await start(keepHistory);
      return { killedAt, restartedAt };
    },
    async settledGap() {
      return untilAsync('the gap settled', async () =>
        ((await station!.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.to !== null && g.backfill !== null
          && !['pending', 'running', 'archiving'].includes(g.backfill)), 120_000);
    },
    async teardown() {
      clearInterval(ticker);
      await station?.stop();
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('a server restarted during the outage', () => {
  let p: ReturnType<typeof plant> | null = null;
  afterEach(async () => {
    await p?.teardown();
    p = null;
  });

  it('with no history before its restart: partial, noted with from when its history exists, the archive bad up to there', async () => {
    p = plant('restarted-empty', false);
    const t = await p.setup();
    const { killedAt, restartedAt } = await p.outage();
    const gap = await p.settledGap();
    expect(gap.from).toBeLessThanOrEqual(restartedAt);
    expect(gap.backfill).toBe('partial');
    const m = /^partly filled: the server's history begins at (\S+Z);/.exec(gap.note ?? '');
    expect(m, `note: ${gap.note}`).not.toBeNull();
    const historyFrom = Date.parse(m![1]!);
    // The restarted server's history can only begin once it was started again.
    expect(historyFrom).toBeGreaterThan(killedAt);
    expect(historyFrom).toBeGreaterThanOrEqual(restartedAt - 1000);
    expect(historyFrom).toBeGreaterThan(gap.from);

    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: gap.from, end: restartedAt }).rows;
    // The station's loss marker stays at the gap's start, and nothing Good claims the time the server never saw.
    expect(rows.filter((r) => codeOf(r.status) === BadNoCommunication).map((r) => r.t)).toContain(gap.from);
    expect(rows.filter((r) => codeOf(r.status) !== BadNoCommunication)).toEqual([]);
  }, 300_000);

  it('whose history covers the gap (the controller recorded on): done, every value of the gap archived', async () => {
    p = plant('restarted-kept', true);
    const t = await p.setup();
    const { restartedAt } = await p.outage();
    const gap = await p.settledGap();
    expect(gap.backfill).toBe('done');
    expect(gap.note).toBeNull();
    await until('backfill archived', () => t.backfills.length >= gap.backfilledSamples && gap.backfilledSamples > 0);
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: gap.from + 1, end: restartedAt }).rows;
    // What the plant recorded while the server was down is in the archive, backfilled.
    const down = p.record.filter((r) => r.t > gap.from + 1 && r.t <= restartedAt);
    expect(down.length).toBeGreaterThan(10);
    expect(rows.filter((r) => (r.flags & Flag.Backfilled) !== 0).map((r) => [r.t, r.value])).toEqual(down.map((r) => [r.t, r.v]));
  }, 300_000);
});
