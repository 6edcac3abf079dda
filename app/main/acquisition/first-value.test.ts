/**
 * A tag whose current value (Good) was stamped an hour before the station started, by a server whose
 * clock is right: the station did not watch it then, so its first value is dated no earlier than the
 * tag was subscribed, live and in the archive (which would otherwise hold an hour of invented history).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const HOUR = 3600_000;

describe('a first value stamped an hour before the station started', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level!: UAVariable;
  let startedAt = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-first-'));
    server = await startTestServer({
      role: 'first', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    level.setValueFromSource({ dataType: DataType.Double, value: 42 }, StatusCodes.Good, new Date(Date.now() - HOUR));
    startedAt = Date.now();
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: First, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${server.port}/test", backfill: false }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('first value', () => t.station.live.get('Level')?.value === 42);
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dates it after the station started and no later than it arrived', () => {
    const first = t.samples.find((s) => s.tag === 'Level' && s.value === 42)!;
    expect(first.status).toBe(StatusCodes.Good.value);
    expect(first.t).toBeGreaterThanOrEqual(startedAt);
    expect(first.t).toBeLessThanOrEqual(first.at);
  });

  it('archives nothing before the station started', async () => {
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: startedAt - 2 * HOUR, end: Date.now() + 60_000 }).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.t).toBeGreaterThanOrEqual(startedAt);
  });
});
