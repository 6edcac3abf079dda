/** The seam of a switch (failover-seam.ts) on its own: what the old endpoint handed on is not handed on again, what differs is. */
import { describe, expect, it } from 'vitest';
import { DataType, DataValue, StatusCodes } from 'node-opcua';
import { clockSkew, Seam, seamWaitMs, type HandedOn } from './failover-seam.js';
import { fromDataValue, type AcquiredSample } from './sample.js';

const s = (tag: string, t: number, value: number | null, status = 0): AcquiredSample => ({ tag, t, value, status });
const BadNoCommunication = 0x80310000;
const last = (t: [string, number][], status: [string, number][], given: [string, number][] = [], value: [string, number][] = []): HandedOn =>
  ({ t: new Map(t), value: new Map(value), status: new Map(status), given: new Map(given) });
/** A value as a server sends it, stamped `given` by it: the station dates it `t` (here far later, as a clock behind has its values dated at receipt). */
const sent = (tag: string, given: number, value: number): AcquiredSample => {
  const sample = fromDataValue(tag, 'analog', new DataValue({ value: { dataType: DataType.Double, value }, statusCode: StatusCodes.Good, sourceTimestamp: new Date(given) }), given + 60_000);
  sample.t = given + 60_000;
  return sample;
};
const T0 = Date.UTC(2026, 0, 1);

describe('the seam of a switch of endpoint', () => {
  it('drops the overlap the old endpoint delivered, keeps what is newer', () => {
    const seam = new Seam(['A']);
    const lastStatus: [string, number][] = [['A', 0]];
    expect(seam.take([s('A', 100, 1), s('A', 200, 2), s('A', 300, 3), s('A', 400, 4)], last([['A', 300]], lastStatus)).map((x) => x.value)).toEqual([4]);
    // Past the seam: the tag's values go on as they come (a later one at the same time is the link's to date).
    expect(seam.take([s('A', 400, 5)], last([['A', 400]], lastStatus)).map((x) => x.value)).toEqual([5]);
  });

  it('keeps a value whose status differs from the last one handed on: what the tag is now', () => {
    // The old endpoint had the tag bad (degraded: its device link down); the new one has it good since before.
    const seam = new Seam(['A', 'B']);
    const out = seam.take([s('A', 100, 7), s('B', 100, 8)], last([['A', 300], ['B', 300]], [['A', BadNoCommunication], ['B', 0]]));
    expect(out.map((x) => x.tag)).toEqual(['A']);
  });

  it('lets a tag the old endpoint never delivered through, and waits a publish beyond the longest publishing interval', () => {
    expect(new Seam(['A']).take([s('A', 100, 1)], last([], []))).toHaveLength(1);
    expect(seamWaitMs({ publishingIntervalMs: 500, staleAfterMs: 3000, groups: [{ id: 'slow', publishingIntervalMs: 1000 }] })).toBe(1250);
    expect(seamWaitMs({ publishingIntervalMs: 500, staleAfterMs: 600, groups: [] })).toBe(600);
  });

  it('tells two clocks apart only beyond what their measures can tell', () => {
    const clock = (lowMs: number, highMs: number) => ({ lowMs, highMs });
    // Bounds [-10, 10] and [-5, 15]: the difference lies in [-15, 25], which holds 0.
    expect(clockSkew(clock(-10, 10), clock(-5, 15))).toEqual({ ms: 0, marginMs: 0 });
    // The new one 3 s behind: [-3020, -2990] − [0, 10] = [-3030, -2990], its middle -3010, give or take 20.
    expect(clockSkew(clock(0, 10), clock(-3020, -2990))).toEqual({ ms: -3010, marginMs: 20 });
    expect(clockSkew(null, clock(-3020, -2990))).toEqual({ ms: 0, marginMs: 0 });
  });

  it('compares the servers\' own stamps shifted by their clocks\' difference, whatever the values are dated by', () => {
    // The old endpoint handed on value 5, stamped T0 + 500 by its clock; the new one's clock is 3000 ms behind:
    // it stamps the plant's 400 ms value T0 - 2600 and its 600 ms value T0 - 2400.
    const handed = last([['A', T0 + 500]], [['A', 0]], [['A', T0 + 500]], [['A', 5]]);
    const seam = new Seam(['A'], { ms: -3000, marginMs: 0 });
    expect(seam.take([sent('A', T0 - 2600, 4), sent('A', T0 - 2400, 6)], handed).map((x) => x.value)).toEqual([6]);
    // Ahead instead: the old one's last value came again stamped T0 + 3500, the next one T0 + 3600.
    expect(new Seam(['A'], { ms: 3000, marginMs: 0 }).take([sent('A', T0 + 3500, 5), sent('A', T0 + 3600, 6)], handed).map((x) => x.value)).toEqual([6]);
  });

  it('within the measures\' margin of the last stamp, tells the last value again from a new one by its value', () => {
    const handed = last([['A', T0 + 500]], [['A', 0]], [['A', T0 + 500]], [['A', 5]]);
    // Skew measured -2990 ± 20: the last value again, stamped T0 - 2500, shifts to T0 + 490; a new one 5 ms later, to T0 + 495.
    expect(new Seam(['A'], { ms: -2990, marginMs: 20 }).take([sent('A', T0 - 2500, 5)], handed)).toEqual([]);
    expect(new Seam(['A'], { ms: -3010, marginMs: 20 }).take([sent('A', T0 - 2500, 5)], handed)).toEqual([]);
    expect(new Seam(['A'], { ms: -2990, marginMs: 20 }).take([sent('A', T0 - 2495, 6)], handed).map((x) => x.value)).toEqual([6]);
  });

  it('compares stamps as they are once one repeats the last one exactly: one source stamps for both servers', () => {
    // The clocks differ by 3 s, but both servers pass a device's stamps on: the last value again, stamped as it was.
    const handed = last([['A', T0 + 500], ['B', T0 + 100]], [['A', 0], ['B', 0]], [['A', T0 + 500], ['B', T0 + 100]], [['A', 5], ['B', 9]]);
    const seam = new Seam(['A', 'B'], { ms: -3000, marginMs: 10 });
    const out = seam.take([sent('B', T0 + 100, 9), sent('A', T0 + 400, 4), sent('A', T0 + 500, 5), sent('A', T0 + 600, 6)], handed);
    expect(out.map((x) => x.value)).toEqual([6]);
    expect(seam.shiftMs).toBe(0);
  });
});
