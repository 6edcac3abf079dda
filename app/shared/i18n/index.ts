export { locales, localeNames, intlTag, type Locale } from './locales.js';
export type { Catalog, MessageKey } from './catalog.js';
export { Translator, isMessageKey, catalogOf, type MessageParams } from './translate.js';
export { Formats } from './format.js';
