import { describe, expect, it } from 'vitest';
import { readoutTime, readPen } from './readout.js';
import { Kind, Trace } from './trace.js';

const GOOD = 0, SENSOR = 0x808c0000;

/** A pen's trace: archived values at 0 and 10, the live feed's newest at 20. */
function trace(open: boolean): Trace {
  const tr = new Trace(false);
  tr.push(0, 1, Kind.Good, GOOD);
  tr.push(10, 2, Kind.Good, GOOD);
  tr.push(20, 3, Kind.Good, GOOD);
  tr.open = open;
  return tr;
}

describe('the readout while the console link is down', () => {
  it('the latest value of an open trace (the live feed\'s) is not current: its Good status no longer says so', () => {
    const r = readPen(trace(true), 20, { liveUntil: 15, atCursor: false, linkUp: false });
    expect(r).toMatchObject({ kind: 'value', value: 3, status: GOOD, notCurrent: true });
  });

  it('the same reading with the link up is current', () => {
    expect(readPen(trace(true), 20, { liveUntil: 100, atCursor: false, linkUp: true })).toMatchObject({ kind: 'value', value: 3, notCurrent: false });
    expect(readPen(trace(true), 30, { liveUntil: 100, atCursor: false, linkUp: true })).toMatchObject({ kind: 'value', held: true, notCurrent: false });
  });

  it('a latest reading past the newest point (nothing known after the loss) is not current either', () => {
    expect(readPen(trace(true), 30, { liveUntil: 25, atCursor: false, linkUp: false })).toMatchObject({ kind: 'gap', notCurrent: true });
  });

  it('a latest bad value is not current too', () => {
    const tr = trace(true);
    tr.push(30, NaN, Kind.Bad, SENSOR);
    expect(readPen(tr, 30, { liveUntil: 25, atCursor: false, linkUp: false })).toMatchObject({ kind: 'gap', status: SENSOR, notCurrent: true });
  });

  it('history is what the archive says: the cursor\'s time, a range in the past, the view\'s end before the newest point', () => {
    // At the cursor, even on the newest point: the value at that time.
    expect(readPen(trace(true), 5, { liveUntil: 15, atCursor: true, linkUp: false })).toMatchObject({ kind: 'value', value: 1.5, interpolated: true, notCurrent: false });
    expect(readPen(trace(true), 20, { liveUntil: 15, atCursor: true, linkUp: false })).toMatchObject({ kind: 'value', value: 3, notCurrent: false });
    // A closed trace (the archive holds more after it): its latest in view is history.
    expect(readPen(trace(false), 20, { liveUntil: -Infinity, atCursor: false, linkUp: false })).toMatchObject({ kind: 'value', value: 3, notCurrent: false });
    // The view ends before the newest point: the latest in view is the value then.
    expect(readPen(trace(true), 15, { liveUntil: 15, atCursor: false, linkUp: false })).toMatchObject({ kind: 'value', value: 2.5, notCurrent: false });
  });

  it('an empty trace has no live value', () => {
    expect(readPen(new Trace(false), 5, { liveUntil: 0, atCursor: false, linkUp: false })).toMatchObject({ kind: 'gap', noData: true, notCurrent: false });
  });
});

describe('the readout without a cursor reads at the time it names', () => {
  // The acceptance run's Temp: archived every 15 min up to 02:00, its server gone since; a view of
  // [01:45, 02:15] names 02:15, where (README) a no-data band runs: nothing is known then.
  const T0 = Date.UTC(2026, 2, 29);
  const min = 60_000;
  function temp(): Trace {
    const tr = new Trace(false);
    for (let m = 0; m <= 120; m += 15) tr.push(T0 + m * min, 21, Kind.Good, GOOD);
    tr.open = true; // nothing archived after 02:00: the live edge decides
    return tr;
  }
  const view = { start: T0 + 105 * min, end: T0 + 135 * min };

  it('a past view\'s end after the last archived value, the pen not live: no data, not the 02:00 value as Good', () => {
    const x = readoutTime(null, false, view, temp().lastT);
    expect(x).toBe(view.end);
    expect(readPen(temp(), x, { liveUntil: -Infinity, atCursor: false, linkUp: true })).toMatchObject({ kind: 'gap', noData: true });
  });

  it('the same view while the pen is live through its end: the value held since 02:00', () => {
    const x = readoutTime(null, false, view, temp().lastT);
    expect(readPen(temp(), x, { liveUntil: view.end + min, atCursor: false, linkUp: true })).toMatchObject({
      kind: 'value', value: 21, held: true, sampleT: T0 + 120 * min, t: view.end,
    });
  });

  it('a live window reads the newest value, held to now while live', () => {
    const now = T0 + 125 * min;
    const x = readoutTime(null, true, { start: now - 10 * min, end: now }, temp().lastT);
    expect(x).toBe(T0 + 120 * min);
    expect(readPen(temp(), x, { liveUntil: now, atCursor: false, linkUp: true })).toMatchObject({ kind: 'value', value: 21, notCurrent: false });
  });

  it('the cursor reads its own time', () => {
    expect(readoutTime(T0 + 110 * min, false, view, temp().lastT)).toBe(T0 + 110 * min);
  });
});
