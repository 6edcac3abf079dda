/**
 * Texts joined in code from catalog parts, for a value (its focus-line detail, its accessible name)
 * and a tag's alarm beside it, take the language's punctuation: in Chinese the fullwidth
 * semicolon, comma, enumeration comma, full stop and parentheses of GB/T 15834 (；，、。（）), as the
 * zh catalog writes them, never ASCII "; ", ", ", ". " or " (" between Chinese words. Russian and
 * English keep theirs.
 */
import { describe, expect, it } from 'vitest';
import type { LiveValue } from '../../shared/api.js';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { tagAlarmText } from './alarms/tag-alarm.js';
import { row } from './alarms/testing.js';
import { level, server, up } from './testing/tk101-level.js';
import { valueLabel } from './value-label.js';
import { viewOf, type Lang } from './value-view.js';

const T = Date.UTC(2025, 0, 6, 8, 0, 0);
const lang = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, 'UTC') };
};
/** ASCII punctuation against Chinese words (an OPC UA status, "Good (0x00000000)", is Western text and keeps its own). */
const ASCII_JOINS = /[\p{sc=Han}）](; |, |\. | \()|(; |, |\. )[\p{sc=Han}（]/u;

describe('a value\'s detail and accessible name in Chinese', () => {
  it('the focus line\'s detail joins its clauses with ；(a server lost, the last good value held)', () => {
    const held: LiveValue = { tag: level.name, t: T, value: 12.5, status: 0 };
    const lost = { link: 'connected' as const, server: { ...server, state: 'lost' as const, since: T + 1000 } };
    const zh = viewOf(level, held, lost, lang('zh'), T + 5 * 60_000);
    expect(zh.detail).not.toMatch(ASCII_JOINS);
    expect(zh.detail).toMatch(/^非实时：服务器 sim 通信中断（自 2025\/01\/06 08:00:01 UTC\+00:00 起）；2025\/01\/06 08:00:00 UTC\+00:00 时为 Good \(0x00000000\)；最后有效值 12\.50，时间 .*（5分钟00秒前）$/);
    // Russian and English: the semicolon as they write it.
    expect(viewOf(level, held, lost, lang('ru'), T + 5 * 60_000).detail.split('; ')).toHaveLength(3);
    expect(viewOf(level, held, lost, lang('en'), T + 5 * 60_000).detail.split('; ')).toHaveLength(3);
  });

  it('a bad value\'s detail: what the server sends, then the last good value, after ；', () => {
    const bad: LiveValue = { tag: level.name, t: T + 60_000, value: 99, status: 0x808c0000, lastGood: { t: T, value: 12.5 } };
    const zh = viewOf(level, bad, up, lang('zh'), T + 2 * 60_000);
    expect(zh.detail.split('；')).toHaveLength(3);
    expect(zh.detail).not.toMatch(ASCII_JOINS);
  });

  it('the accessible name: value（age），badge。alarm', () => {
    const zh = lang('zh');
    expect(valueLabel('1号罐液位', { text: '12.50', unit: 'm', badgeText: '通信' }, '5分钟前', '报警：高', zh)).toBe('1号罐液位：12.50 m（5分钟前），通信。报警：高');
    expect(valueLabel('1号罐液位', { text: '12.50', unit: 'm', badgeText: null }, null, null, zh)).toBe('1号罐液位：12.50 m');
    expect(valueLabel('Уровень', { text: '12,50', unit: 'm', badgeText: 'СВЯЗЬ' }, '5 мин назад', 'Тревога', lang('ru'))).toBe('Уровень: 12,50 m (5 мин назад), СВЯЗЬ. Тревога');
    expect(valueLabel('Level', { text: '12.50', unit: 'm', badgeText: 'COMM' }, '5 min ago', 'In alarm', lang('en'))).toBe('Level: 12.50 m (5 min ago), COMM. In alarm');
  });

  it('a tag alarm\'s state words are enumerated with 、 in Chinese', () => {
    const latched = row({ id: 'AT-301/limit', state: 'E' });
    const r = { ...latched, flags: { ...latched.flags, acked: false } };
    const said = tagAlarmText(r, { messageOf: () => '液位高' }, lang('zh').t);
    expect(said).toContain('未确认、需要复位');
    expect(said).not.toMatch(ASCII_JOINS);
    expect(tagAlarmText(r, { messageOf: () => 'High' }, lang('en').t)).toContain('UNACK, RESET REQUIRED');
  });
});
