import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, type HistorianOptions } from '../index.js';
import { BadSensorFailure, Good } from '../status.js';
import { Flag, type Sample } from '../types.js';
import { DAY, T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function openTemp(options: HistorianOptions = {}): { h: Historian; dir: string; reopen: () => Promise<Historian> } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const opts = { flushIntervalMs: 0, now: () => T0 + 400 * DAY, ...options };
  const state = { h: Historian.open(tmp.dir, opts) };
  cleanups.push(() => state.h.close());
  return {
    get h() { return state.h; },
    dir: tmp.dir,
    reopen: async () => { await state.h.close(); state.h = Historian.open(tmp.dir, opts); return state.h; },
  };
}

const series = (from: number, n: number, step: number, f: (i: number) => number = (i) => i): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ t: from + i * step, value: f(i), status: Good }));

const rawValues = (h: Historian, tag: string, start: number, end: number) =>
  h.readRaw({ tags: tag, start, end }).rows.map((r) => [r.t, r.value] as [number, unknown]);

describe('tags and versions', () => {
  it('keeps every config change with its period of validity; an identical config is a no-op', async () => {
    const t = openTemp();
    const v1 = t.h.defineTag(tagConfig('TT-1'), T0);
    expect(t.h.defineTag(tagConfig('TT-1'), T0 + 5).version).toBe(v1.version);
    const v2 = t.h.defineTag(tagConfig('TT-1', { stepped: true }), T0 + 1000);
    expect(v2.version).toBe(2);
    const h = await t.reopen();
    expect(h.versions('TT-1').map((v) => [v.version, v.validFrom, v.validTo])).toEqual([[1, T0, T0 + 1000], [2, T0 + 1000, null]]);
    expect(h.versionAt('TT-1', T0 + 999).config.stepped).toBe(false);
    expect(h.versionAt('TT-1', T0 + 1000).config.stepped).toBe(true);
    expect(() => h.defineTag(tagConfig('TT-1', {}, 'text'), T0 + 2000)).toThrow(/kind/);
  });

  it('reads use the version valid at the time: stepped vs interpolated at-time values', () => {
    const { h } = openTemp();
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 0, status: Good }, { t: T0 + 100, value: 10, status: Good }]);
    h.defineTag(tagConfig('A', { stepped: true }), T0 + 150);
    h.append('A', [{ t: T0 + 200, value: 20, status: Good }, { t: T0 + 300, value: 30, status: Good }]);
    h.flush();
    const [r] = h.readAtTime({ tags: 'A', times: [T0 + 50, T0 + 250] });
    expect(r!.values.map((v) => v.value)).toEqual([5, 20]);
    expect(r!.values[0]!.flags & Flag.Interpolated).toBeTruthy();
  });
});

describe('writes and durability', () => {
  it('archives appended samples and finds them again after a reopen', async () => {
    const t = openTemp({ blockSize: 100 });
    t.h.defineTag(tagConfig('A'), T0);
    t.h.append('A', series(T0, 1000, 1000));
    t.h.flush();
    expect(rawValues(t.h, 'A', T0, T0 + 999_000)).toHaveLength(1000);
    const h = await t.reopen();
    h.append('A', series(T0 + 1_000_000, 10, 1000, (i) => 1000 + i));
    h.flush();
    const got = rawValues(h, 'A', T0, T0 + 2_000_000);
    expect(got).toHaveLength(1010);
    expect(got.every(([tt, v], i) => tt === T0 + i * 1000 && v === i)).toBe(true);
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 1010, samplesArchived: 1010 });
  });

  it('refuses malformed samples with the tag, index and field', () => {
    const { h } = openTemp();
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('S', {}, 'text'), T0);
    expect(() => h.append('A', [{ t: T0, value: 1, status: Good }, { t: T0 + 1, value: 'x', status: Good }])).toThrow(/tag 'A': sample 1: value/);
    expect(() => h.append('A', [{ t: NaN, value: 1, status: Good }])).toThrow(/sample 0: t/);
    expect(() => h.append('A', [{ t: T0 + 2, value: 1 } as Sample])).toThrow(/status/);
    expect(() => h.insert('S', [{ t: T0, value: 3, status: Good }])).toThrow(/expected a string/);
    expect(() => h.append('nope', [])).toThrow(/not defined/);
    h.flush(); // what was accepted before the bad sample is still written
    expect(rawValues(h, 'A', T0, T0 + 10)).toEqual([[T0, 1]]);
  });

  it('refuses a non-finite value unless its status is Bad (then it is archived as no value)', () => {
    const { h } = openTemp();
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('D', { stepped: true }, 'discrete'), T0);
    for (const value of [Infinity, -Infinity, NaN, Number('1e400')]) {
      expect(() => h.append('A', [{ t: T0 + 5, value, status: Good }])).toThrow(/tag 'A': sample 0: value: expected a finite number with a Good or Uncertain status/);
      expect(() => h.insert('A', [{ t: T0 - 5, value, status: 0x40000000 }])).toThrow(/value: expected a finite number/);
    }
    expect(() => h.append('D', [{ t: T0, value: NaN, status: Good }])).toThrow(/tag 'D': sample 0: value: expected a finite number/);
    h.append('A', [{ t: T0, value: 1, status: Good }, { t: T0 + 1, value: NaN, status: BadSensorFailure }, { t: T0 + 2, value: Infinity, status: BadSensorFailure }]);
    h.insert('A', [{ t: T0 - 1, value: NaN, status: BadSensorFailure }]);
    h.flush();
    const rows = h.readRaw({ tags: 'A', start: T0 - 10, end: T0 + 10 }).rows;
    expect(rows.map((r) => [r.t - T0, r.value, r.status >>> 30])).toEqual([[-1, NaN, 2], [0, 1, 0], [1, NaN, 2], [2, Infinity, 2]]);
  });

  it('merges late inserts into the middle of sealed and open blocks, replacing equal times', () => {
    const { h } = openTemp({ blockSize: 50 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', series(T0, 200, 10));
    h.flush();
    h.insert('A', [{ t: T0 + 255, value: -1, status: Good }, { t: T0 + 1975, value: -2, status: Good },
      { t: T0 + 500, value: -3, status: Good }, { t: T0 - 7, value: -4, status: Good }]);
    h.append('A', [{ t: T0 + 1001, value: -5, status: Good }]); // behind the archive: late path
    h.flush();
    const got = rawValues(h, 'A', T0 - 100, T0 + 5000);
    expect(got).toHaveLength(204); // 200 + 4 new; T0 + 500 replaced
    expect(got.map(([tt]) => tt)).toEqual(got.map(([tt]) => tt).sort((a, b) => a - b));
    const at = new Map(got.map(([tt, v]) => [tt, v]));
    expect([at.get(T0 + 255), at.get(T0 + 1975), at.get(T0 + 500), at.get(T0 - 7), at.get(T0 + 1001)]).toEqual([-1, -2, -3, -4, -5]);
    // Counters (issue 6 item 11): a replaced time is archived once; received counts every hand-over.
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 205, samplesArchived: 204, recordsAdded: 0 });
    h.insert('A', series(T0, 200, 10)); // the same file imported again
    h.flush();
    expect(rawValues(h, 'A', T0 - 100, T0 + 5000)).toHaveLength(204);
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 405, samplesArchived: 204, recordsAdded: 0 });
  });

  it('cuts volumes at UTC day boundaries and reads across them', () => {
    const { h, dir } = openTemp({ blockSize: 1000 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', series(T0 + DAY - 5000, 10, 1000));
    h.flush();
    expect(h.volumes().map((v) => v.start)).toEqual([T0, T0 + DAY]);
    expect(h.volumes().every((v) => existsSync(join(dir, 'volumes', v.file)))).toBe(true);
    expect(rawValues(h, 'A', T0, T0 + 2 * DAY)).toHaveLength(10);
  });

  it('cuts week and month volumes at their UTC boundaries', () => {
    const week = openTemp({ volumePeriod: 'week' }).h;
    week.defineTag(tagConfig('A'), T0);
    week.append('A', series(T0 + 3 * DAY - 1000, 3, 1000)); // Sunday 23:59:59 .. Monday 00:00:01
    week.flush();
    expect(week.volumes().map((v) => [new Date(v.start).toISOString(), v.file])).toEqual([
      ['2024-02-26T00:00:00.000Z', 'week-2024-02-26.sqlite'], ['2024-03-04T00:00:00.000Z', 'week-2024-03-04.sqlite']]);
    const month = openTemp({ volumePeriod: 'month' }).h;
    month.defineTag(tagConfig('A'), T0);
    month.append('A', series(T0 - 1000, 2, 1000));
    month.flush();
    expect(month.volumes().map((v) => v.file)).toEqual(['month-2024-02-01.sqlite', 'month-2024-03-01.sqlite']);
    expect(rawValues(month, 'A', T0 - DAY, T0 + DAY)).toEqual([[T0 - 1000, 0], [T0, 1]]);
  });

  it('sorts discrete values in the sorting buffer and archives changes only', () => {
    let now = T0;
    const { h } = openTemp({ now: () => now, sortWindowMs: 2000 });
    h.defineTag(tagConfig('V', {}, 'discrete'), T0);
    h.defineTag(tagConfig('S', {}, 'text'), T0);
    h.append('V', [{ t: T0 + 10, value: true, status: Good }, { t: T0 + 30, value: false, status: Good },
      { t: T0 + 20, value: true, status: Good }, { t: T0 + 40, value: false, status: Good }]);
    h.append('S', [{ t: T0 + 10, value: 'open — valve «A»', status: Good }]);
    now = T0 + 1000;
    h.flush();
    expect(h.readRaw({ tags: 'V', start: T0, end: T0 + 100 }).rows).toHaveLength(0);
    now = T0 + 3000;
    h.flush();
    const rows = h.readRaw({ tags: ['V', 'S'], start: T0, end: T0 + 100 }).rows;
    expect(rows.map((r) => [r.tag, r.t, r.value])).toEqual([
      ['V', T0 + 10, true], ['V', T0 + 30, false], ['S', T0 + 10, 'open — valve «A»'],
    ]);
  });
});

describe('volumes', () => {
  it('refuses to detach the volume of the present, and writes into a detached one', () => {
    const { h } = openTemp({ now: () => T0 + DAY + 5 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', series(T0, 2, 1000));
    h.append('A', series(T0 + DAY, 2, 1000));
    h.flush();
    const [past, present] = h.volumes();
    expect(() => h.detachVolume(present!.id)).toThrow(/present/);
    h.detachVolume(past!.id);
    expect(() => h.insert('A', [{ t: T0 + 500, value: 0, status: Good }])).toThrow(/detached/);
  });

  it('detach, export, import and re-attach round trip; retention drops old volumes', async () => {
    const t = openTemp();
    const { h } = t;
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('B', {}, 'discrete'), T0);
    for (let d = 0; d < 3; d++) {
      h.append('A', series(T0 + d * DAY, 100, 1000, (i) => d * 1000 + i));
      h.insert('B', [{ t: T0 + d * DAY, value: d, status: Good }]);
    }
    h.flush();
    const [day0, day1] = h.volumes();
    h.detachVolume(day1!.id);
    expect(rawValues(h, 'A', T0, T0 + 3 * DAY)).toHaveLength(200);
    h.attachVolume(day1!.id);
    expect(rawValues(h, 'A', T0, T0 + 3 * DAY)).toHaveLength(300);

    const file = join(t.dir, 'day0-export.sqlite');
    h.exportVolume(day0!.id, file);
    expect(h.applyRetention({ maxVolumes: 2 }).map((v) => v.id)).toEqual([day0!.id]);
    expect(rawValues(h, 'A', T0, T0 + DAY - 1)).toHaveLength(0);
    h.importVolume(file);
    expect(rawValues(h, 'A', T0, T0 + DAY - 1)).toEqual(series(T0, 100, 1000).map((s) => [s.t, s.value]));

    // Into another archive, where the tags do not exist yet.
    const other = tempDir();
    cleanups.push(other.remove);
    const h2 = Historian.open(other.dir, { flushIntervalMs: 0 });
    cleanups.push(() => h2.close());
    h2.defineTag(tagConfig('Z'), T0);
    h2.importVolume(file);
    expect(rawValues(h2, 'A', T0, T0 + DAY - 1)).toHaveLength(100);
    expect(h2.readRaw({ tags: 'B', start: T0, end: T0 + DAY - 1 }).rows.map((r) => r.value)).toEqual([0]);
    expect(() => h2.importVolume(file)).toThrow(/overlaps/);

    expect(h.applyRetention({ maxAgeDays: 399 }, T0 + 400 * DAY).map((v) => v.start)).toEqual([T0]);
    for (const v of h.volumes()) {
      const db = new Database(join(t.dir, 'volumes', v.file), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  });
});

describe('statuses', () => {
  it('a bad neighbour never yields a good-looking interpolated value', () => {
    const { h } = openTemp();
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 1, status: Good }, { t: T0 + 10, value: 2, status: BadSensorFailure }, { t: T0 + 20, value: 3, status: Good }]);
    h.flush();
    const [r] = h.readAtTime({ tags: 'A', times: [T0 + 5, T0 + 15, T0 - 1, T0 + 25] });
    const sev = r!.values.map((v) => v.status >>> 30);
    expect(sev[0]).toBe(2); // next is bad
    expect(sev[1]).toBe(2); // prev is bad
    expect(r!.values[2]!.flags & Flag.NoData).toBeTruthy();
    expect(sev[3]).toBe(1); // beyond the archive: uncertain
  });
});

describe('restart continuity', () => {
  it('a close archives the held point and the next run keeps compressing within the deviation', async () => {
    const config = tagConfig('S', { compression: { kind: 'swinging-door', deviation: 0.5, maxIntervalMs: 60_000 }, cycleMs: 1000 });
    const data: Sample[] = Array.from({ length: 3000 }, (_, i) => ({
      t: T0 + i * 1000 + (i > 2000 ? 10_000 : 0), // a gap: a cyclic record after the restart
      value: Math.round(Math.sin(i / 40) * 1000 + (i % 7)) / 100,
      status: Good,
    }));
    const once = openTemp();
    once.h.defineTag(config, T0);
    once.h.append('S', data);
    await once.reopen();
    const twice = openTemp();
    twice.h.defineTag(config, T0);
    twice.h.append('S', data.slice(0, 1234));
    await twice.reopen();
    twice.h.append('S', data.slice(1234));
    await twice.reopen();
    const a = once.h.readRaw({ tags: 'S', start: T0, end: T0 + DAY }).rows;
    const b = twice.h.readRaw({ tags: 'S', start: T0, end: T0 + DAY }).rows;
    const cut = data[1233]!.t;
    expect(a.length).toBeLessThan(data.length / 10);
    expect(b.filter((r) => r.t < cut)).toEqual(a.filter((r) => r.t < cut));
    expect(b.some((r) => r.t === cut)).toBe(true); // the held point, archived at shutdown
    const [rec] = twice.h.readAtTime({ tags: 'S', times: data.map((d) => d.t), mode: 'interpolated' });
    const worst = Math.max(...rec!.values.map((v, i) => Math.abs((v.value as number) - (data[i]!.value as number))));
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(twice.h.tagStats()[0]).toMatchObject({ samplesReceived: data.length, samplesArchived: b.length });
    const st = twice.h.stats();
    expect(st).toMatchObject({ samplesReceived: data.length, samplesArchived: b.length, tags: 1, volumes: 1 });
    expect(st.bytesOnDisk).toBeGreaterThan(0);
    expect(st.bytesPerReceivedSample).toBeCloseTo(st.bytesOnDisk / data.length);
  });
});
