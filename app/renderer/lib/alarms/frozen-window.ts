/**
 * The frozen-value window (s) in the engineer's settings dialog (SettingsDialog.svelte): read the
 * locale's way, held to the station YAML's own bounds for tags[i].alarms.frozen.afterS (the same
 * zod rule, so the form refuses what the station would, in the station's words:
 * alarms.refused.frozenAfterRange), following another engineer's save while untouched, and sent
 * only when typed (alarms.editSettings frozenAfterS).
 */
import type { AlarmDefinition } from '../../../shared/api/alarms.js';
import { MAX_FROZEN_S, tagAlarmsSchema } from '../../../shared/config/alarms.js';
import type { Formats } from '../../../shared/i18n/index.js';
import { durationJoin, durationPart, durationUnits } from '../../../shared/i18n/format.js';
import { editableNumber, type SettingsCheck, type SettingsProblem } from './settings-form.js';
import { parseTypedNumber } from '../typed-number.js';

type Format = (v: number, decimals: number) => string;

/** The YAML's rule for afterS (> 0, at most a week). */
const afterSRule = tagAlarmsSchema.shape.frozen.unwrap().shape.afterS;

/** The field's name in the form (its input's name and a problem's field). */
export const FROZEN_FIELD = 'frozenAfterS';

/** The window as the field shows it; null for an alarm that has none (not a frozen-value alarm). */
export function frozenText(def: AlarmDefinition, format: Format): string | null {
  return def.frozenAfterS === undefined ? null : editableNumber(def.frozenAfterS, format);
}

/** The typed window in seconds, or null when it is not a number. */
export function typedSeconds(text: string, commaDecimal: boolean): number | null {
  const v = parseTypedNumber(text, commaDecimal);
  return Number.isNaN(v) ? null : v;
}

/**
 * The typed window as a duration beside the field, to the precision typed: "1.5 s" (rounded to a
 * whole "2 s", the engineer read another window than the one typed), "1 min 30 s", "1 h 00 min 30 s",
 * "1 d 0 h"; the number the locale's way ("1,5 с"), every decimal typed. Formats.duration's form and words, carried
 * down to the smallest unit the value has; null when the text is no window (not a number, or not above 0).
 */
export function frozenDuration(text: string, commaDecimal: boolean, fmt: Formats): string | null {
  const v = typedSeconds(text, commaDecimal);
  if (v === null || !(v > 0) || !Number.isFinite(v)) return null;
  // Whole seconds as a number, the decimals as the digits typed: every digit said, none rounded away
  // (held to six decimals, 1.0000004 was said "1.000000 s"; a number that carried them lost the last).
  const { whole, fraction } = typedParts(text, commaDecimal, v);
  const seconds = whole % 60;
  const values = [Math.floor(whole / 86_400), Math.floor((whole % 86_400) / 3600), Math.floor((whole % 3600) / 60), seconds + (/[1-9]/.test(fraction) ? 0.5 : 0)];
  const w = durationUnits[fmt.locale];
  const units = [w.d, w.h, w.m, w.s] as const;
  // From the largest unit there is, down to the next one (as Formats.duration writes it) or to the last one not 0.
  const largest = values.findIndex((n) => n > 0);
  const first = largest < 0 ? 3 : largest;
  const last = Math.max(Math.min(first + 1, 3), values.findLastIndex((n) => n > 0));
  const mark = fmt.number(0.5, 1).replace(/\d/g, ''); // the locale's decimal mark
  const parts: string[] = [];
  for (let i = first; i <= last; i++) {
    let digits = i === 3 ? `${fmt.number(seconds, 0)}${fraction ? mark + fraction : ''}` : String(values[i]!);
    // Minutes and seconds after a larger unit in two digits ("1 h 05 min", "1 min 05,5 s"); hours after days not.
    if (i > first && i >= 2 && (i === 3 ? seconds : values[i]!) < 10) digits = `0${digits}`;
    parts.push(durationPart(fmt.locale, digits, units[i]!));
  }
  return durationJoin(fmt.locale, parts);
}

/**
 * The typed window's whole seconds and its decimals as typed ("1,50" in Russian: 1 and "50"); a
 * window typed with an exponent ("1.5e2") by its value's own digits.
 */
function typedParts(text: string, commaDecimal: boolean, value: number): { whole: number; fraction: string } {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/e/i.test(s)) {
    const plain = commaDecimal ? s.replace(',', '.') : s.replace(/,/g, '');
    const [int = '', fraction = ''] = plain.split('.');
    return { whole: Number(int || '0'), fraction };
  }
  const [int = '', fraction = ''] = (/e/i.test(String(value)) ? value.toFixed(20).replace(/0+$/, '') : String(value)).split('.');
  return { whole: Number(int || '0'), fraction };
}

export interface FrozenCheck {
  problems: SettingsProblem[];
  /** The new window to send; undefined when unchanged (or with a problem). */
  frozenAfterS?: number;
}

/** What is typed, checked by the YAML's bounds; a window only when it differs from the definition's. */
export function checkFrozen(def: AlarmDefinition, text: string | null, commaDecimal: boolean): FrozenCheck {
  if (text === null || def.frozenAfterS === undefined) return { problems: [] };
  const v = typedSeconds(text, commaDecimal);
  if (v === null) return { problems: [{ field: FROZEN_FIELD, key: 'alarmsUi.settings.notNumber', params: { text: text.trim() } }] };
  if (!afterSRule.safeParse(v).success) {
    return { problems: [{ field: FROZEN_FIELD, key: 'alarms.refused.frozenAfterRange', params: { alarm: def.id, value: v, max: MAX_FROZEN_S } }] };
  }
  return v === def.frozenAfterS ? { problems: [] } : { problems: [], frozenAfterS: v };
}

/** The field after the definition changed under the form: untouched, it takes the new window; typed in, it stays. */
export function rebaseFrozen(typed: string | null, from: AlarmDefinition, to: AlarmDefinition, format: Format): string | null {
  return typed === frozenText(from, format) ? frozenText(to, format) : typed;
}

/** The window this engineer typed over one someone else saved since `opened`: said with the window now in force. */
export function frozenConflict(typed: string | null, opened: AlarmDefinition, now: AlarmDefinition, format: Format, label: string): SettingsProblem[] {
  const was = frozenText(opened, format), is = frozenText(now, format);
  if (typed === null || is === null || was === is || typed === was || typed === is) return [];
  return [{ field: FROZEN_FIELD, key: 'alarmsUi.settings.changedMeanwhile', params: { setting: label, value: is } }];
}

/**
 * The form's whole check with the window in it: its problems added, and the window in the edit. A
 * window typed is a change, so the form's "nothing is changed" does not stand beside it (nor beside
 * a bad window, which is said instead).
 */
export function withFrozen(checked: SettingsCheck, frozen: FrozenCheck, typedChanged: boolean, def: AlarmDefinition, comment: string): SettingsCheck {
  const problems = [...checked.problems.filter((p) => !(typedChanged && p.key === 'alarmsUi.settings.nothingChanged')), ...frozen.problems];
  if (problems.length) return { problems, edit: null };
  // No other problem: without a window the form's edit stands; with one, nothing else changed is still an edit of it.
  const base = checked.edit ?? { id: def.id, comment: comment.trim() };
  return { problems, edit: frozen.frozenAfterS === undefined ? base : { ...base, frozenAfterS: frozen.frozenAfterS } };
}
