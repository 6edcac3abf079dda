/** The seam of a switch (failover-seam.ts) on its own: what the old endpoint handed on is not handed on again, what differs is. */
import { describe, expect, it } from 'vitest';
import { Seam, seamWaitMs } from './failover-seam.js';
import type { AcquiredSample } from './sample.js';

const s = (tag: string, t: number, value: number | null, status = 0): AcquiredSample => ({ tag, t, value, status });
const BadNoCommunication = 0x80310000;

describe('the seam of a switch of endpoint', () => {
  it('drops the overlap the old endpoint delivered, keeps what is newer', () => {
    const seam = new Seam(['A']);
    const lastT = new Map([['A', 300]]);
    const lastStatus = new Map([['A', 0]]);
    expect(seam.take([s('A', 100, 1), s('A', 200, 2), s('A', 300, 3), s('A', 400, 4)], lastT, lastStatus).map((x) => x.value)).toEqual([4]);
    // Past the seam: the tag's values go on as they come (a later one at the same time is the link's to date).
    expect(seam.take([s('A', 400, 5)], new Map([['A', 400]]), lastStatus).map((x) => x.value)).toEqual([5]);
  });

  it('keeps a value whose status differs from the last one handed on: what the tag is now', () => {
    // The old endpoint had the tag bad (degraded: its device link down); the new one has it good since before.
    const seam = new Seam(['A', 'B']);
    const out = seam.take([s('A', 100, 7), s('B', 100, 8)], new Map([['A', 300], ['B', 300]]), new Map([['A', BadNoCommunication], ['B', 0]]));
    expect(out.map((x) => x.tag)).toEqual(['A']);
  });

  it('lets a tag the old endpoint never delivered through, and waits a publish beyond the longest publishing interval', () => {
    expect(new Seam(['A']).take([s('A', 100, 1)], new Map(), new Map())).toHaveLength(1);
    expect(seamWaitMs({ publishingIntervalMs: 500, staleAfterMs: 3000, groups: [{ id: 'slow', publishingIntervalMs: 1000 }] })).toBe(1250);
    expect(seamWaitMs({ publishingIntervalMs: 500, staleAfterMs: 600, groups: [] })).toBe(600);
  });
});
