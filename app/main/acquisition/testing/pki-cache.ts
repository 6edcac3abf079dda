/**
 * Certificates for tests: an RSA key costs seconds of CPU on a small
 * machine, so each role (a test server, the station, a user) generates its
 * certificate once and later runs copy it from a cache under os.tmpdir().
 * Every test still gets its own PKI folder: trust decisions never leak
 * between tests.
 */
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const OWN = ['own/certs/certificate.pem', 'own/private/private_key.pem'];
const cacheOf = (role: string) => path.join(os.tmpdir(), `vigil-test-pki-${role}`);

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return false;
    throw err;
  });
}

async function copyOwn(from: string, to: string): Promise<boolean> {
  for (const f of OWN) if (!(await exists(path.join(from, f)))) return false;
  for (const f of OWN) {
    await mkdir(path.dirname(path.join(to, f)), { recursive: true });
    await copyFile(path.join(from, f), path.join(to, f));
  }
  return true;
}

/** Fills root/own from the role's cache when it holds a certificate; true when it did. */
export async function seedPki(role: string, root: string): Promise<boolean> {
  return copyOwn(cacheOf(role), root);
}

/** Offers root's certificate to the role's cache (atomic: readers see all of it or nothing). */
export async function savePki(role: string, root: string): Promise<void> {
  const cache = cacheOf(role);
  if (await exists(path.join(cache, OWN[0]!))) return;
  const staging = await mkdtemp(path.join(os.tmpdir(), `vigil-test-pki-staging-`));
  try {
    if (!(await copyOwn(root, staging))) return;
    await rename(staging, cache).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
