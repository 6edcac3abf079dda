import { describe, expect, it } from 'vitest';
import { pageTarget } from './page-keys.js';

const rows = Array.from({ length: 5000 }, (_, i) => ({ key: `V${i}` }));

describe('pageTarget', () => {
  it('moves a screenful less one row, and stops at the ends', () => {
    expect(pageTarget(rows, 'V0', 'PageDown', 20)).toBe('V19');
    expect(pageTarget(rows, 'V19', 'PageDown', 20)).toBe('V38');
    expect(pageTarget(rows, 'V4990', 'PageDown', 20)).toBe('V4999');
    expect(pageTarget(rows, 'V38', 'PageUp', 20)).toBe('V19');
    expect(pageTarget(rows, 'V5', 'PageUp', 20)).toBe('V0');
  });

  it('moves at least one row in a list one row high, and from the first row when none is focused', () => {
    expect(pageTarget(rows, 'V7', 'PageDown', 1)).toBe('V8');
    expect(pageTarget(rows, null, 'PageDown', 10)).toBe('V9');
  });

  it('leaves other keys and an empty tree alone', () => {
    expect(pageTarget(rows, 'V0', 'ArrowDown', 20)).toBeNull();
    expect(pageTarget([], null, 'PageDown', 20)).toBeNull();
  });
});
