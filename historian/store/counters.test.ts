/**
 * The counters a flush keeps (stats.ts defines them): samples received, archived, records the
 * historian added, exact after flushes, late inserts and a reopen, with expectations counted by
 * hand from the samples the test writes.
 */
import { copyFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { Flag } from '../types.js';
import { DAY, T0, crash, openWriter, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const at = (s: number, value: number) => ({ t: T0 + s * 1000, value, status: Good });

describe('counters', () => {
  it('received, archived and added follow cyclic records, late inserts and a reopen', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + 2 * DAY });
    const h = open();
    h.defineTag(tagConfig('C', { cycleMs: 1000 }), T0);
    h.defineTag(tagConfig('L'), T0);
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    // C: 1 Hz for 10 s, silent 11 s (more than two cycles: the value held, one cyclic record at 19 s), 10 s more.
    h.append('C', Array.from({ length: 10 }, (_, k) => at(k, k)));
    h.flush();
    h.append('C', Array.from({ length: 10 }, (_, k) => at(20 + k, 20 + k)));
    // L: 10 samples, then two late ones: one at an archived time (replaces it), one between two.
    h.append('L', Array.from({ length: 10 }, (_, k) => at(100 + k, k)));
    h.append('D', [true, true, false, false, true].map((v, k) => ({ t: T0 + k * 1000, value: v, status: Good })));
    h.flush();
    h.insert('L', [at(105, 50), { t: T0 + 105_500, value: 51, status: Good }]);
    h.flush();
    const expected = (s: ReturnType<Historian['tagStats']>) => Object.fromEntries(s.map((x) => [x.name, [x.samplesReceived, x.samplesArchived, x.recordsAdded]]));
    const want = { C: [20, 20, 1], L: [12, 11, 0] };
    expect(expected(h.tagStats())).toMatchObject(want);
    expect(h.tagStats().find((x) => x.name === 'D')!.samplesReceived).toBe(5);
    const raw = (x: Historian, tag: string) => x.readRaw({ tags: tag, start: T0, end: T0 + DAY, pageSize: 1000 }).rows;
    expect(raw(h, 'C')).toHaveLength(21);
    expect(raw(h, 'L').map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 50, 51, 6, 7, 8, 9]);
    await h.close();

    const again = open();
    cleanups.push(() => again.close());
    expect(expected(again.tagStats())).toMatchObject(want);
    const d = again.tagStats().find((x) => x.name === 'D')!;
    expect(d.samplesReceived).toBe(5);
    expect(d.samplesArchived).toBe(raw(again, 'D').length);
    expect(again.stats()).toMatchObject({ samplesReceived: 37, recordsAdded: 1 });
  });

  it('tags taking turns through the journal count every sample once, whatever flush wrote it', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    // One segment row per flush: four live tags take four turns; the others' points go to the journal.
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, segmentsPerFlush: 1, now: () => T0 + 2 * DAY });
    const h = open();
    const names = ['A', 'B', 'C', 'D'];
    for (const n of names) h.defineTag(tagConfig(n), T0);
    for (let s = 0; s < 40; s++) {
      for (const [i, n] of names.entries()) h.append(n, [at(s, Math.sin(s + i))]);
      h.flush(false); // as the timer flushes: tags take turns
    }
    for (const n of names) expect(h.tagStats().find((x) => x.name === n)!.samplesReceived).toBe(40);
    await h.close();
    const again = open();
    cleanups.push(() => again.close());
    for (const n of names) {
      expect(again.tagStats().find((x) => x.name === n)).toMatchObject({ samplesReceived: 40, samplesArchived: 40, recordsAdded: 0 });
      expect(again.readRaw({ tags: n, start: T0, end: T0 + DAY, pageSize: 100 }).rows).toHaveLength(40);
    }
  });

  it('a sample at the time of the last one appended is archived as given, replacing it', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + 2 * DAY });
    cleanups.push(() => h.close());
    h.defineTag(tagConfig('R', { compression: { kind: 'swinging-door', deviation: 0.5 } }), T0);
    h.append('R', [at(0, 1), at(1, 2), at(2, 3)]);
    h.flush();
    h.append('R', [at(2, 7)]); // the same time again: not pushed through the compressor (it wants later times)
    h.flush();
    const rows = h.readRaw({ tags: 'R', start: T0, end: T0 + DAY }).rows;
    expect(rows.find((r) => r.t === T0 + 2000)?.value).toBe(7);
    expect(h.tagStats()[0]!.samplesReceived).toBe(4);
  });

  it('records the historian added stay counted once when their segments are merged and their block sealed', async () => {
    // Guards: a merge or a seal taking the added records off twice (the deleted rows' count and the new row's subtracted).
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 60, now: () => T0 + DAY });
    const h = open();
    h.defineTag(tagConfig('C', { cycleMs: 1000 }), T0);
    const counts: number[][] = [];
    // A sample every 5 s: each gap gets one cyclic record (a second before the next sample); a flush per sample,
    // so segments of 2 points: the 8th flush merges them (the block is far from full: 16 of 60 points, see
    // writer.ts planOpen), so do the 16th and the 24th, the 30th fills the block and the 31st seals it.
    for (let f = 0; f < 36; f++) {
      h.append('C', [at(f * 5, f)]);
      h.flush();
      const s = h.tagStats()[0]!;
      counts.push([s.samplesReceived, s.samplesArchived, s.recordsAdded]);
      if (f === 7) expect(volumeQuery(tmp.dir, 'SELECT t_start FROM segment'), 'merged at the 8th flush').toHaveLength(2);
    }
    expect(counts).toEqual(Array.from({ length: 36 }, (_, f) => [f + 1, f + 1, f]));
    expect(volumeQuery(tmp.dir, 'SELECT t_start FROM block')).toHaveLength(1);
    const rows = h.readRaw({ tags: 'C', start: T0, end: T0 + DAY, pageSize: 1000 }).rows;
    expect([rows.length, rows.filter((r) => r.flags & Flag.Cyclic).length]).toEqual([71, 35]);
    await h.close();
    const again = open();
    cleanups.push(() => again.close());
    expect(again.tagStats()[0]).toMatchObject({ samplesReceived: 36, samplesArchived: 36, recordsAdded: 35 });
  });

  it('a crash between the volume\'s commit and the catalog\'s: the open takes the counters from the volume\'s deltas', async () => {
    // Guards: a flush that wrote a volume leaving no counter deltas there, or deltas with a wrong received count.
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const first = openWriter(tmp.dir);
    first.defineTag(tagConfig('A'), T0);
    first.append('A', Array.from({ length: 10 }, (_, k) => at(k, k)));
    first.flush();
    crash(first);
    // The catalog as it was after write 1; then write 2 (5 more samples, one a replacement) committed in both files.
    const catalog = join(tmp.dir, 'catalog.sqlite');
    copyFileSync(catalog, join(tmp.dir, 'catalog-after-1'));
    const second = openWriter(tmp.dir);
    second.append('A', Array.from({ length: 4 }, (_, k) => at(10 + k, 10 + k)));
    second.insert('A', [at(3, -3)]);
    second.flush();
    crash(second);
    // A kill -9 between write 2's volume commit and its catalog commit leaves this: the catalog of write 1.
    for (const f of ['', '-wal', '-shm']) rmSync(catalog + f, { force: true });
    copyFileSync(join(tmp.dir, 'catalog-after-1'), catalog);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    cleanups.push(() => h.close());
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 15, samplesArchived: 14, recordsAdded: 0 });
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + DAY }).rows).toHaveLength(14);
  });

  it('an archive of format 1 (no counters in its catalog) is counted from its volumes when a writer migrates it', async () => {
    // Guards: a migrated catalog's counters left at zero (no recount).
    const fixture = fileURLToPath(new URL('./fixtures/format-1/', import.meta.url));
    const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as Record<string, unknown[]>;
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    cpSync(join(fixture, 'catalog.sqlite'), join(tmp.dir, 'catalog.sqlite'));
    cpSync(join(fixture, 'volumes'), join(tmp.dir, 'volumes'), { recursive: true });
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => T0 + 10 * DAY });
    const counted = (x: Historian) => Object.fromEntries(x.tagStats().map((s) => [s.name, [s.samplesArchived, s.recordsAdded]]));
    // The fixture's values, none of them added records (expected.json: flags 0 throughout). (Samples received come from its catalog.)
    const want = Object.fromEntries(Object.entries(expected).map(([tag, rows]) => [tag, [rows.length, 0]]));
    const h = open();
    expect(counted(h)).toEqual(want);
    await h.close();
    const again = open();
    cleanups.push(() => again.close());
    expect(counted(again)).toEqual(want);
  });

  it('an imported volume\'s values are counted in the catalog: they are there after a reopen', async () => {
    // Guards: the import's write recorded without the tags' counters.
    const source = tempDir();
    const target = tempDir();
    cleanups.push(source.remove, target.remove);
    const opts = { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + 3 * DAY };
    const a = Historian.open(source.dir, opts);
    a.defineTag(tagConfig('A'), T0);
    a.append('A', Array.from({ length: 100 }, (_, k) => at(k, k)));
    a.flush();
    const file = join(source.dir, 'day0.sqlite');
    a.exportVolume(a.volumes()[0]!.id, file);
    await a.close();
    const b = Historian.open(target.dir, opts);
    b.importVolume(file);
    expect(b.tagStats()[0]).toMatchObject({ name: 'A', samplesArchived: 100 });
    await b.close();
    const again = Historian.open(target.dir, opts);
    cleanups.push(() => again.close());
    expect(again.tagStats()[0]).toMatchObject({ name: 'A', samplesReceived: 100, samplesArchived: 100, recordsAdded: 0 });
  });

  it('after a crash, samples a background flush only journaled count as received', async () => {
    // Bug found reviewing the survivors: a tag at rest saves no counters for a journal-only flush; the open replayed
    // its journaled points but not their count: 4 values archived of 1 received (a compression ratio of 0.25).
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const w = openWriter(tmp.dir, { segmentsPerFlush: 1 / 8 }); // one live tag: 8 turns, tag 1's is flush 7
    w.defineTag(tagConfig('A'), T0);
    w.append('A', [at(0, 0)]);
    w.flush();
    for (let s = 1; s <= 3; s++) {
      w.append('A', [at(s, s)]);
      w.flush(false); // not its turn: the journal gets the point
    }
    crash(w);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    cleanups.push(() => h.close());
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + DAY }).rows.map((r) => r.value)).toEqual([0, 1, 2, 3]);
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 4, samplesArchived: 4, recordsAdded: 0 });
  });

  it('after a failed catalog commit, a journal-only flush keeps the volume\'s counter deltas: a crash then recovers them', async () => {
    // guards writer.ts:299 `jobs.length || merges.length` -> true: a volume with only a journal row to write
    // cleared the deltas of a write the catalog never committed. Two faults: the catalog commit fails, then a crash.
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const w = openWriter(tmp.dir, { segmentsPerFlush: 1 / 8 }); // one live tag: a flush(false) journals it
    w.defineTag(tagConfig('A'), T0);
    w.append('A', [at(0, 0)]);
    w.flush();
    w.append('A', [at(1, 1)]);
    const commitWrite = w.catalog.commitWrite.bind(w.catalog);
    w.catalog.commitWrite = () => { throw new Error('disk I/O error'); };
    expect(() => w.flush()).toThrow('disk I/O error'); // the volume holds the point and its deltas; the catalog does not
    w.catalog.commitWrite = commitWrite;
    w.append('A', [at(2, 2)]);
    w.flush(false); // not its turn: the journal gets the point, no data write in the volume
    crash(w);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    cleanups.push(() => h.close());
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + DAY }).rows.map((r) => r.value)).toEqual([0, 1, 2]);
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 3, samplesArchived: 3, recordsAdded: 0 });
  });

  it('after a crash, a tag with cyclic records counts as received the samples appended, not the records it added', async () => {
    // Survivors of writer.ts replayJournals: the journal's cyclic records counted as values, and the records added
    // before the crash added to the received count instead of taken from the archived one.
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const w = openWriter(tmp.dir, { segmentsPerFlush: 1 / 8 });
    w.defineTag(tagConfig('A', { cycleMs: 1000 }), T0);
    // 0 s and 5 s: a gap of more than two cycles, so the value is held and one cyclic record added at 4 s.
    w.append('A', [at(0, 0), at(5, 5)]);
    w.flush();
    w.append('A', [at(10, 10)]); // another held value: a cyclic record at 9 s, both only in the journal
    w.flush(false);
    crash(w);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    cleanups.push(() => h.close());
    const rows = h.readRaw({ tags: 'A', start: T0, end: T0 + DAY }).rows;
    expect(rows.map((r) => [(r.t - T0) / 1000, r.value, (r.flags & Flag.Cyclic) !== 0])).toEqual(
      [[0, 0, false], [4, 0, true], [5, 5, false], [9, 5, true], [10, 10, false]]);
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 3, samplesArchived: 3, recordsAdded: 2 });
  });
});
