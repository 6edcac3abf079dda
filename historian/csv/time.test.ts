import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatTime, parseOffset, parseTime } from './time.js';

describe('parseTime', () => {
  it('reads ISO 8601 with Z, offsets, and without offset as UTC', () => {
    expect(parseTime('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01T06:30:00-0530')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01 12:00:00.123')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
    expect(parseTime('2024-05-01T12:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
  });
  it('truncates sub-millisecond fractions', () => {
    expect(parseTime('2024-05-01T12:00:00.123999Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
    expect(parseTime('2024-05-01T12:00:00.5Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 500));
  });
  it('reads epoch milliseconds and refuses what looks like seconds', () => {
    expect(parseTime('1714564800000')).toBe(1714564800000);
    expect(parseTime('1714564800')).toMatch(/seconds/);
  });
  it('says what was expected for bad times', () => {
    expect(parseTime('2024-02-30T00:00:00Z')).toBe('a valid calendar date');
    expect(parseTime('2023-02-29')).toBe('a valid calendar date');
    expect(parseTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime('2024-05-01T24:00:00Z')).toMatch(/time of day/);
    expect(parseTime('01/05/2024 12:00')).toMatch(/ISO 8601/);
    expect(parseTime('')).toMatch(/ISO 8601/);
    expect(parseTime('2024-05-01T12:00:00', { assumeUtc: false })).toMatch(/offset/);
  });
  it('formatTime round-trips through parseTime for any ms and offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2e12, max: 4e12 }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (t, offset) => parseTime(formatTime(t, offset)) === t,
      ),
    );
  });
  it('formats offsets', () => {
    const t = Date.UTC(2024, 4, 1, 12);
    expect(formatTime(t)).toBe('2024-05-01T12:00:00.000Z');
    expect(formatTime(t, 120)).toBe('2024-05-01T14:00:00.000+02:00');
    expect(formatTime(t, -330)).toBe('2024-05-01T06:30:00.000-05:30');
    expect(parseOffset('+02:00')).toBe(120);
    expect(parseOffset('-0530')).toBe(-330);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('2')).toBeUndefined();
  });
});
