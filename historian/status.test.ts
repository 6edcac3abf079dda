/**
 * The StatusCode helpers against OPC UA Part 4 §7.39 (bit layout) and Part 11 §6.3.2 (historian
 * bits), with literal codes. app/shared/status-codes.test.ts checks every exported constant
 * against node-opcua's StatusCodes.
 */
import { describe, expect, it } from 'vitest';
import { codeOf, isBad, isGood, isUncertain, severity, withHistorianBits } from './status.js';

describe('status helpers', () => {
  it('severity is bits 30-31: 00 good, 01 uncertain, 10 and 11 bad', () => {
    expect([0x00000000, 0x00a50000, 0x40900000, 0x808c0000, 0xc0000000].map(severity)).toEqual(['good', 'good', 'uncertain', 'bad', 'bad']);
    expect([isGood(0x00a50000), isUncertain(0x40a40000), isBad(0x80310000), isBad(0x40000000), isGood(0x40000000)]).toEqual([true, true, true, false, false]);
  });

  it('codeOf keeps severity and sub-code (bits 16-31) and drops InfoType and info bits', () => {
    expect(codeOf(0x808c0401)).toBe(0x808c0000);
    expect(codeOf(0x4090041f)).toBe(0x40900000);
    expect(codeOf(0xffffffff)).toBe(0xffff0000);
  });

  it('withHistorianBits sets InfoType DataValue (0x400) and the 5 historian bits, replacing any before', () => {
    expect(withHistorianBits(0x00000000, 0x1)).toBe(0x00000401); // Good, Calculated
    expect(withHistorianBits(0x40a40000, 0x2 | 0x4)).toBe(0x40a40406); // UncertainDataSubNormal, Interpolated, Partial
    expect(withHistorianBits(0x808c0413, 0x0)).toBe(0x808c0400); // Raw: the bits of a previous read are gone
    expect(withHistorianBits(0x80000000, 0xff)).toBe(0x8000041f); // only bits 0-4
  });
});
