/**
 * `npx tsx bench/historian/changes-micro.ts [tags] [seconds] [pageSize]`: how fast the change
 * feed drains a backlog (the plant mix, lossless, written window by window as a station
 * would), as columns and as objects, from a read-only reader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveReader, Historian } from '../../historian/index.js';
import { tagConfig } from './dataset.js';
import { plantData, samplesOf } from './feed.js';

export interface FeedFigures { samples: number; columnsPerSecond: number; objectsPerSecond: number; firstPassPerSecond: number }

/** Drains the archive in dir from the beginning with pages of pageSize: samples/s (best of runs after a first pass). */
export function drainFeed(dir: string, pageSize: number, runs: number): FeedFigures {
  const r = new ArchiveReader(dir);
  try {
    const pass = (columns: boolean): { samples: number; ms: number } => {
      let cursor: string | null = null, samples = 0;
      const t0 = performance.now();
      for (;;) {
        if (columns) {
          const page = r.readChangeColumns(cursor, pageSize);
          samples += page.length;
          cursor = page.cursor;
          if (!page.more) break;
        } else {
          const page = r.readChanges(cursor, pageSize);
          for (const it of page.items) samples += it.t.length;
          cursor = page.cursor;
          if (!page.more) break;
        }
      }
      return { samples, ms: performance.now() - t0 };
    };
    const first = pass(true);
    let cols = Infinity, objs = Infinity;
    for (let i = 0; i < runs; i++) {
      cols = Math.min(cols, pass(true).ms);
      objs = Math.min(objs, pass(false).ms);
    }
    const per = (ms: number) => first.samples / (ms / 1000);
    return { samples: first.samples, columnsPerSecond: per(cols), objectsPerSecond: per(objs), firstPassPerSecond: per(first.ms) };
  } finally {
    r.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [tags = 200, seconds = 11_000, pageSize = 100_000] = process.argv.slice(2).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-feed-'));
  try {
    const data = plantData(tags, seconds, 60, Date.UTC(2024, 0, 1), 20240501);
    const h = Historian.open(dir, { volumePeriod: 'day', flushIntervalMs: 0, sortWindowMs: 0 });
    for (const tag of data.tags) h.defineTag(tagConfig(tag, { kind: 'none' }), data.t0);
    for (const w of data.windows) {
      samplesOf(data, w).forEach((samples, i) => h.append(data.tags[i]!.name, samples));
      h.flush();
    }
    await h.close();
    const f = drainFeed(dir, pageSize, 3);
    const m = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
    process.stderr.write(`${f.samples} samples, pages of ${pageSize}: columns ${m(f.columnsPerSecond)} (first pass ${m(f.firstPassPerSecond)}), objects ${m(f.objectsPerSecond)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
