// `npm run mutate -- <folder> [stryker flags]`: mutation testing of one folder with StrykerJS
// (vitest runner, TypeScript checker), incremental. Any flag after the folder goes to
// `stryker run` as is, e.g. `--concurrency 1`, `--force` (ignore the incremental file),
// `--mutate historian/encoding/decimal.ts` (one file of the folder), `--logLevel debug`.
// Prints Stryker's summary table; the HTML report lands in reports/mutation/<folder>.html.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [arg, ...flags] = process.argv.slice(2);

function fail(message) {
  process.stderr.write(`mutate: ${message}\nusage: npm run mutate -- <folder> [stryker flags], e.g. npm run mutate -- historian/compression --concurrency 1\n`);
  process.exit(2);
}

if (!arg || arg.startsWith('-')) fail('expected a folder of the repository as the first argument');
const abs = resolve(root, arg);
const folder = relative(root, abs).split('\\').join('/');
if (folder.startsWith('..') || folder === '') fail(`${arg}: expected a folder inside the repository`);
if (!existsSync(abs) || !statSync(abs).isDirectory()) fail(`${folder}: no such folder (yet)`);

const hasSource = (dir) => readdirSync(dir, { withFileTypes: true }).some((e) =>
  e.isDirectory() ? e.name !== 'fixtures' && hasSource(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'));
const hasTests = (dir) => readdirSync(dir, { withFileTypes: true }).some((e) =>
  e.isDirectory() ? hasTests(join(dir, e.name)) : e.name.endsWith('.test.ts'));
if (!hasSource(abs)) fail(`${folder}: no TypeScript source to mutate`);
if (!hasTests(abs)) fail(`${folder}: no *.test.ts in the folder: its mutants would all survive`);

// The TypeScript checker compiles its program again for every mutant: give it the folder alone,
// without tests (the compiler follows the folder's imports), not the whole project (node-opcua's
// typings are most of it).
const include = [folder];
writeFileSync(join(root, '.stryker-tsconfig.json'), `${JSON.stringify({
  extends: './tsconfig.json',
  include,
  exclude: ['node_modules', 'dist', 'release', '**/*.test.ts', '**/*.spec.ts'],
}, null, 2)}\n`);

const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const r = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.mjs', ...flags], {
  cwd: root,
  stdio: 'inherit',
  // Property tests run a tenth of their cases per mutant (historian/testing/property-runs.ts):
  // otherwise a folder with property tests takes hours on 2 cores. Set the variable to 1 for full runs.
  env: { VIGIL_PROPERTY_RUNS_SCALE: '0.1', ...process.env, VIGIL_MUTATE_FOLDER: folder },
});
process.exit(r.status ?? 1);
