/**
 * Prints bytes per sample and encode/decode throughput of the block codec on synthetic signals.
 * Run: npx tsx historian/encoding/measure.ts
 */
import { Good, UncertainLastUsableValue } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { decodeBlock, encodeBlock } from './block.js';

const BLOCK = 4096;
const BLOCKS = 64;
const T0 = Date.UTC(2026, 0, 1);

let seed = 42;
const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

type Signal = (i: number) => { dt: number; value: number; status?: number };

const signals: Record<string, Signal> = {
  'level 0.01 m + noise, 1 s': (() => {
    let level = 4.2;
    return (i) => {
      level += 0.0003 * Math.sin(i / 900) + (random() - 0.5) * 0.004;
      return { dt: 1000, value: round(level + (random() - 0.5) * 0.03, 2) };
    };
  })(),
  'temperature 0.1 °C, 1 s, ±3 ms jitter': (i) => ({ dt: 1000 + Math.round((random() - 0.5) * 6), value: round(21 + 2 * Math.sin(i / 3600) + (random() - 0.5) * 0.2, 1) }),
  'pressure 0.001 bar, 500 ms': (i) => ({ dt: 500, value: round(6 + 0.5 * Math.sin(i / 200) + (random() - 0.5) * 0.004, 3) }),
  'flat valve position, 1 s': () => ({ dt: 1000, value: 37.5 }),
  'compressed archive (irregular t)': (i) => ({ dt: 1000 * (1 + Math.floor(random() * 30)), value: round(50 + 10 * Math.sin(i / 50), 2) }),
  'raw float noise (xor fallback)': () => ({ dt: 1000, value: 100 + random() }),
  'level with quality changes': (i) => ({ dt: 1000, value: round(3 + (random() - 0.5) * 0.02, 2), status: i % 500 < 20 ? UncertainLastUsableValue : Good }),
};

function makeBlocks(signal: Signal): ArchivedSample[][] {
  const blocks: ArchivedSample[][] = [];
  let t = T0;
  let i = 0;
  for (let b = 0; b < BLOCKS; b++) {
    const points: ArchivedSample[] = [];
    for (let k = 0; k < BLOCK; k++, i++) {
      const s = signal(i);
      points.push({ t, value: s.value, status: s.status ?? Good, flags: 0 });
      t += s.dt;
    }
    blocks.push(points);
  }
  return blocks;
}

function bestRate(samples: number, fn: () => void): number {
  let best = Infinity;
  for (let rep = 0; rep < 7; rep++) {
    const start = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return samples / best;
}

const rows: string[][] = [['signal', 'bytes/sample', 'encode Msamples/s', 'decode Msamples/s']];
for (const [name, signal] of Object.entries(signals)) {
  const blocks = makeBlocks(signal);
  const encoded = blocks.map((b) => encodeBlock(b));
  const total = BLOCK * BLOCKS;
  const bytes = encoded.reduce((sum, e) => sum + e.length, 0);
  let sink = 0;
  const enc = bestRate(total, () => { for (const b of blocks) sink += encodeBlock(b).length; });
  const dec = bestRate(total, () => { for (const e of encoded) sink += decodeBlock(e).length; });
  if (sink === 0) throw new Error('nothing measured');
  rows.push([name, (bytes / total).toFixed(3), (enc / 1e6).toFixed(1), (dec / 1e6).toFixed(1)]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
process.stdout.write(rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n') + '\n');
process.stdout.write(`(${BLOCKS} blocks of ${BLOCK} points each; best of 7 runs; Node ${process.version})\n`);
