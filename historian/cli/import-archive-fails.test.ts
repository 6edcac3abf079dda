/**
 * `import` into an archive that cannot take more (a full disk; here a file size limit, which fails
 * SQLite's writes as ENOSPC does), as a user meets it (child processes): the import stops naming
 * the file it was importing, what is kept and what to do; what the archive held before reads back
 * unchanged, and once the cause is gone the same command archives the whole file. The failure
 * comes while reading (a big file flushed as it is read) or at the end (a file sorted in memory,
 * archived when the archive closes). Expected values are the generated rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianCli, historianShell } from '../testing/cli.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-full-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 4, 1);
const TAGS = ['A', 'B', 'C'];
/** Row i: its time and each tag's value, distinct per tag and row. */
const row = (i: number): [number, number[]] => [T0 + i * 1000, TAGS.map((_, k) => Math.sin(i * 3 + k) * 1000)]; // full doubles: compress little
const csv = (from: number, to: number): string =>
  ['time,' + TAGS.join(','), ...Array.from({ length: to - from }, (_, j) => {
    const [t, values] = row(from + j);
    return `${new Date(t).toISOString()},${values.join(',')}`;
  })].join('\n') + '\n';

function archived(data: string): Promise<[number, unknown][][]> {
  const h = Historian.open(data, { flushIntervalMs: 0 });
  const rows = TAGS.map((tag) => h.readRaw({ tags: [tag], start: 0, end: 4e12, pageSize: 2_000_000 }).rows.map((r): [number, unknown] => [r.t, r.value]));
  return h.close().then(() => rows);
}
const want = (from: number, to: number): [number, unknown][][] =>
  TAGS.map((_, k) => Array.from({ length: to - from }, (_, j): [number, unknown] => [row(from + j)[0], row(from + j)[1][k]]));

describe('import into an archive that runs out of room', { timeout: 300_000 }, () => {
  // The retry is checked once (it is the import of any file twice): CI's time is short.
  for (const [name, rows, retry] of [['while reading (flushed as read)', 400_000, false], ['at the end (sorted in memory)', 150_000, true]] as const) {
    it(`${name}: stops naming the file, what is kept and what to do; the archive before is intact${retry ? '; again: the whole file' : ''}`, async () => {
      const data = join(dir, `archive-${rows}`);
      writeFileSync(join(dir, 'before.csv'), csv(0, 1000));
      expect(historianCli(dir, 'import', 'before.csv', '--data', data).code).toBe(0);
      const file = `more-${rows}.csv`;
      writeFileSync(join(dir, file), csv(1000, 1000 + rows));
      // bash's ulimit -f counts KiB: 1 MiB per file, less than this file's samples take.
      const r = spawnSync('bash', ['-c', `ulimit -f 1024 && exec ${historianShell()} import ${file} --data "${data}"`], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^historian import: ${file}: the archive could not be written \\(.+\\): the import stopped; ` +
        'what the archive held before is kept, and so are the rows archived before the failure, the others are not: ' +
        'import again once the cause is fixed \\(space freed\\): rows archived already are not written twice$', 'm'));
      const kept = await archived(data);
      for (const [k, rowsOfTag] of kept.entries()) expect(rowsOfTag.slice(0, 1000), TAGS[k]).toEqual(want(0, 1000)[k]);
      if (!retry) return;
      const again = historianCli(dir, 'import', file, '--data', data);
      expect([again.code, again.stderr]).toEqual([0, expect.stringMatching(/ 0 lines rejected\n$/)]);
      expect(await archived(data)).toEqual(want(0, 1000 + rows));
    });
  }
});
