/**
 * README ("Historian CLI"): `npm run historian -- ...` typed in another folder than the package's
 * root (a subfolder, or `npm --prefix`) takes relative paths from that folder, as any command does:
 * npm itself runs a script in the package root. npm is run as a user runs it, in a temp folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../testing/cli.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-cwd-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run historian from another folder', { timeout: 120_000 }, () => {
  it('imports, archives and exports where it was typed, nothing in the package root', () => {
    writeFileSync(join(dir, 'plant.csv'), 'time,tag,value\n2024-01-01T00:00:00Z,K.1,1.5\n2024-01-01T00:01:00Z,K.1,2.5\n');
    const name = `vigil-cwd-${process.pid}`;
    const npm = (...args: string[]) => {
      // Not INIT_CWD of this run (`npm test` sets it to the root): npm sets it to the folder it is run in.
      const env = { ...process.env };
      delete env.INIT_CWD;
      delete env.npm_lifecycle_event;
      return spawnSync('npm', ['--prefix', repoRoot, 'run', '-s', 'historian', '--', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    };
    const imported = npm('import', 'plant.csv', '--data', `${name}-archive`);
    expect(imported.stdout).toContain('plant.csv: 2 samples accepted, 2 archived');
    expect(imported.status).toBe(0);
    const exported = npm('export', '--data', `${name}-archive`, '--tag', 'K.1', '--from', '2024-01-01T00:00Z', '--to', '2024-01-02T00:00Z', '--out', `${name}.csv`);
    expect(exported.status).toBe(0);
    expect(existsSync(join(dir, `${name}-archive`, 'catalog.sqlite'))).toBe(true);
    expect(readFileSync(join(dir, `${name}.csv`), 'utf8')).toContain('2024-01-01T00:01:00.000Z,K.1,2.5,');
    expect(existsSync(join(repoRoot, `${name}.csv`))).toBe(false);
    expect(existsSync(join(repoRoot, `${name}-archive`))).toBe(false);
  });
});
