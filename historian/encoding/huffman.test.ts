/**
 * The entropy stage's code: codeLengths must build an optimal prefix code (Huffman's total cost,
 * computed here by a textbook priority-queue Huffman), within MAX_LEN bits, and the same code
 * as the format's first encoder (its merge-by-stable-sort, kept here as the reference), so a
 * block encodes to the same bytes it always did. Section sizes the encoder compares are exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from './bits.js';
import { codedTimestamps, codedValues, heldValues } from './coded.js';
import { MAX_LEN, codeLengths } from './huffman.js';
import { propertyRuns } from '../testing/property-runs.js';

const SYMBOLS = 108;

/** The first encoder's construction: sort the nodes (stable), merge the two lightest in front, repeat; flatten when too deep. */
function referenceLengths(counts: readonly number[]): number[] {
  const lengths = new Array<number>(counts.length).fill(0);
  let c = [...counts];
  for (;;) {
    const used = c.map((n, s) => [n, s] as const).filter(([n]) => n > 0);
    if (used.length === 0) return lengths;
    if (used.length === 1) {
      lengths[used[0]![1]] = 1;
      return lengths;
    }
    const depth = new Map<number, number>(used.map(([, s]) => [s, 0]));
    let nodes = used.map(([n, s]) => ({ n, syms: [s] }));
    while (nodes.length > 1) {
      nodes.sort((x, y) => x.n - y.n);
      const [a, b] = [nodes[0]!, nodes[1]!];
      for (const s of [...a.syms, ...b.syms]) depth.set(s, depth.get(s)! + 1);
      nodes = [{ n: a.n + b.n, syms: a.syms.concat(b.syms) }, ...nodes.slice(2)];
    }
    if (Math.max(...depth.values()) <= MAX_LEN) {
      for (const [s, d] of depth) lengths[s] = d;
      return lengths;
    }
    c = c.map((n) => (n === 0 ? 0 : Math.max(1, n >> 1)));
  }
}

/** The optimal total cost sum(count x length) of a prefix code, by Huffman with a plain priority list. */
function huffmanCost(counts: readonly number[]): number {
  const w = counts.filter((n) => n > 0);
  if (w.length <= 1) return w.reduce((a, b) => a + b, 0);
  let cost = 0;
  while (w.length > 1) {
    w.sort((a, b) => a - b);
    const m = w.shift()! + w.shift()!;
    cost += m;
    w.push(m);
  }
  return cost;
}

const counts = fc.oneof(
  // Few symbols, many ties (held and flat signals: runs of zeros and a handful of classes).
  fc.array(fc.integer({ min: 0, max: 4 }), { minLength: SYMBOLS, maxLength: SYMBOLS }),
  // Noise: classes with counts spread over orders of magnitude.
  fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })), { minLength: SYMBOLS, maxLength: SYMBOLS }),
  // Skewed enough (powers of two) that Huffman's tree is deeper than MAX_LEN and gets flattened.
  fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 }).map((e) => 2 ** e)), { minLength: SYMBOLS, maxLength: SYMBOLS }),
);

describe('codeLengths', () => {
  it('gives the first encoder code for any counts: same blocks, same bytes', () => {
    fc.assert(fc.property(counts, (c) => {
      expect([...codeLengths(Uint32Array.from(c))]).toEqual(referenceLengths(c));
    }), { numRuns: propertyRuns(600) });
  });

  it('is a complete prefix code within MAX_LEN bits, optimal when no Huffman tree can be deeper', () => {
    fc.assert(fc.property(counts, (c) => {
      const lengths = codeLengths(Uint32Array.from(c));
      const used = c.filter((n) => n > 0).length;
      let kraft = 0, cost = 0;
      for (let s = 0; s < SYMBOLS; s++) {
        expect(lengths[s]! > 0).toBe(c[s]! > 0);
        expect(lengths[s]).toBeLessThanOrEqual(MAX_LEN);
        if (lengths[s]) kraft += 2 ** -lengths[s]!;
        cost += c[s]! * lengths[s]!;
      }
      if (used < 2) return;
      expect(kraft).toBe(1);
      // A Huffman leaf at depth L needs a total of at least F(L + 2) times the lightest count
      // (Fibonacci): with a total under F(14) = 377 times it, every Huffman tree fits in 12 bits.
      const positive = c.filter((n) => n > 0);
      const fits = positive.reduce((a, b) => a + b, 0) < 377 * Math.min(...positive);
      if (fits) expect(cost).toBe(huffmanCost(c));
      else expect(cost).toBeGreaterThanOrEqual(huffmanCost(c));
    }), { numRuns: propertyRuns(600) });
  });

  it('breaks ties toward the newest merged node, then the lowest symbol (literal cases)', () => {
    const at = (pairs: [number, number][]) => {
      const c = new Uint32Array(SYMBOLS);
      for (const [s, n] of pairs) c[s] = n;
      return codeLengths(c);
    };
    // 1,1 merge into a node of 2; it ties with symbol 3's 2 and is merged first: all three join at the root.
    const a = at([[1, 1], [2, 1], [3, 2]]);
    expect([a[1], a[2], a[3]]).toEqual([2, 2, 1]);
    // Four equal counts: a balanced tree.
    const b = at([[0, 5], [1, 5], [2, 5], [3, 5]]);
    expect([b[0], b[1], b[2], b[3]]).toEqual([2, 2, 2, 2]);
    // 1,1,2,4,8,...: a chain, one bit deeper per halving, capped by flattening at MAX_LEN.
    const chain = at(Array.from({ length: 16 }, (_, i) => [i, i === 0 ? 1 : 2 ** (i - 1)] as [number, number]));
    expect(Math.max(...chain)).toBe(MAX_LEN);
    // One symbol: one bit.
    expect(at([[7, 9]])[7]).toBe(1);
  });
});

describe('prepared sections', () => {
  const sizes = fc.record({
    decimals: fc.integer({ min: 0, max: 6 }),
    values: fc.array(fc.integer({ min: -1e7, max: 1e7 }), { minLength: 1, maxLength: 600 }),
    held: fc.integer({ min: 1, max: 6 }),
    steps: fc.array(fc.integer({ min: 1, max: 90_000 }), { minLength: 1, maxLength: 600 }),
  });

  it('write exactly the bits they announce (the encoder picks among them by those bits)', () => {
    fc.assert(fc.property(sizes, ({ decimals, values, held, steps }) => {
      const v = values.flatMap((x) => Array<number>(held).fill(x / 10 ** decimals));
      const n = v.length;
      const t = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + steps.slice(0, i % steps.length).reduce((a, b) => a + b, 0) + i * 1000);
      for (const s of [codedValues(v, n, decimals), heldValues(v, n, decimals), codedTimestamps(t, n, 1)]) {
        if (s === null) continue;
        const w = new BitWriter();
        w.write(1, 3); // start off a byte boundary
        s.write(w);
        expect(w.bits - 3).toBe(s.bits);
      }
    }), { numRuns: propertyRuns(200) });
  });
});
