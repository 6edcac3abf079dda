/**
 * Every status code Vigil writes or names, checked against node-opcua's StatusCodes (generated
 * from the OPC UA specification's StatusCode.csv) and extraStatusCodeBits (Part 4 §7.39, Part 11
 * historian bits): the one independent anchor for the constants the other tests use.
 */
import { StatusCodes, extraStatusCodeBits } from 'node-opcua';
import { describe, expect, it } from 'vitest';
import * as historianStatus from '../../historian/status.js';
import { badBadgeOf, statusText } from './quality.js';

const standard = (name: string): number | undefined =>
  (StatusCodes as unknown as Record<string, { value: number } | undefined>)[name]?.value ??
  (extraStatusCodeBits as Record<string, number | undefined>)[name];

const hex = (v: number) => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

describe('status codes against the OPC UA specification (node-opcua)', () => {
  it('every code and bit historian/status.ts exports has the standard value of its name', () => {
    const numbers = Object.entries(historianStatus).filter(([, v]) => typeof v === 'number') as [string, number][];
    expect(numbers.length).toBeGreaterThan(15);
    // HistorianRaw is the absence of the Calculated/Interpolated bits (Part 11 §6.3.2: 00 = Raw).
    const wrong = numbers
      .map(([name, value]) => ({ name, value: hex(value), standard: name === 'HistorianRaw' ? hex(0) : hex(standard(name) ?? NaN) }))
      .filter((c) => c.value !== c.standard);
    expect(wrong).toEqual([]);
  });

  it('statusText names each code the console names by its standard value', () => {
    const names = [
      'Good', 'GoodNoData', 'Uncertain', 'UncertainLastUsableValue', 'UncertainSensorNotAccurate',
      'UncertainEngineeringUnitsExceeded', 'UncertainSubNormal', 'UncertainNoCommunicationLastUsableValue',
      'UncertainDataSubNormal', 'Bad', 'BadUnexpectedError', 'BadInternalError', 'BadCommunicationError',
      'BadNoCommunication', 'BadWaitingForInitialData', 'BadNodeIdUnknown', 'BadConfigurationError',
      'BadNotConnected', 'BadDeviceFailure', 'BadSensorFailure', 'BadOutOfService', 'BadNoData',
    ];
    const got = names.map((name) => statusText(standard(name)!));
    expect(got).toEqual(names.map((name) => `${name} (${hex(standard(name)!)})`));
  });

  it('the COMM and SENSOR badges go with the standard communication and sensor codes', () => {
    expect(badBadgeOf(StatusCodes.BadNoCommunication.value)).toBe('COMM');
    expect(badBadgeOf(StatusCodes.BadCommunicationError.value)).toBe('COMM');
    expect(badBadgeOf(StatusCodes.BadSensorFailure.value)).toBe('SENSOR');
    for (const other of ['BadDeviceFailure', 'BadNotConnected', 'BadConfigurationError', 'BadNoData', 'BadOutOfService']) {
      expect(badBadgeOf(standard(other)!), other).toBe('BAD');
    }
    expect(badBadgeOf(StatusCodes.UncertainLastUsableValue.value)).toBeNull();
  });
});
