/**
 * Per tag, times only go forward, whatever the server stamps: a server that sends no timestamps
 * (it ignores TimestampsToReturn), one that stamps to whole seconds, and one that stamps a
 * communication failure at the same time as the last good value or earlier. Every value is kept,
 * in the order it came, and the archive never holds a good value after the failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateMonitoredItemsRequest, CreateMonitoredItemsResponse, DataType, StatusCodes, TimestampsToReturn, Variant, type UAVariable,
} from 'node-opcua';
import { codeOf } from '../../../historian/status.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const NAMES = ['NoTs', 'Coarse', 'Older', 'Same'];

describe('times per tag', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const v: Record<string, UAVariable> = {};
  const revised: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-ordering-'));
    server = await startTestServer({
      role: 'ordering', dir,
      build: (ns, as) => {
        for (const name of NAMES) {
          v[name] = ns.addVariable({
            organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0,
            value: { dataType: DataType.Double, value: 0 },
          });
        }
      },
    });
    // An embedded server that ignores TimestampsToReturn: no source or server timestamp on NoTs (its own group, its own call).
    server.server.on('request', (r: unknown) => {
      if (r instanceof CreateMonitoredItemsRequest && r.itemsToCreate?.some((i) => i.itemToMonitor.nodeId.value === 'NoTs')) {
        r.timestampsToReturn = TimestampsToReturn.Neither;
      }
    });
    server.server.on('response', (r: unknown) => {
      if (r instanceof CreateMonitoredItemsResponse) for (const x of r.results ?? []) revised.push(x.revisedSamplingInterval);
    });
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Ordering, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    backfill: false
    samplingIntervalMs: 0
    publishingIntervalMs: 1000
    groups: [{ id: bare }]
areas: [{ id: A, name: A }]
tags:
  - { name: NoTs, server: plc, nodeId: "ns=2;s=NoTs", kind: analog, area: A, group: bare }
  - { name: Coarse, server: plc, nodeId: "ns=2;s=Coarse", kind: analog, area: A }
  - { name: Older, server: plc, nodeId: "ns=2;s=Older", kind: analog, area: A }
  - { name: Same, server: plc, nodeId: "ns=2;s=Same", kind: analog, area: A }
`,
    });
    await until('first values', () => NAMES.every((n) => t.station.live.get(n)?.status === 0));
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const strictlyIncreasing = (tag: string) => {
    const times = t.samples.filter((s) => s.tag === tag).map((s) => s.t);
    for (let i = 1; i < times.length; i++) expect(times[i], `${tag} #${i}`).toBeGreaterThan(times[i - 1]!);
  };

  it('keeps every value of a burst without timestamps or with whole-second ones, in order, at increasing times', async () => {
    const start = Date.now();
    const burst = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    // Each change held longer than the server's sampling interval, several of them in one 1 s publish.
    const hold = Math.max(2 * Math.max(...revised), 40);
    for (const value of burst) {
      const now = Date.now();
      v.NoTs!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date(now));
      v.Coarse!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date(Math.floor(now / 1000) * 1000));
      await new Promise((r) => setTimeout(r, hold));
    }
    await until('the burst', () => t.station.live.get('NoTs')?.value === 12 && t.station.live.get('Coarse')?.value === 12, 10_000);
    for (const tag of ['NoTs', 'Coarse']) {
      const got = t.samples.filter((s) => s.tag === tag && s.at >= start && s.status === 0);
      expect(got.map((s) => s.value), tag).toEqual(burst);
      strictlyIncreasing(tag);
    }
    // Several values came in one publish: without the rule they would share a time.
    const arrivals = new Set(t.samples.filter((s) => s.tag === 'NoTs' && s.at >= start).map((s) => s.at));
    expect(arrivals.size).toBeLessThan(burst.length);
  });

  it('puts a failure stamped at or before the last good value after it, live and in the archive', async () => {
    const good = new Date();
    v.Older!.setValueFromSource({ dataType: DataType.Double, value: 8.5 }, StatusCodes.Good, good);
    v.Same!.setValueFromSource({ dataType: DataType.Double, value: 8.5 }, StatusCodes.Good, good);
    await until('the last good values', () => t.station.live.get('Older')?.value === 8.5 && t.station.live.get('Same')?.value === 8.5);
    // A gateway stamps the failure with its own clock, 1 s behind the device's; another keeps the last value's time.
    v.Older!.setValueFromSource(new Variant({ dataType: DataType.Null }), StatusCodes.BadNoCommunication, new Date(good.getTime() - 1000));
    v.Same!.setValueFromSource(new Variant({ dataType: DataType.Null }), StatusCodes.BadNoCommunication, good);
    await until('the failures', () => ['Older', 'Same'].every((n) => t.station.live.get(n)?.status === BadNoCommunication));
    await t.archive!.flush();
    for (const tag of ['Older', 'Same']) {
      strictlyIncreasing(tag);
      const samples = t.samples.filter((s) => s.tag === tag);
      expect(samples.at(-1)!.status, tag).toBe(BadNoCommunication);
      const rows = t.archive!.readRaw({ tags: tag, start: 0, end: Date.now() + 60_000 }).rows;
      const bad = rows.find((r) => codeOf(r.status) === BadNoCommunication)!;
      expect(bad, tag).toBeDefined();
      expect(rows.filter((r) => r.t >= bad.t && codeOf(r.status) === 0), tag).toEqual([]);
    }
  });
});
