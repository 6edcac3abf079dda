import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeOf } from '../../historian/status.js';
import { badBadgeOf, markOf, qualityOf, statusHex, statusText } from './quality.js';

describe('qualityOf', () => {
  it('reads the severity bits', () => {
    expect(qualityOf(0)).toBe('good');
    expect(qualityOf(0x00a50000)).toBe('good'); // GoodNoData
    expect(qualityOf(0x40900000)).toBe('uncertain');
    expect(qualityOf(0x808c0000)).toBe('bad');
    expect(qualityOf(0xc0000000)).toBe('bad'); // reserved severity 11 counts as bad
  });

  it('ignores info bits and agrees with the severity for every uint32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (s) => {
        const q = qualityOf(s);
        expect(qualityOf(codeOf(s) | (s & 0xffff))).toBe(q);
        expect(q === 'good').toBe(s < 0x40000000);
        expect(q === 'bad').toBe(s >= 0x80000000);
      }),
    );
  });
});

describe('badBadgeOf', () => {
  it('names communication and sensor failures', () => {
    expect(badBadgeOf(0x80310000)).toBe('COMM');
    expect(badBadgeOf(0x80050000)).toBe('COMM');
    expect(badBadgeOf(0x808c0000)).toBe('SENSOR');
    expect(badBadgeOf(0x808d0000)).toBe('BAD');
    expect(badBadgeOf(0x80000000)).toBe('BAD');
  });

  it('keeps the badge when historian info bits are set', () => {
    expect(badBadgeOf(0x808c0401)).toBe('SENSOR');
    expect(badBadgeOf(0x80310400)).toBe('COMM');
  });

  it('gives no badge to good or uncertain values', () => {
    expect(badBadgeOf(0)).toBeNull();
    expect(badBadgeOf(0x40900000)).toBeNull();
  });
});

describe('statusText', () => {
  it('names known codes with their hex', () => {
    expect(statusText(0x808c0000)).toBe('BadSensorFailure (0x808C0000)');
    expect(statusText(0)).toBe('Good (0x00000000)');
  });

  it('falls back to the severity for unknown codes', () => {
    // 0x80FF0000: no code OPC UA names (0x80AB0000 is BadInvalidArgument, named now).
    expect(statusText(0x80ff0000)).toBe('Bad (0x80FF0000)');
    expect(statusText(0x80ab0000)).toBe('BadInvalidArgument (0x80AB0000)');
    expect(statusText(0x40ab0000)).toBe('Uncertain (0x40AB0000)');
    expect(statusHex(5)).toBe('0x00000005');
  });
});

describe('markOf: forced and limited values (OPC UA Part 4 §7.39)', () => {
  it('GoodLocalOverride is OVERRIDE; LimitBits 01/10/11 with InfoType DataValue are LIMIT_LO/LIMIT_HI/CONST', () => {
    expect(markOf(0x00960000)).toBe('OVERRIDE');
    expect(markOf(0x00000500)).toBe('LIMIT_LO');
    expect(markOf(0x00000600)).toBe('LIMIT_HI');
    expect(markOf(0x00000700)).toBe('CONST');
    expect(markOf(0x40940600)).toBe('LIMIT_HI');
    expect(markOf(0)).toBeNull();
    expect(markOf(0x00000401)).toBeNull(); // historian bits only
    expect(markOf(0x00000300)).toBeNull(); // InfoType not DataValue: the bits mean nothing
  });

  it('statusText names the limit beside the code', () => {
    expect(statusText(0x00000600)).toBe('Good, LimitHigh (0x00000600)');
    expect(statusText(0x40940500)).toBe('UncertainEngineeringUnitsExceeded, LimitLow (0x40940500)');
    expect(statusText(0x00960000)).toBe('GoodLocalOverride (0x00960000)');
  });

  it('statusText names the info bits Part 4 §7.39 defines: Overflow (with InfoType DataValue), SemanticsChanged, StructureChanged', () => {
    expect(statusText(0x00000480)).toBe('Good, Overflow (0x00000480)');
    expect(statusText(0x00000080)).toBe('Good (0x00000080)'); // InfoType not DataValue: bit 7 means nothing
    expect(statusText(0x00004000)).toBe('Good, SemanticsChanged (0x00004000)');
    expect(statusText(0x808C8680)).toBe('BadSensorFailure, LimitHigh, Overflow, StructureChanged (0x808C8680)');
  });
});
