/**
 * An audit entry's old and new values as the Audit page's detail panel shows them: one row per
 * field (its name, old → new) in the console's language, not the stored JSON. The trail keeps the
 * JSON, chained into its hashes; this only reads it.
 */
import type { AuditEntry } from '../../shared/api.js';
import type { MessageKey } from '../../shared/i18n/index.js';
import { writtenDecimals } from './config-text.js';
import { valueText } from './audit-view.js';
import type { Lang } from './value-view.js';

/** One field changed: its name (null for a value that is no set of fields), its old and new value. */
export interface ChangeRow {
  field: string | null;
  /** null: the entry has no old value at all (a thing made), so only the new one is shown. */
  old: string | null;
  new: string | null;
}

/** Shown for a field one side does not have (a setting added or removed). */
export const ABSENT = '∅';

/** Actions whose whole value is worded at once (auditValue), not field by field. */
const WHOLE = new Set(['tags.setCompression', 'sync.resend', 'sync.retry']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parsed(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/** A condition of an alarm setting's YAML path (app/main/alarms/config-edits.ts). */
function conditionOf(path: string): string | null {
  let m: RegExpExecArray | null;
  if ((m = /\.limits\.(\w+)\.(?:value|priority)$/.exec(path))) return m[1]!;
  if ((m = /\.deviation\.(high|low)\.(?:value|priority)$/.exec(path))) return m[1] === 'high' ? 'DEVH' : 'DEVL';
  if (/\.rateOfChange\.(?:limit|priority)$/.test(path)) return 'ROC';
  if (/^alarms\.communication\.priority$/.test(path)) return 'COMM';
  if (/^alarms\.sync\.priority$/.test(path)) return 'SYNC';
  if ((m = /\.(bad|frozen|state)\.priority$/.exec(path))) return { bad: 'BAD', frozen: 'FROZEN', state: 'STATE' }[m[1]!]!;
  return null;
}

/** A field's name as the page that edits it names it; a name this does not know, as stored. */
function fieldName(key: string, lang: Lang): string {
  const { t } = lang;
  const account: Record<string, MessageKey> = { displayName: 'accounts.col.displayName', roles: 'accounts.col.roles', disabled: 'accounts.col.state' };
  if (account[key]) return t(account[key]);
  const condition = conditionOf(key);
  if (condition) {
    const named = t('alarmsUi.condition.' + condition as MessageKey);
    return t(/\.priority$/.test(key) ? 'alarmsUi.settings.priorityOf' : 'alarmsUi.settings.limitOf', { condition: named });
  }
  if (/\.onDelayS$/.test(key)) return t('alarmsUi.settings.onDelay');
  if (/\.offDelayS$/.test(key)) return t('alarmsUi.settings.offDelay');
  if (/\.frozen\.afterS$/.test(key)) return t('alarmsUi.settings.frozenAfter');
  if (/\.deadband$/.test(key)) return t('alarmsUi.settings.deadband');
  if (/\.deadbandPercent$/.test(key)) return t('common.phrases', { first: t('alarmsUi.settings.deadband'), then: t('alarmsUi.settings.percentOfSpan') });
  return key;
}

/** A field's value in the console's words: roles and state by name, numbers the locale's way; the rest as the cell reads it. */
function fieldValue(key: string, v: unknown, lang: Lang): string {
  const { t, fmt } = lang;
  if (v === undefined) return ABSENT;
  if (key === 'roles' && Array.isArray(v) && v.every((r) => typeof r === 'string')) return fmt.list(v.map((role: string) => t('session.role', { role })));
  if (key === 'disabled' && typeof v === 'boolean') return t('accounts.state', { state: v ? 'disabled' : 'active' });
  if (typeof v === 'number' && Number.isFinite(v)) return fmt.number(v, writtenDecimals(v));
  if (v === null) return ABSENT;
  return valueText(JSON.stringify(v));
}

/**
 * The rows of an entry's change. A set of fields on either side is shown a field a row, in the
 * order the entry names them; any other value (a state, a list of them, a text) as one row, worded
 * by `say` (auditValue) as the table's cell words it.
 */
export function changeRows(e: Pick<AuditEntry, 'action' | 'oldValue' | 'newValue'>, lang: Lang, say: (value: string) => string): ChangeRow[] {
  if (e.oldValue === null && e.newValue === null) return [];
  const before = parsed(e.oldValue), after = parsed(e.newValue);
  const fields = !WHOLE.has(e.action) && (isObj(before) || isObj(after)) && (before === undefined || isObj(before)) && (after === undefined || isObj(after));
  if (!fields) {
    const side = (json: string | null) => (json === null ? null : say(valueText(json)));
    return [{ field: null, old: side(e.oldValue), new: e.newValue === null ? ABSENT : side(e.newValue) }];
  }
  const o = before as Obj | undefined, n = after as Obj | undefined;
  const keys = [...new Set([...Object.keys(o ?? {}), ...Object.keys(n ?? {})])];
  return keys.map((key) => ({
    field: fieldName(key, lang),
    old: o === undefined ? null : fieldValue(key, Object.hasOwn(o, key) ? o[key] : undefined, lang),
    new: n === undefined ? ABSENT : fieldValue(key, Object.hasOwn(n, key) ? n[key] : undefined, lang),
  }));
}
