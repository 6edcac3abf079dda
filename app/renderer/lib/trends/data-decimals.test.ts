import { describe, expect, it } from 'vitest';
import { mostDecimals, traceDecimals, valueDecimals } from './data-decimals.js';
import { Kind, Trace } from './trace.js';
import { readPen } from './readout.js';

const traceOf = (values: number[]) => {
  const tr = new Trace(false);
  values.forEach((v, i) => tr.push(i * 1000, v, Number.isNaN(v) ? Kind.Bad : Kind.Good, Number.isNaN(v) ? 0x80000000 : 0));
  return tr;
};

describe('the decimals a pen\'s archived values carry', () => {
  it('reads each value\'s own digits, up to 7 significant (a Float\'s noise is no digit)', () => {
    // The values of the PI export the run imported (pi_long_1s.csv), as written in the file.
    expect(valueDecimals(3692.6)).toBe(1);
    expect(valueDecimals(3702.1)).toBe(1);
    expect(valueDecimals(2.15045)).toBe(5);
    expect(valueDecimals(0.202342)).toBe(6);
    expect(valueDecimals(3712)).toBe(0);
    expect(valueDecimals(Math.fround(3692.6))).toBe(1);
    expect(valueDecimals(Math.fround(2.15045))).toBe(5);
    expect(valueDecimals(0.1 + 0.2)).toBe(1);
    expect(valueDecimals(1 / 3)).toBe(7);
    expect(mostDecimals(3692.6)).toBe(3);
    expect(mostDecimals(0.000123)).toBe(10);
  });

  it('takes the most any value of the trace carries; gaps have none', () => {
    expect(traceDecimals(traceOf([3702.1, 3692.6, 3712, 3711.9]))).toBe(1);
    expect(traceDecimals(traceOf([2.16933, 2.1696, 2.15045]))).toBe(5);
    expect(traceDecimals(traceOf([12, NaN, 14]))).toBe(0);
    expect(traceDecimals(traceOf([NaN]))).toBeNull();
    expect(traceDecimals(new Trace(false))).toBeNull();
  });

  it('follows live samples appended to the trace', () => {
    const tr = traceOf([3702, 3703]);
    expect(traceDecimals(tr)).toBe(0);
    tr.push(9000, 3703.25, Kind.Good, 0);
    expect(traceDecimals(tr)).toBe(2);
    tr.push(10_000, 3704, Kind.Good, 0);
    expect(traceDecimals(tr)).toBe(2);
  });

  it('comes with the pen\'s reading, for the readout to write its value by', () => {
    const r = readPen(traceOf([3702.1, 3692.6, 3711.9]), 1500, { liveUntil: -Infinity, atCursor: true, linkUp: true });
    expect(r).toMatchObject({ kind: 'value', decimals: 1 });
  });
});
