/**
 * A wide file's text cell in another encoding (a Windows-1252 "läuft") rejects that cell only:
 * the row's numeric columns are archived. Bytes not UTF-8 where the whole row hangs on them (its
 * time) reject the record, and the message says the record, not one field. Real SQLite archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianTarget, importCsvFile, type ImportReport } from './import.js';

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'vigil-csv-badbytes-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const latin1 = (text: string) => Buffer.from(text, 'latin1'); // "ä" as the single byte 0xE4, as Windows-1252 writes it

async function importBytes(name: string, bytes: Buffer): Promise<{ report: ImportReport; values: Record<string, unknown[]> }> {
  const dir = join(root, name);
  const path = join(root, `${name}.csv`);
  writeFileSync(path, bytes);
  const h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
  try {
    const report = await importCsvFile(historianTarget(h), path, { flushAtEnd: true });
    const values: Record<string, unknown[]> = {};
    for (const tag of ['Status', 'FI-1', 'FI-2']) values[tag] = h.readRaw({ tags: [tag], start: 0, end: 4e12, pageSize: 100 }).rows.map((r) => [r.t, r.value]);
    return { report, values };
  } finally {
    await h.close();
  }
}

const t = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);

describe('bytes not UTF-8 in a wide file', () => {
  it('in a value cell: only that cell is rejected, named; the row\'s other columns are archived', async () => {
    const { report, values } = await importBytes('cell', latin1('time,Status,FI-1,FI-2\n2026-01-01T00:00:00Z,l\xe4uft,10.5,20.5\n2026-01-01T00:00:01Z,OK,11.5,21.5\n'));
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.got])).toEqual([[2, 'Status', 'l\uFFFDuft']]);
    expect(report.rejections.listed[0]!.expected).toMatch(/^UTF-8 text \(byte 0xE4 at byte 23 of the line/);
    expect(values).toEqual({ 'Status': [[t(1), 'OK']], 'FI-1': [[t(0), 10.5], [t(1), 11.5]], 'FI-2': [[t(0), 20.5], [t(1), 21.5]] });
  });

  it('in the time: the record is rejected and the message says so', async () => {
    const { report, values } = await importBytes('time', latin1('time,Status,FI-1,FI-2\n2026-01-01T00:00:00Z\xe4,OK,10.5,20.5\n2026-01-01T00:00:01Z,OK,11.5,21.5\n'));
    expect(report.rejections.listed.map((r) => [r.line, r.field])).toEqual([[2, 'record']]);
    expect(report.rejections.listed[0]!.expected).toMatch(/not UTF-8.* in "time": the whole record is rejected$/);
    expect(values).toEqual({ 'Status': [[t(1), 'OK']], 'FI-1': [[t(1), 11.5]], 'FI-2': [[t(1), 21.5]] });
  });
});
