import { describe, expect, it } from 'vitest';
import { BadSensorFailure, UncertainLastUsableValue, withHistorianBits, HistorianInterpolated } from '../status.js';
import { parseStatus, statusHex, statusName } from './status-text.js';

describe('status text', () => {
  it('parses names, severities, decimal and hex', () => {
    expect(parseStatus('')).toBe(0);
    expect(parseStatus('Good')).toBe(0);
    expect(parseStatus('bad')).toBe(0x80000000);
    expect(parseStatus('Uncertain')).toBe(0x40000000);
    expect(parseStatus('BadSensorFailure')).toBe(BadSensorFailure);
    expect(parseStatus('0x808C0000')).toBe(BadSensorFailure);
    expect(parseStatus(String(BadSensorFailure))).toBe(BadSensorFailure);
    expect(parseStatus('4294967296')).toBeUndefined();
    expect(parseStatus('Broken')).toBeUndefined();
    expect(parseStatus('-1')).toBeUndefined();
  });
  it('names a status by its code and writes hex that parses back', () => {
    const s = withHistorianBits(UncertainLastUsableValue, HistorianInterpolated);
    expect(statusName(s)).toBe('UncertainLastUsableValue');
    expect(statusName(0x80ab0000)).toBe('Bad');
    expect(statusName(0)).toBe('Good');
    expect(parseStatus(statusHex(s))).toBe(s);
    expect(statusHex(BadSensorFailure)).toBe('0x808C0000');
  });
});
