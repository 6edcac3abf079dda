/**
 * Direct checks of rules each decided in one place (mutation testing found
 * them held by no test): the configuration's defaults and bounds, which
 * aggregates refuse text, the extremes' status and MultipleValues rules, and
 * the column path agreeing with the rows path. Expectations are Part 13's
 * text or literals.
 */
import { describe, expect, it } from 'vitest';
import { Bad, BadNoData, Good, HistorianCalculated, HistorianMultiValue, HistorianRaw, UncertainDataSubNormal, UncertainLastUsableValue, codeOf } from '../status.js';
import type { Sample } from '../types.js';
import { aggregateNames, computeProcessed, computeProcessedColumns, defaultAggregateConfig } from './index.js';
import { resolveConfig } from './config.js';
import { percentValuesStatus } from './result.js';
import { qualityDurations } from './counts.js';
import { buildSeries } from './series.js';

const T0 = Date.UTC(2026, 0, 1);
const s = (k: number, value: Sample['value'], status = Good): Sample => ({ t: T0 + k * 1000, value, status });
/** One interval over [T0, T0 + 10 s), the data's end after it. */
const one = (data: Sample[], aggregate: Parameters<typeof computeProcessed>[4], config = {}) =>
  computeProcessed(data, T0, T0 + 10_000, 0, aggregate, config, T0 + 20_000)[0]!;
/** The info bits' source kind (Part 4 §7.39.3: 0 Raw, 1 Calculated, 2 Interpolated). */
const kind = (status: number) => status & 0x3;

describe('configuration', () => {
  it('names the 23 aggregates Vigil answers', () => {
    expect([...aggregateNames].sort()).toEqual([
      'Average', 'Count', 'Delta', 'DurationBad', 'DurationGood', 'DurationInStateNonZero', 'DurationInStateZero', 'End',
      'Interpolative', 'Maximum', 'MaximumActualTime', 'Minimum', 'MinimumActualTime', 'NumberOfTransitions', 'PercentBad',
      'PercentGood', 'Range', 'StandardDeviation', 'Start', 'TimeAverage', 'TimeAverage2', 'Total', 'Total2',
    ]);
  });

  it('defaults to Part 13 §4.2.1.2: uncertain as bad, 100 % good and bad, no sloped extrapolation; a tag interpolates', () => {
    expect({ ...defaultAggregateConfig }).toEqual({
      treatUncertainAsBad: true, percentDataBad: 100, percentDataGood: 100, useSlopedExtrapolation: false, stepped: false,
    });
  });

  it('takes percentages from 0 to 100 and refuses NaN, negatives and more than 100', () => {
    expect(resolveConfig({ percentDataBad: 0, percentDataGood: 100 }).percentDataBad).toBe(0);
    expect(resolveConfig({ percentDataBad: 100, percentDataGood: 0 }).percentDataGood).toBe(0);
    for (const bad of [NaN, -1, -0.001, 100.001, Infinity]) {
      expect(() => resolveConfig({ percentDataBad: bad }), String(bad)).toThrow(`percentDataBad must be a number in [0, 100], got ${bad}`);
    }
  });

  it('Good, Bad and the rest (Uncertain, not taken as Bad) tile the known part of an interval', () => {
    const series = buildSeries([s(0, 1), s(3, 2, UncertainLastUsableValue), s(6, NaN, Bad)], resolveConfig({ treatUncertainAsBad: false }), T0 + 8000);
    expect(qualityDurations(series, T0, T0 + 10_000)).toEqual({ goodMs: 3000, otherMs: 3000, badMs: 2000 });
  });

  it('an empty set of values is Good: nothing was skipped', () => {
    expect(percentValuesStatus({ good: 0, bad: 0, other: 0 }, defaultAggregateConfig)).toBe(Good);
  });
});

describe('numeric aggregates refuse a text tag, naming themselves', () => {
  const text = [s(0, 'diesel'), s(5, 'petrol')];
  for (const [aggregate, name] of [
    ['Average', 'Average'], ['TimeAverage', 'TimeAverage'], ['Minimum', 'Minimum'], ['MinimumActualTime', 'Minimum'],
    ['Maximum', 'Maximum'], ['MaximumActualTime', 'Maximum'], ['Range', 'Range'], ['Delta', 'Delta'], ['StandardDeviation', 'StandardDeviation'],
    ['TimeAverage2', 'TimeAverage2'], ['Total', 'Total'], ['Total2', 'Total2'],
    ['DurationInStateZero', 'DurationInStateZero'], ['DurationInStateNonZero', 'DurationInStateNonZero'],
  ] as const) {
    it(aggregate, () => {
      expect(() => one(text, aggregate)).toThrow(new TypeError(`${name} needs numeric or Boolean data; the tag holds text`));
    });
  }
  it('Start, End and Count keep text', () => {
    expect(one(text, 'Start').value).toBe('diesel');
    expect(one(text, 'End').value).toBe('petrol');
    expect(one(text, 'Count').value).toBe(2);
  });
  it('NumberOfTransitions counts changes of text (§5.4.3.24: any change of value)', () => {
    // 'diesel' has no value before it (a transition), 'petrol' differs from it.
    expect(one(text, 'NumberOfTransitions').value).toBe(2);
  });
});

describe('extremes (Part 13 §5.4.3.10-13)', () => {
  const uncertainOk = { treatUncertainAsBad: false };
  it('an Uncertain value below the Good minimum makes Minimum Uncertain_DataSubNormal, not Maximum', () => {
    const data = [s(0, 5), s(3, 2, UncertainLastUsableValue), s(6, 7)];
    const min = one(data, 'Minimum', uncertainOk), max = one(data, 'Maximum', uncertainOk);
    expect([min.value, codeOf(min.status)]).toEqual([5, UncertainDataSubNormal]);
    expect([max.value, codeOf(max.status)]).toEqual([7, Good]);
  });

  it('an Uncertain value above the Good maximum makes Maximum Uncertain_DataSubNormal, not Minimum', () => {
    const data = [s(0, 5), s(3, 9, UncertainLastUsableValue), s(6, 7)];
    expect(codeOf(one(data, 'Maximum', uncertainOk).status)).toBe(UncertainDataSubNormal);
    expect(codeOf(one(data, 'Minimum', uncertainOk).status)).toBe(Good);
  });

  it('an Uncertain value equal to a Good extreme leaves it Good', () => {
    const data = [s(0, 5), s(2, 5, UncertainLastUsableValue), s(4, 7, UncertainLastUsableValue), s(6, 7)];
    expect(codeOf(one(data, 'Minimum', uncertainOk).status)).toBe(Good);
    expect(codeOf(one(data, 'Maximum', uncertainOk).status)).toBe(Good);
  });

  it('a skipped Bad value makes both extremes Uncertain_DataSubNormal', () => {
    const data = [s(0, 5), s(3, NaN, Bad), s(6, 7)];
    expect(codeOf(one(data, 'Minimum').status)).toBe(UncertainDataSubNormal);
    expect(codeOf(one(data, 'Maximum').status)).toBe(UncertainDataSubNormal);
  });

  it('the same extreme twice: the oldest one, with MultipleValues', () => {
    const data = [s(0, 3), s(2, 8), s(4, 1), s(6, 8), s(8, 1)];
    const max = one(data, 'MaximumActualTime'), min = one(data, 'MinimumActualTime');
    expect([max.t, max.value, max.status & HistorianMultiValue]).toEqual([T0 + 2000, 8, HistorianMultiValue]);
    expect([min.t, min.value, min.status & HistorianMultiValue]).toEqual([T0 + 4000, 1, HistorianMultiValue]);
    const single = one([s(0, 3), s(2, 8), s(4, 1)], 'MaximumActualTime');
    expect(single.status & HistorianMultiValue).toBe(0);
  });

  it('Maximum is stamped at the interval start: Raw only when the maximum was archived there', () => {
    expect(kind(one([s(0, 9), s(5, 2)], 'Maximum').status)).toBe(HistorianRaw);
    const later = one([s(0, 2), s(5, 9)], 'Maximum');
    expect([later.t, later.value, kind(later.status)]).toEqual([T0, 9, HistorianCalculated]);
  });

  it('Maximum archived at the interval start but made Uncertain by a Bad value is Calculated, not Raw (Table 22)', () => {
    const max = one([s(0, 9), s(3, NaN, Bad), s(5, 2)], 'Maximum');
    expect([max.value, codeOf(max.status), kind(max.status)]).toEqual([9, UncertainDataSubNormal, HistorianCalculated]);
  });

  it('a Bad_NoData entry in the interval does not hide an Uncertain value beyond the Good extremes', () => {
    const data = [s(0, 5), s(2, NaN, BadNoData), s(3, 2, UncertainLastUsableValue), s(4, 9, UncertainLastUsableValue), s(6, 7)];
    const min = one(data, 'Minimum', uncertainOk), max = one(data, 'Maximum', uncertainOk);
    expect([min.value, codeOf(min.status)]).toEqual([5, UncertainDataSubNormal]);
    expect([max.value, codeOf(max.status)]).toEqual([7, UncertainDataSubNormal]);
  });
});

describe('Delta (§5.4.3.22) and TimeAverage (§5.4.3.6) status', () => {
  it('Delta is the last Good value less the first, Good when nothing was passed over, from the first sample on', () => {
    const d = one([s(0, 5), s(6, 8)], 'Delta');
    expect([d.value, codeOf(d.status)]).toEqual([3, Good]);
  });

  it('a Bad value passed over before the first Good one, or after the last, makes Delta Uncertain_DataSubNormal', () => {
    for (const data of [[s(0, NaN, Bad), s(2, 5), s(6, 8)], [s(0, 5), s(6, 8), s(8, NaN, Bad)]]) {
      const d = one(data, 'Delta');
      expect([d.value, codeOf(d.status)]).toEqual([3, UncertainDataSubNormal]);
    }
  });

  it('a Bad_NoData entry after the last Good value is not data passed over: Delta stays Good', () => {
    const d = one([s(0, 5), s(6, 8), s(8, NaN, BadNoData)], 'Delta');
    expect([d.value, codeOf(d.status)]).toEqual([3, Good]);
  });

  it('an Uncertain value inside the interval (not taken as Bad) makes TimeAverage Uncertain_DataSubNormal', () => {
    // A value after the interval, so its end bound is interpolated (Good), not extrapolated.
    const uncertain = one([s(0, 4), s(4, 4, UncertainLastUsableValue), s(8, 4), s(12, 4)], 'TimeAverage', { treatUncertainAsBad: false });
    expect([uncertain.value, codeOf(uncertain.status)]).toEqual([4, UncertainDataSubNormal]);
    const good = one([s(0, 4), s(4, 4), s(8, 4), s(12, 4)], 'TimeAverage');
    expect([good.value, codeOf(good.status)]).toEqual([4, Good]);
  });

  it('a Bad value archived at the interval end, beside the Good end bound, belongs to the next interval: TimeAverage stays Good', () => {
    // [T0, T0 + 10 s) excludes its end; the end bound is the Good raw 4 at 10 s (§3.1.8), no Bad value was skipped.
    const v = one([s(0, 4), s(10, NaN, Bad), s(10, 4)], 'TimeAverage');
    expect([v.value, codeOf(v.status)]).toEqual([4, Good]);
  });
});

describe('TimeAverage without a start bound, and values sharing a time (§5.4.3.6, Table 17)', () => {
  const partial = (status: number) => (status & 0x4) !== 0;

  it('with nothing archived before the interval it averages the part that has data: Good, Partial', () => {
    // 4 from 2 s to 6 s, then a line to 8 at 10 s: area 4·4 + (4 + 8) / 2 · 4 = 40 over the 8 s that have data.
    const v = one([s(2, 4), s(6, 4), s(10, 8)], 'TimeAverage');
    expect([v.value, codeOf(v.status), partial(v.status)]).toEqual([5, Good, true]);
  });

  it('when only Bad values precede the interval they were skipped: Uncertain_DataSubNormal, Partial', () => {
    const v = one([s(-3, NaN, Bad), s(2, 4), s(6, 4), s(10, 8)], 'TimeAverage');
    expect([v.value, codeOf(v.status), partial(v.status)]).toEqual([5, UncertainDataSubNormal, true]);
  });

  it('with a start bound the interval is whole: no Partial bit', () => {
    const v = one([s(0, 4), s(6, 4), s(10, 8)], 'TimeAverage');
    expect(partial(v.status)).toBe(false);
  });

  it('of two values archived at one time the later stands, as on Interpolative\'s line', () => {
    // 0 until 2 s, then 10: 0·2 + 10·8 = 80 over 10 s.
    const data = [s(0, 0), s(2, 0), s(2, 10), s(10, 10)];
    expect(one(data, 'TimeAverage').value).toBe(8);
    const at = (k: number) => computeProcessed(data, T0 + k * 1000, T0 + k * 1000 + 1, 0, 'Interpolative', {}, T0 + 20_000)[0]!.value;
    expect([at(1), at(3)]).toEqual([0, 10]);
  });
});

describe('columns and rows agree', () => {
  const rows = [s(0, 4), s(2, 9), s(5, 1), s(7, 6)];
  const cols = {
    t: Float64Array.from(rows, (r) => r.t), value: Float64Array.from(rows, (r) => r.value as number),
    status: Uint32Array.from(rows, (r) => r.status), length: rows.length,
  };
  for (const [aggregate, value] of [['Maximum', 9], ['Minimum', 1], ['Count', 4], ['Range', 8], ['Average', 5]] as const) {
    it(`${aggregate} of 4, 9, 1, 6 is ${value} either way`, () => {
      const viaColumns = computeProcessedColumns(cols, T0, T0 + 10_000, 0, aggregate, {}, T0 + 20_000)[0]!;
      expect(viaColumns.value).toBe(value);
      expect(one(rows, aggregate).value).toBe(value);
    });
  }

  it('only the first `length` entries of the columns are data (the store hands over buffers with room to spare)', () => {
    const spare = { t: Float64Array.from([T0, T0 + 5000, T0 + 6000]), value: Float64Array.from([4, 6, 100]), status: new Uint32Array(3), length: 2 };
    for (const [aggregate, value] of [['Average', 5], ['Count', 2], ['Maximum', 6]] as const) {
      expect(computeProcessedColumns(spare, T0, T0 + 10_000, 0, aggregate, {}, T0 + 20_000)[0]!.value, aggregate).toBe(value);
    }
  });
});

describe('Boolean data counts as 0 and 1 (false < true)', () => {
  const data = [s(0, true), s(2, false), s(4, true), s(6, true)];
  it('Average of true, false, true, true is 0.75; the Minimum is false, at 2 s', () => {
    expect(one(data, 'Average').value).toBe(0.75);
    const min = one(data, 'MinimumActualTime');
    expect([min.t, min.value]).toEqual([T0 + 2000, false]);
  });
});

describe('input', () => {
  const columns = (t: number[], value = t.map(() => 1)) => ({
    t: Float64Array.from(t), value: Float64Array.from(value), status: new Uint32Array(t.length).fill(Good), length: t.length,
  });
  it('the column path refuses what the rows path refuses, in the same words', () => {
    const avg = (t: number[]) => () => computeProcessedColumns(columns(t), T0, T0 + 10_000, 0, 'Average');
    expect(avg([T0, NaN])).toThrow(new RangeError('aggregate data[1].t: expected ms since epoch, got NaN'));
    expect(avg([T0, T0 + 2000, T0 + 1000])).toThrow(
      new RangeError(`aggregate data[2].t: expected ascending times, got ${T0 + 1000} after ${T0 + 2000}`),
    );
  });

  it('the column path counts an Uncertain value (not taken as Bad) as neither Good nor Bad (§5.3.3)', () => {
    // 1 Good of 2 is below PercentDataGood 100; 0 Bad is below PercentDataBad 50: Uncertain. Counted as Bad it would be Bad.
    const config = { treatUncertainAsBad: false, percentDataBad: 50, percentDataGood: 100 };
    const c = { ...columns([T0, T0 + 5000], [4, 6]), status: Uint32Array.from([Good, UncertainLastUsableValue]) };
    const [v] = computeProcessedColumns(c, T0, T0 + 10_000, 0, 'Average', config, T0 + 20_000);
    expect([v!.value, codeOf(v!.status)]).toEqual([4, UncertainDataSubNormal]);
  });

  it('times that go back are refused, naming the sample and the time before it', () => {
    expect(() => one([s(0, 1), s(2, 2), s(1, 3)], 'Average')).toThrow(
      `aggregate data[2].t: expected ascending times, got ${T0 + 1000} after ${T0 + 2000}`,
    );
  });
});
