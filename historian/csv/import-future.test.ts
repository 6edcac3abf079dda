/**
 * Rows dated in the future are rejected lines, as every bad line is (the good ones are imported):
 * one became its tag's newest archived point, so every live sample after it took the late path and
 * the tag's compression stopped. The acquisition refuses device stamps ahead of arrival alike
 * (README, "Connection loss, gaps and backfill"). Times are written by hand relative to the clock.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useCsvArchive } from '../testing/csv-archive.js';
import { historianCli } from '../testing/cli.js';
import { historianTarget } from './import.js';
import { Inbox } from './watch.js';

const archive = useCsvArchive('vigil-csv-future-');
const iso = (t: number) => new Date(t).toISOString();
const MIN = 60_000;

describe('CSV import of rows dated in the future', () => {
  it('rejects a row later than the import\'s start plus 5 min, naming file, line, field and the latest time taken; imports the rest', async () => {
    const now = Date.now();
    const report = await archive.importText('f.csv', ['time,tag,value', `${iso(now - MIN)},LI101,5`, `${iso(now + 2 * MIN)},LI101,6`,
      `${iso(now + 60 * MIN)},LI101,999`, '2099-12-31T00:00:00Z,LI101,1', ''].join('\n'));
    expect(report.imported).toBe(2); // 1 min ago, and 2 min ahead (a clock a little fast)
    expect(report.rejections.listed.map((r) => [r.file, r.line, r.field, r.got])).toEqual([
      ['f.csv', 4, 'time', iso(now + 60 * MIN)],
      ['f.csv', 5, 'time', '2099-12-31T00:00:00Z'],
    ]);
    const latest = Date.parse(/no later than (\S+)/.exec(report.rejections.listed[0]!.expected)![1]!);
    expect(latest - now).toBeGreaterThanOrEqual(5 * MIN);
    expect(latest - now).toBeLessThan(5 * MIN + 10_000); // the import's start, not some later moment
    expect(archive.rows('LI101').map((r) => r.value)).toEqual([5, 6]);
  });

  it('the inbox: a 2099 row of a live tag is refused (rejected/ with its report); the tag\'s newest point stays now', async () => {
    const now = Date.now();
    archive.h.defineTag({ name: 'TK101.Temperature', kind: 'analog', description: '', unit: '', compression: { kind: 'deadband', deviation: 0.1 }, stepped: false, cycleMs: 0 }, 0);
    archive.h.append('TK101.Temperature', [{ t: now - 2000, value: 17, status: 0 }]);
    archive.h.flush();
    const inbox = new Inbox(historianTarget(archive.h), archive.dir, { stableMs: 0 });
    writeFileSync(join(inbox.inbox, 'f.csv'), 'time,tag,value\n2099-12-31T00:00:00Z,TK101.Temperature,99\n');
    const [report] = await inbox.poll();
    expect([report!.imported, report!.rejections.count]).toEqual([0, 1]);
    expect(readdirSync(inbox.rejected).sort()).toEqual(['f.csv', 'f.csv.report.txt']);
    expect(readFileSync(join(inbox.rejected, 'f.csv.report.txt'), 'utf8')).toMatch(/f\.csv:2: field "time": expected a time no later than .*; got "2099-12-31T00:00:00Z"/);
    expect(archive.rows('TK101.Temperature').map((r) => r.t)).toEqual([now - 2000]);
  });

  it('the CLI says so on stderr, exits 1, and archives the rows before and after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-future-'));
    try {
      const now = Date.now();
      writeFileSync(join(dir, 'f.csv'), `time,tag,value\n${iso(now - 2 * MIN)},LI101,5\n${iso(now + 60 * MIN)},LI101,999\n${iso(now - MIN)},LI101,6\n`);
      const r = historianCli(dir, 'import', 'f.csv', '--data', 'arch');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^f\\.csv:3: field "time": expected a time no later than .* \\(when the import started, plus 5 min .*; got "${iso(now + 60 * MIN)}"$`, 'm'));
      expect(r.stdout.split('\n')[0]).toBe('f.csv: 2 samples accepted (2 appended, 0 late), 1 tag created, 1 line rejected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
