import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';
import { rangeText, snapshotTitle } from './range-text.js';

const langOf = (locale: Locale, zone: string): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, zone) };
};
// New York moves to summer time on 2026-03-08 at 07:00 UTC (02:00 EST -> 03:00 EDT).
const start = Date.UTC(2026, 2, 8, 0), end = Date.UTC(2026, 2, 8, 12);

describe('a range across a daylight-saving change gives each end its own offset (T7)', () => {
  it('the range line', () => {
    expect(rangeText(langOf('en', 'America/New_York'), start, end)).toBe('2026-03-07 19:00:00 (UTC-05:00) – 2026-03-08 08:00:00 (UTC-04:00)');
    // One offset, written once, when both ends share it.
    expect(rangeText(langOf('en', 'America/New_York'), start, start + 3_600_000)).toBe('2026-03-07 19:00:00 – 2026-03-07 20:00:00 (UTC-05:00)');
    expect(rangeText(langOf('ru', 'Europe/Moscow'), start, end)).toBe('08.03.2026, 03:00:00 – 08.03.2026, 15:00:00 (UTC+03:00)');
  });

  it('the PNG snapshot title', () => {
    expect(snapshotTitle(langOf('en', 'America/New_York'), 'North', 'history', start, end)).toBe(
      'North — history: 2026-03-07 19:00:00 (UTC-05:00) – 2026-03-08 08:00:00 (UTC-04:00)',
    );
  });
});
