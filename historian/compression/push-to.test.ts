/**
 * AnalogCompressor.pushTo (the store's ingest: points handed over as numbers, no copy) archives
 * exactly what push() archives, and push() keeps handing out copies: two compressors of each
 * configuration fed the same random streams (steps, noise, gaps, status changes, NaN while bad,
 * late samples, restarts), one through push() and one through pushTo(), give the same points in
 * the same order and the same state after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import type { ArchivedSample, Compression, Sample, TagConfig } from '../types.js';
import { AnalogCompressor } from './analog.js';
import { analogSettings } from './settings.js';
import { analogTag } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const configs: TagConfig[] = [
  analogTag({ kind: 'none' }, { cycleMs: 1000 }),
  analogTag({ kind: 'deadband', deviation: 0.5 }, { cycleMs: 1000 }),
  analogTag({ kind: 'deadband', deviation: 0.5, maxIntervalMs: 5000 }, { stepped: true }),
  analogTag({ kind: 'swinging-door', deviation: 0.5 }, { cycleMs: 1000 }),
  analogTag({ kind: 'swinging-door', deviation: 0.5, exceptionDeviation: 0.2, minIntervalMs: 1500, maxIntervalMs: 20_000 } as Compression),
  analogTag({ kind: 'swinging-door', deviation: 0.5 }, { stepped: true, cycleMs: 1000 }),
];

type Step = { op: 'push'; dt: number; value: number; status: number; nan: boolean } | { op: 'late'; back: number; value: number } | { op: 'restart' };
const steps = fc.array(fc.oneof(
  { weight: 14, arbitrary: fc.record({
    op: fc.constant('push' as const),
    dt: fc.oneof({ weight: 6, arbitrary: fc.constant(1000) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 1500 }) }, { weight: 1, arbitrary: fc.integer({ min: 1500, max: 60_000 }) }),
    value: fc.oneof(fc.integer({ min: -30, max: 30 }).map((v) => v / 10), fc.double({ min: -100, max: 100, noNaN: true })),
    status: fc.constantFrom(Good, Good, Good, UncertainLastUsableValue, BadSensorFailure),
    nan: fc.boolean(),
  }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('late' as const), back: fc.integer({ min: 0, max: 4000 }), value: fc.integer({ min: -30, max: 30 }).map((v) => v / 10) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const) }) },
), { maxLength: 80 });

describe('AnalogCompressor.pushTo archives what push() archives', () => {
  for (const config of configs) {
    const c = config.compression;
    it(`${c.kind}${config.stepped ? ' stepped' : ''}${'exceptionDeviation' in c ? ' with ExcDev and CompMin' : ''}`, () => {
      fc.assert(fc.property(steps, (run: Step[]) => {
        const a = new AnalogCompressor(config.name, analogSettings(config));
        const b = new AnalogCompressor(config.name, analogSettings(config));
        let t = 1_700_000_000_000;
        for (const s of run) {
          if (s.op === 'push') {
            t += s.dt;
            const sample: Sample = { t, value: s.status === BadSensorFailure && s.nan ? NaN : s.value, status: s.status };
            const viaPush = a.push(sample).map((p) => ({ ...p }));
            const viaSink: ArchivedSample[] = [];
            b.pushTo({ ...sample }, (pt, value, status, flags) => viaSink.push({ t: pt, value, status, flags }));
            expect(viaSink).toEqual(viaPush);
          } else if (s.op === 'late') {
            const late = { t: t - s.back, value: s.value, status: Good };
            expect(b.pushLate(late)).toEqual(a.pushLate(late));
          } else expect(b.restart()).toEqual(a.restart());
          expect(b.snapshot()).toEqual(a.snapshot());
        }
        expect(b.flush()).toEqual(a.flush());
      }), { numRuns: propertyRuns(200) });
    });
  }

  it("push() hands out copies: changing what it returned changes nothing the compressor archives later", () => {
    const config = configs[3]!;
    const a = new AnalogCompressor(config.name, analogSettings(config));
    const b = new AnalogCompressor(config.name, analogSettings(config));
    const values = [0, 0.2, 0.4, 3, 3.1, 3.2, 0, 0.1, 5];
    const fromA: ArchivedSample[] = [], fromB: ArchivedSample[] = [];
    values.forEach((value, i) => {
      const s = { t: 1000 * (i + 1), value, status: Good };
      for (const p of a.push(s)) {
        fromA.push({ ...p });
        p.value = -999; // a caller's change to a returned point
        p.t = 0;
      }
      fromB.push(...b.push(s));
    });
    const flushed = a.flush();
    fromA.push(...flushed.map((p) => ({ ...p })));
    for (const p of flushed) p.value = -999;
    fromB.push(...b.flush());
    expect(fromA.length).toBeGreaterThan(2);
    expect(fromA).toEqual(fromB);
    expect(a.snapshot()).toEqual(b.snapshot());
  });
});
