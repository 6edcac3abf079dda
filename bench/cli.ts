/**
 * Benchmarks: `npm run bench -- <name> [options]`. Each prints a readable
 * table on stdout; with --json, one JSON object on the last line.
 */
import { runHistorianBench } from './historian/run.js';
import { runSyncBench } from './sync/run.js';
import { runTrendsBench } from './trends/run.js';

const benches: Record<string, (args: string[]) => Promise<void>> = {
  historian: runHistorianBench,
  sync: runSyncBench,
  trends: runTrendsBench,
};

const [name, ...rest] = process.argv.slice(2);
const bench = name === undefined ? undefined : benches[name];
if (bench === undefined) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [--json] [--quick]\n`);
  process.exitCode = 2;
} else {
  bench(rest).catch((e: unknown) => {
    process.stderr.write(`bench ${name}: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
