import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import { Flag, type Sample, type TagConfig } from '../types.js';
import { createCompressor, restoreCompressor } from './compressor.js';
import type { CompressorState } from './types.js';
import { analogTag, run } from './testing.js';

const s = (t: number, value: number | boolean | string, status = Good): Sample => ({ t, value, status });
/** Samples every second (t in s -> ms). */
const series = (values: number[], status = Good) => values.map((v, i) => s(i * 1000, v, status));
const tv = (points: readonly { t: number; value: unknown; flags: number }[]) => points.map((p) => [p.t / 1000, p.value, p.flags]);

describe('analog compressor', () => {
  it("'none' archives every sample and a HIST cyclic record before a report-by-exception gap", () => {
    const r = run(analogTag({ kind: 'none' }, { cycleMs: 1000 }), [s(0, 1), s(1000, 2), s(10_000, 5), s(11_000, 6)]);
    expect(tv(r.archived)).toEqual([[0, 1, 0], [1, 2, 0], [9, 2, Flag.Cyclic], [10, 5, 0], [11, 6, 0]]);
    expect(r.pending).toBeNull();
    expect(r.flushed).toEqual([]);
  });

  it('a value reaching its high limit is archived however small its change (the limit bits changed)', () => {
    for (const compression of [{ kind: 'deadband', deviation: 0.5 }, { kind: 'swinging-door', deviation: 0.5 }] as const) {
      // 0x600: Good, InfoType DataValue, limit bits High (Part 4 §7.39.2); the door alone would hold 10.1.
      const r = run(analogTag(compression), [s(0, 10), s(1000, 10.05), s(2000, 10.1, 0x600), s(3000, 10.1, 0x600)]);
      expect(r.archived.map((p) => [p.t / 1000, p.value, p.status])).toContainEqual([2, 10.1, 0x600]);
    }
  });

  it('restart() archives what flush() would at the newest sample and the next sample afresh (a block boundary)', () => {
    // Deadband after three suppressed samples: the hold record (3 s, 10); swinging door: the held sample itself.
    for (const [compression, closing] of [[{ kind: 'deadband', deviation: 0.5 }, [3, 10, Flag.Cyclic]], [{ kind: 'swinging-door', deviation: 0.5 }, [3, 10.1, 0]]] as const) {
      const c = createCompressor(analogTag(compression));
      const out = [10, 10.2, 9.8, 10.1].flatMap((v, i) => c.push(s(i * 1000, v)));
      expect(tv(out)).toEqual([[0, 10, 0]]);
      expect(tv(c.restart())).toEqual([closing]);
      expect(c.restart()).toEqual([]); // archived already
      expect(tv(c.push(s(4000, 10.2)))).toEqual([[4, 10.2, 0]]); // a fresh start: archived
      expect(tv(c.push(s(5000, 10.3)))).toEqual([]); // measured from (4, 10.2): held
    }
  });

  it('restart() after suppressed samples keeps the deadband: the line to the block\'s last point stays within dev of each', () => {
    // Deadband 0.5 around 10: 10.5, 9.5 and 10.5 stay in the band. Ending on the raw 10.5 drew
    // the line 10 -> 10.5, 10.333 at 2 s, 0.833 from the 9.5 there; the hold record (3 s, 10) is
    // flat, 0.5 from each.
    const c = createCompressor(analogTag({ kind: 'deadband', deviation: 0.5 }));
    const raw = [10, 10.5, 9.5, 10.5].map((v, i) => s(i * 1000, v));
    const points = [...raw.flatMap((x) => c.push(x)), ...c.restart()];
    expect(tv(points)).toEqual([[0, 10, 0], [3, 10, Flag.Cyclic]]);
    for (const x of raw) expect(Math.abs(10 - (x.value as number))).toBeLessThanOrEqual(0.5);
  });

  it('restart() on the sample just archived archives nothing again, and leaves no door in the snapshot', () => {
    for (const compression of [{ kind: 'deadband', deviation: 0.5 }, { kind: 'swinging-door', deviation: 0.5 }] as const) {
      const c = createCompressor(analogTag(compression));
      expect(tv(c.push(s(0, 10)))).toEqual([[0, 10, 0]]); // the first sample is archived as it comes
      expect(c.restart()).toEqual([]); // guards state.ts:77 (the newest sample is the last archived point)
      // A door narrowed by held samples, then a restart: the snapshot says no door (null), as a fresh compressor's.
      for (const [t, v] of [[1, 10.2], [2, 10.3]] as const) c.push(s(t * 1000, v));
      c.restart();
      const snap = c.snapshot();
      expect([snap.doorMin, snap.doorMax]).toEqual([null, null]); // guards analog.ts:76-77 (the door reset to -/+Infinity)
    }
  });

  it('no cyclic record when cycleMs is 0 or the tag is stepped', () => {
    for (const extra of [{ cycleMs: 0 }, { cycleMs: 1000, stepped: true }]) {
      const r = run(analogTag({ kind: 'none' }, extra), [s(0, 1), s(1000, 2), s(10_000, 5)]);
      expect(r.archived.map((p) => p.t)).toEqual([0, 1000, 10_000]);
    }
  });

  it('deadband on a linear tag: a hold record keeps the line flat up to the step (HIST)', () => {
    const r = run(analogTag({ kind: 'deadband', deviation: 0.5 }, { cycleMs: 1000 }), series([10, 10.2, 9.8, 10.1, 10.3, 15, 15.1]));
    expect(tv(r.archived)).toEqual([[0, 10, 0], [4, 10, Flag.Cyclic], [5, 15, 0]]);
    expect(tv([r.pending!])).toEqual([[6, 15.1, 0]]);
  });

  it('deadband on a stepped tag: archives the held sample and the step, no cyclic record', () => {
    const r = run(analogTag({ kind: 'deadband', deviation: 0.5 }, { cycleMs: 1000, stepped: true }), series([10, 10.2, 9.8, 10.1, 10.3, 15, 15.1]));
    expect(tv(r.archived)).toEqual([[0, 10, 0], [4, 10.3, 0], [5, 15, 0]]);
  });

  it('deadband honours maxIntervalMs and percentOfSpan', () => {
    const config = analogTag({ kind: 'deadband', deviation: 1, percentOfSpan: true, maxIntervalMs: 3000 }, { range: { low: 0, high: 50 } });
    // 1 % of 0..50 = 0.5
    const r = run(config, series([10, 10.4, 10.4, 10.4, 10.4, 10.4, 10.4, 11]));
    // CompMax archives at 3 s and 6 s; after several suppressed samples that is a hold record (the
    // band's centre, flagged Cyclic), so the line stays within 0.5 of every 10.4.
    expect(tv([...r.archived, ...r.flushed])).toEqual([[0, 10, 0], [3, 10, Flag.Cyclic], [6, 10, Flag.Cyclic], [7, 11, 0]]);
  });

  it('swinging door: archives held samples only, and a cyclic record after a gap', () => {
    const config = analogTag({ kind: 'swinging-door', deviation: 0.5 }, { cycleMs: 1000 });
    const r = run(config, [s(0, 5), s(1000, 5), s(600_000, 7), s(601_000, 7)]);
    expect(tv(r.archived)).toEqual([[0, 5, 0], [599, 5, Flag.Cyclic], [600, 7, 0]]);
    expect(tv([r.pending!])).toEqual([[601, 7, 0]]);
    expect(tv(r.flushed)).toEqual([[601, 7, 0]]);
  });

  it('swinging door: a ramp costs two points', () => {
    const r = run(analogTag({ kind: 'swinging-door', deviation: 0.01 }), series(Array.from({ length: 100 }, (_, i) => i * 0.5)));
    expect(r.archived.length + r.flushed.length).toBe(2);
  });

  it('exception deviation filters noise before the door', () => {
    const noisy = series([20, 20.05, 19.96, 20.04, 19.97, 20.03, 25, 25.02]);
    const withExc = run(analogTag({ kind: 'swinging-door', deviation: 0.01, exceptionDeviation: 0.1 }), noisy);
    const without = run(analogTag({ kind: 'swinging-door', deviation: 0.01 }), noisy);
    expect(tv([...withExc.archived, ...withExc.flushed])).toEqual([[0, 20, 0], [5, 20.03, 0], [6, 25, 0], [7, 25.02, 0]]);
    expect(without.archived.length).toBeGreaterThan(withExc.archived.length);
  });

  it('CompMin delays archiving; CompMax forces it', () => {
    const zigzag = series([0, 5, 0, 5, 0, 5, 0, 5, 0]);
    const min = run(analogTag({ kind: 'swinging-door', deviation: 0.1, minIntervalMs: 3000 }), zigzag);
    expect(min.archived.map((p) => p.t / 1000)).toEqual([0, 3, 6]);
    const max = run(analogTag({ kind: 'swinging-door', deviation: 10, maxIntervalMs: 2500 }), zigzag);
    expect(max.archived.map((p) => p.t / 1000)).toEqual([0, 2, 4, 6]);
  });

  it('a status change archives the held point and the new one', () => {
    const samples = [s(0, 1), s(1000, 1), s(2000, 1), s(3000, 1, BadSensorFailure), s(4000, 1, BadSensorFailure), s(5000, 1)];
    for (const compression of [{ kind: 'deadband', deviation: 1 }, { kind: 'swinging-door', deviation: 1 }] as const) {
      const r = run(analogTag(compression), samples);
      expect(r.archived.map((p) => [p.t / 1000, p.status])).toEqual([[0, Good], [2, Good], [3, BadSensorFailure], [4, BadSensorFailure], [5, Good]]);
    }
  });

  it('NaN and Infinity are archived as given with their status, and the stream goes on', () => {
    const r = run(analogTag({ kind: 'swinging-door', deviation: 1 }), [s(0, 1), s(1000, 1), s(2000, NaN, UncertainLastUsableValue), s(3000, Infinity), s(4000, 2), s(5000, 2)]);
    expect(r.archived.map((p) => [p.t / 1000, p.value])).toEqual([[0, 1], [1, 1], [2, NaN], [3, Infinity], [4, 2]]);
    expect(r.flushed.map((p) => p.t)).toEqual([5000]);
  });

  it('rejects bad samples and bad configurations with clear errors', () => {
    const c = createCompressor(analogTag({ kind: 'none' }));
    c.push(s(1000, 1));
    expect(() => c.push(s(1000, 2))).toThrow(/tag 'T1': samples must have strictly increasing t: got t=1000 after t=1000/);
    expect(() => c.push(s(2000, 'x'))).toThrow(/analog sample at t=2000 must have a number value, got string/);
    expect(() => c.push(s(2000.5, 1))).toThrow(/integer ms timestamp/);
    expect(() => createCompressor(analogTag({ kind: 'deadband', deviation: 1, percentOfSpan: true }))).toThrow(/percentOfSpan needs a range/);
    expect(() => createCompressor(analogTag({ kind: 'swinging-door', deviation: -1 }))).toThrow(/compression.deviation must be a finite number >= 0, got -1/);
    expect(() => createCompressor(analogTag({ kind: 'swinging-door', deviation: 1, maxIntervalMs: NaN }))).toThrow(/maxIntervalMs/);
    expect(() => createCompressor(analogTag({ kind: 'none' }, { cycleMs: 0.5 }))).toThrow(/cycleMs must be an integer/);
  });

  it('restores from a JSON snapshot (incl. NaN and -0) and rejects a wrong one', () => {
    const config = analogTag({ kind: 'swinging-door', deviation: 0.1 });
    const a = createCompressor(config);
    a.push(s(0, NaN));
    const json = JSON.stringify(a.snapshot());
    expect(json).toContain('"NaN"');
    const b = restoreCompressor(config, JSON.parse(json) as CompressorState);
    expect(b.push(s(1000, 3))).toEqual([{ t: 1000, value: 3, status: Good, flags: 0 }]); // after NaN: a break
    b.push(s(2000, -0));
    const state = JSON.parse(JSON.stringify(b.snapshot())) as CompressorState;
    expect(Object.is(restoreCompressor(config, state).pending()!.value, -0)).toBe(true);
    expect(() => restoreCompressor(discreteTag, state)).toThrow(/family is 'analog' but the tag needs 'discrete'/);
    expect(() => restoreCompressor(config, { ...state, version: 2 } as unknown as CompressorState)).toThrow(/version must be 1/);
    expect(() => restoreCompressor(config, { ...state, last: { ...state.last!, value: 'x' } })).toThrow(/last.value must be a number/);
    expect(() => restoreCompressor(config, { ...state, held: { ...state.held!, t: 1.5 } })).toThrow(/held.t must be an integer/);
  });
});

const discreteTag: TagConfig = { name: 'V1', kind: 'discrete', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 1000 };

describe('discrete and text compressor', () => {
  it('archives value and status changes only, never cyclic records', () => {
    const r = run(discreteTag, [s(0, false), s(1000, false), s(9000, false), s(10_000, true), s(11_000, true, BadSensorFailure), s(12_000, true, BadSensorFailure)]);
    expect(r.archived.map((p) => [p.t / 1000, p.value, p.flags])).toEqual([[0, false, 0], [10, true, 0], [11, true, 0]]);
    expect(r.pending).toEqual({ t: 12_000, value: true, status: BadSensorFailure, flags: 0 });
    expect(r.flushed).toEqual([r.pending]);
  });

  it('a status change also archives the held sample', () => {
    const r = run(discreteTag, [s(0, 2), s(1000, 2), s(2000, 2, UncertainLastUsableValue)]);
    expect(r.archived.map((p) => p.t)).toEqual([0, 1000, 2000]);
  });

  it('a change of limit bits alone is archived, and a value marked Overflow; other low bits (historian bits) are not a change', () => {
    // Part 4 §7.39: InfoType DataValue 0x400; limit bits 8-9: 0x100 low, 0x200 high; overflow bit 7.
    // At 2 s values were lost before this one: archived. At 3 s only the historian bit differs
    // (held); at 4 s the limit bits clear: archived, with the sample held before it.
    const r = run(discreteTag, [s(0, 2), s(1000, 2, 0x600), s(2000, 2, 0x680), s(3000, 2, 0x601), s(4000, 2, 0x400)]);
    expect(r.archived.map((p) => [p.t / 1000, p.status])).toEqual([[0, 0], [1, 0x600], [2, 0x680], [3, 0x601], [4, 0x400]]);
  });

  it('text tags keep texts as they are', () => {
    const text: TagConfig = { ...discreteTag, name: 'S1', kind: 'text' };
    const r = run(text, [s(0, 'RUN'), s(1000, 'RUN'), s(2000, 'STOP ☐')]);
    expect(r.archived.map((p) => p.value)).toEqual(['RUN', 'STOP ☐']);
    expect(() => createCompressor(text).push(s(0, 1))).toThrow(/text sample at t=0 must have a string value/);
    expect(() => createCompressor(discreteTag).push(s(0, 'on'))).toThrow(/must have a boolean or a number value/);
  });

  it('a long stream of runs archives each change and, at a status change, the held sample as it came (points reused)', () => {
    // Runs of repeated states with changes of value, of status (Good, Bad, Overflow marked) and
    // snapshot -> JSON -> restore now and then; what is archived follows README's rule, counted here
    // sample by sample: every change of value or status, and at a status change the held sample.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const statuses = [Good, Good, Good, BadSensorFailure, 0x480]; // 0x480: InfoType DataValue + Overflow
    const samples: Sample[] = [];
    let value = 0, status = Good;
    for (let i = 0; i < 3000; i++) {
      if (random() < 0.05) value = Math.floor(random() * 3);
      if (random() < 0.03) status = statuses[Math.floor(random() * statuses.length)]!;
      samples.push(s(i * 1000, value, status));
    }
    const expected: [number, number, number][] = [];
    let last: Sample | null = null, held: Sample | null = null;
    for (const x of samples) {
      // The condition is the code (bits 16-31, Part 4 §7.39; no limit bits here): Overflow marks an event, not a change of it.
      const statusChanged = last !== null && (x.status & 0xffff0000) !== (last.status & 0xffff0000);
      if (last === null || statusChanged || x.status === 0x480 || x.value !== last.value) {
        if (statusChanged && held !== null) expected.push([held.t, held.value as number, held.status]);
        expected.push([x.t, x.value as number, x.status]);
        last = x;
        held = null;
      } else held = x;
    }
    let c = createCompressor(discreteTag);
    const archived: [number, unknown, number][] = [];
    samples.forEach((x, i) => {
      for (const p of c.push({ ...x })) archived.push([p.t, p.value, p.status]);
      if (i % 97 === 0) c = restoreCompressor(discreteTag, JSON.parse(JSON.stringify(c.snapshot())) as CompressorState);
    });
    expect(archived).toEqual(expected);
    expect(c.pending()).toEqual(held === null ? null : { ...held, flags: 0 });
  });

  it('continues after snapshot/restore', () => {
    const a = createCompressor(discreteTag);
    a.push(s(0, 1));
    a.push(s(1000, 1));
    const b = restoreCompressor(discreteTag, JSON.parse(JSON.stringify(a.snapshot())) as CompressorState);
    expect(b.push(s(2000, 1, BadSensorFailure)).map((p) => p.t)).toEqual([1000, 2000]);
    expect(() => restoreCompressor(analogTag({ kind: 'none' }), b.snapshot())).toThrow(/family is 'discrete' but the tag needs 'analog'/);
  });
});
