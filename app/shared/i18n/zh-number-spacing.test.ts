/**
 * One rule for a number and its unit in the Chinese catalog, so that one line never mixes
 * "报警延时 0 秒" with a duration the formatter writes "10分钟00秒": a number (a placeholder, digits,
 * a plural's #) and the unit or measure word after it are one word, with no space ("0秒", "20分钟",
 * "3条", "第5次"), as CLDR writes Chinese units ({0}秒, {0}分钟, {0}小时, {0}天, {0}字节) and as
 * Formats.duration writes durations ("1小时20分钟"); a duration placeholder is followed by its Chinese
 * words the same way ("{timeoutMs}内", "{duration}不变"). Between Chinese words and a number or other
 * Western text in front of it the catalog keeps one space (W3C clreq §3.2.2: up to a quarter of a
 * Han character's width between Han and Western letters or numerals).
 */
import { describe, expect, it } from 'vitest';
import { catalogOf, Translator } from './translate.js';
import { Formats } from './format.js';

/** Units and measure words the zh catalog counts with. */
const UNITS = '毫秒|秒钟|秒|分钟|小时|天|周|个月|年|个|条|次|行|字节|位|段|项|处|倍|支|名|组|页';
const SPACED_UNIT = new RegExp(`(\\{[a-zA-Z]+(?:, number(?:, ::[\\w-]+)?)?\\}|\\d|#) (?:${UNITS})`);
const SPACED_ORDINAL = /第 (?:\{|\d)/;
/** Placeholders that are durations (Formats.duration / age: "5秒", "1小时20分钟"), then Chinese words. */
const SPACED_AFTER_DURATION = /\{(?:after|left|interval|duration|timeoutMs)\} [\u4e00-\u9fff]/;
// Words where the character is not a unit: 条件 (condition), 位号 (tag), 名称 (name), 行为, 处理.
const NOT_A_UNIT = /(?:条件|位号|名称|行为|处理)/g;

describe('a number and its unit in Chinese', () => {
  it('CLDR writes Chinese units with no space (the authority for the rule)', () => {
    const unit = (u: string) => new Intl.NumberFormat('zh', { style: 'unit', unit: u, unitDisplay: 'short' }).format(5);
    expect(['second', 'minute', 'hour', 'day', 'millisecond'].map(unit)).toEqual(['5秒', '5分钟', '5小时', '5天', '5毫秒']);
    expect(new Intl.NumberFormat('zh', { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(5)).toBe('5字节');
    // And the console's own durations follow it.
    expect(new Formats('zh').duration(80 * 60_000)).toBe('1小时20分钟');
  });

  it('no zh entry spaces a number from its unit or measure word, an ordinal from its number, or a duration from its words', () => {
    const spaced = Object.entries(catalogOf('zh')).filter(([, text]) => {
      const s = (text ?? '').replace(NOT_A_UNIT, '');
      return SPACED_UNIT.test(s) || SPACED_ORDINAL.test(s) || SPACED_AFTER_DURATION.test(s);
    });
    expect(spaced.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it('reads as one word beside a formatted duration', () => {
    const zh = new Translator('zh');
    expect(zh.t('alarmsUi.detail.settingsText', { deadband: 0, unit: 'm', on: 0, off: 0 })).toBe('死区 0 m，报警延时 0秒，恢复延时 0秒');
    expect(zh.t('sync.cause.backlog', { records: 3, minutes: 20 })).toBe('3条待发送，最早的已等待 20分钟');
    expect(zh.t('alarmsUi.detail.frozenAfter', { duration: new Formats('zh').duration(600_000) })).toBe('10分钟00秒不变即判为死值');
    expect(zh.t('audit.range', { first: 1, last: 50, total: 120 })).toBe('第1–50条，共 120条');
  });
});
