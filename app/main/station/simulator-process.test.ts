/**
 * The built-in simulator is a real child process: a demo plant whose
 * simulator dies is started again on the same port, and stopping the
 * console stops it for good.
 */
import { describe, expect, it } from 'vitest';
import { OPCUAClient } from 'node-opcua';
import { silentLogger } from '../log.js';
import { createServer, type AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatorPortInUseError, startSimulatorProcess } from './simulator-process.js';
import { alive } from '../testing/process-alive.js';

async function reachable(endpoint: string): Promise<boolean> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
  try {
    await client.connect(endpoint);
    await client.disconnect();
    return true;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end).trim());
    });
    stream.once('end', () => reject(new Error(`no line from the holder: ${text}`)));
  });
}

const here = dirname(fileURLToPath(import.meta.url));

describe('simulator process', () => {
  it('starts the simulator again on the same port when it dies, and stops it for good on stop', { timeout: 240_000 }, async () => {
    const sim = await startSimulatorProcess({ port: 0, seed: 2, logger: silentLogger(), restartDelayMs: 200 });
    try {
      const first = sim.pid;
      expect(await reachable(sim.endpoint)).toBe(true);
      process.kill(first, 'SIGKILL');
      const deadline = Date.now() + 90_000;
      while ((sim.pid === first || !(await reachable(sim.endpoint))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(sim.pid).not.toBe(first);
      expect(await reachable(sim.endpoint)).toBe(true);
    } finally {
      await sim.stop();
    }
    expect(await reachable(sim.endpoint)).toBe(false);
  });

  it('a console killed with SIGKILL takes its simulator with it: the simulator stops and its port is free again', { timeout: 180_000 }, async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', join(here, 'testing', 'simulator-holder.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pid: string | undefined;
    try {
      const line = await firstLine(holder.stdout);
      const [endpoint, simulatorPid] = line.split(' ');
      pid = simulatorPid;
      const port = Number(/:(\d+)/.exec(endpoint!.replace('opc.tcp://', ''))![1]);
      expect(await reachable(endpoint!)).toBe(true);
      holder.kill('SIGKILL');
      // A few polls of the parent (500 ms each) and the simulator's clean stop: seconds on an idle machine,
      // more on a loaded one (ci-run145 saw over 5 s), so the wait is for the stop, not a time limit.
      const deadline = Date.now() + 60_000;
      while (alive(Number(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(alive(Number(pid))).toBe(false);
      expect(await portFree(port)).toBe(true);
    } finally {
      holder.kill('SIGKILL');
      // Without the watch the orphan would outlive the test run.
      if (pid !== undefined && alive(Number(pid))) process.kill(Number(pid), 'SIGKILL');
    }
  });

  it('a port another program holds: a SimulatorPortInUseError that names the address and the way out, no stack trace', { timeout: 120_000 }, async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as AddressInfo).port;
    try {
      const err = await startSimulatorProcess({ port, seed: 2, logger: silentLogger() }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(SimulatorPortInUseError);
      expect((err as Error).message).toBe(`the built-in simulator cannot listen on 127.0.0.1:${port}: the port is in use (another Vigil console, or another OPC UA server). ` +
        'Stop that program, or start this one with --simulator-port N (another port)');
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});
