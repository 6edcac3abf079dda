/**
 * Value cells: numbers (decimal point; decimal comma when the delimiter is not
 * a comma), true/false, text, and the markers public datasets use for "no value".
 * Thousands separators are never guessed: 1,234.5 or 1.234,5 is refused.
 */
import type { TagKind, Value } from '../types.js';
import { isBad } from '../status.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MISSING = new Set(['nan', '-nan', 'null', 'na', 'n/a', '#n/a', 'none']);

/** An empty cell, NaN, null, NA, N/A, #N/A or None: no value. */
export function isMissing(text: string): boolean {
  return text === '' || (text.length <= 4 && MISSING.has(text.toLowerCase()));
}

/**
 * A trimmed cell that holds no value for a tag of this kind (undefined: not known yet). A text tag
 * keeps "NA" or "None" as words it may say, but not Excel's #N/A: a failed lookup, never a state.
 */
export function isNoValue(text: string, kind: TagKind | undefined): boolean {
  return kind === 'text' ? text === '' || (text.length === 4 && text.toUpperCase() === '#N/A') : isMissing(text);
}

export function numberExpected(decimalComma: boolean): string {
  return decimalComma ? 'a number (decimal point or decimal comma, no thousands separator)' : 'a number (decimal point, no thousands separator)';
}

/** A trimmed cell as a number (possibly ±Infinity when it overflows: see numberCell), or undefined. */
export function parseNumber(text: string, decimalComma: boolean): number | undefined {
  if (NUMBER.test(text)) return Number(text);
  if (!decimalComma) return undefined;
  const comma = text.indexOf(',');
  if (comma === -1 || text.indexOf(',', comma + 1) !== -1 || text.includes('.')) return undefined;
  const dotted = text.slice(0, comma) + '.' + text.slice(comma + 1);
  return NUMBER.test(dotted) ? Number(dotted) : undefined;
}

/** What a value of a number or true/false tag must look like (a rejection's "expected"). */
export function expectedOf(kind: 'analog' | 'discrete', decimalComma: boolean): string {
  return kind === 'discrete' ? DISCRETE_EXPECTED : numberExpected(decimalComma);
}

const DISCRETE_EXPECTED = 'true or false, or an integer state (0, 1, an enumeration\'s 2, 3, -1)';
/** An integer state: digits only, within what a double holds exactly (an Int64 state past 2^53 is refused at acquisition too). */
const INTEGER = /^[+-]?\d{1,16}$/;

export const FINITE_EXPECTED = 'a finite number (at most ±1.7976931348623157e308; this one overflows)';

/** A trimmed cell as a finite number, or what was expected: 1e400 (or a line of a million digits) is not Infinity. */
export function numberCell(text: string, decimalComma: boolean): number | { expected: string } {
  const n = parseNumber(text, decimalComma);
  if (n === undefined) return { expected: numberExpected(decimalComma) };
  return Number.isFinite(n) ? n : { expected: FINITE_EXPECTED };
}

/** The kind a value suggests for an unknown tag, or undefined when it says nothing (a word: see RecordReader). */
export function inferKind(text: string, decimalComma: boolean): 'analog' | 'discrete' | undefined {
  if (parseNumber(text, decimalComma) !== undefined) return 'analog';
  if (/^(true|false)$/i.test(text)) return 'discrete';
  return undefined;
}

export const KIND_EXPECTED = 'analog, discrete or text';

/** A kind cell (long format's `kind` column, as an export writes it): analog, discrete or text, any case; else undefined. */
export function kindCell(text: string): TagKind | undefined {
  const k = text.trim().toLowerCase();
  return k === 'analog' || k === 'discrete' || k === 'text' ? k : undefined;
}

/**
 * Digits with separators (1,234.5; 1 234,5 with a space, a no-break space U+00A0 or a narrow one
 * U+202F as Russian and French exports write them; 1'234.5 or 1’234.5 as Swiss ones do): a number
 * written wrong, never a word that makes a text tag.
 */
export function looksNumeric(text: string): boolean {
  return /^[+-]?[\d.,' \u00a0\u202f\u2009\u2019]+(?:[eE][+-]?\d+)?$/.test(text);
}

/**
 * A value for the tag's kind. An empty value (a text one too) is accepted only with a Bad status
 * (a value that never was): it is stored as NaN / false / "" and never shown as good
 * (export writes it back as an empty cell).
 */
export function parseValue(raw: string, kind: TagKind | undefined, status: number, decimalComma: boolean): Value | { expected: string } {
  if (kind === 'text') { // raw: trimmed unless quoted (records.ts)
    if (raw !== '' || isBad(status)) return raw;
    return { expected: 'a text value; empty only with a Bad status' };
  }
  const text = raw.trim();
  if (isMissing(text)) {
    if (isBad(status)) return kind === 'discrete' ? false : kind === 'analog' ? NaN : 0;
    return { expected: kind === 'discrete' ? `${DISCRETE_EXPECTED}; empty only with a Bad status` : `${numberExpected(decimalComma)}; empty only with a Bad status` };
  }
  switch (kind) {
    case 'analog':
      return numberCell(text, decimalComma);
    case 'discrete': {
      const l = text.toLowerCase();
      if (l === 'true') return true;
      if (l === 'false') return false;
      // An integer is a state and stays one, 0 and 1 too: an enumeration's 0, 1, 2 are three states,
      // and an export writes a Boolean as true/false, a number as its digits (a round trip keeps each).
      if (INTEGER.test(text)) {
        const n = Number(text) + 0; // + 0: "-0" is the state 0
        if (Number.isSafeInteger(n)) return n;
      }
      return { expected: expectedOf('discrete', decimalComma) };
    }
    default:
      // Unreachable from the reader: a word of an unknown tag is held until its kind is known (records.ts).
      return { expected: 'a number, true/false or text' };
  }
}

/** The longest tag name an import creates (a DCS tag is a few dozen characters; a cell of megabytes is no name). */
export const TAG_NAME_MAX = 200;
export const TAG_NAME_EXPECTED = `a tag name of at most ${TAG_NAME_MAX} characters, without control characters (a line break, a tab, ESC) or the wildcards * and ?`;

/** Whether a tag name is one an import may create: false for one a pattern could not find, a terminal would act on, or no reader could show. */
export function isTagName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && name.length <= TAG_NAME_MAX && !/[\u0000-\u001f\u007f-\u009f*?]/.test(name);
}

