/**
 * What the screen shows for one tag: text, unit, effective quality and badge.
 * The one place that decides whether a value is live: a value whose server
 * is not connected, or that reached a console whose link is down, is shown
 * as bad whatever its own status says. Pure: the words and number formats of
 * the console's language come in as `lang` (English by default, for tests).
 */
import type { LiveValue, ServerState, TagInfo } from '../../shared/api.js';
import { Formats, Translator, type MessageKey, type MessageParams } from '../../shared/i18n/index.js';
import { badBadgeOf, qualityOf, statusText, type BadBadge, type Quality } from '../../shared/quality.js';
import type { LinkState } from './api-client.js';

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
  /** Position in the EU range, clamped to 0..1, for bars; null when not applicable. */
  fraction: number | null;
  /** The number itself when the value is numeric and usable for drawing; null otherwise. */
  number: number | null;
  /** Status, source time and why it is not live (without the tag's name): shown on focus and hover. */
  detail: string;
}

/** '?' uncertain; COMM | SENSOR | CONFIG | WAIT | BAD from the status; LINK / NODATA from the console. */
export type Badge = 'uncertain' | BadBadge | 'LINK' | 'NODATA';

export interface Liveness {
  link: LinkState;
  server: ServerState | undefined;
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

/** Decimals from the EU span; integers and tags with configured decimals are handled by decimalsOf. */
export function decimalsFor(range: [number, number] | null): number {
  if (!range) return 2;
  const span = range[1] - range[0];
  return span <= 2 ? 3 : span <= 30 ? 2 : span <= 300 ? 1 : 0;
}

const INTEGER_TYPES = new Set(['SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64']);

/**
 * Decimals for a value of this tag: configured decimals first, then the
 * OPC UA data type (integers have none), then the EU range; a tag without
 * any of these shows integers as integers ("100009", not "100009.00").
 */
export function decimalsOf(tag: TagInfo, value: number): number {
  if (tag.decimals !== null && tag.decimals !== undefined) return tag.decimals;
  if (tag.dataType && INTEGER_TYPES.has(tag.dataType)) return 0;
  if (tag.range) return decimalsFor(tag.range);
  return Number.isInteger(value) ? 0 : 2;
}

const TRIP_ROLES = new Set(['highLevelSwitch', 'esd']);

function discreteText(tag: TagInfo, v: boolean, lang: Lang): string {
  if (tag.role === 'pump') return lang.t(v ? 'value.running' : 'value.stopped');
  if (TRIP_ROLES.has(tag.role)) return lang.t(v ? 'value.tripped' : 'value.normal');
  return lang.t(v ? 'value.on' : 'value.off');
}

export function formatValue(tag: TagInfo, value: LiveValue['value'], lang: Lang = english): string {
  if (value === null) return lang.t('value.none');
  if (typeof value === 'boolean') return discreteText(tag, value, lang);
  if (typeof value === 'number') return lang.fmt.number(value, decimalsOf(tag, value));
  return value;
}

function isTripped(tag: TagInfo, value: LiveValue['value']): boolean {
  if (!TRIP_ROLES.has(tag.role)) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim().toUpperCase() !== 'NORMAL';
  return false;
}

function badgeText(badge: Badge | null, lang: Lang): string | null {
  return badge === null ? null : lang.t(`badge.${badge}` as MessageKey);
}

/** The value to show and since when it stands: the current one while usable, else the last good one. */
function held(lv: LiveValue): { value: LiveValue['value']; since: number | null } {
  if (qualityOf(lv.status) !== 'bad' && lv.value !== null) return { value: lv.value, since: lv.t };
  return lv.lastGood ? { value: lv.lastGood.value, since: lv.lastGood.t } : { value: null, since: null };
}

/** `now` dates the last good value's age in the detail (the console passes its ticking clock). */
export function viewOf(tag: TagInfo, lv: LiveValue | undefined, ctx: Liveness, lang: Lang = english, now: number = Date.now()): ValueView {
  const base = { unit: tag.unit, abnormal: false, fraction: null, number: null, heldSince: null, received: null };
  const none = lang.t('value.none');
  const view = (v: Omit<ValueView, 'badgeText'>): ValueView => ({ ...v, badgeText: badgeText(v.badge, lang) });
  const stamp = (ms: number) => `${lang.fmt.dateTime(ms)} UTC${lang.fmt.offset(ms)}`;
  if (!lv) {
    const linkDown = ctx.link !== 'connected';
    const detail = lang.t(linkDown ? 'value.detail.linkDown' : 'value.detail.noValue');
    return view({ ...base, text: none, quality: 'bad', badge: linkDown ? 'LINK' : 'NODATA', live: false, detail });
  }
  const last = held(lv);
  const at = lang.t('value.detail.status', { status: statusText(lv.status), time: stamp(lv.t) });
  const lastGood = last.since === null ? '' : `; ${lang.t('value.detail.lastGood', { value: formatValue(tag, last.value, lang), time: stamp(last.since), age: lang.fmt.duration(Math.max(0, now - last.since)) })}`;
  // Not live or not good: the last good value, dated; never the junk the server sent with a bad status.
  const stale = { ...base, text: formatValue(tag, last.value, lang), heldSince: last.since };
  if (ctx.link !== 'connected') {
    return view({ ...stale, quality: 'bad', badge: 'LINK', live: false, detail: `${lang.t('value.detail.linkDown')}; ${at}${lastGood}` });
  }
  if (!ctx.server || ctx.server.state !== 'connected') {
    const why = lang.t('value.detail.serverDown', {
      server: tag.server,
      state: ctx.server?.state ?? 'unknown',
      since: ctx.server ? stamp(ctx.server.since) : 'none',
    });
    return view({ ...stale, quality: 'bad', badge: 'COMM', live: false, detail: `${why}; ${at}${lastGood}` });
  }
  const quality = qualityOf(lv.status);
  const badge: Badge | null = quality === 'uncertain' ? 'uncertain' : badBadgeOf(lv.status);
  const usable = quality !== 'bad';
  if (!usable) {
    const received = lv.value === null ? null : formatValue(tag, lv.value, lang);
    const junk = received === null ? '' : `; ${lang.t('value.detail.junk', { value: received })}`;
    return view({ ...stale, quality, badge, live: true, received, detail: `${at}${junk}${lastGood}` });
  }
  const text = formatValue(tag, lv.value, lang);
  const number = usable && typeof lv.value === 'number' && Number.isFinite(lv.value) ? lv.value : null;
  const fraction =
    number !== null && tag.range ? Math.min(1, Math.max(0, (number - tag.range[0]) / (tag.range[1] - tag.range[0]))) : null;
  return view({ ...base, text, quality, badge, live: true, abnormal: usable && isTripped(tag, lv.value), fraction, number, detail: at });
}
