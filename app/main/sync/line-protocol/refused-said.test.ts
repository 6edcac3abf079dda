/**
 * Why the station refuses a line is kept as a catalog message beside its English: the quarantine
 * alarm (and the Sync page) say it in the console's language. The English (the log, the CLI, the
 * export) is what it always was; the Russian and Chinese are the catalog's, written out here.
 */
import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import { english } from '../../../shared/sync-text.js';
import { syncText } from '../../../renderer/lib/sync-text.js';
import { alarmEncoder } from '../streams/alarms.js';
import { Lines, type RefusedLine } from './batch.js';
import { SampleEncoder, type SampleEncoding } from './samples.js';

const say = (r: RefusedLine, locale: Locale) => {
  const tr = new Translator(locale);
  return syncText(r.said!, { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) });
};

describe('a line the station refuses', () => {
  const influx: SampleEncoding = { measurement: 'tf', site: 'North', dialect: 'v1', statusName: true, textAs: 'field' };
  const refused = (enc: SampleEncoding, tag: string, kind: 'analog' | 'discrete' | 'text', value: number | boolean | string, status = 0, area = 'Area1') => {
    const out = new Lines();
    new SampleEncoder(enc).encode({ tag, kind, t: [1_700_000_000_000], values: [value], status: [status] }, () => ({ area, unit: 'm' }), out);
    expect(out.refused).toHaveLength(1);
    return out.refused[0]!;
  };

  it('keeps its reason as a message: English as before, Russian and Chinese from the catalog', () => {
    const cases: [RefusedLine, string, string, string][] = [
      [refused(influx, 'TK1.Mode', 'text', 'fill\nhold'),
        'text value "fill\\nhold" holds a line break, which the line protocol cannot carry',
        'текстовое значение "fill\\nhold" содержит перевод строки, который протокол строк не передаёт',
        '文本值 "fill\\nhold" 含有换行符，行协议无法承载'],
      [refused(influx, 'TK1\\', 'analog', 1),
        'tag name "TK1\\\\" ends with a backslash, which InfluxDB 1.x cannot read',
        'имя тега "TK1\\\\" оканчивается обратной косой чертой, которую InfluxDB 1.x не читает',
        '位号名 "TK1\\\\" 以反斜杠结尾，InfluxDB 1.x 无法读取'],
      [refused(influx, 'TK1', 'analog', 1, 0, 'Tank\u0007Farm'),
        'area "Tank\\u0007Farm" holds control character U+0007',
        'метка area "Tank\\u0007Farm" содержит управляющий символ U+0007',
        'area 键 "Tank\\u0007Farm" 含有控制字符 U+0007'],
      [refused(influx, 'TK1.Run', 'discrete', 'on'),
        'discrete value "on" is not a state (true, false or an integer)',
        'дискретное значение "on" — не состояние (true, false или целое число)',
        '开关量值 "on" 不是状态（true、false 或整数）'],
      [refused({ ...influx, acceptTime: () => null }, 'TK1.Level', 'analog', Number.POSITIVE_INFINITY),
        'value Infinity with status Good cannot be written: the line protocol has no NaN or infinity',
        'значение Infinity со статусом Good не записать: в протоколе строк нет NaN и бесконечности',
        '状态为 Good 的数值 Infinity 无法写出：行协议没有 NaN 或无穷大'],
    ];
    for (const [line, en, ru, zh] of cases) {
      expect(line.reason).toBe(en);
      expect(english(line.said!)).toBe(en);
      expect(say(line, 'ru')).toBe(ru);
      expect(say(line, 'zh')).toBe(zh);
    }
  });

  it('a journal line that cannot be written keeps its reason as a message too', () => {
    const out = new Lines();
    alarmEncoder({ measurement: 'tf', site: 'North', dialect: 'v1', stringFields: true })({
      seq: 7, t: 1_700_000_000_000, alarmId: 'TK1.Level.HH\\', tag: 'TK1.Level', area: 'Area1', condition: 'HH', event: 'activated', priority: 1,
      state: 'B', user: null, value: 3, valueSuspect: false, message: 'high high', comment: null, text: null,
    } as never, out);
    expect(out.refused).toHaveLength(1);
    expect(out.refused[0]!.reason).toBe('alarm tag "TK1.Level.HH\\\\" ends with a backslash, which InfluxDB 1.x cannot read');
    expect(say(out.refused[0]!, 'ru')).toBe('метка alarm "TK1.Level.HH\\\\" оканчивается обратной косой чертой, которую InfluxDB 1.x не читает');
  });
});
