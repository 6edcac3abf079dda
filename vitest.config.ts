import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,historian,simulator,bench,scripts}/**/*.test.ts'],
    setupFiles: ['historian/testing/property-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // OPC UA servers and SQLite files: keep files in separate processes.
    pool: 'forks',
    // Three at a time whatever the machine (Vitest's default leaves one core free: one file at a time
    // on CI's two cores). Most of a file's time here is waiting on servers, sockets and timers: with
    // two, the 566 files took 22.5 min of a 2-core machine's 30-minute CI run.
    maxWorkers: 3,
  },
});
