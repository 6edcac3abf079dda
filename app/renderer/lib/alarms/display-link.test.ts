import { describe, expect, it } from 'vitest';
import { parseTrendQuery } from '../../../shared/trend-link.js';
import { alarmTrendQuery, alarmTrendView } from './display-link.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 5, 21, 7, 25);

/** Where the activation falls in the window the trend page draws for a view (TrendsPage applyLink: `at` is ¾ along its range). */
function windowOf(view: ReturnType<typeof alarmTrendView>, now: number): { start: number; end: number } {
  if ('live' in view) return { start: now - view.live, end: now };
  if ('at' in view) return { start: view.at - 45 * MIN, end: view.at + 15 * MIN };
  throw new Error(`unexpected view ${JSON.stringify(view)}`);
}

describe('go to display: the trend around the alarm', () => {
  it('a recent alarm opens live, in the narrowest window with a quarter of it before the activation', () => {
    expect(alarmTrendView(NOW - 30_000, NOW)).toEqual({ live: 10 * MIN });
    expect(alarmTrendView(NOW - 7.5 * MIN, NOW)).toEqual({ live: 10 * MIN });
    expect(alarmTrendView(NOW - 8 * MIN, NOW)).toEqual({ live: 60 * MIN });
    expect(alarmTrendView(NOW - 45 * MIN, NOW)).toEqual({ live: 60 * MIN });
  });

  it('an older one opens on the hour of history around its activation', () => {
    expect(alarmTrendView(NOW - 46 * MIN, NOW)).toEqual({ at: NOW - 46 * MIN, span: '1h' });
    expect(alarmTrendView(NOW - 26 * 60 * MIN, NOW)).toEqual({ at: NOW - 26 * 60 * MIN, span: '1h' });
  });

  it('the window always holds the activation, with room before it', () => {
    for (const age of [0, 1, 5 * MIN, 7 * MIN, 9 * MIN, 30 * MIN, 44 * MIN, 50 * MIN, 3 * 60 * MIN, 48 * 60 * MIN]) {
      const w = windowOf(alarmTrendView(NOW - age, NOW), NOW);
      expect(NOW - age - w.start).toBeGreaterThanOrEqual((w.end - w.start) / 4);
      expect(NOW - age).toBeLessThanOrEqual(w.end);
    }
  });

  it('no activation, or one a little ahead of the station clock: live, the page\'s default window', () => {
    expect(alarmTrendView(null, NOW)).toEqual({ live: 10 * MIN });
    expect(alarmTrendView(NOW + 2000, NOW)).toEqual({ live: 10 * MIN });
  });

  it('the link the trend page reads back: the tag and the view', () => {
    const q = alarmTrendQuery({ tag: 'Area 1/TK101.Level', activatedAt: NOW - 2 * 60 * MIN }, NOW);
    expect(parseTrendQuery(q)).toEqual({ tags: ['Area 1/TK101.Level'], group: null, view: { at: NOW - 2 * 60 * MIN, span: '1h' }, problems: [] });
    expect(alarmTrendQuery({ tag: 'Area1.TK101.Level', activatedAt: NOW - MIN }, NOW)).toBe('tags=Area1.TK101.Level&live=10m');
  });
});
