/**
 * What the sync says of data missing upstream and of what an upstream holds, as catalog messages
 * (app/shared/i18n/en/sync-texts.ts): a key and parameters, kept with the loss in sync.sqlite and
 * with the restart check in the status, so the Sync page says them in the console's language
 * (app/renderer/lib/sync-text.ts renders them the same way) and the log and the CLI in English
 * from the same catalog. Parameters: times as ms (named `at` or `…At`), lists of times (`…Ats`),
 * durations as ms (`…Ms`), counts as numbers, other messages nested (a reason, what was found), lists
 * of them (`parts`).
 */
import type { MessageKey } from './i18n/index.js';
import { Translator } from './i18n/translate.js';

export type SyncTextKey = Extract<MessageKey, `sync.check.${string}` | `sync.loss.${string}` | `sync.cause.${string}` | `sync.fault.${string}`>;
export type SyncTextParam = string | number | readonly number[] | SyncText | readonly SyncText[];

export interface SyncText {
  key: SyncTextKey;
  params: Record<string, SyncTextParam>;
}

/** A message as it travels (app/shared/api/sync.ts SyncTextView): any key, read where it is said. */
export interface SyncTextLike {
  key: string;
  params: Record<string, string | number | readonly number[] | SyncTextLike | readonly SyncTextLike[]>;
}

/** How times and lists are written: the console's Formats on the page, ISO 8601 in English for the log and the CLI. */
export interface TextStyle {
  dateTime(ms: number): string;
  /** `times`: a list of times; `parts`: several messages, each a sentence of its own. */
  list(items: readonly string[], kind: 'times' | 'parts'): string;
  /** How long (ms): "5 s", "5 с", "5 秒" (Formats.duration); without it, the ms as a number ("5000 ms"). */
  duration?(ms: number): string;
}

const isText = (v: unknown): v is SyncTextLike => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as SyncText).key === 'string';

/** A message in a language: `t` translates one key (Translator.t). */
export function renderText(text: SyncTextLike, t: (key: string, params: Record<string, string | number>) => string, style: TextStyle): string {
  const params: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(text.params)) {
    if (isText(v)) params[name] = renderText(v, t, style);
    else if (Array.isArray(v)) {
      params[name] = v.every((x) => typeof x === 'number')
        ? style.list((v as number[]).map((x) => style.dateTime(x)), 'times')
        : style.list((v as SyncTextLike[]).map((x) => renderText(x, t, style)), 'parts');
    } else if (typeof v === 'number' && (name === 'at' || name.endsWith('At'))) params[name] = style.dateTime(v);
    else if (typeof v === 'number' && name.endsWith('Ms')) params[name] = style.duration ? style.duration(v) : `${v} ms`;
    else params[name] = v as string | number;
  }
  return t(text.key, params);
}

const en = new Translator('en');
const iso = (ms: number) => new Date(ms).toISOString();

/** As the log, the alarm's detail and the sync CLI say it: the English catalog, times ISO 8601 (UTC). */
export const englishStyle: TextStyle = { dateTime: iso, list: (items, kind) => items.join(kind === 'times' ? ', ' : '; ') };

export function english(text: SyncText): string {
  return renderText(text, (key, params) => en.t(key, params), englishStyle);
}

export const text = (key: SyncTextKey, params: Record<string, SyncTextParam> = {}): SyncText => ({ key, params });

/** A text read back from sync.sqlite or a status written by an earlier run; null when it is not one. */
export function parseText(json: unknown): SyncText | null {
  let v = json;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return isText(v) && typeof v.params === 'object' && v.params !== null ? (v as SyncText) : null;
}
