/**
 * The archive's figures, the same from the writer (Historian) and from a read-only reader
 * (ArchiveReader). What each counter means (the Tags page shows these definitions):
 *  - samplesReceived: samples handed to the archive for the tag (append, insert, CSV import),
 *    each time it was handed over: a sample sent twice counts twice, one compression then
 *    discards counts too. Samples refused (malformed, non-finite while not Bad) do not count.
 *  - samplesArchived: values the archive holds for the tag now (what a raw read over all time
 *    returns), not counting the records the historian added itself: one per sample archived,
 *    a late sample at the time of an archived one replaces it (counted once), values of
 *    detached or dropped volumes are no longer counted. Never more than samplesReceived.
 *  - recordsAdded: values the historian added beside them (HIST cyclic records and deadband
 *    hold records, flagged Cyclic): samplesArchived + recordsAdded is what the volumes hold.
 *  - compressionRatio: samplesReceived / samplesArchived.
 * Counters are exact after a crash too: each flush records its changes in the volumes in the
 * same transaction as the data, and the writer adds what the catalog missed on restart.
 */
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TagKind } from './types.js';

export interface TagStats {
  name: string;
  kind: TagKind;
  samplesReceived: number;
  samplesArchived: number;
  recordsAdded: number;
  /** received / archived; null before anything is archived. */
  compressionRatio: number | null;
}

export interface HistorianStats {
  samplesReceived: number;
  samplesArchived: number;
  recordsAdded: number;
  /** The database files (.sqlite): a running writer's -wal/-shm (transient) are not counted. */
  bytesOnDisk: number;
  /** bytesOnDisk / samplesReceived; null before anything is received. */
  bytesPerReceivedSample: number | null;
  tags: number;
  volumes: number;
}

export interface TagCounters { name: string; kind: TagKind; received: number; archived: number; added: number }

export function tagStats(tags: Iterable<TagCounters>): TagStats[] {
  return [...tags].map((t) => ({
    name: t.name, kind: t.kind, samplesReceived: t.received, samplesArchived: t.archived, recordsAdded: t.added,
    compressionRatio: t.archived > 0 ? t.received / t.archived : null,
  }));
}

export function archiveStats(dir: string, tags: Iterable<TagCounters>, volumes: number): HistorianStats {
  let received = 0, archived = 0, added = 0, n = 0;
  for (const t of tags) { received += t.received; archived += t.archived; added += t.added; n++; }
  const bytes = filesBytes(dir, /^catalog\.sqlite$/) + filesBytes(join(dir, 'volumes'), /\.sqlite$/);
  return {
    samplesReceived: received, samplesArchived: archived, recordsAdded: added, bytesOnDisk: bytes,
    bytesPerReceivedSample: received > 0 ? bytes / received : null, tags: n, volumes,
  };
}

function filesBytes(dir: string, pattern: RegExp): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir)) if (pattern.test(name)) total += statSync(join(dir, name)).size;
  return total;
}
