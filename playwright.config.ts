import { defineConfig } from '@playwright/test';

/**
 * The longest files (by their tests' times on CI, in seconds: layout 91, accounts 87, trends 81,
 * supervisor 70, locale-review 68, alarms 55), run first: a worker takes the next file in order as it
 * frees, and in the files' alphabetical order trends and supervisor came last, one worker running
 * trends' minute and a half alone while the other had finished. Longest first, the last files are
 * short ones and the two workers end together. Projects in this order keep their files in it; a
 * worker starts afresh once, when it moves from the first project to the second.
 */
const LONGEST = /[\\/](layout|accounts|trends|supervisor|locale-review|alarms)\.spec\.ts$/;

// Debian's Chromium, never a downloaded browser (this machine cannot fetch one).
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // Files two at a time (tests inside a file stay in order): every file starts its own simulator and
  // station on free ports, and on CI's two cores this takes ~8 of the ~11 minutes one at a time took.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  // Unnamed, so the list reporter's lines read as before ("e2e/x.spec.ts:12:1 › title").
  projects: [{ testMatch: LONGEST }, { testIgnore: LONGEST }],
  use: {
    browserName: 'chromium',
    viewport: { width: 1600, height: 900 },
    screenshot: 'only-on-failure',
    // A failed test keeps its trace (actions, console, network), its screenshot and its page's ARIA
    // snapshot (error-context.md). Not the trace's screencast and DOM snapshots: recorded for every
    // test, they took a quarter of the browser tests' CPU on CI's two cores.
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: false },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
});
