/**
 * PI System digital states in value cells ("I/O Timeout", "Shutdown", "No Data", ...): PI writes
 * one of its SYSTEM set instead of a value when there is none to archive, on every point type
 * (AVEVA PI interface manuals, "System Digital State Sets": "if the interface receives bad data
 * from the data source, it writes the system digital state Bad Input to PI instead of a value";
 * AF SDK AFValue.CreateSystemStateValue gives such a value "a Bad status"). So a cell holding one
 * is a Bad sample with the OPC UA code that fits, never a word of the tag (it had made an analog
 * tag text, or stood archived as Good text). "No Data" is no sample at all, as an export's NoData
 * row is. Names as PI's SYSTEM set writes them (codes from the PI API's pidgstat.h), matched exactly:
 * "ERROR" or "Failed" in another case stays a machine state's word.
 */
import { Bad, statusCodeNamed, type StatusCode } from '../status.js';

/** A system state whose row is no sample: PI has no value there (an export's NoData alike). */
export const NO_DATA = 'skip';

/** PI SYSTEM state name -> the OPC UA status name archived for it, and the state's number in the set. */
const PI_SYSTEM_STATES: Readonly<Record<string, readonly [string, number]>> = {
  'Access Denied': ['BadUserAccessDenied', 210],
  'No Sample': ['BadNoData', 211],
  'No Result': ['BadNoData', 212],
  'Unit Down': ['BadOutOfService', 213],
  'Sample Bad': ['Bad', 214],
  'Equip Fail': ['BadDeviceFailure', 215],
  'No Lab Data': ['BadNoData', 216],
  'Bad Lab Data': ['Bad', 219],
  'DCS failed': ['BadDeviceFailure', 233],
  'DCS Failed': ['BadDeviceFailure', 233],
  'Bad Output': ['Bad', 237],
  'Scan Off': ['BadOutOfService', 238],
  'Configure': ['BadConfigurationError', 240],
  'Failed': ['Bad', 241],
  'Error': ['Bad', 242],
  'Calc Off': ['BadOutOfService', 245],
  'I/O Timeout': ['BadCommunicationError', 246], // communication with the remote device failed
  'Set to Bad': ['Bad', 247],
  'Calc Failed': ['Bad', 249],
  'Calc Overflow': ['Bad', 250],
  'Under Range': ['BadOutOfRange', 251],
  'Over Range': ['BadOutOfRange', 252],
  'Pt Created': ['BadWaitingForInitialData', 253], // the point exists, no value yet
  'Shutdown': ['BadOutOfService', 254], // PI or the interface was shut down
  'Bad Input': ['BadSensorFailure', 255], // the source sent bad data
  'Bad Total': ['Bad', 256],
  'Bad Data': ['Bad', 290],
  'Calc Crash': ['Bad', 291],
  'Calc Timeout': ['Bad', 292],
  'Bad Narg': ['Bad', 293],
  'Inp OutRange': ['BadOutOfRange', 294],
  'Not Converge': ['Bad', 295],
  'Substituted': ['Bad', 298], // no value beside it to keep
  'Invalid Data': ['Bad', 299],
  'Scan Timeout': ['BadTimeout', 300],
  'Arc Off-line': ['BadDataUnavailable', 302], // the archive holding the value was not mounted
  'Bad': ['Bad', 307],
  'Doubtful': ['Bad', 308], // no value beside it to keep
  'Wrong Type': ['BadTypeMismatch', 309],
  'Intf Shut': ['BadOutOfService', 311],
  'Out of Serv': ['BadOutOfService', 312],
  'Comm Fail': ['BadNoCommunication', 313],
  'Not Connect': ['BadNotConnected', 314],
  'Coercion Failed': ['BadTypeMismatch', 315],
  'Invalid Float': ['Bad', 316],
};

const NO_DATA_STATES = new Set(['No Data']); // 248: "no archive values for a tag can exist" there (AFSystemStateCode.NoData)

/**
 * The status a value cell's PI system state stands for, NO_DATA for "No Data" (no sample), or
 * undefined when the cell is no system state (trimmed, exact case).
 */
export function piSystemState(cell: string): StatusCode | typeof NO_DATA | undefined {
  const text = cell.trim();
  if (text.length < 3 || text.charCodeAt(0) < 65) return undefined; // a number (the hot path of wide files): no state
  if (NO_DATA_STATES.has(text)) return NO_DATA;
  return STATUS_OF.get(text);
}

const STATUS_OF = new Map(Object.entries(PI_SYSTEM_STATES).map(([state, [name]]) => {
  const code = statusCodeNamed(name);
  if (code === undefined) throw new Error(`pi-states: ${name} is no OPC UA status name`);
  return [state, code] as const;
}));

/** The last number of the SYSTEM set ("reserved for internal Data Archive use", PI Data Archive administration). */
const LAST_SYSTEM_STATE = 16383;

const STATUS_OF_NUMBER = new Map(Object.entries(PI_SYSTEM_STATES).map(([state, [, n]]) => [n, STATUS_OF.get(state)!] as const));

/**
 * A status cell holding a PI API istat of the SYSTEM set (an export of PI API reads: tag, time, value, status):
 * "if istat is negative, the value is taken to be an exact digital state code", the SYSTEM set being set 0, so
 * -248 is No Data and -254 Shutdown (PI-API "Setting the Value of the istat Argument", "Digital States": "if a
 * numeric or string point value is not usable, the point value can be a digital state indicating the nature of
 * the problem"). The status as for the state's name in a value cell, NO_DATA for No Data, Bad for a number of
 * the set without a name here; undefined for any other cell (a digital set's state, -(set * 65536 + offset), is a
 * digital point's value, not a status).
 */
export function piStatusNumber(cell: string): StatusCode | typeof NO_DATA | undefined {
  const m = /^\s*-(\d{1,5})\s*$/.exec(cell);
  const n = m ? Number(m[1]) : 0;
  if (n < 1 || n > LAST_SYSTEM_STATE) return undefined;
  if (n === 248) return NO_DATA;
  return STATUS_OF_NUMBER.get(n) ?? Bad;
}

/** The PI system states read as Bad samples, and the status each is archived with (README, tests). */
export const PI_SYSTEM_STATE_NAMES: ReadonlyMap<string, string> = new Map(Object.entries(PI_SYSTEM_STATES).map(([state, [name]]) => [state, name]));
