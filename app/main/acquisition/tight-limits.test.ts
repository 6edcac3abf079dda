/**
 * Small servers (embedded, PLC firmware) allow a few nodes per Read. The station learns
 * MaxNodesPerRead alone first, then keeps every read within it (the other limits, the type check);
 * a server that refuses a read as too large without saying its limit is asked again in smaller parts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, ReadRequest } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

describe('a server with a small MaxNodesPerRead', () => {
  let dir: string;
  let server: TestServer | undefined;
  let t: TestStation | undefined;

  afterEach(async () => {
    await t?.stop();
    await server?.stop();
    t = undefined;
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A server with tags A and B, allowing maxNodesPerRead per Read; advertised only when `advertised`. */
  const acquire = async (maxNodesPerRead: number, advertised: boolean) => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-limits-'));
    server = await startTestServer({
      role: 'limits', dir, maxNodesPerRead: advertised ? maxNodesPerRead : 0, maxMonitoredItemsPerCall: 1,
      build: (ns, as) => {
        for (const n of ['A', 'B']) {
          ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 1 } });
        }
      },
    });
    // Enforced all the same (node-opcua leaves the limit's node out when it is 0).
    server.server.engine.serverCapabilities.operationLimits.maxNodesPerRead = maxNodesPerRead;
    const reads: number[] = [];
    server.server.on('request', (r: unknown) => {
      if (r instanceof ReadRequest) reads.push(r.nodesToRead?.length ?? 0);
    });
    t = await startTestStation({
      dir,
      yaml: `station: { name: Limits, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false }
areas: [{ id: X, name: X }]
tags:
  - { name: A, server: plc, nodeId: "ns=2;s=A", kind: analog, area: X }
  - { name: B, server: plc, nodeId: "ns=2;s=B", kind: analog, area: X }
`,
    });
    const station = t;
    await until('both tags acquired', () => station.station.live.get('A')?.status === 0 && station.station.live.get('B')?.status === 0, 20_000);
    const sources = ((await station.call('tags.sources', {})) as { result: TagSource[] }).result;
    expect(sources.map((s) => s.builtIn)).toEqual(['Double', 'Double']);
    return { reads, station };
  };

  it.each([1, 2, 5])('acquires its tags with MaxNodesPerRead %i, every read within it', async (max) => {
    const { reads, station } = await acquire(max, true);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((n) => n > max)).toEqual([]);
    expect(station.states.at(-1)?.state).toBe('connected');
  });

  it('acquires its tags from a server that refuses larger reads (BadTooManyOperations) without advertising its limit', async () => {
    const { reads } = await acquire(2, false);
    // Some reads were refused, and asked again in parts the server took.
    expect(reads.some((n) => n > 2)).toBe(true);
    expect(t!.logs.filter((l) => l.msg === 'connection failed')).toEqual([]);
  });
});
