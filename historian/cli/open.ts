import { Historian } from '../index.js';
import { archiveForWriting, requireArchive } from './archive-dir.js';
import { warnUnreadable } from './reader.js';

/**
 * Opens the archive in dir. Reading commands refuse a directory without an
 * archive (a typo must not create an empty one and answer "no data").
 */
export function openArchive(dir: string | undefined, create: boolean): Historian {
  const at = create ? archiveForWriting(dir) : requireArchive(dir);
  // The CLI flushes explicitly: no background timer keeping the process alive. Imports are
  // often slow or short series: volumes sized by their data rate (a month for 3-minute data).
  return Historian.open(at, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'auto' });
}

/** Runs fn with the archive open and always closes it (close archives what is held). */
export async function withArchive<T>(dir: string | undefined, create: boolean, fn: (h: Historian) => Promise<T> | T): Promise<T> {
  const h = openArchive(dir, create);
  let failed = false;
  try {
    return await fn(h);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    warnUnreadable('historian', h.unreadableVolumes()); // volumes found missing or damaged, left alone
    // After a failure (a full disk) the close fails too, for the same cause: the first error says what happened.
    await h.close().catch((e: unknown) => { if (!failed) throw e; });
  }
}
