/**
 * Every check of a compression config and of a restored snapshot, one by one: each refuses what
 * it must with the message naming the field, and lets the edge value through. Expected messages
 * and values are literals.
 */
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { Compression, Sample, TagConfig } from '../types.js';
import { createCompressor, restoreCompressor } from './compressor.js';
import type { CompressorState, StatePoint } from './types.js';
import { analogTag } from './testing.js';

const s = (t: number, value: number | boolean | string, status = Good): Sample => ({ t, value, status });
const point = (extra: Partial<StatePoint> = {}): StatePoint => ({ t: 1000, value: 1, status: 0, flags: 0, ...extra });
const analogState = (extra: Partial<CompressorState> = {}): CompressorState => ({
  version: 1, family: 'analog', last: point(), held: null, latest: point(),
  suppressed: 0, doorMin: null, doorMax: null, excLast: null, excHeld: null, ...extra,
});
const door = analogTag({ kind: 'swinging-door', deviation: 1 });
const discreteTag: TagConfig = { name: 'V1', kind: 'discrete', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 };

describe('compression config checks', () => {
  const make = (compression: Compression, extra: Partial<TagConfig> = {}) => () => createCompressor(analogTag(compression, extra));

  it('cycleMs: a non-negative integer', () => {
    expect(make({ kind: 'none' }, { cycleMs: -1 })).toThrow("tag 'T1': cycleMs must be an integer number of ms >= 0, got -1");
    expect(make({ kind: 'none' }, { cycleMs: 0 })).not.toThrow();
  });

  it('deviation: finite and >= 0; 0 is allowed', () => {
    expect(make({ kind: 'deadband', deviation: Infinity })).toThrow("tag 'T1': compression.deviation must be a finite number >= 0, got null");
    expect(make({ kind: 'deadband', deviation: -0.5 })).toThrow('compression.deviation must be a finite number >= 0, got -0.5');
    expect(make({ kind: 'deadband', deviation: '1' as unknown as number })).toThrow('compression.deviation must be a finite number >= 0, got "1"');
    expect(make({ kind: 'deadband', deviation: 0 })).not.toThrow();
  });

  it('exceptionDeviation, minIntervalMs and maxIntervalMs are checked and named', () => {
    expect(make({ kind: 'swinging-door', deviation: 1, exceptionDeviation: -1 })).toThrow('compression.exceptionDeviation must be a finite number >= 0, got -1');
    expect(make({ kind: 'swinging-door', deviation: 1, minIntervalMs: -1 })).toThrow("tag 'T1': compression.minIntervalMs must be a finite number of ms >= 0, got -1");
    expect(make({ kind: 'swinging-door', deviation: 1, minIntervalMs: '5' as unknown as number })).toThrow('compression.minIntervalMs must be a finite number of ms >= 0, got "5"');
    expect(make({ kind: 'deadband', deviation: 1, maxIntervalMs: -1 })).toThrow('compression.maxIntervalMs must be a finite number of ms >= 0, got -1');
    expect(make({ kind: 'swinging-door', deviation: 1, minIntervalMs: 0, maxIntervalMs: 0 })).not.toThrow();
  });

  it('an unknown kind is refused naming the kinds', () => {
    expect(make({ kind: 'boxcar' } as unknown as Compression)).toThrow(`tag 'T1': compression.kind must be 'none', 'deadband' or 'swinging-door', got "boxcar"`);
    expect(() => createCompressor({ ...discreteTag, kind: 'blob' } as unknown as TagConfig))
      .toThrow(`tag 'V1': kind must be 'analog', 'discrete' or 'text', got "blob"`);
  });

  it('percentOfSpan needs low < high, both finite', () => {
    const pct: Compression = { kind: 'deadband', deviation: 10, percentOfSpan: true };
    for (const range of [{ low: 5, high: 5 }, { low: 6, high: 5 }, { low: -Infinity, high: 5 }, { low: 0, high: NaN }]) {
      expect(make(pct, { range })).toThrow("tag 'T1': compression.percentOfSpan needs a range with low < high, got");
    }
  });

  it('percentOfSpan of the exception deviation: 10 % of 0..20 is 2', () => {
    // Samples within 2 of the last passed value are held back, 2.5 away passes.
    const c = createCompressor(analogTag({ kind: 'swinging-door', deviation: 0, exceptionDeviation: 10, percentOfSpan: true }, { range: { low: 0, high: 20 } }));
    c.push(s(0, 10));
    expect(c.push(s(1000, 12))).toEqual([]);
    expect(c.pending()).toEqual({ t: 1000, value: 12, status: Good, flags: 0 });
    expect(c.push(s(2000, 7.5)).map((p) => p.t)).toEqual([1000]);
  });

  it('deadband deviation percentOfSpan on a negative range: 50 % of -10..-6 is 2', () => {
    const c = createCompressor(analogTag({ kind: 'deadband', deviation: 50, percentOfSpan: true }, { range: { low: -10, high: -6 } }));
    c.push(s(0, 0));
    expect(c.push(s(1000, 2))).toEqual([]);
    expect(c.push(s(2000, 2.5)).map((p) => [p.t, p.value])).toEqual([[1000, 2], [2000, 2.5]]);
  });
});

describe('snapshot checks', () => {
  it('the state must be an object with the right version and family', () => {
    expect(() => restoreCompressor(door, null as unknown as CompressorState)).toThrow('compressor state: expected an object');
    expect(() => restoreCompressor(discreteTag, null as unknown as CompressorState)).toThrow('compressor state: expected an object');
    expect(() => restoreCompressor(door, 'x' as unknown as CompressorState)).toThrow('compressor state: expected an object');
    expect(() => restoreCompressor(door, analogState({ version: 0 as 1 }))).toThrow('compressor state: version must be 1, got 0');
    expect(() => restoreCompressor(discreteTag, analogState())).toThrow("compressor state: family is 'analog' but the tag needs 'discrete' (tag kind changed?)");
  });

  it('suppressed: a non-negative integer', () => {
    expect(() => restoreCompressor(door, analogState({ suppressed: -1 }))).toThrow('compressor state: suppressed must be a non-negative integer, got -1');
    expect(() => restoreCompressor(door, analogState({ suppressed: 1.5 }))).toThrow('suppressed must be a non-negative integer, got 1.5');
    expect(() => restoreCompressor(door, analogState({ suppressed: 0 }))).not.toThrow();
  });

  it('doorMin and doorMax: a number or null', () => {
    expect(() => restoreCompressor(door, analogState({ doorMin: '0' as unknown as number }))).toThrow('compressor state: doorMin must be a number or null');
    expect(() => restoreCompressor(door, analogState({ doorMax: '0' as unknown as number }))).toThrow('compressor state: doorMax must be a number or null');
  });

  it('points: an object with an integer t, a uint32 status and a byte of flags', () => {
    const bad = (p: unknown) => () => restoreCompressor(door, analogState({ last: p as StatePoint }));
    expect(bad(5)).toThrow('compressor state: last must be an object or null');
    expect(bad(point({ t: 2 ** 53 }))).toThrow('compressor state: last.t must be an integer ms timestamp, got 9007199254740992');
    expect(bad(point({ status: -1 }))).toThrow('compressor state: last.status must be a uint32, got -1');
    expect(bad(point({ status: 2 ** 32 }))).toThrow('last.status must be a uint32, got 4294967296');
    expect(bad(point({ status: 0.5 }))).toThrow('last.status must be a uint32, got 0.5');
    expect(bad(point({ flags: -1 }))).toThrow('compressor state: last.flags must be a byte, got -1');
    expect(bad(point({ flags: 256 }))).toThrow('last.flags must be a byte, got 256');
    expect(bad(point({ flags: 1.5 }))).toThrow('last.flags must be a byte, got 1.5');
    expect(bad(point({ value: 'Inf' }))).toThrow('compressor state: last.value must be a number of an analog tag, got "Inf"');
    expect(bad(point({ value: true }))).toThrow('last.value must be a number of an analog tag, got true');
    // The edges themselves are accepted.
    expect(bad(point({ status: 0xffffffff, flags: 0xff }))).not.toThrow();
  });

  it('every analog point field is checked under its own name', () => {
    for (const field of ['held', 'latest', 'excLast', 'excHeld'] as const) {
      expect(() => restoreCompressor(door, analogState({ [field]: point({ flags: 300 }) }))).toThrow(`compressor state: ${field}.flags must be a byte, got 300`);
    }
  });

  it('a held point needs a last archived point', () => {
    const msg = 'compressor state: held points without a last archived point';
    expect(() => restoreCompressor(door, analogState({ last: null, held: point() }))).toThrow(msg);
    expect(() => restoreCompressor(door, analogState({ last: null, excHeld: point() }))).toThrow(msg);
    expect(() => restoreCompressor(door, analogState({ last: null, held: null, latest: null }))).not.toThrow();
  });

  it('discrete points: a boolean, string or number value, checked under each name', () => {
    const state = (extra: Partial<CompressorState>): CompressorState => ({ ...analogState({ family: 'discrete' }), ...extra });
    expect(() => restoreCompressor(discreteTag, state({ last: point({ value: null as unknown as number }) })))
      .toThrow('compressor state: last.value must be a boolean, string or number, got null');
    expect(() => restoreCompressor(discreteTag, state({ held: point({ t: 0.5 }) }))).toThrow('compressor state: held.t must be an integer');
    expect(() => restoreCompressor(discreteTag, state({ latest: point({ t: 0.5 }) }))).toThrow('compressor state: latest.t must be an integer');
    expect(() => restoreCompressor(discreteTag, state({ suppressed: -1 }))).toThrow('suppressed must be a non-negative integer');
  });

  it('±Infinity and -0 travel as strings and come back as numbers', () => {
    const c = createCompressor(analogTag({ kind: 'none' }));
    c.push(s(0, Infinity));
    const json = JSON.stringify(c.snapshot());
    expect(JSON.parse(json).last.value).toBe('Infinity');
    const state = JSON.parse(json) as CompressorState;
    for (const [text, value] of [['Infinity', Infinity], ['-Infinity', -Infinity], ['NaN', NaN], ['-0', -0]] as const) {
      const b = restoreCompressor(analogTag({ kind: 'swinging-door', deviation: 1 }), { ...state, last: point({ value: text }), held: point({ t: 2000, value: text }), latest: point({ t: 2000 }) });
      expect(Object.is(b.pending()!.value, value)).toBe(true);
      const snap = JSON.parse(JSON.stringify(b.snapshot())) as CompressorState;
      expect(snap.held!.value).toBe(text);
    }
    const neg = createCompressor(analogTag({ kind: 'none' }));
    neg.push(s(0, -Infinity));
    expect(neg.snapshot().last!.value).toBe('-Infinity');
  });
});
