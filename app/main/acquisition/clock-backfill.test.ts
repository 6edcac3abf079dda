/**
 * A server whose clock runs a minute ahead of the station's, killed and restarted: its history is
 * dated by that clock, the gap by the station's. Read as if the clocks agreed, the backfill archived
 * values made a minute before the gap as good inside it (an exploratory run against a vendor-like
 * server). The gap is left unfilled and the ledger says why; nothing of the server's history is
 * archived. The live values meanwhile are dated at their receipt, as the clock check does.
 * One a little behind (its stamps kept, as the live path keeps them): the values it stamped before
 * the gap's start but never published were lost; history is read from each tag's last value on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
/** A plant whose server clock is offsetMs off the station's, its server killed and restarted by the test. */
function plant(role: string, offsetMs: number) {
  let dir: string;
  let server: TestServer | null = null;
  let t: TestStation;
  let level: UAVariable | null = null;
  let ticker: NodeJS.Timeout;
  /** What the plant produced, stamped by the server's clock. */
  const record: { t: number; v: number }[] = [];
  let port = 0;

  const start = async () => {
    server = await startTestServer({
      role, dir, port,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
        const history = (level as UAVariable & { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
        for (const r of record) void history.push(new DataValue({ value: { dataType: DataType.Double, value: r.v }, sourceTimestamp: new Date(r.t), serverTimestamp: new Date(r.t) }));
      },
    });
    port = server.port;
  };

  const setup = async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-clock-'));
    await start();
    let n = 0;
    ticker = setInterval(() => {
      const r = { t: Date.now() + offsetMs, v: n++ };
      record.push(r);
      level?.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
    }, 200);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Clock, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server!.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('live data', () => t.samples.filter((s) => s.status === 0).length > 5, 120_000);
  };
  const teardown = async () => {
    clearInterval(ticker);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  /** Kills the server, lets the plant run on two seconds, starts it again: the loss marker. */
  const outage = async () => {
    const killed = server!;
    level = null;
    server = null;
    await killed.stop();
    const marker = await until('the loss marker', () => t.samples.find((s) => s.status === BadNoCommunication));
    const downSince = record.length;
    await until('two seconds of plant data', () => record.length - downSince >= 10);
    await start();
    return marker;
  };
  /** The gap once its backfill settled. */
  const settledGap = () => untilAsync('the gap settled', async () =>
    ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.to !== null && g.backfill !== 'pending' && g.backfill !== 'running'), 120_000);
  return { setup, teardown, outage, settledGap, record, station: () => t };
}

describe('a server whose clock is a minute ahead, killed and restarted', () => {
  const p = plant('clock-ahead', 60_000);
  beforeAll(p.setup, 240_000);
  afterAll(p.teardown);

  it('leaves the gap unfilled, saying the server clock is off, and archives none of its history', async () => {
    const t = p.station();
    // Live values are dated at their receipt, not a minute ahead.
    const live = t.samples.filter((s) => s.status === 0);
    expect(live.every((s) => s.t <= s.at)).toBe(true);
    const marker = await p.outage();
    const gap = await p.settledGap();
    // The gap opened at the last evidence, where the marker is (within the ms the marker is put after it).
    expect(Math.abs(gap.from - marker.t)).toBeLessThanOrEqual(1);
    expect(gap.backfill).toBe('failed');
    expect(gap.note).toBe('not filled: the server clock is off, its history would be dated wrong');
    expect(gap.backfilledSamples).toBe(0);
    expect(t.backfills).toEqual([]);
    expect(t.logs.some((l) => /gap not backfilled: the server clock is off/.test(String(l.msg)) && l.clock === 'ahead')).toBe(true);
  }, 300_000);
});

describe('a server whose clock is a second and a half behind (within what a publish may hold), killed and restarted', () => {
  const p = plant('clock-behind', -1500);
  beforeAll(p.setup, 240_000);
  afterAll(p.teardown);

  it('fills the gap from the tag\'s last value received on, values stamped before the gap\'s start too', async () => {
    const t = p.station();
    const marker = await p.outage();
    const lastBefore = t.samples.filter((s) => s.status === 0 && s.at < marker.at).at(-1)!;
    const gap = await p.settledGap();
    expect(gap.backfill).toBe('done');
    const resumed = t.samples.find((s) => s.at > marker.at && s.status === 0)!.t;
    // Every value the plant made after the last one received and before the first live one after the outage.
    const expected = p.record.filter((r) => r.t > lastBefore.t && r.t < resumed);
    // Some of them stamped before the gap's start (the server's clock behind): the read from the gap's start missed them.
    expect(expected.some((r) => r.t < gap.from)).toBe(true);
    await until('backfill archived', () => t.backfills.length >= expected.length);
    expect(t.backfills.map((s) => [s.t, s.value])).toEqual(expected.map((r) => [r.t, r.v]));
  }, 300_000);
});
