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
import { daQualityStatus } from './da-quality.js';

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

export { daQualityStatus };

export const QUALITY_EXPECTED = `a quality: an OPC DA quality 0-65535 (192 Good) or 0x0000-0xFFFF (0xC0 Good, 0x18 Comm Failure), ` +
  `its text (Bad, Comm Failure), ${QUALITY_WORDS_TEXT}, an OPC UA name such as BadSensorFailure, or an OPC UA code in 0x hex of 8 digits`;

/**
 * A quality cell's status (empty: Good), or undefined when it is none of QUALITY_EXPECTED. A DA quality is a
 * 16-bit word, in decimal or in hex of up to 4 digits (0xC0, 0x0018): read as a 32-bit OPC UA code, 0x18
 * (Comm Failure) had been a Good status with stray low bits.
 */
export function parseQuality(raw: string): number | undefined {
  const text = raw.trim();
  const word = /^\d{1,5}$/.test(text) ? Number(text) : /^0x[0-9a-f]{1,4}$/i.test(text) ? Number.parseInt(text.slice(2), 16) : undefined;
  if (word !== undefined) return word <= 0xffff ? daQualityStatus(word & 0xff) : undefined; // the high byte is the vendor's (Part 8 A.3.2.3: discarded)
  return parseStatus(text);
}
