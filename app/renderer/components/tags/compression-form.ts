/**
 * The Edit compression dialog's form: a tag's compression as the engineer types it (numbers in the
 * console's language, intervals in seconds) and back to what the station config takes. Checked here
 * by the config's own bounds (shared/config/compression.ts) so a slip is said next to its field;
 * the station checks the whole file again (a % of span needs the tag's range).
 */
import type { TagCompression } from '../../../shared/api.js';
import { parseTypedNumber } from '../../lib/typed-number.js';

export type Compression = TagCompression['effective'];
/** 'default': the tag's own setting goes, the station default applies. */
export type Choice = 'default' | Compression['kind'];

export interface CompressionDraft {
  choice: Choice;
  deviation: string;
  percentOfSpan: boolean;
  minIntervalS: string;
  maxIntervalS: string;
  exceptionDeviation: string;
}

export type DraftField = 'deviation' | 'minIntervalS' | 'maxIntervalS' | 'exceptionDeviation';

export interface DraftProblem {
  field: DraftField;
  key: 'tags.compressionEdit.badNumber' | 'tags.compressionEdit.missing' | 'tags.compressionEdit.notPositive';
  /** What was typed. */
  text: string;
}

export type DraftResult = { ok: true; compression: Compression | null } | { ok: false; problems: DraftProblem[] };

/**
 * The form as it opens: the tag's own setting, or the station default chosen, its numbers there to
 * start from when another kind is picked. write: a number as the console writes it.
 */
export function draftOf(c: Pick<TagCompression, 'own' | 'stationDefault' | 'range'>, write: (v: number) => string): CompressionDraft {
  const from = c.own ?? c.stationDefault;
  const secs = (ms: number | undefined) => (ms === undefined ? '' : write(ms / 1000));
  return {
    choice: c.own === null ? 'default' : c.own.kind,
    deviation: from.kind === 'none' ? '' : write(from.deviation),
    // Without a range a % of span cannot be: the tag's unit is what is left.
    percentOfSpan: from.kind !== 'none' && from.percentOfSpan === true && c.range !== null,
    minIntervalS: from.kind === 'swinging-door' ? secs(from.minIntervalMs) : '',
    maxIntervalS: from.kind === 'none' ? '' : secs(from.maxIntervalMs),
    exceptionDeviation: from.kind === 'swinging-door' && from.exceptionDeviation !== undefined ? write(from.exceptionDeviation) : '',
  };
}

/** The fields a choice shows, in the form's order. */
export function fieldsOf(choice: Choice): DraftField[] {
  if (choice === 'deadband') return ['deviation', 'maxIntervalS'];
  if (choice === 'swinging-door') return ['deviation', 'minIntervalS', 'maxIntervalS', 'exceptionDeviation'];
  return [];
}

/** The compression to send (null: the station default), or what is wrong with each field, in the form's order. */
export function compressionOfDraft(d: CompressionDraft, commaDecimal: boolean): DraftResult {
  if (d.choice === 'default') return { ok: true, compression: null };
  if (d.choice === 'none') return { ok: true, compression: { kind: 'none' } };
  const problems: DraftProblem[] = [];
  const shown = fieldsOf(d.choice);
  /** A number >= 0 (> 0 where `positive`); undefined when left empty and `optional`. */
  const read = (field: DraftField, optional: boolean, positive = false): number | undefined => {
    const text = d[field].trim();
    if (text === '') {
      if (!optional) problems.push({ field, key: 'tags.compressionEdit.missing', text });
      return undefined;
    }
    const v = parseTypedNumber(text, commaDecimal);
    if (!Number.isFinite(v) || v < 0) problems.push({ field, key: 'tags.compressionEdit.badNumber', text });
    else if (positive && !(v > 0)) problems.push({ field, key: 'tags.compressionEdit.notPositive', text });
    else return v;
    return undefined;
  };
  // Seconds as typed, whole milliseconds in the config (its intervals are integers).
  const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));
  const deviation = read('deviation', false);
  const minIntervalMs = shown.includes('minIntervalS') ? ms(read('minIntervalS', true)) : undefined;
  const maxS = read('maxIntervalS', true, true);
  // Under half a millisecond would be written 0: refused by the config, so said here.
  if (maxS !== undefined && ms(maxS) === 0) problems.push({ field: 'maxIntervalS', key: 'tags.compressionEdit.notPositive', text: d.maxIntervalS.trim() });
  const exceptionDeviation = shown.includes('exceptionDeviation') ? read('exceptionDeviation', true) : undefined;
  if (problems.length > 0 || deviation === undefined) return { ok: false, problems };
  const common = { deviation, ...(d.percentOfSpan ? { percentOfSpan: true } : {}) };
  const maxIntervalMs = ms(maxS);
  if (d.choice === 'deadband') return { ok: true, compression: { kind: 'deadband', ...common, ...(maxIntervalMs !== undefined ? { maxIntervalMs } : {}) } };
  return {
    ok: true,
    compression: {
      kind: 'swinging-door', ...common,
      ...(minIntervalMs !== undefined ? { minIntervalMs } : {}),
      ...(maxIntervalMs !== undefined ? { maxIntervalMs } : {}),
      ...(exceptionDeviation !== undefined ? { exceptionDeviation } : {}),
    },
  };
}
