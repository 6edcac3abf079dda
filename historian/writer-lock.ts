/**
 * One writer per archive. Two writers would each hold compressor state and
 * open blocks for the same tags and interleave them: the second would
 * silently corrupt the first's archive. The lock is a file naming its
 * owner; a lock whose process is gone (kill -9, power cut) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

interface Owner {
  pid: number;
  host: string;
  since: string;
}

export class ArchiveLockedError extends Error {}

export function acquireWriterLock(dir: string): () => void {
  const file = join(dir, 'writer.lock');
  const me: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(file);
      if (owner && isAlive(owner)) {
        throw new ArchiveLockedError(
          `archive ${dir} is already open for writing by process ${owner.pid} on ${owner.host} since ${owner.since}; ` +
            'stop it first, or use a read-only command (export, query, stats)',
        );
      }
      rmSync(file, { force: true }); // its owner is gone: the lock is stale
    }
  }
  throw new ArchiveLockedError(`archive ${dir}: could not take ${file}`);
}

function readOwner(file: string): Owner | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return null; // a half-written lock (its writer died mid-write) belongs to nobody
  }
}

function isAlive(owner: Owner): boolean {
  // Another host's lock (a shared folder) cannot be checked: respect it.
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
