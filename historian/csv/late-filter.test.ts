/**
 * The import's late path writes what changes the archive and nothing it holds already: never
 * less. Real archives in temp dirs; each expected list is written out by hand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import { type ArchivedSample, type Compression, Flag, type Sample, type TagKind } from '../types.js';
import { historianTarget, importCsvFile, type ImportReport } from './import.js';
import { LateFilter } from './late-filter.js';

let dir: string;
let h: Historian;
const T0 = Date.UTC(2024, 4, 1);
const s = (sec: number, value: Sample['value'], status = Good): Sample => ({ t: T0 + sec * 1000, value, status });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-late-filter-'));
  h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function tag(name: string, kind: TagKind, compression: Compression = { kind: 'none' }, archived: Sample[] = [], maxIntervalMs?: number) {
  const c = compression.kind === 'none' || maxIntervalMs === undefined ? compression : { ...compression, maxIntervalMs };
  h.defineTag({ name, kind, description: '', unit: '', compression: c, stepped: kind !== 'analog', cycleMs: 0 }, 0);
  if (archived.length) h.insert(name, archived); // archived as given: exactly these points
  h.flush();
}

const secondsOf = (samples: Sample[]) => samples.map((x) => (x.t - T0) / 1000);
/** A record the compressor added (Flag.Cyclic: a deadband's hold record), archived as given. */
const record = (sec: number, value: number): ArchivedSample => ({ ...s(sec, value), flags: Flag.Cyclic });

describe('LateFilter', () => {
  it('lossless: drops only samples identical in value (Object.is) and status to the archived one at their time', () => {
    tag('A', 'analog', { kind: 'none' }, [s(0, 1), s(10, 2), s(20, -0), s(30, NaN, BadSensorFailure)]);
    const late = [s(0, 1), s(5, 1.5), s(10, 2.0000001), s(20, 0), s(30, NaN, BadSensorFailure), s(31, 3)];
    expect(secondsOf(new LateFilter(dir).changes('A', late))).toEqual([5, 10, 20, 31]);
  });

  it('compressed: drops the samples between two archived points only when the line between them holds every one within the deviation', () => {
    // Swinging door, deviation 0.5: archived 0 at 0 s and 10 at 10 s (a ramp), 10 at 20 s, 10 at 100 s.
    tag('B', 'analog', { kind: 'swinging-door', deviation: 0.5 }, [s(0, 0), s(10, 10), s(20, 10), s(100, 10)]);
    const f = new LateFilter(dir);
    // On the ramp within 0.5 (5.5 at 5 s): dropped, all of them.
    expect(f.changes('B', [s(3, 3.2), s(5, 5.5), s(7, 6.9)])).toEqual([]);
    f.reset();
    // One of them 0.6 off: the whole run between 0 s and 10 s is kept, as given.
    expect(secondsOf(f.changes('B', [s(3, 3.2), s(5, 5.6), s(7, 6.9)]))).toEqual([3, 5, 7]);
    f.reset();
    // Another status than the points around it (Uncertain between two Good), or no point after them: kept.
    expect(secondsOf(f.changes('B', [s(15, 10, UncertainLastUsableValue)]))).toEqual([15]);
    expect(secondsOf(f.changes('B', [s(101, 10)]))).toEqual([101]);
    expect(secondsOf(f.changes('B', [s(-1, 0)]))).toEqual([-1]);
  });

  it('compressed: keeps samples between points farther apart than CompMax (the compressor would have archived one)', () => {
    tag('C', 'analog', { kind: 'deadband', deviation: 1 }, [s(0, 5), s(100, 5)], 60_000);
    expect(secondsOf(new LateFilter(dir).changes('C', [s(50, 5)]))).toEqual([50]);
  });

  it('discrete and text: drops a sample that changes nothing, keeps the last one before a status change, as the compressor does', () => {
    tag('S', 'text', { kind: 'none' }, [s(0, 'RUN'), s(100, 'STOP')]);
    const f = new LateFilter(dir);
    // RUN again at 10 and 20 s: nothing new. FAULT at 30 s: a change. RUN at 40, 50 s, then RUN Uncertain at 60 s:
    // the status changes, so RUN at 50 s (the last unchanged one) is kept too.
    const late = [s(10, 'RUN'), s(20, 'RUN'), s(30, 'FAULT'), s(40, 'RUN'), s(50, 'RUN'), s(60, 'RUN', UncertainLastUsableValue), s(100, 'STOP')];
    const changes = f.changes('S', late);
    expect(secondsOf(changes)).toEqual([30, 40, 50, 60]);
    f.written('S', changes); // inserted
    // What it let through counts in the next calls, before any flush, also back in time: FAULT is in force at 35 s.
    expect(f.changes('S', [s(35, 'FAULT')])).toEqual([]);
    expect(secondsOf(f.changes('S', [s(45, 'FAULT')]))).toEqual([45]);
    tag('D', 'discrete', { kind: 'none' }, [s(0, true)]);
    expect(secondsOf(new LateFilter(dir).changes('D', [s(-5, true), s(5, true), s(6, false)]))).toEqual([-5, 6]);
  });

  it('a tag the archive files do not show yet: everything is a change', () => {
    expect(secondsOf(new LateFilter(dir).changes('nope', [s(1, 1)]))).toEqual([1]);
  });

  it('compressed: a sample the archived point at its time holds within the deviation (a hold record) is no correction; one outside it is', () => {
    // Deadband 0.5 as the compressor leaves 10, 10.2, 9.8, 10.1, 10.3, 15: 10 at 0 s, the hold record
    // (4 s, 10, Cyclic) standing for 10.3, the step 15 at 5 s.
    tag('H', 'analog', { kind: 'deadband', deviation: 0.5 }, [s(0, 10), record(4, 10), s(5, 15)]);
    const f = new LateFilter(dir);
    const tally = { replacing: 0 };
    // The rows again: 10.3 is 0.3 from the record's 10, every other row on the flat line or its point.
    expect(f.changes('H', [s(0, 10), s(1, 10.2), s(2, 9.8), s(3, 10.1), s(4, 10.3), s(5, 15)], tally)).toEqual([]);
    expect(tally.replacing).toBe(0);
    // 10.6 is 0.6 from it, and an Uncertain 10.3 another status: corrections, each replaces the record.
    expect(secondsOf(f.changes('H', [s(4, 10.6)], tally))).toEqual([4]);
    expect(secondsOf(f.changes('H', [s(4, 10.3, UncertainLastUsableValue)], tally))).toEqual([4]);
    expect(tally.replacing).toBe(2);
  });

  it('lossless: a sample off the archived point at its time by less than any deviation is a correction', () => {
    tag('L', 'analog', { kind: 'none' }, [s(0, 10), record(4, 10)]);
    expect(secondsOf(new LateFilter(dir).changes('L', [s(4, 10.001)]))).toEqual([4]);
  });
});

describe('importing a deadband file again (CLI: --compression deadband:0.5%)', () => {
  /** Two tags of noisy rows a second, 6 significant digits. */
  function noisyCsv(path: string, rows: number): number[][] {
    let seed = 20251201;
    const random = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647);
    // FT101: a slow swing of ±50 with noise of ±0.5 (deviation 0.5): runs within the band end in hold records.
    const values = Array.from({ length: rows }, (_, i) => [
      Number((120 + 50 * Math.sin(i / 300) + (random() - 0.5)).toPrecision(6)),
      Number((4.5 + (random() - 0.5) * 0.05).toPrecision(6)),
    ]);
    const stamp = (i: number) => new Date(T0 + i * 1000).toISOString();
    writeFileSync(path, 'time,FT101,PT102\n' + values.map((v, i) => `${stamp(i)},${v.join(',')}`).join('\n') + '\n');
    return values;
  }

  async function importInto(path: string): Promise<ImportReport> {
    await h.close(); // the import opens the archive as the CLI does
    h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      return await importCsvFile(historianTarget(h), path, { compression: { kind: 'deadband', deviation: 0.5, percentOfSpan: true }, range: 'data', flushAtEnd: false });
    } finally {
      await h.close();
      h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
    }
  }

  const archived = (tagName: string) => h.readRaw({ tags: [tagName], start: 0, end: 4e12, pageSize: 1_000_000 }).rows.map((r) => ({ t: r.t, value: r.value as number, status: r.status, flags: r.flags }));

  /** Rows farther than 0.5 % of the tag's span in the file from the line through the archived points (linear between neighbours, at an archived time its point). */
  function beyondDeviation(values: number[], points: { t: number; value: number }[]): number[] {
    const dev = 0.005 * (Math.max(...values) - Math.min(...values));
    const out: number[] = [];
    let j = 0;
    values.forEach((v, i) => {
      const t = T0 + i * 1000;
      while (j + 1 < points.length && points[j + 1]!.t <= t) j++;
      const a = points[j]!, b = points[j + 1];
      const rec = a.t === t || b === undefined ? a.value : a.value + (b.value - a.value) * (t - a.t) / (b.t - a.t);
      if (Math.abs(rec - v) > dev + 1e-9 * (Math.abs(v) + Math.abs(rec) + dev)) out.push(i);
    });
    return out;
  }

  it('the second import writes nothing: the hold records stay, every row within the deviation', async () => {
    const path = join(dir, 'noisy.csv');
    const values = noisyCsv(path, 3000);
    const first = await importInto(path);
    expect(first).toMatchObject({ imported: 6000, appended: 6000, inserted: 0 });
    const before = { FT101: archived('FT101'), PT102: archived('PT102') };
    expect(before.FT101.filter((p) => p.flags & Flag.Cyclic).length).toBeGreaterThan(0); // hold records to keep
    const second = await importInto(path);
    expect(second).toMatchObject({ imported: 0, appended: 0, inserted: 0, replaced: 0, unchanged: 6000 });
    expect({ FT101: archived('FT101'), PT102: archived('PT102') }).toEqual(before);
    expect(beyondDeviation(values.map((v) => v[0]!), before.FT101)).toEqual([]);
  });

  it('overlapping files (rows 0-1999, then 1000-2999): the overlap replaces nothing, every row within the deviation', async () => {
    const whole = join(dir, 'whole.csv'), a = join(dir, 'a.csv'), b = join(dir, 'b.csv');
    const values = noisyCsv(whole, 3000);
    const [header, ...lines] = readFileSync(whole, 'utf8').trimEnd().split('\n');
    writeFileSync(a, [header, ...lines.slice(0, 2000)].join('\n') + '\n');
    writeFileSync(b, [header, ...lines.slice(1000)].join('\n') + '\n');
    await importInto(a);
    const second = await importInto(b);
    expect(second).toMatchObject({ appended: 2000, inserted: 0, replaced: 0, unchanged: 2000 });
    expect(beyondDeviation(values.map((v) => v[0]!), archived('FT101'))).toEqual([]);
  });
});
