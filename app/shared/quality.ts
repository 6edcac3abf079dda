/**
 * Quality of a value from its OPC UA StatusCode (Part 4 §7.39): severity is
 * bits 30-31 (00 good, 01 uncertain, 10/11 bad). Pure, shared by the station
 * and the renderer so both name a condition the same way.
 */

export type Quality = 'good' | 'uncertain' | 'bad';

/** Short text shown beside a bad value; the operator reads the cause at a glance. */
export type BadBadge = 'COMM' | 'SENSOR' | 'BAD';

export function qualityOf(status: number): Quality {
  const severity = status >>> 30;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

/** The status without InfoType and info bits (low 16 bits): what identifies the condition. */
export function conditionOf(status: number): number {
  return (status & 0xffff0000) >>> 0;
}

const COMM_CODES = new Set([0x80310000 /* BadNoCommunication */, 0x80050000 /* BadCommunicationError */]);
const SENSOR_CODES = new Set([0x808c0000 /* BadSensorFailure */]);

/** Badge for a bad status; null when the status is not bad. */
export function badBadgeOf(status: number): BadBadge | null {
  if (qualityOf(status) !== 'bad') return null;
  const code = conditionOf(status);
  if (COMM_CODES.has(code)) return 'COMM';
  if (SENSOR_CODES.has(code)) return 'SENSOR';
  return 'BAD';
}

/** Names of the codes a control room meets most; others are shown in hex. */
const NAMES: ReadonlyMap<number, string> = new Map([
  [0x00000000, 'Good'],
  [0x00a50000, 'GoodNoData'],
  [0x40000000, 'Uncertain'],
  [0x40900000, 'UncertainLastUsableValue'],
  [0x40930000, 'UncertainSensorNotAccurate'],
  [0x40940000, 'UncertainEngineeringUnitsExceeded'],
  [0x40950000, 'UncertainSubNormal'],
  [0x408f0000, 'UncertainNoCommunicationLastUsableValue'],
  [0x40a40000, 'UncertainDataSubNormal'],
  [0x80000000, 'Bad'],
  [0x80010000, 'BadUnexpectedError'],
  [0x80020000, 'BadInternalError'],
  [0x80050000, 'BadCommunicationError'],
  [0x80310000, 'BadNoCommunication'],
  [0x80320000, 'BadWaitingForInitialData'],
  [0x80340000, 'BadNodeIdUnknown'],
  [0x80890000, 'BadConfigurationError'],
  [0x808a0000, 'BadNotConnected'],
  [0x808b0000, 'BadDeviceFailure'],
  [0x808c0000, 'BadSensorFailure'],
  [0x808d0000, 'BadOutOfService'],
  [0x809b0000, 'BadNoData'],
]);

export function statusHex(status: number): string {
  return '0x' + (status >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** "BadSensorFailure (0x808C0000)"; unknown codes by severity and hex. */
export function statusText(status: number): string {
  const name = NAMES.get(conditionOf(status));
  const hex = statusHex(status);
  if (name) return `${name} (${hex})`;
  const q = qualityOf(status);
  return `${q[0].toUpperCase()}${q.slice(1)} (${hex})`;
}
