/**
 * One writer per archive. Two writers would each hold compressor state and
 * open blocks for the same tags and interleave them: the second would
 * silently corrupt the first's archive. The lock is a file naming its
 * owner; a lock whose process is gone (kill -9, power cut) is taken over.
 *
 * A pid alone does not identify a process: after a reboot or a container
 * restart the station may get the very pid the dead one had (pid 1 in a
 * container), and pids are reused. So the lock also records the boot
 * (/proc/sys/kernel/random/boot_id) and the process's start time (field 22
 * of /proc/<pid>/stat, ticks since boot): the owner is alive only if a
 * process with that pid runs in the same boot and started at that time.
 * A process killed but not yet reaped (a zombie, state Z, or X) is gone too: its parent may
 * take its time, or never (a container without an init), and it writes nothing more.
 * Where /proc is missing (not Linux) the pid check is all there is.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

interface Owner {
  pid: number;
  host: string;
  since: string;
  /** Linux: the boot the process ran in, and its start time in that boot (clock ticks). */
  bootId?: string;
  startTicks?: number;
}

export class ArchiveLockedError extends Error {}

export function acquireWriterLock(dir: string): () => void {
  const file = join(dir, 'writer.lock');
  const { bootId, startTicks } = identity(process.pid);
  const me: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), bootId, startTicks };
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

/** The boot id, the start time and the state of a process, where /proc tells them. */
export function identity(pid: number): { bootId?: string; startTicks?: number; state?: string } {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]); // field 22 of the whole line
    const state = processState(stat);
    return { bootId, ...(Number.isSafeInteger(startTicks) ? { startTicks } : {}), ...(state ? { state } : {}) };
  } catch {
    return {};
  }
}

/**
 * The state letter of a /proc/<pid>/stat line (field 3: R, S, D, Z zombie, X dead...), after
 * the command name in parentheses (which may hold spaces and parentheses itself).
 */
export function processState(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  const state = close < 0 ? '' : stat.charAt(close + 2);
  return /^[A-Za-z]$/.test(state) ? state : undefined;
}

function isAlive(owner: Owner): boolean {
  // Another host's lock (a shared folder) cannot be checked: respect it.
  if (owner.host !== hostname()) return true;
  const now = identity(owner.pid);
  // Killed but not yet reaped by its parent (a zombie), or on its way out: it writes nothing more.
  if (now.state === 'Z' || now.state === 'X') return false;
  if (owner.bootId !== undefined && now.bootId !== undefined) {
    if (owner.bootId !== now.bootId) return false; // written before a reboot
    // Same boot: the pid must still be that process (it may be this one: then the archive is open here).
    return now.startTicks !== undefined && now.startTicks === owner.startTicks;
  }
  // Our own pid in a lock without a boot id: this process would have written one (it can read
  // /proc), so it is a lock of an older version from before a restart. Without /proc: ours.
  if (owner.pid === process.pid) return now.bootId === undefined;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
