/** Average over columns (one pass) equals Average over the object path's Series, for any quality mix and configuration. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bad, BadNoData, Good, UncertainDataSubNormal } from '../status.js';
import { computeProcessed, computeProcessedColumns } from './index.js';
import { propertyRuns } from '../testing/property-runs.js';

describe('Average over columns', () => {
  it('equals computeProcessed value for value (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ dt: fc.integer({ min: 0, max: 500 }), v: fc.double({ noDefaultInfinity: true }),
        status: fc.constantFrom(Good, Good, UncertainDataSubNormal, Bad, BadNoData) }), { maxLength: 200 }),
      fc.integer({ min: -1000, max: 50_000 }), fc.integer({ min: -50_000, max: 50_000 }).filter((x) => x !== 0), fc.integer({ min: 0, max: 9000 }),
      fc.boolean(), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), // some pairs are refused: both must say so
      (steps, start, span, intervalMs, treatUncertainAsBad, percentDataGood, percentDataBad) => {
        let t = 0;
        const data = steps.map((s) => ({ t: (t += s.dt), value: s.v, status: s.status, flags: 0 }));
        const cols = { t: Float64Array.from(data, (d) => d.t), value: Float64Array.from(data, (d) => d.value), status: Uint32Array.from(data, (d) => d.status), length: data.length };
        const config = { treatUncertainAsBad, percentDataGood, percentDataBad };
        // The values, or the error: both refuse the same configurations and ranges alike.
        const outcome = (fn: () => { t: number; value: unknown; status: number; flags: number }[]) => {
          try {
            return fn().map((v) => [v.t, String(v.value), v.status, v.flags]);
          } catch (e) {
            return (e as Error).message;
          }
        };
        expect(outcome(() => computeProcessedColumns(cols, start, start + span, intervalMs, 'Average', config)))
          .toEqual(outcome(() => computeProcessed(data, start, start + span, intervalMs, 'Average', config)));
      }), { numRuns: propertyRuns(200) });
  });
});
