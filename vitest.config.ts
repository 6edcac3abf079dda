import { configDefaults, defineConfig } from 'vitest/config';

// Files that replace a module (vi.mock) must have their own module graph: each runs in a fresh process
// (scripts/vitest-config.test.ts finds any such file missing here).
export const OWN_MODULES = ['historian/store/schema-connections-mutants.test.ts'];
const ALL = ['{app,historian,simulator,bench,scripts}/**/*.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['historian/testing/property-setup.ts'],
    // The CLIs the tests spawn, bundled from the working tree once per run (scripts/cli-bundles.ts).
    globalSetup: ['scripts/cli-bundles.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // OPC UA servers and SQLite files: files in separate processes from the runner's.
    pool: 'forks',
    // Three at a time whatever the machine (Vitest's default leaves one core free: one file at a time on
    // CI's two cores). Most of a file's time is waiting on servers, sockets and timers; four at a time
    // loaded CI's two cores so that a test timed on a server's answers failed in three runs of four.
    maxWorkers: 3,
    projects: [
      // A worker process runs file after file with the modules it loaded (node-opcua alone is ~2 s of
      // CPU to load): on CI's two cores loading them again for each file took 10 of 20 minutes.
      // Each file still starts its own servers and temp directories and closes them.
      { extends: true, test: { name: 'shared', isolate: false, include: ALL, exclude: [...configDefaults.exclude, ...OWN_MODULES] } },
      { extends: true, test: { name: 'own-modules', include: OWN_MODULES } },
    ],
  },
});
