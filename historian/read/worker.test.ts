import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, HistorianReader } from '../index.js';
import { Good } from '../status.js';
import { T0, tagConfig, tempDir } from '../store/testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

describe('reader worker', () => {
  it('answers reads in its own thread while the writer keeps ingesting', async () => {
    const tmp = tempDir();
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize: 256 });
    cleanups.push(tmp.remove, () => h.close());
    for (let k = 0; k < 4; k++) h.defineTag(tagConfig(`T${k}`), T0);
    let t = T0;
    const ingest = (n: number) => {
      for (let k = 0; k < 4; k++) {
        h.append(`T${k}`, Array.from({ length: n }, (_, i) => ({ t: t + i * 100, value: Math.sin((t + i * 100) / 1e5) + k, status: Good })));
      }
      t += n * 100;
      h.flush();
    };
    ingest(5000);
    // At most 40 batches, so a read (from +499 s, 100 ms apart) never reaches its 100,000-row page:
    // a loaded machine may run them all before the first read answers, and a full page would hide it.
    let batches = 0;
    const writer = setInterval(() => { if (batches < 40) { ingest(1000); batches++; } }, 5);
    const tail = async () => (await h.reader.raw({ tags: 'T0', start: T0 + 499_000, end: T0 + 1e9, pageSize: 100_000 })).rows.length;
    try {
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [rows, plots] = await Promise.all([
          tail(),
          h.reader.plot({ tags: 'T*', start: T0, end: T0 + 50_000_000, buckets: 500 }),
        ]);
        seen.push(rows);
        expect(plots).toHaveLength(4);
        expect(plots[0]!.min).toBeInstanceOf(Float64Array);
        expect(plots[3]!.count.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5000);
      }
      expect(seen[0]).toBeGreaterThanOrEqual(10);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
      expect(batches).toBeGreaterThan(0); // the writer ran while the reads were out
    } finally {
      clearInterval(writer);
    }
    // The worker sees the writer's later commits: 1,000 samples more after one more flush.
    const before = await tail();
    ingest(1000);
    expect(await tail()).toBe(before + 1000);
    const [v] = await h.reader.atTime({ tags: 'T1', times: [T0 + 150] });
    expect(v!.values[0]!.value).toBeCloseTo(Math.sin((T0 + 150) / 1e5) + 1, 3);
    await expect(h.reader.raw({ tags: 'missing', start: 0, end: 1 })).rejects.toThrow(/missing/);
  });

  it('starts from built JavaScript (production) and under plain tsx', async () => {
    const tmp = tempDir();
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    cleanups.push(tmp.remove, () => h.close());
    h.defineTag(tagConfig('X'), T0);
    h.append('X', [{ t: T0, value: 1, status: Good }, { t: T0 + 1, value: 2, status: Good }]);
    h.flush();

    const out = join(tmp.dir, 'build');
    await build({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))], outfile: join(out, 'worker.js'),
      bundle: true, platform: 'node', format: 'esm', external: ['better-sqlite3'], logLevel: 'error',
      // The bundle lives outside the project: it imports better-sqlite3 by absolute path.
      plugins: [{ name: 'sqlite-from-project', setup(b) {
        b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: fileURLToPath(import.meta.resolve('better-sqlite3')), external: true }));
      } }],
    });
    const built = new HistorianReader(tmp.dir, { workerModule: pathToFileURL(join(out, 'worker.js')) });
    try {
      expect((await built.raw({ tags: 'X', start: T0, end: T0 + 10 })).rows.map((r) => r.value)).toEqual([1, 2]);
    } finally {
      await built.close();
      rmSync(out, { recursive: true, force: true });
    }

    const child = fileURLToPath(new URL('./reader-child.ts', import.meta.url));
    expect(execFileSync(process.execPath, ['--import', 'tsx', child, tmp.dir], { encoding: 'utf8' })).toBe('rows 2\n');
  });
});
