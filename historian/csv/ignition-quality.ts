/**
 * Ignition 8 QualityCode names in a quality or status column (a tall tag history export writes
 * Good, Uncertain_LastKnownValue, Bad_Stale...): rejected before, every row of a stale or
 * disconnected tag was lost. A QualityCode is a level (Good, Uncertain, Bad, Error: the top two
 * bits of its 32-bit code) and a name (Ignition 8.1 "Quality Codes and Overlays": "If a value's
 * quality is not Good, the value generally should not be trusted"); the names below are those
 * Ignition 8.1.13 defines (Cirrus Link's table, generated from QualityCode on 8.1.13).
 *
 * Each is read as its level: Error, which OPC UA has no severity for (Part 4 §7.39: 11 reserved),
 * as Bad. Where OPC UA names the same condition (Part 4 §7.39 / Part 8), that code instead:
 * Uncertain_LastKnownValue is UncertainLastUsableValue ("whatever was updating this value has
 * stopped doing so"; OPC DA's LAST_USABLE, Part 8 Table A.61), and the names OPC UA also defines
 * (Good_Overload, Uncertain_InitialValue, Bad_NotConnected, Error_Configuration...) their codes.
 * Any case, as the other quality words are read.
 */
import { Bad, statusCodeNamed, Uncertain, type StatusCode } from '../status.js';
import { daQualityStatus } from './da-quality.js';

/** Ignition name -> the OPC UA status name archived for it. */
const IGNITION_QUALITY: Readonly<Record<string, string>> = {
  Good_Unspecified: 'Good',
  Good_WritePending: 'Good',
  Good_Provisional: 'Good',
  Good_Initial: 'Good',
  Good_Overload: 'GoodOverload',
  Good_Backfill: 'Good',
  Uncertain_LastKnownValue: 'UncertainLastUsableValue',
  Uncertain_InitialValue: 'UncertainInitialValue',
  Uncertain_DataSubNormal: 'UncertainDataSubNormal',
  Uncertain_EngineeringUnitsExceeded: 'UncertainEngineeringUnitsExceeded',
  Uncertain_IncompleteOperation: 'Uncertain',
  Bad_Unauthorized: 'Bad',
  Bad_AccessDenied: 'Bad',
  Bad_Disabled: 'Bad',
  Bad_Stale: 'Bad',
  Bad_TrialExpired: 'Bad',
  Bad_LicenseExceeded: 'Bad',
  Bad_NotFound: 'BadNotFound',
  Bad_ReferenceNotFound: 'Bad',
  Bad_AggregateNotFound: 'Bad',
  Bad_NotConnected: 'BadNotConnected',
  Bad_GatewayCommOff: 'Bad',
  Bad_OutOfRange: 'BadOutOfRange',
  Bad_DatabaseNotConnected: 'Bad',
  Bad_ReadOnly: 'Bad',
  Bad_Failure: 'Bad',
  Bad_Unsupported: 'Bad',
  Error: 'Bad',
  Error_Configuration: 'BadConfigurationError',
  Error_ExpressionEval: 'Bad',
  Error_TagExecution: 'Bad',
  Error_TypeConversion: 'Bad',
  Error_DatabaseQuery: 'Bad',
  Error_IO: 'Bad',
  Error_TimeoutExpired: 'Bad',
  Error_Exception: 'Bad',
  Error_InvalidPathSyntax: 'Bad',
  Error_Formatting: 'Bad',
  Error_ScriptEval: 'Bad',
  Error_CycleDetected: 'Bad',
};

const STATUS_OF = new Map(Object.entries(IGNITION_QUALITY).map(([name, ua]) => {
  const code = statusCodeNamed(ua);
  if (code === undefined) throw new Error(`ignition-quality: ${ua} is no OPC UA status name`);
  return [name.toLowerCase(), code] as const;
}));

/** The status of an Ignition QualityCode name (any case), or undefined when the text is none. */
export function ignitionQuality(text: string): StatusCode | undefined {
  return STATUS_OF.get(text.toLowerCase());
}

/**
 * The subcode (low 16 bits) of each QualityCode name, as Ignition 8.1.13 defines them (Cirrus Link's table,
 * "Understanding and decoding Ignition QualityCodes": Good 192, Uncertain_LastKnownValue 257, Bad_Stale 516,
 * Error_IO 774...). The level is the code's top two bits: 00 Good, 01 Uncertain, 10 Bad, 11 Error.
 */
const SUBCODES: Readonly<Record<number, string>> = {
  0: 'Good_Unspecified', 2: 'Good_WritePending', 192: 'Good', 200: 'Good_Provisional', 201: 'Good_Initial', 202: 'Good_Overload', 203: 'Good_Backfill',
  256: 'Uncertain', 257: 'Uncertain_LastKnownValue', 258: 'Uncertain_InitialValue', 259: 'Uncertain_DataSubNormal',
  260: 'Uncertain_EngineeringUnitsExceeded', 261: 'Uncertain_IncompleteOperation',
  512: 'Bad', 513: 'Bad_Unauthorized', 514: 'Bad_AccessDenied', 515: 'Bad_Disabled', 516: 'Bad_Stale', 517: 'Bad_TrialExpired',
  518: 'Bad_LicenseExceeded', 519: 'Bad_NotFound', 520: 'Bad_ReferenceNotFound', 521: 'Bad_AggregateNotFound', 522: 'Bad_NotConnected',
  523: 'Bad_GatewayCommOff', 524: 'Bad_OutOfRange', 525: 'Bad_DatabaseNotConnected', 526: 'Bad_ReadOnly', 527: 'Bad_Failure', 528: 'Bad_Unsupported',
  768: 'Error', 769: 'Error_Configuration', 770: 'Error_ExpressionEval', 771: 'Error_TagExecution', 772: 'Error_TypeConversion',
  773: 'Error_DatabaseQuery', 774: 'Error_IO', 775: 'Error_TimeoutExpired', 776: 'Error_Exception', 777: 'Error_InvalidPathSyntax',
  778: 'Error_Formatting', 779: 'Error_ScriptEval', 780: 'Error_CycleDetected',
};

/**
 * Ignition's legacy quality integers above a byte (7.9 "Tag Quality and Overlays": Config_Error 300, Comm_Error 301,
 * Access_Denied 403...), which its tag history still stores in dataintegrity (8.1 converts a QualityCode to "an
 * approximately equivalent legacy quality code" before storing it). "192 is Good Quality, anything else is bad"
 * (Ignition Database Table Reference, dataintegrity): Bad, with the OPC UA code of the same meaning where there is one.
 */
const LEGACY: Readonly<Record<number, string>> = {
  300: 'BadConfigurationError', 301: 'BadCommunicationError', 403: 'BadUserAccessDenied', 404: 'BadNotFound',
};

/**
 * An integer quality as Ignition writes it (a tag history's dataintegrity column, a QualityCode's getCode()), or undefined
 * when the cell is no integer of 32 bits:
 * - a full 32-bit QualityCode (negative, or 2^30 and above: Uncertain, Bad and Error levels; -2147483132 Bad_Stale,
 *   1073742081 Uncertain_LastKnownValue): its level, with the code of its subcode's name when that name is of the level;
 * - below 2^30, the legacy codes its historian stores: below 256 the OPC DA quality they are (192 Good, 0 OPC_Bad_Data,
 *   8 OPC_Not_Connected, 64 Uncertain: Part 8 Table A.61), above it Bad (LEGACY). So 0 is Bad, as Ignition's charts
 *   treat a stored 0, not Good_Unspecified: nothing not said Good is archived Good.
 */
export function ignitionQualityNumber(text: string): StatusCode | undefined {
  const t = text.trim();
  if (!/^-?\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  if (n < -(2 ** 31) || n >= 2 ** 32) return undefined;
  if (n >= 0 && n < 2 ** 30) {
    if (n < 256) return daQualityStatus(n);
    return statusCodeNamed(LEGACY[n] ?? 'Bad')!;
  }
  const code = n >>> 0;
  const level = code >>> 30; // 1 Uncertain, 2 Bad, 3 Error (no OPC UA severity: Bad)
  const named = SUBCODES[code & 0xffff];
  const prefix = level === 1 ? 'uncertain' : level === 2 ? 'bad' : 'error';
  if (named !== undefined && named.toLowerCase().startsWith(prefix)) return ignitionQuality(named)!;
  return level === 1 ? Uncertain : Bad;
}

export const IGNITION_EXPECTED = 'an Ignition quality: an integer (192 Good, a legacy code such as 0 or 301, or a 32-bit QualityCode such as -2147483132), ' +
  'a QualityCode name such as Bad_Stale, or an OPC UA status';
