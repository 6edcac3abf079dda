/**
 * A tag added to the config while the station is connected, whose type read (DataType, ValueRank,
 * AccessLevel: type-reader.ts) the server refuses for a moment (a busy server answering the Read
 * with BadTooManyOperations), against a real server: the Tags page says why the tag waits, the read
 * is asked again with a wait that doubles, and the tag is acquired on the same connection once the
 * server answers. Before, it waited for the next reconnection: days on a stable link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isSeq } from 'yaml';
import { AttributeIds, DataType, DataValue, ReadResponse, StatusCodes, type ReadRequest, type ReadValueId, type StatusCode } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { typeRetry } from './server-link.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const yaml = (endpoint: string) => `station: { name: N, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false, publishingIntervalMs: 100, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;
const flowType = (r: ReadValueId) => r.attributeId === AttributeIds.DataType && r.nodeId.toString() === 'ns=2;s=Flow';

describe('a tag added while connected whose type read the server refuses for a moment', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  /** The Read of Flow's DataType refused whole (the request's service result). */
  let failing: StatusCode | null = null;
  /** Flow's DataType answered with this status within a good Read response. */
  let failingNode: StatusCode | null = null;
  /** Read requests asking Flow's DataType that the server refused, whole or for that node. */
  let refused = 0;
  const saved = { ...typeRetry };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-type-read-retry-'));
    typeRetry.firstMs = 200;
    typeRetry.maxMs = 800;
    server = await startTestServer({
      role: 'type-read-retry', dir,
      build: (ns, as) => {
        const value = { dataType: DataType.Double, value: 7.5 };
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value });
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Flow', nodeId: 's=Flow', dataType: 'Double', value });
      },
    });
    type Handler = (message: { request: ReadRequest }, channel: unknown) => void;
    const engine = server.server as unknown as {
      _on_ReadRequest: Handler;
      _apply_on_SessionObject(response: typeof ReadResponse, message: unknown, channel: unknown, act: (session: unknown, send: unknown, sendError: (s: StatusCode) => void) => void): void;
    };
    const read = engine._on_ReadRequest.bind(engine);
    engine._on_ReadRequest = (message, channel) => {
      if (!(message.request.nodesToRead ?? []).some(flowType) || failing === null) return read(message, channel);
      refused++;
      const status = failing;
      engine._apply_on_SessionObject(ReadResponse, message, channel, (_session, _send, sendError) => sendError(status));
    };
    const engineOf = server.server.engine as unknown as { read(context: unknown, request: ReadRequest): Promise<DataValue[]> };
    const engineRead = engineOf.read.bind(engineOf);
    engineOf.read = async (context, request) => {
      const results = await engineRead(context, request);
      const status = failingNode;
      if (status === null) return results;
      return results.map((dv, i) => (flowType(request.nodesToRead![i]!) ? (refused++, new DataValue({ statusCode: status })) : dv));
    };
    t = await startTestStation({ dir: mkdtempSync(join(dir, 'added-')), yaml: yaml(server.endpoint) });
    await until('the station connected', () => t.station.live.get('Level')?.status === 0, 60_000);
  }, 120_000);

  afterAll(async () => {
    Object.assign(typeRetry, saved);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const source = async (tag: string) => {
    const res = await t.call('tags.sources', {}, 'engineer');
    return res.ok ? (res.result as TagSource[]).find((s) => s.tag === tag) : undefined;
  };

  it('says why the tag waits, asks again, and acquires it on the same connection once the server answers', async () => {
    failing = StatusCodes.BadTooManyOperations;
    t.station.config.edit((doc) => {
      const tags = doc.get('tags', true);
      if (!isSeq(tags)) throw new Error('no tags in the test config');
      const entry = doc.createNode({ name: 'Flow', server: 'plc', nodeId: 'ns=2;s=Flow', kind: 'analog', area: 'A' });
      if (isMap(entry)) entry.flow = true;
      tags.add(entry);
    });
    const waiting = await untilAsync('the Tags page saying the type read is asked again', async () => {
      const s = await source('Flow');
      return s?.issue?.key === 'acquisition.issue.typeUnread' ? s : null;
    }, 30_000);
    expect(waiting.issue?.params).toMatchObject({ status: 'BadTooManyOperations', nodeId: 'ns=2;s=Flow' });
    expect(waiting.status).toBe(StatusCodes.BadTooManyOperations.value);
    // Asked again while the server still refuses: each refusal is one more request, never a reconnection.
    const first = refused;
    await until('the type read asked again', () => refused > first, 30_000);
    expect(t.station.live.get('Flow')?.status).toBe(StatusCodes.BadTooManyOperations.value);

    failing = null;
    await until('Flow acquired', () => t.station.live.get('Flow')?.status === 0, 30_000);
    expect(t.station.live.get('Flow')?.value).toBe(7.5);
    await untilAsync('the Tags page clear for Flow', async () => (await source('Flow'))?.issue === null, 10_000);
    expect((await source('Flow'))?.builtIn).toBe('Double');
    // On the connection it had: subscribed once, never lost.
    expect(t.logs.filter((l) => l.msg === 'subscribed')).toHaveLength(1);
    expect(t.states.some((s) => s.state === 'lost')).toBe(false);
  }, 120_000);

  it('asks again for a type the server answered BadTimeout for that node at connection, the other tags acquired meanwhile', async () => {
    await t.stop();
    failingNode = StatusCodes.BadTimeout;
    refused = 0;
    t = await startTestStation({
      dir: mkdtempSync(join(dir, 'connect-')),
      yaml: yaml(server.endpoint) + '  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A }\n',
    });
    await until('Level acquired', () => t.station.live.get('Level')?.status === 0, 60_000);
    const waiting = await untilAsync('the Tags page saying the type read is asked again', async () => {
      const s = await source('Flow');
      return s?.issue?.key === 'acquisition.issue.typeUnread' ? s : null;
    }, 30_000);
    expect(waiting.issue?.params).toMatchObject({ status: 'BadTimeout', nodeId: 'ns=2;s=Flow' });
    const first = refused;
    await until('the type read asked again', () => refused > first, 30_000);

    failingNode = null;
    await until('Flow acquired', () => t.station.live.get('Flow')?.status === 0, 30_000);
    await untilAsync('the Tags page clear for Flow', async () => (await source('Flow'))?.issue === null, 10_000);
    expect(t.logs.filter((l) => l.msg === 'subscribed')).toHaveLength(1);
    expect(t.states.some((s) => s.state === 'lost')).toBe(false);
  }, 120_000);
});
