import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { en } from './en/index.js';
import { catalogOf } from './translate.js';
import { locales } from './locales.js';

/** The argument names a message uses (nested in plurals and selects too). */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if ('value' in el && typeof el.value === 'string') into.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select) for (const opt of Object.values(el.options)) argumentsOf(opt.value, into);
    if (el.type === TYPE.tag) argumentsOf(el.children, into);
  }
  return into;
}

describe('message catalog', () => {
  it('every English message is valid ICU MessageFormat', () => {
    for (const [key, text] of Object.entries(en)) expect(() => parse(text), key).not.toThrow();
  });

  for (const locale of locales.filter((l) => l !== 'en')) {
    it(`${locale}: only English keys, valid ICU, the same arguments as English`, () => {
      for (const [key, text] of Object.entries(catalogOf(locale))) {
        expect(Object.hasOwn(en, key), `${locale} has a key English lacks: ${key}`).toBe(true);
        const source = [...argumentsOf(parse((en as Record<string, string>)[key]!))].sort();
        expect([...argumentsOf(parse(text!))].sort(), `${locale} ${key}`).toEqual(source);
      }
    });

    // English falls back at run time, but an operator reading a Russian or Chinese console
    // should never meet an English sentence: a new English key needs its translations too.
    it(`${locale}: every English key is translated`, () => {
      const catalog = catalogOf(locale);
      const missing = Object.keys(en).filter((key) => typeof catalog[key as keyof typeof catalog] !== 'string');
      expect(missing, `${locale} lacks ${missing.length} keys`).toEqual([]);
    });
  }
});
