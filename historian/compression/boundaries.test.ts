/**
 * Each time and count threshold of the compressors at its exact value and one past it, and the
 * snapshot's literal form. Expectations worked out by hand from the rules in README.md.
 */
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good } from '../status.js';
import { Flag, type Sample, type TagConfig } from '../types.js';
import { createCompressor, restoreCompressor } from './compressor.js';
import { analogTag, run } from './testing.js';

const s = (t: number, value: number | boolean, status = Good): Sample => ({ t, value, status });
const tvf = (points: { t: number; value: unknown; flags: number }[]) => points.map((p) => [p.t, p.value, p.flags]);

describe('HIST cyclic record: a gap of more than two cycles', () => {
  const none = analogTag({ kind: 'none' }, { cycleMs: 1000 });

  it('exactly two cycles: no cyclic record; one ms more: the previous value one cycle before', () => {
    expect(tvf(run(none, [s(0, 1), s(2000, 2)]).archived)).toEqual([[0, 1, 0], [2000, 2, 0]]);
    expect(tvf(run(none, [s(0, 1), s(2001, 2)]).archived)).toEqual([[0, 1, 0], [1001, 1, Flag.Cyclic], [2001, 2, 0]]);
  });
});

describe('exception filter and CompMax', () => {
  const exc = analogTag({ kind: 'swinging-door', deviation: 0, exceptionDeviation: 1, maxIntervalMs: 3000 });

  it('a sample within ExcDev exactly CompMax after the last archived point is held back; one ms later it passes', () => {
    const held = run(exc, [s(10_000, 0), s(13_000, 0.5)]);
    expect(tvf(held.archived)).toEqual([[10_000, 0, 0]]);
    expect(held.pending).toEqual({ t: 13_000, value: 0.5, status: Good, flags: 0 });
    expect(tvf(run(exc, [s(10_000, 0), s(13_001, 0.5)]).archived)).toEqual([[10_000, 0, 0], [13_001, 0.5, 0]]);
  });

  it('stepped: a sample within ExcDev but outside dev, exactly CompMax after the last point, waits in the filter', () => {
    // Passed on, the stepped door (a deadband of 0.1) would archive it at once; held back, it is
    // archived when the next sample passes.
    const stepped = analogTag({ kind: 'swinging-door', deviation: 0.1, exceptionDeviation: 1, maxIntervalMs: 3000 }, { stepped: true });
    const r = run(stepped, [s(10_000, 0), s(13_000, 0.5)]);
    expect(tvf(r.archived)).toEqual([[10_000, 0, 0]]);
    expect(r.pending).toEqual({ t: 13_000, value: 0.5, status: Good, flags: 0 });
  });

  it('well within CompMax a sample within ExcDev stays held back, and a newer one replaces it', () => {
    // From 10 s, CompMax 5 s: (11 s, 0.5) and (12 s, 0.6) are within ExcDev 1 of 0 and 1 s / 2 s
    // after the last archived point; both are held back, so the door (dev 0) never sees 0.5.
    const r = run(analogTag({ kind: 'swinging-door', deviation: 0, exceptionDeviation: 1, maxIntervalMs: 5000 }), [s(10_000, 0), s(11_000, 0.5), s(12_000, 0.6)]);
    expect(tvf(r.archived)).toEqual([[10_000, 0, 0]]);
    expect(r.pending).toEqual({ t: 12_000, value: 0.6, status: Good, flags: 0 });
  });

  it('a change of exactly ExcDev is held back, more passes', () => {
    const sd = analogTag({ kind: 'swinging-door', deviation: 0, exceptionDeviation: 1 });
    expect(run(sd, [s(0, 0), s(1000, 1)]).pending).toEqual({ t: 1000, value: 1, status: Good, flags: 0 });
    // 1.5 passes: the door (dev 0) holds it, so it is pending as the door's held point.
    const r = run(sd, [s(0, 0), s(1000, 1.5)]);
    expect(tvf(r.archived)).toEqual([[0, 0, 0]]);
    expect(r.flushed).toEqual([{ t: 1000, value: 1.5, status: Good, flags: 0 }]);
  });
});

describe('CompMin at its exact value', () => {
  it('swinging door: a held point exactly CompMin after the last archived one is archived when the door breaks', () => {
    const door = analogTag({ kind: 'swinging-door', deviation: 0.1, minIntervalMs: 2000 });
    expect(tvf(run(door, [s(0, 0), s(2000, 0), s(3000, 5)]).archived)).toEqual([[0, 0, 0], [2000, 0, 0]]);
    expect(tvf(run(door, [s(0, 0), s(1999, 0), s(3000, 5)]).archived)).toEqual([[0, 0, 0]]);
  });

  it('stepped swinging door (a deadband): the held point and the step, each exactly CompMin apart', () => {
    const stepped = analogTag({ kind: 'swinging-door', deviation: 1, minIntervalMs: 2000 }, { stepped: true });
    // Times from 10 s, so a sum of times is never mistaken for a difference. At 14 s the value
    // leaves the band: the held (12 s, 0.2) is 2000 after 10 s, archived; the step at 14 s is
    // 2000 after it, archived too.
    const T = 10_000;
    expect(tvf(run(stepped, [s(T, 0), s(T + 2000, 0.2), s(T + 4000, 9)]).archived)).toEqual([[T, 0, 0], [T + 2000, 0.2, 0], [T + 4000, 9, 0]]);
    // Held only 1000 after the last point: nothing yet; the step becomes the held point.
    const early = run(stepped, [s(T, 0), s(T + 1000, 0.5), s(T + 2000, 5)]);
    expect(tvf(early.archived)).toEqual([[T, 0, 0]]);
    expect(early.pending).toEqual({ t: T + 2000, value: 5, status: Good, flags: 0 });
    // The step's own time 1999 after the archived held point: it is held, not archived.
    expect(tvf(run(stepped, [s(T, 0), s(T + 2000, 0.2), s(T + 3999, 9)]).archived)).toEqual([[T, 0, 0], [T + 2000, 0.2, 0]]);
  });
});

describe('none and deadband: what is archived without a held point', () => {
  it("'none' archives repeated values too", () => {
    expect(tvf(run(analogTag({ kind: 'none' }), [s(0, 1), s(1000, 1), s(2000, 1)]).archived)).toEqual([[0, 1, 0], [1000, 1, 0], [2000, 1, 0]]);
  });

  it('deadband: a sample inside the band more than maxIntervalMs after the last archived point is archived itself', () => {
    const db = analogTag({ kind: 'deadband', deviation: 0.5, maxIntervalMs: 3000 });
    const r = run(db, [s(10_000, 10), s(14_000, 10.1)]);
    expect(tvf(r.archived)).toEqual([[10_000, 10, 0], [14_000, 10.1, 0]]);
    expect(r.pending).toBeNull();
  });
});

describe('deadband hold record: two or more suppressed samples', () => {
  const db = analogTag({ kind: 'deadband', deviation: 0.5 }, { cycleMs: 1000 });

  it('one suppressed sample: the sample itself before the step; two: the hold record', () => {
    expect(tvf(run(db, [s(0, 10), s(1000, 10.2), s(2000, 15)]).archived)).toEqual([[0, 10, 0], [1000, 10.2, 0], [2000, 15, 0]]);
    expect(tvf(run(db, [s(0, 10), s(1000, 10.2), s(2000, 10.3), s(3000, 15)]).archived))
      .toEqual([[0, 10, 0], [2000, 10, Flag.Cyclic], [3000, 15, 0]]);
  });

  it('the pending point is the hold record as well', () => {
    expect(run(db, [s(0, 10), s(1000, 10.2), s(2000, 10.3)]).pending).toEqual({ t: 2000, value: 10, status: Good, flags: Flag.Cyclic });
    expect(run(db, [s(0, 10), s(1000, 10.2)]).pending).toEqual({ t: 1000, value: 10.2, status: Good, flags: 0 });
  });
});

describe('snapshot: the persisted form', () => {
  it('a compressor that has seen nothing: every field empty', () => {
    const empty = {
      version: 1, family: 'analog', last: null, held: null, latest: null, suppressed: 0,
      doorMin: null, doorMax: null, excLast: null, excHeld: null,
    };
    expect(createCompressor(analogTag({ kind: 'swinging-door', deviation: 1 })).snapshot()).toEqual(empty);
  });

  it('a tag at rest without an exception filter: no door, no exception state (null, not ±Infinity)', () => {
    const c = createCompressor(analogTag({ kind: 'swinging-door', deviation: 1 }));
    c.push(s(0, 0));
    const point = { t: 0, value: 0, status: Good, flags: 0 };
    expect(c.snapshot()).toEqual({
      version: 1, family: 'analog', last: point, held: null, latest: point, suppressed: 0,
      doorMin: null, doorMax: null, excLast: null, excHeld: null,
    });
  });

  it('a door opened by a held sample: slopes of ±dev over the time since the last point', () => {
    const c = createCompressor(analogTag({ kind: 'swinging-door', deviation: 1 }));
    c.push(s(0, 0));
    c.push(s(1024, 0));
    expect(c.snapshot()).toMatchObject({ doorMin: -1 / 1024, doorMax: 1 / 1024, suppressed: 0 });
  });

  it('with an exception filter the last passed sample is kept', () => {
    const c = createCompressor(analogTag({ kind: 'swinging-door', deviation: 1, exceptionDeviation: 0.5 }));
    c.push(s(0, 3));
    expect(c.snapshot().excLast).toEqual({ t: 0, value: 3, status: Good, flags: 0 });
  });
});

describe('discrete compressor checks and flush', () => {
  const discrete: TagConfig = { name: 'V1', kind: 'discrete', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 };

  it('refuses a non-integer or non-increasing t, naming the tag', () => {
    const c = createCompressor(discrete);
    expect(() => c.push(s(0.5, true))).toThrow("tag 'V1': sample t must be an integer ms timestamp, got 0.5");
    c.push(s(1000, true));
    expect(() => c.push(s(1000, false))).toThrow("tag 'V1': samples must have strictly increasing t: got t=1000 after t=1000");
    expect(() => c.push(s(999, false))).toThrow('got t=999 after t=1000');
  });

  it('a snapshot with Boolean, number or text points restores and continues', () => {
    const point = (t: number, value: boolean | number | string) => ({ t, value, status: Good, flags: 0 });
    for (const [tag, a, b] of [[discrete, true, false], [discrete, 3, 4], [{ ...discrete, kind: 'text' } as TagConfig, 'RUN', 'STOP']] as const) {
      const state = { version: 1, family: 'discrete', last: point(0, a), held: point(1000, a), latest: point(1000, a), suppressed: 0, doorMin: null, doorMax: null, excLast: null, excHeld: null } as const;
      const c = restoreCompressor(tag, state);
      expect(c.pending()).toEqual(point(1000, a));
      expect(c.push({ t: 2000, value: b, status: Good })).toEqual([point(2000, b)]);
    }
  });

  it('flush archives the held sample, which becomes the last archived point', () => {
    const c = createCompressor(discrete);
    c.push(s(0, true));
    c.push(s(1000, true));
    expect(c.flush()).toEqual([{ t: 1000, value: true, status: Good, flags: 0 }]);
    expect(c.flush()).toEqual([]);
    expect(c.snapshot().last).toEqual({ t: 1000, value: true, status: Good, flags: 0 });
    // A status change now archives only the new sample: nothing is held any more.
    expect(c.push(s(2000, true, BadSensorFailure))).toEqual([{ t: 2000, value: true, status: BadSensorFailure, flags: 0 }]);
  });
});
