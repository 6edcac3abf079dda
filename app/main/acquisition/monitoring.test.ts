/**
 * What the station asks the server for, per tag group, as the server itself
 * receives it (publishing interval per group, sampling interval, queue size,
 * DataChangeFilter), and what follows from it: the server filters by the
 * deadband, and a burst of changes between two publishes all arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateMonitoredItemsRequest, CreateMonitoredItemsResponse, CreateSubscriptionRequest, type MonitoredItemCreateRequest, DataChangeFilter, DataType, DeadbandType, StatusCodes, type UAVariable,
} from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

describe('monitored items per tag group', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const v: Record<string, UAVariable> = {};
  const subscriptions: CreateSubscriptionRequest[] = [];
  const items = new Map<string, MonitoredItemCreateRequest>();
  /** The sampling intervals the server granted (it may sample slower than asked). */
  const revised: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-monitoring-'));
    server = await startTestServer({
      role: 'monitoring', dir,
      build: (ns, as) => {
        for (const name of ['Filtered', 'Burst', 'Plain']) {
          v[name] = ns.addVariable({
            organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0,
            value: { dataType: DataType.Double, value: 10 },
          });
        }
      },
    });
    server.server.on('request', (request: unknown) => {
      if (request instanceof CreateSubscriptionRequest) subscriptions.push(request);
      if (request instanceof CreateMonitoredItemsRequest) for (const item of request.itemsToCreate ?? []) items.set(item.itemToMonitor.nodeId.value as string, item);
    });
    server.server.on('response', (response: unknown) => {
      if (response instanceof CreateMonitoredItemsResponse) for (const r of response.results ?? []) revised.push(r.revisedSamplingInterval);
    });
    t = await startTestStation({
      dir, archive: false,
      yaml: `station: { name: Monitoring, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    staleAfterMs: 10000
    groups:
      - { id: fast, samplingIntervalMs: 0, publishingIntervalMs: 100, deadband: { absolute: 1.5 } }
      - { id: slow, samplingIntervalMs: 0, publishingIntervalMs: 1000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Filtered, server: plc, nodeId: "ns=2;s=Filtered", kind: analog, area: A, group: fast }
  - { name: Plain, server: plc, nodeId: "ns=2;s=Plain", kind: analog, area: A, group: fast, deadband: { absolute: 0.001 } }
  - { name: Burst, server: plc, nodeId: "ns=2;s=Burst", kind: analog, area: A, group: slow }
`,
    });
    await until('initial values', () => ['Filtered', 'Burst', 'Plain'].every((n) => t.station.live.get(n)?.status === 0));
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for one subscription per group at its publishing interval, and each item with its sampling, queue and deadband', () => {
    expect(subscriptions.map((s) => s.requestedPublishingInterval).sort((a, b) => a - b)).toEqual([100, 1000]);
    const filtered = items.get('Filtered')!;
    expect(filtered.requestedParameters.samplingInterval).toBe(0);
    const filter = filtered.requestedParameters.filter as DataChangeFilter;
    expect(filter).toBeInstanceOf(DataChangeFilter);
    expect(filter.deadbandType).toBe(DeadbandType.Absolute);
    expect(filter.deadbandValue).toBe(1.5);
    // The tag's own deadband wins over its group's.
    expect((items.get('Plain')!.requestedParameters.filter as DataChangeFilter).deadbandValue).toBe(0.001);
    // A 1 s publish of changes sampled as they come needs room for more than one value between publishes.
    expect(items.get('Burst')!.requestedParameters.queueSize).toBeGreaterThanOrEqual(10);
    expect(items.get('Burst')!.requestedParameters.filter).toBeNull();
  });

  it('gets from the server only the changes beyond the deadband', async () => {
    const start = Date.now();
    const steps = [10.5, 11, 11.4, 12, 12.2, 9];
    for (const value of steps) {
      const now = new Date();
      v.Filtered!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, now);
      v.Plain!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, now);
      await new Promise((r) => setTimeout(r, 150));
    }
    await until('the last step', () => t.station.live.get('Plain')?.value === 9 && t.station.live.get('Filtered')?.value === 9);
    const got = (tag: string) => t.samples.filter((s) => s.tag === tag && s.at >= start && s.status === 0).map((s) => s.value);
    // From 10: 10.5, 11 and 11.4 stay within 1.5; 12 is 2 away; 12.2 within 1.5 of 12; 9 is 3 away.
    expect(got('Filtered')).toEqual([12, 9]);
    expect(got('Plain')).toEqual(steps);
  });

  it('keeps every change of a burst between two publishes', async () => {
    const start = Date.now();
    const burst = [20, 21, 22, 23, 24, 25, 26];
    // Each change held longer than the server's sampling interval, all of them within about one 1 s publish.
    const sampling = Math.max(...revised);
    const hold = Math.max(2 * sampling, 60);
    expect(hold * burst.length).toBeLessThan(1500);
    for (const value of burst) {
      v.Burst!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());
      await new Promise((r) => setTimeout(r, hold));
    }
    await until('the burst', () => t.station.live.get('Burst')?.value === 26, 10_000);
    expect(t.samples.filter((s) => s.tag === 'Burst' && s.at >= start && s.status === 0).map((s) => s.value)).toEqual(burst);
  });
});
