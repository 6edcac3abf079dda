import { describe, expect, it } from 'vitest';
import { trendQuery } from './address.js';
import { parseTrendQuery } from '../../../shared/trend-link.js';

// Expected addresses written by hand from the link format (shared/trend-link.ts's header).
describe('the trend as an address', () => {
  it('says a live window by its width, a quick range by its name, a pan or zoom by its times', () => {
    expect(trendQuery(['Area1.TK101.Level', 'Area1.TK102.Level'], { mode: 'live', windowMs: 600_000 }, null))
      .toBe('tags=Area1.TK101.Level,Area1.TK102.Level&live=10m');
    expect(trendQuery(['Area1.TK101.Level'], { mode: 'history', start: 0, end: 86_400_000 }, '24h')).toBe('tags=Area1.TK101.Level&range=24h');
    expect(trendQuery(['Area1.TK101.Level'], { mode: 'history', start: Date.UTC(2026, 11, 7, 8), end: Date.UTC(2026, 11, 7, 9, 30) }, null))
      .toBe('tags=Area1.TK101.Level&from=2026-12-07T08:00:00.000Z&to=2026-12-07T09:30:00.000Z');
  });

  it('encodes a tag name with a comma or a space so that the page reads it back whole', () => {
    const q = trendQuery(['Tank 1,Level', 'B'], { mode: 'live', windowMs: 3_600_000 }, null);
    expect(q).toBe('tags=Tank%201%2CLevel,B&live=1h');
    expect(parseTrendQuery(q).tags).toEqual(['Tank 1,Level', 'B']);
  });

  it('leaves the pens out when there are none', () => {
    expect(trendQuery([], { mode: 'live', windowMs: 600_000 }, null)).toBe('live=10m');
  });
});
