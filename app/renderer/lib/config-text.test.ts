import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { compressionText, rangeText, writtenDecimals } from './config-text.js';
import type { Lang } from './value-view.js';

const lang = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
};

describe('compressionText', () => {
  it('words a tag\'s compression in the console\'s language, its deviation as configured (decimal comma in Russian)', () => {
    const sd = { kind: 'swinging-door', deviation: 1, percentOfSpan: true } as const;
    const db = { kind: 'deadband', deviation: 0.005 } as const;
    expect([compressionText(sd, 'm', lang('en')), compressionText(db, 'm', lang('en')), compressionText({ kind: 'none' }, 'm', lang('en'))])
      .toEqual(['swinging door 1 % of span', 'deadband 0.005\u202fm', 'none']);
    expect([compressionText(sd, 'm', lang('ru')), compressionText(db, 'm', lang('ru')), compressionText({ kind: 'none' }, 'm', lang('ru'))])
      .toEqual(['вращающаяся дверь 1 % диапазона', 'зона нечувств. 0,005\u202fm', 'нет']);
    expect([compressionText(sd, '', lang('zh')), compressionText({ kind: 'deadband', deviation: 0.5 }, '', lang('zh'))]).toEqual(['旋转门 量程的 1%', '死区 0.5']);
  });

  it('names the longest interval between archived points when there is one', () => {
    const c = { kind: 'swinging-door', deviation: 0.5, percentOfSpan: true, maxIntervalMs: 600_000 } as const;
    expect(compressionText(c, '', lang('en'))).toBe('swinging door 0.5 % of span; a point at least every 10\u00a0min 00\u00a0s');
  });

  it('names a swinging door\'s shortest interval and its exception deviation, set from the console as in the file', () => {
    const c = { kind: 'swinging-door', deviation: 0.5, minIntervalMs: 1500, maxIntervalMs: 60_000, exceptionDeviation: 0.25 } as const;
    expect(compressionText(c, 'm', lang('en'))).toBe('swinging door 0.5\u202fm; a point at most every 1.5\u00a0s; a point at least every 1\u00a0min 00\u00a0s; exception deviation 0.25\u202fm');
    expect(compressionText(c, 'm', lang('ru'))).toBe('вращающаяся дверь 0,5\u202fm; точка не чаще чем раз в 1,5\u00a0с; точка не реже чем раз в 1\u00a0мин 00\u00a0с; отклонение исключения 0,25\u202fm');
  });
});

describe('rangeText', () => {
  it('shows an EU range as configured, grouped the language\'s way', () => {
    expect([rangeText([-20, 60], lang('en')), rangeText([0.1987, 4510.3], lang('ru')), rangeText(null, lang('en'))])
      .toEqual(['-20 … 60', '0,1987 … 4\u00a0510,3', null]);
  });

  it('keeps a value\'s written decimals and no float noise', () => {
    expect([0.1 + 0.2, 0.005, 12, 1e-7, 2.5].map(writtenDecimals)).toEqual([1, 3, 0, 7, 1]);
  });
});
