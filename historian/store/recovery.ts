/**
 * What the writer finds out from the volumes when it opens an archive: the open blocks and the
 * last archived time of each tag, and, after a crash or a migration, the head of the change
 * feed and the counters. A volume whose file is missing or damaged is passed over
 * (VolumeSet.tryRead): the archive opens without it.
 */
import type { Catalog, TagRow, VolumeInfo } from './catalog.js';
import { type TagWriter, openBlock } from './tag-writer.js';
import type { CountDelta } from './volume.js';
import type { VolumeSet } from './volumes.js';

/**
 * The last archived time and the open block of a tag come from the volumes, which may be one
 * flush ahead of the catalog after a crash. `hinted`: the catalog state gave a last archived
 * time (only volumes after it can hold later data).
 */
export function recoverTag(volumes: VolumeSet, tw: TagWriter): void {
  if (tw.stored === 0 && !Number.isFinite(tw.lastArchivedT)) return; // the volumes hold nothing of it
  const vols = volumes.all().filter((v) => v.state === 'attached' && v.end > tw.lastArchivedT);
  for (let i = vols.length - 1; i >= 0; i--) {
    const vol = vols[i]!;
    // From the segment rows' keys and summaries: the points are read when the block is next written whole.
    const found = volumes.tryRead(vol, (store) => {
      const last = store.lastTime(tw.id);
      return last === null ? null : { last, segs: tw.kind === 'analog' ? store.segmentSizes(tw.id) : [] };
    });
    if (!found) continue; // nothing of the tag, or a file that cannot be read
    tw.lastArchivedT = Math.max(tw.lastArchivedT, found.last);
    if (tw.kind === 'analog') {
      const segs = found.segs;
      if (segs.length) {
        const count = segs.reduce((n, x) => n + x.n, 0);
        tw.open = openBlock(vol, segs[0]!.t, segs[segs.length - 1]!.tEnd, count, segs.map(({ t, n }) => ({ t, n })));
      }
    }
    return;
  }
}

/** The tag's last archived point, newest volume first (what a resting tag's compressor resumes from). */
export function lastPointOf(volumes: VolumeSet, tagId: number): ReturnType<ReturnType<VolumeSet['store']>['lastPoint']> {
  const vols = volumes.all().filter((v) => v.state === 'attached');
  for (let i = vols.length - 1; i >= 0; i--) {
    const p = volumes.tryRead(vols[i]!, (s) => s.lastPoint(tagId));
    if (p) return p;
  }
  return null;
}

/**
 * After a crash: a flush may have committed in volumes and not in the catalog. The head is the
 * highest sequence number any attached volume holds, and the counters get the deltas that
 * flush left in its volumes' flush_delta rows. Recorded in the catalog now; returns the head.
 */
export function recoverWrites(volumes: VolumeSet, catalog: Catalog, head: number, tags: Map<number, TagWriter>, now: number): number {
  let max = head;
  const touched: VolumeInfo[] = [];
  const changed = new Set<TagWriter>();
  for (const vol of volumes.all()) {
    if (vol.state !== 'attached') continue;
    const found = volumes.tryRead(vol, (store) => {
      const m = store.maxSeq();
      return m <= head ? null : { m, deltas: store.deltasAfter(head) };
    });
    if (!found) continue;
    const { m, deltas } = found;
    touched.push(vol);
    if (m > max) max = m;
    for (const d of deltas) {
      const tw = tags.get(d.tagId);
      if (!tw) continue;
      tw.received += d.received;
      tw.stored += d.samples;
      tw.added += d.added;
      changed.add(tw);
    }
  }
  if (max > head) catalog.commitWrite(max, 0, touched.map((v) => v.id), now, [...changed].map(counterRow));
  return max;
}

/** Counts every attached volume's values per tag (a catalog migrated from an older format). */
export function recount(volumes: VolumeSet, catalog: Catalog, tags: Map<number, TagWriter>): void {
  catalog.saveTags(setCounts(tags.values(), countAttached(volumes)));
}

/** The values per tag of the attached volumes but `except`, and but those whose files cannot be read. */
export function countAttached(volumes: VolumeSet, except = -1): Map<number, CountDelta> {
  const totals = new Map<number, CountDelta>();
  for (const vol of volumes.all()) {
    if (vol.state !== 'attached' || vol.id === except) continue;
    for (const [tagId, c] of volumes.tryRead(vol, (s) => s.counts()) ?? []) {
      const t = totals.get(tagId) ?? { samples: 0, added: 0 };
      t.samples += c.samples;
      t.added += c.added;
      totals.set(tagId, t);
    }
  }
  return totals;
}

/** Sets the tags' counters to what the volumes hold (`totals`); returns the rows to save. */
export function setCounts(tags: Iterable<TagWriter>, totals: Map<number, CountDelta>): TagRow[] {
  const rows: TagRow[] = [];
  for (const tw of tags) {
    const t = totals.get(tw.id) ?? { samples: 0, added: 0 };
    tw.stored = t.samples;
    tw.added = t.added;
    tw.received = Math.max(tw.received, t.samples - t.added);
    rows.push(counterRow(tw));
  }
  return rows;
}

/** A tag's counters as saved, its state untouched where the caller does not write it. */
export function counterRow(tw: TagWriter) {
  return { id: tw.id, received: tw.received, archived: tw.stored - tw.added, added: tw.added, state: tw.stateBytes() };
}
