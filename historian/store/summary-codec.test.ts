import { describe, expect, it } from 'vitest';
import { SUMMARY_FIELDS } from './schema.js';
import { decodeSummaryInto, encodeSummary, summaryEnd, type StoredSummary } from './summary-codec.js';

const T = 1_700_000_000_000;

function summary(values: [number, number, number, number] | null, worstSeverity: number, added = 0): StoredSummary {
  const [first, min, max, last] = values ?? [0, 0, 0, 0];
  return {
    tStart: T, tEnd: T + 9000, count: 10, worstSeverity, added,
    ...(values ? { first: { t: T + 1000, value: first }, last: { t: T + 8000, value: last }, min, max } : { first: null, last: null, min: null, max: null }),
  } as StoredSummary;
}

function decode(bytes: Uint8Array): { fields: number[]; added: number } {
  const out = new Float64Array(SUMMARY_FIELDS);
  const added = decodeSummaryInto(bytes, T, out, 0);
  return { fields: [...out], added };
}

describe('stored block summary', () => {
  it.each([
    ['decimal values', [12.5, -3.25, 40.125, 7] as [number, number, number, number]],
    ['values that need float64', [Math.PI, -Math.E, 1e300, 1 / 3] as [number, number, number, number]],
  ])('keeps %s and every worst severity apart (0 good .. 2 bad)', (_, values) => {
    for (const worst of [0, 1, 2]) {
      const { fields, added } = decode(encodeSummary(summary(values, worst, 3)));
      const [first, min, max, last] = values;
      expect(fields).toEqual([T, T + 9000, 10, min, max, T + 1000, first, T + 8000, last, worst]);
      expect(added).toBe(3);
    }
  });

  it('gives NaN for the values of a block with no good value', () => {
    const { fields, added } = decode(encodeSummary(summary(null, 2)));
    expect(fields.slice(0, 3)).toEqual([T, T + 9000, 10]);
    expect(fields.slice(3, 9).every(Number.isNaN)).toBe(true);
    expect(fields[9]).toBe(2);
    expect(added).toBe(0);
  });

  // An OPC UA Float's block: its four values are float32s (23.45 is 23.450000762939453), stored as
  // the decimals they print as, not as four doubles; a near-decimal block's stay doubles.
  it('stores float32 values as decimals and reads them back as the same floats', () => {
    const f = (v: number) => new Float32Array([v])[0]!;
    const values: [number, number, number, number] = [f(23.45), f(-0.5), f(1234.5), f(7.1)];
    const bytes = encodeSummary(summary(values, 0));
    expect(bytes.length).toBeLessThan(20); // four doubles alone are 32
    const { fields } = decode(bytes);
    expect([fields[6], fields[3], fields[4], fields[8]]).toEqual(values);
    const near: [number, number, number, number] = [Number('0.12984500000000002'), 0.129845, 0.2, 0.1];
    const nearBytes = encodeSummary(summary(near, 0));
    expect(nearBytes.length).toBeGreaterThan(32);
    const { fields: n } = decode(nearBytes);
    expect([n[6], n[3], n[4], n[8]]).toEqual(near);
  });

  it('reads float64 values from a view at an odd offset of a larger buffer (as SQLite hands Buffers out)', () => {
    const bytes = encodeSummary(summary([Math.PI, -1.5e-7, 2 ** 60 + 0.5, 1 / 7], 1));
    const pool = new Uint8Array(bytes.length + 13);
    pool.set(bytes, 5);
    const { fields } = decode(pool.subarray(5, 5 + bytes.length));
    expect(fields.slice(3, 10)).toEqual([-1.5e-7, 2 ** 60 + 0.5, T + 1000, Math.PI, T + 8000, 1 / 7, 1]);
  });

  it('reads summaries laid end to end, each ending where the next starts (how a reader loads a tag\'s blocks at once)', () => {
    const parts = [summary([12.5, -3.25, 40.125, 7], 0), summary([Math.PI, -Math.E, 1e300, 1 / 3], 1, 2), summary(null, 2), summary([1, 1, 1, 1], 0, 1)];
    const encoded = parts.map((p) => encodeSummary(p));
    const all = new Uint8Array(encoded.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of encoded) { all.set(b, at); at += b.length; }
    const out = new Float64Array(SUMMARY_FIELDS);
    at = 0;
    for (let k = 0; k < parts.length; k++) {
      const added = decodeSummaryInto(all, T, out, 0, at, all.length);
      expect(added).toBe(parts[k]!.added);
      expect(out[4]).toEqual(parts[k]!.max ?? NaN);
      at = summaryEnd();
      expect(at).toBe(encoded.slice(0, k + 1).reduce((n, b) => n + b.length, 0));
    }
  });
});

describe('stored block summary bytes, worked out by hand', () => {
  // Every case: t_end - t_start 9000 = varint [168, 70] (40 | 128, 70), count 10, first_t - t_start and t_end - last_t 1000 = [232, 7].
  it('stores integer values as decimal with scale 0: zigzag of the first, then of the differences from it', () => {
    // first 3, min -2, max 5, last 4: zigzag(3) 6, zigzag(-5) 9, zigzag(2) 4, zigzag(1) 2; bits GOOD | DECIMAL = 9.
    expect([...encodeSummary(summary([3, -2, 5, 4], 0))]).toEqual([9, 168, 70, 10, 232, 7, 232, 7, 0, 6, 9, 4, 2]);
  });

  it('stores two-decimal values with scale 2', () => {
    // 125, -50, 275, 100: zigzag(125) 250 = [250, 1], zigzag(-175) 349 = [221, 2], zigzag(150) 300 = [172, 2], zigzag(-25) 49.
    expect([...encodeSummary(summary([1.25, -0.5, 2.75, 1], 0))]).toEqual([9, 168, 70, 10, 232, 7, 232, 7, 2, 250, 1, 221, 2, 172, 2, 49]);
  });

  it('stores a summary missing any one of first, last, min, max as one with no good value', () => {
    const full = summary([3, -2, 5, 4], 1);
    for (const missing of ['first', 'last', 'min', 'max'] as const) {
      // bits: worst severity 1 << 1 = 2, no GOOD bit; then t_end - t_start and count only.
      expect([...encodeSummary({ ...full, [missing]: null })]).toEqual([2, 168, 70, 10]);
    }
  });

  it('refuses a time span, count or cyclic count that is not an integer >= 0', () => {
    expect(() => encodeSummary({ ...summary(null, 0), tEnd: T - 5 })).toThrow(/^summary: -5 is not an integer >= 0$/);
    expect(() => encodeSummary({ ...summary(null, 0), count: 2.5 })).toThrow(/^summary: 2.5 is not an integer >= 0$/);
  });

  it('refuses a summary cut short, in a varint or in its float64 values, even with bytes after it', () => {
    const out = new Float64Array(SUMMARY_FIELDS);
    // [0, 168, 70, 10] read to 3: the count's varint is past the end.
    expect(() => decodeSummaryInto(Uint8Array.from([0, 168, 70, 10]), T, out, 0, 0, 3)).toThrow(/^corrupt summary: truncated$/);
    // t_end's varint continues past the end of the array.
    expect(() => decodeSummaryInto(Uint8Array.from([0, 168]), T, out, 0)).toThrow(/^corrupt summary: truncated$/);
    // GOOD, not decimal: 32 bytes of float64 after byte 8; 32 are there but the summary ends one before.
    const float = Uint8Array.from([1, 168, 70, 10, 232, 7, 232, 7, ...new Array<number>(32).fill(0)]);
    expect(() => decodeSummaryInto(float, T, out, 0, 0, float.length - 1)).toThrow(/^corrupt summary: truncated$/);
    expect(() => decodeSummaryInto(float.subarray(0, float.length - 1), T, out, 0)).toThrow(/^corrupt summary: truncated$/);
    decodeSummaryInto(float, T, out, 0);
    expect([...out]).toEqual([T, T + 9000, 10, 0, 0, T + 1000, 0, T + 8000, 0, 0]);
  });
});
