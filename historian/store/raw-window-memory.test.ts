/**
 * A raw window's memory follows what it holds: a tag whose server sends a value now and then
 * (10,000 of them on a big station) does not hold a block's worth of samples (513 x 20 bytes)
 * from its first value on. Measured as the process's ArrayBuffer memory, which the window's
 * typed arrays live in, not through the window's own accounting.
 */
import { describe, expect, it } from 'vitest';
import { RawWindow } from './raw-window.js';

const WINDOWS = 2_000;
/** What tag-writer.ts passes: 4,096 points at most, the first block's 512 and one. */
const MAX = 4096, CAPACITY = 513;

function arrayBufferBytes(): number {
  global.gc?.();
  return process.memoryUsage().arrayBuffers;
}

describe('raw window memory', () => {
  it('holds a few KB, not a block, for a tag that had one value', () => {
    const before = arrayBufferBytes();
    const windows: RawWindow[] = [];
    for (let i = 0; i < WINDOWS; i++) {
      const w = new RawWindow(MAX, CAPACITY);
      w.keep({ t: 1_000 * i, value: i, status: 0 });
      windows.push(w);
    }
    const perWindow = (arrayBufferBytes() - before) / WINDOWS;
    // A block's worth of samples is 513 x (8 + 8 + 4) = 10,260 bytes; 64 samples are 1,280, and
    // the window's first 64 points 64 x (8 + 8 + 4 + 1) = 1,344.
    expect(perWindow).toBeLessThan(4_000);
    expect(windows.every((w) => w.size === 1)).toBe(true);
  });

  it('keeps every sample past its first size and past its capacity, in order', () => {
    const w = new RawWindow(MAX, CAPACITY);
    const n = 2 * CAPACITY + 7;
    for (let i = 0; i < n; i++) w.keep({ t: 1_000 * i, value: i * 0.5, status: i % 3 });
    expect(w.size).toBe(n);
    const span = w.cut(0, 1_000 * (n - 1))!;
    expect(span.t.length).toBe(n);
    for (let i = 0; i < n; i++) {
      expect([span.t[i], span.value[i], span.status[i]]).toEqual([1_000 * i, i * 0.5, i % 3]);
    }
  });
});
