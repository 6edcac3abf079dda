/**
 * A program busy when it is told to stop (a station in the middle of a commit, an import checking a
 * table): it blocks its event loop for a while at a time, and on SIGTERM or SIGINT writes which signal
 * it was handed and exits 0. Run by launch.test.ts with each package script's runner.
 */
import { writeFileSync } from 'node:fs';

const [, , out] = process.argv;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    writeFileSync(out!, signal);
    process.exit(0);
  });
}
writeFileSync(`${out!}.ready`, String(process.pid));
const busy = (): void => {
  const until = Date.now() + 400;
  while (Date.now() < until) { /* a synchronous stretch, as a large SQLite transaction is */ }
  setTimeout(busy, 1);
};
busy();
