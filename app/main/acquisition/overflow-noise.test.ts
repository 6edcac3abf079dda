/**
 * A server that sets the Overflow InfoBit where its queue cannot have discarded anything: on a
 * queue of one (Part 4 §5.13.1.5: the bit is set only when the queue is larger than one) and on
 * every value of a queue never full (as a server that keeps the bit set after a first overflow).
 * Found by an exploratory run: each such value was taken for a hole since its tag's last value, so
 * the gap ledger filled with queue-overflow entries holding nothing and backfills read them, and
 * the log said the queue overflowed. Now only a full queue's bit is a loss (queue-overflow-gap.test.ts
 * keeps the real one), the noise is said once. The server here is node-opcua's, its publishes
 * given the bit on every value on their way out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMonitoredItemsRequest, DataChangeNotification, DataType, PublishResponse, StatusCode, StatusCodes, type UAVariable } from 'node-opcua';
import { Flag } from '../../../historian/types.js';
import { overflowLedger } from './lost-values.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

/** Part 4 §7.39: InfoType DataValue (bit 10) and Overflow (bit 7). */
const OVERFLOW = 0x480;
/** The queues the server grants: one for Level, five for Temp (a value per publish: never full). */
const QUEUES: Record<string, number> = { Level: 1, Temp: 5 };

describe('a server that sets the Overflow bit on values its queue did not lose', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let tick: NodeJS.Timeout | undefined;
  const vars: UAVariable[] = [];
  const plant: { t: number; v: number }[] = [];

  beforeAll(async () => {
    // Short, so that a hole taken from the noise would be in the ledger within the test.
    overflowLedger.settleMs = 200;
    overflowLedger.maxMs = 600;
    dir = mkdtempSync(join(tmpdir(), 'vigil-overflow-noise-'));
    server = await startTestServer({
      role: 'overflow-noise', dir,
      build: (ns, as) => {
        for (const name of Object.keys(QUEUES)) {
          const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0 });
          as.installHistoricalDataNode(v, { maxOnlineValues: 100_000 });
          vars.push(v);
        }
      },
    });
    server.server.on('request', (r: unknown) => {
      if (r instanceof CreateMonitoredItemsRequest) {
        for (const item of r.itemsToCreate ?? []) item.requestedParameters.queueSize = QUEUES[String(item.itemToMonitor.nodeId.value)] ?? 1;
      }
    });
    server.server.on('response', (r: unknown) => {
      if (!(r instanceof PublishResponse)) return;
      for (const n of r.notificationMessage?.notificationData ?? []) {
        if (!(n instanceof DataChangeNotification)) continue;
        for (const item of n.monitoredItems ?? []) item.value.statusCode = StatusCode.makeStatusCode(item.value.statusCode, 'Overflow | InfoTypeDataValue');
      }
    });
    let n = 0;
    const set = () => {
      const p = { t: Date.now(), v: n++ };
      plant.push(p);
      for (const v of vars) v.setValueFromSource({ dataType: DataType.Double, value: p.v }, StatusCodes.Good, new Date(p.t));
    };
    set();
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: OverflowNoise, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 300, staleAfterMs: 5000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Temp, server: plc, nodeId: "ns=2;s=Temp", kind: analog, area: A }
`,
    });
    const st = t;
    const queueOf = (tag: string) => st.station.acquisition.sources().find((s) => s.tag === tag)?.sampling?.queueSize;
    await until('the server\'s grants', () => queueOf('Level') === 1 && queueOf('Temp') === 5, 30_000);
    // A change every publish or so: nothing for a queue to lose.
    tick = setInterval(set, 400);
    // Long past the ledger's settle and max: a hole taken from the noise would be written by then.
    await until('three seconds of values, each with the bit', () =>
      Object.keys(QUEUES).every((tag) => st.samples.filter((s) => s.tag === tag && (s.status & OVERFLOW) === OVERFLOW).length >= 8), 30_000);
    clearInterval(tick);
    await t.archive!.flush();
  }, 120_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes no gap and reads no history: the server was never lost and its queues lost nothing', () => {
    expect(t.station.acquisition.ledger.read(0, 100).filter((e) => e.kind === 'gap')).toEqual([]);
    for (const tag of Object.keys(QUEUES)) {
      const rows = t.archive!.readRaw({ tags: tag, start: plant[1]!.t, end: plant.at(-1)!.t }).rows.filter((r) => (r.flags & Flag.Cyclic) === 0);
      expect(rows.filter((r) => (r.flags & Flag.Backfilled) !== 0)).toEqual([]);
      // Every value the plant made came live.
      expect(rows.map((r) => [r.t, r.value])).toEqual(plant.slice(1).map((p) => [p.t, p.v]));
    }
  });

  it('says so once, and not that the queue overflowed', () => {
    expect(t.logs.filter((l) => typeof l.msg === 'string' && l.msg.includes('Overflow bit where its queue cannot have discarded anything'))).toHaveLength(1);
    expect(t.logs.filter((l) => l.msg === 'server queue overflowed: samples were dropped between publishes (raise queueSize or publish faster)')).toEqual([]);
  });
});
