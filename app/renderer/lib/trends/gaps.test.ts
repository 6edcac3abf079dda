import { describe, expect, it } from 'vitest';
import { gapSummary, gapWord, labelPlace, laneLayout, penGaps, shortNames } from './gaps.js';
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

  it('a label: whole after the gap\'s start if the lane has room, else ending at its end, else shorter', () => {
    const measure = (s: string) => s.length * 6; // 24 and 11 characters: 144 and 66 px
    const texts = ['TK101.Level: bad quality', 'TK101.Level'];
    expect(labelPlace(texts, 200, 10, measure)).toEqual({ text: 'TK101.Level: bad quality', side: 'after' });
    expect(labelPlace(texts, 100, 150, measure)).toEqual({ text: 'TK101.Level: bad quality', side: 'before' }); // near the right edge
    expect(labelPlace(texts, 100, 100, measure)).toEqual({ text: 'TK101.Level', side: 'after' });
    expect(labelPlace(texts, 40, 70, measure)).toEqual({ text: 'TK101.Level', side: 'before' });
    expect(labelPlace(texts, 40, 40, measure)).toBeNull();
  });
});
