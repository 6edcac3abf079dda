/**
 * Servers that leave their CurrentTime (i=2258) unset or Bad. Their clock was judged by their
 * publishTimes, which a slow link delays as much as the values: values arriving late over a 2.5 s
 * link were taken for a clock behind, and the gap after a cut was ended `failed`, "not filled: the
 * server clock is off", though the clock was right and the server held the history. The ServerTimestamp
 * of a read (maxAge 0), timed like the CurrentTime read, measures such a clock: right, the gap is
 * filled; behind (its ServerTimestamps behind too), the gap is still refused. A server that gives no
 * time at all has its gap filled with that said, not thrown away.
 * (Split in three files by server, so that each runs beside other files: the cases of the other two
 * servers are in clock-no-current-time.test.ts and clock-bad-current-time.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { storedNote } from '../../shared/gap-note.js';
import { clockPlant } from './testing/clock-plant.js';
import { until, type Received, type TestStation } from './testing/harness.js';

/** Server to station: above what a 100 ms publish of a 50 ms item holds, and above AHEAD_TOLERANCE_MS. */
const DELAY = 2500;
const CLOCK_UNCHECKED = storedNote('gaps.note.clockUnchecked');

const measured = (t: TestStation) => t.logs.filter((l) => String(l.msg).startsWith('server clock measured ('));

describe('a server that gives no time at all (CurrentTime unset, no ServerTimestamps, no publishTimes), its clock right, behind a 2.5 s link', () => {
  const p = clockPlant('no-time-slow', { time: { currentTime: 'unset', stamps: null }, offsetMs: 0, delayMs: DELAY });
  let marker: Received;
  let gap: LedgerEntry;
  beforeAll(async () => {
    await p.setup();
    ({ marker, gap } = await p.cut());
  }, 400_000);
  afterAll(p.teardown);

  it('says the clock is not measured', () => {
    const t = p.station();
    expect(measured(t)).toEqual([]);
    expect(t.logs.some((l) => String(l.msg).startsWith('server clock not measured: it gives no usable time'))).toBe(true);
  });

  it('fills the gap, its note and the log saying the clock was not checked', async () => {
    const t = p.station();
    expect(gap).toMatchObject({ backfill: 'done', note: CLOCK_UNCHECKED });
    expect(t.logs.some((l) => String(l.msg).startsWith('gap backfilled with the server clock unchecked') && l.gap === gap.id)).toBe(true);
    const lastBefore = p.good().filter((s) => s.at < marker.at).at(-1)!;
    // The live values were dated at their receipt (taken for a clock behind): the gap's values not
    // received live, from the gap's start (or the last value's receipt) on, at the server's own times.
    const live = new Set(p.good().map((s) => s.value));
    const expected = p.record.filter((r) => r.t > Math.max(lastBefore.t, gap.from) && r.t < gap.to! && !live.has(r.v));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    await until('backfill archived', () => t.backfills.length >= gap.backfilledSamples);
    const filled = new Map(t.backfills.map((s) => [s.value, s.t]));
    for (const r of expected) expect(filled.get(r.v), String(r.v)).toBe(r.t);
  });
});
