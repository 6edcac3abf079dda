/**
 * Quality words as historians write them in a quality or status column instead of an OPC UA
 * name: PI exports write Good, Bad, Questionable, Substituted, and PI DataLink / PI SQL value
 * attributes as lists ("Good, Annotated"); others write Uncertain. Read as the OPC UA status each
 * means, any case; rejected as an unknown status before, every Questionable row was lost.
 *
 * Substituted is UncertainSubstituteValue (0x40910000, Part 4/8: "an operational value that was
 * manually overwritten"), as PI's Substituted flag column is read (quality-flags.ts): PI marks a
 * value changed after the source sent it, by a person or a program, so it is no measurement. Not
 * GoodLocalOverride: Part 8 Annex A gives that to OPC DA's LOCAL_OVERRIDE, a value forced at the
 * source and still reported Good by it; read so, an edited value would count as good data.
 *
 * Doubtful is Uncertain: AVEVA (Wonderware) Historian's Quality 16 "Doubtful" (aaHistClientSingleValueEntry.Quality:
 * 0 Good, 1 Bad, 16 Doubtful), which its OpcQuality gives as "a DOUBTFUL OPC quality (64)": OPC DA's Uncertain
 * (Part 8 Table A.61). Ignition's QualityCode names (Bad_Stale...) are read by ignition-quality.ts.
 */
import { Bad, Uncertain, UncertainSubstituteValue, type StatusCode } from '../status.js';
import { worseStatus } from './quality-flags.js';

/** Word (lower case) -> its status; null: says nothing of the value (PI's Annotated: a note is attached). */
const WORDS: Readonly<Record<string, StatusCode | null>> = {
  good: 0, annotated: null, questionable: Uncertain, uncertain: Uncertain, doubtful: Uncertain, substituted: UncertainSubstituteValue, bad: Bad,
};

export const QUALITY_WORDS_TEXT = 'Good, Questionable or Uncertain, Substituted, Bad (any case; lists such as "Good, Annotated")';

/** The status a cell of quality words says (the worst of a list), or undefined when a word is none of WORDS. */
export function qualityWords(text: string): StatusCode | undefined {
  let status: StatusCode = 0;
  for (const part of text.split(',')) {
    const word = part.trim().toLowerCase();
    if (!Object.hasOwn(WORDS, word)) return undefined;
    const said = WORDS[word]!;
    if (said !== null) status = worseStatus(status, said);
  }
  return status;
}

/** A decimal number: in a column named Quality its meaning depends on the vendor (Wonderware 0 Good, OPC DA 0 Bad). */
export const isDecimal = (cell: string): boolean => /^\s*[-+]?\d+(?:\.\d*)?\s*$/.test(cell);

/** What a rejected cell of a column named Quality (read as words, layout.ts) was expected to be. */
export function wordsColumnExpected(cell: string, statusExpected: string): string {
  return isDecimal(cell)
    ? `a quality word (${QUALITY_WORDS_TEXT}), not a number: numbers in a column named Quality are read by no guess ` +
      '(Wonderware writes 0 for Good, an OPC DA quality 0 for Bad); name it OPCQuality for OPC DA bytes or status for OPC UA codes'
    : statusExpected;
}
