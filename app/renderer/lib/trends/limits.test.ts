import { describe, expect, it } from 'vitest';
import { alarmDefinitions, type AlarmDefinitions } from '../../../shared/api/alarms.js';
import { defaultAlarmKeys } from '../../../shared/config/alarms.js';
import { Formats, Translator } from '../../../shared/i18n/index.js';
import { limitLabel, limitsByTag } from './limits.js';

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

describe('limit line labels', () => {
  const say = (locale: 'en' | 'ru' | 'zh') => {
    const tr = new Translator(locale);
    return (l: { name: 'HH' | 'H' | 'L' | 'LL'; value: number }) => limitLabel(l, tr.t.bind(tr), new Formats(locale));
  };
  it('say the condition in the console\'s language with the value its way, not the ISA letters', () => {
    expect(say('ru')({ name: 'HH', value: 17.6 })).toBe('ВЕРХН. АВАР. 17,60');
    expect(say('ru')({ name: 'H', value: 17 })).toBe('ВЕРХНИЙ 17,00');
    expect(say('ru')({ name: 'LL', value: 1 })).toBe('НИЖН. АВАР. 1,00');
    expect(say('zh')({ name: 'L', value: 2 })).toBe('低 2.00');
    expect(say('zh')({ name: 'HH', value: 17.6 })).toBe('高高 17.60');
    expect(say('en')({ name: 'LL', value: 1 })).toBe('LOW LOW 1.00');
  });
});
