/**
 * Line-protocol escaping, exact for what each upstream's parser does, and the
 * checks that catch what it would reject or silently mangle (measured against
 * InfluxDB 1.6.7 and VictoriaMetrics 1.79; 2.x/3.x from their documentation):
 *
 * - Tag keys/values: ',', '=' and ' ' are escaped with a backslash everywhere.
 *   A backslash differs: InfluxDB 1.x keeps backslashes as they are (only
 *   '\,', '\=' and '\ ' are unescaped), so a literal backslash is written as
 *   is, but one at the end of a value escapes the separator after it (400
 *   "invalid tag format"). InfluxDB 2.x/3.x and VictoriaMetrics read '\\' as
 *   one backslash (VictoriaMetrics drops a lone trailing one silently). So the
 *   'v1' dialect writes backslashes as they are and refuses a trailing one;
 *   the 'v2' dialect doubles every backslash.
 * - Control characters (CR, LF, tab, ...) in a measurement or tag are refused:
 *   CR/LF end the line, and the others are accepted by some parsers only.
 * - Empty tag values are refused by InfluxDB ("missing tag value"); the encoder
 *   leaves such a tag out instead.
 * - String fields: '"' and '\' are escaped; CR/LF are refused (the documented
 *   line protocol has no line break inside a value).
 */

import { english, text, type SyncText, type SyncTextKey } from '../../../shared/sync-text.js';

export type Dialect = 'v1' | 'v2';

/**
 * A value that cannot be written: why, in words an engineer can act on, kept as a catalog message
 * (`said`, worded in the console's language where it is shown) and in English (`reason`: the log,
 * the CLI, the export).
 */
export class Unwritable {
  readonly reason: string;
  constructor(readonly said: SyncText) {
    this.reason = english(said);
  }
}

/** Which part of a line, as a catalog message: the station's own names for them, else the key as it is (`{key} tag` given as such). */
export type Part = string | SyncText;
const PARTS: Record<string, SyncTextKey> = {
  measurement: 'sync.cause.part.measurement', site: 'sync.cause.part.site', area: 'sync.cause.part.area', unit: 'sync.cause.part.unit',
  'tag name': 'sync.cause.part.tagName', 'tag value': 'sync.cause.part.tagValue', 'text value': 'sync.cause.part.textValue',
  text: 'sync.cause.part.text', 'server id': 'sync.cause.part.serverId', reason: 'sync.cause.part.reason', value: 'sync.cause.part.value',
};
export function partText(what: Part): SyncText {
  if (typeof what !== 'string') return what;
  const key = PARTS[what];
  return key ? text(key) : text('sync.cause.part.name', { key: what });
}

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
const NEEDS_ESCAPE = /[,= \\]/;
const V1_TRAILING_BACKSLASH = /\\$/;

function controlReason(what: Part, s: string): Unwritable | null {
  const m = CONTROL.exec(s);
  if (!m) return null;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return new Unwritable(text('sync.cause.refused.control', { part: partText(what), value: JSON.stringify(s), code }));
}

/** A tag key or value, escaped for the dialect, or why it cannot be written. */
export function escapeTag(s: string, dialect: Dialect, what: Part = 'tag value'): string | Unwritable {
  if (s.length === 0) return new Unwritable(text('sync.cause.refused.empty', { part: partText(what) }));
  const bad = controlReason(what, s);
  if (bad) return bad;
  if (!NEEDS_ESCAPE.test(s)) return s;
  if (dialect === 'v1') {
    if (V1_TRAILING_BACKSLASH.test(s)) return new Unwritable(text('sync.cause.refused.trailingBackslash', { part: partText(what), value: JSON.stringify(s) }));
    return s.replace(/[,= ]/g, '\\$&');
  }
  return s.replace(/[,= \\]/g, '\\$&');
}

/**
 * A measurement name: ',' and ' ' escaped ('=' is literal there). Refused when
 * empty, with control characters, or starting with '#' (a comment line: both
 * servers answer 204 and drop it).
 */
export function escapeMeasurement(s: string, dialect: Dialect): string | Unwritable {
  if (s.length === 0) return new Unwritable(text('sync.cause.refused.empty', { part: partText('measurement') }));
  if (s.startsWith('#')) return new Unwritable(text('sync.cause.refused.comment', { value: JSON.stringify(s) }));
  const bad = controlReason('measurement', s);
  if (bad) return bad;
  if (!/[, \\]/.test(s)) return s;
  if (dialect === 'v1') {
    if (V1_TRAILING_BACKSLASH.test(s)) return new Unwritable(text('sync.cause.refused.trailingBackslash', { part: partText('measurement'), value: JSON.stringify(s) }));
    return s.replace(/[, ]/g, '\\$&');
  }
  return s.replace(/[, \\]/g, '\\$&');
}

const STRING_ESCAPE = /["\\]/;
const LINE_BREAK = /[\r\n]/;

/** A string field value in double quotes, or why it cannot be written. */
export function quoteString(s: string, what: Part = 'text'): string | Unwritable {
  if (LINE_BREAK.test(s)) return new Unwritable(text('sync.cause.refused.lineBreak', { part: partText(what), value: JSON.stringify(s) }));
  return STRING_ESCAPE.test(s) ? `"${s.replace(/["\\]/g, '\\$&')}"` : `"${s}"`;
}

/** A float field: the shortest text that reads back as the same double; NaN and ±Inf have none. */
export function formatFloat(v: number): string | Unwritable {
  if (!Number.isFinite(v)) return new Unwritable(text('sync.cause.refused.notFinite', { part: partText('value'), value: String(v) }));
  return Object.is(v, -0) ? '0' : String(v);
}

/** Timestamps InfluxDB can hold (int64 ns: 1677-09-21 to 2262-04-11), in ms. */
export const MIN_TIME_MS = -9_223_372_036_854;
export const MAX_TIME_MS = 9_223_372_036_854;

/** Longest line sent (bytes, UTF-8): VictoriaMetrics' default -influx.maxLineSize is 256 KiB; stay well under. */
export const MAX_LINE_BYTES = 64 * 1024;
