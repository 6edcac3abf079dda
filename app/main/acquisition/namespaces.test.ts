/**
 * A server restarted with its namespaces registered in the other order
 * (urn:vendor:tanks and urn:vendor:flare swap indexes 3 and 4, each with a
 * Double at i=1001). A tag by namespace URI (nsu=) follows its URI; a tag by
 * index is refused once its index names another URI than when it was first
 * acquired, never archived from the other namespace as Good, and that memory
 * outlives a station restart; the engineer's way out (tags.followNamespace)
 * rewrites it by the URI it was first acquired under. Browse hands out nsu= ids, so a tag added from
 * the browser survives the swap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, PublishResponse, StatusCodes, type AddressSpace } from 'node-opcua';
import type { BrowseNode, NodeDetail, TagSource } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const code = (name: keyof typeof StatusCodes) => (StatusCodes[name] as { value: number }).value >>> 0;
const TANKS = 'urn:vendor:tanks';
const FLARE = 'urn:vendor:flare';
const VALUE: Record<string, number> = { [TANKS]: 42, [FLARE]: 999 };

function vendorNamespaces(order: string[]) {
  return (_ns: unknown, as: AddressSpace) => {
    for (const uri of order) {
      const ns = as.registerNamespace(uri);
      const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: uri === TANKS ? 'TK101.Level' : 'Flare.Pressure', nodeId: 'i=1001', dataType: 'Double' });
      v.setValueFromSource({ dataType: DataType.Double, value: VALUE[uri] }, StatusCodes.Good, new Date());
    }
  };
}

const yaml = (endpoint: string) => `station: { name: N, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false, publishingIntervalMs: 100, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Tanks.ByIndex, server: plc, nodeId: "ns=3;i=1001", kind: analog, area: A }
  - { name: Tanks.ByUri, server: plc, nodeId: "nsu=${TANKS};i=1001", kind: analog, area: A }
  - { name: Flare.ByUri, server: plc, nodeId: "nsu=${FLARE};i=1001", kind: analog, area: A }
  - { name: Nowhere, server: plc, nodeId: "nsu=urn:vendor:nowhere;i=1001", kind: analog, area: A }
`;

describe('a server that renumbers its namespaces on restart', () => {
  let dir: string;
  let server: TestServer;
  let port: number;
  let t: TestStation;
  const live = (tag: string) => t.station.live.get(tag);
  const sources = async () => new Map(((await t.call('tags.sources', {})) as { result: TagSource[] }).result.map((s) => [s.tag, s]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-nsorder-'));
    server = await startTestServer({ role: 'nsorder', dir, build: vendorNamespaces([TANKS, FLARE]) });
    port = server.port;
    t = await startTestStation({ dir, yaml: yaml(server.endpoint) });
    await until('first values', () => live('Tanks.ByIndex')?.status === 0);
    await until('every tag settled', () => ['Tanks.ByUri', 'Flare.ByUri', 'Nowhere'].every((n) => live(n)?.status !== code('BadWaitingForInitialData')));
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a nsu= tag at the index its URI has now, and refuses a URI the server lacks', async () => {
    expect(live('Tanks.ByIndex')?.value).toBe(42);
    expect(live('Tanks.ByUri')?.value).toBe(42);
    expect(live('Flare.ByUri')?.value).toBe(999);
    await until('Nowhere refused', () => live('Nowhere')?.status === code('BadNodeIdUnknown'));
    expect((await sources()).get('Nowhere')).toMatchObject({
      status: code('BadNodeIdUnknown'), issue: { key: 'acquisition.issue.namespaceUnknown', params: { uri: 'urn:vendor:nowhere' } },
    });
    expect(t.logs.find((l) => l.msg === 'tag not acquired' && l.tag === 'Nowhere')?.reason).toContain('urn:vendor:nowhere');
  });

  it('browses with nsu= node ids; a tag added from one is written by URI and acquired', async () => {
    const roots = ((await t.call('browse.children', { server: 'plc' }, null)) as { result: BrowseNode[] }).result;
    const level = roots.find((n) => n.displayName === 'TK101.Level');
    expect(level?.nodeId).toBe(`nsu=${TANKS};i=1001`);
    // Namespace 0 keeps its plain form.
    expect(roots.find((n) => n.displayName === 'Server')?.nodeId).toBe('ns=0;i=2253');
    const detail = ((await t.call('browse.node', { server: 'plc', nodeId: level!.nodeId }, null)) as { result: NodeDetail }).result;
    expect(detail).toMatchObject({ nodeId: `nsu=${TANKS};i=1001`, value: 42, suggestedKind: 'analog' });
    expect(detail.tags.sort()).toEqual(['Tanks.ByIndex', 'Tanks.ByUri']);
    // An index-form id asked for is described, and added, by its URI.
    const byIndex = ((await t.call('browse.node', { server: 'plc', nodeId: 'ns=4;i=1001' }, null)) as { result: NodeDetail }).result;
    expect(byIndex.nodeId).toBe(`nsu=${FLARE};i=1001`);

    const added = await t.call('tags.add', { tags: [{ server: 'plc', nodeId: level!.nodeId, name: 'Tanks.Added', kind: 'analog', area: 'A' }] }, 'engineer');
    expect(added).toEqual({ ok: true, result: { added: ['Tanks.Added'] } });
    expect(readFileSync(t.configFile, 'utf8')).toMatch(/name: Tanks\.Added\n\s+server: plc\n\s+nodeId: nsu=urn:vendor:tanks;i=1001\n/);
    await until('the added tag acquired', () => live('Tanks.Added')?.status === 0);
    expect(live('Tanks.Added')?.value).toBe(42);
  });

  /** Connected again, and the index tag past its loss marker (acquired or refused). */
  const reconnected = async () => {
    await until('reconnected', () => t.station.acquisition.states()[0]?.state === 'connected', 30_000);
    await until('the index tag settled', () => ![code('BadNoCommunication'), code('BadWaitingForInitialData')].includes(live('Tanks.ByIndex')?.status ?? 0), 5_000);
    // A keep-alive of the new session since: the server had nothing more to deliver, for the index tag either.
    let keepAlive = false;
    const count = (r: unknown) => void (r instanceof PublishResponse && (r.notificationMessage?.notificationData ?? []).length === 0 && (keepAlive = true));
    server.server.on('response', count);
    await until('a keep-alive after the reconnection', () => keepAlive, 30_000);
    server.server.off('response', count);
  };

  it('after the restart: nsu= tags follow their URI, the index tag is refused and nothing from the other namespace is archived as Good', async () => {
    await server.stop();
    await until('the loss', () => live('Tanks.ByIndex')?.status === code('BadNoCommunication'), 20_000);
    const lostAt = Date.now();
    server = await startTestServer({ role: 'nsorder', dir, port, build: vendorNamespaces([FLARE, TANKS]) });
    await reconnected();

    const after = (tag: string) => t.samples.filter((s) => s.tag === tag && s.at >= lostAt);
    expect(after('Tanks.ByIndex').filter((s) => s.status === 0 || s.value !== null)).toEqual([]);
    expect(t.samples.some((s) => s.tag === 'Tanks.ByIndex' && s.value === 999)).toBe(false);
    expect(live('Tanks.ByIndex')?.status).toBe(code('BadConfigurationError'));
    expect((await sources()).get('Tanks.ByIndex')).toMatchObject({
      status: code('BadConfigurationError'),
      issue: { key: 'acquisition.issue.namespaceMoved', params: { nodeId: 'ns=3;i=1001', index: 3, was: TANKS, now: FLARE } },
    });
    const logged = t.logs.find((l) => l.msg === 'tag not acquired' && l.tag === 'Tanks.ByIndex');
    expect(logged?.reason).toMatch(/ns=3;i=1001 was urn:vendor:tanks .* is now urn:vendor:flare/);

    await until('the nsu= tags back', () => ['Tanks.ByUri', 'Tanks.Added', 'Flare.ByUri'].every((n) => live(n)?.status === 0), 5_000);
    expect(live('Tanks.ByUri')?.value).toBe(42);
    expect(live('Tanks.Added')?.value).toBe(42);
    expect(live('Flare.ByUri')?.value).toBe(999);
    expect(after('Tanks.ByUri').filter((s) => s.value !== null).map((s) => s.value)).toEqual([42]);
  });

  it('still refuses the index tag after a station restart: the first URI is kept on disk', async () => {
    const dataDir = t.dataDir;
    const configured = readFileSync(t.configFile, 'utf8');
    await t.stop();
    t = await startTestStation({ dir, dataDir, yaml: configured });
    await reconnected();
    expect(t.samples.filter((s) => s.tag === 'Tanks.ByIndex' && s.value !== null)).toEqual([]);
    expect(live('Tanks.ByIndex')?.status).toBe(code('BadConfigurationError'));
  });

  it('follows the first URI when the engineer asks: the node id is rewritten as nsu= and the tag is read from its own namespace again', async () => {
    // A tag by URI has nothing to follow; an operator may not change the config.
    expect(await t.call('tags.followNamespace', { tag: 'Tanks.ByUri' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await t.call('tags.followNamespace', { tag: 'Tanks.ByIndex' }, 'operator')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.call('tags.followNamespace', { tag: 'Tanks.ByIndex' })).toEqual({ ok: true, result: { tag: 'Tanks.ByIndex', nodeId: `nsu=${TANKS};i=1001` } });
    expect(readFileSync(t.configFile, 'utf8')).toMatch(/name: Tanks\.ByIndex, server: plc, nodeId: "?nsu=urn:vendor:tanks;i=1001"?,/);
    await until('the tag read again', () => live('Tanks.ByIndex')?.status === 0, 10_000);
    expect(live('Tanks.ByIndex')?.value).toBe(VALUE[TANKS]);
    expect((await sources()).get('Tanks.ByIndex')).toMatchObject({ status: 0, issue: null });
  });
});
