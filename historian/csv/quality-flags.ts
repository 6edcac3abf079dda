/**
 * A long file's per-row flag columns that say what its value is worth, as vendors export them:
 * - PI (AF SDK AFValue, PI DataLink / PI SQL "flags" columns): IsGood (false: the value is bad,
 *   e.g. a system state), Questionable (true: the value is questionable), Substituted (true: the
 *   value was changed from the one the source sent). Annotated says only that a note is attached.
 * - WinCC flexible / WinCC (TIA Portal) data logs: Validity, 1 a valid value, 0 an invalid one
 *   (Siemens help, "structure of a CSV file" of a data log: VarName, TimeString, VarValue,
 *   Validity, Time_ms).
 * Read as nothing, their Bad rows were archived Good (PI's IsGood=False 999.9, WinCC's Validity=0
 * rows of 0). Each flag makes the row's status worse, never better.
 */
import { Bad, codeOf, severity, Uncertain, UncertainSubstituteValue, type StatusCode } from '../status.js';

export type QualityFlag = 'isGood' | 'questionable' | 'substituted' | 'validity';

/** Header names (normalized: lower case, no spaces or _ - / .) of flag columns, and what each says. */
const FLAG_NAMES: Readonly<Record<string, QualityFlag>> = {
  isgood: 'isGood', questionable: 'questionable', substituted: 'substituted', validity: 'validity', valid: 'validity', isvalid: 'validity',
};

export interface FlagColumn {
  column: number;
  flag: QualityFlag;
}

/** The flag columns of a header (names normalized as layout.ts does). */
export function flagColumns(norm: readonly string[]): FlagColumn[] {
  return norm.flatMap((n, column) => (Object.hasOwn(FLAG_NAMES, n) ? [{ column, flag: FLAG_NAMES[n]! }] : []));
}

export const FLAG_EXPECTED = 'True or False (or 1 or 0)';

/** A flag cell: True/False in any case, or 1/0 (WinCC writes 1/0); undefined otherwise. */
export function flagCell(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : undefined;
}

/** The status a flag's cell calls for, or undefined when it says nothing against the value. */
function flagStatus(flag: QualityFlag, on: boolean): StatusCode | undefined {
  switch (flag) {
    case 'isGood':
    case 'validity':
      return on ? undefined : Bad;
    case 'questionable':
      return on ? Uncertain : undefined;
    case 'substituted':
      return on ? UncertainSubstituteValue : undefined;
  }
}

const RANK = { good: 0, uncertain: 1, bad: 2 } as const;

/** The status with a flag's verdict: the worse of the two (of one severity, a named code over the bare severity). */
export function withFlag(status: StatusCode, flag: QualityFlag, on: boolean): StatusCode {
  const said = flagStatus(flag, on);
  return said === undefined ? status : worseStatus(status, said);
}

/** The worse of two statuses; of one severity, a named code over the bare severity (in either order). */
export function worseStatus(status: StatusCode, said: StatusCode): StatusCode {
  const [was, now] = [RANK[severity(status)], RANK[severity(said)]];
  if (now > was) return said;
  return now === was && (codeOf(status) === Uncertain || codeOf(status) === Bad) ? said : status;
}

/**
 * PI's value flags in one column (a PI API program's "flags": piapix.h's masks PI_M_AFLAG 1 annotated, PI_M_QFLAG 2
 * questionable, PI_M_SFLAG 4 substituted, which its apisnap example prints as words, "Annotated Questionable"; PI SQL
 * and DataLink exports as a list, "Questionable, Substituted"). PI-API "Digital Flags": questionable "indicates that
 * there is some reason to doubt the accuracy of the value" (Uncertain); substituted "that the value has been changed
 * from its original value", set by the archive when a value is edited (UncertainSubstituteValue, as its own column is
 * read: no measurement as the source sent it); annotated "that there is a comment about a value" (nothing).
 */
const PI_FLAG_WORDS: Readonly<Record<string, QualityFlag | null>> = { questionable: 'questionable', substituted: 'substituted', annotated: null };

export const PI_FLAGS_EXPECTED = 'flags: Vigil\'s (Cyclic|Backfilled, as its export writes them) or PI\'s (Questionable, Substituted, Annotated, ' +
  'or their mask 0-7: 1 annotated, 2 questionable, 4 substituted)';

/** The status a PI flags cell says of its value (Good when none), or undefined when the cell is no PI flags. */
export function piFlagsStatus(cell: string): StatusCode | undefined {
  const text = cell.trim();
  let status: StatusCode = 0;
  if (/^\d+$/.test(text)) {
    const mask = Number(text);
    if (mask > 7) return undefined;
    if (mask & 2) status = withFlag(status, 'questionable', true);
    if (mask & 4) status = withFlag(status, 'substituted', true);
    return status;
  }
  for (const word of text.split(/[\s,;|+]+/)) {
    if (word === '') continue;
    const flag = PI_FLAG_WORDS[word.toLowerCase()];
    if (flag === undefined) return undefined;
    if (flag !== null) status = withFlag(status, flag, true);
  }
  return status;
}
