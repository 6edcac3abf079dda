/**
 * Cases for the mutants StrykerJS left alive in volume.ts (issue 13; store/README.md, "Mutation
 * testing (volume.ts)"). Expectations are worked out by hand from the comments of volume.ts and
 * schema.ts, the block format (encoding/README.md) and the behaviour the writer relies on; the
 * file's rows are read back with plain SQL.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import { Flag, type SampleColumns } from '../types.js';
import { T0, DAY, tempDir } from './testing.js';
import { VolumeStore, addedIn, storedValue, type StoredPoint } from './volume.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

const CURRENT = 'vigil-historian-volume/8';

function folder(): string {
  const d = tempDir('vigil-vol-mut-');
  cleanups.push(d.remove);
  return d.dir;
}

function open(file: string, start = T0): VolumeStore {
  const v = new VolumeStore(file, { period: 'day', start, end: start + DAY });
  cleanups.push(() => v.close());
  return v;
}

function fresh(): { v: VolumeStore; file: string } {
  const file = join(folder(), 'day.sqlite');
  return { v: open(file), file };
}

/** Points one second apart from T0 + at, with these flags and write sequence numbers. */
function points(values: number[], seqs: number[], flags: number[] = [], at = 0): StoredPoint[] {
  return values.map((value, i) => ({ t: T0 + at + i * 1000, value, status: Good, flags: flags[i] ?? 0, seq: seqs[i]! }));
}

const rows = <T>(v: VolumeStore, sql: string, ...params: unknown[]) => v.db.prepare(sql).all(...params) as T[];

/** Creates a volume file starting at T0 and closes it, then sets its meta format. */
function fileWithFormat(format: string): string {
  const file = join(folder(), 'day.sqlite');
  new VolumeStore(file, { period: 'day', start: T0, end: T0 + DAY }).close();
  const db = new Database(file);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'format'").run(format);
  db.close();
  return file;
}

const metaFormat = (file: string) => {
  const db = new Database(file, { readonly: true });
  try { return db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get(); } finally { db.close(); }
};

// T0 + DAY is 2024-03-02T00:00:00.000Z; T0 is stored in meta as the string "1709251200000".
const refusal = (file: string, got: string) =>
  `${file}: meta: expected ${CURRENT} starting at 2024-03-02T00:00:00.000Z, got ${got} starting at 1709251200000`;

describe('addedIn, storedValue', () => {
  it('counts the cyclic records among points', () => {
    // guards volume.ts:33 `p.flags & Flag.Cyclic` -> false, `n++` -> `n--`
    const p = (flags: number) => ({ t: T0, value: 1, status: Good, flags });
    expect(addedIn([p(Flag.Cyclic), p(0), p(Flag.Cyclic | Flag.Backfilled), p(Flag.Backfilled)])).toBe(2);
  });

  it('clears the stored-boolean flag (0x100) of a number and keeps the others', () => {
    // guards volume.ts:40 `flags & ~STORED_BOOLEAN` -> `flags & STORED_BOOLEAN`
    expect(storedValue(2.5, 0x101)).toEqual([2.5, 0x001]);
    expect(storedValue(7, Flag.Cyclic)).toEqual([7, 0x001]);
    expect(storedValue(true, Flag.Cyclic)).toEqual([1, 0x101]);
  });
});

describe('VolumeStore constructor (init)', () => {
  it('creates a new file with incremental auto_vacuum', () => {
    // guards volume.ts:88 `incrementalVacuum: true` -> false (auto_vacuum 2 is INCREMENTAL)
    const { v, file } = fresh();
    v.close();
    const db = new Database(file, { readonly: true });
    try { expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); } finally { db.close(); }
  });

  it('refuses a file of the current format that starts elsewhere, with the message naming both', () => {
    // guards volume.ts:93 catch emptied (the refusal swallowed), 120 whole condition -> true,
    // 124 whole condition -> false, `start !== meta.start` -> false, the throw block emptied,
    // and the message (125 first part, 126 second part, its 'format' and 'start' keys)
    const file = fileWithFormat(CURRENT);
    expect(() => open(file, T0 + DAY)).toThrow(refusal(file, CURRENT));
    expect(metaFormat(file)).toBe(CURRENT);
  });

  it('refuses a format-3 file that starts elsewhere instead of upgrading it', () => {
    // guards volume.ts:120 `start === meta.start` -> true, `&&` -> `||`
    const file = fileWithFormat('vigil-historian-volume/3');
    expect(() => open(file, T0 + DAY)).toThrow(refusal(file, 'vigil-historian-volume/3'));
    expect(metaFormat(file)).toBe('vigil-historian-volume/3');
  });

  it.each(['vigil-historian-volume/3', 'vigil-historian-volume/4', 'vigil-historian-volume/5', 'vigil-historian-volume/6', 'vigil-historian-volume/7'])('upgrades a %s file with the right start to format 8', (old) => {
    const file = fileWithFormat(old);
    open(file).close();
    expect(metaFormat(file)).toBe(CURRENT);
  });

  it('refuses a file of an unknown format with the right start', () => {
    // guards volume.ts:120 `format === FORMAT_3` -> true, 124 `format !== FORMAT` -> false, `||` -> `&&`
    const file = fileWithFormat('vigil-historian-volume/9');
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'start'").run(String(T0));
    db.close();
    expect(() => open(file)).toThrow(
      `${file}: meta: expected ${CURRENT} starting at 2024-03-01T00:00:00.000Z, got vigil-historian-volume/9 starting at 1709251200000`);
    expect(metaFormat(file)).toBe('vigil-historian-volume/9');
  });

  it('refuses a legacy (format-2) file that starts elsewhere instead of migrating it', () => {
    // guards volume.ts:116 `start === meta.start` -> true
    const file = join(folder(), 'day.sqlite');
    copyFileSync(join(import.meta.dirname, 'fixtures/format-2/volumes/day-2024-03-01.sqlite'), file);
    expect(() => open(file, T0 + DAY)).toThrow(refusal(file, 'vigil-historian-volume/2'));
    expect(metaFormat(file)).toBe('vigil-historian-volume/2');
  });
});

describe('putBlock, deleteBlock, blockPoints', () => {
  it('replaces a block with the same start: the old rows go, the delta is new minus old', () => {
    // guards volume.ts:182 `!== undefined` -> false and -> `=== undefined` (the old block kept:
    // the insert fails), 186 `+ replaced.samples` -> `-`, `+ replaced.added` -> `-`,
    // 403 `-c.samples` -> `+c.samples`, `-c.added` -> `+c.added`
    const { v } = fresh();
    expect(v.putBlock(1, points([1, 2, 3], [1, 2, 3], [Flag.Cyclic, 0, Flag.Cyclic]), false)).toEqual({ samples: 3, added: 2 });
    expect(v.putBlock(1, points([4, 5], [4, 5], [0, Flag.Cyclic]), false)).toEqual({ samples: -1, added: -1 });
    expect(v.blockPoints(1, T0).map((p) => p.value)).toEqual([4, 5]);
    expect(rows(v, 'SELECT id FROM block_data')).toHaveLength(1);
    expect(v.counts().get(1)).toEqual({ samples: 2, added: 1 });
  });

  it('deleteBlock returns the block\'s counts negated', () => {
    // guards volume.ts:403 `-c.samples` -> `+c.samples`, `-c.added` -> `+c.added`
    const { v } = fresh();
    v.putBlock(1, points([1, 2, 3], [1, 2, 3], [Flag.Cyclic, 0, 0]), false);
    expect(v.deleteBlock(1, T0)).toEqual({ samples: -3, added: -1 });
    expect(rows(v, 'SELECT * FROM block')).toEqual([]);
  });

  it('stores the lowest and highest write sequence numbers of the block', () => {
    // guards volume.ts:71 `seqs[i] < min` -> true (min would be the last seq)
    const { v } = fresh();
    v.putBlock(1, points([1, 2, 3], [7, 3, 9]), false);
    v.putSegment(2, points([1, 2, 3], [8, 4, 6]), false);
    expect(rows(v, 'SELECT seq_min, seq_max FROM block')).toEqual([{ seq_min: 3, seq_max: 9 }]);
    expect(rows(v, 'SELECT seq_min, seq_max FROM segment')).toEqual([{ seq_min: 4, seq_max: 8 }]);
  });

  it('reads a run only up to its length (typed arrays may be longer)', () => {
    // guards volume.ts:70 `i < cols.length` -> `i <= cols.length` (reads the slot past the run)
    const { v } = fresh();
    const cols: SampleColumns = {
      t: Float64Array.of(T0, T0 + 1000, T0 + 2000), value: Float64Array.of(1, 2, 9),
      status: Uint32Array.of(Good, Good, Good), flags: Uint8Array.of(0, 0, Flag.Cyclic), length: 2,
    };
    expect(v.putBlock(1, { cols, seqs: Float64Array.of(5, 6, 1) }, false)).toEqual({ samples: 2, added: 0 });
    expect(rows(v, 'SELECT seq_min, seq_max FROM block')).toEqual([{ seq_min: 5, seq_max: 6 }]);
  });

  it('refuses points without a write sequence number, naming the point', () => {
    // guards volume.ts:58 the message
    const { v } = fresh();
    const pts: StoredPoint[] = [{ t: T0, value: 1, status: Good, flags: 0, seq: 1 }, { t: T0 + 1000, value: 2, status: Good, flags: 0 }];
    expect(() => v.putBlock(1, pts, false)).toThrow('point 1 (t=1709251201000) has no write sequence number');
  });

  it('blockPoints of a missing block names the file, tag and start', () => {
    // guards volume.ts:245 the message
    const { v, file } = fresh();
    expect(() => v.blockPoints(7, T0)).toThrow(`${file}: block of tag 7 at 1709251200000 has no data row`);
  });
});

describe('entropy stage of blocks and segments', () => {
  // Block format (encoding/README.md): byte 0 the version, byte 1 the value encoding: 0 decimal
  // frame of reference, 1 xor, 2 decimal coded (entropy stage), 3 held values (entropy stage).
  // Integer values in runs of 8: the entropy-coded encodings are far shorter, so an encoder
  // allowed the entropy stage picks 2 or 3; without it, decimal values are written as 0.
  const held = () => points(Array.from({ length: 256 }, (_, i) => Math.floor(i / 8)), Array.from({ length: 256 }, (_, i) => i + 1));
  const encodings = (v: VolumeStore, sql: string) => rows<{ data: Buffer }>(v, sql).map((r) => r.data[1]);

  it('a sealed block goes through the entropy stage', () => {
    // guards volume.ts:67 `entropy = true` -> false
    const { v } = fresh();
    v.putBlock(1, held(), false);
    expect([2, 3]).toContain(encodings(v, 'SELECT data FROM block_data')[0]);
  });

  it('a segment goes through it unless quick', () => {
    // guards volume.ts:206 `quick = false` -> true, 208 `!quick` -> `quick`
    const { v } = fresh();
    v.putSegment(1, held(), false);
    v.putSegment(2, held(), false, false);
    v.putSegment(3, held(), false, true);
    const [a, b, c] = encodings(v, 'SELECT data FROM segment ORDER BY tag_id');
    expect([2, 3]).toContain(a);
    expect([2, 3]).toContain(b);
    expect(c).toBe(0);
  });
});

describe('mergeTargets', () => {
  const blocks = () => {
    const { v } = fresh();
    v.putBlock(1, points([1, 2], [1, 2], [], 10_000), false); // [T0+10s, T0+11s]
    v.putBlock(1, points([3, 4], [3, 4], [], 50_000), false); // [T0+50s, T0+51s]
    return v;
  };

  it('a set before every block merges into the first one after it', () => {
    // guards volume.ts:275 `=== 0` -> `!== 0`, the block emptied
    expect(blocks().mergeTargets(1, T0, T0 + 1000)).toEqual([T0 + 10_000]);
  });

  it('a set overlapping a block merges into it only', () => {
    // guards volume.ts:275 `starts.length === 0` -> true, -> `!== 0`
    expect(blocks().mergeTargets(1, T0 + 10_500, T0 + 10_600)).toEqual([T0 + 10_000]);
  });
});

describe('lastTime, lastPoint', () => {
  it('lastTime: null for a tag with nothing here, else the end of its last block', () => {
    // guards volume.ts:294 `t === -Infinity` -> false, `-Infinity` -> `+Infinity`;
    // 293 segment `?? -Infinity` -> `+Infinity`
    const { v } = fresh();
    expect(v.lastTime(1)).toBeNull();
    v.putBlock(1, points([1, 2, 3], [1, 2, 3]), false);
    expect(v.lastTime(1)).toBe(T0 + 2000);
  });

  it('lastPoint: a boolean event reads back as the boolean, a number as the number', () => {
    // guards volume.ts:300 `e[1] === 1` -> false, -> true, -> `!==`
    const { v } = fresh();
    v.putEvent(1, T0, true, Good, 0, 1);
    v.putEvent(2, T0, false, Good, 0, 2);
    v.putEvent(3, T0, 1, Good, Flag.Cyclic, 3);
    expect(v.lastPoint(1)).toEqual({ t: T0, value: true, status: Good, flags: 0 });
    expect(v.lastPoint(2)).toEqual({ t: T0, value: false, status: Good, flags: 0 });
    expect(v.lastPoint(3)).toEqual({ t: T0, value: 1, status: Good, flags: Flag.Cyclic });
  });

  it('lastPoint of a tag with only a sealed block is the block\'s last point', () => {
    // guards volume.ts:306 `pts.length - 1` -> `+ 1`
    const { v } = fresh();
    v.putBlock(1, points([1, 2, 3], [1, 2, 3], [0, 0, Flag.Cyclic]), false);
    expect(v.lastPoint(1)).toEqual({ t: T0 + 2000, value: 3, status: Good, flags: Flag.Cyclic });
  });
});

describe('putEvent', () => {
  it('a value at a new time counts one sample, one replacing a value at that time none', () => {
    // guards volume.ts:311 `!== undefined` -> false
    const { v } = fresh();
    expect(v.putEvent(1, T0, 1.5, Good, 0, 1)).toEqual({ samples: 1, added: 0 });
    expect(v.putEvent(1, T0, 2.5, Good, 0, 2)).toEqual({ samples: 0, added: 0 });
    expect(v.counts().get(1)).toEqual({ samples: 1, added: 0 });
  });
});

describe('sealAll', () => {
  it('cuts each open block into ceil(n / blockPoints) blocks of equal size', () => {
    // guards volume.ts:318 and 319 blocks emptied, 322 `/ blockPoints` -> `*`, 323 `/ chunks` -> `*`,
    // 324 `points.slice(i, i + size)` -> `points`
    // 5 points, blockPoints 2: ceil(5/2) = 3 blocks of ceil(5/3) = 2 points: 2, 2, 1.
    const { v } = fresh();
    const pts = points([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]);
    v.putSegment(1, pts.slice(0, 3), false);
    v.putSegment(1, pts.slice(3), false, true);
    v.sealAll(() => false, 2);
    expect(v.segmentCount(1)).toBe(0);
    expect(rows(v, 'SELECT t_start, t_end FROM block WHERE tag_id = 1 ORDER BY t_start')).toEqual([
      { t_start: T0, t_end: T0 + 1000 }, { t_start: T0 + 2000, t_end: T0 + 3000 }, { t_start: T0 + 4000, t_end: T0 + 4000 },
    ]);
    expect([T0, T0 + 2000, T0 + 4000].flatMap((t) => v.blockPoints(1, t).map((p) => p.value))).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('counts, restamp', () => {
  it('counts adds the cyclic records of blocks and segments', () => {
    // guards volume.ts:377 `c.added += d.added` -> `-=`
    const { v } = fresh();
    v.putBlock(1, points([1, 2, 3], [1, 2, 3], [Flag.Cyclic, 0, Flag.Cyclic]), false);
    v.putSegment(1, points([4, 5], [4, 5], [Flag.Cyclic, 0], 10_000), false);
    v.putEvent(2, T0, 1, Good, 0, 6);
    expect(v.counts()).toEqual(new Map([[1, { samples: 5, added: 3 }], [2, { samples: 1, added: 0 }]]));
  });

  it('restamp gives every row the one sequence number and drops the counter deltas', () => {
    // guards volume.ts:391 the block emptied
    const { v } = fresh();
    v.putBlock(1, points([1, 2, 3], [7, 8, 9]), false);
    v.putSegment(1, points([4, 5], [10, 11], [], 10_000), false);
    v.putEvent(2, T0, 1, Good, 0, 12);
    v.putDeltas(12, [{ tagId: 1, received: 5, samples: 5, added: 0 }]);
    v.restamp(3);
    expect(v.blockPoints(1, T0).map((p) => p.seq)).toEqual([3, 3, 3]);
    expect(v.segmentPoints(1).map((p) => p.seq)).toEqual([3, 3]);
    expect(rows(v, 'SELECT seq FROM event')).toEqual([{ seq: 3 }]);
    expect(v.maxSeq()).toBe(3);
    expect(v.deltasAfter(0)).toEqual([]);
  });
});
