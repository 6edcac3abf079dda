/**
 * The swinging door's two decisions at their exact boundaries, with numbers chosen so the slopes
 * are exact in doubles (powers of two): a sample exactly on the door's edge is inside, the
 * smallest step past it is outside; a gap of exactly CompMax keeps the point held, one ms more
 * archives it. Expectations are worked out by hand from the PI rules in README.md.
 */
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { Sample } from '../types.js';
import { analogTag, run } from './testing.js';

const s = (t: number, value: number): Sample => ({ t, value, status: Good });
const tv = (points: { t: number; value: unknown }[]) => points.map((p) => [p.t, p.value]);

describe('swinging door: the door edge', () => {
  // From (0, 0) with dev 1, the held sample (1024, 0) opens the door to slopes [-1/1024, +1/1024].
  const door = analogTag({ kind: 'swinging-door', deviation: 1 });

  it('a sample exactly on the upper edge is inside: nothing archived, the line passes within dev', () => {
    const r = run(door, [s(0, 0), s(1024, 0), s(2048, 2)]);
    expect(tv(r.archived)).toEqual([[0, 0]]);
    expect(tv([r.pending!])).toEqual([[2048, 2]]);
  });

  it('a sample exactly on the lower edge is inside', () => {
    const r = run(door, [s(0, 0), s(1024, 0), s(2048, -2)]);
    expect(tv(r.archived)).toEqual([[0, 0]]);
  });

  it('just above the upper edge, or just below the lower one, the held sample is archived', () => {
    expect(tv(run(door, [s(0, 0), s(1024, 0), s(2048, 2.001)]).archived)).toEqual([[0, 0], [1024, 0]]);
    expect(tv(run(door, [s(0, 0), s(1024, 0), s(2048, -2.001)]).archived)).toEqual([[0, 0], [1024, 0]]);
  });

  it('the door only narrows: a sample whose own bound is wider leaves the narrower one in place', () => {
    // (512, 0) sets the upper slope to 1/512 = 2/1024; (1024, 1.5) allows up to 2.5/1024, wider, so
    // the upper slope stays 2/1024. (2048, 4.5) has slope 2.25/1024: above it, so (1024, 1.5) is
    // archived (else the line to 4.5 would pass 1.125 above the sample at 512).
    const r = run(door, [s(0, 0), s(512, 0), s(1024, 1.5), s(2048, 4.5)]);
    expect(tv(r.archived)).toEqual([[0, 0], [1024, 1.5]]);
    const low = run(door, [s(0, 0), s(512, 0), s(1024, -1.5), s(2048, -4.5)]);
    expect(tv(low.archived)).toEqual([[0, 0], [1024, -1.5]]);
  });
});

describe('swinging door: CompMax', () => {
  // A deviation so wide that only CompMax archives anything.
  const wide = (maxIntervalMs: number) => analogTag({ kind: 'swinging-door', deviation: 1000, maxIntervalMs });
  const ramp = (n: number) => Array.from({ length: n }, (_, i) => s(i * 1000, i));

  it('a held sample exactly CompMax after the last archived point stays held; the next one archives it', () => {
    const r = run(wide(3000), ramp(8));
    // 3000 - 0 is not more than 3000: held; at 4000 the gap exceeds CompMax and the *held* 3000 goes.
    expect(tv(r.archived)).toEqual([[0, 0], [3000, 3], [6000, 6]]);
    expect(tv([r.pending!])).toEqual([[7000, 7]]);
  });

  it('the first sample after an archived point comes exactly CompMax later: held; one ms later: archived itself', () => {
    expect(tv(run(wide(3000), [s(0, 0), s(3000, 1)]).archived)).toEqual([[0, 0]]);
    expect(tv(run(wide(3000), [s(0, 0), s(3001, 1)]).archived)).toEqual([[0, 0], [3001, 1]]);
  });

  it('archived points are never more than CompMax apart while samples come every second', () => {
    const r = run(wide(2000), ramp(30));
    const points = [...r.archived, ...r.flushed];
    for (let i = 1; i < points.length; i++) expect(points[i]!.t - points[i - 1]!.t).toBeLessThanOrEqual(2000);
    expect(points.length).toBeGreaterThanOrEqual(15);
  });
});
