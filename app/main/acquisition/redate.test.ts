/**
 * After a loss, against a server whose clock is 30 s behind the station's: the value read again
 * at the reconnection is re-dated after the loss marker, and the changes after it are not dated
 * before it, so the archive ends with the newest value, not the stale one. The network is cut by a
 * proxy while the server goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { codeOf } from '../../../historian/status.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const SKEW = 30_000;
const serverNow = () => new Date(Date.now() - SKEW);

describe('values after a loss from a server whose clock is behind', () => {
  let dir: string;
  let server: TestServer;
  let proxy: TestProxy;
  let t: TestStation;
  const v: Record<string, UAVariable> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-redate-'));
    server = await startTestServer({
      role: 'redate', dir,
      build: (ns, as) => {
        v.Valve = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Valve', nodeId: 's=Valve', dataType: 'Boolean', minimumSamplingInterval: 0 });
        v.Level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    v.Valve!.setValueFromSource({ dataType: DataType.Boolean, value: false }, StatusCodes.Good, serverNow());
    v.Level!.setValueFromSource({ dataType: DataType.Double, value: 10 }, StatusCodes.Good, serverNow());
    proxy = await startProxy(server.port);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Redate, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${proxy.port}/test", backfill: false }
areas: [{ id: A, name: A }]
tags:
  - { name: Valve, server: plc, nodeId: "ns=2;s=Valve", kind: discrete, area: A }
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    const good = () => t.station.live.get('Valve')?.status === 0 && t.station.live.get('Level')?.status === 0;
    await until('first values', good);
    proxy.cut();
    await until('the loss', () => t.station.live.get('Valve')?.status === BadNoCommunication, 20_000);
    // The cable stays out until an attempt to connect again failed: the reconnection is a later one.
    const failedBefore = t.logs.filter((l) => l.msg === 'connection failed').length;
    await until('a reconnection refused while cut', () => t.logs.filter((l) => l.msg === 'connection failed').length > failedBefore, 30_000);
    proxy.restore();
    await until('reconnected', good, 30_000);
    // The valve opens and the level changes once, stamped by the server's clock.
    v.Valve!.setValueFromSource({ dataType: DataType.Boolean, value: true }, StatusCodes.Good, serverNow());
    v.Level!.setValueFromSource({ dataType: DataType.Double, value: 55 }, StatusCodes.Good, serverNow());
    await until('the changes', () => t.station.live.get('Valve')?.value === true && t.station.live.get('Level')?.value === 55, 10_000);
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    proxy?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-dates the value read again after the marker, no later than it arrived, and keeps later times after it', () => {
    for (const tag of ['Valve', 'Level']) {
      const samples = t.samples.filter((s) => s.tag === tag);
      const m = samples.findIndex((s) => s.status === BadNoCommunication);
      const after = samples.slice(m + 1);
      expect(after.length, tag).toBeGreaterThanOrEqual(2);
      expect(after[0]!.t, tag).toBeGreaterThan(samples[m]!.t);
      expect(after[0]!.t, tag).toBeLessThanOrEqual(after[0]!.at);
      for (let i = 1; i < after.length; i++) expect(after[i]!.t, `${tag} #${i}`).toBeGreaterThan(after[i - 1]!.t);
    }
  });

  it('ends the archive with the newest value, good', async () => {
    const rowsOf = (tag: string) => t.archive!.readRaw({ tags: tag, start: Date.now() - 600_000, end: Date.now() + 600_000 }).rows;
    // Discrete values wait in the archive's sorting buffer (about 2 s) before they are written: until
    // the newest values are in the archive, wherever; then they must be its last rows.
    await untilAsync('the newest values archived', async () => {
      await t.archive!.flush();
      return rowsOf('Valve').some((r) => r.value === true) && rowsOf('Level').some((r) => r.value === 55);
    }, 30_000);
    for (const [tag, value] of [['Valve', true], ['Level', 55]] as const) {
      const rows = rowsOf(tag);
      const last = rows.at(-1)!;
      expect(last.value, tag).toBe(value);
      expect(codeOf(last.status), tag).toBe(0);
    }
  });
});
