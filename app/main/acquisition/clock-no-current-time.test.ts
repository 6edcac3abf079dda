/**
 * Servers that leave their CurrentTime (i=2258) unset or Bad. Their clock was judged by their
 * publishTimes, which a slow link delays as much as the values: values arriving late over a 2.5 s
 * link were taken for a clock behind, and the gap after a cut was ended `failed`, "not filled: the
 * server clock is off", though the clock was right and the server held the history. The ServerTimestamp
 * of a read (maxAge 0), timed like the CurrentTime read, measures such a clock: right, the gap is
 * filled; behind (its ServerTimestamps behind too), the gap is still refused. A server that gives no
 * time at all has its gap filled with that said, not thrown away.
 * (Split in three files by server, so that each runs beside other files: the cases of the other two
 * servers are in clock-bad-current-time.test.ts and clock-no-time-at-all.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { AHEAD_TOLERANCE_MS, behindTolerance } from './sample.js';
import { clockPlant } from './testing/clock-plant.js';
import { until, type Received, type TestStation } from './testing/harness.js';

/** Server to station: above what a 100 ms publish of a 50 ms item holds, and above AHEAD_TOLERANCE_MS. */
const DELAY = 2500;

const measured = (t: TestStation) => t.logs.filter((l) => String(l.msg).startsWith('server clock measured ('));

describe('a server with its CurrentTime unset and its clock right, behind a link that delays what it sends by 2.5 s', () => {
  const p = clockPlant('no-current-time-slow', { time: { currentTime: 'unset', stamps: { offsetMs: 0 } }, offsetMs: 0, delayMs: DELAY });
  let marker: Received;
  let gap: LedgerEntry;
  beforeAll(async () => {
    // Every value after the first arrives older than a publish can hold: taken for a clock behind without a measure.
    expect(DELAY).toBeGreaterThan(behindTolerance(100, 50, 5));
    expect(DELAY).toBeGreaterThan(AHEAD_TOLERANCE_MS);
    await p.setup();
    ({ marker, gap } = await p.cut());
  }, 400_000);
  afterAll(p.teardown);

  it('measures the clock by the ServerTimestamp of a read, with the round trip timed, and says so', () => {
    const m = measured(p.station());
    expect(m.length).toBeGreaterThanOrEqual(1);
    expect(m[0]).toMatchObject({ server: 'plc', source: 'ServerTimestamp' });
    expect(m[0]!.roundTripMs as number).toBeGreaterThanOrEqual(DELAY);
    expect(m[0]!.offsetHighMs as number).toBeGreaterThanOrEqual(0);
    expect(m[0]!.offsetLowMs as number).toBeLessThanOrEqual(0);
    expect(p.station().logs.some((l) => String(l.msg).startsWith('source timestamp behind'))).toBe(false);
  });

  it('fills the gap from the server\'s history, every value at the time the server gave it', async () => {
    const t = p.station();
    expect(gap).toMatchObject({ backfill: 'done', note: null });
    const lastBefore = p.good().filter((s) => s.at < marker.at).at(-1)!;
    const resumed = p.good().find((s) => s.at > marker.at)!.t;
    // Every value the plant made after the last one received and before the first live one after the cut.
    const expected = p.record.filter((r) => r.t > lastBefore.t && r.t < resumed);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    await until('backfill archived', () => t.backfills.length >= expected.length);
    expect(t.backfills.map((s) => [s.t, s.value])).toEqual(expected.map((r) => [r.t, r.v]));
  });
});
