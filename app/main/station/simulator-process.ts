/**
 * The built-in simulator runs as a child process, not inside the station:
 * the station then meets it exactly as it meets a real SIS (over a socket
 * that can die), and an operator or a test can stop it to see what a lost
 * server looks like.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { repoRoot } from '../args.js';

export interface SimulatorProcess {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** From sources (tsx) it runs simulator/cli.ts with the same loader; packaged, the bundled copy under Electron-as-Node. */
function command(): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const bundled = join(repoRoot, 'dist', 'simulator', 'cli.cjs');
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource && existsSync(bundled)) return { file: process.execPath, args: [bundled], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
  // Under tsx the same loader; under another runner (vitest) tsx explicitly.
  const loader = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'];
  return { file: process.execPath, args: [...loader, join(repoRoot, 'simulator', 'cli.ts')], env: process.env };
}

export interface SimulatorProcessOptions {
  port: number;
  seed: number;
  logger: Logger;
  /** Where the simulator keeps its certificate between runs (its PKI folder is <pkiDir>/PKI). */
  pkiDir?: string;
  /** Load tests: N more changing tags (Extra.Tag0001...), a tick period. */
  extraTags?: number;
  tickMs?: number;
  timeoutMs?: number;
}

/** The simulator's own certificate under its pkiDir (node-opcua's layout). */
export const simulatorCertificate = (pkiDir: string): string => join(pkiDir, 'PKI', 'own', 'certs', 'certificate.pem');

export function startSimulatorProcess(opts: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const { file, args, env } = command();
  const extra = opts.pkiDir ? ['--pki-dir', opts.pkiDir] : [];
  if (opts.extraTags) extra.push('--extra-tags', String(opts.extraTags));
  if (opts.tickMs) extra.push('--tick-ms', String(opts.tickMs));
  const child = spawn(file, [...args, '--port', String(opts.port), '--seed', String(opts.seed), ...extra], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The simulator must not outlive the console, whichever way the console ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`simulator did not report its endpoint within ${opts.timeoutMs ?? 30000} ms`)), opts.timeoutMs ?? 30000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${output.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /opc\.tcp:\/\/[^\s"']+/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (c: Buffer) => opts.logger.debug({ simulator: c.toString().trim() }, 'simulator output'));
      opts.logger.info({ endpoint: match[0], pid: child.pid }, 'simulator started');
      resolve({ endpoint: match[0], pid: child.pid ?? -1, stop: () => stopChild(child) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
      opts.logger.debug({ simulator: c.toString().trim() }, 'simulator log');
    });
    child.once('exit', (code, signal) => {
      if (!/opc\.tcp:\/\//.test(output)) fail(new Error(`simulator exited (code ${code}, signal ${signal}) before it was ready`));
      else opts.logger.warn({ code, signal }, 'simulator exited');
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
