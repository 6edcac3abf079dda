/**
 * OPC DA (classic) qualities as OPC UA status codes: the quality byte QQSSSSLL (quality, sub-status,
 * limit; the high byte is the vendor's, discarded) mapped as OPC UA Part 8 Annex A.3.2.3 says the COM
 * UA wrapper maps it (Table A.61: COMM_FAILURE Bad_NoCommunication, NOT_CONNECTED Bad_NotConnected,
 * LAST_USABLE Uncertain_LastUsableValue, LOCAL_OVERRIDE Good_LocalOverride, LAST_KNOWN and
 * OUT_OF_SERVICE Bad_OutOfService...; the limit to the limit bits).
 *
 * DA-era tools export the quality as text too, the DA specification's words for it: "Good", "Bad,
 * Comm Failure", "Bad - Comm Failure", "Bad: Not Connected", "Uncertain: Last Usable", "Good, Local
 * Override", "Bad, Not Connected, Low Limited", "Good (Non-specific)", or opcda.h's constant names
 * (OPC_QUALITY_COMM_FAILURE). Rejected before, every row of a disconnected tag was lost.
 */
import { InfoTypeDataValue, statusCodeNamed, type StatusCode } from '../status.js';

/** OPC DA quality and sub-status (the byte without its limit bits) -> the OPC UA code of Part 8 Table A.61 (COM UA wrapper). */
const DA_SUBSTATUS: Record<number, string> = {
  0x04: 'BadConfigurationError',
  0x08: 'BadNotConnected',
  0x0c: 'BadDeviceFailure',
  0x10: 'BadSensorFailure',
  0x14: 'BadOutOfService', // LAST_KNOWN, as Table A.61 maps it
  0x18: 'BadNoCommunication',
  0x1c: 'BadOutOfService',
  0x20: 'BadWaitingForInitialData',
  0x44: 'UncertainLastUsableValue',
  0x50: 'UncertainSensorNotAccurate',
  0x54: 'UncertainEngineeringUnitsExceeded',
  0x58: 'UncertainSubNormal',
  0xd8: 'GoodLocalOverride',
};

/** The OPC UA status of an OPC DA quality byte: quality bits, sub-status and limit bits (Low, High, Constant). */
export function daQualityStatus(q: number): number {
  const severity = q & 0xc0; // 00 Bad, 01 Uncertain, 11 Good (10 is not used: read as Uncertain)
  const named = DA_SUBSTATUS[q & 0xfc];
  const base = named !== undefined ? statusCodeNamed(named)!
    : severity === 0xc0 ? 0 : severity === 0 ? 0x80000000 : 0x40000000;
  const limit = (q & 0x03) << 8; // Low, High, Constant: read only with InfoType DataValue (status.ts limitBitsOf)
  return (limit ? base | InfoTypeDataValue | limit : base) >>> 0;
}

/** The quality bits of each word the DA specification gives a quality. */
const QUALITY: Readonly<Record<string, number>> = { bad: 0x00, uncertain: 0x40, good: 0xc0 };

/**
 * Sub-status words (lower case, letters only) of each quality -> their bits, as the DA 2.05/3.0
 * specification names them (and opcda.h: OPC_QUALITY_SENSOR_CAL, OPC_QUALITY_EGU_EXCEEDED...).
 */
const SUBSTATUS: Readonly<Record<number, Readonly<Record<string, number>>>> = {
  0x00: {
    nonspecific: 0x00, configurationerror: 0x04, configerror: 0x04, notconnected: 0x08, devicefailure: 0x0c,
    sensorfailure: 0x10, lastknownvalue: 0x14, lastknown: 0x14, commfailure: 0x18, communicationfailure: 0x18,
    outofservice: 0x1c, waitingforinitialdata: 0x20,
  },
  0x40: {
    nonspecific: 0x00, lastusablevalue: 0x04, lastusable: 0x04, sensornotaccurate: 0x10, sensorcal: 0x10,
    engineeringunitsexceeded: 0x14, eguexceeded: 0x14, euexceeded: 0x14, subnormal: 0x18,
  },
  0xc0: { nonspecific: 0x00, localoverride: 0x18 },
};

/** Limit words -> the limit bits. */
const LIMIT: Readonly<Record<string, number>> = {
  notlimited: 0, ok: 0, lowlimited: 1, low: 1, highlimited: 2, high: 2, constant: 3,
};

/** opcda.h's constant name of a sub-status -> [quality, sub-status] words. */
const CONSTANT = /^opc_quality_([a-z_]+)$/i;

/**
 * The status of a DA quality written as text, or undefined when the text is none: a quality word, then
 * optionally after ",", "-", ":" or "(" its sub-status, then optionally its limit ("Low Limited").
 * A sub-status of another quality ("Good, Comm Failure") is none.
 */
export function daQualityText(text: string): StatusCode | undefined {
  const constant = CONSTANT.exec(text.trim());
  if (constant) return daConstant(constant[1]!.toLowerCase());
  const m = /^\s*(good|bad|uncertain)\s*(?:[,:;\-–(/[]\s*(.*?))?\s*[)\]]?\s*$/i.exec(text);
  if (!m) return undefined;
  const quality = QUALITY[m[1]!.toLowerCase()]!;
  const parts = (m[2] ?? '').split(/\s*[,;(/]\s*|\s+-\s+/).map((p) => p.replace(/[^a-z]/gi, '').toLowerCase()).filter((p) => p !== '');
  let sub = 0;
  let limit = 0;
  let k = 0;
  if (k < parts.length && Object.hasOwn(SUBSTATUS[quality]!, parts[k]!)) sub = SUBSTATUS[quality]![parts[k++]!]!;
  if (k < parts.length && Object.hasOwn(LIMIT, parts[k]!)) limit = LIMIT[parts[k++]!]!;
  if (k < parts.length) return undefined;
  return daQualityStatus(quality | sub | limit);
}

/** OPC_QUALITY_GOOD, OPC_QUALITY_COMM_FAILURE, OPC_QUALITY_LAST_USABLE...: the byte opcda.h defines. */
function daConstant(name: string): StatusCode | undefined {
  const letters = name.replace(/_/g, '');
  if (Object.hasOwn(QUALITY, letters)) return daQualityStatus(QUALITY[letters]!);
  for (const quality of [0x00, 0x40, 0xc0]) {
    const sub = SUBSTATUS[quality]![letters];
    if (sub !== undefined && letters !== 'nonspecific') return daQualityStatus(quality | sub);
  }
  return undefined;
}
