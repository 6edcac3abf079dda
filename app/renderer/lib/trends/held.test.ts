/**
 * A value that held, on the live trend: flat up to just before the next sample, then the move,
 * as the archive keeps the same span (its cyclic record), never one slope across the silence.
 * Expectations are worked by hand and, where the archive stores the span, checked against the
 * historian's own compressor (what a reload would draw).
 */
import { describe, expect, it } from 'vitest';
import { createCompressor } from '../../../../historian/compression/compressor.js';
import { heldRule } from './held.js';
import { LiveFold } from './live.js';
import { Kind, Trace } from './trace.js';

const Good = 0, Bad = 0x80000000;
const at = (h: number, m: number, s: number, ms = 0) => Date.UTC(2026, 11, 6, h, m, s, ms);
type Sample = [t: number, value: number, status?: number];

/** The live trace the samples make, at a 10-minute window's resolution (600 ms a column on 1000 px). */
function live(samples: readonly Sample[], sampling: { samplingIntervalMs: number; perPublish: number } | null, stepped = false, archiveCycleMs?: number): Trace {
  const tr = new Trace(stepped);
  const rule = heldRule(sampling && { ...sampling, queueSize: sampling.perPublish }, archiveCycleMs);
  const fold = new LiveFold(tr, 0, 600, () => rule);
  for (const [t, v, status = Good] of samples) fold.append(t, v, status);
  return tr;
}

function points(tr: Trace): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < tr.n; i++) out.push([tr.t[i]!, tr.v[i]!]);
  return out;
}

/**
 * What the archive stores for the same samples (the station's compressor, lossless, the tag's cycle;
 * `slowerMs`: the cycle it goes by since the server granted a slower sampling, TagWriter.grant).
 */
function archived(samples: readonly Sample[], cycleMs: number, stepped = false, slowerMs?: number): [number, number][] {
  const c = createCompressor({ name: 'TK101.Level', kind: 'analog', description: '', unit: 'm', compression: { kind: 'none' }, stepped, cycleMs });
  if (slowerMs !== undefined) c.setCycle!(slowerMs);
  const out: [number, number][] = [];
  for (const [t, value, status = Good] of samples) for (const p of c.push({ t, value, status })) out.push([p.t, p.value as number]);
  return out;
}

/** The line's value at t: linear between the points around it (as paths.ts draws a linear pen). */
function lineAt(tr: Trace, t: number): number {
  const i = tr.indexAfter(t);
  const t0 = tr.t[i - 1]!, v0 = tr.v[i - 1]!, t1 = tr.t[i]!, v1 = tr.v[i]!;
  return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}

describe('a held value on the live trend', () => {
  // The exploratory run: 15.369 at 04:18:39, nothing (held), 13.30 at 04:23:07; sampling and publishing 500 ms.
  const held: Sample[] = [[at(4, 18, 38, 500), 15.4], [at(4, 18, 39), 15.369], [at(4, 23, 7), 13.3]];
  const every500 = { samplingIntervalMs: 500, perPublish: 1 };

  it('draws flat up to one cycle before the new sample, then moves: the points the archive stores', () => {
    const tr = live(held, every500);
    expect(points(tr)).toEqual([[at(4, 18, 38, 500), 15.4], [at(4, 18, 39), 15.369], [at(4, 23, 6, 500), 15.369], [at(4, 23, 7), 13.3]]);
    expect(points(tr)).toEqual(archived(held, 500));
    // Half way through the silence the line reads the held value, not 14.3 "falling steadily".
    expect(lineAt(tr, at(4, 20, 53))).toBe(15.369);
    expect(tr.k[2]).toBe(Kind.Good);
  });

  it('a value changing every sample draws from point to point, nothing added', () => {
    const moving: Sample[] = [0, 1, 2, 3, 4, 5].map((i) => [at(4, 18, 39) + i * 500, 15.369 - i * 0.01]);
    const tr = live(moving, every500);
    expect(points(tr)).toEqual(moving.map(([t, v]) => [t, v]));
    expect(points(tr)).toEqual(archived(moving, 500));
  });

  it('a value moving every 100 ms but published every 500 ms (the console gets the newest of each publish) is not taken for held', () => {
    // perPublish 5: 500 ms between publishes, so the rule waits more than 1000 ms.
    const published: Sample[] = [[10_000, 1], [10_500, 2], [11_000, 3], [11_500, 4]];
    const tr = live(published, { samplingIntervalMs: 100, perPublish: 5 });
    expect(points(tr)).toEqual([[10_000, 1], [10_500, 2], [11_000, 3], [11_500, 4]]);
    // Silent 3 s: held, standing again one sampling interval (100 ms) before the next sample.
    const tr2 = live([...published, [14_500, 6]], { samplingIntervalMs: 100, perPublish: 5 });
    expect(points(tr2).slice(-3)).toEqual([[11_500, 4], [14_400, 4], [14_500, 6]]);
  });

  it('a stepped pen is unchanged: it holds by itself, and the archive stores no cyclic record for it', () => {
    const tr = live(held, every500, true);
    expect(points(tr)).toEqual([[at(4, 18, 38, 500), 15.4], [at(4, 18, 39), 15.369], [at(4, 23, 7), 13.3]]);
    expect(points(tr)).toEqual(archived(held, 500, true));
  });

  it('after a bad value the gap runs to the next sample: no held point, as in the archive', () => {
    const bad: Sample[] = [[at(4, 18, 39), 15.369], [at(4, 18, 40), NaN, Bad], [at(4, 23, 7), 13.3]];
    const tr = live(bad, every500);
    expect(tr.n).toBe(3);
    expect([tr.t[1], tr.k[1]]).toEqual([at(4, 18, 40), Kind.Bad]);
    expect(points(tr)[2]).toEqual([at(4, 23, 7), 13.3]);
    expect(archived(bad, 500).map(([t]) => t)).toEqual([at(4, 18, 39), at(4, 18, 40), at(4, 23, 7)]);
  });

  it('without the tag\'s sampling (not granted yet) nothing is added', () => {
    expect(points(live(held, null))).toEqual(held.map(([t, v]) => [t, v]));
  });

  it('from a history point: held only when it is the tag\'s newest sample (an older archived point may have unarchived samples after it)', () => {
    const rule = heldRule({ samplingIntervalMs: 500, queueSize: 1, perPublish: 1 });
    const fromHistory = (latest?: number) => {
      const tr = new Trace(false);
      tr.push(at(4, 18, 39), 15.369, Kind.Good, Good);
      new LiveFold(tr, 0, 600, () => rule, latest).append(at(4, 23, 7), 13.3, Good);
      return points(tr);
    };
    expect(fromHistory(at(4, 18, 39))).toEqual([[at(4, 18, 39), 15.369], [at(4, 23, 6, 500), 15.369], [at(4, 23, 7), 13.3]]);
    expect(fromHistory(at(4, 20, 0))).toEqual([[at(4, 18, 39), 15.369], [at(4, 23, 7), 13.3]]);
    expect(fromHistory(undefined)).toEqual([[at(4, 18, 39), 15.369], [at(4, 23, 7), 13.3]]);
  });

  it('the server revised the sampling (500 ms configured, 1000 ms granted): the record one granted cycle before, as the archive stamps it', () => {
    const revised = { samplingIntervalMs: 1000, perPublish: 1 };
    const samples: Sample[] = [[at(4, 18, 38), 15.4], [at(4, 18, 39), 15.369], [at(4, 23, 7), 13.3]];
    // The archive's compressor goes by the granted interval (the station hands it on: StationArchive.onGranted).
    const expected = archived(samples, 500, false, 1000);
    expect(expected).toEqual([[at(4, 18, 38), 15.4], [at(4, 18, 39), 15.369], [at(4, 23, 6), 15.369], [at(4, 23, 7), 13.3]]);
    expect(points(live(samples, revised, false, 500))).toEqual(expected);
    // Samples a granted second apart are not a silence: no record between them, live or archived.
    const moving: Sample[] = [0, 1, 2, 3].map((i) => [at(4, 18, 39) + i * 1000, 15.369 - i * 0.01]);
    expect(archived(moving, 500, false, 1000)).toEqual(moving.map(([t, v]) => [t, v]));
    expect(points(live(moving, revised, false, 500))).toEqual(moving.map(([t, v]) => [t, v]));
  });

  it('asked 10 ms, granted 50 ms (a server that samples no faster): a value moving at every sample has no hold record', () => {
    const moving: Sample[] = [0, 1, 2, 3, 4, 5].map((i) => [at(4, 18, 39) + i * 50, 15 + i * 0.01]);
    expect(archived(moving, 10, false, 50)).toEqual(moving.map(([t, v]) => [t, v]));
    // Live: the record one granted cycle before, after two publishes (200 ms) of silence.
    expect(heldRule({ samplingIntervalMs: 50, queueSize: 4, perPublish: 4 }, 10)).toEqual({ cycleMs: 50, afterMs: 400 });
  });

  it('configured 0 (as fast as the server can), granted 100 ms: the archive keeps no cyclic record, nor does the live line', () => {
    const fastest = { samplingIntervalMs: 100, perPublish: 5 };
    const expected = archived(held, 0);
    expect(expected).toEqual(held.map(([t, v]) => [t, v]));
    expect(points(live(held, fastest, false, 0))).toEqual(expected);
  });

  it('configured 5000 ms, granted 1000 ms: a silence of 8 s is within two archive cycles, no record, as the archive keeps it', () => {
    const samples: Sample[] = [[10_000, 1], [11_000, 2], [19_000, 3], [40_000, 4]];
    const expected = archived(samples, 5000);
    expect(expected).toEqual([[10_000, 1], [11_000, 2], [19_000, 3], [35_000, 3], [40_000, 4]]);
    expect(points(live(samples, { samplingIntervalMs: 1000, perPublish: 1 }, false, 5000))).toEqual(expected);
  });

  it('the rule from what the server granted: cycle = sampling, held after two update intervals (the slower of sampling and publishing)', () => {
    expect(heldRule(null)).toBeNull();
    expect(heldRule({ samplingIntervalMs: 0, queueSize: 1, perPublish: 10 })).toBeNull();
    expect(heldRule({ samplingIntervalMs: 500, queueSize: 1, perPublish: 1 })).toEqual({ cycleMs: 500, afterMs: 1000 });
    expect(heldRule({ samplingIntervalMs: 1000, queueSize: 1, perPublish: 1 })).toEqual({ cycleMs: 1000, afterMs: 2000 });
    expect(heldRule({ samplingIntervalMs: 100, queueSize: 5, perPublish: 5 })).toEqual({ cycleMs: 100, afterMs: 1000 });
    // Below 50 ms the station counts a change every 50 ms: 10 per 500 ms publish.
    expect(heldRule({ samplingIntervalMs: 20, queueSize: 10, perPublish: 10 })).toEqual({ cycleMs: 20, afterMs: 1000 });
    // With the archive's cycle: its cycle, held after two of it or of the update interval, whichever is longer.
    // A configured cycle faster than the grant goes by the grant, as the archive does.
    expect(heldRule({ samplingIntervalMs: 1000, queueSize: 1, perPublish: 1 }, 500)).toEqual({ cycleMs: 1000, afterMs: 2000 });
    expect(heldRule({ samplingIntervalMs: 1000, queueSize: 1, perPublish: 1 }, 5000)).toEqual({ cycleMs: 5000, afterMs: 10_000 });
    expect(heldRule({ samplingIntervalMs: 100, queueSize: 5, perPublish: 5 }, 0)).toBeNull();
    expect(heldRule({ samplingIntervalMs: 0, queueSize: 1, perPublish: 10 }, 250)).toEqual({ cycleMs: 250, afterMs: 1000 });
    expect(heldRule(null, 500)).toBeNull();
  });
});
