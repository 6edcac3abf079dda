/**
 * A station in a process of its own, for tests to kill with SIGKILL (crash-child.ts): started on
 * `<dir>` with the YAML in `<dir>/crash.yaml` and an archive, it prints `live` once values flow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestStation, until } from './harness.js';

const dir = process.argv[2]!;
const t = await startTestStation({ dir, yaml: readFileSync(join(dir, 'crash.yaml'), 'utf8'), archive: true });
await until('live data', () => t.samples.filter((s) => s.status === 0).length > 5, 120_000);
process.stdout.write('live\n');
setInterval(() => undefined, 60_000);
