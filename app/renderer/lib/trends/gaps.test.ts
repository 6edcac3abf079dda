import { describe, expect, it } from 'vitest';
import { gapSummary, gapWord, laneLabels, laneLayout, penGaps, shortNames, type LaneLabel } from './gaps.js';
import { Kind, Trace } from './trace.js';

const GOOD = 0, SENSOR = 0x808c0000, DEVICE = 0x808b0000, UNREADABLE = 0x809e0000, NO_COMM = 0x80310000, NO_DATA = 0x809b0000;

describe('what a gap is called', () => {
  it('bad, stale (the link was lost), archive unreadable or no data, by the status that made it', () => {
    expect(gapWord(Kind.Bad, SENSOR)).toBe('bad');
    expect(gapWord(Kind.Bad, 0x80000000)).toBe('bad');
    expect(gapWord(Kind.Bad, NO_COMM)).toBe('stale');
    expect(gapWord(Kind.Bad, 0x808a0000)).toBe('stale'); // BadNotConnected
    expect(gapWord(Kind.Bad, UNREADABLE)).toBe('unavailable');
    expect(gapWord(Kind.Bad, UNREADABLE | 0x0400)).toBe('unavailable'); // info bits do not change it
    expect(gapWord(Kind.NoData, NO_DATA)).toBe('noData');
  });

  it('a connected server that has no value for the tag yet (BadWaitingForInitialData) is waiting, not a lost link', () => {
    expect(gapWord(Kind.Bad, 0x80320000)).toBe('waiting');
    expect(gapWord(Kind.Bad, 0x80320000 | 0x0400)).toBe('waiting');
  });
});

describe('a pen\'s gaps in view', () => {
  const trace = () => {
    const tr = new Trace(false);
    tr.push(10, 1, Kind.Good, GOOD);
    tr.push(20, NaN, Kind.Bad, SENSOR);
    tr.push(25, NaN, Kind.Bad, DEVICE);
    tr.push(30, 2, Kind.Good, GOOD);
    tr.push(40, NaN, Kind.Bad, UNREADABLE);
    tr.push(50, NaN, Kind.NoData, NO_DATA);
    tr.push(60, 3, Kind.Good, GOOD);
    tr.open = false;
    return tr;
  };

  it('each gap with its word, neighbours of one word as one span; before the first point, no data', () => {
    expect(penGaps(trace(), 0, 100, -Infinity, 100)).toEqual([
      { t0: 0, t1: 10, word: 'noData' },
      { t0: 20, t1: 30, word: 'bad' },
      { t0: 40, t1: 50, word: 'unavailable' },
      { t0: 50, t1: 60, word: 'noData' },
    ]);
  });

  it('only gaps that show in the view, whole (a span begun before the view keeps its start)', () => {
    expect(penGaps(trace(), 27, 45, -Infinity, 100)).toEqual([
      { t0: 20, t1: 30, word: 'bad' },
      { t0: 40, t1: 50, word: 'unavailable' },
    ]);
    expect(penGaps(trace(), 31, 39, -Infinity, 100)).toEqual([]);
  });

  it('an open trace gone stale: the gap runs to now', () => {
    const tr = new Trace(false);
    tr.push(0, 1, Kind.Good, GOOD);
    tr.push(70, NaN, Kind.Bad, NO_COMM);
    expect(penGaps(tr, 0, 100, -Infinity, 100)).toEqual([{ t0: 70, t1: 100, word: 'stale' }]);
  });

  it('an empty trace has no gaps to tell', () => {
    expect(penGaps(new Trace(false), 0, 100, -Infinity, 100)).toEqual([]);
  });

  it('the pen panel\'s summary: the first gap of each word and how many more', () => {
    expect(gapSummary([
      { t0: 0, t1: 5, word: 'bad' },
      { t0: 8, t1: 9, word: 'noData' },
      { t0: 10, t1: 12, word: 'bad' },
      { t0: 20, t1: 22, word: 'bad' },
    ])).toEqual([
      { t0: 0, t1: 5, word: 'bad', more: 2 },
      { t0: 8, t1: 9, word: 'noData', more: 0 },
    ]);
    expect(gapSummary([])).toEqual([]);
  });
});

describe('short pen names', () => {
  it('the last two parts of a tag, more while two pens would read the same', () => {
    expect(shortNames(['Area1.TK101.Level', 'Area1.TK101.Temperature', 'Area2.TK201.Level'])).toEqual(['TK101.Level', 'TK101.Temperature', 'TK201.Level']);
    expect(shortNames(['Area1.TK101.Level', 'Area2.TK101.Level'])).toEqual(['Area1.TK101.Level', 'Area2.TK101.Level']);
    expect(shortNames(['Site.A.B.X.Y', 'Site.C.B.X.Y', 'Z.Y'])).toEqual(['A.B.X.Y', 'C.B.X.Y', 'Z.Y']);
    expect(shortNames(['Flow', 'Plant.Flow'])).toEqual(['Flow', 'Plant.Flow']);
    expect(shortNames([])).toEqual([]);
  });
});

describe('gap lanes', () => {
  it('a lane for each pen with a gap, in pen order from the top, 16 px with room for a label', () => {
    expect(laneLayout([true, false, true], 400)).toEqual({ lane: [0, null, 1], height: 16, text: true });
  });

  it('no gap, no lane', () => {
    expect(laneLayout([false, false], 400)).toEqual({ lane: [null, null], height: 0, text: false });
  });

  it('together at most a quarter of the plot: many lanes thin out and lose their labels, down to 4 px', () => {
    expect(laneLayout(new Array(8).fill(true), 200)).toMatchObject({ height: 6, text: false }); // 200 / 4 / 8 = 6.25
    expect(laneLayout(new Array(4).fill(true), 208)).toMatchObject({ height: 13, text: true });
    expect(laneLayout(new Array(16).fill(true), 100)).toMatchObject({ height: 4, text: false });
  });

  it('in device pixels', () => {
    expect(laneLayout([true], 800, 2)).toEqual({ lane: [0], height: 32, text: true });
    expect(laneLayout([true, true, true, true], 208, 2)).toMatchObject({ height: 13, text: false }); // 13 device px: 6.5 CSS px
  });

  const measure = (s: string) => s.length * 6; // 6 px a character
  const edges = { left: 0, right: 1000, pad: 3, space: 8 };
  const lane = (spans: { a: number; b: number }[], texts: string[][], at = edges) => laneLabels(spans, texts, measure, at);
  const overlapping = (ls: LaneLabel[]) => ls.some((l, i) => ls.some((m, j) => j !== i && l.x0 < m.x1 + edges.space && m.x0 < l.x1 + edges.space));
  const TK = ['TK101.Level: bad quality', 'TK101.Level']; // 144 and 66 px

  it('a label: whole after the gap\'s start if the lane has room, else ending at its end, else shorter, else none', () => {
    expect(lane([{ a: 100, b: 110 }], [TK])).toEqual([{ gap: 0, text: TK[0], x0: 103, x1: 247, side: 'after' }]);
    // Near the right edge: it ends at the gap's end.
    expect(lane([{ a: 900, b: 1000 }], [TK], { ...edges, right: 1000 })).toEqual([{ gap: 0, text: TK[0], x0: 853, x1: 997, side: 'before' }]);
    expect(lane([{ a: 0, b: 80 }], [TK], { ...edges, right: 100 })).toEqual([{ gap: 0, text: TK[1], x0: 3, x1: 69, side: 'after' }]);
    expect(lane([{ a: 0, b: 40 }], [TK], { ...edges, right: 50 })).toEqual([]);
  });

  it('a short gap\'s label running on into the lane never covers the next gap\'s label', () => {
    // A stale span, then a loss 205 px on, 100 px before the right edge: the first whole label just fits the lane up to the
    // second gap, the second only ending at its gap's end. Placed each on its own, the two overlapped there (873–889).
    const spans = [{ a: 670, b: 690 }, { a: 895, b: 1000 }];
    const texts = [['TK101.Level: stale: no communication', 'TK101.Level'], ['TK101.Level: no data', 'TK101.Level']]; // 216 and 120 px whole
    const placed = lane(spans, texts);
    expect(overlapping(placed)).toBe(false);
    // Both gaps named whole: the first ends at its gap's end instead.
    expect(placed).toEqual([
      { gap: 0, text: texts[0]![0], x0: 471, x1: 687, side: 'before' },
      { gap: 1, text: texts[1]![0], x0: 877, x1: 997, side: 'before' },
    ]);
  });

  it('two gaps named, one by the pen\'s name alone, rather than one whole and the other unnamed', () => {
    // The first gap at the plot's left edge, the second just before its right edge.
    const spans = [{ a: 10, b: 30 }, { a: 250, b: 290 }];
    const texts = [['TK101.Level: stale: no communication', 'TK101.Level'], ['TK101.Level: no data', 'TK101.Level']];
    const placed = lane(spans, texts, { ...edges, right: 300 });
    expect(overlapping(placed)).toBe(false);
    expect(placed).toEqual([
      { gap: 0, text: 'TK101.Level', x0: 13, x1: 79, side: 'after' },
      { gap: 1, text: 'TK101.Level: no data', x0: 167, x1: 287, side: 'before' },
    ]);
  });

  it('as many gaps named as can be, before any label is made whole', () => {
    // Found by a brute-force search over every placement: all seven can be named, by the pen's name
    // mostly; whole labels for some would leave one unnamed.
    const spans = [[248, 253], [281, 286], [510, 515], [544, 549], [711, 716], [783, 788], [954, 959]].map(([a, b]) => ({ a: a!, b: b! }));
    const placed = lane(spans, spans.map(() => TK));
    expect(placed.map((l) => l.gap)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(overlapping(placed)).toBe(false);
  });

  it('many gaps: each named as far as its room allows, none over another label or another gap', () => {
    // 5 px gaps 100 px apart: room for the pen's name (66 px) after each, not for the whole label (144 px).
    const spans = Array.from({ length: 10 }, (_, k) => ({ a: k * 100, b: k * 100 + 5 }));
    const placed = lane(spans, spans.map(() => TK));
    expect(placed.map((l) => l.text)).toEqual(new Array(10).fill('TK101.Level'));
    expect(overlapping(placed)).toBe(false);
    for (const l of placed) {
      expect(l.x0).toBeGreaterThanOrEqual((spans[l.gap - 1]?.b ?? 0) + 3);
      expect(l.x1).toBeLessThanOrEqual((spans[l.gap + 1]?.a ?? 1000) - 3);
    }
    // 40 px apart: no room for a label but after the last, where the lane is free to the edge.
    expect(lane(Array.from({ length: 20 }, (_, k) => ({ a: k * 40, b: k * 40 + 5 })), new Array(20).fill(TK))).toEqual([{ gap: 19, text: TK[0], x0: 763, x1: 907, side: 'after' }]);
  });
});
