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
import { statusCodeNamed, type StatusCode } from '../status.js';

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
