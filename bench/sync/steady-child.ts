/**
 * The steady-state part of the sync benchmark, in its own process so its CPU
 * is its own: archives 10k samples/s (100 tags x 100/s) into a historian and,
 * with "sync", forwards them to InfluxDB with the real sync service.
 *
 *   steady-child.ts <dir> <influx url> <seconds> sync|archive [instrument|double]
 *
 * Values: "instrument" (default) as instruments give them, 6 significant digits
 * (a level of 9-15 m: 12.3457), like the real process data of issue 12;
 * "double" full 17-digit doubles, the costliest text to write and to gzip.
 *
 * Prints `cpu <fraction of one core>` over the measured window (after 2 s of warm-up).
 */
import { Historian } from '../../historian/index.js';
import { Good } from '../../historian/status.js';
import { silentLogger } from '../../app/main/log.js';
import { syncConfigSchema } from '../../app/shared/config/sync.js';
import { SampleEncoder } from '../../app/main/sync/line-protocol/samples.js';
import { SyncService } from '../../app/main/sync/service.js';
import { SamplesStream } from '../../app/main/sync/streams/samples.js';
import { join } from 'node:path';

const [dir, url, seconds, mode, shape = 'instrument'] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), process.argv[5], process.argv[6]];
const valueOf = shape === 'double' ? (x: number) => Math.sin(x) : (x: number) => Number((12 + 3 * Math.sin(x)).toPrecision(6));
const TAGS = 100, TICK_MS = 10; // one sample per tag every 10 ms: 100 x 100/s = 10k samples/s

const h = Historian.open(join(dir, 'archive'));
for (let k = 0; k < TAGS; k++) h.defineTag({ name: `T${k}`, kind: 'analog', description: '', unit: 'm', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
const sync = mode === 'sync' ? await SyncService.start({
  config: syncConfigSchema.parse({ upstreams: [{ id: 'region', url, flavour: 'influxdb1', database: 'steady' }] }),
  dataDir: dir,
  log: silentLogger(),
  streams: () => [new SamplesStream(h, new SampleEncoder({ measurement: 'tf', site: 'Bench', dialect: 'v1', statusName: true, textAs: 'field' }), () => 'Area1')],
}) : null;

let tick = 0;
const start = Date.now();
const timer = setInterval(() => {
  // Ticks due by now: a steady 10k/s whatever the timer's jitter.
  const due = Math.floor((Date.now() - start) / TICK_MS);
  for (; tick < due; tick++) {
    const t = start + tick * TICK_MS;
    for (let k = 0; k < TAGS; k++) h.append(`T${k}`, [{ t, value: valueOf(tick / 1000 + k), status: Good }]);
  }
}, TICK_MS);

await new Promise((r) => setTimeout(r, 2000));
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - wall0;
clearInterval(timer);
process.stdout.write(`cpu ${((cpu.user + cpu.system) / 1000 / wall).toFixed(4)}\n`);
await sync?.stop();
await h.close();
process.exit(0);
