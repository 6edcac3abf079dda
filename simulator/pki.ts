// Where the simulator keeps its certificate. Generating an RSA key and a self-signed
// certificate costs about a second of CPU, so by default each run gets a private temporary
// PKI folder seeded from a cache under os.tmpdir(), and the first run fills the cache.
// Runs never share a live PKI folder: parallel test workers cannot trip over each other.
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const OWN_FILES = ['own/certs/certificate.pem', 'own/private/private_key.pem'];
export const DEFAULT_CACHE_DIR = path.join(os.tmpdir(), 'vigil-simulator-pki-cache');
const TEMP_PREFIX = 'vigil-sim-pki-';
const CACHE_MAX_AGE_MS = 30 * 24 * 3600 * 1000; // well inside the certificate's validity

export interface PkiFolder {
  /** Root folder for node-opcua's certificate manager. */
  root: string;
  /** True when the certificate came from the cache (nothing to save afterwards). */
  seeded: boolean;
  /** Temporary folders are removed on release; a folder given by the caller is kept. */
  temporary: boolean;
  cacheDir: string;
}

export async function preparePki(given: string | undefined, cacheDir = DEFAULT_CACHE_DIR): Promise<PkiFolder> {
  if (given !== undefined) return { root: path.join(given, 'PKI'), seeded: false, temporary: false, cacheDir };
  await removeOrphans();
  const dir = await mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  const root = path.join(dir, 'PKI');
  let seeded = false;
  try {
    seeded = await cacheIsFresh(cacheDir) && await copyOwn(cacheDir, root);
  } catch (err) {
    // Another run replacing a stale cache under us: generate a certificate instead, from a clean folder.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await rm(root, { recursive: true, force: true });
  }
  return { root, seeded, temporary: true, cacheDir };
}

/** After a successful start: offer a freshly generated certificate to the cache. */
export async function saveToCache(pki: PkiFolder): Promise<void> {
  if (!pki.temporary || pki.seeded || await cacheIsFresh(pki.cacheDir)) return;
  const staging = await mkdtemp(path.join(os.tmpdir(), 'vigil-simulator-pki-staging-'));
  try {
    if (!(await copyOwn(pki.root, staging))) return;
    await rm(pki.cacheDir, { recursive: true, force: true });
    // Atomic: readers see a complete cache or none. Losing a race to another run is fine.
    await rename(staging, pki.cacheDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export async function releasePki(pki: PkiFolder): Promise<void> {
  if (pki.temporary) await rm(path.dirname(pki.root), { recursive: true, force: true });
}

/** Temporary folders of simulators that died without stopping (e.g. SIGKILL): their pid is gone. */
async function removeOrphans(): Promise<void> {
  for (const name of await readdir(os.tmpdir())) {
    const pid = Number(/^vigil-sim-pki-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !isAlive(pid)) {
      await rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function cacheIsFresh(cacheDir: string): Promise<boolean> {
  const info = await stat(path.join(cacheDir, OWN_FILES[0])).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  return info !== null && Date.now() - info.mtimeMs < CACHE_MAX_AGE_MS;
}

/** Copies the certificate and key; false when the source does not hold both. */
async function copyOwn(from: string, to: string): Promise<boolean> {
  for (const file of OWN_FILES) {
    const source = path.join(from, file);
    const exists = await stat(source).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    });
    if (!exists) return false;
    await mkdir(path.dirname(path.join(to, file)), { recursive: true });
    await copyFile(source, path.join(to, file));
  }
  return true;
}
