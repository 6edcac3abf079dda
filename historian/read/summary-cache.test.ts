/**
 * SummaryCache, directly: a hit returns what was set and refreshes recency; another data_version
 * is a miss that drops the entry and frees its bytes; beyond the byte budget the least recently
 * used entries go first, and the byte count stays exact (checked through which keys are still
 * there after further sets). Expectations are worked out by hand; each `get` below that hits
 * also moves its key to most recent, which the comments on order account for. Setting a key
 * again replaces its entry (its bytes freed, the new one most recent).
 */
import { describe, expect, it } from 'vitest';
import { SummaryCache } from './summary-cache.js';

const V = 1;

/** The keys (in the order asked, each `get` refreshing its key) that are still cached at version V. */
function present(c: SummaryCache<string>, keys: string[]): string[] {
  return keys.filter((k) => c.get(k, V) !== undefined);
}

describe('SummaryCache', () => {
  it('a hit gives back the parts set, at the same version only; an unknown key is a miss', () => {
    const c = new SummaryCache<string>(100);
    const parts = ['p0', 'p1'];
    c.set('a', V, parts, 10);
    expect(c.get('a', V)).toBe(parts);
    expect(c.get('a', V)).toBe(parts);
    expect(c.get('b', V)).toBeUndefined();
  });

  it('another version is a miss that drops the entry, even for the old version after', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', 1, ['a'], 10);
    expect(c.get('a', 2)).toBeUndefined();
    expect(c.get('a', 1)).toBeUndefined();
  });

  it('a version miss frees the entry bytes', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', V, ['a'], 60);
    expect(c.get('a', V + 1)).toBeUndefined(); // 0 bytes now
    c.set('b', V, ['b'], 60); // 60
    c.set('c', V, ['c'], 40); // 100: fits exactly
    expect(present(c, ['b', 'c'])).toEqual(['b', 'c']);
  });

  it('keeps entries filling the budget exactly; beyond it drops least recently set first, counting bytes exactly', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', V, ['a'], 40);
    c.set('b', V, ['b'], 60); // [a b] 100
    expect(present(c, ['a', 'b'])).toEqual(['a', 'b']); // order unchanged: [a b]
    c.set('c', V, ['c'], 1); // 101: a goes, [b c] 61
    expect(present(c, ['a'])).toEqual([]);
    c.set('d', V, ['d'], 39); // [b c d] 100
    c.set('e', V, ['e'], 1); // 101: b goes, [c d e] 41
    expect(present(c, ['b', 'c', 'd', 'e'])).toEqual(['c', 'd', 'e']); // order [c d e]
    c.set('f', V, ['f'], 59); // [c d e f] 100
    c.set('g', V, ['g'], 1); // 101: c (1) goes, [d e f g] 100
    expect(present(c, ['c', 'd', 'e', 'f', 'g'])).toEqual(['d', 'e', 'f', 'g']);
  });

  it('a hit makes its entry the most recent', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', V, ['a'], 40);
    c.set('b', V, ['b'], 40);
    expect(c.get('a', V)).toEqual(['a']); // [b a]
    c.set('c', V, ['c'], 40); // 120: b goes, [a c] 80
    expect(present(c, ['b', 'a', 'c'])).toEqual(['a', 'c']);
  });

  it('one set can drop several entries, oldest first, and stops once within the budget', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', V, ['a'], 30);
    c.set('b', V, ['b'], 30);
    c.set('c', V, ['c'], 30); // 90
    c.set('d', V, ['d'], 50); // 140: a goes (110), b goes (80), [c d]
    expect(present(c, ['a', 'b', 'c', 'd'])).toEqual(['c', 'd']); // [c d] 80
    c.set('e', V, ['e'], 20); // 100
    expect(present(c, ['c', 'd', 'e'])).toEqual(['c', 'd', 'e']);
    c.set('f', V, ['f'], 80); // 180: c (150), d (100) go, [e f]
    expect(present(c, ['c', 'd', 'e', 'f'])).toEqual(['e', 'f']);
  });

  it('an entry larger than the budget is not kept, and takes the others with it', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', V, ['a'], 50);
    c.set('big', V, ['big'], 150); // 200: a goes (150), big goes (0)
    expect(present(c, ['a', 'big'])).toEqual([]);
    c.set('b', V, ['b'], 100); // 100: fits
    expect(present(c, ['b'])).toEqual(['b']);
  });

  it('setting a key again replaces its entry: its old bytes are freed and it becomes the most recent', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', 1, ['a1'], 60);
    c.set('a', 2, ['a2'], 60); // replaces: 60, not 120
    expect(c.get('a', 2)).toEqual(['a2']);
    c.set('b', V, ['b'], 40); // [a b] 100
    expect(present(c, ['b'])).toEqual(['b']); // [a b]
    c.set('a', 2, ['a3'], 30); // replaces a: [b a] 70
    c.set('c', V, ['c'], 30); // [b a c] 100
    c.set('d', V, ['d'], 1); // 101: b goes, [a c d] 61
    expect(present(c, ['b', 'c', 'd'])).toEqual(['c', 'd']);
    expect(c.get('a', 2)).toEqual(['a3']);
  });

  it('the default budget is 64 MiB', () => {
    const c = new SummaryCache<string>();
    c.set('a', V, ['a'], 64 << 20);
    expect(present(c, ['a'])).toEqual(['a']);
    c.set('b', V, ['b'], 1);
    expect(present(c, ['a', 'b'])).toEqual(['b']);
  });

  it('an entry that grows counts its new bytes: the oldest go once past the budget; growing a missing key does nothing', () => {
    const c = new SummaryCache<string>(100);
    c.set('a', V, ['a'], 40);
    c.set('b', V, ['b'], 40); // [a b] 80
    c.grow('b', 20); // 100: fits
    expect(present(c, ['a', 'b'])).toEqual(['a', 'b']); // [a b]
    c.grow('b', 1); // 101: a goes, [b] 61
    expect(present(c, ['a', 'b'])).toEqual(['b']);
    c.grow('gone', 1000);
    c.set('c', V, ['c'], 39); // [b c] 100
    expect(present(c, ['b', 'c'])).toEqual(['b', 'c']);
  });
});
