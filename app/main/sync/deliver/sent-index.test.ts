/** The recent sample times per tag behind the rewrite count: exact membership, late times in place, the oldest dropped first. */
import { describe, expect, it } from 'vitest';
import { SentIndex } from './sent-index.js';

describe('sent index', () => {
  it('knows the times taken per tag, late ones too, and forgets the oldest beyond its bound', () => {
    const s = new SentIndex();
    for (let t = 0; t < 3000; t += 2) s.add('A', t); // 1500 live times, in order
    s.add('A', 2999); // late, among the newest
    s.add('A', 2001);
    s.add('B', 10);
    expect([s.has('A', 2998), s.has('A', 2999), s.has('A', 2001), s.has('A', 2003), s.has('B', 10), s.has('B', 2998)]).toEqual([true, true, true, false, true, false]);
    // At most 1024 kept for a tag: the oldest went.
    expect(s.has('A', 0)).toBe(false);
    expect(s.has('A', 2998 - 2 * 1000)).toBe(true);
    s.add('A', 2998); // again: nothing changes
    expect(s.has('A', 2998)).toBe(true);
  });
});
