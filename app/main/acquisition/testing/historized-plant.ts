/** A historized plant for the backfill tests: a server killed and restarted while the controller records on. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../../shared/api.js';
import { startTestServer, type TestServer } from './test-server.js';
import { startTestStation, until, untilAsync, type Received, type TestStation } from './harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

/**
 * A controller that records a Level every 200 ms, its OPC UA server keeping that history (as a
 * restarted server serves what the controller recorded meanwhile), and a station with an archive
 * acquiring it. `offsetMs`: how far the server's clock is off the station's; `value`: the nth value;
 * `keepsHistory: false`: a restarted server has lost all it recorded before (history from its start).
 */
export function historizedPlant(role: string, opts: { offsetMs?: number; value?: (n: number) => number; keepsHistory?: boolean } = {}) {
  const offsetMs = opts.offsetMs ?? 0;
  const value = opts.value ?? ((n: number) => n);
  let started = false;
  /** The station's clock when the last outage's server was killed and started again. */
  const lastOutage = { killedAt: 0, restartedAt: 0 };
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
      role, dir, port, clockOffsetMs: offsetMs,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
        const history = (level as UAVariable & { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
        if (started && opts.keepsHistory === false) return;
        for (const r of record) void history.push(new DataValue({ value: { dataType: DataType.Double, value: r.v }, sourceTimestamp: new Date(r.t), serverTimestamp: new Date(r.t) }));
      },
    });
    port = server.port;
    started = true;
  };

  const setup = async () => {
    dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
    await start();
    let n = 0;
    ticker = setInterval(() => {
      const r = { t: Date.now() + offsetMs, v: value(n++) };
      record.push(r);
      level?.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
    }, 200);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Plant, defaultCompression: { kind: none } }
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
  /** Kills the server, lets the plant run on two seconds (`whileDown` runs then), starts it again: the loss marker. */
  const outage = async (whileDown?: (marker: Received) => Promise<void>) => {
    const killed = server!;
    level = null;
    server = null;
    lastOutage.killedAt = Date.now();
    await killed.stop();
    const marker = await until('the loss marker', () => t.samples.find((s) => s.status === BadNoCommunication));
    await whileDown?.(marker);
    const downSince = record.length;
    await until('two seconds of plant data', () => record.length - downSince >= 10);
    lastOutage.restartedAt = Date.now();
    await start();
    return marker;
  };
  /** The gap once its backfill settled. */
  const settledGap = () => untilAsync('the gap settled', async () =>
    ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.to !== null && g.backfill !== 'pending' && g.backfill !== 'running' && g.backfill !== 'archiving'), 120_000);
  return { setup, teardown, outage, settledGap, record, lastOutage, station: () => t };
}

