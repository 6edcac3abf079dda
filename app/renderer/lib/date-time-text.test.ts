/**
 * Typed dates and times: each accepted form against its fields written out by hand, typing errors
 * refused rather than rolled over, and any instant round-tripped through the shown text (checked
 * against Date's own local fields, not this module's).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Formats, locales } from '../../shared/i18n/index.js';
import { fieldAt, formatDateTimeText, parseDateTimeText, stepDateTime } from './date-time-text.js';

describe('typed date and time', () => {
  it('reads year-first and Russian day-first text', () => {
    expect(parseDateTimeText('2026-12-03 14:05:09')).toBe('2026-12-03T14:05:09');
    expect(parseDateTimeText('2026-12-03T14:05')).toBe('2026-12-03T14:05:00');
    expect(parseDateTimeText(' 2026/1/3 7:05 ')).toBe('2026-01-03T07:05:00');
    expect(parseDateTimeText('2026-12-03')).toBe('2026-12-03T00:00:00');
    expect(parseDateTimeText('03.12.2026 14:05')).toBe('2026-12-03T14:05:00');
    expect(parseDateTimeText('3.1.2026, 23:59:59')).toBe('2026-01-03T23:59:59');
    expect(parseDateTimeText('')).toBe('');
    expect(parseDateTimeText('   ')).toBe('');
  });

  it('refuses what is not a real date and time, or is ambiguous', () => {
    for (const bad of ['2026-02-29 00:00', '31.04.2026', '2026-13-01', '2026-00-10', '2026-12-03 24:00', '2026-12-03 12:60', '2026-12-03 12:00:60',
      '12/03/2026', '03/12/2026 10:00', '2026-12-03 14', 'yesterday', '2026-12-03 14:05 extra']) {
      expect(parseDateTimeText(bad), bad).toBeNull();
    }
    expect(parseDateTimeText('2028-02-29 00:00')).toBe('2028-02-29T00:00:00');
  });

  it('shows a value with seconds, and shows nothing for no value', () => {
    expect(formatDateTimeText('2026-12-03T14:05')).toBe('2026-12-03 14:05:00');
    expect(formatDateTimeText('2026-12-03T14:05:09')).toBe('2026-12-03 14:05:09');
    expect(formatDateTimeText('')).toBe('');
  });

  it('round-trips any instant of the console\'s local time through the shown text', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
      const d = new Date(Math.floor(ms / 1000) * 1000);
      const p2 = (n: number) => String(n).padStart(2, '0');
      const value = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
      expect(parseDateTimeText(formatDateTimeText(value))).toBe(value);
      expect(new Date(parseDateTimeText(formatDateTimeText(value))!).getTime()).toBe(d.getTime());
    }));
  });

  it('takes a date and time as the console shows it in each language, typed back', () => {
    const shown = Date.UTC(2026, 11, 4, 17, 10, 5);
    expect(new Formats('en', 'UTC').dateTime(shown)).toBe('2026-12-04 17:10:05');
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...locales), (ms, locale) => {
      const d = new Date(Math.floor(ms / 1000) * 1000);
      const p2 = (n: number) => String(n).padStart(2, '0');
      const value = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
      expect(parseDateTimeText(new Formats(locale).dateTime(d.getTime())), locale).toBe(value);
    }));
  });

  it('steps the field under the caret, carrying as a calendar does', () => {
    // "2026-12-31 23:59:59": carets 0-4 year, 5-7 month, 8-10 day, 11-13 hour, 14-16 minute, 17-19 second.
    expect([0, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19].map(fieldAt)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(stepDateTime('2026-12-31T23:59:59', 5, 1)).toBe('2027-01-01T00:00:00');
    expect(stepDateTime('2026-12-31T23:59:59', 1, 1)).toBe('2027-01-31T23:59:59');
    expect(stepDateTime('2026-03-01T00:00:00', 2, -1)).toBe('2026-02-28T00:00:00');
    expect(stepDateTime('2026-03-01T10:00:00', 0, -1)).toBe('2025-03-01T10:00:00');
  });
});
