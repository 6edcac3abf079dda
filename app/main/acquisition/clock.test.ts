/**
 * Source timestamps against the station's clock, and the times of a loss and of the values after
 * it: a value stamped a day ahead (a device clock fault) is dated when it arrived, so neither the
 * loss marker nor the values after a reconnection are dated in the future and an outage is
 * archived as bad, not good. The network is cut by a proxy while the server goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, PublishResponse, StatusCodes, type UAVariable } from 'node-opcua';
import { codeOf } from '../../../historian/status.js';
import { AHEAD_TOLERANCE_MS, sourceTime } from './sample.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const DAY = 86_400_000;

describe('sourceTime', () => {
  const at = Date.UTC(2026, 0, 1);
  const dv = (t: number) => new DataValue({ value: { dataType: DataType.Double, value: 1 }, sourceTimestamp: new Date(t) });
  it('keeps a time a little ahead of receipt, and replaces one beyond the tolerance by the receipt', () => {
    expect(sourceTime(dv(at - 5000), at)).toBe(at - 5000);
    expect(sourceTime(dv(at + AHEAD_TOLERANCE_MS), at)).toBe(at + AHEAD_TOLERANCE_MS);
    expect(sourceTime(dv(at + AHEAD_TOLERANCE_MS + 1), at)).toBe(at);
    expect(sourceTime(dv(at + DAY), at)).toBe(at);
  });
});

describe('a value stamped a day ahead, then a cut network', () => {
  let dir: string;
  let server: TestServer;
  let proxy: TestProxy;
  let t: TestStation;
  let level!: UAVariable;
  let cutAt = 0;
  let backAt = 0;

  const set = (value: number, at: Date) => level.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, at);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-clock-'));
    server = await startTestServer({
      role: 'clock', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    set(10, new Date());
    proxy = await startProxy(server.port);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Clock, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${proxy.port}/test", backfill: false }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('first value', () => t.station.live.get('Level')?.status === 0);
    set(11, new Date(Date.now() + DAY));
    await until('the value stamped ahead', () => t.station.live.get('Level')?.value === 11);
    set(12, new Date());
    await until('a value stamped right', () => t.station.live.get('Level')?.value === 12);
    cutAt = Date.now();
    proxy.cut();
    await until('the loss', () => t.station.live.get('Level')?.status === BadNoCommunication, 20_000);
    // The cable stays out until an attempt to connect again failed: the outage outlasts the loss.
    const failed = t.logs.filter((l) => l.msg === 'connection failed').length;
    await until('a reconnection refused while cut', () => t.logs.filter((l) => l.msg === 'connection failed').length > failed, 30_000);
    proxy.restore();
    await until('reconnected', () => t.station.live.get('Level')?.status === 0, 30_000);
    backAt = Date.now();
    // Two publish cycles of the new session answered: what the reconnection brings has come.
    let published = 0;
    const count = (r: unknown) => void (r instanceof PublishResponse && published++);
    server.server.on('response', count);
    await until('two publishes after the reconnection', () => published >= 2, 30_000);
    server.server.off('response', count);
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    proxy?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dates the value stamped ahead when it arrived, and says so in the log', () => {
    const ahead = t.samples.find((s) => s.tag === 'Level' && s.value === 11)!;
    expect(ahead.t).toBeLessThanOrEqual(ahead.at);
    expect(t.logs.some((l) => String(l.msg).startsWith('source timestamp ahead of the station clock') && l.tag === 'Level')).toBe(true);
  });

  it('dates no sample, loss marker or value after the reconnection, later than it reached the station', () => {
    const samples = t.samples.filter((s) => s.tag === 'Level');
    for (const s of samples) expect(s.t, `${s.value}/${s.status.toString(16)}`).toBeLessThanOrEqual(s.at + AHEAD_TOLERANCE_MS);
    const marker = samples.find((s) => s.status === BadNoCommunication)!;
    expect(marker.t).toBeGreaterThan(Math.max(...samples.filter((s) => s.at < marker.at).map((s) => s.t)));
    expect(marker.t).toBeLessThanOrEqual(marker.at + AHEAD_TOLERANCE_MS);
    expect(marker.t).toBeLessThanOrEqual(cutAt + 1000);
  });

  it('archives the outage as bad', async () => {
    await t.archive!.flush();
    const mid = Math.round((cutAt + backAt) / 2);
    const [newest] = t.archive!.readRaw({ tags: 'Level', start: mid, end: cutAt - 60_000 }).rows;
    expect(codeOf(newest!.status)).toBe(BadNoCommunication);
    const future = t.archive!.readRaw({ tags: 'Level', start: Date.now() + 60_000, end: Date.now() + 2 * DAY }).rows;
    expect(future).toEqual([]);
  });
});
