/**
 * How the console shows a status: quality from the severity bits and the
 * badge an operator reads at a glance. The codes themselves come from
 * historian/status.ts, the one table of OPC UA status codes in Vigil.
 */
import {
  BadAttributeIdInvalid, BadCommunicationError, BadConfigurationError, BadDeadbandFilterInvalid, BadFilterNotAllowed,
  BadMonitoredItemFilterUnsupported, BadNoCommunication, BadNodeIdInvalid, BadNodeIdUnknown, BadNotConnected, BadNotReadable,
  BadOutOfRange, BadSensorFailure, BadTypeMismatch, BadUserAccessDenied, BadWaitingForInitialData, codeOf, severity, statusHex,
  statusNameOf,
} from '../../historian/status.js';

export { statusHex };

export type Quality = 'good' | 'uncertain' | 'bad';

/** Short text shown beside a bad value; the operator reads the cause at a glance. */
export type BadBadge = 'COMM' | 'SENSOR' | 'CONFIG' | 'WAIT' | 'BAD';

export const qualityOf: (status: number) => Quality = severity;

/** The status without InfoType and info bits (low 16 bits): what identifies the condition. */
export const conditionOf = codeOf;

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

/** "BadSensorFailure (0x808C0000)"; unknown codes by severity and hex. */
export function statusText(status: number): string {
  const hex = statusHex(status);
  const name = statusNameOf(status);
  if (name) return `${name} (${hex})`;
  const q = qualityOf(status);
  return `${q[0]!.toUpperCase()}${q.slice(1)} (${hex})`;
}
