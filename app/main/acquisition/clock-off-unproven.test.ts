/**
 * Two ways a server clock off was let through to fill a gap with history dated by it.
 *
 * A publishTime far ahead of its receipt (a fast or garbled clock): delay only makes a publishTime
 * older, yet the lag (receipt − publishTime) came out negative and was taken for a clock right, and
 * the gap after a cut was filled from that server's history.
 *
 * Values late while the server gave no time to measure its clock by prove nothing (clockUnchecked);
 * when the server then gives its time and the measure at reconnection shows the clock a minute
 * behind, the backfill ran before any live value proved it (the first one after a reconnection is
 * the item's current value, judged for nothing) and filled the gap with no note at all, since a
 * measure existed. It is decided on the measure: behind beyond tolerance refuses; within it fills,
 * without the unchecked note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { AHEAD_TOLERANCE_MS } from './sample.js';
import { clockPlant, type ClockPlantOptions } from './testing/clock-plant.js';
import { until, type Received, type TestStation } from './testing/harness.js';

/** Written as the ledger stores it, independent of server-link.ts's constants. */
const CLOCK_OFF = 'not filled: the server clock is off, its history would be dated wrong';

const logged = (t: TestStation, start: string) => t.logs.filter((l) => String(l.msg).startsWith(start));

describe('a server whose publishTimes run a minute ahead (no CurrentTime, no ServerTimestamps), its values stamped right', () => {
  const AHEAD = 60_000;
  const p = clockPlant('publish-ahead', { time: { currentTime: 'unset', stamps: null, publish: { offsetMs: AHEAD } }, offsetMs: 0 });
  let gap: LedgerEntry;
  let marker: Received;
  beforeAll(async () => {
    expect(AHEAD).toBeGreaterThan(AHEAD_TOLERANCE_MS);
    await p.setup();
    ({ gap, marker } = await p.cut({ before: () => p.good().length >= 6, stillAfter: true }));
  }, 400_000);
  afterAll(p.teardown);

  it('says the server clock is off by how far its publish times are ahead', () => {
    const warned = logged(p.station(), 'publish time ahead of the station clock')[0]!;
    expect(warned).toMatchObject({ server: 'plc', level: 40 });
    expect(warned.aheadMs as number).toBeGreaterThan(AHEAD - 5000);
    expect(warned.aheadMs as number).toBeLessThanOrEqual(AHEAD);
  });

  it('keeps each live value at the time its source gave it (its stamps are right, not ahead)', () => {
    const made = new Map(p.record.map((r) => [r.v, r.t]));
    // Before the cut, but the item's first (its current value, dated when it was asked for).
    const live = p.good().filter((s) => s.at < marker.at).slice(1);
    expect(live.length).toBeGreaterThanOrEqual(5);
    for (const s of live) expect(s.t, String(s.value)).toBe(made.get(s.value as number));
  });

  it('leaves the gap unfilled, saying the server clock is off, and archives none of its history', () => {
    expect(gap).toMatchObject({ backfill: 'failed', note: CLOCK_OFF, backfilledSamples: 0 });
    expect(p.station().backfills).toEqual([]);
    expect(p.station().logs.some((l) => /gap not backfilled: the server clock is off/.test(String(l.msg)) && l.clock === 'ahead')).toBe(true);
  });
});

describe('a server a minute behind that gives no time, its values late unchecked, then gives its ServerTimestamps while cut', () => {
  const BEHIND = -60_000;
  const o: ClockPlantOptions = { time: { currentTime: 'unset', stamps: null }, offsetMs: BEHIND };
  const p = clockPlant('unchecked-then-measured-behind', o);
  let gap: LedgerEntry;
  beforeAll(async () => {
    await p.setup();
    // Values late with no time to judge by: the unproven fault.
    ({ gap } = await p.cut({
      before: () => logged(p.station(), 'source timestamp behind').length > 0,
      whileCut: () => { o.time.stamps = { offsetMs: BEHIND }; },
      stillAfter: true,
    }));
  }, 400_000);
  afterAll(p.teardown);

  it('measures the clock a minute behind at reconnection, by a ServerTimestamp', () => {
    const m = logged(p.station(), 'server clock measured (');
    expect(m.length).toBeGreaterThanOrEqual(1);
    expect(m[0]).toMatchObject({ source: 'ServerTimestamp' });
    expect(m[0]!.offsetHighMs as number).toBeLessThan(BEHIND + 5000);
  });

  it('leaves the gap unfilled on that measure, saying the server clock is off, and archives none of its history', () => {
    expect(gap).toMatchObject({ backfill: 'failed', note: CLOCK_OFF, backfilledSamples: 0 });
    expect(p.station().backfills).toEqual([]);
    expect(p.station().logs.some((l) => /gap not backfilled: the server clock is off/.test(String(l.msg)) && l.clock === 'behind')).toBe(true);
  });
});

describe('a server a minute behind that gives no time, its values late unchecked, then set right and giving its ServerTimestamps while cut', () => {
  const o: ClockPlantOptions = { time: { currentTime: 'bad', stamps: null }, offsetMs: -60_000 };
  const p = clockPlant('unchecked-then-measured-right', o);
  let gap: LedgerEntry;
  let madeWhileCut: { t: number; v: number }[];
  beforeAll(async () => {
    await p.setup();
    ({ gap, madeWhileCut } = await p.cut({
      before: () => logged(p.station(), 'source timestamp behind').length > 0,
      whileCut: () => { o.offsetMs = 0; o.time.stamps = { offsetMs: 0 }; },
      stillAfter: true,
    }));
  }, 400_000);
  afterAll(p.teardown);

  it('fills the gap with no note: the measure checked the clock', async () => {
    const t = p.station();
    expect(gap).toMatchObject({ backfill: 'done', note: null });
    expect(logged(t, 'gap backfilled with the server clock unchecked')).toEqual([]);
    // The values the plant made once its clock was set right, at the times it gave them; but the
    // last, received live at the reconnection (the item's current value).
    const live = new Set(p.good().map((s) => s.value));
    const right = madeWhileCut.filter((r) => r.t > gap.from && r.t < gap.to! && !live.has(r.v));
    expect(right.length).toBeGreaterThanOrEqual(1);
    await until('backfill archived', () => t.backfills.length >= gap.backfilledSamples);
    const filled = new Map(t.backfills.map((s) => [s.value, s.t]));
    for (const r of right) expect(filled.get(r.v), String(r.v)).toBe(r.t);
  });
});
