/**
 * What a control-room review of the Russian and Chinese catalogs holds them to: plural forms as
 * CLDR defines them for the language, Russian quotes, and one word per concept across all files
 * (an operator who reads «пульт» on one screen and «консоль» on the next wonders if they differ).
 */
import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { catalogOf, Translator } from './translate.js';
import type { Locale } from './locales.js';

type Translated = Exclude<Locale, 'en'>;

/** Each plural of a message: its category names (=N exact matches left out) and whether "other" shows the number. */
function pluralsOf(elements: MessageFormatElement[], into: { categories: string[]; otherShowsCount: boolean }[] = []) {
  for (const el of elements) {
    if (el.type === TYPE.plural) {
      const categories = Object.keys(el.options).filter((name) => !name.startsWith('=')).sort();
      const other = el.options.other?.value ?? [];
      into.push({ categories, otherShowsCount: other.some((part) => part.type === TYPE.pound) });
    }
    if (el.type === TYPE.plural || el.type === TYPE.select) for (const option of Object.values(el.options)) pluralsOf(option.value, into);
    if (el.type === TYPE.tag) pluralsOf(el.children, into);
  }
  return into;
}

function messagesOf(locale: Translated): [string, string][] {
  return Object.entries(catalogOf(locale)).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

describe('plural forms follow CLDR', () => {
  for (const locale of ['ru', 'zh'] as const) {
    // The categories the language distinguishes, from the runtime's CLDR data: ru one/few/many/other, zh other.
    const cldr = [...new Intl.PluralRules(locale).resolvedOptions().pluralCategories].sort();

    it(`${locale}: a plural that words the count has every category of the language, and no other`, () => {
      const wrong: string[] = [];
      for (const [key, text] of messagesOf(locale)) {
        for (const { categories, otherShowsCount } of pluralsOf(parse(text))) {
          // Only "other" (and exact =N) without the number is a sentence that does not change with the count.
          const countFree = categories.length === 1 && categories[0] === 'other' && !otherShowsCount;
          if (!countFree && categories.join() !== cldr.join()) wrong.push(`${key}: ${categories.join('/')}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});

describe('Russian punctuation', () => {
  it('quotes are «ёлочки», never “lapki” or "straight"', () => {
    const wrong = messagesOf('ru').filter(([, text]) => /[“”„"]/.test(text)).map(([key]) => key);
    expect(wrong).toEqual([]);
  });
});

/** Words a catalog must not use for a concept it names otherwise everywhere else. */
const glossary: { locale: Translated; concept: string; wrong: RegExp; right: string }[] = [
  { locale: 'ru', concept: 'console', wrong: /консол/i, right: 'пульт' },
  { locale: 'ru', concept: 'alarm', wrong: /тревог/i, right: 'сигнализация' },
  { locale: 'ru', concept: 'quality Bad', wrong: /плох/i, right: 'недостоверно' },
  { locale: 'ru', concept: 'deadband', wrong: /мёртв|мертв/i, right: 'зона нечувствительности' },
  { locale: 'ru', concept: 'OPC UA endpoint', wrong: /конечн\S* точк/i, right: 'точка подключения' },
  { locale: 'zh', concept: 'console', wrong: /控制台/, right: '操作台' },
  { locale: 'zh', concept: 'tag', wrong: /标签/, right: '位号' },
  { locale: 'zh', concept: 'upstream server', wrong: /上游/, right: '上级服务器' },
  { locale: 'zh', concept: 'quality Bad', wrong: /质量差/, right: '坏值' },
  { locale: 'zh', concept: 'node id', wrong: /节点标识/, right: '节点 ID' },
];

describe('one word per concept', () => {
  for (const { locale, concept, wrong, right } of glossary) {
    it(`${locale}: ${concept} is «${right}», never ${wrong}`, () => {
      const offenders = messagesOf(locale).filter(([, text]) => wrong.test(text)).map(([key, text]) => `${key}: ${text}`);
      expect(offenders).toEqual([]);
    });
  }

  // Pairs that say the same English word on two screens: the translation says one word too.
  const sameWord: [string, string][] = [
    ['alarmsUi.settings.limit', 'alarmsUi.col.limit'],
    ['tags.col.kind', 'browse.add.kind'],
    ['tags.kind.text', 'browse.add.kind.text'],
    // A discrete OFF in the alarm list and on the tag's own display.
    ['alarmsUi.value.on', 'value.on'],
    ['alarmsUi.value.off', 'value.off'],
  ];
  for (const locale of ['en', 'ru', 'zh'] as const) {
    const tr = new Translator(locale);
    it(`${locale}: a limit, a tag's kind and the text kind read the same in the settings dialog, the tag list and the browse form`, () => {
      for (const [a, b] of sameWord) expect(tr.t(a), `${a} / ${b}`).toBe(tr.t(b));
    });

    it(`${locale}: "nothing acknowledged", "nothing reset" and "nothing confirmed" read differently`, () => {
      const nothing = ['alarmsUi.done.ack', 'alarmsUi.done.reset', 'alarmsUi.done.confirm'].map((key) => tr.t(key, { count: 0, names: '' }));
      expect(new Set(nothing).size).toBe(nothing.length);
    });

    it(`${locale}: the settings dialog is titled with the word the alarm detail uses for settings, not the word for limits`, () => {
      const settings = tr.t('alarmsUi.detail.settings').toLowerCase();
      expect(tr.t('alarmsUi.settings.title', { alarm: 'LI-101' }).toLowerCase()).toContain(settings);
      expect(tr.t('alarmsUi.action.editSettings').toLowerCase()).toContain(settings);
    });
  }

  it('zh: an alarm\'s confirm step is 证实, not 确认 (which is acknowledge)', () => {
    const tr = new Translator('zh');
    expect(tr.t('alarmsUi.action.ack')).toBe('确认');
    expect(tr.t('alarms.refused.notConfirmable', { alarm: 'X' })).toContain('证实');
    expect(tr.t('alarms.refused.notConfirmable', { alarm: 'X' })).not.toContain('确认');
    // The button, its notice, the badge and the journal event: one word.
    const confirmTexts = ['alarmsUi.action.confirm', 'alarmsUi.event.confirmed', 'alarmsUi.badge.unconfirmed']
      .map((key) => tr.t(key))
      .concat([0, 2].map((count) => tr.t('alarmsUi.done.confirm', { count, names: 'X' })));
    for (const text of confirmTexts) {
      expect(text).toContain('证实');
      expect(text).not.toContain('确认');
    }
  });

  it('zh: the alarm detail names its delay as the settings dialog does, and its three times alike', () => {
    const tr = new Translator('zh');
    const onDelay = tr.t('alarmsUi.settings.onDelay').replace(/（.*）$/, '');
    expect(tr.t('alarmsUi.detail.settingsText', { deadband: 1, unit: '%', on: 2, off: 3 })).toContain(`${onDelay} 2秒`);
    for (const key of ['alarmsUi.detail.activated', 'alarmsUi.detail.acked', 'alarmsUi.detail.returned']) expect(tr.t(key)).toMatch(/时间$/);
  });

  it('ru: unshelving names what it undoes (the shelving), and a re-annunciation says what repeated', () => {
    const tr = new Translator('ru');
    expect(tr.t('alarmsUi.action.unshelve')).toBe('Снять откладывание');
    expect(tr.t('alarmsUi.event.unshelved')).toBe('Откладывание снято');
    expect(tr.t('alarmsUi.event.reannunciated')).toBe('Повторное срабатывание');
  });
});
