/**
 * How the console shows a status: quality from the severity bits and the
 * badge an operator reads at a glance. The codes themselves come from
 * historian/status.ts, the one table of OPC UA status codes in Vigil.
 */
import {
  BadAttributeIdInvalid, BadCommunicationError, BadConfigurationError, BadDeadbandFilterInvalid, BadFilterNotAllowed,
  BadMonitoredItemFilterUnsupported, BadNoCommunication, BadNodeIdInvalid, BadNodeIdUnknown, BadNotConnected, BadNotReadable,
  BadOutOfRange, BadSensorFailure, BadTypeMismatch, BadUserAccessDenied, BadWaitingForInitialData, codeOf, GoodLocalOverride,
  InfoTypeDataValue, Overflow, SemanticsChanged, severity, statusHex, statusNameOf, StructureChanged,
} from '../../historian/status.js';

export { statusHex };

export type Quality = 'good' | 'uncertain' | 'bad';

/** Short text shown beside a bad value; the operator reads the cause at a glance. */
export type BadBadge = 'COMM' | 'SENSOR' | 'CONFIG' | 'WAIT' | 'BAD';

export const qualityOf: (status: number) => Quality = severity;

const BADGES: ReadonlyMap<number, BadBadge> = new Map([
  [BadNoCommunication, 'COMM'],
  [BadCommunicationError, 'COMM'],
  [BadNotConnected, 'COMM'],
  [BadSensorFailure, 'SENSOR'],
  [BadConfigurationError, 'CONFIG'],
  [BadTypeMismatch, 'CONFIG'],
  [BadNodeIdUnknown, 'CONFIG'],
  [BadNotReadable, 'CONFIG'],
  [BadNodeIdInvalid, 'CONFIG'],
  [BadAttributeIdInvalid, 'CONFIG'],
  [BadUserAccessDenied, 'CONFIG'],
  [BadMonitoredItemFilterUnsupported, 'CONFIG'],
  [BadFilterNotAllowed, 'CONFIG'],
  [BadDeadbandFilterInvalid, 'CONFIG'],
  // NaN or ±Infinity from the instrument: the reading is junk, as with a failed sensor.
  [BadOutOfRange, 'SENSOR'],
  [BadWaitingForInitialData, 'WAIT'],
]);

/** Badge for a bad status; null when the status is not bad. */
export function badBadgeOf(status: number): BadBadge | null {
  if (qualityOf(status) !== 'bad') return null;
  return BADGES.get(codeOf(status)) ?? 'BAD';
}

/**
 * A value that is not simply what the process measures, whatever its quality: forced at the
 * source (GoodLocalOverride), or pegged at a limit of its range or not moving (OPC UA Part 4
 * §7.39 LimitBits, bits 8-9, valid when InfoType, bits 10-11, is DataValue).
 */
export type ValueMark = 'OVERRIDE' | 'LIMIT_LO' | 'LIMIT_HI' | 'CONST';

const LIMITS = [null, 'LIMIT_LO', 'LIMIT_HI', 'CONST'] as const;
const LIMIT_NAMES = [null, 'LimitLow', 'LimitHigh', 'LimitConstant'] as const;

function limitBits(status: number): number {
  return (status & 0xc00) === InfoTypeDataValue ? (status >>> 8) & 3 : 0;
}

/** The mark of a value's status; null when it has none. */
export function markOf(status: number): ValueMark | null {
  if (codeOf(status) === GoodLocalOverride) return 'OVERRIDE';
  return LIMITS[limitBits(status)]!;
}

/**
 * "BadSensorFailure (0x808C0000)", "Good, LimitHigh (0x00000600)", "Good, Overflow (0x00000480)";
 * unknown codes by severity and hex. The info bits are named as Part 4 §7.39 names them.
 */
export function statusText(status: number): string {
  const hex = statusHex(status);
  const q = qualityOf(status);
  const name = statusNameOf(status) ?? `${q[0]!.toUpperCase()}${q.slice(1)}`;
  const bits = [
    LIMIT_NAMES[limitBits(status)],
    (status & 0xc00) === InfoTypeDataValue && status & Overflow ? 'Overflow' : null,
    status & SemanticsChanged ? 'SemanticsChanged' : null,
    status & StructureChanged ? 'StructureChanged' : null,
  ].filter((b) => b !== null);
  return `${[name, ...bits].join(', ')} (${hex})`;
}
