/**
 * Late analog points: merged into the sealed blocks of their volume, which are decoded, merged
 * and re-encoded. A late point at the time of an archived one replaces it.
 */
import type { ArchivedSample } from '../types.js';
import type { CountDelta, StoredPoint, VolumeStore } from './volume.js';
import { addedIn } from './volume.js';

/** Sorts by time; of several points at one time the last given wins. */
export function sortUnique<P extends ArchivedSample>(points: P[]): P[] {
  // Array.prototype.sort is stable (ES2019): points at one time stay in the order given.
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const out: P[] = [];
  for (const p of sorted) {
    if (out.length && out[out.length - 1]!.t === p.t) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** Merges two time-sorted lists; at equal times `late` replaces `base`. */
export function mergeSorted<P extends ArchivedSample>(base: readonly P[], late: readonly P[]): P[] {
  const out: P[] = [];
  let i = 0, j = 0;
  while (i < base.length || j < late.length) {
    const a = base[i], b = late[j];
    if (b === undefined || (a !== undefined && a.t < b.t)) { out.push(a!); i++; }
    else {
      if (a !== undefined && a.t === b.t) i++;
      out.push(b);
      j++;
    }
  }
  return out;
}

/**
 * Merges sorted late points of one tag into its sealed blocks in `store` (the open block is in
 * memory: the writer merges those). `blockPoints`: the most points in a block, or the tag's
 * rule for them (tag-writer.ts blockLimit: more for slow points), given the merged points'
 * count and first and last times. Returns what it changed in the tag's counters.
 */
export function mergeIntoVolume(store: VolumeStore, tagId: number, late: readonly StoredPoint[],
  blockPoints: number | ((count: number, tStart: number, tLast: number) => number), stepped: boolean): CountDelta {
  if (late.length === 0) return { samples: 0, added: 0 };
  const targets = store.mergeTargets(tagId, late[0]!.t, late[late.length - 1]!.t);
  let base: StoredPoint[] = [];
  for (const start of targets) {
    base = base.concat(store.blockPoints(tagId, start));
    store.deleteBlock(tagId, start);
  }
  const merged = mergeSorted(base, late);
  const limit = typeof blockPoints === 'number' ? blockPoints
    : Math.max(1, blockPoints(merged.length, merged[0]!.t, merged[merged.length - 1]!.t));
  // Even chunks no larger than the limit, so a merge never leaves a sliver block.
  const chunks = Math.ceil(merged.length / limit);
  const size = Math.ceil(merged.length / chunks);
  for (let i = 0; i < merged.length; i += size) store.putBlock(tagId, merged.slice(i, i + size), stepped);
  return { samples: merged.length - base.length, added: addedIn(merged) - addedIn(base) };
}
