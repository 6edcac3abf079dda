import { describe, expect, it } from 'vitest';
import type { TagInfo } from '../../../shared/api.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';
import { readingValueText } from './readout-text.js';

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

  it('writes numbers and ranges the locale\'s way', () => {
    expect(readingValueText(value(12.5), level, langOf('ru'))).toBe('12,50');
    expect(readingValueText({ kind: 'range', min: 1, max: 2.5, status: 0, t: 0, t2: 1, count: 3 }, level, langOf('ru'))).toContain('2,50');
  });
});
