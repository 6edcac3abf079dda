/**
 * Values at given times (readAtTime) and processed reads (readProcessed): literal cases for what
 * mutation testing of at-time.ts and processed.ts found untested (README.md, "Mutation testing").
 * Every expectation is worked out by hand from the samples each case writes and the OPC UA rules
 * (Part 11 ReadAtTime, Part 13 Interpolative).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import type { TagConfig, TagKind } from '../types.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

// Status codes written out (Part 4 §7.39 / Part 6 StatusCode.csv), with InfoType DataValue (0x400)
// and the historian bits of Part 11 (Interpolated = 2) where the read adds them.
const GOOD = 0x00000000;
const UNCERTAIN_SUB_NORMAL = 0x40950000;
const INTERPOLATED_GOOD = 0x00000402;
const INTERPOLATED_UNCERTAIN_DATA_SUB_NORMAL = 0x40a40402;
const BAD_NO_DATA = 0x809b0000;

type Samples = [dt: number, value: number, status?: number][];

/** An archive with one tag of the given kind and config, holding `samples` (ms after T0). */
function archive(name: string, kind: TagKind, samples: Samples, over: Partial<TagConfig> = {}): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, volumePeriod: 'day', now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig(name, over, kind), T0);
  if (samples.length > 0) h.insert(name, samples.map(([dt, value, status]) => ({ t: T0 + dt, value, status: status ?? GOOD })));
  h.flush();
  return h;
}

/** [ms after T0, value, status] of each value read at the times (ms after T0). */
function atTime(h: Historian, tag: string, dts: number[], mode?: 'auto' | 'interpolated' | 'stepped'): [number, number, number][] {
  const [series] = h.readAtTime({ tags: tag, times: dts.map((dt) => T0 + dt), ...(mode ? { mode } : {}) });
  return series!.values.map((v) => [v.t - T0, v.value as number, v.status]);
}

describe('readAtTime (mutant cases): times refused', () => {
  it('a time that is not a finite number is refused with its index and value', () => {
    const h = archive('A', 'analog', [[0, 1]]);
    expect(() => h.readAtTime({ tags: 'A', times: [T0, NaN] }))
      .toThrowError(/^at-time read: times\[1\]: expected ms since epoch, got NaN$/);
    expect(() => h.readAtTime({ tags: 'A', times: [Infinity] }))
      .toThrowError(/^at-time read: times\[0\]: expected ms since epoch, got Infinity$/);
  });
});

describe('readAtTime (mutant cases): stepped or interpolated', () => {
  // 0 at 0, 10 at 100, 20 at 200 (all Good): halfway at 50, interpolated 5, stepped 0.
  const ramp: Samples = [[0, 0], [100, 10], [200, 20]];

  it('an analog tag whose config says stepped: auto steps, interpolated interpolates', () => {
    const h = archive('S', 'analog', ramp, { stepped: true });
    expect(atTime(h, 'S', [50])).toEqual([[50, 0, INTERPOLATED_GOOD]]);
    expect(atTime(h, 'S', [50], 'auto')).toEqual([[50, 0, INTERPOLATED_GOOD]]);
    expect(atTime(h, 'S', [50], 'interpolated')).toEqual([[50, 5, INTERPOLATED_GOOD]]);
    expect(atTime(h, 'S', [50], 'stepped')).toEqual([[50, 0, INTERPOLATED_GOOD]]);
  });

  it('an analog tag whose config does not: auto interpolates, stepped steps', () => {
    const h = archive('A', 'analog', ramp);
    expect(atTime(h, 'A', [50], 'auto')).toEqual([[50, 5, INTERPOLATED_GOOD]]);
    expect(atTime(h, 'A', [50], 'interpolated')).toEqual([[50, 5, INTERPOLATED_GOOD]]);
    expect(atTime(h, 'A', [50], 'stepped')).toEqual([[50, 0, INTERPOLATED_GOOD]]);
  });

  it('a discrete tag of numbers holds its value, though its config does not say stepped', () => {
    const h = archive('D', 'discrete', ramp);
    expect(atTime(h, 'D', [50, 150])).toEqual([[50, 0, INTERPOLATED_GOOD], [150, 10, INTERPOLATED_GOOD]]);
  });
});

describe('readAtTime (mutant cases): quality from the neighbours', () => {
  // 0 at 0 Good, 10 at 100 Uncertain, 20 at 200 Good, 30 at 300 Good.
  const mixed: Samples = [[0, 0], [100, 10, UNCERTAIN_SUB_NORMAL], [200, 20], [300, 30]];

  it('interpolated: Good only between two Good values (Part 11: else UncertainDataSubNormal)', () => {
    const h = archive('A', 'analog', mixed);
    expect(atTime(h, 'A', [50, 150, 250])).toEqual([
      [50, 5, INTERPOLATED_UNCERTAIN_DATA_SUB_NORMAL], // Good before, Uncertain after
      [150, 15, INTERPOLATED_UNCERTAIN_DATA_SUB_NORMAL], // Uncertain before, Good after
      [250, 25, INTERPOLATED_GOOD], // Good on both sides
    ]);
  });

  it('stepped: Good after a Good value, UncertainDataSubNormal after an Uncertain one', () => {
    const h = archive('A', 'analog', mixed);
    expect(atTime(h, 'A', [50, 150, 250], 'stepped')).toEqual([
      [50, 0, INTERPOLATED_GOOD],
      [150, 10, INTERPOLATED_UNCERTAIN_DATA_SUB_NORMAL],
      [250, 20, INTERPOLATED_GOOD],
    ]);
  });
});

describe('readProcessed (mutant cases): stepped or interpolated', () => {
  // 0 at 0, 10 at 100 (Good); Interpolative over [0, 100) in 50 ms intervals: the value at 0 and at
  // 50, that is 0 and 0 stepped, 0 and 5 interpolated.
  const two: Samples = [[0, 0], [100, 10]];
  const q = { start: T0, end: T0 + 100, intervalMs: 50, aggregate: 'Interpolative' as const };
  const values = (h: Historian, tag: string, config?: { stepped: boolean }) =>
    h.readProcessed({ ...q, tags: tag, ...(config ? { config } : {}) })[0]!.values.map((v) => [v.t - T0, v.value]);

  it('an analog tag steps when its config says stepped, unless the query says otherwise', () => {
    const s = archive('S', 'analog', two, { stepped: true });
    expect(values(s, 'S')).toEqual([[0, 0], [50, 0]]);
    expect(values(s, 'S', { stepped: false })).toEqual([[0, 0], [50, 5]]);
  });

  it('an analog tag interpolates when its config does not say stepped', () => {
    const a = archive('A', 'analog', two);
    expect(values(a, 'A')).toEqual([[0, 0], [50, 5]]);
  });

  it('a discrete tag of numbers steps, though its config does not say stepped', () => {
    const d = archive('D', 'discrete', two);
    expect(values(d, 'D')).toEqual([[0, 0], [50, 0]]);
  });

  it('a discrete tag with no value archived gives BadNoData in every interval', () => {
    const d = archive('D', 'discrete', []);
    const out = d.readProcessed({ ...q, tags: 'D' })[0]!.values.map((v) => [v.t - T0, (v.status & 0xffff0000) >>> 0]);
    expect(out).toEqual([[0, BAD_NO_DATA], [50, BAD_NO_DATA]]);
  });
});
