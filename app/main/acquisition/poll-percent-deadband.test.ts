/**
 * A polled server's tags with a percent deadband: a monitored item's filter would apply it to the
 * node's EURange (Part 8, PercentDeadband), so the station reads that range and hands a read value on only
 * when it moved by more than the percent of it since the last one handed on. Before, a polled tag
 * without a configured range had every change handed on (a band of 0). A node without EURange and
 * without a configured range still has every change handed on, and the log says which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

/** Each step of the plant's value; both nodes follow it. */
const STEP = 3;
const STEPS = 8;
const RANGE = { low: 0, high: 1000 };
const PERCENT = 1;

/** Part 8, PercentDeadband: a value is reported when |v - last reported| > percent/100 × (high − low); the first always. */
function reported(values: readonly number[], band: number): number[] {
  const out: number[] = [];
  for (const v of values) if (out.length === 0 || Math.abs(v - out.at(-1)!) > band) out.push(v);
  return out;
}

describe('a polled server, tags with a percent deadband', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const nodes: Record<string, UAVariable> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-poll-percent-'));
    server = await startTestServer({
      role: 'poll-percent', dir,
      build: (ns, as) => {
        nodes.Ranged = ns.addAnalogDataItem({
          organizedBy: as.rootFolder.objects, browseName: 'Ranged', nodeId: 's=Ranged', dataType: 'Double', minimumSamplingInterval: 0,
          engineeringUnitsRange: RANGE, value: { dataType: DataType.Double, value: 0 },
        });
        nodes.Bare = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Bare', nodeId: 's=Bare', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } });
      },
    });
    server.server.engine.serverCapabilities.maxSubscriptionsPerSession = 0;
    t = await startTestStation({
      dir,
      yaml: `station: { name: Polled, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    backfill: false
    samplingIntervalMs: 100
    publishingIntervalMs: 100
    groups: [{ id: analog, deadband: { percent: ${PERCENT} } }]
areas: [{ id: A, name: A }]
tags:
  - { name: Ranged, server: plc, group: analog, nodeId: "ns=2;s=Ranged", kind: analog, area: A }
  - { name: Bare, server: plc, group: analog, nodeId: "ns=2;s=Bare", kind: analog, area: A }
`,
    });
    await until('the ranges read', () => t.logs.find((l) => String(l.msg).startsWith('polled tags with a percent deadband whose node gives no EURange')), 30_000);
    await until('both polled, their first values in', () => t.states.at(-1)?.polled && ['Ranged', 'Bare'].every((n) => t.samples.some((s) => s.tag === n)), 30_000);
    // The plant moves one step at a time. Both nodes are read in one request (one interval): once
    // Bare's step is in (every change of it is), Ranged's read of the same step was judged too.
    for (let k = 1; k <= STEPS; k++) {
      for (const n of ['Ranged', 'Bare']) nodes[n]!.setValueFromSource({ dataType: DataType.Double, value: k * STEP }, StatusCodes.Good, new Date());
      await until(`step ${k} read`, () => t.samples.some((s) => s.tag === 'Bare' && s.value === k * STEP), 30_000);
    }
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const values = (tag: string) => t.samples.filter((s) => s.tag === tag).map((s) => s.value);
  const plant = Array.from({ length: STEPS + 1 }, (_, k) => k * STEP);

  it('hands a value on only beyond the percent of the node\'s EURange, as a monitored item would', () => {
    expect(values('Ranged')).toEqual(reported(plant, (PERCENT / 100) * (RANGE.high - RANGE.low)));
  });

  it('hands every change on for a node without EURange and no configured range, the log naming it', () => {
    expect(values('Bare')).toEqual(plant);
    expect(t.logs.find((l) => String(l.msg).startsWith('polled tags with a percent deadband whose node gives no EURange'))).toMatchObject({ tags: ['Bare'] });
  });
});
