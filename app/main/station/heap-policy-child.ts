/**
 * heap-policy.test.ts's workload, in a process of its own (V8 flags are process-wide): a large
 * live set, then batches of objects that live a while and die old (as a station's samples do).
 * Prints the peak heap used and the live heap after a full collection, in bytes, as JSON.
 */
import { applyHeapPolicy } from './heap-policy.js';

if (process.argv[2] === 'policy') applyHeapPolicy();
const live: { a: number; b: string }[] = [];
for (let i = 0; i < 600_000; i++) live.push({ a: i, b: `tag-${i}` });
const recent: { t: number; v: number }[][] = [];
let peak = 0;
for (let round = 0; round < 300; round++) {
  const batch: { t: number; v: number }[] = [];
  for (let i = 0; i < 20_000; i++) batch.push({ t: i, v: i * 0.5 });
  recent.push(batch);
  if (recent.length > 20) recent.shift();
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
(globalThis as { gc?: () => void }).gc?.();
process.stdout.write(JSON.stringify({ peak, live: process.memoryUsage().heapUsed, kept: live.length + recent.length }));
