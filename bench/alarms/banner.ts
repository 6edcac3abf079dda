/**
 * The console's part of the alarm latency: from the OPC UA server setting a
 * value beyond its limit to the banner in Chromium painting the row in
 * state B. The server (benchServer: one Double, ns=1;s=Bench.Value) runs in
 * this process, the station in its own (`npm start -- --browser`, as in
 * production), the console in Debian's Chromium. Both clocks are this
 * machine's wall clock: the bench stamps the set, the page stamps the first
 * animation frame after the row's state became B (the frame that paints it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { stringify } from 'yaml';
import { benchServer, percentile, type LatencyFigures, type LatencyOptions } from './latency.js';

const root = new URL('../..', import.meta.url).pathname;
const ROW = 'Bench.Value/limit';
const WARMUP = 2;

export async function measureBannerLatency(o: LatencyOptions): Promise<LatencyFigures | { skipped: string }> {
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) return { skipped: 'the console is not built (npm run build)' };
  if (!existsSync('/usr/bin/chromium')) return { skipped: '/usr/bin/chromium is not installed' };
  const publishingIntervalMs = o.publishingIntervalMs ?? 100;
  const server = await benchServer();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-banner-'));
  const configFile = join(dir, 'station.yaml');
  writeFileSync(
    configFile,
    stringify({
      station: { name: 'Bench' },
      servers: [{ id: 'bench', endpoint: server.endpoint, samplingIntervalMs: 0, publishingIntervalMs }],
      areas: [{ id: 'A', name: 'A' }],
      tags: [{ name: 'Bench.Value', server: 'bench', nodeId: 'ns=1;s=Bench.Value', kind: 'analog', area: 'A', unit: '%', range: [0, 100],
        alarms: { limits: { H: { value: 50, priority: 2, message: 'bench high' } } } }],
    }),
  );
  const station = spawn(process.execPath, ['--import', 'tsx', join(root, 'app/main/start.ts'), '--browser', '--port', '0', '--config', configFile, '--data', join(dir, 'data'), '--no-simulator', '--log-level', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const latencies: number[] = [];
  try {
    const url = await consoleUrl(station);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(url);
    // In the page: stamp each time the row turns B, at the frame that paints it.
    await page.evaluate((id) => {
      const w = window as unknown as { benchSeen: number[] };
      w.benchSeen = [];
      let last = '';
      new MutationObserver(() => {
        const state = document.querySelector(`[data-testid="banner-list"] [data-alarm-id="${id}"]`)?.getAttribute('data-state') ?? '';
        if (state === 'B' && last !== 'B') requestAnimationFrame(() => w.benchSeen.push(performance.timeOrigin + performance.now()));
        last = state;
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    }, ROW);
    const seen = () => page.evaluate(() => (window as unknown as { benchSeen: number[] }).benchSeen.length);
    const stateOf = () => page.locator(`[data-testid="banner-list"] [data-alarm-id="${ROW}"]`).getAttribute('data-state', { timeout: 100 }).catch(() => null);
    // The first value must have arrived, normal, before the clock runs.
    await page.waitForSelector('[data-testid="no-alarms"]', { timeout: 60_000 });
    // Two crossings first, not counted: the page's first row and the JIT are not what is measured.
    for (let i = -WARMUP; i < o.crossings; i++) {
      const before = await seen();
      const t0 = performance.timeOrigin + performance.now();
      server.set(60);
      await page.waitForFunction((n) => (window as unknown as { benchSeen: number[] }).benchSeen.length > n, before, { timeout: 10_000, polling: 20 });
      const t1 = await page.evaluate((n) => (window as unknown as { benchSeen: number[] }).benchSeen[n]!, before);
      if (i >= 0) latencies.push(t1 - t0);
      server.set(40);
      // Back to normal (the row shows RTN), then a random phase against the publishing cycle.
      for (let k = 0; k < 200 && (await stateOf()) === 'B'; k++) await sleep(20);
      await sleep(publishingIntervalMs * 2 + Math.random() * publishingIntervalMs);
    }
  } finally {
    await browser.close();
    await stop(station);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { crossings: sorted.length, publishingIntervalMs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1)!, measuredTo: 'banner' };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function consoleUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /Vigil console: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`station exited (${code}) before serving:\n${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
