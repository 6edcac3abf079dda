import { describe, expect, it } from 'vitest';
import { commonSpans, gapSpans } from './overlays.js';
import { Kind, Trace } from './trace.js';

describe('bands', () => {
  it('no data is common only where every pen has none', () => {
    expect(commonSpans([[[0, 10], [20, 30]], [[5, 25]]])).toEqual([[5, 10], [20, 25]]);
    expect(commonSpans([[[0, 10]], []])).toEqual([]);
    expect(commonSpans([[[0, 10]]])).toEqual([[0, 10]]);
  });

  it('a pen\'s gaps run to the next point; an open trace that is not live has no data after its last value', () => {
    const tr = new Trace(false);
    tr.push(0, NaN, Kind.NoData, 0x809b0000);
    tr.push(10, 1, Kind.Good, 0);
    tr.push(20, NaN, Kind.Bad, 0x808c0000);
    tr.push(30, 2, Kind.Good, 0);
    expect(gapSpans(tr, 0, 100, 100, 100)).toEqual([[0, 10, Kind.NoData, 0x809b0000], [20, 30, Kind.Bad, 0x808c0000]]);
    expect(gapSpans(tr, 0, 100, -Infinity, 100)).toEqual([[0, 10, Kind.NoData, 0x809b0000], [20, 30, Kind.Bad, 0x808c0000], [30, 100, Kind.NoData, 0x809b0000]]);
    expect(gapSpans(tr, 0, 100, 60, 100).at(-1)).toEqual([60, 100, Kind.NoData, 0x809b0000]); // live until the link went down at 60
  });
});
