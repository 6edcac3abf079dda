import { describe, expect, it } from 'vitest';
import type { LiveValue, TagInfo } from '../../shared/api.js';
import { NO_RULES, formatValue, lostWith, quantityText, rangeEndText, viewOf, type Lang, type Liveness } from './value-view.js';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { level, server, up } from './testing/tk101-level.js';

const hls: TagInfo = { ...level, name: 'Area1.TK101.HighLevelSwitch', unit: '', range: null, kind: 'discrete', role: 'highLevelSwitch' };
const lv = (value: LiveValue['value'], status = 0): LiveValue => ({ tag: level.name, t: 1_700_000_000_000, value, status });

describe('viewOf', () => {
  it('shows a good value plainly with its unit and place in the range', () => {
    const v = viewOf(level, lv(5), up);
    expect(v).toMatchObject({ text: '5.00', unit: 'm', quality: 'good', badge: null, live: true, fraction: 0.25, number: 5 });
  });

  it('marks uncertain values with "?" and keeps them drawable', () => {
    expect(viewOf(level, lv(5, 0x40900000), up)).toMatchObject({ quality: 'uncertain', badge: 'uncertain', badgeText: '?', number: 5 });
  });

  it('never offers a bad value for drawing, and names the cause', () => {
    const v = viewOf(level, lv(5, 0x808c0000), up);
    // No good value before it: the junk is in the detail only, never shown as the value.
    expect(v).toMatchObject({ quality: 'bad', badge: 'SENSOR', number: null, fraction: null, text: '—', received: '5.00', heldSince: null });
    expect(v.detail).toMatch(/BadSensorFailure \(0x808C0000\)/);
    expect(v.detail).toMatch(/the server sends 5\.00/);
    expect(viewOf(level, lv(5, 0x80310000), up).badge).toBe('COMM');
    expect(viewOf(level, lv(5, 0x80000000), up).badge).toBe('BAD');
  });

  it('shows the last good value with its time beside a failed sensor, the junk in the detail only', () => {
    const failed: LiveValue = { ...lv(-9999, 0x808c0000), lastGood: { t: 1_699_999_990_000, value: 12.5 } };
    const v = viewOf(level, failed, up, undefined, 1_700_000_000_000);
    expect(v).toMatchObject({ text: '12.50', heldSince: 1_699_999_990_000, received: '-9,999.00', quality: 'bad', badge: 'SENSOR', number: null });
    expect(v.detail).toMatch(/the server sends -9,999\.00; last good value 12\.50 at .* \(10\u00a0s ago\)/);
    // A lost server: the last good value, dated, not live.
    const lost = viewOf(level, { ...lv(null, 0x80310000), lastGood: { t: 1_699_999_990_000, value: 7 } }, up);
    expect(lost).toMatchObject({ text: '7.00', heldSince: 1_699_999_990_000, badge: 'COMM', received: null });
  });

  it('a card says a loss once: a value lost with its server after being good shares the level\'s badge; one bad before keeps its own age', () => {
    const lostServer: Liveness = { link: 'connected', server: { ...server, state: 'lost' } };
    const goodTillLoss: LiveValue = { ...lv(null, 0x80310000), lastGood: { t: 1_699_999_990_000, value: 7 }, goodAtLoss: true };
    const failedBefore: LiveValue = { ...lv(null, 0x80310000), lastGood: { t: 1_699_800_000_000, value: 7 } };
    expect(lostWith('COMM', viewOf(level, goodTillLoss, lostServer), goodTillLoss)).toBe(true);
    expect(lostWith('COMM', viewOf(level, failedBefore, lostServer), failedBefore)).toBe(false);
    expect(lostWith(null, viewOf(level, goodTillLoss, lostServer), goodTillLoss)).toBe(false);
    // The console's link lost: a value good when it was lost shares it; a failed sensor's does not.
    const linkDown: Liveness = { link: 'down', server };
    expect(lostWith('LINK', viewOf(level, lv(5), linkDown), lv(5))).toBe(true);
    const sensor = { ...lv(-9999, 0x808c0000), lastGood: { t: 1_699_800_000_000, value: 7 } };
    expect(lostWith('LINK', viewOf(level, sensor, linkDown), sensor)).toBe(false);
    // Live: nothing to share.
    expect(lostWith('COMM', viewOf(level, lv(5), up), lv(5))).toBe(false);
  });

  it('holds only a good value: an uncertain one is not vouched for, so a lost server shows the last good value, not it', () => {
    const lostServer: Liveness = { link: 'connected', server: { ...server, state: 'lost' } };
    // Uncertain (0x40900000) now, 12.50 the last good value: the held value is 12.50 at its own time.
    const uncertain: LiveValue = { ...lv(5, 0x40900000), lastGood: { t: 1_699_999_990_000, value: 12.5 } };
    const v = viewOf(level, uncertain, lostServer, undefined, 1_700_000_000_000);
    expect(v).toMatchObject({ text: '12.50', heldSince: 1_699_999_990_000, quality: 'bad', badge: 'COMM', live: false });
    expect(v.detail).toMatch(/last good value 12\.50 at .* \(10\u00a0s ago\)/);
    expect(v.detail).not.toMatch(/last good value 5\.00/);
    // No good value ever: nothing is held ("—"), never the uncertain one dated as if it were good.
    for (const ctx of [lostServer, { link: 'down', server } as Liveness]) {
      const never = viewOf(level, { ...lv(5, 0x40900000), lastGood: null }, ctx);
      expect(never).toMatchObject({ text: '—', heldSince: null, quality: 'bad', live: false });
      expect(never.detail).not.toMatch(/last good value/);
    }
    // An uncertain value behind a bad one is not the last good value either.
    expect(viewOf(level, { ...lv(-9999, 0x808c0000), lastGood: null }, up)).toMatchObject({ text: '—', heldSince: null });
    // A good value is its own last good one.
    expect(viewOf(level, lv(5), lostServer)).toMatchObject({ text: '5.00', heldSince: 1_700_000_000_000 });
    // Live, an uncertain value is still shown as what it is: "?", drawable.
    expect(viewOf(level, uncertain, up)).toMatchObject({ text: '5.00', quality: 'uncertain', badge: 'uncertain', heldSince: null, number: 5 });
  });

  it('shows a good status as not live when its server is lost or unknown', () => {
    const lost = viewOf(level, lv(5), { link: 'connected', server: { ...server, state: 'lost' } });
    expect(lost).toMatchObject({ quality: 'bad', badge: 'COMM', live: false, number: null });
    expect(lost.detail).toMatch(/NOT LIVE: server sim lost since/);
    expect(viewOf(level, lv(5), { link: 'connected', server: undefined })).toMatchObject({ live: false, quality: 'bad' });
  });

  it('shows every value as not live while the console link is down', () => {
    for (const link of ['down', 'connecting'] as const) {
      expect(viewOf(level, lv(5), { link, server })).toMatchObject({ quality: 'bad', badge: 'LINK', live: false, number: null });
      expect(viewOf(level, undefined, { link, server })).toMatchObject({ text: '—', badge: 'LINK' });
    }
  });

  it('says when nothing was received yet', () => {
    expect(viewOf(level, undefined, up)).toMatchObject({ text: '—', quality: 'bad', badge: 'NODATA', badgeText: 'NO DATA', live: false });
  });

  it('flags a tripped switch as abnormal only while its value is usable', () => {
    expect(viewOf(hls, lv(true), up)).toMatchObject({ text: 'TRIPPED', abnormal: true });
    expect(viewOf(hls, lv(false), up)).toMatchObject({ text: 'NORMAL', abnormal: false });
    expect(viewOf(hls, lv(true, 0x808c0000), up).abnormal).toBe(false);
    const esd: TagInfo = { ...hls, role: 'esd', kind: 'text' };
    expect(viewOf(esd, lv('TRIPPED'), up).abnormal).toBe(true);
    expect(viewOf(esd, lv('normal'), up).abnormal).toBe(false);
  });

  it('clamps the bar fraction to the range', () => {
    expect(viewOf(level, lv(25), up).fraction).toBe(1);
    expect(viewOf(level, lv(-1), up).fraction).toBe(0);
  });
});

describe('formatValue', () => {
  it('writes an enumeration\'s state by the name its server gives it; a state it does not name keeps its number', () => {
    const valve: TagInfo = { ...hls, role: 'other', kind: 'discrete', states: [{ value: 0, name: 'Closed' }, { value: 2, name: 'Open' }, { value: 3, name: 'Closing' }] };
    expect(formatValue(valve, 2)).toBe('Open');
    expect(formatValue(valve, 0)).toBe('Closed');
    expect(formatValue(valve, 1)).toBe('ON');
    expect(formatValue(valve, 7)).toBe('ON (7)');
    expect(formatValue(valve, true)).toBe('ON');
    expect(formatValue({ ...valve, states: null }, 3)).toBe('ON (3)');
    // An analog tag's number is never a state's name.
    expect(formatValue({ ...level, states: [{ value: 2, name: 'Open' }] }, 2)).not.toBe('Open');
  });

  it('shows integers without decimals where no range or data type says otherwise (issue 6.15)', () => {
    const counter: TagInfo = { ...level, range: null, unit: '' };
    expect(formatValue(counter, 100009)).toBe('100,009');
    // Its own decimals, not two whatever the value (value-view-own-decimals.test.ts).
    expect(formatValue(counter, 2.5)).toBe('2.5');
    expect(formatValue({ ...level, dataType: 'Int32' }, 12)).toBe('12');
    expect(formatValue({ ...level, decimals: 1 }, 12.34)).toBe('12.3');
  });

  it('writes numbers and words in the console language', () => {
    const ru: Lang = { t: (k, p) => new Translator('ru').t(k, p), fmt: new Formats('ru', 'UTC') };
    // (12345.6 was written "12 346" when the span alone set the decimals; its own digits show now: T9.)
    expect(formatValue({ ...level, range: [0, 10000] }, 12345.6, ru)).toBe('12\u00a0345,6');
    expect(formatValue({ ...level, range: [0, 10000] }, 12346, ru)).toBe('12\u00a0346');
    expect(formatValue({ ...level, range: [0, 20] }, 5.25, ru)).toBe('5,25');
  });

  it('picks at least the span\'s decimals, and words for discrete roles', () => {
    expect(formatValue({ ...level, range: [0, 100] }, 45)).toBe('45.0');
    expect(formatValue({ ...level, range: [0, 1000] }, 512)).toBe('512');
    // A value with more digits than the span's decimals keeps them (were "45.3", "513": T9).
    expect(formatValue({ ...level, range: [0, 100] }, 45.25)).toBe('45.25');
    expect(formatValue({ ...level, range: [0, 1000] }, 512.7)).toBe('512.7');
    expect(formatValue({ ...level, range: [0, 1] }, 0.5)).toBe('0.500');
    expect(formatValue({ ...hls, role: 'pump' }, true)).toBe('RUNNING');
    expect(formatValue({ ...hls, role: 'pump' }, false)).toBe('STOPPED');
    expect(formatValue({ ...hls, role: 'other' }, true)).toBe('ON');
    expect(formatValue(level, null)).toBe('—');
    expect(formatValue({ ...level, kind: 'text' }, 'Ethanol')).toBe('Ethanol');
  });
});

describe('numbers an operator can tell apart (T5/T9)', () => {
  const ru: Lang = { t: (k, p) => new Translator('ru').t(k, p), fmt: new Formats('ru', 'UTC') };
  const small: TagInfo = { ...level, unit: 'mol/L', range: [0, 5e-9] };
  const precise: TagInfo = { ...level, unit: 'kg/h', range: [1000, 3000] };
  const large: TagInfo = { ...level, unit: 'J', range: [0, 2e12] };

  it('never shows a very small nonzero value as zero: engineering notation, by locale', () => {
    expect(formatValue(small, 1.234567e-9)).toBe('1.234567E-9');
    expect(formatValue(small, 2.3e-9)).toBe('2.3E-9');
    expect(formatValue(small, 1.234567e-9, ru)).toBe('1,234567E-9');
    expect(formatValue(small, 0)).toBe('0.000');
    // A configured number of decimals that would round a nonzero value to 0 gives way too.
    expect(formatValue({ ...level, decimals: 2 }, 0.004)).toBe('4E-3');
    expect(formatValue({ ...level, decimals: 2 }, 0.125)).toBe('0.13');
  });

  it('shows a value\'s seven significant digits where the span alone would round them away', () => {
    expect(formatValue(precise, 1234.567)).toBe('1,234.567');
    expect(formatValue(precise, 1234.568)).toBe('1,234.568');
    expect(formatValue(precise, 1235.566, ru)).toBe('1\u00a0235,566');
    // Not more than seven: a Double's noise beyond them is not shown.
    expect(formatValue(precise, 1234.5671234)).toBe('1,234.567');
    // A Float32 value reads as it was meant (12.35f arrives as 12.350000381469727).
    expect(formatValue(level, Math.fround(12.35))).toBe('12.35');
  });

  it('writes very large magnitudes in engineering notation, not 17 grouped digits', () => {
    expect(formatValue(large, 1.2345671e12)).toBe('1.234567E12');
    expect(formatValue(large, 1.2345769e12)).toBe('1.234577E12');
    // An integer type is exact, grouped.
    expect(formatValue({ ...large, dataType: 'Int64' }, 123456789012)).toBe('123,456,789,012');
  });
});

describe('discrete states typed as numbers (O5)', () => {
  const esd: TagInfo = { ...hls, name: 'Area2.ESD.Tripped', role: 'esd' };

  it('shows a Byte/Int ESD or switch 1 as TRIPPED in alarm colour, 0 as NORMAL, as a Boolean', () => {
    for (const dataType of ['Byte', 'Int32', 'UInt16', null]) {
      expect(viewOf({ ...esd, dataType }, lv(1), up)).toMatchObject({ text: 'TRIPPED', abnormal: true, state: true });
      expect(viewOf({ ...esd, dataType }, lv(0), up)).toMatchObject({ text: 'NORMAL', abnormal: false, state: false });
      expect(viewOf({ ...hls, dataType }, lv(1), up)).toMatchObject({ text: 'TRIPPED', abnormal: true });
    }
  });

  it('shows a numeric pump state as RUNNING / STOPPED, other discrete tags as ON / OFF', () => {
    const pump: TagInfo = { ...hls, role: 'pump', dataType: 'Int16' };
    expect(viewOf(pump, lv(1), up)).toMatchObject({ text: 'RUNNING', abnormal: false, state: true });
    expect(viewOf(pump, lv(0), up)).toMatchObject({ text: 'STOPPED', state: false });
    expect(formatValue({ ...hls, role: 'other', dataType: 'Byte' }, 1)).toBe('ON');
    expect(formatValue({ ...hls, role: 'other', dataType: 'Byte' }, 0)).toBe('OFF');
    expect(formatValue(pump, 0, { t: (k, p) => new Translator('ru').t(k, p), fmt: new Formats('ru', 'UTC') })).toBe('СТОП');
  });

  it('an enumeration value other than 0/1 counts as set, as a state alarm with when: true reads it, and keeps its number', () => {
    expect(viewOf(esd, lv(2), up)).toMatchObject({ text: 'TRIPPED (2)', abnormal: true, state: true });
  });

  it('a bad numeric state is not abnormal, as a bad Boolean is not', () => {
    expect(viewOf(esd, lv(1, 0x808c0000), up)).toMatchObject({ abnormal: false, state: null });
  });
});

describe('overridden and clamped values are marked on the value (O7)', () => {
  it('marks a forced value GoodLocalOverride with OVERRIDE', () => {
    const v = viewOf(level, lv(5, 0x00960000), up);
    expect(v).toMatchObject({ quality: 'good', badge: 'OVERRIDE', badgeText: 'OVERRIDE', text: '5.00', number: 5 });
    expect(v.detail).toMatch(/GoodLocalOverride \(0x00960000\)/);
  });

  it('marks the Part 4 limit bits: LIMIT HI, LIMIT LO, CONST', () => {
    expect(viewOf(level, lv(20, 0x00000600), up)).toMatchObject({ quality: 'good', badge: 'LIMIT_HI', badgeText: 'LIMIT HI' });
    expect(viewOf(level, lv(0, 0x00000500), up)).toMatchObject({ badge: 'LIMIT_LO', badgeText: 'LIMIT LO' });
    expect(viewOf(level, lv(7, 0x00000700), up)).toMatchObject({ badge: 'CONST', badgeText: 'CONST' });
    expect(viewOf(level, lv(20, 0x00000600), up).detail).toMatch(/Good, LimitHigh \(0x00000600\)/);
    // Limit bits count only with InfoType DataValue (bits 10-11 = 01).
    expect(viewOf(level, lv(20, 0x00000200), up).badge).toBeNull();
  });

  it('an uncertain clamped value keeps its "?" and adds the limit', () => {
    expect(viewOf(level, lv(21, 0x40940600), up)).toMatchObject({ quality: 'uncertain', badge: 'uncertain', badgeText: '? LIMIT HI' });
  });

  it('the marks in Russian and Chinese come from the catalog', () => {
    const ruLang: Lang = { t: (k, p) => new Translator('ru').t(k, p), fmt: new Formats('ru', 'UTC') };
    const zhLang: Lang = { t: (k, p) => new Translator('zh').t(k, p), fmt: new Formats('zh', 'UTC') };
    expect(viewOf(level, lv(5, 0x00960000), up, ruLang).badgeText).toBe('ФОРС');
    expect(viewOf(level, lv(5, 0x00960000), up, zhLang).badgeText).toBe('强制');
  });
});

describe("alarm values, limits and gauge labels read as the tag's values do", () => {
  const ru: Lang = { t: (k, p) => new Translator('ru').t(k, p), fmt: new Formats('ru', 'UTC') };
  const small: TagInfo = { ...level, unit: 'mol/L', range: [0, 5e-9] };
  const precise: TagInfo = { ...level, unit: 'kg/h', range: [1000, 3000] };

  it('an alarm value keeps seven significant digits and its unit (1,234.567 did not read 1,235)', () => {
    expect(quantityText(precise, 1234.567, 'kg/h')).toBe('1,234.567\u202fkg/h');
    expect(quantityText(precise, 1235.566, 'kg/h', ru)).toBe('1\u00a0235,566\u202fkg/h');
  });

  it('a tiny or huge limit reads in engineering notation, not as 0.00000000123', () => {
    expect(quantityText(small, 1.23e-9, 'mol/L')).toBe('1.23E-9\u202fmol/L');
    expect(quantityText({ ...level, range: [0, 2e12] }, 1.5e12, '')).toBe('1.5E12');
  });

  it('a value of a tag no longer configured reads by its own digits', () => {
    expect(quantityText(NO_RULES, 12.3456, 'bar')).toBe('12.3456\u202fbar');
    expect(quantityText(NO_RULES, 40, '')).toBe('40');
  });

  it('a gauge labels its range ends with fewer decimals, tiny and huge ends in engineering notation', () => {
    expect(rangeEndText([0, 20], 20)).toBe('20');
    expect(rangeEndText([0, 2], 1.5)).toBe('1.5');
    expect(rangeEndText([0, 5e-9], 5e-9)).toBe('5E-9');
    expect(rangeEndText([0, 5e-9], 0)).toBe('0');
    expect(rangeEndText([0, 2e12], 2e12, ru)).toBe('2E12');
  });
});
