/** Every Trends message formats in every language with its arguments (an ICU tag or a typo would throw at the console). */
import { describe, expect, it } from 'vitest';
import { trends } from './en/trends.js';
import { Translator } from './translate.js';
import { locales } from './locales.js';

describe('trends messages', () => {
  for (const locale of locales) {
    it(`${locale}: each formats with sample arguments`, () => {
      const tr = new Translator(locale);
      const params = { count: 2, max: 16, rows: 1234, tag: 'T', name: 'N', user: 'u', time: 't', start: 's', end: 'e', offset: '+01:00', startOffset: '-05:00', endOffset: '-04:00', width: '1 s', error: 'x', problems: 'p', min: '1', max2: '2', duration: '1 h', zone: 'Z', range: 'r', path: '/p', sha: 'abc', size: '1 MB', station: 'S', mode: 'live', what: 'w', limit: 'l' };
      for (const key of Object.keys(trends)) {
        const text = tr.t(key, params);
        expect(text, key).not.toBe(key);
        expect(text, key).not.toMatch(/[{}]/);
      }
    });
  }
});
