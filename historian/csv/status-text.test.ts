import { describe, expect, it } from 'vitest';
import { parseStatus, statusHex, statusName } from './status-text.js';

// OPC UA Part 4 literals (Opc.Ua.StatusCodes.csv; §7.39 for the info bits), not historian/status.ts.
const BadSensorFailure = 0x808c0000;
const UncertainLastUsableValue = 0x40900000;
/** InfoType DataValue (0x400) with the Part 11 Interpolated bits (0x2). */
const interpolated = (code: number) => (code | 0x400 | 0x2) >>> 0;

describe('status text', () => {
  it('parses names, severities, decimal and hex', () => {
    expect(parseStatus('')).toBe(0);
    expect(parseStatus('Good')).toBe(0);
    expect(parseStatus('bad')).toBe(0x80000000);
    expect(parseStatus('Uncertain')).toBe(0x40000000);
    expect(parseStatus('BadSensorFailure')).toBe(BadSensorFailure);
    expect(parseStatus('badnocommunication')).toBe(0x80310000);
    expect(parseStatus('UncertainDataSubNormal')).toBe(0x40a40000);
    expect(parseStatus('0x808C0000')).toBe(BadSensorFailure);
    expect(parseStatus(String(BadSensorFailure))).toBe(BadSensorFailure);
    expect(parseStatus('4294967296')).toBeUndefined();
    expect(parseStatus('Broken')).toBeUndefined();
    expect(parseStatus('-1')).toBeUndefined();
  });
  it('names a status by its code and writes hex that parses back', () => {
    const s = interpolated(UncertainLastUsableValue);
    expect(statusName(s)).toBe('UncertainLastUsableValue');
    expect(statusName(0x80ff0000)).toBe('Bad'); // no code OPC UA names: its severity
    expect(statusName(0x80db0000)).toBe('BadTooManyMonitoredItems'); // one Vigil never gives, a server may
    expect(statusName(0)).toBe('Good');
    expect(parseStatus(statusHex(s))).toBe(s);
    expect(statusHex(BadSensorFailure)).toBe('0x808C0000');
  });
});
