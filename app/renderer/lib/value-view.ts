/**
 * What the screen shows for one tag: text, unit, effective quality and badge.
 * The one place that decides whether a value is live: a value whose server
 * is not connected, or that reached a console whose link is down, is shown
 * as bad whatever its own status says. Pure: the words and number formats of
 * the console's language come in as `lang` (English by default, for tests).
 */
import type { AlarmRow, LiveValue, ServerState, TagInfo } from '../../shared/api.js';
import { Formats, Translator, type MessageKey, type MessageParams } from '../../shared/i18n/index.js';
import { badBadgeOf, markOf, qualityOf, statusText, type BadBadge, type Quality, type ValueMark } from '../../shared/quality.js';
import type { LinkState } from './api-client.js';
import { joined } from './joined.js';

export interface ValueView {
  /**
   * The value as text, "—" when there is none. When the value is not good (a failed sensor, a
   * lost server), the last good value: operators want to see where it was, marked and dated.
   */
  text: string;
  /** When the shown value is not the current one: its source time (the screen shows its age). */
  heldSince: number | null;
  /** What the server sent instead (a failed sensor's junk), for the detail only; null when nothing. */
  received: string | null;
  unit: string;
  quality: Quality;
  /** What the badge stands for (stable, for tests and styles); null: no badge. */
  badge: Badge | null;
  /** The badge in the console's language. */
  badgeText: string | null;
  live: boolean;
  /** A discrete state that is abnormal in itself (switch tripped, ESD tripped): alarm colour. */
  abnormal: boolean;
  /** The station's frozen-value alarm on the tag is active: a Good value that stopped changing (dated by heldSince). */
  frozen: boolean;
  /** A usable discrete value as on/off (a Boolean, or a number: nonzero is on); null otherwise. */
  state: boolean | null;
  /** Position in the EU range, clamped to 0..1, for bars; null when not applicable. */
  fraction: number | null;
  /** The number itself when the value is numeric and usable for drawing; null otherwise. */
  number: number | null;
  /** Status, source time and why it is not live (without the tag's name): shown on focus and hover. */
  detail: string;
}

/**
 * '?' uncertain; COMM | SENSOR | CONFIG | WAIT | BAD from the status; LINK / NODATA from the console;
 * on a good value, its mark (forced, at a limit). An uncertain value's mark follows its '?' in the text.
 */
export type Badge = 'uncertain' | BadBadge | 'LINK' | 'NODATA' | ValueMark | 'FROZEN';

export interface Liveness {
  link: LinkState;
  server: ServerState | undefined;
  /** The tag's frozen-value alarm is active (frozenBy): its good value has not changed for the alarm's window. */
  frozen?: boolean;
}

/** Whether a tag's `<tag>/frozen` alarm row says its value is frozen now (active; a returned row is not). */
export function frozenBy(row: AlarmRow | undefined): boolean {
  return row !== undefined && row.kind === 'frozen' && row.flags.active;
}

/** The words and formats of one language. */
export interface Lang {
  t(key: MessageKey, params?: MessageParams): string;
  fmt: Formats;
}

export const english: Lang = (() => {
  const tr = new Translator('en');
  return { t: (k, p) => tr.t(k, p), fmt: new Formats('en') };
})();

/**
 * Decimals that resolve the EU span (about a thousand steps across it): the fewest a value of the
 * tag shows (formatNumber). A span under 0.1 gets more, so no value of it, nor its ends (3e-9 of
 * a [0, 5e-9] range), reads as 0.
 */
export function decimalsFor(range: [number, number] | null): number {
  if (!range) return 2;
  const span = range[1] - range[0];
  if (span > 0 && span < 0.1) return Math.min(20, 2 - Math.floor(Math.log10(span)));
  return span <= 2 ? 3 : span <= 30 ? 2 : span <= 300 ? 1 : 0;
}

/** What of a tag decides how its numbers read. */
export type NumberRules = Pick<TagInfo, 'decimals' | 'dataType' | 'range'>;

/** A number of no known tag (an alarm whose tag left the configuration): by its own digits. */
export const NO_RULES: NumberRules = { decimals: null, dataType: null, range: null };

const INTEGER_TYPES = new Set(['SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64']);

/** Digits a value shows at most: a Float's precision; a Double's digits beyond it are noise on screen. */
const SIGNIFICANT = 7;
/** Outside [1e-4, 1e10) a value is written in engineering notation: fixed, it is mostly zeros or 14+ digits wide. */
const ENGINEERING_BELOW = 1e-4;
const ENGINEERING_FROM = 1e10;

/** The decimals of the value's own digits, up to SIGNIFICANT significant ones (12.35f -> 2, 1234.567 -> 3). */
function ownDecimals(value: number): number {
  const rounded = Number(value.toPrecision(SIGNIFICANT));
  const most = Math.max(0, SIGNIFICANT - 1 - Math.floor(Math.log10(Math.abs(rounded))));
  for (let d = 0; d < most; d++) if (Number(rounded.toFixed(d)) === rounded) return d;
  return most;
}

/** Decimals a tag that says none (no decimals, no EU range) shows at most of its value's own. */
const OWN_DECIMALS_MOST = 6;
/** Significant digits a Double keeps through any decimal text (DBL_DIG): further ones are its binary's, not the value's. */
const DOUBLE_DIGITS = 15;

/** The shortest decimal number that a Float reads back as this value's Float (3692.60009765625 -> 3692.6). */
function shortestFloat(value: number): number {
  const f = Math.fround(value);
  for (let p = 1; p < 9; p++) {
    const n = Number(value.toPrecision(p));
    if (Math.fround(n) === f) return n;
  }
  return value;
}

/**
 * The decimals of the value's shortest text that reads back as the same number, at most
 * OWN_DECIMALS_MOST and none past a Double's 15 significant digits (0.1 + 0.2 -> 1, 2/3 -> 6).
 * A Float, or a value of a type not known yet that a Float holds exactly (a Float the server sent,
 * widened), at a Float's precision: 3692.6f must not read 3,692.600098.
 */
function roundTripDecimals(value: number, dataType: string | null | undefined): number {
  const asFloat = dataType === 'Float' || (!dataType && Math.fround(value) === value);
  const most = Math.min(OWN_DECIMALS_MOST, Math.max(0, DOUBLE_DIGITS - 1 - Math.floor(Math.log10(Math.abs(value)))));
  const rounded = Number((asFloat ? shortestFloat(value) : value).toFixed(most));
  for (let d = 0; d < most; d++) if (Number(rounded.toFixed(d)) === rounded) return d;
  return most;
}

/**
 * A number of this tag as the screen writes it. Configured decimals stand, unless they would
 * show a nonzero value as 0; integer types are exact. With an EU range, at least the decimals of
 * the span, and as many more as the value's own digits need (up to seven significant), so two
 * values that differ read differently: 1,234.567 and 1,234.568 on a [1000, 3000] range. Without
 * one, the value's own decimals (roundTripDecimals): 3692.6 is not written 3,692.60.
 */
export function formatNumber(tag: NumberRules, value: number, lang: Lang = english): string {
  if (!Number.isFinite(value)) return lang.fmt.number(value, 0);
  const size = Math.abs(value);
  const engineering = () => lang.fmt.engineering(value, SIGNIFICANT);
  if (tag.decimals !== null && tag.decimals !== undefined) {
    return size !== 0 && size < 0.5 * 10 ** -tag.decimals ? engineering() : lang.fmt.number(value, tag.decimals);
  }
  if (tag.dataType && INTEGER_TYPES.has(tag.dataType)) return lang.fmt.number(value, 0);
  if (size !== 0 && (size < ENGINEERING_BELOW || size >= ENGINEERING_FROM)) return engineering();
  if (!tag.range) return lang.fmt.number(value, size === 0 ? 0 : roundTripDecimals(value, tag.dataType));
  const least = decimalsFor(tag.range);
  // Zero is exactly zero: no column of zeros from a tiny span's decimals.
  return lang.fmt.number(value, size === 0 ? Math.min(least, 3) : Math.max(least, ownDecimals(value)));
}

/** A number of the tag with its unit (a limit, an alarm's value), read as its values read everywhere. */
export function quantityText(tag: NumberRules, value: number, unit: string, lang: Lang = english): string {
  const n = formatNumber(tag, value, lang);
  return unit ? `${n}\u202f${unit}` : n;
}

/**
 * An end of the EU range as a gauge labels it: two decimals fewer than the values (a label, not
 * a reading), in engineering notation where fixed digits would be all zeros or too wide.
 */
export function rangeEndText(range: [number, number], x: number, lang: Lang = english): string {
  const size = Math.abs(x);
  if (size === 0) return lang.fmt.number(0, 0);
  if (size < ENGINEERING_BELOW || size >= ENGINEERING_FROM) return lang.fmt.engineering(x, 3);
  return lang.fmt.number(x, Math.max(0, decimalsFor(range) - 2));
}

const TRIP_ROLES = new Set(['highLevelSwitch', 'esd']);

function discreteText(tag: TagInfo, v: boolean, lang: Lang): string {
  if (tag.role === 'pump') return lang.t(v ? 'value.running' : 'value.stopped');
  if (TRIP_ROLES.has(tag.role)) return lang.t(v ? 'value.tripped' : 'value.normal');
  return lang.t(v ? 'value.on' : 'value.off');
}

/**
 * A discrete value as on/off: a Boolean, or a number (a switch or ESD state typed Byte, Int32 or
 * an enumeration) read as the alarm engine's state match reads it against `when: true`: nonzero
 * is on. Null for anything else.
 */
export function discreteState(tag: TagInfo, value: LiveValue['value']): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && tag.kind === 'discrete' && Number.isFinite(value)) return value !== 0;
  return null;
}

/** The name the tag's enumeration gives this state ("Open"), as the server wrote it; null when it names none. */
export function stateName(tag: Pick<TagInfo, 'kind' | 'states'>, value: LiveValue['value']): string | null {
  if (tag.kind !== 'discrete' || typeof value !== 'number' || !tag.states) return null;
  return tag.states.find((s) => s.value === value)?.name ?? null;
}

export function formatValue(tag: TagInfo, value: LiveValue['value'], lang: Lang = english): string {
  if (value === null) return lang.t('value.none');
  // An enumeration's own word for its state: "Open", not "ON (2)".
  const named = stateName(tag, value);
  if (named !== null) return named;
  const state = discreteState(tag, value);
  if (state !== null) {
    const words = discreteText(tag, state, lang);
    // An enumeration's other values keep their number beside the words.
    return typeof value === 'number' && value !== 0 && value !== 1 ? lang.t('common.aside', { first: words, aside: formatNumber(tag, value, lang) }) : words;
  }
  if (typeof value === 'number') return formatNumber(tag, value, lang);
  return String(value);
}

function isTripped(tag: TagInfo, value: LiveValue['value']): boolean {
  if (!TRIP_ROLES.has(tag.role)) return false;
  if (typeof value === 'string') return value.trim().toUpperCase() !== 'NORMAL';
  return discreteState(tag, value) === true;
}

function badgeText(badge: Badge | null, lang: Lang, mark: ValueMark | 'FROZEN' | null): string | null {
  if (badge === null) return null;
  const text = lang.t(`badge.${badge}` as MessageKey);
  return mark !== null && mark !== badge ? `${text} ${lang.t(`badge.${mark}` as MessageKey)}` : text;
}

/**
 * The last good value and since when it stands, shown when the current one may not be (a lost
 * server or link, a bad status): the current one only if it is Good. An uncertain value is not
 * vouched for (the station never keeps one as the last good one, app/main/station/live-cache.ts):
 * held, it would read as a good value, dated, with the last good one hidden behind it.
 */
function held(lv: LiveValue): { value: LiveValue['value']; since: number | null } {
  if (qualityOf(lv.status) === 'good' && lv.value !== null) return { value: lv.value, since: lv.t };
  return lv.lastGood ? { value: lv.lastGood.value, since: lv.lastGood.t } : { value: null, since: null };
}

/**
 * The value is not live for the cause `shared` names (its card's level says it, with its age) and
 * was good up to it: the card may draw it not live without repeating that age and badge. A value
 * bad before its server was lost (a sensor failed two days ago) keeps its own: its age tells.
 */
export function lostWith(shared: Badge | null, v: ValueView, lv: LiveValue | undefined): boolean {
  if (shared === null || v.live || v.badge !== shared || !lv) return false;
  return lv.goodAtLoss === true || (qualityOf(lv.status) === 'good' && lv.value !== null);
}

/** `now` dates the last good value's age in the detail (the console passes its ticking clock). */
export function viewOf(tag: TagInfo, lv: LiveValue | undefined, ctx: Liveness, lang: Lang = english, now: number = Date.now()): ValueView {
  const base = { unit: tag.unit, abnormal: false, frozen: false, state: null, fraction: null, number: null, heldSince: null, received: null };
  const none = lang.t('value.none');
  const view = (v: Omit<ValueView, 'badgeText'>, mark: ValueMark | 'FROZEN' | null = null): ValueView => ({ ...v, badgeText: badgeText(v.badge, lang, mark) });
  const stamp = (ms: number) => `${lang.fmt.dateTime(ms)} UTC${lang.fmt.offset(ms)}`;
  if (!lv) {
    const linkDown = ctx.link !== 'connected';
    const detail = lang.t(linkDown ? 'value.detail.linkDown' : 'value.detail.noValue');
    return view({ ...base, text: none, quality: 'bad', badge: linkDown ? 'LINK' : 'NODATA', live: false, detail });
  }
  const last = held(lv);
  const at = lang.t('value.detail.status', { status: statusText(lv.status), time: stamp(lv.t) });
  const lastGood = last.since === null ? null : lang.t('value.detail.lastGood', { value: formatValue(tag, last.value, lang), time: stamp(last.since), age: lang.fmt.duration(Math.max(0, now - last.since)) });
  // The detail's clauses joined as the language joins them ("; ", Chinese "；").
  const clauses = (...parts: (string | null)[]) => joined(lang.t, 'common.clauses', parts);
  // Not live or not good: the last good value, dated; never the junk the server sent with a bad status.
  const stale = { ...base, text: formatValue(tag, last.value, lang), heldSince: last.since };
  if (ctx.link !== 'connected') {
    return view({ ...stale, quality: 'bad', badge: 'LINK', live: false, detail: clauses(lang.t('value.detail.linkDown'), at, lastGood) });
  }
  if (!ctx.server || ctx.server.state !== 'connected') {
    const why = lang.t('value.detail.serverDown', {
      server: tag.server,
      state: ctx.server?.state ?? 'unknown',
      since: ctx.server ? stamp(ctx.server.since) : 'none',
    });
    return view({ ...stale, quality: 'bad', badge: 'COMM', live: false, detail: clauses(why, at, lastGood) });
  }
  const quality = qualityOf(lv.status);
  // Forced or at a limit: marked on the value itself, however good its status.
  const mark = quality === 'bad' ? null : markOf(lv.status);
  const badge: Badge | null = quality === 'uncertain' ? 'uncertain' : quality === 'good' ? mark : badBadgeOf(lv.status);
  const usable = quality !== 'bad';
  if (!usable) {
    const received = lv.value === null ? null : formatValue(tag, lv.value, lang);
    const junk = received === null ? null : lang.t('value.detail.junk', { value: received });
    return view({ ...stale, quality, badge, live: true, received, detail: clauses(at, junk, lastGood) });
  }
  const text = formatValue(tag, lv.value, lang);
  const number = usable && typeof lv.value === 'number' && Number.isFinite(lv.value) ? lv.value : null;
  const fraction =
    number !== null && tag.range ? Math.min(1, Math.max(0, (number - tag.range[0]) / (tag.range[1] - tag.range[0]))) : null;
  const state = discreteState(tag, lv.value);
  if (ctx.frozen) {
    // Frozen: marked (beside the value's own mark), dated from its last change: the source time it still carries.
    const since = lang.t('value.detail.frozen', { time: stamp(lv.t), age: lang.fmt.duration(Math.max(0, now - lv.t)) });
    return view({
      ...base, text, quality, badge: quality === 'uncertain' ? 'uncertain' : 'FROZEN', live: true, frozen: true, heldSince: lv.t,
      abnormal: isTripped(tag, lv.value), state, fraction, number, detail: clauses(at, since),
    }, quality === 'uncertain' ? 'FROZEN' : mark);
  }
  return view({ ...base, text, quality, badge, live: true, abnormal: isTripped(tag, lv.value), state, fraction, number, detail: at }, mark);
}
