/**
 * What the screen shows for one tag: text, unit, effective quality and badge.
 * The one place that decides whether a value is live: a value whose server
 * is not connected, or that reached a console whose link is down, is shown
 * as bad whatever its own status says.
 */
import type { LiveValue, ServerState, TagInfo } from '../../shared/api.js';
import { badBadgeOf, qualityOf, statusText, type Quality } from '../../shared/quality.js';
import type { LinkState } from './api-client.js';
import { isoLocal } from './time-format.js';

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
  /** '?' for uncertain; COMM | SENSOR | BAD from the status; LINK / NO DATA from the console. */
  badge: string | null;
  live: boolean;
  /** A discrete state that is abnormal in itself (switch tripped, ESD tripped): alarm colour. */
  abnormal: boolean;
  /** Position in the EU range, clamped to 0..1, for bars; null when not applicable. */
  fraction: number | null;
  /** The number itself when the value is numeric and usable for drawing; null otherwise. */
  number: number | null;
  /** Tooltip: status, source time, why it is not live. */
  title: string;
}

export interface Liveness {
  link: LinkState;
  server: ServerState | undefined;
}

export function decimalsFor(range: [number, number] | null): number {
  if (!range) return 2;
  const span = range[1] - range[0];
  return span <= 2 ? 3 : span <= 30 ? 2 : span <= 300 ? 1 : 0;
}

const TRIP_ROLES = new Set(['highLevelSwitch', 'esd']);

function discreteText(tag: TagInfo, v: boolean): string {
  if (tag.role === 'pump') return v ? 'RUNNING' : 'STOPPED';
  if (TRIP_ROLES.has(tag.role)) return v ? 'TRIPPED' : 'NORMAL';
  return v ? 'ON' : 'OFF';
}

export function formatValue(tag: TagInfo, value: LiveValue['value']): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return discreteText(tag, value);
  if (typeof value === 'number') return Number.isFinite(value) ? value.toFixed(decimalsFor(tag.range)) : String(value);
  return value;
}

function isTripped(tag: TagInfo, value: LiveValue['value']): boolean {
  if (!TRIP_ROLES.has(tag.role)) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim().toUpperCase() !== 'NORMAL';
  return false;
}

/** The value to show and since when it stands: the current one while usable, else the last good one. */
function held(lv: LiveValue): { value: LiveValue['value']; since: number | null } {
  if (qualityOf(lv.status) !== 'bad' && lv.value !== null) return { value: lv.value, since: lv.t };
  return lv.lastGood ? { value: lv.lastGood.value, since: lv.lastGood.t } : { value: null, since: null };
}

export function viewOf(tag: TagInfo, lv: LiveValue | undefined, ctx: Liveness): ValueView {
  const base = { unit: tag.unit, abnormal: false, fraction: null, number: null, heldSince: null, received: null };
  if (!lv) {
    const why = ctx.link !== 'connected' ? 'console link to the station is down' : 'no value received yet';
    return { ...base, text: '—', quality: 'bad', badge: ctx.link !== 'connected' ? 'LINK' : 'NO DATA', live: false, title: `${tag.name}: ${why}` };
  }
  const last = held(lv);
  const at = `${statusText(lv.status)} at ${isoLocal(lv.t)}`;
  const lastGood = last.since === null ? '' : `; last good ${formatValue(tag, last.value)} at ${isoLocal(last.since)}`;
  const stale = { ...base, text: formatValue(tag, last.value), heldSince: last.since };
  if (ctx.link !== 'connected') {
    return { ...stale, quality: 'bad', badge: 'LINK', live: false, title: `${tag.name}: NOT LIVE, console link to the station is down; last ${at}${lastGood}` };
  }
  if (!ctx.server || ctx.server.state !== 'connected') {
    const state = ctx.server ? `${ctx.server.state} since ${isoLocal(ctx.server.since)}` : 'unknown';
    return { ...stale, quality: 'bad', badge: 'COMM', live: false, title: `${tag.name}: NOT LIVE, server ${tag.server} ${state}; last ${at}${lastGood}` };
  }
  const quality = qualityOf(lv.status);
  const badge = quality === 'uncertain' ? '?' : badBadgeOf(lv.status);
  const usable = quality !== 'bad';
  if (!usable) {
    // The server's value beside a bad status (a failed sensor's junk) is for the detail only.
    const received = lv.value === null ? null : formatValue(tag, lv.value);
    const junk = received === null ? '' : `; received ${received}`;
    return { ...stale, quality, badge, live: true, received, title: `${tag.name}: ${at}${junk}${lastGood}` };
  }
  const text = formatValue(tag, lv.value);
  const number = usable && typeof lv.value === 'number' && Number.isFinite(lv.value) ? lv.value : null;
  const fraction =
    number !== null && tag.range ? Math.min(1, Math.max(0, (number - tag.range[0]) / (tag.range[1] - tag.range[0]))) : null;
  return {
    ...base,
    text,
    quality,
    badge,
    live: true,
    abnormal: usable && isTripped(tag, lv.value),
    fraction,
    number,
    title: `${tag.name}: ${at}`,
  };
}
