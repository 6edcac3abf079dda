/**
 * A server that grants less than the station asks (Part 4 lets it): a 2 s minimum publishing
 * interval, so keep-alives come less often than staleAfterMs expects, and a queue of one value
 * per item. A quiet, healthy server is not declared lost, and a queue too short for one
 * publishing interval of samples is said in the log and on the tag's source (tags.sources).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMonitoredItemsRequest, DataType, PublishResponse, Subscription } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';
import type { TagSource } from '../../shared/api.js';

describe('parameters the server revised', () => {
  const minimumPublishing = Subscription.minimumPublishingInterval;
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  // Keep-alives the server sent, per subscription: each one a quiet keep-alive period gone by.
  const keepAlives = new Map<number, number>();

  beforeAll(async () => {
    Subscription.minimumPublishingInterval = 2000;
    dir = mkdtempSync(join(tmpdir(), 'vigil-revised-'));
    server = await startTestServer({
      role: 'revised', dir,
      build: (ns, as) => {
        for (const name of ['Level', 'Burst']) {
          ns.addVariable({
            organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0,
            value: { dataType: DataType.Double, value: 10 },
          });
        }
      },
    });
    // Burst's queue revised to one value (Level's left as asked).
    server.server.on('request', (r: unknown) => {
      if (!(r instanceof CreateMonitoredItemsRequest)) return;
      for (const item of r.itemsToCreate ?? []) if (item.itemToMonitor.nodeId.value === 'Burst') item.requestedParameters.queueSize = 1;
    });
    server.server.on('response', (r: unknown) => {
      if (!(r instanceof PublishResponse) || (r.notificationMessage?.notificationData ?? []).length > 0) return;
      keepAlives.set(r.subscriptionId, (keepAlives.get(r.subscriptionId) ?? 0) + 1);
    });
    // The shipped defaults: publishing 500 ms, staleAfterMs 3000.
    t = await startTestStation({
      dir,
      yaml: `station: { name: Revised, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    groups: [{ id: slow, samplingIntervalMs: 0, publishingIntervalMs: 1000 }]
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Burst, server: plc, nodeId: "ns=2;s=Burst", kind: analog, area: A, group: slow }
`,
    });
    await until('first values', () => t.station.live.get('Level')?.status === 0 && t.station.live.get('Burst')?.status === 0);
  }, 180_000);

  afterAll(async () => {
    Subscription.minimumPublishingInterval = minimumPublishing;
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a quiet server with a long revised keep-alive period connected, and says why the loss limit is longer', async () => {
    // A keep-alive on each subscription since its first values: each went a whole granted keep-alive period
    // (a count of 3 at 2 s: 6 s) with nothing to say, and the station at least 4 s (the two publish 2 s
    // apart at most) without any evidence: past staleAfterMs and a watchdog period. A loss ends the wait.
    await until('a keep-alive on each of the two subscriptions', () =>
      (keepAlives.size >= 2 && [...keepAlives.values()].every((n) => n >= 1)) || t.logs.some((l) => l.msg === 'server lost'), 40_000);
    expect(t.logs.filter((l) => l.msg === 'server lost')).toEqual([]);
    expect(t.station.acquisition.ledger.read(0, 100).filter((e) => e.kind === 'gap')).toEqual([]);
    expect(t.station.live.get('Level')?.status).toBe(0);
    const warned = t.logs.filter((l) => String(l.msg).startsWith('the server sends keep-alives less often'));
    expect(warned.length).toBeGreaterThan(0);
    expect(warned[0]).toMatchObject({ publishingIntervalMs: 2000, staleAfterMs: 3000 });
  }, 60_000);

  it('warns when a revised queue cannot hold one publishing interval of samples', () => {
    const warned = t.logs.filter((l) => String(l.msg).startsWith('the server revised monitored item queues'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ server: 'plc', count: 1, items: [{ tag: 'Burst', queueSize: 1 }] });
  });

  it('tells each tag what the server granted, so a queue too short shows on the Tags page', async () => {
    const sources = new Map(((await t.call('tags.sources', {})) as { result: TagSource[] }).result.map((x) => [x.tag, x]));
    // Burst: sampling 0 (as fast as the server can, counted 50 ms) in a 2 s publish: 40 samples, a queue of 1.
    expect(sources.get('Burst')?.sampling).toMatchObject({ queueSize: 1, perPublish: 40 });
    const level = sources.get('Level')?.sampling;
    expect(level).not.toBeNull();
    expect(level!.queueSize).toBeGreaterThanOrEqual(level!.perPublish);
  });
});
