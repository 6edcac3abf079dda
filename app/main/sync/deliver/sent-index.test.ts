/** The recent samples per tag behind "not sent twice" and the rewrite count: exact membership by time and line, late times in place, the oldest dropped first. */
import { describe, expect, it } from 'vitest';
import { SentIndex } from './sent-index.js';

describe('sent index', () => {
  it('knows the times taken per tag, late ones too, and forgets the oldest beyond its bound', () => {
    const s = new SentIndex();
    for (let t = 0; t < 10_000; t += 2) s.add('A', t, t * 7); // 5,000 live times, in order
    s.add('A', 9999, 1); // late, among the newest
    s.add('A', 8001, 2);
    s.add('B', 10, 3);
    const seen = (k: string, t: number) => s.taken(k, t, k === 'B' ? 3 : t === 9999 ? 1 : t === 8001 ? 2 : t * 7);
    expect([seen('A', 9998), seen('A', 9999), seen('A', 8001), seen('A', 8003), seen('B', 10), seen('B', 9998)])
      .toEqual(['same', 'same', 'same', 'none', 'same', 'none']);
    // At most 4096 kept for a tag: the oldest went.
    expect(s.taken('A', 0, 0)).toBe('none');
    expect(s.taken('A', 9998 - 2 * 4000, (9998 - 2 * 4000) * 7)).toBe('same');
  });

  it('tells the line sent from another at the same time, and keeps the newest line sent', () => {
    const s = new SentIndex();
    s.add('A', 1000, 11);
    expect([s.taken('A', 1000, 11), s.taken('A', 1000, 12), s.taken('A', 1001, 11)]).toEqual(['same', 'other', 'none']);
    s.add('A', 1000, 12); // a rewrite sent
    expect([s.taken('A', 1000, 11), s.taken('A', 1000, 12)]).toEqual(['other', 'same']);
  });

  it('grows past its first arrays and reclaims the evicted front, late times kept in order', () => {
    const s = new SentIndex();
    for (let t = 0; t < 20_000; t += 4) s.add('A', t, t); // 5,000 live
    for (let t = 19_998; t > 15_000; t -= 4) s.add('A', t, t); // 1,250 late, between the live ones
    // The newest 4,096 kept: 2,500 at 15,000 and after, and the 1,596 live times before, from 8,616.
    const kept = [19_996, 19_998, 15_002, 15_000, 8_616].map((t) => s.taken('A', t, t));
    expect(kept).toEqual(['same', 'same', 'same', 'same', 'same']);
    expect(s.taken('A', 8_612, 8_612)).toBe('none');
  });

  it('doubts what was acknowledged from a moment on (a restart check found a loss), and trusts a time acknowledged anew', () => {
    let clock = 100;
    const s = new SentIndex(() => clock);
    s.add('A', 1000, 11);
    clock = 200;
    s.add('A', 2000, 12);
    s.add('B', 500, 13);
    expect(s.doubt(200)).toBe(2); // acknowledged at 200 and after
    expect([s.taken('A', 1000, 11), s.taken('A', 2000, 12), s.taken('B', 500, 13), s.taken('B', 500, 99)]).toEqual(['same', 'doubt', 'doubt', 'doubt']);
    clock = 300;
    s.add('A', 2000, 12); // sent again and acknowledged
    expect(s.taken('A', 2000, 12)).toBe('same');
    expect(s.doubt(-Infinity)).toBe(2); // anything: the doubted one is not counted again
    expect([s.taken('A', 1000, 11), s.taken('A', 2000, 12), s.taken('B', 500, 13)]).toEqual(['doubt', 'doubt', 'doubt']);
  });
});
