/**
 * A wide file's per-tag quality columns ("LI101 Quality" beside "LI101", as Wonderware,
 * Kepware and Excel exports of OPC DA data write them): paired with their tag's column, read as
 * each value's status. Left as tags, their 192s became a tag of numbers and every Bad value of
 * the tag they qualify was archived Good.
 *
 * A cell holds an OPC DA quality (its low byte: OPC UA Part 8, Annex A maps it) or what a status
 * column holds (status-text.ts: an OPC UA name, a quality word such as Questionable, a uint32 beyond a byte, 0x hex).
 */
import { parseStatus } from './status-text.js';
import { QUALITY_WORDS_TEXT } from './quality-words.js';
import { InfoTypeDataValue, statusCodeNamed } from '../status.js';

/** Suffixes naming a quality column, after a space, dot, underscore or colon ("LI101.Quality", "LI101_Q"). */
const QUALITY_SUFFIX = /^(.+?)(?:\s+|[._:]\s*)(?:quality|qualität|qualitaet|качество|质量|\(quality\))$|^(.+?)[._]q$/i;

/** For each column, the column of its quality (-1 none); and the columns that are qualities (not tags). */
export function pairQualityColumns(names: readonly string[], isTag: (i: number) => boolean): { qualityOf: number[]; isQuality: boolean[] } {
  const qualityOf = names.map(() => -1);
  const isQuality = names.map(() => false);
  const byName = new Map<string, number>();
  names.forEach((n, i) => { if (isTag(i)) byName.set(n, i); });
  names.forEach((n, i) => {
    if (!isTag(i)) return;
    const m = QUALITY_SUFFIX.exec(n);
    const base = m ? (m[1] ?? m[2])!.trim() : undefined;
    const of = base === undefined ? undefined : byName.get(base);
    // Only beside its tag's own column: a tag named "Water Quality" alone stays a tag.
    if (of === undefined || of === i || qualityOf[of] >= 0) return;
    qualityOf[of] = i;
    isQuality[i] = true;
  });
  return { qualityOf, isQuality };
}

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

export const QUALITY_EXPECTED = `a quality: an OPC DA quality 0-65535 (192 Good), ${QUALITY_WORDS_TEXT}, an OPC UA name such as BadSensorFailure, or 0x hex`;

/** A quality cell's status (empty: Good), or undefined when it is none of QUALITY_EXPECTED. */
export function parseQuality(raw: string): number | undefined {
  const text = raw.trim();
  if (/^\d{1,5}$/.test(text)) {
    const q = Number(text);
    return q <= 0xffff ? daQualityStatus(q & 0xff) : undefined; // the high byte is the vendor's (Part 8 A.3.2.3: discarded)
  }
  return parseStatus(text);
}
