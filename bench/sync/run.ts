/**
 * `npm run bench -- sync [--json] [--quick]`: the sync against InfluxDB 1.x.
 *
 * 1. drain: an archive of N samples (10M; --quick 200k) as a backlog, sent by
 *    the real sync (change feed -> line protocol -> gzip -> one request in
 *    flight) into a fresh database: samples/s;
 * 2. plain: the same gzip'd batches, encoded beforehand, posted one at a time
 *    by a plain HTTP client into another database: the upstream's own limit;
 *    ratio = drain / plain (target >= 0.8);
 * 3. steady: a station process archiving 10k samples/s, with and without the
 *    sync: CPU of the process (target: the sync's share <= 5 % of one core),
 *    for values as instruments give them (6 significant digits: the target)
 *    and for full 17-digit doubles (the costliest to write; reported beside).
 * Targets are reported, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Historian } from '../../historian/index.js';
import { Good } from '../../historian/status.js';
import { silentLogger } from '../../app/main/log.js';
import { upstreamSchema } from '../../app/shared/config/sync.js';
import { UpstreamWorker } from '../../app/main/sync/deliver/worker.js';
import { body, parts } from '../../app/main/sync/deliver/batch.js';
import { Lines } from '../../app/main/sync/line-protocol/batch.js';
import { SampleEncoder } from '../../app/main/sync/line-protocol/samples.js';
import { SyncStore } from '../../app/main/sync/store/sync-store.js';
import { SamplesStream } from '../../app/main/sync/streams/samples.js';
import { InfluxServer } from '../../app/main/sync/testing/servers.js';
import { influxVersion } from '../historian/influx.js';

const began = performance.now();
const log = (msg: string) => process.stderr.write(`[bench sync +${((performance.now() - began) / 1000).toFixed(0)} s] ${msg}\n`);
const TAGS = 100;
const BATCH = 5000;

export async function runSyncBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, quick: { type: 'boolean' } } });
  const quick = values.quick === true;
  const samples = quick ? 200_000 : 10_000_000;
  const steadySec = quick ? 6 : 30;
  if (!influxVersion()) throw new Error('influxd is not installed (Debian package influxdb)');
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-sync-'));
  const influx = await InfluxServer.launch();
  try {
    await influx.createDatabase('drain');
    await influx.createDatabase('plain');
    await influx.createDatabase('steady');
    const h = buildArchive(join(root, 'archive'), samples);
    const encoder = () => new SampleEncoder({ measurement: 'tf', site: 'Bench', dialect: 'v1', statusName: true, textAs: 'field' });
    log('encoding the batches for the plain client');
    const bodies = await encodeAll(new SamplesStream(h, encoder(), () => 'Area1'));
    // Each phase starts with the upstream idle: after 10M points InfluxDB compacts for a while, and
    // the phase that came second would share the CPU with that (both phases are CPU-bound on 2 cores).
    await waitIdle(influx.pid);
    log(`plain: posting ${bodies.length} pre-encoded gzip batches`);
    const plainSec = await postAll(`${influx.url}/write?db=plain&precision=ms`, bodies);
    await waitIdle(influx.pid);
    log('drain: the sync sends the backlog');
    const drainSec = await drain(h, encoder, influx.url, join(root, 'sync.sqlite'));
    await h.close();
    log(`steady: a station at 10k samples/s for ${steadySec} s, with and without the sync, instrument values then full doubles`);
    const withSync = await steady(join(root, 'steady-sync'), influx.url, steadySec, true, 'instrument');
    const archiveOnly = await steady(join(root, 'steady-archive'), influx.url, steadySec, false, 'instrument');
    const doublesWithSync = await steady(join(root, 'steady-sync-d'), influx.url, steadySec, true, 'double');
    const doublesArchiveOnly = await steady(join(root, 'steady-archive-d'), influx.url, steadySec, false, 'double');
    const out = {
      bench: 'sync', quick, influx: influxVersion(), samples, tags: TAGS, batchLines: BATCH,
      drain: { seconds: drainSec, samplesPerSec: samples / drainSec },
      plain: { seconds: plainSec, samplesPerSec: samples / plainSec },
      ratio: plainSec / drainSec,
      steady: {
        samplesPerSec: 10_000, seconds: steadySec, values: '6 significant digits', cpuWithSync: withSync, cpuArchiveOnly: archiveOnly, syncShare: withSync - archiveOnly,
        doubles: { values: 'full 17-digit doubles', cpuWithSync: doublesWithSync, cpuArchiveOnly: doublesArchiveOnly, syncShare: doublesWithSync - doublesArchiveOnly },
      },
      targets: { ratio: 0.8, syncShareOfOneCore: 0.05 },
    };
    process.stdout.write([
      `sync benchmark${quick ? ' (quick)' : ''}: ${samples.toLocaleString('en')} samples, ${TAGS} tags, batches of ${BATCH} lines, ${out.influx}`,
      `  drain by the sync      ${out.drain.samplesPerSec.toFixed(0).padStart(10)} samples/s  (${drainSec.toFixed(1)} s)`,
      `  plain HTTP client      ${out.plain.samplesPerSec.toFixed(0).padStart(10)} samples/s  (${plainSec.toFixed(1)} s)`,
      `  ratio                  ${out.ratio.toFixed(2).padStart(10)}              (target >= 0.8)`,
      `  steady 10k samples/s   CPU ${(withSync * 100).toFixed(1)} % of a core with the sync, ${(archiveOnly * 100).toFixed(1)} % archiving only:` +
        ` the sync's share ${(out.steady.syncShare * 100).toFixed(1)} % (target <= 5 %)`,
      `    full doubles         CPU ${(doublesWithSync * 100).toFixed(1)} % with the sync, ${(doublesArchiveOnly * 100).toFixed(1)} % archiving only:` +
        ` the sync's share ${(out.steady.doubles.syncShare * 100).toFixed(1)} %`,
      '',
    ].join('\n'));
    if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await influx.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

/** N samples over TAGS analog tags, 1 s apart per tag, ending now; archived as they are. */
function buildArchive(dir: string, n: number): Historian {
  const h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
  const perTag = Math.ceil(n / TAGS);
  const t0 = Math.floor(Date.now() / 1000) * 1000 - perTag * 1000;
  for (let k = 0; k < TAGS; k++) h.defineTag({ name: `Area1.T${k}.Level`, kind: 'analog', description: '', unit: 'm', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
  let written = 0;
  for (let i = 0; i < perTag && written < n; i += 1000) {
    for (let k = 0; k < TAGS && written < n; k++) {
      const m = Math.min(1000, perTag - i, n - written);
      const batch = Array.from({ length: m }, (_, j) => ({ t: t0 + (i + j) * 1000, value: Math.round(Math.sin((i + j) / 300 + k) * 1e4) / 100, status: Good }));
      h.append(`Area1.T${k}.Level`, batch);
      written += m;
    }
    h.flush();
  }
  h.flush();
  log(`archive: ${written.toLocaleString('en')} samples`);
  return h;
}

async function encodeAll(stream: SamplesStream): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let cursor: string | null = null; ;) {
    const lines = new Lines();
    const r = stream.read(cursor, BATCH, null, lines);
    for (const [a, b] of parts(lines, 0, BATCH, 1024 * 1024)) out.push(await body(lines, a, b, 1)); // the upstream's default gzip level
    cursor = r.cursor;
    if (!r.more) return out;
  }
}

async function postAll(url: string, bodies: Buffer[]): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const start = performance.now();
  for (const b of bodies) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'Content-Encoding': 'gzip', 'Content-Length': String(b.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(b);
    });
    if (status !== 204) throw new Error(`plain client: HTTP ${status}`);
  }
  agent.destroy();
  return (performance.now() - start) / 1000;
}

async function drain(h: Historian, encoder: () => SampleEncoder, url: string, file: string): Promise<number> {
  const store = SyncStore.open(file);
  const stream = new SamplesStream(h, encoder(), () => 'Area1');
  const config = upstreamSchema.parse({ id: 'bench', url, flavour: 'influxdb1', database: 'drain', drainRateLimit: 0, flushIntervalMs: 200 });
  const worker = new UpstreamWorker({ config, store, streams: [stream], log: silentLogger(), secret: null, onLoss: (s, d) => { throw new Error(`${s}: ${d}`); } });
  const head = stream.head();
  const start = performance.now();
  worker.start();
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const wm = store.watermark('bench', 'samples');
    const at = wm.split === null ? wm.cursor : null;
    if (at !== null && stream.compare(at, head) >= 0 && !store.inflight('bench')) break;
    if (worker.status().lastError && worker.status().state === 'paused') throw new Error(`drain paused: ${worker.status().lastError!.message}`);
  }
  const sec = (performance.now() - start) / 1000;
  await worker.stop();
  store.close();
  return sec;
}

/** Waits (up to 3 min) until a process uses < 5 % of a core over 3 s running: its background work (compactions) is done. */
async function waitIdle(pid: number | undefined): Promise<void> {
  if (pid === undefined) throw new Error('the upstream process is not running');
  const ticks = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 a second)
  };
  const start = performance.now();
  let quiet = 0, last = ticks();
  while (quiet < 3 && performance.now() - start < 180_000) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = ticks();
    quiet = now - last < 5 ? quiet + 1 : 0;
    last = now;
  }
  log(`upstream idle after ${((performance.now() - start) / 1000).toFixed(0)} s`);
}

/** CPU (fraction of one core) of a station process archiving 10k samples/s, with or without the sync. */
function steady(dir: string, url: string, seconds: number, withSync: boolean, values: 'instrument' | 'double'): Promise<number> {
  const child = fileURLToPath(new URL('./steady-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, url, String(seconds), withSync ? 'sync' : 'archive', values], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('exit', (code) => {
      const m = /cpu (\S+)/.exec(out);
      if (code !== 0 || !m) reject(new Error(`steady child exited ${code}: ${out}`));
      else resolve(Number(m[1]));
    });
  });
}
