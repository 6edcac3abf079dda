/**
 * Servers that leave their CurrentTime (i=2258) unset or Bad. Their clock was judged by their
 * publishTimes, which a slow link delays as much as the values: values arriving late over a 2.5 s
 * link were taken for a clock behind, and the gap after a cut was ended `failed`, "not filled: the
 * server clock is off", though the clock was right and the server held the history. The ServerTimestamp
 * of a read (maxAge 0), timed like the CurrentTime read, measures such a clock: right, the gap is
 * filled; behind (its ServerTimestamps behind too), the gap is still refused. A server that gives no
 * time at all has its gap filled with that said, not thrown away.
 * (Split in three files by server, so that each runs beside other files: the cases of the other two
 * servers are in clock-no-current-time.test.ts and clock-no-time-at-all.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { clockPlant } from './testing/clock-plant.js';
import type { TestStation } from './testing/harness.js';

/** Written as the catalog key, independent of server-link.ts's constants. */
const CLOCK_OFF = 'not filled: the server clock is off, its history would be dated wrong';

const measured = (t: TestStation) => t.logs.filter((l) => String(l.msg).startsWith('server clock measured ('));

describe('a server with its CurrentTime Bad and its clock a minute behind (its ServerTimestamps too)', () => {
  const p = clockPlant('no-current-time-behind', { time: { currentTime: 'bad', stamps: { offsetMs: -60_000 } }, offsetMs: -60_000 });
  let gap: LedgerEntry;
  beforeAll(async () => {
    await p.setup();
    ({ gap } = await p.cut());
  }, 400_000);
  afterAll(p.teardown);

  it('measures the clock behind by the ServerTimestamp of a read and says so', () => {
    const m = measured(p.station());
    expect(m.length).toBeGreaterThanOrEqual(1);
    expect(m[0]).toMatchObject({ server: 'plc', source: 'ServerTimestamp' });
    expect(m[0]!.offsetHighMs as number).toBeLessThan(-55_000);
    expect(m[0]!.offsetLowMs as number).toBeGreaterThan(-65_000);
  });

  it('leaves the gap unfilled, saying the server clock is off, and archives none of its history', () => {
    const t = p.station();
    expect(gap).toMatchObject({ backfill: 'failed', note: CLOCK_OFF, backfilledSamples: 0 });
    expect(t.backfills).toEqual([]);
    expect(t.logs.some((l) => /gap not backfilled: the server clock is off/.test(String(l.msg)) && l.clock === 'behind')).toBe(true);
  });
});
