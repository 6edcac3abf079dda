/**
 * Servers written elsewhere send what their variable's attributes did not promise: an array from a
 * variable whose ValueRank says scalar, or, after an online change, values of another DataType than
 * the one read at connection (Double to Float: still a number; Double to String: not a level). A
 * value that does not fit its tag is BadTypeMismatch without a value (the CONFIG badge), never
 * archived good; before, nothing said why (the type check had passed, the Tags page showed nothing,
 * the log neither). Now the log says it once per tag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, StatusCodes, VariantArrayType, resolveNodeId, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

/** From node-opcua's table (Part 6 StatusCode.csv), not from the station's. */
const BadTypeMismatch = StatusCodes.BadTypeMismatch.value >>> 0;

describe('values that do not fit the variable\'s attributes', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let n = 0;
  /** What Reading's variable now holds after the online change (null: still Double). */
  let changedTo: DataType.Float | DataType.String | null = null;
  let reading!: UAVariable;
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-misfit-'));
    server = await startTestServer({
      role: 'misfit', dir,
      build: (ns, as) => {
        // ValueRank -1 (scalar), but the gateway publishes its two channels as one array.
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 })
          .bindVariable({
            timestamped_get: () => new DataValue({
              value: { dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [n, n + 1] }, statusCode: StatusCodes.Good, sourceTimestamp: new Date(), serverTimestamp: new Date(),
            }),
          }, true);
        reading = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Reading', nodeId: 's=Reading', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    ticker = setInterval(() => {
      n++;
      const value = changedTo === DataType.String ? `${n} m` : n + 0.5;
      reading.setValueFromSource({ dataType: changedTo ?? DataType.Double, value }, StatusCodes.Good, new Date());
    }, 200);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Misfit, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 100, publishingIntervalMs: 200, backfill: false }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Reading, server: plc, nodeId: "ns=2;s=Reading", kind: analog, area: A }
`,
    });
    await until('Level values', () => t.samples.filter((s) => s.tag === 'Level').length >= 3);
    await until('Reading good', () => t.samples.some((s) => s.tag === 'Reading' && s.status === 0));
  }, 60_000);

  /** The online change: the variable's DataType attribute (node-opcua caches its built-in type: forgotten). */
  const retype = (to: DataType.Float | DataType.String) => {
    Object.assign(reading as unknown as object, { dataType: resolveNodeId(DataType[to]), _basicDataType: undefined });
    changedTo = to;
  };

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const misfits = (tag: string) => t.logs.filter((l) => l.tag === tag && String(l.msg).startsWith('the server sent'));

  it('takes an array from a scalar variable for BadTypeMismatch, never good, and says so once in the log', async () => {
    await until('more Level values', () => t.samples.filter((s) => s.tag === 'Level').length >= 6);
    const level = t.samples.filter((s) => s.tag === 'Level');
    expect(level.every((s) => s.status === BadTypeMismatch && s.value === null), JSON.stringify(level.slice(0, 2))).toBe(true);
    await t.archive!.flush();
    expect(t.archive!.readRaw({ tags: 'Level', start: 0, end: Date.now() + 60_000 }).rows.filter((r) => r.status >>> 30 === 0)).toEqual([]);
    expect(misfits('Level')).toHaveLength(1);
    expect(misfits('Level')[0]).toMatchObject({ server: 'plc', kind: 'analog', valueType: 'Double', array: true });
  });

  it('keeps a variable changed online from Double to Float good: still a number', async () => {
    retype(DataType.Float);
    const since = Date.now();
    await until('Float values', () => t.samples.filter((s) => s.tag === 'Reading' && s.at > since + 300).length >= 3);
    const after = t.samples.filter((s) => s.tag === 'Reading' && s.at > since + 300);
    expect(after.every((s) => s.status === 0 && typeof s.value === 'number' && Math.abs(s.value - Math.round(s.value - 0.5) - 0.5) < 1e-6), JSON.stringify(after.slice(0, 2))).toBe(true);
    expect(misfits('Reading')).toEqual([]);
  });

  it('takes the values of a variable changed online to String for BadTypeMismatch, and says so once', async () => {
    retype(DataType.String);
    const since = Date.now();
    await until('String values', () => t.samples.filter((s) => s.tag === 'Reading' && s.at > since + 300).length >= 3);
    const after = t.samples.filter((s) => s.tag === 'Reading' && s.at > since + 300);
    expect(after.every((s) => s.status === BadTypeMismatch && s.value === null), JSON.stringify(after.slice(0, 2))).toBe(true);
    expect(t.station.live.get('Reading')!.status >>> 0).toBe(BadTypeMismatch);
    expect(misfits('Reading')).toHaveLength(1);
    expect(misfits('Reading')[0]).toMatchObject({ valueType: 'String', array: false });
  });
});
