/**
 * Child process of the crash test: ingests continuously into the archive at
 * argv[2] and prints `flushed <i>` after every flush that made samples
 * 0..i durable, until it is killed.
 */
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { T0, tagConfig } from './testing.js';

const h = Historian.open(process.argv[2]!, { flushIntervalMs: 20, blockSize: 100 });
h.defineTag(tagConfig('A', { compression: { kind: 'none' } }), T0);
h.defineTag(tagConfig('D', {}, 'discrete'), T0);
const last = h.readRaw({ tags: 'A', start: T0, end: T0 + 1e12 }).rows.at(-1);
let i = last ? (last.t - T0) / 1000 + 1 : 0;

function step(): void {
  for (let k = 0; k < 50; k++, i++) {
    h.append('A', [{ t: T0 + i * 1000, value: i, status: Good }]);
    h.append('D', [{ t: T0 + i * 1000, value: i % 2 === 0, status: Good }]);
  }
  if (i % 500 === 0) {
    h.flush();
    process.stdout.write(`flushed ${i - 1}\n`);
  }
  setImmediate(step);
}
step();
