/**
 * A plot reads a volume's block summaries, then the bytes of the blocks that cross a bucket
 * edge, in two queries. A writer that merges the open block's segments between the two (it
 * does every eighth small flush) must not make the plot fail or count a sample twice: both
 * queries read one snapshot of the file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { T0, tagConfig, tempDir } from '../store/testing.js';
import { VolumeReader } from './volume-reader.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const at = (s: number, value: number) => ({ t: T0 + s * 1000, value, status: Good });

describe('plot read against a writer merging segments meanwhile', () => {
  it('seven 2-point segments, each across a 1 s bucket edge; a flush that merges them lands between the summaries and the bytes', () => {
    const tmp = tempDir();
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 512 });
    cleanups.push(tmp.remove, () => h.close());
    h.defineTag(tagConfig('P'), T0 - 1000);
    for (let k = 0; k < 7; k++) {
      h.append('P', [at(2 * k, 100 + 2 * k), at(2 * k + 1, 101 + 2 * k)]);
      h.flush();
    }
    const q = { tags: 'P', start: T0, end: T0 + 14_000, buckets: 14 };
    const before = h.readPlot(q)[0]!;
    // The 14 samples, one per bucket: what the archive held when the read began.
    expect([...before.count]).toEqual(Array(14).fill(1));
    expect([...before.first]).toEqual(Array.from({ length: 14 }, (_, i) => 100 + i));

    const summaries = VolumeReader.prototype.summaries;
    let writes = 0;
    vi.spyOn(VolumeReader.prototype, 'summaries').mockImplementation(function (this: VolumeReader, ...args) {
      const out = summaries.apply(this, args);
      if (writes++ === 0) {
        // The eighth flush of a small part: the seven segments become one row (new id), the new points another.
        h.append('P', [at(14, 114), at(15, 115)]);
        h.flush();
      }
      return out;
    });
    const during = h.readPlot(q)[0]!;
    expect(writes).toBe(1);
    expect([...during.count]).toEqual([...before.count]);
    expect([...during.first]).toEqual([...before.first]);
    expect([...during.min]).toEqual([...before.min]);
    vi.restoreAllMocks();
    // The next read sees the merged segments and the new points (t = 14 and 15 s are past the range).
    expect([...h.readPlot({ ...q, end: T0 + 16_000, buckets: 16 })[0]!.count]).toEqual(Array(16).fill(1));
  });
});
