import { describe, expect, it } from 'vitest';
import { axisTitle, pensWithoutAxis, scaleKeyOf, scaleKeys, shownAxisCount } from './axis-groups.js';
import { valueRange } from './scales.js';
import { Kind, Trace } from './trace.js';

// As a PI export imports them (no unit column: unit ''), beside configured tags with units.
const level = { tag: 'TK101.Level', unit: '', discrete: false };
const pressure = { tag: 'PT201.Pressure', unit: '', discrete: false };
const flow = { tag: 'FT301.Flow', unit: '', discrete: false };
const tk1 = { tag: 'Area1.TK101.Level', unit: 'm', discrete: false };
const tk2 = { tag: 'Area1.TK102.Level', unit: 'm', discrete: false };
const temp = { tag: 'Area1.TK101.Temperature', unit: '°C', discrete: false };
const pump = { tag: 'Area1.P101.Running', unit: '', discrete: true };
const valve = { tag: 'Area1.TK101.InletValve', unit: '', discrete: true };

describe('which pens share a value axis', () => {
  it('gives each pen without a unit a scale of its own: no unit is no common unit', () => {
    const keys = [level, pressure, flow].map(scaleKeyOf);
    expect(new Set(keys).size).toBe(3);
    expect(scaleKeys([level, pressure, flow])).toHaveLength(3);
    // A unit of blanks says no more than none.
    expect(scaleKeyOf({ ...level, unit: ' ' })).not.toBe(scaleKeyOf({ ...pressure, unit: ' ' }));
  });

  it('keeps pens of one unit on one axis, and discrete pens on the state axis', () => {
    expect(scaleKeyOf(tk1)).toBe(scaleKeyOf(tk2));
    expect(scaleKeyOf(tk1)).not.toBe(scaleKeyOf(temp));
    expect(scaleKeyOf(pump)).toBe(scaleKeyOf(valve));
    expect(scaleKeys([tk1, level, tk2, pump, temp, flow, valve])).toHaveLength(5);
  });

  it('orders the scales as their first pens come', () => {
    const keys = scaleKeys([level, tk1, flow, tk2]);
    expect(keys).toEqual([scaleKeyOf(level), scaleKeyOf(tk1), scaleKeyOf(flow)]);
  });

  it('draws a level of 2.15 across its axis beside a flow of 3,700 (both unitless, as imported)', () => {
    const pen = (values: number[]) => {
      const trace = new Trace(false);
      values.forEach((v, i) => trace.push(i * 1000, v, Kind.Good, 0));
      return { trace, liveUntil: -Infinity, limits: [], euRange: null };
    };
    const pens = [
      { ...level, ...pen([2.169, 2.16, 2.15045]) },
      { ...pressure, ...pen([0.2023, 0.2021, 0.202244]) },
      { ...flow, ...pen([3702.1, 3692.6, 3711.9]) },
    ];
    for (const key of scaleKeys(pens)) {
      const mine = pens.filter((p) => scaleKeyOf(p) === key);
      const [lo, hi] = valueRange(mine, 0, 2000, { limits: false, eu: true });
      const values = [...mine[0]!.trace.v.subarray(0, mine[0]!.trace.n)];
      // Each pen's own values span most of its axis (padding only), none lies flat at one edge.
      expect(hi - lo, mine[0]!.tag).toBeLessThan(1.2 * (Math.max(...values) - Math.min(...values)));
    }
  });
});

describe('an axis\'s title', () => {
  it('names the unit, the state axis, or for a pen without a unit the pen itself (no lone dash, which stood on end as a bar)', () => {
    expect(axisTitle({ ...tk1, short: 'TK101.Level' }, 'state')).toBe('m');
    expect(axisTitle({ ...pump, short: 'P101.Running' }, 'state')).toBe('state');
    expect(axisTitle({ ...flow, short: 'FT301.Flow' }, 'state')).toBe('FT301.Flow');
    expect(axisTitle({ ...flow, unit: ' ', short: 'FT301.Flow' }, 'state')).toBe('FT301.Flow');
  });
});

describe('how many value axes are shown', () => {
  it('as many as take half the chart at most (80 px each), never none', () => {
    // 1600 px window: a chart of about 1100 px holds 6 axes; 16 units no longer squeeze the plot away.
    expect(shownAxisCount(1100)).toBe(6);
    expect(shownAxisCount(800)).toBe(5);
    expect(shownAxisCount(200)).toBe(1);
    expect(shownAxisCount(0)).toBe(1);
  });
});

describe('pens drawn without an axis', () => {
  // Eight pens of seven scales, as a trend of one tank's instruments and two gas detectors: m, °C, mbar, %, %LEL, state, ppm.
  const eight = [
    tk1, temp,
    { tag: 'Area1.TK101.Pressure', unit: 'mbar', discrete: false },
    { tag: 'Area1.TK101.InletValve', unit: '%', discrete: false },
    { tag: 'Area1.GD101.Concentration', unit: '%LEL', discrete: false },
    tk2,
    pump,
    { tag: 'Area2.GD201.Concentration', unit: 'ppm', discrete: false },
  ];
  const ranges: Record<string, [number, number]> = { 'u:m': [0, 20], 'u:°C': [-20, 60], 'u:mbar': [0, 50], 'u:%': [0, 100], 'u:%LEL': [0, 100], state: [-0.25, 1.25], 'u:ppm': [0, 100] };
  const range = (key: string) => ranges[key] ?? null;

  it('at 1280x720 (a chart about 880 px wide: 5 axes) the pump (state axis, 6th) and the ppm detector (7th) have none', () => {
    expect(shownAxisCount(880)).toBe(5);
    expect(pensWithoutAxis(eight, 5, range).map((a) => [a.pen.tag, a.low, a.high])).toEqual([
      ['Area1.P101.Running', -0.25, 1.25],
      ['Area2.GD201.Concentration', 0, 100],
    ]);
  });

  it('every pen of a scale without an axis is listed, in pen order; a pen whose unit has an axis is not', () => {
    // Two axes: m and °C. TK102's level shares TK101's axis (m, shown).
    const listed = pensWithoutAxis(eight, 2, range).map((a) => a.pen.tag);
    expect(listed).toEqual(['Area1.TK101.Pressure', 'Area1.TK101.InletValve', 'Area1.GD101.Concentration', 'Area1.P101.Running', 'Area2.GD201.Concentration']);
    expect(pensWithoutAxis(eight, 7, range)).toEqual([]);
    expect(pensWithoutAxis([tk1, tk2], 1, range)).toEqual([]);
  });

  it('a scale not drawn yet (no range) says nothing rather than a wrong range', () => {
    expect(pensWithoutAxis(eight, 5, (key) => (key === 'state' ? null : range(key))).map((a) => a.pen.tag)).toEqual(['Area2.GD201.Concentration']);
    expect(pensWithoutAxis(eight, 5, () => [NaN, 1])).toEqual([]);
  });
});
