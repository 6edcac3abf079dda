/**
 * What the console shows for the standard codes: statusText's name for each code Vigil names,
 * and the badge, with the codes taken from node-opcua's StatusCodes (generated from the OPC
 * Foundation's StatusCode.csv), not from historian/status.ts, whose table this reads.
 */
import { StatusCodes } from 'node-opcua';
import { describe, expect, it } from 'vitest';
import { badBadgeOf, statusText } from './quality.js';

const standard = (name: string): number => {
  const c = (StatusCodes as unknown as Record<string, { value: number } | undefined>)[name];
  if (!c) throw new Error(`node-opcua has no StatusCodes.${name}`);
  return c.value;
};
const hex = (v: number) => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

describe('status codes on screen', () => {
  it('statusText names each code by its standard value, info bits or not', () => {
    const names = [
      'Good', 'GoodNoData', 'Uncertain', 'UncertainLastUsableValue', 'UncertainSensorNotAccurate',
      'UncertainEngineeringUnitsExceeded', 'UncertainSubNormal', 'UncertainNoCommunicationLastUsableValue',
      'UncertainDataSubNormal', 'Bad', 'BadUnexpectedError', 'BadInternalError', 'BadCommunicationError',
      'BadNoCommunication', 'BadWaitingForInitialData', 'BadNodeIdUnknown', 'BadNotReadable', 'BadTypeMismatch',
      'BadConfigurationError', 'BadNotConnected', 'BadSensorFailure', 'BadOutOfService', 'BadNoData',
      // What foreign servers send for forced values, substitutes and failed devices.
      'GoodLocalOverride', 'GoodClamped', 'UncertainSubstituteValue', 'UncertainInitialValue', 'UncertainSimulatedValue',
      'UncertainSensorCalibration', 'BadDeviceFailure',
    ];
    expect(names.map((n) => statusText(standard(n)))).toEqual(names.map((n) => `${n} (${hex(standard(n))})`));
    const withBits = (standard('BadSensorFailure') | 0x400 | 0x2) >>> 0; // InfoType DataValue, Interpolated
    expect(statusText(withBits)).toBe(`BadSensorFailure (${hex(withBits)})`);
  });

  it('the badge an operator reads for each standard code', () => {
    const badge = (n: string) => badBadgeOf(standard(n));
    expect(['BadNoCommunication', 'BadCommunicationError', 'BadNotConnected'].map(badge)).toEqual(['COMM', 'COMM', 'COMM']);
    expect(badge('BadSensorFailure')).toBe('SENSOR');
    expect(['BadConfigurationError', 'BadTypeMismatch', 'BadNodeIdUnknown', 'BadNotReadable'].map(badge)).toEqual(['CONFIG', 'CONFIG', 'CONFIG', 'CONFIG']);
    expect(badge('BadWaitingForInitialData')).toBe('WAIT');
    expect(['BadDeviceFailure', 'BadOutOfService', 'BadNoData', 'Bad'].map(badge)).toEqual(['BAD', 'BAD', 'BAD', 'BAD']);
    expect(['Good', 'UncertainLastUsableValue', 'UncertainNoCommunicationLastUsableValue'].map(badge)).toEqual([null, null, null]);
  });
});
