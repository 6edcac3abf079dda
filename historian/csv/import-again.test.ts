/**
 * Importing a file again, newest first, out of order or bigger than the sort budget, and
 * filling a gap later: the archive must end up as an ordered first import leaves it. Each
 * import runs as the CLI runs it (an archive opened, the file imported, the archive closed);
 * real SQLite files in temp dirs. Expected values come from the generated input text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { volumeQuery } from '../store/testing.js';
import { formatReport, historianTarget, importCsvFile, type ImportOptions, type ImportReport } from './import.js';

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'vigil-csv-again-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(root, `${name}-${n++}`);

const T0 = Date.UTC(2020, 2, 9, 10, 14, 33);
const TAGS = ['Accelerometer', 'Pressure', 'Temperature', 'machine_status', 'running'];
const STATES = ['NORMAL', 'BROKEN', 'RECOVERING'];

interface Row { t: number; values: [number, number, number, string, boolean] }

/** Pump-bench-like rows (1 s apart): a noisy walk, a noisy sine, a slow ramp in 5 digits, a state that changes 6 times, a run flag. */
function pumpRows(count: number, periodMs = 1000): Row[] {
  let seed = 20200309;
  const random = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647);
  let walk = 0.2;
  return Array.from({ length: count }, (_, i) => {
    walk += (random() - 0.5) * 0.002;
    return {
      t: T0 + i * periodMs,
      values: [
        Number(walk.toFixed(6)),
        Number((1 + 0.2 * Math.sin(i / 300) + (random() - 0.5) * 0.001).toFixed(5)),
        Number((80 + i / 1000).toFixed(3)),
        STATES[Math.floor((i / count) * 6) % 3]!,
        Math.floor(i / (count / 4)) % 2 === 0,
      ],
    };
  });
}

const stamp = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');
function csv(name: string, rows: Row[]): string {
  const path = join(root, name);
  writeFileSync(path, `datetime;${TAGS.join(';')}\n` + rows.map((r) => `${stamp(r.t)};${r.values.join(';')}`).join('\n') + '\n');
  return path;
}

async function importInto(dir: string, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'auto' });
  try {
    return await importCsvFile(historianTarget(h), path, { ...opts, flushAtEnd: false });
  } finally {
    await h.close();
  }
}

/** Every tag's archived [t, value, status], the rows of the volumes' tables, and the archive's bytes. */
async function snapshot(dir: string) {
  const h = Historian.open(dir, { flushIntervalMs: 0 });
  const values: Record<string, unknown[][]> = {};
  try {
    for (const tag of h.tagNames().sort()) {
      values[tag] = h.readRaw({ tags: [tag], start: 0, end: 4e12, pageSize: 1_000_000 }).rows.map((r) => [r.t, r.value, r.status]);
    }
  } finally {
    await h.close();
  }
  const [rows] = volumeQuery<Record<string, number>>(dir,
    'SELECT (SELECT count(*) FROM block) AS blocks, (SELECT count(*) FROM segment) AS segments, (SELECT count(*) FROM event) AS events');
  const bytes = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
  return { values, rows, bytes };
}

/** [t, value, Good] of the rows where column k changes, and of the last row: what a change-only tag archives. */
const changes = (rows: Row[], k: number, ends = [rows.length - 1]) => rows.filter((r, i) => i === 0 || ends.includes(i) || r.values[k] !== rows[i - 1]!.values[k])
  .map((r) => [r.t, r.values[k], 0x400]); // Good, as a raw read gives it (InfoType DataValue)

const swingingDoor = { compression: { kind: 'swinging-door', deviation: 0.5, percentOfSpan: true }, range: 'data' } as const;

describe('importing the same file again', { timeout: 120_000 }, () => {
  const rows = pumpRows(6000);
  const samples = rows.length * TAGS.length;

  it.each([['lossless', {}], ['swinging door 0.5 %', swingingDoor]] as const)('%s: the second import writes nothing: same values, same rows, about the same bytes', async (_, opts) => {
    const path = csv('pump.csv', rows);
    const dir = fresh('twice');
    const first = await importInto(dir, path, opts);
    expect(first).toMatchObject({ imported: samples, appended: samples, inserted: 0, rejections: { count: 0 } });
    const before = await snapshot(dir);
    const second = await importInto(dir, path, opts);
    expect(second).toMatchObject({ imported: 0, appended: 0, inserted: 0, unchanged: samples, rejections: { count: 0 }, createdTags: [] });
    const after = await snapshot(dir);
    expect(after.values).toEqual(before.values);
    expect(after.rows).toEqual(before.rows);
    expect(Math.abs(after.bytes - before.bytes)).toBeLessThanOrEqual(before.bytes * 0.02);
    // The state and the run flag archive their changes only (and the last row, held until the end).
    expect(after.values.machine_status).toEqual(changes(rows, 3));
    expect(after.values.running).toEqual(changes(rows, 4));
    if (opts === swingingDoor) return;
    for (const [k, tag] of TAGS.slice(0, 3).entries()) expect(after.values[tag]!.map((r) => [r[0], r[1]])).toEqual(rows.map((r) => [r.t, r.values[k]]));
  });

  it('a file overlapping the archive writes only its new rows and the changed ones (a correction)', async () => {
    const dir = fresh('overlap');
    await importInto(dir, csv('a.csv', rows.slice(0, 4000)));
    const changed = rows.slice(3000, 6000).map((r, i) => (i === 500 ? { ...r, values: [r.values[0], 7.5, r.values[2], r.values[3], r.values[4]] as Row['values'] } : r));
    const report = await importInto(dir, csv('b.csv', changed));
    // 1000 rows again (one with a new Pressure, written as a correction), 2000 new rows appended.
    expect(report).toMatchObject({ appended: 2000 * TAGS.length, inserted: 1, unchanged: 1000 * TAGS.length - 1, rejections: { count: 0 } });
    const { values } = await snapshot(dir);
    expect(values.Pressure!.map((r) => r[1])).toEqual(rows.map((r, i) => (i === 3500 ? 7.5 : r.values[1])));
    expect(values.machine_status).toEqual(changes(rows, 3, [3999, 5999])); // the first import's last row stays
  });
});

describe('a file out of time order', { timeout: 120_000 }, () => {
  const rows = pumpRows(3000);
  const samples = rows.length * TAGS.length;
  let ordered: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    const dir = fresh('ordered');
    await importInto(dir, csv('ordered.csv', rows), swingingDoor);
    ordered = await snapshot(dir);
  });

  // A shuffle that moves every row: row i goes to (i * 7919) mod 3000 (7919 is prime to 3000).
  const shuffled = rows.map((_, i) => rows[(i * 7919) % rows.length]!);

  it.each([
    ['newest first', rows.slice().reverse(), undefined],
    ['shuffled', shuffled, undefined],
    ['newest first, bigger than the sort budget (read by windows of time)', rows.slice().reverse(), 2000],
    ['shuffled, bigger than the sort budget', shuffled, 999],
  ] as const)('%s: archived as the file in time order is, through append (compressed), none of it raw', async (_, fileRows, sortBudget) => {
    const dir = fresh('unordered');
    const report = await importInto(dir, csv('unordered.csv', fileRows), { ...swingingDoor, sortBudget });
    expect(report).toMatchObject({ imported: samples, appended: samples, inserted: 0, rejections: { count: 0 } });
    expect(report.summary).toMatchObject({ rows: rows.length, samples, first: rows[0]!.t, last: rows[rows.length - 1]!.t });
    const got = await snapshot(dir);
    expect(got.values).toEqual(ordered.values);
    expect(got.values.Accelerometer!.length).toBeLessThan(rows.length); // compressed
  });

  it('bigger than the budget and in order: archived as read, duplicates across batches still rejected, rejections reported once', async () => {
    const lines = rows.map((r) => `${stamp(r.t)};${r.values.join(';')}`);
    lines.splice(2500, 0, lines[2499]!); // a repeated row (lines 2502 and 2503 once the next one is in)
    lines.splice(100, 0, `${stamp(rows[99]!.t)};x;1;2;NORMAL;true`); // line 102: a duplicate of line 101 with a bad value
    const path = join(root, 'dups.csv');
    writeFileSync(path, `datetime;${TAGS.join(';')}\n${lines.join('\n')}\n`);
    for (const sortBudget of [undefined, 700]) {
      const dir = fresh('dups');
      const report = await importInto(dir, path, { sortBudget });
      const dupOf = (line: number) => expect.stringMatching(new RegExp(`^duplicate of line ${line} `));
      expect(report.rejections.listed.map((r) => [r.line, r.field, r.message ?? r.expected])).toEqual([
        [102, 'Accelerometer', expect.stringMatching(/^a number/)],
        ...TAGS.slice(1).map(() => [102, 'datetime', dupOf(101)]),
        ...TAGS.map(() => [2503, 'datetime', dupOf(2502)]),
      ]);
      const { values } = await snapshot(dir);
      expect(values.Temperature!.map((r) => [r[0], r[1]])).toEqual(rows.map((r) => [r.t, r.values[2]]));
    }
  });
});

describe('an import stopped by its signal', { timeout: 120_000 }, () => {
  const rows = pumpRows(3000);

  /** Imports with a target that raises the signal once it has archived something. */
  async function stopped(dir: string, path: string, opts: ImportOptions) {
    const h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'auto' });
    const stop = new AbortController();
    try {
      const target = historianTarget(h);
      const append = target.append.bind(target);
      target.append = (name, samples) => {
        append(name, samples);
        stop.abort();
      };
      return await importCsvFile(target, path, { ...opts, signal: stop.signal, flushAtEnd: false });
    } finally {
      await h.close();
    }
  }

  it('a big file in order: archives the lines read, up to the one it names', async () => {
    const dir = fresh('stop-ordered');
    const report = await stopped(dir, csv('stop.csv', rows), { sortBudget: 700 });
    const line = report.interruptedAfter!;
    expect(line).toBeGreaterThan(1);
    expect(line).toBeLessThan(rows.length + 1);
    expect(report.interruptedNote).toBeUndefined();
    const { values } = await snapshot(dir);
    expect(values.Temperature!.map((r) => [r[0], r[1]])).toEqual(rows.slice(0, line - 1).map((r) => [r.t, r.values[2]]));
  });

  it('a big file out of order (read by windows of time): says what is archived, an ordered head of the rows', async () => {
    const dir = fresh('stop-windows');
    const report = await stopped(dir, csv('stop-desc.csv', rows.slice().reverse()), { sortBudget: 2000 });
    // The signal came as the first window was archived: the next pass stops before its first line, which it cannot name.
    expect(report.interruptedAfter).toBe(0);
    expect(report.interruptedNote).toMatch(/^before reading the file again for its rows from .* \(it is out of time order\): the rows before .* are archived$/);
    expect(formatReport(report)).toContain(`\ninterrupted before reading the file again for its rows from `);
    const { values } = await snapshot(dir);
    const got = values.Temperature!.map((r) => [r[0], r[1]]);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(rows.length);
    expect(got).toEqual(rows.slice(0, got.length).map((r) => [r.t, r.values[2]]));
  });
});

describe('a gap filled by a later import', { timeout: 120_000 }, () => {
  it.each([
    ['3-minute data: blocks past 512 points, as appended ones', 180_000, (p: number[]) => expect(Math.min(...p)).toBeGreaterThan(512)],
    ['1-second data: blocks of at most blockSize (512)', 1000, (p: number[]) => expect(Math.max(...p)).toBeLessThanOrEqual(512)],
  ])('%s', async (_, periodMs, check) => {
    const rows = pumpRows(10_000, periodMs);
    const dir = fresh('gap');
    await importInto(dir, csv('around.csv', [...rows.slice(0, 4000), ...rows.slice(6000)]));
    const report = await importInto(dir, csv('gap.csv', rows.slice(4000, 6000)));
    // Every analog row of the gap is new; the state and the run flag write their changes only.
    expect(report).toMatchObject({ imported: report.inserted, appended: 0, rejections: { count: 0 } });
    expect(report.inserted + report.unchanged).toBe(2000 * TAGS.length);
    expect(report.inserted).toBeGreaterThanOrEqual(2000 * 3);
    const { values } = await snapshot(dir);
    expect(values.Temperature!.map((r) => [r[0], r[1]])).toEqual(rows.map((r) => [r.t, r.values[2]]));
    // The blocks the gap was merged into: points per block, from each block's first and last time.
    const catalog = new Database(join(dir, 'catalog.sqlite'), { readonly: true });
    const id = catalog.prepare("SELECT id FROM tag WHERE name = 'Temperature'").pluck().get() as number;
    catalog.close();
    const blocks = volumeQuery<{ t_start: number; t_end: number }>(dir,
      'SELECT t_start, t_end FROM block WHERE tag_id = ? AND t_end >= ? AND t_start <= ? ORDER BY t_start', id, rows[4000]!.t, rows[5999]!.t);
    expect(blocks.length).toBeGreaterThan(0);
    check(blocks.map((b) => (b.t_end - b.t_start) / periodMs + 1));
  });
});
