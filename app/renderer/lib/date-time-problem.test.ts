/** Typed dates that are not real say what is wrong, in each language (expectations written out by hand). */
import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { dateTimeProblemText } from './date-time-problem.js';
import { readDateTimeText } from './date-time-text.js';
import type { Lang } from './value-view.js';

const langOf = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, 'UTC') };
};

function said(text: string, locale: Locale): string {
  const read = readDateTimeText(text);
  if (!('problem' in read)) throw new Error(`${text} was taken as ${read.value}`);
  return dateTimeProblemText(read.problem, langOf(locale));
}

describe('what is wrong with a typed date', () => {
  it('names the month, its year and its days for a day it does not have', () => {
    expect(said('31.02.2026', 'en')).toBe('February 2026 has 28 days: there is no day 31.');
    expect(said('2028-02-30 10:00', 'en')).toBe('February 2028 has 29 days: there is no day 30.');
    expect(said('2026-04-31', 'en')).toBe('April 2026 has 30 days: there is no day 31.');
    expect(said('00.01.2026', 'en')).toBe('January 2026 has 31 days: there is no day 0.');
    expect(said('31.02.2026', 'ru')).toBe('В феврале 2026 года 28 дней: 31-го числа нет.');
    expect(said('31.04.2026', 'ru')).toBe('В апреле 2026 года 30 дней: 31-го числа нет.');
    expect(said('32.12.2026', 'ru')).toBe('В декабре 2026 года 31 день: 32-го числа нет.');
    expect(said('31.02.2026', 'zh')).toBe('2026年2月只有28天，没有31日。');
  });

  it('names the month, hour, minute or second that does not exist', () => {
    expect(said('2026-13-01', 'en')).toBe('There is no month 13: months run from 01 to 12.');
    expect(said('2026-12-03 24:00', 'en')).toBe('There is no hour 24: hours run from 00 to 23.');
    expect(said('2026-12-03 12:60', 'ru')).toBe('Минуты 60 нет: минуты — от 00 до 59.');
    expect(said('2026-12-03 12:00:61', 'zh')).toBe('没有61秒：秒为 00 至 59。');
  });

  it('says a slashed day and month could be read either way, and anything else is not a date', () => {
    expect(said('03/12/2026 10:00', 'en')).toBe('Day first or month first? Write the year first (2026-12-03) or the day with dots (03.12.2026).');
    expect(said('yesterday', 'en')).toBe('Not a date and time: write it as YYYY-MM-DD hh:mm:ss or DD.MM.YYYY hh:mm.');
  });
});
