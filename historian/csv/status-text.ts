/**
 * OPC UA status codes as text at the CSV edge: the names historian/status.ts
 * defines (any letter case), decimal uint32 or 0x hex, historians' quality words
 * (quality-words.ts: Questionable, Doubtful, Substituted, "Good, Annotated"), Ignition's
 * QualityCode names (ignition-quality.ts: Bad_Stale), OPC DA quality texts (da-quality.ts: "Bad, Comm Failure");
 * an empty field is Good.
 */
import { severity, statusCodeNamed, statusHex, statusNameOf, type StatusCode } from '../status.js';
import { qualityWords, QUALITY_WORDS_TEXT } from './quality-words.js';
import { ignitionQuality } from './ignition-quality.js';
import { daQualityText } from './da-quality.js';

export { statusHex };

/** Parses a status field; an empty field is Good. Returns undefined when unknown. */
export function parseStatus(raw: string): StatusCode | undefined {
  const text = raw.trim();
  if (text === '') return 0;
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) {
    const n = Number.parseInt(text.slice(2), 16) >>> 0;
    return n > 0xffff || goodLowWord(n) ? n : undefined;
  }
  if (/^\d{1,10}$/.test(text)) {
    const n = Number(text);
    // 1-65535 has no severity nor sub-code: no OPC UA status, an OPC DA quality (192) read as Good.
    return n <= 0xffffffff && (n === 0 || n > 0xffff) ? n : undefined;
  }
  return statusCodeNamed(text) ?? qualityWords(text) ?? ignitionQuality(text) ?? javaStackName(text) ?? daQualityText(text);
}

/**
 * A code of 0x0000-0xFFFF is a Good status with only its low bits: an OPC UA code only when those bits are
 * as Part 4 §7.39 defines them (InfoType 00: bits 0-9 zero; InfoType 01, DataValue: limit, overflow and
 * historian bits; bits 12-13 reserved). 0x18 or 0xC0 are none: an OPC DA quality (Comm Failure, Good)
 * written in hex, which read so had archived a comm failure as Good.
 */
function goodLowWord(n: number): boolean {
  const infoType = (n >>> 10) & 3;
  return (n & 0x3000) === 0 && (infoType === 1 || (infoType === 0 && (n & 0x3ff) === 0));
}

/**
 * An OPC UA name as Java stacks write it, the severity apart (Eclipse Milo's and Prosys' StatusCodes:
 * Uncertain_LastUsableValue = 0x40900000, Bad_NodeIdUnknown): an OPC UA client built on them exports those.
 */
function javaStackName(text: string): StatusCode | undefined {
  const m = /^(good|uncertain|bad)_(\w+)$/i.exec(text);
  return m ? statusCodeNamed(m[1]! + m[2]!) : undefined;
}

export const STATUS_EXPECTED = `a status: ${QUALITY_WORDS_TEXT}, an OPC UA name such as BadSensorFailure, an OPC DA quality text ` +
  '(Bad, Comm Failure; Uncertain: Last Usable), a uint32 or 0x hex';

/** What a status cell was expected to be, said for the cell given: a small decimal is likely an OPC DA quality. */
export function statusExpected(raw: string): string {
  const hex = /^\s*0x[0-9a-f]{1,4}\s*$/i.test(raw);
  if (hex) return 'an OPC UA status code (a Good code with stray low bits is none: an OPC DA quality such as 0x18 or 0xC0 belongs in a column named OPCQuality)';
  return /^\s*\d{1,5}\s*$/.test(raw) && Number(raw) > 0 && Number(raw) <= 0xffff
    ? 'an OPC UA status code (a decimal from 1 to 65535 is none: an OPC DA quality such as 192 belongs in a column named OPCQuality)'
    : STATUS_EXPECTED;
}

/** The status's name (from its code, without historian bits), or its severity when unnamed. */
export function statusName(status: StatusCode): string {
  const named = statusNameOf(status);
  if (named !== null) return named;
  const s = severity(status);
  return s[0]!.toUpperCase() + s.slice(1);
}
