/**
 * A file bigger than the sort budget, in time order, is archived as it is read: a row with the
 * tag and time of a row far earlier in the same file must be rejected as its duplicate (naming
 * that line), never replace the earlier value through the late path; a late row at a time the file
 * did not give (archived before by another import, or a gap) still goes the late path. The budget
 * is lowered (sortBudget) so a few thousand rows stand for a file over 1,000,000 samples.
 * Real SQLite archive in a temp dir; expectations from the generated text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianTarget, importCsvFile, type ImportReport } from './import.js';
import { FileTimes } from './file-times.js';

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'vigil-csv-fardup-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 2, 1);
const TAGS = ['P1', 'P2', 'P3'];
const stamp = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');
const valueOf = (i: number, j: number) => 100 * (j + 1) + i;

async function importInto(dir: string, name: string, text: string, sortBudget?: number): Promise<ImportReport> {
  const path = join(root, name);
  writeFileSync(path, text);
  const h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'auto' });
  try {
    return await importCsvFile(historianTarget(h), path, { sortBudget, flushAtEnd: false });
  } finally {
    await h.close();
  }
}

function archived(dir: string, tag: string, t: number): unknown {
  const h = Historian.open(dir, { flushIntervalMs: 0 });
  try {
    return h.readRaw({ tags: [tag], start: t, end: t, pageSize: 10 }).rows.map((r) => r.value);
  } finally {
    void h.close();
  }
}

describe('a duplicate far back in a file archived as read', () => {
  it('is rejected naming the earlier line, the earlier value kept; a late row at a time the file did not give is archived', async () => {
    const dir = join(root, 'archive');
    const before = T0 - 3_600_000; // archived by another file first
    await importInto(dir, 'first.csv', `time,tag,value\n${stamp(before)},P2,1\n`);

    const ROWS = 3000, GAP = 2500; // 9000 samples (row GAP missing), budget 1000: archived as read after the first 1000
    const lines = ['time,tag,value'];
    for (let i = 0; i < ROWS; i++) if (i !== GAP) for (let j = 0; j < TAGS.length; j++) lines.push(`${stamp(T0 + i * 1000)},${TAGS[j]},${valueOf(i, j)}`);
    const dupRow = 10, dupLine = 2 + dupRow * TAGS.length + 0; // line of P1 at row 10 (header is line 1)
    const lateDupRow = 2000, lateDupLine = 2 + lateDupRow * TAGS.length + 2; // P3, archived as read (past the budget)
    lines.push(`${stamp(T0 + dupRow * 1000)},P1,-1`); // far after its original
    lines.push(`${stamp(T0 + lateDupRow * 1000)},P3,-3`);
    lines.push(`${stamp(before)},P2,2`); // a genuine late row: replaces what first.csv archived
    lines.push(`${stamp(T0 + GAP * 1000)},P1,7`); // a time the file did not give: a gap filled
    const report = await importInto(dir, 'big.csv', lines.join('\n') + '\n', 1000);

    const messages = report.rejections.listed.map((r) => `${r.line}: ${r.message}`);
    expect(messages).toEqual([
      `${lines.length - 3}: duplicate of line ${dupLine} (tag P1 at ${new Date(T0 + dupRow * 1000).toISOString()}; the archive keeps one value per tag and time)`,
      `${lines.length - 2}: duplicate of line ${lateDupLine} (tag P3 at ${new Date(T0 + lateDupRow * 1000).toISOString()}; the archive keeps one value per tag and time)`,
    ]);
    expect(report.replaced).toBe(1);
    expect(archived(dir, 'P1', T0 + dupRow * 1000)).toEqual([valueOf(dupRow, 0)]);
    expect(archived(dir, 'P3', T0 + lateDupRow * 1000)).toEqual([valueOf(lateDupRow, 2)]);
    expect(archived(dir, 'P2', before)).toEqual([2]);
    expect(archived(dir, 'P1', T0 + GAP * 1000)).toEqual([7]);
  });
});

describe('FileTimes', () => {
  it('keeps evenly spaced rows as runs and answers their lines; past its bound a time it cannot rule out is unknown', () => {
    const ft = new FileTimes(4);
    const times = Array.from({ length: 1000 }, (_, i) => ({ t: i * 10 }));
    ft.addInOrder('a', times, times.map((_, i) => 2 + 3 * i));
    expect(ft.has('a', 990)).toBe(2 + 3 * 99);
    expect(ft.has('a', 995)).toBeUndefined();
    expect(ft.has('a', 10_000)).toBeUndefined();
    ft.addLate('a', 995, 5000);
    expect(ft.has('a', 995)).toBe(5000);
    ft.addInOrder('b', [{ t: 1 }, { t: 3 }, { t: 4 }, { t: 9 }, { t: 20 }], [1, 2, 3, 4, 5]); // irregular: runs [1,3] [4,9] then full
    expect(ft.has('b', 9)).toBe(4);
    expect(ft.has('b', 20)).toBe('unknown');
    expect(ft.has('b', 7)).toBe('unknown');
  });
});
