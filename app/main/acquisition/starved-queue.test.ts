/**
 * A server that revises a monitored item's queue to one value (Part 4 lets it; node-opcua's and
 * many embedded servers do) while the tag samples ten times per publish: one value per publish
 * reaches the station, the changes between are lost without an overflow bit (the log and the Tags
 * page say so). Found by an exploratory run: the archive's cyclic record went by the sampling
 * interval, so before each delivered change it stored the previous value as held, Good, for the
 * whole publish (4.75 s of every 5 s at a 5 s publish) while the plant moved all along. The cyclic
 * record now goes by what can reach the station: one value per publishing interval.
 *
 * The same for a server that answers a revised queue of 0 (CreateMonitoredItems' RevisedQueueSize)
 * and keeps one value, as Part 4 §7.21 makes 0 mean (0 or 1 is no queue: the newest value): the
 * station took 0 for "no limit" where it judges what a publish can bring (server-link.ts
 * deliveredEvery), and the held values came back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMonitoredItemsRequest, CreateMonitoredItemsResponse, DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { Flag } from '../../../historian/types.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const SAMPLING = 50;
const PUBLISHING = 500;
/** The plant's values are stamped on the sampling grid. */
const STEP = SAMPLING;
/** How long the value then holds before its next change: a real silence, several publishes. */
const HOLD = 4 * PUBLISHING;

// The two servers and stations are set up side by side (concurrent suites): each waits mostly on its own timers.
for (const revised of [1, 0] as const) describe.concurrent(`a server that revises a tag's queue to ${revised} and keeps one value`, () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level!: UAVariable;
  let tick: NodeJS.Timeout | undefined;
  let t0 = 0;
  let last = 0;
  let resumed = 0;

  const set = (at: number, value: number) => level.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date(at));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `vigil-starved-${revised}-`));
    server = await startTestServer({
      role: 'starved', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    server.server.on('request', (r: unknown) => {
      if (r instanceof CreateMonitoredItemsRequest) for (const item of r.itemsToCreate ?? []) item.requestedParameters.queueSize = 1;
    });
    // Keeps one value and answers 0.
    if (revised === 0) {
      server.server.on('response', (r: unknown) => {
        if (r instanceof CreateMonitoredItemsResponse) for (const result of r.results ?? []) result.revisedQueueSize = 0;
      });
    }
    set(Date.now() - 60_000, 10);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Starved, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false, samplingIntervalMs: ${SAMPLING}, publishingIntervalMs: ${PUBLISHING}, staleAfterMs: 5000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    const sampling = () => t.station.acquisition.sources().find((s) => s.tag === 'Level')?.sampling;
    await until('the server\'s grant', () => sampling()?.queueSize === revised, 30_000);
    await until('the first value', () => t.station.live.get('Level')?.status === 0, 30_000);
    // A value that moves at every sampling, for 3 s (six publishes).
    t0 = Math.ceil(Date.now() / STEP) * STEP;
    let k = 0;
    await new Promise<void>((resolve) => {
      tick = setInterval(() => {
        last = t0 + k * STEP;
        set(last, 10 + 0.01 * ++k);
        if (k >= 60) {
          clearInterval(tick);
          resolve();
        }
      }, STEP);
    });
    await until('the last value of the ramp', () => t.station.live.get('Level')?.value === 10 + 0.01 * k, 30_000);
    // Then it holds, and moves once more.
    const heldFrom = Date.now();
    await until('a silence of several publishes', () => Date.now() - heldFrom >= HOLD, 30_000);
    resumed = last + Math.floor((Date.now() - last) / STEP) * STEP;
    set(resumed, 12);
    await until('the change after the silence', () => t.station.live.get('Level')?.value === 12, 30_000);
    await t.archive!.flush();
  }, 120_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores no held value before each change a publish brought: the plant moved meanwhile', () => {
    const moving = t.samples.filter((s) => s.tag === 'Level' && s.status === 0 && s.t >= t0 && s.t <= last);
    // One value per publish (the queue holds one), not one per sampling.
    expect(moving.length).toBeGreaterThanOrEqual(3);
    expect(moving.length).toBeLessThan(30);
    const rows = t.archive!.readRaw({ tags: 'Level', start: t0, end: last }).rows;
    expect(rows.filter((r) => (r.flags & Flag.Cyclic) !== 0)).toEqual([]);
    expect(rows.map((r) => [r.t, r.value])).toEqual(moving.map((s) => [s.t, s.value]));
  });

  it('still stores the held value before the change that ends a real silence, one publishing interval before it', () => {
    const rows = t.archive!.readRaw({ tags: 'Level', start: last, end: resumed }).rows;
    const held = rows.filter((r) => (r.flags & Flag.Cyclic) !== 0);
    expect(held.map((r) => r.t)).toEqual([resumed - PUBLISHING]);
    expect(held[0]!.value).toBe(rows[0]!.value);
    expect(rows.at(-1)).toMatchObject({ t: resumed, value: 12 });
  });
});
