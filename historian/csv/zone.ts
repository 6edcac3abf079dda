/**
 * Zones for times written without an offset (--tz): a fixed offset (+02:00)
 * or an IANA name (Europe/Berlin) through Intl. A local wall time in a DST
 * gap never happened: `gap` says so (the reader rejects it; the function itself
 * moves it forward by the gap). One in the repeated hour is read with the
 * offset in force after the change (the second occurrence), unless the reader
 * chooses the first (`earlier`: records.ts keeps a file's times going forward).
 */
import { parseOffset } from './time.js';

/**
 * Local wall-clock ms (the fields read as if UTC) -> ms since epoch UTC. A wall time in the
 * repeated hour of a DST fall-back maps to its second occurrence; `earlier` gives its first
 * (undefined for any other wall time), so a reader can choose by context (records.ts).
 */
export interface LocalToUtc {
  (local: number): number;
  earlier?: (local: number) => number | undefined;
  /** A wall time that never happened (skipped by a spring-forward): what was expected instead, else undefined. */
  gap?: (local: number) => string | undefined;
  /** The zone's IANA name (an offset's zone has no repeated hour): named when a wall time of its repeated hour is refused. */
  zoneName?: string;
}

export function parseZone(text: string): LocalToUtc | undefined {
  if (/^utc$/i.test(text)) return (local) => local;
  const minutes = parseOffset(text);
  if (minutes !== undefined) return (local) => local - minutes * 60_000;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: text, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  const offsetAt = (utc: number): number => {
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(utc))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return wall - (utc - (((utc % 1000) + 1000) % 1000));
  };
  // Offsets change at quarter hours at most: one Intl lookup per local quarter hour seen.
  const cache = new Map<number, number>();
  const gaps = new Set<number>(); // quarter hours skipped by a spring-forward: few

  const toUtc: LocalToUtc = (local) => {
    const key = Math.floor(local / 900_000);
    let offset = cache.get(key);
    if (offset === undefined) {
      const start = key * 900_000;
      const first = offsetAt(start);
      offset = offsetAt(start - first);
      if (offsetAt(start - offset) !== offset) gaps.add(key); // read back, it is another wall time
      else {
        // In a repeated hour both offsets read back, and the lookup above finds the one in force at the
        // wall time read as UTC: the second occurrence east of UTC, the first west of it (New York).
        // The second occurrence is the later instant: the smaller of the offsets that read back.
        const after = offsetAt(start + 86_400_000);
        if (after < offset && offsetAt(start - after) === after) offset = after;
      }
      if (cache.size > 100_000) cache.clear();
      cache.set(key, offset);
    }
    return local - offset;
  };
  // The repeated hour: the offsets a day before and a day after differ (DST changes are months
  // apart), and the wall time read with the earlier one is a valid instant of it too.
  const earlierCache = new Map<number, number | null>();
  toUtc.earlier = (local) => {
    const key = Math.floor(local / 900_000);
    let before = earlierCache.get(key);
    if (before === undefined) {
      const start = key * 900_000;
      const o1 = offsetAt(start - 86_400_000);
      const o2 = offsetAt(start + 86_400_000);
      before = o1 > o2 && offsetAt(start - o1) === o1 && offsetAt(start - o2) === o2 ? o1 : null;
      if (earlierCache.size > 100_000) earlierCache.clear();
      earlierCache.set(key, before);
    }
    return before === null ? undefined : local - before;
  };
  const zoneName = format.resolvedOptions().timeZone;
  toUtc.zoneName = zoneName;
  toUtc.gap = (local) => {
    const a = local - toUtc(local);
    if (!gaps.has(Math.floor(local / 900_000))) return undefined;
    const b = offsetAt(local - a);
    return `a local time that exists in ${zoneName} (clocks went ${change(offsetAt, local, Math.min(a, b), Math.max(a, b))})`;
  };
  return toUtc;
}

/** "from 02:00 to 03:00 on 2026-03-29": the spring-forward skipping `local`, found to the second (only for a rejection). */
function change(offsetAt: (utc: number) => number, local: number, before: number, after: number): string {
  let lo = Math.floor((local - after) / 1000) * 1000, hi = Math.ceil((local - before) / 1000) * 1000; // offsetAt: `before` at lo, `after` at hi
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  const wall = (t: number) => new Date(t).toISOString().slice(11, t % 60_000 === 0 ? 16 : 19);
  return `from ${wall(hi + before)} to ${wall(hi + after)} on ${new Date(hi + before).toISOString().slice(0, 10)}`;
}

/**
 * The other direction, for writing: a zone's offset (minutes east of UTC) at
 * each instant, from a fixed offset (+02:00), UTC, or an IANA name through
 * Intl; undefined for an unknown zone. Looked up once per quarter hour seen.
 */
export function zoneOffset(text: string): ((utc: number) => number) | undefined {
  if (/^(utc|z)$/i.test(text)) return () => 0;
  const fixed = parseOffset(text);
  if (fixed !== undefined) return () => fixed;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: text, timeZoneName: 'longOffset' });
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  const cache = new Map<number, number>();
  return (utc) => {
    const key = Math.floor(utc / 900_000);
    let offset = cache.get(key);
    if (offset === undefined) {
      const name = format.formatToParts(key * 900_000).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      offset = name === 'GMT' ? 0 : (parseOffset(name.slice(3)) ?? 0);
      if (cache.size > 100_000) cache.clear();
      cache.set(key, offset);
    }
    return offset;
  };
}
