import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { historianTarget, importCsvFile } from '../csv/import.js';
import { Historian, compareChangeCursors, type HistorianOptions } from '../index.js';
import { BadSensorFailure, Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import type { Sample } from '../types.js';
import type { ChangePage } from './types.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** The wall clock the archive sees: tests move it. */
let clock = T0 + 30 * DAY;

function open(options: HistorianOptions = {}): { h: Historian; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => clock, ...options });
  cleanups.push(() => h.close());
  return { h, dir: tmp.dir };
}

type Reader = { readChanges(after: string | null, max: number): ChangePage };
type Got = [string, number, unknown, number];

/** Reads the feed until `more` is false; returns the samples as [tag, t, value, status], the pages and the cursor. */
function drain(r: Reader, after: string | null, max = 1000): { samples: Got[]; cursor: string | null; pages: ChangePage[] } {
  const samples: Got[] = [];
  const pages: ChangePage[] = [];
  let cursor = after;
  for (;;) {
    const page = r.readChanges(cursor, max);
    pages.push(page);
    if (cursor !== null) expect(compareChangeCursors(page.cursor, cursor)).toBeGreaterThanOrEqual(0);
    if (page.items.length) expect(compareChangeCursors(page.cursor, cursor)).toBeGreaterThan(0);
    for (const it of page.items) it.t.forEach((t, i) => samples.push([it.tag, t, it.values[i], it.status[i]!]));
    cursor = page.cursor;
    if (!page.more) return { samples, cursor, pages };
  }
}

/** Everything the archive holds, as [tag, t, value, status], by tag then time. */
function archive(r: { readRaw: Historian['readRaw'] }, tags: string[]): Got[] {
  return tags.flatMap((tag) => r.readRaw({ tags: tag, start: 0, end: T0 + 1000 * DAY, pageSize: 1_000_000 }).rows
    .map((x): Got => [tag, x.t, x.value, (x.status & 0xffff0000) >>> 0]));
}

const byKey = (a: Got, b: Got) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);
const sorted = (xs: Got[]) => [...xs].sort(byKey);
const series = (tag: string, from: number, n: number, step: number, f: (i: number) => number): [string, Sample[]] =>
  [tag, Array.from({ length: n }, (_, i) => ({ t: from + i * step, value: f(i), status: Good }))];

/** A seeded random source (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('change feed', () => {
  it('sends what each flush wrote, once: appends, late inserts into sealed blocks and other volumes, equal-time replacements', () => {
    const { h } = open({ blockSize: 16 });
    const tags = ['A', 'B'];
    for (const t of tags) h.defineTag(tagConfig(t), T0);
    const random = rng(7);
    let cursor: string | null = null;
    const last = new Map(tags.map((t) => [t, T0 + DAY - 300_000])); // five minutes before a day boundary
    for (let round = 0; round < 16; round++) {
      // What this round writes, by key: the model the feed is checked against.
      const written = new Map<string, Got>();
      const flushes = 1 + Math.floor(random() * 3);
      for (let f = 0; f < flushes; f++) {
        for (const tag of tags) {
          const n = Math.floor(random() * 30);
          const samples: Sample[] = [];
          for (let i = 0; i < n; i++) {
            last.set(tag, last.get(tag)! + 1000);
            samples.push({ t: last.get(tag)!, value: Math.round(random() * 1e4) / 100, status: Good });
          }
          h.append(tag, samples);
          if (random() < 0.4) {
            // Late: new times and equal times, in this volume or the one before.
            const late: Sample[] = [];
            for (let i = 0; i < 1 + random() * 5; i++) {
              const back = Math.floor(random() * 600) * 1000 + (random() < 0.5 ? 500 : 0);
              late.push({ t: last.get(tag)! - back, value: -Math.round(random() * 1e4) / 100, status: random() < 0.2 ? BadSensorFailure : Good });
            }
            h.insert(tag, late);
            for (const s of late) written.set(`${tag}@${s.t}`, [tag, s.t, s.value, s.status]);
          }
          for (const s of samples) written.set(`${tag}@${s.t}`, [tag, s.t, s.value, s.status]);
        }
        clock += 1000;
        h.flush();
      }
      const page = drain(h, cursor, 1 + Math.floor(random() * 40));
      cursor = page.cursor;
      const now = new Map(archive(h, tags).map((x) => [`${x[0]}@${x[1]}`, x]));
      // Exactly the keys written since the last read, each once, with the value the archive holds now.
      expect(sorted(page.samples)).toEqual(sorted([...written.keys()].map((k) => now.get(k)!)));
    }
    // From the beginning: the archive, each sample once.
    expect(sorted(drain(h, null, 97).samples)).toEqual(sorted(archive(h, tags)));
  });

  it('walks a volume of more than 1024 changed blocks in key order, page by page, each sample once', () => {
    // 150 tags x 9 sealed blocks of 8: past the 1024 blocks where candidates are walked in chunks, not listed.
    const { h } = open({ blockSize: 8 });
    const tags = Array.from({ length: 150 }, (_, i) => `W${String(i).padStart(3, '0')}`);
    for (const t of tags) h.defineTag(tagConfig(t), T0);
    const written: Got[] = [];
    for (const [k, tag] of tags.entries()) {
      const [, samples] = series(tag, T0 + 3_600_000, 75, 1000, (i) => k * 1000 + i / 4);
      h.append(tag, samples);
      for (const s of samples) written.push([tag, s.t, s.value, Good]);
    }
    h.flush();
    for (const max of [97, 5000]) {
      const got = drain(h, null, max);
      expect(got.samples).toHaveLength(written.length);
      expect(sorted(got.samples)).toEqual(sorted(written));
    }
    // Then only what came after: five samples more on every third tag.
    const cursor = drain(h, null, 5000).cursor;
    const more: Got[] = [];
    for (const [k, tag] of tags.entries()) {
      if (k % 3 !== 0) continue;
      const [, samples] = series(tag, T0 + 3_600_000 + 75_000, 5, 1000, (i) => -k - i);
      h.append(tag, samples);
      for (const s of samples) more.push([tag, s.t, s.value, Good]);
    }
    clock += 1000;
    h.flush();
    expect(sorted(drain(h, cursor, 13).samples)).toEqual(sorted(more));
  });

  it('sends archived points only: a compressor\'s held point when it is archived, discrete and text values, from a read-only reader beside the writer', async () => {
    const { h, dir } = open();
    h.defineTag(tagConfig('SD', { compression: { kind: 'swinging-door', deviation: 1 } }), T0);
    h.defineTag(tagConfig('D', { stepped: true }, 'discrete'), T0);
    h.defineTag(tagConfig('S', { stepped: true }, 'text'), T0);
    const reader = new ArchiveReader(dir);
    cleanups.push(() => reader.close());
    h.append('SD', Array.from({ length: 100 }, (_, i) => ({ t: T0 + i * 1000, value: i < 50 ? i * 0.1 : 5 + (i - 50) * 2, status: Good })));
    h.append('D', [{ t: T0, value: true, status: Good }, { t: T0 + 1000, value: true, status: Good }, { t: T0 + 2000, value: false, status: Good }]);
    h.append('S', [{ t: T0, value: 'ready', status: Good }, { t: T0 + 5000, value: '', status: BadSensorFailure }]);
    h.flush();
    const first = drain(reader, null);
    expect(sorted(first.samples)).toEqual(sorted(archive(reader, ['SD', 'D', 'S'])));
    expect(first.samples.filter((x) => x[0] === 'D').map((x) => x[2])).toEqual([true, false]);
    expect(first.samples.filter((x) => x[0] === 'S').map((x) => x[2])).toEqual(['ready', '']);
    expect(first.samples.filter((x) => x[0] === 'SD').length).toBeLessThan(100);
    const kinds = first.pages.flatMap((p) => p.items.map((it) => [it.tag, it.kind]));
    expect(new Map(kinds as [string, string][])).toEqual(new Map([['SD', 'analog'], ['D', 'discrete'], ['S', 'text']]));
    await h.close(); // archives the held point
    const rest = drain(reader, first.cursor);
    expect(rest.samples).toEqual([['SD', T0 + 99_000, 5 + 49 * 2, Good]]);
    expect(rest.pages[0]!.items[0]!.writtenAt).toBe(clock);
  });

  it('sends the samples of a CSV import, and of an imported volume file', async () => {
    const { h, dir } = open();
    const file = join(dir, 'in.csv');
    writeFileSync(file, ['time,P1,P2', ...Array.from({ length: 50 }, (_, i) => `${new Date(T0 + i * 60_000).toISOString()},${i / 4},${100 - i}`)].join('\n'));
    const head = h.changeHead();
    const report = await importCsvFile(historianTarget(h), file);
    expect(report.imported).toBe(100);
    const got = drain(h, head);
    expect(sorted(got.samples)).toEqual(sorted(archive(h, ['P1', 'P2'])));
    expect(got.samples).toHaveLength(100);

    // An exported volume imported into another archive: new there, so sent there.
    const other = open();
    h.exportVolume(h.volumes()[0]!.id, join(dir, 'export.sqlite'));
    const otherHead = other.h.changeHead();
    other.h.importVolume(join(dir, 'export.sqlite'));
    expect(sorted(drain(other.h, otherHead).samples)).toEqual(sorted(archive(h, ['P1', 'P2'])));
  });

  it('says which volumes went away with changes not yet read (retention, detach), once', () => {
    const { h } = open();
    h.defineTag(tagConfig('A'), T0);
    const old = h.changeHead();
    for (let d = 0; d < 4; d++) h.append('A', series('A', T0 + d * DAY, 10, 1000, (i) => i)[1]);
    h.flush();
    const mid = drain(h, old).cursor;
    h.insert('A', [{ t: T0 + 5000.5 - 0.5 + 500, value: 42, status: Good }]); // a change in the first volume
    h.flush();
    h.detachVolume(h.volumes()[1]!.id); // held nothing new for `mid`
    const dropped = h.applyRetention({ maxVolumes: 3 }, T0 + 30 * DAY);
    expect(dropped.map((v) => v.file)).toEqual(['day-2024-03-01.sqlite']);
    const page = h.readChanges(mid, 1000);
    expect(page.lost?.volumes).toEqual(['day-2024-03-01.sqlite']);
    expect(page.lost?.reason).toMatch(/dropped by retention \(beyond the newest 3 volumes\)/);
    expect(h.readChanges(page.cursor, 1000).lost).toBeUndefined();
    // A reader from the beginning learns of both.
    const fromStart = h.readChanges(null, 1000);
    expect(fromStart.lost?.volumes.sort()).toEqual(['day-2024-03-01.sqlite', 'day-2024-03-02.sqlite']);
    expect(fromStart.lost?.reason).toMatch(/detached/);
  });

  it('reads an archive of format 1 (before the feed) as written at 0, and continues from there after a writer opened it', async () => {
    const { cpSync, readFileSync } = await import('node:fs');
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const fixture = new URL('../store/fixtures/format-1/', import.meta.url);
    cpSync(new URL('catalog.sqlite', fixture), join(tmp.dir, 'catalog.sqlite'));
    cpSync(new URL('volumes', fixture), join(tmp.dir, 'volumes'), { recursive: true });
    const expected = JSON.parse(readFileSync(new URL('expected.json', fixture), 'utf8')) as Record<string, [number, unknown, number][]>;
    const count = Object.values(expected).reduce((n, rows) => n + rows.length, 0);
    const reader = new ArchiveReader(tmp.dir);
    cleanups.push(() => reader.close());
    const before = drain(reader, null, 333);
    expect(before.samples).toHaveLength(count);
    expect(before.pages.every((p) => p.items.every((it) => it.writtenAt === 0))).toBe(true);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => clock });
    cleanups.push(() => h.close());
    const lastA = expected.A!.at(-1)![0];
    h.append('A', [{ t: lastA + 1000, value: 1, status: Good }]);
    h.flush();
    const after = drain(reader, before.cursor);
    expect(after.samples).toEqual([['A', lastA + 1000, 1, Good]]);
    expect(sorted(drain(h, null).samples).length).toBe(count + 1);
  });

  it('recovers a write the catalog missed (a crash between the volume and catalog commits)', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { h, dir } = open();
    h.defineTag(tagConfig('A'), T0);
    h.append('A', series('A', T0, 10, 1000, (i) => i)[1]);
    h.flush();
    const cursor = h.changeHead();
    h.append('A', series('A', T0 + 10_000, 5, 1000, (i) => 10 + i)[1]);
    await h.close();
    // The catalog as it was before the last write's catalog commit, and no mark of a clean close.
    const db = new Database(join(dir, 'catalog.sqlite'));
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'change_head'").run();
    db.prepare("DELETE FROM meta WHERE key = 'clean'").run();
    db.prepare('DELETE FROM change_log WHERE seq > 1').run();
    db.close();
    const reader = new ArchiveReader(dir);
    cleanups.push(() => reader.close());
    expect(drain(reader, cursor).samples).toEqual([]); // not committed as far as the catalog knows
    const again = Historian.open(dir, { flushIntervalMs: 0, now: () => clock });
    cleanups.push(() => again.close());
    expect(drain(reader, cursor).samples.map((x) => x[2])).toEqual([10, 11, 12, 13, 14]);
    again.append('A', [{ t: T0 + 20_000, value: 20, status: Good }]);
    again.flush();
    expect(drain(reader, cursor).samples.map((x) => x[2])).toEqual([10, 11, 12, 13, 14, 20]);
  });

  it('reads pages in the reader worker, as columns too', async () => {
    const { h } = open();
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('D', { stepped: true }, 'discrete'), T0);
    h.append('A', series('A', T0, 500, 1000, (i) => i / 8)[1]);
    h.append('D', [{ t: T0, value: true, status: Good }, { t: T0 + 3000, value: 2, status: Good }]);
    h.flush();
    const page = await h.reader.changes(null, 10_000);
    expect(page.items.reduce((n, it) => n + it.t.length, 0)).toBe(502);
    const cols = await h.reader.changeColumns(null, 300);
    expect([cols.length, cols.more, cols.tags]).toEqual([300, true, ['A']]);
    expect(Array.from(cols.value.subarray(0, 3))).toEqual([0, 0.125, 0.25]);
    const rest = h.readChangeColumns(cols.cursor, 1000);
    expect(rest.tags).toEqual(['A', 'D']);
    expect(Array.from(rest.value.subarray(rest.length - 2))).toEqual([1, 2]);
    expect(Array.from(rest.flags.subarray(rest.length - 2)).map((f) => f & 0x100)).toEqual([0x100, 0]); // true was a boolean, 2 a number
    expect(await h.reader.changeHead()).toBe(h.changeHead());
    expect(await h.reader.changeBacklog(null)).toEqual(h.changeBacklog(null));
    expect(h.changeBacklog(h.changeHead())).toEqual({ samples: 0, oldestWrittenAt: null });
  });
});

describe('change feed backlog', () => {
  it('after a cursor inside a minute of flushes: what was written after it, not the whole minute (a rewrite there once per write)', () => {
    const { h } = open({ blockSize: 8 });
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    const minute = clock;
    h.append('A', series('A', T0, 50, 1000, (i) => i)[1]);
    h.append('D', Array.from({ length: 10 }, (_, i) => ({ t: T0 + i * 1000, value: i % 2 === 0, status: Good })));
    h.flush(); // write 1: 60 samples
    const { cursor } = drain(h, null);
    expect(h.changeBacklog(cursor)).toEqual({ samples: 0, oldestWrittenAt: null });
    clock += 1000; // the same change-log row (a minute of flushes)
    h.append('A', series('A', T0 + 50_000, 7, 1000, (i) => 100 + i)[1]);
    h.append('D', [{ t: T0 + 10_000, value: true, status: Good }]);
    h.flush(); // write 2: 8 samples
    expect(h.changeBacklog(cursor)).toEqual({ samples: 8, oldestWrittenAt: minute });
    clock += 1000;
    h.insert('A', [{ t: T0 + 3000, value: -3, status: Good }]); // a sealed block's sample rewritten
    h.flush(); // write 3: 1 sample
    expect(h.changeBacklog(cursor)).toEqual({ samples: 9, oldestWrittenAt: minute });
    expect(drain(h, cursor).samples).toHaveLength(9);
    // A row that starts after the cursor still counts whole: a sample written twice after it, twice.
    const caughtUp = drain(h, cursor).cursor;
    clock += 60_000;
    h.append('A', series('A', T0 + 60_000, 3, 1000, (i) => i)[1]);
    h.flush();
    clock += 60_000;
    h.insert('A', [{ t: T0 + 60_000, value: 9, status: Good }]);
    h.flush();
    expect(h.changeBacklog(caughtUp).samples).toBe(4);
  });
});
