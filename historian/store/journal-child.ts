/**
 * Child process of the journal test: appends one sample a second to 12 tags, each second
 * followed by a background-style flush (flush(false): most tags' points go to the journal only),
 * and prints `flushed <i>` once samples 0..i are durable, until it is killed.
 */
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { T0, tagConfig } from './testing.js';

const h = Historian.open(process.argv[2]!, { flushIntervalMs: 0, segmentsPerFlush: 2 }); // 12 tags: 8 turns
const tags = Array.from({ length: 12 }, (_, k) => `J${k}`);
for (const name of tags) h.defineTag(tagConfig(name), T0);
let i = 0;
const timer = setInterval(() => {
  for (const [k, name] of tags.entries()) h.append(name, [{ t: T0 + i * 1000, value: k * 1000 + i + 0.25, status: Good }]);
  h.flush(false);
  process.stdout.write(`flushed ${i}\n`);
  i++;
}, 5);
process.on('SIGTERM', () => clearInterval(timer));
