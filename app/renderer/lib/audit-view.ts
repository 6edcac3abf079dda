/** How the Audit page turns its filter fields into a query, and an entry into short cells. */
import type { AuditEntry, AuditFilter } from '../../shared/api.js';

export interface AuditFields {
  /** datetime-local values (the console's local time), or ''. */
  from: string;
  to: string;
  user: string;
  action: string;
  result: '' | 'ok' | 'refused' | 'failed';
}

export const emptyFields = (): AuditFields => ({ from: '', to: '', user: '', action: '', result: '' });

/** The filter the station takes; a time that does not parse is left out rather than guessed. */
export function filterOf(f: AuditFields): AuditFilter {
  const filter: AuditFilter = {};
  const from = f.from ? new Date(f.from).getTime() : NaN;
  const to = f.to ? new Date(f.to).getTime() : NaN;
  if (Number.isFinite(from)) filter.from = from;
  if (Number.isFinite(to)) filter.to = to;
  if (f.user.trim()) filter.user = f.user.trim().toLowerCase();
  if (f.action.trim()) filter.action = f.action.trim();
  if (f.result) filter.result = f.result;
  return filter;
}

/**
 * A stored value (JSON text) as a person reads it: a text without its quotes, a list joined with
 * commas, an object as "field: value; ..."; what does not parse, as stored.
 */
export function valueText(json: string): string {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return json; // stored as plain text
  }
  return readable(v);
}

function readable(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : readable(x))).join(', ');
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v).map(([k, x]) => `${k}: ${typeof x === 'object' && x !== null && !Array.isArray(x) ? JSON.stringify(x) : readable(x)}`).join('; ');
  }
  return String(v);
}

/** "old → new" from the stored JSON texts (each as `say` words it), shortened for a table cell. */
export function changeText(e: Pick<AuditEntry, 'oldValue' | 'newValue'>, max = 80, say: (value: string) => string = (v) => v): string {
  if (e.oldValue === null && e.newValue === null) return '';
  const side = (json: string) => say(valueText(json));
  const text = e.oldValue === null ? side(e.newValue ?? '') : `${side(e.oldValue)} → ${e.newValue === null ? '∅' : side(e.newValue)}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
