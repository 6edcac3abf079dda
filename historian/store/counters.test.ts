/**
 * The counters a flush keeps (stats.ts defines them): samples received, archived, records the
 * historian added, exact after flushes, late inserts and a reopen, with expectations counted by
 * hand from the samples the test writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from './testing.js';

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
});
