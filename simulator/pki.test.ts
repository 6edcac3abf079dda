import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OWN_FILES, preparePki, releasePki, saveToCache } from './pki.js';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'vigil-pki-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('simulator PKI folders', () => {
  it('seeds a run from the cache once a first run has filled it, and removes run folders on release', async () => {
    const cache = path.join(scratch, 'cache');
    const first = await preparePki(undefined, cache);
    expect(first).toMatchObject({ seeded: false, temporary: true });
    // Stand-in for the certificate node-opcua writes on its first start.
    for (const file of OWN_FILES) {
      await mkdir(path.dirname(path.join(first.root, file)), { recursive: true });
      await writeFile(path.join(first.root, file), `pem of ${file}`);
    }
    await saveToCache(first);
    await releasePki(first);
    expect(existsSync(first.root)).toBe(false);

    const second = await preparePki(undefined, cache);
    expect(second.seeded).toBe(true);
    expect(await readFile(path.join(second.root, OWN_FILES[1]), 'utf8')).toBe(`pem of ${OWN_FILES[1]}`);
    await releasePki(second);
  });

  it('keeps a folder given by the caller', async () => {
    const given = path.join(scratch, 'given');
    const pki = await preparePki(given, path.join(scratch, 'cache2'));
    expect(pki).toMatchObject({ root: path.join(given, 'PKI'), temporary: false, seeded: false });
    await mkdir(pki.root, { recursive: true });
    await releasePki(pki);
    expect(existsSync(pki.root)).toBe(true);
  });

  it('removes the temporary folder of a simulator that died without stopping', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(dead).toBeGreaterThan(0);
    const orphan = path.join(os.tmpdir(), `vigil-sim-pki-${dead}-orphan`);
    await mkdir(path.join(orphan, 'PKI'), { recursive: true });
    const pki = await preparePki(undefined, path.join(scratch, 'cache3'));
    expect(existsSync(orphan)).toBe(false);
    expect(path.basename(path.dirname(pki.root))).toMatch(new RegExp(`^vigil-sim-pki-${process.pid}-`));
    await releasePki(pki);
  });
});
