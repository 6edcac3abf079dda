import { describe, expect, it } from 'vitest';
import type { TagInfo } from '../../../shared/api.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';
import { gapLabel, gapText, readingValueText } from './readout-text.js';

const langOf = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
};
const pump: TagInfo = {
  name: 'Area1.P101.Running', description: 'Pump 101 running', unit: '', range: null, kind: 'discrete',
  area: 'Area1', equipment: 'P101', role: 'pump', server: 'sim', nodeId: 'ns=1;s=Area1.P101.Running', decimals: null, dataType: null,
};
const level: TagInfo = { ...pump, name: 'Area1.TK101.Level', unit: 'm', range: [0, 20], kind: 'analog', role: 'level' };
const value = (v: number) => ({ kind: 'value' as const, value: v, status: 0, t: 0, sampleT: 0, interpolated: false, held: false });

describe('the pen readout in the console\'s language', () => {
  it('writes a discrete value in the console\'s words, as the overview does (СТОП, not STOPPED)', () => {
    expect(readingValueText(value(0), pump, langOf('ru'))).toBe(langOf('ru').t('value.stopped'));
    expect(readingValueText(value(1), pump, langOf('ru'))).toBe(langOf('ru').t('value.running'));
    expect(readingValueText(value(0), pump, langOf('zh'))).toBe(langOf('zh').t('value.stopped'));
    expect(readingValueText(value(0), pump, langOf('ru'))).not.toBe(langOf('en').t('value.stopped'));
    expect(readingValueText(value(1), pump, langOf('en'))).toBe('RUNNING');
  });

  it('keeps an enumeration\'s other states: state 2 is not read as state 1', () => {
    expect(readingValueText(value(2), pump, langOf('en'))).toBe('RUNNING (2)');
    expect(readingValueText(value(3), pump, langOf('en'))).toBe('RUNNING (3)');
    expect(readingValueText(value(-1), pump, langOf('en'))).toBe('RUNNING (-1)');
  });

  it('writes numbers and ranges the locale\'s way', () => {
    expect(readingValueText(value(12.5), level, langOf('ru'))).toBe('12,50');
    expect(readingValueText({ kind: 'range', min: 1, max: 2.5, status: 0, t: 0, t2: 1, count: 3 }, level, langOf('ru'))).toContain('2,50');
  });

  it('never reads a very small value as 0, and keeps the digits that tell values apart (T5/T9)', () => {
    const small: TagInfo = { ...level, unit: 'mol/L', range: [0, 5e-9] };
    const precise: TagInfo = { ...level, unit: 'kg/h', range: [1000, 3000] };
    const range = (min: number, max: number) => ({ kind: 'range' as const, min, max, status: 0, t: 0, t2: 1, count: 3 });
    expect(readingValueText(value(1.234567e-9), small, langOf('en'))).toBe('1.234567E-9');
    expect(readingValueText(range(1.2e-9, 2.3e-9), small, langOf('ru'))).toBe(langOf('ru').t('trends.readout.range', { min: '1,2E-9', max: '2,3E-9' }));
    expect(readingValueText(range(1234.567, 1235.566), precise, langOf('en'))).toBe(langOf('en').t('trends.readout.range', { min: '1,234.567', max: '1,235.566' }));
  });

  it('a tag with no decimals and no EU range (imported) reads with the digits its data carries, none made up', () => {
    // As archivedOnly gives an imported PI tag: no unit, no range, no decimals, no type.
    const flow: TagInfo = { ...level, name: 'FT301.Flow', unit: '', range: null, decimals: null, dataType: null };
    const en = langOf('en');
    const withData = (r: ReturnType<typeof value>, decimals: number | null) => ({ ...r, decimals });
    expect(readingValueText(withData(value(3692.6), 1), flow, en)).toBe('3,692.6');
    expect(readingValueText(withData(value(3712), 1), flow, en)).toBe('3,712.0');
    expect(readingValueText(withData(value(2.15045), 5), { ...flow, name: 'TK101.Level' }, en)).toBe('2.15045');
    expect(readingValueText(withData(value(2.1696), 5), { ...flow, name: 'TK101.Level' }, en)).toBe('2.16960');
    // Between samples 3692.6 and 3711.9: the data's decimals, not the interpolation's.
    expect(readingValueText(withData({ ...value(3700.123456), interpolated: true }, 1), flow, en)).toBe('3,700.1');
    expect(readingValueText({ kind: 'range', min: 3692.6, max: 3711.9, status: 0, t: 0, t2: 1, count: 3, decimals: 1 }, flow, langOf('ru')))
      .toBe(langOf('ru').t('trends.readout.range', { min: '3\u00a0692,6', max: '3\u00a0711,9' }));
    // Never more than 7 significant digits; tiny and huge values in engineering notation as everywhere.
    expect(readingValueText(withData(value(123456.789), 6), flow, en)).toBe('123,456.8');
    expect(readingValueText(withData(value(1.5e-7), 8), flow, en)).toBe(readingValueText(value(1.5e-7), flow, en));
    // A tag with an EU range keeps its range's rule (12.50 m on [0, 20]).
    expect(readingValueText(withData(value(12.5), 1), level, en)).toBe('12.50');
  });

  it('a gap held by an unreadable archive file says so, in each language; other gaps say no value', () => {
    const gap = (status: number) => ({ kind: 'gap' as const, status, t: 0, noData: false });
    for (const locale of ['en', 'ru', 'zh'] as const) {
      expect(readingValueText(gap(0x809e0000), level, langOf(locale))).toBe(langOf(locale).t('trends.readout.unavailable'));
      expect(readingValueText(gap(0x808c0000), level, langOf(locale))).toBe(langOf(locale).t('trends.readout.noValue'));
    }
    expect(readingValueText(gap(0x809e0000), level, langOf('en'))).toBe('archive file unreadable');
  });
});

describe('a pen\'s gaps in the pen panel', () => {
  const langUtc = (locale: Locale): Lang => {
    const tr = new Translator(locale);
    return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, 'UTC') };
  };
  const bad = { t0: Date.UTC(2026, 11, 4, 17, 10, 5), t1: Date.UTC(2026, 11, 4, 17, 30, 5), word: 'bad' as const, more: 0 };

  it('say what the gap is and its span; the end without its date on the same day', () => {
    expect(gapText(bad, langUtc('en'))).toBe('bad quality 2026-12-04 17:10:05 – 17:30:05');
    expect(gapText(bad, langUtc('ru'))).toBe('недостоверно 04.12.2026, 17:10:05 – 17:30:05');
    expect(gapText(bad, langUtc('zh'))).toBe('坏值 2026/12/04 17:10:05 – 17:30:05');
    expect(gapText({ ...bad, word: 'noData', t1: Date.UTC(2026, 11, 5, 1, 0, 0) }, langUtc('en'))).toBe('no data 2026-12-04 17:10:05 – 2026-12-05 01:00:00');
  });

  it('named by the pen\'s tag for a screen reader and the tooltip, with how many more', () => {
    expect(gapLabel('Area1.TK101.Level', bad, langUtc('en'))).toBe('Area1.TK101.Level: bad quality from 2026-12-04 17:10:05 to 17:30:05');
    expect(gapLabel('Area1.TK101.Level', { ...bad, word: 'stale', more: 2 }, langUtc('en'))).toBe('Area1.TK101.Level: stale: no communication from 2026-12-04 17:10:05 to 17:30:05 and 2 more spans');
    expect(gapLabel('Area1.TK101.Level', { ...bad, word: 'unavailable', more: 1 }, langUtc('ru'))).toBe('Area1.TK101.Level: архив не читается с 04.12.2026, 17:10:05 по 17:30:05 и ещё 1 интервал');
    expect(gapText({ ...bad, more: 5 }, langUtc('ru'))).toBe('недостоверно 04.12.2026, 17:10:05 – 17:30:05 и ещё 5 интервалов');
    expect(gapLabel('Area1.TK101.Level', bad, langUtc('zh'))).toBe('Area1.TK101.Level：2026/12/04 17:10:05 至 17:30:05 坏值');
  });
});
