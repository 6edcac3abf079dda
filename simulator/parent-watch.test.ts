/**
 * The simulator named a parent that is not its own parent process (as in the Electron app, whose
 * utility process may hang from another process than the console's): it ends once that parent is
 * gone, and frees its port. The parent here is a plain `sleep`, killed with SIGKILL; the simulator
 * is the real CLI in its own process.
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARENT_ENV } from './parent-watch.js';

const here = dirname(fileURLToPath(import.meta.url));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function endpointOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /^(opc\.tcp:\/\/\S+)$/m.exec(text);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before its endpoint: ${text}`)));
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('simulator parent watch', () => {
  it('ends the simulator once the console it names is gone, though that is not its parent process', { timeout: 120_000 }, async () => {
    const console_ = spawn('sleep', ['600'], { stdio: 'ignore' });
    const sim = spawn(process.execPath, ['--import', 'tsx', join(here, 'cli.ts'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, [PARENT_ENV]: String(console_.pid) },
    });
    try {
      const endpoint = await endpointOf(sim);
      const port = Number(/:(\d+)(\/|$)/.exec(endpoint.replace('opc.tcp://', ''))![1]);
      expect(await portFree(port)).toBe(false);
      console_.kill('SIGKILL');
      // SIGTERM from the watch: the simulator's clean stop (exit code 0).
      expect(await exited(sim)).toBe(0);
      expect(await portFree(port)).toBe(true);
    } finally {
      console_.kill('SIGKILL');
      sim.kill('SIGKILL');
    }
  });

  it('leaves the simulator running while that console lives', { timeout: 120_000 }, async () => {
    const console_ = spawn('sleep', ['600'], { stdio: 'ignore' });
    const sim = spawn(process.execPath, ['--import', 'tsx', join(here, 'cli.ts'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, [PARENT_ENV]: String(console_.pid) },
    });
    try {
      await endpointOf(sim);
      // Several polls of the watch (500 ms each), counted by the simulator's own stdout staying open.
      const stillRunning = await Promise.race([exited(sim).then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 3000))]);
      expect(stillRunning).toBe(true);
    } finally {
      console_.kill('SIGKILL');
      sim.kill('SIGKILL');
    }
  });
});
