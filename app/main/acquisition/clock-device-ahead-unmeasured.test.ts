/**
 * A device's stamps ahead are its tag's fault only while the server's clock is measured right
 * (clock-device-ahead.test.ts). Here the server gives its time while the device stamps ahead, then,
 * during a cut, stops giving any (CurrentTime unset, no ServerTimestamps) and the device's clock is
 * set right: at the backfill nothing measures the server's clock, so nothing tells the stamps seen
 * ahead from a fast server clock, and the gap is refused as before ("the server clock is off").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { clockPlant, type ClockPlantOptions } from './testing/clock-plant.js';
import { CLOCK_OFF_NOTE } from './gap-note.js';

describe('a device stamping five minutes ahead, its server\'s clock measured right, then no time to measure it by at the backfill', () => {
  const o: ClockPlantOptions = { time: { currentTime: 'given', stamps: { offsetMs: 0 } }, offsetMs: 0, device: { aheadMs: 5 * 60_000 } };
  const p = clockPlant('device-ahead-unmeasured', o);
  let gap: LedgerEntry;
  beforeAll(async () => {
    await p.setup();
    ({ gap } = await p.cut({
      before: () => p.station().samples.filter((s) => s.tag === 'Device' && s.status === 0).length >= 3,
      // The device's clock right again, so no value after the reconnection is stamped ahead: only those seen before the cut are.
      whileCut: () => { Object.assign(o.time, { currentTime: 'unset', stamps: null }); o.device!.aheadMs = 0; },
    }));
  }, 400_000);
  afterAll(p.teardown);

  it('refuses the gap, the server\'s clock unmeasured', () => {
    const t = p.station();
    expect(gap).toMatchObject({ backfill: 'failed', note: CLOCK_OFF_NOTE, backfilledSamples: 0 });
    const refused = t.logs.filter((l) => String(l.msg).startsWith('gap not backfilled: the server clock is off') && l.gap === gap.id);
    expect(refused.map((l) => [l.clock, l.by])).toEqual([['ahead', 'stamps']]);
    expect(t.backfills).toEqual([]);
  });
});
