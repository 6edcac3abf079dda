/**
 * The data directory is the station account's alone: created 0700, an older
 * one open to others closed (and logged), files created afterwards 0600.
 * Modes read back with stat, independently of the module.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownFilesOnly, secureDataDir } from './data-dir.js';
import { createLogger, silentLogger } from '../log.js';
import { StartRefusal } from '../start-refusal.js';

const modeOf = (p: string) => statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';

describe.runIf(posix)('the data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-datadir-'));
  const umask = process.umask();
  afterEach(() => process.umask(umask));

  it('is created readable by its owner only', () => {
    const dir = join(root, 'new', 'data');
    secureDataDir(dir, silentLogger());
    expect(modeOf(dir)).toBe(0o700);
  });

  it('a file where the directory should be, or a file on its path: a StartRefusal that says so', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const refusal = (dir: string): unknown => {
      try {
        secureDataDir(dir, silentLogger());
      } catch (e) {
        return e;
      }
      return null;
    };
    expect(refusal(file)).toBeInstanceOf(StartRefusal);
    expect((refusal(file) as Error).message).toBe(`data directory ${file}: expected a directory, found a file (give a directory with --data DIR)`);
    const under = join(file, 'data');
    expect(refusal(under)).toBeInstanceOf(StartRefusal);
    expect((refusal(under) as Error).message).toBe(`data directory ${under}: a file is on its path where a directory should be (give a directory with --data DIR)`);
  });

  it('closes a directory others could read, and says so', () => {
    const dir = join(root, 'old');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const lines: string[] = [];
    secureDataDir(dir, createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } }));
    expect(modeOf(dir)).toBe(0o700);
    expect(lines.join('')).toContain('open to other users');
  });

  it('creates files 0600 once the process is Vigil\'s', () => {
    process.umask(0o022);
    ownFilesOnly();
    const file = join(root, 'accounts.sqlite');
    writeFileSync(file, 'x');
    expect(modeOf(file)).toBe(0o600);
    rmSync(root, { recursive: true, force: true });
  });
});
