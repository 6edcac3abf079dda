import { describe, expect, it } from 'vitest';
import { parseTrendQuery, trendHref } from './trend-link.js';

const query = (href: string) => href.slice(href.indexOf('?') + 1);

describe('trend links', () => {
  it('round-trip tags (commas and spaces in names too) and every kind of range', () => {
    const tags = ['Area1.TK101.Level', 'odd, name', 'ünï/çødé'];
    for (const view of [{ live: 600_000 }, { last: '7d' as const }, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) }, { at: Date.UTC(2026, 0, 1, 5), span: '8h' as const }]) {
      const href = trendHref({ tags, view });
      expect(href.startsWith('#/trends?tags=')).toBe(true);
      expect(parseTrendQuery(query(href))).toEqual({ tags, group: null, view, problems: [] });
    }
    expect(trendHref({ tags: ['A', 'B'], view: { last: '1h' } })).toBe('#/trends?tags=A,B&range=1h');
  });

  it('reads hand-written links and names what it could not read', () => {
    expect(parseTrendQuery('tags=A,B&range=1h').view).toEqual({ last: '1h' });
    expect(parseTrendQuery('tags=A&from=1767225600000&to=1767229200000').view).toEqual({ from: 1767225600000, to: 1767229200000 });
    expect(parseTrendQuery('group=Tank%20101')).toMatchObject({ group: 'Tank 101', tags: [] });
    const bad = parseTrendQuery('tags=A&range=2w&live=3d');
    expect(bad.view).toBeNull();
    expect(bad.problems).toEqual([expect.stringMatching(/^range: expected one of 15m, 1h/), expect.stringMatching(/^live: expected a window of 1m to 24h/)]);
    const many = parseTrendQuery(`tags=${Array.from({ length: 20 }, (_, i) => `T${i}`).join(',')}`);
    expect(many.tags).toHaveLength(16);
    expect(many.problems[0]).toMatch(/at most 16/);
    expect(parseTrendQuery('from=2026-01-02&to=2026-01-01').problems[0]).toMatch(/from before to/);
  });
});
