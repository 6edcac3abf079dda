/**
 * Child process of crash-held.test.ts: archives a ramp through a swinging door (so its
 * compressor holds the newest sample), flushes, prints `flushed`, and waits to be killed.
 */
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { T0, tagConfig } from './testing.js';

const h = Historian.open(process.argv[2]!, { flushIntervalMs: 0 });
h.defineTag(tagConfig('R', { compression: { kind: 'swinging-door', deviation: 0.5 } }), T0);
h.append('R', Array.from({ length: 100 }, (_, i) => ({ t: T0 + i * 1000, value: i / 10, status: Good })));
h.flush();
process.stdout.write('flushed\n');
setInterval(() => {}, 60_000); // never exits by itself: only kill -9 ends it
