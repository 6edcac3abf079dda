/** The languages of the control rooms Vigil serves; English is the source. */
export const locales = ['en', 'ru', 'zh'] as const;
export type Locale = (typeof locales)[number];

/** BCP 47 tags for Intl formatting. */
export const intlTag: Record<Locale, string> = { en: 'en-GB', ru: 'ru-RU', zh: 'zh-CN' };

/** Each language's own name, for the language switch. */
export const localeNames: Record<Locale, string> = { en: 'English', ru: 'Русский', zh: '中文' };
