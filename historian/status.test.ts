/**
 * The one table of status codes and the helpers on them. Codes and bits against node-opcua's
 * generated table (from the OPC Foundation's StatusCode.csv) and extraStatusCodeBits; the helpers
 * against the bit layout of Part 4 §7.39 and Part 11 §6.3.2, with literal codes.
 */
import { describe, expect, it } from 'vitest';
import { StatusCodes, extraStatusCodeBits } from 'node-opcua';
import * as status from './status.js';
import { archivedStatusOf, codeOf, isBad, isGood, isNoLiveData, isUncertain, severity, withHistorianBits } from './status.js';

// node-opcua's generated table (from the OPC Foundation's StatusCode.csv) is the independent source.
describe('status codes', () => {
  const named = Object.entries(status).filter(([name, v]) => typeof v === 'number' && /^(Good|Uncertain|Bad)[A-Z]/.test(name));

  it('every named code equals the OPC Foundation value', () => {
    expect(named.length).toBeGreaterThan(15);
    for (const [name, code] of named) {
      const reference = (StatusCodes as unknown as Record<string, { value: number } | undefined>)[name];
      expect(reference, name).toBeDefined();
      expect((code as number) >>> 0, name).toBe(reference!.value >>> 0);
    }
  });

  it('names every code the OPC Foundation names, as it names them', () => {
    const reference = Object.entries(StatusCodes as unknown as Record<string, { name?: string; value?: number }>)
      .filter(([name, c]) => typeof c?.value === 'number' && c.name === name && (c.value & 0xffff) === 0);
    expect(reference.length).toBeGreaterThan(250);
    for (const [name, c] of reference) expect(status.statusNameOf(c.value! >>> 0), name).toBe(name);
  });

  it('the bare severities, InfoType and historian bits equal the standard ones', () => {
    expect([status.Good, status.Uncertain, status.Bad]).toEqual([StatusCodes.Good.value, StatusCodes.Uncertain.value, StatusCodes.Bad.value]);
    const bits = extraStatusCodeBits as Record<string, number>;
    for (const name of ['InfoTypeDataValue', 'HistorianCalculated', 'HistorianInterpolated', 'HistorianPartial', 'HistorianExtraData', 'HistorianMultiValue']) {
      expect((status as unknown as Record<string, number>)[name], name).toBe(bits[name]);
    }
    expect(status.HistorianRaw).toBe(0); // Part 11 §6.3.2: neither Calculated nor Interpolated
  });

  it('names a code whatever its info bits, and parses names in any case', () => {
    expect(status.statusNameOf(0x808c0000)).toBe('BadSensorFailure');
    expect(status.statusNameOf(0x808c0400 | 0x2)).toBe('BadSensorFailure');
    expect(status.statusNameOf(0x80ff0000)).toBeNull();
    // Codes Vigil does not give itself but a server may send (Part 6 StatusCode.csv): named too, not "Bad".
    expect(status.statusNameOf(0x80db0400)).toBe('BadTooManyMonitoredItems');
    expect(status.statusNameOf(0x80100000)).toBe('BadTooManyOperations');
    expect(status.statusNameOf(0x40a40000)).toBe('UncertainDataSubNormal');
    expect(status.statusCodeNamed('BadSessionIdInvalid')).toBe(0x80250000);
    expect(status.statusCodeNamed('badnocommunication')).toBe(0x80310000);
    expect(status.statusHex(0x80310000)).toBe('0x80310000');
  });
});

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
    // What the source said beside the code stays (Part 4 §7.39.1): Overflow with InfoType DataValue, SemanticsChanged, StructureChanged.
    expect(withHistorianBits(0x00000480, 0x0)).toBe(0x00000480); // Good, Overflow
    expect(withHistorianBits(0x00000080, 0x0)).toBe(0x00000400); // bit 7 without InfoType DataValue means nothing
    expect(withHistorianBits(0x00004000, 0x0)).toBe(0x00004400); // Good, SemanticsChanged
    expect(withHistorianBits(0x40908000, 0x1)).toBe(0x40908401); // UncertainLastUsableValue, StructureChanged, Calculated
    expect(withHistorianBits(0x80000000, 0xff)).toBe(0x8000041f); // only bits 0-4
  });

  it('withHistorianBits keeps the limit bits (8-9) and Overflow (7) of a DataValue status, and only those of one', () => {
    expect(withHistorianBits(0x00000600, 0x0)).toBe(0x00000600); // Good, High limit, Raw
    expect(withHistorianBits(0x40a40500, 0x1)).toBe(0x40a40501); // UncertainDataSubNormal, Low limit, Calculated
    expect(withHistorianBits(0x00000780, 0x0)).toBe(0x00000780); // Constant; Overflow (7) kept: values were lost before this one
    expect(withHistorianBits(0x00000300, 0x0)).toBe(0x00000400); // InfoType NotUsed: bits 8-9 mean nothing
  });

  it('archivedStatusOf drops what a read adds (InfoType DataValue alone, historian bits 0-4) and keeps what the source said', () => {
    expect(archivedStatusOf(0x00000400)).toBe(0x00000000); // an export's Good: Raw, InfoType DataValue
    expect(archivedStatusOf(0x808c0402)).toBe(0x808c0000); // BadSensorFailure, Interpolated
    expect(archivedStatusOf(0x40a4041f)).toBe(0x40a40000); // every historian bit
    expect(archivedStatusOf(0x00000600)).toBe(0x00000600); // High limit: needs its InfoType
    expect(archivedStatusOf(0x00000581)).toBe(0x00000580); // Low limit, Overflow; Calculated dropped
    expect(archivedStatusOf(0x00004401)).toBe(0x00004000); // SemanticsChanged
    expect(archivedStatusOf(0x808c0000)).toBe(0x808c0000);
  });
});

describe('no live data', () => {
  // Part 4 §7.39: these say the source was not heard from (or stopped updating: LastUsableValue), not that it measured badly.
  it('lost or not yet established communication, and the last usable (stale) value, whatever the info bits', () => {
    for (const name of ['BadNoCommunication', 'BadNotConnected', 'BadWaitingForInitialData', 'BadCommunicationError', 'UncertainNoCommunicationLastUsableValue', 'UncertainLastUsableValue']) {
      const code = (StatusCodes as unknown as Record<string, { value: number }>)[name]!.value >>> 0;
      expect(isNoLiveData(code), name).toBe(true);
      expect(isNoLiveData((code | 0x400 | 0x1) >>> 0), `${name} with info bits`).toBe(true);
    }
  });

  it('not a good value, nor a value the source reports as bad or inaccurate', () => {
    for (const name of ['Good', 'GoodNoData', 'BadSensorFailure', 'BadConfigurationError', 'UncertainSensorNotAccurate', 'Uncertain', 'Bad']) {
      expect(isNoLiveData((StatusCodes as unknown as Record<string, { value: number }>)[name]!.value >>> 0), name).toBe(false);
    }
  });
});
