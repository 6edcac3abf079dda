// `npm run mutate -- <folder> [stryker flags]`: mutation testing of one folder with StrykerJS
// (vitest runner, TypeScript checker), incremental. Any flag after the folder goes to
// `stryker run` as is, e.g. `--concurrency 1`, `--force` (ignore the incremental file),
// `--mutate historian/encoding/decimal.ts` (one file of the folder), `--logLevel debug`.
// Prints Stryker's summary table; the HTML report lands in reports/mutation/<folder>.html.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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

// A run of some files (`--mutate a.ts,b.ts`) rewrites the folder's incremental file with those
// files alone: the other files' results are kept from before the run and merged back after it, so
// a large folder can be run a few files at a time (each run then prints the folder as merged).
const incremental = join(root, '.stryker', `${folder.replaceAll('/', '-')}.incremental.json`);
const subset = flags.some((f) => f === '--mutate' || f === '-m' || f.startsWith('--mutate='));
const before = subset && existsSync(incremental) ? JSON.parse(readFileSync(incremental, 'utf8')) : null;

const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const r = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.mjs', ...flags], {
  cwd: root,
  stdio: 'inherit',
  // Property tests run a tenth of their cases per mutant (historian/testing/property-runs.ts):
  // otherwise a folder with property tests takes hours on 2 cores. Set the variable to 1 for full runs.
  env: { VIGIL_PROPERTY_RUNS_SCALE: '0.1', ...process.env, VIGIL_MUTATE_FOLDER: folder },
});
if (r.status === 0 && subset && existsSync(incremental)) {
  const after = JSON.parse(readFileSync(incremental, 'utf8'));
  if (before) {
    for (const [file, result] of Object.entries(before.files ?? {})) after.files[file] ??= result;
    for (const [file, result] of Object.entries(before.testFiles ?? {})) (after.testFiles ??= {})[file] ??= result;
    writeFileSync(incremental, `${JSON.stringify(after)}\n`);
  }
  printFolderScore(after.files);
}
process.exit(r.status ?? 1);

/** Stryker's mutation score (detected / valid: killed and timed out over those plus survived and no coverage), per file and in all. */
function printFolderScore(files) {
  const rows = Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).map(([file, f]) => {
    const n = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
    for (const m of f.mutants) if (m.status in n) n[m.status]++;
    return { file, ...n };
  });
  const all = rows.reduce((a, r) => ({ file: 'all files', Killed: a.Killed + r.Killed, Timeout: a.Timeout + r.Timeout, Survived: a.Survived + r.Survived, NoCoverage: a.NoCoverage + r.NoCoverage }),
    { file: 'all files', Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 });
  const score = (r) => {
    const valid = r.Killed + r.Timeout + r.Survived + r.NoCoverage;
    return valid === 0 ? 'n/a' : `${((100 * (r.Killed + r.Timeout)) / valid).toFixed(2)} %`;
  };
  process.stdout.write(`\n${folder} so far (merged incremental results of the runs of its files):\n`);
  for (const r of [all, ...rows]) {
    process.stdout.write(`  ${r.file.padEnd(48)} ${score(r).padStart(8)}  killed ${r.Killed}, timeout ${r.Timeout}, survived ${r.Survived}, no coverage ${r.NoCoverage}\n`);
  }
}
