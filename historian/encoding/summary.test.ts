import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { decodeBlock, encodeBlock } from './block.js';
import { summarize } from './summary.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);
const p = (s: number, value: number, status = Good): ArchivedSample => ({ t: T0 + s * 1000, value, status, flags: 0 });
const sum = (points: ArchivedSample[], stepped: boolean) => summarize(decodeBlock(encodeBlock(points)), stepped);

describe('summarize', () => {
  it('linear: trapezoids over good spans; a span into a bad point holds the good value', () => {
    const s = sum([p(0, 1), p(10, 3), p(20, 5, BadSensorFailure), p(30, 100, BadSensorFailure), p(40, 2), p(50, 4)], false);
    expect(s).toEqual({
      count: 6, tStart: T0, tEnd: T0 + 50_000,
      min: 1, max: 4,
      first: { t: T0, value: 1 }, last: { t: T0 + 50_000, value: 4 },
      // (1+3)/2*10 s + 3*10 s (held into the bad point) + (2+4)/2*10 s
      integral: 20_000 + 30_000 + 30_000,
      goodMs: 30_000,
      worstSeverity: 2,
    });
  });

  it('stepped: sample and hold', () => {
    const s = sum([p(0, 1), p(10, 3), p(20, 5, UncertainLastUsableValue), p(30, 2)], true);
    expect(s.integral).toBe(1 * 10_000 + 3 * 10_000);
    expect(s.goodMs).toBe(20_000);
    expect(s.worstSeverity).toBe(1);
  });

  it('no good value: nulls, zero integral', () => {
    const s = sum([p(0, 1, BadSensorFailure), p(5, 2, BadSensorFailure)], false);
    expect(s).toMatchObject({ count: 2, min: null, max: null, first: null, last: null, integral: 0, goodMs: 0, worstSeverity: 2 });
  });

  it('one point, and NaN values are not good values', () => {
    expect(sum([p(0, 7)], false)).toMatchObject({ count: 1, tStart: T0, tEnd: T0, min: 7, max: 7, integral: 0, goodMs: 0, worstSeverity: 0 });
    const s = sum([p(0, NaN), p(10, 2), p(20, Infinity), p(30, 4)], false);
    expect(s).toMatchObject({ min: 2, max: 4, first: { t: T0 + 10_000, value: 2 }, integral: 20_000, goodMs: 10_000 });
  });

  it('matches a direct computation from the points (fast-check)', () => {
    const point = fc.record({
      dt: fc.integer({ min: 0, max: 60_000 }),
      value: fc.oneof(fc.integer({ min: -1000, max: 1000 }).map((k) => k / 10), fc.constant(NaN)),
      status: fc.constantFrom(Good, Good, Good, UncertainLastUsableValue, BadSensorFailure),
    });
    fc.assert(fc.property(fc.array(point, { minLength: 1, maxLength: 100 }), fc.boolean(), (raw, stepped) => {
      let t = T0;
      const points = raw.map((r) => ({ t: (t += r.dt), value: r.value, status: r.status, flags: 0 }));
      const good = (q: ArchivedSample) => q.status === Good && Number.isFinite(q.value);
      const goods = points.filter(good);
      let integral = 0;
      let goodMs = 0;
      for (let i = 0; i + 1 < points.length; i++) {
        const [a, b] = [points[i], points[i + 1]];
        if (!good(a)) continue;
        const dt = b.t - a.t;
        goodMs += dt;
        const va = a.value as number;
        integral += stepped || !good(b) ? va * dt : ((va + (b.value as number)) / 2) * dt;
      }
      const s = sum(points, stepped);
      expect(s.count).toBe(points.length);
      expect(s.goodMs).toBe(goodMs);
      expect(s.integral).toBeCloseTo(integral, 6);
      expect(s.min).toBe(goods.length ? Math.min(...goods.map((q) => q.value as number)) : null);
      expect(s.max).toBe(goods.length ? Math.max(...goods.map((q) => q.value as number)) : null);
      expect(s.first?.t ?? null).toBe(goods[0]?.t ?? null);
      expect(s.last?.t ?? null).toBe(goods.at(-1)?.t ?? null);
      expect(s.worstSeverity).toBe(Math.max(...points.map((q) => (q.status === Good ? 0 : q.status === UncertainLastUsableValue ? 1 : 2))));
    }), { numRuns: propertyRuns(300) });
  });

  it('rejects an empty block', () => {
    expect(() => summarize({ t: new Float64Array(0), value: new Float64Array(0), status: new Uint32Array(0), flags: new Uint8Array(0), length: 0 }, false)).toThrow(/empty/);
  });
});
