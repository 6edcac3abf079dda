import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { T0, DAY, tempDir } from './testing.js';

type Row = [number, number | boolean | string | null, number, number];

const rows = (read: (tag: string) => { t: number; value: unknown; status: number; flags: number }[], tag: string): Row[] =>
  read(tag).map((r) => [r.t, typeof r.value === 'number' && Number.isNaN(r.value) ? null : Object.is(r.value, -0) ? '-0' : r.value as Row[1], r.status, r.flags]);

describe.each([
  ['format 1, fixtures/format-1, made by commit ec596e2', 'format-1'],
  ['format 2 with the change feed, fixtures/format-2, made by commit 0fcae07', 'format-2'],
  ['format 3 with block codec v3, fixtures/format-3, made by commit b91dbff', 'format-3'],
  ['format 4 with block codec v4 (held values), fixtures/format-4, made by commit 819aba7', 'format-4'],
  ['format 5 with block codec v5 (distinct, float32 and near-decimal values), fixtures/format-5, made by commit f09993f', 'format-5'],
  ['format 6 with block codec v6 (smoothed values), fixtures/format-6, made by commit fd8be80', 'format-6'],
  ['format 7 with block codec v7 (sparse jitter; NaN and -0 in XOR blocks), fixtures/format-7, made by commit dad9ce0', 'format-7'],
])('archives made by older versions (%s)', (_, name) => {
  const fixture = fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
  const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as Record<string, Row[]>;

  function copyFixture(): { dir: string; remove: () => void } {
    const tmp = tempDir();
    cpSync(join(fixture, 'catalog.sqlite'), join(tmp.dir, 'catalog.sqlite'));
    cpSync(join(fixture, 'volumes'), join(tmp.dir, 'volumes'), { recursive: true });
    return tmp;
  }

  it('read back read-only, value for value', () => {
    const tmp = copyFixture();
    try {
      const r = new ArchiveReader(tmp.dir);
      for (const tag of Object.keys(expected)) {
        expect(rows((name) => r.readRaw({ tags: name, start: 0, end: T0 + 100 * DAY, pageSize: 100_000 }).rows, tag)).toEqual(expected[tag]);
      }
      r.close();
    } finally {
      tmp.remove();
    }
  });

  it('open for writing, read back, take new samples and keep them after a reopen', async () => {
    const tmp = copyFixture();
    try {
      const opts = { flushIntervalMs: 0, now: () => T0 + 10 * DAY };
      let h = Historian.open(tmp.dir, opts);
      for (const tag of Object.keys(expected)) {
        expect(rows((name) => h.readRaw({ tags: name, start: 0, end: T0 + 100 * DAY, pageSize: 100_000 }).rows, tag)).toEqual(expected[tag]);
      }
      const last = expected.A!.at(-1)![0];
      h.append('A', [{ t: last + 1000, value: 1.5, status: 0 }, { t: last + 2000, value: 2.5, status: 0 }]);
      const before = h.versions('A');
      const ranged = { ...before.at(-1)!.config, range: { low: -2.5, high: 97.125 } };
      h.defineTag(ranged, last + 3000); // a new version, its range in the columns a writer adds
      await h.close();
      h = Historian.open(tmp.dir, opts);
      expect(h.versions('A').map((v) => v.config)).toEqual([...before.map((v) => v.config), ranged]);
      const a = rows((name) => h.readRaw({ tags: name, start: 0, end: T0 + 100 * DAY, pageSize: 100_000 }).rows, 'A');
      expect(a.slice(0, -2)).toEqual(expected.A);
      expect(a.slice(-2).map((r) => [r[0], r[1]])).toEqual([[last + 1000, 1.5], [last + 2000, 2.5]]);
      await h.close();
    } finally {
      tmp.remove();
    }
  });
});
