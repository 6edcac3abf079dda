/**
 * The export dialog's aggregate list: every entry is one the station answers (the API enum is
 * historian/aggregates' aggregateNames) and has its name in each catalog, and the Part 13
 * aggregates for discrete and stepped signals are offered. Read from the component's source: the
 * list is a literal there, and the dialog casts its keys (a missing one would show the key).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregateNames } from '../../../../historian/aggregates/config.js';
import { catalogOf } from '../../../shared/i18n/translate.js';

const source = readFileSync(new URL('./ExportDialog.svelte', import.meta.url), 'utf8');
const list = /const AGGREGATES = \[([^\]]*)\] as const;/.exec(source);
const offered = [...(list?.[1] ?? '').matchAll(/'([A-Za-z0-9]+)'/g)].map((m) => m[1]!);

describe('export dialog: aggregates offered', () => {
  it('offers TimeAverage2, Total, Total2, the durations in state and NumberOfTransitions', () => {
    expect(offered).toEqual(expect.arrayContaining(['TimeAverage2', 'Total', 'Total2', 'DurationInStateZero', 'DurationInStateNonZero', 'NumberOfTransitions']));
  });

  it('offers only what the station answers, each named in en, ru and zh', () => {
    expect(offered.filter((a) => a !== 'automatic' && !(aggregateNames as readonly string[]).includes(a))).toEqual([]);
    for (const locale of ['en', 'ru', 'zh'] as const) {
      const catalog = catalogOf(locale) as Record<string, unknown>;
      expect(offered.filter((a) => typeof catalog[`trends.aggregate.${a}`] !== 'string'), locale).toEqual([]);
    }
  });
});
