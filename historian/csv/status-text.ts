/**
 * OPC UA status codes as text at the CSV edge: the names historian/status.ts
 * defines (any letter case), decimal uint32 or 0x hex, historians' quality words
 * (quality-words.ts: Questionable, Doubtful, Substituted, "Good, Annotated"), Ignition's
 * QualityCode names (ignition-quality.ts: Bad_Stale); an empty field is Good.
 */
import { severity, statusCodeNamed, statusHex, statusNameOf, type StatusCode } from '../status.js';
import { qualityWords, QUALITY_WORDS_TEXT } from './quality-words.js';
import { ignitionQuality } from './ignition-quality.js';

export { statusHex };

/** Parses a status field; an empty field is Good. Returns undefined when unknown. */
export function parseStatus(raw: string): StatusCode | undefined {
  const text = raw.trim();
  if (text === '') return 0;
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return Number.parseInt(text.slice(2), 16) >>> 0;
  if (/^\d{1,10}$/.test(text)) {
    const n = Number(text);
    // 1-65535 has no severity nor sub-code: no OPC UA status, an OPC DA quality (192) read as Good.
    return n <= 0xffffffff && (n === 0 || n > 0xffff) ? n : undefined;
  }
  return statusCodeNamed(text) ?? qualityWords(text) ?? ignitionQuality(text) ?? javaStackName(text);
}

/**
 * An OPC UA name as Java stacks write it, the severity apart (Eclipse Milo's and Prosys' StatusCodes:
 * Uncertain_LastUsableValue = 0x40900000, Bad_NodeIdUnknown): an OPC UA client built on them exports those.
 */
function javaStackName(text: string): StatusCode | undefined {
  const m = /^(good|uncertain|bad)_(\w+)$/i.exec(text);
  return m ? statusCodeNamed(m[1]! + m[2]!) : undefined;
}

export const STATUS_EXPECTED = `a status: ${QUALITY_WORDS_TEXT}, an OPC UA name such as BadSensorFailure, a uint32 or 0x hex`;

/** What a status cell was expected to be, said for the cell given: a small decimal is likely an OPC DA quality. */
export function statusExpected(raw: string): string {
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
