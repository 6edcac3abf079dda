/**
 * A server killed and restarted while the plant goes on: the loss is
 * archived as bad from the last evidence, the gap opens in the ledger, and on
 * reconnection it is filled from the server's own history (the controller
 * kept recording while its OPC UA server was down), flagged as backfilled;
 * the ledger shows both. The expected values come from the test's own record
 * of what the plant produced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { codeOf } from '../../../historian/status.js';
import { Flag } from '../../../historian/types.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

describe('a server killed and restarted, its gap filled from its history', () => {
  let dir: string;
  let server: TestServer | null = null;
  let t: TestStation;
  let level: UAVariable | null = null;
  let ticker: NodeJS.Timeout;
  /** What the plant produced, whether or not its OPC UA server was up: the controller's own record. */
  const record: { t: number; v: number }[] = [];
  let port = 0;

  const start = async () => {
    server = await startTestServer({
      role: 'gaps', dir, port,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
        // A restarted server serves what the controller recorded meanwhile.
        const history = (level as UAVariable & { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
        for (const r of record) void history.push(new DataValue({ value: { dataType: DataType.Double, value: r.v }, sourceTimestamp: new Date(r.t), serverTimestamp: new Date(r.t) }));
      },
    });
    port = server.port;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-gaps-'));
    await start();
    let n = 0;
    ticker = setInterval(() => {
      const r = { t: Date.now(), v: Math.round(1000 * (5 + Math.sin(n++ / 5))) / 1000 };
      record.push(r);
      level?.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
    }, 200);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Gaps, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server!.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('live data', () => t.samples.filter((s) => s.status === 0).length > 5, 120_000);
  }, 240_000);

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('archives the loss as bad at once, then fills the gap from the server history, the ledger showing both', async () => {
    const killed = server!;
    level = null;
    server = null;
    await killed.stop();
    const marker = await until('the loss marker', () => t.samples.find((s) => s.status === BadNoCommunication));
    const open = await untilAsync('the open gap', async () =>
      ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.to === null));
    expect(open.from).toBe(marker.t);
    // The plant goes on for a while with its OPC UA server down.
    const downSince = record.length;
    await until('two seconds of plant data', () => record.length - downSince >= 10);
    await start();

    const filled = await untilAsync('the gap backfilled', async () =>
      ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.id === open.id && g.backfill === 'done'), 120_000);
    // Values from the first live one after the restart on came live; the rest of the gap comes from
    // the history, from the last value received before the loss on (one stamped before the gap's
    // start may still have been on its way).
    const resumed = t.samples.find((s) => s.at > marker.at && s.status === 0)!.t;
    const lastBefore = t.samples.filter((s) => s.status === 0 && s.at < marker.at).at(-1)!.t;
    const expected = record.filter((r) => r.t > lastBefore && r.t <= filled.to! && r.t < resumed);
    expect(expected.length).toBeGreaterThan(5);
    expect(filled.backfilledSamples).toBe(expected.length);

    await until('backfill archived', () => t.backfills.length >= expected.length);
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: lastBefore + 1, end: filled.to! }).rows;
    expect(rows.filter((r) => codeOf(r.status) === BadNoCommunication).map((r) => r.t)).toContain(filled.from);
    const backfilled = rows.filter((r) => (r.flags & Flag.Backfilled) !== 0);
    expect(backfilled.map((r) => [r.t, r.value])).toEqual(expected.map((r) => [r.t, r.v]));
  }, 300_000);
});
