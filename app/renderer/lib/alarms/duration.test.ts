import { describe, expect, it } from 'vitest';
import { parseMinutes, shelvePresets } from './duration.js';
import { locales } from '../../../shared/i18n/locales.js';
import { Translator } from '../../../shared/i18n/translate.js';

describe('shelve durations', () => {
  it('reads minutes, hours, h:mm and seconds', () => {
    expect(parseMinutes('30')).toBe(30);
    expect(parseMinutes('45 min')).toBe(45);
    expect(parseMinutes('2h')).toBe(120);
    expect(parseMinutes('1h30')).toBe(90);
    expect(parseMinutes('1 h 30 min')).toBe(90);
    expect(parseMinutes('1:30')).toBe(90);
    expect(parseMinutes('90s')).toBe(1.5);
    expect(parseMinutes('0,5 h')).toBe(30);
  });

  it('reads Russian units, with or without a space or a dot ("45 мин" is the dialog\'s own example)', () => {
    expect(parseMinutes('45 мин')).toBe(45);
    expect(parseMinutes('45мин')).toBe(45);
    expect(parseMinutes('45 мин.')).toBe(45);
    expect(parseMinutes('45 м')).toBe(45);
    expect(parseMinutes('20 минут')).toBe(20);
    expect(parseMinutes('2 ч')).toBe(120);
    expect(parseMinutes('2ч.')).toBe(120);
    expect(parseMinutes('1 час')).toBe(60);
    expect(parseMinutes('2 часа')).toBe(120);
    expect(parseMinutes('5 часов')).toBe(300);
    expect(parseMinutes('1,5 ч')).toBe(90);
    expect(parseMinutes('1 ч 30 мин')).toBe(90);
    expect(parseMinutes('1ч30')).toBe(90);
    expect(parseMinutes('1 ч. 30 мин.')).toBe(90);
    expect(parseMinutes('90 с')).toBe(1.5);
    expect(parseMinutes('90 сек')).toBe(1.5);
    expect(parseMinutes('90 сек.')).toBe(1.5);
    expect(parseMinutes('45 МИН')).toBe(45);
  });

  it('reads Chinese units, with or without spaces, and full-width digits', () => {
    expect(parseMinutes('45分')).toBe(45);
    expect(parseMinutes('45 分钟')).toBe(45);
    expect(parseMinutes('2小时')).toBe(120);
    expect(parseMinutes('2 小时')).toBe(120);
    expect(parseMinutes('2时')).toBe(120);
    expect(parseMinutes('1小时30分钟')).toBe(90);
    expect(parseMinutes('1 小时 30 分')).toBe(90);
    expect(parseMinutes('1时30分')).toBe(90);
    expect(parseMinutes('90秒')).toBe(1.5);
    expect(parseMinutes('４５分钟')).toBe(45);
    expect(parseMinutes('1：30')).toBe(90);
  });

  it('reads the examples the dialog shows in every language (its placeholder and its error text)', () => {
    for (const locale of locales) {
      const tr = new Translator(locale);
      expect(parseMinutes(tr.t('alarmsUi.shelve.placeholder')), `${locale} placeholder`).toBe(90);
      // The examples follow "e.g." / «например» / "例如": each one, split at the list's commas, is a length.
      const examples = /(?:e\.g\.|например,|例如)\s*(.+?)[)）]/.exec(tr.t('alarmsUi.shelve.badDuration', { text: 'x' }))?.[1];
      expect(examples, locale).toBeTruthy();
      for (const example of examples!.split(/[,、]\s*/)) expect(parseMinutes(example), `${locale}: ${example}`).not.toBeNull();
    }
  });

  it('reads spelled-out English units', () => {
    expect(parseMinutes('2 hours')).toBe(120);
    expect(parseMinutes('1 hour 15 minutes')).toBe(75);
    expect(parseMinutes('45 mins')).toBe(45);
  });

  it('refuses what is not a positive duration', () => {
    for (const bad of ['', 'soon', '0', '-5', '1:75', '3 days', '2 weeks', '3 дня', '2天', '30 45', '30 мин 1 ч', '1 ч 2 ч', 'мин', '.', '1..5 ч', '1 ч 30 мин 20']) expect(parseMinutes(bad), bad).toBeNull();
  });

  it('offers presets up to the maximum (spec: 8 h)', () => {
    expect(shelvePresets(480)).toEqual([15, 30, 60, 120, 240, 480]);
    expect(shelvePresets(20)).toEqual([15]);
  });
});
