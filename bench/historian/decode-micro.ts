/**
 * `npx tsx bench/historian/decode-micro.ts [blockSize]`: codec-only loop on the plant dataset
 * (lossless, blocks of blockSize per tag): bytes/sample by signal and decode throughput, for
 * iterating on the codec without the whole benchmark.
 */
import { ColumnBuffer, decodeBlock, decodeBlockInto, encodeBlock } from '../../historian/encoding/index.js';
import type { ArchivedSample } from '../../historian/types.js';
import { plantData, tagSamples } from './feed.js';

const blockSize = Number(process.argv[2] ?? 256);
const data = plantData(200, 3600, 60, Date.UTC(2024, 0, 1), 20240501);
const blocks: Uint8Array[] = [];
const bySignal: Record<string, { bytes: number; samples: number }> = {};
data.tags.forEach((tag, i) => {
  if (tag.kind !== 'analog') return;
  const points: ArchivedSample[] = data.windows.flatMap((w) => tagSamples(data, w, i).map((s) => ({ t: s.t, value: s.value as number, status: s.status, flags: 0 })));
  const e = (bySignal[tag.signal] ??= { bytes: 0, samples: 0 });
  for (let k = 0; k < points.length; k += blockSize) {
    const b = encodeBlock(points.slice(k, k + blockSize));
    blocks.push(b);
    e.bytes += b.length;
    e.samples += Math.min(blockSize, points.length - k);
  }
});
const samples = Object.values(bySignal).reduce((a, e) => a + e.samples, 0);
let best = Infinity;
let check = 0;
for (let rep = 0; rep < 15; rep++) {
  const t = performance.now();
  for (const b of blocks) { const c = decodeBlock(b); check += c.value[c.length - 1]!; }
  best = Math.min(best, performance.now() - t);
}
process.stderr.write(`block ${blockSize}: ${blocks.length} blocks, ${samples} samples; decode ${(samples / best / 1000).toFixed(1)} M/s (check ${check.toFixed(0)})\n`);
process.stderr.write(`payload B/sample: ${Object.entries(bySignal).map(([k, e]) => `${k} ${(e.bytes / e.samples).toFixed(3)}`).join(', ')}\n`);
const bufs = blocks.map((b) => Buffer.from(b));
let bestBuf = Infinity;
for (let rep = 0; rep < 15; rep++) {
  const t = performance.now();
  for (const b of bufs) { const c = decodeBlock(b); check += c.value[c.length - 1]!; }
  const ms = performance.now() - t;
  if (rep === 0) process.stderr.write(`first pass over Buffers ${(samples / ms / 1000).toFixed(1)} M/s\n`);
  bestBuf = Math.min(bestBuf, ms);
}
process.stderr.write(`decode from Buffers ${(samples / bestBuf / 1000).toFixed(1)} M/s\n`);
const cols = new ColumnBuffer();
let bestInto = Infinity;
for (let rep = 0; rep < 15; rep++) {
  const t = performance.now();
  for (const b of bufs) { const n = decodeBlockInto(b, cols); check += cols.value[n - 1]!; }
  bestInto = Math.min(bestInto, performance.now() - t);
}
process.stderr.write(`decodeBlockInto from Buffers ${(samples / bestInto / 1000).toFixed(1)} M/s\n`);
