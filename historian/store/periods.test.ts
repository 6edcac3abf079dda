import { describe, expect, it } from 'vitest';
import { periodOf, volumeFileName } from './periods.js';

const iso = (t: number) => new Date(t).toISOString();

describe('volume periods', () => {
  it('cuts at UTC day, ISO week (Monday) and month boundaries', () => {
    const t = Date.UTC(2024, 1, 29, 23, 59, 59, 999); // Thursday 29 Feb 2024, last ms
    expect([iso(periodOf('day', t).start), iso(periodOf('day', t).end)]).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect([iso(periodOf('week', t).start), iso(periodOf('week', t).end)]).toEqual(['2024-02-26T00:00:00.000Z', '2024-03-04T00:00:00.000Z']);
    expect([iso(periodOf('month', t).start), iso(periodOf('month', t).end)]).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect(iso(periodOf('week', Date.UTC(2024, 2, 3, 12)).start)).toBe('2024-02-26T00:00:00.000Z'); // Sunday
    expect(iso(periodOf('week', Date.UTC(2024, 2, 4)).start)).toBe('2024-03-04T00:00:00.000Z'); // Monday
    expect(iso(periodOf('month', Date.UTC(2023, 11, 31, 23)).end)).toBe('2024-01-01T00:00:00.000Z');
    expect(iso(periodOf('day', -1).start)).toBe('1969-12-31T00:00:00.000Z');
    expect(volumeFileName('week', Date.UTC(2024, 1, 26))).toBe('week-2024-02-26.sqlite');
  });
});
