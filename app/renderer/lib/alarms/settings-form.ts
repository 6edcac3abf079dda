/**
 * The engineer's alarm settings form, checked before anything is sent: numbers typed the locale's
 * way (typed-number.ts), and the station's own rules (app/shared/config/alarms.ts checkAlarms and
 * the edit API's bounds) so what the console sends is what the station keeps. A problem is a
 * catalog key with params; where the station refuses the same thing it is the station's key, so
 * the form and a refusal say it in the same words. Every change goes in one request
 * (alarms.editSettings), which the station checks as a whole and keeps all or none of.
 */
import type { AlarmCondition, AlarmDefinition } from '../../../shared/api/alarms.js';
import type { Params } from '../../../shared/api.js';
import { MAX_DEADBAND_PERCENT, MAX_DELAY_S, unitSuffix } from '../../../shared/config/alarms.js';
import type { MessageKey, MessageParams } from '../../../shared/i18n/index.js';
import { parseTypedNumber } from '../typed-number.js';

/** The conditions whose number an engineer sets (alarms.setLimit). */
export const limitConditions = ['HH', 'H', 'L', 'LL', 'DEVH', 'DEVL', 'ROC'] as const;
export type LimitCondition = (typeof limitConditions)[number];
/** The absolute limits: within the tag's range and in order LL < L < H < HH (the config's check). */
const ORDERED = ['LL', 'L', 'H', 'HH'] as const;

export const isLimitCondition = (c: AlarmCondition): c is LimitCondition => (limitConditions as readonly string[]).includes(c);

/** What the form holds: numbers as typed. */
export interface SettingsDraft {
  limits: Partial<Record<AlarmCondition, string>>;
  priorities: Partial<Record<AlarmCondition, number>>;
  onDelayS: string;
  offDelayS: string;
  deadband: string;
  percentOfSpan: boolean;
  comment: string;
}

/** A field of the form: "limit.H", "priority.H", "onDelayS", "offDelayS", "deadband", "comment", or "" for the form as a whole. */
export interface SettingsProblem {
  field: string;
  key: MessageKey;
  params?: MessageParams;
}

/** Every changed setting of the alarm, sent as one edit. */
export type SettingsEdit = Params<'alarms.editSettings'>;

export interface SettingsCheck {
  problems: SettingsProblem[];
  /** The edit to send; null when there is a problem. */
  edit: SettingsEdit | null;
}

/** How many settings an edit changes (a limit, a priority, a delay, the deadband, a frozen window: one each). */
export function changeCount(edit: SettingsEdit): number {
  return Object.keys(edit.limits ?? {}).length + Object.keys(edit.priorities ?? {}).length
    + (edit.onDelayS !== undefined ? 1 : 0) + (edit.offDelayS !== undefined ? 1 : 0) + (edit.deadband !== undefined ? 1 : 0)
    + (edit.frozenAfterS !== undefined ? 1 : 0);
}

/** Which settings an alarm of this kind has, as the station's edits allow them (app/main/alarms/config-edits.ts). */
export function settingsOf(def: AlarmDefinition): { delays: boolean; deadband: boolean } {
  const tagAlarm = def.tag !== null && def.kind !== 'communication' && def.kind !== 'sync' && def.kind !== 'server';
  return { delays: tagAlarm, deadband: tagAlarm && (def.kind === 'limit' || def.kind === 'deviation') };
}

/** A number for editing: every digit it has, the locale's decimal mark (`format(v, decimals)`: Formats.number). */
export function editableNumber(v: number, format: (v: number, decimals: number) => string): string {
  const s = String(v);
  if (/e/i.test(s)) return s; // parseTypedNumber reads exponents; grouping them would not
  return format(v, Math.min(20, s.split('.')[1]?.length ?? 0));
}

/** The form as the definition stands. */
export function draftOf(def: AlarmDefinition, format: (v: number, decimals: number) => string): SettingsDraft {
  const limits: SettingsDraft['limits'] = {};
  const priorities: SettingsDraft['priorities'] = {};
  for (const c of def.conditions) {
    if (c.limit !== null && isLimitCondition(c.condition)) limits[c.condition] = editableNumber(c.limit, format);
    priorities[c.condition] = c.priority;
  }
  return {
    limits, priorities,
    onDelayS: editableNumber(def.onDelayS, format),
    offDelayS: editableNumber(def.offDelayS, format),
    deadband: editableNumber(def.deadband, format),
    percentOfSpan: def.deadbandPercentOfSpan,
    comment: '',
  };
}

export interface CheckOptions {
  /** The tag's EU range; null when it has none. */
  range: readonly [number, number] | null;
  /** The locale writes a decimal comma. */
  commaDecimal: boolean;
  /** The tag's engineering unit ('' without one): said with the numbers of a refusal. */
  unit: string;
}

/** Problems in what is typed, and the one edit that makes the station's settings what is typed. */
export function checkDraft(def: AlarmDefinition, draft: SettingsDraft, opts: CheckOptions): SettingsCheck {
  const problems: SettingsProblem[] = [];
  const num = (text: string, field: string): number | null => {
    const v = parseTypedNumber(text, opts.commaDecimal);
    if (Number.isNaN(v)) {
      problems.push({ field, key: 'alarmsUi.settings.notNumber', params: { text: text.trim() } });
      return null;
    }
    return v;
  };

  // Limits: the typed numbers, then the config's rules over the limits as they would be.
  const was = new Map<LimitCondition, number>();
  const now = new Map<LimitCondition, number>();
  for (const c of def.conditions) {
    if (c.limit === null || !isLimitCondition(c.condition)) continue;
    was.set(c.condition, c.limit);
    const v = num(draft.limits[c.condition] ?? '', `limit.${c.condition}`);
    now.set(c.condition, v ?? c.limit);
    if (v === null) continue;
    const field = `limit.${c.condition}`;
    if (c.condition === 'DEVH' || c.condition === 'DEVL' || c.condition === 'ROC') {
      if (!(v > 0)) problems.push({ field, key: 'alarms.refused.notPositive', params: { alarm: def.id, condition: c.condition } });
    } else if (opts.range && (v < opts.range[0] || v > opts.range[1])) {
      problems.push({ field, key: 'alarms.refused.limitOutsideRange', params: { alarm: def.id, condition: c.condition, value: v, low: opts.range[0], high: opts.range[1], unit: unitSuffix(opts.unit) } });
    }
  }
  const order = orderProblem(now);
  if (order) {
    // Said at the one the engineer moved (the station names the higher of the two).
    const moved = now.get(order.higher) !== was.get(order.higher) || now.get(order.lower) === was.get(order.lower) ? order.higher : order.lower;
    problems.push({
      field: `limit.${moved}`, key: 'alarms.refused.limitOrder',
      params: { alarm: def.id, higher: order.higher, higherValue: now.get(order.higher)!, lower: order.lower, lowerValue: now.get(order.lower)! },
    });
  }

  const { delays, deadband } = settingsOf(def);
  const delay = (text: string, field: string): number | null => {
    const v = num(text, field);
    if (v !== null && (v < 0 || v > MAX_DELAY_S)) problems.push({ field, key: 'alarmsUi.settings.delayRange', params: { max: MAX_DELAY_S } });
    return v;
  };
  const on = delays ? delay(draft.onDelayS, 'onDelayS') : null;
  const off = delays ? delay(draft.offDelayS, 'offDelayS') : null;
  let band: number | null = null;
  if (deadband) {
    band = num(draft.deadband, 'deadband');
    if (band !== null && band < 0) problems.push({ field: 'deadband', key: 'alarmsUi.settings.negative' });
    else if (band !== null && draft.percentOfSpan && band > MAX_DEADBAND_PERCENT) {
      problems.push({ field: 'deadband', key: 'alarms.refused.deadbandPercentTooBig', params: { alarm: def.id, max: MAX_DEADBAND_PERCENT } });
    }
    if (draft.percentOfSpan && !opts.range && def.tag !== null) problems.push({ field: 'deadband', key: 'alarms.refused.percentNeedsRange', params: { alarm: def.id, tag: def.tag } });
  }

  const comment = draft.comment.trim();
  // The changed settings only: the station checks the config as it will be after all of them.
  const limits: NonNullable<SettingsEdit['limits']> = {};
  for (const [c, v] of now) if (v !== was.get(c)) limits[c] = v;
  const priorities: NonNullable<SettingsEdit['priorities']> = {};
  for (const c of def.conditions) {
    const p = draft.priorities[c.condition];
    if (p !== undefined && p !== c.priority) priorities[c.condition] = p;
  }
  const edit: SettingsEdit = {
    id: def.id,
    ...(Object.keys(limits).length ? { limits } : {}),
    ...(Object.keys(priorities).length ? { priorities } : {}),
    ...(on !== null && on !== def.onDelayS ? { onDelayS: on } : {}),
    ...(off !== null && off !== def.offDelayS ? { offDelayS: off } : {}),
    ...(band !== null && (band !== def.deadband || draft.percentOfSpan !== def.deadbandPercentOfSpan) ? { deadband: { value: band, percentOfSpan: draft.percentOfSpan } } : {}),
    comment,
  };

  if (problems.length === 0 && changeCount(edit) === 0) problems.push({ field: '', key: 'alarmsUi.settings.nothingChanged' });
  if (!comment) problems.push({ field: 'comment', key: 'alarmsUi.settings.commentRequired' });
  return { problems, edit: problems.length ? null : edit };
}

/** The first pair of absolute limits out of order (LL < L < H < HH among those present), as the config checks them. */
function orderProblem(limits: ReadonlyMap<LimitCondition, number>): { lower: LimitCondition; higher: LimitCondition } | null {
  const present = ORDERED.filter((k) => limits.has(k));
  for (let k = 1; k < present.length; k++) {
    const lower = present[k - 1]!, higher = present[k]!;
    if (limits.get(lower)! >= limits.get(higher)!) return { lower, higher };
  }
  return null;
}

/** The form's fields as text, by field name ("limit.H", "priority.H", "onDelayS", "offDelayS", "deadband"; the deadband's unit with it). */
function fieldTexts(d: SettingsDraft): Map<string, string> {
  const m = new Map<string, string>();
  for (const [c, v] of Object.entries(d.limits)) m.set(`limit.${c}`, v ?? '');
  for (const [c, v] of Object.entries(d.priorities)) m.set(`priority.${c}`, String(v));
  m.set('onDelayS', d.onDelayS).set('offDelayS', d.offDelayS).set('deadband', `${d.deadband}|${d.percentOfSpan}`);
  return m;
}

/**
 * Whether anything is typed in the form: a field that differs from the definition as it stands
 * (what an untouched field shows, rebaseDraft), or a comment. Escape on such a form asks before it
 * throws the typing away (SettingsDialog.svelte); on an untouched one it closes.
 */
export function draftTyped(draft: SettingsDraft, def: AlarmDefinition, format: (v: number, decimals: number) => string): boolean {
  if (draft.comment.trim() !== '') return true;
  const typed = fieldTexts(draft), was = fieldTexts(draftOf(def, format));
  return [...typed].some(([field, text]) => text !== was.get(field));
}

/**
 * The form after the definition changed under it (another engineer's save, a config reload): a
 * field still as the old definition had it takes the new one's value; a field typed in stays as
 * typed. So a Save sends what this engineer changed and nothing else: the form fixed at opening
 * had sent back every value someone else had changed meanwhile, undoing it under this name.
 */
export function rebaseDraft(draft: SettingsDraft, from: AlarmDefinition, to: AlarmDefinition, format: (v: number, decimals: number) => string): SettingsDraft {
  const was = fieldTexts(draftOf(from, format)), now = draftOf(to, format), typed = fieldTexts(draft);
  const untouched = (field: string) => typed.get(field) === was.get(field);
  const limits = { ...draft.limits }, priorities = { ...draft.priorities };
  for (const c of Object.keys(now.limits) as LimitCondition[]) if (untouched(`limit.${c}`)) limits[c] = now.limits[c];
  for (const c of Object.keys(now.priorities) as AlarmCondition[]) if (untouched(`priority.${c}`)) priorities[c] = now.priorities[c];
  const band = untouched('deadband');
  return {
    limits, priorities,
    onDelayS: untouched('onDelayS') ? now.onDelayS : draft.onDelayS,
    offDelayS: untouched('offDelayS') ? now.offDelayS : draft.offDelayS,
    deadband: band ? now.deadband : draft.deadband,
    percentOfSpan: band ? now.percentOfSpan : draft.percentOfSpan,
    comment: draft.comment,
  };
}

/**
 * Settings this engineer typed that someone else changed since the form opened (`opened`): said,
 * with the value now in force, before anything is sent; a Save after that keeps what is typed.
 */
export function conflictsOf(draft: SettingsDraft, opened: AlarmDefinition, now: AlarmDefinition, format: (v: number, decimals: number) => string,
  label: (field: string) => string): SettingsProblem[] {
  const atOpen = fieldTexts(draftOf(opened, format)), current = fieldTexts(draftOf(now, format)), typed = fieldTexts(draft);
  const out: SettingsProblem[] = [];
  for (const [field, text] of typed) {
    const was = atOpen.get(field), is = current.get(field);
    if (is === undefined || was === is || text === was || text === is) continue;
    out.push({ field, key: 'alarmsUi.settings.changedMeanwhile', params: { setting: label(field), value: is.replace(/\|(true|false)$/, '') } });
  }
  return out;
}
