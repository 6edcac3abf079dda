/**
 * The supervisor with real child processes: a stand-in station (testing/fake-station.mjs) that
 * starts in milliseconds, so restarts, refusals and stops are seen without the whole station (the
 * real one under the real start.cjs: e2e/supervisor.spec.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './args.js';
import { createLogger, silentLogger } from './log.js';
import { Supervisor } from './supervisor.js';
import { restartDelayMs } from './restart-note.js';
import { alive } from './testing/process-alive.js';
import { limitFromEnv } from './liveness.js';
import { UsageError } from './args.js';

const FAKE = join(repoRoot, 'app', 'main', 'testing', 'fake-station.mjs');

interface Start { pid: number; argv: string[]; restart: string | null }
interface Stop { pid: number; stopped?: string; ignored?: string }
interface Beat { pid: number; beat: number }
type Line = Start | Stop | Beat;

/** The test's hang limit: the fake station beats every 100 ms (a quarter of it). */
const HANG_LIMIT_MS = 400;

let dir = '';
let supervisor: Supervisor | null = null;
afterEach(async () => {
  // Whatever a test left running is stopped and waited for.
  if (supervisor) {
    supervisor.stop('test end');
    await supervisor.done;
  }
  supervisor = null;
  rmSync(dir, { recursive: true, force: true });
});

function supervise(mode: string, more: { now?: () => number; logged?: string[]; stopLimitMs?: number } = {}): { lines: () => Line[]; urls: string[] } {
  dir = mkdtempSync(join(tmpdir(), 'vigil-supervisor-'));
  const log = join(dir, 'starts.jsonl');
  const urls: string[] = [];
  supervisor = new Supervisor({
    entry: FAKE, execArgv: [], argv: [log, mode], onServing: (url) => urls.push(url), delaysMs: [20, 40, 60], now: more.now,
    logger: more.logged ? createLogger({ destination: { write: (line: string) => void more.logged!.push(line) } }) : silentLogger(),
    env: { ...process.env, VIGIL_RESTART: '' }, hangLimitMs: HANG_LIMIT_MS, stopLimitMs: more.stopLimitMs,
  });
  supervisor.start();
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line) : []);
  return { lines, urls };
}

const starts = (lines: Line[]) => lines.filter((l): l is Start => 'argv' in l);

async function until<T>(what: string, f: () => T | undefined | false): Promise<T> {
  for (;;) {
    const v = f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
    if (!supervisor) throw new Error(`gave up waiting for ${what}`);
  }
}

describe('the station supervisor', () => {
  it('starts a station killed with SIGKILL again on the same port, telling it why; the URL is said once', async () => {
    const s = supervise('serve');
    const first = await until('the first start', () => starts(s.lines())[0]);
    await until('the first serving', () => s.urls.length === 1);
    process.kill(first.pid, 'SIGKILL');
    const second = await until('a restart', () => starts(s.lines())[1]);
    const port = new URL(s.urls[0]!).port;
    expect(second.argv.slice(-2)).toEqual(['--port', port]);
    const note = JSON.parse(second.restart!) as Record<string, unknown>;
    expect(note).toMatchObject({ restarts: 1, kind: 'signal', signal: 'SIGKILL', code: null });
    expect(note.detail).toMatch(/killed by SIGKILL/);
    expect(first.restart).toBeNull();
    await until('the restart serving', () => supervisor?.pid === second.pid);
    expect(s.urls).toHaveLength(1);
  });

  it('passes an uncaught exception\'s cause on to the restarted station', async () => {
    const s = supervise('fault');
    const second = await until('a restart', () => starts(s.lines())[1]);
    expect(JSON.parse(second.restart!)).toMatchObject({ restarts: 1, kind: 'exception', code: 70, detail: 'uncaught exception: Error: boom' });
  });

  it('does not restart a station that refused its first start, and ends with its code', async () => {
    const s = supervise('refuse');
    expect(await supervisor!.done).toBe(2);
    expect(starts(s.lines())).toHaveLength(1);
    supervisor = null;
  });

  it('stops the station with SIGTERM, waits for it, and restarts nothing', async () => {
    const s = supervise('serve');
    const first = await until('the first start', () => starts(s.lines())[0]);
    await until('serving', () => s.urls.length === 1);
    supervisor!.stop('SIGTERM');
    expect(await supervisor!.done).toBe(0);
    expect(s.lines()).toContainEqual({ pid: first.pid, stopped: 'SIGTERM' });
    expect(alive(first.pid)).toBe(false);
    expect(starts(s.lines())).toHaveLength(1);
    supervisor = null;
  });
});

describe('the liveness watch', () => {
  it('kills a serving station whose event loop stopped (SIGKILL) and restarts it, telling it it hung', async () => {
    const logged: string[] = [];
    const s = supervise('hang', { logged });
    const first = await until('the first start', () => starts(s.lines())[0]);
    const second = await until('a restart', () => starts(s.lines())[1]);
    // The first beat three times, then stopped its loop: it is gone, killed, not ended by itself.
    expect(s.lines().filter((l) => 'beat' in l && l.pid === first.pid)).toHaveLength(3);
    expect(alive(first.pid)).toBe(false);
    const note = JSON.parse(second.restart!) as Record<string, unknown>;
    expect(note).toEqual({ at: expect.any(Number), restarts: 1, kind: 'hung', code: null, signal: 'SIGKILL', silentMs: 400, detail: 'hung: no sign of life for 0.4 s' });
    const said = logged.map((l) => JSON.parse(l) as { msg: string; station?: number });
    expect(said).toContainEqual(expect.objectContaining({ msg: 'station hung: no sign of life for 0.4 s; killing it (SIGKILL)', station: first.pid }));
    expect(said).toContainEqual(expect.objectContaining({ msg: 'station killed, hung; restarting it', cause: 'hung: no sign of life for 0.4 s' }));
    // A station that beats is left alone: the restart beats on for many times the limit.
    await until('twelve beats of the restart', () => s.lines().some((l) => 'beat' in l && l.pid === second.pid && l.beat === 12));
    expect(starts(s.lines())).toHaveLength(2);
    expect(supervisor!.pid).toBe(second.pid);
  });
});

describe('the limits set in the environment', () => {
  it('are seconds above 0; unset is the default; anything else is refused like a flag', () => {
    expect(limitFromEnv({}, 'VIGIL_HANG_LIMIT_S', 30_000)).toBe(30_000);
    expect(limitFromEnv({ VIGIL_HANG_LIMIT_S: '2.5' }, 'VIGIL_HANG_LIMIT_S', 30_000)).toBe(2500);
    for (const bad of ['0', '-1', 'ten', 'Infinity']) expect(() => limitFromEnv({ VIGIL_HANG_LIMIT_S: bad }, 'VIGIL_HANG_LIMIT_S', 30_000)).toThrow(UsageError);
  });
});

describe('a stop', () => {
  it('kills a station that has not ended within the stop limit, and says so', async () => {
    const logged: string[] = [];
    const s = supervise('deaf', { logged, stopLimitMs: 300 });
    const first = await until('the first start', () => starts(s.lines())[0]);
    await until('serving', () => s.urls.length === 1);
    supervisor!.stop('SIGTERM');
    // Killed: not a clean stop (exit 1), and nothing restarted.
    expect(await supervisor!.done).toBe(1);
    expect(s.lines()).toContainEqual({ pid: first.pid, ignored: 'SIGTERM' });
    expect(alive(first.pid)).toBe(false);
    expect(logged.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('the station did not stop within 0.3 s of SIGTERM; killing it (SIGKILL)');
    expect(starts(s.lines())).toHaveLength(1);
    supervisor = null;
  });
});

describe('the pause before a restart', () => {
  it('grows with faults in a row and starts again from the first after a station ran ten minutes', async () => {
    let clock = 0;
    const logged: string[] = [];
    const s = supervise('serve', { now: () => clock, logged });
    const pauses = () => logged.map((l) => JSON.parse(l) as { restartInMs?: number }).flatMap((l) => (l.restartInMs === undefined ? [] : [l.restartInMs]));
    const killNth = async (n: number, ranMs: number) => {
      const start = await until(`start ${n}`, () => starts(s.lines())[n]);
      await until(`serving ${n}`, () => supervisor?.pid === start.pid);
      clock += ranMs;
      process.kill(start.pid, 'SIGKILL');
      await until(`pause ${n}`, () => pauses().length === n + 1);
    };
    await killNth(0, 1000);
    await killNth(1, 1000);
    await killNth(2, 1000);
    await killNth(3, 11 * 60_000);
    await killNth(4, 1000);
    expect(pauses()).toEqual([20, 40, 60, 20, 40]);
  });


  it('grows 1, 2, 5, 10, 30 s with faults in a row and stays at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => restartDelayMs(n))).toEqual([1000, 2000, 5000, 10_000, 30_000, 30_000, 30_000]);
  });
});
