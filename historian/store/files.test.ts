import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** Every file under dir (relative paths), sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

function readEverything(dir: string): void {
  const r = new ArchiveReader(dir);
  try {
    r.readRaw({ tags: '*', start: 0, end: T0 + 100 * DAY, pageSize: 100_000 });
    r.readPlot({ tags: '*', start: T0 - DAY, end: T0 + 3 * DAY, buckets: 10 });
    r.readChanges(null, 100_000);
    r.stats();
    r.volumes();
  } finally {
    r.close();
  }
}

async function archive(): Promise<string> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 50, now: () => T0 + 30 * DAY });
  h.defineTag(tagConfig('A'), T0);
  h.defineTag(tagConfig('D', { stepped: true }, 'discrete'), T0);
  for (let d = 0; d < 3; d++) {
    h.append('A', Array.from({ length: 120 }, (_, i) => ({ t: T0 + d * DAY + i * 1000, value: i / 4, status: Good })));
    h.append('D', [{ t: T0 + d * DAY, value: d % 2 === 0, status: Good }]);
    h.flush();
  }
  h.insert('A', [{ t: T0 + 5500, value: -1, status: Good }]);
  h.detachVolume(h.volumes()[1]!.id);
  h.attachVolume(h.volumes()[1]!.id);
  h.readRaw({ tags: 'A', start: 0, end: T0 + 10 * DAY }); // the historian's own read connections
  await h.close();
  return tmp.dir;
}

describe('files on disk', () => {
  it('a normal close leaves every database checkpointed, with no -wal or -shm beside it', async () => {
    const dir = await archive();
    expect(files(dir).filter((f) => /-(wal|shm)$/.test(f))).toEqual([]);
    expect(files(dir)).toEqual(['catalog.sqlite', 'volumes/day-2024-03-01.sqlite', 'volumes/day-2024-03-02.sqlite', 'volumes/day-2024-03-03.sqlite']);
  });

  it('read-only opens leave the directory as they found it, also on an archive made by an older version (WAL mode)', async () => {
    const dir = await archive();
    const before = files(dir);
    readEverything(dir);
    expect(files(dir)).toEqual(before);

    const old = tempDir();
    cleanups.push(old.remove);
    const fixture = new URL('./fixtures/format-1/', import.meta.url);
    cpSync(new URL('catalog.sqlite', fixture), join(old.dir, 'catalog.sqlite'));
    cpSync(new URL('volumes', fixture), join(old.dir, 'volumes'), { recursive: true });
    const oldBefore = files(old.dir);
    readEverything(old.dir);
    expect(files(old.dir)).toEqual(oldBefore);
  });

  it('stats count the database files only, also while a writer runs', async () => {
    const dir = await archive();
    const h = Historian.open(dir, { flushIntervalMs: 0, now: () => T0 + 30 * DAY });
    cleanups.push(() => h.close());
    h.append('A', [{ t: T0 + 2 * DAY + 200_000, value: 1, status: Good }]);
    h.flush();
    expect(files(dir).some((f) => f.endsWith('-wal'))).toBe(true); // the writer's, while it runs
    const databases = files(dir).filter((f) => f.endsWith('.sqlite')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(h.stats().bytesOnDisk).toBe(databases);
    const r = new ArchiveReader(dir);
    expect(r.stats().bytesOnDisk).toBe(databases);
    r.close();
    await h.close();
    expect(files(dir).filter((f) => /-(wal|shm)$/.test(f))).toEqual([]);
  });

  it('an idle tag costs at most 64 bytes of catalog (issue 12 item 4: 18-byte names, lossless and swinging door, data then rest)', async () => {
    const catalogBytes = async (n: number): Promise<number> => {
      const tmp = tempDir();
      cleanups.push(tmp.remove);
      const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
      const name = (i: number) => `Area1.TK${String(i).padStart(4, '0')}.LEVEL`;
      h.defineTags(Array.from({ length: n }, (_, i) => tagConfig(name(i),
        i % 2 ? { compression: { kind: 'swinging-door', deviation: 0.5 } } : {})), T0);
      for (let i = 0; i < n; i++) h.append(name(i), [1, 2, 3].map((k) => ({ t: T0 + k * 1000, value: i + k * k, status: Good })));
      h.flush();
      await h.close();
      return statSync(join(tmp.dir, 'catalog.sqlite')).size;
    };
    const empty = await catalogBytes(0);
    expect((await catalogBytes(2000) - empty) / 2000).toBeLessThanOrEqual(64);
  });
});
