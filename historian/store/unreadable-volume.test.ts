/**
 * A past volume file that is damaged (truncated, overwritten in its middle) or missing is left
 * out, not fatal: the archive opens, new data is written, reads skip it and say so, and the file
 * stays byte for byte as it was. Real SQLite files in temporary folders; expectations from what
 * was written and from the files' hashes taken before.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, crash, messageOf, openWriter, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** Days 0-2 are past, day 3 is being written. */
const NOW = T0 + 3 * DAY + 3_600_000;
const DAY0 = 'day-2024-03-01.sqlite';
const value = (d: number, k: number) => d * 1000 + k + 0.25;
/** A's samples of day d: 200, a second apart. */
const dayOfA = (d: number) => Array.from({ length: 200 }, (_, k) => ({ t: T0 + d * DAY + k * 1000, value: value(d, k), status: Good }));

function open(dir: string): Historian {
  const h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => NOW });
  cleanups.push(() => h.close());
  return h;
}

/**
 * An archive of three past days: A (analog) every day, D (discrete) on days 0 and 1, B only on
 * day 0 (its last point is there: the writer looks for it on open). Closed cleanly.
 */
async function threeDays(): Promise<string> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => NOW });
  h.defineTags([tagConfig('A'), tagConfig('B'), tagConfig('D', {}, 'discrete')], T0);
  for (let d = 0; d < 3; d++) {
    h.append('A', dayOfA(d));
    if (d < 2) h.append('D', [{ t: T0 + d * DAY + 5000, value: d === 0, status: Good }]);
    h.flush();
  }
  h.append('B', [{ t: T0 + 7000, value: 7, status: Good }]);
  await h.close();
  return tmp.dir;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Overwrites `n` bytes at `offset` with a fixed pattern (not a valid page). */
function garbage(file: string, offset: number, n: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(n, 0xa5), 0, n, offset);
  } finally {
    closeSync(fd);
  }
}

const DAMAGES: [string, (file: string) => void][] = [
  ['truncated to 3000 bytes', (f) => truncateSync(f, 3000)],
  ['4 KB of garbage in its middle', (f) => garbage(f, 3000, 4096)],
];

const rawOf = (h: Historian, tag: string) =>
  h.readRaw({ tags: tag, start: T0, end: T0 + 5 * DAY, pageSize: 100_000 }).rows.map((r) => [r.t, r.value]);
const expectedA = (days: number[]) => days.flatMap((d) => dayOfA(d).map((s) => [s.t, s.value]));

describe('a damaged past volume', () => {
  it.each(DAMAGES)('%s: the archive opens, writes go on, the other days read back exactly, the file is unchanged', async (_, damage) => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    damage(file);
    const before = sha(file);
    const h = open(dir); // B's last point is in the damaged day: this open used to fail
    h.append('A', [{ t: NOW, value: 42, status: Good }]);
    h.flush();
    expect(rawOf(h, 'A')).toEqual([...expectedA([1, 2]), [NOW, 42]]);
    expect(rawOf(h, 'D')).toEqual([[T0 + DAY + 5000, false]]);
    expect(rawOf(h, 'B')).toEqual([]);
    const problems = h.unreadableVolumes();
    expect(problems.map((p) => [p.volume, p.path])).toEqual([[DAY0, file]]);
    expect(problems[0]!.message).toContain(`${file}: `);
    expect(problems[0]!.message).toMatch(/\(SQLITE_(CORRUPT|NOTADB)\w*\)/);
    expect(problems[0]!.message).toContain(`npm run historian -- volumes detach ${DAY0} --data ${dir}`);
    await h.close();
    expect(sha(file)).toBe(before);
    // Written and closed cleanly: the next open reads the new value back.
    expect(rawOf(open(dir), 'A').at(-1)).toEqual([NOW, 42]);
    expect(sha(file)).toBe(before);
  });

  it('after a crash (the catalog not closed cleanly) the archive recovers from the other volumes', async () => {
    const dir = await threeDays();
    const w = openWriter(dir, { now: () => NOW });
    w.append('A', [{ t: NOW, value: 42, status: Good }]);
    w.flush();
    crash(w);
    const file = join(dir, 'volumes', DAY0);
    truncateSync(file, 3000);
    const before = sha(file);
    const h = open(dir);
    expect(rawOf(h, 'A')).toEqual([...expectedA([1, 2]), [NOW, 42]]);
    await h.close();
    expect(sha(file)).toBe(before);
  });

  it('names the file, SQLite\'s reason and the detach command, in one message', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    truncateSync(file, 3000);
    const h = open(dir);
    rawOf(h, 'A');
    expect(h.unreadableVolumes().map((p) => p.message)).toEqual([`volume ${DAY0} cannot be read: ${file}: database disk image is malformed ` +
      '(SQLITE_CORRUPT). Reads leave out its data (2024-03-01T00:00:00.000Z to 2024-03-02T00:00:00.000Z) and nothing is written to it; ' +
      `the file is left as it is. Restore it from a backup, or take it out of the archive: npm run historian -- volumes detach ${DAY0} --data ${dir}`]);
  });

  it('a late value for the damaged day is refused naming the file; values for other days are archived', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    truncateSync(file, 3000);
    const before = sha(file);
    const h = open(dir);
    expect(() => h.insert('A', [{ t: T0 + 500, value: 1, status: Good }])).toThrow(`volume ${DAY0} cannot be read: ${file}: `);
    h.insert('A', [{ t: T0 + DAY + 500, value: 1, status: Good }]);
    h.flush();
    expect(rawOf(h, 'A')).toEqual([...expectedA([1]).slice(0, 1), [T0 + DAY + 500, 1], ...expectedA([1]).slice(1), ...expectedA([2])]);
    await h.close();
    expect(sha(file)).toBe(before);
  });

  it('damaged while a late value for it waits: that flush names it, the present is written, later flushes go on', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', 'day-2024-03-02.sqlite');
    const h = open(dir);
    h.append('A', [{ t: NOW, value: 42, status: Good }]);
    h.insert('A', [{ t: T0 + DAY + 500, value: 1, status: Good }]); // accepted: the file reads
    truncateSync(file, 3000);
    const before = sha(file);
    expect(messageOf(() => h.flush())).toContain(`volume day-2024-03-02.sqlite cannot be read: ${file}: database disk image is malformed`);
    h.append('A', [{ t: NOW + 1000, value: 43, status: Good }]);
    h.flush();
    expect(rawOf(h, 'A')).toEqual([...expectedA([0, 2]), [NOW, 42], [NOW + 1000, 43]]);
    await h.close();
    expect(sha(file)).toBe(before);
  });

  it('damage only in data pages: the list check passes it, a read skips the rest of it and names it', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    // The page of A's block bytes (dbstat: SQLite's own page map), overwritten.
    const db = new Database(file, { readonly: true });
    const page = db.prepare("SELECT pageno, pgsize FROM dbstat WHERE name = 'block_data' ORDER BY pageno DESC LIMIT 1").get() as { pageno: number; pgsize: number };
    db.close();
    garbage(file, (page.pageno - 1) * page.pgsize, page.pgsize);
    const before = sha(file);
    const h = open(dir);
    expect(rawOf(h, 'A')).toEqual(expectedA([1, 2]));
    await h.close();
    expect(sha(file)).toBe(before);
    const again = open(dir);
    expect(again.checkVolumes()).toEqual([]); // schema and meta read: the damage is deeper
    expect(rawOf(again, 'A')).toEqual(expectedA([1, 2]));
    expect(again.unreadableVolumes().map((p) => p.path)).toEqual([file]);
    await again.close();
    expect(sha(file)).toBe(before);
  });

  it('the reader worker (trends) plots the other days and names the file', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    truncateSync(file, 3000);
    const h = open(dir);
    const [plot] = await h.reader.plot({ tags: 'A', start: T0, end: T0 + 3 * DAY, buckets: 3 });
    expect(Array.from(plot!.count)).toEqual([0, 200, 200]);
    expect(Array.from(plot!.max)).toEqual([NaN, value(1, 199), value(2, 199)]);
    expect((await h.reader.unreadableVolumes()).map((p) => p.path)).toEqual([file]);
  });

  it('the change feed passes over it and says so in `lost`; every change of the other days comes', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    truncateSync(file, 3000);
    const h = open(dir);
    const got: [string, number, unknown][] = [];
    const lost: { volumes: string[]; reason: string }[] = [];
    let cursor: string | null = null;
    for (let more = true; more;) {
      const page = h.readChanges(cursor, 150);
      for (const item of page.items) item.t.forEach((t, i) => got.push([item.tag, t, item.values[i]]));
      if (page.lost) lost.push(page.lost);
      cursor = page.cursor;
      more = page.more;
    }
    expect(got.filter((x) => x[0] === 'A').map((x) => [x[1], x[2]])).toEqual(expectedA([1, 2]));
    expect(got.filter((x) => x[0] !== 'A')).toEqual([['D', T0 + DAY + 5000, false]]);
    expect(lost.map((l) => l.volumes)).toEqual([[DAY0]]);
    expect(lost[0]!.reason).toContain(`${file}: database disk image is malformed`);
  });
});

describe('admin on a damaged volume', () => {
  it('detachVolume changes only the catalog: the file is unchanged and the counters are those of the other days', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    garbage(file, 3000, 4096);
    const before = sha(file);
    const h = open(dir);
    const day0 = h.volumes().find((v) => v.file === DAY0)!;
    expect(h.detachVolume(day0.id).state).toBe('detached');
    const archived = Object.fromEntries(h.tagStats().map((s) => [s.name, s.samplesArchived]));
    expect(archived).toEqual({ A: 400, B: 0, D: 1 });
    expect(h.unreadableVolumes()).toEqual([]);
    await h.close();
    expect(sha(file)).toBe(before);
    const catalog = new Database(join(dir, 'catalog.sqlite'), { readonly: true });
    try {
      expect(catalog.prepare('SELECT state FROM volume WHERE file = ?').pluck().get(DAY0)).toBe('detached');
    } finally {
      catalog.close();
    }
  });

  it('retention keeps a damaged file (and lists it); it drops the readable ones', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', DAY0);
    truncateSync(file, 3000);
    const before = sha(file);
    const h = open(dir);
    const dropped = h.applyRetention({ maxVolumes: 1 }, NOW); // the oldest two of three
    expect(dropped.map((v) => v.file)).toEqual(['day-2024-03-02.sqlite']);
    expect(h.volumes().map((v) => v.file)).toEqual([DAY0, 'day-2024-03-03.sqlite']);
    expect(h.unreadableVolumes().map((p) => p.path)).toEqual([file]);
    await h.close();
    expect(sha(file)).toBe(before);
  });
});

describe('a missing past volume', () => {
  it('reads skip it, name its full path, and the archive opens and writes', async () => {
    const dir = await threeDays();
    const file = join(dir, 'volumes', 'day-2024-03-02.sqlite');
    rmSync(file);
    const h = open(dir);
    h.append('A', [{ t: NOW, value: 42, status: Good }]);
    h.flush();
    expect(rawOf(h, 'A')).toEqual([...expectedA([0, 2]), [NOW, 42]]);
    expect(h.unreadableVolumes().map((p) => [p.path, p.reason])).toEqual([[file, 'the file is missing']]);
  });
});

describe('the volume being written, and the catalog', () => {
  it('a damaged present volume refuses to open, naming the file and what to do; the file is unchanged', async () => {
    const dir = await threeDays();
    const h = open(dir);
    h.append('A', [{ t: NOW, value: 42, status: Good }]);
    await h.close();
    const file = join(dir, 'volumes', 'day-2024-03-04.sqlite');
    truncateSync(file, 3000);
    const before = sha(file);
    expect(messageOf(() => Historian.open(dir, { now: () => NOW }))).toBe(`volume day-2024-03-04.sqlite cannot be read: ${file}: ` +
      'database disk image is malformed (SQLITE_CORRUPT). It is the volume being written (its period ends 2024-03-05T00:00:00.000Z): ' +
      'the archive cannot write without it; the file is left as it is. Restore it from a backup.');
    expect(sha(file)).toBe(before);
  });

  it('a damaged catalog refuses to open, naming catalog.sqlite and what to do (writer and reader)', async () => {
    const dir = await threeDays();
    const file = join(dir, 'catalog.sqlite');
    truncateSync(file, 3000);
    const message = `${file}: database disk image is malformed (SQLITE_CORRUPT). The catalog (tags, their versions, the list of volumes) ` +
      'cannot be read, so the archive cannot be opened. Restore catalog.sqlite from a backup; the volume files are left as they are.';
    expect(() => Historian.open(dir, { now: () => NOW })).toThrow(new Error(message));
    const { ArchiveReader } = await import('../cli/reader.js');
    expect(() => new ArchiveReader(dir)).toThrow(new Error(message));
  });
});
