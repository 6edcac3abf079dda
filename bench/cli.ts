/**
 * Benchmarks: `npm run bench -- <name> [options]`. Each prints a readable
 * table on stdout; with --json, one JSON object on the last line.
 */

export {};

// Loaded on demand: node-opcua prints a warning on stdout when it loads, which
// must not come before a benchmark's table (nor load for one that needs none).
const benches: Record<string, (args: string[]) => Promise<void>> = {
  historian: async (a) => (await import('./historian/run.js')).runHistorianBench(a),
  sync: async (a) => (await import('./sync/run.js')).runSyncBench(a),
  alarms: async (a) => (await import('./alarms/run.js')).runAlarmsBench(a),
  acquisition: async (a) => (await import('./acquisition/run.js')).runAcquisitionBench(a),
  trends: async (a) => (await import('./trends/run.js')).runTrendsBench(a),
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
