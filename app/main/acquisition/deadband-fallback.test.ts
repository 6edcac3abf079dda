/**
 * A deadband the server refuses for an item: a percent deadband on a variable without EURange (as
 * TwinCAT's variables; node-opcua answers BadMonitoredItemFilterUnsupported). Before, the tag was
 * not acquired (CONFIG on every value while the server was connected). Now the item is made again:
 * with an absolute deadband from the tag's configured range (Part 8: percent × span / 100) when it
 * has one, else without a filter; which fallback, logged once per tag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataChangeFilter, DataType, DeadbandType, StatusCodes, type UAVariable } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

describe('a percent deadband the server refuses (no EURange)', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const v: Record<string, UAVariable> = {};
  const set = (name: string, value: number) => v[name]!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-deadband-'));
    server = await startTestServer({
      role: 'deadband', dir,
      build: (ns, as) => {
        for (const n of ['Ranged', 'Plain']) {
          v[n] = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 100 } });
        }
      },
    });
    t = await startTestStation({
      dir,
      yaml: `station: { name: Deadband, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    backfill: false
    publishingIntervalMs: 100
    samplingIntervalMs: 50
    groups: [{ id: analog, deadband: { percent: 0.5 } }]
areas: [{ id: A, name: A }]
tags:
  - { name: Ranged, server: plc, group: analog, nodeId: "ns=2;s=Ranged", kind: analog, area: A, range: [0, 1000] }
  - { name: Plain, server: plc, group: analog, nodeId: "ns=2;s=Plain", kind: analog, area: A }
`,
    });
    await until('both tags good', () => t.station.live.get('Ranged')?.status === 0 && t.station.live.get('Plain')?.status === 0, 30_000);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The filter of the server's monitored item for a node. */
  const filterOn = (node: string) => {
    const items = server.server.engine.getSessions()
      .flatMap((s) => s.publishEngine.subscriptions)
      .flatMap((s) => [...s.getMonitoredItems().serverHandles].map((h) => s.getMonitoredItem(h)!))
      .filter((m) => m.node?.nodeId.value === node);
    expect(items).toHaveLength(1);
    return items[0]!.filter;
  };

  it('acquires both tags, the Tags page clear and nothing refused', async () => {
    expect(t.logs.filter((l) => l.msg === 'tag not acquired')).toEqual([]);
    const sources = ((await t.call('tags.sources', {})) as { result: TagSource[] }).result;
    expect(sources.map((x) => [x.tag, x.status, x.issue])).toEqual([['Ranged', 0, null], ['Plain', 0, null]]);
    expect(t.samples.filter((x) => x.status !== 0)).toEqual([]);
  });

  it('a tag with a range: an absolute deadband of 0.5 % of its span (5), which the server applies', async () => {
    const filter = filterOn('Ranged');
    expect(filter).toBeInstanceOf(DataChangeFilter);
    expect((filter as DataChangeFilter).deadbandType).toBe(DeadbandType.Absolute);
    expect((filter as DataChangeFilter).deadbandValue).toBe(5);
    // 100 -> 103 within the deadband, 100 -> 110 past it.
    set('Ranged', 103);
    set('Plain', 103);
    await until('Plain at 103', () => t.station.live.get('Plain')?.value === 103);
    set('Ranged', 110);
    await until('Ranged at 110', () => t.station.live.get('Ranged')?.value === 110);
    expect(t.samples.filter((x) => x.tag === 'Ranged').map((x) => x.value)).toEqual([100, 110]);
  });

  it('a tag without a range: no filter, every change sent', () => {
    expect(filterOn('Plain')).toBeNull();
    expect(t.samples.filter((x) => x.tag === 'Plain').map((x) => x.value)).toEqual([100, 103]);
  });

  it('says which fallback, once per tag', () => {
    const said = t.logs.filter((l) => /the server refused the tag's (percent )?deadband/.test(String(l.msg)));
    expect(said.map((l) => [l.tag, l.status, l.fallback])).toEqual([
      ['Ranged', 'BadMonitoredItemFilterUnsupported', { absolute: 5 }],
      ['Plain', 'BadMonitoredItemFilterUnsupported', null],
    ]);
  });
});
