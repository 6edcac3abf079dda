/**
 * `npx tsx bench/historian/layout.ts [tags] [seconds] [blockSize...]`: where the bytes of a
 * lossless plant archive go (per table and index, free pages) for a few block sizes, to choose
 * the block size and layout with data rather than by guess.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../../historian/index.js';
import { tagConfig } from './dataset.js';
import { dirBytes } from './disk.js';
import { plantData, samplesOf } from './feed.js';

const [tags = 200, seconds = 11_000, ...sizes] = process.argv.slice(2).map(Number);
const data = plantData(tags, seconds, 60, Date.UTC(2024, 0, 1), 20240501);
for (const blockSize of sizes.length ? sizes : [256, 512, 1024]) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-layout-'));
  try {
    const h = Historian.open(dir, { volumePeriod: 'day', flushIntervalMs: 0, sortWindowMs: 0, blockSize });
    for (const tag of data.tags) h.defineTag(tagConfig(tag, { kind: 'none' }), data.t0);
    for (const w of data.windows) {
      samplesOf(data, w).forEach((samples, i) => h.append(data.tags[i]!.name, samples));
      h.flush();
    }
    await h.close();
    const parts: Record<string, number> = {};
    for (const f of readdirSync(join(dir, 'volumes')).filter((x) => x.endsWith('.sqlite'))) {
      const db = new Database(join(dir, 'volumes', f), { readonly: true });
      for (const [name, bytes] of db.prepare('SELECT name, sum(pgsize) FROM dbstat GROUP BY name').raw().all() as [string, number][]) {
        parts[name] = (parts[name] ?? 0) + bytes;
      }
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      parts.freelist = (parts.freelist ?? 0) + (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
      parts.payload = (parts.payload ?? 0) + (db.prepare('SELECT coalesce(sum(length(data)), 0) + (SELECT coalesce(sum(length(data)), 0) FROM segment) FROM block_data').pluck().get() as number);
      db.close();
    }
    const per = (b: number) => (b / data.samples).toFixed(3);
    process.stderr.write(`block ${blockSize}: ${per(dirBytes(dir))} B/sample on disk; ${Object.entries(parts).map(([k, v]) => `${k} ${per(v)}`).join(', ')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
