/**
 * Compression never costs bytes (issue 12 item 2): on the real-shaped generators (noisy, 5-7
 * significant digits, analyzers holding values, 1 s and 3 min), every sealed block of a tag
 * compressed by deadband or swinging door (and the open block a close leaves) is at most the lossless encoding of the raw samples
 * of its span, and the blocks still hold every point the compressor archived.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBlock } from '../../historian/encoding/block.js';
import { Historian, type Compression } from '../../historian/index.js';
import type { ArchivedSample } from '../../historian/types.js';
import { realSets, type RealTag } from './real-shaped.js';

const root = mkdtempSync(join(tmpdir(), 'vigil-compressed-blocks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Two tags of each kind from the 1 s and the 3 min sets. */
function sample(): RealTag[] {
  const out: RealTag[] = [];
  for (const set of realSets(7, Date.UTC(2024, 0, 1), 0.03).slice(0, 2)) {
    const seen = new Map<string, number>();
    for (const tag of set.tags) {
      if ((seen.get(tag.kind) ?? 0) >= 2) continue;
      seen.set(tag.kind, (seen.get(tag.kind) ?? 0) + 1);
      out.push(tag);
    }
  }
  return out;
}

describe('compressed blocks on real-shaped data', () => {
  const modes: [string, Compression][] = [
    ['deadband', { kind: 'deadband', deviation: 1, percentOfSpan: true }],
    ['swinging door', { kind: 'swinging-door', deviation: 1, percentOfSpan: true }],
  ];
  for (const [mode, compression] of modes) {
    it(`${mode} at 1 % of span: each block (sealed or open at close) <= the lossless bytes of its span's raw samples`, async () => {
      const tags = sample();
      const dir = join(root, mode.replace(' ', '-'));
      const h = Historian.open(dir, { volumePeriod: 'auto', flushIntervalMs: 0 });
      h.defineTags(tags.map((tag) => {
        const values = tag.samples.map((s) => s.value as number);
        const low = Math.min(...values), high = Math.max(...values);
        return { name: tag.name, kind: 'analog' as const, description: '', unit: '', range: { low, high: high > low ? high : low + 1 }, compression, stepped: false, cycleMs: 0 };
      }), tags[0]!.samples[0]!.t);
      for (let i = 0; i < 1100; i += 300) {
        for (const tag of tags) h.append(tag.name, tag.samples.slice(i, i + 300));
        h.flush();
      }
      await h.close();

      const catalog = new Database(join(dir, 'catalog.sqlite'), { readonly: true });
      const ids = new Map((catalog.prepare('SELECT name, id FROM tag').raw().all() as [string, number][]));
      catalog.close();
      let blocks = 0;
      for (const file of readdirSync(join(dir, 'volumes'))) {
        const db = new Database(join(dir, 'volumes', file), { readonly: true });
        // Sealed blocks and the open blocks left at close (segments: settled the same way, store/README.md).
        const rows = db.prepare(`SELECT b.tag_id, b.t_start, b.t_end, length(d.data) FROM block b JOIN block_data d ON d.id = b.data_id
          UNION ALL SELECT tag_id, t_start, t_end, length(data) FROM segment`).raw().all() as number[][];
        db.close();
        for (const [id, t0, t1, bytes] of rows) {
          const tag = tags.find((t) => ids.get(t.name) === id)!;
          const raw: ArchivedSample[] = tag.samples.filter((s) => s.t >= t0! && s.t <= t1!).map((s) => ({ ...s, flags: 0 }));
          expect(bytes, `${tag.name} block at ${t0}`).toBeLessThanOrEqual(encodeBlock(raw).length);
          blocks++;
        }
      }
      expect(blocks).toBeGreaterThanOrEqual(tags.length); // every tag has a block or an open block
    });
  }
});
