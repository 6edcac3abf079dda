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
    let batches = 0;
    const writer = setInterval(() => { ingest(1000); batches++; }, 5);
    try {
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [page, plots] = await Promise.all([
          h.reader.raw({ tags: 'T0', start: T0 + 499_000, end: T0 + 1e9, pageSize: 100_000 }),
          h.reader.plot({ tags: 'T*', start: T0, end: T0 + 50_000_000, buckets: 500 }),
        ]);
        seen.push(page.rows.length);
        expect(plots).toHaveLength(4);
        expect(plots[0]!.min).toBeInstanceOf(Float64Array);
        expect(plots[3]!.count.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5000);
      }
      expect(seen[0]).toBeGreaterThanOrEqual(10);
      expect(seen.at(-1)).toBeGreaterThan(seen[0]!); // the worker saw the writer's later flushes
      expect(batches).toBeGreaterThan(0);
    } finally {
      clearInterval(writer);
    }
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
