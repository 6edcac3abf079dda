import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TrendBuffer, trendCapacity } from './trend-buffer.js';

describe('TrendBuffer', () => {
  it('returns rows oldest first with seconds on x and nulls for gaps', () => {
    const b = new TrendBuffer(['a', 'b'], 10);
    b.push(1000, (t) => (t === 'a' ? 1 : null));
    b.push(2000, (t) => (t === 'a' ? 2 : 20));
    b.push(3000, () => null);
    expect(b.data(['a', 'b'])).toEqual([
      [1, 2, 3],
      [1, 2, null],
      [null, 20, null],
    ]);
    expect(b.data(['b', 'unknown'])).toEqual([[1, 2, 3], [null, 20, null], [null, null, null]]);
  });

  it('turns NaN and infinities into gaps', () => {
    const b = new TrendBuffer(['a'], 4);
    b.push(1, () => NaN);
    b.push(2, () => Infinity);
    expect(b.data(['a'])[1]).toEqual([null, null]);
  });

  it('refreshes the last row instead of going back in time', () => {
    const b = new TrendBuffer(['a'], 4);
    b.push(2000, () => 1);
    b.push(1500, () => 2);
    b.push(2000, () => 3);
    expect(b.data(['a'])).toEqual([[2], [3]]);
  });

  it('keeps the newest rows when full and filters by time', () => {
    const b = new TrendBuffer(['a'], 3);
    for (let i = 1; i <= 5; i++) b.push(i * 1000, () => i);
    expect(b.length).toBe(3);
    expect(b.data(['a'])).toEqual([[3, 4, 5], [3, 4, 5]]);
    expect(b.data(['a'], 4000)).toEqual([[4, 5], [4, 5]]);
  });

  it('matches a plain array model for any pushes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }))), { maxLength: 40 }), (cap, pushes) => {
        const b = new TrendBuffer(['a'], cap);
        const model: [number, number | null][] = [];
        for (const [t, v] of pushes) {
          b.push(t, () => v);
          const last = model.at(-1);
          if (last && t <= last[0]) last[1] = v;
          else model.push([t, v]);
          if (model.length > cap) model.shift();
        }
        expect(b.data(['a'])).toEqual([model.map(([t]) => t / 1000), model.map(([, v]) => v)]);
      }),
    );
  });

  it('rejects a useless capacity', () => {
    expect(() => new TrendBuffer([], 1)).toThrow(/capacity must be an integer >= 2, got 1/);
  });
});

describe('trendCapacity', () => {
  it('stays within its bounds', () => {
    expect(trendCapacity(0)).toBe(20_000);
    expect(trendCapacity(400)).toBe(10_000);
    expect(trendCapacity(100_000)).toBe(2000);
  });
});
