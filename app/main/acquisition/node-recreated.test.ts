/**
 * A node the server deletes and makes again while the station stays connected (an online change of
 * TwinCAT or Kepware, a PLC download): the monitored item of a deleted node stays dead on the server
 * even when the node comes back, and a node missing at connection was refused for the connection's
 * life. Before, the archive kept the Bad value until a reconnection. Now the tag is asked for again
 * periodically (shortened here): Bad while the node is gone, on screen, in the archive and on the
 * Tags page; Good values again once it is back, without the connection ever being lost.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type Namespace, type UAVariable } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { reacquire } from './server-link.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const BadNodeIdInvalid = StatusCodes.BadNodeIdInvalid.value >>> 0;
const BadNodeIdUnknown = StatusCodes.BadNodeIdUnknown.value >>> 0;
const codeOf = (status: number) => (status & 0xffff0000) >>> 0;

let dir: string;
let server: TestServer | undefined;
let t: TestStation | undefined;
const everyMs = reacquire.everyMs;

beforeAll(() => {
  reacquire.everyMs = 300;
});
afterAll(() => {
  reacquire.everyMs = everyMs;
});
afterEach(async () => {
  await t?.stop();
  await server?.stop();
  t = undefined;
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const yaml = (endpoint: string) => `station: { name: Recreated, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false, publishingIntervalMs: 100, samplingIntervalMs: 50 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Valve, server: plc, nodeId: "ns=2;s=Valve", kind: analog, area: A }
`;

const addValve = (ns: Namespace, value: number): UAVariable =>
  ns.addVariable({
    organizedBy: ns.addressSpace.rootFolder.objects, browseName: 'Valve', nodeId: 's=Valve', dataType: 'Double', minimumSamplingInterval: 0,
    value: { dataType: DataType.Double, value },
  });

/** Waits until the station asked the server again for Valve n more times. */
async function askedAgain(station: TestStation, n: number): Promise<void> {
  const count = () => station.logs.filter((l) => l.msg === 'asking again for tags whose node the server did not know' && (l.tags as string[]).includes('Valve')).length;
  const before = count();
  await until(`Valve asked for again ${n} times`, () => count() >= before + n, 20_000);
}

async function sourceOf(station: TestStation, tag: string): Promise<TagSource | undefined> {
  return ((await station.call('tags.sources', {})) as { result: TagSource[] }).result.find((s) => s.tag === tag);
}

describe('a node deleted and made again on the same server', () => {
  it('deleted while monitored: Bad while gone (the Tags page says why), Good values again once it is back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-recreated-'));
    let valve: UAVariable | null = null;
    server = await startTestServer({
      role: 'recreated', dir,
      build: (ns, as) => {
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 1 } });
        valve = addValve(ns, 10);
      },
    });
    const s = server;
    t = await startTestStation({ dir, yaml: yaml(s.endpoint) });
    const st = t;
    await until('Valve good', () => st.station.live.get('Valve')?.status === 0 && st.station.live.get('Valve')?.value === 10, 30_000);

    s.addressSpace.deleteNode(valve!);
    await until('Valve bad: its node is gone', () => codeOf(st.station.live.get('Valve')?.status ?? 0) === BadNodeIdInvalid, 20_000);
    const gone = await untilAsync('the Tags page saying why', async () => {
      const src = await sourceOf(st, 'Valve');
      return src && src.status !== 0 ? src : null;
    }, 20_000);
    expect(codeOf(gone.status)).toBe(BadNodeIdInvalid);
    expect(gone.issue).toEqual({ key: 'acquisition.issue.serverRefused', params: { status: 'BadNodeIdInvalid', nodeId: 'ns=2;s=Valve' } });
    // Asked for again several times while gone: still Bad, the Tags page still says why.
    await askedAgain(st, 3);
    expect(codeOf(st.station.live.get('Valve')!.status)).toBe(BadNodeIdInvalid);
    expect(codeOf((await sourceOf(st, 'Valve'))!.status)).toBe(BadNodeIdInvalid);

    valve = addValve(s.ns, 20);
    await until('Valve good again with the new node\'s value', () => st.station.live.get('Valve')?.status === 0 && st.station.live.get('Valve')?.value === 20, 20_000);
    valve.setValueFromSource({ dataType: DataType.Double, value: 21 }, StatusCodes.Good, new Date());
    await until('later changes flow', () => st.station.live.get('Valve')?.value === 21, 20_000);
    await untilAsync('the Tags page clear', async () => (await sourceOf(st, 'Valve'))?.status === 0, 20_000);
    expect((await sourceOf(st, 'Valve'))?.issue).toBeNull();

    const valveSamples = st.samples.filter((x) => x.tag === 'Valve');
    const bad = valveSamples.findIndex((x) => codeOf(x.status) === BadNodeIdInvalid);
    const backAt = valveSamples.findIndex((x) => x.value === 20);
    expect(bad).toBeGreaterThan(0);
    expect(backAt).toBeGreaterThan(bad);
    // Bad from the deletion until the node's first value: nothing Good in between.
    expect(valveSamples.slice(bad, backAt).filter((x) => x.status === 0)).toEqual([]);
    expect(valveSamples.slice(backAt).map((x) => [x.value, x.status])).toEqual([[20, 0], [21, 0]]);
    for (let i = 1; i < valveSamples.length; i++) expect(valveSamples[i]!.t).toBeGreaterThan(valveSamples[i - 1]!.t);
    expect(st.states.filter((x) => x.state === 'lost')).toEqual([]);
    expect(st.logs.filter((l) => l.msg === 'server lost' || l.msg === 'connection failed')).toEqual([]);
  }, 90_000);

  it('missing at connection: refused once, acquired when the node is made', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-recreated-'));
    server = await startTestServer({
      role: 'recreated', dir,
      build: (ns, as) => {
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 1 } });
      },
    });
    const s = server;
    t = await startTestStation({ dir, yaml: yaml(s.endpoint) });
    const st = t;
    await until('Level good', () => st.station.live.get('Level')?.status === 0, 30_000);
    await until('Valve refused', () => codeOf(st.station.live.get('Valve')?.status ?? 0) === BadNodeIdUnknown, 20_000);
    expect(codeOf((await sourceOf(st, 'Valve'))!.status)).toBe(BadNodeIdUnknown);
    // Asked for again several times while missing: the refusal is not said (logged, archived) again.
    await askedAgain(st, 3);
    expect(st.logs.filter((l) => l.msg === 'tag not acquired' && l.tag === 'Valve')).toHaveLength(1);
    expect(st.samples.filter((x) => x.tag === 'Valve')).toHaveLength(1);

    addValve(s.ns, 30);
    await until('Valve good with the node\'s value', () => st.station.live.get('Valve')?.status === 0 && st.station.live.get('Valve')?.value === 30, 20_000);
    await untilAsync('the Tags page clear', async () => (await sourceOf(st, 'Valve'))?.status === 0, 20_000);
    const src = await sourceOf(st, 'Valve');
    expect(src?.issue).toBeNull();
    expect(src?.dataType).toBe('Double');
    expect(st.states.filter((x) => x.state === 'lost')).toEqual([]);
  }, 90_000);
});
