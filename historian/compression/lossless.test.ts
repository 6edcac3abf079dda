/**
 * LosslessCompressor (compression 'none' without an object per sample) against what a lossless
 * tag must archive, worked out here from the samples given (every sample as it is, behind a
 * cyclic record after a gap of more than two cycles), and against AnalogCompressor, the general
 * path, for its state, restart() and errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import { Flag, type ArchivedSample, type Sample, type TagConfig } from '../types.js';
import { AnalogCompressor } from './analog.js';
import { createCompressor, restoreCompressor } from './compressor.js';
import { LosslessCompressor } from './lossless.js';
import { analogSettings } from './settings.js';
import type { Compressor } from './types.js';
import { propertyRuns } from '../testing/property-runs.js';

const config = (cycleMs: number, stepped = false): TagConfig => ({
  name: 'L', kind: 'analog', description: '', unit: '', compression: { kind: 'none' }, stepped, cycleMs,
});

/** What a lossless tag archives for in-order samples, from the samples alone. */
function expected(samples: readonly Sample[], cycleMs: number): ArchivedSample[] {
  const out: ArchivedSample[] = [];
  let prev: Sample | null = null;
  for (const s of samples) {
    // Severity bits 30-31 at 10 or 11: a Bad value, whose stretch holds to the next point without a record.
    if (prev !== null && cycleMs > 0 && s.t - prev.t > 2 * cycleMs && prev.status >>> 30 < 2) {
      out.push({ t: s.t - cycleMs, value: prev.value, status: prev.status >>> 0, flags: Flag.Cyclic });
    }
    out.push({ t: s.t, value: s.value, status: s.status >>> 0, flags: 0 });
    prev = s;
  }
  return out;
}

/** Sample streams with gaps, status changes (a signed 32-bit status too) and NaN while bad. */
const streams = fc.record({
  cycleMs: fc.constantFrom(0, 1000, 250),
  stepped: fc.boolean(),
  steps: fc.array(fc.record({
    // Gaps of exactly two cycles (no cyclic record) and one ms more (one) among them.
    dt: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 1500 }) }, { weight: 1, arbitrary: fc.integer({ min: 1500, max: 100_000 }) },
      { weight: 2, arbitrary: fc.constantFrom(500, 501, 2000, 2001) }),
    value: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -50, max: 50 }).map((v) => v / 10)),
    status: fc.constantFrom(Good, Good, Good, UncertainLastUsableValue, BadSensorFailure, BadSensorFailure | 0),
    nan: fc.boolean(),
  }), { minLength: 1, maxLength: 60 }),
}).map(({ cycleMs, stepped, steps }) => {
  let t = 1_700_000_000_000;
  const samples: Sample[] = steps.map((s) => {
    t += s.dt;
    const bad = (s.status >>> 0) === BadSensorFailure;
    return { t, value: bad && s.nan ? NaN : s.value, status: s.status };
  });
  return { cycleMs, stepped, samples };
});

const pushAll = (c: Compressor, samples: readonly Sample[]): ArchivedSample[] => samples.flatMap((s) => c.push(s));

function pushAllTo(c: LosslessCompressor, samples: readonly Sample[]): ArchivedSample[] {
  const out: ArchivedSample[] = [];
  for (const s of samples) c.pushTo(s, (t, value, status, flags) => out.push({ t, value, status, flags }));
  return out;
}

describe('LosslessCompressor', () => {
  it('is what createCompressor gives a lossless tag; other kinds keep AnalogCompressor', () => {
    expect(createCompressor(config(1000))).toBeInstanceOf(LosslessCompressor);
    expect(createCompressor({ ...config(1000), compression: { kind: 'deadband', deviation: 1 } })).toBeInstanceOf(AnalogCompressor);
  });

  it('archives every sample as given, behind a cyclic record after a gap of more than two cycles (push and pushTo)', () => {
    fc.assert(fc.property(streams, ({ cycleMs, stepped, samples }) => {
      const cfg = config(cycleMs, stepped);
      const cycle = stepped ? 0 : cycleMs; // stepped tags have no cyclic records (settings.ts)
      const want = expected(samples, cycle);
      expect(pushAll(createCompressor(cfg), samples)).toEqual(want);
      expect(pushAllTo(new LosslessCompressor('L', analogSettings(cfg)), samples)).toEqual(want);
      expect(pushAll(new AnalogCompressor('L', analogSettings(cfg)), samples)).toEqual(want);
    }), { numRuns: propertyRuns(300) });
  });

  it('leaves the state AnalogCompressor leaves, restarts as it does, and continues from either state alike', () => {
    // Late samples (pushLate) at the newest time, a little before it, or after it; pushes without cyclic records.
    const lates = fc.array(fc.record({ at: fc.nat(), back: fc.constantFrom(0, 0, 1, 700, -1), value: fc.integer({ min: -9, max: 9 }) }), { maxLength: 4 });
    fc.assert(fc.property(streams, fc.array(fc.nat(), { maxLength: 4 }), lates, fc.array(fc.nat(), { maxLength: 6 }), ({ cycleMs, stepped, samples }, cuts, late, plain) => {
      const cfg = config(cycleMs, stepped);
      const settings = analogSettings(cfg);
      const restartAt = new Set(cuts.map((c) => c % (samples.length + 1)));
      const lateAt = new Map(late.map((l) => [l.at % (samples.length + 1), l]));
      const noCyclic = new Set(plain.map((c) => c % (samples.length + 1)));
      let fast: Compressor = new LosslessCompressor('L', settings);
      let general: Compressor = new AnalogCompressor('L', settings);
      for (let i = 0; i <= samples.length; i++) {
        if (restartAt.has(i)) {
          expect(fast.restart()).toEqual(general.restart());
          expect(fast.restart()).toEqual(general.restart()); // a second restart archives nothing more
        }
        expect(fast.snapshot()).toEqual(general.snapshot());
        expect(fast.pending()).toEqual(general.pending());
        if (i % 7 === 3) {
          // Through the catalog's JSON: either restored from the other's state.
          const state = JSON.parse(JSON.stringify(general.snapshot()));
          fast = restoreCompressor(cfg, state);
          general = new AnalogCompressor('L', settings, JSON.parse(JSON.stringify(fast.snapshot())));
          expect(fast).toBeInstanceOf(LosslessCompressor);
        }
        const l = lateAt.get(i);
        if (l !== undefined && i > 0) {
          // -1: after the newest, before the next sample (an insert), when there is room.
          const prev = samples[i - 1]!.t, next = samples[i]?.t ?? Infinity;
          const t = l.back >= 0 ? prev - l.back : prev + 1 < next ? prev + 1 : prev;
          const s = { t, value: l.value, status: l.value < 0 ? BadSensorFailure : Good };
          expect(fast.pushLate(s)).toEqual(general.pushLate(s));
          expect(fast.snapshot()).toEqual(general.snapshot());
        }
        if (i < samples.length) expect(fast.push(samples[i]!, !noCyclic.has(i))).toEqual(general.push(samples[i]!, !noCyclic.has(i)));
      }
      expect(fast.flush()).toEqual(general.flush());
    }), { numRuns: propertyRuns(300) });
  });

  it('a restored state a lossless compressor does not leave (a held point) continues through AnalogCompressor', () => {
    const cfg = config(1000);
    const deadband = new AnalogCompressor('L', analogSettings({ ...cfg, compression: { kind: 'deadband', deviation: 10 } }));
    const t0 = 1_700_000_000_000;
    deadband.push({ t: t0, value: 1, status: Good });
    deadband.push({ t: t0 + 1000, value: 2, status: Good }); // held
    const state = deadband.snapshot();
    expect(state.held).not.toBeNull();
    const restored = restoreCompressor(cfg, state);
    expect(restored).toBeInstanceOf(AnalogCompressor);
    const general = new AnalogCompressor('L', analogSettings(cfg), state);
    const next = { t: t0 + 2000, value: 3, status: Good };
    expect(restored.push(next)).toEqual(general.push(next));
  });

  it('refuses what AnalogCompressor refuses, with its messages', () => {
    const cfg = config(1000);
    const t0 = 1_700_000_000_000;
    const bad: Sample[] = [
      { t: t0 - 1, value: 1, status: Good }, // not after the first
      { t: t0, value: 1, status: Good }, // the same time
      { t: t0 + 0.5, value: 1, status: Good },
      { t: t0 + 1000, value: true, status: Good },
    ];
    for (const s of bad) {
      const fast = createCompressor(cfg), general = new AnalogCompressor('L', analogSettings(cfg));
      fast.push({ t: t0, value: 0, status: Good });
      general.push({ t: t0, value: 0, status: Good });
      expect(() => general.push(s)).toThrow();
      expect(() => fast.push(s)).toThrow(messageOf(() => general.push(s)));
    }
    // pushLate refuses what push refuses but the order (it is the way for samples out of order).
    for (const s of bad.slice(2)) {
      const fast = createCompressor(cfg), general = new AnalogCompressor('L', analogSettings(cfg));
      expect(() => fast.pushLate(s)).toThrow(messageOf(() => general.pushLate(s)));
    }
    expect(() => new LosslessCompressor('L', analogSettings({ ...cfg, compression: { kind: 'deadband', deviation: 1 } }))).toThrow(/compression 'none'/);
  });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}
