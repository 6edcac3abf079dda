/** Child of the worker test: runs a reader query under plain tsx (not vitest) and prints the row count. */
import { HistorianReader } from '../index.js';

// A reader needs no writer: it opens the archive read-only, beside the writer that holds the lock.
const reader = new HistorianReader(process.argv[2]!);
const page = await reader.raw({ tags: '*', start: 0, end: Number.MAX_SAFE_INTEGER });
process.stdout.write(`rows ${page.rows.length}\n`);
await reader.close();
