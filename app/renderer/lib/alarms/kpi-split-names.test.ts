/**
 * The KPI page's priority split (P1 / P2 / P3+P4, EEMUA's 5 / 15 / 80 %) names the priorities as the
 * console does everywhere else (banner announcements, the settings dialog: alarmsUi.priority.name):
 * it had called P1 "High" and P2 "Medium", which the console calls P2 and P3.
 */
import { describe, expect, it } from 'vitest';
import { Translator } from '../../../shared/i18n/index.js';
import { locales } from '../../../shared/i18n/locales.js';

const groups = { high: [1], medium: [2], low: [3, 4] } as const;

describe('the KPI priority split', () => {
  for (const locale of locales) {
    it(`in ${locale}: each group names its priorities with the console's names, and no other priority's name`, () => {
      const tr = new Translator(locale);
      const name = (level: number) => tr.t('alarmsUi.priority.name', { level: String(level) });
      for (const [group, levels] of Object.entries(groups)) {
        const label = tr.t(`alarmsUi.kpi.split.${group}`);
        for (const level of levels) expect(label).toContain(`P${level} ${name(level)}`);
        // "High (P1)" read as P1 named "High", the console's P2.
        const words = label.split(/[\s+,、()（）]+/).filter((w) => w !== '' && !/^P\d$/.test(w));
        const others = [1, 2, 3, 4].filter((l) => !(levels as readonly number[]).includes(l)).map(name);
        expect(words.filter((w) => others.includes(w))).toEqual([]);
      }
    });
  }
});
