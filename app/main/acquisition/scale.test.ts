/**
 * 10,000 monitored items on one server whose operation limits force the
 * station to cut its requests (MaxMonitoredItemsPerCall 1000, MaxNodesPerRead
 * 1500: the server refuses a larger call with BadTooManyOperations); every
 * value the server publishes reaches the live cache and the historian, none
 * lost between publishes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMonitoredItemsRequest, DataType, ReadRequest, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const N = 10_000;
const ROUNDS = 3;
const value = (k: number, round: number) => k + round / 4;

describe('10,000 tags on one server', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const variables: UAVariable[] = [];
  const createCalls: number[] = [];
  const readCalls: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-scale-'));
    server = await startTestServer({
      role: 'scale', dir, maxMonitoredItemsPerCall: 1000, maxNodesPerRead: 1500,
      build: (ns, as) => {
        const folder = ns.addFolder(as.rootFolder.objects, { browseName: 'Load' });
        for (let k = 0; k < N; k++) {
          variables.push(ns.addVariable({
            organizedBy: folder, browseName: `V${k}`, nodeId: `i=${100_000 + k}`, dataType: 'Double', minimumSamplingInterval: 0,
            value: { dataType: DataType.Double, value: value(k, 0) },
          }));
        }
      },
    });
    server.server.on('request', (request: unknown) => {
      if (request instanceof CreateMonitoredItemsRequest) createCalls.push(request.itemsToCreate?.length ?? 0);
      if (request instanceof ReadRequest) readCalls.push(request.nodesToRead?.length ?? 0);
    });
    const tags = Array.from({ length: N }, (_, k) => `  - { name: V${k}, server: plc, nodeId: "ns=2;i=${100_000 + k}", kind: analog, area: A, group: fast }`).join('\n');
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Scale, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    staleAfterMs: 10000
    groups: [{ id: fast, samplingIntervalMs: 0, publishingIntervalMs: 100 }]
areas: [{ id: A, name: A }]
tags:
${tags}
`,
    });
    await until('every initial value', () => t.station.live.snapshot().every((v) => v.status === 0), 240_000);
  }, 480_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('created the monitored items within the server\'s limits', () => {
    expect(createCalls.reduce((a, b) => a + b, 0)).toBe(N);
    expect(Math.max(...createCalls)).toBeLessThanOrEqual(1000);
    expect(Math.max(...readCalls)).toBeLessThanOrEqual(1500);
  });

  it('delivers every value of every tag to the live cache and the historian, none lost', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const now = new Date();
      variables.forEach((v, k) => v.setValueFromSource({ dataType: DataType.Double, value: value(k, round) }, StatusCodes.Good, now));
      // Each round in the live cache before the next is set: every value had its own publish to travel in.
      await until(`round ${round} everywhere`, () => t.station.live.snapshot().every((v) => v.value === value(Number(v.tag.slice(1)), round)), 120_000);
    }
    const byTag = new Map<string, number[]>();
    for (const s of t.samples) if (s.status === 0) byTag.set(s.tag, [...(byTag.get(s.tag) ?? []), s.value as number]);
    let wrong = 0;
    for (let k = 0; k < N; k++) {
      const got = byTag.get(`V${k}`) ?? [];
      if (JSON.stringify(got) !== JSON.stringify(Array.from({ length: ROUNDS + 1 }, (_, r) => value(k, r)))) wrong++;
    }
    expect(wrong).toBe(0);
    await t.archive!.flush();
    const stats = await t.archive!.stats();
    expect(stats.length).toBe(N);
    expect(stats.every((s) => s.samplesReceived === ROUNDS + 1)).toBe(true);
  }, 300_000);
});
