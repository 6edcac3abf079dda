import { describe, expect, it } from 'vitest';
import { alarmDefinitions, type AlarmDefinitions } from '../../../shared/api/alarms.js';
import { defaultAlarmKeys } from '../../../shared/config/alarms.js';
import { Formats, Translator } from '../../../shared/i18n/index.js';
import { alikeLabels, limitLabel, limitRank, limitsByTag, planLimitLabels, spreadLabels } from './limits.js';
import type { Lang, NumberRules } from '../value-view.js';

type Def = AlarmDefinitions['alarms'][number];
const base = { server: 'sim', area: 'Area1', unit: 'm', deadband: 0, deadbandPercentOfSpan: false, onDelayS: 0, offDelayS: 0, latching: false, shelvable: true, suppressWhen: null };
const cond = (condition: string, limit: number | null) => ({ condition, limit, priority: 2, message: condition, rationalization: null });

/** Definitions as the station sends them (checked by the API's own schema). */
function defs(alarms: object[]): AlarmDefinitions {
  return alarmDefinitions.parse({ priorities: [], alarms, keys: defaultAlarmKeys, shelveMaxMinutes: {}, flood: { windowMinutes: 10, startAbove: 10, endBelow: 5 } });
}

describe('alarm limits on the trend', () => {
  it('a tag\'s HH, H, L, LL limits, top to bottom, whatever order they are defined in', () => {
    const level: Def = { ...base, id: 'T1/limit', kind: 'limit', tag: 'T1', conditions: [cond('L', 2), cond('HH', 17.6), cond('LL', 1), cond('H', 17)] } as Def;
    expect(limitsByTag(defs([level])).get('T1')).toEqual([
      { name: 'HH', value: 17.6 },
      { name: 'H', value: 17 },
      { name: 'L', value: 2 },
      { name: 'LL', value: 1 },
    ]);
  });

  it('only level limits of tags: no deviation, rate, state, communication or server rows; a tag without limits has none', () => {
    const alarms = [
      { ...base, id: 'T1/limit', kind: 'limit', tag: 'T1', conditions: [cond('H', 5)] },
      { ...base, id: 'T1/deviation', kind: 'deviation', tag: 'T1', conditions: [cond('DEVH', 3), cond('DEVL', 3)] },
      { ...base, id: 'T1/rateOfChange', kind: 'rateOfChange', tag: 'T1', conditions: [cond('ROC', 0.5)] },
      { ...base, id: 'T2/state', kind: 'state', tag: 'T2', conditions: [cond('STATE', null)] },
      { ...base, id: 'comm/sim', kind: 'communication', tag: null, conditions: [cond('COMM', null)] },
    ];
    const m = limitsByTag(defs(alarms));
    expect(m.get('T1')).toEqual([{ name: 'H', value: 5 }]);
    expect(m.has('T2')).toBe(false);
    expect([...m.keys()]).toEqual(['T1']);
  });

  it('no definitions yet: no limits', () => {
    expect(limitsByTag(null).size).toBe(0);
  });
});

/** A language as the console passes it (i18n.lang): its catalog and its formats. */
const langOf = (locale: 'en' | 'ru' | 'zh'): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
};
/** Tags as resources/station.yaml defines them: a level in m on [0, 20], a gas detector in %LEL on [0, 100]. */
type TagRules = NumberRules & { unit: string };
const LEVEL: TagRules = { unit: 'm', range: [0, 20], decimals: null, dataType: 'Double' };
const GAS: TagRules = { unit: '%LEL', range: [0, 100], decimals: null, dataType: 'Double' };
/** The narrow no-break space the console puts between a number and its unit everywhere. */
const NB = '\u202f';

describe('limit line labels', () => {
  const say = (locale: 'en' | 'ru' | 'zh', tag: TagRules | null = LEVEL) => (l: { name: 'HH' | 'H' | 'L' | 'LL'; value: number }) => limitLabel(l, tag ?? undefined, langOf(locale));
  it('say the condition in the console\'s language with the value its way and the tag\'s unit, not the ISA letters', () => {
    expect(say('ru')({ name: 'HH', value: 17.6 })).toBe(`ВЕРХН. АВАР. 17,60${NB}m`);
    expect(say('ru')({ name: 'H', value: 17 })).toBe(`ВЕРХНИЙ 17,00${NB}m`);
    expect(say('ru')({ name: 'LL', value: 1 })).toBe(`НИЖН. АВАР. 1,00${NB}m`);
    expect(say('zh')({ name: 'L', value: 2 })).toBe(`低 2.00${NB}m`);
    expect(say('zh')({ name: 'HH', value: 17.6 })).toBe(`高高 17.60${NB}m`);
    expect(say('en')({ name: 'LL', value: 1 })).toBe(`LOW LOW 1.00${NB}m`);
  });

  it('write the limit as the tag\'s values read: its range\'s decimals, its configured decimals', () => {
    // A span of 100 reads to one decimal (README: "at least the decimals its EU range calls for").
    expect(say('en', GAS)({ name: 'H', value: 20 })).toBe(`HIGH 20.0${NB}%LEL`);
    expect(say('ru', GAS)({ name: 'HH', value: 40 })).toBe(`ВЕРХН. АВАР. 40,0${NB}%LEL`);
    expect(say('zh', { ...GAS, decimals: 3 })({ name: 'H', value: 20 })).toBe(`高 20.000${NB}%LEL`);
  });

  it('a tag no longer configured: the number by its own digits, no unit to give', () => {
    expect(say('en', null)({ name: 'H', value: 17 })).toBe('HIGH 17');
    expect(say('ru', null)({ name: 'H', value: 17.5 })).toBe('ВЕРХНИЙ 17,5');
  });
});

describe('limit labels of several pens', () => {
  it('name their pen when more than one pen draws limits', () => {
    expect(limitLabel({ name: 'H', value: 17 }, LEVEL, langOf('en'), 'TK101.Level')).toBe(`TK101.Level HIGH 17.00${NB}m`);
    expect(limitLabel({ name: 'HH', value: 17.6 }, LEVEL, langOf('ru'), 'TK102.Level')).toBe(`TK102.Level ВЕРХН. АВАР. 17,60${NB}m`);
    expect(limitLabel({ name: 'L', value: 2 }, LEVEL, langOf('zh'), 'TK101.Level')).toBe(`TK101.Level 低 2.00${NB}m`);
  });
});

describe('limit labels laid out apart', () => {
  it('labels that do not touch stay where they want to be', () => {
    expect(spreadLabels([10, 50], 12, 0, 200)).toEqual([10, 50]);
    expect(spreadLabels([10, 22], 12, 0, 200)).toEqual([10, 22]); // just touching
    expect(spreadLabels([], 12, 0, 200)).toEqual([]);
  });

  it('two that would overlap move apart by the same amount, each on its own side', () => {
    expect(spreadLabels([100, 104], 12, 0, 200)).toEqual([96, 108]);
    expect(spreadLabels([104, 100], 12, 0, 200)).toEqual([108, 96]); // whatever order the pens come in
  });

  it('labels at one value (like tanks, same limit) stack centred on it, in pen order', () => {
    expect(spreadLabels([50, 50, 50], 10, 0, 200)).toEqual([40, 50, 60]);
  });

  it('a stack that grows takes in the labels it reaches', () => {
    expect(spreadLabels([10, 12, 14], 10, 0, 200)).toEqual([2, 12, 22]);
    expect(spreadLabels([0, 15, 18], 10, 0, 200)).toEqual([0, 11.5, 21.5]);
  });

  it('stays within the plot (below the gap lanes): pushed down from the top, up from the bottom', () => {
    expect(spreadLabels([0, 2], 10, 5, 100)).toEqual([5, 15]);
    expect(spreadLabels([95, 96], 10, 0, 100)).toEqual([80, 90]);
  });

  it('never overlap, keep their order, stay within bounds (random labels)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 200; run++) {
      const want = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => Math.round(rnd() * 300));
      const h = 13, min = 16, max = 400;
      const top = spreadLabels(want, h, min, max);
      const byWant = want.map((_, i) => i).sort((a, b) => want[a]! - want[b]! || a - b);
      for (let k = 1; k < byWant.length; k++) expect(top[byWant[k]!]! - top[byWant[k - 1]!]!).toBeGreaterThanOrEqual(h - 1e-9);
      for (const t of top) {
        expect(t).toBeGreaterThanOrEqual(min - 1e-9);
        expect(t + h).toBeLessThanOrEqual(max + 1e-9);
      }
    }
  });
});

describe('limit labels that do not all fit', () => {
  it('alike lines (like tanks: same condition, value and unit on the same row) share one label naming their pens', () => {
    // The default trend at 1280x720: TK101/TK102 (HH 17.6, H 17.0, L 2.0, LL 1.0 m) and TK103/TK104 (14.1, 13.6, 1.6, 0.8 m).
    const tanks: [string, [number, string][]][] = [
      ['TK101.Level', [[20, 'HH 17.60 m'], [40, 'H 17.00 m'], [200, 'L 2.00 m'], [220, 'LL 1.00 m']]],
      ['TK102.Level', [[20, 'HH 17.60 m'], [40, 'H 17.00 m'], [200, 'L 2.00 m'], [220, 'LL 1.00 m']]],
      ['TK103.Level', [[60, 'HH 14.10 m'], [70, 'H 13.60 m'], [205, 'L 1.60 m'], [230, 'LL 0.80 m']]],
      ['TK104.Level', [[60, 'HH 14.10 m'], [70, 'H 13.60 m'], [205, 'L 1.60 m'], [230, 'LL 0.80 m']]],
    ];
    const lines = tanks.flatMap(([pen, ls]) => ls.map(([y, plain]) => ({ y, plain, pen })));
    expect(alikeLabels(lines).map((g) => `${g.pens.join(', ')} ${g.line.plain}`)).toEqual([
      'TK101.Level, TK102.Level HH 17.60 m', 'TK101.Level, TK102.Level H 17.00 m', 'TK101.Level, TK102.Level L 2.00 m', 'TK101.Level, TK102.Level LL 1.00 m',
      'TK103.Level, TK104.Level HH 14.10 m', 'TK103.Level, TK104.Level H 13.60 m', 'TK103.Level, TK104.Level L 1.60 m', 'TK103.Level, TK104.Level LL 0.80 m',
    ]);
  });

  it('never joins lines that differ: another value, another unit on the same row, another row', () => {
    const lines = [
      { y: 50, plain: 'HH 17.60 m', pen: 'A' }, { y: 50, plain: 'HH 17.60 bar', pen: 'B' },
      { y: 51, plain: 'HH 17.60 m', pen: 'C' }, { y: 50, plain: 'HH 17.70 m', pen: 'D' },
    ];
    expect(alikeLabels(lines).map((g) => g.pens)).toEqual([['A'], ['B'], ['C'], ['D']]);
  });
});


describe('limit labels that do not fit even merged', () => {
  it('all fit: placed as spreadLabels places them, none left out, no "+N" label', () => {
    // 3 labels of 10 in a 30 px plot: exactly room for all.
    expect(planLimitLabels([0, 10, 20], [1, 0, 1], 10, 0, 30)).toEqual({ top: [0, 10, 20], hidden: [], more: null });
    expect(planLimitLabels([], [], 10, 0, 30)).toEqual({ top: [], hidden: [], more: null });
  });

  it('too many: the HIGH HIGH and LOW LOW labels keep the rows but the last, the last row says how many are left out', () => {
    // 5 labels of 10 px in [0, 30]: 3 rows. Ranks H=1, HH=0, L=1, LL=0, other=2: HH (10) and LL (30) stay,
    // spread within [0, 20] (the last row is the "+N" label's): LL wants 30, is pushed up to 10, so HH at 10
    // and LL at 10 overlap and stack centred on (10 + 10) / 2 = 10 less half a label: 0 and 10.
    expect(planLimitLabels([0, 10, 20, 30, 40], [1, 0, 1, 0, 2], 10, 0, 30)).toEqual({ top: [null, 0, null, 10, null], hidden: [0, 2, 4], more: 20 });
  });

  it('the rows start below the gap lanes; within a rank the labels that came first stay, kept above the "+N" row', () => {
    // [16, 56): 4 rows of 10; 6 labels all HIGH (rank 1): the first three stay, within [16, 46). The third wants 40
    // but ends by 46 at 36, touching the second (30 + 10 > 36): the two stack at (30 + 40 - 10) / 2 = 26, reach the
    // first (20 + 10 > 26): all three centred at (20 + 30 + 40 - 10 - 20) / 3 = 20, but ending by 46 they start at 16.
    expect(planLimitLabels([20, 30, 40, 50, 60, 70], [1, 1, 1, 1, 1, 1], 10, 16, 56)).toEqual({ top: [16, 26, 36, null, null, null], hidden: [3, 4, 5], more: 46 });
  });

  it('no room for even one row: nothing drawn on the plot, every label listed as left out', () => {
    expect(planLimitLabels([0, 5], [0, 0], 13, 0, 12)).toEqual({ top: [null, null], hidden: [0, 1], more: null });
  });

  it('never outside the plot, never over one another, the "+N" row last (random labels)', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run++) {
      const n = Math.floor(rnd() * 30);
      const want = Array.from({ length: n }, () => Math.round(rnd() * 300) - 20);
      const rank = Array.from({ length: n }, () => Math.floor(rnd() * 3));
      const h = 13, min = Math.round(rnd() * 40), max = min + Math.round(rnd() * 260);
      const plan = planLimitLabels(want, rank, h, min, max);
      const boxes = plan.top.filter((t): t is number => t !== null).concat(plan.more === null ? [] : [plan.more]).sort((a, b) => a - b);
      for (const t of boxes) {
        expect(t).toBeGreaterThanOrEqual(min - 1e-9);
        expect(t + h).toBeLessThanOrEqual(max + 1e-9);
      }
      for (let k = 1; k < boxes.length; k++) expect(boxes[k]! - boxes[k - 1]!).toBeGreaterThanOrEqual(h - 1e-9);
      // Every label is drawn or listed, never both; some left out means a "+N" label whenever one row fits.
      expect(plan.top.filter((t) => t !== null).length + plan.hidden.length).toBe(n);
      for (const i of plan.hidden) expect(plan.top[i]).toBeNull();
      if (plan.hidden.length && max - min >= h) expect(plan.more).toBe(max - h);
      if (plan.more !== null) expect(boxes.at(-1)).toBe(plan.more);
    }
  });

  it('ranks HIGH HIGH and LOW LOW first, then HIGH and LOW, then the rest', () => {
    expect(['HH', 'H', 'L', 'LL', 'ROC'].map(limitRank)).toEqual([0, 1, 1, 0, 2]);
  });
});
