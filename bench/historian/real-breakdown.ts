/**
 * `npx tsx bench/historian/real-breakdown.ts [scale] [none|deadband|swingingDoor] [set...]`: where the
 * bytes of issue 12's real-shaped sets go after close (lossless by default): codec payload, summaries, sequence numbers,
 * SQLite pages per table and index (rows, keys, page slack), free pages, the catalog and the
 * volumes' fixed cost, against the zlib baseline. To fix the biggest part first, by measurement.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compression } from '../../historian/index.js';
import { dirBytes } from './disk.js';
import { ingest } from './real-phase.js';
import { realSets } from './real-shaped.js';
import { baselineBytes } from './zlib-baseline.js';

const [scaleArg, ...rest] = process.argv.slice(2);
const modes: Record<string, Compression> = {
  none: { kind: 'none' },
  deadband: { kind: 'deadband', deviation: 1, percentOfSpan: true },
  swingingDoor: { kind: 'swinging-door', deviation: 1, percentOfSpan: true },
};
const mode = rest.find((a) => a in modes) ?? 'none';
const only = rest.filter((a) => !(a in modes));
const scale = Number(scaleArg ?? 0.1);
const root = mkdtempSync(join(tmpdir(), 'vigil-breakdown-'));
try {
  for (const set of realSets(20240501, Date.UTC(2024, 0, 1), scale)) {
    if (only.length && !only.includes(set.name)) continue;
    const dir = join(root, set.name);
    await ingest(dir, set, modes[mode]!);
    const baseline = set.tags.reduce((n, tag) => n + baselineBytes(tag.samples).bytes, 0);
    const parts = new Map<string, number>();
    const add = (k: string, v: number) => parts.set(k, (parts.get(k) ?? 0) + v);
    const files = readdirSync(join(dir, 'volumes'));
    let blocks = 0, segments = 0;
    for (const f of files) {
      const db = new Database(join(dir, 'volumes', f), { readonly: true });
      for (const [name, bytes] of db.prepare('SELECT name, sum(pgsize) FROM dbstat GROUP BY name').raw().all() as [string, number][]) add(`vol ${name}`, bytes);
      add('vol freelist', (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number));
      const [p, s, q, nb] = db.prepare(`SELECT coalesce(sum(length(d.data)), 0), coalesce(sum(length(b.summary)), 0), coalesce(sum(length(d.seqs)), 0), count(*)
        FROM block b JOIN block_data d ON d.id = b.data_id`).raw().get() as number[];
      const [sp, ss, sq, ns] = db.prepare('SELECT coalesce(sum(length(data)), 0), coalesce(sum(length(summary)), 0), coalesce(sum(length(seqs)), 0), count(*) FROM segment')
        .raw().get() as number[];
      add('= payload (codec)', p! + sp!);
      add('= summaries', s! + ss!);
      add('= seqs', q! + sq!);
      blocks += nb!;
      segments += ns!;
      db.close();
    }
    const cat = new Database(join(dir, 'catalog.sqlite'), { readonly: true });
    for (const [name, bytes] of cat.prepare('SELECT name, sum(pgsize) FROM dbstat GROUP BY name').raw().all() as [string, number][]) add(`cat ${name}`, bytes);
    cat.close();
    const total = dirBytes(dir);
    const per = (b: number) => (b / set.samples).toFixed(3);
    process.stdout.write(`${set.name}: ${set.tags.length} tags, ${set.samples} samples, ${files.length} volume(s), ${blocks} blocks, ${segments} segments; ` +
      `total ${per(total)} B/sample = ${(total / baseline).toFixed(2)}x baseline ${per(baseline)}; catalog file ${per(statSync(join(dir, 'catalog.sqlite')).size)}\n`);
    for (const [k, v] of [...parts].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${k.padEnd(28)} ${per(v).padStart(7)}  (${v} B)\n`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
