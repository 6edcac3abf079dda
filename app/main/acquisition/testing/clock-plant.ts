/**
 * The clock tests' plant (clock-no-current-time, clock-off-unproven): a historized Level behind a
 * proxy, a station acquiring and backfilling it, one cut of the link. The server gives of its own
 * time what `time` says (server-time.ts, read at each response: a test may change it); the plant
 * stamps its values and its history by a clock `offsetMs` off the station's (changed too). `device`: a second historized tag, Device, whose field device stamps its
 * values `aheadMs` ahead while the server stamps them (ServerTimestamp) by its own clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, SessionContext, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../../shared/api.js';
import { startProxy, type TestProxy } from './proxy.js';
import { shapeServerTime, type ServerTime } from './server-time.js';
import { startTestServer, type TestServer } from './test-server.js';
import { startTestStation, until, untilAsync, type Received, type TestStation } from './harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
/** The plant changes once a second: a queue of five (a 100 ms publish of a 50 ms item) holds five seconds of it. */
const STEP = 1000;

export interface ClockPlantOptions {
  time: ServerTime;
  /** The plant's clock (its values' source stamps, its history) against the station's. */
  offsetMs: number;
  /** What the server sends is held this long, from the station's CurrentTime read on (a slow link). */
  delayMs?: number;
  /** A second historized tag, Device, whose own stamps run aheadMs ahead of the server's (clock-device-ahead). */
  device?: { aheadMs: number };
}

export interface Cut {
  /** Waited for, beside five good values, before the link is cut. */
  before?: () => boolean;
  /** Done as soon as the loss is seen: the server's clock set, or its time given from then on. */
  whileCut?: () => void;
  /** The plant stops before the link is restored: no live value after the item's first, which is judged for nothing. */
  stillAfter?: boolean;
}

export interface CutSeen {
  marker: Received;
  gap: LedgerEntry;
  /** What the plant made while the link was cut. */
  madeWhileCut: { t: number; v: number }[];
}

export function clockPlant(role: string, o: ClockPlantOptions) {
  let dir: string;
  let server: TestServer;
  let proxy: TestProxy;
  let t: TestStation;
  let level!: UAVariable;
  let device: UAVariable | null = null;
  let tick: NodeJS.Timeout | undefined;
  /** What the plant made, stamped by its clock (the server's history holds it). */
  const record: { t: number; v: number }[] = [];
  /** What the device made: its own stamp (ahead) and the server's. */
  const deviceRecord: { source: number; server: number; v: number }[] = [];
  const setup = async () => {
    dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
    server = await startTestServer({
      role, dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
        if (!o.device) return;
        device = ns.addVariable({
          organizedBy: as.rootFolder.objects, browseName: 'Device', nodeId: 's=Device', dataType: 'Double', minimumSamplingInterval: 0,
          accessLevel: 'CurrentRead | CurrentWrite', userAccessLevel: 'CurrentRead | CurrentWrite',
        });
        as.installHistoricalDataNode(device, { maxOnlineValues: 100_000 });
      },
    });
    shapeServerTime(server, o.time);
    let n = 0;
    const set = () => {
      const r = { t: Date.now() + o.offsetMs, v: n++ };
      record.push(r);
      level.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
      if (!device || !o.device) return;
      // Written with both stamps, as a gateway passes its device's stamp on (setValueFromSource would give the device's to both).
      const d = { server: Date.now() + o.offsetMs, source: Date.now() + o.offsetMs + o.device.aheadMs, v: r.v };
      deviceRecord.push(d);
      void device.writeValue(SessionContext.defaultContext, new DataValue({
        value: { dataType: DataType.Double, value: d.v }, statusCode: StatusCodes.Good, sourceTimestamp: new Date(d.source), serverTimestamp: new Date(d.server),
      }));
    };
    set();
    tick = setInterval(set, STEP);
    const delayMs = o.delayMs ?? 0;
    proxy = await startProxy(server.port, delayMs > 0 ? { toClient: delayMs, toServer: 0, from: 'clockRead' } : 0);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Plant, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${proxy.port}/test", samplingIntervalMs: 50, publishingIntervalMs: 100, staleAfterMs: 10000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
${o.device ? '  - { name: Device, server: plc, nodeId: "ns=2;s=Device", kind: analog, area: A }\n' : ''}`,
    });
  };
  const teardown = async () => {
    clearInterval(tick);
    await t?.stop();
    proxy?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const good = () => t.samples.filter((s) => s.tag === 'Level' && s.status === 0);
  /** The link cut for three values of the plant, then restored: the loss marker and the gap once settled. */
  const cut = async (c: Cut = {}): Promise<CutSeen> => {
    await until('values before the cut', () => good().length >= 5 && (c.before?.() ?? true), 120_000);
    proxy.cut();
    const marker = await until('the loss', () => t.samples.find((s) => s.tag === 'Level' && s.status === BadNoCommunication), 30_000);
    c.whileCut?.();
    const downSince = record.length;
    await until('three values made while cut', () => record.length - downSince >= 3);
    if (c.stillAfter) clearInterval(tick);
    const madeWhileCut = record.slice(downSince);
    proxy.restore();
    const gap = await untilAsync('the gap settled', async () =>
      ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.to !== null && !['pending', 'running', 'archiving'].includes(g.backfill ?? '')), 180_000);
    return { marker, gap, madeWhileCut };
  };
  return { setup, teardown, cut, record, deviceRecord, good, station: () => t };
}
