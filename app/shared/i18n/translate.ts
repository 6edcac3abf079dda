/**
 * Turns a message key and its parameters into text in one language, with
 * English as the fallback for a key a translation lacks. Compiled messages
 * are cached per locale: the banner re-renders often.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Catalog, MessageKey } from './catalog.js';
import { en } from './en/index.js';
import { ru } from './ru/index.js';
import { zh } from './zh/index.js';
import { intlTag, type Locale } from './locales.js';

export type MessageParams = Record<string, string | number | Date | boolean | null | undefined>;

const catalogs: Record<Locale, Catalog> = { en, ru, zh };

export function catalogOf(locale: Locale): Catalog {
  return catalogs[locale];
}

export class Translator {
  private readonly cache = new Map<string, IntlMessageFormat>();

  constructor(readonly locale: Locale) {}

  /** Text of a key; an unknown key (a newer station, an old console) shows the key itself, never nothing. */
  t(key: MessageKey | string, params?: MessageParams): string {
    let format = this.cache.get(key);
    if (!format) {
      const own = (catalogs[this.locale] as Record<string, string | undefined>)[key];
      const source = own ?? (en as Record<string, string | undefined>)[key];
      if (source === undefined) return key;
      format = new IntlMessageFormat(source, intlTag[own !== undefined ? this.locale : 'en']);
      this.cache.set(key, format);
    }
    return String(format.format(params as Record<string, string | number | Date | boolean>));
  }
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
