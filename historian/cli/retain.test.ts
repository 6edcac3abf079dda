/** `volumes retain` says what it deleted, and `volumes import` names a file it cannot take. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli } from '../testing/cli.js';

let dir: string;
let data: string;

const cli = (...args: string[]) => historianCli(dir, ...args);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-retain-'));
  data = join(dir, 'archive');
  writeFileSync(join(dir, 'old.csv'), 'time,tag,value\n2024-03-01T00:00:00Z,TK1.Level,1.5\n2024-05-01T00:00:00Z,TK1.Level,1.6\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian volumes retain / import', { timeout: 120_000 }, () => {
  it('retain prints the volumes it dropped as dropped, and a line saying how many files it deleted', () => {
    expect(cli('import', 'old.csv', '--data', data).code).toBe(0);
    const files = readdirSync(join(data, 'volumes')).filter((f) => f.endsWith('.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    const r = cli('volumes', 'retain', '--days', '0', '--data', data);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows).toHaveLength(files.length);
    for (const row of rows) expect(row).toMatch(/ dropped \(file deleted\)$/);
    expect(r.stderr).toContain(`historian volumes retain: ${files.length} volume${files.length === 1 ? '' : 's'} dropped, their files deleted`);
    for (const f of files) expect(existsSync(join(data, 'volumes', f))).toBe(false);
    const again = cli('volumes', 'retain', '--days', '0', '--data', data, '--json');
    expect(again.stdout.trim()).toBe('[]');
    expect(again.stderr).toContain('historian volumes retain: no volume to drop');
  });

  it('import of a file that is not a volume names the file', () => {
    const csv = join(dir, 'old.csv');
    const r = cli('volumes', 'import', csv, '--data', data);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(csv);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
