/** The export dialog's intervals read as spans in each language: "1 min", not "1 min 00 s" (zh "1分钟", not "1分00秒"). */
import { describe, expect, it } from 'vitest';
import { Formats } from '../../../shared/i18n/format.js';
import { EXPORT_INTERVALS, intervalText } from './export-intervals.js';

const names = (locale: 'en' | 'ru' | 'zh') => EXPORT_INTERVALS.map((ms) => intervalText(ms, new Formats(locale)).replace(/\u00a0/g, ' '));

describe('export intervals', () => {
  it('are named in their largest whole unit, in each language', () => {
    expect(names('en')).toEqual(['1 s', '10 s', '1 min', '5 min', '15 min', '1 h', '1 d']);
    expect(names('ru')).toEqual(['1 с', '10 с', '1 мин', '5 мин', '15 мин', '1 ч', '1 д']);
    expect(names('zh')).toEqual(['1秒', '10秒', '1分钟', '5分钟', '15分钟', '1小时', '1天']);
  });
});

describe('the export dialog', () => {
  it('names its intervals with intervalText', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../components/trends/ExportDialog.svelte', import.meta.url), 'utf8');
    const options = /<select bind:value=\{interval\}[^>]*>([^]*?)<\/select>/.exec(source)?.[1] ?? '';
    expect(options).toContain('{#each EXPORT_INTERVALS as ms (ms)}');
    expect(options).toContain('{intervalText(ms, i18n.fmt)}');
  });
});
