import { describe, expect, it } from 'vitest';
import { ageOf, formatDuration } from './duration.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe('sync CLI durations', () => {
  it('say seconds, minutes with two-digit seconds, hours with two-digit minutes, days with hours', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(30 * S)).toBe('30 s');
    expect(formatDuration(45 * MIN)).toBe('45 min 00 s');
    expect(formatDuration(119 * S)).toBe('1 min 59 s');
    expect(formatDuration(H)).toBe('1 h 00 min');
    expect(formatDuration(2 * H + 5 * MIN)).toBe('2 h 05 min');
    expect(formatDuration(23 * H + 45 * MIN)).toBe('23 h 45 min');
    expect(formatDuration(3 * D + 4 * H + 30 * MIN)).toBe('3 d 4 h');
  });

  it('use plain spaces, as a terminal line is searched and pasted', () => {
    expect(formatDuration(2 * H + 5 * MIN)).not.toMatch(/\u00a0/);
  });

  it('say a time ahead of this clock is ahead', () => {
    expect(formatDuration(-90 * S)).toBe('1 min 30 s ahead');
  });

  it('refuse what is not a number of ms', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });

  it('an age is "-" without a time and says when a record predates the change feed', () => {
    const now = Date.UTC(2026, 11, 4, 12, 0, 0);
    expect(ageOf(null, now)).toBe('-');
    expect(ageOf(undefined, now)).toBe('-');
    expect(ageOf(0, now)).toBe('written before the change feed existed');
    expect(ageOf(Date.UTC(2026, 11, 4, 9, 55, 0), now)).toBe('2 h 05 min');
  });
});
