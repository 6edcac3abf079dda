/**
 * A tag with no configured decimals and no EU range (a counter, an imported or newly browsed tag)
 * reads with its value's own decimals: the shortest text that reads back as the same number, at
 * most six decimals, grouped the locale's way. It showed two whatever the value (3,692.60 for
 * 3692.6, a digit that is in no data; 0.67 for 2/3). A ranged tag keeps the span's rule.
 * Every expectation below is worked out by hand from the value's digits.
 */
import { describe, expect, it } from 'vitest';
import type { TagInfo } from '../../shared/api.js';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { formatValue, quantityText, type Lang } from './value-view.js';
import { level } from './testing/tk101-level.js';

const flow: TagInfo = { ...level, name: 'FT301.Flow', unit: '', range: null, decimals: null, dataType: null };
const ru: Lang = { t: (k, p) => new Translator('ru').t(k, p), fmt: new Formats('ru', 'UTC') };
const zh: Lang = { t: (k, p) => new Translator('zh').t(k, p), fmt: new Formats('zh', 'UTC') };

describe('an unranged tag without decimals', () => {
  it('shows the decimals the value has, no more', () => {
    expect(formatValue(flow, 3692.6)).toBe('3,692.6');
    expect(formatValue(flow, 2.5)).toBe('2.5');
    expect(formatValue(flow, 2.15045)).toBe('2.15045');
    expect(formatValue(flow, -0.125)).toBe('-0.125');
    expect(formatValue(flow, 1234567.891)).toBe('1,234,567.891');
    expect(formatValue(flow, 100009)).toBe('100,009');
    expect(formatValue(flow, 0)).toBe('0');
    expect(formatValue(flow, 0.0001)).toBe('0.0001');
  });

  it('stops at six decimals: a double\'s binary tail is not the value', () => {
    // 0.1 + 0.2 is 0.30000000000000004 as a double: six decimals are 0.300000, which is 0.3.
    expect(formatValue(flow, 0.1 + 0.2)).toBe('0.3');
    // 2/3 = 0.666666666…: six decimals, rounded.
    expect(formatValue(flow, 2 / 3)).toBe('0.666667');
    expect(formatValue({ ...flow, dataType: 'Double' }, 12.3456789)).toBe('12.345679');
  });

  it('reads a Float at a Float\'s precision: 3692.6f is 3692.60009765625 as a double', () => {
    expect(formatValue({ ...flow, dataType: 'Float' }, Math.fround(3692.6))).toBe('3,692.6');
    expect(formatValue({ ...flow, dataType: 'Float' }, Math.fround(0.1))).toBe('0.1');
    expect(formatValue({ ...flow, dataType: 'Float' }, Math.fround(2.15045))).toBe('2.15045');
    // A type not known yet: a value a Float holds exactly is read as one (the server's Float widened).
    expect(formatValue(flow, Math.fround(3692.6))).toBe('3,692.6');
    // A Double that happens to be that number is the Double's: all six decimals it carries.
    expect(formatValue({ ...flow, dataType: 'Double' }, Math.fround(3692.6))).toBe('3,692.600098');
  });

  it('groups and marks decimals the locale\'s way', () => {
    expect(formatValue(flow, 12345.67, ru)).toBe('12\u00a0345,67');
    expect(formatValue(flow, 3692.6, zh)).toBe('3,692.6');
    expect(quantityText(flow, 3692.6, 'm³/h', ru)).toBe('3\u00a0692,6\u202fm³/h');
  });

  it('a ranged tag keeps its span\'s decimals; configured decimals and integer types stand', () => {
    expect(formatValue(level, 12.5)).toBe('12.50');
    expect(formatValue({ ...flow, decimals: 1 }, 12.34)).toBe('12.3');
    expect(formatValue({ ...flow, dataType: 'Int32' }, 12)).toBe('12');
  });
});
