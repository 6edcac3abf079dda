/**
 * The files and folders a writing command of the historian CLI creates are the site's alone, as
 * the README says of the data (files 0600, folders 0700), whatever the umask of the shell that ran
 * it (022 here: 0644 and 0755 before). The CLI as a user runs it; modes read with stat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianShell } from '../testing/cli.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-modes-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every path under root with its permission bits. */
function modes(root: string, at = root): [string, string][] {
  return readdirSync(at, { withFileTypes: true }).flatMap((e) => {
    const path = join(at, e.name);
    const own: [string, string] = [path.slice(root.length + 1) + (e.isDirectory() ? '/' : ''), (statSync(path).mode & 0o777).toString(8)];
    return e.isDirectory() ? [own, ...modes(root, path)] : [own];
  });
}

describe('historian CLI file modes (POSIX)', () => {
  it('import under umask 022 creates the archive with folders 0700 and files 0600', () => {
    writeFileSync(join(dir, 'a.csv'), 'time,tag,value\n2026-01-01T00:00:00Z,A,1\n2026-01-01T00:00:01Z,A,2\n');
    const data = join(dir, 'archive');
    const r = spawnSync('sh', ['-c', `umask 022 && exec ${historianShell()} import a.csv --data "${data}"`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const found = [['./', (statSync(data).mode & 0o777).toString(8)] as [string, string], ...modes(data)];
    expect(found.some(([p]) => p.startsWith('volumes/') && !p.endsWith('/'))).toBe(true); // a volume file was written
    expect(found.filter(([p, m]) => m !== (p.endsWith('/') ? '700' : '600'))).toEqual([]);
  });
});
