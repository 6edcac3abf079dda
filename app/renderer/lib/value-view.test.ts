import { describe, expect, it } from 'vitest';
import type { LiveValue, ServerState, TagInfo } from '../../shared/api.js';
import { formatValue, viewOf, type Lang, type Liveness } from './value-view.js';
import { Formats, Translator } from '../../shared/i18n/index.js';

const level: TagInfo = {
  name: 'Area1.TK101.Level', description: 'Tank 101 level', unit: 'm', range: [0, 20], kind: 'analog',
  area: 'Area1', equipment: 'TK101', role: 'level', server: 'sim', nodeId: 'ns=1;s=Area1.TK101.Level', decimals: null, dataType: null,
};
const hls: TagInfo = { ...level, name: 'Area1.TK101.HighLevelSwitch', unit: '', range: null, kind: 'discrete', role: 'highLevelSwitch' };
const server: ServerState = { id: 'sim', endpoint: 'opc.tcp://127.0.0.1:4840/vigil', state: 'connected', since: 0, lastError: null };
const up: Liveness = { link: 'connected', server };
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
  it('shows integers without decimals where no range or data type says otherwise (issue 6.15)', () => {
    const counter: TagInfo = { ...level, range: null, unit: '' };
    expect(formatValue(counter, 100009)).toBe('100,009');
    expect(formatValue(counter, 2.5)).toBe('2.50');
    expect(formatValue({ ...level, dataType: 'Int32' }, 12)).toBe('12');
    expect(formatValue({ ...level, decimals: 1 }, 12.34)).toBe('12.3');
  });

  it('writes numbers and words in the console language', () => {
    const ru: Lang = { t: (k, p) => new Translator('ru').t(k, p), fmt: new Formats('ru', 'UTC') };
    expect(formatValue({ ...level, range: [0, 10000] }, 12345.6, ru)).toBe('12\u00a0346');
    expect(formatValue({ ...level, range: [0, 20] }, 5.25, ru)).toBe('5,25');
  });

  it('picks decimals from the span and words for discrete roles', () => {
    expect(formatValue({ ...level, range: [0, 100] }, 45.25)).toBe('45.3');
    expect(formatValue({ ...level, range: [0, 1000] }, 512.7)).toBe('513');
    expect(formatValue({ ...level, range: [0, 1] }, 0.5)).toBe('0.500');
    expect(formatValue({ ...hls, role: 'pump' }, true)).toBe('RUNNING');
    expect(formatValue({ ...hls, role: 'pump' }, false)).toBe('STOPPED');
    expect(formatValue({ ...hls, role: 'other' }, true)).toBe('ON');
    expect(formatValue(level, null)).toBe('—');
    expect(formatValue({ ...level, kind: 'text' }, 'Ethanol')).toBe('Ethanol');
  });
});
