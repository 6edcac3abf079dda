/**
 * The seam of history and live on a reload (data.ts): the tag's newest value that the archive does
 * not hold yet (held in its compressor within the deadband) joins them, so a value that held from it
 * draws flat up to the next sample and then moves, as the archive keeps it once that sample came.
 * A real archive, read through the station's history service (the console API's history.plot, over
 * JSON); the expectation is the same archive read raw after the next sample.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import { Good } from '../../../../historian/status.js';
import { tagConfig, tempDir } from '../../../../historian/store/testing.js';
import type { LiveValue } from '../../../shared/api.js';
import { historyApi } from '../../../main/trends/testing/history-api.js';
import { TrendData } from './data.js';
import { heldRule } from './held.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TAG = 'Area1.TK101.Level';
const T0 = Date.UTC(2026, 11, 6, 4, 18, 38);
/**
 * The server granted 1 s for the configured 500 ms: the archive's compressor goes by the grant (the
 * station hands it on, historian grantSampling), the console by the same grant and the configured
 * cycle that comes with the history's versions.
 */
const held = (_tag: string, archiveCycleMs: number) => heldRule({ samplingIntervalMs: 1000, queueSize: 1, perPublish: 1 }, archiveCycleMs);

/**
 * 15.0 and 15.5 archived, then 15.52 at T0 + 1000 that the archive does not show yet: with no
 * compression not committed (no flush since), with a 0.1 m deadband held in the compressor.
 */
function plant(compression: 'deadband' | 'swinging-door') {
  const tmp = tempDir('vigil-seam-');
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0 });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig(TAG, { unit: 'm', compression: { kind: compression, deviation: 0.1 }, cycleMs: 500 }), T0 - 1000);
  h.grantSampling(TAG, 1000);
  h.append(TAG, [{ t: T0, value: 15.0, status: Good }, { t: T0 + 500, value: 15.5, status: Good }]);
  h.flush();
  h.append(TAG, [{ t: T0 + 1000, value: 15.52, status: Good }]);
  h.flush();
  const api = historyApi(h);
  const rows = () => h.readRaw({ tags: TAG, start: T0 - 60_000, end: T0 + 600_000 }).rows.map((r): [number, number] => [r.t, r.value as number]);
  return { h, api, rows };
}

function points(data: TrendData, from: number): [number, number][] {
  const tr = data.pens.get(TAG)!.trace;
  const out: [number, number][] = [];
  for (let i = 0; i < tr.n; i++) if (tr.t[i]! >= from) out.push([tr.t[i]!, tr.v[i]!]);
  return out;
}

/** The line's value at t: linear between the points around it (as paths.ts draws a linear pen). */
function lineAt(pts: readonly [number, number][], t: number): number {
  const i = pts.findIndex(([ti]) => ti >= t);
  if (pts[i]![0] === t) return pts[i]![1];
  const [t0, v0] = pts[i - 1]!, [t1, v1] = pts[i]!;
  return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}

describe('a reload while the tag\'s newest value is not the archive\'s last point', () => {
  const newest: LiveValue = { tag: TAG, t: T0 + 1000, value: 15.52, status: Good };
  const next = T0 + 268_000; // 13.3, four and a half minutes later: the value held meanwhile

  async function reloadThenNext(api: ConstructorParameters<typeof TrendData>[0], ctx: ConstructorParameters<typeof TrendData>[1]): Promise<TrendData> {
    const data = new TrendData(api, ctx);
    expect(await data.load([TAG], T0 - 60_000, next + 60_000, 1000)).toBe(true);
    data.append([{ tag: TAG, t: next, value: 13.3, status: Good }]);
    return data;
  }

  for (const kind of ['deadband', 'swinging-door'] as const) {
    it(`${kind}: the newest value, held in the compressor, joins history and live: the line keeps within the deviation of the archive's, no slope across the silence`, async () => {
      const { h, api, rows } = plant(kind);
      // The archive does not show the newest value (15.52 at T0 + 1000) yet: the station's compressor holds it.
      expect(rows().at(-1)![0]).toBeLessThan(newest.t);
      const data = await reloadThenNext(api, { held, latest: () => newest });
      // What the archive keeps of the same samples once the next one came (a reload now would draw it).
      h.append(TAG, [{ t: next, value: 13.3, status: Good }]);
      h.flush();
      // Its cyclic (or hold) record one granted cycle before the next sample, which swinging door itself still holds.
      const archived = rows();
      expect(archived.map(([t]) => t).filter((t) => t > newest.t)).toEqual(kind === 'deadband' ? [next - 1000, next] : [next - 1000]);
      // The line drawn live is the samples themselves (drawn[2] is 15.52): within the deviation of the archive's all along.
      const drawn = points(data, T0);
      expect(drawn.slice(-3)).toEqual([[newest.t, 15.52], [next - 1000, 15.52], [next, 13.3]]);
      for (let t = T0; t <= archived.at(-1)![0]; t += 250) expect(Math.abs(lineAt(drawn, t) - lineAt(archived, t))).toBeLessThanOrEqual(0.1 + 1e-9);
    });
  }
});
