import { describe, expect, it } from 'vitest';
import { Formats } from './format.js';
import { Translator } from './translate.js';

// Expectations are literals: how each language writes these figures.
describe('locale formats', () => {
  const t0 = Date.UTC(2026, 10, 29, 13, 5, 9);

  it('numbers with fixed decimals, grouped per language', () => {
    expect(new Formats('en', 'UTC').number(1234.5, 2)).toBe('1,234.50');
    expect(new Formats('ru', 'UTC').number(1234.5, 1)).toBe('1\u00a0234,5');
    expect(new Formats('zh', 'UTC').number(-0.125, 3)).toBe('-0.125');
  });

  it('date and time in the zone, 24 h', () => {
    expect(new Formats('en', 'UTC').dateTime(t0)).toBe('2026-11-29 13:05:09');
    expect(new Formats('ru', 'UTC').dateTime(t0)).toBe('29.11.2026, 13:05:09');
    expect(new Formats('ru', 'Europe/Moscow').time(t0)).toBe('16:05:09');
    expect(new Formats('zh', 'Asia/Shanghai').dateTime(t0)).toBe('2026/11/29 21:05:09');
    expect(new Formats('en', 'Asia/Shanghai').offset(t0)).toBe('+08:00');
    expect(new Formats('en', 'UTC').offset(t0)).toBe('+00:00');
  });

  it('writes an English date year first, never day and month in an order one reader takes the other way', () => {
    const dec4 = Date.UTC(2026, 11, 4, 23, 30, 0);
    expect(new Formats('en', 'UTC').date(dec4)).toBe('2026-12-04');
    expect(new Formats('en', 'UTC').dateTime(dec4)).toBe('2026-12-04 23:30:00');
    // The day of the zone, not of UTC.
    expect(new Formats('en', 'Asia/Shanghai').date(dec4)).toBe('2026-12-05');
    expect(new Formats('en', 'America/New_York').dateTime(Date.UTC(2026, 0, 1, 4, 59, 59))).toBe('2025-12-31 23:59:59');
    expect(new Formats('ru', 'UTC').date(dec4)).toBe('04.12.2026');
    expect(new Formats('zh', 'UTC').date(dec4)).toBe('2026/12/04');
  });

  it('writes when something began with its date unless that is today, in the zone\'s days', () => {
    const now = Date.UTC(2026, 11, 5, 1, 0, 0);
    expect(new Formats('en', 'UTC').since(Date.UTC(2026, 11, 5, 0, 30, 0), now)).toBe('00:30:00');
    expect(new Formats('en', 'UTC').since(Date.UTC(2026, 11, 4, 23, 30, 0), now)).toBe('2026-12-04 23:30:00');
    expect(new Formats('ru', 'UTC').since(Date.UTC(2026, 11, 4, 23, 30, 0), now)).toBe('04.12.2026, 23:30:00');
    // 23:30 UTC on the 4th is 07:30 on the 5th in Shanghai, as is 01:00 UTC: the same day there.
    expect(new Formats('zh', 'Asia/Shanghai').since(Date.UTC(2026, 11, 4, 23, 30, 0), now)).toBe('07:30:00');
  });

  it('lists the way each language joins them ("、" in Chinese, "и" in Russian)', () => {
    expect(new Formats('en').list(['Supervisor', 'Administrator'])).toBe('Supervisor and Administrator');
    expect(new Formats('ru').list(['Оператор', 'Инженер', 'Администратор'])).toBe('Оператор, Инженер и Администратор');
    expect(new Formats('ru').list(['Оператор', 'Администратор'])).toBe('Оператор и Администратор');
    const zh = new Formats('zh').list(['值班长', '工程师', '管理员']);
    expect(zh).toBe('值班长、工程师和管理员');
    expect(zh).not.toContain(', ');
    expect(new Formats('zh').list(['管理员'])).toBe('管理员');
    expect(new Formats('en').list([])).toBe('');
  });

  it('data sizes with the language\'s own units', () => {
    expect(new Formats('en').bytes(12_345)).toBe('12\u00a0kB');
    expect(new Formats('en').bytes(2_500_000)).toBe('2.5\u00a0MB');
    expect(new Formats('ru').bytes(12_345)).toBe('12\u00a0кБ');
    expect(new Formats('ru').bytes(2_500_000)).toBe('2,5\u00a0МБ');
    expect(new Formats('zh').bytes(12_345)).toBe('12\u00a0KB');
    expect(new Formats('zh').bytes(2_500_000)).toBe('2.5\u00a0MB');
    expect(new Formats('ru').bytes(0)).toBe('0\u00a0кБ');
  });

  it('durations', () => {
    const en = new Formats('en', 'UTC');
    expect(en.duration(45_000)).toBe('45\u00a0s');
    expect(en.duration(200_000)).toBe('3\u00a0min 20\u00a0s');
    expect(new Formats('ru', 'UTC').duration(3_900_000)).toBe('1\u00a0ч 05\u00a0мин');
  });

  it('Chinese durations as CLDR writes them: no space between a number and its unit, nor between units', () => {
    // Expectations from CLDR as Chromium 156's Intl.DurationFormat('zh', { style: 'narrow' }) formats
    // { hours: 1, minutes: 20 }, { days: 2, hours: 3 }, { minutes: 3, seconds: 25 }: "1小时20分钟", "2天3小时", "3分钟25秒".
    const zh = new Formats('zh', 'UTC');
    expect(zh.duration(80 * 60_000)).toBe('1小时20分钟');
    expect(zh.duration((2 * 24 + 3) * 3_600_000)).toBe('2天3小时');
    expect(zh.duration(205_000)).toBe('3分钟25秒');
    expect(zh.duration(45_000)).toBe('45秒');
    // Minutes and seconds after a larger unit keep two digits, as in every language of the console.
    expect(zh.duration(3_900_000)).toBe('1小时05分钟');
    expect(zh.age(30_000)).toBe('30秒');
    expect(zh.age(2 * 86_400_000)).toBe('2天');
    // The shelve dialog's lengths are durations too (CLDR: "1小时30分钟").
    const t = new Translator('zh');
    expect(t.t('alarmsUi.duration.hmin', { h: 1, m: 30 })).toBe('1小时30分钟');
    expect(t.t('alarmsUi.duration.min', { m: 15 })).toBe('15分钟');
    expect(t.t('alarmsUi.duration.h', { h: 2 })).toBe('2小时');
  });

  it('ages: the largest whole unit only', () => {
    const en = new Formats('en', 'UTC');
    expect(en.age(59_999)).toBe('59\u00a0s');
    expect(en.age(60_000)).toBe('1\u00a0min');
    expect(en.age(98_000)).toBe('1\u00a0min');
    expect(en.age(3_599_000)).toBe('59\u00a0min');
    expect(en.age(3_600_000)).toBe('1\u00a0h');
    expect(en.age(2 * 86_400_000 + 5 * 3_600_000)).toBe('2\u00a0d');
    expect(new Formats('ru', 'UTC').age(300_000)).toBe('5\u00a0мин');
    expect(new Formats('zh', 'UTC').age(7_200_000)).toBe('2小时');
    // "3分钟前" (3 minutes ago), not "3分前": 分 alone reads as the minute of a clock.
    expect(new Formats('zh', 'UTC').age(180_000)).toBe('3分钟');
    expect(en.age(-5)).toBe('0\u00a0s');
  });

  it('messages fall back to English, and an unknown key shows itself', () => {
    const ru = new Translator('ru');
    expect(ru.t('error.forbidden.signIn', { permission: 'alarms.acknowledge' })).toBe('Сначала войдите в систему: нужно право «alarms.acknowledge».');
    expect(ru.t('no.such.key')).toBe('no.such.key');
  });

  it('engineering notation and values against a shared power of ten, the locale\'s way', () => {
    const en = new Formats('en', 'UTC'), ru = new Formats('ru', 'UTC');
    expect(en.engineering(1.2345678e-9, 7)).toBe('1.234568E-9');
    expect(ru.engineering(-2.5e-5, 7)).toBe('-25E-6');
    expect(en.engineering(1234567100000, 7)).toBe('1.234567E12');
    expect(en.scaled(1.5e-9, -9, 1)).toBe('1.5E-9');
    expect(ru.scaled(2e12, 12, 1)).toBe('2,0E12');
    expect(en.scaled(0, -9, 1)).toBe('0');
  });
});

