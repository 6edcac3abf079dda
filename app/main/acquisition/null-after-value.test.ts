/**
 * A server written elsewhere that answers a variable's loss of value (a gateway whose field device
 * dropped) with a Variant of type Null and a Good status, after real values. Before, the station took
 * it for a variable awaiting its first write (BadWaitingForInitialData: "WAIT", no live data to the
 * alarm engine), so the tag's alarms held silent and its quality alarm was not raised while its
 * server, connected, raised no communication alarm either. A variable that never had a value still
 * waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, StatusCodes } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

/** From node-opcua's table (Part 6 StatusCode.csv), not from the station's. */
const Bad = StatusCodes.Bad.value >>> 0;
const BadWaitingForInitialData = StatusCodes.BadWaitingForInitialData.value >>> 0;
/** The code without its info bits (the archive keeps its own there). */
const codeOf = (s: number) => (s & 0xffff0000) >>> 0;

describe('a Null value with a Good status after real values', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  /** What the gateway has for Level: a number, or nothing (its device dropped). */
  let level: number | null = 7.5;
  let droppedAt = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-null-after-'));
    server = await startTestServer({
      role: 'null-after', dir,
      build: (ns, as) => {
        const at = new Date();
        const gateway = (name: string, get: () => number | null) => ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0 })
          .bindVariable({
            timestamped_get: () => {
              const v = get();
              return new DataValue({ value: v === null ? { dataType: DataType.Null } : { dataType: DataType.Double, value: v }, statusCode: StatusCodes.Good, sourceTimestamp: v === null ? new Date() : at, serverTimestamp: new Date() });
            },
          }, true);
        gateway('Level', () => level);
        // Never written since the server started: waiting, as before.
        gateway('Spare', () => null);
      },
    });
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: NullAfter, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 100, publishingIntervalMs: 200, backfill: false }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Spare, server: plc, nodeId: "ns=2;s=Spare", kind: analog, area: A }
`,
    });
    await until('Level good', () => t.samples.some((s) => s.tag === 'Level' && s.status === 0 && s.value === 7.5));
    droppedAt = Date.now();
    level = null;
    await until('Level without a value', () => t.samples.some((s) => s.tag === 'Level' && s.at >= droppedAt && s.value === null));
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks it Bad (its quality alarm raised), not waiting for initial data, live and on screen', () => {
    const gone = t.samples.filter((s) => s.tag === 'Level' && s.at >= droppedAt && s.value === null);
    expect(gone.map((s) => s.status >>> 0)).toEqual(gone.map(() => Bad));
    const live = t.station.live.get('Level')!;
    expect(live.value).toBeNull();
    expect(live.status >>> 0).toBe(Bad);
  });

  it('archives it Bad', async () => {
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: droppedAt - 60_000, end: Date.now() + 60_000 }).rows;
    const last = rows.at(-1)!;
    // An analog row without a value holds NaN.
    expect(last.value === null || Number.isNaN(last.value)).toBe(true);
    expect(codeOf(last.status)).toBe(Bad);
  });

  it('still takes a variable that never had a value for waiting', () => {
    const spare = t.samples.filter((s) => s.tag === 'Spare');
    expect(spare.length).toBeGreaterThan(0);
    expect(spare.every((s) => s.value === null && s.status >>> 0 === BadWaitingForInitialData)).toBe(true);
  });
});
