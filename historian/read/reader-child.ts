/** Child of the worker test: runs a reader query under plain tsx (not vitest) and prints the row count. */
import { Historian } from '../index.js';

const h = Historian.open(process.argv[2]!, { flushIntervalMs: 0 });
const page = await h.reader.raw({ tags: '*', start: 0, end: Number.MAX_SAFE_INTEGER });
process.stdout.write(`rows ${page.rows.length}\n`);
await h.close();
