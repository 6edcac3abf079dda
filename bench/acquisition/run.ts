/**
 * `npm run bench -- acquisition [--json] [--quick] [--tags N] [--seconds S] [--security none|encrypt]`:
 * the simulator (a child process) with N extra tags changing every second
 * feeds the station (another child process, as in production: archive and
 * console server); a console client on the WebSocket times every value it is
 * pushed. Reported: samples/s sustained, the station's CPU (% of one core)
 * and peak RSS, latency source time -> historian commit and -> console, p50
 * and p99; against a bare node-opcua client on the same tags, run in the same
 * bench after it (the baseline). Targets are reported, never asserted.
 * VIGIL_BENCH_PROF=FILE writes a V8 CPU profile of the station child over the measurement window
 * (steady state, not start-up), VIGIL_BENCH_HEAP=FILE a heap snapshot of it at the end of it;
 * VIGIL_BENCH_STATION_FLAGS="--max-old-space-size=320" runs it with those Node flags.
 * VIGIL_BENCH_ARCHIVE=off: the station takes and times every sample but does not archive it (a diagnosis, not a result).
 * VIGIL_BENCH_PIPELINE=N: the station's client keeps N Publish requests at the server, not node-opcua's 5 (a diagnosis).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { silentLogger } from '../../app/main/log.js';
import { simulatorCertificate, startSimulatorProcess } from '../../app/main/station/simulator-process.js';
import { extraTagName } from '../../simulator/model/catalog.js';
import { Histogram } from './histogram.js';
import { BurstLatency, type SlowBurst } from './bursts.js';
import type { Stall } from './station-child.js';

const here = new URL('.', import.meta.url).pathname;
const began = performance.now();
const log = (msg: string) => process.stderr.write(`[bench acquisition +${((performance.now() - began) / 1000).toFixed(0)} s] ${msg}\n`);

interface ChildReport { samples: number; seconds: number; cpuPercent: number; rssMB: number; heapMB?: number }

export async function runAcquisitionBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, tags: { type: 'string' }, seconds: { type: 'string' }, security: { type: 'string' } },
  });
  const quick = values.quick === true;
  const tags = Number(values.tags ?? (quick ? 1000 : 10_000));
  const seconds = Number(values.seconds ?? (quick ? 15 : 60));
  const secure = (values.security ?? 'encrypt') !== 'none';
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-acq-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    log(`simulator with ${tags} extra tags, 1 Hz`);
    const simPki = join(root, 'sim');
    const sim = await startSimulatorProcess({
      port: 0, seed: 1, logger: silentLogger(), timeoutMs: 300_000,
      extraArgs: ['--extra-tags', String(tags), '--tick-ms', '1000', '--history', '0', '--pki-dir', simPki],
    });
    stops.push(() => sim.stop());
    const names = Array.from({ length: tags }, (_, i) => extraTagName(i, tags));
    const configFile = join(root, 'station.yaml');
    writeFileSync(configFile, stationYaml(sim.endpoint, names, secure));

    log('station (child process) subscribing');
    const station = await child('station-child.ts', { type: 'start', configFile, dataDir: join(root, 'data'), trust: secure ? [readFileSync(simulatorCertificate(simPki), 'utf8')] : [] });
    stops.push(() => station.stop());
    const consoleLatency = new Histogram();
    const bursts = new BurstLatency();
    const ws = new WebSocket(`${station.url!.replace('http', 'ws')}api`, { origin: station.url!.replace(/\/$/, '') });
    // A request at once, as a console makes: the station closes a socket that sends none within its first-call time.
    ws.once('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'session.current', params: {} })));
    const goodTags = new Set<string>();
    let measuring = false;
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { type: string; name?: string; data?: { tag: string; t: number; status: number }[] };
      if (msg.type !== 'event' || msg.name !== 'live.values') return;
      const now = Date.now();
      for (const v of msg.data!) {
        if (v.status !== 0) continue;
        goodTags.add(v.tag);
        if (measuring) {
          consoleLatency.add(now - v.t);
          bursts.add(v.t, now - v.t);
        }
      }
    });
    await waitFor(`every tag good on the console (${tags})`, () => goodTags.size >= tags, 600_000);
    log('warming up 5 s');
    await sleep(5000);
    station.send({ type: 'measure' });
    measuring = true;
    log(`measuring ${seconds} s`);
    await sleep(seconds * 1000);
    measuring = false;
    const s = await station.report<ChildReport & { commit: ReturnType<Histogram['summary']>; received: ReturnType<Histogram['summary']>; eventLoopDelayMs: { p50: number; p99: number; max: number }; stalls: Stall[] }>();
    ws.close();
    await station.stop();
    stops.pop();

    log('baseline: a bare node-opcua client on the same tags');
    const bare = await child('bare-child.ts', { type: 'start', endpoint: sim.endpoint, nodeIds: names.map((n) => `ns=1;s=${n}`), secure });
    stops.push(() => bare.stop());
    await sleep(5000);
    bare.send({ type: 'measure' });
    await sleep(seconds * 1000);
    const b = await bare.report<ChildReport & { latency: ReturnType<Histogram['summary']> }>();

    const out = {
      bench: 'acquisition',
      quick,
      tags,
      seconds,
      security: secure ? 'SignAndEncrypt Basic256Sha256' : 'None',
      samplesPerSecond: s.samples / s.seconds,
      station: { cpuPercent: s.cpuPercent, rssMB: s.rssMB, heapMB: s.heapMB, eventLoopDelayMs: s.eventLoopDelayMs },
      latencyMs: { sourceToStation: s.received, sourceToCommit: s.commit, sourceToConsole: consoleLatency.summary() },
      slowestBursts: bursts.slowest(s.stalls, 5),
      baseline: { bareClient: { samplesPerSecond: b.samples / b.seconds, cpuPercent: b.cpuPercent, rssMB: b.rssMB, sourceToClientMs: b.latency } },
      ratios: {
        stationCpuVsBareClient: b.cpuPercent > 0 ? s.cpuPercent / b.cpuPercent : null,
        samplesVsBareClient: b.samples > 0 ? s.samples / s.seconds / (b.samples / b.seconds) : null,
      },
    };
    const floorOfEveryTick = (tags * (seconds - 1)) / seconds;
    const targets = {
      // Every tag changes once a second; the window's two edges may cut one change of each tag, never more.
      samplesPerSecond: { target: `≥ ${Math.ceil(floorOfEveryTick)} (${tags} tags at 1 Hz, less one change per tag at the window's edges)`, met: out.samplesPerSecond >= floorOfEveryTick },
      cpuPercent: { target: '≤ 25 % of one core', met: s.cpuPercent <= 25 },
      rssMB: { target: '≤ 400 MB', met: s.rssMB <= 400 },
      p99SourceToConsoleMs: { target: '≤ 250 ms at a 100 ms publishing interval', met: (out.latencyMs.sourceToConsole.p99 ?? Infinity) <= 250 },
    };
    const result = { ...out, targets };
    process.stdout.write(`${report(result)}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => log(`stop failed: ${(err as Error).message}`));
    rmSync(root, { recursive: true, force: true });
  }
}

function stationYaml(endpoint: string, names: string[], secure: boolean): string {
  return `station: { name: Bench, defaultCompression: { kind: none } }
servers:
  - id: sim
    endpoint: "${endpoint}"
    security: ${secure ? '{ mode: SignAndEncrypt, policy: Basic256Sha256 }' : '{ mode: None, policy: None }'}
    staleAfterMs: 10000
    backfill: false
    groups: [{ id: load, samplingIntervalMs: 0, publishingIntervalMs: 100 }]
areas: [{ id: Extra, name: Load }]
tags:
${names.map((n) => `  - { name: ${n}, server: sim, nodeId: "ns=1;s=${n}", kind: analog, area: Extra, group: load }`).join('\n')}
`;
}

interface Child {
  url?: string;
  send(msg: object): void;
  report<T>(): Promise<T>;
  stop(): Promise<void>;
}

/** A bench child over IPC, run with the same TypeScript loader. */
function child(file: string, start: object): Promise<Child> {
  const proc: ChildProcess = fork(join(here, file), [], { execArgv: ['--import', 'tsx', ...(process.env.VIGIL_BENCH_STATION_FLAGS && file.includes('station') ? process.env.VIGIL_BENCH_STATION_FLAGS.split(' ') : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
    const on = (m: Record<string, unknown>) => {
      if (m.type === 'error') reject(new Error(String(m.message)));
      else if (m.type === type) resolve(m);
      else return;
      proc.off('message', on);
    };
    proc.on('message', on);
    proc.once('exit', (code) => reject(new Error(`${file} exited (${code}) before '${type}'`)));
  });
  const ready = next('ready');
  proc.send(start);
  return ready.then((m) => ({
    url: m.url as string | undefined,
    send: (msg) => proc.send(msg),
    report: <T>() => {
      const r = next('report');
      proc.send({ type: 'report' });
      return r as Promise<T>;
    },
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      proc.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      proc.send({ type: 'stop' });
    }),
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function report(r: Record<string, unknown> & { targets: Record<string, { target: string; met: boolean }> }): string {
  const x = r as unknown as {
    tags: number; seconds: number; security: string; samplesPerSecond: number; station: { cpuPercent: number; rssMB: number; heapMB: number; eventLoopDelayMs: { p50: number; p99: number; max: number } };
    latencyMs: { sourceToStation: { p50: number | null; p99: number | null }; sourceToCommit: { p50: number | null; p99: number | null }; sourceToConsole: { p50: number | null; p99: number | null } };
    baseline: { bareClient: { samplesPerSecond: number; cpuPercent: number; sourceToClientMs: { p50: number | null; p99: number | null } } };
    ratios: { stationCpuVsBareClient: number | null };
    slowestBursts: SlowBurst[];
  };
  const f = (n: number | null, d = 1) => (n === null ? '—' : n.toFixed(d));
  return [
    `acquisition: ${x.tags} tags at 1 Hz for ${x.seconds} s, ${x.security}`,
    `  station        ${f(x.samplesPerSecond, 0)} samples/s   CPU ${f(x.station.cpuPercent)} % of a core   RSS ${f(x.station.rssMB, 0)} MB (JS heap ${f(x.station.heapMB, 0)} MB)`,
    `                 event loop held up p50 ${f(x.station.eventLoopDelayMs.p50, 0)} ms p99 ${f(x.station.eventLoopDelayMs.p99, 0)} ms max ${f(x.station.eventLoopDelayMs.max, 0)} ms`,
    `  latency        source -> station p50 ${f(x.latencyMs.sourceToStation.p50, 0)} ms p99 ${f(x.latencyMs.sourceToStation.p99, 0)} ms;` +
      ` -> commit p50 ${f(x.latencyMs.sourceToCommit.p50, 0)} ms p99 ${f(x.latencyMs.sourceToCommit.p99, 0)} ms;` +
      ` -> console p50 ${f(x.latencyMs.sourceToConsole.p50, 0)} ms p99 ${f(x.latencyMs.sourceToConsole.p99, 0)} ms`,
    `  bare client    ${f(x.baseline.bareClient.samplesPerSecond, 0)} samples/s   CPU ${f(x.baseline.bareClient.cpuPercent)} %   ` +
      `source -> client p50 ${f(x.baseline.bareClient.sourceToClientMs.p50, 0)} ms p99 ${f(x.baseline.bareClient.sourceToClientMs.p99, 0)} ms`,
    `  station / bare client CPU: ${f(x.ratios.stationCpuVsBareClient, 2)} x`,
    '  slowest bursts to the console (last value; what held the station meanwhile, ms after the source time):',
    ...x.slowestBursts.map((b) => `    ${new Date(b.t).toISOString().slice(11, 19)} ${b.maxMs} ms: ${b.during.map((d) => `${d.what} ${d.ms} ms at +${d.afterMs}`).join(', ') || 'nothing over 10 ms'}`),
    ...Object.entries(r.targets).map(([k, v]) => `  target ${k}: ${v.target}: ${v.met ? 'met' : 'NOT met'}`),
  ].join('\n');
}
