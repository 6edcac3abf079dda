/**
 * A gap note stored by catalog key and parameters (JSON in the ledger's note column, sent to the
 * console as it is): `{"key":"gaps.note.historyNotAnswered","params":{"intervalMs":600000}}`. The
 * console words it in its language and units; a number in it (the retry interval) is the
 * station's own, so changing that number cannot part the text from the key. One reading for the
 * station (app/main/acquisition/gap-note.ts writes them) and the console (app/renderer/lib/station-causes.ts).
 */
import type { MessageKey } from './i18n/index.js';

/** Keys of the catalog's gap notes (a key the catalog lacks does not compile). */
export type GapNoteKey = Extract<MessageKey, `gaps.note.${string}`>;

/** Parameters are numbers (a duration's name ends in `Ms`), or names shown as they are (tags). */
export type GapNoteParam = number | string[];

export interface GapNote {
  key: GapNoteKey;
  params: Record<string, GapNoteParam>;
}

export function storedNote(key: GapNoteKey, params: Record<string, GapNoteParam> = {}): string {
  return JSON.stringify({ key, params });
}

/** A stored note's key and parameters; null for a note stored as text (older ledgers, a library's error text). */
export function keyedNote(stored: string | null): GapNote | null {
  if (!stored?.startsWith('{')) return null;
  let v: { key?: unknown; params?: unknown };
  try {
    v = JSON.parse(stored) as typeof v;
  } catch {
    return null; // text that begins with a brace: shown as stored
  }
  const params = v.params ?? {};
  if (typeof v.key !== 'string' || !v.key.startsWith('gaps.note.') || typeof params !== 'object' || params === null) return null;
  if (!Object.values(params).every(isParam)) return null;
  return { key: v.key as GapNoteKey, params: params as Record<string, GapNoteParam> };
}

function isParam(x: unknown): x is GapNoteParam {
  return typeof x === 'number' || (Array.isArray(x) && x.every((n) => typeof n === 'string'));
}
