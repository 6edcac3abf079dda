/**
 * `npm start` in browser mode is the station's supervisor (app/main/supervisor.ts): the built
 * dist/main/start.cjs run as a real process, its station child killed the way the out-of-memory
 * killer kills it. The station comes back on the same URL with the archive's lock, the built-in
 * simulator is neither orphaned nor doubled, the trail and the console say so; a station that hangs
 * (stopped: SIGSTOP, no sign of life) is killed and restarted alike; a stop stops all of it cleanly; a
 * config error is not restarted.
 */
import { test, expect } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stationEntry } from './plant.js';
import { closedPort } from './closed-port.js';
import { alive } from '../app/main/testing/process-alive.js';

const root = new URL('..', import.meta.url).pathname;

interface Supervised {
  child: ChildProcess;
  /** Everything it and its station wrote (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
}

function supervise(args: string[], env: NodeJS.ProcessEnv = {}): Supervised {
  const child = spawn(process.execPath, [stationEntry, '--browser', '--log-level', 'warn', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function consoleUrl(s: Supervised): Promise<string> {
  await expect.poll(() => /Vigil console: (http:\S+)/.exec(s.output())?.[1] ?? null, { timeout: 90_000 }).not.toBeNull();
  return /Vigil console: (http:\S+)/.exec(s.output())![1]!;
}

/** The pids of a process's children (pgrep: the kernel's word, not the supervisor's). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

const lockOwner = (data: string): number | null => {
  const file = join(data, 'archive', 'writer.lock');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : null;
};

/** SQLite files left with a write-ahead log: a station that did not close its databases. */
function walFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('-wal'));
}

let dir = '';
let running: Supervised | null = null;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-supervisor-'));
});
test.afterEach(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  running = null;
  rmSync(dir, { recursive: true, force: true });
});

/** The hang limit of the first test: short, yet far above any synchronous work of a serving station. */
const HANG_LIMIT_S = 5;

test('a station killed with SIGKILL, then one hung, comes back on the same URL with the archive lock; the trail and the console say so', async ({ page }) => {
  test.setTimeout(150_000);
  const data = join(dir, 'data');
  const s = (running = supervise(['--port', '0', '--simulator-port', String(await closedPort()), '--data', data], { VIGIL_HANG_LIMIT_S: String(HANG_LIMIT_S) }));
  const url = await consoleUrl(s);
  const [station] = childrenOf(s.child.pid!);
  expect(station).toBeDefined();
  expect(lockOwner(data)).toBe(station);
  const [simulator] = childrenOf(station!);
  expect(simulator).toBeDefined();
  await page.goto(url);
  await expect(page.getByTestId('link-lost')).toHaveCount(0);
  await expect(page.getByTestId('station-restarted')).toHaveCount(0);

  process.kill(station!, 'SIGKILL');
  // A new station, serving the same URL, owning the archive's lock (its dead owner's taken over).
  await expect.poll(() => childrenOf(s.child.pid!).find((p) => p !== station) ?? null, { timeout: 60_000 }).not.toBeNull();
  const [next] = childrenOf(s.child.pid!);
  await expect.poll(() => lockOwner(data), { timeout: 90_000 }).toBe(next);
  // The simulator died with its station (simulator/parent-watch.ts); the new station has one of its own.
  await expect.poll(() => alive(simulator!), { timeout: 30_000 }).toBe(false);
  await expect.poll(() => childrenOf(next!).length, { timeout: 60_000 }).toBe(1);
  // The console reconnects by itself to the same URL and says what happened.
  const band = page.getByTestId('station-restarted');
  await expect(band).toBeVisible({ timeout: 90_000 });
  const servingSeen = performance.now();
  expect(page.url()).toBe(url);

  const audit = new Database(join(data, 'audit.sqlite'), { readonly: true, fileMustExist: true });
  const entries = audit.prepare("SELECT detail FROM audit WHERE action = 'station.restartedAfterFault'").all() as { detail: string }[];
  audit.close();
  expect(entries).toHaveLength(1);
  const m = /^restarted after a fault at (\S+) \(restart 1\): killed by SIGKILL/.exec(entries[0]!.detail);
  expect(m).not.toBeNull();
  // The fault's time in the page's zone, as a 24-hour clock reads it in English and Russian alike.
  const time = await page.evaluate((ms) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms), Date.parse(m![1]!));
  await expect(band).toContainText(`STATION RESTARTED AFTER A FAULT at ${time}`);
  await expect(band).toContainText('The station was killed (SIGKILL).');
  await page.getByTestId('language').selectOption('ru');
  await expect(band).toContainText(`СТАНЦИЯ ПЕРЕЗАПУЩЕНА ПОСЛЕ СБОЯ в ${time}`);
  await expect(band).toContainText('Процесс станции был завершён принудительно (SIGKILL).');
  await page.getByTestId('station-restarted-dismiss').click();
  await expect(band).toHaveCount(0);
  // Read and dismissed on this console: a reload does not bring it back (the station still reports it).
  await page.reload();
  // The station's info is in (its name with it): the band would be drawn by now.
  await expect(page.getByTestId('station-name')).toHaveText('Tank Farm North', { timeout: 30_000 });
  await expect(band).toHaveCount(0);

  // Said once: the URL, printed by the supervisor; the crash and the restart in its log.
  expect(s.output().match(/Vigil console:/g)).toHaveLength(1);
  expect(s.output()).toMatch(/"signal":"SIGKILL".*"msg":"station crashed; restarting it"/);

  // A station that serves beats: past the hang limit it is still the one running.
  await expect.poll(() => performance.now() - servingSeen > (HANG_LIMIT_S + 1) * 1000, { timeout: 30_000 }).toBe(true);
  expect(childrenOf(s.child.pid!)).toEqual([next]);
  expect(s.output()).not.toContain('station hung');
  // A station stopped (SIGSTOP: its event loop runs no more, as in an endless loop) sends no sign of
  // life: after the hang limit it is killed and restarted, its simulator with it.
  const [nextSimulator] = childrenOf(next!);
  expect(nextSimulator).toBeDefined();
  process.kill(next!, 'SIGSTOP');
  await expect.poll(() => childrenOf(s.child.pid!).find((p) => p !== next) ?? null, { timeout: 60_000 }).not.toBeNull();
  const [third] = childrenOf(s.child.pid!);
  await expect.poll(() => alive(next!), { timeout: 30_000 }).toBe(false);
  await expect.poll(() => lockOwner(data), { timeout: 90_000 }).toBe(third);
  await expect.poll(() => alive(nextSimulator!), { timeout: 30_000 }).toBe(false);
  await expect.poll(() => childrenOf(third!).length, { timeout: 60_000 }).toBe(1);
  // A later fault: the band is back, saying the station hung, in the language chosen.
  await expect(band).toContainText(`нет признаков работы в течение ${HANG_LIMIT_S}\u00a0с`, { timeout: 90_000 });
  await expect(band).toContainText('Станция перестала отвечать');
  await page.getByTestId('language').selectOption('en');
  await expect(band).toContainText(`The station stopped responding (no sign of life for ${HANG_LIMIT_S}\u00a0s) and was ended (SIGKILL).`);
  const audit2 = new Database(join(data, 'audit.sqlite'), { readonly: true, fileMustExist: true });
  const hung = audit2.prepare("SELECT detail FROM audit WHERE action = 'station.restartedAfterFault' ORDER BY seq").all() as { detail: string }[];
  audit2.close();
  expect(hung[1]?.detail).toMatch(new RegExp(`^restarted after a fault at \\S+ \\(restart 2\\): hung: no sign of life for ${HANG_LIMIT_S} s$`));
  expect(s.output()).toContain(`"msg":"station hung: no sign of life for ${HANG_LIMIT_S} s; killing it (SIGKILL)"`);

  // SIGTERM to the supervisor: the station stops cleanly (databases closed, the lock given back), then it.
  s.child.kill('SIGTERM');
  expect(await s.exited).toBe(0);
  expect(alive(third!)).toBe(false);
  await expect.poll(() => childrenOf(third!).some(alive) || [simulator!, nextSimulator!].some(alive), { timeout: 30_000 }).toBe(false);
  expect(walFiles(data)).toEqual([]);
  expect(lockOwner(data)).toBeNull();
});

test('a station whose supervisor is killed -9 stops cleanly by itself', async () => {
  const data = join(dir, 'data');
  const s = (running = supervise(['--port', '0', '--no-simulator', '--data', data]));
  await consoleUrl(s);
  const [station] = childrenOf(s.child.pid!);
  expect(lockOwner(data)).toBe(station);
  s.child.kill('SIGKILL');
  await s.exited;
  await expect.poll(() => alive(station!), { timeout: 60_000 }).toBe(false);
  expect(walFiles(data)).toEqual([]);
  expect(lockOwner(data)).toBeNull();
});

test('a config error is said once and not restarted: exit 2', async () => {
  const config = join(dir, 'station.yaml');
  writeFileSync(config, 'station:\n  name: [unclosed\n');
  const s = (running = supervise(['--port', '0', '--config', config, '--data', join(dir, 'data')]));
  expect(await s.exited).toBe(2);
  // The station's own message naming the file, once: one start; and nothing else said.
  expect(s.output()).toContain(config);
  expect(s.output().match(/invalid station config/g)).toHaveLength(1);
  expect(s.output()).not.toMatch(/restart|Vigil console/);
});
