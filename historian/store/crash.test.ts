import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { Flag } from '../types.js';
import { T0, tempDir, ingestAndKill as ingestAndKillChild } from './testing.js';

const ingestAndKill = (dir: string, flushes: number) => ingestAndKillChild(fileURLToPath(new URL('./crash-child.ts', import.meta.url)), dir, flushes);

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try { return db.pragma('integrity_check', { simple: true }) as string; } finally { db.close(); }
}

describe('crash safety', () => {
  it('after kill -9 the files are intact and everything up to the last reported flush is there', async () => {
    const tmp = tempDir();
    try {
      for (let round = 0; round < 2; round++) {
        const reported = await ingestAndKill(tmp.dir, 6 + round * 4);
        expect(reported).toBeGreaterThan(0);
        expect(integrity(join(tmp.dir, 'catalog.sqlite'))).toBe('ok');
        for (const f of readdirSync(join(tmp.dir, 'volumes')).filter((x) => x.endsWith('.sqlite'))) {
          expect(integrity(join(tmp.dir, 'volumes', f))).toBe('ok');
        }
        // A restart continues seamlessly: what the compressors held comes back and is archived at close.
        await Historian.open(tmp.dir, { flushIntervalMs: 0 }).close();
        const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
        const a = h.readRaw({ tags: 'A', start: T0, end: T0 + 1e12 }).rows;
        const d = h.readRaw({ tags: 'D', start: T0, end: T0 + 1e12 }).rows;
        // Counters equal what the volumes hold, however far the catalog lagged at the kill.
        const stats = new Map(h.tagStats().map((s) => [s.name, s]));
        for (const [name, rows] of [['A', a], ['D', d]] as const) {
          const added = rows.filter((r) => r.flags & Flag.Cyclic).length;
          expect(stats.get(name)).toMatchObject({ samplesArchived: rows.length - added, recordsAdded: added });
        }
        await h.close();
        expect(a.length).toBeGreaterThan(reported);
        for (let i = 0; i <= reported; i++) expect([a[i]!.t, a[i]!.value]).toEqual([T0 + i * 1000, i]);
        for (let i = 1; i < a.length; i++) expect(a[i]!.t).toBeGreaterThan(a[i - 1]!.t);
        for (let i = 0; i <= reported; i++) expect([d[i]!.t, d[i]!.value]).toEqual([T0 + i * 1000, i % 2 === 0]);
      }
    } finally {
      tmp.remove();
    }
  });
});

describe('change feed across kill -9', () => {
  it('a reader beside the writer gets every archived sample once, before and after the crash and restart', async () => {
    const tmp = tempDir();
    try {
      const seen = new Map<string, number>();
      let cursor: string | null = null;
      let reader: ArchiveReader | null = null;
      /**
       * Reads the feed from the cursor: at most `pages` pages while the child writes (a reader slower
       * than the writer would never reach the end, and the event loop would never take the child's
       * output that has it killed: a loaded CI machine hung there), to the end once it is dead.
       */
      const read = (pages = Infinity) => {
        if (reader === null) {
          try { reader = new ArchiveReader(tmp.dir); } catch { return; } // the child has not made the archive yet
        }
        for (let n = 0; n < pages; n++) {
          const page = reader.readChanges(cursor, 700);
          for (const it of page.items) for (const t of it.t) seen.set(`${it.tag}@${t}`, (seen.get(`${it.tag}@${t}`) ?? 0) + 1);
          cursor = page.cursor;
          if (!page.more) break;
        }
      };
      const poll = setInterval(() => read(4), 15);
      const reported = await ingestAndKill(tmp.dir, 8);
      clearInterval(poll);
      read();
      await Historian.open(tmp.dir, { flushIntervalMs: 0 }).close(); // recovers, archives the held points
      read();
      const r = reader as ArchiveReader | null;
      if (r === null) throw new Error('the archive was never readable');
      const keys = ['A', 'D'].flatMap((tag) => r.readRaw({ tags: tag, start: T0, end: T0 + 1e12, pageSize: 1_000_000 }).rows.map((x) => `${tag}@${x.t}`));
      r.close();
      expect(keys.length).toBeGreaterThan(reported);
      expect([...seen.keys()].sort()).toEqual([...keys].sort());
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    } finally {
      tmp.remove();
    }
  });
});
