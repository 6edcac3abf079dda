/**
 * The late path of an import (rows at or before a tag's newest archived sample) writes only what
 * changes the archive. Re-importing a file, or importing one that overlaps what is archived,
 * must not store its rows a second time:
 *
 * - a sample identical to the archived one at its time (value by Object.is, none when Bad; status
 *   as archived; flags when the file gives them) is dropped;
 *   on a compressed analog tag also one with that status whose value the archived point holds
 *   within the tag's bound (a deadband's hold record stands at a suppressed sample's time with
 *   the band's value: "correcting" it to the sample drew the flat stretch as a ramp through it);
 * - discrete and text tags keep their change-only rule (compression/discrete.ts): a sample with
 *   the value and status in force at its time is dropped (the last one before a status change
 *   is kept, as the compressor keeps it);
 * - a compressed analog tag (deadband, swinging door): the samples between two archived points
 *   are dropped when the reconstruction between those points (linear, or held for a stepped
 *   tag) stays within the tag's bound of every one of them (compression/README.md "The
 *   guarantee": dev, or dev + 2·ExcDev), their status is that of both points and the points are
 *   no more than CompMax apart. If any one is outside, they are all kept (archived as given).
 *
 * What the archive holds is read from its files (a ReadSource on the archive's directory): data
 * the writer has not flushed yet is not seen, so a sample may be kept that did not need to be
 * (never the other way round: what was written before the import started was flushed). The
 * samples this filter let through are remembered per tag until the next flush (reset), and
 * count as archived: the archive will hold them.
 */
import { analogSettings } from '../compression/settings.js';
import { ReadSource, type TagInfo } from '../read/source.js';
import { archivedStatusOf, conditionOf, isBad } from '../status.js';
import type { HistValue, Sample } from '../types.js';
import { ARCHIVED_FLAGS } from './archived-flags.js';

type Point = Sample & { flags?: number };

/**
 * The statuses as the archive keeps them (status.ts archivedStatusOf): an export writes each with
 * the InfoType a read adds (0x00000400 for Good), and such a file imported back replaced every value.
 */
const sameStatus = (a: Point, s: Point): boolean => archivedStatusOf(a.status) === archivedStatusOf(s.status);
/** A sample with flags (a file with Vigil's flags column) is the archived point only with its flags; one without says nothing of them. */
const sameFlags = (a: Point, s: Point): boolean => s.flags === undefined || ((a.flags ?? 0) & ARCHIVED_FLAGS) === (s.flags & ARCHIVED_FLAGS);
/** A Bad sample's value is no value (reads and exports leave it out: write.ts valueCell): an export's empty cell is the archived one. */
const sameValue = (a: Point, s: Point): boolean => Object.is(a.value, s.value) || (isBad(a.status) && isBad(s.status));
const same = (a: Point, s: Point): boolean => sameValue(a, s) && sameStatus(a, s) && sameFlags(a, s);

export class LateFilter {
  private src: ReadSource | null = null;
  /** Per tag, in time order: the samples this filter let through since the last flush (the files do not show them yet). */
  private readonly kept = new Map<string, Point[]>();
  private listed: readonly TagInfo[] | null = null;
  private byName = new Map<string, TagInfo>();

  constructor(private readonly dir: string) {}

  /**
   * Of a tag's late samples (in time order, one per time), those that change the archive (tell
   * written() when they are inserted). `tally.replacing` counts those of them at the time of an
   * archived value they replace (a correction, not an addition).
   */
  changes(name: string, samples: readonly Sample[], tally?: { replacing: number }): Sample[] {
    if (samples.length === 0) return [];
    const src = (this.src ??= new ReadSource(this.dir));
    src.refresh();
    const tags = src.tags();
    if (tags !== this.listed) { // the catalog changed (new tags): by exact name, no wildcards
      this.listed = tags;
      this.byName = new Map(tags.map((t) => [t.name, t]));
    }
    const tag = this.byName.get(name);
    if (tag === undefined) return [...samples]; // not in the catalog the files show: nothing archived to compare with
    const first = samples[0]!.t, last = samples[samples.length - 1]!.t;
    const mine = this.kept.get(name) ?? [];
    // What the archive holds: its files, and over them what was let through since (at one time, the latter).
    let i = firstAfter(mine, first - 1);
    const archivedBefore: Point | undefined = src.before(tag, first);
    const keptBefore = i > 0 ? mine[i - 1] : undefined;
    const before = keptBefore && (!archivedBefore || keptBefore.t >= archivedBefore.t) ? keptBefore : archivedBefore;
    const archived = src.scan(tag, first, last, false);
    let file = archived.next().value as HistValue | undefined;
    let after: Point | undefined | null = null;
    const cursor: Cursor = {
      at: undefined,
      advance() {
        const k = i < mine.length && mine[i]!.t <= last ? mine[i] : undefined;
        if (k && (!file || k.t <= file.t)) {
          if (file && file.t === k.t) file = archived.next().value as HistValue | undefined;
          i++;
          this.at = k;
        } else {
          this.at = file;
          if (file) file = archived.next().value as HistValue | undefined;
        }
      },
      next() {
        if (this.at) return this.at;
        if (after === null) {
          const a = src.after(tag, last);
          const k = mine[firstAfter(mine, last)];
          after = k && (!a || k.t <= a.t) ? k : a;
        }
        return after;
      },
    };
    cursor.advance();
    const replace = tally ? () => { tally.replacing++; } : () => {};
    return tag.kind === 'analog' ? this.analog(tag, samples, before, cursor, replace) : this.events(samples, before, cursor, replace);
  }

  /** The changes() the archive took (insert succeeded): they count as archived from now on. */
  written(name: string, points: readonly Sample[]): void {
    if (points.length) this.kept.set(name, mergeByTime(this.kept.get(name) ?? [], points));
  }

  /** After a flush the archive's files show what was let through. */
  reset(): void {
    this.kept.clear();
    this.listed = null;
    this.src?.close();
    this.src = null;
  }

  private analog(tag: TagInfo, samples: readonly Sample[], before: Point | undefined, cursor: Cursor, replace: () => void): Sample[] {
    const out: Sample[] = [];
    let prev = before;
    let run: Sample[] = []; // samples strictly between prev and the next archived point
    const closeRun = (next: Point | undefined) => {
      if (run.length && !covered(tag, prev, next, run)) for (const s of run) out.push(s);
      run = [];
    };
    for (const s of samples) {
      for (let a = cursor.at; a && a.t < s.t; a = cursor.at) {
        closeRun(a);
        prev = a;
        cursor.advance();
      }
      const a = cursor.at;
      if (a && a.t === s.t) {
        closeRun(a);
        if (same(a, s) || represented(tag, a, s)) prev = a;
        else {
          out.push(s); // a correction: replaces the archived value
          replace();
          prev = s;
        }
        cursor.advance();
        continue;
      }
      run.push(s);
    }
    closeRun(cursor.next());
    return out;
  }

  private events(samples: readonly Sample[], before: Point | undefined, cursor: Cursor, replace: () => void): Sample[] {
    const out: Sample[] = [];
    let state = before;
    let held: Sample | undefined; // dropped as unchanged since `state`: kept after all when the status changes next
    const changes = (p: Point) => state === undefined || !Object.is(state.value, p.value) || conditionOf(state.status) !== conditionOf(p.status);
    const statusChanges = (p: Point) => held !== undefined && conditionOf(held.status) !== conditionOf(p.status);
    for (const s of samples) {
      for (let a = cursor.at; a && a.t < s.t; a = cursor.at) {
        if (statusChanges(a)) out.push(held!);
        held = undefined;
        state = a;
        cursor.advance();
      }
      const a = cursor.at;
      if (a && a.t === s.t) {
        if (!same(a, s)) {
          out.push(s);
          replace();
        }
        held = undefined;
        state = same(a, s) ? a : s;
        cursor.advance();
        continue;
      }
      if (!changes(s)) {
        held = s;
        continue;
      }
      if (statusChanges(s)) out.push(held!);
      out.push(s);
      held = undefined;
      state = s;
    }
    const next = cursor.next();
    if (next && statusChanges(next)) out.push(held!);
    return out;
  }
}

/** The archived points in time order: `at` the current one (undefined past the samples' last time), `next()` it or the first one after them. */
interface Cursor {
  at: Point | undefined;
  advance(): void;
  next(): Point | undefined;
}

/** The index of the first point after t (points in time order). */
function firstAfter(points: readonly Point[], t: number): number {
  let lo = 0, hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.t > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Two lists in time order as one; at one time, `b`'s point. */
function mergeByTime(a: readonly Point[], b: readonly Point[]): Point[] {
  if (a.length === 0 || a[a.length - 1]!.t < b[0]!.t) return a.concat(b);
  const out: Point[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.t < b[j]!.t)) out.push(a[i++]!);
    else {
      if (i < a.length && a[i]!.t === b[j]!.t) i++;
      out.push(b[j++]!);
    }
  }
  return out;
}

/** The run of samples between two archived points is represented by them within the tag's compression bound. */
function covered(tag: TagInfo, prev: Point | undefined, next: Point | undefined, run: readonly Sample[]): boolean {
  if (!prev || !next || typeof prev.value !== 'number' || typeof next.value !== 'number') return false;
  if (!Number.isFinite(prev.value) || !Number.isFinite(next.value) || isBad(prev.status)) return false;
  const version = tag.versionAt(prev.t);
  if (version !== tag.versionAt(next.t) || version.config.compression.kind === 'none') return false;
  const st = analogSettings(version.config);
  if (next.t - prev.t > st.maxMs) return false;
  const code = conditionOf(prev.status);
  if (conditionOf(next.status) !== code) return false;
  const bound = st.dev + 2 * (st.excDev ?? 0);
  const slope = (next.value - prev.value) / (next.t - prev.t);
  for (const s of run) {
    if (typeof s.value !== 'number' || !Number.isFinite(s.value) || conditionOf(s.status) !== code) return false;
    const recon = st.stepped ? prev.value : prev.value + slope * (s.t - prev.t);
    if (!withinBound(s.value, recon, bound)) return false;
  }
  return true;
}

/**
 * The archived point at a sample's time stands for it within the tag's compression bound, with
 * its very status: the archive's own picture of that sample (a deadband's hold record, a point
 * the compressor placed), not a value to correct. A Bad point, non-finite values or a lossless
 * tag: only an identical sample is (same()).
 */
function represented(tag: TagInfo, a: Point, s: Point): boolean {
  if (typeof a.value !== 'number' || typeof s.value !== 'number' || !Number.isFinite(a.value) || !Number.isFinite(s.value)) return false;
  if (!sameStatus(a, s) || !sameFlags(a, s) || isBad(a.status)) return false;
  const config = tag.versionAt(a.t).config;
  if (config.compression.kind === 'none') return false;
  const st = analogSettings(config);
  return withinBound(s.value, a.value, st.dev + 2 * (st.excDev ?? 0));
}

/** |value − recon| ≤ bound, with the slack the compression property tests allow: doubles round the band test by an ulp or so. */
function withinBound(value: number, recon: number, bound: number): boolean {
  return Math.abs(value - recon) <= bound + 1e-9 * (Math.abs(value) + Math.abs(recon) + bound);
}
