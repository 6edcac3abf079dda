/**
 * A station for the kill -9 tests, as a child process: archives samples into
 * a real historian and forwards them with the real sync, until killed.
 *
 *   station-child.ts <data dir> <upstream url> <flavour> <samples per tag> [t0] [write timeout ms]
 *
 * Samples are numbered: a restart continues after the last one archived.
 * Prints `appended <i>` as it goes and `drained` once every sample is
 * appended and the upstream acknowledged everything archived.
 */
import { join } from 'node:path';
import { Historian } from '../../../../historian/index.js';
import { Good } from '../../../../historian/status.js';
import { syncConfigSchema, type Flavour } from '../../../shared/config/sync.js';
import { silentLogger } from '../../log.js';
import { SampleEncoder } from '../line-protocol/samples.js';
import { SyncService } from '../service.js';
import { SamplesStream } from '../streams/samples.js';
import type { OutboxStream } from '../streams/stream.js';
import { traits } from '../upstream/flavour.js';
import { drained } from './harness.js';

const [dir, url, flavour, total] = [process.argv[2]!, process.argv[3]!, process.argv[4] as Flavour, Number(process.argv[5])];
/** Samples start an hour ago, 10 ms apart: recent enough for any retention, never in the future. */
export const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;

const h = Historian.open(join(dir, 'archive'), { flushIntervalMs: 100 });
const base = { description: '', unit: 'm', compression: { kind: 'none' as const }, stepped: false, cycleMs: 0 };
h.defineTag({ ...base, name: 'A', kind: 'analog' }, 0);
h.defineTag({ ...base, name: 'D', kind: 'discrete', stepped: true }, 0);
h.defineTag({ ...base, name: 'X', kind: 'text', stepped: true }, 0);
const t0 = Number(process.argv[6] ?? T0);
const last = h.readRaw({ tags: 'A', start: 0, end: 8.64e15 }).rows.at(-1);
let i = last ? Math.round((last.t - t0) / 10) + 1 : 0;

const streams: OutboxStream[] = [];
const sync = await SyncService.start({
  config: syncConfigSchema.parse({ upstreams: [{ id: 'region', url, flavour, database: 't', batch: { lines: 400 }, flushIntervalMs: 100, timeoutMs: Number(process.argv[7] ?? 60_000) }] }),
  dataDir: dir,
  log: silentLogger(),
  backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 },
  streams: (u) => {
    const tr = traits[u.flavour];
    const enc = new SampleEncoder({ measurement: 'tf', site: 'N', dialect: tr.dialect, statusName: tr.stringFields, textAs: tr.stringFields ? 'field' : 'tag' });
    const s = new SamplesStream(h, enc, () => 'Area1');
    streams.push(s);
    return [s];
  },
});

let said = false;
function step(): void {
  const end = Math.min(total, i + 40);
  for (; i < end; i++) {
    const t = t0 + i * 10;
    h.append('A', [{ t, value: i * 0.5, status: Good }]);
    h.append('D', [{ t, value: i % 3 === 0, status: Good }]);
    h.append('X', [{ t, value: `lot ${i % 11}`, status: Good }]);
  }
  process.stdout.write(`appended ${i}\n`);
  if (i < total) { setTimeout(step, 10); return; }
  h.flush();
  if (!said && drained(sync.store, 'region', streams)) {
    said = true;
    process.stdout.write('drained\n');
  }
  setTimeout(step, 50);
}
step();
