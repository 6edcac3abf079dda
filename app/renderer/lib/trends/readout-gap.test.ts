/**
 * The line under a pen's value when the cursor is inside a gap: the time there is the gap's start,
 * not the time read, and says so ("no data since …"). Found on a trend: under "no data" a bare
 * 16:45:05 with the cursor at 17:07:10 read as the reading's time. Traces built from archive rows as
 * the trend builds them; expected words from the en, ru and zh catalogs, times in UTC.
 */
import { describe, expect, it } from 'vitest';
import type { RawData } from '../../../shared/history/decode.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';
import { traceFromRaw } from './build.js';
import { readPen } from './readout.js';
import { readingDetailText, readingStatusText } from './readout-status.js';

const langOf = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, 'UTC') };
};
const GOOD = 0, SENSOR = 0x808c0000;
const at = (h: number, m: number, s: number) => Date.UTC(2026, 11, 6, h, m, s);

function raw(rows: [number, number, number][]): RawData {
  return {
    n: rows.length,
    t: Float64Array.from(rows.map((r) => r[0])),
    value: Float64Array.from(rows.map((r) => r[1])),
    status: Uint32Array.from(rows.map((r) => r[2])),
    flags: new Uint32Array(rows.length),
    complete: true,
  };
}

// 16:30 good, 16:45:05 the sensor fails, 17:20 good again, nothing archived after 17:30 (a closed range to 18:00).
const trace = () => traceFromRaw(raw([[at(16, 30, 0), 7.1, GOOD], [at(16, 45, 5), NaN, SENSOR], [at(17, 20, 0), 7.4, GOOD], [at(17, 30, 0), 7.5, GOOD]]), at(16, 0, 0), null, null, false);
const detail = (x: number, locale: Locale) => {
  const lang = langOf(locale);
  const r = readPen(trace(), x, { liveUntil: -Infinity, atCursor: true, linkUp: true });
  return `${readingStatusText(r, lang)} | ${readingDetailText(r, lang)}`;
};

describe('the readout inside a gap', () => {
  it('says since when a bad-quality gap runs, not a bare time', () => {
    expect(detail(at(17, 7, 10), 'en')).toBe('Bad: BadSensorFailure | no value since 2026-12-06 16:45:05');
    expect(detail(at(17, 7, 10), 'ru')).toBe('Недостоверно: BadSensorFailure | нет значения с 06.12.2026, 16:45:05');
    expect(detail(at(17, 7, 10), 'zh')).toBe('坏值：BadSensorFailure | 自 2026/12/06 16:45:05 起无数值');
  });

  it('says since when there is no data: after the last archived value of a closed range', () => {
    expect(detail(at(17, 45, 0), 'en')).toBe('No data | no data since 2026-12-06 17:30:00');
    expect(detail(at(17, 45, 0), 'ru')).toBe('Нет данных | нет данных с 06.12.2026, 17:30:00');
    expect(detail(at(17, 45, 0), 'zh')).toBe('无数据 | 自 2026/12/06 17:30:00 起无数据');
  });

  it('before the range read, when the gap began is not known: the time read, as before', () => {
    expect(detail(at(15, 0, 0), 'en')).toBe('No data | 2026-12-06 15:00:00');
  });
});
