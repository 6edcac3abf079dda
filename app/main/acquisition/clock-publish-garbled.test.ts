/**
 * A server whose clock is right but which sent a few publishTimes garbled (a server bug: the year
 * 2106), then right ones again; its ServerTimestamps show the clock right all along. Before, the
 * publishTime ahead was remembered as a clock fault for a quarter hour and the gap after a cut was
 * refused ("not filled: the server clock is off"): history the server held, dated right, lost. Now
 * the clock measured at the backfill, within tolerance, overrides a fault seen only in publishTimes
 * (one the server gives no time to measure by still stands: clock-off-unproven.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { clockPlant, type ClockPlantOptions } from './testing/clock-plant.js';
import { until, type TestStation } from './testing/harness.js';

const logged = (t: TestStation, start: string) => t.logs.filter((l) => String(l.msg).startsWith(start));

describe('a server whose clock is right that sends a few publishTimes in 2106, then a cut', () => {
  const o: ClockPlantOptions = { time: { currentTime: 'unset', stamps: { offsetMs: 0 }, publish: { offsetMs: Date.UTC(2106, 0, 1) - Date.now() } }, offsetMs: 0 };
  const p = clockPlant('publish-garbled', o);
  let gap: LedgerEntry;
  let madeWhileCut: { t: number; v: number }[];
  beforeAll(async () => {
    await p.setup();
    ({ gap, madeWhileCut } = await p.cut({
      before: () => {
        const seen = logged(p.station(), 'publish time ahead of the station clock').length > 0;
        // The garbled ones seen: its publishTimes right again (its clock as the ServerTimestamps give it).
        if (seen) delete o.time.publish;
        return seen;
      },
      stillAfter: true,
    }));
  }, 400_000);
  afterAll(p.teardown);

  it('saw the publish time ahead (the fault remembered before the gap)', () => {
    const warned = logged(p.station(), 'publish time ahead of the station clock')[0]!;
    expect(warned.aheadMs as number).toBeGreaterThan(365 * 24 * 3600_000);
  });

  it('fills the gap from the server history at the times the plant gave its values', async () => {
    const t = p.station();
    expect(gap).toMatchObject({ backfill: 'done' });
    expect(logged(t, 'gap not backfilled')).toEqual([]);
    // The last value made while cut came live at the reconnection (the item's current value).
    const live = new Set(p.good().map((s) => s.value));
    const inGap = madeWhileCut.filter((r) => r.t > gap.from && r.t < gap.to! && !live.has(r.v));
    expect(inGap.length).toBeGreaterThanOrEqual(1);
    await until('backfill archived', () => t.backfills.length >= gap.backfilledSamples);
    const filled = new Map(t.backfills.map((s) => [s.value, s.t]));
    for (const r of inGap) expect(filled.get(r.v), String(r.v)).toBe(r.t);
  });

  it('says why the publish time ahead did not refuse it', () => {
    const told = logged(p.station(), 'a publish time was ahead of the station clock before this gap, but the server clock measured now is right')[0];
    expect(told).toMatchObject({ server: 'plc', gap: gap.id, source: 'ServerTimestamp' });
  });
});
