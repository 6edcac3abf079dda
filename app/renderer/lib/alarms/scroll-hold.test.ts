import { describe, expect, it } from 'vitest';
import { heldScrollTop, holdOf, type RowBox } from './scroll-hold.js';

/** Rows of 32 px from `first` (index 0 at y = boxTop - scrollTop). */
function layout(idsInOrder: string[], boxTop: number, scrollTop: number): RowBox[] {
  return idsInOrder.map((id, i) => ({ id, top: boxTop + i * 32 - scrollTop, bottom: boxTop + (i + 1) * 32 - scrollTop }));
}
const list = (prefix: string, from: number, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);
const box = { top: 256, bottom: 680 }; // the summary's scroll box at 1280x720

describe('the summary holds the rows being read while rows come and go above', () => {
  it('scrolled down 200 px, 50 rows sorted in above: the first row in view stays where it was', () => {
    const before = list('P4-', 1, 100);
    const hold = holdOf(layout(before, box.top, 200), box, 200, null)!;
    // Row P4-8 (index 7) had its top at 256 + 224 - 200 = 280: the first wholly in view.
    expect(hold.ids[0]).toBe('P4-8');
    const after = [...list('P3-', 1, 50), ...before];
    const tops = new Map(layout(after, box.top, 200).map((r) => [r.id, r.top]));
    // 50 rows of 32 px more above it: 1600 px further down.
    expect(heldScrollTop(hold, (id) => tops.get(id), box.top, 200)).toBe(1800);
  });

  it('the selected row in view is held before the first one, also at the top of the list', () => {
    const before = list('P3-', 1, 20);
    const hold = holdOf(layout(before, box.top, 0), box, 0, 'P3-4')!;
    expect(hold.ids).toEqual(['P3-4']);
    const after = [...list('P1-', 1, 3), ...before];
    const tops = new Map(layout(after, box.top, 0).map((r) => [r.id, r.top]));
    expect(heldScrollTop(hold, (id) => tops.get(id), box.top, 0)).toBe(96);
  });

  it('at the top with no selected row in view nothing is held: new alarms show at the top', () => {
    expect(holdOf(layout(list('a', 1, 20), box.top, 0), box, 0, null)).toBeNull();
    // The selected row scrolled out of view is not held either.
    expect(holdOf(layout(list('a', 1, 40), box.top, 0), box, 0, 'a30')).toBeNull();
  });

  it('returns acknowledged above leave the list: it moves up by what left, the rows read stay', () => {
    const before = list('r', 1, 60);
    const hold = holdOf(layout(before, box.top, 640), box, 640, null)!;
    expect(hold.ids[0]).toBe('r21');
    const after = before.filter((id) => !['r2', 'r5', 'r9'].includes(id));
    const tops = new Map(layout(after, box.top, 640).map((r) => [r.id, r.top]));
    expect(heldScrollTop(hold, (id) => tops.get(id), box.top, 640)).toBe(640 - 96);
  });

  it('the held row gone (acknowledged RTN), the next row held in view is kept in place instead', () => {
    const before = list('r', 1, 60);
    const hold = holdOf(layout(before, box.top, 640), box, 640, 'r22')!;
    expect(hold.ids.slice(0, 2)).toEqual(['r22', 'r21']);
    const after = before.filter((id) => id !== 'r22' && id !== 'r1');
    const tops = new Map(layout(after, box.top, 640).map((r) => [r.id, r.top]));
    expect(heldScrollTop(hold, (id) => tops.get(id), box.top, 640)).toBe(640 - 32);
    expect(heldScrollTop(hold, () => undefined, box.top, 640)).toBeNull();
  });
});
