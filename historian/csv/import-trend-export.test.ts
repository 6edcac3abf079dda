/**
 * The console's trend export (app/main/trends/export, run as the console runs it) reads back with
 * the import: its header block and closing hash line are no rows, its formula guard (an apostrophe
 * before a leading = + - @) is undone, and its pens give the kinds its raw rows do not carry. The
 * values written below are what must come back. A resampled export (aggregates) is refused whole.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { runExport } from '../../app/main/trends/export/run.js';
import { versionsOver } from '../../app/main/trends/history-encode.js';
import { useCsvArchive } from '../testing/csv-archive.js';
import { historianTarget, importCsvFile } from './import.js';

const archive = useCsvArchive('vigil-csv-trend-export-');
const T0 = Date.UTC(2026, 3, 1);
const DAY = 86_400_000;

/** The console's export of the tags over the first day, as bytes written to a file in the test's folder. */
async function consoleExport(h: Historian, file: string, tags: string[], shape: 'raw' | 'resampled'): Promise<string> {
  const pens = tags.map((tag) => ({ tag, kind: h.versions(tag)[0]!.config.kind, versions: versionsOver(h.versions(tag), T0, T0 + DAY) }));
  const chunks: Buffer[] = [];
  const spec = { station: 'Test', user: 'op', exportedAt: Date.now(), start: T0, end: T0 + DAY, timeZone: null, shape, pens,
    ...(shape === 'resampled' ? { aggregate: 'Average', intervalMs: 3_600_000 } : {}) };
  await runExport(h as unknown as Parameters<typeof runExport>[0], spec, { write: (b) => void chunks.push(Buffer.from(b)), cancelled: () => false, progress: () => undefined });
  const path = join(archive.dir, file);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

describe('import of the console\'s trend export', () => {
  it('raw: every value comes back as archived, guarded text unguarded, each tag with its kind', async () => {
    const h = archive.h;
    const define = (name: string, kind: 'analog' | 'text', unit: string) =>
      h.defineTag({ name, kind, description: '', unit, compression: { kind: 'none' }, stepped: kind !== 'analog', cycleMs: 0 }, 0);
    define('S', 'text', '');
    define('@L', 'analog', '-m');
    h.append('S', ['-', '+OK', '=SUM(A1)', '12'].map((value, i) => ({ t: T0 + i * 1000, value, status: Good })));
    h.append('@L', [{ t: T0, value: 1.5, status: Good }, { t: T0 + 1000, value: -2, status: Good }]);
    await h.close();
    const reopened = Historian.open(join(archive.dir, 'archive'), { flushIntervalMs: 0 });
    let path: string;
    try {
      path = await consoleExport(reopened, 'console.csv', ['S', '@L'], 'raw');
    } finally {
      await reopened.close();
    }
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^\uFEFF# Vigil trend export,1\r\n/);
    expect(text).toContain(",S,'-,,Good,");
    expect(text).toMatch(/\r\n# sha256,[0-9a-f]{64},rows,6\r\n$/);

    const fresh = Historian.open(join(archive.dir, 'fresh'), { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      const report = await importCsvFile(historianTarget(fresh), path);
      expect([report.fileError, report.rejections.count, report.imported]).toEqual([undefined, 0, 6]);
      expect([fresh.kindOf('S'), fresh.kindOf('@L'), fresh.unitOf('@L')]).toEqual(['text', 'analog', '-m']);
      const values = (tag: string) => fresh.readRaw({ tags: [tag], start: T0, end: T0 + DAY }).rows.map((r) => r.value);
      expect(values('S')).toEqual(['-', '+OK', '=SUM(A1)', '12']);
      expect(values('@L')).toEqual([1.5, -2]);
    } finally {
      await fresh.close();
    }
  });

  it('resampled: refused whole, saying it holds aggregates, not values to archive', async () => {
    const h = archive.h;
    h.defineTag({ name: 'L', kind: 'analog', description: '', unit: '', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
    h.append('L', [{ t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 3, status: Good }]);
    h.flush();
    const path = await consoleExport(h, 'avg.csv', ['L'], 'resampled');
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.fileError).toMatch(/^avg\.csv:\d+: a trend export of shape "resampled": expected one of shape raw/);
    expect(report.imported).toBe(0);
  });
});
