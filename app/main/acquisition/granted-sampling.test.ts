/**
 * A server that samples slower than the tag asks (its node's MinimumSamplingInterval, as a PLC's
 * scan or a gateway's poll): the tag asks 50 ms, the server grants 300 ms and sends a changing
 * value every 300 ms. Before, the archive took each 300 ms step for a silence of more than two of
 * the configured 50 ms cycles and stored a cyclic record (the old value held) 50 ms before nearly
 * every change: a staircase a reload drew where the plant moved, and twice the points. The cyclic
 * record now goes by the granted interval: none between samples that came at every granted
 * sampling, one 300 ms before a change that followed a real silence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { Flag } from '../../../historian/types.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const ASKED = 50;
const GRANTED = 300;
/** The plant's values are stamped on a 300 ms grid: the gaps the archive sees are exact. */
const STEP = GRANTED;
/** How long the value then holds before its next change: a real silence. */
const HOLD = 3000;

describe('a server that grants a slower sampling interval than the tag asks', () => {
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
    dir = mkdtempSync(join(tmpdir(), 'vigil-granted-'));
    server = await startTestServer({
      role: 'granted', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: GRANTED });
      },
    });
    set(Date.now() - 60_000, 10);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Granted, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false, samplingIntervalMs: ${ASKED}, publishingIntervalMs: 500, staleAfterMs: 30000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    const granted = () => t.station.acquisition.sources().find((s) => s.tag === 'Level')?.sampling?.samplingIntervalMs;
    await until('the server\'s grant', () => granted() === GRANTED, 30_000);
    await until('the first value', () => t.station.live.get('Level')?.status === 0, 30_000);
    // A value that moves at every granted sampling, stamped on the 300 ms grid (a timer's drift moves no stamp), for 6 s.
    t0 = Math.ceil(Date.now() / STEP) * STEP;
    let k = 0;
    await new Promise<void>((resolve) => {
      tick = setInterval(() => {
        last = t0 + k * STEP;
        set(last, 10 + 0.01 * ++k);
        if (k >= 20) {
          clearInterval(tick);
          resolve();
        }
      }, STEP);
    });
    // Then it holds, and moves once more.
    await new Promise((r) => setTimeout(r, HOLD));
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

  it('archives the moving value sample for sample, with no hold record between granted samplings', () => {
    const rows = t.archive!.readRaw({ tags: 'Level', start: t0, end: last }).rows;
    const moving = t.samples.filter((s) => s.tag === 'Level' && s.status === 0 && s.t >= t0 && s.t <= last);
    expect(moving.length).toBeGreaterThanOrEqual(10);
    // Every gap is one or two granted intervals (a sampling may miss a change): none is a silence.
    for (let i = 1; i < moving.length; i++) expect(moving[i]!.t - moving[i - 1]!.t).toBeLessThanOrEqual(2 * GRANTED);
    expect(rows.filter((r) => (r.flags & Flag.Cyclic) !== 0)).toEqual([]);
    expect(rows.map((r) => [r.t, r.value])).toEqual(moving.map((s) => [s.t, s.value]));
  });

  it('stores the held value one granted interval before the change that ends a silence', () => {
    const rows = t.archive!.readRaw({ tags: 'Level', start: last, end: resumed }).rows;
    const held = rows.filter((r) => (r.flags & Flag.Cyclic) !== 0);
    expect(held.map((r) => r.t)).toEqual([resumed - GRANTED]);
    expect(held[0]!.value).toBe(rows[0]!.value);
    expect(rows.at(-1)).toMatchObject({ t: resumed, value: 12 });
  });
});
