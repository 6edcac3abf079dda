// Mutation testing (StrykerJS) of one folder at a time: `npm run mutate -- <folder> [stryker flags]`
// (scripts/mutate.mjs sets VIGIL_MUTATE_FOLDER and runs `stryker run` with this file).
// Not part of CI: a folder takes minutes to tens of minutes on 2 cores.
const folder = process.env.VIGIL_MUTATE_FOLDER;
if (!folder) throw new Error('stryker.config.mjs: run it through `npm run mutate -- <folder>` (VIGIL_MUTATE_FOLDER is not set)');
const slug = folder.replaceAll('/', '-');

/**
 * What each folder leaves out of the mutants, and why; every other .ts file of the folder is
 * mutated (tests, test helpers, fixtures and child-process scripts never are). Extra test files
 * are tests elsewhere that exercise the folder through its public entry points.
 */
const PER_FOLDER = {
  // A measuring CLI, not behaviour of the codec. Static mutants (674 of 1,999: the codec's
  // module-level tables, evaluated at import) each rerun the whole suite, 64 % of the run's time,
  // and Stryker 9.6.1 misreports them (stryker-js#6144): they are left out of the score; every
  // table is exercised by the round-trip and size tests on each block (see the folder's README).
  'historian/encoding': { exclude: ['measure.ts'], ignoreStatic: true },
  // Plumbing of the reader worker thread: code run inside a worker thread or a child process is
  // invisible to Stryker (its mutants would all read "no coverage"); the reads it forwards are
  // the same functions the tests call on the main thread. worker.test.ts covers the plumbing.
  // format-compat reads the fixtures of older formats: the legacy statements of volume-reader.ts.
  'historian/read': { exclude: ['worker.ts', 'client.ts'], tests: ['historian/store/format-compat.test.ts'] },
  // The store is written through by the readers' and the CSV import's tests (each builds its
  // archive with the writer, then checks what reads back), and the CRC and resolution tests of
  // the codec check blocks the writer stored: they kill store mutants the folder's own tests
  // (crash, restart, files, segments) do not reach.
  'historian/store': {
    tests: ['historian/read/*.test.ts', 'historian/csv/import.test.ts', 'historian/encoding/checksum.test.ts',
      'historian/encoding/resolution.test.ts', 'historian/writer-lock.test.ts'],
  },
};

const own = PER_FOLDER[folder] ?? {};
const exclude = ['**/*.test.ts', '**/testing.ts', '**/testing/**', '**/*-child.ts', '**/fixtures/**', '**/*-bench.ts', ...(own.exclude ?? [])];
const tests = [`${folder}/**/*.test.ts`, ...(own.tests ?? [])];
const incrementalFile = `.stryker/${slug}.incremental.json`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [`${folder}/**/*.ts`, ...exclude.map((p) => `!${folder}/${p}`)],
  testFiles: tests,
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: false },
  checkers: ['typescript'],
  // Written by scripts/mutate.mjs: the folder's part of the project, without tests.
  tsconfigFile: '.stryker-tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // Two shared cores: never more than two workers; the machine is busy, so be patient.
  concurrency: 2,
  timeoutMS: 20_000,
  timeoutFactor: 2.5,
  dryRunTimeoutMinutes: 20,
  ignoreStatic: own.ignoreStatic ?? false,
  incremental: true,
  incrementalFile,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${slug}.html` },
  jsonReporter: { fileName: `reports/mutation/${slug}.json` },
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: true, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.git', 'dist', 'release', 'test-results', 'playwright-report', 'reports', '.vigil-data', 'docs', '.stryker'],
  cleanTempDir: true,
};
