/**
 * Gap logic: what is drawn as a line and what as a band, from raw samples and
 * from plot buckets, checked against literal expectations.
 */
import { describe, expect, it } from 'vitest';
import type { PlotData, RawData } from '../../../shared/history/decode.js';
import { clearUnavailable, markUnavailable, traceFromPlot, traceFromRaw } from './build.js';
import { LiveFold } from './live.js';
import { readAt } from './readout.js';
import { Kind, Trace } from './trace.js';

const GOOD = 0, UNCERTAIN = 0x40a40000, SENSOR = 0x808c0000, NODATA = 0x809b0000;

function raw(rows: [number, number, number][]): RawData {
  return {
    n: rows.length,
    t: Float64Array.from(rows.map((r) => r[0])),
    value: Float64Array.from(rows.map((r) => r[1])),
    status: Uint32Array.from(rows.map((r) => r[2])),
    flags: new Uint32Array(rows.length),
    complete: true,
  };
}

const points = (tr: Trace) => Array.from({ length: tr.n }, (_, i) => [tr.t[i], Number.isNaN(tr.v[i]) ? null : tr.v[i], tr.k[i]]);

describe('traces from raw samples', () => {
  it('a bad sample starts a gap that lasts until the next good one; repeated bad samples add nothing', () => {
    const tr = traceFromRaw(raw([[10, 1, GOOD], [20, NaN, SENSOR], [30, NaN, SENSOR], [40, 2, UNCERTAIN], [50, 3, GOOD]]), 0, { t: 5, value: 0.5, status: GOOD }, null, false);
    expect(points(tr)).toEqual([
      [5, 0.5, Kind.Good],
      [10, 1, Kind.Good],
      [20, null, Kind.Bad],
      [40, 2, Kind.Uncertain],
      [50, 3, Kind.Good],
    ]);
    expect(tr.open).toBe(true); // nothing archived after: the live edge decides
  });

  it('no value before the range is a no-data span from its start; a value after it closes the trace', () => {
    const tr = traceFromRaw(raw([[10, 1, GOOD]]), 0, null, { t: 99, value: 4, status: GOOD }, true);
    expect(points(tr)).toEqual([[0, null, Kind.NoData], [10, 1, Kind.Good], [99, 4, Kind.Good]]);
    expect(tr.open).toBe(false);
  });

  it('a good status with no number is not drawn as a value', () => {
    const tr = traceFromRaw(raw([[10, NaN, GOOD]]), 0, { t: 0, value: 1, status: GOOD }, null, false);
    expect(points(tr)[1]).toEqual([10, null, Kind.Bad]);
  });
});

function plot(buckets: { count: number; first?: number; min?: number; max?: number; last?: number; firstT?: number; lastT?: number; status?: number; end?: number }[], width = 10): PlotData {
  const n = buckets.length;
  const col = (f: (b: (typeof buckets)[number]) => number) => Float64Array.from(buckets.map(f));
  return {
    n,
    width,
    count: col((b) => b.count),
    first: col((b) => b.first ?? NaN),
    min: col((b) => b.min ?? b.first ?? NaN),
    max: col((b) => b.max ?? b.first ?? NaN),
    last: col((b) => b.last ?? b.first ?? NaN),
    firstT: col((b) => b.firstT ?? NaN),
    lastT: col((b) => b.lastT ?? b.firstT ?? NaN),
    status: Uint32Array.from(buckets.map((b) => b.status ?? (b.count ? GOOD : NODATA))),
    endStatus: Uint32Array.from(buckets.map((b) => b.end ?? b.status ?? (b.count ? GOOD : NODATA))),
  };
}

describe('traces from plot buckets', () => {
  it('empty buckets between values are no gap: the reconstruction runs on (a compressed, quiet tag)', () => {
    const tr = traceFromPlot(plot([{ count: 1, first: 5, firstT: 2 }, { count: 0 }, { count: 0 }, { count: 1, first: 7, firstT: 33 }]), 0, { t: -5, value: 5, status: GOOD }, null, false);
    expect(points(tr)).toEqual([[-5, 5, Kind.Good], [2, 5, Kind.Good], [33, 7, Kind.Good]]);
  });

  it('first, extremes and last per bucket, ordered to draw one stroke', () => {
    const up = traceFromPlot(plot([{ count: 50, first: 2, min: 1, max: 9, last: 3, firstT: 0, lastT: 9 }]), 0, { t: -1, value: 2, status: GOOD }, null, false);
    expect(points(up).slice(1)).toEqual([[0, 2, 0], [3, 1, 0], [6, 9, 0], [9, 3, 0]]);
    const down = traceFromPlot(plot([{ count: 50, first: 8, min: 1, max: 9, last: 3, firstT: 0, lastT: 9 }]), 0, { t: -1, value: 2, status: GOOD }, null, false);
    expect(points(down).slice(1)).toEqual([[0, 8, 0], [3, 9, 0], [6, 1, 0], [9, 3, 0]]);
  });

  it('a bucket with no good value starts a gap; one that ends bad before empty buckets too; mixed ones are uncertain', () => {
    const tr = traceFromPlot(
      plot([
        { count: 3, first: 1, firstT: 1, lastT: 4, last: 1, status: UNCERTAIN, end: SENSOR }, // good, then bad, then nothing archived
        { count: 0 },
        { count: 2, first: 2, firstT: 25, status: UNCERTAIN, end: UNCERTAIN }, // some values not good: drawn, marked
        { count: 4, status: 0x80000000, end: SENSOR }, // all bad
        { count: 1, first: 3, firstT: 45 },
      ]),
      0,
      { t: -1, value: 1, status: GOOD },
      null,
      false,
    );
    expect(points(tr)).toEqual([
      [-1, 1, Kind.Good],
      [1, 1, Kind.Uncertain],
      [4, 1, Kind.Uncertain],
      [7, null, Kind.Bad], // between the last good value (4) and the bucket's end (10)
      [25, 2, Kind.Uncertain],
      [30, null, Kind.Bad],
      [45, 3, Kind.Good],
    ]);
  });
});

describe('a pixel column of uncertain values only (the plot read draws them, historian/read/plot.ts)', () => {
  // 0..10 good at 5; 10..20 uncertain from 70 to 90 (status Uncertain: all are); 20..30 good at 5 again.
  const ALL_UNCERTAIN = 0x40000000;
  const p = plot([
    { count: 3, first: 5, firstT: 1, lastT: 9 },
    { count: 3, first: 80, min: 70, max: 90, last: 75, firstT: 11, lastT: 19, status: ALL_UNCERTAIN, end: ALL_UNCERTAIN },
    { count: 3, first: 5, firstT: 21, lastT: 29 },
  ]);
  const tr = traceFromPlot(p, 0, { t: -1, value: 5, status: GOOD }, null, false);

  it('is drawn, marked uncertain, not a gap', () => {
    expect(points(tr).filter((x) => x[0]! > 10 && x[0]! < 20)).toEqual([
      [11, 80, Kind.Uncertain], [13.666666666666666, 90, Kind.Uncertain], [16.333333333333332, 70, Kind.Uncertain], [19, 75, Kind.Uncertain],
    ]);
    expect(points(tr).some((x) => x[2]! >= Kind.Bad)).toBe(false);
  });

  it('reads as its range, uncertain', () => {
    expect(readAt(tr, 15, { plot: { data: p, start: 0 }, liveUntil: 0 })).toMatchObject({ kind: 'range', min: 70, max: 90, status: ALL_UNCERTAIN, count: 3 });
  });
});

describe('live samples', () => {
  it('fold into the open pixel column (first, extremes, last) and start a new one in the next', () => {
    const tr = new Trace(false);
    tr.push(0, 1, Kind.Good, GOOD);
    const live = new LiveFold(tr, 0, 100);
    for (const [t, v] of [[110, 5], [120, 2], [130, 9], [140, 4], [150, 4]]) live.append(t!, v!, GOOD);
    // Falling over the column (5 to 4): the maximum first, then the minimum.
    expect(points(tr)).toEqual([[0, 1, 0], [110, 5, 0], [123.33333333333333, 9, 0], [136.66666666666666, 2, 0], [150, 4, 0]]);
    live.append(210, 6, GOOD);
    expect(points(tr).at(-1)).toEqual([210, 6, 0]);
    expect(live.append(200, 1, GOOD)).toBe(false); // older than the last point: already drawn
  });

  it('a bad sample ends the column and starts a gap; the next good one starts a fresh column', () => {
    const tr = new Trace(true);
    const live = new LiveFold(tr, 0, 100);
    live.append(10, 1, GOOD);
    live.append(20, NaN, SENSOR);
    live.append(30, NaN, SENSOR);
    live.append(40, 2, GOOD);
    expect(points(tr)).toEqual([[10, 1, 0], [20, null, Kind.Bad], [40, 2, 0]]);
  });
});

describe('readout', () => {
  const tr = traceFromRaw(raw([[10, 1, GOOD], [20, 3, UNCERTAIN], [30, NaN, SENSOR], [40, 5, GOOD]]), 0, null, null, false);
  it('interpolates a linear tag, holds into a gap, says what the gap is', () => {
    expect(readAt(tr, 5, { liveUntil: 100 })).toMatchObject({ kind: 'gap', noData: true });
    expect(readAt(tr, 15, { liveUntil: 100 })).toMatchObject({ kind: 'value', value: 2, interpolated: true, status: UNCERTAIN });
    expect(readAt(tr, 25, { liveUntil: 100 })).toMatchObject({ kind: 'value', value: 3, held: true, status: UNCERTAIN });
    expect(readAt(tr, 35, { liveUntil: 100 })).toMatchObject({ kind: 'gap', status: SENSOR, noData: false });
    expect(readAt(tr, 50, { liveUntil: 100 })).toMatchObject({ kind: 'value', value: 5, held: true });
    expect(readAt(tr, 50, { liveUntil: -Infinity })).toMatchObject({ kind: 'gap', noData: true }); // not live: unknown after the last value
  });

  it('a stepped tag holds; a plot bucket with values reads as their range', () => {
    const st = traceFromRaw(raw([[10, 1, GOOD], [20, 3, GOOD]]), 0, null, null, true);
    expect(readAt(st, 19, { liveUntil: 0 })).toMatchObject({ kind: 'value', value: 1 });
    const p = plot([{ count: 9, first: 2, min: 1, max: 8, firstT: 1, lastT: 9, last: 3 }, { count: 0 }]);
    const pt = traceFromPlot(p, 0, null, null, false);
    expect(readAt(pt, 5, { plot: { data: p, start: 0 }, liveUntil: 0 })).toMatchObject({ kind: 'range', min: 1, max: 8, t: 0, t2: 10, count: 9 });
  });
});

describe('spans held by unreadable archive files', () => {
  const UNAVAILABLE = 0x809e0000; // OPC UA BadDataUnavailable
  const statuses = (tr: Trace) => Array.from(tr.status.subarray(0, tr.n));

  it('a gap from the span\'s start, BadDataUnavailable, then no data until the next point; points read inside it are left out', () => {
    const read = traceFromRaw(raw([[10, 1, GOOD], [20, 2, GOOD], [30, 3, GOOD], [60, 6, GOOD]]), 0, { t: 5, value: 0.5, status: GOOD }, null, false);
    const tr = markUnavailable(read, [[15, 40]]);
    expect(points(tr)).toEqual([
      [5, 0.5, Kind.Good],
      [10, 1, Kind.Good],
      [15, null, Kind.Bad],
      [40, null, Kind.NoData],
      [60, 6, Kind.Good],
    ]);
    expect(statuses(tr)).toEqual([GOOD, GOOD, UNAVAILABLE, NODATA, GOOD]);
    expect(tr.open).toBe(read.open);
  });

  it('an empty stretch of a plot is not drawn through: the gap stands where the plot had no point', () => {
    // Two points 100 apart with nothing between: a line joins them; over an unreadable span it must not.
    const read = traceFromRaw(raw([[0, 1, GOOD], [100, 2, GOOD]]), 0, { t: -5, value: 0.5, status: GOOD }, null, false);
    expect(points(markUnavailable(read, [[20, 80]]))).toEqual([
      [-5, 0.5, Kind.Good],
      [0, 1, Kind.Good],
      [20, null, Kind.Bad],
      [80, null, Kind.NoData],
      [100, 2, Kind.Good],
    ]);
  });

  it('a point on a span\'s end follows it directly; spans after the last point close the trace\'s end; several spans in order', () => {
    const read = traceFromRaw(raw([[10, 1, GOOD], [40, 4, GOOD], [50, 5, GOOD]]), 0, { t: 5, value: 0.5, status: GOOD }, null, false);
    const tr = markUnavailable(read, [[20, 40], [45, 48], [70, 90]]);
    expect(points(tr)).toEqual([
      [5, 0.5, Kind.Good],
      [10, 1, Kind.Good],
      [20, null, Kind.Bad],
      [40, 4, Kind.Good],
      [45, null, Kind.Bad],
      [48, null, Kind.NoData],
      [50, 5, Kind.Good],
      [70, null, Kind.Bad],
      [90, null, Kind.NoData],
    ]);
  });

  it('plot buckets within a span read as empty (what was read of the file before it failed is not shown)', () => {
    const p = plot([{ count: 1, first: 5, firstT: 5 }, { count: 2, first: 6, firstT: 12, lastT: 16 }, { count: 1, first: 7, firstT: 27 }]);
    clearUnavailable(p, 0, [[10, 20]]);
    expect(Array.from(p.count)).toEqual([1, 0, 1]);
    // A bucket the span only touches at its edge keeps its values.
    clearUnavailable(p, 0, [[30, 40]]);
    expect(Array.from(p.count)).toEqual([1, 0, 1]);
  });

  it('no spans: the same trace', () => {
    const read = traceFromRaw(raw([[10, 1, GOOD]]), 0, null, null, false);
    expect(markUnavailable(read, [])).toBe(read);
  });

  it('the readout at the cursor inside the span reads the gap and its status', () => {
    const tr = markUnavailable(traceFromRaw(raw([[0, 1, GOOD], [100, 2, GOOD]]), 0, null, null, false), [[20, 80]]);
    expect(readAt(tr, 50, { liveUntil: Infinity })).toMatchObject({ kind: 'gap', status: UNAVAILABLE, noData: false });
  });
});
