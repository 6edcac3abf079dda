/**
 * TimeAverage2 against Part 13's own examples, 5 s intervals from 12:00:00:
 * - Historian1 and Historian2: Annex A.5.2 "TimeAverage2 data"
 *   (https://reference.opcfoundation.org/v104/Core/docs/Part13/A.5.2/), Historian2 as far as the
 *   copy available here goes (12:01:10);
 * - Historian3: the "Updated" column of Mantis 6227 (fixed in 1.05): with PercentDataGood =
 *   100 − PercentDataBad the Good calculation alone decides, so 12:00:40, 12:00:45 and 12:01:15 are
 *   Uncertain with a value, not Bad (https://mantis.opcfoundation.org/view.php?id=6227).
 * The row at 12:01:30 (only the last value, at the interval start) is Vigil's choice: Bad_NoData,
 * no time after the end of data is known (README, "Choices where sources disagree"); the annex
 * holds the value (90, Uncertain, Partial).
 */
import { describe, expect, it } from 'vitest';
import { codeOf, Good, UncertainDataSubNormal, BadNoData } from '../status.js';
import { Flag } from '../types.js';
import { at, historian1, historian2, historian3, type Historian } from './fixtures/historians.js';
import { computeProcessed } from './index.js';

const U = UncertainDataSubNormal;
type Row = [string, number | null, number, boolean?];

const tables: [Historian, Row[]][] = [
  [historian1, [
    ['12:00:00', null, BadNoData], ['12:00:05', null, BadNoData], ['12:00:10', 12.5, Good], ['12:00:15', 17.5, Good],
    ['12:00:20', 22.5, Good], ['12:00:25', 27.5, Good], ['12:00:30', 30, U], ['12:00:35', 30, U],
    ['12:00:40', null, BadNoData], ['12:00:45', null, BadNoData], ['12:00:50', 52.5, Good], ['12:00:55', 57.5, Good],
    ['12:01:00', 62.5, U], ['12:01:05', 67.5, U], ['12:01:10', 72.5, U], ['12:01:15', 77.5, U],
    ['12:01:20', 82.5, Good], ['12:01:25', 87.5, Good], ['12:01:35', null, BadNoData],
  ]],
  [historian2, [
    ['12:00:00', 10.652, U, true], ['12:00:05', 12.391, Good], ['12:00:10', 14.565, Good], ['12:00:15', 16.739, Good],
    ['12:00:20', 18.913, Good], ['12:00:25', 23.682, Good], ['12:00:30', 27.046, Good], ['12:00:35', 29.273, U],
    ['12:00:40', 30, U], ['12:00:45', 42.5, U], ['12:00:50', 49.45, Good], ['12:00:55', 52.75, Good],
    ['12:01:00', 55.25, Good], ['12:01:05', 57.75, Good], ['12:01:10', 59.8, U],
  ]],
  [historian3, [
    ['12:00:00', 10, Good, true], ['12:00:05', 10, Good], ['12:00:10', 10, Good], ['12:00:15', 10, Good],
    ['12:00:20', 10, Good], ['12:00:25', 22, Good], ['12:00:30', 25, Good], ['12:00:35', 26, Good],
    ['12:00:40', 30, U], ['12:00:45', 40, U], ['12:00:50', 46, Good], ['12:00:55', 50, Good],
    ['12:01:00', 50, Good], ['12:01:05', 50, Good], ['12:01:10', 56, Good], ['12:01:15', 60, U],
  ]],
];

describe('TimeAverage2: Part 13 Annex A.5 (v1.05 corrections for Historian3)', () => {
  for (const [h, rows] of tables) {
    it(h.name, () => {
      const got = computeProcessed(h.data, at('12:00:00'), at('12:01:40'), 5000, 'TimeAverage2', h.config);
      const wrong = rows.flatMap(([hms, value, code, partial]) => {
        const g = got.find((v) => v.t === at(hms));
        if (g === undefined) return [`${hms}: no interval`];
        const out: string[] = [];
        if (codeOf(g.status) !== code) out.push(`${hms}: status 0x${codeOf(g.status).toString(16)}, expected 0x${code.toString(16)}`);
        // The tables give 3 decimals.
        if (value !== null && !(Math.abs((g.value as number) - value) < 0.0015)) out.push(`${hms}: ${String(g.value)}, expected ${value}`);
        if (value !== null && ((g.flags & Flag.Partial) !== 0) !== (partial ?? false)) out.push(`${hms}: Partial wrong`);
        return out;
      });
      expect(wrong).toEqual([]);
    });
  }
});
