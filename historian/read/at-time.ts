/**
 * Values at given instants (Part 11 ReadAtTime): the archived value at that
 * time, else interpolated linearly between its neighbours or held (stepped).
 * Quality follows the neighbours: a bad or missing neighbour never yields a
 * good-looking value.
 */
import {
  BadNoData, Good, HistorianInterpolated, HistorianRaw, UncertainDataSubNormal, UncertainLastUsableValue, codeOf,
  severity, withHistorianBits,
} from '../status.js';
import { Flag, type HistValue } from '../types.js';
import type { ReadSource, TagInfo } from './source.js';
import type { AtTimeMode, AtTimeQuery, TagValues } from './types.js';

export function readAtTime(src: ReadSource, q: AtTimeQuery): TagValues[] {
  src.refresh();
  for (const [i, t] of q.times.entries()) {
    if (!Number.isFinite(t)) throw new Error(`at-time read: times[${i}]: expected ms since epoch, got ${t}`);
  }
  return src.resolve(q.tags).map((tag) => ({ tag: tag.name, values: q.times.map((t) => valueAt(src, tag, Math.floor(t), q.mode ?? 'auto')) }));
}

export function valueAt(src: ReadSource, tag: TagInfo, t: number, mode: AtTimeMode): HistValue {
  let prev = src.scan(tag, -Infinity, t, true).next().value as HistValue | undefined;
  let next = prev?.t === t ? undefined : src.after(tag, t);
  if (next === undefined && prev?.t !== t) {
    // After the last archived value: the writer's newest sample tells how long it held (ReadSource.unarchived).
    const u = src.unarchived(tag);
    if (u && u.t <= t) prev = u;
    else if (u) next = u;
  }
  if (prev === undefined) return { t, value: NaN, status: withHistorianBits(BadNoData, 0), flags: Flag.NoData };
  if (prev.t === t) return { ...prev, status: withHistorianBits(prev.status, HistorianRaw) };
  const stepped = mode === 'stepped' || typeof prev.value !== 'number' || tag.kind !== 'analog'
    || (mode === 'auto' && tag.versionAt(t).config.stepped);
  const flags = Flag.Interpolated;
  const bits = HistorianInterpolated;
  const prevSev = severity(prev.status);
  if (prevSev === 'bad') return { t, value: NaN, status: withHistorianBits(codeOf(prev.status), bits), flags };
  if (next === undefined) {
    // Beyond the archive: the last value is the best guess, not a certainty.
    return { t, value: prev.value, status: withHistorianBits(UncertainLastUsableValue, bits), flags };
  }
  if (stepped) {
    return { t, value: prev.value, status: withHistorianBits(prevSev === 'good' ? Good : UncertainDataSubNormal, bits), flags };
  }
  const nextSev = severity(next.status);
  if (nextSev === 'bad') return { t, value: NaN, status: withHistorianBits(codeOf(next.status), bits), flags };
  if (typeof next.value !== 'number') return { t, value: NaN, status: withHistorianBits(UncertainDataSubNormal, bits), flags };
  const p = prev.value as number;
  const value = p + ((next.value - p) * (t - prev.t)) / (next.t - prev.t);
  const good = prevSev === 'good' && nextSev === 'good';
  return { t, value, status: withHistorianBits(good ? Good : UncertainDataSubNormal, bits), flags };
}
