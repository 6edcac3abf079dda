/**
 * What Vigil exports reads back exactly: the historian CLI's export (readRows + writeCsv, as `export`
 * runs them) and the console's raw trend export (RawRowWriter), imported into the archive they came
 * from. A tag whose unit changed (bar, then kPa) is exported with the unit in force at each row's
 * time, and each row is checked against that unit; a Good empty text is written as "" and read back
 * as one, while an unquoted empty cell still means no value (Bad only). Expected values are the input below.
 */
import { describe, expect, it } from 'vitest';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { Bad, Good } from '../status.js';
import { ArchiveReader } from '../cli/reader.js';
import { readRows } from '../cli/export.js';
import { writeCsv } from './write.js';
import { runExport } from '../../app/main/trends/export/run.js';
import { versionsOver } from '../../app/main/trends/history-encode.js';
import { useCsvArchive } from '../testing/csv-archive.js';
import { historianTarget, importCsvFile } from './import.js';
import type { TagKind } from '../types.js';

const archive = useCsvArchive('vigil-csv-roundtrip-');
const T0 = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;

const config = (name: string, kind: TagKind, unit: string) =>
  ({ name, kind, description: '', unit, compression: { kind: 'none' as const }, stepped: kind !== 'analog', cycleMs: 0 });

/** The CLI's export of every tag over [T0, T0 + 1 h), written to a file in the test's folder. */
async function cliExport(file: string): Promise<string> {
  const path = join(archive.dir, file);
  const reader = new ArchiveReader(join(archive.dir, 'archive'));
  try {
    const out = createWriteStream(path);
    await writeCsv(readRows(reader, { tags: ['*'], start: T0, end: T0 + HOUR, bounds: false, order: 'tag' }), out, { kind: true });
    if (!out.closed) await once(out, 'close');
  } finally {
    reader.close();
  }
  return path;
}

/** The console's raw trend export of the tags over [T0, T0 + 1 h). */
async function consoleExport(h: Historian, file: string, tags: string[]): Promise<string> {
  const pens = tags.map((tag) => ({ tag, kind: h.versions(tag)[0]!.config.kind, versions: versionsOver(h.versions(tag), T0, T0 + HOUR) }));
  const chunks: Buffer[] = [];
  const spec = { station: 'Test', user: 'op', exportedAt: T0 + 2 * HOUR, start: T0, end: T0 + HOUR, timeZone: null, shape: 'raw' as const, pens };
  await runExport(h as unknown as Parameters<typeof runExport>[0], spec, { write: (b) => void chunks.push(Buffer.from(b)), cancelled: () => false, progress: () => undefined });
  const path = join(archive.dir, file);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

/** P1 in bar for 3 samples, then (reconfigured at T0 + 10 s) in kPa for 3. */
function unitChange(h: Historian): void {
  h.defineTag(config('P1', 'analog', 'bar'), T0 - 1000);
  h.append('P1', [1.5, 1.6, 1.7].map((value, i) => ({ t: T0 + i * 1000, value, status: Good })));
  h.flush();
  h.defineTag(config('P1', 'analog', 'kPa'), T0 + 10_000);
  h.append('P1', [170, 171, 172].map((value, i) => ({ t: T0 + 10_000 + i * 1000, value, status: Good })));
  h.flush();
}

/** Mode, a text tag: a Good empty text between states, and a Bad sample. */
function emptyText(h: Historian): void {
  h.defineTag(config('Mode', 'text', ''), T0 - 1000);
  h.append('Mode', [
    { t: T0, value: 'RUNNING', status: Good },
    { t: T0 + 1000, value: '', status: Good },
    { t: T0 + 2000, value: 'STOPPED', status: Good },
    { t: T0 + 3000, value: '', status: Bad },
  ]);
  h.flush();
}

const values = (h: Historian, tag: string) => h.readRaw({ tags: [tag], start: T0, end: T0 + HOUR }).rows.map((r) => [r.t - T0, r.value, (r.status & 0xffff0000) >>> 0]); // status without the read's InfoType bits

describe('an export across a unit change reads back', () => {
  it('CLI export: each row in the unit of its time, into the archive it came from (nothing rejected, nothing changed)', async () => {
    unitChange(archive.h);
    const path = await cliExport('p1.csv');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(',P1,1.5,bar,Good,');
    expect(text).toContain(',P1,170,kPa,Good,');
    const report = await importCsvFile(historianTarget(archive.h), path);
    expect([report.fileError, report.rejections.count, report.rejections.listed.map((r) => r.expected), report.replaced]).toEqual([undefined, 0, [], 0]);
    archive.h.flush();
    expect(values(archive.h, 'P1')).toEqual([[0, 1.5, Good], [1000, 1.6, Good], [2000, 1.7, Good], [10_000, 170, Good], [11_000, 171, Good], [12_000, 172, Good]]);
  });

  it('console raw export: the same', async () => {
    unitChange(archive.h);
    const path = await consoleExport(archive.h, 'p1-console.csv', ['P1']);
    const report = await importCsvFile(historianTarget(archive.h), path);
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
  });

  it('into a fresh archive, the CLI and the console export alike: every row, the tag with the units they state (bar, kPa from the first kPa row)', async () => {
    unitChange(archive.h);
    const files = [await cliExport('p1-fresh.csv'), await consoleExport(archive.h, 'p1-fresh-console.csv', ['P1'])];
    for (const [i, path] of files.entries()) {
      // Read whole; read as it comes (a file past the sort budget, in order); read by windows of time (newest first, past it).
      for (const sortBudget of [undefined, 2]) {
        const fresh = Historian.open(join(archive.dir, `fresh-${i}-${sortBudget ?? 'all'}`), { flushIntervalMs: 0, sortWindowMs: 0 });
        try {
          const report = await importCsvFile(historianTarget(fresh), path, { sortBudget });
          expect([report.fileError, report.rejections.count, report.imported]).toEqual([undefined, 0, 6]);
          fresh.flush();
          expect(values(fresh, 'P1')).toEqual([[0, 1.5, Good], [1000, 1.6, Good], [2000, 1.7, Good], [10_000, 170, Good], [11_000, 171, Good], [12_000, 172, Good]]);
          expect(fresh.versions('P1').map((v) => [v.validFrom - T0, v.config.unit])).toEqual([[-T0, 'bar'], [10_000, 'kPa']]);
        } finally {
          await fresh.close();
        }
      }
    }
    // Newest first and past the budget: read by windows of time, the oldest first.
    const lines = readFileSync(files[0]!, 'utf8').split('\r\n');
    const reversed = archive.write('p1-reversed.csv', [lines[0], ...lines.slice(1, -1).reverse(), ''].join('\r\n'));
    const fresh = Historian.open(join(archive.dir, 'fresh-reversed'), { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      const report = await importCsvFile(historianTarget(fresh), reversed, { sortBudget: 2 });
      expect([report.fileError, report.rejections.count, report.imported]).toEqual([undefined, 0, 6]);
      expect(fresh.versions('P1').map((v) => [v.validFrom - T0, v.config.unit])).toEqual([[-T0, 'bar'], [10_000, 'kPa']]);
    } finally {
      await fresh.close();
    }
  });

  it('a row in another unit than the one in force at its time is still rejected', async () => {
    unitChange(archive.h);
    const report = await archive.importText('wrong.csv', 'time,tag,value,unit\r\n'
      + '2026-11-01T00:00:05.000Z,P1,1.55,bar\r\n' // bar in force: accepted
      + '2026-11-01T00:00:20.000Z,P1,1.8,bar\r\n' // kPa in force since 00:00:10: 1.8 bar is not 1.8 kPa
      + '2026-11-01T00:00:00.500Z,P1,150,kPa\r\n'); // bar in force
    expect(report.rejections.listed.map((r) => [r.line, r.expected])).toEqual([
      [3, '"kPa" (the unit of P1 in the archive)'],
      [4, '"bar" (the unit of P1 at 2026-11-01T00:00:00.500Z in the archive)'],
    ]);
  });
});

describe('a Good empty text reads back', () => {
  it('CLI export writes it as "" and the import archives "" (Good); a Bad one stays an empty cell', async () => {
    emptyText(archive.h);
    const path = await cliExport('mode.csv');
    const lines = readFileSync(path, 'utf8').split('\r\n');
    expect(lines).toContain('2026-11-01T00:00:01.000Z,Mode,"",,Good,0x00000400,,text');
    expect(lines).toContain('2026-11-01T00:00:03.000Z,Mode,,,Bad,0x80000400,,text');
    const report = await importCsvFile(historianTarget(archive.h), path);
    expect([report.fileError, report.rejections.count, report.replaced]).toEqual([undefined, 0, 0]);
    archive.h.flush();
    expect(values(archive.h, 'Mode')).toEqual([[0, 'RUNNING', Good], [1000, '', Good], [2000, 'STOPPED', Good], [3000, '', Bad]]);
  });

  it('console raw export: the same "" cell, and it imports into a fresh archive exactly', async () => {
    emptyText(archive.h);
    const path = await consoleExport(archive.h, 'mode-console.csv', ['Mode']);
    expect(readFileSync(path, 'utf8')).toContain('2026-11-01T00:00:01.000Z,Mode,"",,Good,0x00000400,');
    const fresh = Historian.open(join(archive.dir, 'fresh'), { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      const report = await importCsvFile(historianTarget(fresh), path);
      expect([report.fileError, report.rejections.count, report.imported]).toEqual([undefined, 0, 4]);
      fresh.flush();
      expect(values(fresh, 'Mode')).toEqual([[0, 'RUNNING', Good], [1000, '', Good], [2000, 'STOPPED', Good], [3000, '', Bad]]);
    } finally {
      await fresh.close();
    }
  });

  it('an unquoted empty cell with a Good status is still no value: rejected, for text and numbers alike', async () => {
    archive.h.defineTag(config('Mode', 'text', ''), T0 - 1000);
    archive.h.defineTag(config('L', 'analog', ''), T0 - 1000);
    const report = await archive.importText('empty.csv', 'time,tag,value,status\r\n'
      + '2026-11-01T00:00:00.000Z,Mode,,Good\r\n'
      + '2026-11-01T00:00:00.000Z,L,,Good\r\n'
      + '2026-11-01T00:00:01.000Z,L,"",Good\r\n');
    expect(report.rejections.listed.map((r) => [r.line, r.expected])).toEqual([
      [2, expect.stringContaining('empty only with a Bad status')],
      [3, expect.stringContaining('empty only with a Bad status')],
      [4, expect.stringContaining('empty only with a Bad status')],
    ]);
  });
});
