import { Historian } from '../../../historian/index.js';
import { Good } from '../../../historian/status.js';
import { Lines } from '../../../app/main/sync/line-protocol/batch.js';
import { SampleEncoder } from '../../../app/main/sync/line-protocol/samples.js';
import { SamplesStream } from '../../../app/main/sync/streams/samples.js';
import { body } from '../../../app/main/sync/deliver/batch.js';
import { mkdtempSync } from 'node:fs';
const h = Historian.open(mkdtempSync('/tmp/syncx/p-'), { flushIntervalMs: 0, sortWindowMs: 0 });
const TAGS = 100, n = 200_000, perTag = n / TAGS;
const t0 = Date.now() - perTag * 1000;
for (let k = 0; k < TAGS; k++) h.defineTag({ name: `T${k}`, kind: 'analog', description: '', unit: 'm', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
for (let i = 0; i < perTag; i += 1000) { for (let k = 0; k < TAGS; k++) h.append(`T${k}`, Array.from({ length: 1000 }, (_, j) => ({ t: t0 + (i + j) * 1000, value: Math.round(Math.sin((i + j) / 300 + k) * 1e4) / 100, status: Good }))); h.flush(); }
const s = new SamplesStream(h, new SampleEncoder({ measurement: 'tf', site: 'B', dialect: 'v1', statusName: true, textAs: 'field' }), () => 'A');
let tRead = 0, tEnc = 0, tGz = 0, c: string | null = null, total = 0;
for (;;) {
  let a = performance.now();
  const page = h.readChangeColumns(c, 5000);
  tRead += performance.now() - a;
  a = performance.now();
  const lines = new Lines();
  const r = s.read(c, 5000, null, lines);
  tEnc += performance.now() - a;
  a = performance.now();
  await body(lines, 0, lines.count, 6);
  tGz += performance.now() - a;
  total += lines.count; c = r.cursor; if (!r.more) break;
}
console.log({ total, tRead, readPlusEncode: tEnc, tGz });
await h.close();
