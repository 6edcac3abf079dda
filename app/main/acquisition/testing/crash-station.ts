/**
 * A station in a process of its own, for tests to kill with SIGKILL (crash-child.ts): started on
 * `<dir>` with the YAML in `<dir>/crash.yaml` and an archive, it prints `live` once values flow.
 * With `crashOnGap` (crash-child.ts) it kills itself the moment the ledger tells of a gap of that
 * cause: the wrong moment for whatever the station writes after the gap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerEntry } from '../../../shared/api.js';
import { capacityRetry } from '../server-link.js';
import { startTestStation, until } from './harness.js';

const dir = process.argv[2]!;
const crashOnGap = process.env.VIGIL_TEST_CRASH_ON_GAP;
const retryMs = Number(process.env.VIGIL_TEST_CAPACITY_RETRY_MS ?? NaN);
if (Number.isFinite(retryMs)) capacityRetry.firstMs = retryMs;
const t = await startTestStation({ dir, yaml: readFileSync(join(dir, 'crash.yaml'), 'utf8'), archive: true });
if (crashOnGap) {
  t.station.events.subscribe((name, data) => {
    if (name === 'gaps.changed' && (data as LedgerEntry).cause === crashOnGap) process.kill(process.pid, 'SIGKILL');
  });
}
await until('live data', () => t.samples.filter((s) => s.status === 0).length > 5, 120_000);
process.stdout.write('live\n');
setInterval(() => undefined, 60_000);
