import { describe, expect, it } from 'vitest';
import { NO_FILTER, alarmsByTag, bannerRows, currentRows, listRows, matchesFilter, moveSelection } from './order.js';
import { row } from './testing.js';

const T10_00 = Date.UTC(2025, 0, 1, 10, 0);
const T10_05 = Date.UTC(2025, 0, 1, 10, 5);

describe('alarm order', () => {
  it('spec case 9: AT-301 P1 at 10:00 is above LI-101 P2 at 10:05', () => {
    const rows = [row({ id: 'LI-101/limit', priority: 2, annunciatedAt: T10_05 }), row({ id: 'AT-301/limit', priority: 1, annunciatedAt: T10_00 })];
    expect(currentRows(rows).map((r) => r.id)).toEqual(['AT-301/limit', 'LI-101/limit']);
  });

  it('newest first within a priority; acked, RTN and latched rows stay listed; A, F, G, H do not', () => {
    const rows = [
      row({ id: 'a/limit', priority: 3, annunciatedAt: 1000, state: 'C' }),
      row({ id: 'b/limit', priority: 3, annunciatedAt: 3000, state: 'D' }),
      row({ id: 'c/limit', priority: 3, annunciatedAt: 2000, state: 'E' }),
      row({ id: 'shelved/limit', priority: 1, annunciatedAt: 9000, state: 'F' }),
      row({ id: 'suppressed/limit', priority: 1, annunciatedAt: 9000, state: 'G' }),
      row({ id: 'oos/limit', priority: 1, annunciatedAt: 9000, state: 'H' }),
      row({ id: 'normal/limit', priority: 1, annunciatedAt: 9000, state: 'A' }),
    ];
    expect(currentRows(rows).map((r) => r.id)).toEqual(['b/limit', 'c/limit', 'a/limit']);
  });

  it('the banner keeps a row for the alarm waiting: a new P3 alarm is not hidden under three acknowledged P1 ones', () => {
    const rows = currentRows([
      row({ id: 'p1a/limit', priority: 1, annunciatedAt: 1000, state: 'C' }),
      row({ id: 'p1b/limit', priority: 1, annunciatedAt: 2000, state: 'C' }),
      row({ id: 'p1c/limit', priority: 1, annunciatedAt: 3000, state: 'E' }),
      row({ id: 'p3/limit', priority: 3, annunciatedAt: 4000, state: 'B' }),
      row({ id: 'p4rtn/limit', priority: 4, annunciatedAt: 500, state: 'D' }),
    ]);
    expect(bannerRows(rows, 3).map((r) => r.id)).toEqual(['p1c/limit', 'p1b/limit', 'p3/limit']);
    // Room for it anyway, or one waiting among the rows: the order is the importance order.
    expect(bannerRows(rows, 5).map((r) => r.id)).toEqual(['p1c/limit', 'p1b/limit', 'p1a/limit', 'p3/limit', 'p4rtn/limit']);
    expect(bannerRows(rows.slice(0, 3), 3).map((r) => r.id)).toEqual(['p1c/limit', 'p1b/limit', 'p1a/limit']);
  });

  it('the banner shows the alarm sounding the horn under three P1 rows returned unacknowledged (RTN) or latched', () => {
    // The explorer's case at 1280x720 (3 rows): D and E rows are unacknowledged or waiting for a reset,
    // but do not sound; the new P3 alarm does (state B) and must be there to select and acknowledge.
    const rows = currentRows([
      row({ id: 'p1rtn-a/limit', priority: 1, annunciatedAt: 1000, state: 'D' }),
      row({ id: 'p1rtn-b/limit', priority: 1, annunciatedAt: 2000, state: 'D' }),
      row({ id: 'p1latched/limit', priority: 1, annunciatedAt: 3000, state: 'E', flags: { active: false, acked: false, confirmed: null, latched: true, shelving: 'Unshelved', suppressed: false, outOfService: false } }),
      row({ id: 'p2acked/limit', priority: 2, annunciatedAt: 3500, state: 'C' }),
      row({ id: 'p3horn/limit', priority: 3, annunciatedAt: 4000, state: 'B', audible: true }),
    ]);
    expect(bannerRows(rows, 3).map((r) => r.id)).toEqual(['p1latched/limit', 'p1rtn-b/limit', 'p3horn/limit']);
  });

  it('every alarm active and unacknowledged is in the banner when they fit; when more wait than rows, the first sounding one at least', () => {
    const rows = currentRows([
      row({ id: 'p1rtn/limit', priority: 1, annunciatedAt: 9000, state: 'D' }),
      row({ id: 'p2silenced/limit', priority: 2, annunciatedAt: 1000, state: 'B', audible: false }),
      row({ id: 'p3new/limit', priority: 3, annunciatedAt: 5000, state: 'B', audible: true }),
      row({ id: 'p4new/limit', priority: 4, annunciatedAt: 6000, state: 'B', audible: true }),
    ]);
    // Two rows for three waiting: the most important rows, the last given to the first sounding one (not the silenced P2).
    expect(bannerRows(rows, 2).map((r) => r.id)).toEqual(['p1rtn/limit', 'p3new/limit']);
    // Three rows: every active unacknowledged one, in the importance order; the RTN row gives way.
    expect(bannerRows(rows, 3).map((r) => r.id)).toEqual(['p2silenced/limit', 'p3new/limit', 'p4new/limit']);
    // A flood of P4 alarms does not push latched P1 and P2 alarms (RESET REQUIRED) out of the banner.
    const flood = currentRows([
      row({ id: 'p1latched/limit', priority: 1, annunciatedAt: 100, state: 'E' }),
      row({ id: 'p2latched/limit', priority: 2, annunciatedAt: 200, state: 'E' }),
      ...[1, 2, 3, 4].map((i) => row({ id: `p4-${i}/limit`, priority: 4, annunciatedAt: 1000 * i, state: 'B', audible: true })),
    ]);
    expect(bannerRows(flood, 3).map((r) => r.id)).toEqual(['p1latched/limit', 'p2latched/limit', 'p4-4/limit']);
    // Room for all: the importance order, nothing left out.
    expect(bannerRows(rows, 5).map((r) => r.id)).toEqual(['p1rtn/limit', 'p2silenced/limit', 'p3new/limit', 'p4new/limit']);
  });

  it('filters by area, priority and state', () => {
    const unackP1 = row({ id: 'x/limit', priority: 1, state: 'B', area: 'Area2' });
    const ackedP2 = row({ id: 'y/limit', priority: 2, state: 'C' });
    const rtn = row({ id: 'z/limit', priority: 2, state: 'D' });
    const all = [unackP1, ackedP2, rtn];
    const ids = (f: Partial<typeof NO_FILTER>) => all.filter((r) => matchesFilter(r, { ...NO_FILTER, ...f })).map((r) => r.id);
    expect(ids({})).toEqual(['x/limit', 'y/limit', 'z/limit']);
    expect(ids({ area: 'Area2' })).toEqual(['x/limit']);
    expect(ids({ priorities: [2] })).toEqual(['y/limit', 'z/limit']);
    expect(ids({ state: 'unacked' })).toEqual(['x/limit', 'z/limit']);
    expect(ids({ state: 'active' })).toEqual(['x/limit', 'y/limit']);
    expect(ids({ state: 'rtn' })).toEqual(['z/limit']);
  });

  it('lists shelved rows soonest expiry first, one-shot last', () => {
    const shelve = (until: number | null) => ({ until, oneShot: until === null, reason: 'r', by: 'u', at: 0 });
    const rows = [
      row({ id: 'oneshot/limit', state: 'F', shelve: shelve(null) }),
      row({ id: 'later/limit', state: 'F', shelve: shelve(5000) }),
      row({ id: 'soon/limit', state: 'F', shelve: shelve(1000) }),
    ];
    expect(listRows(rows, 'F').map((r) => r.id)).toEqual(['soon/limit', 'later/limit', 'oneshot/limit']);
  });

  it('moves the selection within the list and stops at its ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(moveSelection(ids, null, 1)).toBe('a');
    expect(moveSelection(ids, null, -1)).toBe('c');
    expect(moveSelection(ids, 'a', 1)).toBe('b');
    expect(moveSelection(ids, 'c', 1)).toBe('c');
    expect(moveSelection(ids, 'a', -1)).toBe('a');
    expect(moveSelection(ids, 'gone', 1)).toBe('a');
    expect(moveSelection([], 'a', 1)).toBeNull();
  });
});

describe('the alarm a tag shows beside its value (detector tiles)', () => {
  it('its most important unacknowledged alarm first: a new P3 bad-quality row before the same tag\'s acknowledged HH P1', () => {
    const pending = alarmsByTag([
      row({ id: 'Area1.GD101.Concentration/quality', condition: 'BAD', priority: 3, annunciatedAt: 5000, state: 'B' }),
      row({ id: 'Area1.GD101.Concentration/limit', condition: 'HH', priority: 1, annunciatedAt: 1000, state: 'C' }),
    ]);
    expect(pending.get('Area1.GD101.Concentration')?.id).toBe('Area1.GD101.Concentration/quality');
  });

  it('its most important current alarm when as many wait: an HH P1 before the same tag\'s P3 bad-quality row; none for a normal tag', () => {
    const rows = [
      row({ id: 'Area1.GD101.Concentration/quality', condition: 'BAD', priority: 3, annunciatedAt: 5000, state: 'B' }),
      row({ id: 'Area1.GD101.Concentration/limit', condition: 'HH', priority: 1, annunciatedAt: 1000, state: 'B' }),
      row({ id: 'Area1.GD102.Concentration/limit', condition: 'H', priority: 2, state: 'A' }),
      row({ id: 'comm/sim', kind: 'communication', condition: 'COMM', tag: null, priority: 1 }),
    ];
    const byTag = alarmsByTag(rows);
    expect(byTag.get('Area1.GD101.Concentration')?.id).toBe('Area1.GD101.Concentration/limit');
    expect(byTag.has('Area1.GD102.Concentration')).toBe(false);
    expect([...byTag.keys()]).toEqual(['Area1.GD101.Concentration']);
  });

  it('an unacknowledged return to normal and a latched alarm still show; shelved or out of service only when nothing is current', () => {
    const byTag = alarmsByTag([
      row({ id: 'a/limit', state: 'D' }),
      row({ id: 'b/limit', state: 'E' }),
      row({ id: 'c/limit', state: 'F', priority: 1 }),
      row({ id: 'c/quality', state: 'B', priority: 4, condition: 'BAD' }),
      row({ id: 'd/limit', state: 'H' }),
      row({ id: 'e/limit', state: 'G' }),
    ]);
    expect(Object.fromEntries([...byTag].map(([tag, r]) => [tag, r.state]))).toEqual({ a: 'D', b: 'E', c: 'B', d: 'H' });
  });
});
