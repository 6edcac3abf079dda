/**
 * A value comes with SemanticsChanged (an online change renamed an enumeration's states) while the
 * server refuses the station's type read for a moment (BadTooManyOperations from a busy server),
 * against a real server: the names are read again once it answers, on the same connection. Before,
 * the console went on naming the values by the old states (0 "Off" where the server's 0 is now
 * "Manual") until the next SemanticsChanged or reconnection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeIds, DataType, LocalizedText, ReadResponse, StatusCode, StatusCodes, VariantArrayType,
  type ReadRequest, type UAVariable,
} from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { typeRetry } from './server-link.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const yaml = (endpoint: string) => `station: { name: N, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false, publishingIntervalMs: 100, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Mode, server: plc, nodeId: "ns=2;s=Mode", kind: discrete, area: A }
`;

describe('an enumeration\'s names read again after SemanticsChanged while the server refuses the read a moment', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let mode: UAVariable;
  let enumStrings: UAVariable;
  let failing = false;
  /** Read requests asking Mode's DataType that the server refused. */
  let refused = 0;
  const saved = { ...typeRetry };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-states-reread-'));
    typeRetry.firstMs = 200;
    typeRetry.maxMs = 800;
    server = await startTestServer({
      role: 'states-reread', dir,
      build: (ns, as) => {
        const type = ns.addEnumerationType({ browseName: 'OperatingMode', nodeId: 's=OperatingMode', enumeration: ['Off', 'Auto', 'Manual'] });
        enumStrings = type.getChildByName('EnumStrings') as UAVariable;
        mode = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Mode', nodeId: 's=Mode', dataType: type, value: { dataType: DataType.Int32, value: 1 } });
      },
    });
    type Handler = (message: { request: ReadRequest }, channel: unknown) => void;
    const engine = server.server as unknown as {
      _on_ReadRequest: Handler;
      _apply_on_SessionObject(response: typeof ReadResponse, message: unknown, channel: unknown, act: (session: unknown, send: unknown, sendError: (s: StatusCode) => void) => void): void;
    };
    const read = engine._on_ReadRequest.bind(engine);
    engine._on_ReadRequest = (message, channel) => {
      const modeType = (message.request.nodesToRead ?? []).some((r) => r.attributeId === AttributeIds.DataType && r.nodeId.toString() === 'ns=2;s=Mode');
      if (!modeType || !failing) return read(message, channel);
      refused++;
      engine._apply_on_SessionObject(ReadResponse, message, channel, (_session, _send, sendError) => sendError(StatusCodes.BadTooManyOperations));
    };
    t = await startTestStation({ dir, yaml: yaml(server.endpoint) });
    await until('Mode acquired', () => t.station.live.get('Mode')?.status === 0, 60_000);
  }, 120_000);

  afterAll(async () => {
    Object.assign(typeRetry, saved);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const statesOf = async () => {
    const res = await t.call('tags.sources', {}, 'engineer');
    return res.ok ? ((res.result as TagSource[]).find((s) => s.tag === 'Mode')?.states ?? null) : null;
  };

  it('reads the new names once the server answers, without a reconnection', async () => {
    expect(await statesOf()).toEqual([{ value: 0, name: 'Off' }, { value: 1, name: 'Auto' }, { value: 2, name: 'Manual' }]);
    failing = true;
    // The server renames its states (0 is now Manual) and says so with the value's SemanticsChanged bit (Part 4 §7.39.1).
    enumStrings.setValueFromSource({ dataType: DataType.LocalizedText, arrayType: VariantArrayType.Array, value: ['Manual', 'Off', 'Auto'].map((text) => new LocalizedText({ text })) });
    mode.setValueFromSource({ dataType: DataType.Int32, value: 0 }, StatusCode.makeStatusCode(StatusCodes.Good, 'SemanticChanged'));
    // Refused once, then asked again while the server still refuses.
    await until('the names\' read refused', () => refused >= 1, 30_000);
    await until('the names\' read asked again', () => refused >= 2, 30_000);
    failing = false;
    const states = await untilAsync('the new names on the Tags page', async () => {
      const s = await statesOf();
      return s?.[0]?.name === 'Manual' ? s : null;
    }, 30_000);
    expect(states).toEqual([{ value: 0, name: 'Manual' }, { value: 1, name: 'Off' }, { value: 2, name: 'Auto' }]);
    expect(t.logs.filter((l) => l.msg === 'subscribed')).toHaveLength(1);
  }, 120_000);
});
