/**
 * A value whose frozen-value alarm is active (a stuck transmitter: Good, no longer changing) is
 * marked where its quality is shown: a FROZEN badge in the console's language, dated from its last
 * change (the source time it still carries), never plain like a live good value.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmRow, LiveValue } from '../../shared/api.js';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { frozenBy, viewOf, type Lang } from './value-view.js';
import { level, server, up } from './testing/tk101-level.js';

const T = Date.UTC(2025, 0, 6, 8, 0, 0);
const lv = (value: LiveValue['value'], status = 0): LiveValue => ({ tag: level.name, t: T, value, status });
const lang = (locale: 'ru' | 'zh'): Lang => ({ t: (k, p) => new Translator(locale).t(k, p), fmt: new Formats(locale, 'UTC') });

describe('a frozen value', () => {
  it('is marked FROZEN, dated from its last change, drawn as before (its number is what the transmitter says)', () => {
    const v = viewOf(level, lv(12.5), { ...up, frozen: true }, undefined, T + 12 * 60_000);
    expect(v).toMatchObject({ text: '12.50', quality: 'good', badge: 'FROZEN', badgeText: 'FROZEN', frozen: true, heldSince: T, live: true, number: 12.5 });
    expect(v.detail).toMatch(/; FROZEN: unchanged since 2025-01-06 08:00:00 UTC\+00:00 \(12.min.00.s\), the frozen-value alarm is active$/);
    // Without the alarm: a plain good value.
    expect(viewOf(level, lv(12.5), up)).toMatchObject({ badge: null, frozen: false, heldSince: null });
  });

  it('keeps the value\'s own mark beside it, and an uncertain value\'s "?" first', () => {
    const override = 0x00960000;
    expect(viewOf(level, lv(12.5, override), { ...up, frozen: true }).badgeText).toBe('FROZEN OVERRIDE');
    expect(viewOf(level, lv(12.5, 0x40940000), { ...up, frozen: true })).toMatchObject({ badge: 'uncertain', badgeText: '? FROZEN', frozen: true });
  });

  it('a bad value or a lost server says that instead (their own badge, the last good value)', () => {
    expect(viewOf(level, lv(12.5, 0x808c0000), { ...up, frozen: true })).toMatchObject({ badge: 'SENSOR', frozen: false });
    expect(viewOf(level, lv(12.5), { link: 'connected', server: { ...server, state: 'lost' }, frozen: true })).toMatchObject({ badge: 'COMM', frozen: false });
  });

  it('reads in Russian and Chinese with the catalogs\' words', () => {
    const ru = viewOf(level, lv(12.5), { ...up, frozen: true }, lang('ru'), T + 60_000);
    expect(ru.badgeText).toBe('ЗАВИСЛО');
    expect(ru.detail).toContain('ЗАВИСЛО: не меняется с');
    const zh = viewOf(level, lv(12.5), { ...up, frozen: true }, lang('zh'), T + 60_000);
    expect(zh.badgeText).toBe('死值');
    expect(zh.detail).toContain('死值：自');
  });

  it('is frozen while its <tag>/frozen row is active, not once it returned or for another kind of row', () => {
    const row = (kind: AlarmRow['kind'], active: boolean) => ({ kind, flags: { active } }) as AlarmRow;
    expect(frozenBy(row('frozen', true))).toBe(true);
    expect(frozenBy(row('frozen', false))).toBe(false);
    expect(frozenBy(row('quality', true))).toBe(false);
    expect(frozenBy(undefined)).toBe(false);
  });
});
