import { describe, expect, it } from 'vitest';
import { Bad, Good } from '../status.js';
import { summarize } from './summary.js';

describe('summarize on a reused buffer', () => {
  // Guards the loop bound (i < n): a ColumnBuffer's arrays run past the block; a stale sample after it must not count.
  it('ignores samples past the block length', () => {
    const cols = {
      t: Float64Array.from([0, 1000, 2000]),
      value: Float64Array.from([1, NaN, 999]),
      status: Uint32Array.from([Good, Good, Bad]),
      flags: new Uint8Array(3),
      length: 2,
    };
    const s = summarize(cols, false);
    expect(s.worstSeverity).toBe(0);
    expect(s.max).toBe(1);
    expect(s.count).toBe(2);
  });
});
