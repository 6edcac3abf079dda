import { describe, expect, it } from 'vitest';
import { SEEN_MS, SeenRows } from './seen-rows.js';

const r = (id: string, revision = 1) => ({ id, revision });
const ids = (rows: { id: string }[]) => rows.map((x) => x.id);

describe('"ack visible page" takes only the rows the operator had time to see', () => {
  it('rows on screen for a second are seen; rows pushed into view by arrivals just before the key are not', () => {
    const seen = new SeenRows();
    // A page of P3 rows read for 3 s.
    seen.update([r('T87'), r('T88'), r('T89')], 0);
    // Five P2 alarms sorted in above push T82..T86 into view; the key comes 40 ms after they were drawn.
    seen.update([r('T82'), r('T83'), r('T87'), r('T88')], 3000);
    const { seen: ok, fresh } = seen.split([r('T82'), r('T83'), r('T87'), r('T88')], 3040);
    expect(ids(ok)).toEqual(['T87', 'T88']);
    expect(ids(fresh)).toEqual(['T82', 'T83']);
  });

  it('a row drawn within the frame of the key press (not yet measured) is fresh', () => {
    const seen = new SeenRows();
    seen.update([r('a')], 0);
    const { seen: ok, fresh } = seen.split([r('a'), r('b')], 5000);
    expect(ids(ok)).toEqual(['a']);
    expect(ids(fresh)).toEqual(['b']);
  });

  it('a row that changed (H escalated to HH: new revision) just before the key is fresh, until it has stood a second', () => {
    const seen = new SeenRows();
    seen.update([r('lvl', 4)], 0);
    seen.update([r('lvl', 5)], 2000);
    expect(ids(seen.split([r('lvl', 5)], 2300).fresh)).toEqual(['lvl']);
    expect(ids(seen.split([r('lvl', 5)], 2000 + SEEN_MS).seen)).toEqual(['lvl']);
  });

  it('a row scrolled away and back is timed from its return', () => {
    const seen = new SeenRows();
    seen.update([r('a'), r('b')], 0);
    seen.update([r('b')], 2000);
    seen.update([r('a'), r('b')], 2500);
    const { seen: ok, fresh } = seen.split([r('a'), r('b')], 3000);
    expect(ids(ok)).toEqual(['b']);
    expect(ids(fresh)).toEqual(['a']);
  });

  it('the second is counted up to the press itself: 999 ms is too new, 1000 ms is seen', () => {
    const seen = new SeenRows();
    seen.update([r('a')], 100);
    expect(ids(seen.split([r('a')], 1099).fresh)).toEqual(['a']);
    expect(ids(seen.split([r('a')], 1100).seen)).toEqual(['a']);
  });
});

describe('F10 names the revision the operator had time to see', () => {
  it('selected at H, escalated to HH 300 ms before the key: the H revision is sent (the station refuses: alarm changed — review)', () => {
    const seen = new SeenRows();
    seen.update([r('lvl', 4)], 0);
    const chosen = 500;
    seen.update([r('lvl', 5)], 2000);
    expect(seen.revisionSeen(r('lvl', 5), 2300, chosen)).toBe(4);
    // Once HH has stood on screen a second, it is what the operator acknowledges.
    expect(seen.revisionSeen(r('lvl', 5), 3000, chosen)).toBe(5);
  });

  it('a change drawn in the frame of the key (not yet measured) is named by the revision before it', () => {
    const seen = new SeenRows();
    seen.update([r('lvl', 4)], 0);
    expect(seen.revisionSeen(r('lvl', 5), 5000, 100)).toBe(4);
  });

  it('a row chosen after it changed, or only just come, keeps its own revision: the operator picked it as drawn', () => {
    const seen = new SeenRows();
    seen.update([r('lvl', 4)], 0);
    seen.update([r('lvl', 5)], 2000);
    expect(seen.revisionSeen(r('lvl', 5), 2300, 2100)).toBe(5);
    seen.update([r('lvl', 5), r('new', 1)], 2400);
    expect(seen.revisionSeen(r('new', 1), 2500, 100)).toBe(1);
    // Not on screen at all (scrolled away): as drawn.
    expect(seen.revisionSeen(r('gone', 7), 2500, 100)).toBe(7);
  });

  it('two changes within a second name the last revision that stood a second', () => {
    const seen = new SeenRows();
    seen.update([r('x', 1)], 0);
    seen.update([r('x', 2)], 5000);
    seen.update([r('x', 3)], 5200);
    expect(seen.revisionSeen(r('x', 3), 5400, 100)).toBe(1);
  });
});
