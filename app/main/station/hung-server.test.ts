/**
 * A server that hangs without closing its socket (SIGSTOP: the kernel keeps the TCP connection
 * open, nothing answers) must still turn every value bad: only the station's stale watchdog can
 * see it. The simulator runs as a child process so it can be frozen and thawed. Expected status
 * codes come from node-opcua's StatusCodes (OPC UA Part 4), not from the code under test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveValue, ServerState } from '../../shared/api.js';
import { badBadgeOf } from '../../shared/quality.js';
import { defaultConfigFile, repoRoot } from '../args.js';
import { silentLogger } from '../log.js';
import { loadStationConfig } from './config-file.js';
import { Station } from './station.js';

const STALE_AFTER_MS = 1500;
const BadNoCommunication = StatusCodes.BadNoCommunication.value;
const Good = StatusCodes.Good.value;

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The simulator CLI as a child process; resolves with its endpoint once it listens. */
function spawnSimulator(): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'simulator', 'cli.ts'), '--port', '0', '--seed', '5', '--tick-ms', '250'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      // The URL ends at a quote too: it may come first in the simulator's JSON log line, where \S+
      // ran on into the JSON (a path the endpoint check rightly refuses), as simulator-process.ts reads it.
      const m = /opc\.tcp:\/\/[^\s"']+/.exec(output);
      if (m) resolve({ child, endpoint: m[0] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    child.once('exit', (code, signal) => reject(new Error(`simulator exited (${code ?? signal}) before listening:\n${output.slice(-2000)}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGCONT'); // a frozen process would hold SIGTERM pending
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

describe('a hung server (SIGSTOP)', () => {
  let sim: ChildProcess;
  let station: Station;
  let dataDir: string;
  const states: ServerState[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-hung-'));
    const started = await spawnSimulator();
    sim = started.child;
    const base = loadStationConfig(defaultConfigFile);
    const config = { ...base, servers: [{ ...base.servers[0]!, endpoint: started.endpoint, staleAfterMs: STALE_AFTER_MS, security: { mode: 'None' as const, policy: 'None' as const } }] };
    // The child simulator makes its own certificate, which this station has not trusted: unsecured, as station.test does.
    station = new Station({ config, dataDir, logger: silentLogger(), simulator: true, shell: 'browser', displayPeriodMs: 100 });
    station.events.subscribe((name, data) => {
      if (name === 'servers.state') states.push(...(data as ServerState[]));
    });
    await station.start();
  }, 180_000); // a child simulator takes seconds to start, minutes on a loaded machine

  afterAll(async () => {
    await station?.stop();
    if (sim) await stopChild(sim);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const values = (): LiveValue[] => station.live.snapshot();

  it('marks every tag BadNoCommunication (COMM) within the stale limit, and recovers when it resumes', async () => {
    await until('every value good', () => values().every((v) => v.status === Good), 60_000);
    expect(values().length).toBeGreaterThan(10);

    sim.kill('SIGSTOP');
    // The socket stays open: only the watchdog notices. Generous timeout, no speed claim.
    await until('every value BadNoCommunication', () => values().every((v) => v.status === BadNoCommunication), STALE_AFTER_MS + 20_000);
    expect(states.at(-1)?.state).toBe('lost');
    expect(states.at(-1)?.lastError).toMatch(/no data or keep-alive/);
    // What the operator reads: the COMM badge on every value, the last known value kept beside it.
    expect(new Set(values().map((v) => badBadgeOf(v.status)))).toEqual(new Set(['COMM']));
    expect(values().filter((v) => v.lastGood != null).length).toBeGreaterThan(10);

    sim.kill('SIGCONT');
    await until('recovery', () => values().every((v) => v.status === Good), 60_000);
    expect(states.at(-1)?.state).toBe('connected');
  }, 180_000);
});
