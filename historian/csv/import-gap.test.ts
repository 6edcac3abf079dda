/**
 * A file says nothing about whether its source was connected between two rows: an import
 * archives exactly what the file holds, with no HIST cyclic record in a stretch without rows,
 * whatever the tag's cycle (a station's tag has its sampling interval as cycle). Live appends keep
 * their cyclic records: there a loss of communication is recorded as bad samples. Real archives,
 * read back through readRaw; the expected rows come from the file written here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { historianCli } from '../testing/cli.js';
import { Good } from '../status.js';
import { type Compression, Flag, type TagConfig } from '../types.js';
import { historianTarget, importCsvFile } from './import.js';
import { Inbox } from './watch.js';

let dir: string;
const T0 = Date.UTC(2026, 2, 8, 3);
const CYCLE = 1000;

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'vigil-import-gap-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One row a second for [0, 60) s and [120, 180) s: no rows for the minute between. */
const rows = [...Array.from({ length: 60 }, (_, i) => i), ...Array.from({ length: 60 }, (_, i) => 120 + i)]
  .map((s) => ({ t: T0 + s * 1000, value: Math.round((50 + 10 * Math.sin(s / 10)) * 1000) / 1000 }));
const GAP = { from: T0 + 59_000, to: T0 + 120_000 };

function writeFile(path: string): string {
  writeFileSync(path, ['time,tag,value,status', ...rows.map((r) => `${new Date(r.t).toISOString()},X.Qual,${r.value},Good`)].join('\n') + '\n');
  return path;
}

/** The station's tag: its sampling interval as cycle. */
const stationTag = (compression: Compression): TagConfig => ({
  name: 'X.Qual', kind: 'analog', description: '', unit: '', compression, stepped: false, cycleMs: CYCLE,
});

const open = (archive: string) => Historian.open(archive, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + 86_400_000 });
const read = (archive: string) => new ArchiveReader(archive).readRaw({ tags: 'X.Qual', start: T0 - 3_600_000, end: T0 + 3_600_000, pageSize: 10_000 }).rows;

const KINDS: [string, Compression][] = [
  ['none', { kind: 'none' }],
  ['deadband', { kind: 'deadband', deviation: 0.5 }],
  ['swinging door', { kind: 'swinging-door', deviation: 0.5 }],
];

describe.each(KINDS)('an import into a tag with a cycle (%s)', (_name, compression) => {
  it('archives no record in the stretch the file has no rows for, and no cyclic record at all', async () => {
    const archive = join(dir, 'archive');
    const h = open(archive);
    h.defineTag(stationTag(compression), 0);
    const report = await importCsvFile(historianTarget(h), writeFile(join(dir, 'gap.csv')));
    expect(report.rejections.count).toBe(0);
    await h.close();
    const got = read(archive);
    expect(got.filter((r) => r.t > GAP.from && r.t < GAP.to)).toEqual([]);
    expect(got.filter((r) => r.flags & Flag.Cyclic && !isHoldRecord(r, got))).toEqual([]);
    if (compression.kind === 'none') {
      expect(got.map((r) => [r.t, r.value, r.status & 0xffff0000, r.flags])).toEqual(rows.map((r) => [r.t, r.value, Good, 0]));
    }
  });
});

/**
 * A deadband's hold record (compression, not a gap's record): at a row's time, with the value of
 * the point before it (store/README.md). Only a deadband tag has them.
 */
function isHoldRecord(r: { t: number; value: unknown }, all: { t: number; value: unknown }[]): boolean {
  const i = all.indexOf(r as (typeof all)[number]);
  return rows.some((row) => row.t === r.t) && i > 0 && all[i - 1]!.value === r.value;
}

describe('imports and live appends', () => {
  it('the first imported row after live data and a gap brings no cyclic record either', async () => {
    const archive = join(dir, 'archive');
    const h = open(archive);
    h.defineTag(stationTag({ kind: 'none' }), 0);
    h.append('X.Qual', [{ t: T0 - 10_000, value: 7, status: Good }]); // live, then the station stopped
    await importCsvFile(historianTarget(h), writeFile(join(dir, 'gap.csv')));
    await h.close();
    expect(read(archive).filter((r) => r.flags & Flag.Cyclic)).toEqual([]);
  });

  it('the watched folder imports without cyclic records', async () => {
    const archive = join(dir, 'archive');
    const h = open(archive);
    h.defineTag(stationTag({ kind: 'none' }), 0);
    const inbox = new Inbox(historianTarget(h), archive, { stableMs: 0 });
    writeFile(join(inbox.inbox, 'gap.csv'));
    expect((await inbox.poll())[0]).toMatchObject({ imported: rows.length, rejections: { count: 0 } });
    await h.close();
    expect(read(archive).map((r) => r.t)).toEqual(rows.map((r) => r.t));
  });

  it('the CLI import archives no cyclic record into a station\'s tag', async () => {
    const archive = join(dir, 'archive');
    const h = open(archive);
    h.defineTag(stationTag({ kind: 'none' }), 0);
    await h.close();
    const r = historianCli(dir, 'import', writeFile(join(dir, 'gap.csv')), '--data', archive);
    expect(r.code, r.stderr).toBe(0);
    expect(read(archive).map((r) => [r.t, r.flags])).toEqual(rows.map((r) => [r.t, 0]));
  }, 60_000);

  it('live appends of the same samples keep HIST\'s cyclic record in the gap (a loss of communication is recorded as bad samples)', async () => {
    const archive = join(dir, 'archive');
    const h = open(archive);
    h.defineTag(stationTag({ kind: 'none' }), 0);
    h.append('X.Qual', rows.map((r) => ({ ...r, status: Good })));
    await h.close();
    const cyclic = read(archive).filter((r) => r.flags & Flag.Cyclic);
    const before = rows.filter((r) => r.t <= GAP.from).at(-1)!;
    expect(cyclic.map((r) => [r.t, r.value])).toEqual([[GAP.to - CYCLE, before.value]]);
  });
});
